//! A hostile file harms only itself (issue 11): a folder of crafted files,
//! each aimed at one way a reader can be made to allocate without bound,
//! loop, or write what it should not, next to clean reports. The run, under
//! a memory cap, exits 0; each hostile file is a finding; the clean reports
//! are read; the summary and the JSON are written and open.

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Command;

use crate::builder::{Cell, Sheet, write_xlsx};
use crate::reading::consistent_figures;
use crate::util::*;

#[path = "../hostile/craft.rs"]
mod craft;
#[path = "../hostile/xls.rs"]
mod xls;

/// `tonghop run` with its address space capped, as a small machine would.
fn run_capped(dir: &Path, out: &Path, json: &Path) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tonghop"));
    cmd.args(["run", dir.to_str().unwrap(), "-o", out.to_str().unwrap(), "--json", json.to_str().unwrap()]);
    let cap: libc::rlim_t = 1 << 30;
    // SAFETY: setrlimit between fork and exec, on the child only.
    unsafe {
        cmd.pre_exec(move || {
            let lim = libc::rlimit { rlim_cur: cap, rlim_max: cap };
            if libc::setrlimit(libc::RLIMIT_AS, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    cmd.output().expect("run tonghop")
}

#[test]
fn a_folder_of_hostile_files_gives_a_summary_and_a_finding_for_each() {
    let dir = tempdir();
    let month = dir.path().join("2024-06");
    craft::write_all(&month);
    // Clean reports beside them, one of them 20 folders deep, one with "#"
    // in its name and a figure that is an error (so the summary links to it).
    write_xlsx(&month.join("Lac Hoa.xlsx"), &[Sheet::form("Lạc Hòa", 6, 2024, consistent_figures)]);
    let deep = (0..20).fold(month.clone(), |p, i| p.join(format!("d{i}")));
    write_xlsx(&deep.join("Lac Tien.xlsx"), &[Sheet::form("Lạc Tiến", 6, 2024, consistent_figures)]);
    let mut sharp = Sheet::form("Lạc Phú", 6, 2024, consistent_figures);
    let (r, c) = sharp.find("Trâu").unwrap();
    sharp.set(r, c + 2, Cell::Number(-5.0));
    write_xlsx(&month.join("Lac Phu #2.xlsx"), &[sharp]);
    std::os::unix::fs::symlink(&month, month.join("vong")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", month.join("thiet-bi.xlsx")).unwrap();

    let (out, json) = (dir.path().join("th.xlsx"), dir.path().join("r.json"));
    let run = run_capped(dir.path(), &out, &json);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    let r = Report::read(&json);
    // Each hostile file an error of its own: too big, or broken.
    for name in [
        "sst-mot-nghin-ty.xlsx",
        "chuoi-80-mb.xlsx",
        "o-lap-lai.xlsx",
        "tram-nghin-trang.xlsx",
        "trang-bi-cat.xlsx",
        "o-day-dac.ods",
        "bon-ty-dong.xls",
        "hai-goc.xls",
        "fat-vong.xls",
    ] {
        let errors: Vec<&Finding> =
            r.findings.iter().filter(|f| f.in_file(&format!("2024-06/{name}")) && f.severity == "error").collect();
        assert!(!errors.is_empty(), "{name}: {:#?}", r.findings.iter().filter(|f| f.in_file(name)).collect::<Vec<_>>());
        assert!(
            errors.iter().any(|f| ["tep_qua_lon", "tep_hong", "trang_hong"].contains(&f.rule.as_str())),
            "{name}: {errors:#?}"
        );
    }
    // The clean reports are read, the deep one too; links and devices said.
    for hamlet in ["Lạc Hòa", "Lạc Tiến", "Lạc Phú"] {
        assert!(
            r.submissions.iter().any(|s| s.hamlet.as_deref() == Some(hamlet) && s.status == "accepted"),
            "{hamlet}: {:#?}",
            r.submissions
        );
    }
    // Lạc Hòa's and Lạc Tiến's 120 buffaloes, Lạc Phú's -5 (an error that
    // marks it) and the 120 of the crafted files that are readable reports.
    let trau = r.total("trau");
    assert_eq!((trau.value, trau.has_errors), (Some(355.0), true));
    for link in ["2024-06/vong", "2024-06/thiet-bi.xlsx"] {
        assert!(r.findings.iter().any(|f| f.in_file(link) && f.rule == "bo_qua_tep"), "{link}");
    }
    // The summary opens, with its four sheets; the link to the file with
    // "#" in its name escapes it.
    assert_eq!(sheet_names(&out).len(), 4);
    let rels =
        (1..=4).filter_map(|n| xlsx_part(&out, &format!("xl/worksheets/_rels/sheet{n}.xml.rels"))).collect::<String>();
    assert!(rels.contains("Lac%20Phu%20%232.xlsx"), "{rels}");
    // Names from files reach the terminal and the workbook without their
    // control characters.
    let said = String::from_utf8_lossy(&run.stderr);
    assert!(!said.contains('\u{1b}'), "{said}");
    let status = sheet(&out, "Tình hình nộp");
    let names: Vec<String> = status.rows().flat_map(|row| row.iter().map(|c| c.to_string())).collect();
    assert!(names.iter().all(|n| !n.contains('\u{1b}')), "{names:?}");
}

#[test]
fn when_no_worker_will_start_the_files_are_read_here_and_that_is_said() {
    // A worker allowed one megabyte cannot even start.
    let args = ["validate", "samples", "--format", "json"];
    let isolated = tonghop(&args).report();
    let here = tonghop_env(&root(), &args, &[("TONGHOP_WORKER_MEMORY_MB", "1")]).report();
    let said: Vec<&Finding> = here.findings.iter().filter(|f| f.rule == "doc_khong_tach").collect();
    assert_eq!(said.len(), 1, "said once: {:?}", here.findings);
    assert_eq!(said[0].severity, "info");
    assert!(said[0].file.is_none() && said[0].message.contains("giới hạn bộ nhớ"), "{:?}", said[0]);
    // Everything else as when read in workers: the figures are the same.
    let others = |r: &Report| -> Vec<String> {
        r.findings.iter().filter(|f| f.rule != "doc_khong_tach").map(|f| format!("{f:?}")).collect()
    };
    assert_eq!(others(&here), others(&isolated));
    assert!(isolated.findings.iter().all(|f| f.rule != "doc_khong_tach"));
    // Asked for, reading here is no surprise: nothing said.
    let asked = tonghop_env(&root(), &args, &[("TONGHOP_IN_PROCESS", "1")]).report();
    assert!(asked.findings.iter().all(|f| f.rule != "doc_khong_tach"));
    assert_eq!(format!("{:?}", here.totals), format!("{:?}", isolated.totals));
}
