//! Which cell holds a figure, and in what unit (issue 10): several headers
//! naming one column, units written in labels and headers, merged and
//! hidden cells. Each case is the shipped form changed the way hamlets do,
//! and asserts the totals and exactly the findings that say why.

use crate::builder::{Cell, Sheet, write_xlsx};
use crate::reading::consistent_figures;
use crate::util::*;

/// Reads one hamlet's June 2024 report, written from `sheet`.
fn read_one(sheet: Sheet) -> Report {
    let dir = tempdir();
    write_xlsx(&dir.path().join("2024-06").join("Lac Son.xlsx"), &[sheet]);
    validate_json(&[dir.path()], &[]).1
}

/// The warnings and errors of a report, as (rule, cell), but the hamlets
/// that did not send one.
fn said(r: &Report) -> Vec<(String, String)> {
    r.findings
        .iter()
        .filter(|f| f.severity != "info" && f.rule != "chua_nop")
        .map(|f| (f.rule.clone(), f.cell.clone().unwrap_or_default()))
        .collect()
}

fn form() -> Sheet {
    Sheet::form("Lạc Sơn", 6, 2024, consistent_figures)
}

/// Every total is the clean form's.
fn same_totals(r: &Report) {
    let clean = read_one(form());
    for t in &clean.totals {
        assert_eq!(r.total_value(&t.indicator), t.value, "{}: {:#?}", t.indicator, r.findings);
    }
}

/// An empty column put before the header `before`, titled `title`.
fn clear_column_before(s: &mut Sheet, before: &str, title: &str) {
    let (r, c) = s.find(before).expect("header");
    for (i, row) in s.rows.iter_mut().enumerate() {
        if row.len() > c {
            row.insert(c, if i == r { Cell::from(title) } else { Cell::Empty });
        }
    }
}

/// A column of other figures put before the header `before` on its table's
/// rows only, titled `title`; where the title went.
fn column_before(s: &mut Sheet, before: &str, title: &str, value: f64) -> (usize, usize) {
    let (r, c) = s.find(before).expect("header");
    let end = (r + 1..s.rows.len()).find(|&i| s.rows[i].is_empty()).unwrap_or(s.rows.len());
    for (i, row) in s.rows.iter_mut().enumerate() {
        if row.len() > c {
            let cell = match i {
                i if i == r => Cell::from(title),
                i if i > r && i < end => Cell::Number(value),
                _ => Cell::Empty,
            };
            row.insert(c, cell);
        }
    }
    (r, c)
}

#[test]
fn another_months_column_is_never_read_for_this_month() {
    let mut s = form();
    let (r, c) = s.find("Thực hiện trong tháng").unwrap();
    s.set(r, c, Cell::from("Thực hiện tháng 6"));
    let at = column_before(&mut s, "Thực hiện tháng 6", "Thực hiện tháng 5", 777.0);
    let r = read_one(s);
    same_totals(&r);
    let header = format!("{}{}", (b'A' + at.1 as u8 + 1) as char, at.0 + 1);
    assert_eq!(said(&r), [("cot_trung".to_string(), header)]);
}

#[test]
fn last_years_area_beside_this_years_is_never_read() {
    let mut s = form();
    let (r, c) = s.find("Diện tích (ha)").unwrap();
    s.set(r, c, Cell::from("Diện tích năm 2024 (ha)"));
    column_before(&mut s, "Diện tích năm 2024 (ha)", "Diện tích năm 2023 (ha)", 5.0);
    let r = read_one(s);
    same_totals(&r);
    assert_eq!(said(&r).iter().map(|s| s.0.as_str()).collect::<Vec<_>>(), ["cot_trung"]);
}

#[test]
fn area_in_two_units_is_read_in_the_forms_unit_and_the_other_said() {
    let mut s = form();
    column_before(&mut s, "Diện tích (ha)", "Diện tích (sào)", 1000.0);
    let r = read_one(s);
    same_totals(&r);
    assert_eq!(said(&r).iter().map(|s| s.0.as_str()).collect::<Vec<_>>(), ["cot_trung"]);
}

#[test]
fn a_column_of_another_month_alone_is_not_read_and_said() {
    let mut s = form();
    let (r, c) = s.find("Thực hiện trong tháng").unwrap();
    s.set(r, c, Cell::from("Thực hiện tháng 5"));
    let rep = read_one(s);
    let header = format!("{}{}", (b'A' + c as u8) as char, r + 1);
    assert_eq!(said(&rep), [("cot_trung".to_string(), header)]);
    let f = &rep.with_rule("cot_trung")[0];
    assert!(f.message.contains("06/2024"), "{f:#?}");
    for code in ["trong_rung", "duong_noi_dong", "ranh_thoat_nuoc"] {
        let t = rep.total(code);
        assert_eq!(
            (t.value, t.has_errors, &t.unread_hamlets[..]),
            (None, true, &["Lạc Sơn".to_string()][..]),
            "{code}"
        );
    }
    assert_eq!(rep.total_value("trau"), consistent_figures("trau"));
}

