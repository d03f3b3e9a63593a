//! The JSON report of CONTRACT.md: the period, every submission, every
//! finding and every total, built once from the typed outcome of a run.
//! What `validate --format json` prints and `run --json` writes. The JSON
//! shapes live here and nowhere else.

use serde::Serialize;

use crate::model::{Finding, RuleRef, Submission, a1};
use crate::pipeline::{Counts, Outcome, rule_id};
use crate::schema::{Goal, Schema};
use crate::total::{Rating, Total};

#[derive(Debug, Serialize)]
pub struct Report<'a> {
    tool: &'static str,
    version: &'static str,
    commune: &'a str,
    period: Option<String>,
    submissions: Vec<SubmissionOut<'a>>,
    findings: Vec<FindingOut<'a>>,
    totals: Vec<TotalOut<'a>>,
    summary: SummaryOut,
}

#[derive(Debug, Serialize)]
struct SubmissionOut<'a> {
    file: &'a str,
    sheet: Option<&'a str>,
    hamlet: Option<&'a str>,
    period: Option<String>,
    status: &'static str,
}

#[derive(Debug, Serialize)]
struct FindingOut<'a> {
    severity: &'static str,
    rule: &'a str,
    file: Option<&'a str>,
    sheet: Option<&'a str>,
    cell: Option<String>,
    hamlet: Option<&'a str>,
    period: Option<String>,
    indicator: Option<&'a str>,
    message: &'a str,
    expected: Option<f64>,
    actual: Option<f64>,
    /// What to do about it, from the rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    instruction: Option<&'a str>,
}

#[derive(Debug, Serialize)]
struct TotalOut<'a> {
    indicator: &'a str,
    name: &'a str,
    section: &'a str,
    unit: &'a str,
    aggregation: &'static str,
    value: Option<f64>,
    month_value: Option<f64>,
    target_kind: Option<&'static str>,
    target: Option<f64>,
    /// Upper bound of a range target.
    target_max: Option<f64>,
    percent_of_target: Option<f64>,
    reached: Option<bool>,
    /// reached, not_reached, needs_check (a figure it includes has an
    /// error: not rated), no_data; null without a target.
    rating: Option<&'static str>,
    projection: Option<f64>,
    last_year: Option<f64>,
    change_from_last_year: Option<f64>,
    has_errors: bool,
    /// Hamlets with no report for the month.
    missing_hamlets: Vec<&'a str>,
    /// Figures carried from an earlier month: which hamlet, which month.
    carried: Vec<CarriedOut<'a>>,
    /// Hamlets that reported, left out of a yield or rate because they gave
    /// only some of its figures (or gave them for different months).
    incomplete_hamlets: Vec<&'a str>,
    /// A yield not shown: the part of the season not harvested everywhere.
    withheld_for: Option<&'a str>,
    /// Hamlets that reported, with a cell of this figure that could not be
    /// read: the total lacks it, and is not rated.
    unread_hamlets: Vec<&'a str>,
    /// Reports the total lacks: for a flow, the months of the year so far a
    /// hamlet sent none for; for a stock, a hamlet with no figure this year.
    lacking: Vec<LackingOut<'a>>,
}

#[derive(Debug, Serialize)]
struct LackingOut<'a> {
    month: String,
    hamlets: Vec<&'a str>,
}

#[derive(Debug, Serialize)]
struct CarriedOut<'a> {
    hamlet: &'a str,
    month: String,
}

#[derive(Debug, Serialize)]
struct SummaryOut {
    files: usize,
    accepted: usize,
    superseded: usize,
    rejected: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    hamlets_reported: usize,
    hamlets: usize,
}

impl From<&Counts> for SummaryOut {
    fn from(c: &Counts) -> SummaryOut {
        SummaryOut {
            files: c.files,
            accepted: c.accepted,
            superseded: c.superseded,
            rejected: c.rejected,
            errors: c.errors,
            warnings: c.warnings,
            infos: c.infos,
            hamlets_reported: c.hamlets_reported,
            hamlets: c.hamlets,
        }
    }
}

