//! Helpers for integration tests: run the built binary, read its JSON and
//! the workbook it wrote.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use calamine::{Data, Range, Reader, open_workbook_auto};
use serde_json::Value;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn samples() -> PathBuf {
    root().join("samples")
}

pub fn fixtures() -> PathBuf {
    root().join("tests").join("fixtures")
}

/// The result of one run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}\nstderr:\n{}", self.stdout, self.stderr))
    }
}

fn finish(out: Output) -> Run {
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs tonghop with `args` in `dir`.
pub fn tonghop_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_tonghop")).args(args).current_dir(dir).output().expect("run tonghop");
    finish(out)
}

pub fn tonghop(args: &[&str]) -> Run {
    tonghop_in(&root(), args)
}

/// `validate --format json` on the given inputs.
pub fn validate_json(inputs: &[&Path], extra: &[&str]) -> (i32, Value) {
    let mut args: Vec<String> = vec!["validate".into(), "--format".into(), "json".into()];
    args.extend(inputs.iter().map(|p| p.to_string_lossy().to_string()));
    args.extend(extra.iter().map(|s| s.to_string()));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = tonghop(&refs);
    assert!(r.code == 0 || r.code == 1, "validate exited {}:\n{}", r.code, r.stderr);
    (r.code, r.json())
}

pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// Findings of one severity.
pub fn findings<'a>(report: &'a Value, severity: &str) -> Vec<&'a Value> {
    report["findings"].as_array().expect("findings").iter().filter(|f| f["severity"] == severity).collect()
}

/// The total of an indicator.
pub fn total<'a>(report: &'a Value, code: &str) -> &'a Value {
    report["totals"]
        .as_array()
        .expect("totals")
        .iter()
        .find(|t| t["indicator"] == code)
        .unwrap_or_else(|| panic!("no total for {code}"))
}

pub fn total_value(report: &Value, code: &str) -> Option<f64> {
    total(report, code)["value"].as_f64()
}

pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0)
}

/// A sheet of a workbook, read back with calamine.
pub fn sheet(path: &Path, name: &str) -> Range<Data> {
    let mut wb = open_workbook_auto(path).unwrap_or_else(|e| panic!("open {}: {e}", path.display()));
    wb.worksheet_range(name).unwrap_or_else(|e| panic!("sheet {name}: {e}"))
}

pub fn sheet_names(path: &Path) -> Vec<String> {
    open_workbook_auto(path).expect("open").sheet_names()
}

pub fn formulas(path: &Path, name: &str) -> Range<String> {
    let mut wb = open_workbook_auto(path).expect("open");
    wb.worksheet_formula(name).expect("formulas")
}

/// Text of a cell, for assertions.
pub fn text(r: &Range<Data>, row: u32, col: u32) -> String {
    match r.get_value((row, col)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => f.to_string(),
        Some(Data::Int(i)) => i.to_string(),
        Some(other) => format!("{other:?}"),
        None => String::new(),
    }
}

/// The first row whose cell in `col` holds `want`.
pub fn find_row(r: &Range<Data>, col: u32, want: &str) -> Option<u32> {
    let (r0, _) = r.start()?;
    let (r1, _) = r.end()?;
    (r0..=r1).find(|&row| text(r, row, col) == want)
}

pub fn number(r: &Range<Data>, row: u32, col: u32) -> Option<f64> {
    match r.get_value((row, col))? {
        Data::Float(f) => Some(*f),
        Data::Int(i) => Some(*i as f64),
        _ => None,
    }
}

/// One part of an xlsx package (its XML), for what calamine does not read:
/// notes, print setup, styles, links.
pub fn xlsx_part(path: &Path, name: &str) -> Option<String> {
    use std::io::Read;
    let f = std::fs::File::open(path).ok()?;
    let mut zip = zip::ZipArchive::new(f).ok()?;
    let mut part = zip.by_name(name).ok()?;
    let mut s = String::new();
    part.read_to_string(&mut s).ok()?;
    Some(s)
}

/// The XML part a sheet's relationship of the given type points to.
pub fn sheet_related(path: &Path, sheet_no: usize, kind: &str) -> Option<String> {
    let rels = xlsx_part(path, &format!("xl/worksheets/_rels/sheet{sheet_no}.xml.rels"))?;
    let at = rels.find(&format!("relationships/{kind}\""))?;
    let tail = &rels[at..];
    let t = tail.find("Target=\"")? + 8;
    let target = &tail[t..t + tail[t..].find('"')?];
    xlsx_part(path, &format!("xl/{}", target.trim_start_matches("../")))
}
