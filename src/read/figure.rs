//! Reading one figure of the form: a number, a number typed as text the
//! Vietnamese way, or something that is not a figure.

use super::grid::Val;
use super::issues::Issue;
use super::sheet::SheetReader;
use crate::model::{Entry, Finding, IndicatorId};
use crate::schema::Kind;
use crate::text::number::{self, decimals_of};
use crate::text::{quote, vn_figure};

/// Decimal places a figure gains when multiplied by `factor` (×0,1: one more).
fn decimals_after(decimals: u8, factor: f64) -> u8 {
    if (factor - 1.0).abs() < 1e-12 {
        return decimals;
    }
    let extra = (-factor.log10()).ceil().max(0.0) as u8;
    decimals.saturating_add(extra).min(15)
}

/// A dash is zero in a Vietnamese statistical table ("không có").
fn is_dash(t: &str) -> bool {
    matches!(t, "-" | "–" | "—" | "--")
}

/// "x" is "not applicable"; "/", "..." are "not known": both empty.
fn is_empty_mark(t: &str) -> bool {
    matches!(t, "x" | "X" | "/" | "..." | "…")
}

impl SheetReader<'_> {
    /// A formula stored as 0 over figures of this sheet: never computed.
    pub(super) fn never_computed(&self, formula: &str) -> bool {
        super::formula::never_computed(formula, |r, c| match self.grid.val(r, c) {
            Val::Number(v) => Some(*v),
            _ => None,
        })
    }

    /// A figure of a form tonghop made, its computed cells worked out again.
    fn own_number(&self, r: u32, c: u32) -> Option<f64> {
        let formula_at = |r, c| self.grid.get(r, c).and_then(|x| x.formula.as_deref()).map(str::to_string);
        let stored = |r, c| match self.grid.val(r, c) {
            Val::Number(v) => Some(*v),
            _ => None,
        };
        super::formula::own_number((r, c), &formula_at, &stored, 0)
    }

    /// What a formula gives now over this sheet's figures, when that is
    /// not the value stored with it: the workbook was not recomputed.
    fn stale(&self, formula: &str, stored: f64) -> Option<f64> {
        let number = |r: u32, c: u32| match self.grid.val(r, c) {
            Val::Number(v) => Some(*v),
            _ => None,
        };
        let now = super::formula::recompute(formula, &number)?;
        ((now - stored).abs() > 1e-9 * now.abs().max(stored.abs()).max(1.0)).then_some(now)
    }

    /// Reads one figure.
    pub(super) fn read_cell(&self, row: u32, col: u32, ind: IndicatorId, factor: f64) -> (Entry, Option<Finding>) {
        let source = self.source(row, col);
        let cell = self.grid.get(row, col);
        let mut entry = Entry { value: None, decimals: 0, unreadable: false, missing: false, source: source.clone() };
        let name = &self.schema.indicators[ind].name;
        let val = cell.map_or(&Val::Empty, |c| &c.val);
        // The form's own computed cells are worked out again, whatever the
        // program that saved it stored for them.
        if self.grid.own_form
            && let Some(f) = cell.and_then(|c| c.formula.as_deref())
            && let Some(v) = super::formula::own(f, &|r, c| self.own_number(r, c))
        {
            entry.value = v;
            entry.decimals = v.map_or(0, |v| decimals_after(decimals_of(v), 1.0).min(3));
            return (entry, None);
        }
        let issue = match val {
            // Nothing stored for a formula may be a file never computed (the
            // form's own formulas are worked out above, whatever is stored).
            Val::Empty if cell.is_some_and(|c| c.formula.is_some()) => Issue::FormulaWithoutValue { name },
            Val::Empty => return (entry, None),
            Val::Number(v)
                if *v == 0.0 && cell.and_then(|c| c.formula.as_deref()).is_some_and(|f| self.never_computed(f)) =>
            {
                Issue::FormulaNotComputed { name }
            }
            Val::Number(v)
                if let Some(now) = cell.and_then(|c| c.formula.as_deref()).and_then(|f| self.stale(f, *v)) =>
            {
                let formula = cell.and_then(|c| c.formula.as_deref()).unwrap_or_default();
                let stored = vn_figure(*v);
                let f = Issue::FormulaStale { name, formula, stored: &stored, now: &vn_figure(now) }.finding();
                entry.unreadable = true;
                return (entry, Some(f.at(&source).values(Some(now), Some(*v))));
            }
            Val::Number(v) => {
                entry.value = Some(v * factor);
                entry.decimals = decimals_after(decimals_of(*v), factor);
                return (entry, None);
            }
            Val::Error(error) => Issue::ErrorCell { name, error },
            Val::Bool(value) => Issue::BoolCell { name, value: *value },
            Val::Date(_) => Issue::DateCell { name },
            Val::Text(t) => {
                let f = self.read_text(t, ind, factor, &mut entry);
                return (entry, Some(f.at(&source)));
            }
        };
        entry.unreadable = true;
        (entry, Some(issue.finding().at(&source)))
    }

    /// A figure typed as text.
    fn read_text(&self, text: &str, ind: IndicatorId, factor: f64, entry: &mut Entry) -> Finding {
        let indicator = &self.schema.indicators[ind];
        let name = &indicator.name;
        let trimmed = text.trim();
        let quoted = &quote(trimmed);
        if is_dash(trimmed) {
            entry.value = Some(0.0);
            return Issue::DashZero { name, text: quoted }.finding().values(None, Some(0.0));
        }
        if is_empty_mark(trimmed) {
            return Issue::EmptyMark { name, text: quoted }.finding();
        }
        let not_a_number = |entry: &mut Entry| {
            entry.unreadable = true;
            Issue::NotANumber { name, text: quoted }.finding()
        };
        let Some(n) = number::parse(trimmed, indicator.kind == Kind::Count) else {
            return not_a_number(entry);
        };
        let mut factor = factor;
        if let Some(suffix) = &n.suffix {
            let units = &self.schema.units;
            let u = if suffix == "%" { None } else { units.lookup(suffix) };
            match u.and_then(|u| units.factor(u, indicator.unit)) {
                Some(f) => factor = f,
                None => return not_a_number(entry),
            }
        }
        let read = n.value * factor;
        entry.value = Some(read);
        entry.decimals = decimals_after(n.decimals, factor);
        let unit = self.schema.unit_code(ind);
        match (n.other_reading, n.english_style) {
            (Some(other), _) => {
                let other = other * factor;
                Issue::TextNumberTwoWays { name, text: quoted, read, other, unit }
                    .finding()
                    .values(Some(other), Some(read))
            }
            (None, true) => {
                Issue::TextNumberEnglish { name, text: quoted, read, unit }.finding().values(None, Some(read))
            }
            (None, false) => Issue::TextNumber { name, text: quoted, read, unit }.finding().values(None, Some(read)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_grow_with_conversion() {
        assert_eq!(decimals_after(0, 0.1), 1);
        assert_eq!(decimals_after(1, 1.0), 1);
        assert_eq!(decimals_after(0, 1000.0), 0);
    }
}