pub fn build<'a>(schema: &'a Schema, out: &'a Outcome) -> Report<'a> {
    let missing: Vec<&str> = out.totals.iter().flat_map(|t| t.missing()).map(|h| schema.hamlet_name(h)).collect();
    Report {
        tool: "tonghop",
        version: env!("CARGO_PKG_VERSION"),
        commune: &schema.commune.name,
        period: out.period.map(|p| p.to_string()),
        submissions: out.submissions.iter().map(|s| submission(schema, s)).collect(),
        findings: out.findings.iter().map(|f| finding(schema, f)).collect(),
        totals: out.totals.iter().flat_map(|t| &t.rows).map(|t| total(schema, t, &missing)).collect(),
        summary: (&out.counts).into(),
    }
}

/// The report as pretty-printed JSON, ending with a newline.
pub fn to_json(report: &Report<'_>) -> Vec<u8> {
    let mut v = serde_json::to_vec_pretty(report).unwrap_or_default();
    v.push(b'\n');
    v
}

fn submission<'a>(schema: &'a Schema, s: &'a Submission) -> SubmissionOut<'a> {
    SubmissionOut {
        file: &s.file,
        sheet: s.sheet.as_deref(),
        hamlet: s.hamlet.map(|h| schema.hamlet_name(h)),
        period: s.period.map(|p| p.to_string()),
        status: s.status.code(),
    }
}

fn finding<'a>(schema: &'a Schema, f: &'a Finding) -> FindingOut<'a> {
    let instruction = match f.rule {
        RuleRef::Schema(r) => schema.rules[r].instruction.as_deref(),
        RuleRef::Reading(_) => None,
    };
    FindingOut {
        severity: f.severity.code(),
        rule: rule_id(&f.rule, schema),
        file: f.file.as_deref(),
        sheet: f.sheet.as_deref(),
        cell: f.cell.map(|(r, c)| a1(r, c)),
        hamlet: f.hamlet.map(|h| schema.hamlet_name(h)),
        period: f.period.map(|p| p.to_string()),
        indicator: f.indicator.map(|i| schema.indicators[i].code.as_str()),
        message: &f.message,
        expected: f.expected,
        actual: f.actual,
        instruction,
    }
}

fn total<'a>(schema: &'a Schema, t: &Total, missing: &[&'a str]) -> TotalOut<'a> {
    let ind = &schema.indicators[t.indicator];
    TotalOut {
        indicator: &ind.code,
        name: &ind.name,
        section: schema.sections.get(ind.section).map_or("", |s| s.title.as_str()),
        unit: schema.unit_code(t.indicator),
        aggregation: ind.aggregation.code(),
        value: t.value,
        month_value: t.month_value,
        target_kind: t.goal.map(|g| g.kind_code()),
        target: t.goal.map(|g| g.reference()),
        target_max: match t.goal {
            Some(Goal::Range { max, .. }) => Some(max),
            _ => None,
        },
        percent_of_target: t.percent_of_target,
        reached: match t.rating {
            Some(Rating::Reached) => Some(true),
            Some(Rating::NotReached) => Some(false),
            _ => None,
        },
        rating: t.rating.map(|r| match r {
            Rating::Reached => "reached",
            Rating::NotReached => "not_reached",
            Rating::NeedsCheck => "needs_check",
            Rating::NoData => "no_data",
        }),
        projection: t.projection,
        last_year: t.last_year,
        change_from_last_year: t.change_from_last_year,
        has_errors: t.has_errors,
        missing_hamlets: missing.to_vec(),
        carried: t
            .carried
            .iter()
            .map(|(h, m)| CarriedOut { hamlet: schema.hamlet_name(*h), month: m.to_string() })
            .collect(),
        incomplete_hamlets: t.incomplete.iter().map(|h| schema.hamlet_name(*h)).collect(),
        withheld_for: t.withheld.and_then(|p| schema.indicators[p].group.as_deref()),
        unread_hamlets: t.unread.iter().map(|h| schema.hamlet_name(*h)).collect(),
        lacking: {
            let mut by_month: Vec<LackingOut<'_>> = Vec::new();
            for (h, p) in &t.lacking {
                let month = p.to_string();
                match by_month.iter_mut().find(|l| l.month == month) {
                    Some(l) => l.hamlets.push(schema.hamlet_name(*h)),
                    None => by_month.push(LackingOut { month, hamlets: vec![schema.hamlet_name(*h)] }),
                }
            }
            by_month
        },
    }
}
