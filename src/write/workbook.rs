//! The summary workbook for the commune leadership (CONTRACT.md): four
//! sheets, formatted to read and to print as an administrative report, and
//! the same bytes for the same inputs.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use rust_xlsxwriter::{
    Chart, ChartType, Color, ConditionalFormatCell, ConditionalFormatCellRule, DocProperties, ExcelDateTime, Format,
    FormatAlign, FormatBorder, FormatUnderline, Formula, Note, Url, Workbook, Worksheet, XlsxError,
};

use crate::model::{Finding, Severity, Source, Status, Submission, a1};
use crate::period::Period;
use crate::report::Report;
use crate::schema::{Aggregation, Goal, Kind, Origin, Schema};
use crate::text::vn_number;
use crate::total::{HamletFigure, Total, Totals};

pub const SHEET_SUMMARY: &str = "Tổng hợp";
pub const SHEET_DETAIL: &str = "Chi tiết thôn";
pub const SHEET_FINDINGS: &str = "Kiểm tra";
pub const SHEET_STATUS: &str = "Tình hình nộp";

/// The administrative standard.
const FONT: &str = "Times New Roman";
/// Number formats carry the Vietnamese locale, so that LibreOffice shows
/// 1.234,5 whatever the machine's locale (Excel follows the system's).
const VN: &str = "[$-42A]";

/// Findings listed in the Kiểm tra sheet at most.
const MAX_FINDING_ROWS: usize = 100_000;

const FILL_ERROR: u32 = 0xF8CBAD;
const FILL_WARNING: u32 = 0xFFF2CC;
const FILL_STALE: u32 = 0xE7E6E6;
const FILL_HEADER: u32 = 0xDDEBF7;
const FILL_SECTION: u32 = 0xF2F2F2;

/// How a figure is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Fig {
    Count,
    Number,
    Percent,
}

impl Fig {
    fn of(schema: &Schema, ind: usize) -> Fig {
        if schema.unit_code(ind) == "%" {
            Fig::Percent
        } else if schema.indicators[ind].kind == Kind::Count {
            Fig::Count
        } else {
            Fig::Number
        }
    }

    fn num_format(self) -> String {
        match self {
            Fig::Count => format!("{VN}#,##0"),
            Fig::Number => format!("{VN}#,##0.0"),
            Fig::Percent => format!("{VN}0.0"),
        }
    }
}

/// What a figure's cell says beyond its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Mark {
    Plain,
    Total,
    Error,
    Warning,
    /// A stock carried from an earlier month.
    Stale,
}

struct Styles {
    base: Format,
    text: Format,
    wrap: Format,
    header: Format,
    section: Format,
    title: Format,
    subtitle: Format,
    bold_center: Format,
    motto: Format,
    date_line: Format,
    right: Format,
    center: Format,
    link: Format,
    note: Format,
}

impl Styles {
    fn new() -> Styles {
        let base = Format::new().set_font_name(FONT).set_font_size(12);
        let cell = base.clone().set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter);
        Styles {
            text: cell.clone(),
            wrap: cell.clone().set_text_wrap().set_align(FormatAlign::Top),
            header: cell
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_background_color(Color::RGB(FILL_HEADER)),
            section: cell.clone().set_bold().set_background_color(Color::RGB(FILL_SECTION)),
            title: base.clone().set_bold().set_font_size(14).set_align(FormatAlign::Center).set_text_wrap(),
            subtitle: base.clone().set_italic().set_align(FormatAlign::Center),
            bold_center: base.clone().set_bold().set_align(FormatAlign::Center),
            motto: base.clone().set_bold().set_align(FormatAlign::Center).set_underline(FormatUnderline::Single),
            date_line: base.clone().set_italic().set_align(FormatAlign::Center),
            right: cell.clone().set_align(FormatAlign::Right),
            center: cell.clone().set_align(FormatAlign::Center),
            link: cell.clone().set_font_color(Color::RGB(0x0563C1)).set_underline(FormatUnderline::Single),
            note: base.clone().set_italic().set_font_size(11),
            base,
        }
    }

    fn figure(&self, fig: Fig, mark: Mark) -> Format {
        let f = self.text.clone().set_num_format(fig.num_format()).set_align(FormatAlign::Right);
        match mark {
            Mark::Plain => f,
            Mark::Total => f.set_bold(),
            Mark::Error => f.set_background_color(Color::RGB(FILL_ERROR)),
            Mark::Warning => f.set_background_color(Color::RGB(FILL_WARNING)),
            Mark::Stale => f.set_italic().set_background_color(Color::RGB(FILL_STALE)),
        }
    }
}

fn err(e: XlsxError) -> String {
    e.to_string()
}

/// Everything the workbook is made from.
pub struct Input<'a> {
    pub schema: &'a Schema,
    pub report: &'a Report,
    pub totals: &'a Totals,
    pub submissions: &'a [Submission],
    /// Where the workbook will be, for links back to the hamlets' files.
    pub out_dir: &'a Path,
}

