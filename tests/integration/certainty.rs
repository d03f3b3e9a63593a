//! Never a silent wrong number (issue 10): hamlets and months are found
//! with certainty, and what is uncertain is a finding at its cell.

use std::path::{Path, PathBuf};

use crate::builder::{Cell, Sheet, write_xlsx};
use crate::reading::consistent_figures;
use crate::util::*;

/// A schema for a commune whose hamlets are named by numbers in words, with
/// the shipped form, rules and targets.
pub fn numbered_commune(dir: &Path) -> PathBuf {
    let shipped = root().join("schemas");
    let include: Vec<String> = ["form.toml", "rules.toml", "targets-2024.toml"]
        .iter()
        .map(|f| format!("\"{}\"", shipped.join(f).display()))
        .collect();
    let hamlets: String = ["Thôn Một", "Thôn Hai", "Thôn Ba", "Thôn Tư", "Thôn Năm", "Thôn Sáu"]
        .iter()
        .map(|h| format!("[[hamlet]]\nname = \"{h}\"\n\n"))
        .collect();
    let path = dir.join("xa-moi.toml");
    let text = format!("include = [{}]\n\n[commune]\nname = \"UBND XÃ HƯNG ĐẠO\"\n\n{hamlets}", include.join(", "));
    std::fs::write(&path, text).unwrap();
    path
}

