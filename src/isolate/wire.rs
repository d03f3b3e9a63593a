//! What passes between the reading process and its workers, one frame each
//! way (a length, then postcard's compact bytes): a file to read, and what
//! was read in it. Plain copies of the domain types, checked against the
//! schema on the way back in, so that a worker cut off mid-frame is a broken
//! reply, never a panic. Figures travel as the bits of their f64: exact,
//! and NaN-proof.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use crate::model::{
    Entries, Entry, Finding, HamletId, IndicatorId, RuleId, RuleRef, Severity, Source, Status, Submission,
};
use crate::period::Period;
use crate::read::{FileInput, FileResult};
use crate::schema::Schema;

/// The largest frame a worker may send: far more than any report's reply.
pub const MAX_FRAME: usize = 256 << 20;

/// Writes one value as a frame (the caller flushes).
pub fn write_frame<T: Serialize>(out: &mut impl std::io::Write, value: &T) -> std::io::Result<()> {
    let bytes = postcard::to_allocvec(value).map_err(std::io::Error::other)?;
    out.write_all(&(bytes.len() as u32).to_le_bytes())?;
    out.write_all(&bytes)
}

/// Reads one frame's bytes; None at the end of the stream.
pub fn read_frame(input: &mut impl std::io::Read) -> std::io::Result<Option<Vec<u8>>> {
    let mut len = [0u8; 4];
    match input.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let len = u32::from_le_bytes(len) as usize;
    if len > MAX_FRAME {
        return Err(std::io::Error::other("frame too large"));
    }
    let mut bytes = vec![0u8; len];
    input.read_exact(&mut bytes)?;
    Ok(Some(bytes))
}

/// A value from a frame's bytes.
pub fn decode<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Option<T> {
    postcard::from_bytes(bytes).ok()
}

/// A path as its bytes: file names need not be UTF-8.
fn path_bytes(p: &std::path::Path) -> Vec<u8> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        p.as_os_str().as_bytes().to_vec()
    }
    #[cfg(not(unix))]
    {
        p.to_string_lossy().as_bytes().to_vec()
    }
}

fn path_of(bytes: Vec<u8>) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        PathBuf::from(std::ffi::OsString::from_vec(bytes))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(String::from_utf8_lossy(&bytes).into_owned())
    }
}

#[derive(Serialize, Deserialize)]
pub struct Request {
    path: Vec<u8>,
    display: String,
    folders: Vec<String>,
}

impl Request {
    pub fn of(f: &FileInput) -> Request {
        Request { path: path_bytes(&f.path), display: f.display.to_string(), folders: f.folders.clone() }
    }

    pub fn into_input(self) -> FileInput {
        FileInput { path: path_of(self.path), display: self.display.into(), folders: self.folders }
    }
}

/// The shape of the schema a worker loaded: the parent's must be the same.
#[derive(Serialize, Deserialize, PartialEq, Eq, Debug)]
pub struct Shape {
    indicators: usize,
    form: usize,
    hamlets: usize,
    rules: usize,
}

impl Shape {
    pub fn of(schema: &Schema) -> Shape {
        Shape {
            indicators: schema.indicators.len(),
            form: schema.form_count,
            hamlets: schema.hamlets.len(),
            rules: schema.rules.len(),
        }
    }
}

/// A cell: its file and sheet as indices into the reply's names.
#[derive(Serialize, Deserialize)]
struct WSource {
    f: u32,
    s: u32,
    r: u32,
    c: u32,
}

#[derive(Serialize, Deserialize)]
struct WEntry {
    v: Option<u64>,
    d: u8,
    u: bool,
    m: bool,
    s: WSource,
}

#[derive(Serialize, Deserialize)]
struct WSubmission {
    file: u32,
    path: Vec<u8>,
    sheet: Option<u32>,
    hamlet: Option<usize>,
    period: Option<(i32, u32)>,
    status: u8,
    modified: Option<i64>,
    entries: Vec<Option<WEntry>>,
}

#[derive(Serialize, Deserialize)]
struct WFinding {
    severity: u8,
    reading: Option<String>,
    rule: Option<usize>,
    file: Option<u32>,
    sheet: Option<u32>,
    cell: Option<(u32, u32)>,
    hamlet: Option<usize>,
    period: Option<(i32, u32)>,
    indicator: Option<usize>,
    message: String,
    expected: Option<u64>,
    actual: Option<u64>,
}

/// What was read in one file. File and sheet names are written once, in
/// `names`, and named by their index: a report's every figure has them.
#[derive(Serialize, Deserialize, Default)]
pub struct Reply {
    names: Vec<String>,
    submissions: Vec<WSubmission>,
    findings: Vec<WFinding>,
}

/// The names of a reply being written.
#[derive(Default)]
struct Table(Vec<String>);

impl Table {
    fn at(&mut self, s: &str) -> u32 {
        match self.0.iter().rposition(|n| n == s) {
            Some(i) => i as u32,
            None => {
                self.0.push(s.to_string());
                (self.0.len() - 1) as u32
            }
        }
    }
}

fn period_out(p: Option<Period>) -> Option<(i32, u32)> {
    p.map(|p| (p.year, p.month))
}