pub fn build(input: &Input<'_>) -> Result<Vec<u8>, String> {
    let mut wb = Workbook::new();
    let p = input.totals.period;
    // Fixed properties: the same inputs give the same bytes.
    let created = ExcelDateTime::from_ymd(p.year as u16, p.month as u8, 1).map_err(err)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("{} tháng {}", input.schema.commune.report_title, p.display_vn()))
            .set_author("tonghop")
            .set_company(&input.schema.commune.name)
            .set_creation_datetime(&created),
    );
    let st = Styles::new();
    let notes = CellNotes::new(&input.report.findings);
    summary_sheet(wb.add_worksheet(), input, &st)?;
    detail_sheet(wb.add_worksheet(), input, &st, &notes)?;
    findings_sheet(wb.add_worksheet(), input, &st)?;
    status_sheet(wb.add_worksheet(), input, &st)?;
    wb.save_to_buffer().map_err(err)
}

/// A4 landscape, fitted to the page width, header rows repeated, page numbers.
fn print_setup(ws: &mut Worksheet, repeat_from: u32, repeat_to: u32) -> Result<(), String> {
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(repeat_from, repeat_to).map_err(err)?;
    ws.set_footer(format!("&C&\"{FONT},Regular\"&10Trang &P/&N"));
    ws.set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3);
    ws.set_print_center_horizontally(true);
    Ok(())
}

fn roman(n: usize) -> &'static str {
    ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"].get(n).copied().unwrap_or("X")
}

/// Indicator indices by section, in schema order.
fn by_section(schema: &Schema) -> Vec<(usize, Vec<usize>)> {
    let mut out: Vec<(usize, Vec<usize>)> = schema.sections.iter().enumerate().map(|(i, _)| (i, Vec::new())).collect();
    for (i, ind) in schema.indicators.iter().enumerate() {
        if let Some(s) = out.iter_mut().find(|s| s.0 == ind.section) {
            s.1.push(i);
        }
    }
    out.retain(|s| !s.1.is_empty());
    out
}

fn goal_text(goal: &Goal) -> String {
    match goal {
        Goal::Plan { value } => vn_number(*value, 2),
        Goal::Range { min, max } => format!("{} – {}", vn_number(*min, 2), vn_number(*max, 2)),
        Goal::AtLeast { value } => format!("≥ {}", vn_number(*value, 2)),
        Goal::AtMost { value } => format!("≤ {}", vn_number(*value, 2)),
    }
}

fn write_opt(ws: &mut Worksheet, row: u32, col: u16, v: Option<f64>, f: &Format) -> Result<(), String> {
    match v {
        Some(v) => ws.write_number_with_format(row, col, v, f).map(|_| ()).map_err(err),
        None => ws.write_blank(row, col, f).map(|_| ()).map_err(err),
    }
}

/// Text across columns c0..=c1 of a row: merged, or one cell when the span is one.
fn merge(ws: &mut Worksheet, r: u32, c0: u16, c1: u16, t: &str, f: &Format) -> Result<(), String> {
    if c1 > c0 {
        ws.merge_range(r, c0, r, c1, t, f).map(|_| ()).map_err(err)
    } else {
        ws.write_string_with_format(r, c0, t, f).map(|_| ()).map_err(err)
    }
}

/// A cell note, within what a spreadsheet holds.
fn note(text: &str, width: u32, height: u32) -> Note {
    let text = match text.char_indices().nth(30_000) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    };
    Note::new(text).set_author("tonghop").set_width(width).set_height(height)
}

