//! Reading one file into submissions: open it (whatever it really is),
//! find the form on each sheet, and tell which hamlet and month it is for.
//! A file that cannot be read is a finding, never a stop.

mod book;
mod columns;
mod doubts;
mod encoding;
mod figure;
mod formula;
mod grid;
mod header;
mod identify;
pub(crate) mod issues;
mod matcher;
mod memo;
mod ods_marks;
mod package;
mod shape;
mod sheet;
mod stray;
mod twice;
mod wide;
mod written;

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use matcher::Matcher;

use crate::model::{Entries, Entry, Finding, HamletId, Status, Submission};
use crate::period::Period;
use crate::schema::Schema;
use crate::text::legacy::Encoding;
use book::{Book, Format};
use grid::Grid;
use issues::Issue;
use sheet::{Placed, SheetReader};

/// Files larger than this are not hamlet reports; reading them would only
/// cost memory.
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// A file to read, as discovery found it.
#[derive(Debug, Clone)]
pub struct FileInput {
    pub path: PathBuf,
    /// The path as shown to the user: relative to the input folder given.
    pub display: Arc<str>,
    /// Folder names from the input folder down to the file, which may name
    /// the month ("2024-06") or the hamlet.
    pub folders: Vec<String>,
}

#[derive(Debug, Default)]
pub struct FileResult {
    pub submissions: Vec<Submission>,
    pub findings: Vec<Finding>,
}

impl FileInput {
    pub(crate) fn rejected(&self, sheet: Option<Arc<str>>, schema: &Schema, mtime: Option<i64>) -> Submission {
        Submission {
            file: self.display.clone(),
            path: self.path.clone(),
            sheet,
            hamlet: None,
            period: None,
            status: Status::Rejected,
            modified: mtime,
            entries: Entries::filled(None, schema.form_count),
        }
    }
}

/// Why reading a file in a worker stopped before it was done.
#[derive(Debug, Clone, Copy)]
pub enum Stopped {
    /// It needed more memory than a worker has.
    Memory { megabytes: u64 },
    /// It took longer than a file may.
    Time { seconds: u64 },
    /// Its structure nested deeper than a reader's stack.
    Deep,
    /// The reader died, or answered nonsense.
    Crashed,
}

/// What is said of a file whose reading stopped: an error, and no report.
pub fn stopped(input: &FileInput, schema: &Schema, why: Stopped) -> FileResult {
    let issue = match why {
        Stopped::Memory { megabytes } => Issue::NeedsTooMuchMemory { megabytes },
        Stopped::Time { seconds } => Issue::TakesTooLong { seconds },
        Stopped::Deep | Stopped::Crashed => Issue::Crashed,
    };
    FileResult {
        submissions: vec![input.rejected(None, schema, None)],
        findings: vec![issue.finding().in_file(&input.display)],
    }
}

/// Reads one file. Never panics on its content: a panic inside a reader is
/// caught and reported as an unreadable file.
pub fn read_file(input: &FileInput, schema: &Schema, matcher: &Matcher) -> FileResult {
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_file_inner(input, schema, matcher)));
    caught.unwrap_or_else(|_| FileResult {
        submissions: vec![input.rejected(None, schema, None)],
        findings: vec![Issue::Crashed.finding().in_file(&input.display)],
    })
}

/// The file's bytes and time, or why there are none.
fn load(input: &FileInput) -> (Option<i64>, Result<Vec<u8>, Box<Finding>>) {
    let fail = |issue: Issue<'_>| Err(Box::new(issue.finding().in_file(&input.display)));
    // A name that leads to a device or a pipe is no file to read: asked
    // before opening, which for a device may do something, and for a pipe
    // would wait for its writer for ever. The open never waits either, in
    // case the name changed in between; the size, time and kind come from
    // the handle.
    if std::fs::metadata(&input.path).is_ok_and(|m| !m.is_file()) {
        return (None, fail(Issue::NamedNotAFile));
    }
    let file = open_without_waiting(&input.path);
    let meta = file.as_ref().ok().and_then(|f| f.metadata().ok());
    if meta.as_ref().is_some_and(|m| !m.is_file()) {
        return (None, fail(Issue::NamedNotAFile));
    }
    let mtime = meta
        .as_ref()
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_secs() as i64);
    let size = meta.as_ref().map_or(0, |m| m.len());
    if size > MAX_FILE_BYTES {
        return (mtime, fail(Issue::TooLarge { megabytes: size / 1024 / 1024 }));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    let read =
        file.and_then(|f| std::io::Read::read_to_end(&mut std::io::Read::take(f, MAX_FILE_BYTES + 1), &mut bytes));
    match read {
        Ok(_) => (mtime, Ok(bytes)),
        Err(e) => (mtime, fail(Issue::CannotOpen { why: &e.to_string() })),
    }
}

