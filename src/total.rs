//! Adding up: each hamlet's figure as of the month (stocks: the latest value
//! of the year; flows: the months added up), commune totals over hamlets,
//! yields and rates as ratios of sums, derived indicators, and the year's
//! targets. Every total keeps the cells it was made from.

use std::collections::HashSet;

use crate::model::{Finding, HamletId, IdVec, IndicatorId, Severity, Source, Status, Submission};
use crate::period::Period;
use crate::schema::{Aggregation, Formula, Goal, Origin, Schema};
use crate::text::number::tidy;

/// One hamlet's figure for an indicator.
#[derive(Debug, Clone)]
pub struct HamletFigure {
    pub value: f64,
    /// The cells it was read from (several for a flow or a derived row).
    pub sources: Vec<Source>,
    /// A stock taken from an earlier month, the hamlet having not reported it this month.
    pub from_month: Option<Period>,
    /// This month's cell, when it could not be read and an earlier month stands in.
    pub unreadable: Option<Source>,
}

/// A commune figure with what it stands on.
#[derive(Debug, Clone)]
pub struct Total {
    pub indicator: IndicatorId,
    /// As of the period: stocks, the latest value; flows, the year to date.
    pub value: Option<f64>,
    /// The period's month alone.
    pub month_value: Option<f64>,
    /// The year's target, in the indicator's unit.
    pub goal: Option<Goal>,
    pub percent_of_target: Option<f64>,
    pub reached: Option<bool>,
    /// Flows with a plan: where the year would end at the pace so far.
    pub projection: Option<f64>,
    /// The same period last year, where the input holds it.
    pub last_year: Option<f64>,
    pub change_from_last_year: Option<f64>,
    /// Some figure it adds up has an error finding.
    pub has_errors: bool,
    /// Each hamlet's figure.
    pub hamlets: IdVec<HamletId, Option<HamletFigure>>,
}

#[derive(Debug, Clone)]
pub struct Totals {
    pub period: Period,
    /// One per indicator, in schema order.
    pub rows: IdVec<IndicatorId, Total>,
    /// Hamlets with an accepted report for the period.
    pub reported: IdVec<HamletId, bool>,
}

impl Totals {
    /// Hamlets with no report for the month.
    pub fn missing(&self) -> impl Iterator<Item = HamletId> + '_ {
        self.reported.enumerate().filter(|(_, r)| !**r).map(|(h, _)| h)
    }
}

/// Each hamlet's figures as of a period, and for the month alone.
struct Figures {
    asof: IdVec<IndicatorId, IdVec<HamletId, Option<HamletFigure>>>,
    month: IdVec<IndicatorId, IdVec<HamletId, Option<f64>>>,
    reported: IdVec<HamletId, bool>,
}

/// A figure of one submission; a total row left out stands as the sum of its parts.
fn figure_of(sub: &Submission, ind: IndicatorId, schema: &Schema) -> Option<(f64, Vec<Source>)> {
    if let Some(e) = sub.entry(ind) {
        if let Some(v) = e.value {
            return Some((v, vec![e.source.clone()]));
        }
        if e.unreadable {
            return None;
        }
    }
    let parts = &schema.indicators[ind].parts;
    if parts.is_empty() {
        return None;
    }
    let mut sum = 0.0;
    let mut sources = Vec::new();
    for &p in parts {
        if let Some(e) = sub.entry(p)
            && let Some(v) = e.value
        {
            sum += v;
            sources.push(e.source.clone());
        }
    }
    (!sources.is_empty()).then_some((sum, sources))
}

/// A stock as of the period: the latest month of the year that gives it.
fn stock(mine: &[&Submission], ind: IndicatorId, schema: &Schema, period: Period) -> Option<HamletFigure> {
    let unreadable = mine
        .iter()
        .find(|s| s.period == Some(period))
        .and_then(|s| s.entry(ind))
        .filter(|e| e.unreadable)
        .map(|e| e.source.clone());
    mine.iter().rev().find_map(|s| {
        let (value, sources) = figure_of(s, ind, schema)?;
        let p = s.period.unwrap_or(period);
        Some(HamletFigure { value, sources, from_month: (p != period).then_some(p), unreadable: unreadable.clone() })
    })
}

/// A flow as of the period: the months of the year added up.
fn flow(mine: &[&Submission], ind: IndicatorId, schema: &Schema) -> Option<HamletFigure> {
    let mut value = 0.0;
    let mut sources = Vec::new();
    for s in mine {
        if let Some((v, src)) = figure_of(s, ind, schema) {
            value += v;
            sources.extend(src);
        }
    }
    (!sources.is_empty()).then_some(HamletFigure { value, sources, from_month: None, unreadable: None })
}

fn figures(subs: &[&Submission], schema: &Schema, period: Period) -> Figures {
    let nh = schema.hamlets.len();
    let n = schema.indicators.len();
    let mut asof = IdVec::filled(IdVec::filled(None, nh), n);
    let mut month = IdVec::filled(IdVec::filled(None, nh), n);
    let mut reported = IdVec::filled(false, nh);
    for h in schema.hamlets.ids() {
        let mut mine: Vec<&Submission> = subs
            .iter()
            .copied()
            .filter(|s| s.hamlet == Some(h) && s.period.is_some_and(|p| p.year == period.year && p <= period))
            .collect();
        mine.sort_by_key(|s| s.period);
        reported[h] = mine.iter().any(|s| s.period == Some(period));
        let this_month = mine.iter().find(|s| s.period == Some(period));
        for i in schema.form_indicators() {
            asof[i][h] = match schema.indicators[i].aggregation {
                Aggregation::Stock => stock(&mine, i, schema, period),
                Aggregation::Flow => flow(&mine, i, schema),
            };
            if let Some(s) = this_month {
                month[i][h] = figure_of(s, i, schema).map(|x| x.0);
            }
        }
        // A hamlet's own derived figures (its poverty rate), from its figures.
        for i in schema.derived_indicators() {
            if let Origin::Derived(f) = &schema.indicators[i].origin {
                let v = eval_in_units(f, schema, i, |v| asof[v][h].as_ref().map(|x| x.value));
                if let Some(value) = v {
                    let sources =
                        f.vars.iter().flat_map(|&v| asof[v][h].iter().flat_map(|x| x.sources.clone())).collect();
                    asof[i][h] = Some(HamletFigure { value, sources, from_month: None, unreadable: None });
                }
                month[i][h] = eval_in_units(f, schema, i, |v| month[v][h]);
            }
        }
    }
    Figures { asof, month, reported }
}

