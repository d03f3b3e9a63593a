//! Reading submissions as people really send them (FORM.md, "How real
//! submissions differ from the form"): fixtures written by openpyxl, xlwt,
//! odfpy, pyxlsbwriter and LibreOffice (tools/make_fixtures.py).

use crate::builder::{Cell, Sheet, write_xlsx};
use crate::util::*;

fn messy() -> Report {
    validate_json(&[&fixtures().join("messy")], &[]).1
}

fn case(name: &str) -> Report {
    validate_json(&[&fixtures().join("cases").join(name)], &[]).1
}

fn has(r: &Report, file: &str, rule: &str) -> bool {
    r.findings.iter().any(|f| f.in_file(file) && f.rule == rule)
}

/// Status, hamlet and period of a submission; "-" for a null.
fn status(r: &Report, file: &str, sheet: Option<&str>) -> (String, String, String) {
    let s = r.submission(file, sheet);
    let txt = |v: &Option<String>| v.as_deref().unwrap_or("-").to_string();
    (s.status.clone(), txt(&s.hamlet), txt(&s.period))
}

#[test]
fn a_folder_of_every_variation_gives_the_totals_of_the_clean_form() {
    let (_, clean) = validate_json(&[&fixtures().join("clean")], &[]);
    let messy = messy();
    assert_eq!(clean.period, messy.period);
    for t in &clean.totals {
        let code = t.indicator.as_str();
        let (a, b) = (t.value, messy.total_value(code));
        match (a, b) {
            (Some(a), Some(b)) => assert!(close(a, b), "{code}: clean {a}, messy {b}"),
            _ => assert_eq!(a, b, "{code}"),
        }
    }
    // The totals are not empty: every hamlet is in them.
    assert_eq!(messy.total_value("ho"), Some(1060.0));
    assert_eq!(messy.summary.hamlets_reported, 6);
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
    let f = r.finding_at("thon_la", "A2");
    assert!(f.message.contains("Lạc Bình"), "{f:#?}");
    for skipped in ["2024-06/~$Lac Hoa.xlsx", "2024-06/huong dan.docx", "2024-06/ghi chu.txt"] {
        assert!(has(&r, skipped, "bo_qua_tep"), "{skipped}");
        assert!(!r.submissions.iter().any(|s| s.file == skipped), "{:#?}", r.submissions);
    }
    // The instructions sheet is not a report, and says so.
    assert!(
        r.findings
            .iter()
            .any(|f| f.sheet.as_deref() == Some("Hướng dẫn") && f.rule == "khong_phai_bao_cao" && f.severity == "info"),
        "{:#?}",
        r.findings
    );
    // Errors: only those of the files that are wrong; the superseded one is
    // an error because its figures differ.
    let mut errors: Vec<&str> = r
        .with_severity("error")
        .iter()
        .map(|f| f.file.as_deref().unwrap_or_else(|| panic!("no file: {f:#?}")))
        .collect();
    errors.sort();
    assert_eq!(
        errors,
        ["2024-06/Lac Binh.xlsx", "2024-06/Lac Son (cu).xlsx", "2024-06/Lac Thang.xlsx", "2024-06/bao cao web.xls"]
    );
}

#[test]
fn legacy_encodings_and_hidden_rows_are_read_and_said() {
    let r = messy();
    let enc = r.with_rule("bang_ma_cu");
    assert!(enc.iter().any(|f| f.in_file("2024-06/Lac Hoa.xlsx") && f.message.contains("TCVN3")), "{enc:#?}");
    assert!(enc.iter().any(|f| f.sheet.as_deref() == Some("Lạc Phú") && f.message.contains("VNI")), "{enc:#?}");
    let hidden = r
        .findings
        .iter()
        .find(|f| f.rule == "dong_an" && f.in_file("2024-06/Lac Hoa.xlsx"))
        .unwrap_or_else(|| panic!("no hidden row in {:#?}", r.findings));
    assert_eq!(hidden.severity, "warning");
    assert!(hidden.message.contains("Rau màu"), "{hidden:#?}");
}

