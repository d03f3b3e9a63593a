//! Tình hình nộp: one row per hamlet and month of the year, the report's
//! month first: the file, when it was saved, its status, its counts of
//! errors and warnings; "Chưa nộp" where there is none.

use std::collections::HashMap;

use rust_xlsxwriter::{Color, Worksheet};

use super::Result;
use super::styles::{Fig, Mark, RED, Styles, print_setup};
use super::workbook::Input;
use crate::model::{Severity, Status, Submission};
use crate::period::Period;
use crate::text::shown;

pub const NAME: &str = "Tình hình nộp";

const HEADS: [&str; 9] =
    ["Thôn", "Tháng", "Đã nộp", "Tệp", "Trang tính", "Lưu lúc", "Trạng thái", "Số lỗi", "Số cảnh báo"];
const WIDTHS: [f64; 9] = [14.0, 9.0, 12.0, 34.0, 14.0, 17.0, 13.0, 8.0, 11.0];

pub fn sheet(ws: &mut Worksheet, input: &Input<'_>, st: &Styles) -> Result {
    ws.set_name(NAME)?;
    let schema = input.schema;
    let subs = &input.outcome.submissions;
    for (c, (h, w)) in HEADS.iter().zip(WIDTHS).enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &st.header)?;
        ws.set_column_width(c as u16, w)?;
    }
    let mut row = 1;
    let counts = Counts::new(&input.outcome.findings);
    let missing = st.center.clone().set_font_color(Color::RGB(RED)).set_bold();
    for m in &months(subs, input.totals.period) {
        for (h, hamlet) in schema.hamlets.enumerate() {
            let mine: Vec<&Submission> = subs.iter().filter(|s| s.hamlet == Some(h) && s.period == Some(*m)).collect();
            if mine.is_empty() {
                ws.write_string_with_format(row, 0, &hamlet.name, &st.text)?;
                ws.write_string_with_format(row, 1, m.display_vn(), &st.center)?;
                ws.write_string_with_format(row, 2, "Chưa nộp", &missing)?;
                for c in 3..HEADS.len() as u16 {
                    ws.write_blank(row, c, &st.text)?;
                }
                row += 1;
                continue;
            }
            for s in mine {
                submission_row(ws, st, row, Some(&hamlet.name), s, &counts)?;
                row += 1;
            }
        }
    }
    // Files that are no hamlet's report.
    for s in subs.iter().filter(|s| s.hamlet.is_none() || s.period.is_none()) {
        submission_row(ws, st, row, None, s, &counts)?;
        row += 1;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, row.saturating_sub(1).max(1), HEADS.len() as u16 - 1)?;
    print_setup(ws, 0, 0)
}

/// The report's month first, then the earlier months of the year.
fn months(subs: &[Submission], p: Period) -> Vec<Period> {
    let mut months: Vec<Period> =
        subs.iter().filter_map(|s| s.period).filter(|x| x.year == p.year && *x <= p).collect();
    months.push(p);
    months.sort_unstable_by(|a, b| b.cmp(a));
    months.dedup();
    months
}

/// Findings counted by file, sheet and severity once, not per row.
pub(super) struct Counts<'a> {
    by: HashMap<(&'a str, Option<&'a str>, Severity), usize>,
}

impl<'a> Counts<'a> {
    pub fn new(findings: &'a [crate::model::Finding]) -> Self {
        let mut by = HashMap::new();
        for f in findings {
            if let Some(file) = f.file.as_deref() {
                *by.entry((file, f.sheet.as_deref(), f.severity)).or_default() += 1;
            }
        }
        Counts { by }
    }

    /// A submission's findings: those of its sheet, and those of its file
    /// as a whole.
    fn of(&self, s: &Submission, sev: Severity) -> usize {
        let get = |sheet: Option<&str>| self.by.get(&(&*s.file, sheet, sev)).copied().unwrap_or(0);
        get(s.sheet.as_deref()) + if s.sheet.is_some() { get(None) } else { 0 }
    }
}

fn submission_row(
    ws: &mut Worksheet,
    st: &Styles,
    row: u32,
    hamlet: Option<&str>,
    s: &Submission,
    counts: &Counts<'_>,
) -> Result {
    let count = |sev: Severity| counts.of(s, sev) as f64;
    let submitted = if s.status == Status::Rejected { "Không nhận" } else { "Đã nộp" };
    ws.write_string_with_format(row, 0, hamlet.unwrap_or("—"), &st.text)?;
    ws.write_string_with_format(row, 1, s.period.map(|p| p.display_vn()).unwrap_or_default(), &st.center)?;
    ws.write_string_with_format(row, 2, submitted, &st.center)?;
    ws.write_string_with_format(row, 3, shown(&s.file, 255), &st.text)?;
    ws.write_string_with_format(row, 4, shown(s.sheet.as_deref().unwrap_or(""), 255), &st.text)?;
    ws.write_string_with_format(row, 5, s.modified.map(crate::calendar::format_vn).unwrap_or_default(), &st.center)?;
    let status_fmt = match s.status {
        Status::Accepted => st.center.clone(),
        Status::Superseded => st.center.clone().set_italic(),
        Status::Rejected => st.center.clone().set_bold().set_font_color(Color::RGB(RED)),
    };
    ws.write_string_with_format(row, 6, s.status.label(), &status_fmt)?;
    let count_fmt = st.figure(Fig::Count, Mark::Plain);
    ws.write_number_with_format(row, 7, count(Severity::Error), &count_fmt)?;
    ws.write_number_with_format(row, 8, count(Severity::Warning), &count_fmt)?;
    Ok(())
}
