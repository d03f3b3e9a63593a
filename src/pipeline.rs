//! The whole job, one way through: discover → read (in parallel) → settle
//! duplicates → check → total. Writing is the caller's.

use std::path::PathBuf;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::check;
use crate::discover::discover;
use crate::error::Error;
use crate::isolate::{self, Isolation};
use crate::model::{Finding, RuleRef, Severity, Status, Submission};
use crate::period::Period;
use crate::read::{self, Matcher};
use crate::schema::Schema;
use crate::supersede::supersede;
use crate::total::{self, Totals};

pub struct Options {
    pub inputs: Vec<PathBuf>,
    /// The month to report as of; the latest found when None.
    pub period: Option<Period>,
    /// Show a progress bar (only ever on a terminal).
    pub progress: bool,
    /// Read when each report of the year was saved (for the status sheet).
    pub saved_times: bool,
    /// Read each file in a worker process (None: in this one).
    pub isolation: Option<Isolation>,
    /// Workers kept from run to run (the server's); else started for this one.
    pub pool: Option<std::sync::Arc<isolate::Pool>>,
}

/// What a run found.
pub struct Outcome {
    /// The month the report is as of.
    pub period: Option<Period>,
    pub submissions: Vec<Submission>,
    /// Errors first, then by hamlet, file, sheet and cell.
    pub findings: Vec<Finding>,
    pub totals: Option<Totals>,
    pub counts: Counts,
}

/// How many of each thing a run found.
#[derive(Debug, Clone, Default)]
pub struct Counts {
    pub files: usize,
    pub accepted: usize,
    pub superseded: usize,
    pub rejected: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Hamlets with an accepted report for the period, of all hamlets.
    pub hamlets_reported: usize,
    pub hamlets: usize,
}

impl Counts {
    fn of(schema: &Schema, subs: &[Submission], findings: &[Finding], totals: Option<&Totals>) -> Counts {
        let mut files: Vec<&str> = subs.iter().map(|s| &*s.file).collect();
        files.sort_unstable();
        files.dedup();
        let count = |st: Status| subs.iter().filter(|s| s.status == st).count();
        let sev = |sv: Severity| findings.iter().filter(|f| f.severity == sv).count();
        Counts {
            files: files.len(),
            accepted: count(Status::Accepted),
            superseded: count(Status::Superseded),
            rejected: count(Status::Rejected),
            errors: sev(Severity::Error),
            warnings: sev(Severity::Warning),
            infos: sev(Severity::Info),
            hamlets_reported: totals.map_or(0, |t| t.reported.iter().filter(|r| **r).count()),
            hamlets: schema.hamlets.len(),
        }
    }
}

pub fn run(schema: &Schema, opts: &Options) -> Result<Outcome, Error> {
    // Workers load the schema while the folders are walked.
    let pool = opts.pool.clone().unwrap_or_else(|| std::sync::Arc::new(isolate::Pool::start(opts.isolation.as_ref())));
    let found = discover(&opts.inputs)?;
    if found.files.is_empty() {
        let names: Vec<String> = opts.inputs.iter().map(|p| format!("\"{}\"", p.display())).collect();
        return Err(Error::NoSpreadsheets(names.join(", ")));
    }
    let mut findings = found.findings;
    let matcher = Matcher::new(schema);
    let bar = progress_bar(opts.progress, found.files.len());
    // Files are read in parallel; results come back in discovery order, so
    // the output does not depend on which worker finished first.
    let read = isolate::read_all(&found.files, schema, &matcher, &pool, &|| bar.inc(1));
    bar.finish_and_clear();
    if let Some(why) = &read.unisolated {
        findings.push(read::issues::Issue::NotIsolated { why }.finding());
    }
    let results = read.results;
    // Sized once: grown report by report, the lists are copied again and again.
    let mut subs = Vec::with_capacity(results.iter().map(|r| r.submissions.len()).sum());
    findings.reserve(results.iter().map(|r| r.findings.len()).sum());
    for r in results {
        subs.extend(r.submissions);
        findings.extend(r.findings);
    }
    supersede(&mut subs, schema, &mut findings, |s| read::saved_time(&s.path, s.modified));
    if opts.saved_times {
        // The status sheet says when each report of the year was saved.
        let year = opts.period.map(|p| p.year).or_else(|| subs.iter().filter_map(|s| s.period).max().map(|p| p.year));
        // Once per file, however many sheets (reports) it holds.
        let mut paths: Vec<(&std::path::Path, Option<i64>)> = subs
            .iter()
            .filter(|s| s.period.is_some_and(|p| Some(p.year) == year))
            .map(|s| (s.path.as_path(), s.modified))
            .collect();
        paths.sort_unstable_by(|a, b| a.0.cmp(b.0));
        paths.dedup_by(|a, b| a.0 == b.0);
        let times: std::collections::HashMap<std::path::PathBuf, Option<i64>> =
            paths.par_iter().map(|(p, m)| (p.to_path_buf(), read::saved_time(p, *m))).collect();
        for s in subs.iter_mut().filter(|s| s.period.is_some_and(|p| Some(p.year) == year)) {
            if let Some(t) = times.get(&s.path) {
                s.modified = *t;
            }
        }
    }
    let accepted = || subs.iter().filter(|s| s.status == Status::Accepted).filter_map(|s| s.period);
    if let Some(p) = opts.period
        && !accepted().any(|a| a == p)
    {
        return Err(Error::NoReportForPeriod(p.display_vn()));
    }
    let period = opts.period.or_else(|| accepted().max());
    // Blanks that cannot be zero are missing figures, before any rule or
    // total sees them.
    for gap in check::gaps(&subs, schema) {
        if let Some(e) = subs[gap.sub].entries[gap.indicator].as_mut() {
            e.missing = true;
        }
        findings.extend(gap.finding);
    }
    findings.extend(check::check(&subs, schema, period));
    sort_findings(&mut findings, schema);
    let totals = period.map(|p| total::totals(&subs, schema, p, &findings));
    let counts = Counts::of(schema, &subs, &findings, totals.as_ref());
    Ok(Outcome { period, submissions: subs, findings, totals, counts })
}

fn progress_bar(enabled: bool, len: usize) -> ProgressBar {
    if !enabled || len < 2 {
        return ProgressBar::hidden();
    }
    // indicatif draws nothing when standard error is not a terminal.
    let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{spinner} Đang đọc {pos}/{len} tệp [{bar:30}] {eta}") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// The id a finding shows: reading's own, or its rule's.
pub fn rule_id<'a>(rule: &RuleRef, schema: &'a Schema) -> &'a str {
    match *rule {
        RuleRef::Reading(id) => id,
        RuleRef::Schema(r) => &schema.rules[r].id,
    }
}

/// Errors first, then by hamlet (in the commune's order), file, sheet and
/// position on the sheet.
fn sort_findings(findings: &mut [Finding], schema: &Schema) {
    let hamlet = |f: &Finding| f.hamlet.map_or(usize::MAX, |h| h.index());
    findings.sort_by(|a, b| {
        a.severity
            .cmp(&b.severity)
            .then_with(|| hamlet(a).cmp(&hamlet(b)))
            .then_with(|| a.file.cmp(&b.file))
            .then_with(|| a.sheet.cmp(&b.sheet))
            .then_with(|| a.cell.cmp(&b.cell))
            .then_with(|| a.period.cmp(&b.period))
            .then_with(|| rule_id(&a.rule, schema).cmp(rule_id(&b.rule, schema)))
            .then_with(|| a.message.cmp(&b.message))
    });
}
