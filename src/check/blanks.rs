//! Blank cells that cannot be zero. Empty is not zero: a crop sown and not
//! harvested leaves its output blank, and that is right. But a blank that,
//! taken as zero, would break a rule of the schema ("Lúa cả năm" 16 ha with
//! both seasons blank; hộ nghèo written and "Tổng số hộ" blank), or a table
//! left wholly blank where the other hamlets filled it, is a figure missing:
//! said at its cell, and the totals that lack it are marked, never rated.

use crate::model::{Finding, IndicatorId, RuleRef, Severity, Status, Submission, TableId};
use crate::schema::{Aggregation, Check, CmpOp, Comparison, Formula, Missing, Schema};
use crate::text::vn_figure;

/// A figure missing from a report: which report, which figure, and why.
pub struct Gap {
    pub sub: usize,
    pub indicator: IndicatorId,
    /// Said once for a blank table, at its first figure.
    pub finding: Option<Finding>,
}

/// What a report holds for an indicator, as far as these checks go.
enum Cell {
    Figure(f64),
    Blank,
    /// Unreadable, or its row not on the sheet: said elsewhere.
    Unknown,
}

fn cell(sub: &Submission, i: IndicatorId) -> Cell {
    match sub.entry(i) {
        Some(e) if e.unreadable => Cell::Unknown,
        Some(e) => e.value.map_or(Cell::Blank, Cell::Figure),
        None => Cell::Unknown,
    }
}

/// The missing figures of every accepted report.
pub fn gaps(subs: &[Submission], schema: &Schema) -> Vec<Gap> {
    let mut out = Vec::new();
    for (k, sub) in subs.iter().enumerate().filter(|(_, s)| s.status == Status::Accepted) {
        let mut found: Vec<(IndicatorId, Option<String>)> = Vec::new();
        for rule in schema.rules.iter().filter(|r| r.missing == Missing::Skip) {
            match &rule.check {
                Check::Sum { instances } => {
                    for (total, parts) in instances {
                        sum(sub, schema, *total, parts, &rule.id, &mut found);
                    }
                }
                Check::Compare { instances } => {
                    for c in instances {
                        compare(sub, schema, c, &rule.id, &mut found);
                    }
                }
                Check::Product { instances } => {
                    for (factors, result) in instances {
                        product(sub, schema, factors, *result, &rule.id, &mut found);
                    }
                }
                _ => {}
            }
        }
        for t in schema.tables.ids() {
            blank_table(subs, k, schema, t, &mut found);
        }
        // One reason for each figure, the first found.
        let mut seen = Vec::new();
        found.retain(|f| {
            let new = !seen.contains(&f.0);
            seen.push(f.0);
            new
        });
        for (i, why) in found {
            let Some(e) = sub.entry(i) else { continue };
            let Some(why) = why else {
                out.push(Gap { sub: k, indicator: i, finding: None });
                continue;
            };
            let name = &schema.indicators[i].name;
            let message = format!(
                "{name}: ô để trống, nhưng {why}, nên không thể là 0: thiếu số liệu; các số tổng cộng có số này cần kiểm tra. Đề nghị thôn ghi số vào ô này."
            );
            let mut f =
                Finding::new(Severity::Warning, RuleRef::Reading("thieu_so"), message).at(&e.source).indicator(i);
            (f.hamlet, f.period) = (sub.hamlet, sub.period);
            out.push(Gap { sub: k, indicator: i, finding: Some(f) });
        }
    }
    out
}

/// A total and its parts: the total written and the parts all blank, or
/// the parts written and the total blank.
fn sum(
    sub: &Submission,
    schema: &Schema,
    total: IndicatorId,
    parts: &[IndicatorId],
    rule: &str,
    out: &mut Vec<(IndicatorId, Option<String>)>,
) {
    let amount = |i: IndicatorId, v: f64| format!("{} {}", vn_figure(v), schema.unit_code(i));
    let tu = schema.indicators[total].unit;
    let mut given = 0.0;
    let mut blank = Vec::new();
    for &p in parts {
        let f = schema.units.factor(schema.indicators[p].unit, tu).unwrap_or(1.0);
        match cell(sub, p) {
            Cell::Figure(v) => given += v * f,
            Cell::Blank => blank.push(p),
            Cell::Unknown => return,
        }
    }
    let name = &schema.indicators[total].name;
    match cell(sub, total) {
        Cell::Blank if given > 0.0 => {
            out.push((
                total,
                Some(format!("các phần của nó cộng lại = {} (quy tắc \"{rule}\")", amount(total, given))),
            ));
        }
        Cell::Figure(t) if !blank.is_empty() && given < t - 1e-9 * t.abs().max(1.0) => {
            for p in blank {
                let why = format!(
                    "{name} ghi {}, các phần đã ghi cộng lại chỉ {} (quy tắc \"{rule}\")",
                    amount(total, t),
                    amount(total, given)
                );
                out.push((p, Some(why)));
            }
        }
        _ => {}
    }
}

