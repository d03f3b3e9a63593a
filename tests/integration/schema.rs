//! `tonghop schema check`: the shipped schema is valid; a broken one is
//! reported problem by problem, each with its file and line, and exit 2.

use std::fs;

use crate::util::*;

#[test]
fn the_shipped_schema_is_valid() {
    let r = tonghop(&["schema", "check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("4 bảng") && r.stdout.contains("6 thôn") && r.stdout.contains("2024"), "{}", r.stdout);
    let r = tonghop(&["schema", "check", "schemas/tonghop.toml"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

const MAIN: &str = r#"# a broken schema
include = ["form.toml", "targets.toml"]
"#;

const FORM: &str = r#"[[unit]]
code = "ha"
dimension = "area"

[[table]]
id = "trong_trot"
title = "Trồng trọt"

[[table.column]]
code = "dien_tich"
label = "Diện tích"
unit = "mẫu"

[[table.row]]
code = "lua"
label = "Lúa"

[[table.row]]
code = "lua"
label = "Lúa lần nữa"

[[rule]]
id = "ty_le"
kind = "compare"
severity = "error"
expr = "lua.dien_tich <= ngo.dien_tich"

[[rule]]
id = "cong_thuc"
kind = "compare"
severity = "error"
expr = "lua.dien_tich * <= 3"

[[rule]]
id = "am"
kind = "range"
severity = "warning"
indicators = ["lac.*"]
min = 0

[[hamlet]]
name = "Lạc Thanh"
"#;

const TARGETS: &str = r#"[targets]
year = 2024

[[target]]
indicator = "lua.dien_tich"
kind = "plan"
value = 110

[[target]]
indicator = "khoai_mi.dien_tich"
kind = "plan"
value = 10
"#;

#[test]
fn a_broken_schema_names_file_line_and_problem() {
    let dir = tempdir();
    fs::write(dir.path().join("schema.toml"), MAIN).unwrap();
    fs::write(dir.path().join("form.toml"), FORM).unwrap();
    fs::write(dir.path().join("targets.toml"), TARGETS).unwrap();
    let path = dir.path().join("schema.toml");
    let r = tonghop(&["schema", "check", path.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    let err = &r.stderr;
    let has = |file: &str, line: usize, words: &str| {
        let hit = err.lines().any(|l| l.contains(&format!("{file}:{line}:")) && l.contains(words));
        assert!(hit, "expected {file}:{line} ... {words} in:\n{err}");
    };
    has("form.toml", 12, "đơn vị \"mẫu\" chưa được khai báo");
    has("form.toml", 19, "\"lua\" có hai lần");
    has("form.toml", 26, "ngo.dien_tich");
    has("form.toml", 32, "viết sai");
    has("form.toml", 38, "lac.*");
    has("targets.toml", 10, "khoai_mi.dien_tich");
}

#[test]
fn a_syntax_error_and_an_unknown_field_have_their_lines() {
    let dir = tempdir();
    let bad = dir.path().join("bad.toml");
    fs::write(&bad, "[[unit]]\ncode = \"ha\"\nscale = \n").unwrap();
    let r = tonghop(&["schema", "check", bad.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("bad.toml:3:"), "{}", r.stderr);

    let unknown = dir.path().join("unknown.toml");
    fs::write(&unknown, "[[hamlet]]\nname = \"Lạc Thanh\"\nmau = 1\n").unwrap();
    let r = tonghop(&["schema", "check", unknown.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("unknown.toml:3:") && r.stderr.contains("mau"), "{}", r.stderr);
}

#[test]
fn a_missing_include_is_reported_where_it_is_named() {
    let dir = tempdir();
    let main = dir.path().join("schema.toml");
    fs::write(&main, "# top\ninclude = [\"nowhere.toml\"]\n").unwrap();
    let r = tonghop(&["schema", "check", main.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains(":2:") && r.stderr.contains("nowhere.toml"), "{}", r.stderr);
}

#[test]
fn run_and_validate_refuse_a_bad_schema_with_exit_2() {
    let dir = tempdir();
    let bad = dir.path().join("bad.toml");
    fs::write(&bad, "[[unit]]\ncode = \"ha\"\nscale = -1\n").unwrap();
    let r = tonghop(&["validate", "samples", "--schema", bad.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("bad.toml:3:") && r.stderr.contains("scale"), "{}", r.stderr);
}

#[test]
fn a_schema_without_units_or_hamlets_is_refused_not_crashed_on() {
    let dir = tempdir();
    let p = dir.path().join("s.toml");
    fs::write(&p, "[[table]]\nid = \"t\"\ntitle = \"T\"\n\n[[table.column]]\ncode = \"a\"\nlabel = \"A\"\nunit = \"ha\"\n\n[[table.column]]\ncode = \"b\"\nlabel = \"B\"\nunit = \"ha\"\ntotal = \"a / b\"\n\n[[table.row]]\ncode = \"r\"\nlabel = \"1.\"\n\n[[rule]]\nid = \"p\"\nkind = \"product\"\nseverity = \"error\"\nfactors = [\"*.a\", \"*.a\"]\nresult = \"*.b\"\n").unwrap();
    let r = tonghop(&["schema", "check", p.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    assert!(r.stderr.contains("s.toml:8:") && r.stderr.contains("\"ha\""), "{}", r.stderr);
    assert!(r.stderr.contains("không có thôn nào"), "{}", r.stderr);
}

#[test]
fn a_label_that_is_only_numbering_is_refused() {
    let dir = tempdir();
    let p = dir.path().join("s.toml");
    fs::write(&p, "[[unit]]\ncode = \"ha\"\ndimension = \"area\"\n\n[[table]]\nid = \"t\"\ntitle = \"T\"\n\n[[table.column]]\ncode = \"a\"\nlabel = \"A\"\nunit = \"ha\"\n\n[[table.row]]\ncode = \"r\"\nlabel = \"1.\"\n\n[[hamlet]]\nname = \"X\"\n").unwrap();
    let r = tonghop(&["schema", "check", p.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("s.toml:16:") && r.stderr.contains("số thứ tự"), "{}", r.stderr);
}

#[test]
fn a_field_that_does_not_belong_to_its_kind_is_an_error_at_its_line() {
    let dir = tempdir();
    let p = dir.path().join("s.toml");
    let text = "[[unit]]\ncode = \"ha\"\ndimension = \"area\"\n\n[[table]]\nid = \"t\"\ntitle = \"T\"\n\n[[table.column]]\ncode = \"a\"\nlabel = \"A\"\nunit = \"ha\"\n\n[[table.row]]\ncode = \"r\"\nlabel = \"R\"\n\n[[rule]]\nid = \"bien\"\nkind = \"range\"\nseverity = \"warning\"\nindicators = [\"r.a\"]\nmin = 0\nmax_percent = 30\nfactors = [\"x.y\", \"z.w\"]\n\n[[target]]\nindicator = \"r.a\"\nkind = \"plan\"\nmin = 3\n\n[targets]\nyear = 2024\n\n[[hamlet]]\nname = \"X\"\n";
    fs::write(&p, text).unwrap();
    let r = tonghop(&["schema", "check", p.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let err = &r.stderr;
    let has =
        |line: usize, words: &str| err.lines().any(|l| l.contains(&format!("s.toml:{line}:")) && l.contains(words));
    // Every field that is not a range rule's, each at its own line.
    assert!(has(24, "`max_percent`"), "{err}");
    assert!(has(25, "`factors`"), "{err}");
    // A plan target with a min it does not take, and no value.
    assert!(has(30, "`min`"), "{err}");
    assert!(has(27, "thiếu trường bắt buộc `value`"), "{err}");
}

#[test]
fn schema_check_warns_about_what_would_make_reading_uncertain() {
    let dir = tempdir();
    let p = dir.path().join("s.toml");
    let text = r#"[[unit]]
code = "hộ"
dimension = "household"

[[table]]
id = "ho"
title = "Số hộ nghèo"
kind = "count"

[[table.column]]
label = "Số hộ"

[[table.row]]
code = "ho"
label = "Tổng số hộ"
unit = "hộ"

[[table.row]]
code = "ho_ngheo"
label = "Số hộ nghèo"
unit = "hộ"

[[hamlet]]
name = "Thôn Năm"

[[hamlet]]
name = "Sơn"

[[hamlet]]
name = "Lạc Sơn"
"#;
    fs::write(&p, text).unwrap();
    let r = tonghop(&["schema", "check", p.to_str().unwrap()]);
    assert_eq!(r.code, 0, "valid, with warnings: {}", r.stderr);
    let has = |line: usize, words: &str| {
        let hit = r
            .stdout
            .lines()
            .any(|l| l.starts_with("Cảnh báo:") && l.contains(&format!("s.toml:{line}:")) && l.contains(words));
        assert!(hit, "expected a warning at s.toml:{line} with {words:?}:\n{}", r.stdout);
    };
    has(5, "tiêu đề bảng \"Số hộ nghèo\" trùng nhãn dòng");
    has(10, "nhãn cột \"Số hộ\" là phần đầu của nhãn dòng \"Số hộ nghèo\"");
    // Once for a name, whatever its ordinary words, in its own kind word.
    has(23, "\"Thôn Năm\" có chữ cũng thường gặp trong báo cáo (\"nam\", \"5\")");
    has(23, "dòng \"Thôn: Năm\"");
    has(26, "\"Sơn\" nằm trong tên thôn \"Lạc Sơn\"");
    assert_eq!(r.stdout.lines().filter(|l| l.starts_with("Cảnh báo:")).count(), 5, "{}", r.stdout);
    // The shipped schema has none.
    let r = tonghop(&["schema", "check"]);
    assert!(!r.stdout.contains("Cảnh báo"), "{}", r.stdout);
}
