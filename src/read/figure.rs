//! Reading one figure of the form: a number, a number typed as text the
//! Vietnamese way, or something that is not a figure; and the units written
//! in a column header or on a row, which convert it.

use super::grid::Val;
use super::issues::Issue;
use super::matcher::unit_in;
use super::sheet::SheetReader;
use crate::model::{Entry, Finding, IndicatorId, Source, UnitId};
use crate::schema::Kind;
use crate::text::number::{self, decimals_of};
use crate::text::{clean_label, keys, quote};

/// Decimal places a figure gains when multiplied by `factor` (×0,1: one more).
fn decimals_after(decimals: u8, factor: f64) -> u8 {
    if (factor - 1.0).abs() < 1e-12 {
        return decimals;
    }
    let extra = (-factor.log10()).ceil().max(0.0) as u8;
    decimals.saturating_add(extra).min(15)
}

/// "-", "x", "/" are how many write "nothing here".
fn is_empty_mark(t: &str) -> bool {
    matches!(t, "-" | "–" | "—" | "x" | "X" | "/" | "..." | "…")
}

impl SheetReader<'_> {
    /// The factor from the unit a column header names to the schema's unit.
    /// The unit may be in the header cell itself or on a line below it.
    pub(super) fn header_unit_factor(&mut self, unit: Option<UnitId>, col: u32, hrow: u32, block_end: u32) -> f64 {
        let Some(unit) = unit else { return 1.0 };
        let mut written = None;
        for row in hrow..=block_end.max(hrow) {
            if let Some(t) = self.grid.text(row, col)
                && let Some(u) = unit_in(t).or_else(|| {
                    // A second header line that is only a unit: "tạ/ha".
                    let c = clean_label(t);
                    (row > hrow && c.len() <= 12).then_some(t.trim())
                })
            {
                written = Some((u.to_string(), row));
                break;
            }
        }
        let Some((text, row)) = written else { return 1.0 };
        let at = self.source(row, col);
        self.written_unit(&text, unit, "Cột", &at, None).unwrap_or(1.0)
    }

    /// The factor from the unit written on a row (its ĐVT cell) to the schema's.
    pub(super) fn row_unit_factor(&mut self, ind: IndicatorId, text: &str, at: &Source) -> Option<f64> {
        let unit = self.schema.indicators[ind].unit;
        self.written_unit(&quote(text), unit, "Dòng", at, Some(ind))
    }

    /// The factor from a unit written on the sheet to the schema's `unit`,
    /// when they differ; the conversion, or a unit that cannot be converted,
    /// is said.
    fn written_unit(
        &mut self,
        text: &str,
        unit: UnitId,
        place: &str,
        at: &Source,
        indicator: Option<IndicatorId>,
    ) -> Option<f64> {
        let units = &self.schema.units;
        let found = units.lookup_key(&keys(text).compact)?;
        let to = &units.get(unit).code;
        let (factor, issue) = match units.factor(found, unit) {
            Some(f) if (f - 1.0).abs() < 1e-12 => return None,
            Some(f) => (Some(f), Issue::UnitConverted { place, unit: text, to, factor: f }),
            None => (None, Issue::UnitNotConvertible { place, unit: text, to }),
        };
        let mut f = issue.finding().at(at);
        f.indicator = indicator;
        self.out.findings.push(f);
        factor
    }

    /// Reads one figure.
    pub(super) fn read_cell(&self, row: u32, col: u32, ind: IndicatorId, factor: f64) -> (Entry, Option<Finding>) {
        let source = self.source(row, col);
        let cell = self.grid.get(row, col);
        let mut entry = Entry { value: None, decimals: 0, unreadable: false, source: source.clone() };
        let name = &self.schema.indicators[ind].name;
        let val = cell.map_or(&Val::Empty, |c| &c.val);
        let issue = match val {
            Val::Empty if cell.is_some_and(|c| c.formula) => Issue::FormulaWithoutValue { name },
            Val::Empty => return (entry, None),
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
