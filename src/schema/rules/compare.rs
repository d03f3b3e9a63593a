//! Compiling a compare rule: `lhs op rhs`, where a name written with "*" just
//! before its dot ("*.san_luong", "lua_*.dien_tich") stands for the rows of a
//! table. Such a rule is bound once per row that has every column it names,
//! the same row for every "*", so each row is checked, and reported, at its
//! own cells.

use std::sync::LazyLock;

use regex::Regex;

use super::{RuleAt, bind};
use crate::schema::compile::Compiler;
use crate::schema::{Check, CmpOp, Comparison, Formula, IndicatorId};

/// A row pattern: "*" just before the dot of a dotted code. Anywhere else a
/// "*" multiplies ("3 * *.dien_tich"): a code never ends in "*", and ".x"
/// alone is no name, so the two cannot be confused.
static ROW_STAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:[A-Za-z_][A-Za-z0-9_]*)?\*\.[A-Za-z_][A-Za-z0-9_]*").expect("row pattern"));

/// A "*" for a column ("lua.*"): not a row, and so not bound.
static COLUMN_STAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[A-Za-z_][A-Za-z0-9_]*\.\*").expect("column pattern"));

/// How the rule says that every "*" is one row, in its messages.
const SAME_ROW: &str = "mọi dấu * trong một quy tắc là cùng một dòng";

impl Compiler {
    pub(super) fn compare(&mut self, r: &RuleAt<'_, '_>, expr: &str) -> Option<Check> {
        let Some((lhs, op, rhs)) = split_comparison(expr) else {
            let msg = format!("biểu thức \"{expr}\" cần một phép so sánh (<=, <, >=, >, ==)");
            self.problems.add(r.at, Some("expr"), msg);
            return None;
        };
        if let Some(m) = COLUMN_STAR.find(expr) {
            let msg = format!(
                "quy tắc \"{}\": \"{}\": dấu * chỉ thay cho tên dòng, viết ngay trước dấu chấm (\"*.san_luong\")",
                r.id,
                m.as_str()
            );
            self.problems.add(r.at, Some("expr"), msg);
            return None;
        }
        let mut patterns: Vec<&str> = Vec::new();
        for m in ROW_STAR.find_iter(expr) {
            if !patterns.contains(&m.as_str()) {
                patterns.push(m.as_str());
            }
        }
        let stars =
            if patterns.is_empty() { vec![None] } else { self.rows(r, &patterns)?.into_iter().map(Some).collect() };
        let mut instances = Vec::new();
        let mut unlike = false;
        for star in stars {
            let bound = |side: &str| match &star {
                Some(s) => ROW_STAR.replace_all(side, |c: &regex::Captures| bind(&c[0], s)).into_owned(),
                None => side.to_string(),
            };
            let mut parse = |side: &str| match Formula::parse(side, |n| self.schema.indicator(n)) {
                Ok(f) => Some(f),
                Err(e) => {
                    self.problems.add(r.at, Some("expr"), e);
                    None
                }
            };
            let (lhs, rhs) = (parse(&bound(lhs)), parse(&bound(rhs)));
            // A side that does not parse does not parse on any row: said once.
            let (lhs, rhs) = (lhs?, rhs?);
            if !self.same_dimension(&lhs, &rhs) && !unlike {
                unlike = true;
                self.problems.add(r.at, Some("expr"), format!("biểu thức \"{expr}\": hai vế không cùng đơn vị đo"));
            }
            instances.push(Comparison { lhs, op, rhs });
        }
        Some(Check::Compare { instances })
    }