#[test]
fn numbers_typed_as_text_are_read_the_vietnamese_way() {
    let r = messy();
    let f = r.finding_at("so_dang_chu", "D11");
    assert_eq!(f.file.as_deref(), Some("2024-06/Lac Thanh.xls"));
    assert_eq!(f.actual, Some(12.5));
    assert_eq!(f.severity, "info");

    let r = case("so dang chu");
    let gia_cam = r.finding_at("so_dang_chu_mo_ho", "D20");
    assert_eq!(gia_cam.severity, "warning");
    assert_eq!(gia_cam.actual, Some(5900.0), "a count is read as thousands");
    assert!(gia_cam.message.contains("tiếng Anh"), "{gia_cam:#?}");
    let lon = r.finding_at("so_dang_chu", "D19");
    assert_eq!((lon.severity.as_str(), lon.actual), ("info", Some(2125.0)), "a count cannot be 2,125");
    assert_eq!(r.finding_at("khong_phai_so", "D17").severity, "error");
    let dash = r.finding_at("o_gach", "D21");
    assert_eq!((dash.severity.as_str(), dash.actual), ("info", Some(0.0)), "a dash is zero");
    assert_eq!(r.finding_at("so_dang_chu", "D28").actual, Some(40.0), "0,04 km is 40 m");
    assert_eq!(r.finding_at("nhan_la", "B22").severity, "warning", "a row the form does not have");
    assert_eq!(r.finding_at("dong_tong", "B23").severity, "info");
    assert_eq!(r.total_value("ong"), Some(0.0), "a dash is zero, as in statistical tables");
    assert_eq!(r.total_value("duong_noi_dong"), Some(40.0));
}

#[test]
fn formulas_without_a_value_and_error_cells_are_not_zero() {
    let r = case("cong thuc");
    let f = r.finding_at("cong_thuc_chua_tinh", "E11");
    assert_eq!(f.indicator.as_deref(), Some("ngo.san_luong"));
    assert_eq!(r.total_value("ngo.san_luong"), None);
    assert_eq!(r.finding_at("o_loi", "D8").severity, "error");
    let f = r.finding_at("o_loi", "D18");
    assert!(f.message.contains("#REF!"), "{f:#?}");
    assert_eq!(r.total_value("bo"), None);
}

#[test]
fn labels_are_never_confused() {
    let r = case("nhan");
    assert_eq!(r.total_value("tre_duoi_5"), Some(51.0));
    assert_eq!(r.total_value("tre_sdd"), Some(10.0));
    assert_eq!(r.total_value("ho"), Some(180.0));
    assert_eq!(r.total_value("ho_ngheo"), Some(7.0));
    assert!(r.with_severity("warning").iter().all(|f| f.rule == "chua_nop"), "{:#?}", r.findings);
}

#[test]
fn a_conflict_between_header_and_names_is_a_warning() {
    let r = case("khong khop");
    assert_eq!(status(&r, "2024-05/Lac Phu.xlsx", None), ("accepted".into(), "Lạc Tiến".into(), "2024-06".into()));
    assert_eq!(r.finding_at("thon_khong_khop", "A2").severity, "warning");
    assert_eq!(r.finding_at("thang_khong_khop", "D2").severity, "warning");
}

#[test]
fn hidden_sheets_are_read_but_flagged() {
    let r = case("trang an");
    assert_eq!(status(&r, "Lac Hoa.xlsx", Some("Tháng 5 (cũ)")).2, "2024-05");
    let f = *r.with_rule("trang_an").first().unwrap_or_else(|| panic!("no hidden sheet in {:#?}", r.findings));
    assert_eq!(f.sheet.as_deref(), Some("Tháng 5 (cũ)"));
    assert_eq!(f.severity, "warning");
}

