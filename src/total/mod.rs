//! Adding up: each hamlet's figure as of the month (`figures`), commune
//! figures over the hamlets (`commune`), and the year's targets. Every total
//! keeps the cells it was made from, says which hamlets' figures are carried
//! from an earlier month, and is never rated when it includes a figure with
//! an error.

mod commune;
mod figures;

use std::collections::HashSet;

pub use figures::{HamletFigure, formula_of};

use crate::model::{Finding, HamletId, IdVec, IndicatorId, Severity, Status, Submission};
use crate::period::Period;
use crate::schema::{Aggregation, Goal, Schema};
use crate::text::number::tidy;
use figures::{Figures, figures};

/// How a total stands against its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rating {
    Reached,
    NotReached,
    /// It includes a figure with an error: not rated.
    NeedsCheck,
    /// A target, and no figure (or none that can be shown).
    NoData,
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
    /// For plan and range targets: the value over the target, in %.
    pub percent_of_target: Option<f64>,
    /// Against the target; None without one.
    pub rating: Option<Rating>,
    /// Flows with a plan: where the year would end at the pace so far.
    pub projection: Option<f64>,
    /// The same period last year, where the input holds it.
    pub last_year: Option<f64>,
    pub change_from_last_year: Option<f64>,
    /// Some figure it adds up has an error finding, or a cell it would add
    /// up could not be read: never rated.
    pub has_errors: bool,
    /// The hamlets whose figure is carried from an earlier month, and that month.
    pub carried: Vec<(HamletId, Period)>,
    /// For a figure formed by a formula (a yield, a rate): the hamlets it is
    /// formed over, those giving all its figures in one month.
    pub over: Option<Vec<HamletId>>,
    /// Hamlets that reported the month but are not in `over`: they gave
    /// only some of its figures, or gave them for different months.
    pub incomplete: Vec<HamletId>,
    /// A yield not shown: this part of the season is not harvested everywhere.
    pub withheld: Option<IndicatorId>,
    /// Hamlets that reported, with a cell of this figure that could not
    /// be read: the total lacks it.
    pub unread: Vec<HamletId>,
    /// Reports the total lacks, by hamlet and month: a flow's year to date
    /// adds up months that were not all sent; a stock's hamlet sent nothing
    /// this year. Not rated while any is lacking.
    pub lacking: Vec<(HamletId, Period)>,
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

/// The indicators a total is made of: itself, the figures of its formula
/// (a yield's output and area), and, for a derived one, its inputs'.
fn formed_from_all(schema: &Schema, i: IndicatorId) -> Vec<IndicatorId> {
    let mut out = vec![i];
    for &v in formula_of(schema, i).iter().flat_map(|f| &f.vars) {
        for w in formed_from_all(schema, v) {
            if !out.contains(&w) {
                out.push(w);
            }
        }
    }
    out
}

/// The hamlets whose figures for these indicators come from an earlier month.
fn carried(fig: &Figures, inds: &[IndicatorId]) -> Vec<(HamletId, Period)> {
    let mut out: Vec<(HamletId, Period)> = Vec::new();
    for &i in inds {
        for (h, x) in fig.asof[i].enumerate() {
            if let Some(m) = x.as_ref().and_then(|x| x.from_month)
                && !out.iter().any(|(o, om)| *o == h && *om == m)
            {
                out.push((h, m));
            }
        }
    }
    out.sort();
    out
}

/// The months a total lacks a hamlet's report for: for a flow, every month
/// of the year so far that the hamlet sent none for (its year to date adds
/// them up); for a stock, this month, when no earlier month stands in.
fn lacking(
    schema: &Schema,
    fig: &Figures,
    sent: &IdVec<HamletId, Vec<u32>>,
    period: Period,
    inds: &[IndicatorId],
) -> Vec<(HamletId, Period)> {
    let mut out: Vec<(HamletId, Period)> = Vec::new();
    for &i in inds.iter().filter(|i| i.index() < schema.form_count) {
        for h in schema.hamlets.ids() {
            let months: Vec<u32> = match schema.indicators[i].aggregation {
                Aggregation::Flow => (1..=period.month).filter(|m| !sent[h].contains(m)).collect(),
                Aggregation::Stock if !sent[h].contains(&period.month) && fig.asof[i][h].is_none() => {
                    vec![period.month]
                }
                Aggregation::Stock => Vec::new(),
            };
            for p in months.into_iter().filter_map(|m| Period::new(period.year, m)) {
                if !out.contains(&(h, p)) {
                    out.push((h, p));
                }
            }
        }
    }
    out.sort();
    out
}

