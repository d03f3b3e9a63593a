//! Figures missing from a report are never a silent zero (issue 10): a
//! blank that cannot be zero, a table left blank, a row or table not on the
//! sheet, months not sent. Each is said, and the totals that lack it are
//! marked and not rated.

use std::path::Path;

use crate::builder::{Cell, Sheet, write_xlsx};
use crate::reading::consistent_figures;
use crate::util::*;

/// June reports of two hamlets: Lạc Hòa's clean, Lạc Sơn's `changed`.
fn two(dir: &Path, changed: Sheet) -> Report {
    let month = dir.join("2024-06");
    write_xlsx(&month.join("Lac Hoa.xlsx"), &[Sheet::form("Lạc Hòa", 6, 2024, consistent_figures)]);
    write_xlsx(&month.join("Lac Son.xlsx"), &[changed]);
    validate_json(&[dir], &[]).1
}

fn son() -> Sheet {
    Sheet::form("Lạc Sơn", 6, 2024, consistent_figures)
}

fn blank(s: &mut Sheet, label: &str, col: usize) -> String {
    let (r, c) = s.find(label).unwrap_or_else(|| panic!("{label}"));
    s.set(r, c + col, Cell::Empty);
    format!("{}{}", (b'A' + (c + col) as u8) as char, r + 1)
}

#[test]
fn parts_left_blank_under_a_total_that_is_written_are_missing() {
    let dir = tempdir();
    let mut s = son();
    // "Lúa cả năm" 20 ha, the two seasons' areas blank.
    let xuan = blank(&mut s, "- Lúa vụ xuân", 1);
    blank(&mut s, "- Lúa vụ hè thu", 1);
    let r = two(dir.path(), s);
    let f = r.finding_at("thieu_so", &xuan);
    assert_eq!(f.severity, "warning");
    assert_eq!(r.with_rule("thieu_so").len(), 2, "{:#?}", r.with_rule("thieu_so"));
    let t = r.total("lua_xuan.dien_tich");
    assert_eq!((t.value, t.has_errors, t.rating.as_deref()), (Some(12.0), true, Some("needs_check")));
    assert_eq!(t.unread_hamlets, ["Lạc Sơn"]);
}

#[test]
fn a_whole_left_blank_under_its_parts_is_missing() {
    let dir = tempdir();
    let mut s = son();
    let ho = blank(&mut s, "Tổng số hộ", 2);
    let r = two(dir.path(), s);
    r.finding_at("thieu_so", &ho);
    let t = r.total("ho");
    assert_eq!((t.value, t.has_errors), (Some(185.0), true));
    assert!(r.total("ty_le_ho_ngheo").has_errors);
}

#[test]
fn a_table_left_blank_where_another_hamlet_filled_it_is_missing_once() {
    let dir = tempdir();
    let mut s = son();
    for label in ["Trâu", "Bò", "Lợn", "Gia cầm", "Đàn ong"] {
        blank(&mut s, label, 2);
    }
    let r = two(dir.path(), s);
    let said = r.with_rule("thieu_so");
    assert_eq!(said.len(), 1, "{said:#?}");
    assert!(said[0].message.contains("cả bảng \"Chăn nuôi\""), "{said:#?}");
    for code in ["trau", "lon", "ong"] {
        let t = r.total(code);
        assert_eq!((t.value, t.has_errors), (consistent_figures(code), true), "{code}");
    }
}

#[test]
fn blanks_that_may_be_zero_are_left_alone() {
    let dir = tempdir();
    let mut s = son();
    // Beans not grown, no bees, no road this month: nothing says otherwise.
    for (label, col) in [
        ("Đậu các loại", 1),
        ("Đậu các loại", 2),
        ("Đậu các loại", 3),
        ("Đàn ong", 2),
        ("Đường giao thông nội đồng", 2),
    ] {
        blank(&mut s, label, col);
    }
    let r = two(dir.path(), s);
    assert!(r.with_rule("thieu_so").is_empty(), "{:#?}", r.with_rule("thieu_so"));
    assert!(!r.total("ong").has_errors);
    assert_eq!(r.total_value("ong"), consistent_figures("ong"));
}

