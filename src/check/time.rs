//! Rules across months: a figure that moves too much from one month to the
//! next, a season-to-date area that shrinks, a hamlet that has not reported.

use std::collections::BTreeMap;

use super::Ctx;
use crate::model::{Finding, HamletId, IndicatorId, RuleId, RuleRef, Submission};
use crate::period::Period;
use crate::schema::{Check, Rule, Schema};
use crate::text::vn_figure;

pub(super) fn change(
    rule_id: RuleId,
    rule: &Rule,
    schema: &Schema,
    accepted: &[&Submission],
    peers: &super::Peers,
    out: &mut Vec<Finding>,
) {
    let Check::Change { indicators, max_percent, allow_decrease } = &rule.check else {
        return;
    };
    // Each hamlet's reports, month by month.
    let mut by_hamlet: BTreeMap<HamletId, Vec<&Submission>> = BTreeMap::new();
    for s in accepted {
        if let (Some(h), Some(_)) = (s.hamlet, s.period) {
            by_hamlet.entry(h).or_default().push(s);
        }
    }
    for subs in by_hamlet.values_mut() {
        subs.sort_by_key(|s| s.period);
        for pair in subs.windows(2) {
            let (prev, cur) = (pair[0], pair[1]);
            let (Some(pp), Some(cp)) = (prev.period, cur.period) else {
                continue;
            };
            // Within a year only: a new year starts new seasons.
            if pp.year != cp.year || pp == cp {
                continue;
            }
            let ctx = Ctx { schema, rule_id, rule, sub: cur, peers };
            for &i in indicators {
                let (Some(pe), Some(ce)) = (prev.entry(i), cur.entry(i)) else {
                    continue;
                };
                let (Some(p), Some(c)) = (pe.value, ce.value) else {
                    continue;
                };
                let ind = &schema.indicators[i];
                let tol = ctx.tolerance(i, pe) + ctx.tolerance(i, ce);
                let when = |pp: Period| format!("tháng {}", pp.display_vn());
                if !allow_decrease && c < p - tol {
                    let msg = format!(
                        "{}: {} ({}) giảm còn {} ({}), nhưng số cộng dồn từ đầu năm không thể giảm.",
                        ind.name,
                        ctx.amount(i, p),
                        when(pp),
                        ctx.amount(i, c),
                        when(cp)
                    );
                    out.push(ctx.finding_at(i, Some(ce), msg).values(Some(p), Some(c)));
                    continue;
                }
                if let Some(maxp) = max_percent
                    && p > 0.0
                {
                    let pct = (c - p) / p * 100.0;
                    if pct.abs() > *maxp && (c - p).abs() > tol {
                        let msg = format!(
                            "{}: {} ({}) thành {} ({}), {}{}%, thay đổi hơn {}% so với tháng trước.",
                            ind.name,
                            ctx.amount(i, p),
                            when(pp),
                            ctx.amount(i, c),
                            when(cp),
                            if pct > 0.0 { "+" } else { "" },
                            vn_figure((pct * 10.0).round() / 10.0),
                            vn_figure(*maxp)
                        );
                        out.push(ctx.finding_at(i, Some(ce), msg).values(Some(p), Some(c)));
                    }
                }
            }
        }
    }
}

/// Each hamlet's accepted reports, month by month.
fn by_hamlet<'a>(accepted: &[&'a Submission]) -> BTreeMap<HamletId, Vec<&'a Submission>> {
    let mut out: BTreeMap<HamletId, Vec<&Submission>> = BTreeMap::new();
    for s in accepted {
        if let (Some(h), Some(_)) = (s.hamlet, s.period) {
            out.entry(h).or_default().push(s);
        }
    }
    for subs in out.values_mut() {
        subs.sort_by_key(|s| s.period);
    }
    out
}

