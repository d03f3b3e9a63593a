//! Every file of the calamine project's test corpus (odd and broken
//! spreadsheets of every format, vendored in tests/corpus/calamine with its
//! MIT licence) gives a result or a clear finding: no panic, no hang, bounded
//! memory.

use std::collections::BTreeSet;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::util::*;

/// Peak resident memory of the finished children of this process, in KiB.
fn children_max_rss_kib() -> i64 {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes into the struct we own.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    usage.ru_maxrss
}

#[test]
fn every_corpus_file_gives_a_submission_or_a_finding() {
    let corpus = root().join("tests").join("corpus").join("calamine");
    let child = Command::new(env!("CARGO_BIN_EXE_tonghop"))
        .args(["validate", "--format", "json"])
        .arg(&corpus)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    // No hang: the whole corpus reads in well under a second; allow plenty.
    // The output is drained while waiting, or a full pipe would stall it.
    let pid = child.id() as libc::pid_t;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    let out = match rx.recv_timeout(Duration::from_secs(120)) {
        Ok(out) => out.expect("output"),
        Err(_) => {
            // SAFETY: signalling our own child.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            panic!("validate on the corpus did not finish in 120 s");
        }
    };
    let code = out.status.code().unwrap_or(-1);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(code == 0 || code == 1, "exit {code}: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let r = Report::parse(&out.stdout);

    let mut listed: BTreeSet<String> = r.submissions.iter().map(|s| s.file.clone()).collect();
    listed.extend(r.findings.iter().filter_map(|f| f.file.clone()));
    let on_disk: BTreeSet<String> =
        std::fs::read_dir(&corpus).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    let missing: Vec<&String> = on_disk.difference(&listed).collect();
    assert!(missing.is_empty(), "not listed: {missing:?}");
    // A rejected file always says why.
    for s in r.submissions.iter().filter(|s| s.status == "rejected") {
        assert!(
            r.findings.iter().any(|f| f.in_file(&s.file) && f.severity != "info"),
            "rejected without a finding: {s:#?}"
        );
    }
    // The broken ones are named as such, in Vietnamese.
    let rule_of =
        |file: &str| -> Vec<String> { r.findings.iter().filter(|f| f.in_file(file)).map(|f| f.rule.clone()).collect() };
    assert!(rule_of("pass_protected.xlsx").contains(&"mat_khau".to_string()));
    assert!(rule_of("pass_protected.ods").contains(&"mat_khau".to_string()));
    assert!(rule_of("issue_594_dos.ods").contains(&"tep_hong".to_string()));
    assert!(rule_of("too_small.xls").contains(&"khong_phai_bang_tinh".to_string()));

    // Bounded memory, including the file that asks for 17 billion cells.
    let kib = children_max_rss_kib();
    assert!(kib < 512 * 1024, "peak memory {} MiB", kib / 1024);
}

#[test]
fn the_text_report_on_the_corpus_lists_every_file_too() {
    let corpus = root().join("tests").join("corpus").join("calamine");
    let r = tonghop(&["validate", corpus.to_str().unwrap()]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    for e in std::fs::read_dir(&corpus).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        assert!(r.stdout.contains(&name), "{name} missing from the text report");
    }
}

/// What fuzzing found (tests/corpus/fuzz, see tools/fuzz.sh): a file that
/// asks for a gigabyte, files that panic calamine's .xls and .xlsx readers,
/// two on which its .ods reader loops. Each is an error of its own file, and
/// the run ends.
#[test]
fn what_fuzzing_found_is_a_finding_each() {
    let corpus = root().join("tests").join("corpus").join("fuzz");
    let (code, r) = validate_json(&[&corpus], &[]);
    assert_eq!(code, 1);
    let rule = |file: &str| -> Vec<(String, String)> {
        r.findings.iter().filter(|f| f.in_file(file)).map(|f| (f.severity.clone(), f.rule.clone())).collect()
    };
    assert_eq!(rule("oom-read-any.xls"), [("error".to_string(), "tep_qua_lon".to_string())]);
    assert_eq!(rule("panic-utils-48.xls"), [("error".to_string(), "tep_hong".to_string())]);
    // The same panic in calamine's .xls reader, by another path (make fuzz, 2026-11-30).
    assert_eq!(rule("panic-utils-48-b.xls"), [("error".to_string(), "tep_hong".to_string())]);
    assert_eq!(rule("loop-end-tag.ods"), [("error".to_string(), "tep_hong".to_string())]);
    assert_eq!(rule("loop-ods-2.ods"), [("error".to_string(), "tep_hong".to_string())]);
    // An arithmetic overflow in calamine's xlsx reader: a panic where
    // overflows are checked (test builds, the fuzzer), caught and said; a
    // sheet that is not UTF-8 in a release build. An error either way.
    let xlsx = rule("panic-xlsx-3097.xlsx");
    assert!(xlsx.iter().any(|(s, r)| s == "error" && (r == "tep_hong" || r == "trang_hong")), "{xlsx:?}");
}
