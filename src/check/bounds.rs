//! Rules on one submission's figures taken one or a few at a time: a part
//! no greater than its whole, plausible bounds, whole numbers, figures that
//! go together.

use super::Ctx;
use crate::model::{Finding, IndicatorId};
use crate::schema::{CmpOp, Comparison, Formula};
use crate::text::{vn_figure, vn_number};

pub(super) fn compare(ctx: &Ctx<'_>, c: &Comparison, out: &mut Vec<Finding>) {
    let (lhs, op, rhs) = (&c.lhs, c.op, &c.rhs);
    let Some(lv) = ctx.values(&lhs.vars, out) else {
        return;
    };
    let Some(rv) = ctx.values(&rhs.vars, out) else {
        return;
    };
    // Sides are evaluated in base units, as derived indicators are: so
    // "ty_le == thuc_hien / ke_hoach" holds for a rate in %.
    let schema = ctx.schema;
    let scale = |i: IndicatorId| schema.scale(i);
    let side = |f: &Formula, v: &[(f64, f64)]| -> Option<(f64, f64)> {
        let vals: Vec<f64> = f.vars.iter().zip(v).map(|(&i, x)| x.0 * scale(i)).collect();
        let tols: Vec<f64> = f.vars.iter().zip(v).map(|(&i, x)| x.1 * scale(i)).collect();
        Some((f.eval_values(&vals)?, f.slack(&vals, &tols)))
    };
    let (Some((l, ls)), Some((r, rs))) = (side(lhs, &lv), side(rhs, &rv)) else {
        return;
    };
    let slack = ls + rs + 1e-9 * l.abs().max(r.abs()).max(1.0);
    let ok = match op {
        CmpOp::Le | CmpOp::Lt => l <= r + slack && (op == CmpOp::Le || l < r + slack),
        CmpOp::Ge | CmpOp::Gt => l + slack >= r && (op == CmpOp::Ge || l + slack > r),
        CmpOp::Eq => (l - r).abs() <= slack,
    };
    if ok {
        return;
    }
    // A product is written as on paper: "3 × Diện tích lạc".
    let text = |f: &Formula| f.render(|i| schema.indicators[i].name.clone()).replace('*', "×");
    // Both sides are shown in the unit of the first figure.
    let shown = lhs.vars.first().or(rhs.vars.first()).copied();
    let unit = shown.map_or("", |i| schema.unit_code(i));
    let per = shown.map_or(1.0, scale);
    let (l, r) = (l / per, r / per);
    let relation = match op {
        CmpOp::Le | CmpOp::Lt => "lớn hơn",
        CmpOp::Ge | CmpOp::Gt => "nhỏ hơn",
        CmpOp::Eq => "khác",
    };
    let msg = format!(
        "{} = {} {unit} {relation} {} = {} {unit} (cần {} {} {}).",
        text(lhs),
        vn_number(l, 2),
        text(rhs),
        vn_number(r, 2),
        text(lhs),
        op.symbol(),
        text(rhs),
    );
    // Point at the figure of the left side that weighs most in it: in
    // 9 + 155 > 160 households, the 155 is the likely slip.
    let vals: Vec<f64> = lv.iter().map(|x| x.0).collect();
    let weight = |k: usize| {
        lhs.slack(&vals, &(0..vals.len()).map(|j| if j == k { vals[k].abs() } else { 0.0 }).collect::<Vec<_>>())
    };
    // A side that is a constant ("100 >= ho") points at the other side.
    let at = (0..lhs.vars.len())
        .max_by(|&a, &b| weight(a).total_cmp(&weight(b)).then(b.cmp(&a)))
        .map(|k| lhs.vars[k])
        .or(rhs.vars.first().copied());
    let f = match at {
        Some(at) => ctx.finding_at(at, ctx.sub.entry(at), msg),
        None => ctx.finding(msg),
    };
    out.push(f.values(Some(r), Some(l)));
}

pub(super) fn range(ctx: &Ctx<'_>, inds: &[IndicatorId], min: Option<f64>, max: Option<f64>, out: &mut Vec<Finding>) {
    for &i in inds {
        let Some(e) = ctx.sub.entry(i) else { continue };
        let Some(v) = e.value else {
            if !e.unreadable {
                // Only `missing = "fire"` turns an empty figure into a finding.
                let _ = ctx.values(&[i], out);
            }
            continue;
        };
        let ind = &ctx.schema.indicators[i];
        let below = min.is_some_and(|m| v < m);
        let above = max.is_some_and(|m| v > m);
        if !below && !above {
            continue;
        }
        let msg = if below && min == Some(0.0) {
            format!("{}: {} là số âm.", ind.name, ctx.amount(i, v))
        } else {
            let bounds = match (min, max) {
                (Some(a), Some(b)) => format!("từ {} đến {}", vn_figure(a), ctx.amount(i, b)),
                (Some(a), None) => format!("từ {} trở lên", ctx.amount(i, a)),
                (None, Some(b)) => format!("đến {}", ctx.amount(i, b)),
                (None, None) => String::new(),
            };
            format!("{}: {}, ngoài khoảng thường gặp ({bounds}).", ind.name, ctx.amount(i, v))
        };
        let bound = if below { min } else { max };
        out.push(ctx.finding_at(i, Some(e), msg).values(bound, Some(v)));
    }
}

pub(super) fn integer(ctx: &Ctx<'_>, inds: &[IndicatorId], out: &mut Vec<Finding>) {
    for &i in inds {
        let Some(e) = ctx.sub.entry(i) else { continue };
        let Some(v) = e.value else { continue };
        if (v - v.round()).abs() < 1e-9 {
            continue;
        }
        let ind = &ctx.schema.indicators[i];
        let msg = format!(
            "{}: {} là số lẻ, nhưng số {} phải là số nguyên.",
            ind.name,
            ctx.amount(i, v),
            ctx.schema.unit_code(i)
        );
        out.push(ctx.finding_at(i, Some(e), msg).values(Some(v.round()), Some(v)));
    }
}

pub(super) fn presence(ctx: &Ctx<'_>, groups: &[Vec<IndicatorId>], out: &mut Vec<Finding>) {
    for group in groups {
        let entries: Vec<_> = group.iter().map(|&i| (i, ctx.sub.entry(i))).collect();
        // A row not on the sheet at all, or an unreadable cell, is reported elsewhere.
        if entries.iter().any(|(_, e)| e.is_none_or(|e| e.unreadable)) {
            continue;
        }
        let (given, empty): (Vec<_>, Vec<_>) = entries.iter().partition(|(_, e)| e.and_then(|e| e.value).is_some());
        if given.is_empty() || empty.is_empty() {
            continue;
        }
        let schema = ctx.schema;
        let has: Vec<String> = given
            .iter()
            .map(|(i, e)| {
                format!(
                    "{} ({})",
                    schema.indicators[*i].label.to_lowercase(),
                    ctx.amount(*i, e.and_then(|e| e.value).unwrap_or_default())
                )
            })
            .collect();
        let lacks: Vec<String> = empty.iter().map(|(i, _)| schema.indicators[*i].label.to_lowercase()).collect();
        let first = &schema.indicators[empty[0].0];
        let what = first.group.clone().map_or_else(String::new, |g| format!("{g}: "));
        let msg = format!("{what}có {} nhưng không có {}.", has.join(", "), lacks.join(", "));
        out.push(ctx.finding_at(empty[0].0, empty[0].1, msg));
    }
}
