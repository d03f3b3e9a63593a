//! Units as data: each is a scale of a base dimension, so that conversion
//! factors (1 ha × 1 tạ/ha = 0,1 tấn) are derived, never typed in; and the
//! dimension algebra that tells whether a formula or a product gives the
//! unit it claims.

use std::collections::{BTreeMap, HashMap};

use crate::model::{IdVec, UnitId};
use crate::schema::Formula;
use crate::text::fold;

/// Exponents of base dimensions: area¹, mass¹·area⁻¹, ...; empty for a
/// plain ratio such as %.
pub type Dimension = BTreeMap<String, i32>;

#[derive(Debug, Clone)]
pub struct Unit {
    pub code: String,
    pub name: String,
    pub dimension: Dimension,
    /// Size in the base unit of its dimension (tạ: 100 kg).
    pub scale: f64,
}

#[derive(Debug, Clone, Default)]
pub struct Units {
    pub list: IdVec<UnitId, Unit>,
    by_key: HashMap<String, UnitId>,
}

impl Units {
    pub fn add(&mut self, unit: Unit, aliases: &[String]) -> UnitId {
        let id = UnitId::new(self.list.len());
        self.by_key.entry(unit_key(&unit.code)).or_insert(id);
        for a in aliases {
            self.by_key.entry(unit_key(a)).or_insert(id);
        }
        self.list.push(unit)
    }

    pub fn get(&self, id: UnitId) -> &Unit {
        &self.list[id]
    }

    /// Finds a unit by code or alias, forming "a/b" from its two parts when
    /// it is not declared itself.
    pub fn resolve(&mut self, text: &str) -> Option<UnitId> {
        if let Some(id) = self.lookup(text) {
            return Some(id);
        }
        let (num, den) = text.split_once('/')?;
        let (n, d) = (self.lookup(num)?, self.lookup(den)?);
        let (n, d) = (self.get(n).clone(), self.get(d).clone());
        let unit = Unit {
            code: format!("{}/{}", n.code, d.code),
            name: format!("{}/{}", n.name, d.name),
            dimension: combine(&n.dimension, &d.dimension, -1),
            scale: n.scale / d.scale,
        };
        Some(self.add(unit, &[text.to_string()]))
    }

    /// What a unit written as text measures, and its scale: a declared
    /// unit, or "a/b" of two, without forming a new one.
    pub fn measure(&self, text: &str) -> Option<(Dimension, f64)> {
        if let Some(u) = self.lookup(text) {
            let u = self.get(u);
            return Some((u.dimension.clone(), u.scale));
        }
        if let Some((times, rest)) = multiplier(text) {
            let (dimension, scale) = self.measure(rest)?;
            return Some((dimension, scale * times));
        }
        let (num, den) = text.split_once('/')?;
        let (n, d) = (self.get(self.lookup(num)?), self.get(self.lookup(den)?));
        Some((combine(&n.dimension, &d.dimension, -1), n.scale / d.scale))
    }

    /// The factor from a measure to a unit, when they measure the same thing.
    pub fn factor_from(&self, (dimension, scale): &(Dimension, f64), to: UnitId) -> Option<f64> {
        let t = self.get(to);
        (*dimension == t.dimension).then(|| scale / t.scale)
    }

    /// Finds a declared (or already formed) unit without forming new ones.
    pub fn lookup(&self, text: &str) -> Option<UnitId> {
        self.lookup_key(&unit_key(text))
    }

    /// As [`Units::lookup`], with the key made already ([`crate::text::Keys::compact`]).
    pub fn lookup_key(&self, key: &str) -> Option<UnitId> {
        self.by_key.get(key).copied()
    }

    /// The factor that turns a figure in `from` into one in `to`, when they
    /// measure the same thing.
    pub fn factor(&self, from: UnitId, to: UnitId) -> Option<f64> {
        let (f, t) = (self.get(from), self.get(to));
        (f.dimension == t.dimension).then(|| f.scale / t.scale)
    }

    /// The dimension of a product of figures in these units.
    pub fn product(&self, units: &[UnitId]) -> Dimension {
        units.iter().fold(Dimension::new(), |d, &u| combine(&d, &self.get(u).dimension, 1))
    }

    /// Does `f`, fed figures in `inputs`, give a figure in `out`? Evaluated
    /// with each base dimension scaled by its own odd factor: a sum of unlike
    /// things, or a result unlike `out`, does not scale as one unit.
    pub fn fits(&self, f: &Formula, inputs: &[UnitId], out: UnitId) -> bool {
        let mut bases: Vec<&String> =
            inputs.iter().chain(std::iter::once(&out)).flat_map(|&u| self.get(u).dimension.keys()).collect();
        bases.sort();
        bases.dedup();
        let factor_of = |dim: &Dimension| -> f64 {
            dim.iter()
                .map(|(k, e)| {
                    let idx = bases.iter().position(|b| *b == k).unwrap_or(0);
                    (1.37 + idx as f64 * 0.61).powi(*e)
                })
                .product()
        };
        // Values away from zero so that differences do not cancel.
        let base_vals: Vec<f64> = (0..inputs.len()).map(|i| 2.0 + i as f64 * 0.731).collect();
        let plain = f.eval_values(&base_vals);
        let scaled_vals: Vec<f64> =
            inputs.iter().zip(&base_vals).map(|(&u, v)| v * factor_of(&self.get(u).dimension)).collect();
        let scaled = f.eval_values(&scaled_vals);
        match (plain, scaled) {
            (Some(p), Some(s)) if p != 0.0 => {
                let want = p * factor_of(&self.get(out).dimension);
                ((s - want) / want).abs() < 1e-9
            }
            _ => true,
        }
    }

