//! Compiling the rules: indicator patterns ("*.dien_tich", "@count") expanded
//! against the form, each kind checked for what it needs, and the units of
//! its figures checked to agree.

mod compare;

use super::compile::{Compiler, Item};
use super::raw::{self, RuleBody};
use super::source::At;
use super::*;

/// Expands an indicator pattern ("*.dien_tich", "@count", "ho"). "*" stands
/// for any text; the text it stood for is returned with each match.
fn expand(pattern: &str, schema: &Schema) -> Vec<(IndicatorId, String)> {
    if pattern == "@count" || pattern == "@flow" {
        return schema
            .form_indicators()
            .filter(|&i| match pattern {
                "@count" => schema.indicators[i].kind == Kind::Count,
                _ => schema.indicators[i].aggregation == Aggregation::Flow,
            })
            .map(|i| (i, String::new()))
            .collect();
    }
    if !pattern.contains('*') {
        return schema.indicator(pattern).map(|i| vec![(i, String::new())]).unwrap_or_default();
    }
    let (pre, post) = pattern.split_once('*').unwrap_or((pattern, ""));
    let mut out = Vec::new();
    for i in schema.form_indicators() {
        let c = &schema.indicators[i].code;
        if c.len() >= pre.len() + post.len() && c.starts_with(pre) && c.ends_with(post) {
            out.push((i, c[pre.len()..c.len() - post.len()].to_string()));
        }
    }
    out
}

fn bind(pattern: &str, star: &str) -> String {
    pattern.replacen('*', star, 1)
}

/// One rule being compiled: where it is written, and the indicators it leaves out.
struct RuleAt<'a, 'f> {
    at: At<'f>,
    id: &'a str,
    excluded: Vec<IndicatorId>,
}

impl Compiler {
    pub(super) fn rules(&mut self, items: Vec<Item<'_, toml::Table>>) {
        for (at, t) in items {
            let (r, messages) = raw::rule(t);
            self.report(at, "[[rule]]", &messages);
            let Some(r) = r else { continue };
            if let Err(e) = validator::Validate::validate(&r.head) {
                self.problems.validation(at, &format!("quy tắc \"{}\"", r.head.id), e);
            }
            if self.schema.rules.iter().any(|o| o.id == r.head.id) {
                self.problems.add(at, Some("id"), format!("quy tắc \"{}\" được khai báo hai lần", r.head.id));
                continue;
            }
            if let Some(check) = self.rule(at, &r.head.id, &r.body) {
                self.schema.rules.push(Rule {
                    id: r.head.id,
                    severity: r.head.severity.into(),
                    instruction: r.head.instruction,
                    missing: r.head.missing,
                    check,
                });
            }
        }
    }

