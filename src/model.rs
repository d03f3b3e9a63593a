//! The plain types that flow through the pipeline: where a figure came from,
//! the figures of one submission, and the findings about them.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;

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
    let mut name = Vec::new();
    let mut c = col as u64 + 1;
    while c > 0 {
        let rem = ((c - 1) % 26) as u8;
        name.push(b'A' + rem);
        c = (c - 1) / 26;
    }
    name.reverse();
    format!("{}{}", String::from_utf8(name).unwrap_or_default(), row as u64 + 1)
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
    pub source: Source,
}

impl Entry {
    /// Half a unit of the last written place: how far the true figure may be
    /// from the written one because of rounding.
    pub fn half_step(&self) -> f64 {
        0.5 * 10f64.powi(-(self.decimals as i32))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Accepted,
    Superseded,
    Rejected,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Accepted => "đã nhận",
            Status::Superseded => "bị thay thế",
            Status::Rejected => "bị từ chối",
        }
    }
}

/// One hamlet's report for one month, as read from one sheet.
#[derive(Debug, Clone)]
pub struct Submission {
    /// The file as found under the input given (what the user sees).
    pub file: Arc<str>,
    pub path: PathBuf,
    pub sheet: Option<Arc<str>>,
    /// Index into the schema's hamlets.
    pub hamlet: Option<usize>,
    pub period: Option<Period>,
    pub status: Status,
    /// When the file was last modified, in seconds since the epoch, from the
    /// workbook's own properties where it has them, else from the file system.
    pub modified: Option<i64>,
    /// Figures by indicator index; None where the form has no such row.
    pub entries: Vec<Option<Entry>>,
}

impl Submission {
    pub fn value(&self, indicator: usize) -> Option<f64> {
        self.entries.get(indicator)?.as_ref()?.value
    }

    pub fn entry(&self, indicator: usize) -> Option<&Entry> {
        self.entries.get(indicator)?.as_ref()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "Lỗi",
            Severity::Warning => "Cảnh báo",
            Severity::Info => "Thông tin",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Something worth telling the clerk, at its cell where it is about a cell.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub severity: Severity,
    pub rule: String,
    pub file: Option<Arc<str>>,
    pub sheet: Option<Arc<str>>,
    pub cell: Option<String>,
    pub hamlet: Option<String>,
    pub period: Option<String>,
    pub indicator: Option<String>,
    pub message: String,
    pub expected: Option<f64>,
    pub actual: Option<f64>,
    /// What to do about it, from the rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instruction: Option<String>,
    /// Zero-based (row, column) of `cell`, for ordering.
    #[serde(skip)]
    pub pos: Option<(u32, u32)>,
}

impl Finding {
    pub fn new(severity: Severity, rule: impl Into<String>, message: impl Into<String>) -> Self {
        Finding {
            severity,
            rule: rule.into(),
            file: None,
            sheet: None,
            cell: None,
            hamlet: None,
            period: None,
            indicator: None,
            message: message.into(),
            expected: None,
            actual: None,
            instruction: None,
            pos: None,
        }
    }

    pub fn in_file(mut self, file: &Arc<str>) -> Self {
        self.file = Some(file.clone());
        self
    }

    pub fn at(mut self, source: &Source) -> Self {
        self.file = Some(source.file.clone());
        self.sheet = Some(source.sheet.clone());
        self.cell = Some(source.cell());
        self.pos = Some((source.row, source.col));
        self
    }

    /// Places the finding at a cell of a sheet.
    pub fn at_cell(mut self, file: &Arc<str>, sheet: &Arc<str>, row: u32, col: u32) -> Self {
        self.file = Some(file.clone());
        self.sheet = Some(sheet.clone());
        self.cell = Some(a1(row, col));
        self.pos = Some((row, col));
        self
    }

    pub fn on_sheet(mut self, file: &Arc<str>, sheet: &Arc<str>) -> Self {
        self.file = Some(file.clone());
        self.sheet = Some(sheet.clone());
        self
    }

    pub fn indicator(mut self, code: &str) -> Self {
        self.indicator = Some(code.to_string());
        self
    }

    pub fn values(mut self, expected: Option<f64>, actual: Option<f64>) -> Self {
        self.expected = expected.map(crate::number::tidy);
        self.actual = actual.map(crate::number::tidy);
        self
    }

    pub fn instruction(mut self, text: Option<&str>) -> Self {
        self.instruction = text.map(str::to_string);
        self
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
