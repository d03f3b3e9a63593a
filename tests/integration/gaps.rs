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
