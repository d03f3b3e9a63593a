//! The shipped samples: every planted mistake is found at its cell, nothing
//! else is an error, the totals add up as FORM.md says, and the workbook
//! holds what the report says.

use crate::util::*;

fn report() -> Report {
    let (code, r) = validate_json(&[&samples()], &[]);
    assert_eq!(code, 1, "errors were planted, so validate exits 1");
    r
}

#[test]
fn every_planted_mistake_is_found_at_its_cell_and_nothing_else_is_an_error() {
    let r = report();
    let mut got: Vec<(String, String, String, String)> = r
        .with_severity("error")
        .iter()
        .map(|f| {
            (
                f.file.clone().unwrap_or_default(),
                f.cell.clone().unwrap_or_default(),
                f.rule.clone(),
                f.indicator.clone().unwrap_or_default(),
            )
        })
        .collect();
    got.sort();
    let mut want: Vec<(String, String, String, String)> = [
        ("2024-06/Lac Thang.xlsx", "E6", "san_luong_khop", "lua_xuan.san_luong"),
        ("2024-06/Lac Hoa.xlsx", "D19", "khong_phai_so", "lon"),
        ("2024-06/Lac Son.xlsx", "D33", "ho_ngheo", "ho_can_ngheo"),
        ("2024-06/Lac Tien.xlsx", "C6", "tong_lua_dien_tich", "lua.dien_tich"),
        ("2024-06/Lac Tien.xlsx", "D21", "so_nguyen", "gia_cam"),
        ("2024-06/Lac Phu.xls", "D27", "so_am", "ranh_thoat_nuoc"),
    ]
    .iter()
    .map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d.to_string()))
    .collect();
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn the_unit_slip_gets_its_hint_and_figures() {
    let r = report();
    let errors = r.with_severity("error");
    let f = errors
        .iter()
        .find(|f| f.rule == "san_luong_khop")
        .unwrap_or_else(|| panic!("no san_luong_khop finding: {errors:#?}"));
    assert_eq!(f.expected, Some(66.0));
    assert_eq!(f.actual, Some(660.0));
    assert_eq!(f.hamlet.as_deref(), Some("Lạc Thắng"));
    assert_eq!(f.period.as_deref(), Some("2024-06"));
    assert_eq!(f.sheet.as_deref(), Some("Báo cáo"));
    assert!(f.message.contains("có lẽ đã ghi theo tạ (66 tấn)"), "{f:#?}");
}

#[test]
fn rounded_figures_are_not_errors() {
    // Lạc Sơn: 10,5 ha × 61 tạ/ha = 64,05 tấn, written 64,1.
    let r = report();
    let son: Vec<&Finding> =
        r.findings.iter().filter(|f| f.in_file("2024-06/Lac Son.xlsx") && f.rule == "san_luong_khop").collect();
    assert!(son.is_empty(), "{son:#?}");
}

#[test]
fn yield_without_output_is_a_warning() {
    let r = report();
    let w = r.with_severity("warning");
    assert!(
        w.iter().any(|f| f.in_file("2024-06/Lac Hoa.xlsx") && f.at_cell("E8") && f.rule == "nang_suat_san_luong"),
        "{w:#?}"
    );
}

#[test]
fn every_file_is_a_submission_of_the_right_hamlet_and_month() {
    let r = report();
    let subs = &r.submissions;
    assert_eq!(subs.len(), 12, "{subs:#?}");
    assert!(subs.iter().all(|s| s.status == "accepted"), "{subs:#?}");
    let son_may = r.submission("2024-05/Lac Son T5-2024.ods", None);
    assert_eq!(son_may.hamlet.as_deref(), Some("Lạc Sơn"));
    assert_eq!(son_may.period.as_deref(), Some("2024-05"));
    assert_eq!(r.period.as_deref(), Some("2024-06"));
}

#[test]
fn totals_add_up_as_the_form_says() {
    let r = report();
    assert_eq!(r.total_value("lua_xuan.dien_tich"), Some(70.0));
    assert_eq!(r.total_value("lua_he_thu.dien_tich"), Some(40.0));
    assert_eq!(r.total_value("ho"), Some(1060.0));
    // Yield: total output over total area of the hamlets that gave both,
    // not the mean of their yields (21,2).
    let lac = r.total_value("lac.nang_suat").unwrap();
    assert!(close(lac, (60.0 + 52.8 + 48.3 + 55.2 + 44.0) / (30.0 + 24.0 + 23.0 + 24.0 + 22.0) * 10.0), "{lac}");
    assert!(!close(lac, (20.0 + 22.0 + 21.0 + 23.0 + 20.0) / 5.0));
    // Derived indicators and rates as ratios of sums.
    let tb = r.total("trau_bo");
    assert_eq!(tb.value, Some(1585.0));
    assert_eq!(tb.target, Some(1600.0));
    assert!(close(tb.percent_of_target.unwrap(), 1585.0 / 1600.0 * 100.0), "{tb:#?}");
    assert_eq!(tb.reached, Some(false));
    assert!(close(r.total_value("ty_le_bhyt").unwrap(), 3912.0 / 4050.0 * 100.0));
    // The resolution's cassava yield, 22 tấn/ha, is 220 tạ/ha.
    assert_eq!(r.total("san.nang_suat").target, Some(220.0));
    // A range target and an at-most target.
    assert_eq!(r.total("trong_rung").target, Some(1000.0));
    assert_eq!(r.total("ty_le_ho_ngheo").reached, Some(false));
}

