//! What goes back to each hamlet after a run: which of its reports was
//! read, what was found in it, and whether it has reported at all. The
//! writers (`write::feedback`, `write::messages`) lay it out; this module
//! only chooses, so that the workbook and the message say the same.

use std::sync::Arc;

use crate::model::{Finding, HamletId, RuleRef, Severity, Status, Submission};
use crate::period::Period;
use crate::pipeline::Outcome;
use crate::schema::{Check, Schema};

/// One hamlet's month, as it goes back to it.
pub struct HamletCase<'a> {
    pub hamlet: HamletId,
    /// Its report that was used (accepted); else the one it sent that was
    /// not taken, if any.
    pub report: Option<&'a Submission>,
    /// The files it sent for the month, in order.
    pub files: Vec<Arc<str>>,
    /// What was found in them, errors first.
    pub findings: Vec<&'a Finding>,
}

impl HamletCase<'_> {
    pub fn reported(&self) -> bool {
        self.report.is_some_and(|s| s.status == Status::Accepted)
    }

    /// Errors and warnings: what a hamlet must fix or confirm.
    pub fn to_fix(&self) -> impl Iterator<Item = &&Finding> {
        self.findings.iter().filter(|f| f.severity != Severity::Info)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == severity).count()
    }
}

/// Every hamlet of the commune for the month, in the schema's order.
pub fn cases<'a>(schema: &Schema, out: &'a Outcome, period: Period) -> Vec<HamletCase<'a>> {
    schema
        .hamlets
        .ids()
        .map(|h| {
            let sent: Vec<&Submission> =
                out.submissions.iter().filter(|s| s.hamlet == Some(h) && s.period == Some(period)).collect();
            let report = sent
                .iter()
                .find(|s| s.status == Status::Accepted)
                .or_else(|| sent.iter().find(|s| s.status == Status::Rejected))
                .copied();
            let mut files: Vec<Arc<str>> = Vec::new();
            for s in &sent {
                if !files.contains(&s.file) {
                    files.push(s.file.clone());
                }
            }
            let findings = out
                .findings
                .iter()
                .filter(|f| !is_reminder(schema, f))
                .filter(|f| {
                    let in_its_file = f.file.as_ref().is_some_and(|file| files.contains(file));
                    let about_it = f.hamlet == Some(h) && f.period == Some(period);
                    in_its_file || about_it
                })
                .collect();
            HamletCase { hamlet: h, report, files, findings }
        })
        .collect()
}

/// "Not reported" is said once, as a reminder, not as a finding to fix.
pub fn is_reminder(schema: &Schema, f: &Finding) -> bool {
    matches!(f.rule, RuleRef::Schema(r) if matches!(schema.rules[r].check, Check::Completeness))
}
