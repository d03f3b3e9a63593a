//! Products (area × yield = output) and sums (a total row = its parts), with
//! the unit factor derived from the declared units, a tolerance from the
//! rounding as written, and a diagnosis when a figure is off by 10, 100 or
//! 1000: which one was most likely typed in which unit.

use super::Ctx;
use crate::model::{Finding, IndicatorId};
use crate::schema::Check;

/// Interval arithmetic on non-negative figures: could the written result be
/// the product of figures within their written rounding?
fn product_holds(k: f64, factors: &[(f64, f64)], result: (f64, f64)) -> bool {
    let lo = k * factors.iter().map(|(v, t)| (v - t).max(0.0)).product::<f64>();
    let hi = k * factors.iter().map(|(v, t)| v + t).product::<f64>();
    let eps = 1e-9 * hi.abs().max(1.0);
    result.0 + result.1 >= lo - eps && result.0 - result.1 <= hi + eps
}

fn sum_holds(total: (f64, f64), parts: &[(f64, f64)], factors: &[f64]) -> bool {
    let sum: f64 = parts.iter().zip(factors).map(|((v, _), f)| v * f).sum();
    let slack: f64 = total.1 + parts.iter().zip(factors).map(|((_, t), f)| t * f).sum::<f64>();
    (total.0 - sum).abs() <= slack + 1e-9 * sum.abs().max(1.0)
}

const POWERS: [i32; 6] = [-1, 1, -2, 2, -3, 3];

/// Is `v` within the plausible bounds the schema gives this indicator?
fn plausible(ctx: &Ctx<'_>, ind: IndicatorId, v: f64) -> Option<bool> {
    ctx.schema.rules.iter().find_map(|r| match &r.check {
        Check::Range { indicators, min, max }
            if indicators.contains(&ind) && (min.is_some_and(|m| m > 0.0) || max.is_some()) =>
        {
            Some(min.is_none_or(|m| v >= m) && max.is_none_or(|m| v <= m))
        }
        _ => None,
    })
}

/// The units a figure may have been typed in instead of its own: every
/// declared unit of its dimension and, for a rate (tạ/ha), every quotient
/// of two declared units that gives it (kg/sào): with the factor that turns
/// a figure typed in it into the figure's own unit.
fn other_units(ctx: &Ctx<'_>, ind: IndicatorId) -> Vec<(f64, String)> {
    let units = &ctx.schema.units;
    let own = units.get(ctx.schema.indicators[ind].unit);
    let mut out: Vec<(f64, String)> = Vec::new();
    let mut add = |scale: f64, code: String| {
        let m = scale / own.scale;
        if (m - 1.0).abs() > 1e-9 && !out.iter().any(|(o, _)| (o / m - 1.0).abs() < 1e-9) {
            out.push((m, code));
        }
    };
    for u in units.list.iter().filter(|u| u.dimension == own.dimension && !u.code.contains('/')) {
        add(u.scale, u.code.clone());
    }
    if own.dimension.values().any(|e| *e < 0) {
        for a in units.list.iter().filter(|u| !u.code.contains('/')) {
            for b in units.list.iter().filter(|u| !u.code.contains('/') && !u.dimension.is_empty()) {
                if let Some((dim, scale)) = units.measure(&format!("{}/{}", a.code, b.code))
                    && dim == own.dimension
                {
                    add(scale, format!("{}/{}", a.code, b.code));
                }
            }
        }
    }
    out
}

/// The corrections to try on a figure: a power of ten (a zero too many or
/// too few, a figure typed in tạ for tấn), or the factor of another unit it
/// may have been typed in (sào for ha, kg/sào for tạ/ha); with the unit, and
/// how far the correction is from none.
fn corrections(ctx: &Ctx<'_>, ind: IndicatorId) -> Vec<(f64, Option<String>, i32)> {
    let units = other_units(ctx, ind);
    let unit_of = |m: f64| units.iter().find(|(f, _)| (f / m - 1.0).abs() < 1e-9).map(|(_, c)| c.clone());
    let mut out: Vec<(f64, Option<String>, i32)> =
        POWERS.iter().map(|&p| (10f64.powi(p), unit_of(10f64.powi(p)), p.abs())).collect();
    for (m, code) in &units {
        if !out.iter().any(|(o, _, _)| (o / m - 1.0).abs() < 1e-9) {
            out.push((*m, Some(code.clone()), 1));
        }
    }
    out
}

