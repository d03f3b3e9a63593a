//! The outside of the tool (CONTRACT.md): commands, exit codes, outputs.

use std::fs;
use std::path::Path;

use crate::util::*;

fn digest(dir: &Path) -> Vec<(String, Vec<u8>, std::time::SystemTime)> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(digest(&p));
        } else {
            out.push((p.display().to_string(), fs::read(&p).unwrap(), fs::metadata(&p).unwrap().modified().unwrap()));
        }
    }
    out.sort();
    out
}

#[test]
fn a_folder_alone_runs_and_writes_the_default_workbook() {
    let dir = tempdir();
    let before = digest(&samples());
    let r = tonghop_in(dir.path(), &[samples().to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(dir.path().join("tong-hop-2024-06.xlsx").is_file());
    assert!(r.stderr.contains("tong-hop-2024-06.xlsx"), "{}", r.stderr);
    // No progress bar when standard error is not a terminal.
    assert!(!r.stderr.contains("Đang đọc"), "{}", r.stderr);
    assert_eq!(before, digest(&samples()), "inputs are never changed");
    // Nothing but the workbook and the hamlets' feedback is left behind
    // (no temporary file).
    let mut left: Vec<_> = fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
    left.sort();
    assert_eq!(left, ["phan-hoi-2024-06", "tong-hop-2024-06.xlsx"], "{left:?}");
}

#[test]
fn the_same_inputs_give_the_same_workbook() {
    let dir = tempdir();
    let (a, b) = (dir.path().join("a.xlsx"), dir.path().join("b.xlsx"));
    for p in [&a, &b] {
        let r = tonghop(&["run", "samples", "-o", p.to_str().unwrap()]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    assert_eq!(fs::read(&a).unwrap(), fs::read(&b).unwrap());
}

#[test]
fn period_picks_the_month() {
    let (_, r) = validate_json(&[&samples()], &["--period", "2024-05"]);
    assert_eq!(r.period.as_deref(), Some("2024-05"));
    assert_eq!(r.total_value("trong_rung"), Some(123.0));
    // May's reports have none of June's planted errors.
    let (_, june) = validate_json(&[&samples()], &[]);
    assert_eq!(june.period.as_deref(), Some("2024-06"));
}

#[test]
fn usage_errors_exit_2_with_a_message() {
    let r = tonghop(&["validate", "samples", "--period", "2024-13"]);
    assert_eq!(r.code, 2);
    let r = tonghop(&["validate", "no/such/folder"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no/such/folder"), "{}", r.stderr);
    let r = tonghop(&["run", "samples", "-o", "/no/such/dir/out.xlsx"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("/no/such/dir/out.xlsx"), "{}", r.stderr);
    let r = tonghop(&["frobnicate", "--nope"]);
    assert_eq!(r.code, 2);
}

#[test]
fn an_unwritable_output_exits_2() {
    let dir = tempdir();
    // A folder where the workbook should go cannot be replaced by a file.
    let target = dir.path().join("taken.xlsx");
    fs::create_dir(&target).unwrap();
    fs::write(target.join("keep.txt"), "x").unwrap();
    let r = tonghop(&["run", "samples", "-o", target.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(target.join("keep.txt").is_file());
}

#[test]
fn validate_text_is_grouped_by_file_and_ends_with_the_counts() {
    let r = tonghop(&["validate", "samples"]);
    assert_eq!(r.code, 1);
    let out = &r.stdout;
    let thang = out.find("2024-06/Lac Thang.xlsx").expect("a group per file");
    let slip = out.find("có lẽ đã ghi theo tạ").expect("the finding");
    assert!(slip > thang);
    let last = out.trim_end().lines().last().unwrap_or_default();
    assert!(last.starts_with("Tổng cộng: 6 lỗi, 2 cảnh báo"), "{last}");
}

#[test]
fn a_clean_month_validates_with_exit_0() {
    let r = tonghop(&["validate", "samples/2024-05"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
}

#[test]
fn template_writes_a_form_that_reads_back() {
    let dir = tempdir();
    let form = dir.path().join("mau.xlsx");
    let r = tonghop(&["template", "--hamlet", "lac son", "--period", "2024-07", "-o", form.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (code, rep) = validate_json(&[&form], &[]);
    assert_eq!(code, 1, "{rep:#?}");
    let s = rep.submissions.first().unwrap_or_else(|| panic!("no submission: {rep:#?}"));
    assert_eq!(s.hamlet.as_deref(), Some("Lạc Sơn"));
    assert_eq!(s.period.as_deref(), Some("2024-07"));
    // A blank form is read whole, but it is no report yet: it has no figure.
    assert_eq!(s.status, "rejected");
    let errors: Vec<&str> = rep.with_severity("error").iter().map(|f| f.rule.as_str()).collect();
    assert_eq!(errors, ["bao_cao_trong"], "{rep:#?}");
    // It has every table and row: no warning about a missing one.
    let warnings = rep.with_severity("warning");
    assert!(warnings.iter().all(|f| f.rule == "chua_nop"), "{warnings:#?}");
    let r = tonghop(&["template", "--hamlet", "Lạc Bình", "--period", "2024-07", "-o", form.to_str().unwrap()]);
    assert_eq!(r.code, 2);
}

#[test]
fn a_progress_bar_shows_on_a_terminal() {
    // `script` (util-linux) runs the command on a pseudo-terminal.
    let cmd = format!("{} validate {} > /dev/null", env!("CARGO_BIN_EXE_tonghop"), fixtures().join("messy").display());
    let out =
        std::process::Command::new("script").args(["-qec", &cmd, "/dev/null"]).output().expect("script (util-linux)");
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("Đang đọc") && shown.contains("/9 tệp"), "{shown}");
}

/// A copy of the samples to run on, so that a test may try to overwrite them.
fn samples_copy(dir: &Path) -> std::path::PathBuf {
    let copy = dir.join("samples");
    for month in ["2024-05", "2024-06"] {
        fs::create_dir_all(copy.join(month)).unwrap();
        for e in fs::read_dir(samples().join(month)).unwrap().flatten() {
            fs::copy(e.path(), copy.join(month).join(e.file_name())).unwrap();
        }
    }
    copy
}

#[test]
fn an_output_naming_an_input_is_refused_before_anything_is_written() {
    let dir = tempdir();
    let copy = samples_copy(dir.path());
    let before = digest(&copy);
    let report = copy.join("2024-06").join("Lac Son.xlsx");
    let (input, rep, json) = (copy.to_str().unwrap(), report.to_str().unwrap(), dir.path().join("r.json"));
    // -o over a hamlet's report found under the input folder.
    let r = tonghop(&["run", input, "-o", rep, "--json", json.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("đầu vào"), "{}", r.stderr);
    assert!(!json.exists(), "nothing is written");
    // --json over a report, and over a file named on the command line.
    let out = dir.path().join("th.xlsx");
    let r = tonghop(&["run", input, "-o", out.to_str().unwrap(), "--json", rep]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(!out.exists(), "nothing is written");
    let r = tonghop(&["run", rep, "-o", out.to_str().unwrap(), "--json", rep]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    // Both outputs the same file.
    let same = dir.path().join("x.xlsx");
    let r = tonghop(&["run", input, "-o", same.to_str().unwrap(), "--json", same.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(!same.exists());
    assert_eq!(before, digest(&copy), "no input changed");
}

#[test]
fn a_summary_written_among_the_reports_is_written_again_and_never_read_as_one() {
    let dir = tempdir();
    let copy = samples_copy(dir.path());
    let out = copy.join("tong-hop.xlsx");
    for _ in 0..2 {
        let r = tonghop(&["run", copy.to_str().unwrap(), "-o", out.to_str().unwrap()]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let (_, rep) = validate_json(&[&copy], &[]);
    let f = rep.findings.iter().find(|f| f.in_file("tong-hop.xlsx")).expect("said");
    assert_eq!((f.severity.as_str(), f.rule.as_str()), ("info", "bang_tong_hop"));
    assert!(!rep.submissions.iter().any(|s| s.file == "tong-hop.xlsx"));
}

#[test]
fn no_spreadsheet_or_no_report_for_the_month_exits_2_and_writes_nothing() {
    let dir = tempdir();
    let empty = dir.path().join("trong");
    fs::create_dir(&empty).unwrap();
    fs::write(empty.join("ghi chu.txt"), "x").unwrap();
    for cmd in ["run", "validate"] {
        let r = tonghop_in(dir.path(), &[cmd, empty.to_str().unwrap()]);
        assert_eq!(r.code, 2, "{cmd}: {}", r.stderr);
        assert!(r.stderr.contains("Không tìm thấy tệp bảng tính"), "{}", r.stderr);
    }
    let r = tonghop_in(dir.path(), &["run", samples().to_str().unwrap(), "--period", "2024-08"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("08/2024"), "{}", r.stderr);
    let r = tonghop(&["validate", "samples", "--period", "2024-08"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let left: Vec<_> = fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
    assert_eq!(left.len(), 1, "only the empty folder: {left:?}");
}

#[cfg(unix)]
#[test]
fn an_output_that_is_a_device_or_a_pipe_is_refused() {
    let dir = tempdir();
    let fifo = dir.path().join("r.json");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let out = dir.path().join("th.xlsx");
    let r = tonghop(&["run", "samples", "-o", out.to_str().unwrap(), "--json", fifo.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let r = tonghop(&["run", "samples", "-o", "/dev/null"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(!out.exists());
}

#[test]
fn the_command_line_speaks_vietnamese_clap_included() {
    for args in [&["--help"][..], &["run", "--help"], &["template", "--help"], &["schema", "check", "--help"]] {
        let r = tonghop(args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        assert!(r.stdout.contains("Cách dùng: tonghop"), "{args:?}: {}", r.stdout);
        for english in ["Usage:", "Options:", "Arguments:", "Commands:", "Print help", "[OPTIONS]"] {
            assert!(!r.stdout.contains(english), "{args:?} says {english}: {}", r.stdout);
        }
    }
    let r = tonghop(&["run", "--bogus"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.starts_with("Lỗi: không có tùy chọn --bogus."), "{}", r.stderr);
    let r = tonghop(&["validate", "--period", "2024-13"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.starts_with("Lỗi: giá trị \"2024-13\" không dùng được cho --period"), "{}", r.stderr);
    let r = tonghop(&["template", "--period", "2024-06"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.starts_with("Lỗi: thiếu"), "{}", r.stderr);
    // A mistyped command reads as a folder not there: the command is suggested.
    let r = tonghop(&["valdate", "samples"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("Có phải là lệnh \"validate\"?"), "{}", r.stderr);
    let r = tonghop(&["schema", "chek"]);
    assert!(r.stderr.contains("không có lệnh \"chek\". Có phải là lệnh \"check\"?"), "{}", r.stderr);
    assert!(!r.stderr.contains("clap"), "{}", r.stderr);
    // A system error in Vietnamese, the system's words kept after it.
    let dir = tempdir();
    let out = dir.path().join("no").join("such").join("folder").join("t.xlsx");
    let r = tonghop(&["run", &samples().to_string_lossy(), "-o", &out.to_string_lossy()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.starts_with("Lỗi: "), "{}", r.stderr);
}
