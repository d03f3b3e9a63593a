//! A test that hunts silent errors. Clean reports of six hamlets are changed
//! the ways people change them (rows and columns inserted, tables moved, a
//! plan column, labels swapped for their variants, no diacritics, TCVN3,
//! headings, the national motto and a signing date, hamlet names with
//! "Thôn", the month written other ways, numbers typed as text, a header
//! split over two rows, files renamed and moved into subfolders), with a
//! fixed seed. For every variant, each total equals the clean one or a
//! finding explains the difference; no figure is ever filed under another
//! hamlet. `make test` runs 300 variants; TONGHOP_METAMORPHIC=N runs N.

use std::path::Path;

use crate::builder::{Cell, Sheet, write_xlsx};
use crate::util::*;

/// A small, fixed pseudo-random sequence (xorshift64*): the same variants
/// on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const HAMLETS: [(&str, &str); 6] = [
    ("Lạc Thanh", "Lac Thanh"),
    ("Lạc Thắng", "Lac Thang"),
    ("Lạc Hòa", "Lac Hoa"),
    ("Lạc Sơn", "Lac Son"),
    ("Lạc Tiến", "Lac Tien"),
    ("Lạc Phú", "Lac Phu"),
];

/// A hamlet's figures: those of `consistent_figures`, scaled by hamlet, and
/// still agreeing with every rule.
fn figures(h: usize) -> impl Fn(&str) -> Option<f64> {
    let f = 1.0 + 0.1 * h as f64;
    move |code: &str| {
        let base = crate::reading::consistent_figures;
        let round = |v: f64, d: i32| (v * 10f64.powi(d)).round() / 10f64.powi(d);
        let area = |crop: &str| round(base(&format!("{crop}.dien_tich")).unwrap_or(0.0) * f, 1);
        let yld = |crop: &str| base(&format!("{crop}.nang_suat")).unwrap_or(0.0);
        let (crop, col) = code.split_once('.').unwrap_or((code, ""));
        match (crop, col) {
            ("lua", "dien_tich") => Some(area("lua_xuan") + area("lua_he_thu")),
            ("lua", "san_luong") => Some(
                round(area("lua_xuan") * yld("lua_xuan") / 10.0, 2)
                    + round(area("lua_he_thu") * yld("lua_he_thu") / 10.0, 2),
            ),
            ("lua", "nang_suat") => None,
            (_, "dien_tich") => Some(area(crop)),
            (_, "nang_suat") => Some(yld(crop)),
            (_, "san_luong") => Some(round(area(crop) * yld(crop) / 10.0, 2)),
            _ => base(code).map(|v| (v * f).round()),
        }
    }
}

/// Row labels and their variants in the shipped schema.
const VARIANTS: [(&str, &[&str]); 9] = [
    ("- Lúa vụ xuân", &["Lúa xuân", "Lúa Đông Xuân", "+ Vụ Đông Xuân"]),
    ("- Lúa vụ hè thu", &["Lúa hè thu", "+ Vụ hè thu"]),
    ("Sắn", &["Sắn (mì)", "Khoai mì"]),
    ("Ngô", &["Bắp", "Ngô (bắp)"]),
    ("Lợn", &["Heo", "Đàn lợn"]),
    ("Gia cầm", &["Đàn gia cầm", "Gà, vịt"]),
    ("Tổng số nhân khẩu", &["Nhân khẩu", "Tổng nhân khẩu"]),
    ("Số người tham gia BHYT", &["Số người có thẻ BHYT", "Tham gia BHYT"]),
    ("Đường giao thông nội đồng", &["Đường nội đồng", "Đường GTNĐ"]),
];

/// The TCVN3 (ABC) byte of each Vietnamese letter it has; capitals with a
/// tone have none, and are written as their small letter, as .VnTime does.
const TCVN3: &str = "ăâêôơưđàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵĂÂÊÔƠƯĐ";
const TCVN3_BYTES: [u8; 74] = [
    0xA8, 0xA9, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9, 0xBB, 0xBC, 0xBD, 0xBE, 0xC6, 0xC7, 0xC8,
    0xC9, 0xCA, 0xCB, 0xCC, 0xCE, 0xCF, 0xD0, 0xD1, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xDC, 0xDD, 0xDE, 0xDF,
    0xE1, 0xE2, 0xE3, 0xE4, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9, 0xEA, 0xEB, 0xEC, 0xED, 0xEE, 0xEF, 0xF1, 0xF2, 0xF3, 0xF4,
    0xF5, 0xF6, 0xF7, 0xF8, 0xF9, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7,
];