/// A month's flow that equals, within rounding, the earlier months of the
/// year plus a plausible month: most likely the year to date, written
/// where the month alone was asked. Needs two earlier months to go by.
pub(super) fn year_to_date(
    rule_id: RuleId,
    rule: &Rule,
    indicators: &[IndicatorId],
    schema: &Schema,
    accepted: &[&Submission],
    peers: &super::Peers,
    out: &mut Vec<Finding>,
) {
    for subs in by_hamlet(accepted).values() {
        for (k, cur) in subs.iter().enumerate() {
            let Some(cp) = cur.period else { continue };
            let ctx = Ctx { schema, rule_id, rule, sub: cur, peers };
            let earlier: Vec<&&Submission> =
                subs[..k].iter().filter(|s| s.period.is_some_and(|p| p.year == cp.year && p < cp)).collect();
            for &i in indicators {
                let Some(ce) = cur.entry(i) else { continue };
                let Some(v) = ce.value else { continue };
                let prev: Vec<(f64, f64)> = earlier
                    .iter()
                    .filter_map(|s| s.entry(i))
                    .filter_map(|e| Some((e.value?, ctx.tolerance(i, e))))
                    .collect();
                let (sum, max) = (prev.iter().map(|p| p.0).sum::<f64>(), prev.iter().map(|p| p.0).fold(0.0, f64::max));
                let tol = ctx.tolerance(i, ce) + prev.iter().map(|p| p.1).sum::<f64>();
                let month = v - sum;
                if prev.len() < 2 || sum <= 0.0 || month < -tol || month > 3.0 * max || v < 2.0 * max {
                    continue;
                }
                // "bằng …" when nothing was added this month, "bằng … thêm …" else.
                let added = if month <= tol { String::new() } else { format!(" thêm {}", ctx.amount(i, month)) };
                let msg = format!(
                    "{}: tháng {} ghi {}, bằng các tháng trước trong năm cộng lại ({}){added}: có lẽ đã ghi số lũy kế từ đầu năm, không phải số của riêng tháng này.",
                    schema.indicators[i].name,
                    cp.display_vn(),
                    ctx.amount(i, v),
                    ctx.amount(i, sum),
                );
                out.push(ctx.finding_at(i, Some(ce), msg).values(Some(month.max(0.0)), Some(v)));
            }
        }
    }
}

/// Hamlets with no accepted report for a month: every month of the year up to
/// the report's month in which some hamlet reported, and that month itself.
pub(super) fn completeness(
    rule_id: RuleId,
    rule: &Rule,
    schema: &Schema,
    accepted: &[&Submission],
    period: Option<Period>,
    out: &mut Vec<Finding>,
) {
    let Some(period) = period else { return };
    let mut months: BTreeMap<Period, Vec<HamletId>> = BTreeMap::new();
    months.insert(period, Vec::new());
    for s in accepted {
        if let (Some(p), Some(h)) = (s.period, s.hamlet)
            && p.year == period.year
            && p <= period
        {
            months.entry(p).or_default().push(h);
        }
    }
    // Months of the year so far with no report at all: a year to date of
    // flows cannot be told without them.
    let absent: Vec<Period> =
        (1..period.month).filter_map(|m| Period::new(period.year, m)).filter(|p| !months.contains_key(p)).collect();
    let flows: Vec<&str> = schema
        .form_indicators()
        .filter(|&i| schema.indicators[i].aggregation == crate::schema::Aggregation::Flow)
        .map(|i| schema.indicators[i].name.as_str())
        .collect();
    if let (Some(first), Some(last)) = (absent.first(), absent.last())
        && !flows.is_empty()
    {
        let span = if first == last {
            format!("tháng {}", first.display_vn())
        } else if absent.len() as u32 == last.month - first.month + 1 {
            format!("các tháng {} đến {}", first.display_vn(), last.display_vn())
        } else {
            let list: Vec<String> = absent.iter().map(|p| format!("{:02}", p.month)).collect();
            format!("các tháng {}/{}", list.join(", "), period.year)
        };
        let mut f = Finding::new(
            rule.severity,
            RuleRef::Schema(rule_id),
            format!(
                "Không có báo cáo nào của {span} trong các tệp đã đọc: số lũy kế từ đầu năm của các chỉ tiêu cộng dồn ({}) thiếu các tháng này và chưa được đánh giá. Hãy chạy với thư mục có đủ các tháng của năm.",
                flows.join(", ")
            ),
        );
        f.period = Some(*first);
        out.push(f);
    }
    for (p, hamlets) in months {
        let reported: Vec<HamletId> = schema.hamlets.ids().filter(|h| hamlets.contains(h)).collect();
        for h in schema.hamlets.ids() {
            if reported.contains(&h) {
                continue;
            }
            let mut f = Finding::new(
                rule.severity,
                RuleRef::Schema(rule_id),
                format!(
                    "{} chưa nộp báo cáo tháng {} ({}/{} thôn đã nộp).",
                    capitalized(&schema.hamlet_title(h)),
                    p.display_vn(),
                    reported.len(),
                    schema.hamlets.len()
                ),
            );
            f.hamlet = Some(h);
            f.period = Some(p);
            out.push(f);
        }
    }
}

/// The first letter in capitals, as a sentence begins.
fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}