/// The cell of a row's figure: the row labelled `label`, column `col`.
fn cell_of(s: &Sheet, label: &str, col: usize) -> String {
    let (r, _) = s.find(label).expect("label");
    format!("{}{}", (b'A' + col as u8) as char, r + 1)
}

#[test]
fn a_unit_after_a_row_label_converts_its_figure() {
    let mut s = form();
    let (r, c) = s.find("Đường giao thông nội đồng").unwrap();
    s.set(r, c, Cell::from("Đường giao thông nội đồng (km)"));
    s.set(r, c + 1, Cell::Empty);
    s.set(r, c + 2, Cell::Number(0.04));
    let (r, c) = s.find("Gia cầm").unwrap();
    s.set(r, c, Cell::from("Gia cầm (nghìn con)"));
    s.set(r, c + 1, Cell::Empty);
    s.set(r, c + 2, Cell::Number(6.0));
    let rep = read_one(s);
    same_totals(&rep);
    assert_eq!(said(&rep), []);
    assert_eq!(rep.with_rule("doi_don_vi").len(), 2, "{:#?}", rep.findings);
}

#[test]
fn a_unit_in_the_header_of_a_table_of_row_units_converts_each_row_that_it_can() {
    let mut s = form();
    let (r, c) = s.find("Số lượng").unwrap();
    s.set(r, c, Cell::from("Số lượng (nghìn con)"));
    for label in ["Trâu", "Bò", "Lợn", "Gia cầm"] {
        let (r, c) = s.find(label).unwrap();
        let Cell::Number(v) = s.rows[r][c + 2] else { panic!("{label}") };
        s.set(r, c + 1, Cell::Empty);
        s.set(r, c + 2, Cell::Number(v / 1000.0));
    }
    let rep = read_one(s);
    // "Đàn ong" is counted in swarms (its ĐVT): the header is not its unit.
    same_totals(&rep);
    assert_eq!(said(&rep), []);
    let converted = rep.with_rule("doi_don_vi");
    assert_eq!(converted.len(), 1, "said once for the column: {converted:#?}");
}

#[test]
fn a_header_unit_that_disagrees_with_the_rows_leaves_them_out() {
    let mut s = form();
    let (r, c) = s.find("Số lượng").unwrap();
    s.set(r, c, Cell::from("Số lượng (nghìn con)"));
    let rep = read_one(s);
    // ĐVT "con" under "(nghìn con)": 120 of which?
    let cells: Vec<String> = ["Trâu", "Bò", "Lợn", "Gia cầm"].iter().map(|l| cell_of(&form(), l, 3)).collect();
    let want: Vec<(String, String)> = cells.into_iter().map(|c| ("sai_don_vi".to_string(), c)).collect();
    assert_eq!(said(&rep), want);
    assert_eq!(rep.total_value("trau"), None);
    assert_eq!(rep.total_value("ong"), consistent_figures("ong"));
}

#[test]
fn units_that_disagree_leave_the_figure_out_and_say_so() {
    let mut s = form();
    let (r, c) = s.find("Thực hiện trong tháng").unwrap();
    s.set(r, c, Cell::from("Thực hiện trong tháng (m)"));
    let (r, c) = s.find("Đường giao thông nội đồng").unwrap();
    s.set(r, c + 1, Cell::from("km"));
    let at = cell_of(&s, "Đường giao thông nội đồng", c + 2);
    let rep = read_one(s);
    assert_eq!(said(&rep), [("sai_don_vi".to_string(), at)]);
    assert_eq!(rep.total_value("duong_noi_dong"), None);
    assert_eq!(rep.total_value("ranh_thoat_nuoc"), consistent_figures("ranh_thoat_nuoc"));
    assert_eq!(rep.total_value("trong_rung"), consistent_figures("trong_rung"));
}