/// Evaluates a formula on figures in their own units: converted to base units,
/// then the result given in the unit of `out`.
pub fn eval_in_units(
    f: &Formula,
    schema: &Schema,
    out: IndicatorId,
    value_of: impl Fn(IndicatorId) -> Option<f64>,
) -> Option<f64> {
    let v = f.eval(|i| value_of(i).map(|v| v * schema.scale(i)))?;
    Some(v / schema.scale(out))
}

/// Commune figures from hamlet figures: sums, or the indicator's total
/// formula over sums of the hamlets that report all its figures.
fn commune(
    schema: &Schema,
    per_hamlet: &dyn Fn(IndicatorId, HamletId) -> Option<f64>,
) -> IdVec<IndicatorId, Option<f64>> {
    let mut out = IdVec::filled(None, schema.indicators.len());
    let sum_over = |i: IndicatorId, hamlets: &[HamletId]| -> Option<f64> {
        let vals: Vec<f64> = hamlets.iter().filter_map(|&h| per_hamlet(i, h)).collect();
        (!vals.is_empty()).then(|| vals.iter().sum())
    };
    let all: Vec<HamletId> = schema.hamlets.ids().collect();
    for i in schema.form_indicators() {
        out[i] = match &schema.indicators[i].total {
            None => sum_over(i, &all),
            Some(f) => {
                let paired: Vec<HamletId> =
                    all.iter().copied().filter(|&h| f.vars.iter().all(|&v| per_hamlet(v, h).is_some())).collect();
                if paired.is_empty() { None } else { eval_in_units(f, schema, i, |v| sum_over(v, &paired)) }
            }
        };
    }
    for i in schema.derived_indicators() {
        if let Origin::Derived(f) = &schema.indicators[i].origin {
            out[i] = eval_in_units(f, schema, i, |v| out[v]);
        }
    }
    out
}

/// The cells of error findings: a total that includes one is marked.
fn error_cells(findings: &[Finding]) -> HashSet<(&str, &str, (u32, u32))> {
    findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .filter_map(|f| Some((f.file.as_deref()?, f.sheet.as_deref()?, f.cell?)))
        .collect()
}

/// The totals as of `period`. Error findings mark the totals that include
/// their cells.
pub fn totals(subs: &[Submission], schema: &Schema, period: Period, findings: &[Finding]) -> Totals {
    let accepted: Vec<&Submission> = subs.iter().filter(|s| s.status == Status::Accepted).collect();
    let fig = figures(&accepted, schema, period);
    let asof = commune(schema, &|i, h| fig.asof[i][h].as_ref().map(|x| x.value));
    let month = commune(schema, &|i, h| fig.month[i][h]);
    let last = Period::new(period.year - 1, period.month)
        .filter(|p| accepted.iter().any(|s| s.period.is_some_and(|sp| sp.year == p.year && sp <= *p)))
        .map(|p| {
            let f = figures(&accepted, schema, p);
            commune(schema, &|i, h| f.asof[i][h].as_ref().map(|x| x.value))
        });
    let errors = error_cells(findings);
    let goals = schema.targets_for(period.year);
    let mut rows = IdVec::default();
    for (i, ind) in schema.indicators.enumerate() {
        // A yield stands on the outputs and areas it is formed from, too.
        let formed_from: Vec<IndicatorId> =
            std::iter::once(i).chain(ind.total.iter().flat_map(|f| f.vars.iter().copied())).collect();
        let has_errors = formed_from
            .iter()
            .flat_map(|&j| fig.asof[j].iter().flatten())
            .flat_map(|x| x.sources.iter().chain(&x.unreadable))
            .any(|s| errors.contains(&(&*s.file, &*s.sheet, (s.row, s.col))));
        let value = asof[i];
        let goal = goals.and_then(|g| g.goals.get(&i)).copied();
        let percent = match (value, goal) {
            (Some(v), Some(g)) if g.reference() != 0.0 => Some(v / g.reference() * 100.0),
            _ => None,
        };
        // Where a flow would end the year at the pace so far.
        let projection = match (value, goal, ind.aggregation) {
            (Some(v), Some(_), Aggregation::Flow) => Some(v / period.month as f64 * 12.0),
            _ => None,
        };
        let last_year = last.as_ref().and_then(|l| l[i]);
        let change = match (value, last_year) {
            (Some(v), Some(l)) if l != 0.0 => Some((v - l) / l * 100.0),
            _ => None,
        };
        rows.push(Total {
            indicator: i,
            value: value.map(tidy),
            month_value: month[i].map(tidy),
            goal,
            percent_of_target: percent.map(tidy),
            reached: value.zip(goal).map(|(v, g)| g.is_reached(tidy(v))),
            projection: projection.map(tidy),
            last_year: last_year.map(tidy),
            change_from_last_year: change.map(tidy),
            has_errors,
            hamlets: fig.asof[i].clone(),
        });
    }
    Totals { period, rows, reported: fig.reported }
}
