"""Makes tests/fixtures/: hamlet reports as people really send them.

- clean/2024-06/: the six hamlets' June reports, exactly in the form.
- messy/2024-06/: the same figures in every way FORM.md says real
  submissions differ (formats, layouts, labels, encodings, text numbers,
  where the hamlet and month are written), among files that are not reports
  at all. Read, it must give the same totals as clean/.
- cases/: one file per finding that reading must give.

Written by other programs than tonghop: openpyxl (.xlsx), xlwt (.xls),
odfpy (.ods), pyxlsbwriter (.xlsb) and LibreOffice (.xlsm). Run from the
repository root (the files it writes are committed):
    python3 -m pip install openpyxl==3.1.5 xlwt==1.3.0 odfpy==1.4.1 pyxlsbwriter==0.1.0
    apt-get install libreoffice-calc-nogui     # for the .xlsm
    python3 tools/make_fixtures.py
"""

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import formgen  # noqa: E402
import make_samples  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures")

# --- Legacy encodings, written independently of tonghop's decoder ---------

TCVN3 = {
    "à": 0xB5, "ả": 0xB6, "ã": 0xB7, "á": 0xB8, "ạ": 0xB9,
    "ă": 0xA8, "ằ": 0xBB, "ẳ": 0xBC, "ẵ": 0xBD, "ắ": 0xBE, "ặ": 0xC6,
    "â": 0xA9, "ầ": 0xC7, "ẩ": 0xC8, "ẫ": 0xC9, "ấ": 0xCA, "ậ": 0xCB,
    "đ": 0xAE, "è": 0xCC, "ẻ": 0xCE, "ẽ": 0xCF, "é": 0xD0, "ẹ": 0xD1,
    "ê": 0xAA, "ề": 0xD2, "ể": 0xD3, "ễ": 0xD4, "ế": 0xD5, "ệ": 0xD6,
    "ì": 0xD7, "ỉ": 0xD8, "ĩ": 0xDC, "í": 0xDD, "ị": 0xDE,
    "ò": 0xDF, "ỏ": 0xE1, "õ": 0xE2, "ó": 0xE3, "ọ": 0xE4,
    "ô": 0xAB, "ồ": 0xE5, "ổ": 0xE6, "ỗ": 0xE7, "ố": 0xE8, "ộ": 0xE9,
    "ơ": 0xAC, "ờ": 0xEA, "ở": 0xEB, "ỡ": 0xEC, "ớ": 0xED, "ợ": 0xEE,
    "ù": 0xEF, "ủ": 0xF1, "ũ": 0xF2, "ú": 0xF3, "ụ": 0xF4,
    "ư": 0xAD, "ừ": 0xF5, "ử": 0xF6, "ữ": 0xF7, "ứ": 0xF8, "ự": 0xF9,
    "ỳ": 0xFA, "ỷ": 0xFB, "ỹ": 0xFC, "ý": 0xFD, "ỵ": 0xFE,
    "Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7,
}


def tcvn3(s):
    """Unicode → TCVN3, as typed with the .VnTime font. Capitals with a
    tone have no code of their own: such text is written in lower case with
    the .VnTimeH font, which shows it in capitals."""
    out = []
    for ch in unicodedata.normalize("NFC", s):
        if ch in TCVN3:
            out.append(chr(TCVN3[ch]))
        elif ch.lower() in TCVN3 and ch.lower() != ch:
            raise ValueError(f"{s!r}: capital {ch!r} needs .VnTimeH")
        else:
            out.append(ch)
    return "".join(out)


def tcvn3_cell(s):
    """A text cell in TCVN3, with the font it needs."""
    nfc = unicodedata.normalize("NFC", s)
    capitals = any(c.isupper() and c.lower() in TCVN3 and c not in TCVN3 for c in nfc)
    if capitals:
        return formgen.Cell(tcvn3(nfc.lower()), font=".VnTimeH")
    return formgen.Cell(tcvn3(nfc), font=".VnTime")


