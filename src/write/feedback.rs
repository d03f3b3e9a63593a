//! The workbook a hamlet gets back: its form holding the figures exactly as
//! tonghop read them from its file, each cell something was found of red
//! (an error) or yellow (to check) with a note saying what; and the list of
//! what was found, with what to do.

use crate::words::say;
use std::collections::HashMap;

use rust_xlsxwriter::{Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet};

use super::Result;
use super::form::{self, FormStyles};
use super::styles::{FILL_ERROR, FILL_HEADER, FILL_WARNING, FONT, note};
use crate::feedback::HamletCase;
use crate::model::{Finding, IndicatorId, RuleRef, Severity, a1};
use crate::period::Period;
use crate::schema::Schema;
use crate::text::shown;

/// The sheet of the form, and the sheet of the list.
pub const SHEETS: [&str; 2] = ["Số đã đọc", "Cần sửa"];

pub fn build(schema: &Schema, case: &HamletCase<'_>, period: Period) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(period.year as u16, period.month as u8, 1)?;
    wb.set_properties(&DocProperties::new().set_author("tonghop").set_creation_datetime(&created));
    let st = FormStyles::new();
    form_sheet(wb.add_worksheet(), schema, case, period, &st)?;
    list_sheet(wb.add_worksheet(), schema, case, period, &st)?;
    wb.save_to_buffer()
}

/// The form, with the figures as read and the cells marked.
fn form_sheet(ws: &mut Worksheet, schema: &Schema, case: &HamletCase<'_>, period: Period, st: &FormStyles) -> Result {
    ws.set_name(SHEETS[0])?;
    let plan = form::plan(schema);
    form::write_frame(ws, schema, &plan, case.hamlet, period, st)?;
    let files: Vec<&str> = case.files.iter().map(|f| &**f).collect();
    let what = if files.is_empty() {
        say("Chưa nhận được tệp báo cáo nào của thôn tháng này.")
    } else {
        format!(
            "Số đọc được từ tệp {}. Ô tô đỏ: lỗi phải sửa; ô tô vàng: cần kiểm tra lại. Xem từng ô (ghi chú) và trang \"{}\".",
            shown(&files.join(", "), 200),
            SHEETS[1]
        )
    };
    ws.merge_range(2, 0, 2, plan.last_col, &what, &st.italic.clone().set_text_wrap())?;
    ws.set_row_height(2, 32)?;
    let said = by_indicator(case);
    for f in &plan.figures {
        let entry = case.report.and_then(|s| s.entries.get(f.ind)).and_then(|e| e.as_ref());
        let marks = said.get(&f.ind);
        let fill =
            marks.map(|m| if m.iter().any(|x| x.severity == Severity::Error) { FILL_ERROR } else { FILL_WARNING });
        let format = st.figure(schema, f.ind, fill);
        match entry.and_then(|e| e.value) {
            Some(v) => ws.write_number_with_format(f.row, f.col, v, &format)?,
            None => ws.write_blank(f.row, f.col, &format)?,
        };
        if let Some(m) = marks {
            let text: Vec<String> = m.iter().map(|x| cell_note(x)).collect();
            ws.insert_note(f.row, f.col, &note(&text.join("\n"), 300, 120))?;
        }
    }
    Ok(())
}

/// What was found of each indicator, the worst first.
fn by_indicator<'a>(case: &'a HamletCase<'_>) -> HashMap<IndicatorId, Vec<&'a Finding>> {
    let mut out: HashMap<IndicatorId, Vec<&Finding>> = HashMap::new();
    for f in case.to_fix() {
        if let Some(i) = f.indicator {
            out.entry(i).or_default().push(f);
        }
    }
    out
}

fn cell_note(f: &Finding) -> String {
    let level = if f.severity == Severity::Error { "Lỗi" } else { "Kiểm tra" };
    let at = f.cell.map(|(r, c)| format!(" (ô {} trong tệp gửi)", a1(r, c))).unwrap_or_default();
    format!("{level}{at}: {}", shown(&f.message, 1_000))
}

const HEADS: [&str; 6] = ["STT", "Mức", "Ô trong tệp gửi", "Chỉ tiêu", "Nội dung", "Cần làm"];
const WIDTHS: [f64; 6] = [5.0, 9.0, 14.0, 22.0, 60.0, 40.0];

