//! Commune figures from hamlet figures: a sum over the hamlets that give
//! the figure; a yield, a rate or any figure formed by a formula, over the
//! hamlets that give all its figures in one month (a ratio of sums, never
//! diluted by a hamlet that gave half of it); and none for the year's yield
//! of a season not yet harvested everywhere.

use super::figures::{Figures, eval_in_units, formula_of, together};
use crate::model::{HamletId, IdVec, IndicatorId};
use crate::schema::Schema;

/// The commune figures of one kind (as of the month, or the month alone).
pub(super) struct Commune {
    pub values: IdVec<IndicatorId, Option<f64>>,
    /// For a figure formed by a formula, the hamlets it is formed over.
    pub over: IdVec<IndicatorId, Option<Vec<HamletId>>>,
    /// A yield left out: the part of the season not harvested everywhere.
    pub withheld: IdVec<IndicatorId, Option<IndicatorId>>,
}

/// The commune figures as of the month.
pub(super) fn as_of(schema: &Schema, fig: &Figures) -> Commune {
    let mut c = Commune {
        values: IdVec::filled(None, schema.indicators.len()),
        over: IdVec::filled(None, schema.indicators.len()),
        withheld: IdVec::filled(None, schema.indicators.len()),
    };
    let all: Vec<HamletId> = schema.hamlets.ids().collect();
    for (i, _) in schema.indicators.enumerate() {
        let Some(f) = formula_of(schema, i) else {
            c.values[i] = sum(fig, i, &all);
            continue;
        };
        let paired: Vec<HamletId> = all
            .iter()
            .copied()
            .filter(|&h| together(&f.vars.iter().map(|&v| fig.asof[v][h].as_ref()).collect::<Vec<_>>()))
            .collect();
        c.withheld[i] = unharvested(schema, fig, i, &paired);
        if c.withheld[i].is_none() && !paired.is_empty() {
            c.values[i] = eval_in_units(f, schema, i, |v| sum(fig, v, &paired));
        }
        c.over[i] = Some(paired);
    }
    c
}

/// The commune figures of the month alone.
pub(super) fn of_month(schema: &Schema, fig: &Figures) -> IdVec<IndicatorId, Option<f64>> {
    let all: Vec<HamletId> = schema.hamlets.ids().collect();
    let month_sum = |i: IndicatorId, hs: &[HamletId]| -> Option<f64> {
        let vals: Vec<f64> = hs.iter().filter_map(|&h| fig.month[i][h]).collect();
        (!vals.is_empty()).then(|| vals.iter().sum())
    };
    let mut out = IdVec::filled(None, schema.indicators.len());
    for (i, _) in schema.indicators.enumerate() {
        out[i] = match formula_of(schema, i) {
            None => month_sum(i, &all),
            Some(f) => {
                let paired: Vec<HamletId> =
                    all.iter().copied().filter(|&h| f.vars.iter().all(|&v| fig.month[v][h].is_some())).collect();
                let harvested = unharvested(schema, fig, i, &paired).is_none();
                (harvested && !paired.is_empty())
                    .then(|| eval_in_units(f, schema, i, |v| month_sum(v, &paired)))
                    .flatten()
            }
        };
    }
    out
}

fn sum(fig: &Figures, i: IndicatorId, hamlets: &[HamletId]) -> Option<f64> {
    let vals: Vec<f64> = hamlets.iter().filter_map(|&h| fig.asof[i][h].as_ref().map(|x| x.value)).collect();
    (!vals.is_empty()).then(|| vals.iter().sum())
}

/// A yield of a total row ("Lúa cả năm") whose parts are not all harvested:
/// a part with its area and no output in some hamlet. Its ratio would read
/// as the year's yield, and is not one: the part is named instead.
fn unharvested(schema: &Schema, fig: &Figures, i: IndicatorId, hamlets: &[HamletId]) -> Option<IndicatorId> {
    let f = schema.indicators[i].total.as_ref()?;
    let parts: Vec<&Vec<IndicatorId>> = f.vars.iter().map(|&v| &schema.indicators[v].parts).collect();
    let n = parts.first().map_or(0, |p| p.len());
    if n == 0 || parts.iter().any(|p| p.len() != n) {
        return None;
    }
    (0..n).find_map(|k| {
        let given = |h: HamletId| parts.iter().map(|p| fig.asof[p[k]][h].is_some()).collect::<Vec<bool>>();
        let uneven = hamlets.iter().any(|&h| {
            let g = given(h);
            g.iter().any(|x| *x) && !g.iter().all(|x| *x)
        });
        uneven.then_some(parts[0][k])
    })
}