#[cfg(unix)]
fn open_without_waiting(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    // O_NONBLOCK changes nothing for a regular file's reads.
    std::fs::OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK).open(path)
}

#[cfg(not(unix))]
fn open_without_waiting(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

fn read_file_inner(input: &FileInput, schema: &Schema, matcher: &Matcher) -> FileResult {
    let (mtime, bytes) = load(input);
    read_bytes(input, mtime, bytes, schema, matcher)
}

/// Reads a file's bytes (or says why there are none).
pub(crate) fn read_bytes(
    input: &FileInput,
    mtime: Option<i64>,
    bytes: Result<Vec<u8>, Box<Finding>>,
    schema: &Schema,
    matcher: &Matcher,
) -> FileResult {
    let mut out = FileResult::default();
    let book = bytes
        .and_then(|b| Book::open(b).map_err(|e| Box::new(Issue::Unopenable(&e).finding().in_file(&input.display))));
    let mut book = match book {
        Ok(b) => b,
        Err(f) => {
            out.submissions.push(input.rejected(None, schema, mtime));
            out.findings.push(*f);
            return out;
        }
    };
    let sheets = book.sheets();
    if sheets.len() > book::MAX_SHEETS {
        let why = format!("có {} trang tính, quá giới hạn {}", sheets.len(), book::MAX_SHEETS);
        out.submissions.push(input.rejected(None, schema, mtime));
        out.findings.push(Issue::Unopenable(&book::OpenError::Budget(why)).finding().in_file(&input.display));
        return out;
    }
    if crate::write::workbook::is_summary(&sheets.iter().map(|s| s.name.as_str()).collect::<Vec<_>>()) {
        out.findings.push(Issue::OwnSummary.finding().in_file(&input.display));
        return out;
    }
    if sheets.iter().map(|s| s.name.as_str()).eq(crate::write::feedback::SHEETS) {
        out.findings.push(Issue::OwnFeedback.finding().in_file(&input.display));
        return out;
    }
    // The hidden identity of a form tonghop made: read, and no report sheet.
    let is_identity = |name: &str| name == crate::identity::SHEET;
    let identity = sheets.iter().find(|s| s.worksheet && is_identity(&s.name)).and_then(|info| {
        let grid = book.grid(&info.name).ok()?;
        let rows: Vec<(String, String)> = (0..8)
            .map(|r| (grid.text(r, 0).unwrap_or("").to_string(), grid.text(r, 1).unwrap_or("").to_string()))
            .collect();
        crate::identity::parse(&rows, schema)
    });
    let report_sheets = sheets.iter().filter(|s| s.worksheet && !is_identity(&s.name)).count();
    let mut any_report = false;
    for info in sheets.iter().filter(|s| s.worksheet) {
        if identity.is_some() && is_identity(&info.name) {
            continue;
        }
        let mut grid = match book.grid(&info.name) {
            Ok(g) => g,
            Err(e) => {
                let f = Issue::SheetUnreadable { sheet: &info.name, why: &e }.finding();
                out.findings.push(f.in_file(&input.display));
                continue;
            }
        };
        grid.hidden = info.hidden;
        grid.own_form = identity.as_ref().is_some_and(|i| i.same_form);
        if grid.is_empty() {
            continue;
        }
        // A sheet name names the hamlet only when the workbook holds several.
        let sheet_name = (report_sheets > 1).then_some(info.name.as_str());
        let ctx = SheetCtx { input, schema, matcher, sheet_name, modified: mtime, identity: identity.as_ref() };
        let subs = read_sheet(&ctx, &mut book, grid, &mut out.findings);
        any_report |= !subs.is_empty();
        out.submissions.extend(subs);
    }
    if !any_report {
        let issue = if report_sheets == 0 { Issue::NoSheets } else { Issue::NoReport };
        out.submissions.push(input.rejected(None, schema, mtime));
        out.findings.push(issue.finding().in_file(&input.display));
    }
    out
}

/// What reading one sheet needs to know of the file it is in.
struct SheetCtx<'a> {
    input: &'a FileInput,
    schema: &'a Schema,
    matcher: &'a Matcher,
    /// The sheet's name, when it may name the hamlet.
    sheet_name: Option<&'a str>,
    /// When the file was last modified (the workbook's own record is read
    /// only for the few files that need it: see [`saved_time`]).
    modified: Option<i64>,
    /// The hidden identity of a form tonghop made, when the file has one.
    identity: Option<&'a crate::identity::Identity>,
}

