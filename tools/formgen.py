"""Writes hamlet report workbooks the way other programs do, for the samples
and the test fixtures: openpyxl (.xlsx), xlwt (.xls, Excel 97-2003) and odfpy
(.ods). tonghop never writes its own inputs.

A report is laid out as a list of rows; each cell is a plain value (str, int,
float, None) or a Cell with a merge, a date, a formula or a font. The same
layout goes to every writer, so one figure set can be saved in every format.

Install: python3 -m pip install openpyxl==3.1.5 xlwt==1.3.0 odfpy==1.4.1
"""

import datetime as dt
import os

CROPS = [
    # code, label, is a part of the rice total
    ("lua", "Lúa cả năm", False),
    ("lua_xuan", "- Lúa vụ xuân", True),
    ("lua_he_thu", "- Lúa vụ hè thu", True),
    ("lac", "Lạc", False),
    ("san", "Sắn", False),
    ("khoai_lang", "Khoai lang", False),
    ("ngo", "Ngô", False),
    ("dau", "Đậu các loại", False),
    ("rau", "Rau màu các loại", False),
]
ANIMALS = [("trau", "Trâu", "con"), ("bo", "Bò", "con"), ("lon", "Lợn", "con"),
           ("gia_cam", "Gia cầm", "con"), ("ong", "Đàn ong", "đàn")]
WORKS = [("trong_rung", "Trồng rừng tập trung", "ha"),
         ("duong_noi_dong", "Đường giao thông nội đồng", "m"),
         ("ranh_thoat_nuoc", "Rãnh thoát nước", "m")]
SOCIAL = [("ho", "Tổng số hộ", "hộ"), ("ho_ngheo", "Số hộ nghèo", "hộ"),
          ("ho_can_ngheo", "Số hộ cận nghèo", "hộ"), ("nhan_khau", "Tổng số nhân khẩu", "người"),
          ("bhyt", "Số người tham gia BHYT", "người"),
          ("lao_dong", "Số người trong độ tuổi lao động", "người"),
          ("lao_dong_dao_tao", "Số lao động đã qua đào tạo", "người"),
          ("tre_duoi_5", "Số trẻ em dưới 5 tuổi", "trẻ"),
          ("tre_sdd", "Số trẻ em dưới 5 tuổi suy dinh dưỡng", "trẻ")]


class Cell:
    """A cell with more than a value."""

    def __init__(self, value=None, merge=None, bold=False, date=None, formula=None, font=None):
        self.value = value
        self.merge = merge  # (rows, cols) spanned, counting this cell
        self.bold = bold
        self.date = date  # a datetime.date, written as a date cell
        self.formula = formula  # formula text without "=", written with no stored value
        self.font = font


class _Figure:
    """Marks a figure while rows are laid out, so that text transforms
    (encodings, case) leave figures alone."""

    def __init__(self, code, value):
        self.code = code
        self.value = value


CROP_COLS = {"dien_tich": ("Diện tích", "ha"), "nang_suat": ("Năng suất", "tạ/ha"), "san_luong": ("Sản lượng", "tấn")}


