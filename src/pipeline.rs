//! The whole job, one way through: discover → read (in parallel) → settle
//! duplicates → check → total. Writing is the caller's.

use std::collections::BTreeMap;
use std::path::PathBuf;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::check;
use crate::discover::discover;
use crate::error::Error;
use crate::model::{Finding, Severity, Status, Submission};
use crate::period::Period;
use crate::read::{self, FileInput, Matcher};
use crate::report::Report;
use crate::schema::Schema;
use crate::total::{self, Totals};

pub struct Options {
    pub inputs: Vec<PathBuf>,
    /// The month to report as of; the latest found when None.
    pub period: Option<Period>,
    /// A file never to read: the workbook being written.
    pub exclude: Option<PathBuf>,
    /// Show a progress bar (only ever on a terminal).
    pub progress: bool,
    /// Read when each report of the year was saved (for the status sheet).
    pub saved_times: bool,
}

pub struct Outcome {
    pub report: Report,
    pub submissions: Vec<Submission>,
    pub totals: Option<Totals>,
}

pub fn run(schema: &Schema, opts: &Options) -> Result<Outcome, Error> {
    let found = discover(&opts.inputs, opts.exclude.as_deref())?;
    let mut findings = found.findings;
    let matcher = Matcher::new(schema);
    let bar = progress_bar(opts.progress, found.files.len());
    // Files are read in parallel; results come back in discovery order, so
    // the output does not depend on which thread finished first.
    let results: Vec<read::FileResult> = found
        .files
        .par_iter()
        .map(|f: &FileInput| {
            let r = read::read_file(f, schema, &matcher);
            bar.inc(1);
            r
        })
        .collect();
    bar.finish_and_clear();
    let mut subs = Vec::new();
    for r in results {
        subs.extend(r.submissions);
        findings.extend(r.findings);
    }
    supersede(&mut subs, schema, &mut findings);
    if opts.saved_times {
        // The status sheet says when each report of the year was saved.
        let year = opts.period.map(|p| p.year).or_else(|| subs.iter().filter_map(|s| s.period).max().map(|p| p.year));
        subs.par_iter_mut().filter(|s| s.period.is_some_and(|p| Some(p.year) == year)).for_each(|s| {
            s.modified = read::saved_time(&s.path, s.modified);
        });
    }
    let period =
        opts.period.or_else(|| subs.iter().filter(|s| s.status == Status::Accepted).filter_map(|s| s.period).max());
    findings.extend(check::check(&subs, schema, period));
    sort_findings(&mut findings, schema);
    let totals = period.map(|p| total::totals(&subs, schema, p, &findings));
    let report = Report::new(schema, period, &subs, findings, totals.as_ref());
    Ok(Outcome { report, submissions: subs, totals })
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

/// Two reports of one hamlet and month: the one saved last is used, the
/// other is listed as superseded. Its own findings go with it: the newer
/// file may well have corrected them.
fn supersede(subs: &mut [Submission], schema: &Schema, findings: &mut Vec<Finding>) {
    let mut groups: BTreeMap<(usize, Period), Vec<usize>> = BTreeMap::new();
    for (i, s) in subs.iter().enumerate() {
        if let (Status::Accepted, Some(h), Some(p)) = (s.status, s.hamlet, s.period) {
            groups.entry((h, p)).or_default().push(i);
        }
    }
    for ((h, p), mut idx) in groups {
        if idx.len() < 2 {
            continue;
        }
        for &i in &idx {
            subs[i].modified = read::saved_time(&subs[i].path, subs[i].modified);
        }
        // Latest first; on a tie, a name that says it is a correction, then the later name.
        idx.sort_by(|&a, &b| {
            let (sa, sb) = (&subs[a], &subs[b]);
            sb.modified
                .cmp(&sa.modified)
                .then_with(|| says_corrected(&sb.file).cmp(&says_corrected(&sa.file)))
                .then_with(|| sb.file.cmp(&sa.file))
                .then_with(|| sb.sheet.cmp(&sa.sheet))
        });
        let keep = idx[0];
        for &old in &idx[1..] {
            subs[old].status = Status::Superseded;
            let (file, sheet) = (subs[old].file.clone(), subs[old].sheet.clone());
            findings.retain(|f| !(f.file.as_ref() == Some(&file) && f.sheet == sheet));
            let same = subs[old]
                .entries
                .iter()
                .zip(&subs[keep].entries)
                .all(|(a, b)| a.as_ref().and_then(|e| e.value) == b.as_ref().and_then(|e| e.value));
            let (severity, what) = if same {
                (Severity::Info, "một bản trùng (số liệu giống hệt)")
            } else {
                (Severity::Error, "hai bản báo cáo khác nhau")
            };
            let mut f = Finding::new(
                severity,
                "bi_thay_the",
                format!(
                    "Thôn {} tháng {} có {what}: dùng tệp \"{}\" (lưu sau), bỏ tệp này. Nên xóa bản cũ khỏi thư mục.",
                    schema.hamlets[h].name,
                    p.display_vn(),
                    subs[keep].file
                ),
            )
            .in_file(&file);
            f.sheet = sheet;
            f.hamlet = Some(schema.hamlets[h].name.clone());
            f.period = Some(p.to_string());
            findings.push(f);
        }
    }
}

fn says_corrected(file: &str) -> bool {
    let f = crate::text::fold(file);
    ["sua", "moi", "chinh", "lan 2", "lan2", "v2", "final", "update"].iter().any(|w| f.contains(w))
}

/// Errors first, then by hamlet (in the commune's order), file, sheet and
/// position on the sheet.
pub fn sort_findings(findings: &mut [Finding], schema: &Schema) {
    let hamlet = |f: &Finding| {
        f.hamlet
            .as_ref()
            .map_or(usize::MAX, |h| schema.hamlets.iter().position(|x| &x.name == h).unwrap_or(usize::MAX - 1))
    };
    findings.sort_by(|a, b| {
        a.severity
            .cmp(&b.severity)
            .then_with(|| hamlet(a).cmp(&hamlet(b)))
            .then_with(|| a.file.cmp(&b.file))
            .then_with(|| a.sheet.cmp(&b.sheet))
            .then_with(|| a.pos.cmp(&b.pos))
            .then_with(|| a.period.cmp(&b.period))
            .then_with(|| a.rule.cmp(&b.rule))
            .then_with(|| a.message.cmp(&b.message))
    });
}