/// Every finding of the hamlet's month, with what to do.
fn list_sheet(ws: &mut Worksheet, schema: &Schema, case: &HamletCase<'_>, period: Period, st: &FormStyles) -> Result {
    ws.set_name(SHEETS[1])?;
    let title = format!(
        "{} {}: NHỮNG ĐIỂM CẦN SỬA TRONG BÁO CÁO THÁNG {}",
        crate::words::get().hamlet.to_uppercase(),
        schema.hamlet_name(case.hamlet).to_uppercase(),
        period.display_vn()
    );
    ws.merge_range(0, 0, 0, 5, &title, &st.title)?;
    let base = Format::new().set_font_name(FONT).set_font_size(11).set_border(FormatBorder::Thin).set_text_wrap();
    let head = base.clone().set_bold().set_align(FormatAlign::Center).set_background_color(Color::RGB(FILL_HEADER));
    for (c, (h, w)) in HEADS.iter().zip(WIDTHS).enumerate() {
        ws.write_string_with_format(2, c as u16, *h, &head)?;
        ws.set_column_width(c as u16, w)?;
    }
    let top = base.clone().set_align(FormatAlign::Top);
    for (k, f) in case.findings.iter().enumerate() {
        let row = 3 + k as u32;
        let (level, fill) = match f.severity {
            Severity::Error => ("Lỗi", Some(FILL_ERROR)),
            Severity::Warning => ("Kiểm tra", Some(FILL_WARNING)),
            Severity::Info => ("Để biết", None),
        };
        let level_format = match fill {
            Some(c) => top.clone().set_background_color(Color::RGB(c)),
            None => top.clone(),
        };
        let sheet = f.sheet.as_deref().map(|s| format!("{}!", shown(s, 40))).unwrap_or_default();
        let cell = f.cell.map(|(r, c)| format!("{sheet}{}", a1(r, c))).unwrap_or_default();
        let name = f.indicator.map(|i| schema.indicators[i].name.as_str()).unwrap_or("");
        ws.write_number_with_format(row, 0, (k + 1) as f64, &top)?;
        ws.write_string_with_format(row, 1, level, &level_format)?;
        ws.write_string_with_format(row, 2, &cell, &top)?;
        ws.write_string_with_format(row, 3, name, &top)?;
        let (message, todo) = (shown(&f.message, 2_000).into_owned(), what_to_do(schema, f));
        let todo = todo.as_str();
        ws.write_string_with_format(row, 4, &message, &top)?;
        ws.write_string_with_format(row, 5, todo, &top)?;
        // Spreadsheets do not grow a row for wrapped text written by a
        // program: its height from the longest text, at its column's width.
        let lines = [(message.as_str(), WIDTHS[4]), (todo, WIDTHS[5]), (name, WIDTHS[3])]
            .iter()
            .map(|(t, w)| (t.chars().count() as f64 / (w * 1.1)).ceil().max(1.0))
            .fold(1.0, f64::max);
        ws.set_row_height(row, 15.0 * lines)?;
    }
    if case.findings.is_empty() {
        ws.merge_range(3, 0, 3, 5, "Không có điểm nào cần sửa.", &top)?;
    }
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(2, 2)?;
    Ok(())
}

/// The rule's own instruction, or what the level asks of the hamlet.
pub fn what_to_do(schema: &Schema, f: &Finding) -> String {
    if let RuleRef::Schema(r) = f.rule
        && let Some(i) = &schema.rules[r].instruction
    {
        return i.clone();
    }
    match f.severity {
        Severity::Error => "Sửa lại trong tệp báo cáo rồi gửi lại.".into(),
        Severity::Warning => say("Kiểm tra lại; nếu số đúng thì báo lại cho xã, nếu sai thì sửa rồi gửi lại."),
        Severity::Info => String::new(),
    }
}

/// The feedback folder's name for a month, beside the summary.
pub fn folder_name(period: Period) -> String {
    format!("phan-hoi-{period}")
}

/// A hamlet's feedback workbook's name.
pub fn file_name(schema: &Schema, case: &HamletCase<'_>, period: Period) -> String {
    format!("Phan hoi {} {period}.xlsx", crate::text::slug(schema.hamlet_name(case.hamlet)))
}

/// Writes the feedback folder: a workbook for each hamlet with something
/// to fix, and tin-nhan.txt. A workbook of an earlier run for a hamlet that
/// now has nothing to fix is removed, so that the folder says only what is
/// true now. Returns how many workbooks and messages were written.
pub fn write_folder(
    schema: &Schema,
    out: &crate::pipeline::Outcome,
    period: Period,
    dir: &std::path::Path,
) -> std::result::Result<(usize, usize), crate::error::Error> {
    use crate::error::Error;
    std::fs::create_dir_all(dir).map_err(|source| Error::Write { path: dir.to_path_buf(), source })?;
    let cases = crate::feedback::cases(schema, out, period);
    let mut written = Vec::new();
    for case in cases.iter().filter(|c| c.to_fix().next().is_some()) {
        let path = dir.join(file_name(schema, case, period));
        let bytes = build(schema, case, period).map_err(|source| Error::Workbook { path: path.clone(), source })?;
        super::atomic(&path, &bytes)?;
        written.push(path);
    }
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            let ours = p.extension().is_some_and(|x| x == "xlsx") && crate::guard::is_own_feedback(&p);
            if ours && !written.contains(&p) {
                let _ = std::fs::remove_file(&p);
            }
        }
    }
    let (y, m, d) = crate::calendar::add_days(crate::calendar::dating_day(), 3);
    let by = format!("{d:02}/{m:02}/{y}");
    let name_of = |c: &HamletCase<'_>| file_name(schema, c, period);
    let text = super::messages::text(schema, &cases, period, &by, &name_of);
    let messages = text.matches("\n--- ").count();
    super::atomic(&dir.join("tin-nhan.txt"), text.as_bytes())?;
    Ok((written.len(), messages))
}