impl SheetCtx<'_> {
    /// What the sheet, file and folder names say of the hamlet and month.
    fn clues_from_names(&self, clues: &mut header::Clues) {
        let stem = self.input.path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
        header::from_names(clues, self.schema, self.sheet_name, &stem, &self.input.folders);
    }

    /// A report of a hamlet and month; one with no figure at all is no
    /// report: said, and its hamlet counts as not having reported.
    fn submission(
        &self,
        sheet: &Arc<str>,
        hamlet: Option<HamletId>,
        period: Option<Period>,
        entries: Entries,
        out: &mut Vec<Finding>,
    ) -> Submission {
        let mut status = if hamlet.is_some() && period.is_some() { Status::Accepted } else { Status::Rejected };
        let empty = entries.iter().flatten().all(|e| e.value.is_none() && !e.unreadable);
        if empty && status == Status::Accepted {
            status = Status::Rejected;
            let mut f = Issue::EmptyReport.finding().on_sheet(&self.input.display, sheet);
            (f.hamlet, f.period) = (hamlet, period);
            out.push(f);
        } else if status == Status::Accepted
            && let Some(id) = self.identity.filter(|id| !id.prefilled.is_empty() && as_sent(id, &entries, self.schema))
        {
            // Each carried figure is in doubt, at its cell: the totals made
            // of it are marked, not rated, until the hamlet says.
            for (i, _) in &id.prefilled {
                let Some(e) = entries.get(*i).and_then(Option::as_ref) else { continue };
                let name = &self.schema.indicators[*i].name;
                let mut f = Issue::AsSent { name, count: id.prefilled.len() }.finding().at(&e.source).indicator(*i);
                (f.hamlet, f.period) = (hamlet, period);
                out.push(f);
            }
        }
        Submission {
            file: self.input.display.clone(),
            path: self.input.path.clone(),
            sheet: Some(sheet.clone()),
            hamlet,
            period,
            status,
            modified: self.modified,
            entries,
        }
    }
}

/// A form sent back with exactly the figures it was sent with, and no
/// other: nothing of this month was written in it. (Its total rows are
/// the form's own sums, never written.)
fn as_sent(id: &crate::identity::Identity, entries: &Entries, schema: &Schema) -> bool {
    let computed: Vec<crate::model::IndicatorId> = schema
        .tables
        .iter()
        .flat_map(|t| t.rows.iter().filter(|r| !r.parts.is_empty()).flat_map(|r| r.indicators.iter().copied()))
        .collect();
    let written: Vec<(crate::model::IndicatorId, f64)> = entries
        .enumerate()
        .filter(|(i, _)| !computed.contains(i))
        .filter_map(|(i, e)| Some((i, e.as_ref()?.value?)))
        .collect();
    written.len() == id.prefilled.len()
        && written.iter().all(|(i, v)| id.prefilled.iter().any(|(p, w)| p == i && (v - w).abs() < 1e-9))
}

/// What is said of a sheet itself: a legacy encoding, hidden, too large.
fn sheet_notes(grid: &Grid, legacy: Option<(Encoding, usize)>, file: &Arc<str>) -> Vec<Finding> {
    let name = &grid.sheet;
    let on_sheet = |issue: Issue<'_>| issue.finding().on_sheet(file, name);
    let mut notes = Vec::new();
    if let Some((enc, cells)) = legacy {
        notes.push(on_sheet(Issue::LegacyEncoding { sheet: name, encoding: enc.name(), cells }));
    }
    if grid.hidden {
        notes.push(on_sheet(Issue::HiddenSheet { sheet: name }));
    }
    if grid.truncated {
        notes.push(on_sheet(Issue::LargeSheet { sheet: name, rows: grid::MAX_ROWS, cols: grid::MAX_COLS }));
    }
    notes
}

