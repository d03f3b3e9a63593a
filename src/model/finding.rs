//! A finding: something worth telling the clerk, at its cell where it is
//! about a cell, with typed ids for the hamlet, month and indicator.

use std::fmt;
use std::sync::Arc;

use super::{HamletId, IndicatorId, RuleId, Source};
use crate::period::Period;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    /// The code in the JSON report and the schema.
    pub fn code(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

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

/// What gave a finding: reading itself (the catalogue in `read::issues`),
/// or a rule of the schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RuleRef {
    Reading(&'static str),
    Schema(RuleId),
}

#[derive(Debug, Clone)]
pub struct Finding {
    pub severity: Severity,
    pub rule: RuleRef,
    pub file: Option<Arc<str>>,
    pub sheet: Option<Arc<str>>,
    /// Zero-based (row, column) on `sheet`.
    pub cell: Option<(u32, u32)>,
    pub hamlet: Option<HamletId>,
    pub period: Option<Period>,
    pub indicator: Option<IndicatorId>,
    pub message: String,
    pub expected: Option<f64>,
    pub actual: Option<f64>,
}

impl Finding {
    pub fn new(severity: Severity, rule: RuleRef, message: impl Into<String>) -> Self {
        Finding {
            severity,
            rule,
            file: None,
            sheet: None,
            cell: None,
            hamlet: None,
            period: None,
            indicator: None,
            message: crate::words::say(&message.into()),
            expected: None,
            actual: None,
        }
    }

    pub fn in_file(mut self, file: &Arc<str>) -> Self {
        self.file = Some(file.clone());
        self
    }

    pub fn on_sheet(mut self, file: &Arc<str>, sheet: &Arc<str>) -> Self {
        self.file = Some(file.clone());
        self.sheet = Some(sheet.clone());
        self
    }

    pub fn at(self, source: &Source) -> Self {
        self.at_cell(&source.file, &source.sheet, source.row, source.col)
    }

    /// Places the finding at a cell of a sheet.
    pub fn at_cell(mut self, file: &Arc<str>, sheet: &Arc<str>, row: u32, col: u32) -> Self {
        self = self.on_sheet(file, sheet);
        self.cell = Some((row, col));
        self
    }

    pub fn indicator(mut self, id: IndicatorId) -> Self {
        self.indicator = Some(id);
        self
    }

    pub fn values(mut self, expected: Option<f64>, actual: Option<f64>) -> Self {
        self.expected = expected.map(crate::text::number::tidy);
        self.actual = actual.map(crate::text::number::tidy);
        self
    }
}