def form_rows(report, *, title=None, header_lines=None, top_rows=(), labels=None, sections=None,
              header_split=False, extra_cols=False, crop_cols=("dien_tich", "nang_suat", "san_luong"),
              crop_unit_col=False, text=None, value=None, blank_between=1, signature=True):
    """The form of FORM.md as rows of cells.

    report: {"hamlet", "month", "year", "crops": {code: (area, yield, output)},
             "values": {code: value}} where a value may be None (empty cell),
             a number, or text as typed.
    title: the title line; header_lines: the rows under it (default
           "Thôn: …" and "Tháng: mm/yyyy"); top_rows: rows above everything.
    labels: {code: label} to override row labels.
    sections: order of the four sections, by index 0..3.
    header_split: "Năng suất" above "(tạ/ha)" on two rows, with the label
                  header merged over both.
    extra_cols: a "Kế hoạch" column before the figures (and ĐVT, Ghi chú).
    crop_cols: the order of the crop table's columns.
    text: applied to every text that is not a figure (an encoding, a case).
    value: applied to every figure, value(code, v) (to type it as text).
    """
    labels = labels or {}
    text = text or (lambda t: t)
    value = value or (lambda code, v: v)
    m, y = report["month"], report["year"]
    rows = [list(r) for r in top_rows]
    rows.append([Cell(title or f"BÁO CÁO KẾT QUẢ SẢN XUẤT VÀ ĐỜI SỐNG THÁNG {m} NĂM {y}", bold=True, merge=(1, 6))])
    if header_lines is None:
        header_lines = [[f"Thôn: {report['hamlet']}", None, None, f"Tháng: {m:02d}/{y}"]]
    rows.extend(list(r) for r in header_lines)
    rows.append([])

    def lab(code, default):
        return labels.get(code, default)

    def crops():
        out = [[Cell("I. TRỒNG TRỌT", bold=True)]]
        plan = ["Kế hoạch (ha)"] if extra_cols else []
        unit = ["ĐVT"] if crop_unit_col else []
        names = [CROP_COLS[c] for c in crop_cols]
        if header_split:
            out.append([Cell("STT", merge=(2, 1)), Cell("Cây trồng", merge=(2, 1))] + unit + plan
                       + [n for n, _ in names] + ["Ghi chú"])
            out.append([None, None] + ([None] if crop_unit_col else []) + ([None] if extra_cols else [])
                       + [f"({u})" for _, u in names] + [None])
        else:
            out.append(["STT", "Cây trồng"] + unit + plan + [f"{n} ({u})" for n, u in names] + ["Ghi chú"])
        n = 0
        for code, label, part in CROPS:
            if code not in report["crops"]:
                continue
            figs = dict(zip(("dien_tich", "nang_suat", "san_luong"), report["crops"][code]))
            stt = None if part else (n := n + 1)
            out.append([stt, lab(code, label)] + (["ha"] if crop_unit_col else []) + ([150] if extra_cols else [])
                       + [_Figure(f"{code}.{c}", figs[c]) for c in crop_cols] + [None])
        return out

    def single(title, head, items, value_label):
        out = [[Cell(title, bold=True)]]
        plan = ["Kế hoạch"] if extra_cols else []
        out.append(["STT", head, "ĐVT"] + plan + [value_label, "Ghi chú"])
        for i, (code, label, unit) in enumerate(items, 1):
            if code not in report["values"]:
                continue
            out.append([i, lab(code, label), unit] + ([100] if extra_cols else [])
                       + [_Figure(code, report["values"][code]), None])
        return out

    blocks = [
        crops(),
        single("II. CHĂN NUÔI", "Vật nuôi", ANIMALS, "Số lượng"),
        single("III. LÂM NGHIỆP - HẠ TẦNG", "Chỉ tiêu", WORKS, "Thực hiện trong tháng"),
        single("IV. DÂN SỐ - XÃ HỘI", "Chỉ tiêu", SOCIAL, "Số lượng"),
    ]
    for i in sections or range(4):
        rows.extend(blocks[i])
        rows.extend([[]] * blank_between)
    if signature:
        rows.append([None, None, None, f"ngày 05 tháng {m % 12 + 1} năm {y + (m == 12)}"])
        rows.append([None, None, None, "TRƯỞNG THÔN"])

    def finish(v):
        if isinstance(v, _Figure):
            return value(v.code, v.value)
        if isinstance(v, Cell):
            if isinstance(v.value, str):
                v.value = text(v.value)
            return v
        return text(v) if isinstance(v, str) else v

    return [[finish(v) for v in row] for row in rows]


def _plain(v):
    return v.value if isinstance(v, Cell) else v