#[test]
fn a_table_not_on_the_sheet_leaves_its_totals_lacking_that_hamlet() {
    let dir = tempdir();
    let mut s = son();
    // The livestock table deleted: its header and rows.
    let (r0, _) = s.find("II. CHĂN NUÔI").unwrap();
    let (r1, _) = s.find("III. LÂM NGHIỆP - HẠ TẦNG").unwrap();
    s.rows.drain(r0..r1);
    let r = two(dir.path(), s);
    assert!(!r.with_rule("thieu_bang").is_empty());
    let t = r.total("lon");
    assert_eq!(
        (t.value, t.has_errors, &t.unread_hamlets[..]),
        (consistent_figures("lon"), true, &["Lạc Sơn".to_string()][..])
    );
}

#[test]
fn a_figure_one_cell_off_is_said_and_its_row_counts_as_missing() {
    let dir = tempdir();
    let mut s = son();
    let (r, c) = s.find("Lợn").unwrap();
    s.set(r, c + 2, Cell::Empty);
    // Ghi chú is the column after the figure.
    s.set(r, c + 3, Cell::Number(400.0));
    let at = format!("{}{}", (b'A' + (c + 3) as u8) as char, r + 1);
    let rep = two(dir.path(), s);
    let f = rep.finding_at("so_lech_cot", &at);
    assert_eq!(f.severity, "warning");
    let t = rep.total("lon");
    assert_eq!((t.value, t.has_errors, &t.unread_hamlets[..]), (Some(400.0), true, &["Lạc Sơn".to_string()][..]));
}

#[test]
fn a_stale_formula_is_not_read() {
    let dir = tempdir();
    let mut s = son();
    // Trâu = two cells to the right that now add up to 130, the value stored 120.
    let (r, c) = s.find("Trâu").unwrap();
    let (a, b) = ((b'A' + (c + 5) as u8) as char, (b'A' + (c + 6) as u8) as char);
    s.set(r, c + 5, Cell::Number(100.0));
    s.set(r, c + 6, Cell::Number(30.0));
    s.set(r, c + 2, Cell::Cached(format!("={a}{}+{b}{}", r + 1, r + 1), 120.0));
    // And one that is up to date.
    let (r2, c2) = s.find("Bò").unwrap();
    s.set(r2, c2 + 2, Cell::Cached("=75+75".to_string(), 150.0));
    let rep = two(dir.path(), s);
    let at = format!("{}{}", (b'A' + (c + 2) as u8) as char, r + 1);
    let f = rep.finding_at("cong_thuc_chua_tinh", &at);
    assert_eq!((f.expected, f.actual), (Some(130.0), Some(120.0)), "{f:#?}");
    assert_eq!(rep.with_rule("cong_thuc_chua_tinh").len(), 1);
    assert!(rep.total("trau").has_errors);
    assert_eq!(rep.total_value("bo"), Some(300.0));
    assert!(!rep.total("bo").has_errors);
}

#[test]
fn a_quarters_report_is_no_months_and_a_year_to_date_adds_no_flow() {
    let dir = tempdir();
    let mut s = son();
    s.set(0, 0, Cell::from("BÁO CÁO KẾT QUẢ SẢN XUẤT QUÝ II NĂM 2024"));
    let r = two(dir.path(), s);
    assert_eq!(r.with_rule("khong_phai_thang").len(), 1, "{:#?}", r.findings);
    let son: Vec<&str> =
        r.submissions.iter().filter(|s| s.file.contains("Lac Son")).map(|s| s.status.as_str()).collect();
    assert_eq!(son, ["rejected"]);
    let dir = tempdir();
    let mut s = Sheet::form("Lạc Sơn", 6, 2024, consistent_figures);
    s.set(0, 0, Cell::from("BÁO CÁO LŨY KẾ ĐẾN HẾT THÁNG 6 NĂM 2024"));
    let r = two(dir.path(), s);
    assert_eq!(r.with_rule("khong_phai_thang")[0].severity, "warning");
    // Its road is not added; its pigs are.
    assert_eq!(r.total_value("duong_noi_dong"), consistent_figures("duong_noi_dong"));
    assert_eq!(r.total_value("lon"), Some(800.0));
    assert!(r.total("duong_noi_dong").has_errors);
}

