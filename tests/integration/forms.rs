//! The forms hamlets are sent (`template`): one per hamlet, pre-filled with
//! the latest stocks, every input validated, labels protected, a hidden
//! identity the reader trusts, and a filled form that reads back with no
//! finding.

use std::path::{Path, PathBuf};

use crate::util::*;

/// The forms of July 2024 for every hamlet, pre-filled from the samples.
fn july_forms(dir: &Path) -> PathBuf {
    let out = dir.join("forms");
    let r = tonghop_in(
        dir,
        &["template", &samples().to_string_lossy(), "--all", "--period", "2024-07", "-o", &out.to_string_lossy()],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    out
}

fn form_of(forms: &Path, hamlet_file: &str) -> PathBuf {
    forms.join(format!("Bao cao {hamlet_file} 2024-07.xlsx"))
}

#[test]
fn every_hamlet_gets_a_form_with_its_latest_stocks_and_no_flow() {
    let dir = tempdir();
    let forms = july_forms(dir.path());
    let mut names: Vec<String> =
        std::fs::read_dir(&forms).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names.len(), 6, "{names:?}");
    let son = form_of(&forms, "lac-son");
    assert_eq!(sheet_names(&son), ["Báo cáo", "tonghop"]);
    let ws = sheet(&son, "Báo cáo");
    // Stocks carried from June, flows left blank: the buffaloes are there,
    // the forest planted in June is not this month's.
    let trau = find_row(&ws, 1, "Trâu").expect("Trâu");
    assert!(number(&ws, trau, 3).is_some_and(|v| v > 0.0), "{:?}", ws.get_value((trau, 3)));
    let rung = find_row(&ws, 1, "Trồng rừng tập trung").expect("rừng");
    assert_eq!(number(&ws, rung, 3), None);
    // The July forms sent back as they are read with no finding of their
    // own but one: nothing of July was written in them (`chua_dien`, a
    // warning); the stocks add up to June's where June's were certain.
    let (_, june) = validate_json(&[&samples()], &["--period", "2024-06"]);
    let (code, july) = validate_json(&[&forms], &["--period", "2024-07"]);
    assert_eq!(code, 0, "{:#?}", july.findings);
    // Each carried figure is said at its cell, so its totals are marked.
    let own: Vec<&Finding> = july.findings.iter().filter(|f| f.file.is_some()).collect();
    assert!(own.iter().all(|f| f.rule == "chua_dien" && f.severity == "warning"), "{own:#?}");
    assert!(own.iter().all(|f| f.cell.is_some() && f.indicator.is_some()), "{own:#?}");
    let files: std::collections::BTreeSet<&str> = own.iter().filter_map(|f| f.file.as_deref()).collect();
    assert_eq!(files.len(), 6, "{own:#?}");
    assert!(july.total("trau").has_errors, "a total of carried figures is not rated");
    assert_eq!(july.summary.accepted, 6);
    for code in ["trau", "bo", "ho", "nhan_khau"] {
        let doubted = june.findings.iter().any(|f| f.indicator.as_deref() == Some(code));
        assert!(!doubted, "{code} has a finding in June: pick another indicator");
        assert_eq!(july.total_value(code), june.total_value(code), "{code}");
    }
    // What June doubted is not carried: Lạc Tiến's poultry (a fraction).
    let tien = sheet(&form_of(&forms, "lac-tien"), "Báo cáo");
    let gia_cam = find_row(&tien, 1, "Gia cầm").expect("Gia cầm");
    assert_eq!(number(&tien, gia_cam, 3), None);
}