    /// The dimension `f` gives when fed figures in `inputs`, if some declared
    /// unit has it.
    pub fn dimension_of(&self, f: &Formula, inputs: &[UnitId]) -> Option<Dimension> {
        self.list.ids().find(|&u| self.fits(f, inputs, u)).map(|u| self.get(u).dimension.clone())
    }
}

/// `a` times `b` raised to `sign`.
fn combine(a: &Dimension, b: &Dimension, sign: i32) -> Dimension {
    let mut out = a.clone();
    for (k, e) in b {
        *out.entry(k.clone()).or_insert(0) += sign * e;
    }
    out.retain(|_, e| *e != 0);
    out
}

/// A unit counted in hundreds, thousands, millions: "nghìn con", "1000
/// con", "1.000 cây", "triệu đồng" (when the schema does not declare it).
pub(crate) fn multiplier(text: &str) -> Option<(f64, &str)> {
    let (head, rest) = text.trim().split_once(char::is_whitespace)?;
    let times = match fold(head).as_str() {
        "tram" => 1e2,
        "nghin" | "ngan" => 1e3,
        "trieu" => 1e6,
        "ty" => 1e9,
        h => {
            let digits: String = h.chars().filter(|c| !matches!(c, '.' | ',')).collect();
            let zeros = digits.strip_prefix('1')?;
            if zeros.len() < 2 || zeros.len() > 9 || !zeros.bytes().all(|b| b == b'0') {
                return None;
            }
            10f64.powi(zeros.len() as i32)
        }
    };
    let rest = rest.trim();
    (!rest.is_empty()).then_some((times, rest))
}

fn unit_key(s: &str) -> String {
    fold(s).replace(' ', "")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units() -> Units {
        let mut u = Units::default();
        for (code, dim, scale) in
            [("ha", "area", 1.0), ("kg", "mass", 1.0), ("tạ", "mass", 100.0), ("tấn", "mass", 1000.0)]
        {
            let dimension = [(dim.to_string(), 1)].into_iter().collect();
            u.add(Unit { code: code.into(), name: code.into(), dimension, scale }, &[]);
        }
        u
    }

    #[test]
    fn quotient_units_are_formed() {
        let mut u = units();
        let ta_ha = u.resolve("tạ/ha").unwrap();
        let tan_ha = u.resolve("tấn/ha").unwrap();
        assert_eq!(u.factor(tan_ha, ta_ha), Some(10.0));
        assert_eq!(u.resolve("Tạ / ha"), Some(ta_ha));
        assert_eq!(u.get(ta_ha).dimension.get("area"), Some(&-1));
    }

    #[test]
    fn units_counted_in_thousands_are_measured() {
        let u = units();
        let kg = u.lookup("kg").unwrap();
        for (text, factor) in [("nghìn kg", 1000.0), ("1000 kg", 1000.0), ("1.000 kg", 1000.0), ("triệu kg", 1e6)] {
            let m = u.measure(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(u.factor_from(&m, kg), Some(factor), "{text}");
        }
        for text in ["1200 kg", "10 kg", "nghìn", "mấy kg"] {
            assert!(u.measure(text).is_none(), "{text}");
        }
    }

    #[test]
    fn no_factor_across_dimensions() {
        let mut u = units();
        let ha = u.resolve("ha").unwrap();
        let tan = u.resolve("tấn").unwrap();
        assert_eq!(u.factor(ha, tan), None);
        let ta = u.resolve("ta").unwrap();
        assert_eq!(u.factor(ta, tan), Some(0.1));
    }

    #[test]
    fn products_and_formulas_have_dimensions() {
        let mut u = units();
        let (ha, ta_ha, tan) = (u.resolve("ha").unwrap(), u.resolve("tạ/ha").unwrap(), u.resolve("tấn").unwrap());
        assert_eq!(u.product(&[ha, ta_ha]), u.get(tan).dimension);
        let names = ["a", "b"];
        let f = Formula::parse("a / b", |n| names.iter().position(|x| *x == n).map(crate::model::IndicatorId::new))
            .unwrap();
        assert!(u.fits(&f, &[tan, ha], ta_ha));
        assert!(!u.fits(&f, &[tan, ha], tan));
        let sum = Formula::parse("a + b", |n| names.iter().position(|x| *x == n).map(crate::model::IndicatorId::new))
            .unwrap();
        assert!(!u.fits(&sum, &[tan, ha], tan));
    }
}
