//! Adding up: each hamlet's figure as of the month (stocks: the latest value
//! of the year; flows: the months added up), commune totals over hamlets,
//! yields and rates as ratios of sums, derived indicators, and the year's
//! targets. Every total keeps the cells it was made from.

use std::collections::HashSet;

use serde::Serialize;

use crate::model::{Finding, Severity, Source, Status, Submission};
use crate::number::tidy;
use crate::period::Period;
use crate::schema::{Aggregation, Formula, Goal, Origin, Schema};

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
#[derive(Debug, Clone, Serialize)]
pub struct Total {
    pub indicator: String,
    pub name: String,
    pub section: String,
    pub unit: String,
    pub aggregation: Aggregation,
    /// As of the period: stocks, the latest value; flows, the year to date.
    pub value: Option<f64>,
    /// The period's month alone.
    pub month_value: Option<f64>,
    pub target_kind: Option<&'static str>,
    pub target: Option<f64>,
    /// Upper bound of a range target.
    pub target_max: Option<f64>,
    pub percent_of_target: Option<f64>,
    pub reached: Option<bool>,
    /// Flows with a plan: where the year would end at the pace so far.
    pub projection: Option<f64>,
    /// The same period last year, where the input holds it.
    pub last_year: Option<f64>,
    pub change_from_last_year: Option<f64>,
    /// Some figure it adds up has an error finding.
    pub has_errors: bool,
    /// Hamlets with no report for the month.
    pub missing_hamlets: Vec<String>,
    #[serde(skip)]
    pub hamlets: Vec<Option<HamletFigure>>,
}

#[derive(Debug, Clone)]
pub struct Totals {
    pub period: Period,
    /// One per indicator, in schema order.
    pub rows: Vec<Total>,
    /// Hamlets with an accepted report for the period.
    pub reported: Vec<bool>,
}

/// Each hamlet's figures as of a period, and for the month alone.
struct Figures {
    asof: Vec<Vec<Option<HamletFigure>>>,
    month: Vec<Vec<Option<f64>>>,
    reported: Vec<bool>,
}