    fn rule(&mut self, at: At<'_>, id: &str, body: &RuleBody) -> Option<Check> {
        let except: &[String] = match body {
            RuleBody::Product(r) => &r.except,
            RuleBody::Sum(r) => &r.except,
            RuleBody::Range(r) => &r.except,
            RuleBody::Integer(r) => &r.except,
            RuleBody::Presence(r) => &r.except,
            RuleBody::Change(r) => &r.except,
            RuleBody::YearToDate(r) => &r.except,
            RuleBody::Compare(r) => &r.except,
            RuleBody::Completeness(_) => &[],
        };
        let mut r = RuleAt { at, id, excluded: Vec::new() };
        for p in except {
            let m = expand(p, &self.schema);
            if m.is_empty() {
                self.unknown(&r, p, "except");
            }
            r.excluded.extend(m.into_iter().map(|(i, _)| i));
        }
        match body {
            RuleBody::Product(p) => self.product(&r, &p.factors, &p.result),
            RuleBody::Sum(s) => self.sum(&r, &s.total, &s.parts),
            RuleBody::Compare(c) => self.compare(&r, &c.expr),
            RuleBody::Range(g) => {
                if !self.require(&r, !g.indicators.is_empty(), "indicators", "range")
                    || !self.require(&r, g.min.is_some() || g.max.is_some(), "min hoặc max", "range")
                {
                    return None;
                }
                if let (Some(a), Some(b)) = (g.min, g.max)
                    && a > b
                {
                    self.problems.add(at, Some("min"), format!("quy tắc \"{id}\": min lớn hơn max"));
                }
                let indicators = self.list(&r, &g.indicators, "indicators");
                Some(Check::Range { indicators, min: g.min, max: g.max })
            }
            RuleBody::Integer(g) => {
                if !self.require(&r, !g.indicators.is_empty(), "indicators", "integer") {
                    return None;
                }
                Some(Check::Integer { indicators: self.list(&r, &g.indicators, "indicators") })
            }
            RuleBody::Presence(p) => self.presence(&r, &p.together),
            RuleBody::Change(c) => {
                if let Err(e) = validator::Validate::validate(c) {
                    self.problems.validation(at, &format!("quy tắc \"{id}\""), e);
                }
                if !self.require(&r, !c.indicators.is_empty(), "indicators", "change")
                    || !self.require(
                        &r,
                        c.max_percent.is_some() || c.allow_decrease == Some(false),
                        "max_percent hoặc allow_decrease = false",
                        "change",
                    )
                {
                    return None;
                }
                Some(Check::Change {
                    indicators: self.list(&r, &c.indicators, "indicators"),
                    max_percent: c.max_percent,
                    allow_decrease: c.allow_decrease.unwrap_or(true),
                })
            }
            RuleBody::YearToDate(y) => {
                if !self.require(&r, !y.indicators.is_empty(), "indicators", "year_to_date") {
                    return None;
                }
                Some(Check::YearToDate { indicators: self.list(&r, &y.indicators, "indicators") })
            }
            RuleBody::Completeness(_) => Some(Check::Completeness),
        }
    }

    fn require(&mut self, r: &RuleAt<'_, '_>, ok: bool, field: &str, kind: &str) -> bool {
        if !ok {
            self.problems.add(r.at, None, format!("quy tắc \"{}\" loại {kind} cần \"{field}\"", r.id).to_lowercase());
        }
        ok
    }

    fn unknown(&mut self, r: &RuleAt<'_, '_>, pattern: &str, field: &str) {
        let msg = format!("quy tắc \"{}\" nêu chỉ tiêu \"{pattern}\" không có trong lược đồ", r.id);
        self.problems.add(r.at, Some(field), msg);
    }

    /// A pattern's matches, less the rule's exceptions.
    fn matches(&self, r: &RuleAt<'_, '_>, pattern: &str) -> Vec<(IndicatorId, String)> {
        expand(pattern, &self.schema).into_iter().filter(|(i, _)| !r.excluded.contains(i)).collect()
    }

