//! The samples' outputs, pinned byte for byte: the JSON report, the
//! summary workbook and the text of `validate`. A change to either must be
//! deliberate: run the tests with TONGHOP_BLESS=1 to write the new outputs,
//! and review their diff.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::util::*;

fn pinned(name: &str) -> PathBuf {
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

/// A copy of the samples at a fixed place inside the repository, so that the
/// workbook's relative links are the same wherever the repository is, with
/// every file's time fixed (a file without its own record of when it was
/// saved shows the file's time): the same bytes on every checkout.
fn fixed_samples(name: &str) -> PathBuf {
    let dir = root().join("target").join("pinned").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    let copy = dir.join("samples");
    copy_dir(&samples(), &copy);
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let (src, dst) = (e.path(), to.join(e.file_name()));
        if src.is_dir() {
            copy_dir(&src, &dst);
        } else {
            std::fs::copy(&src, &dst).unwrap();
            let july = SystemTime::UNIX_EPOCH + Duration::from_secs(1_720_598_400); // 2024-07-10 08:00 UTC
            std::fs::File::options().write(true).open(&dst).unwrap().set_modified(july).unwrap();
        }
    }
}

#[test]
fn the_samples_give_the_pinned_report_and_workbook() {
    let dir = fixed_samples("run");
    let r = tonghop_in(&dir, &["run", "samples", "-o", "tong-hop.xlsx", "--json", "bao-cao.json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    check("bao-cao.json", &dir.join("bao-cao.json"));
    check("summary.xlsx", &dir.join("tong-hop.xlsx"));
}

#[test]
fn the_samples_give_the_pinned_text_of_validate() {
    let dir = fixed_samples("validate");
    let r = tonghop_in(&dir, &["validate", "samples"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let path = dir.join("validate.txt");
    std::fs::write(&path, &r.stdout).unwrap();
    check("validate.txt", &path);
}
