//! Units written on the sheet, and what they do to the figures: in a
//! column header ("Diện tích (sào)", "Tổng đàn (nghìn con)"), in a row's
//! ĐVT cell ("km"), or in parentheses after a row label ("Thịt hơi (kg)").
//! Every unit written for a figure is weighed; when they disagree, or one
//! is unknown, the figure is never taken in the form's unit, and that is
//! said.

use std::cell::RefCell;
use std::rc::Rc;

use super::issues::Issue;
use super::matcher::unit_in;
use super::memo::Memo;
use super::sheet::SheetReader;
use crate::model::{Finding, IndicatorId, Source, UnitId};
use crate::text::{clean_label, quote};
use crate::units::Dimension;

/// What the units written for a figure do to it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Conversion {
    /// Multiply by this to get the schema's unit (1 when they are the same).
    Factor(f64),
    /// A unit the schema does not know, one that measures something else,
    /// or two that disagree: the figures are never taken as the form's unit.
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

/// Units any commune writes, known or not to its schema: in a row label's
/// parentheses only these (or the schema's own) are taken for a unit, as
/// labels also explain themselves there ("Lợn (cả lợn nái)").
const COMMON_UNITS: &[&str] = &[
    "ha", "m", "km", "m2", "m3", "kg", "ta", "tan", "yen", "con", "cai", "chiec", "ho", "nguoi", "khau", "lit", "dong",
    "sao", "mau", "cong", "dan", "cay", "qua", "bao", "tre", "lao dong", "hoc sinh",
];

/// Could a text in a header be a unit? Short, one or two words, no plan
/// or period word; figures only as in "m2", or a count ("1000 con").
pub(super) fn unit_like(text: &str) -> bool {
    if let Some((_, rest)) = crate::units::multiplier(text) {
        return unit_like(rest);
    }
    let f = crate::text::fold(text.trim());
    if f.is_empty() || f.chars().count() > 12 || f.split(' ').count() > 2 || NOT_UNITS.contains(&f.as_str()) {
        return false;
    }
    let digits = f.chars().filter(char::is_ascii_digit).count();
    digits == 0 || (digits == 1 && f.ends_with(['2', '3']) && f.len() <= 4)
}

/// What a unit measures, and its scale.
type Measure = (Dimension, f64);

/// Where a unit for a figure is written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Place {
    Header,
    UnitCell,
    Label,
}

/// A unit written for figures, and where.
#[derive(Debug, Clone)]
pub(super) struct Written {
    pub text: String,
    pub at: Source,
    pub place: Place,
}

/// The unit a column's header names.
#[derive(Debug, Clone)]
pub(super) enum ColumnUnit {
    /// The schema gives the column a unit: what the header's unit does to
    /// it, worked out (and said) once; `None` when the header names none.
    Declared(Option<(Conversion, Written)>),
    /// The unit is each row's: the header's unit, if it names one, is
    /// weighed against each row's.
    PerRow(Option<Written>),
}

