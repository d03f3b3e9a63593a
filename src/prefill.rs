//! The figures a form is pre-filled with: a hamlet's latest stocks (its
//! herds, households, people, the season's areas) from the reports read,
//! for it to confirm or change. Flows never are: last month's work is not
//! this month's.
//!
//! Only figures read with certainty are carried: from an accepted report
//! of the same year (a season's areas do not carry into a new year, and the
//! schema does not say which stocks are seasonal), with no error or warning
//! in their row, and never a total row the form computes.

use std::collections::HashMap;

use crate::model::{HamletId, Severity, Status};
use crate::period::Period;
use crate::pipeline::Outcome;
use crate::schema::{Aggregation, Schema};
use crate::write::template::Prefill;

pub fn latest(out: &Outcome, schema: &Schema, hamlet: HamletId, period: Period) -> Prefill {
    // The rows something was said of: none of their figures is carried
    // (an output in doubt, its area and yield neither: carried apart they
    // would not agree).
    let doubted: std::collections::HashSet<(&str, &str, u32)> = out
        .findings
        .iter()
        .filter(|f| f.severity <= Severity::Warning)
        .filter_map(|f| Some((f.file.as_deref()?, f.sheet.as_deref()?, f.cell?.0)))
        .collect();
    let mut values = HashMap::new();
    let mut reports: Vec<_> = out
        .submissions
        .iter()
        .filter(|s| s.status == Status::Accepted && s.hamlet == Some(hamlet))
        .filter(|s| s.period.is_some_and(|p| p < period && p.year == period.year))
        .collect();
    // Latest first: an earlier month fills only what a later one left
    // blank, never what a later one wrote in doubt.
    reports.sort_by_key(|s| std::cmp::Reverse(s.period));
    let mut decided = std::collections::HashSet::new();
    for s in reports {
        let Some(p) = s.period else { continue };
        for (i, e) in s.entries.enumerate() {
            let Some(e) = e.as_ref().filter(|e| e.value.is_some() || e.unreadable) else { continue };
            if !decided.insert(i) {
                continue;
            }
            let ind = &schema.indicators[i];
            let carried = ind.aggregation == Aggregation::Stock && ind.parts.is_empty();
            let sure = !e.unreadable && !e.missing;
            let at = (&*e.source.file, &*e.source.sheet, e.source.row);
            if let (true, true, Some(v), false) = (carried, sure, e.value, doubted.contains(&at)) {
                values.insert(i, (v, p));
            }
        }
    }
    Prefill { values }
}