    /// The text each "*" stands for, one per row that has every column the
    /// patterns name; a problem when a pattern names nothing, no row has
    /// them all, or one "*" would join figures of different rows.
    fn rows(&mut self, r: &RuleAt<'_, '_>, patterns: &[&str]) -> Option<Vec<String>> {
        let found: Vec<Vec<(IndicatorId, String)>> = patterns.iter().map(|p| self.matches(r, p)).collect();
        let mut ok = true;
        for (p, m) in patterns.iter().zip(&found) {
            if m.is_empty() {
                let msg = format!("quy tắc \"{}\": \"{p}\" không khớp dòng nào của biểu mẫu", r.id);
                self.problems.add(r.at, Some("expr"), msg);
                ok = false;
            }
        }
        if !ok {
            return None;
        }
        let mut stars = Vec::new();
        for (_, star) in &found[0] {
            let inds: Option<Vec<IndicatorId>> =
                found.iter().map(|m| m.iter().find(|(_, s)| s == star).map(|(i, _)| *i)).collect();
            let Some(inds) = inds else { continue };
            let rows: Vec<Option<(usize, usize)>> = inds.iter().map(|&i| self.row_of(i)).collect();
            if rows.iter().any(|x| *x != rows[0]) {
                let codes: Vec<&str> = inds.iter().map(|&i| self.schema.indicators[i].code.as_str()).collect();
                let msg = format!(
                    "quy tắc \"{}\": \"*\" là \"{star}\" ghép số của những dòng khác nhau ({}), mà {SAME_ROW}",
                    r.id,
                    codes.join(", ")
                );
                self.problems.add(r.at, Some("expr"), msg);
                return None;
            }
            stars.push(star.clone());
        }
        if stars.is_empty() {
            let named: Vec<String> = patterns.iter().map(|p| format!("\"{p}\"")).collect();
            let msg = format!("quy tắc \"{}\": không dòng nào có đủ {}, mà {SAME_ROW}", r.id, named.join(", "));
            self.problems.add(r.at, Some("expr"), msg);
            return None;
        }
        Some(stars)
    }

    /// The table and row an indicator of the form is on.
    fn row_of(&self, i: IndicatorId) -> Option<(usize, usize)> {
        self.schema
            .tables
            .iter()
            .enumerate()
            .find_map(|(t, table)| table.rows.iter().position(|row| row.indicators.contains(&i)).map(|k| (t, k)))
    }

    /// Whether two sides of a comparison measure the same thing (a side with
    /// no indicator, a constant, fits any).
    fn same_dimension(&self, lhs: &Formula, rhs: &Formula) -> bool {
        if lhs.vars.is_empty() || rhs.vars.is_empty() {
            return true;
        }
        let units = &self.schema.units;
        match (units.dimension_of(lhs, &self.units_of(&lhs.vars)), units.dimension_of(rhs, &self.units_of(&rhs.vars))) {
            (Some(a), Some(b)) => a == b,
            // A dimension no declared unit has: the two cannot be compared.
            _ => false,
        }
    }
}

