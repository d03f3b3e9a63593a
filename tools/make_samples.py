"""Makes samples/: the six hamlets' reports for May and June 2024, as the
hamlets would send them, with the mistakes listed in samples/README.md.

Run from the repository root:
    python3 -m pip install openpyxl==3.1.5 xlwt==1.3.0 odfpy==1.4.1
    python3 tools/make_samples.py
The files it writes are committed, so that `make run` needs only Rust.
"""

import datetime as dt
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import formgen  # noqa: E402

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "samples")

# June: (lua_xuan a, y, o), he_thu area, (lac a, y, o), san, khoai_lang, (ngo a, y, o), dau, rau
JUNE_CROPS = {
    "Lạc Thanh": ((12.5, 62, 77.5), 6, (30, 20, 60), 25, 2, (28, 40, 112), 5, 3.5),
    "Lạc Thắng": ((11, 60, 66), 7, (24, 22, 52.8), 26, 1.5, (30, 38, 114), 5, 3),
    "Lạc Hòa": ((12, 58, 69.6), 6.5, (25, 24, 60), 24, 2, (27, 42, 113.4), 4.5, 3.5),
    # 10,5 ha × 61 tạ/ha = 64,05 tấn, written 64,1: right, only rounded.
    "Lạc Sơn": ((10.5, 61, 64.1), 7, (23, 21, 48.3), 25, 1.5, (29, 39, 113.1), 5, 3),
    "Lạc Tiến": ((12, 60, 72), 6.5, (24, 23, 55.2), 26, 1.5, (28, 41, 114.8), 5.5, 3.5),
    "Lạc Phú": ((12, 59, 70.8), 7, (22, 20, 44), 24, 1.5, (27, 40, 108), 5, 3.5),
}
# trâu, bò, lợn, gia cầm, đàn ong
ANIMALS = {
    "Lạc Thanh": ((118, 148, 390, 5800, 165), (120, 150, 400, 6000, 170)),
    "Lạc Thắng": ((108, 139, 370, 5700, 158), (110, 140, 380, 5800, 160)),
    "Lạc Hòa": ((128, 143, 410, 6050, 172), (130, 145, 420, 6200, 175)),
    "Lạc Sơn": ((114, 133, 385, 5850, 160), (115, 135, 390, 5900, 165)),
    "Lạc Tiến": ((123, 152, 400, 6000, 176), (125, 155, 410, 6100, 180)),
    "Lạc Phú": ((119, 139, 390, 5900, 166), (120, 140, 395, 5950, 168)),
}
# trồng rừng (ha), đường nội đồng (m), rãnh thoát nước (m), per month
WORKS = {
    "Lạc Thanh": ((25, 60, 30), (20, 40, 0)),
    "Lạc Thắng": ((18, 45, 20), (15, 30, 20)),
    "Lạc Hòa": ((22, 50, 25), (18, 50, 15)),
    "Lạc Sơn": ((20, 40, 15), (22, 0, 25)),
    "Lạc Tiến": ((17, 55, 20), (16, 35, 10)),
    "Lạc Phú": ((21, 35, 10), (19, 25, 0)),
}
# hộ, nghèo, cận nghèo, nhân khẩu, BHYT, lao động, đã qua đào tạo, trẻ < 5, trẻ SDD
SOCIAL = {
    "Lạc Thanh": (185, 8, 12, 700, 672, 420, 280, 52, 9),
    "Lạc Thắng": (170, 7, 10, 650, 630, 400, 270, 48, 8),
    "Lạc Hòa": (190, 6, 11, 720, 700, 430, 290, 55, 9),
    "Lạc Sơn": (160, 9, 13, 610, 585, 380, 250, 45, 8),
    "Lạc Tiến": (175, 6, 12, 680, 660, 410, 275, 50, 9),
    "Lạc Phú": (180, 7, 11, 690, 665, 415, 280, 51, 10),
}
ASCII = {"Lạc Thanh": "Lac Thanh", "Lạc Thắng": "Lac Thang", "Lạc Hòa": "Lac Hoa",
         "Lạc Sơn": "Lac Son", "Lạc Tiến": "Lac Tien", "Lạc Phú": "Lac Phu"}


def report(hamlet, month):
    (lx, ht, lac, san, kl, ngo, dau, rau) = JUNE_CROPS[hamlet]
    june = month == 6
    crops = {
        # In May the spring rice, groundnut and maize are not yet harvested,
        # and the summer-autumn rice is not yet sown: empty, not zero.
        "lua_xuan": lx if june else (lx[0], None, None),
        "lua_he_thu": (ht, None, None) if june else (None, None, None),
        "lac": lac if june else (lac[0], None, None),
        "san": (san, None, None),
        "khoai_lang": (kl, None, None),
        "ngo": ngo if june else (ngo[0], None, None),
        "dau": (dau, None, None),
        "rau": (rau, None, None),
    }
    animals = ANIMALS[hamlet][1 if june else 0]
    works = WORKS[hamlet][1 if june else 0]
    social = list(SOCIAL[hamlet])
    if not june:
        social[0] -= 1  # a household split off in June
        social[3] -= 2
    values = dict(zip([c for c, _, _ in formgen.ANIMALS], animals))
    values.update(zip([c for c, _, _ in formgen.WORKS], works))
    values.update(zip([c for c, _, _ in formgen.SOCIAL], social))
    return {"hamlet": hamlet, "month": month, "year": 2024, "crops": crops, "values": values}


def plant_mistakes(r):
    """The mistakes samples/README.md lists, each in one June report."""
    h = r["hamlet"]
    if h == "Lạc Thắng":
        # 11 ha × 60 tạ/ha = 66 tấn, typed as 660 (in tạ).
        r["crops"]["lua_xuan"] = (11, 60, 660)
    if h == "Lạc Hòa":
        r["values"]["lon"] = "khoảng 420"
        # Yield given without output: a warning, not an error.
        r["crops"]["lac"] = (25, 24, None)
    if h == "Lạc Sơn":
        r["values"]["ho_can_ngheo"] = 155  # 9 + 155 > 160 households
    if h == "Lạc Tiến":
        r["values"]["gia_cam"] = 6100.5
        # A total row that is not the sum of its parts: 12 + 6,5 ≠ 19,5.
        r["crops"]["lua"] = (19.5, None, 72)
    if h == "Lạc Phú":
        r["values"]["ranh_thoat_nuoc"] = -10


def main():
    for month in (5, 6):
        folder = os.path.join(HERE, f"2024-{month:02d}")
        for hamlet in JUNE_CROPS:
            r = report(hamlet, month)
            if month == 6:
                plant_mistakes(r)
            if hamlet == "Lạc Thanh" and month == 6:
                # The form's own example: with its "Lúa cả năm" total row.
                r["crops"]["lua"] = (18.5, None, 77.5)
            rows = formgen.form_rows(r)
            stamp = dt.datetime(2024, month + 1, 3 + list(JUNE_CROPS).index(hamlet), 9, 30)
            name = ASCII[hamlet]
            if hamlet == "Lạc Phú" and month == 6:
                # Excel 97-2003 is still the most common here.
                formgen.write_xls(os.path.join(folder, f"{name}.xls"), [("Sheet1", rows, {})])
            elif hamlet == "Lạc Sơn" and month == 5:
                formgen.write_ods(os.path.join(folder, f"{name} T5-2024.ods"), [("Báo cáo", rows, {})])
            else:
                formgen.write_xlsx(os.path.join(folder, f"{name}.xlsx"), [("Báo cáo", rows, {})], modified=stamp)


if __name__ == "__main__":
    main()
