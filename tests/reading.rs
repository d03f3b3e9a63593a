//! Reading submissions as people really send them (FORM.md, "How real
//! submissions differ from the form"): fixtures written by openpyxl, xlwt,
//! odfpy, pyxlsbwriter and LibreOffice (tools/make_fixtures.py).

mod util;

use serde_json::Value;
use util::*;

fn messy() -> Value {
    validate_json(&[&fixtures().join("messy")], &[]).1
}

fn case(name: &str) -> Value {
    validate_json(&[&fixtures().join("cases").join(name)], &[]).1
}

fn has(r: &Value, file: &str, rule: &str) -> bool {
    r["findings"].as_array().unwrap().iter().any(|f| f["file"] == file && f["rule"] == rule)
}

fn finding<'a>(r: &'a Value, rule: &str, cell: &str) -> &'a Value {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == rule && f["cell"] == cell)
        .unwrap_or_else(|| panic!("no {rule} at {cell} in {:#}", r["findings"]))
}

fn status(r: &Value, file: &str, sheet: Option<&str>) -> (String, String, String) {
    let s = r["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["file"] == file && sheet.is_none_or(|x| s["sheet"] == x))
        .unwrap_or_else(|| panic!("no submission {file} {sheet:?}"));
    let txt = |v: &Value| v.as_str().unwrap_or("-").to_string();
    (txt(&s["status"]), txt(&s["hamlet"]), txt(&s["period"]))
}

#[test]
fn a_folder_of_every_variation_gives_the_totals_of_the_clean_form() {
    let (_, clean) = validate_json(&[&fixtures().join("clean")], &[]);
    let messy = messy();
    assert_eq!(clean["period"], messy["period"]);
    for t in clean["totals"].as_array().unwrap() {
        let code = t["indicator"].as_str().unwrap();
        let (a, b) = (t["value"].as_f64(), total_value(&messy, code));
        match (a, b) {
            (Some(a), Some(b)) => assert!(close(a, b), "{code}: clean {a}, messy {b}"),
            _ => assert_eq!(a, b, "{code}"),
        }
    }
    // The totals are not empty: every hamlet is in them.
    assert_eq!(total_value(&messy, "ho"), Some(1060.0));
    assert_eq!(messy["summary"]["hamlets_reported"], 6);
}

#[test]
fn every_report_is_found_whatever_its_format_and_wherever_its_hamlet_and_month() {
    let r = messy();
    let ok = |h: &str| ("accepted".to_string(), h.to_string(), "2024-06".to_string());
    // .xls by xlwt, month in words ("Tháng 6 năm 2024"), shifted down and right.
    assert_eq!(status(&r, "2024-06/Lac Thanh.xls", None), ok("Lạc Thanh"));
    // .ods by odfpy, no diacritics, "T6-2024".
    assert_eq!(status(&r, "2024-06/BC thang 6 Lac Thang.ods", None), ok("Lạc Thắng"));
    // TCVN3 with .VnTime fonts, the month a date cell.
    assert_eq!(status(&r, "2024-06/Lac Hoa.xlsx", None), ok("Lạc Hòa"));
    // .xlsm by LibreOffice, decomposed Unicode.
    assert_eq!(status(&r, "2024-06/Lac Son.xlsm", None), ok("Lạc Sơn"));
    // .xlsb: one hamlet named by its sheet with its month from the folder, one in VNI.
    assert_eq!(status(&r, "2024-06/Tong hop thon.xlsb", Some("Lạc Tiến")), ok("Lạc Tiến"));
    assert_eq!(status(&r, "2024-06/Tong hop thon.xlsb", Some("Lạc Phú")), ok("Lạc Phú"));
}

#[test]
fn what_could_not_be_read_is_said_clearly() {
    let r = messy();
    assert_eq!(status(&r, "2024-06/Lac Son (cu).xlsx", None).0, "superseded");
    assert!(has(&r, "2024-06/Lac Son (cu).xlsx", "bi_thay_the"));
    assert_eq!(status(&r, "2024-06/Lac Thang.xlsx", None).0, "rejected");
    assert!(has(&r, "2024-06/Lac Thang.xlsx", "tep_hong"), "a truncated file");
    assert_eq!(status(&r, "2024-06/bao cao web.xls", None).0, "rejected");
    assert!(has(&r, "2024-06/bao cao web.xls", "khong_phai_bang_tinh"), "HTML saved as .xls");
    assert_eq!(status(&r, "2024-06/Lac Binh.xlsx", None).0, "rejected");
    let f = finding(&r, "thon_la", "A2");
    assert!(f["message"].as_str().unwrap().contains("Lạc Bình"), "{f}");
    for skipped in ["2024-06/~$Lac Hoa.xlsx", "2024-06/huong dan.docx", "2024-06/ghi chu.txt"] {
        assert!(has(&r, skipped, "bo_qua_tep"), "{skipped}");
        assert!(!r["submissions"].as_array().unwrap().iter().any(|s| s["file"] == skipped));
    }
    // The instructions sheet is not a report, and says so.
    assert!(
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["sheet"] == "Hướng dẫn" && f["rule"] == "khong_phai_bao_cao" && f["severity"] == "info")
    );
    // Errors: only those of the files that are wrong; the superseded one is
    // an error because its figures differ.
    let mut errors: Vec<&str> = findings(&r, "error").iter().map(|f| f["file"].as_str().unwrap()).collect();
    errors.sort();
    assert_eq!(
        errors,
        ["2024-06/Lac Binh.xlsx", "2024-06/Lac Son (cu).xlsx", "2024-06/Lac Thang.xlsx", "2024-06/bao cao web.xls"]
    );
}