/// The header block of a Vietnamese administrative report; returns the
/// first row free under it.
fn letterhead(ws: &mut Worksheet, input: &Input<'_>, st: &Styles, last_col: u16) -> Result<u32, String> {
    let left_end = 2.min(last_col);
    let right_start = (left_end + 1).max(last_col.saturating_sub(6));
    let m = merge;
    m(ws, 0, 0, left_end, &input.schema.commune.name.to_uppercase(), &st.bold_center)?;
    m(ws, 0, right_start, last_col, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", &st.bold_center)?;
    m(ws, 1, right_start, last_col, "Độc lập - Tự do - Hạnh phúc", &st.motto)?;
    m(ws, 2, right_start, last_col, "………, ngày …… tháng …… năm ……", &st.date_line)?;
    let p = input.totals.period;
    let title = format!("{} THÁNG {} NĂM {}", input.schema.commune.report_title.to_uppercase(), p.month, p.year);
    m(ws, 4, 0, last_col, &title, &st.title)?;
    ws.set_row_height(4, 22).map_err(err)?;
    let s = &input.report.summary;
    let sub = format!(
        "(Số liệu tính đến hết tháng {}; {}/{} thôn đã nộp báo cáo tháng)",
        p.display_vn(),
        s.hamlets_reported,
        s.hamlets
    );
    m(ws, 5, 0, last_col, &sub, &st.subtitle)?;
    Ok(7)
}

/// Worth a row in the leadership's summary: a figure or a target.
fn shown(t: &Total) -> bool {
    t.value.is_some() || t.month_value.is_some() || t.target.is_some()
}

fn summary_sheet(ws: &mut Worksheet, input: &Input<'_>, st: &Styles) -> Result<(), String> {
    ws.set_name(SHEET_SUMMARY).map_err(err)?;
    let schema = input.schema;
    let p = input.totals.period;
    let heads = [
        "STT".to_string(),
        "Chỉ tiêu".into(),
        "ĐVT".into(),
        format!("Tháng {}", p.display_vn()),
        format!("Lũy kế / hiện có đến {}", p.display_vn()),
        format!("Chỉ tiêu Nghị quyết năm {}", p.year),
        "% kế hoạch".into(),
        "Đánh giá".into(),
        "Ước cả năm (theo tiến độ)".into(),
        format!("Cùng kỳ năm {}", p.year - 1),
        "So cùng kỳ (%)".into(),
        "Ghi chú".into(),
    ];
    let last_col = heads.len() as u16 - 1;
    let head_row = letterhead(ws, input, st, last_col)?;
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(head_row, c as u16, h, &st.header).map_err(err)?;
    }
    ws.set_row_height(head_row, 50).map_err(err)?;
    let goals = schema.targets_for(p.year);
    let mut row = head_row + 1;
    // The chart's figures: plan targets only, where "% kế hoạch" means what it says.
    let mut chart: Vec<(String, f64)> = Vec::new();
    for (si, (section, inds)) in by_section(schema).into_iter().enumerate() {
        let inds: Vec<usize> = inds.into_iter().filter(|&i| shown(&input.totals.rows[i])).collect();
        if inds.is_empty() {
            continue;
        }
        ws.write_string_with_format(row, 0, roman(si), &st.section).map_err(err)?;
        ws.merge_range(row, 1, row, last_col, &schema.sections[section].title.to_uppercase(), &st.section)
            .map_err(err)?;
        row += 1;
        for (n, i) in inds.into_iter().enumerate() {
            let t = &input.totals.rows[i];
            let ind = &schema.indicators[i];
            let fig = Fig::of(schema, i);
            let flagged = t.has_errors || (!t.missing_hamlets.is_empty() && t.value.is_some());
            ws.write_number_with_format(row, 0, (n + 1) as f64, &st.center).map_err(err)?;
            ws.write_string_with_format(row, 1, &ind.name, &st.text).map_err(err)?;
            ws.write_string_with_format(row, 2, schema.unit_code(i), &st.center).map_err(err)?;
            write_opt(ws, row, 3, t.month_value, &st.figure(fig, Mark::Plain))?;
            let ytd = if t.has_errors {
                Mark::Error
            } else if flagged {
                Mark::Warning
            } else {
                Mark::Total
            };
            write_opt(ws, row, 4, t.value, &st.figure(fig, ytd).set_bold())?;
            match goals.and_then(|g| g.goals.get(&i)) {
                Some(Goal::Plan { value }) => {
                    ws.write_number_with_format(row, 5, *value, &st.figure(fig, Mark::Plain)).map_err(err)?;
                }
                Some(g) => {
                    ws.write_string_with_format(row, 5, goal_text(g), &st.right).map_err(err)?;
                }
                None => {
                    ws.write_blank(row, 5, &st.text).map_err(err)?;
                }
            }
            write_opt(ws, row, 6, t.percent_of_target, &st.figure(Fig::Percent, Mark::Plain))?;
            if let (Some(pct), Some("plan")) = (t.percent_of_target, t.target_kind) {
                chart.push((ind.name.clone(), pct));
            }
            let verdict = match t.reached {
                Some(true) => "Đạt",
                Some(false) => "Chưa đạt",
                None if t.target.is_some() => "Chưa có số liệu",
                None => "",
            };
            ws.write_string_with_format(row, 7, verdict, &st.center).map_err(err)?;
            write_opt(ws, row, 8, t.projection, &st.figure(fig, Mark::Plain))?;
            write_opt(ws, row, 9, t.last_year, &st.figure(fig, Mark::Plain))?;
            write_opt(ws, row, 10, t.change_from_last_year, &st.figure(Fig::Percent, Mark::Plain))?;
            let remark = remark(t, ind.aggregation);
            ws.write_string_with_format(row, 11, &remark, &st.wrap).map_err(err)?;
            if flagged {
                ws.insert_note(row, 4, &note(&remark_note(t), 380, 130)).map_err(err)?;
                let lines = remark.chars().count().div_ceil(34).max(1);
                ws.set_row_height(row, 16.0 * lines as f64).map_err(err)?;
            }
            row += 1;
        }
    }
    let last_row = row - 1;
    // Reached in green, not reached in red.
    let green = Format::new().set_font_color(Color::RGB(0x006100)).set_background_color(Color::RGB(0xC6EFCE));
    let red = Format::new().set_font_color(Color::RGB(0x9C0006)).set_background_color(Color::RGB(0xFFC7CE));
    for (text, f) in [("\"Đạt\"", green), ("\"Chưa đạt\"", red)] {
        if last_row <= head_row {
            break;
        }
        let rule = ConditionalFormatCell::new().set_rule(ConditionalFormatCellRule::EqualTo(text)).set_format(f);
        ws.add_conditional_format(head_row + 1, 7, last_row, 7, &rule).map_err(err)?;
    }
    for (c, w) in [5.0, 40.0, 7.0, 11.0, 12.0, 12.0, 9.0, 13.0, 11.0, 11.0, 9.0, 30.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w).map_err(err)?;
    }
    ws.set_freeze_panes(head_row + 1, 2).map_err(err)?;
    ws.autofilter(head_row, 0, last_row, last_col).map_err(err)?;
    print_setup(ws, head_row, head_row)?;

    let legend = last_row + 1;
    ws.merge_range(
        legend,
        0,
        legend,
        last_col,
        "Ô lũy kế tô màu: tổng gồm số liệu có lỗi (đỏ) hoặc thiếu báo cáo tháng của thôn (vàng); rê chuột vào ô để xem ghi chú. Chi tiết ở các trang Chi tiết thôn và Kiểm tra.",
        &st.note,
    )
    .map_err(err)?;
    // Signatures.
    let sign = legend + 2;
    ws.merge_range(sign, 0, sign, 2, "NGƯỜI LẬP BIỂU", &st.bold_center).map_err(err)?;
    ws.merge_range(sign, 7, sign, last_col, "TM. ỦY BAN NHÂN DÂN", &st.bold_center).map_err(err)?;
    ws.merge_range(sign + 1, 7, sign + 1, last_col, "CHỦ TỊCH", &st.bold_center).map_err(err)?;
    ws.write_blank(sign + 5, 0, &st.base).map_err(err)?;

    // A chart of % of target, from figures in hidden columns beside the table.
    if !chart.is_empty() {
        let (name_col, pct_col) = (last_col + 2, last_col + 3);
        ws.write_string_with_format(head_row, name_col, "Chỉ tiêu", &st.base).map_err(err)?;
        ws.write_string_with_format(head_row, pct_col, "% kế hoạch", &st.base).map_err(err)?;
        for (k, (name, pct)) in chart.iter().enumerate() {
            let r = head_row + 1 + k as u32;
            ws.write_string_with_format(r, name_col, name, &st.base).map_err(err)?;
            ws.write_number_with_format(r, pct_col, *pct, &st.base).map_err(err)?;
        }
        ws.set_column_hidden(name_col).map_err(err)?;
        ws.set_column_hidden(pct_col).map_err(err)?;
        let (first, last) = (head_row + 1, head_row + chart.len() as u32);
        let mut c = Chart::new(ChartType::Bar);
        c.add_series()
            .set_name("% kế hoạch")
            .set_categories((SHEET_SUMMARY, first, name_col, last, name_col))
            .set_values((SHEET_SUMMARY, first, pct_col, last, pct_col))
            .set_format(
                rust_xlsxwriter::ChartFormat::new()
                    .set_solid_fill(rust_xlsxwriter::ChartSolidFill::new().set_color(0x4472C4)),
            );
        let font = |size: f64, bold: bool| {
            let mut f = rust_xlsxwriter::ChartFont::new();
            f.set_name(FONT).set_size(size);
            if bold {
                f.set_bold();
            }
            f
        };
        c.title()
            .set_name(&format!("Tỷ lệ thực hiện so với kế hoạch năm {} (%), đến tháng {}", p.year, p.display_vn()))
            .set_font(&font(13.0, true));
        c.x_axis().set_font(&font(10.0, false));
        c.y_axis().set_font(&font(10.0, false));
        c.legend().set_hidden();
        c.y_axis().set_reverse();
        c.show_hidden_data();
        c.set_width(980).set_height(24 * chart.len() as u32 + 120);
        ws.insert_chart(sign + 6, 0, &c).map_err(err)?;
    }
    Ok(())
}