fn tcvn3(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfc()
        .map(|c| {
            let small = if TCVN3.contains(c) { c } else { c.to_lowercase().next().unwrap_or(c) };
            match TCVN3.chars().position(|x| x == small) {
                Some(i) if TCVN3.contains(c) || small != c => char::from(TCVN3_BYTES[i]),
                _ => c,
            }
        })
        .collect()
}

fn map_texts(s: &mut Sheet, f: impl Fn(&str) -> String) {
    for row in &mut s.rows {
        for c in row.iter_mut() {
            if let Cell::Text(t) = c {
                *t = f(t);
            }
        }
    }
}

fn fold(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .map(|c| {
            if c == 'đ' {
                'd'
            } else if c == 'Đ' {
                'D'
            } else {
                c
            }
        })
        .collect()
}

/// A figure typed as text, the Vietnamese way: "12,5", "6.000".
fn vietnamese(v: f64) -> String {
    if v.fract() != 0.0 {
        return format!("{v}").replace('.', ",");
    }
    let digits = format!("{}", v as i64);
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(ch);
    }
    out
}

/// A crop column's header renamed to another unit, its figures converted.
fn scale_column(s: &mut Sheet, header_row: usize, col: usize, to: Option<(&str, f64)>) {
    let Some((header, factor)) = to else { return };
    s.set(header_row, col, Cell::from(header));
    for row in s.rows.iter_mut().skip(header_row + 1).take_while(|r| !r.is_empty()) {
        if let Some(Cell::Number(v)) = row.get_mut(col) {
            *v = (*v * factor * 1000.0).round() / 1000.0;
        }
    }
}

/// The table blocks of a form: each from its section title to the blank
/// row after it.
fn move_tables(s: &mut Sheet, rng: &mut Rng) {
    let starts: Vec<usize> = (0..s.rows.len())
        .filter(|&r| matches!(s.rows[r].first(), Some(Cell::Text(t)) if ["I. ", "II. ", "III. ", "IV. "].iter().any(|p| t.starts_with(p))))
        .collect();
    let Some(&first) = starts.first() else { return };
    let mut blocks: Vec<Vec<Vec<Cell>>> = Vec::new();
    for (k, &st) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(s.rows.len());
        blocks.push(s.rows[st..end].to_vec());
    }
    for i in (1..blocks.len()).rev() {
        let j = rng.below(i + 1);
        blocks.swap(i, j);
    }
    s.rows.truncate(first);
    for b in blocks {
        s.rows.extend(b);
    }
}

