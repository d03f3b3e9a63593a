//! Expressions over indicators ("ho_ngheo + ho_can_ngheo", "bhyt / nhan_khau"),
//! parsed and evaluated by exmex. Indicator codes contain dots, which exmex
//! does not allow in names, so they are renamed on the way in.

use std::sync::LazyLock;

use exmex::prelude::*;
use regex::Regex;

use crate::model::IndicatorId;

static IDENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?").expect("ident pattern"));

#[derive(Debug, Clone)]
pub struct Formula {
    pub text: String,
    expr: FlatEx<f64>,
    /// The indicator behind each exmex variable, in exmex's (alphabetical) order.
    pub vars: Vec<IndicatorId>,
    /// Each name as written, with its indicator.
    names: Vec<(String, IndicatorId)>,
}

impl Formula {
    /// Parses `text`, resolving each name with `resolve`. The error says
    /// what is wrong in the schema author's terms.
    pub fn parse(text: &str, mut resolve: impl FnMut(&str) -> Option<IndicatorId>) -> Result<Formula, String> {
        let mut unknown = Vec::new();
        let mut names = Vec::new();
        let renamed = IDENT.replace_all(text, |c: &regex::Captures| {
            let name = &c[0];
            match resolve(name) {
                Some(i) => names.push((name.to_string(), i)),
                None => unknown.push(name.to_string()),
            }
            format!("v_{}", name.replace('.', "__"))
        });
        if !unknown.is_empty() {
            return Err(format!("công thức \"{text}\" nêu chỉ tiêu không có: {}", unknown.join(", ")));
        }
        let expr = exmex::parse::<f64>(&renamed).map_err(|e| format!("công thức \"{text}\" viết sai: {}", e.msg()))?;
        let mut vars = Vec::new();
        for v in expr.var_names() {
            let code = v.strip_prefix("v_").unwrap_or(v).replace("__", ".");
            let found = names.iter().find(|(n, _)| *n == code).map(|(_, i)| *i);
            vars.push(found.ok_or_else(|| format!("công thức \"{text}\": không hiểu \"{code}\""))?);
        }
        Ok(Formula { text: text.to_string(), expr, vars, names })
    }

    /// Evaluates with the values of its indicators; None if any is missing or
    /// the result is not a finite number (a division by zero).
    pub fn eval(&self, mut value_of: impl FnMut(IndicatorId) -> Option<f64>) -> Option<f64> {
        let values: Option<Vec<f64>> = self.vars.iter().map(|&i| value_of(i)).collect();
        self.eval_values(&values?)
    }

    pub fn eval_values(&self, values: &[f64]) -> Option<f64> {
        self.expr.eval(values).ok().filter(|v| v.is_finite())
    }

    /// How far the result may move when each input moves by its tolerance,
    /// to first order: Σ |∂f/∂xᵢ| · tolᵢ.
    pub fn slack(&self, values: &[f64], tolerances: &[f64]) -> f64 {
        let mut total = 0.0;
        for (i, tol) in tolerances.iter().enumerate() {
            if *tol == 0.0 {
                continue;
            }
            let d = self.expr.clone().partial(i).ok().and_then(|d| d.eval(values).ok()).filter(|d| d.is_finite());
            match d {
                Some(d) => total += d.abs() * tol,
                // No derivative: be generous rather than raise a false alarm.
                None => return f64::INFINITY,
            }
        }
        total
    }

    /// The formula with each indicator written by `name_of`, for Excel
    /// formulas and messages.
    pub fn render(&self, mut name_of: impl FnMut(IndicatorId) -> String) -> String {
        IDENT
            .replace_all(&self.text, |c: &regex::Captures| match self.names.iter().find(|(n, _)| n == &c[0]) {
                Some((_, i)) => name_of(*i),
                None => c[0].to_string(),
            })
            .into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(name: &str) -> Option<IndicatorId> {
        ["ho", "ho_ngheo", "lua_xuan.dien_tich"].iter().position(|c| *c == name).map(IndicatorId::new)
    }

    #[test]
    fn parses_dotted_codes() {
        let f = Formula::parse("lua_xuan.dien_tich * 2 + ho", codes).unwrap();
        assert_eq!(f.eval(|i| Some([10.0, 0.0, 3.0][i.index()])), Some(16.0));
    }

    #[test]
    fn unknown_names_are_reported() {
        let e = Formula::parse("ho_ngheo / ho_ngheo_x", codes).unwrap_err();
        assert!(e.contains("ho_ngheo_x"), "{e}");
        assert!(Formula::parse("ho +* ", codes).is_err());
    }

    #[test]
    fn slack_is_first_order() {
        let f = Formula::parse("ho_ngheo / ho", codes).unwrap();
        // vars in alphabetical order: ho, ho_ngheo
        let s = f.slack(&[100.0, 5.0], &[0.5, 0.5]);
        assert!((s - (0.5 * 5.0 / 10000.0 + 0.5 / 100.0)).abs() < 1e-12);
    }

    #[test]
    fn division_by_zero_is_missing() {
        let f = Formula::parse("ho_ngheo / ho", codes).unwrap();
        assert_eq!(f.eval(|i| Some([0.0, 5.0, 0.0][i.index()])), None);
    }
}
