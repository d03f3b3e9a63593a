//! Every rule kind of the schema, on fixtures: what fires, where, with what
//! figures and hints; what must not fire; and rules are data, not code.

use std::fs;

use crate::builder::{Sheet, write_xlsx};
use crate::reading::consistent_figures;
use crate::util::*;

fn run(dir: &str, extra: &[&str]) -> Report {
    validate_json(&[&fixtures().join(dir)], extra).1
}

fn at<'a>(r: &'a Report, file: &str, cell: &str, rule: &str) -> &'a Finding {
    r.findings
        .iter()
        .find(|f| f.in_file(file) && f.at_cell(cell) && f.rule == rule)
        .unwrap_or_else(|| panic!("no {rule} at {file} {cell}:\n{:#?}", r.findings))
}

#[test]
fn every_unit_slip_gets_the_right_hint() {
    let r = run("cases/don vi", &[]);
    // Output typed in tạ.
    let f = at(&r, "2024-06/Lac Thang.xlsx", "E6", "san_luong_khop");
    assert!(f.message.contains("Sản lượng lúa vụ xuân 660 tấn (ô E6): có lẽ đã ghi theo tạ (66 tấn)"), "{f:#?}");
    assert_eq!((f.expected, f.actual), (Some(66.0), Some(660.0)));
    // Output typed in kg.
    let f = at(&r, "2024-06/Lac Hoa.xlsx", "E11", "san_luong_khop");
    assert!(f.message.contains("có lẽ đã ghi theo kg (113,4 tấn)"), "{f:#?}");
    // Yield typed in tấn/ha: the yield is the odd one, not the output, and
    // the finding sits on it.
    let f = at(&r, "2024-06/Lac Son.xlsx", "D6", "san_luong_khop");
    assert!(
        f.message.contains("Năng suất lúa vụ xuân 6,1 tạ/ha (ô D6): có lẽ đã ghi theo tấn/ha (61 tạ/ha)"),
        "{f:#?}"
    );
    assert_eq!((f.indicator.as_deref(), f.expected, f.actual), (Some("lua_xuan.nang_suat"), Some(61.0), Some(6.1)));
    assert!(
        r.findings.iter().all(|f| !(f.in_file("2024-06/Lac Son.xlsx") && f.at_cell("E6"))),
        "nothing on the output"
    );
    // An area with a zero too many: no unit explains it, the other hamlets do.
    let f = at(&r, "2024-06/Lac Thanh.xlsx", "C8", "san_luong_khop");
    assert!(f.message.contains("Diện tích lạc 300 ha (ô C8): có lẽ gõ thừa chữ số 0"), "{f:#?}");
    assert!(f.message.contains("(30 ha)"), "{f:#?}");
    // A total row with a zero too many.
    let f = at(&r, "2024-06/Lac Tien.xlsx", "C6", "tong_lua_dien_tich");
    assert!(f.message.contains("(18,5 ha)"), "{f:#?}");
    assert_eq!((f.expected, f.actual), (Some(18.5), Some(185.0)));
}

#[test]
fn figures_that_are_only_rounded_are_right() {
    // Lạc Phú: 27,3 ha × 40,6 tạ/ha = 110,838 tấn, written 110,8.
    let r = run("cases/don vi", &[]);
    let phu: Vec<&Finding> = r.findings.iter().filter(|f| f.in_file("2024-06/Lac Phu.xlsx")).collect();
    assert!(phu.is_empty(), "{phu:#?}");
    let errors = r.with_severity("error");
    assert_eq!(errors.len(), 5, "{errors:#?}");
}

#[test]
fn a_plausible_range_is_a_warning() {
    let r = run("cases/don vi", &[]);
    let f = at(&r, "2024-06/Lac Son.xlsx", "D6", "nang_suat_lua");
    assert_eq!(f.severity, "warning");
    assert_eq!(f.expected, Some(30.0));
    assert_eq!(f.actual, Some(6.1));
    assert!(f.instruction.as_deref().unwrap().contains("tạ/ha"), "the rule's instruction comes with it: {f:#?}");
}