fn remark(t: &Total, agg: Aggregation) -> String {
    let mut parts = Vec::new();
    if t.has_errors {
        parts.push("Gồm số liệu có lỗi (xem Kiểm tra)".to_string());
    }
    if !t.missing_hamlets.is_empty() && t.value.is_some() {
        let how = match agg {
            Aggregation::Stock => "dùng số tháng trước của",
            Aggregation::Flow => "chưa có số tháng này của",
        };
        parts.push(format!("{how}: {}", t.missing_hamlets.join(", ")));
    }
    parts.join("; ")
}

fn remark_note(t: &Total) -> String {
    let mut s = String::new();
    if t.has_errors {
        s.push_str("Tổng này cộng cả số liệu có lỗi; xem trang Kiểm tra và Chi tiết thôn.\n");
    }
    if !t.missing_hamlets.is_empty() {
        s.push_str(&format!("Chưa có báo cáo tháng của: {}.", t.missing_hamlets.join(", ")));
    }
    s
}

/// Findings by the cell they are about, for highlights and notes.
struct CellNotes<'a> {
    by_cell: HashMap<String, Vec<&'a Finding>>,
}

fn cell_key(file: &str, sheet: &str, cell: &str) -> String {
    format!("{file}\u{0}{sheet}\u{0}{cell}")
}

