#!/bin/sh
# make fuzz: runs each fuzz target of fuzz/ for FUZZ_SECONDS (default 60)
# with cargo-fuzz on the nightly toolchain, both installed here if missing.
# Seeds come from the samples and fixtures; what the fuzzer finds is kept in
# fuzz/corpus (not committed). An allocation past 1 GiB is recorded and
# passed over (-ignore_ooms): calamine makes it on files that claim that
# much, and the worker processes make those a finding (tests/corpus/fuzz
# keeps one). A panic, a hang or a crash stops the run: copy its file from
# fuzz/artifacts/<target>/ into tests/corpus/fuzz/ (the corpus test then
# runs the binary on it in `make test`) and fix the cause.
set -eu
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-60}"
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked

# Seeds: whole files for read_any; a sheet's XML, an ods's content.xml and
# an xls's workbook stream for the targets that wrap them.
mkdir -p fuzz/seeds/read_any fuzz/seeds/read_xlsx fuzz/seeds/read_ods fuzz/seeds/read_xls
find samples tests/fixtures -type f \( -name '*.xlsx' -o -name '*.xls' -o -name '*.ods' -o -name '*.xlsb' \) \
    -size -200k | head -40 | while read -r f; do cp "$f" "fuzz/seeds/read_any/$(echo "$f" | tr '/ ' '__')"; done
python3 - <<'PY'
import glob, os, zipfile
for f in glob.glob("samples/**/*.xlsx", recursive=True)[:8]:
    with zipfile.ZipFile(f) as z:
        for n in z.namelist():
            if n.startswith("xl/worksheets/sheet") and n.endswith(".xml"):
                open(os.path.join("fuzz/seeds/read_xlsx", os.path.basename(f) + ".xml"), "wb").write(z.read(n))
for f in glob.glob("samples/**/*.ods", recursive=True) + glob.glob("tests/fixtures/**/*.ods", recursive=True):
    with zipfile.ZipFile(f) as z:
        open(os.path.join("fuzz/seeds/read_ods", os.path.basename(f) + ".xml"), "wb").write(z.read("content.xml"))
PY
find samples tests/fixtures -name '*.xls' -size -200k | head -8 | while read -r f; do
    cp "$f" "fuzz/seeds/read_xls/$(basename "$f")"
done

status=0
for t in read_any read_xlsx read_ods read_xls; do
    mkdir -p "fuzz/corpus/$t"
    echo "== $t: ${seconds} s"
    cargo +nightly fuzz run --fuzz-dir fuzz "$t" "fuzz/corpus/$t" "fuzz/seeds/$t" -- \
        -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -malloc_limit_mb=1024 \
        -fork=1 -ignore_ooms=1 || status=1
done
exit $status
