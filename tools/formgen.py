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


def form_rows(report, *, title=None, crop_rows=None, labels=None, sections=None,
              header_split=False, extra_cols=False, total_rows=False, blank_between=1):
    """The form of FORM.md as rows of cells.

    report: {"hamlet", "month", "year", "crops": {code: (area, yield, output)},
             "values": {code: value}} where a value may be None (empty cell),
             a number, or text as typed.
    labels: {code: label} to override row labels.
    sections: order of the four sections, by index 0..3.
    header_split: "Năng suất" above "(tạ/ha)" on two rows.
    extra_cols: an STT column, a "Kế hoạch" column before the figures and
                a "Ghi chú" column after.
    """
    labels = labels or {}
    m, y = report["month"], report["year"]
    rows = []
    rows.append([Cell(title or f"BÁO CÁO KẾT QUẢ SẢN XUẤT VÀ ĐỜI SỐNG THÁNG {m} NĂM {y}", bold=True, merge=(1, 6))])
    rows.append([f"Thôn: {report['hamlet']}", None, None, f"Tháng: {m:02d}/{y}"])
    rows.append([])

    def lab(code, default):
        return labels.get(code, default)

    def crops():
        out = [[Cell("I. TRỒNG TRỌT", bold=True)]]
        plan = ["Kế hoạch (ha)"] if extra_cols else []
        if header_split:
            out.append(["STT", "Cây trồng"] + plan + ["Diện tích", "Năng suất", "Sản lượng", "Ghi chú"])
            out.append([None, None] + ([None] if extra_cols else []) + ["(ha)", "(tạ/ha)", "(tấn)", None])
        else:
            out.append(["STT", "Cây trồng"] + plan + ["Diện tích (ha)", "Năng suất (tạ/ha)", "Sản lượng (tấn)", "Ghi chú"])
        n = 0
        for code, label, part in CROPS:
            if code not in report["crops"] and code == "lua":
                continue
            if code not in report["crops"]:
                continue
            a, ys, o = report["crops"][code]
            stt = None if part else (n := n + 1)
            out.append([stt, lab(code, label)] + ([150] if extra_cols else []) + [a, ys, o, None])
        return out

    def single(title, head, items, value_label):
        out = [[Cell(title, bold=True)]]
        plan = ["Kế hoạch"] if extra_cols else []
        out.append(["STT", head, "ĐVT"] + plan + [value_label, "Ghi chú"])
        for i, (code, label, unit) in enumerate(items, 1):
            if code not in report["values"]:
                continue
            out.append([i, lab(code, label), unit] + ([100] if extra_cols else []) + [report["values"][code], None])
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
    rows.append([None, None, None, f"Lạc {report['hamlet'].split()[-1]}, ngày 05 tháng {m % 12 + 1} năm {y + (m == 12)}"])
    rows.append([None, None, None, "TRƯỞNG THÔN"])
    return rows


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
                    if v.bold or v.font:
                        cell.font = Font(bold=v.bold, name=v.font or "Times New Roman")
                    if v.merge and v.merge != (1, 1):
                        ws.merge_cells(start_row=r0 + r + 1, start_column=c0 + c + 1,
                                       end_row=r0 + r + v.merge[0], end_column=c0 + c + v.merge[1])
                elif v is not None:
                    cell.value = v
        for hidden_row in opts.get("hidden_rows", []):
            ws.row_dimensions[r0 + hidden_row + 1].hidden = True
        ws.column_dimensions["B"].width = 36
    wb.properties.creator = creator
    stamp = modified or dt.datetime(2024, 7, 5, 8, 0, 0)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    _save(wb.save, path)


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
        for r, row in enumerate(rows):
            tr = TableRow()
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
