#!/bin/sh
# The forms of every hamlet, pre-filled from the samples, saved again by
# LibreOffice as .xlsx, .ods and .xls (as a hamlet head would), must read
# back with no finding of their own and the hidden identity intact.
set -eu
cd "$(dirname "$0")/.."
if ! command -v soffice >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q libreoffice-calc-nogui
fi
[ -x target/release/tonghop ] || cargo build --release --locked
out=out/forms-roundtrip
rm -rf "$out"
mkdir -p "$out"
./target/release/tonghop template samples --all --period 2024-07 -o "$out/forms" 2>/dev/null
status=0
for fmt in xlsx ods xls; do
    mkdir -p "$out/$fmt"
    soffice -env:UserInstallation="file://$PWD/$out/.lo-profile" --headless --convert-to "$fmt" \
        --outdir "$out/$fmt" "$out"/forms/*.xlsx >/dev/null 2>&1
    ./target/release/tonghop validate "$out/$fmt" --period 2024-07 --format json >"$out/$fmt.json" || true
    python3 - "$out/$fmt.json" "$fmt" <<'PY' || status=1
import json, sys
r = json.load(open(sys.argv[1]))
own = [f for f in r["findings"] if f.get("file")]
ok = r["summary"]["accepted"] == 6 and not own
print(("đúng" if ok else "SAI") + f": {sys.argv[2]}: {r['summary']['accepted']} báo cáo được nhận, {len(own)} phát hiện trong tệp")
for f in own:
    print("   ", f["file"], f["rule"], f["message"])
sys.exit(0 if ok else 1)
PY
done
rm -rf "$out/.lo-profile"
exit $status
