//! Helpers for integration tests: run the built binary, read its JSON
//! report (as the typed [`Report`]) and the workbook it wrote.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use calamine::{Data, Range, Reader, open_workbook_auto};
use serde::Deserialize;

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
    /// Standard output read as the JSON report.
    pub fn report(&self) -> Report {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!("stdout is not the JSON report ({e}):\n{}\nstderr:\n{}", self.stdout, self.stderr)
        })
    }
}

fn finish(out: Output) -> Run {
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The day every test run is on (2024-07-05, Vietnam time), for the date
/// line of the summary: the same bytes on every day.
pub const TODAY_EPOCH: &str = "1720137600";

/// Runs tonghop with `args` in `dir`.
pub fn tonghop_in(dir: &Path, args: &[&str]) -> Run {
    tonghop_env(dir, args, &[])
}

/// Runs tonghop with `args` in `dir`, with these variables set.
pub fn tonghop_env(dir: &Path, args: &[&str], vars: &[(&str, &str)]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_tonghop"))
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        .envs(vars.iter().copied())
        .output()
        .expect("run tonghop");
    finish(out)
}

pub fn tonghop(args: &[&str]) -> Run {
    tonghop_in(&root(), args)
}

/// `validate --format json` on the given inputs.
pub fn validate_json(inputs: &[&Path], extra: &[&str]) -> (i32, Report) {
    let mut args: Vec<String> = vec!["validate".into(), "--format".into(), "json".into()];
    args.extend(inputs.iter().map(|p| p.to_string_lossy().to_string()));
    args.extend(extra.iter().map(|s| s.to_string()));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = tonghop(&refs);
    assert!(r.code == 0 || r.code == 1, "validate exited {}:\n{}", r.code, r.stderr);
    (r.code, r.report())
}

pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
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

// The JSON report (CONTRACT.md; src/report.rs writes it), read back typed.
// Unknown fields are allowed: the contract lets the report grow. A field
// that may be null is an `Option`; a null or absent field is `None`. Not
// every field is asserted on, hence the `allow(dead_code)` where some
// are not yet.

/// What `validate --format json` prints and `run --json` writes.
#[allow(dead_code)]
#[derive(Debug, Clone, Deserialize)]
pub struct Report {
    pub tool: String,
    pub version: String,
    pub commune: String,
    pub period: Option<String>,
    pub submissions: Vec<Submission>,
    pub findings: Vec<Finding>,
    pub totals: Vec<Total>,
    pub summary: Summary,
}

/// One report found in a file (a sheet of it).
#[derive(Debug, Clone, Deserialize)]
pub struct Submission {
    pub file: String,
    pub sheet: Option<String>,
    pub hamlet: Option<String>,
    pub period: Option<String>,
    /// `accepted`, `superseded` or `rejected`.
    pub status: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Finding {
    /// `error`, `warning` or `info`.
    pub severity: String,
    pub rule: String,
    pub file: Option<String>,
    pub sheet: Option<String>,
    pub cell: Option<String>,
    pub hamlet: Option<String>,
    pub period: Option<String>,
    pub indicator: Option<String>,
    pub message: String,
    pub expected: Option<f64>,
    pub actual: Option<f64>,
    /// What to do about it; absent when the rule says nothing.
    pub instruction: Option<String>,
}

/// The commune's total of one indicator.
#[allow(dead_code)]
#[derive(Debug, Clone, Deserialize)]
pub struct Total {
    pub indicator: String,
    pub name: String,
    pub section: String,
    pub unit: String,
    pub aggregation: String,
    pub value: Option<f64>,
    pub month_value: Option<f64>,
    pub target_kind: Option<String>,
    pub target: Option<f64>,
    pub target_max: Option<f64>,
    pub percent_of_target: Option<f64>,
    pub reached: Option<bool>,
    #[serde(default)]
    pub rating: Option<String>,
    #[serde(default)]
    pub incomplete_hamlets: Vec<String>,
    #[serde(default)]
    pub withheld_for: Option<String>,
    pub projection: Option<f64>,
    pub last_year: Option<f64>,
    pub change_from_last_year: Option<f64>,
    pub has_errors: bool,
    pub missing_hamlets: Vec<String>,
    /// Figures carried from an earlier month.
    #[serde(default)]
    pub carried: Vec<Carried>,
    #[serde(default)]
    pub unread_hamlets: Vec<String>,
}

/// A figure carried from an earlier month, on a total.
#[derive(Debug, Clone, Deserialize)]
pub struct Carried {
    pub hamlet: String,
    pub month: String,
}

#[allow(dead_code)]
#[derive(Debug, Clone, Deserialize)]
pub struct Summary {
    pub files: usize,
    pub accepted: usize,
    pub superseded: usize,
    pub rejected: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub hamlets_reported: usize,
    pub hamlets: usize,
}

impl Report {
    /// A report as JSON bytes; panics, showing them, if they are not one.
    pub fn parse(json: &[u8]) -> Report {
        serde_json::from_slice(json)
            .unwrap_or_else(|e| panic!("not the JSON report ({e}):\n{}", String::from_utf8_lossy(json)))
    }

    /// The report a run wrote with `--json path`.
    pub fn read(path: &Path) -> Report {
        Report::parse(&std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
    }

    /// Findings of one severity (`error`, `warning`, `info`).
    pub fn with_severity(&self, severity: &str) -> Vec<&Finding> {
        self.findings.iter().filter(|f| f.severity == severity).collect()
    }

    /// Findings of one rule.
    pub fn with_rule(&self, rule: &str) -> Vec<&Finding> {
        self.findings.iter().filter(|f| f.rule == rule).collect()
    }

    /// The first finding of `rule` at `cell`; panics, listing the findings,
    /// if there is none.
    pub fn finding_at(&self, rule: &str, cell: &str) -> &Finding {
        self.findings
            .iter()
            .find(|f| f.rule == rule && f.at_cell(cell))
            .unwrap_or_else(|| panic!("no {rule} at {cell} in {:#?}", self.findings))
    }

    /// The total of an indicator; panics if there is none.
    pub fn total(&self, code: &str) -> &Total {
        self.totals.iter().find(|t| t.indicator == code).unwrap_or_else(|| panic!("no total for {code}"))
    }

    /// The value of an indicator's total (`None`: no figure).
    pub fn total_value(&self, code: &str) -> Option<f64> {
        self.total(code).value
    }

    /// The submission of `file` (and of `sheet`, when given); panics if
    /// there is none.
    pub fn submission(&self, file: &str, sheet: Option<&str>) -> &Submission {
        self.submissions
            .iter()
            .find(|s| s.file == file && sheet.is_none_or(|x| s.sheet.as_deref() == Some(x)))
            .unwrap_or_else(|| panic!("no submission {file} {sheet:?} in {:#?}", self.submissions))
    }
}

impl Finding {
    /// Whether it is about `file` (never, when it names no file).
    pub fn in_file(&self, file: &str) -> bool {
        self.file.as_deref() == Some(file)
    }

    /// Whether it is at `cell` (never, when it names no cell).
    pub fn at_cell(&self, cell: &str) -> bool {
        self.cell.as_deref() == Some(cell)
    }
}

/// Copies an xlsx, changing the text of its parts: a workbook as another
/// program, or a person, would leave it.
pub fn rewrite_xlsx(from: &Path, to: &Path, change: impl Fn(&str, String) -> String) {
    use std::io::{Read, Write};
    let mut zip = zip::ZipArchive::new(std::fs::File::open(from).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let name = part.name().unwrap().to_string();
        let mut bytes = Vec::new();
        part.read_to_end(&mut bytes).unwrap();
        let bytes = match String::from_utf8(bytes) {
            Ok(text) => change(&name, text).into_bytes(),
            Err(e) => e.into_bytes(),
        };
        out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap();
}
