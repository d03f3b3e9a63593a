//! The samples' outputs, pinned byte for byte: the JSON report, the
//! summary workbook and the text of `validate`. A change to either must be deliberate: run the tests
//! with TONGHOP_BLESS=1 to write the new outputs, and review their diff.

use std::path::Path;

use crate::util::*;

fn pinned(name: &str) -> std::path::PathBuf {
    root().join("tests").join("pinned").join(name)
}

fn check(name: &str, got: &Path) {
    let got = std::fs::read(got).unwrap_or_else(|e| panic!("{}: {e}", got.display()));
    let want_path = pinned(name);
    if std::env::var_os("TONGHOP_BLESS").is_some() {
        std::fs::write(&want_path, &got).unwrap();
        return;
    }
    let want = std::fs::read(&want_path).unwrap_or_else(|e| panic!("{}: {e}", want_path.display()));
    assert!(got == want, "{name} differs from tests/pinned/{name}; if the change is meant, rerun with TONGHOP_BLESS=1");
}

#[test]
fn the_samples_give_the_pinned_report_and_workbook() {
    // A fixed place inside the repository, so that the workbook's relative
    // links to the samples are the same wherever the repository is.
    let out = root().join("target").join("pinned");
    std::fs::create_dir_all(&out).unwrap();
    let (xlsx, json) = (out.join("tong-hop-2024-06.xlsx"), out.join("bao-cao.json"));
    let r = tonghop(&["run", "samples", "-o", xlsx.to_str().unwrap(), "--json", json.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    check("bao-cao.json", &json);
    check("summary.xlsx", &xlsx);
}

#[test]
fn the_samples_give_the_pinned_text_of_validate() {
    let r = tonghop(&["validate", "samples"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let out = root().join("target").join("pinned");
    std::fs::create_dir_all(&out).unwrap();
    let path = out.join("validate.txt");
    std::fs::write(&path, &r.stdout).unwrap();
    check("validate.txt", &path);
}