#[test]
fn a_rows_unit_speaks_only_for_the_columns_it_measures() {
    let mut s = form();
    let (r, c) = s.find("Diện tích (ha)").unwrap();
    s.set(r, c, Cell::from("Diện tích"));
    clear_column_before(&mut s, "Diện tích", "ĐVT");
    for label in ["Lạc", "Sắn", "Ngô"] {
        let (r, c) = s.find(label).unwrap();
        s.set(r, c + 1, Cell::from("ha"));
    }
    // Lạc's area in sào: its yield (tạ/ha) and output (tấn) stay as written.
    let (r, c) = s.find("Lạc").unwrap();
    s.set(r, c + 1, Cell::from("sào"));
    s.set(r, c + 2, Cell::Number(25.0 / 0.036));
    let rep = read_one(s);
    let clean = read_one(form());
    for t in &clean.totals {
        let got = rep.total_value(&t.indicator);
        match (got, t.value) {
            (Some(a), Some(b)) => assert!(close(a, b), "{}: {a} vs {b}", t.indicator),
            _ => assert_eq!(got, t.value, "{}: {:#?}", t.indicator, rep.findings),
        }
    }
    assert_eq!(said(&rep), []);
}

#[test]
fn a_length_typed_with_a_point_is_never_taken_a_thousand_times_quietly() {
    let mut s = form();
    let (r, c) = s.find("Đường giao thông nội đồng").unwrap();
    s.set(r, c + 2, Cell::from("0.040 km"));
    let (r, c) = s.find("Rãnh thoát nước").unwrap();
    s.set(r, c + 2, Cell::from("12.000"));
    let at = format!("{}{}", (b'A' + c as u8 + 2) as char, r + 1);
    let rep = read_one(s);
    // "0.040": no group of thousands begins with 0.
    assert_eq!(rep.total_value("duong_noi_dong"), Some(40.0));
    // "12.000" m: 12 000 or 12,000? Read as thousands, and the total marked.
    assert_eq!(said(&rep), [("so_dang_chu_mo_ho".to_string(), at)]);
    let f = &rep.with_rule("so_dang_chu_mo_ho")[0];
    assert_eq!((f.severity.as_str(), f.actual, f.expected), ("error", Some(12000.0), Some(12.0)));
    let total = rep.total("ranh_thoat_nuoc");
    assert!(total.has_errors, "{total:#?}");
}

#[test]
fn an_unknown_first_row_is_said_and_a_row_of_column_numbers_is_not() {
    let mut s = form();
    let (r, c) = s.find("Trâu").unwrap();
    s.set(r, c, Cell::from("Trâu cày kéo"));
    let at = format!("{}{}", (b'A' + c as u8) as char, r + 1);
    // Column numbers under the crops header, as printed forms have.
    let (h, _) = s.find("Cây trồng").unwrap();
    let numbers = ["A", "B", "1", "2", "3", "4"].map(Cell::from).to_vec();
    s.insert_row(h + 1, numbers);
    let at = format!("{}{}", &at[..1], at[1..].parse::<usize>().unwrap() + 1);
    let rep = read_one(s);
    assert_eq!(said(&rep), [("nhan_la".to_string(), at)], "{:#?} {:?}", rep.findings, rep.total_value("trau"));
    assert_eq!(rep.total_value("trau"), None);
    assert_eq!(rep.total_value("lua_xuan.dien_tich"), consistent_figures("lua_xuan.dien_tich"));
}

#[test]
fn a_figure_merged_over_two_rows_is_no_ones() {
    let mut s = form();
    let (r, c) = s.find("Trâu").unwrap();
    s.set(r + 1, c + 2, Cell::Empty);
    s.merges.push((r as u32, (c + 2) as u16, (r + 1) as u32, (c + 2) as u16));
    let at = cell_of(&s, "Trâu", c + 2);
    let rep = read_one(s);
    assert_eq!(said(&rep), [("o_gop".to_string(), at)]);
    for code in ["trau", "bo", "trau_bo"] {
        let t = rep.total(code);
        assert_eq!((t.value, t.has_errors), (None, true), "{code}");
    }
    assert_eq!(rep.total_value("lon"), consistent_figures("lon"));
}

#[test]
fn a_merged_title_or_label_casts_no_doubt() {
    let mut s = form();
    // The title over the whole form, and a label merged over two columns.
    s.merges.push((0, 0, 0, 5));
    let (r, c) = s.find("Lợn").unwrap();
    s.merges.push((r as u32, c as u16, r as u32, (c + 1) as u16));
    s.set(r, c + 1, Cell::Empty);
    let rep = read_one(s);
    same_totals(&rep);
    assert_eq!(said(&rep), []);
}