#[test]
fn a_table_whose_header_names_no_column_borrows_none_from_the_table_above() {
    let dir = tempdir();
    let mut s = son();
    // Table III's figures under "Tháng 5/2024" and "Tháng 6/2024", no "Thực hiện".
    let (r, c) = s.find("Thực hiện trong tháng").unwrap();
    s.set(r, c, Cell::from("Tháng 5/2024"));
    s.set(r, c + 1, Cell::from("Tháng 6/2024"));
    let rep = two(dir.path(), s);
    for code in ["trong_rung", "duong_noi_dong", "ranh_thoat_nuoc"] {
        let t = rep.total(code);
        assert!(t.has_errors, "{code}: {t:#?}");
        assert_eq!(t.value, consistent_figures(code), "{code}: only Lạc Hòa's");
    }
}

#[test]
fn a_row_of_figures_that_begins_with_a_columns_words_is_no_header() {
    let dir = tempdir();
    let mut s = son();
    // "Tổng đàn trâu" for "Trâu": it begins with "Tổng đàn", a name of the column.
    let (r, c) = s.find("Trâu").unwrap();
    s.set(r, c, Cell::from("Tổng đàn trâu"));
    let rep = two(dir.path(), s);
    assert_eq!(rep.total_value("lon"), Some(800.0), "{:#?}", rep.findings);
    assert_eq!(rep.total_value("bo"), Some(300.0));
    assert!(rep.total("trau").has_errors);
    assert!(!rep.with_rule("nhan_la").is_empty());
}

#[test]
fn a_row_written_twice_with_other_figures_is_not_read() {
    let dir = tempdir();
    let mut s = son();
    let (r, c) = s.find("Lợn").unwrap();
    let again = r + 40;
    s.set(again, c, Cell::from("Lợn"));
    s.set(again, c + 2, Cell::Number(420.0));
    let rep = two(dir.path(), s);
    let f = rep.finding_at("dong_trung", &format!("{}{}", (b'A' + c as u8) as char, again + 1));
    assert!(f.message.contains("khác nhau"), "{f:#?}");
    let t = rep.total("lon");
    assert_eq!((t.value, t.has_errors), (Some(400.0), true));
}

#[test]
fn two_versions_that_differ_leave_their_totals_unrated() {
    let dir = tempdir();
    let month = dir.path().join("2024-06");
    write_xlsx(&month.join("Lac Hoa.xlsx"), &[Sheet::form("Lạc Hòa", 6, 2024, consistent_figures)]);
    let mut older = son();
    let (r, c) = older.find("Lợn").unwrap();
    older.set(r, c + 2, Cell::Number(380.0));
    // The older copy kept in "cũ/": the one outside is used, whenever saved.
    write_xlsx(&month.join("cũ").join("Lac Son.xlsx"), &[older]);
    write_xlsx(&month.join("Lac Son.xlsx"), &[son()]);
    let r = validate_json(&[dir.path()], &[]).1;
    let used: Vec<(&str, &str)> = r
        .submissions
        .iter()
        .filter(|s| s.file.contains("Lac Son"))
        .map(|s| (s.file.as_str(), s.status.as_str()))
        .collect();
    assert_eq!(used, [("2024-06/Lac Son.xlsx", "accepted"), ("2024-06/cũ/Lac Son.xlsx", "superseded")]);
    let t = r.total("lon");
    assert_eq!((t.value, t.has_errors), (Some(800.0), true));
    assert!(!r.total("trau").has_errors, "the figures that agree are rated");
}
