//! Tình hình nộp: one row per hamlet and month of the year, the report's
//! month first: the file, when it was saved, its status, its counts of
//! errors and warnings; "Chưa nộp" where there is none.

use crate::words::say;
use std::collections::HashMap;

use rust_xlsxwriter::{Color, Worksheet};

use super::Result;
use super::styles::{Fig, Mark, RED, Styles, merge, print_area, print_setup, sheet_title};
use super::workbook::Input;
use crate::model::{Severity, Status, Submission};
use crate::period::Period;
use crate::text::shown;

pub const NAME: &str = "Tình hình nộp";

const HEADS: [&str; 9] =
    ["Thôn", "Tháng", "Đã nộp", "Tệp", "Trang tính", "Lưu lúc (giờ Việt Nam)", "Trạng thái", "Số lỗi", "Số cảnh báo"];
const WIDTHS: [f64; 9] = [14.0, 9.0, 12.0, 32.0, 13.0, 24.0, 13.0, 8.0, 11.0];

/// What "Lưu lúc" stands on, said under the table.
const SAVED: &str = "Lưu lúc: \"tệp ghi\" là giờ lưu mà chính tệp ghi lại (thuộc tính của tệp Excel, LibreOffice); \"giờ máy\" là giờ tệp được sửa lần cuối trên máy này, dùng khi tệp không ghi giờ lưu (như nhiều tệp .xls, .ods): giờ này đổi khi tệp được chép hay tải về, nên không chắc là giờ thôn lưu báo cáo.";

pub fn sheet(ws: &mut Worksheet, input: &Input<'_>, st: &Styles) -> Result {
    ws.set_name(NAME)?;
    let schema = input.schema;
    let subs = &input.outcome.submissions;
    let p = input.totals.period;
    let last = HEADS.len() as u16 - 1;
    let head = sheet_title(
        ws,
        st,
        &say(&format!("TÌNH HÌNH NỘP BÁO CÁO CỦA CÁC THÔN THÁNG {} NĂM {}", p.month, p.year)),
        &format!(
            "({}/{} {} đã nộp báo cáo tháng {}; dưới đó là các tháng trước của năm)",
            input.outcome.counts.hamlets_reported,
            input.outcome.counts.hamlets,
            crate::words::get().hamlet,
            p.display_vn()
        ),
        last,
    )?;
    // The hamlet's column as wide as the longest name (a merged commune's
    // "Tổ dân phố Đông Hưng 12"), within what keeps the sheet on the page
    // width at 5/6 of its size or more.
    let longest = schema.hamlets.iter().map(|h| h.name.chars().count()).max().unwrap_or(0);
    let name_width = (longest as f64 * 1.2 + 2.0).clamp(WIDTHS[0], 30.0);
    for (c, (h, w)) in HEADS.iter().map(|h| say(h)).zip(WIDTHS).enumerate() {
        ws.write_string_with_format(head, c as u16, h, &st.header)?;
        ws.set_column_width(c as u16, if c == 0 { name_width } else { w })?;
    }
    ws.set_row_height(head, 32)?;
    let mut row = head + 1;
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
    ws.set_freeze_panes(head + 1, 0)?;
    ws.autofilter(head, 0, row.saturating_sub(1).max(head + 1), last)?;
    merge(ws, row + 1, 0, last, &say(SAVED), &st.note)?;
    ws.set_row_height(row + 1, 50)?;
    print_setup(ws, head, head)?;
    print_area(ws, row + 1, 0, last)
}

/// "03/07/2024 16:30 (tệp ghi)": when a file was saved, in Vietnam's time
/// (UTC+7), and whether the file says so itself or only the file system
/// does. The model keeps one time, the file's own record where it has one
/// (`read::saved_time`), else the file system's: the same as the file
/// system's now, it is that one.
fn saved_at(s: &Submission) -> String {
    let Some(t) = s.modified else { return String::new() };
    let file_time = std::fs::metadata(&s.path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|m| m.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_secs() as i64);
    let from = if file_time == Some(t) { "giờ máy" } else { "tệp ghi" };
    format!("{} ({from})", crate::calendar::format_vn(t + 7 * 3600))
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
    ws.write_string_with_format(row, 5, saved_at(s), &st.center)?;
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