    /// Every indicator the patterns name; each pattern must match something.
    fn list(&mut self, r: &RuleAt<'_, '_>, patterns: &[String], field: &str) -> Vec<IndicatorId> {
        let mut out = Vec::new();
        for p in patterns {
            let m = self.matches(r, p);
            if m.is_empty() {
                self.unknown(r, p, field);
            }
            out.extend(m.into_iter().map(|(i, _)| i));
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The first pattern's matches, each with the others bound by its "*";
    /// only the instances where every bound pattern names an indicator.
    fn bound(&self, r: &RuleAt<'_, '_>, first: &str, others: &[&str]) -> Vec<(IndicatorId, Vec<IndicatorId>)> {
        self.matches(r, first)
            .into_iter()
            .filter_map(|(i, star)| {
                let rest: Option<Vec<IndicatorId>> =
                    others.iter().map(|o| self.schema.indicator(&bind(o, &star))).collect();
                Some((i, rest?))
            })
            .collect()
    }

    fn product(&mut self, r: &RuleAt<'_, '_>, factors: &[String], result: &str) -> Option<Check> {
        if !self.require(r, factors.len() >= 2, "factors", "product") {
            return None;
        }
        let others: Vec<&str> = factors[1..].iter().map(String::as_str).chain([result]).collect();
        let mut instances = Vec::new();
        for (first, rest) in self.bound(r, &factors[0], &others) {
            let (res, more) = rest.split_last().expect("result is last");
            let mut fs = vec![first];
            fs.extend(more);
            // The product must measure what the result does.
            let dim = self.schema.units.product(&self.units_of(&fs));
            if dim != self.schema.units.get(self.schema.indicators[*res].unit).dimension {
                let names: Vec<&str> = fs.iter().map(|&f| self.schema.indicators[f].code.as_str()).collect();
                let msg = format!(
                    "quy tắc \"{}\": {} không cùng đơn vị với tích {}",
                    r.id,
                    self.schema.indicators[*res].code,
                    names.join(" × ")
                );
                self.problems.add(r.at, Some("result"), msg);
                continue;
            }
            instances.push((fs, *res));
        }
        if instances.is_empty() {
            self.unknown(r, &factors[0], "factors");
            return None;
        }
        Some(Check::Product { instances })
    }

    fn sum(&mut self, r: &RuleAt<'_, '_>, total: &str, parts: &[String]) -> Option<Check> {
        if !self.require(r, !parts.is_empty(), "parts", "sum") {
            return None;
        }
        let others: Vec<&str> = parts.iter().map(String::as_str).collect();
        let mut instances = Vec::new();
        for (t, parts) in self.bound(r, total, &others) {
            let unit = |i: IndicatorId| self.schema.indicators[i].unit;
            if parts.iter().any(|&p| self.schema.units.factor(unit(p), unit(t)).is_none()) {
                let msg = format!("quy tắc \"{}\": các phần không cùng đơn vị với tổng", r.id);
                self.problems.add(r.at, Some("parts"), msg);
                continue;
            }
            instances.push((t, parts));
        }
        if instances.is_empty() {
            self.unknown(r, total, "total");
            return None;
        }
        Some(Check::Sum { instances })
    }

    fn presence(&mut self, r: &RuleAt<'_, '_>, together: &[String]) -> Option<Check> {
        if !self.require(r, together.len() >= 2, "together", "presence") {
            return None;
        }
        let others: Vec<&str> = together[1..].iter().map(String::as_str).collect();
        let groups: Vec<Vec<IndicatorId>> = self
            .bound(r, &together[0], &others)
            .into_iter()
            .map(|(first, rest)| std::iter::once(first).chain(rest).collect())
            .collect();
        if groups.is_empty() {
            self.unknown(r, &together[0], "together");
            return None;
        }
        Some(Check::Presence { groups })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_of_another_kind_is_a_problem_at_its_line() {
        let text = "[[unit]]\ncode = \"ha\"\ndimension = \"area\"\n\n[[table]]\nid = \"t\"\ntitle = \"T\"\n\n[[table.column]]\ncode = \"a\"\nlabel = \"A\"\nunit = \"ha\"\n\n[[table.row]]\ncode = \"r\"\nlabel = \"R\"\n\n[[rule]]\nid = \"x\"\nkind = \"range\"\nseverity = \"warning\"\nindicators = [\"r.a\"]\nmin = 0\nmax_percent = 30\n\n[[rule]]\nid = \"y\"\nkind = \"product\"\nseverity = \"error\"\nfactors = [\"r.a\", \"r.a\"]\n\n[[hamlet]]\nname = \"X\"\n";
        let e = Schema::from_text("s.toml", text).unwrap_err();
        let lines: Vec<String> = e.0.iter().map(|p| format!("{}:{}", p.line, p.message)).collect();
        assert!(lines.iter().any(|l| l.starts_with("24:") && l.contains("max_percent")), "{lines:?}");
        assert!(lines.iter().any(|l| l.starts_with("26:") && l.contains("result")), "{lines:?}");
    }
}