#[test]
fn flows_add_the_months_and_stocks_take_the_latest() {
    let r = report();
    let tr = r.total("trong_rung");
    assert_eq!(tr.value, Some(123.0 + 110.0));
    assert_eq!(tr.month_value, Some(110.0));
    // Lạc Hòa's pigs are unreadable in June: May's figure stands in, and
    // the total says it includes a figure with an error.
    let lon = r.total("lon");
    assert_eq!(lon.value, Some(400.0 + 380.0 + 410.0 + 390.0 + 410.0 + 395.0));
    assert_eq!(lon.month_value, Some(400.0 + 380.0 + 390.0 + 410.0 + 395.0));
    assert!(lon.has_errors, "{lon:#?}");
    assert!(!r.total("bo").has_errors, "{:#?}", r.total("bo"));
    assert!(r.total("lua_xuan.san_luong").has_errors, "{:#?}", r.total("lua_xuan.san_luong"));
}

#[test]
fn run_writes_the_four_sheets_that_match_the_report() {
    let dir = tempdir();
    let out = dir.path().join("tong-hop.xlsx");
    let json = dir.path().join("bao-cao.json");
    let run = tonghop(&["run", "samples", "-o", out.to_str().unwrap(), "--json", json.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let r = Report::read(&json);
    assert_eq!(sheet_names(&out), ["Tổng hợp", "Chi tiết thôn", "Kiểm tra", "Tình hình nộp"]);

    let sum = sheet(&out, "Tổng hợp");
    let row = find_row(&sum, 1, "Trâu, bò").expect("row Trâu, bò");
    assert_eq!(number(&sum, row, 4), Some(1585.0));
    assert_eq!(number(&sum, row, 5), Some(1600.0));
    assert_eq!(text(&sum, row, 7), "Chưa đạt");

    let det = sheet(&out, "Chi tiết thôn");
    let f = formulas(&out, "Chi tiết thôn");
    let row = find_row(&det, 0, "lua_xuan.dien_tich").expect("row lua_xuan.dien_tich");
    let hamlets: Vec<Option<f64>> = (3..9).map(|c| number(&det, row, c)).collect();
    assert_eq!(hamlets, [12.5, 11.0, 12.0, 10.5, 12.0, 12.0].map(Some));
    assert_eq!(number(&det, row, 9), Some(70.0), "stored value of the total formula");
    let formula = f.get_value((row, 9)).cloned().unwrap_or_default();
    assert!(formula.contains("SUM(D") && formula.contains(":I"), "{formula}");
    // Every total in the sheet is the report's.
    for t in &r.totals {
        let code = t.indicator.as_str();
        let row = find_row(&det, 0, code).unwrap_or_else(|| panic!("row {code}"));
        match t.value {
            Some(v) => assert!(close(number(&det, row, 9).unwrap_or(f64::NAN), v), "{code}"),
            None => assert_eq!(number(&det, row, 9), None, "{code}"),
        }
    }
    let row = find_row(&det, 0, "lac.nang_suat").unwrap();
    let formula = f.get_value((row, 9)).cloned().unwrap_or_default();
    // Yields are ratios of sums over the hamlets giving both figures: Lạc Hòa
    // (column F) gave a yield without an output, and is left out, by name.
    assert!(formula.contains("SUM(D") && formula.contains(",G"), "yields are ratios of sums: {formula}");
    let cells: Vec<&str> =
        formula.split("SUM(").skip(1).flat_map(|s| s.split(')').next().unwrap_or("").split(',')).collect();
    assert_eq!(cells.len(), 10, "{formula}");
    assert!(cells.iter().all(|c| !c.starts_with('F')), "{formula}");

    // Under a title, a line and the header (rows 0, 1 and 3).
    let checks = sheet(&out, "Kiểm tra");
    assert_eq!(checks.height() - 4, r.findings.len());
    assert_eq!(text(&checks, 4, 0), "Lỗi", "errors come first");

    let status = sheet(&out, "Tình hình nộp");
    let months = (4..status.height() as u32).filter(|&r| text(&status, r, 1).contains('/')).count();
    assert_eq!(months, 12, "one row per hamlet and month");
}