fn split_comparison(expr: &str) -> Option<(&str, CmpOp, &str)> {
    for (sym, op) in
        [("<=", CmpOp::Le), (">=", CmpOp::Ge), ("==", CmpOp::Eq), ("<", CmpOp::Lt), (">", CmpOp::Gt), ("=", CmpOp::Eq)]
    {
        if let Some((l, r)) = expr.split_once(sym) {
            if l.trim().is_empty() || r.trim().is_empty() || r.contains(['<', '>', '=']) {
                return None;
            }
            return Some((l.trim(), op, r.trim()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Schema;

    /// A schema of two tables: "t" with columns a, b, c (ha, tạ/ha, tấn) and
    /// rows x, y; "u" with column d (ha) and rows x, z; then `rules`, its
    /// first line at line 66.
    fn schema(rules: &str) -> Result<Schema, crate::schema::SchemaError> {
        let mut text = String::from(
            "[[unit]]\ncode = \"ha\"\ndimension = \"area\"\n\n[[unit]]\ncode = \"kg\"\ndimension = \"mass\"\n\n[[unit]]\ncode = \"tạ\"\ndimension = \"mass\"\nscale = 100\n\n[[unit]]\ncode = \"tấn\"\ndimension = \"mass\"\nscale = 1000\n\n[[hamlet]]\nname = \"Lạc Sơn\"\n",
        );
        text.push_str("\n[[table]]\nid = \"t\"\ntitle = \"T\"\n");
        for (code, label, unit) in [("a", "Diện tích", "ha"), ("b", "Năng suất", "tạ/ha"), ("c", "Sản lượng", "tấn")]
        {
            text.push_str(&format!("\n[[table.column]]\ncode = \"{code}\"\nlabel = \"{label}\"\nunit = \"{unit}\"\n"));
        }
        text.push_str(
            "\n[[table.row]]\ncode = \"x\"\nlabel = \"Lúa\"\n\n[[table.row]]\ncode = \"y\"\nlabel = \"Ngô\"\n",
        );
        text.push_str("\n[[table]]\nid = \"u\"\ntitle = \"U\"\n\n[[table.column]]\ncode = \"d\"\nlabel = \"Kế hoạch\"\nunit = \"ha\"\n");
        text.push_str(
            "\n[[table.row]]\ncode = \"x\"\nlabel = \"Lúa\"\n\n[[table.row]]\ncode = \"z\"\nlabel = \"Khoai\"\n",
        );
        assert_eq!(text.lines().count(), 64, "the rules start at line 66");
        text.push('\n');
        text.push_str(rules);
        Schema::from_text("s.toml", &text)
    }

    fn rule(expr: &str, more: &str) -> String {
        format!("[[rule]]\nid = \"r\"\nkind = \"compare\"\nseverity = \"error\"\n{more}expr = \"{expr}\"\n")
    }

    /// The problems, as "line:message".
    fn problems(rules: &str) -> Vec<String> {
        schema(rules).unwrap_err().0.iter().map(|p| format!("{}:{}", p.line, p.message)).collect()
    }

    fn bound(s: &Schema) -> Vec<String> {
        let Check::Compare { instances } = &s.rules.iter().next().unwrap().check else { panic!("a comparison") };
        instances.iter().map(|c| format!("{} {} {}", c.lhs.text, c.op.symbol(), c.rhs.text)).collect()
    }

    #[test]
    fn comparison_split() {
        assert!(matches!(split_comparison("a + b <= c"), Some(("a + b", CmpOp::Le, "c"))));
        assert!(split_comparison("a + b").is_none());
        assert!(split_comparison("a <= b <= c").is_none());
    }

    #[test]
    fn a_star_is_bound_to_each_row_that_has_every_column() {
        // "*" before a dot is a row, elsewhere a product; z has no c.
        let s = schema(&rule("*.c <= 3 * *.a * *.b", "")).unwrap();
        assert_eq!(bound(&s), ["x.c ≤ 3 * x.a * x.b", "y.c ≤ 3 * y.a * y.b"]);
        // A fixed code beside a pattern, and a prefix before the "*".
        let s = schema(&rule("*.a <= 2*x.a", "")).unwrap();
        assert_eq!(bound(&s), ["x.a ≤ 2*x.a", "y.a ≤ 2*x.a"]);
        let s = schema(&rule("x*.c >= 0", "")).unwrap();
        assert_eq!(bound(&s), ["x.c ≥ 0"]);
        // Without a "*", one comparison, as before.
        let s = schema(&rule("x.c <= y.c * 2", "")).unwrap();
        assert_eq!(bound(&s), ["x.c ≤ y.c * 2"]);
        // except leaves a row out.
        let s = schema(&rule("*.c <= 3 * *.a * *.b", "except = [\"y.b\"]\n")).unwrap();
        assert_eq!(bound(&s), ["x.c ≤ 3 * x.a * x.b"]);
    }

    #[test]
    fn a_pattern_that_names_nothing_is_a_problem_at_its_line() {
        let p = problems(&rule("*.c <= 3 * *.a * *.e", ""));
        assert_eq!(p, ["70:quy tắc \"r\": \"*.e\" không khớp dòng nào của biểu mẫu"]);
        // Columns of no common row: a ("t": x, y) and d ("u": x, z) share
        // the code x, but of different tables.
        let p = problems(&rule("*.d <= *.a", ""));
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].starts_with("70:") && p[0].contains("\"x\" ghép số của những dòng khác nhau (x.d, x.a)"), "{p:?}");
        let p = problems(&rule("*.d <= *.a", "except = [\"x.d\"]\n"));
        assert_eq!(
            p,
            [
                "71:quy tắc \"r\": không dòng nào có đủ \"*.d\", \"*.a\", mà mọi dấu * trong một quy tắc là cùng một dòng"
            ]
        );
        // A "*" for a column is not a row.
        let p = problems(&rule("x.* <= 3", ""));
        assert!(
            p.len() == 1 && p[0].starts_with("70:") && p[0].contains("\"x.*\": dấu * chỉ thay cho tên dòng"),
            "{p:?}"
        );
        // Units are checked on the rows bound, and said once.
        let p = problems(&rule("*.c <= *.a", ""));
        assert_eq!(p, ["70:biểu thức \"*.c <= *.a\": hai vế không cùng đơn vị đo"]);
    }
}