/// A figure of one submission; a total row left out stands as the sum of its parts.
fn figure_of(sub: &Submission, ind: usize, schema: &Schema) -> Option<(f64, Vec<Source>)> {
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

fn figures(subs: &[&Submission], schema: &Schema, period: Period) -> Figures {
    let nh = schema.hamlets.len();
    let n = schema.indicators.len();
    let mut asof = vec![vec![None; nh]; n];
    let mut month = vec![vec![None; nh]; n];
    let mut reported = vec![false; nh];
    for h in 0..nh {
        let mut mine: Vec<&Submission> = subs
            .iter()
            .copied()
            .filter(|s| s.hamlet == Some(h) && s.period.is_some_and(|p| p.year == period.year && p <= period))
            .collect();
        mine.sort_by_key(|s| s.period);
        reported[h] = mine.iter().any(|s| s.period == Some(period));
        for i in 0..schema.form_count {
            let ind = &schema.indicators[i];
            match ind.aggregation {
                Aggregation::Stock => {
                    let unreadable = mine
                        .iter()
                        .find(|s| s.period == Some(period))
                        .and_then(|s| s.entry(i))
                        .filter(|e| e.unreadable)
                        .map(|e| e.source.clone());
                    for s in mine.iter().rev() {
                        if let Some((v, sources)) = figure_of(s, i, schema) {
                            let p = s.period.unwrap_or(period);
                            asof[i][h] = Some(HamletFigure {
                                value: v,
                                sources,
                                from_month: (p != period).then_some(p),
                                unreadable,
                            });
                            break;
                        }
                    }
                }
                Aggregation::Flow => {
                    let mut sum = 0.0;
                    let mut sources = Vec::new();
                    for s in &mine {
                        if let Some((v, src)) = figure_of(s, i, schema) {
                            sum += v;
                            sources.extend(src);
                        }
                    }
                    if !sources.is_empty() {
                        asof[i][h] = Some(HamletFigure { value: sum, sources, from_month: None, unreadable: None });
                    }
                }
            }
            if let Some(s) = mine.iter().find(|s| s.period == Some(period)) {
                month[i][h] = figure_of(s, i, schema).map(|x| x.0);
            }
        }
        // A hamlet's own derived figures (its poverty rate), from its figures.
        for i in schema.form_count..n {
            if let Origin::Derived(f) = &schema.indicators[i].origin {
                let v = eval_in_units(f, schema, i, |v| asof[v][h].as_ref().map(|x| x.value));
                if let Some(v) = v {
                    let sources =
                        f.vars.iter().flat_map(|&v| asof[v][h].iter().flat_map(|x| x.sources.clone())).collect();
                    asof[i][h] = Some(HamletFigure { value: v, sources, from_month: None, unreadable: None });
                }
                month[i][h] = eval_in_units(f, schema, i, |v| month[v][h]);
            }
        }
    }
    Figures { asof, month, reported }
}

/// Evaluates a formula on figures in their own units: converted to base units,
/// then the result given in the unit of `out`.
pub fn eval_in_units(f: &Formula, schema: &Schema, out: usize, value_of: impl Fn(usize) -> Option<f64>) -> Option<f64> {
    let units = &schema.units;
    let v = f.eval(|i| value_of(i).map(|v| v * units.get(schema.indicators[i].unit).scale))?;
    Some(v / units.get(schema.indicators[out].unit).scale)
}

/// Commune figures from hamlet figures: sums, or the indicator's total
/// formula over sums of the hamlets that report all its figures.
fn commune(schema: &Schema, per_hamlet: &dyn Fn(usize, usize) -> Option<f64>) -> Vec<Option<f64>> {
    let nh = schema.hamlets.len();
    let n = schema.indicators.len();
    let mut out: Vec<Option<f64>> = vec![None; n];
    let sum_over = |i: usize, hamlets: &[usize]| -> Option<f64> {
        let vals: Vec<f64> = hamlets.iter().filter_map(|&h| per_hamlet(i, h)).collect();
        (!vals.is_empty()).then(|| vals.iter().sum())
    };
    let all: Vec<usize> = (0..nh).collect();
    for (i, ind) in schema.indicators.iter().enumerate().take(schema.form_count) {
        out[i] = match &ind.total {
            None => sum_over(i, &all),
            Some(f) => {
                let paired: Vec<usize> =
                    all.iter().copied().filter(|&h| f.vars.iter().all(|&v| per_hamlet(v, h).is_some())).collect();
                if paired.is_empty() { None } else { eval_in_units(f, schema, i, |v| sum_over(v, &paired)) }
            }
        };
    }
    for i in schema.form_count..n {
        if let Origin::Derived(f) = &schema.indicators[i].origin {
            out[i] = eval_in_units(f, schema, i, |v| out[v]);
        }
    }
    out
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
    let error_cells: HashSet<(&str, &str, &str)> = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .filter_map(|f| Some((f.file.as_deref()?, f.sheet.as_deref()?, f.cell.as_deref()?)))
        .collect();
    let missing: Vec<String> =
        schema.hamlets.iter().enumerate().filter(|(h, _)| !fig.reported[*h]).map(|(_, x)| x.name.clone()).collect();
    let goals = schema.targets_for(period.year);
    let mut rows = Vec::with_capacity(schema.indicators.len());
    for (i, ind) in schema.indicators.iter().enumerate() {
        let hamlets = fig.asof[i].clone();
        // A yield stands on the outputs and areas it is formed from, too.
        let formed_from: Vec<usize> =
            std::iter::once(i).chain(ind.total.iter().flat_map(|f| f.vars.iter().copied())).collect();
        let has_errors = formed_from
            .iter()
            .flat_map(|&j| fig.asof[j].iter().flatten())
            .flat_map(|x| x.sources.iter().chain(&x.unreadable))
            .any(|s| error_cells.contains(&(&*s.file, &*s.sheet, s.cell().as_str())));
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
        let (value, percent, projection, change) =
            (value.map(tidy), percent.map(tidy), projection.map(tidy), change.map(tidy));
        rows.push(Total {
            indicator: ind.code.clone(),
            name: ind.name.clone(),
            section: schema.sections.get(ind.section).map(|s| s.title.clone()).unwrap_or_default(),
            unit: schema.unit_code(i).to_string(),
            aggregation: ind.aggregation,
            value,
            month_value: month[i].map(tidy),
            target_kind: goal.map(|g| g.kind_name()),
            target: goal.map(|g| g.reference()),
            target_max: match goal {
                Some(Goal::Range { max, .. }) => Some(max),
                _ => None,
            },
            percent_of_target: percent,
            reached: match (value, goal) {
                (Some(v), Some(g)) => Some(g.is_reached(v)),
                _ => None,
            },
            projection,
            last_year: last_year.map(tidy),
            change_from_last_year: change,
            has_errors,
            missing_hamlets: missing.clone(),
            hamlets,
        });
    }
    Totals { period, rows, reported: fig.reported }
}