/// The hamlets that reported the month and are left out of a figure formed
/// by a formula although they gave part of it: a yield of their own without
/// its output or area, a rate with one of its two figures. A crop sown and
/// not yet harvested (an area alone) is no gap.
fn incomplete(schema: &Schema, fig: &Figures, i: IndicatorId, over: Option<&[HamletId]>) -> Vec<HamletId> {
    let (Some(over), Some(f)) = (over, formula_of(schema, i)) else { return Vec::new() };
    if over.is_empty() {
        return Vec::new();
    }
    let derived = matches!(schema.indicators[i].origin, crate::schema::Origin::Derived(_));
    schema
        .hamlets
        .ids()
        .filter(|h| fig.reported[*h] && !over.contains(h))
        .filter(|&h| match derived {
            true => f.vars.iter().any(|&v| fig.asof[v][h].is_some()),
            false => fig.asof[i][h].is_some(),
        })
        .collect()
}

/// The cells of errors and warnings: a total that includes a figure in
/// doubt is marked, and never rated.
fn error_cells(findings: &[Finding]) -> HashSet<(&str, &str, (u32, u32))> {
    findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .filter_map(|f| Some((f.file.as_deref()?, f.sheet.as_deref()?, f.cell?)))
        .collect()
}

/// How a value stands against its goal.
fn rate(value: Option<f64>, goal: Option<Goal>, has_errors: bool) -> Option<Rating> {
    let goal = goal?;
    Some(match value {
        None => Rating::NoData,
        Some(_) if has_errors => Rating::NeedsCheck,
        Some(v) if goal.is_reached(tidy(v)) => Rating::Reached,
        Some(_) => Rating::NotReached,
    })
}

/// The totals as of `period`. Error findings mark the totals that include
/// their cells.
pub fn totals(subs: &[Submission], schema: &Schema, period: Period, findings: &[Finding]) -> Totals {
    let accepted: Vec<&Submission> = subs.iter().filter(|s| s.status == Status::Accepted).collect();
    let fig = figures(&accepted, schema, period);
    let asof = commune::as_of(schema, &fig);
    let month = commune::of_month(schema, &fig);
    let last = Period::new(period.year - 1, period.month)
        .filter(|p| accepted.iter().any(|s| s.period.is_some_and(|sp| sp.year == p.year && sp <= *p)))
        .map(|p| commune::as_of(schema, &figures(&accepted, schema, p)).values);
    let errors = error_cells(findings);
    let goals = schema.targets_for(period.year);
    let mut sent: IdVec<HamletId, Vec<u32>> = IdVec::filled(Vec::new(), schema.hamlets.len());
    for s in &accepted {
        if let (Some(h), Some(p)) = (s.hamlet, s.period)
            && p.year == period.year
            && p <= period
        {
            sent[h].push(p.month);
        }
    }
    let mut rows = IdVec::default();
    for (i, ind) in schema.indicators.enumerate() {
        // A yield stands on the outputs and areas it is formed from, a
        // derived figure on its inputs, in every hamlet.
        let formed_from = formed_from_all(schema, i);
        let has_errors = formed_from
            .iter()
            .flat_map(|&j| fig.asof[j].iter().flatten())
            .flat_map(|x| x.sources.iter().chain(&x.unreadable))
            .any(|s| errors.contains(&(&*s.file, &*s.sheet, (s.row, s.col))))
            || formed_from.iter().any(|&j| !fig.unread[j].is_empty());
        let mut unread: Vec<HamletId> = formed_from.iter().flat_map(|&j| fig.unread[j].iter().copied()).collect();
        unread.sort();
        unread.dedup();
        let value = asof.values[i];
        let goal = goals.and_then(|g| g.goals.get(&i)).copied();
        // "% kế hoạch" reads as fulfilment: for plans and ranges only, never
        // for a ceiling or a floor.
        let percent = match (value, goal) {
            (Some(v), Some(g @ (Goal::Plan { .. } | Goal::Range { .. }))) if g.reference() != 0.0 => {
                Some(v / g.reference() * 100.0)
            }
            _ => None,
        };
        let lacking = lacking(schema, &fig, &sent, period, &formed_from);
        // Where a flow would end the year at the pace so far (not told from
        // a year to date that lacks months).
        let projection = match (value, goal, ind.aggregation) {
            (Some(v), Some(_), Aggregation::Flow) if lacking.is_empty() => Some(v / period.month as f64 * 12.0),
            _ => None,
        };
        let last_year = last.as_ref().and_then(|l| l[i]);
        let change = match (value, last_year) {
            (Some(v), Some(l)) if l != 0.0 => Some((v - l) / l * 100.0),
            _ => None,
        };
        let over = asof.over[i].clone();
        let incomplete = incomplete(schema, &fig, i, over.as_deref());
        rows.push(Total {
            indicator: i,
            value: value.map(tidy),
            month_value: month[i].map(tidy),
            goal,
            percent_of_target: percent.map(tidy),
            rating: rate(value, goal, has_errors || !lacking.is_empty()),
            projection: projection.map(tidy),
            last_year: last_year.map(tidy),
            change_from_last_year: change.map(tidy),
            has_errors,
            carried: carried(&fig, &formed_from),
            over,
            incomplete,
            withheld: asof.withheld[i],
            unread,
            lacking,
            hamlets: fig.asof[i].clone(),
        });
    }
    Totals { period, rows, reported: fig.reported }
}

#[cfg(test)]
mod tests;
