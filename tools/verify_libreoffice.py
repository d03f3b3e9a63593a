"""Opens the summary workbook in LibreOffice with recalculation forced on
load, and checks that every live total it computes is the total tonghop
stored and reported in the JSON: the formulas say what the numbers are.

    python3 tools/verify_libreoffice.py out/tong-hop-2024-06.xlsx out/bao-cao.json

Needs LibreOffice (soffice); `make verify-libreoffice` runs it on the samples.
"""

import csv
import json
import os
import subprocess
import sys
import tempfile

# Recalculate xlsx formulas on load, whatever the file says it stored.
PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def sheet_csv(xlsx, sheet_number, tmp):
    profile = os.path.join(tmp, "profile")
    os.makedirs(os.path.join(profile, "user"), exist_ok=True)
    with open(os.path.join(profile, "user", "registrymodifications.xcu"), "w") as f:
        f.write(PROFILE)
    # Field separator ",", quote '"', UTF-8, from line 1, formatted as shown: false; the sheet to export.
    filt = f"csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,{sheet_number}"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", filt,
                    "--outdir", tmp, xlsx], check=True, capture_output=True)
    base = os.path.splitext(os.path.basename(xlsx))[0]
    names = [n for n in os.listdir(tmp) if n.startswith(base) and n.endswith(".csv")]
    with open(os.path.join(tmp, sorted(names)[0]), encoding="utf-8") as f:
        return list(csv.reader(f))


def main(xlsx, report):
    totals = {t["indicator"]: t["value"] for t in json.load(open(report, encoding="utf-8"))["totals"]}
    with tempfile.TemporaryDirectory() as tmp:
        rows = sheet_csv(os.path.abspath(xlsx), 2, tmp)
    header = next(r for r in rows if r and r[0] == "Mã")
    col = header.index("Toàn xã")
    checked, wrong = 0, []
    for r in rows:
        if not r or r[0] not in totals:
            continue
        want, got = totals[r[0]], r[col].strip()
        if want is None:
            ok = got == ""
        else:
            try:
                ok = abs(float(got.replace(',', '.')) - want) <= 1e-6 * max(1.0, abs(want))
            except ValueError:
                ok = False
        checked += 1
        if not ok:
            wrong.append((r[0], want, got))
    for w in wrong:
        print("khác: %s: JSON %s, LibreOffice tính ra %r" % w)
    print(f"{checked} tổng của trang Chi tiết thôn, LibreOffice tính lại: {checked - len(wrong)} khớp với báo cáo JSON.")
    return 1 if wrong or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
