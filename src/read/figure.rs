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
use crate::text::{clean_label, quote};

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

/// What a unit written on the sheet does to the figures under it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Conversion {
    /// Multiply by this to get the schema's unit (1 when they are the same).
    Factor(f64),
    /// A unit the schema does not know, or one that measures something
    /// else: the figures are never taken as the declared unit.
    LeftOut,
}

/// Words that a header puts in parentheses and that are no unit.
const NOT_UNITS: &[&str] = &[
    "thuc hien",
    "ke hoach",
    "kh",
    "th",
    "uoc",
    "uoc th",
    "luy ke",
    "tong",
    "tong so",
    "ghi chu",
    "neu co",
    "ghi ro",
    "chinh thuc",
    "so bo",
    "tam tinh",
    "ca nam",
    "vu",
    "nam",
    "thang",
    "ky",
    "dot",
    "moi",
    "cu",
    "sua",
];

/// Could a text in a header be a unit? Short, one or two words, no plan
/// or period word; figures only as in "m2".
pub(super) fn unit_like(text: &str) -> bool {
    let f = crate::text::fold(text.trim());
    if f.is_empty() || f.chars().count() > 12 || f.split(' ').count() > 2 || NOT_UNITS.contains(&f.as_str()) {
        return false;
    }
    let digits = f.chars().filter(char::is_ascii_digit).count();
    digits == 0 || (digits == 1 && f.ends_with(['2', '3']) && f.len() <= 4)
}

impl SheetReader<'_> {
    /// What the unit a column header names does to its figures. The unit
    /// may be in parentheses in the header cell, or alone on a line below.
    pub(super) fn header_conversion(
        &mut self,
        unit: Option<UnitId>,
        col: u32,
        hrow: u32,
        block_end: u32,
    ) -> Conversion {
        let Some(unit) = unit else { return Conversion::Factor(1.0) };
        for row in hrow..=block_end.max(hrow) {
            let Some(t) = self.grid.text(row, col) else { continue };
            let written = match unit_in(t) {
                Some(u) if unit_like(u) => Some(u),
                Some(_) => None,
                // A second header line that is only a unit: "tạ/ha", "sào".
                None if row > hrow && self.is_unit_line(t) => Some(t.trim()),
                None => None,
            };
            if let Some(u) = written {
                let at = self.source(row, col);
                return self.written_unit(u, unit, "Cột", &at, None);
            }
        }
        Conversion::Factor(1.0)
    }

    /// A header line below the labels that says a unit: a known one, "a/b",
    /// or one short word.
    fn is_unit_line(&self, t: &str) -> bool {
        let c = clean_label(t);
        if self.schema.units.measure(t.trim()).is_some() || (c.contains('/') && c.len() <= 16) {
            return true;
        }
        unit_like(&c) && !c.contains(' ') && c.chars().count() <= 4
    }

    /// What the unit written on a row (its ĐVT cell) does to its figures.
    pub(super) fn row_conversion(&mut self, ind: IndicatorId, text: &str, at: &Source) -> Conversion {
        let unit = self.schema.indicators[ind].unit;
        self.written_unit(&quote(text), unit, "Dòng", at, Some(ind))
    }

    /// A unit written on the sheet against the schema's `unit`: the factor
    /// when it converts (said when it is not 1), or left out, said, when the
    /// schema does not know it or it measures something else.
    pub(super) fn written_unit(
        &mut self,
        text: &str,
        unit: UnitId,
        place: &str,
        at: &Source,
        indicator: Option<IndicatorId>,
    ) -> Conversion {
        let units = &self.schema.units;
        let to = &units.get(unit).code;
        let found = units.measure(text);
        let (conv, issue) = match found.map(|m| units.factor_from(&m, unit)) {
            Some(Some(f)) if (f - 1.0).abs() < 1e-12 => return Conversion::Factor(1.0),
            Some(Some(f)) => (Conversion::Factor(f), Issue::UnitConverted { place, unit: text, to, factor: f }),
            Some(None) => (Conversion::LeftOut, Issue::UnitNotConvertible { place, unit: text, to }),
            None => (Conversion::LeftOut, Issue::UnitUnknown { place, unit: text, to }),
        };
        let mut f = issue.finding().at(at);
        f.indicator = indicator;
        self.out.findings.push(f);
        conv
    }

    /// A formula stored as 0 over figures of this sheet: never computed.
    pub(super) fn never_computed(&self, formula: &str) -> bool {
        super::formula::never_computed(formula, |r, c| match self.grid.val(r, c) {
            Val::Number(v) => Some(*v),
            _ => None,
        })
    }

    /// Reads one figure.
    pub(super) fn read_cell(&self, row: u32, col: u32, ind: IndicatorId, factor: f64) -> (Entry, Option<Finding>) {
        let source = self.source(row, col);
        let cell = self.grid.get(row, col);
        let mut entry = Entry { value: None, decimals: 0, unreadable: false, source: source.clone() };
        let name = &self.schema.indicators[ind].name;
        let val = cell.map_or(&Val::Empty, |c| &c.val);
        let issue = match val {
            Val::Empty if cell.is_some_and(|c| c.formula.is_some()) => Issue::FormulaWithoutValue { name },
            Val::Empty => return (entry, None),
            Val::Number(v)
                if *v == 0.0 && cell.and_then(|c| c.formula.as_deref()).is_some_and(|f| self.never_computed(f)) =>
            {
                Issue::FormulaNotComputed { name }
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