impl<'a> CellNotes<'a> {
    fn new(findings: &'a [Finding]) -> Self {
        let mut by_cell: HashMap<String, Vec<&Finding>> = HashMap::new();
        for f in findings.iter().filter(|f| f.severity != Severity::Info) {
            if let (Some(file), Some(sheet), Some(cell)) = (f.file.as_deref(), f.sheet.as_deref(), f.cell.as_deref()) {
                by_cell.entry(cell_key(file, sheet, cell)).or_default().push(f);
            }
        }
        CellNotes { by_cell }
    }

    fn at(&self, s: &Source) -> Vec<&'a Finding> {
        self.by_cell.get(&cell_key(&s.file, &s.sheet, &s.cell())).cloned().unwrap_or_default()
    }
}

fn col_name(c: u16) -> String {
    a1(0, c as u32).trim_end_matches('1').to_string()
}

/// A hamlet's figure: its mark and the note that says why.
fn hamlet_cell(x: &HamletFigure, notes: &CellNotes<'_>) -> (Mark, String) {
    let found: Vec<&Finding> = x.sources.iter().chain(&x.unreadable).flat_map(|s| notes.at(s)).collect();
    let mut text = String::new();
    if let Some(m) = x.from_month {
        text.push_str(&format!("Số của tháng {}: tháng này thôn chưa có số đọc được.\n", m.display_vn()));
    }
    for f in &found {
        text.push_str(&format!("{}: {}\n", f.severity.label(), f.message));
    }
    if !text.is_empty() {
        let src = x.sources.iter().map(|s| format!("{} [{}!{}]", s.file, s.sheet, s.cell())).collect::<Vec<_>>();
        text.push_str(&format!("Nguồn: {}", src.join("; ")));
    }
    let mark = match found.iter().map(|f| f.severity).min() {
        Some(Severity::Error) => Mark::Error,
        Some(_) => Mark::Warning,
        None if x.from_month.is_some() => Mark::Stale,
        None => Mark::Plain,
    };
    (mark, text)
}

fn detail_sheet(ws: &mut Worksheet, input: &Input<'_>, st: &Styles, notes: &CellNotes<'_>) -> Result<(), String> {
    ws.set_name(SHEET_DETAIL).map_err(err)?;
    // A total with no figure is stored as empty text, not as 0.
    ws.set_formula_result_default("");
    let schema = input.schema;
    let nh = schema.hamlets.len() as u16;
    let first_h: u16 = 3;
    let total_col = first_h + nh;
    let head_row = letterhead(ws, input, st, total_col)?;
    let mut heads: Vec<String> = vec!["Mã".into(), "Chỉ tiêu".into(), "ĐVT".into()];
    heads.extend(schema.hamlets.iter().map(|h| h.name.clone()));
    heads.push("Toàn xã".into());
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(head_row, c as u16, h, &st.header).map_err(err)?;
    }
    ws.set_row_height(head_row, 32).map_err(err)?;
    // Rows first, so formulas can name the rows of the figures they use.
    let sections = by_section(schema);
    let mut row_of: HashMap<usize, u32> = HashMap::new();
    let mut row = head_row + 1;
    for (_, inds) in &sections {
        row += 1;
        for &i in inds {
            row_of.insert(i, row);
            row += 1;
        }
    }
    for (si, (section, inds)) in sections.iter().enumerate() {
        let r = row_of[&inds[0]] - 1;
        ws.write_string_with_format(r, 0, roman(si), &st.section).map_err(err)?;
        ws.merge_range(r, 1, r, total_col, &schema.sections[*section].title.to_uppercase(), &st.section)
            .map_err(err)?;
    }
    let mut rows: Vec<(usize, u32)> = row_of.iter().map(|(i, r)| (*i, *r)).collect();
    rows.sort_by_key(|x| x.1);
    for (i, r) in rows {
        let ind = &schema.indicators[i];
        let t = &input.totals.rows[i];
        let fig = Fig::of(schema, i);
        ws.write_string_with_format(r, 0, &ind.code, &st.text).map_err(err)?;
        ws.write_string_with_format(r, 1, &ind.name, &st.text).map_err(err)?;
        ws.write_string_with_format(r, 2, schema.unit_code(i), &st.center).map_err(err)?;
        for h in 0..nh {
            let c = first_h + h;
            let hf = t.hamlets.get(h as usize).and_then(|x| x.as_ref());
            match (&ind.origin, hf) {
                (Origin::Derived(f), _) => {
                    // A hamlet's own rate, from its own figures in this sheet.
                    let text = excel_formula(schema, f, i, |v| row_of.get(&v).map(|rr| a1(*rr, c as u32)));
                    let formula = Formula::new(format!("=IFERROR({text},\"\")"))
                        .set_result(hf.map_or_else(String::new, |x| x.value.to_string()));
                    ws.write_formula_with_format(r, c, formula, &st.figure(fig, Mark::Plain)).map_err(err)?;
                }
                (_, Some(x)) => {
                    let (mark, text) = hamlet_cell(x, notes);
                    ws.write_number_with_format(r, c, x.value, &st.figure(fig, mark)).map_err(err)?;
                    if !text.is_empty() {
                        ws.insert_note(r, c, &note(&text, 420, 160)).map_err(err)?;
                    }
                }
                (_, None) => {
                    ws.write_blank(r, c, &st.figure(fig, Mark::Plain)).map_err(err)?;
                }
            }
        }
        let text = total_formula(schema, i, r, first_h, total_col - 1, &row_of, total_col);
        let formula = Formula::new(text).set_result(t.value.map_or_else(String::new, |v| v.to_string()));
        ws.write_formula_with_format(r, total_col, formula, &st.figure(fig, Mark::Total)).map_err(err)?;
    }
    let last_row = row - 1;
    ws.set_column_width(0, 17).map_err(err)?;
    ws.set_column_width(1, 38).map_err(err)?;
    ws.set_column_width(2, 7).map_err(err)?;
    for c in first_h..=total_col {
        ws.set_column_width(c, 11).map_err(err)?;
    }
    ws.set_freeze_panes(head_row + 1, 3).map_err(err)?;
    ws.autofilter(head_row, 0, last_row, total_col).map_err(err)?;
    let legend = last_row + 1;
    ws.merge_range(
        legend,
        0,
        legend,
        total_col,
        "Ô tô đỏ: số có lỗi; vàng: số có cảnh báo; xám: số của tháng trước (tháng này chưa đọc được). Rê chuột vào ô để xem ghi chú và nguồn. Cột Toàn xã là công thức trên các ô của thôn.",
        &st.note,
    )
    .map_err(err)?;
    ws.set_row_height(legend, 32).map_err(err)?;
    print_setup(ws, head_row, head_row)?;
    Ok(())
}