#[test]
fn changes_month_over_month_and_shrinking_areas_are_warnings() {
    let r = run("cases/bien dong", &[]);
    let f = at(&r, "2024-06/Lac Phu.xlsx", "D17", "bien_dong_vat_nuoi");
    assert_eq!((f.expected, f.actual), (Some(120.0), Some(200.0)));
    assert!(f.message.contains("+66,7%"), "{f:#?}");
    let f = at(&r, "2024-06/Lac Phu.xlsx", "D31", "bien_dong_so_ho");
    assert_eq!(f.indicator.as_deref(), Some("ho"));
    let f = at(&r, "2024-06/Lac Phu.xlsx", "C8", "dien_tich_giam");
    assert_eq!(f.indicator.as_deref(), Some("lac.dien_tich"));
    assert_eq!(f.severity, "warning");
    // Nothing else changed enough.
    let changes: Vec<&Finding> =
        r.findings.iter().filter(|f| f.rule.starts_with("bien_dong") || f.rule == "dien_tich_giam").collect();
    assert_eq!(changes.len(), 3, "{changes:#?}");
}

#[test]
fn completeness_names_the_hamlets_that_did_not_report() {
    let r = run("cases/bien dong", &[]);
    let all = r.with_rule("chua_nop");
    let missing: Vec<&&Finding> = all.iter().filter(|f| f.hamlet.is_some()).collect();
    // Five hamlets, in May and in June.
    assert_eq!(missing.len(), 10, "{missing:#?}");
    // And the months before with no report at all, once: the year to date lacks them.
    let months: Vec<&&Finding> = all.iter().filter(|f| f.hamlet.is_none()).collect();
    assert_eq!(months.len(), 1, "{months:#?}");
    assert!(months[0].message.contains("các tháng 01/2024 đến 04/2024"), "{months:#?}");
    let f = missing
        .iter()
        .find(|f| f.hamlet.as_deref() == Some("Lạc Sơn") && f.period.as_deref() == Some("2024-06"))
        .expect("Lạc Sơn, June");
    assert!(f.message.contains("1/6 thôn đã nộp"), "{f:#?}");
    assert!(f.file.is_none() && f.cell.is_none(), "{f:#?}");
    // The samples: every hamlet reported May and June; only the months
    // before are said.
    let (_, s) = validate_json(&[&samples()], &[]);
    let said: Vec<&Finding> = s.with_rule("chua_nop");
    assert!(said.len() == 1 && said[0].hamlet.is_none(), "{said:#?}");
}