#[test]
fn inputs_are_validated_and_the_rest_protected() {
    let dir = tempdir();
    let out = dir.path().join("Lac Son.xlsx");
    let r = tonghop(&["template", "--hamlet", "Lạc Sơn", "--period", "2024-07", "-o", &out.to_string_lossy()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let xml = xlsx_part(&out, "xl/worksheets/sheet1.xml").expect("sheet1");
    assert!(xml.contains("<sheetProtection"), "not protected");
    assert!(!xml.contains("password="), "a password");
    let ws = sheet(&out, "Báo cáo");
    let f = formulas(&out, "Báo cáo");
    let validated = |row: u32, col: u32| -> Option<String> {
        let cell = format!("{}{}", col_name(col), row + 1);
        let at = xml.find(&format!("sqref=\"{cell}\""))?;
        let rest = &xml[at..];
        let f = rest.find("<formula1>")? + "<formula1>".len();
        Some(rest[f..f + rest[f..].find("</formula1>")?].to_string())
    };
    // A count is whole, an area any number not below zero; "-" for none.
    let trau = find_row(&ws, 1, "Trâu").unwrap();
    let rule = validated(trau, 3).expect("Trâu validated");
    assert!(rule.contains("INT(") && rule.contains("&quot;-&quot;") || rule.contains("\"-\""), "{rule}");
    let xuan = find_row(&ws, 1, "- Lúa vụ xuân").unwrap();
    let rule = validated(xuan, 2).expect("area validated");
    assert!(!rule.contains("INT(") && rule.contains("&gt;=0"), "{rule}");
    assert!(xml.contains("promptTitle=") && xml.contains("Đơn vị: ha"), "input message with the unit");
    // The total row is computed, never an input.
    let lua = find_row(&ws, 1, "Lúa cả năm").unwrap();
    for col in 2..=4 {
        assert!(validated(lua, col).is_none(), "total row validated at column {col}");
        let formula = f.get_value((lua, col)).cloned().unwrap_or_default();
        assert!(!formula.is_empty(), "total row column {col} has no formula");
    }
    assert!(f.get_value((lua, 2)).unwrap().contains("SUM("));
    // Instructions and the signature.
    let all: Vec<String> = ws.rows().flat_map(|r| r.iter().map(|d| d.to_string())).collect();
    assert!(all.iter().any(|t| t.contains("để trống, không ghi 0")), "instructions");
    assert!(all.iter().any(|t| t == "(Ký, ghi rõ họ tên)"));
    assert!(all.iter().any(|t| t == "TRƯỞNG THÔN"));
    // The identity sheet is hidden.
    let book = xlsx_part(&out, "xl/workbook.xml").unwrap();
    assert!(book.contains("name=\"tonghop\" sheetId=\"2\" state=\"hidden\""), "{book}");
}

#[test]
fn a_form_copied_and_its_month_changed_by_hand_is_read_as_the_month_shown_with_a_warning() {
    let dir = tempdir();
    // Pre-filled from May: figures, so that it is a report. (Tests are run
    // on 2024-07-05: a later month would be one not yet come.)
    let june = lac_son_form(dir.path(), "june.xlsx", "2024-06");
    let filled = dir.path().join("in");
    std::fs::create_dir_all(&filled).unwrap();
    let july = filled.join("lac son.xlsx");
    rewrite_xlsx(&june, &july, |name, xml| {
        if name == "xl/sharedStrings.xml" { xml.replace("Tháng: 06/2024", "Tháng: 07/2024") } else { xml }
    });
    let (_, r) = validate_json(&[&filled], &["--period", "2024-07"]);
    let sub = &r.submissions[0];
    assert_eq!((sub.hamlet.as_deref(), sub.period.as_deref()), (Some("Lạc Sơn"), Some("2024-07")), "{r:#?}");
    let said: Vec<(&str, &str)> = r.findings.iter().map(|f| (f.rule.as_str(), f.severity.as_str())).collect();
    assert!(said.contains(&("ma_bieu_mau_khac", "warning")), "{said:?}");
    // Unchanged, the identity agrees with what is shown: nothing is said.
    let (_, r) = validate_json(&[&june], &["--period", "2024-06"]);
    assert!(r.findings.iter().all(|f| f.rule != "ma_bieu_mau_khac"), "{:#?}", r.findings);
    // The identity names the hamlet and month where nothing visible does.
    std::fs::remove_file(&july).unwrap();
    let nameless = filled.join("bao cao.xlsx");
    rewrite_xlsx(&june, &nameless, |name, xml| {
        if name != "xl/sharedStrings.xml" {
            return xml;
        }
        xml.replace("Thôn: Lạc Sơn", "Thôn:").replace("Tháng: 06/2024", "Tháng:").replace(" THÁNG 6 NĂM 2024", "")
    });
    let (_, r) = validate_json(&[&filled], &["--period", "2024-06"]);
    let sub = &r.submissions[0];
    assert_eq!((sub.hamlet.as_deref(), sub.period.as_deref()), (Some("Lạc Sơn"), Some("2024-06")), "{r:#?}");
}

/// Lạc Sơn's form for `period`, pre-filled from the samples, written as
/// `name` in `dir`.
fn lac_son_form(dir: &Path, name: &str, period: &str) -> PathBuf {
    let form = dir.join(name);
    let (input, out) = (samples().to_string_lossy().into_owned(), form.to_string_lossy().into_owned());
    let r = tonghop(&["template", &input, "--hamlet", "Lạc Sơn", "--period", period, "-o", &out]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    form
}

fn col_name(col: u32) -> String {
    ((b'A' + col as u8) as char).to_string()
}

#[test]
fn a_formula_of_the_hamlets_own_in_a_form_without_its_value_is_never_blank_in_silence() {
    let dir = tempdir();
    let form = lac_son_form(dir.path(), "form.xlsx", "2024-07");
    let row = find_row(&sheet(&form, "Báo cáo"), 1, "Trâu").unwrap();
    let cell = format!("D{}", row + 1);
    // The hamlet wrote "=100+15" in the buffaloes' cell, saved by a program
    // that does not compute formulas: no value stored.
    let sent = dir.path().join("in");
    std::fs::create_dir_all(&sent).unwrap();
    rewrite_xlsx(&form, &sent.join("lac son.xlsx"), |name, xml| {
        if name != "xl/worksheets/sheet1.xml" {
            return xml;
        }
        let at = xml.find(&format!("<c r=\"{cell}\"")).unwrap();
        let end = at + xml[at..].find("</c>").unwrap() + "</c>".len();
        format!("{}<c r=\"{cell}\"><f>100+15</f></c>{}", &xml[..at], &xml[end..])
    });
    let (_, r) = validate_json(&[&sent], &["--period", "2024-07"]);
    let f = r.finding_at("cong_thuc_chua_tinh", &cell);
    assert_eq!(f.indicator.as_deref(), Some("trau"));
    assert!(r.total("trau").has_errors, "{:#?}", r.total("trau"));
}