/// An indicator formula in Excel terms: each figure converted to base units,
/// the result to the indicator's unit.
fn excel_formula(
    schema: &Schema,
    f: &crate::schema::Formula,
    out: usize,
    cell_of: impl Fn(usize) -> Option<String>,
) -> String {
    let units = &schema.units;
    let out_scale = units.get(schema.indicators[out].unit).scale;
    let body = f.render(|i| {
        let cell = cell_of(i).unwrap_or_else(|| "0".into());
        let s = units.get(schema.indicators[i].unit).scale;
        if (s - 1.0).abs() < 1e-12 { cell } else { format!("({cell}*{s})") }
    });
    if (out_scale - 1.0).abs() < 1e-12 {
        body
    } else if out_scale < 1.0 {
        format!("({body})*{}", 1.0 / out_scale)
    } else {
        format!("({body})/{out_scale}")
    }
}

/// The commune total of a row as a live formula over the hamlet cells.
fn total_formula(
    schema: &Schema,
    i: usize,
    r: u32,
    first: u16,
    last: u16,
    row_of: &HashMap<usize, u32>,
    total_col: u16,
) -> String {
    let range = |rr: u32| format!("{}{}:{}{}", col_name(first), rr + 1, col_name(last), rr + 1);
    let ind = &schema.indicators[i];
    match (&ind.origin, &ind.total) {
        (Origin::Derived(f), _) => {
            format!(
                "=IFERROR({},\"\")",
                excel_formula(schema, f, i, |v| row_of.get(&v).map(|rr| a1(*rr, total_col as u32)))
            )
        }
        (_, Some(f)) => {
            // Sums over the hamlets that report every figure of the formula.
            let body = excel_formula(schema, f, i, |v| {
                let own = row_of.get(&v)?;
                let others: Vec<String> = f
                    .vars
                    .iter()
                    .filter(|&&o| o != v)
                    .filter_map(|o| row_of.get(o))
                    .map(|rr| format!(",{},\"<>\"", range(*rr)))
                    .collect();
                Some(format!("SUMIFS({}{})", range(*own), others.join("")))
            });
            format!("=IFERROR({body},\"\")")
        }
        _ => format!("=IF(COUNT({0})=0,\"\",SUM({0}))", range(r)),
    }
}