/// One variant of a hamlet's form, and a description of what was changed.
fn variant(h: usize, rng: &mut Rng) -> (Sheet, String, bool) {
    let (hamlet, _) = HAMLETS[h];
    let mut s = Sheet::form(hamlet, 6, 2024, figures(h));
    let mut did: Vec<String> = Vec::new();
    let mut names_hamlet_in_sheet = true;
    if rng.chance(30) {
        move_tables(&mut s, rng);
        did.push("bảng đổi chỗ".into());
    }
    if rng.chance(30) {
        for (label, vars) in VARIANTS {
            if let Some((r, c)) = s.find(label) {
                s.set(r, c, Cell::from(*rng.pick(vars)));
            }
        }
        did.push("nhãn khác".into());
    }
    if rng.chance(25) {
        // A column of plans beside the figures, before or after them.
        let (r, c) = s.find("Sản lượng (tấn)").unwrap();
        let at = if rng.chance(50) { c } else { c + 1 };
        let header = *rng.pick(&["Kế hoạch sản lượng (tấn)", "Sản lượng KH (tấn)", "Sản lượng cùng kỳ"]);
        s.insert_col(at, |row| if row == r { Cell::from(header) } else { Cell::Number(999.0) });
        did.push(format!("cột \"{header}\""));
    }
    if rng.chance(20) {
        // Output in tạ, areas in m², as some hamlets keep them.
        let (r, c) = s.find("Sản lượng (tấn)").unwrap();
        let (_, a) = s.find("Diện tích (ha)").unwrap();
        let (tons, m2) = (rng.chance(50), rng.chance(50));
        scale_column(&mut s, r, c, if tons { Some(("Sản lượng (tạ)", 10.0)) } else { None });
        scale_column(&mut s, r, a, if m2 { Some(("Diện tích (m2)", 10_000.0)) } else { None });
        did.push(format!("đơn vị khác (tạ: {tons}, m²: {m2})"));
    }
    if rng.chance(20) {
        // The road in km on its ĐVT cell.
        if let Some((r, c)) = s.find("Đường giao thông nội đồng") {
            s.set(r, c + 1, Cell::from("km"));
            if let Some(Cell::Number(v)) = s.rows[r].get(c + 2).cloned() {
                s.set(r, c + 2, Cell::Number(v / 1000.0));
            }
            did.push("đường tính bằng km".into());
        }
    }
    if rng.chance(20) {
        // The figure columns of the crops in another order.
        let (r, c) = s.find_starting("Diện tích (").unwrap();
        let end = s.rows.iter().skip(r + 1).position(|row| row.is_empty()).map_or(s.rows.len(), |k| r + 1 + k);
        for row in &mut s.rows[r..end] {
            if row.len() > c + 2 {
                row.swap(c, c + 2);
            }
        }
        did.push("cột diện tích, sản lượng đổi chỗ".into());
    }
    if rng.chance(20) {
        // A "Tổng cộng" row at the end of the livestock table.
        if let Some((r, c)) = s.find("Đàn ong") {
            s.insert_row(r + 1, vec![Cell::Empty, Cell::from("Tổng cộng"), Cell::from("con"), Cell::Number(6840.0)]);
            let _ = c;
            did.push("dòng tổng cộng".into());
        }
    }
    if rng.chance(20) {
        // "Năng suất" over "(tạ/ha)": a header on two rows.
        let (r, _) = s.find_starting("Năng suất (").or_else(|| s.find_starting("Diện tích (")).unwrap();
        let units: Vec<Cell> = s.rows[r]
            .iter()
            .map(|c| match c {
                Cell::Text(t) if t.contains('(') => Cell::from(&t[t.find('(').unwrap()..]),
                _ => Cell::Empty,
            })
            .collect();
        for c in s.rows[r].iter_mut() {
            if let Cell::Text(t) = c
                && let Some(i) = t.find(" (")
            {
                *t = t[..i].to_string();
            }
        }
        s.insert_row(r + 1, units);
        did.push("tiêu đề hai dòng".into());
    }
    if rng.chance(25) {
        let mut numbered = 0;
        for row in s.rows.iter_mut() {
            for c in row.iter_mut().skip(2) {
                if let Cell::Number(v) = c
                    && rng.chance(30)
                {
                    *c = Cell::Text(vietnamese(*v));
                    numbered += 1;
                }
            }
        }
        did.push(format!("{numbered} số ghi bằng chữ"));
    }
    match rng.below(5) {
        0 => {
            s.set(1, 0, Cell::from(&*format!("Thôn: Thôn {hamlet}")));
            did.push("\"Thôn: Thôn …\"".into());
        }
        1 => {
            s.set(1, 0, Cell::from(&*format!("THÔN {}", hamlet.to_uppercase())));
            did.push("THÔN viết hoa".into());
        }
        2 => {
            s.set(1, 0, Cell::Empty);
            names_hamlet_in_sheet = false;
            did.push("không ghi thôn".into());
        }
        _ => {}
    }
    match rng.below(5) {
        0 => s.set(1, 3, Cell::from("Tháng 6 năm 2024")),
        1 => s.set(1, 3, Cell::from("Kỳ báo cáo: T6/2024")),
        2 => s.set(1, 3, Cell::from("Tháng Sáu năm 2024")),
        _ => {}
    }
    if rng.chance(30) {
        s.insert_row(
            0,
            vec![Cell::from("UBND XÃ"), Cell::Empty, Cell::Empty, Cell::from("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")],
        );
        s.insert_row(1, vec![Cell::Empty, Cell::Empty, Cell::Empty, Cell::from("Độc lập - Tự do - Hạnh phúc")]);
        s.insert_row(2, vec![]);
        let end = s.rows.len();
        s.insert_row(end, vec![Cell::Empty, Cell::Empty, Cell::from(&*format!("{hamlet}, ngày 03 tháng 7 năm 2024"))]);
        s.insert_row(end + 1, vec![Cell::Empty, Cell::Empty, Cell::from("TRƯỞNG THÔN")]);
        did.push("quốc hiệu, ngày ký".into());
    }
    if rng.chance(20) {
        let at = 3 + rng.below(2);
        s.insert_row(at, vec![Cell::from("PHẦN I: KẾT QUẢ SẢN XUẤT VÀ ĐỜI SỐNG")]);
        did.push("đề mục".into());
    }
    for _ in 0..rng.below(3) {
        let at = rng.below(s.rows.len());
        s.insert_row(at, vec![]);
        did.push(format!("dòng trống ở {at}"));
    }
    if rng.chance(30) {
        let at = rng.below(3);
        let filler = rng.below(3);
        s.insert_col(at, |r| match filler {
            0 => Cell::Empty,
            1 if r % 3 == 0 => Cell::from("ghi chú"),
            _ => Cell::Empty,
        });
        did.push(format!("cột chèn ở {at}"));
    }
    match rng.below(8) {
        0 => {
            map_texts(&mut s, fold);
            did.push("không dấu".into());
        }
        1 => {
            map_texts(&mut s, tcvn3);
            did.push("TCVN3".into());
        }
        2 => {
            map_texts(&mut s, |t| t.to_uppercase());
            did.push("chữ hoa".into());
        }
        _ => {}
    }
    (s, did.join(", "), names_hamlet_in_sheet)
}