/// A diagnosis: which figure (index into the checked ones), the factor that
/// corrects it, and the unit it was probably typed in.
struct Diagnosis {
    at: usize,
    factor: f64,
    unit: Option<String>,
}

/// The most likely single mistyped figure.
fn diagnose(
    ctx: &Ctx<'_>,
    inds: &[IndicatorId],
    vals: &[(f64, f64)],
    holds: impl Fn(&[(f64, f64)]) -> bool,
    prefer: usize,
) -> Option<Diagnosis> {
    let mut best: Option<(i32, Diagnosis)> = None;
    for j in 0..inds.len() {
        if vals[j].0 == 0.0 {
            continue;
        }
        for (m, unit, distance) in corrections(ctx, inds[j]) {
            let mut trial = vals.to_vec();
            trial[j] = (vals[j].0 * m, vals[j].1 * m);
            if !holds(&trial) {
                continue;
            }
            let mut score = if unit.is_some() { 4 } else { 0 };
            match (plausible(ctx, inds[j], vals[j].0), plausible(ctx, inds[j], trial[j].0)) {
                (_, Some(false)) => score -= 5,
                (Some(false), Some(true)) => score += 3,
                _ => {}
            }
            // In line with the other hamlets once corrected, out of line before.
            if let Some(median) = ctx.peer(inds[j]) {
                let off = |v: f64| (v / median).log10().abs();
                match (off(vals[j].0) > 0.7, off(trial[j].0) < 0.5) {
                    (true, true) => score += 3,
                    (false, false) => score -= 3,
                    _ => {}
                }
            }
            if j == prefer {
                score += 1;
            }
            score -= distance;
            if best.as_ref().is_none_or(|b| score > b.0) {
                best = Some((score, Diagnosis { at: j, factor: m, unit }));
            }
        }
    }
    best.filter(|b| b.0 > -3).map(|(_, d)| d)
}

fn hint(ctx: &Ctx<'_>, ind: IndicatorId, value: f64, d: &Diagnosis) -> String {
    let i = &ctx.schema.indicators[ind];
    let cell = ctx.sub.entry(ind).map(|e| format!(" (ô {})", e.source.cell())).unwrap_or_default();
    let (m, unit) = (d.factor, d.unit.as_deref());
    let corrected = ctx.amount(ind, value * m);
    match unit {
        Some(u) => format!("{} {}{cell}: có lẽ đã ghi theo {u} ({corrected}).", i.name, ctx.amount(ind, value)),
        None => format!(
            "{} {}{cell}: có lẽ gõ {} chữ số 0 hoặc nhầm dấu thập phân ({corrected}).",
            i.name,
            ctx.amount(ind, value),
            if m < 1.0 { "thừa" } else { "thiếu" }
        ),
    }
}

pub(super) fn product(ctx: &Ctx<'_>, instances: &[(Vec<IndicatorId>, IndicatorId)], out: &mut Vec<Finding>) {
    let schema = ctx.schema;
    for (factors, result) in instances {
        let mut inds = factors.clone();
        inds.push(*result);
        let Some(vals) = ctx.values(&inds, out) else {
            continue;
        };
        if vals.iter().any(|(v, _)| *v < 0.0) {
            continue;
        }
        let k = factors.iter().map(|&f| schema.units.get(schema.indicators[f].unit).scale).product::<f64>()
            / schema.units.get(schema.indicators[*result].unit).scale;
        let n = factors.len();
        let holds = |v: &[(f64, f64)]| product_holds(k, &v[..n], v[n]);
        if holds(&vals) {
            continue;
        }
        let expected = k * vals[..n].iter().map(|v| v.0).product::<f64>();
        let actual = vals[n].0;
        let res = &schema.indicators[*result];
        let terms: Vec<String> = factors.iter().zip(&vals).map(|(&f, v)| ctx.amount(f, v.0)).collect();
        let names: Vec<String> = factors.iter().map(|&f| schema.indicators[f].label.to_lowercase()).collect();
        let what = res.group.clone().map_or_else(String::new, |g| format!("{g}: "));
        let msg = format!(
            "{what}{} = {} = {}, nhưng {} ghi {}.",
            names.join(" × "),
            terms.join(" × "),
            ctx.amount(*result, expected),
            res.label.to_lowercase(),
            ctx.amount(*result, actual),
        );
        out.push(place(ctx, &inds, &vals, diagnose(ctx, &inds, &vals, holds, n), *result, msg, expected));
    }
}