/// Reads one sheet into the reports it holds: none when it holds no table
/// of the form, one per hamlet column when the hamlets stand side by side.
fn read_sheet(ctx: &SheetCtx<'_>, book: &mut Book, mut grid: Grid, out: &mut Vec<Finding>) -> Vec<Submission> {
    let (input, schema) = (ctx.input, ctx.schema);
    let name = grid.sheet.clone();
    let legacy = encoding::decode_legacy(&mut grid, book, &name);
    if let Some(layout) = wide::detect(&grid, schema, ctx.matcher) {
        let notes = sheet_notes(&grid, legacy, &input.display);
        return wide::submissions(ctx, book, &grid, &layout, notes, out);
    }
    grid.hidden_cols = book.hidden_cols(&name);
    let mut placed = SheetReader::place(&grid, schema, ctx.matcher, &input.display, None);
    if placed.missing_columns {
        // Merged header cells may name the columns that were not found.
        let merges = book.merges(&name);
        if !merges.is_empty() {
            grid.set_merges(merges);
            placed = SheetReader::place(&grid, schema, ctx.matcher, &input.display, None);
        }
    }
    if placed.tables.is_empty() {
        out.push(Issue::NotAReportSheet { sheet: &name }.finding().on_sheet(&input.display, &name));
        return Vec::new();
    }
    let mut clues = header::from_sheet(&grid, schema, placed.first_header_row);
    ctx.clues_from_names(&mut clues);
    let mut identity = Vec::new();
    if let Some(id) = ctx.identity {
        identify::add_identity(&mut clues, id, schema, &input.display, &name, &mut identity);
    }
    let (hamlet, period) = identify::identify(&clues, schema, &input.display, &name, &mut identity);
    if placed.dated_columns && period.is_some() {
        // "Thực hiện tháng 5" beside "Thực hiện tháng 6": now the month is known.
        placed = SheetReader::place(&grid, schema, ctx.matcher, &input.display, period);
    }
    let period = match &clues.span {
        // A quarter's or a half-year's report is no month's.
        Some((header::Span::Several, clue, text)) => {
            let (r, c) = clue.cell().unwrap_or_default();
            identity.push(Issue::NotMonthly { text }.finding().at_cell(&input.display, &name, r, c));
            None
        }
        // A year to date: its flows are not this month's.
        Some((header::Span::ToDate, clue, text)) => {
            let (r, c) = clue.cell().unwrap_or_default();
            identity.push(Issue::ToDate { text }.finding().at_cell(&input.display, &name, r, c));
            for i in schema
                .form_indicators()
                .filter(|&i| schema.indicators[i].aggregation == crate::schema::Aggregation::Flow)
            {
                // Not added: said once, at the title.
                if let Some(e) = placed.entries[i].as_mut().filter(|e| e.value.is_some()) {
                    (e.value, e.unreadable) = (None, true);
                }
            }
            period
        }
        None => period,
    };
    if book.format != Format::Xlsx {
        mark_formulas(book, &grid, &mut placed, schema);
    }
    let mut findings = placed.findings;
    doubts::merged_figures(book, &name, &mut [&mut placed.entries], schema, &mut findings);
    doubts::hidden_figures(book, &name, &placed.entries, schema, &mut findings);
    findings.extend(sheet_notes(&grid, legacy, &input.display));
    findings.extend(identity);
    for f in &mut findings {
        f.hamlet = f.hamlet.or(hamlet);
        f.period = f.period.or(period);
    }
    out.extend(findings);
    vec![ctx.submission(&name, hamlet, period, placed.entries, out)]
}

/// When a file says it was last saved: the workbook's own "modified" property,
/// else the file system's time. Read apart from the figures, for the few
/// files that need it.
pub fn saved_time(path: &Path, fallback: Option<i64>) -> Option<i64> {
    let Ok(bytes) = std::fs::read(path) else { return fallback };
    let stamp = match book::sniff(&bytes) {
        // The one small part, without opening the workbook.
        Ok(Format::Xlsx) => package::Package::open(book::Bytes::new(bytes))
            .and_then(|mut p| p.xlsx_modified())
            .as_deref()
            .and_then(crate::calendar::parse_timestamp),
        _ => Book::open(bytes).ok().and_then(|mut b| b.modified()),
    };
    stamp.or(fallback)
}

/// In formats whose values come without their formulas, a formula with no
/// stored value reads as an empty cell, and one stored as 0 by a program
/// that does not compute reads as 0: ask for the formulas only when some
/// figure was empty or 0.
fn mark_formulas(book: &mut Book, grid: &Grid, placed: &mut Placed, schema: &Schema) {
    let zero = |e: &Entry| e.value == Some(0.0);
    if placed.empty_cells.is_empty() && !placed.entries.iter().flatten().any(zero) {
        return;
    }
    let formulas = book.formulas(&grid.sheet);
    if formulas.is_empty() {
        return;
    }
    let number = |r, c| match grid.val(r, c) {
        grid::Val::Number(v) => Some(*v),
        _ => None,
    };
    for i in schema.form_indicators() {
        let Some(e) = placed.entries.get_mut(i).and_then(Option::as_mut) else { continue };
        let at = (e.source.row, e.source.col);
        let Some((_, f)) = formulas.iter().find(|(p, _)| *p == at) else { continue };
        // The form's own computed cells are worked out again, whatever the
        // program that saved it stored for them.
        let formula_at = |r, c| formulas.iter().find(|(p, _)| *p == (r, c)).map(|(_, f)| f.clone());
        if grid.own_form
            && let Some(v) = formula::own(f, &|r, c| formula::own_number((r, c), &formula_at, &number, 1))
        {
            (e.value, e.unreadable) = (v, false);
            continue;
        }
        let name = &schema.indicators[i].name;
        let issue = match e.value {
            None if !e.unreadable => Issue::FormulaWithoutValue { name },
            Some(v) if v == 0.0 && formula::never_computed(f, number) => Issue::FormulaNotComputed { name },
            _ => continue,
        };
        (e.value, e.unreadable) = (None, true);
        placed.findings.push(issue.finding().at(&e.source).indicator(i));
    }
}