#[test]
fn rules_are_not_tied_to_the_hamlet_form() {
    // The resolution claims 11,08 / 5,57 is 211,8 % of the plan; it is 198,9 %.
    let schema = fixtures().join("xa").join("xa.toml");
    let r = tonghop(&["schema", "check", schema.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (code, r) = validate_json(&[&fixtures().join("xa")], &["--schema", schema.to_str().unwrap()]);
    assert_eq!(code, 1);
    let errors = r.with_severity("error");
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let f = errors[0];
    assert_eq!(f.rule, "ty_le_ke_hoach");
    assert_eq!(f.cell.as_deref(), Some("D8"));
    assert_eq!(f.indicator.as_deref(), Some("ty_le_thu_ngan_sach"));
    assert_eq!(f.actual, Some(211.8));
    assert!((f.expected.unwrap() - 11.08 / 5.57 * 100.0).abs() < 1e-6, "{f:#?}");
    assert!(f.message.contains("198,92"), "{f:#?}");
}

/// A schema made of the shipped files and one more rule file.
fn schema_with(extra_rules: &str) -> (tempfile::TempDir, String) {
    schema_of(&["form.toml", "rules.toml", "commune.toml", "targets-2024.toml"], extra_rules)
}

/// A schema made of some of the shipped files and one more rule file.
fn schema_of(shipped_files: &[&str], extra_rules: &str) -> (tempfile::TempDir, String) {
    let dir = tempdir();
    let shipped = root().join("schemas");
    let files: Vec<String> = shipped_files.iter().map(|f| format!("{:?}", shipped.join(f).to_string_lossy())).collect();
    fs::write(dir.path().join("schema.toml"), format!("include = [{}, \"extra.toml\"]\n", files.join(", "))).unwrap();
    fs::write(dir.path().join("extra.toml"), extra_rules).unwrap();
    let path = dir.path().join("schema.toml").to_string_lossy().into_owned();
    (dir, path)
}

#[test]
fn empty_is_not_zero_unless_a_rule_says_so() {
    // Lạc Sơn leaves the bees empty. The shipped rules skip it.
    let dir = tempdir();
    let figures = |code: &str| if code == "ong" { None } else { consistent_figures(code) };
    write_xlsx(&dir.path().join("2024-06").join("Lac Son.xlsx"), &[Sheet::form("Lạc Sơn", 6, 2024, figures)]);
    let (_, r) = validate_json(&[dir.path()], &[]);
    let ong: Vec<&Finding> = r.findings.iter().filter(|f| f.indicator.as_deref() == Some("ong")).collect();
    assert!(ong.is_empty(), "{ong:#?}");
    // A rule with missing = "fire" makes the empty figure a finding.
    let (_dir, schema) = schema_with(
        "[[rule]]\nid = \"phai_co_ong\"\nkind = \"range\"\nseverity = \"warning\"\nindicators = [\"ong\"]\nmin = 0\nmissing = \"fire\"\n",
    );
    let (_, r) = validate_json(&[dir.path()], &["--schema", &schema]);
    let f = at(&r, "2024-06/Lac Son.xlsx", "D22", "phai_co_ong");
    assert_eq!(f.severity, "warning");
    assert!(f.message.contains("để trống"), "{f:#?}");
}

#[test]
fn a_rule_added_to_the_schema_is_applied() {
    let (_dir, schema) = schema_with(
        "[[rule]]\nid = \"trau_it_hon_bo\"\nkind = \"compare\"\nseverity = \"warning\"\nexpr = \"trau <= bo\"\ninstruction = \"Thử.\"\n",
    );
    let r = tonghop(&["schema", "check", &schema]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run("clean", &["--schema", &schema]);
    // In every clean report there are fewer buffaloes than cattle: nothing fires.
    assert!(r.with_rule("trau_it_hon_bo").is_empty(), "{:#?}", r.with_rule("trau_it_hon_bo"));
    let (_dir2, schema) = schema_with(
        "[[rule]]\nid = \"trau_nhieu\"\nkind = \"compare\"\nseverity = \"warning\"\nexpr = \"trau >= bo\"\n",
    );
    let r = run("clean", &["--schema", &schema]);
    let fired = r.with_rule("trau_nhieu");
    assert_eq!(fired.len(), 6, "one per hamlet: {fired:#?}");
    assert!(fired.iter().all(|f| f.indicator.as_deref() == Some("trau") && f.severity == "warning"), "{fired:#?}");
}

#[test]
fn a_broken_rule_is_caught_with_its_line() {
    let (_dir, schema) = schema_with(
        "# extra\n[[rule]]\nid = \"sai\"\nkind = \"compare\"\nseverity = \"error\"\nexpr = \"trau + <= bo\"\n\n[[rule]]\nid = \"la\"\nkind = \"range\"\nseverity = \"warning\"\nindicators = [\"de\"]\nmin = 1\n\n[[rule]]\nid = \"don_vi\"\nkind = \"compare\"\nseverity = \"error\"\nexpr = \"trau <= lua.dien_tich\"\n",
    );
    let r = tonghop(&["schema", "check", &schema]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("extra.toml:6:") && r.stderr.contains("viết sai"), "{}", r.stderr);
    assert!(r.stderr.contains("extra.toml:12:") && r.stderr.contains("\"de\""), "{}", r.stderr);
    assert!(r.stderr.contains("extra.toml:19:") && r.stderr.contains("không cùng đơn vị"), "{}", r.stderr);
}

#[test]
fn a_comparison_with_a_constant_side_is_checked_not_crashed_on() {
    let (_dir, schema) =
        schema_with("[[rule]]\nid = \"it_ho\"\nkind = \"compare\"\nseverity = \"warning\"\nexpr = \"100 >= ho\"\n");
    let r = run("clean", &["--schema", &schema]);
    let fired = r.with_rule("it_ho");
    assert_eq!(fired.len(), 6, "every hamlet has more than 100 households: {fired:#?}");
    assert!(fired.iter().all(|f| f.indicator.as_deref() == Some("ho") && f.cell.is_some()), "{fired:#?}");
}

#[test]
fn a_comparison_over_every_row_is_reported_at_the_wrong_row_only() {
    // The rule alone (without the shipped product rule, which would say the
    // same): no crop's output above three times its area by its yield.
    let rule = "[[rule]]\nid = \"san_luong_qua_lon\"\nkind = \"compare\"\nseverity = \"error\"\nexpr = \"*.san_luong <= 3 * *.dien_tich * *.nang_suat\"\n";
    let (_dir, schema) = schema_of(&["form.toml", "commune.toml", "targets-2024.toml"], rule);
    let r = tonghop(&["schema", "check", &schema]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Six clean reports but for Lạc Hòa's groundnut: 25 ha × 22 tạ/ha is
    // 55 tấn, written 220. Lạc Sơn's maize is at three times exactly (30 ha
    // × 40 tạ/ha, 360 tấn): kept, not reported.
    let dir = tempdir();
    for (name, file) in [
        ("Lạc Sơn", "Lac Son"),
        ("Lạc Hòa", "Lac Hoa"),
        ("Lạc Phú", "Lac Phu"),
        ("Lạc Thành", "Lac Thanh"),
        ("Lạc Tiến", "Lac Tien"),
        ("Lạc Thắng", "Lac Thang"),
    ] {
        let figures = |code: &str| match (name, code) {
            ("Lạc Hòa", "lac.san_luong") => Some(220.0),
            ("Lạc Sơn", "ngo.san_luong") => Some(360.0),
            _ => consistent_figures(code),
        };
        write_xlsx(&dir.path().join("2024-06").join(format!("{file}.xlsx")), &[Sheet::form(name, 6, 2024, figures)]);
    }
    let (code, r) = validate_json(&[dir.path()], &["--schema", &schema]);
    assert_eq!(code, 1);
    assert_eq!(r.findings.len(), 1, "{:#?}", r.findings);
    let f = at(&r, "2024-06/Lac Hoa.xlsx", "E9", "san_luong_qua_lon");
    assert_eq!((f.indicator.as_deref(), f.severity.as_str()), (Some("lac.san_luong"), "error"));
    assert_eq!(f.actual, Some(220.0));
    assert!(close(f.expected.unwrap(), 165.0), "{f:#?}");
    assert!(
        f.message.starts_with("Sản lượng lạc = 220 tấn lớn hơn 3 × Diện tích lạc × Năng suất lạc = 165 tấn"),
        "{f:#?}"
    );
    // A pattern that matches nothing, or rows that cannot be the same, is
    // caught at its line.
    let bad = "# extra\n[[rule]]\nid = \"sai\"\nkind = \"compare\"\nseverity = \"error\"\nexpr = \"*.san_luong <= 3 * *.dien_tich * *.nang_xuat\"\n\n[[rule]]\nid = \"khac_dong\"\nkind = \"compare\"\nseverity = \"error\"\nexpr = \"lua_*.dien_tich <= *.dien_tich\"\n";
    let (_dir, schema) = schema_with(bad);
    let r = tonghop(&["schema", "check", &schema]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("extra.toml:6:") && r.stderr.contains("\"*.nang_xuat\" không khớp dòng nào"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("extra.toml:12:") && r.stderr.contains("không dòng nào có đủ"), "{}", r.stderr);
}