#[test]
fn a_hidden_column_gives_way_to_the_one_in_sight_and_alone_is_read_but_said() {
    let mut s = form();
    let (r, c) = column_before(&mut s, "Thực hiện trong tháng", "Thực hiện trong tháng", 999.0);
    s.hidden_cols.push(c as u16);
    let rep = read_one(s);
    same_totals(&rep);
    let header = format!("{}{}", (b'A' + c as u8 + 1) as char, r + 1);
    assert_eq!(said(&rep), [("cot_trung".to_string(), header)]);
    // Alone, a hidden column is what there is: read, and said once.
    let mut s = form();
    s.hidden_cols.push(3);
    let rep = read_one(s);
    same_totals(&rep);
    let hidden = said(&rep);
    assert_eq!(hidden.iter().map(|h| h.0.as_str()).collect::<Vec<_>>(), ["cot_an"], "{hidden:?}");
    assert!(rep.with_rule("cot_an")[0].message.starts_with("Cột D "), "{:#?}", rep.with_rule("cot_an"));
}

/// A sheet of three hamlets side by side, as a clerk lays one out, from
/// the header rows given.
fn side_by_side(header: Vec<Vec<&str>>, rows: Vec<(&str, &str, Vec<f64>)>) -> Sheet {
    let t = |s: &str| Cell::from(s);
    let mut sheet = Sheet::new("Tổng hợp").row(vec![t("BÁO CÁO TỔNG HỢP CÁC THÔN THÁNG 6 NĂM 2024")]).row(vec![]);
    for h in header {
        sheet = sheet.row(h.into_iter().map(t).collect());
    }
    for (k, (label, unit, figures)) in rows.into_iter().enumerate() {
        let mut row = vec![Cell::Number(k as f64 + 1.0), t(label), t(unit)];
        row.extend(figures.into_iter().map(Cell::Number));
        sheet = sheet.row(row);
    }
    sheet
}

fn read_sheet(sheet: Sheet) -> Report {
    let dir = tempdir();
    write_xlsx(&dir.path().join("Tong hop thon T6.xlsx"), &[sheet]);
    validate_json(&[dir.path()], &[]).1
}

#[test]
fn side_by_side_plan_and_done_under_each_hamlet_the_done_is_read() {
    let mut sheet = side_by_side(
        vec![
            vec!["STT", "Chỉ tiêu", "ĐVT", "Lạc Thanh", "", "Lạc Hòa", "", "Tổng cộng", ""],
            vec!["", "", "", "KH", "TH", "Kế hoạch", "Thực hiện", "KH", "TH"],
        ],
        vec![("Trâu", "con", vec![130.0, 120.0, 100.0, 110.0, 230.0, 230.0])],
    );
    sheet.merges.extend([(2, 3, 2, 4), (2, 5, 2, 6), (2, 7, 2, 8)]);
    let r = read_sheet(sheet);
    assert_eq!(r.total_value("trau"), Some(230.0), "{:#?}", r.findings);
    assert_eq!(said(&r), []);
}

#[test]
fn side_by_side_a_hamlet_named_twice_is_not_read() {
    let sheet = side_by_side(
        vec![vec!["STT", "Chỉ tiêu", "ĐVT", "Lạc Thanh", "Lạc Hòa", "Lạc Hòa"]],
        vec![("Trâu", "con", vec![120.0, 110.0, 112.0])],
    );
    let r = read_sheet(sheet);
    assert_eq!(said(&r), [("cot_trung".to_string(), "E3".to_string())]);
    let subs: Vec<(Option<&str>, &str)> =
        r.submissions.iter().map(|s| (s.hamlet.as_deref(), s.status.as_str())).collect();
    assert_eq!(subs, [(Some("Lạc Thanh"), "accepted"), (Some("Lạc Hòa"), "rejected")]);
    assert_eq!(r.total_value("trau"), Some(120.0));
}

#[test]
fn side_by_side_months_under_each_hamlet_are_not_guessed() {
    let sheet = side_by_side(
        vec![
            vec!["STT", "Chỉ tiêu", "ĐVT", "Lạc Thanh", "", "Lạc Hòa", ""],
            vec!["", "", "", "Tháng 5", "Tháng 6", "Tháng 5", "Tháng 6"],
        ],
        vec![("Trâu", "con", vec![118.0, 120.0, 108.0, 110.0])],
    );
    let r = read_sheet(sheet);
    let rules: Vec<String> = said(&r).into_iter().map(|s| s.0).collect();
    assert_eq!(rules, ["cot_trung", "cot_trung"], "{:#?}", r.findings);
    assert!(r.submissions.iter().all(|s| s.status == "rejected"), "{:#?}", r.submissions);
    assert!(r.totals.iter().all(|t| t.value.is_none()), "{:#?}", r.totals);
}