impl SheetReader<'_> {
    /// What a unit written as text measures, and its scale: worked out
    /// once per text (the same few units are written on every report).
    pub(super) fn measure(&self, text: &str) -> Option<Rc<Measure>> {
        thread_local! {
            static MEASURES: RefCell<Memo<Box<str>, Option<Rc<Measure>>, 4_096>> = RefCell::default();
        }
        if let Some(m) = MEASURES.with(|memo| memo.borrow().get(self.schema.id, text)) {
            return m;
        }
        let m = self.schema.units.measure(text).map(Rc::new);
        MEASURES.with(|memo| memo.borrow_mut().keep(self.schema.id, text.into(), m.clone()));
        m
    }

    /// The unit a column header names: in parentheses in the header cell,
    /// or alone on a line below.
    pub(super) fn header_unit(&self, col: u32, hrow: u32, block_end: u32) -> Option<Written> {
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
                return Some(Written { text: u.to_string(), at: self.source(row, col), place: Place::Header });
            }
        }
        None
    }

    /// What a column's header unit does to a column the schema gives a unit.
    pub(super) fn column_unit(&mut self, unit: Option<UnitId>, col: u32, hrow: u32, block_end: u32) -> ColumnUnit {
        let header = self.header_unit(col, hrow, block_end);
        match unit {
            Some(unit) => ColumnUnit::Declared(header.map(|w| {
                let (conv, said) = self.conversion(&w, unit, None);
                self.out.findings.extend(said);
                (conv, w)
            })),
            None => ColumnUnit::PerRow(header),
        }
    }

    /// A header line below the labels that says a unit: a known one, "a/b",
    /// or one short word.
    fn is_unit_line(&self, t: &str) -> bool {
        let c = clean_label(t);
        if self.measure(t.trim()).is_some() || (c.contains('/') && c.len() <= 16) {
            return true;
        }
        unit_like(&c) && !c.contains(' ') && c.chars().count() <= 4
    }

    /// The units written on a row: its ĐVT cell, and a unit in parentheses
    /// after its label.
    pub(super) fn row_units(&self, row: u32, unit_col: Option<u32>, label_col: Option<u32>) -> Vec<Written> {
        let mut out = Vec::new();
        if let Some(uc) = unit_col
            && let Some(t) = self.grid.text(row, uc)
            && !t.trim().is_empty()
        {
            out.push(Written { text: quote(t), at: self.source(row, uc), place: Place::UnitCell });
        }
        if let Some(lc) = label_col
            && let Some(u) = self.grid.text(row, lc).and_then(unit_in)
            && self.label_unit(u)
        {
            out.push(Written { text: u.to_string(), at: self.source(row, lc), place: Place::Label });
        }
        out
    }

    /// Is what a label puts in parentheses a unit?
    fn label_unit(&self, text: &str) -> bool {
        if self.measure(text).is_some() {
            return true;
        }
        let bare = crate::units::multiplier(text).map_or(text, |(_, rest)| rest);
        let f = crate::text::fold(bare.trim());
        COMMON_UNITS.contains(&f.as_str()) || (f.contains('/') && unit_like(bare))
    }

    /// What every unit written for one figure does to it. A row's own unit
    /// outweighs a header's that cannot be this row's ("Số lượng (con)"
    /// over "Đàn ong", ĐVT "đàn"); units that disagree leave it out.
    pub(super) fn figure_conversion(
        &mut self,
        ind: IndicatorId,
        column: &ColumnUnit,
        row_units: &[Written],
        at: &Source,
    ) -> Conversion {
        let unit = self.schema.indicators[ind].unit;
        let units = &self.schema.units;
        let mut weighed: Vec<(Conversion, Option<Finding>, &Written)> = Vec::new();
        for w in row_units {
            // A row's unit speaks for a column with its own unit only when
            // it measures the same thing ("sào" on a crop row: its area).
            let fits = self.measure(&w.text).and_then(|m| units.factor_from(&m, unit)).is_some();
            if matches!(column, ColumnUnit::Declared(Some(_))) && !fits {
                continue;
            }
            let (conv, said) = self.conversion(w, unit, Some(ind));
            weighed.push((conv, said, w));
        }
        let own_fits = weighed.iter().any(|(c, ..)| matches!(c, Conversion::Factor(_)));
        match column {
            // Said once where the column was laid out.
            ColumnUnit::Declared(Some((conv, w))) => weighed.push((*conv, None, w)),
            ColumnUnit::PerRow(Some(w)) => {
                let (conv, said) = self.conversion(w, unit, None);
                if conv != Conversion::LeftOut || !own_fits {
                    weighed.push((conv, said, w));
                }
            }
            ColumnUnit::Declared(None) | ColumnUnit::PerRow(None) => {}
        }
        self.settle(ind, weighed, at)
    }

    /// One conversion from all that was weighed, and the findings that say it.
    fn settle(
        &mut self,
        ind: IndicatorId,
        weighed: Vec<(Conversion, Option<Finding>, &Written)>,
        at: &Source,
    ) -> Conversion {
        let left_out = weighed.iter().any(|(c, ..)| *c == Conversion::LeftOut);
        let factors: Vec<f64> = weighed
            .iter()
            .filter_map(|(c, ..)| match c {
                Conversion::Factor(f) => Some(*f),
                Conversion::LeftOut => None,
            })
            .collect();
        let agree = factors.windows(2).all(|p| ((p[0] - p[1]) / p[1]).abs() < 1e-9);
        for (conv, said, _) in &weighed {
            if *conv == Conversion::LeftOut || (agree && !left_out) {
                self.say_once(said.clone());
            }
        }
        if left_out {
            return Conversion::LeftOut;
        }
        if !agree {
            let name = &self.schema.indicators[ind].name;
            let written: Vec<String> =
                weighed.iter().map(|(_, _, w)| format!("{} ghi \"{}\"", place_word(w.place), w.text)).collect();
            let f = Issue::UnitConflict { name, written: &written.join(", ") }.finding().at(at).indicator(ind);
            self.out.findings.push(f);
            return Conversion::LeftOut;
        }
        factors.first().map_or(Conversion::Factor(1.0), |&f| Conversion::Factor(f))
    }

    /// A finding about a unit cell said once, however many figures it
    /// speaks for.
    fn say_once(&mut self, finding: Option<Finding>) {
        let Some(f) = finding else { return };
        let key = (f.cell, f.indicator, f.message.clone());
        if self.said_units.insert(key) {
            self.out.findings.push(f);
        }
    }

    /// A unit written on the sheet against the schema's `unit`: the factor
    /// when it converts (said when it is not 1), or left out, said, when the
    /// schema does not know it or it measures something else.
    pub(super) fn conversion(
        &self,
        w: &Written,
        unit: UnitId,
        indicator: Option<IndicatorId>,
    ) -> (Conversion, Option<Finding>) {
        let units = &self.schema.units;
        let to = &units.get(unit).code;
        let place = if w.place == Place::Header { "Cột" } else { "Dòng" };
        let text = &w.text;
        let (conv, issue) = match self.measure(text).map(|m| units.factor_from(&m, unit)) {
            Some(Some(f)) if (f - 1.0).abs() < 1e-12 => return (Conversion::Factor(1.0), None),
            Some(Some(f)) => (Conversion::Factor(f), Issue::UnitConverted { place, unit: text, to, factor: f }),
            Some(None) => (Conversion::LeftOut, Issue::UnitNotConvertible { place, unit: text, to }),
            None => (Conversion::LeftOut, Issue::UnitUnknown { place, unit: text, to }),
        };
        let mut f = issue.finding().at(&w.at);
        f.indicator = indicator;
        (conv, Some(f))
    }
}

fn place_word(place: Place) -> &'static str {
    match place {
        Place::Header => "cột",
        Place::UnitCell => "ô đơn vị tính",
        Place::Label => "tên dòng",
    }
}
