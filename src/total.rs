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
    /// The hamlets whose figure is carried from an earlier month, and that month.
    pub carried: Vec<(HamletId, Period)>,
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

/// A figure of one submission. A total row left out, or whose cell cannot
/// be read (a formula without its value), stands as the sum of its parts in
/// the same report: never as a figure of another month.
fn figure_of(sub: &Submission, ind: IndicatorId, schema: &Schema) -> Option<(f64, Vec<Source>)> {
    if let Some(v) = sub.entry(ind).and_then(|e| e.value) {
        return Some((v, vec![sub.entry(ind)?.source.clone()]));
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

/// The indicators a total is made of: itself, the figures of its formula
/// (a yield's output and area), and, for a derived one, its inputs'.
fn formed_from_all(schema: &Schema, i: IndicatorId) -> Vec<IndicatorId> {
    let ind = &schema.indicators[i];
    let mut out = vec![i];
    let formula = match &ind.origin {
        Origin::Derived(f) => Some(f.as_ref()),
        Origin::Form => ind.total.as_ref(),
    };
    for &v in formula.iter().flat_map(|f| &f.vars) {
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
        // A yield stands on the outputs and areas it is formed from, a
        // derived figure on its inputs, in every hamlet.
        let formed_from = formed_from_all(schema, i);
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
        let carried = carried(&fig, &formed_from);
        rows.push(Total {
            indicator: i,
            carried,
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::{Entries, Entry, RuleRef};

    /// An accepted report of hamlet `h` for `(year, month)`, each figure in a
    /// cell of its own (the file names the hamlet and month, the row the indicator).
    fn sub(schema: &Schema, h: usize, (year, month): (i32, u32), figures: &[(&str, f64)]) -> Submission {
        let file: Arc<str> = format!("thon{h}-{year}-{month:02}.xlsx").into();
        let sheet: Arc<str> = "S".into();
        let mut entries = Entries::filled(None, schema.form_count);
        for &(code, value) in figures {
            let i = schema.indicator(code).unwrap();
            let source = Source { file: file.clone(), sheet: sheet.clone(), row: 5 + i.index() as u32, col: 3 };
            entries[i] = Some(Entry { value: Some(value), decimals: 0, unreadable: false, source });
        }
        Submission {
            file: file.clone(),
            path: file.to_string().into(),
            sheet: Some(sheet),
            hamlet: Some(HamletId::new(h)),
            period: Period::new(year, month),
            status: Status::Accepted,
            modified: None,
            entries,
        }
    }

    fn run(schema: &Schema, subs: &[Submission], (year, month): (i32, u32), findings: &[Finding]) -> Totals {
        totals(subs, schema, Period::new(year, month).unwrap(), findings)
    }

    fn row<'a>(t: &'a Totals, schema: &Schema, code: &str) -> &'a Total {
        &t.rows[schema.indicator(code).unwrap()]
    }

    fn hamlet<'a>(t: &'a Totals, schema: &Schema, code: &str, h: usize) -> Option<&'a HamletFigure> {
        row(t, schema, code).hamlets[HamletId::new(h)].as_ref()
    }

    /// The cell a submission's figure was read from.
    fn cell(s: &Submission, schema: &Schema, code: &str) -> Source {
        s.entry(schema.indicator(code).unwrap()).unwrap().source.clone()
    }

    fn finding(severity: Severity, at: &Source) -> Finding {
        Finding::new(severity, RuleRef::Reading("x"), "sai").at(at)
    }

    #[test]
    fn a_stock_is_each_hamlets_latest_month_of_the_year() {
        let schema = Schema::builtin().unwrap();
        let mut superseded = sub(&schema, 0, (2024, 6), &[("lon", 7000.0)]);
        superseded.status = Status::Superseded;
        let subs = [
            sub(&schema, 0, (2024, 5), &[("lon", 100.0)]),
            sub(&schema, 0, (2024, 6), &[("lon", 120.0)]),
            superseded,
            sub(&schema, 0, (2024, 7), &[("lon", 500.0)]),
            // No pigs this month: May's figure stands.
            sub(&schema, 1, (2024, 5), &[("lon", 50.0)]),
            sub(&schema, 1, (2024, 6), &[("ho", 12.0)]),
            // Only last year.
            sub(&schema, 2, (2023, 12), &[("lon", 900.0)]),
        ];
        let t = run(&schema, &subs, (2024, 6), &[]);
        let lon = row(&t, &schema, "lon");
        assert_eq!(lon.value, Some(170.0));
        assert_eq!(lon.month_value, Some(120.0));
        let h0 = hamlet(&t, &schema, "lon", 0).unwrap();
        assert_eq!((h0.value, h0.from_month), (120.0, None));
        assert_eq!(h0.sources, vec![cell(&subs[1], &schema, "lon")]);
        let h1 = hamlet(&t, &schema, "lon", 1).unwrap();
        assert_eq!((h1.value, h1.from_month), (50.0, Period::new(2024, 5)));
        assert!(hamlet(&t, &schema, "lon", 2).is_none());
        assert_eq!(t.missing().map(HamletId::index).collect::<Vec<_>>(), [2, 3, 4, 5]);
    }

    #[test]
    fn a_flow_adds_up_the_months_of_the_year() {
        let schema = Schema::builtin().unwrap();
        let subs = [
            sub(&schema, 0, (2023, 12), &[("trong_rung", 40.0)]),
            sub(&schema, 0, (2024, 1), &[("trong_rung", 10.0)]),
            sub(&schema, 0, (2024, 3), &[("trong_rung", 5.5)]),
            sub(&schema, 0, (2024, 4), &[("trong_rung", 4.5)]),
            sub(&schema, 0, (2024, 5), &[("trong_rung", 100.0)]),
            sub(&schema, 1, (2024, 4), &[("trong_rung", 2.0)]),
        ];
        let t = run(&schema, &subs, (2024, 4), &[]);
        let r = row(&t, &schema, "trong_rung");
        assert_eq!(r.value, Some(22.0));
        assert_eq!(r.month_value, Some(6.5));
        assert_eq!(r.projection, Some(66.0));
        let h0 = hamlet(&t, &schema, "trong_rung", 0).unwrap();
        assert_eq!((h0.value, h0.sources.len(), h0.from_month), (20.0, 3, None));
        // The 2024 target is a range, 1000 to 1200 ha: % of its low end.
        assert_eq!(r.goal, Some(Goal::Range { min: 1000.0, max: 1200.0 }));
        assert_eq!((r.percent_of_target, r.reached), (Some(2.2), Some(false)));
    }

    #[test]
    fn a_total_row_left_out_is_the_sum_of_its_parts_but_not_its_yield() {
        let schema = Schema::builtin().unwrap();
        let subs = [
            sub(
                &schema,
                0,
                (2024, 6),
                &[
                    ("lua_xuan.dien_tich", 60.0),
                    ("lua_xuan.nang_suat", 60.0),
                    ("lua_xuan.san_luong", 360.0),
                    ("lua_he_thu.dien_tich", 40.0),
                    ("lua_he_thu.nang_suat", 50.0),
                    ("lua_he_thu.san_luong", 200.0),
                ],
            ),
            // The total row given: its parts are not added up for it.
            sub(
                &schema,
                1,
                (2024, 6),
                &[
                    ("lua.dien_tich", 20.0),
                    ("lua.nang_suat", 50.0),
                    ("lua.san_luong", 100.0),
                    ("lua_xuan.dien_tich", 15.0),
                ],
            ),
        ];
        let t = run(&schema, &subs, (2024, 6), &[]);
        let area = hamlet(&t, &schema, "lua.dien_tich", 0).unwrap();
        assert_eq!(area.value, 100.0);
        assert_eq!(
            area.sources,
            [cell(&subs[0], &schema, "lua_xuan.dien_tich"), cell(&subs[0], &schema, "lua_he_thu.dien_tich")]
        );
        assert_eq!(hamlet(&t, &schema, "lua.dien_tich", 1).unwrap().value, 20.0);
        assert_eq!(row(&t, &schema, "lua.dien_tich").value, Some(120.0));
        assert_eq!(row(&t, &schema, "lua.san_luong").value, Some(660.0));
        assert_eq!(row(&t, &schema, "lua_xuan.dien_tich").value, Some(75.0));
        // Hamlet 0's yields (60 and 50) do not add up to a yield of its total row.
        assert!(hamlet(&t, &schema, "lua.nang_suat", 0).is_none());
        assert_eq!(hamlet(&t, &schema, "lua.nang_suat", 1).unwrap().value, 50.0);
        // 660 tấn over 120 ha is 5.5 tấn/ha, 55 tạ/ha.
        assert_eq!(row(&t, &schema, "lua.nang_suat").value, Some(55.0));
    }

    #[test]
    fn a_commune_yield_is_output_over_area_of_the_hamlets_giving_both() {
        let schema = Schema::builtin().unwrap();
        let subs = [
            sub(&schema, 0, (2024, 6), &[("lac.dien_tich", 10.0), ("lac.san_luong", 30.0), ("lac.nang_suat", 30.0)]),
            sub(&schema, 1, (2024, 6), &[("lac.dien_tich", 30.0), ("lac.san_luong", 60.0), ("lac.nang_suat", 20.0)]),
            // Area without output: counts in the area, not in the yield.
            sub(&schema, 2, (2024, 6), &[("lac.dien_tich", 50.0), ("lac.nang_suat", 99.0)]),
        ];
        let t = run(&schema, &subs, (2024, 6), &[]);
        assert_eq!(row(&t, &schema, "lac.dien_tich").value, Some(90.0));
        let ns = row(&t, &schema, "lac.nang_suat");
        // 90 tấn over 40 ha is 2.25 tấn/ha, 22.5 tạ/ha (the hamlets' mean would be 25).
        assert_eq!((ns.value, ns.month_value), (Some(22.5), Some(22.5)));
        assert_eq!(ns.goal, Some(Goal::Plan { value: 24.0 }));
        assert_eq!((ns.percent_of_target, ns.reached), (Some(93.75), Some(false)));
        assert_eq!(hamlet(&t, &schema, "lac.nang_suat", 2).unwrap().value, 99.0);
    }

    #[test]
    fn a_derived_rate_is_a_ratio_of_sums() {
        let schema = Schema::builtin().unwrap();
        let subs = [
            sub(&schema, 0, (2024, 6), &[("ho", 200.0), ("ho_ngheo", 10.0)]),
            sub(&schema, 1, (2024, 6), &[("ho", 300.0), ("ho_ngheo", 6.0)]),
        ];
        let t = run(&schema, &subs, (2024, 6), &[]);
        let rate = row(&t, &schema, "ty_le_ho_ngheo");
        // 16 of 500 households; the hamlets' rates are 5 % and 2 %.
        assert_eq!((rate.value, rate.month_value), (Some(3.2), Some(3.2)));
        assert_eq!(rate.goal, Some(Goal::AtMost { value: 3.8 }));
        assert_eq!(rate.reached, Some(true));
        let h0 = hamlet(&t, &schema, "ty_le_ho_ngheo", 0).unwrap();
        assert!((h0.value - 5.0).abs() < 1e-9, "{}", h0.value);
        assert_eq!(h0.sources.len(), 2);
    }

    #[test]
    fn last_year_is_the_same_month_of_the_year_before() {
        let schema = Schema::builtin().unwrap();
        let subs = [
            sub(&schema, 0, (2023, 5), &[("trong_rung", 3.0)]),
            sub(&schema, 0, (2023, 6), &[("lon", 100.0), ("trong_rung", 2.0)]),
            sub(&schema, 0, (2023, 7), &[("lon", 900.0), ("trong_rung", 50.0)]),
            sub(&schema, 1, (2023, 4), &[("lon", 60.0)]),
            sub(&schema, 0, (2024, 6), &[("lon", 120.0), ("trong_rung", 10.0)]),
            sub(&schema, 1, (2024, 6), &[("lon", 75.0)]),
        ];
        let t = run(&schema, &subs, (2024, 6), &[]);
        let lon = row(&t, &schema, "lon");
        assert_eq!((lon.value, lon.last_year, lon.change_from_last_year), (Some(195.0), Some(160.0), Some(21.875)));
        let rung = row(&t, &schema, "trong_rung");
        assert_eq!((rung.value, rung.last_year, rung.change_from_last_year), (Some(10.0), Some(5.0), Some(100.0)));
        // Nothing last year up to June: no comparison.
        let later = [subs[2].clone(), subs[4].clone()];
        let t = run(&schema, &later, (2024, 6), &[]);
        let lon = row(&t, &schema, "lon");
        assert_eq!((lon.value, lon.last_year, lon.change_from_last_year), (Some(120.0), None, None));
    }

    #[test]
    fn an_error_at_a_cell_marks_the_totals_made_from_it() {
        let schema = Schema::builtin().unwrap();
        let subs = [
            sub(&schema, 0, (2024, 5), &[("trong_rung", 1.0)]),
            sub(
                &schema,
                0,
                (2024, 6),
                &[("lac.dien_tich", 10.0), ("lac.san_luong", 30.0), ("trau", 5.0), ("bo", 7.0), ("lon", 40.0)],
            ),
            sub(&schema, 1, (2024, 6), &[("lac.dien_tich", 20.0), ("lac.san_luong", 50.0)]),
        ];
        let findings = [
            finding(Severity::Error, &cell(&subs[1], &schema, "lac.dien_tich")),
            finding(Severity::Error, &cell(&subs[1], &schema, "trau")),
            // An earlier month of a flow is part of its total.
            finding(Severity::Error, &cell(&subs[0], &schema, "trong_rung")),
            finding(Severity::Warning, &cell(&subs[1], &schema, "lon")),
        ];
        let t = run(&schema, &subs, (2024, 6), &findings);
        let marked: Vec<&str> =
            t.rows.iter().filter(|r| r.has_errors).map(|r| schema.indicators[r.indicator].code.as_str()).collect();
        assert_eq!(marked, ["lac.dien_tich", "lac.nang_suat", "trau", "trong_rung", "trau_bo"]);
    }

    #[test]
    fn an_error_elsewhere_marks_nothing() {
        let schema = Schema::builtin().unwrap();
        let subs =
            [sub(&schema, 0, (2024, 5), &[("lon", 30.0)]), sub(&schema, 0, (2024, 6), &[("lon", 40.0), ("bo", 9.0)])];
        let bo = cell(&subs[1], &schema, "bo");
        let findings = [
            // May's figure is not the one used: June's is.
            finding(Severity::Error, &cell(&subs[0], &schema, "lon")),
            // The same cell on another sheet, and a finding without a cell.
            Finding::new(Severity::Error, RuleRef::Reading("x"), "sai").at_cell(
                &bo.file,
                &"Khac".into(),
                bo.row,
                bo.col,
            ),
            Finding::new(Severity::Error, RuleRef::Reading("x"), "sai").on_sheet(&bo.file, &bo.sheet),
        ];
        let t = run(&schema, &subs, (2024, 6), &findings);
        assert!(t.rows.iter().all(|r| !r.has_errors));
    }

    #[test]
    fn an_unreadable_cell_lets_the_earlier_month_stand_and_marks_the_total() {
        let schema = Schema::builtin().unwrap();
        let mut june = sub(&schema, 0, (2024, 6), &[("lon", 0.0)]);
        let lon = schema.indicator("lon").unwrap();
        let e = june.entries[lon].as_mut().unwrap();
        (e.value, e.unreadable) = (None, true);
        let unreadable = e.source.clone();
        let subs = [sub(&schema, 0, (2024, 5), &[("lon", 80.0)]), june];
        let t = run(&schema, &subs, (2024, 6), &[finding(Severity::Error, &unreadable)]);
        let h0 = hamlet(&t, &schema, "lon", 0).unwrap();
        assert_eq!((h0.value, h0.from_month, h0.unreadable.as_ref()), (80.0, Period::new(2024, 5), Some(&unreadable)));
        let r = row(&t, &schema, "lon");
        assert_eq!((r.value, r.month_value, r.has_errors), (Some(80.0), None, true));
    }

    #[test]
    fn targets_of_the_year_give_percent_and_reached() {
        let schema = Schema::builtin().unwrap();
        let subs = [
            sub(&schema, 0, (2024, 6), &[("trau", 300.0), ("bo", 500.0), ("lon", 2530.0), ("ho", 100.0)]),
            sub(&schema, 1, (2024, 6), &[("trau", 100.0), ("bo", 300.0)]),
        ];
        let t = run(&schema, &subs, (2024, 6), &[]);
        let tb = row(&t, &schema, "trau_bo");
        assert_eq!((tb.value, tb.goal), (Some(1200.0), Some(Goal::Plan { value: 1600.0 })));
        assert_eq!((tb.percent_of_target, tb.reached, tb.projection), (Some(75.0), Some(false), None));
        let lon = row(&t, &schema, "lon");
        assert_eq!((lon.percent_of_target, lon.reached), (Some(110.0), Some(true)));
        let ho = row(&t, &schema, "ho");
        assert_eq!((ho.value, ho.goal, ho.percent_of_target, ho.reached), (Some(100.0), None, None, None));
        // No targets for 2025.
        let next = [sub(&schema, 0, (2025, 6), &[("trau", 300.0), ("bo", 500.0)])];
        let t = run(&schema, &next, (2025, 6), &[]);
        let tb = row(&t, &schema, "trau_bo");
        assert_eq!((tb.value, tb.goal, tb.percent_of_target, tb.reached), (Some(800.0), None, None, None));
    }
}
