//! The shipped samples: every planted mistake is found at its cell, nothing
//! else is an error, the totals add up as FORM.md says, and the workbook
//! holds what the report says.

mod util;

use serde_json::Value;
use util::*;

fn report() -> Value {
    let (code, r) = validate_json(&[&samples()], &[]);
    assert_eq!(code, 1, "errors were planted, so validate exits 1");
    r
}

#[test]
fn every_planted_mistake_is_found_at_its_cell_and_nothing_else_is_an_error() {
    let r = report();
    let mut got: Vec<(String, String, String, String)> = findings(&r, "error")
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap_or_default().to_string(),
                f["cell"].as_str().unwrap_or_default().to_string(),
                f["rule"].as_str().unwrap_or_default().to_string(),
                f["indicator"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    got.sort();
    let mut want: Vec<(String, String, String, String)> = [
        ("2024-06/Lac Thang.xlsx", "E6", "product", "lua_xuan.san_luong"),
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
    let f = findings(&r, "error").into_iter().find(|f| f["rule"] == "product").expect("product finding");
    assert_eq!(f["expected"].as_f64(), Some(66.0));
    assert_eq!(f["actual"].as_f64(), Some(660.0));
    assert_eq!(f["hamlet"], "Lạc Thắng");
    assert_eq!(f["period"], "2024-06");
    assert_eq!(f["sheet"], "Báo cáo");
    let msg = f["message"].as_str().unwrap_or_default();
    assert!(msg.contains("có lẽ đã ghi theo tạ (66 tấn)"), "{msg}");
}

#[test]
fn rounded_figures_are_not_errors() {
    // Lạc Sơn: 10,5 ha × 61 tạ/ha = 64,05 tấn, written 64,1.
    let r = report();
    let son: Vec<_> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["file"] == "2024-06/Lac Son.xlsx" && f["rule"] == "product")
        .collect();
    assert!(son.is_empty(), "{son:?}");
}

#[test]
fn yield_without_output_is_a_warning() {
    let r = report();
    let w = findings(&r, "warning");
    assert!(
        w.iter()
            .any(|f| f["file"] == "2024-06/Lac Hoa.xlsx" && f["cell"] == "E8" && f["rule"] == "nang_suat_san_luong"),
        "{w:?}"
    );
}

#[test]
fn every_file_is_a_submission_of_the_right_hamlet_and_month() {
    let r = report();
    let subs = r["submissions"].as_array().unwrap();
    assert_eq!(subs.len(), 12);
    assert!(subs.iter().all(|s| s["status"] == "accepted"));
    let son_may = subs.iter().find(|s| s["file"] == "2024-05/Lac Son T5-2024.ods").expect("ods sample");
    assert_eq!(son_may["hamlet"], "Lạc Sơn");
    assert_eq!(son_may["period"], "2024-05");
    assert_eq!(r["period"], "2024-06");
}

#[test]
fn totals_add_up_as_the_form_says() {
    let r = report();
    assert_eq!(total_value(&r, "lua_xuan.dien_tich"), Some(70.0));
    assert_eq!(total_value(&r, "lua_he_thu.dien_tich"), Some(40.0));
    assert_eq!(total_value(&r, "ho"), Some(1060.0));
    // Yield: total output over total area of the hamlets that gave both,
    // not the mean of their yields (21,2).
    let lac = total_value(&r, "lac.nang_suat").unwrap();
    assert!(close(lac, (60.0 + 52.8 + 48.3 + 55.2 + 44.0) / (30.0 + 24.0 + 23.0 + 24.0 + 22.0) * 10.0), "{lac}");
    assert!(!close(lac, (20.0 + 22.0 + 21.0 + 23.0 + 20.0) / 5.0));
    // Derived indicators and rates as ratios of sums.
    let tb = total(&r, "trau_bo");
    assert_eq!(tb["value"].as_f64(), Some(1585.0));
    assert_eq!(tb["target"].as_f64(), Some(1600.0));
    assert!(close(tb["percent_of_target"].as_f64().unwrap(), 1585.0 / 1600.0 * 100.0));
    assert_eq!(tb["reached"], false);
    assert!(close(total_value(&r, "ty_le_bhyt").unwrap(), 3912.0 / 4050.0 * 100.0));
    // The resolution's cassava yield, 22 tấn/ha, is 220 tạ/ha.
    assert_eq!(total(&r, "san.nang_suat")["target"].as_f64(), Some(220.0));
    // A range target and an at-most target.
    assert_eq!(total(&r, "trong_rung")["target"].as_f64(), Some(1000.0));
    assert_eq!(total(&r, "ty_le_ho_ngheo")["reached"], false);
}

#[test]
fn flows_add_the_months_and_stocks_take_the_latest() {
    let r = report();
    let tr = total(&r, "trong_rung");
    assert_eq!(tr["value"].as_f64(), Some(123.0 + 110.0));
    assert_eq!(tr["month_value"].as_f64(), Some(110.0));
    // Lạc Hòa's pigs are unreadable in June: May's figure stands in, and
    // the total says it includes a figure with an error.
    let lon = total(&r, "lon");
    assert_eq!(lon["value"].as_f64(), Some(400.0 + 380.0 + 410.0 + 390.0 + 410.0 + 395.0));
    assert_eq!(lon["month_value"].as_f64(), Some(400.0 + 380.0 + 390.0 + 410.0 + 395.0));
    assert_eq!(lon["has_errors"], true);
    assert_eq!(total(&r, "bo")["has_errors"], false);
    assert_eq!(total(&r, "lua_xuan.san_luong")["has_errors"], true);
}

#[test]
fn run_writes_the_four_sheets_that_match_the_report() {
    let dir = tempdir();
    let out = dir.path().join("tong-hop.xlsx");
    let json = dir.path().join("bao-cao.json");
    let run = tonghop(&["run", "samples", "-o", out.to_str().unwrap(), "--json", json.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let r: Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
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
    for t in r["totals"].as_array().unwrap() {
        let code = t["indicator"].as_str().unwrap();
        let row = find_row(&det, 0, code).unwrap_or_else(|| panic!("row {code}"));
        match t["value"].as_f64() {
            Some(v) => assert!(close(number(&det, row, 9).unwrap_or(f64::NAN), v), "{code}"),
            None => assert_eq!(number(&det, row, 9), None, "{code}"),
        }
    }
    let row = find_row(&det, 0, "lac.nang_suat").unwrap();
    let formula = f.get_value((row, 9)).cloned().unwrap_or_default();
    assert!(formula.contains("SUMIFS"), "yields are ratios of sums: {formula}");

    let checks = sheet(&out, "Kiểm tra");
    assert_eq!(checks.height() - 1, r["findings"].as_array().unwrap().len());
    assert_eq!(text(&checks, 1, 0), "Lỗi", "errors come first");

    let status = sheet(&out, "Tình hình nộp");
    assert_eq!(status.height() - 1, 12, "one row per hamlet and month");
}