#[test]
fn merged_headers_lead_to_the_done_columns_not_the_plan() {
    // Excel 97-2003: "Diện tích (ha)" merged over "Kế hoạch" and "Thực hiện".
    let r = case("tieu de gop");
    assert_eq!(r.total_value("lua_xuan.dien_tich"), Some(11.0));
    assert_eq!(r.total_value("lua_xuan.san_luong"), Some(66.0));
    assert_eq!(r.total_value("ngo.nang_suat"), Some(38.0));
    let s = r.submissions.first().unwrap_or_else(|| panic!("no submission: {r:#?}"));
    assert_eq!(s.hamlet.as_deref(), Some("Lạc Thắng"));
    assert!(r.with_severity("error").is_empty(), "{:#?}", r.findings);
}

#[test]
fn hidden_rows_are_said_in_ods_too() {
    let r = messy();
    let f = r.findings.iter().find(|f| f.rule == "dong_an" && f.in_file("2024-06/BC thang 6 Lac Thang.ods"));
    assert!(f.is_some_and(|f| f.message.contains("Đậu")), "{:#?}", r.findings);
}

/// A form written here, with one figure cell holding `text`.
fn form_with_text(path: &std::path::Path, text: &str) {
    let t = |s: &str| Cell::from(s);
    let sheet = Sheet::new("Sheet1")
        .row(vec![t("BÁO CÁO KẾT QUẢ SẢN XUẤT VÀ ĐỜI SỐNG THÁNG 6 NĂM 2024")])
        .row(vec![t("Thôn: Lạc Sơn")])
        .row(vec![])
        .row(["STT", "Cây trồng", "Diện tích (ha)", "Năng suất (tạ/ha)", "Sản lượng (tấn)"].map(t).to_vec())
        .row(vec![t(""), t("Lúa vụ xuân"), t(text)])
        .row(vec![t(""), t(text), Cell::Number(3.0)]);
    write_xlsx(path, &[sheet]);
}

/// Figures for every indicator of the form that agree with every rule:
/// areas, yields and outputs that multiply, parts within their wholes.
pub fn consistent_figures(code: &str) -> Option<f64> {
    let crop = |area: f64, yld: f64| match code.rsplit_once('.').map(|(_, c)| c) {
        Some("dien_tich") => Some(area),
        Some("nang_suat") => Some(yld),
        Some("san_luong") => Some(area * yld / 10.0),
        _ => None,
    };
    match code.split('.').next().unwrap_or(code) {
        "lua" => crop(20.0, 55.0),
        "lua_xuan" => crop(12.0, 60.0),
        "lua_he_thu" => crop(8.0, 47.5),
        "lac" => crop(25.0, 22.0),
        "san" => crop(20.0, 200.0),
        "khoai_lang" => crop(2.0, 80.0),
        "ngo" => crop(30.0, 40.0),
        "dau" => crop(5.0, 8.0),
        "rau" => crop(3.5, 100.0),
        _ => Some(match code {
            "trau" => 120.0,
            "bo" => 150.0,
            "lon" => 400.0,
            "gia_cam" => 6000.0,
            "ong" => 170.0,
            "trong_rung" => 20.0,
            "duong_noi_dong" => 40.0,
            "ranh_thoat_nuoc" => 12.0,
            "ho" => 185.0,
            "ho_ngheo" => 8.0,
            "ho_can_ngheo" => 12.0,
            "nhan_khau" => 700.0,
            "bhyt" => 672.0,
            "lao_dong" => 420.0,
            "lao_dong_dao_tao" => 280.0,
            "tre_duoi_5" => 52.0,
            "tre_sdd" => 9.0,
            _ => return None,
        }),
    }
}