fn findings_sheet(ws: &mut Worksheet, input: &Input<'_>, st: &Styles) -> Result<(), String> {
    ws.set_name(SHEET_FINDINGS).map_err(err)?;
    let heads = [
        "Mức độ",
        "Thôn",
        "Tháng",
        "Tệp",
        "Trang tính",
        "Ô",
        "Chỉ tiêu",
        "Nội dung",
        "Cần làm",
        "Đúng ra",
        "Thực tế",
        "Quy tắc",
    ];
    let widths = [9.0, 11.0, 8.0, 22.0, 10.0, 6.0, 20.0, 56.0, 32.0, 9.0, 9.0, 14.0];
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &st.header).map_err(err)?;
        ws.set_column_width(c as u16, widths[c]).map_err(err)?;
    }
    let paths: HashMap<&str, &Path> = input.submissions.iter().map(|s| (&*s.file, s.path.as_path())).collect();
    let out_dir = input.out_dir.canonicalize().unwrap_or_else(|_| input.out_dir.to_path_buf());
    let sev_fmt = |s: Severity| match s {
        Severity::Error => st.wrap.clone().set_bold().set_font_color(Color::RGB(0x9C0006)),
        Severity::Warning => st.wrap.clone().set_font_color(Color::RGB(0x9C5700)),
        Severity::Info => st.wrap.clone(),
    };
    let number =
        st.figure(Fig::Number, Mark::Plain).set_num_format(format!("{VN}#,##0.0##")).set_align(FormatAlign::Top);
    let link = st.link.clone().set_align(FormatAlign::Top);
    let mut row = 1;
    // A sheet holds about a million rows; the JSON report has them all.
    let shown = input.report.findings.len().min(MAX_FINDING_ROWS);
    for f in &input.report.findings[..shown] {
        ws.write_string_with_format(row, 0, f.severity.label(), &sev_fmt(f.severity)).map_err(err)?;
        ws.write_string_with_format(row, 1, f.hamlet.as_deref().unwrap_or(""), &st.wrap).map_err(err)?;
        let month =
            f.period.as_deref().and_then(|p| p.parse::<Period>().ok()).map(|p| p.display_vn()).unwrap_or_default();
        ws.write_string_with_format(row, 2, &month, &st.wrap).map_err(err)?;
        ws.write_string_with_format(row, 3, f.file.as_deref().unwrap_or(""), &st.wrap).map_err(err)?;
        ws.write_string_with_format(row, 4, f.sheet.as_deref().unwrap_or(""), &st.wrap).map_err(err)?;
        let target = f.file.as_deref().and_then(|file| paths.get(file)).map(|p| relative_link(&out_dir, p));
        match (&f.cell, target) {
            // Opens the hamlet's file at the cell (a link has at most 2,079 characters).
            (Some(cell), Some(t)) if t.len() < 1800 => {
                let sheet = f.sheet.as_deref().unwrap_or("").replace('\'', "''");
                let url = Url::new(format!("file:///{t}#'{sheet}'!{cell}"))
                    .set_text(cell)
                    .set_tip("Mở tệp của thôn tại ô này");
                ws.write_url_with_format(row, 5, url, &link).map_err(err)?;
            }
            (Some(cell), _) => {
                ws.write_string_with_format(row, 5, cell, &st.wrap).map_err(err)?;
            }
            (None, _) => {
                ws.write_blank(row, 5, &st.wrap).map_err(err)?;
            }
        }
        let ind_name = f
            .indicator
            .as_deref()
            .and_then(|c| input.schema.indicator(c))
            .map(|i| input.schema.indicators[i].name.clone())
            .unwrap_or_default();
        ws.write_string_with_format(row, 6, &ind_name, &st.wrap).map_err(err)?;
        ws.write_string_with_format(row, 7, &f.message, &st.wrap).map_err(err)?;
        ws.write_string_with_format(row, 8, f.instruction.as_deref().unwrap_or(""), &st.wrap).map_err(err)?;
        write_opt(ws, row, 9, f.expected, &number)?;
        write_opt(ws, row, 10, f.actual, &number)?;
        ws.write_string_with_format(row, 11, &f.rule, &st.wrap).map_err(err)?;
        // Wrapped text needs its height: LibreOffice does not grow rows on opening.
        let lines = [
            (&f.message, widths[7]),
            (&f.instruction.clone().unwrap_or_default(), widths[8]),
            (&f.file.as_deref().unwrap_or("").to_string(), widths[3]),
        ]
        .iter()
        .map(|(t, w)| (t.chars().count() as f64 / (w * 1.15)).ceil() as u32)
        .max()
        .unwrap_or(1)
        .max(1);
        ws.set_row_height(row, 15.5 * lines as f64 + 2.0).map_err(err)?;
        row += 1;
    }
    if shown < input.report.findings.len() {
        let more = input.report.findings.len() - shown;
        ws.write_string_with_format(row, 7, format!("… và {more} phát hiện nữa: xem báo cáo JSON (--json)."), &st.wrap)
            .map_err(err)?;
        row += 1;
    }
    ws.set_freeze_panes(1, 0).map_err(err)?;
    ws.autofilter(0, 0, row.saturating_sub(1).max(1), heads.len() as u16 - 1).map_err(err)?;
    print_setup(ws, 0, 0)?;
    Ok(())
}

/// A link from the workbook's folder (made absolute) to a hamlet's file,
/// relative so that the folder can be moved or copied as a whole; Excel
/// writes it with "\".
fn relative_link(from: &Path, to: &Path) -> String {
    let to = to.canonicalize().unwrap_or_else(|_| to.to_path_buf());
    let a: Vec<Component> = from.components().collect();
    let b: Vec<Component> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut rel = PathBuf::new();
    for _ in common..a.len() {
        rel.push("..");
    }
    for c in &b[common..] {
        rel.push(c.as_os_str());
    }
    rel.to_string_lossy().replace('/', "\\")
}