#[test]
fn legacy_encodings_and_hidden_rows_are_read_and_said() {
    let r = messy();
    let enc: Vec<&Value> = r["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "bang_ma_cu").collect();
    assert!(
        enc.iter().any(|f| f["file"] == "2024-06/Lac Hoa.xlsx" && f["message"].as_str().unwrap().contains("TCVN3")),
        "{enc:?}"
    );
    assert!(enc.iter().any(|f| f["sheet"] == "Lạc Phú" && f["message"].as_str().unwrap().contains("VNI")), "{enc:?}");
    let hidden = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "dong_an" && f["file"] == "2024-06/Lac Hoa.xlsx")
        .expect("hidden row");
    assert_eq!(hidden["severity"], "warning");
    assert!(hidden["message"].as_str().unwrap().contains("Rau màu"), "{hidden}");
}

#[test]
fn numbers_typed_as_text_are_read_the_vietnamese_way() {
    let r = messy();
    let f = finding(&r, "so_dang_chu", "D11");
    assert_eq!(f["file"], "2024-06/Lac Thanh.xls");
    assert_eq!(f["actual"].as_f64(), Some(12.5));
    assert_eq!(f["severity"], "info");

    let r = case("so dang chu");
    let gia_cam = finding(&r, "so_dang_chu_mo_ho", "D20");
    assert_eq!(gia_cam["severity"], "warning");
    assert_eq!(gia_cam["actual"].as_f64(), Some(5900.0), "a count is read as thousands");
    assert_eq!(finding(&r, "so_dang_chu_mo_ho", "D19")["actual"].as_f64(), Some(2125.0));
    assert_eq!(finding(&r, "khong_phai_so", "D17")["severity"], "error");
    assert_eq!(finding(&r, "o_trong", "D21")["severity"], "info");
    assert_eq!(finding(&r, "so_dang_chu", "D28")["actual"].as_f64(), Some(40.0), "0,04 km is 40 m");
    assert_eq!(finding(&r, "nhan_la", "B22")["severity"], "warning", "a row the form does not have");
    assert_eq!(finding(&r, "dong_tong", "B23")["severity"], "info");
    assert_eq!(total_value(&r, "ong"), None, "a dash is empty, not zero");
    assert_eq!(total_value(&r, "duong_noi_dong"), Some(40.0));
}

#[test]
fn formulas_without_a_value_and_error_cells_are_not_zero() {
    let r = case("cong thuc");
    let f = finding(&r, "cong_thuc_chua_tinh", "E11");
    assert_eq!(f["indicator"], "ngo.san_luong");
    assert_eq!(total_value(&r, "ngo.san_luong"), None);
    assert_eq!(finding(&r, "o_loi", "D8")["severity"], "error");
    assert!(finding(&r, "o_loi", "D18")["message"].as_str().unwrap().contains("#REF!"));
    assert_eq!(total_value(&r, "bo"), None);
}

#[test]
fn labels_are_never_confused() {
    let r = case("nhan");
    assert_eq!(total_value(&r, "tre_duoi_5"), Some(51.0));
    assert_eq!(total_value(&r, "tre_sdd"), Some(10.0));
    assert_eq!(total_value(&r, "ho"), Some(180.0));
    assert_eq!(total_value(&r, "ho_ngheo"), Some(7.0));
    assert!(findings(&r, "warning").iter().all(|f| f["rule"] == "chua_nop"), "{:#}", r["findings"]);
}

