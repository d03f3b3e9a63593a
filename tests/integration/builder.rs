//! A small builder for report workbooks written here, in Rust: a sheet is
//! rows of cells that a test can shift, rename and fill before writing it
//! with rust_xlsxwriter. `Sheet::form` lays out the form of the shipped
//! schema as FORM.md shows it. Files only other programs write (xls, ods,
//! xlsb, legacy encodings) stay in tests/fixtures, made by tools/.

use std::path::Path;

/// One cell as written.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// A formula stored without its value, as programs that do not compute
    /// formulas write them.
    Formula(String),
    /// A formula with the value stored with it (stale, if the test says so).
    Cached(String, f64),
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        if s.is_empty() { Cell::Empty } else { Cell::Text(s.to_string()) }
    }
}

impl From<f64> for Cell {
    fn from(v: f64) -> Cell {
        Cell::Number(v)
    }
}

/// A sheet: its name and rows.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<Cell>>,
    /// Merged regions, zero-based (first row, first col, last row, last col).
    pub merges: Vec<(u32, u16, u32, u16)>,
    /// Columns hidden, zero-based.
    pub hidden_cols: Vec<u16>,
}

/// The form's tables as FORM.md lays them out: title, header, rows of
/// (label, unit, indicator codes by column).
const CROPS: [(&str, &str); 9] = [
    ("Lúa cả năm", "lua"),
    ("- Lúa vụ xuân", "lua_xuan"),
    ("- Lúa vụ hè thu", "lua_he_thu"),
    ("Lạc", "lac"),
    ("Sắn", "san"),
    ("Khoai lang", "khoai_lang"),
    ("Ngô", "ngo"),
    ("Đậu các loại", "dau"),
    ("Rau màu các loại", "rau"),
];
const ANIMALS: [(&str, &str, &str); 5] = [
    ("Trâu", "con", "trau"),
    ("Bò", "con", "bo"),
    ("Lợn", "con", "lon"),
    ("Gia cầm", "con", "gia_cam"),
    ("Đàn ong", "đàn", "ong"),
];
const WORKS: [(&str, &str, &str); 3] = [
    ("Trồng rừng tập trung", "ha", "trong_rung"),
    ("Đường giao thông nội đồng", "m", "duong_noi_dong"),
    ("Rãnh thoát nước", "m", "ranh_thoat_nuoc"),
];
const SOCIAL: [(&str, &str, &str); 9] = [
    ("Tổng số hộ", "hộ", "ho"),
    ("Số hộ nghèo", "hộ", "ho_ngheo"),
    ("Số hộ cận nghèo", "hộ", "ho_can_ngheo"),
    ("Tổng số nhân khẩu", "người", "nhan_khau"),
    ("Số người tham gia BHYT", "người", "bhyt"),
    ("Số người trong độ tuổi lao động", "người", "lao_dong"),
    ("Số lao động đã qua đào tạo", "người", "lao_dong_dao_tao"),
    ("Số trẻ em dưới 5 tuổi", "trẻ", "tre_duoi_5"),
    ("Số trẻ em dưới 5 tuổi suy dinh dưỡng", "trẻ", "tre_sdd"),
];

impl Sheet {
    pub fn new(name: &str) -> Sheet {
        Sheet { name: name.to_string(), rows: Vec::new(), merges: Vec::new(), hidden_cols: Vec::new() }
    }

    /// Adds a row of cells.
    pub fn row(mut self, cells: Vec<Cell>) -> Sheet {
        self.rows.push(cells);
        self
    }