impl Reply {
    pub fn of(r: &FileResult) -> Reply {
        let mut t = Table::default();
        let submissions = r
            .submissions
            .iter()
            .map(|s| WSubmission {
                file: t.at(&s.file),
                path: path_bytes(&s.path),
                sheet: s.sheet.as_deref().map(|x| t.at(x)),
                hamlet: s.hamlet.map(|h| h.index()),
                period: period_out(s.period),
                status: s.status as u8,
                modified: s.modified,
                entries: s
                    .entries
                    .iter()
                    .map(|e| {
                        e.as_ref().map(|e| WEntry {
                            v: e.value.map(f64::to_bits),
                            d: e.decimals,
                            u: e.unreadable,
                            m: e.missing,
                            s: WSource {
                                f: t.at(&e.source.file),
                                s: t.at(&e.source.sheet),
                                r: e.source.row,
                                c: e.source.col,
                            },
                        })
                    })
                    .collect(),
            })
            .collect();
        let findings = r
            .findings
            .iter()
            .map(|f| WFinding {
                severity: f.severity as u8,
                reading: match f.rule {
                    RuleRef::Reading(id) => Some(id.to_string()),
                    RuleRef::Schema(_) => None,
                },
                rule: match f.rule {
                    RuleRef::Schema(r) => Some(r.index()),
                    RuleRef::Reading(_) => None,
                },
                file: f.file.as_deref().map(|x| t.at(x)),
                sheet: f.sheet.as_deref().map(|x| t.at(x)),
                cell: f.cell,
                hamlet: f.hamlet.map(|h| h.index()),
                period: period_out(f.period),
                indicator: f.indicator.map(|i| i.index()),
                message: f.message.clone(),
                expected: f.expected.map(f64::to_bits),
                actual: f.actual.map(f64::to_bits),
            })
            .collect();
        Reply { names: t.0, submissions, findings }
    }

    /// Back into domain values, every id and name checked against the
    /// schema and the reply's names.
    pub fn into_result(self, schema: &Schema) -> Option<FileResult> {
        let names: Vec<Arc<str>> = self.names.into_iter().map(Arc::from).collect();
        let submissions = self.submissions.into_iter().map(|s| submission(s, schema, &names)).collect::<Option<_>>()?;
        let findings = self.findings.into_iter().map(|f| finding(f, schema, &names)).collect::<Option<_>>()?;
        Some(FileResult { submissions, findings })
    }
}

fn name(names: &[Arc<str>], i: u32) -> Option<Arc<str>> {
    names.get(i as usize).cloned()
}

fn name_opt(names: &[Arc<str>], i: Option<u32>) -> Option<Option<Arc<str>>> {
    match i {
        None => Some(None),
        Some(i) => name(names, i).map(Some),
    }
}

fn period_in(p: Option<(i32, u32)>) -> Option<Option<Period>> {
    match p {
        None => Some(None),
        Some((y, m)) => Period::new(y, m).map(Some),
    }
}

fn id<I>(i: Option<usize>, len: usize, make: fn(usize) -> I) -> Option<Option<I>> {
    match i {
        None => Some(None),
        Some(i) if i < len => Some(Some(make(i))),
        Some(_) => None,
    }
}

fn submission(s: WSubmission, schema: &Schema, names: &[Arc<str>]) -> Option<Submission> {
    if s.entries.len() != schema.form_count {
        return None;
    }
    let status = [Status::Accepted, Status::Superseded, Status::Rejected].get(s.status as usize).copied()?;
    let entries = s
        .entries
        .into_iter()
        .map(|e| match e {
            None => Some(None),
            Some(e) => Some(Some(Entry {
                value: e.v.map(f64::from_bits),
                decimals: e.d,
                unreadable: e.u,
                missing: e.m,
                source: Source { file: name(names, e.s.f)?, sheet: name(names, e.s.s)?, row: e.s.r, col: e.s.c },
            })),
        })
        .collect::<Option<Vec<Option<Entry>>>>()?;
    Some(Submission {
        file: name(names, s.file)?,
        path: path_of(s.path),
        sheet: name_opt(names, s.sheet)?,
        hamlet: id(s.hamlet, schema.hamlets.len(), HamletId::new)?,
        period: period_in(s.period)?,
        status,
        modified: s.modified,
        entries: Entries::from_vec(entries),
    })
}

fn finding(f: WFinding, schema: &Schema, names: &[Arc<str>]) -> Option<Finding> {
    let severity = [Severity::Error, Severity::Warning, Severity::Info].get(f.severity as usize).copied()?;
    let rule = match (f.reading, f.rule) {
        (Some(code), None) => RuleRef::Reading(intern(code)),
        (None, Some(r)) if r < schema.rules.len() => RuleRef::Schema(RuleId::new(r)),
        _ => return None,
    };
    let mut out = Finding::new(severity, rule, f.message);
    out.file = name_opt(names, f.file)?;
    out.sheet = name_opt(names, f.sheet)?;
    out.cell = f.cell;
    out.hamlet = id(f.hamlet, schema.hamlets.len(), HamletId::new)?;
    out.period = period_in(f.period)?;
    out.indicator = id(f.indicator, schema.indicators.len(), IndicatorId::new)?;
    out.expected = f.expected.map(f64::from_bits);
    out.actual = f.actual.map(f64::from_bits);
    Some(out)
}

/// A reading finding's code, kept for the run: the codes are few (the
/// catalogue of `read::issues`), each stored once.
fn intern(code: String) -> &'static str {
    static CODES: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());
    let mut codes = CODES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(c) = codes.iter().find(|c| **c == code) {
        return c;
    }
    // A worker only ever sends the catalogue's codes; a bound keeps a
    // confused one from growing this without end.
    if codes.len() >= 512 {
        return "tep_hong";
    }
    let leaked: &'static str = Box::leak(code.into_boxed_str());
    codes.push(leaked);
    leaked
}