def write_xlsx(path, sheets, modified=None, creator="Nguyễn Văn A"):
    """sheets: [(name, rows, {"offset": (r, c), "hidden": bool})]"""
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows, opts in sheets:
        ws = wb.create_sheet(name)
        r0, c0 = opts.get("offset", (0, 0))
        font = opts.get("font")  # a font for every cell, e.g. ".VnTime"
        if opts.get("hidden"):
            ws.sheet_state = "hidden"
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                cell = ws.cell(row=r0 + r + 1, column=c0 + c + 1)
                if isinstance(v, Cell):
                    if v.formula:
                        cell.value = "=" + v.formula
                    elif v.date:
                        cell.value = v.date
                        cell.number_format = "mm/yyyy"
                    else:
                        cell.value = v.value
                    if v.bold or v.font or font:
                        cell.font = Font(bold=v.bold, name=v.font or font or "Times New Roman")
                    if v.merge and v.merge != (1, 1):
                        ws.merge_cells(start_row=r0 + r + 1, start_column=c0 + c + 1,
                                       end_row=r0 + r + v.merge[0], end_column=c0 + c + v.merge[1])
                elif v is not None:
                    cell.value = v
                    if font:
                        cell.font = Font(name=font)
        for hidden_row in opts.get("hidden_rows", []):
            ws.row_dimensions[r0 + hidden_row + 1].hidden = True
        ws.column_dimensions["B"].width = 36
    wb.properties.creator = creator
    stamp = modified or dt.datetime(2024, 7, 5, 8, 0, 0)
    wb.properties.created = stamp
    _save(wb.save, path)
    # openpyxl stamps "modified" with the time of saving; set it as a
    # hamlet's Excel would have, so that "saved last" is reproducible.
    set_modified(path, stamp)


def set_modified(path, when):
    """Rewrites the "modified" property of an xlsx/xlsm/ods file."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    tmp = path + ".tmp"
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>" + stamp.encode() + rb"\g<2>", data)
            info.date_time = (2024, 7, 1, 0, 0, 0)
            z.writestr(info, data)
    os.replace(tmp, path)


def write_xls(path, sheets):
    """Excel 97-2003, as xlwt writes it."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="mm/yyyy")
    bold = xlwt.easyxf("font: bold on")
    for name, rows, opts in sheets:
        ws = wb.add_sheet(name)
        r0, c0 = opts.get("offset", (0, 0))
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                rr, cc = r0 + r, c0 + c
                if isinstance(v, Cell):
                    style = bold if v.bold else xlwt.Style.default_style
                    if v.formula:
                        ws.write(rr, cc, xlwt.Formula(v.formula), style)
                    elif v.date:
                        ws.write(rr, cc, v.date, date_style)
                    elif v.merge and v.merge != (1, 1):
                        ws.write_merge(rr, rr + v.merge[0] - 1, cc, cc + v.merge[1] - 1, v.value, style)
                    else:
                        ws.write(rr, cc, v.value, style)
                elif v is not None:
                    ws.write(rr, cc, v)
        if opts.get("hidden"):
            ws.visibility = 1
    _save(wb.save, path)


def write_ods(path, sheets):
    """OpenDocument, as odfpy writes it."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableRow, TableCell, CoveredTableCell
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    for name, rows, opts in sheets:
        table = Table(name=name)
        r0, c0 = opts.get("offset", (0, 0))
        for _ in range(r0):
            table.addElement(TableRow())
        covered = set()
        hidden = set(opts.get("hidden_rows", []))
        for r, row in enumerate(rows):
            tr = TableRow(visibility="collapse") if r in hidden else TableRow()
            for _ in range(c0):
                tr.addElement(TableCell())
            for c, v in enumerate(row):
                if (r, c) in covered:
                    tr.addElement(CoveredTableCell())
                    continue
                attrs = {}
                value = v
                if isinstance(v, Cell):
                    value = v.value
                    if v.merge and v.merge != (1, 1):
                        attrs["numberrowsspanned"] = v.merge[0]
                        attrs["numbercolumnsspanned"] = v.merge[1]
                        for dr in range(v.merge[0]):
                            for dc in range(v.merge[1]):
                                if dr or dc:
                                    covered.add((r + dr, c + dc))
                    if v.date:
                        cell = TableCell(valuetype="date", datevalue=v.date.isoformat(), **attrs)
                        cell.addElement(P(text=v.date.strftime("%m/%Y")))
                        tr.addElement(cell)
                        continue
                if value is None:
                    tr.addElement(TableCell(**attrs))
                elif isinstance(value, (int, float)) and not isinstance(value, bool):
                    cell = TableCell(valuetype="float", value=value, **attrs)
                    cell.addElement(P(text=str(value)))
                    tr.addElement(cell)
                else:
                    cell = TableCell(valuetype="string", **attrs)
                    cell.addElement(P(text=str(value)))
                    tr.addElement(cell)
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    _save(doc.save, path)


def _save(save, path):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    save(path)