    /// The shipped form filled for a hamlet and month; `figure` gives the
    /// value of an indicator code, None leaves the cell empty.
    pub fn form(hamlet: &str, month: u32, year: i32, figure: impl Fn(&str) -> Option<f64>) -> Sheet {
        let fig = |code: &str| figure(code).map_or(Cell::Empty, Cell::Number);
        let t = |s: &str| Cell::from(s);
        let mut s = Sheet::new("Báo cáo")
            .row(vec![t(&format!("BÁO CÁO KẾT QUẢ SẢN XUẤT VÀ ĐỜI SỐNG THÁNG {month} NĂM {year}"))])
            .row(vec![t(&format!("Thôn: {hamlet}")), t(""), t(""), t(&format!("Tháng: {month:02}/{year}"))])
            .row(vec![])
            .row(vec![t("I. TRỒNG TRỌT")])
            .row(
                ["STT", "Cây trồng", "Diện tích (ha)", "Năng suất (tạ/ha)", "Sản lượng (tấn)", "Ghi chú"]
                    .map(t)
                    .to_vec(),
            );
        let mut n = 0;
        for (label, code) in CROPS {
            let stt = if label.starts_with('-') {
                t("")
            } else {
                n += 1;
                Cell::Number(n as f64)
            };
            let cols = ["dien_tich", "nang_suat", "san_luong"].map(|c| fig(&format!("{code}.{c}")));
            s.rows.push([vec![stt, t(label)], cols.to_vec()].concat());
        }
        s.rows.push(vec![]);
        for (title, head, rows) in [
            ("II. CHĂN NUÔI", ["STT", "Vật nuôi", "ĐVT", "Số lượng", "Ghi chú"], &ANIMALS[..]),
            ("III. LÂM NGHIỆP - HẠ TẦNG", ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện trong tháng", "Ghi chú"], &WORKS[..]),
            ("IV. DÂN SỐ - XÃ HỘI", ["STT", "Chỉ tiêu", "ĐVT", "Số lượng", "Ghi chú"], &SOCIAL[..]),
        ] {
            s.rows.push(vec![t(title)]);
            s.rows.push(head.map(t).to_vec());
            for (k, (label, unit, code)) in rows.iter().enumerate() {
                s.rows.push(vec![Cell::Number((k + 1) as f64), t(label), t(unit), fig(code)]);
            }
            s.rows.push(vec![]);
        }
        s
    }

    /// The position of the first cell holding exactly `text`.
    pub fn find(&self, text: &str) -> Option<(usize, usize)> {
        self.rows
            .iter()
            .enumerate()
            .find_map(|(r, row)| row.iter().position(|c| *c == Cell::Text(text.to_string())).map(|c| (r, c)))
    }

    /// The position of the first cell whose text starts with `prefix`.
    pub fn find_starting(&self, prefix: &str) -> Option<(usize, usize)> {
        self.rows.iter().enumerate().find_map(|(r, row)| {
            row.iter().position(|c| matches!(c, Cell::Text(t) if t.starts_with(prefix))).map(|c| (r, c))
        })
    }

    pub fn set(&mut self, row: usize, col: usize, cell: Cell) {
        if self.rows.len() <= row {
            self.rows.resize(row + 1, Vec::new());
        }
        let r = &mut self.rows[row];
        if r.len() <= col {
            r.resize(col + 1, Cell::Empty);
        }
        r[col] = cell;
    }

    pub fn insert_row(&mut self, at: usize, cells: Vec<Cell>) {
        self.rows.insert(at.min(self.rows.len()), cells);
    }

    /// A column inserted before `at` on every row, `fill(row)` in it.
    pub fn insert_col(&mut self, at: usize, fill: impl Fn(usize) -> Cell) {
        for (r, row) in self.rows.iter_mut().enumerate() {
            if row.len() < at {
                row.resize(at, Cell::Empty);
            }
            row.insert(at, fill(r));
        }
    }
}

/// Writes sheets as an .xlsx workbook with rust_xlsxwriter.
pub fn write_xlsx(path: &Path, sheets: &[Sheet]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for s in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(&s.name).unwrap();
        // Merged first: the top-left cell's value is written over the merge.
        for &(r0, c0, r1, c1) in &s.merges {
            ws.merge_range(r0, c0, r1, c1, "", &rust_xlsxwriter::Format::new()).unwrap();
        }
        for &c in &s.hidden_cols {
            ws.set_column_hidden(c).unwrap();
        }
        for (r, row) in s.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell {
                    Cell::Empty => {}
                    Cell::Text(t) => {
                        ws.write_string(r, c, t).unwrap();
                    }
                    Cell::Number(v) => {
                        ws.write_number(r, c, *v).unwrap();
                    }
                    Cell::Formula(f) => {
                        ws.write_formula(r, c, rust_xlsxwriter::Formula::new(f).set_result("")).unwrap();
                    }
                    Cell::Cached(f, v) => {
                        ws.write_formula(r, c, rust_xlsxwriter::Formula::new(f).set_result(v.to_string())).unwrap();
                    }
                }
            }
        }
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap();
    }
    wb.save(path).unwrap();
}
