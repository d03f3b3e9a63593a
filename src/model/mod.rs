//! The plain types that flow through the pipeline: where a figure came from,
//! the figures of one submission, and the findings about them. They hold
//! typed ids, never display strings: names, codes and cell addresses are
//! written out at the edges (`report`, `write`).

mod finding;
mod ids;

use std::path::PathBuf;
use std::sync::Arc;

pub use finding::{Finding, RuleRef, Severity};
pub use ids::{HamletId, Id, IdVec, IndicatorId, RuleId, SectionId, TableId, UnitId};

use crate::period::Period;

/// Where a figure was read: file, sheet and cell. Cheap to clone, so that
/// every figure, finding and total can carry its own.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Source {
    pub file: Arc<str>,
    pub sheet: Arc<str>,
    /// Zero-based row and column.
    pub row: u32,
    pub col: u32,
}

impl Source {
    /// The cell in A1 style, as Excel and LibreOffice show it.
    pub fn cell(&self) -> String {
        a1(self.row, self.col)
    }
}

/// A1-style name of a zero-based (row, column).
pub fn a1(row: u32, col: u32) -> String {
    format!("{}{}", column_name(col), row as u64 + 1)
}

/// "A", "Z", "AA", … for a zero-based column.
pub fn column_name(col: u32) -> String {
    let mut name = Vec::new();
    let mut c = col as u64 + 1;
    while c > 0 {
        let rem = ((c - 1) % 26) as u8;
        name.push(b'A' + rem);
        c = (c - 1) / 26;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// One figure of a submission: its value (None when the cell is empty or
/// unreadable), how precisely it was written, and its cell.
#[derive(Debug, Clone)]
pub struct Entry {
    pub value: Option<f64>,
    /// Decimal places as written; the figure stands for any number within
    /// half a unit of its last place.
    pub decimals: u8,
    /// The cell held something that is not a usable number; a finding has
    /// been given, and rules skip it rather than report it again.
    pub unreadable: bool,
    /// Blank, but it cannot be zero (a total written and its parts blank):
    /// a figure missing, said, and its totals marked. Rules see it blank.
    pub missing: bool,
    pub source: Source,
}

impl Entry {
    /// Half a unit of the last written place: how far the true figure may be
    /// from the written one because of rounding.
    pub fn half_step(&self) -> f64 {
        0.5 * 10f64.powi(-(self.decimals as i32))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Accepted,
    Superseded,
    Rejected,
}

impl Status {
    /// The code in the JSON report (CONTRACT.md).
    pub fn code(self) -> &'static str {
        match self {
            Status::Accepted => "accepted",
            Status::Superseded => "superseded",
            Status::Rejected => "rejected",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Accepted => "đã nhận",
            Status::Superseded => "bị thay thế",
            Status::Rejected => "bị từ chối",
        }
    }
}

/// The figures of one submission, by form indicator.
pub type Entries = IdVec<IndicatorId, Option<Entry>>;

/// One hamlet's report for one month, as read from one sheet.
#[derive(Debug, Clone)]
pub struct Submission {
    /// The file as found under the input given (what the user sees).
    pub file: Arc<str>,
    pub path: PathBuf,
    pub sheet: Option<Arc<str>>,
    pub hamlet: Option<HamletId>,
    pub period: Option<Period>,
    pub status: Status,
    /// When the file was last modified, in seconds since the epoch, from the
    /// workbook's own properties where it has them, else from the file system.
    pub modified: Option<i64>,
    /// Figures by form indicator; None where the form has no such row.
    pub entries: Entries,
}

impl Submission {
    pub fn value(&self, indicator: IndicatorId) -> Option<f64> {
        self.entry(indicator)?.value
    }

    pub fn entry(&self, indicator: IndicatorId) -> Option<&Entry> {
        self.entries.get(indicator)?.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::a1;

    #[test]
    fn a1_names() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(7, 4), "E8");
        assert_eq!(a1(0, 25), "Z1");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(9, 701), "ZZ10");
        assert_eq!(a1(0, 702), "AAA1");
    }
}