/// Where a variant's file goes: the hamlet in its name unless the sheet
/// says it, in one of the ways clerks file.
fn file_for(h: usize, rng: &mut Rng, sheet_names_it: bool) -> String {
    let (_, ascii) = HAMLETS[h];
    let name = match rng.below(if sheet_names_it { 6 } else { 4 }) {
        0 => format!("{ascii}.xlsx"),
        1 => format!("BC {ascii} T6.xlsx"),
        2 => format!("Thon {ascii} thang 6.xlsx"),
        3 => format!("{}.xlsx", HAMLETS[h].0),
        4 => format!("bao cao {h}.xlsx"),
        _ => "Báo cáo tháng 6.xlsx".to_string(),
    };
    match rng.below(4) {
        0 => format!("2024-06/{name}"),
        1 => format!("Thang 6-2024/{ascii}/{name}"),
        2 => format!("2024-06/nop lan 1/{name}"),
        _ => format!("T6-2024/{name}"),
    }
}

/// Findings that say a row, a column or a table was not read: a total may
/// lack what they name.
const NOT_READ: [&str; 5] = ["nhan_la", "nhan_mo_ho", "dong_trung", "thieu_cot", "thieu_bang"];

/// What a finding may explain: a report not taken, a row not read, its
/// indicator and the figures it is made of.
fn explains(f: &Finding, code: &str, got: &Report) -> bool {
    if f.severity == "info" {
        return false;
    }
    let rejected = got.submissions.iter().any(|s| s.status != "accepted" && f.file.as_deref() == Some(s.file.as_str()));
    if rejected || NOT_READ.contains(&f.rule.as_str()) {
        return true;
    }
    let Some(ind) = f.indicator.as_deref() else { return false };
    let row = |c: &str| c.split('.').next().unwrap_or(c).to_string();
    let inputs: &[&str] = match code {
        "trau_bo" => &["trau", "bo"],
        "ty_le_ho_ngheo" => &["ho_ngheo", "ho"],
        "ty_le_ho_can_ngheo" => &["ho_can_ngheo", "ho"],
        "ty_le_bhyt" => &["bhyt", "nhan_khau"],
        "ty_le_lao_dong_dao_tao" => &["lao_dong_dao_tao", "lao_dong"],
        "ty_le_tre_sdd" => &["tre_sdd", "tre_duoi_5"],
        _ => &[],
    };
    ind == code || row(ind) == row(code) || inputs.contains(&ind) || (row(code) == "lua" && row(ind).starts_with("lua"))
}

