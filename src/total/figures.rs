//! Each hamlet's figure for each indicator as of a month: stocks the latest
//! month of the year that gives them, flows the months added up, a total
//! row left out (or unreadable) its parts in the same report, and the
//! hamlet's own derived figures from figures of one month.

use crate::model::{HamletId, IdVec, IndicatorId, Source, Submission};
use crate::period::Period;
use crate::schema::{Aggregation, Formula, Origin, Schema};

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

/// Each hamlet's figures as of a period, and for the month alone.
pub(super) struct Figures {
    pub asof: IdVec<IndicatorId, IdVec<HamletId, Option<HamletFigure>>>,
    pub month: IdVec<IndicatorId, IdVec<HamletId, Option<f64>>>,
    pub reported: IdVec<HamletId, bool>,
    /// Hamlets with a figure not read that the total as of the period would
    /// hold: this month's for a stock, any month's of the year for a flow.
    /// A total missing one is never rated.
    pub unread: IdVec<IndicatorId, Vec<HamletId>>,
}

/// A figure of one submission. A total row left out, or whose cell cannot
/// be read (a formula without its value), stands as the sum of its parts in
/// the same report: never as a figure of another month.
fn figure_of(sub: &Submission, ind: IndicatorId, schema: &Schema) -> Option<(f64, Vec<Source>)> {
    if let Some(e) = sub.entry(ind)
        && let Some(v) = e.value
    {
        return Some((v, vec![e.source.clone()]));
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

/// The formula a figure is formed by: a derived indicator's, or a form
/// indicator's commune formula (a yield: output over area).
pub fn formula_of(schema: &Schema, i: IndicatorId) -> Option<&Formula> {
    match &schema.indicators[i].origin {
        Origin::Derived(f) => Some(f),
        Origin::Form => schema.indicators[i].total.as_ref(),
    }
}

/// Do these figures go together: all given, and of one month?
pub(super) fn together(figs: &[Option<&HamletFigure>]) -> bool {
    let month = figs.first().and_then(|f| f.map(|f| f.from_month));
    figs.iter().all(|f| f.is_some_and(|f| Some(f.from_month) == month))
}

pub(super) fn figures(subs: &[&Submission], schema: &Schema, period: Period) -> Figures {
    let nh = schema.hamlets.len();
    let n = schema.indicators.len();
    let mut asof = IdVec::filled(IdVec::filled(None, nh), n);
    let mut month = IdVec::filled(IdVec::filled(None, nh), n);
    let mut reported = IdVec::filled(false, nh);
    let mut unread: IdVec<IndicatorId, Vec<HamletId>> = IdVec::filled(Vec::new(), n);
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
            let (held, carried) = match schema.indicators[i].aggregation {
                Aggregation::Stock => (this_month.into_iter().copied().collect::<Vec<_>>(), asof[i][h].is_some()),
                Aggregation::Flow => (mine.clone(), false),
            };
            // Not read: a cell that could not be, or a row the report does
            // not have (its table, column or label not found), unless an
            // earlier month's figure stands in and is said.
            // A figure the commune forms itself (a yield: output over area)
            // lacks nothing when the hamlet leaves its own out.
            let formed = formula_of(schema, i).is_some();
            let lacking = held.iter().any(|s| match s.entry(i) {
                Some(e) => e.unreadable || e.missing,
                None => !carried && !formed && figure_of(s, i, schema).is_none(),
            });
            if lacking {
                unread[i].push(h);
            }
        }
        // A hamlet's own derived figures (its poverty rate), from its figures
        // of one month.
        for i in schema.derived_indicators() {
            let Some(f) = formula_of(schema, i) else { continue };
            let inputs: Vec<Option<&HamletFigure>> = f.vars.iter().map(|&v| asof[v][h].as_ref()).collect();
            if together(&inputs) {
                let value = eval_in_units(f, schema, i, |v| asof[v][h].as_ref().map(|x| x.value));
                if let Some(value) = value {
                    let sources = inputs.iter().flatten().flat_map(|x| x.sources.clone()).collect();
                    let from_month = inputs.first().and_then(|x| x.and_then(|x| x.from_month));
                    asof[i][h] = Some(HamletFigure { value, sources, from_month, unreadable: None });
                }
            }
            month[i][h] = eval_in_units(f, schema, i, |v| month[v][h]);
        }
    }
    Figures { asof, month, reported, unread }
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