/// lhs ≤ rhs (or ≥, =): a blank on the side that must be the larger one,
/// which, taken as zero, breaks the rule ("Tổng số hộ" blank under hộ nghèo).
fn compare(
    sub: &Submission,
    schema: &Schema,
    c: &Comparison,
    rule: &str,
    out: &mut Vec<(IndicatorId, Option<String>)>,
) {
    let (lhs, op, rhs) = (&c.lhs, c.op, &c.rhs);
    let (small, large) = match op {
        CmpOp::Le | CmpOp::Lt => (lhs, rhs),
        CmpOp::Ge | CmpOp::Gt => (rhs, lhs),
        CmpOp::Eq => return,
    };
    let mut blank = Vec::new();
    let mut value = |f: &Formula| -> Option<f64> {
        f.eval(|i| match cell(sub, i) {
            Cell::Figure(v) => Some(v * schema.scale(i)),
            Cell::Blank => {
                blank.push(i);
                Some(0.0)
            }
            Cell::Unknown => None,
        })
    };
    let (Some(s), Some(l)) = (value(small), value(large)) else { return };
    let large_blank: Vec<IndicatorId> = blank.into_iter().filter(|i| large.vars.contains(i)).collect();
    if large_blank.is_empty() || s <= l {
        return;
    }
    let name = |i: IndicatorId| schema.indicators[i].name.clone();
    let why = format!(
        "{} đã ghi, và cần {} {} {} (quy tắc \"{rule}\")",
        small.render(name),
        lhs.render(name),
        op.symbol(),
        rhs.render(name)
    );
    for i in large_blank {
        out.push((i, Some(why.clone())));
    }
}

/// Factors that multiply to a result: the result blank where every factor
/// is written (a yield given, so harvested), or a factor the commune does
/// not form itself blank where the result is written.
fn product(
    sub: &Submission,
    schema: &Schema,
    factors: &[IndicatorId],
    result: IndicatorId,
    rule: &str,
    out: &mut Vec<(IndicatorId, Option<String>)>,
) {
    let name = |i: IndicatorId| schema.indicators[i].label.to_lowercase();
    let given: Vec<Option<f64>> = factors
        .iter()
        .map(|&f| match cell(sub, f) {
            Cell::Figure(v) => Some(v),
            _ => None,
        })
        .collect();
    match cell(sub, result) {
        Cell::Blank if given.iter().all(|g| g.is_some_and(|v| v > 0.0)) => {
            let names: Vec<String> = factors.iter().map(|&f| name(f)).collect();
            // A rule of "all or none" says it already ("năng suất without sản lượng").
            let said = factors.iter().any(|&f| all_or_none(schema, f, result));
            let why = format!("{} đã ghi (quy tắc \"{rule}\")", names.join(" và "));
            out.push((result, (!said).then_some(why)));
        }
        Cell::Figure(r) if r > 0.0 => {
            for &f in factors {
                let commune_forms = crate::total::formula_of(schema, f).is_some();
                if matches!(cell(sub, f), Cell::Blank) && !commune_forms {
                    out.push((f, Some(format!("{} đã ghi (quy tắc \"{rule}\")", name(result)))));
                }
            }
        }
        _ => {}
    }
}

/// Does a rule of the schema want `a` and `b` given together?
fn all_or_none(schema: &Schema, a: IndicatorId, b: IndicatorId) -> bool {
    schema.rules.iter().any(|r| match &r.check {
        Check::Presence { groups } => groups.iter().any(|g| g.contains(&a) && g.contains(&b)),
        _ => false,
    })
}

/// A table of stocks wholly blank in one report, where another hamlet's
/// report of the month gives figures in it: livestock and households are
/// never all none.
fn blank_table(
    subs: &[Submission],
    k: usize,
    schema: &Schema,
    t: TableId,
    out: &mut Vec<(IndicatorId, Option<String>)>,
) {
    let sub = &subs[k];
    let table = &schema.tables[t];
    let inds: Vec<IndicatorId> = table.rows.iter().flat_map(|r| r.indicators.iter().copied()).collect();
    let stocks: Vec<IndicatorId> =
        inds.iter().copied().filter(|&i| schema.indicators[i].aggregation == Aggregation::Stock).collect();
    if stocks.is_empty() || !inds.iter().all(|&i| matches!(cell(sub, i), Cell::Blank)) {
        return;
    }
    let others_fill = subs.iter().any(|o| {
        o.status == Status::Accepted
            && o.period == sub.period
            && o.hamlet != sub.hamlet
            && inds.iter().any(|&i| matches!(cell(o, i), Cell::Figure(_)))
    });
    if others_fill {
        let why = format!("cả bảng \"{}\" để trống, trong khi thôn khác có ghi", table.title.text);
        for (n, i) in stocks.into_iter().enumerate() {
            out.push((i, (n == 0).then(|| why.clone())));
        }
    }
}