VNI_TONES = {"\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
VNI_CIRC = {None: "â", "\u0301": "á", "\u0300": "à", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
VNI_BREVE = {None: "ê", "\u0301": "é", "\u0300": "è", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
VNI_I = {"\u0301": "í", "\u0300": "ì", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}


def vni(s):
    """Unicode → VNI-Windows: a base letter and a mark letter."""
    out = []
    for ch in unicodedata.normalize("NFC", s):
        if ch in "đĐ":
            out.append("ñ" if ch == "đ" else "Ñ")
            continue
        d = unicodedata.normalize("NFD", ch)
        base, marks = d[0], d[1:]
        if not marks:
            out.append(ch)
            continue
        upper = base.isupper()
        cap = (lambda t: t.upper()) if upper else (lambda t: t)
        tone = next((m for m in marks if m in VNI_TONES), None)
        if "\u031b" in marks:  # horn: ơ, ư
            out.append(cap("ô" if base in "oO" else "ö"))
            if tone:
                out.append(cap(VNI_TONES[tone]))
        elif "\u0302" in marks:
            out.append(base + cap(VNI_CIRC[tone]))
        elif "\u0306" in marks:
            out.append(base + cap(VNI_BREVE[tone]))
        elif base in "iI":
            out.append(cap(VNI_I[tone]))
        elif base in "yY" and tone == "\u0323":
            out.append(cap("î"))
        else:
            out.append(base + cap(VNI_TONES[tone]))
    return "".join(out)


def no_diacritics(s):
    s = s.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


def nfd(s):
    return unicodedata.normalize("NFD", s)


def old_tones(s):
    """The old tone placement: "hoà", "thuỷ"."""
    return s.replace("òa", "oà").replace("óa", "oá").replace("ủy", "uỷ").replace("òe", "oè")


# --- The figures ------------------------------------------------------------


def june(hamlet):
    """The samples' June figures for a hamlet, without the planted mistakes."""
    r = make_samples.report(hamlet, 6)
    r["crops"]["lua"] = None
    del r["crops"]["lua"]
    return r


HAMLETS = list(make_samples.JUNE_CROPS)
STAMP = dt.datetime(2024, 7, 4, 9, 0)


def vn_text(v, style):
    """A figure typed as text, the Vietnamese way."""
    if v is None or isinstance(v, str):
        return v
    if style == "comma":
        return f"{v}".replace(".", ",")
    if style == "spaced":
        return f" {v:,.0f} ".replace(",", " ") if float(v).is_integer() else f" {v} "
    if style == "dots":
        return f"{v:,.0f}".replace(",", ".") if float(v).is_integer() else f"{v}".replace(".", ",")
    return v


def clean():
    folder = os.path.join(ROOT, "clean", "2024-06")
    for h in HAMLETS:
        rows = formgen.form_rows(june(h))
        formgen.write_xlsx(os.path.join(folder, f"{make_samples.ASCII[h]}.xlsx"), [("Báo cáo", rows, {})], modified=STAMP)


def messy():
    folder = os.path.join(ROOT, "messy", "2024-06")

    # Lạc Thanh: Excel 97-2003 (xlwt), shifted down and right under extra
    # title rows; labels in capitals with stray spaces and numbering; the
    # month only in words; some figures typed as text.
    r = june("Lạc Thanh")
    top = [["UBND XÃ", None, None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
           [None, None, None, None, "Độc lập - Tự do - Hạnh phúc"], []]
    labels = {"lua_xuan": "  1.  LÚA   VỤ XUÂN ", "lua_he_thu": "2. LÚA VỤ HÈ THU", "lac": "3. LẠC",
              "trau": "a)  TRÂU", "bo": "b) BÒ", "ho": "TỔNG SỐ HỘ", "ho_ngheo": "SỐ HỘ NGHÈO"}
    texts = {"lua_xuan.dien_tich": "comma", "ngo.san_luong": "comma", "gia_cam": "spaced", "lon": "dots", "nhan_khau": "dots"}
    rows = formgen.form_rows(
        r, top_rows=top, title="BÁO CÁO KẾT QUẢ SẢN XUẤT VÀ ĐỜI SỐNG THÁNG 6 NĂM 2024",
        header_lines=[["Thôn:", "Lạc Thanh", None, "Tháng 6 năm 2024"]], labels=labels,
        value=lambda code, v: vn_text(v, texts.get(code)))
    formgen.write_xls(os.path.join(folder, "Lac Thanh.xls"), [("Sheet1", rows, {"offset": (2, 1)})])

    # Lạc Thắng: OpenDocument (odfpy); the header split over two rows under
    # merged cells, a "Kế hoạch" column, sections in another order, labels
    # typed without diacritics, the month as "T6-2024".
    r = june("Lạc Thắng")
    rows = formgen.form_rows(
        r, header_lines=[["Thon: Lac Thang", None, None, "T6-2024"]], sections=[3, 1, 0, 2],
        header_split=True, extra_cols=True, text=no_diacritics, crop_cols=("san_luong", "dien_tich", "nang_suat"))
    beans = next(i for i, row in enumerate(rows) if any(_text(v) == "Dau cac loai" for v in row))
    formgen.write_ods(os.path.join(folder, "BC thang 6 Lac Thang.ods"), [("Bao cao", rows, {"hidden_rows": [beans]})])

    # Lạc Hòa: TCVN3 with the .VnTime fonts, the month a date cell, the
    # vegetables' row hidden.
    r = june("Lạc Hòa")
    rows = formgen.form_rows(
        r, header_lines=[["Thôn: Lạc Hoà", None, None, "Tháng:", formgen.Cell(date=dt.date(2024, 6, 1))]])
    rows = [[tcvn3_cell(v) if isinstance(v, str) else _tcvn3_cell_of(v) for v in row] for row in rows]
    veg = next(i for i, row in enumerate(rows) if any(_text(v) == tcvn3("Rau màu các loại") for v in row))
    formgen.write_xlsx(os.path.join(folder, "Lac Hoa.xlsx"), [("B¸o c¸o", rows, {"hidden_rows": [veg]})], modified=STAMP)

    # Lạc Sơn: .xlsm (LibreOffice), labels in decomposed Unicode (NFD) with
    # old tone placement and "+"/"-" bullets, a ĐVT column in the crop
    # table, the columns reordered.
    r = june("Lạc Sơn")
    labels = {"lua_xuan": "+ Lúa Đông Xuân", "lua_he_thu": "+ Lúa hè thu", "ngo": "- Bắp", "san": "- Khoai mì",
              "ho_ngheo": "- Hộ nghèo", "bhyt": "- Số người có thẻ BHYT"}
    rows = formgen.form_rows(r, labels=labels, text=lambda t: nfd(old_tones(t)), crop_unit_col=True,
                             crop_cols=("nang_suat", "dien_tich", "san_luong"))
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "Lac Son.xlsx")
        formgen.write_xlsx(src, [("Báo cáo", rows, {})], modified=STAMP)
        subprocess.run(["soffice", "--headless", "--convert-to", "xlsm:Calc MS Excel 2007 VBA XML", "--outdir", tmp, src],
                       check=True, capture_output=True)
        shutil.copy(os.path.join(tmp, "Lac Son.xlsm"), os.path.join(folder, "Lac Son.xlsm"))
        formgen.set_modified(os.path.join(folder, "Lac Son.xlsm"), STAMP)
    # An older version of the same report, saved before: superseded.
    old = june("Lạc Sơn")
    old["values"]["lon"] = 300
    formgen.write_xlsx(os.path.join(folder, "Lac Son (cu).xlsx"), [("Báo cáo", formgen.form_rows(old), {})],
                       modified=dt.datetime(2024, 7, 1, 8, 0))

    # Lạc Tiến and Lạc Phú in one .xlsb workbook (pyxlsbwriter) beside an
    # instructions sheet: Lạc Tiến named only by its sheet, its month only by
    # the folder; Lạc Phú typed in VNI-Windows.
    tien = formgen.form_rows(june("Lạc Tiến"), title="BÁO CÁO KẾT QUẢ SẢN XUẤT VÀ ĐỜI SỐNG", header_lines=[])
    phu = formgen.form_rows(june("Lạc Phú"), text=vni)
    guide = [["HƯỚNG DẪN GHI BIỂU"], ["Mỗi thôn ghi một trang, số liệu ghi bằng số."], ["Diện tích ghi theo ha."]]
    write_xlsb(os.path.join(folder, "Tong hop thon.xlsb"), [("Hướng dẫn", guide), ("Lạc Tiến", tien), ("Lạc Phú", phu)])

    # Files in the same folder that are not reports.
    with open(os.path.join(folder, "~$Lac Hoa.xlsx"), "wb") as f:
        f.write(b"\x08Nguyen Van A" + b"\x00" * 150)
    with open(os.path.join(folder, "huong dan.docx"), "wb") as f:
        f.write(b"PK\x03\x04" + b"\x00" * 26 + b"word/document.xml" + b"\x00" * 64)
    with open(os.path.join(folder, "ghi chu.txt"), "w", encoding="utf-8") as f:
        f.write("Thôn Lạc Phú gửi sau.\n")
    with open(os.path.join(folder, "bao cao web.xls"), "w", encoding="utf-8") as f:
        f.write("<html><head><meta charset='utf-8'></head><body><table><tr><td>Thôn</td><td>Lạc Phú</td></tr>"
                "<tr><td>Trâu</td><td>120</td></tr></table></body></html>\n")
    with open(os.path.join(folder, "Lac Thang.xlsx"), "wb") as f:
        good = _xlsx_bytes(formgen.form_rows(june("Lạc Thắng")))
        f.write(good[: len(good) // 2])  # cut short in the copy
    unknown = june("Lạc Thanh")
    unknown["hamlet"] = "Lạc Bình"
    formgen.write_xlsx(os.path.join(folder, "Lac Binh.xlsx"), [("Báo cáo", formgen.form_rows(unknown), {})], modified=STAMP)


def _text(v):
    return v.value if isinstance(v, formgen.Cell) else v


def _tcvn3_cell_of(v):
    if isinstance(v, formgen.Cell) and isinstance(v.value, str):
        c = tcvn3_cell(v.value)
        c.bold, c.merge = v.bold, v.merge
        return c
    return v


def _xlsx_bytes(rows):
    with tempfile.TemporaryDirectory() as tmp:
        p = os.path.join(tmp, "x.xlsx")
        formgen.write_xlsx(p, [("Báo cáo", rows, {})], modified=STAMP)
        with open(p, "rb") as f:
            return f.read()


def write_xlsb(path, sheets):
    from pyxlsbwriter import XlsbWriter

    os.makedirs(os.path.dirname(path), exist_ok=True)
    with XlsbWriter(path) as w:
        for name, rows in sheets:
            w.add_sheet(name)
            width = max(len(row) for row in rows)
            w.write_sheet([[_plain(v) for v in row] + [None] * (width - len(row)) for row in rows])


def _plain(v):
    v = _text(v)
    return v


def cases():
    folder = os.path.join(ROOT, "cases")

    # A formula with no stored value (openpyxl computes nothing), and error cells.
    r = june("Lạc Thanh")
    rows = formgen.form_rows(r, value=lambda code, v: {
        "ngo.san_luong": formgen.Cell(formula="E10*F10/10"),
        "lac.nang_suat": "#DIV/0!",
        "bo": "#REF!",
    }.get(code, v))
    formgen.write_xlsx(os.path.join(folder, "cong thuc/Lac Thanh T6-2024.xlsx"), [("Báo cáo", rows, {})], modified=STAMP)

    # Numbers as text, some ambiguous; words where a figure should be; a
    # dash for nothing; a row the form does not have, and a total row.
    r = june("Lạc Sơn")
    r["values"].update({"gia_cam": "5,900", "lon": "2.125", "trau": "khoảng 115", "ong": "-", "ranh_thoat_nuoc": "25 m",
                        "duong_noi_dong": "0,04 km"})
    rows = formgen.form_rows(r)
    at = next(i for i, row in enumerate(rows) if _text(row[1] if len(row) > 1 else None) == "Đàn ong")
    rows.insert(at + 1, [6, "Dê", "con", 40, None])
    rows.insert(at + 2, [None, "Tổng cộng", None, 7000, None])
    formgen.write_xlsx(os.path.join(folder, "so dang chu/Lac Son T6-2024.xlsx"), [("Báo cáo", rows, {})], modified=STAMP)

    # Where the hamlet and month are written: they disagree.
    r = june("Lạc Tiến")
    rows = formgen.form_rows(r, header_lines=[["Thôn: Lạc Tiến", None, None, "Tháng: 06/2024"]])
    formgen.write_xlsx(os.path.join(folder, "khong khop/2024-05/Lac Phu.xlsx"), [("Báo cáo", rows, {})], modified=STAMP)

    # Labels that must not be confused: each written without diacritics or
    # in decomposed form, and a label that is two rows at once.
    r = june("Lạc Phú")
    labels = {"tre_duoi_5": "So tre em duoi 5 tuoi", "tre_sdd": nfd("Số trẻ em dưới 5 tuổi suy dinh dưỡng"),
              "ho": "TONG SO HO", "ho_ngheo": "so ho ngheo"}
    rows = formgen.form_rows(r, labels=labels)
    formgen.write_xlsx(os.path.join(folder, "nhan/Lac Phu T6-2024.xlsx"), [("Báo cáo", rows, {})], modified=STAMP)

    # Two sheets with reports, one of them hidden: an old copy kept by mistake.
    a = formgen.form_rows(june("Lạc Hòa"))
    old = june("Lạc Hòa")
    old["month"] = 5
    b = formgen.form_rows(old)
    formgen.write_xlsx(os.path.join(folder, "trang an/Lac Hoa.xlsx"),
                       [("Tháng 6", a, {}), ("Tháng 5 (cũ)", b, {"hidden": True})], modified=STAMP)


def merged_header():
    """A crop table whose header gives each figure twice, plan and done,
    under merged cells (Excel 97-2003, by xlwt): only the done columns count."""
    r = june("Lạc Thắng")
    C = formgen.Cell
    rows = [[C("BÁO CÁO KẾT QUẢ SẢN XUẤT VÀ ĐỜI SỐNG THÁNG 6 NĂM 2024", merge=(1, 8))],
            ["Thôn: Lạc Thắng", None, None, "Tháng: 06/2024"], [],
            [C("I. TRỒNG TRỌT", bold=True)],
            [C("STT", merge=(2, 1)), C("Cây trồng", merge=(2, 1)), C("Diện tích (ha)", merge=(1, 2)), None,
             C("Năng suất (tạ/ha)", merge=(1, 2)), None, C("Sản lượng (tấn)", merge=(1, 2)), None],
            [None, None, "Kế hoạch", "Thực hiện", "Kế hoạch", "Thực hiện", "Kế hoạch", "Thực hiện"]]
    n = 0
    for code, label, part in formgen.CROPS:
        if code not in r["crops"]:
            continue
        a, y, o = r["crops"][code]
        n += 0 if part else 1
        rows.append([None if part else n, label, 999, a, 99, y, 9999, o])
    formgen.write_xls(os.path.join(ROOT, "cases", "tieu de gop", "Lac Thang.xls"), [("Sheet1", rows, {})])


def checks():
    """Figures that break the rules, for tests/integration/checks.rs."""
    # Unit slips, one per hamlet, among otherwise right June reports (the
    # other hamlets' figures tell which figure of a row is the odd one).
    folder = os.path.join(ROOT, "cases", "don vi", "2024-06")
    slips = {
        "Lạc Thanh": lambda r: r["crops"].update(lac=(300, 20, 60)),          # area typed ×10
        "Lạc Thắng": lambda r: r["crops"].update(lua_xuan=(11, 60, 660)),     # output in tạ
        "Lạc Hòa": lambda r: r["crops"].update(ngo=(27, 42, 113400)),        # output in kg
        "Lạc Sơn": lambda r: r["crops"].update(lua_xuan=(10.5, 6.1, 64.1)),  # yield in tấn/ha
        "Lạc Tiến": lambda r: r["crops"].update(lua=(185, None, 72)),        # total row ×10
        "Lạc Phú": lambda r: r["crops"].update(ngo=(27.3, 40.6, 110.8)),     # only rounded: right
    }
    for h in HAMLETS:
        r = june(h)
        slips[h](r)
        formgen.write_xlsx(os.path.join(folder, f"{make_samples.ASCII[h]}.xlsx"), [("Báo cáo", formgen.form_rows(r), {})],
                           modified=STAMP)

    # Month over month: Lạc Phú's buffaloes +67 %, households +11 %, and its
    # groundnut area, a season-to-date figure, shrinking.
    may, jun = june("Lạc Phú"), june("Lạc Phú")
    may["month"] = 5
    may["values"].update(trau=120, ho=180)
    jun["values"].update(trau=200, ho=200)
    may["crops"]["lac"] = (22, None, None)
    jun["crops"]["lac"] = (18, None, None)
    for r in (may, jun):
        formgen.write_xlsx(os.path.join(ROOT, "cases", "bien dong", f"2024-{r['month']:02d}", "Lac Phu.xlsx"),
                           [("Báo cáo", formgen.form_rows(r), {})], modified=STAMP)

    # A commune-level sheet for the small schema in tests/fixtures/xa/: the
    # resolution's claim "11,08 tỷ / 5,57 tỷ đạt 211,8% kế hoạch".
    rows = [[formgen.Cell("KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2023", bold=True)],
            ["Đơn vị: Toàn xã", None, None, "Tháng: 12/2023"], [],
            ["STT", "Chỉ tiêu", "ĐVT", "Kết quả"],
            [1, "Tổng thu nhập", "tỷ đồng", 187.5],
            [2, "Thu ngân sách", "tỷ đồng", 11.08],
            [3, "Kế hoạch thu ngân sách", "tỷ đồng", 5.57],
            [4, "Tỷ lệ đạt kế hoạch thu ngân sách", "%", 211.8],
            [5, "Tỷ lệ hộ nghèo", "%", 4.99],
            [6, "Tỷ lệ hộ cận nghèo", "%", 6.38]]
    formgen.write_xlsx(os.path.join(ROOT, "xa", "2023-12", "Ket qua nam 2023.xlsx"), [("Kết quả", rows, {})], modified=STAMP)


def last_year():
    """June 2024 beside June 2023, for "so với cùng kỳ"."""
    folder = os.path.join(ROOT, "cases", "cung ky")
    for h in HAMLETS:
        r = june(h)
        formgen.write_xlsx(os.path.join(folder, "2024-06", f"{make_samples.ASCII[h]}.xlsx"), [("Báo cáo", formgen.form_rows(r), {})],
                           modified=STAMP)
        old = june(h)
        old["year"] = 2023
        for code in ("trau", "bo", "lon", "gia_cam", "ong"):
            old["values"][code] = round(old["values"][code] * 0.9)
        old["values"]["trong_rung"] = old["values"]["trong_rung"] - 5
        formgen.write_xlsx(os.path.join(folder, "2023-06", f"{make_samples.ASCII[h]}.xlsx"), [("Báo cáo", formgen.form_rows(old), {})],
                           modified=dt.datetime(2023, 7, 4, 9, 0))


def main():
    if os.path.isdir(ROOT):
        for sub in ("clean", "messy", "cases", "xa/2023-12"):
            shutil.rmtree(os.path.join(ROOT, sub), ignore_errors=True)
    clean()
    messy()
    cases()
    merged_header()
    checks()
    last_year()


if __name__ == "__main__":
    main()