fn status_sheet(ws: &mut Worksheet, input: &Input<'_>, st: &Styles) -> Result<(), String> {
    ws.set_name(SHEET_STATUS).map_err(err)?;
    let schema = input.schema;
    let p = input.totals.period;
    let heads = ["Thôn", "Tháng", "Đã nộp", "Tệp", "Trang tính", "Lưu lúc", "Trạng thái", "Số lỗi", "Số cảnh báo"];
    for (c, (h, w)) in heads.iter().zip([14.0, 9.0, 12.0, 34.0, 14.0, 17.0, 13.0, 8.0, 11.0]).enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &st.header).map_err(err)?;
        ws.set_column_width(c as u16, w).map_err(err)?;
    }
    let count = |s: &Submission, sev: Severity| {
        input
            .report
            .findings
            .iter()
            .filter(|f| {
                f.severity == sev && f.file.as_deref() == Some(&*s.file) && (f.sheet == s.sheet || f.sheet.is_none())
            })
            .count() as f64
    };
    let mut row = 1;
    // The report's month first, then the earlier months of the year.
    let mut months: Vec<Period> =
        input.submissions.iter().filter_map(|s| s.period).filter(|x| x.year == p.year && *x <= p).collect();
    months.push(p);
    months.sort_unstable_by(|a, b| b.cmp(a));
    months.dedup();
    let missing = st.center.clone().set_font_color(Color::RGB(0x9C0006)).set_bold();
    for m in &months {
        for (h, hamlet) in schema.hamlets.iter().enumerate() {
            let mine: Vec<&Submission> =
                input.submissions.iter().filter(|s| s.hamlet == Some(h) && s.period == Some(*m)).collect();
            if mine.is_empty() {
                ws.write_string_with_format(row, 0, &hamlet.name, &st.text).map_err(err)?;
                ws.write_string_with_format(row, 1, m.display_vn(), &st.center).map_err(err)?;
                ws.write_string_with_format(row, 2, "Chưa nộp", &missing).map_err(err)?;
                for c in 3..heads.len() as u16 {
                    ws.write_blank(row, c, &st.text).map_err(err)?;
                }
                row += 1;
                continue;
            }
            for s in mine {
                status_row(ws, st, row, Some(&hamlet.name), s, count(s, Severity::Error), count(s, Severity::Warning))?;
                row += 1;
            }
        }
    }
    // Files that are no hamlet's report.
    for s in input.submissions.iter().filter(|s| s.hamlet.is_none() || s.period.is_none()) {
        status_row(ws, st, row, None, s, count(s, Severity::Error), count(s, Severity::Warning))?;
        row += 1;
    }
    ws.set_freeze_panes(1, 0).map_err(err)?;
    ws.autofilter(0, 0, row.saturating_sub(1).max(1), heads.len() as u16 - 1).map_err(err)?;
    print_setup(ws, 0, 0)?;
    Ok(())
}

fn status_row(
    ws: &mut Worksheet,
    st: &Styles,
    row: u32,
    hamlet: Option<&str>,
    s: &Submission,
    errors: f64,
    warnings: f64,
) -> Result<(), String> {
    let submitted = if s.status == Status::Rejected { "Không nhận" } else { "Đã nộp" };
    ws.write_string_with_format(row, 0, hamlet.unwrap_or("—"), &st.text).map_err(err)?;
    ws.write_string_with_format(row, 1, s.period.map(|p| p.display_vn()).unwrap_or_default(), &st.center)
        .map_err(err)?;
    ws.write_string_with_format(row, 2, submitted, &st.center).map_err(err)?;
    ws.write_string_with_format(row, 3, &*s.file, &st.text).map_err(err)?;
    ws.write_string_with_format(row, 4, s.sheet.as_deref().unwrap_or(""), &st.text).map_err(err)?;
    ws.write_string_with_format(row, 5, s.modified.map(time_vn).unwrap_or_default(), &st.center).map_err(err)?;
    let status_fmt = match s.status {
        Status::Accepted => st.center.clone(),
        Status::Superseded => st.center.clone().set_italic(),
        Status::Rejected => st.center.clone().set_bold().set_font_color(Color::RGB(0x9C0006)),
    };
    ws.write_string_with_format(row, 6, s.status.label(), &status_fmt).map_err(err)?;
    let count = st.figure(Fig::Count, Mark::Plain);
    ws.write_number_with_format(row, 7, errors, &count).map_err(err)?;
    ws.write_number_with_format(row, 8, warnings, &count).map_err(err)?;
    Ok(())
}

/// "30/06/2024 08:15" (UTC) from seconds since the epoch.
fn time_vn(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil from days, Howard Hinnant's algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    format!("{d:02}/{m:02}/{y} {:02}:{:02}", rem / 3600, rem % 3600 / 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        assert_eq!(time_vn(1_719_734_400), "30/06/2024 08:00");
    }

    #[test]
    fn links_are_relative() {
        let l = relative_link(Path::new("/a/b/out"), Path::new("/a/b/samples/2024-06/x.xlsx"));
        assert_eq!(l, "..\\samples\\2024-06\\x.xlsx");
    }

    #[test]
    fn column_names() {
        assert_eq!(col_name(0), "A");
        assert_eq!(col_name(27), "AB");
    }
}
