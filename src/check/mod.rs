//! Checking figures against the schema's rules. Each rule kind lives in its
//! own module; this one runs them over the accepted submissions.
//!
//! Tolerance comes from how figures are written, never from a fixed
//! percentage: 64,1 stands for anything in [64,05; 64,15], so a rule fires
//! only when no figures within the written rounding would satisfy it.

mod arith;
mod blanks;
mod bounds;
mod time;

pub use blanks::gaps;

use rustc_hash::FxHashMap as HashMap;

use rayon::prelude::*;

use crate::model::{Entry, Finding, IndicatorId, RuleId, RuleRef, Status, Submission};
use crate::period::Period;
use crate::schema::{Check, Kind, Missing, Rule, Schema};
use crate::text::vn_figure;

/// What the other hamlets wrote for an indicator in a month: the median, for
/// telling which figure of a row is the odd one.
pub(crate) type Peers = HashMap<(Period, IndicatorId), f64>;

fn peers(accepted: &[&Submission], schema: &Schema) -> Peers {
    let mut all: HashMap<(Period, IndicatorId), Vec<f64>> = HashMap::default();
    for s in accepted {
        let Some(p) = s.period else { continue };
        for i in schema.form_indicators() {
            if let Some(v) = s.value(i).filter(|v| *v > 0.0) {
                all.entry((p, i)).or_default().push(v);
            }
        }
    }
    all.into_iter()
        .filter(|(_, v)| v.len() >= 3)
        .map(|(k, mut v)| {
            v.sort_by(f64::total_cmp);
            (k, v[v.len() / 2])
        })
        .collect()
}

/// A rule applied to one submission.
pub(crate) struct Ctx<'a> {
    pub schema: &'a Schema,
    pub rule_id: RuleId,
    pub rule: &'a Rule,
    pub sub: &'a Submission,
    pub peers: &'a Peers,
}

impl Ctx<'_> {
    /// A finding of this rule, about this submission.
    pub fn finding(&self, message: String) -> Finding {
        let mut f = Finding::new(self.rule.severity, RuleRef::Schema(self.rule_id), message);
        f.file = Some(self.sub.file.clone());
        f.sheet = self.sub.sheet.clone();
        f.hamlet = self.sub.hamlet;
        f.period = self.sub.period;
        f
    }

    /// The finding, at an entry's cell and about its indicator.
    pub fn finding_at(&self, ind: IndicatorId, entry: Option<&Entry>, message: String) -> Finding {
        let mut f = self.finding(message).indicator(ind);
        if let Some(e) = entry {
            f = f.at(&e.source);
        }
        f
    }

    /// The values a rule needs, or why it does not apply: None when any is
    /// unreadable (already reported) or empty under `missing = "skip"`.
    /// Under `missing = "fire"`, an empty figure is a finding in `out`.
    pub fn values(&self, inds: &[IndicatorId], out: &mut Vec<Finding>) -> Option<Vec<(f64, f64)>> {
        let mut vals = Vec::with_capacity(inds.len());
        let mut missing = Vec::new();
        for &i in inds {
            match self.sub.entry(i) {
                Some(e) if e.unreadable => return None,
                Some(e) if e.value.is_some() => vals.push((e.value.unwrap_or_default(), self.tolerance(i, e))),
                _ => missing.push(i),
            }
        }
        if missing.is_empty() {
            return Some(vals);
        }
        // A figure whose row is not on the sheet at all is not this rule's business.
        if self.rule.missing == Missing::Fire {
            for i in missing {
                if let Some(e) = self.sub.entry(i) {
                    let ind = &self.schema.indicators[i];
                    out.push(self.finding_at(
                        i,
                        Some(e),
                        format!("{}: để trống, nhưng quy tắc \"{}\" cần số này.", ind.name, self.rule.id),
                    ));
                }
            }
        }
        None
    }

    /// How far the true figure may be from the written one. A count written
    /// as a whole number is exact.
    pub fn tolerance(&self, ind: IndicatorId, e: &Entry) -> f64 {
        if self.schema.indicators[ind].kind == Kind::Count && e.decimals == 0 { 0.0 } else { e.half_step() }
    }

    /// The median of the other hamlets' figures for an indicator this month.
    pub fn peer(&self, ind: IndicatorId) -> Option<f64> {
        self.peers.get(&(self.sub.period?, ind)).copied()
    }

    /// "66 tấn"
    pub fn amount(&self, ind: IndicatorId, v: f64) -> String {
        format!("{} {}", vn_figure(v), self.schema.unit_code(ind))
    }
}

/// Runs every rule over the accepted submissions. `period` is the month the
/// report is as of, for completeness.
pub fn check(subs: &[Submission], schema: &Schema, period: Option<Period>) -> Vec<Finding> {
    let accepted: Vec<&Submission> = subs.iter().filter(|s| s.status == Status::Accepted).collect();
    let peers = peers(&accepted, schema);
    // Rules on one submission at a time run in parallel; the results are
    // joined in submission order, so the output does not depend on threads.
    let per_sub: Vec<Vec<Finding>> = accepted
        .par_iter()
        .map(|sub| {
            let mut out = Vec::new();
            for (rule_id, rule) in schema.rules.enumerate() {
                let ctx = Ctx { schema, rule_id, rule, sub, peers: &peers };
                match &rule.check {
                    Check::Product { instances } => arith::product(&ctx, instances, &mut out),
                    Check::Sum { instances } => arith::sum(&ctx, instances, &mut out),
                    Check::Compare { instances } => {
                        for c in instances {
                            bounds::compare(&ctx, c, &mut out);
                        }
                    }
                    Check::Range { indicators, min, max } => bounds::range(&ctx, indicators, *min, *max, &mut out),
                    Check::Integer { indicators } => bounds::integer(&ctx, indicators, &mut out),
                    Check::Presence { groups } => bounds::presence(&ctx, groups, &mut out),
                    Check::Change { .. } | Check::YearToDate { .. } | Check::Completeness => {}
                }
            }
            out
        })
        .collect();
    let mut out: Vec<Finding> = per_sub.into_iter().flatten().collect();
    for (id, rule) in schema.rules.enumerate() {
        match &rule.check {
            Check::Change { .. } => time::change(id, rule, schema, &accepted, &peers, &mut out),
            Check::YearToDate { indicators } => {
                time::year_to_date(id, rule, indicators, schema, &accepted, &peers, &mut out)
            }
            Check::Completeness => time::completeness(id, rule, schema, &accepted, period, &mut out),
            _ => {}
        }
    }
    out
}