#[test]
fn a_form_written_here_reads_back_figure_for_figure_with_no_finding() {
    let dir = tempdir();
    let sheet = Sheet::form("Lạc Sơn", 6, 2024, consistent_figures);
    write_xlsx(&dir.path().join("2024-06").join("Lac Son.xlsx"), &[sheet]);
    let (code, r) = validate_json(&[dir.path()], &[]);
    assert_eq!(code, 0, "{:#?}", r.findings);
    let own: Vec<&Finding> = r.findings.iter().filter(|f| f.rule != "chua_nop").collect();
    assert!(own.is_empty(), "{own:#?}");
    let mut read = 0;
    for t in r.totals.iter().filter(|t| !t.indicator.ends_with("nang_suat")) {
        if let Some(want) = consistent_figures(&t.indicator) {
            assert_eq!(t.value, Some(want), "{}", t.indicator);
            read += 1;
        }
    }
    assert_eq!(read, 44 - 9, "every figure of the form but the yields");
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
    let rep = Report::read(&json);
    let f = *rep.with_rule("khong_phai_so").first().unwrap_or_else(|| panic!("not a number: {:#?}", rep.findings));
    assert!(f.message.chars().count() < 300, "{f:#?}");
    let unknown = *rep.with_rule("nhan_la").first().unwrap_or_else(|| panic!("unknown label: {:#?}", rep.findings));
    assert!(unknown.message.chars().count() < 300, "{unknown:#?}");
    assert_eq!(sheet_names(&out).len(), 4);
}

#[cfg(unix)]
#[test]
fn links_to_devices_and_pipes_are_not_read_but_said() {
    let dir = tempdir();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.xlsx")).unwrap();
    std::os::unix::fs::symlink("/no/such/file.xlsx", dir.path().join("gone.xlsx")).unwrap();
    let fifo = dir.path().join("pipe.xlsx");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().map(|s| s.success()).unwrap_or(false);
    assert!(made, "mkfifo");
    write_xlsx(
        &dir.path().join("2024-06").join("Lac Son.xlsx"),
        &[Sheet::form("Lạc Sơn", 6, 2024, consistent_figures)],
    );
    let (_, r) = validate_json(&[dir.path()], &[]);
    // None is read (the run ends), and each is said.
    assert_eq!(r.submissions.len(), 1, "{:#?}", r.submissions);
    for name in ["zero.xlsx", "gone.xlsx", "pipe.xlsx"] {
        let f = r.findings.iter().find(|f| f.in_file(name)).unwrap_or_else(|| panic!("{name}: {:#?}", r.findings));
        assert_eq!((f.severity.as_str(), f.rule.as_str()), ("info", "bo_qua_tep"), "{f:#?}");
    }
    // Named on the command line, a pipe is an error, and still not opened.
    let (code, r) = validate_json(&[&fifo], &[]);
    assert_eq!(code, 1);
    assert_eq!(r.with_rule("khong_phai_bang_tinh").len(), 1, "{:#?}", r.findings);
}

#[test]
fn a_form_shifted_and_widened_by_hand_gives_the_same_totals() {
    let dir = tempdir();
    let clean = Sheet::form("Lạc Sơn", 6, 2024, consistent_figures);
    let mut moved = clean.clone();
    moved.insert_row(0, vec![Cell::from("UBND XÃ"), Cell::Empty, Cell::from("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")]);
    moved.insert_row(1, vec![]);
    moved.insert_col(0, |_| Cell::Empty);
    // A plan column beside the done one, which must not be read.
    let (r, c) = moved.find("Sản lượng (tấn)").expect("header");
    moved.insert_col(c + 1, |row| if row == r { Cell::from("Kế hoạch") } else { Cell::Number(999.0) });
    moved.set(r + 40, 1, Cell::from("Người lập biểu"));
    write_xlsx(&dir.path().join("a").join("2024-06").join("Lac Son.xlsx"), &[clean]);
    write_xlsx(&dir.path().join("b").join("2024-06").join("Lac Son.xlsx"), &[moved]);
    let (_, a) = validate_json(&[&dir.path().join("a")], &[]);
    let (_, b) = validate_json(&[&dir.path().join("b")], &[]);
    for t in &a.totals {
        assert_eq!(t.value, b.total_value(&t.indicator), "{}", t.indicator);
    }
    assert_eq!(b.total_value("lua_xuan.san_luong"), Some(72.0));
}
