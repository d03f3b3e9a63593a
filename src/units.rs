//! Units as data: each is a scale of a base dimension, so that conversion
//! factors (1 ha × 1 tạ/ha = 0,1 tấn) are derived, never typed in.

use std::collections::{BTreeMap, HashMap};

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
    pub list: Vec<Unit>,
    by_key: HashMap<String, usize>,
}

impl Units {
    pub fn add(&mut self, unit: Unit, aliases: &[String]) -> usize {
        let id = self.list.len();
        self.by_key.entry(unit_key(&unit.code)).or_insert(id);
        for a in aliases {
            self.by_key.entry(unit_key(a)).or_insert(id);
        }
        self.list.push(unit);
        id
    }

    pub fn get(&self, id: usize) -> &Unit {
        &self.list[id]
    }

    /// Finds a unit by code or alias, forming "a/b" from its two parts when
    /// it is not declared itself.
    pub fn resolve(&mut self, text: &str) -> Option<usize> {
        if let Some(id) = self.lookup(text) {
            return Some(id);
        }
        let (num, den) = text.split_once('/')?;
        let (n, d) = (self.lookup(num)?, self.lookup(den)?);
        let (n, d) = (self.get(n).clone(), self.get(d).clone());
        let mut dimension = n.dimension.clone();
        for (k, e) in &d.dimension {
            *dimension.entry(k.clone()).or_insert(0) -= e;
        }
        dimension.retain(|_, e| *e != 0);
        let unit = Unit {
            code: format!("{}/{}", n.code, d.code),
            name: format!("{}/{}", n.name, d.name),
            dimension,
            scale: n.scale / d.scale,
        };
        Some(self.add(unit, &[text.to_string()]))
    }

    /// Finds a declared (or already formed) unit without forming new ones.
    pub fn lookup(&self, text: &str) -> Option<usize> {
        self.lookup_key(&unit_key(text))
    }

    /// As [`Units::lookup`], with the key made already ([`crate::text::Keys::compact`]).
    pub fn lookup_key(&self, key: &str) -> Option<usize> {
        self.by_key.get(key).copied()
    }

    /// The factor that turns a figure in `from` into one in `to`, when they
    /// measure the same thing.
    pub fn factor(&self, from: usize, to: usize) -> Option<f64> {
        let (f, t) = (self.get(from), self.get(to));
        (f.dimension == t.dimension).then(|| f.scale / t.scale)
    }
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
    fn no_factor_across_dimensions() {
        let mut u = units();
        let ha = u.resolve("ha").unwrap();
        let tan = u.resolve("tấn").unwrap();
        assert_eq!(u.factor(ha, tan), None);
        let ta = u.resolve("ta").unwrap();
        assert_eq!(u.factor(ta, tan), Some(0.1));
    }
}