/// A form with the national motto and a signing date, as offices write them.
fn official(hamlet: &str, month: u32, year: i32) -> Sheet {
    let mut s = Sheet::form(hamlet, month, year, consistent_figures);
    s.insert_row(
        0,
        vec![
            Cell::from("UBND XÃ HƯNG ĐẠO"),
            Cell::Empty,
            Cell::Empty,
            Cell::from("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        ],
    );
    s.insert_row(1, vec![Cell::Empty, Cell::Empty, Cell::Empty, Cell::from("Độc lập - Tự do - Hạnh phúc")]);
    s.insert_row(2, vec![Cell::Empty, Cell::Empty, Cell::Empty, Cell::from("Thôn Năm, ngày 05 tháng 9 năm 2025")]);
    s
}

#[test]
fn hamlets_named_by_numbers_in_words_are_never_found_inside_other_words() {
    let dir = tempdir();
    let schema = numbered_commune(dir.path());
    let month = dir.path().join("2025-06");
    // The file name or the header names the hamlet; the motto, the title's
    // "NĂM 2025" and "Tự do" must not.
    for (file, hamlet, header) in [
        ("Thon Tu.xlsx", "Thôn Tư", false),
        ("Thon Nam.xlsx", "Thôn Năm", false),
        ("bao cao thang 6.xlsx", "Thôn Hai", true),
    ] {
        let mut s = official(hamlet, 6, 2025);
        if !header {
            s.set(4, 0, Cell::Empty);
        }
        write_xlsx(&month.join(file), &[s]);
    }
    let (_, r) = validate_json(&[&month], &["--schema", schema.to_str().unwrap()]);
    let got: Vec<(&str, Option<&str>, Option<&str>)> =
        r.submissions.iter().map(|s| (s.file.as_str(), s.hamlet.as_deref(), s.period.as_deref())).collect();
    assert_eq!(
        got,
        [
            ("Thon Nam.xlsx", Some("Thôn Năm"), Some("2025-06")),
            ("Thon Tu.xlsx", Some("Thôn Tư"), Some("2025-06")),
            ("bao cao thang 6.xlsx", Some("Thôn Hai"), Some("2025-06")),
        ],
        "{:#?}",
        r.findings
    );
    let conflicts: Vec<&Finding> = r.findings.iter().filter(|f| f.rule.contains("khong_khop")).collect();
    assert!(conflicts.is_empty(), "{conflicts:#?}");
}

#[test]
fn a_file_or_folder_name_gives_a_numbered_hamlet_only_as_a_name() {
    let dir = tempdir();
    let schema = numbered_commune(dir.path());
    // No hamlet in the sheet: only the file name can say it.
    let form = |month: u32| {
        let mut s = Sheet::form("", month, 2025, consistent_figures);
        s.set(1, 0, Cell::Empty);
        s
    };
    write_xlsx(&dir.path().join("2025-05").join("Thon Nam.xlsx"), &[form(5)]);
    write_xlsx(&dir.path().join("2025-05").join("Bao cao thang 5 nam 2025.xlsx"), &[form(5)]);
    let (_, r) = validate_json(&[dir.path()], &["--schema", schema.to_str().unwrap()]);
    assert_eq!(r.submission("2025-05/Thon Nam.xlsx", None).hamlet.as_deref(), Some("Thôn Năm"));
    let other = r.submission("2025-05/Bao cao thang 5 nam 2025.xlsx", None);
    assert_eq!((other.status.as_str(), other.hamlet.as_deref()), ("rejected", None), "\"nam\" is no hamlet here");
    assert!(r.findings.iter().any(|f| f.in_file("2025-05/Bao cao thang 5 nam 2025.xlsx") && f.rule == "khong_ro_thon"));
}

#[test]
fn months_as_clerks_write_them_and_a_signing_date_that_is_not_the_month() {
    let dir = tempdir();
    let mut words = Sheet::form("Lạc Sơn", 8, 2024, consistent_figures);
    words.set(0, 0, Cell::from("BÁO CÁO KẾT QUẢ SẢN XUẤT VÀ ĐỜI SỐNG"));
    words.set(1, 3, Cell::from("Tháng Tám năm 2024"));
    // The date it was signed, above the tables: September is not the month.
    words.insert_row(2, vec![Cell::Empty, Cell::Empty, Cell::Empty, Cell::from("Lạc Sơn, ngày 05 tháng 9 năm 2024")]);
    write_xlsx(&dir.path().join("a").join("Lac Son.xlsx"), &[words]);
    for (name, written) in [("Lac Hoa", "T8/2024"), ("Lac Tien", "08-2024"), ("Lac Phu", "8/2024")] {
        let mut s = Sheet::form(name, 8, 2024, consistent_figures);
        s.set(1, 3, Cell::from(&*format!("Tháng: {written}")));
        write_xlsx(&dir.path().join("a").join(format!("{name}.xlsx")), &[s]);
    }
    let (_, r) = validate_json(&[&dir.path().join("a")], &[]);
    for s in &r.submissions {
        assert_eq!((s.status.as_str(), s.period.as_deref()), ("accepted", Some("2024-08")), "{s:#?} {:#?}", r.findings);
    }
    assert!(r.with_rule("thang_khong_khop").is_empty(), "{:#?}", r.findings);
}

#[test]
fn a_month_typed_years_ahead_is_an_error_and_never_the_runs_period() {
    let dir = tempdir();
    let month = dir.path().join("2024-06");
    write_xlsx(&month.join("Lac Son.xlsx"), &[Sheet::form("Lạc Sơn", 6, 2024, consistent_figures)]);
    let mut typo = Sheet::form("Lạc Hòa", 6, 2024, consistent_figures);
    typo.set(1, 3, Cell::from("Tháng: 06/2042"));
    typo.set(0, 0, Cell::from("BÁO CÁO KẾT QUẢ SẢN XUẤT VÀ ĐỜI SỐNG"));
    write_xlsx(&month.join("Lac Hoa.xlsx"), &[typo]);
    let (code, r) = validate_json(&[dir.path()], &[]);
    assert_eq!(code, 1);
    assert_eq!(r.period.as_deref(), Some("2024-06"));
    let f = r.finding_at("thang_sai", "D2");
    assert_eq!(f.severity, "error");
    assert!(f.message.contains("06/2042"), "{f:#?}");
    // The folder says June 2024: the report is June's.
    assert_eq!(r.submission("2024-06/Lac Hoa.xlsx", None).period.as_deref(), Some("2024-06"));
    // With nothing else to say the month, the report is not taken.
    let alone = dir.path().join("rieng");
    let mut s = Sheet::form("Lạc Hòa", 6, 2024, consistent_figures);
    s.set(1, 3, Cell::from("Tháng: 06/2042"));
    s.set(0, 0, Cell::from("BÁO CÁO"));
    write_xlsx(&alone.join("Lac Hoa.xlsx"), &[s]);
    let (_, r) = validate_json(&[&alone, &dir.path().join("2024-06").join("Lac Son.xlsx")], &[]);
    assert_eq!(r.submission("Lac Hoa.xlsx", None).status, "rejected");
    assert_eq!(r.period.as_deref(), Some("2024-06"));
}

#[test]
fn a_header_a_year_away_from_its_folder_is_not_taken() {
    let dir = tempdir();
    let mut s = Sheet::form("Lạc Hòa", 6, 2023, consistent_figures);
    s.set(0, 0, Cell::from("BÁO CÁO"));
    write_xlsx(&dir.path().join("2024-06").join("Lac Hoa.xlsx"), &[s]);
    write_xlsx(
        &dir.path().join("2024-06").join("Lac Son.xlsx"),
        &[Sheet::form("Lạc Sơn", 6, 2024, consistent_figures)],
    );
    let (_, r) = validate_json(&[dir.path()], &[]);
    let hoa = r.submission("2024-06/Lac Hoa.xlsx", None);
    assert_eq!(hoa.status, "rejected", "{:#?}", r.findings);
    let f = r.findings.iter().find(|f| f.in_file("2024-06/Lac Hoa.xlsx") && f.rule == "khong_ro_thang").expect("said");
    assert!(f.message.contains("06/2023") && f.message.contains("06/2024"), "{f:#?}");
}

/// A schema of one single-value table, as a commune writes its own.
fn households_schema(dir: &Path) -> PathBuf {
    let path = dir.join("ho.toml");
    let text = r#"
[[unit]]
code = "hộ"
dimension = "household"

[[table]]
id = "ho"
title = "Hộ gia đình"
kind = "count"

[[table.column]]
label = "Số hộ"

[[table.row]]
code = "ho"
label = "Tổng số hộ trong thôn"
unit = "hộ"

[[table.row]]
code = "ho_ngheo"
label = "Số hộ nghèo"
unit = "hộ"

[[table.row]]
code = "ho_can_ngheo"
label = "Số hộ cận nghèo"
unit = "hộ"

[[hamlet]]
name = "Lạc Sơn"
"#;
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_row_that_begins_with_a_column_label_never_ends_the_table() {
    let dir = tempdir();
    let schema = households_schema(dir.path());
    let t = |s: &str| Cell::from(s);
    let sheet = Sheet::new("Báo cáo")
        .row(vec![t("Thôn: Lạc Sơn"), t(""), t("Tháng: 06/2024")])
        .row(vec![t("STT"), t("Chỉ tiêu"), t("Số hộ")])
        .row(vec![Cell::Number(1.0), t("Tổng số hộ trong thôn"), Cell::Number(180.0)])
        .row(vec![Cell::Number(2.0), t("Số hộ nghèo"), Cell::Number(7.0)])
        .row(vec![Cell::Number(3.0), t("Số hộ cận nghèo"), Cell::Number(11.0)]);
    write_xlsx(&dir.path().join("Lac Son.xlsx"), &[sheet]);
    let (_, r) = validate_json(&[&dir.path().join("Lac Son.xlsx")], &["--schema", schema.to_str().unwrap()]);
    assert_eq!(r.total_value("ho"), Some(180.0));
    assert_eq!(r.total_value("ho_ngheo"), Some(7.0), "{:#?}", r.findings);
    assert_eq!(r.total_value("ho_can_ngheo"), Some(11.0), "{:#?}", r.findings);
    assert!(r.with_severity("warning").is_empty(), "{:#?}", r.findings);
}

#[test]
fn a_heading_with_the_words_of_a_row_keeps_its_table() {
    let dir = tempdir();
    let mut s = Sheet::form("Lạc Sơn", 6, 2024, consistent_figures);
    let (r, c) = s.find("III. LÂM NGHIỆP - HẠ TẦNG").expect("heading");
    s.set(r, c, Cell::from("III. TRỒNG RỪNG TẬP TRUNG"));
    write_xlsx(&dir.path().join("2024-06").join("Lac Son.xlsx"), &[s]);
    let (_, r) = validate_json(&[dir.path()], &[]);
    assert_eq!(r.total_value("trong_rung"), Some(20.0), "{:#?}", r.findings);
    assert!(r.with_rule("dong_trung").is_empty(), "{:#?}", r.findings);
}

#[test]
fn a_unit_the_schema_does_not_declare_is_never_read_as_the_forms() {
    let dir = tempdir();
    let month = dir.path().join("2024-06");
    // Sào (360 m²) is declared: converted, and said.
    let mut sao = Sheet::form("Lạc Sơn", 6, 2024, consistent_figures);
    let (r, c) = sao.find("Diện tích (ha)").unwrap();
    sao.set(r, c, Cell::from("Diện tích (sào)"));
    write_xlsx(&month.join("Lac Son.xlsx"), &[sao]);
    // Mẫu is not: the areas are left out, with a warning at the header.
    let mut mau = Sheet::form("Lạc Hòa", 6, 2024, consistent_figures);
    mau.set(r, c, Cell::from("Diện tích (mẫu)"));
    // And a row whose ĐVT is a unit the schema does not know.
    let (rr, rc) = mau.find("Đàn ong").unwrap();
    mau.set(rr, rc + 1, Cell::from("tổ"));
    write_xlsx(&month.join("Lac Hoa.xlsx"), &[mau]);
    let (_, r) = validate_json(&[dir.path()], &[]);
    let converted = r.finding_at("doi_don_vi", "C5");
    assert!(converted.in_file("2024-06/Lac Son.xlsx") && converted.message.contains("sào"), "{converted:#?}");
    let unknown =
        r.findings.iter().find(|f| f.in_file("2024-06/Lac Hoa.xlsx") && f.rule == "sai_don_vi" && f.at_cell("C5"));
    assert_eq!(unknown.map(|f| f.severity.as_str()), Some("warning"), "{:#?}", r.findings);
    let ong_unit = format!("C{}", rr + 1);
    assert!(
        r.findings.iter().any(|f| f.in_file("2024-06/Lac Hoa.xlsx") && f.rule == "sai_don_vi" && f.at_cell(&ong_unit)),
        "{:#?}",
        r.findings
    );
    // Lạc Sơn's 12 sào of spring rice are 0,432 ha; Lạc Hòa's 12 mẫu are no figure at all.
    let ha = r.total_value("lua_xuan.dien_tich").unwrap();
    assert!(close(ha, 12.0 * 0.036), "{ha}");
    assert_eq!(r.total_value("ong"), Some(170.0), "only Lạc Sơn's bees");
}

#[test]
fn a_sheet_of_hamlets_side_by_side_is_one_report_per_column_and_its_total_is_checked() {
    let dir = tempdir();
    let t = |s: &str| Cell::from(s);
    let n = Cell::Number;
    let sheet = Sheet::new("Tổng hợp")
        .row(vec![t("BÁO CÁO TỔNG HỢP CÁC THÔN THÁNG 6 NĂM 2024")])
        .row(vec![])
        .row(["STT", "Chỉ tiêu", "ĐVT", "Lạc Thanh", "Thôn Lạc Thắng", "Lạc Hòa", "Tổng cộng"].map(t).to_vec())
        .row(vec![n(1.0), t("Diện tích lúa vụ xuân"), t("ha"), n(12.5), n(11.0), n(12.0), n(35.5)])
        .row(vec![n(2.0), t("Lạc"), t(""), t(""), t(""), t(""), t("")])
        .row(vec![t(""), t("- Diện tích"), t("ha"), n(30.0), n(24.0), n(23.0), n(77.0)])
        .row(vec![t(""), t("- Sản lượng"), t("tấn"), n(60.0), n(52.8), n(48.3), n(161.1)])
        .row(vec![n(3.0), t("Trâu"), t("con"), n(120.0), n(100.0), n(110.0), n(350.0)])
        .row(vec![n(4.0), t("Tổng số hộ"), t("hộ"), n(185.0), n(170.0), n(180.0), n(535.0)]);
    write_xlsx(&dir.path().join("Tong hop thon T6.xlsx"), &[sheet]);
    let (_, r) = validate_json(&[dir.path()], &[]);
    let subs: Vec<(Option<&str>, Option<&str>, &str)> =
        r.submissions.iter().map(|s| (s.hamlet.as_deref(), s.period.as_deref(), s.status.as_str())).collect();
    assert_eq!(
        subs,
        [
            (Some("Lạc Thanh"), Some("2024-06"), "accepted"),
            (Some("Lạc Thắng"), Some("2024-06"), "accepted"),
            (Some("Lạc Hòa"), Some("2024-06"), "accepted"),
        ],
        "{:#?}",
        r.findings
    );
    assert_eq!(r.total_value("lua_xuan.dien_tich"), Some(35.5));
    assert_eq!(r.total_value("lac.dien_tich"), Some(77.0));
    assert!(close(r.total_value("lac.san_luong").unwrap(), 161.1));
    assert_eq!(r.total_value("trau"), Some(330.0));
    // The total column says 350 buffaloes where the hamlets add up to 330.
    let f = r.finding_at("cot_tong", "G8");
    assert_eq!((f.severity.as_str(), f.expected, f.actual), ("error", Some(330.0), Some(350.0)), "{f:#?}");
    let cot: Vec<&Finding> = r.with_rule("cot_tong");
    assert_eq!(cot.len(), 1, "only the wrong one: {cot:#?}");
    assert_eq!(r.with_rule("nhieu_thon").len(), 1);
}

#[test]
fn a_form_with_no_figure_at_all_is_no_report() {
    let dir = tempdir();
    let month = dir.path().join("2024-06");
    write_xlsx(&month.join("Lac Son.xlsx"), &[Sheet::form("Lạc Sơn", 6, 2024, consistent_figures)]);
    write_xlsx(&month.join("Lac Hoa.xlsx"), &[Sheet::form("Lạc Hòa", 6, 2024, |_| None)]);
    let (code, r) = validate_json(&[dir.path()], &[]);
    assert_eq!(code, 1);
    assert_eq!(r.submission("2024-06/Lac Hoa.xlsx", None).status, "rejected");
    let f = r.with_rule("bao_cao_trong");
    assert_eq!((f.len(), f[0].hamlet.as_deref()), (1, Some("Lạc Hòa")), "{f:#?}");
    assert_eq!(r.summary.hamlets_reported, 1);
    assert!(r.with_rule("chua_nop").iter().any(|f| f.hamlet.as_deref() == Some("Lạc Hòa")));
}

#[test]
fn a_total_row_without_its_value_is_its_parts_never_another_month() {
    let dir = tempdir();
    let may = |code: &str| if code == "lua.dien_tich" { Some(99.0) } else { consistent_figures(code) };
    write_xlsx(&dir.path().join("2024-05").join("Lac Son.xlsx"), &[Sheet::form("Lạc Sơn", 5, 2024, may)]);
    let mut june = Sheet::form("Lạc Sơn", 6, 2024, consistent_figures);
    let (r, c) = june.find("Lúa cả năm").unwrap();
    june.set(r, c + 1, Cell::Formula(format!("=C{}+C{}", r + 2, r + 3)));
    write_xlsx(&dir.path().join("2024-06").join("Lac Son.xlsx"), &[june]);
    let (_, rep) = validate_json(&[dir.path()], &[]);
    assert_eq!(rep.total_value("lua.dien_tich"), Some(12.0 + 8.0), "{:#?}", rep.findings);
    assert!(rep.total("lua.dien_tich").carried.is_empty());
    let f = rep.finding_at("cong_thuc_chua_tinh", &format!("C{}", r + 1));
    assert_eq!(f.severity, "warning");
}

#[test]
fn a_stock_carried_from_an_earlier_month_is_named_on_its_total() {
    let dir = tempdir();
    write_xlsx(
        &dir.path().join("2024-05").join("Lac Son.xlsx"),
        &[Sheet::form("Lạc Sơn", 5, 2024, consistent_figures)],
    );
    let mut june = Sheet::form("Lạc Sơn", 6, 2024, consistent_figures);
    let (r, c) = june.find("Lợn").unwrap();
    june.set(r, c + 2, Cell::from("khoảng 420"));
    write_xlsx(&dir.path().join("2024-06").join("Lac Son.xlsx"), &[june]);
    let (_, rep) = validate_json(&[dir.path()], &[]);
    let lon = rep.total("lon");
    assert_eq!(lon.value, Some(400.0), "May's pigs stand in");
    assert_eq!(lon.carried.len(), 1, "{lon:#?}");
    assert_eq!((lon.carried[0].hamlet.as_str(), lon.carried[0].month.as_str()), ("Lạc Sơn", "2024-05"));
    assert!(lon.has_errors, "the unreadable cell is an error");
    assert!(rep.total("bo").carried.is_empty());
}

/// A month of four hamlets' forms, some figures changed (None: left empty).
fn month_with(dir: &Path, change: &[(&str, &str, Option<f64>)]) {
    for (hamlet, file) in
        [("Lạc Thanh", "Lac Thanh"), ("Lạc Thắng", "Lac Thang"), ("Lạc Hòa", "Lac Hoa"), ("Lạc Sơn", "Lac Son")]
    {
        let figure = |code: &str| match change.iter().find(|(h, c, _)| *h == hamlet && *c == code) {
            Some(x) => x.2,
            None => consistent_figures(code),
        };
        write_xlsx(&dir.join("2024-06").join(format!("{file}.xlsx")), &[Sheet::form(hamlet, 6, 2024, figure)]);
    }
}

#[test]
fn unit_slips_that_are_no_power_of_ten_are_diagnosed_at_the_cell_that_is_wrong() {
    let dir = tempdir();
    // 12 ha of spring rice at 60 tạ/ha give 72 tấn; written as 333 sào (12 ha),
    // as 216 kg/sào (60 tạ/ha), and as 120.000 m².
    month_with(
        dir.path(),
        &[
            ("Lạc Sơn", "lua_xuan.dien_tich", Some(333.0)),
            ("Lạc Hòa", "lua_xuan.nang_suat", Some(216.0)),
            ("Lạc Thắng", "lua_xuan.dien_tich", Some(120_000.0)),
        ],
    );
    let (_, r) = validate_json(&[dir.path()], &[]);
    let product = |file: &str| {
        let f: Vec<&Finding> = r.findings.iter().filter(|f| f.in_file(file) && f.rule == "san_luong_khop").collect();
        assert_eq!(f.len(), 1, "{file}: {f:#?}");
        f[0]
    };
    let f = product("2024-06/Lac Son.xlsx");
    assert_eq!((f.cell.as_deref(), f.indicator.as_deref()), (Some("C7"), Some("lua_xuan.dien_tich")), "{f:#?}");
    assert!(f.message.contains("có lẽ đã ghi theo sào (11,988 ha)"), "{f:#?}");
    let f = product("2024-06/Lac Hoa.xlsx");
    assert_eq!(f.cell.as_deref(), Some("D7"), "{f:#?}");
    assert!(f.message.contains("có lẽ đã ghi theo kg/sào (60 tạ/ha)"), "{f:#?}");
    let f = product("2024-06/Lac Thang.xlsx");
    assert_eq!(f.cell.as_deref(), Some("C7"), "{f:#?}");
    assert!(f.message.contains("có lẽ đã ghi theo m2 (12 ha)"), "{f:#?}");
}

#[test]
fn a_total_off_by_no_more_than_rounding_is_still_said() {
    let dir = tempdir();
    // 12 + 8 ha of rice, the total row written 19 (and no yield on it).
    month_with(dir.path(), &[("Lạc Sơn", "lua.dien_tich", Some(19.0)), ("Lạc Sơn", "lua.nang_suat", None)]);
    let (code, r) = validate_json(&[dir.path()], &[]);
    assert_eq!(code, 0, "not an error: {:#?}", r.with_severity("error"));
    let f = r.finding_at("tong_lua_dien_tich", "C6");
    assert_eq!((f.severity.as_str(), f.expected, f.actual), ("warning", Some(20.0), Some(19.0)), "{f:#?}");
    assert!(f.message.contains("làm tròn"), "{f:#?}");
}

#[test]
fn a_flow_that_looks_like_the_year_to_date_is_a_warning_at_its_cell() {
    let dir = tempdir();
    // Lạc Sơn plants 5, 6, then writes 27 (5 + 6 + 16) in March; Lạc Hòa
    // plants 5, 6, 7.
    for (month, son, hoa) in [(1, 5.0, 5.0), (2, 6.0, 6.0), (3, 27.0, 7.0)] {
        for (hamlet, file, v) in [("Lạc Sơn", "Lac Son", son), ("Lạc Hòa", "Lac Hoa", hoa)] {
            let figure = |code: &str| if code == "trong_rung" { Some(v) } else { consistent_figures(code) };
            let path = dir.path().join(format!("2024-{month:02}")).join(format!("{file}.xlsx"));
            write_xlsx(&path, &[Sheet::form(hamlet, month, 2024, figure)]);
        }
    }
    let (_, r) = validate_json(&[dir.path()], &[]);
    let f = r.with_rule("luy_ke");
    assert_eq!(f.len(), 1, "{f:#?}");
    assert!(f[0].in_file("2024-03/Lac Son.xlsx") && f[0].indicator.as_deref() == Some("trong_rung"), "{f:#?}");
    assert_eq!((f[0].severity.as_str(), f[0].expected, f[0].actual), ("warning", Some(16.0), Some(27.0)));
}

#[test]
fn a_cell_not_read_leaves_its_totals_unrated_even_months_later() {
    let dir = tempdir();
    for (month, hamlet, file) in [(5, "Lạc Sơn", "Lac Son"), (6, "Lạc Sơn", "Lac Son"), (6, "Lạc Hòa", "Lac Hoa")]
    {
        let mut s = Sheet::form(hamlet, month, 2024, consistent_figures);
        if month == 5 {
            // May's road in words: June's year to date cannot hold it.
            let (r, c) = s.find("Đường giao thông nội đồng").unwrap();
            s.set(r, c + 2, Cell::from("khoảng 40"));
        }
        if hamlet == "Lạc Hòa" {
            // A stock this month, with no earlier month to stand in.
            let (r, c) = s.find("Lợn").unwrap();
            s.set(r, c + 2, Cell::from("chưa đếm"));
        }
        write_xlsx(&dir.path().join(format!("2024-{month:02}")).join(format!("{file}.xlsx")), &[s]);
    }
    let (_, r) = validate_json(&[dir.path()], &["--period", "2024-06"]);
    let road = r.total("duong_noi_dong");
    assert_eq!(road.value, Some(80.0), "June of both, not May of Lạc Sơn");
    assert_eq!((road.has_errors, road.rating.as_deref()), (true, Some("needs_check")));
    assert_eq!(road.unread_hamlets, ["Lạc Sơn"]);
    let pigs = r.total("lon");
    assert_eq!((pigs.value, pigs.has_errors, pigs.rating.as_deref()), (Some(400.0), true, Some("needs_check")));
    assert_eq!(pigs.unread_hamlets, ["Lạc Hòa"]);
    let cattle = r.total("trau");
    assert_eq!((cattle.value, cattle.has_errors), (Some(240.0), false));
    assert!(cattle.unread_hamlets.is_empty());
}

#[test]
fn a_hamlet_in_a_title_line_or_with_its_number_and_a_month_without_a_year() {
    let dir = tempdir();
    let schema = numbered_commune(dir.path());
    let month = dir.path().join("bao cao");
    let mut title = Sheet::form("Hai", 6, 2025, consistent_figures);
    title.set(0, 0, Cell::from("THÔN HAI - BÁO CÁO KẾT QUẢ THÁNG 6/2025"));
    title.set(1, 0, Cell::Empty);
    write_xlsx(&month.join("a.xlsx"), &[title]);
    let mut number = Sheet::form("số 3", 6, 2025, consistent_figures);
    number.set(0, 0, Cell::Empty);
    write_xlsx(&month.join("b.xlsx"), &[number]);
    // "Tháng 6" and no year anywhere: which June?
    let mut no_year = Sheet::form("Thôn Tư", 6, 2025, consistent_figures);
    no_year.set(0, 0, Cell::Empty);
    no_year.set(1, 3, Cell::from("Tháng 6"));
    write_xlsx(&month.join("c.xlsx"), &[no_year]);
    let (_, r) = validate_json(&[&month], &["--schema", schema.to_str().unwrap()]);
    let got: Vec<(&str, Option<&str>, Option<&str>)> =
        r.submissions.iter().map(|s| (s.file.as_str(), s.hamlet.as_deref(), s.period.as_deref())).collect();
    assert_eq!(
        got,
        [
            ("a.xlsx", Some("Thôn Hai"), Some("2025-06")),
            ("b.xlsx", Some("Thôn Ba"), Some("2025-06")),
            ("c.xlsx", Some("Thôn Tư"), None)
        ],
        "{:#?}",
        r.findings
    );
    let f = r.finding_at("khong_ro_thang", "D2");
    assert!(f.message.contains("không ghi năm"), "{f:#?}");
    assert!(r.with_rule("thon_la").is_empty(), "{:#?}", r.with_rule("thon_la"));
}