fn run_variants(count: usize) {
    let dir = tempdir();
    let clean = dir.path().join("sach");
    for (h, (hamlet, ascii)) in HAMLETS.iter().enumerate() {
        write_xlsx(&clean.join("2024-06").join(format!("{ascii}.xlsx")), &[Sheet::form(hamlet, 6, 2024, figures(h))]);
    }
    let (_, want) = validate_json(&[&clean], &[]);
    assert!(want.with_severity("error").is_empty() && want.summary.hamlets_reported == 6, "{:#?}", want.findings);
    // Two workers, each its share of the variants; a variant depends only on
    // its number, so the set is the same however they are shared.
    std::thread::scope(|scope| {
        for worker in 0..2 {
            let (dir, clean, want) = (dir.path(), &clean, &want);
            scope.spawn(move || {
                for n in (worker..count).step_by(2) {
                    one_variant(n, dir, clean, want);
                }
            });
        }
    });
}

/// Variant `n`: one hamlet's report changed, the others clean, so that a
/// difference in a total is that report's, and so must its explanation be.
fn one_variant(n: usize, dir: &Path, clean: &Path, want: &Report) {
    let mut rng = Rng(0x7068_6f6e_675f_686f ^ (n as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let h = n % HAMLETS.len();
    let folder = dir.join(format!("v{n}"));
    std::fs::create_dir_all(folder.join("2024-06")).unwrap();
    for (_, (_, ascii)) in HAMLETS.iter().enumerate().filter(|(k, _)| *k != h) {
        let name = format!("{ascii}.xlsx");
        std::fs::copy(clean.join("2024-06").join(&name), folder.join("2024-06").join(&name)).unwrap();
    }
    let (sheet, did, named) = variant(h, &mut rng);
    let mut file = file_for(h, &mut rng, named);
    if HAMLETS.iter().any(|(_, a)| file == format!("2024-06/{a}.xlsx")) {
        file = file.replace(".xlsx", " (moi).xlsx");
    }
    write_xlsx(&folder.join(&file), &[sheet]);
    let files: Vec<(String, &str)> = HAMLETS
        .iter()
        .enumerate()
        .map(|(k, (hamlet, ascii))| (if k == h { file.clone() } else { format!("2024-06/{ascii}.xlsx") }, *hamlet))
        .collect();
    check_variant(&folder, want, &files, &file, &format!("biến thể {n}: {file}: {did}"));
    std::fs::remove_dir_all(&folder).unwrap();
}

fn check_variant(folder: &Path, want: &Report, files: &[(String, &str)], changed: &str, what: &str) {
    let (_, got) = validate_json(&[folder], &[]);
    // Never a figure under another hamlet.
    for s in got.submissions.iter().filter(|s| s.status == "accepted") {
        let (_, hamlet) = files.iter().find(|(f, _)| *f == s.file).unwrap_or_else(|| panic!("{what}\n{s:#?}"));
        assert_eq!(s.hamlet.as_deref(), Some(*hamlet), "{what}\n{s:#?}");
    }
    // Each total the clean one's, or a finding in the changed report says why.
    for t in &want.totals {
        let v = got.total_value(&t.indicator);
        let same = match (t.value, v) {
            (Some(a), Some(b)) => close(a, b),
            (a, b) => a == b,
        };
        if !same {
            let why: Vec<&Finding> =
                got.findings.iter().filter(|f| f.in_file(changed) && explains(f, &t.indicator, &got)).collect();
            assert!(
                !why.is_empty(),
                "{what}\n{}: clean {:?}, variant {v:?}, and no finding says why:\n{:#?}",
                t.indicator,
                t.value,
                got.findings
            );
        }
    }
}

#[test]
fn realistic_changes_never_change_a_total_in_silence() {
    let count = std::env::var("TONGHOP_METAMORPHIC").ok().and_then(|n| n.parse().ok()).unwrap_or(300);
    run_variants(count);
}