#[test]
fn a_conflict_between_header_and_names_is_a_warning() {
    let r = case("khong khop");
    assert_eq!(status(&r, "2024-05/Lac Phu.xlsx", None), ("accepted".into(), "Lạc Tiến".into(), "2024-06".into()));
    assert_eq!(finding(&r, "thon_khong_khop", "A2")["severity"], "warning");
    assert_eq!(finding(&r, "thang_khong_khop", "D2")["severity"], "warning");
}

#[test]
fn hidden_sheets_are_read_but_flagged() {
    let r = case("trang an");
    assert_eq!(status(&r, "Lac Hoa.xlsx", Some("Tháng 5 (cũ)")).2, "2024-05");
    let f = r["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "trang_an").expect("hidden sheet");
    assert_eq!(f["sheet"], "Tháng 5 (cũ)");
    assert_eq!(f["severity"], "warning");
}

#[test]
fn merged_headers_lead_to_the_done_columns_not_the_plan() {
    // Excel 97-2003: "Diện tích (ha)" merged over "Kế hoạch" and "Thực hiện".
    let r = case("tieu de gop");
    assert_eq!(total_value(&r, "lua_xuan.dien_tich"), Some(11.0));
    assert_eq!(total_value(&r, "lua_xuan.san_luong"), Some(66.0));
    assert_eq!(total_value(&r, "ngo.nang_suat"), Some(38.0));
    let s = &r["submissions"][0];
    assert_eq!(s["hamlet"], "Lạc Thắng");
    assert!(findings(&r, "error").is_empty(), "{:#}", r["findings"]);
}

#[test]
fn hidden_rows_are_said_in_ods_too() {
    let r = messy();
    let f = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "dong_an" && f["file"] == "2024-06/BC thang 6 Lac Thang.ods");
    assert!(f.is_some_and(|f| f["message"].as_str().unwrap().contains("Đậu")), "{:#}", r["findings"]);
}

/// A form written here, with one figure cell holding `text`.
fn form_with_text(path: &std::path::Path, text: &str) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "BÁO CÁO KẾT QUẢ SẢN XUẤT VÀ ĐỜI SỐNG THÁNG 6 NĂM 2024").unwrap();
    ws.write_string(1, 0, "Thôn: Lạc Sơn").unwrap();
    for (c, h) in ["STT", "Cây trồng", "Diện tích (ha)", "Năng suất (tạ/ha)", "Sản lượng (tấn)"].iter().enumerate()
    {
        ws.write_string(3, c as u16, *h).unwrap();
    }
    ws.write_string(4, 1, "Lúa vụ xuân").unwrap();
    ws.write_string(4, 2, text).unwrap();
    ws.write_string(5, 1, text).unwrap();
    ws.write_number(5, 2, 3.0).unwrap();
    wb.save(path).unwrap();
}

#[test]
fn a_cell_full_of_text_is_quoted_short_and_the_workbook_is_written() {
    let dir = tempdir();
    let folder = dir.path().join("2024-06");
    std::fs::create_dir(&folder).unwrap();
    form_with_text(&folder.join("Lac Son.xlsx"), &"chữ ".repeat(8_000));
    let out = dir.path().join("th.xlsx");
    let json = dir.path().join("r.json");
    let r = tonghop(&["run", folder.to_str().unwrap(), "-o", out.to_str().unwrap(), "--json", json.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rep: Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let f = rep["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "khong_phai_so").expect("not a number");
    assert!(f["message"].as_str().unwrap().chars().count() < 300, "{f}");
    let unknown = rep["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "nhan_la").expect("unknown label");
    assert!(unknown["message"].as_str().unwrap().chars().count() < 300);
    assert_eq!(sheet_names(&out).len(), 4);
}

#[cfg(unix)]
#[test]
fn links_to_devices_and_pipes_are_not_read() {
    let dir = tempdir();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.xlsx")).unwrap();
    let fifo = dir.path().join("pipe.xlsx");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().map(|s| s.success()).unwrap_or(false);
    assert!(made, "mkfifo");
    let (_, r) = validate_json(&[dir.path()], &[]);
    // Neither is read: no submission, and the run ends.
    assert!(r["submissions"].as_array().unwrap().is_empty(), "{r}");
}
