//! The summary workbook for the commune leadership (CONTRACT.md): four
//! sheets, one module each, formatted to read and to print as an
//! administrative report, and the same bytes for the same inputs.

use std::path::Path;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};

use super::styles::{Letterhead, Styles};
use super::{Result, detail, findings, status, summary};
use crate::pipeline::Outcome;
use crate::schema::Schema;
use crate::total::Totals;

/// Everything the workbook is made from.
pub struct Input<'a> {
    pub schema: &'a Schema,
    pub outcome: &'a Outcome,
    pub totals: &'a Totals,
    /// Where the workbook will be, for links back to the hamlets' files.
    pub out_dir: &'a Path,
    /// The date of the place and date line (year, month, day); None leaves
    /// it to be written by hand.
    pub dated: Option<(i64, i64, i64)>,
}

impl Input<'_> {
    pub fn letterhead(&self) -> Letterhead<'_> {
        Letterhead {
            commune: &self.schema.commune,
            period: self.totals.period,
            reported: self.outcome.counts.hamlets_reported,
            hamlets: self.outcome.counts.hamlets,
            dated: self.dated,
        }
    }
}

/// The sheets of the summary, in order (CONTRACT.md).
pub const SHEETS: [&str; 4] = [summary::NAME, detail::NAME, findings::NAME, status::NAME];

/// Are these the sheets of a summary tonghop wrote, in any unit's words?
pub fn is_summary(names: &[&str]) -> bool {
    names == SHEETS || names.iter().zip(SHEETS).all(|(n, s)| *n == crate::words::say(s)) && names.len() == SHEETS.len()
}

pub fn build(input: &Input<'_>) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let p = input.totals.period;
    // Fixed properties: the same inputs give the same bytes.
    let created = ExcelDateTime::from_ymd(p.year as u16, p.month as u8, 1)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("{} tháng {}", input.schema.commune.report_title, p.display_vn()))
            .set_author("tonghop")
            .set_company(&input.schema.commune.name)
            .set_creation_datetime(&created),
    );
    let st = Styles::new();
    summary::sheet(wb.add_worksheet(), input, &st)?;
    detail::sheet(wb.add_worksheet(), input, &st)?;
    findings::sheet(wb.add_worksheet(), input, &st)?;
    status::sheet(wb.add_worksheet(), input, &st)?;
    wb.save_to_buffer()
}