/// The finding of a product or sum that does not hold: at the figure the
/// diagnosis names (the yield typed in the wrong unit, not the output that
/// is right), with what it should be; else at the `whole`, with what the
/// others make of it.
fn place(
    ctx: &Ctx<'_>,
    inds: &[IndicatorId],
    vals: &[(f64, f64)],
    diagnosis: Option<Diagnosis>,
    whole: IndicatorId,
    mut msg: String,
    expected: f64,
) -> Finding {
    match diagnosis {
        Some(d) => {
            let (ind, value) = (inds[d.at], vals[d.at].0);
            msg.push(' ');
            msg.push_str(&hint(ctx, ind, value, &d));
            ctx.finding_at(ind, ctx.sub.entry(ind), msg).values(Some(value * d.factor), Some(value))
        }
        None => {
            let actual = inds.iter().position(|&i| i == whole).map(|k| vals[k].0);
            ctx.finding_at(whole, ctx.sub.entry(whole), msg).values(Some(expected), actual)
        }
    }
}

pub(super) fn sum(ctx: &Ctx<'_>, instances: &[(IndicatorId, Vec<IndicatorId>)], out: &mut Vec<Finding>) {
    let schema = ctx.schema;
    for (total, parts) in instances {
        let mut inds = vec![*total];
        inds.extend(parts);
        let Some(vals) = ctx.values(&inds, out) else {
            continue;
        };
        let tu = schema.indicators[*total].unit;
        let factors: Vec<f64> =
            parts.iter().map(|&p| schema.units.factor(schema.indicators[p].unit, tu).unwrap_or(1.0)).collect();
        let holds = |v: &[(f64, f64)]| sum_holds(v[0], &v[1..], &factors);
        let expected: f64 = vals[1..].iter().zip(&factors).map(|(v, f)| v.0 * f).sum();
        let exact = (vals[0].0 - expected).abs() <= 1e-9 * expected.abs().max(1.0);
        if exact {
            continue;
        }
        let t = &schema.indicators[*total];
        let part_names: Vec<String> = parts
            .iter()
            .map(|&p| {
                let i = &schema.indicators[p];
                i.group.clone().unwrap_or_else(|| i.name.clone()).to_lowercase()
            })
            .collect();
        let what = t.group.clone().map_or_else(|| t.name.clone(), |g| format!("{g}: {}", t.label.to_lowercase()));
        let msg = format!(
            "{what} ghi {}, nhưng {} cộng lại = {}.",
            ctx.amount(*total, vals[0].0),
            part_names.join(" + "),
            ctx.amount(*total, expected)
        );
        if holds(&vals) {
            // Rounding could explain it (17 for 11 + 7): said, not an error.
            let mut f = ctx.finding_at(
                *total,
                ctx.sub.entry(*total),
                format!("{msg} Lệch nằm trong phạm vi làm tròn số, nhưng nên ghi cho khớp."),
            );
            f.severity = crate::model::Severity::Warning;
            out.push(f.values(Some(expected), Some(vals[0].0)));
            continue;
        }
        out.push(place(ctx, &inds, &vals, diagnose(ctx, &inds, &vals, holds, 0), *total, msg, expected));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_as_written_is_not_an_error() {
        // 10,5 ha × 61 tạ/ha = 64,05 tấn, written 64,1.
        assert!(product_holds(0.1, &[(10.5, 0.05), (61.0, 0.5)], (64.1, 0.05)));
        // 12,5 ha × 62 tạ/ha = 77,5 tấn.
        assert!(product_holds(0.1, &[(12.5, 0.05), (62.0, 0.5)], (77.5, 0.05)));
    }

    #[test]
    fn a_factor_of_ten_is_an_error() {
        assert!(!product_holds(0.1, &[(11.0, 0.5), (60.0, 0.5)], (660.0, 0.5)));
        assert!(product_holds(0.1, &[(11.0, 0.5), (60.0, 0.5)], (66.0, 0.5)));
    }

    #[test]
    fn sums_within_rounding() {
        assert!(sum_holds((18.5, 0.05), &[(12.5, 0.05), (6.0, 0.5)], &[1.0, 1.0]));
        assert!(!sum_holds((20.0, 0.5), &[(12.5, 0.05), (6.0, 0.5)], &[1.0, 1.0]));
    }
}
