//! The JSON report of CONTRACT.md: the period, every submission, every
//! finding and every total. What `validate --format json` prints and
//! `run --json` writes.

use serde::Serialize;

use crate::model::{Finding, Severity, Status, Submission};
use crate::period::Period;
use crate::schema::Schema;
use crate::total::{Total, Totals};

#[derive(Debug, Clone, Serialize)]
pub struct SubmissionOut {
    pub file: String,
    pub sheet: Option<String>,
    pub hamlet: Option<String>,
    pub period: Option<String>,
    pub status: Status,
}

#[derive(Debug, Clone, Default, Serialize)]
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

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub tool: &'static str,
    pub version: &'static str,
    pub commune: String,
    /// The month the report is as of.
    pub period: Option<String>,
    pub submissions: Vec<SubmissionOut>,
    pub findings: Vec<Finding>,
    pub totals: Vec<Total>,
    pub summary: Counts,
}

impl Report {
    pub fn new(
        schema: &Schema,
        period: Option<Period>,
        subs: &[Submission],
        findings: Vec<Finding>,
        totals: Option<&Totals>,
    ) -> Report {
        let submissions: Vec<SubmissionOut> = subs
            .iter()
            .map(|s| SubmissionOut {
                file: s.file.to_string(),
                sheet: s.sheet.as_ref().map(|x| x.to_string()),
                hamlet: s.hamlet.map(|h| schema.hamlets[h].name.clone()),
                period: s.period.map(|p| p.to_string()),
                status: s.status,
            })
            .collect();
        let mut files: Vec<&str> = subs.iter().map(|s| &*s.file).collect();
        files.sort_unstable();
        files.dedup();
        let count = |st: Status| subs.iter().filter(|s| s.status == st).count();
        let sev = |sv: Severity| findings.iter().filter(|f| f.severity == sv).count();
        let summary = Counts {
            files: files.len(),
            accepted: count(Status::Accepted),
            superseded: count(Status::Superseded),
            rejected: count(Status::Rejected),
            errors: sev(Severity::Error),
            warnings: sev(Severity::Warning),
            infos: sev(Severity::Info),
            hamlets_reported: totals.map_or(0, |t| t.reported.iter().filter(|r| **r).count()),
            hamlets: schema.hamlets.len(),
        };
        Report {
            tool: "tonghop",
            version: env!("CARGO_PKG_VERSION"),
            commune: schema.commune.name.clone(),
            period: period.map(|p| p.to_string()),
            submissions,
            findings,
            totals: totals.map(|t| t.rows.clone()).unwrap_or_default(),
            summary,
        }
    }

    pub fn has_errors(&self) -> bool {
        self.summary.errors > 0
    }
}
