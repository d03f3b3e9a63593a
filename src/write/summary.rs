//! Tổng hợp: the commune totals against the year's targets, grouped by the
//! resolution's sections, with marks and notes where a total includes a
//! figure in doubt or misses hamlets (`doubts` words them); a chart of % of
//! plan; the signatures and who receives the report.

mod doubts;

use rust_xlsxwriter::{
    Chart, ChartFont, ChartFormat, ChartPoint, ChartSolidFill, ChartType, Color, ConditionalFormatCell,
    ConditionalFormatCellRule, Format, Worksheet,
};

use super::styles::{
    Fig, Lay, Mark, PAGE_HEIGHT_PX, PAGE_WIDTH_PX, Styles, column_px, letterhead, merge, print_area, print_setup,
    read_note, roman, write_opt,
};
use super::workbook::Input;
use super::{Result, by_section};
use crate::model::HamletId;
use crate::schema::{Commune, Goal};
use crate::text::vn_number;
use crate::total::{Rating, Total};

pub const NAME: &str = "Tổng hợp";

/// Worth a row in the leadership's summary: a figure or a target.
fn shown(t: &Total) -> bool {
    t.value.is_some() || t.month_value.is_some() || t.goal.is_some() || t.withheld.is_some()
}

fn goal_text(goal: &Goal) -> String {
    match goal {
        Goal::Plan { value } => vn_number(*value, 2),
        Goal::Range { min, max } => format!("{} – {}", vn_number(*min, 2), vn_number(*max, 2)),
        Goal::AtLeast { value } => format!("≥ {}", vn_number(*value, 2)),
        Goal::AtMost { value } => format!("≤ {}", vn_number(*value, 2)),
    }
}

/// The columns of the table; those empty for every total are left out (no
/// last year's figures, no pace to year end), so the page is not half blank.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Stt,
    Name,
    Unit,
    Month,
    YearToDate,
    Target,
    Percent,
    Verdict,
    Pace,
    LastYear,
    Change,
    Remark,
}

const COLS: [Col; 12] = [
    Col::Stt,
    Col::Name,
    Col::Unit,
    Col::Month,
    Col::YearToDate,
    Col::Target,
    Col::Percent,
    Col::Verdict,
    Col::Pace,
    Col::LastYear,
    Col::Change,
    Col::Remark,
];

impl Col {
    fn head(self, p: crate::period::Period) -> String {
        match self {
            Col::Stt => "STT".into(),
            Col::Name => "Chỉ tiêu".into(),
            Col::Unit => "ĐVT".into(),
            Col::Month => format!("Tháng {}", p.display_vn()),
            Col::YearToDate => format!("Lũy kế / hiện có đến {}", p.display_vn()),
            Col::Target => format!("Chỉ tiêu Nghị quyết năm {}", p.year),
            Col::Percent => "% kế hoạch".into(),
            Col::Verdict => "Đánh giá".into(),
            Col::Pace => "Ước cả năm (theo tiến độ)".into(),
            Col::LastYear => format!("Cùng kỳ năm {}", p.year - 1),
            Col::Change => "So cùng kỳ (%)".into(),
            Col::Remark => "Ghi chú".into(),
        }
    }

    fn width(self) -> f64 {
        match self {
            Col::Stt => 5.0,
            Col::Name => 36.0,
            Col::Unit => 7.0,
            Col::Month | Col::Pace | Col::LastYear => 11.0,
            Col::YearToDate | Col::Target => 12.0,
            Col::Percent | Col::Change => 9.0,
            Col::Verdict => 14.0,
            Col::Remark => 28.0,
        }
    }

    /// Kept when some total has it; the year to date and the words always.
    fn kept(self, totals: &[&Total]) -> bool {
        let any = |f: fn(&Total) -> bool| totals.iter().any(|t| f(t));
        match self {
            Col::Month => any(|t| t.month_value.is_some()),
            Col::Target => any(|t| t.goal.is_some()),
            Col::Percent => any(|t| t.percent_of_target.is_some()),
            Col::Verdict => any(|t| t.rating.is_some()),
            Col::Pace => any(|t| t.projection.is_some()),
            Col::LastYear => any(|t| t.last_year.is_some()),
            Col::Change => any(|t| t.change_from_last_year.is_some()),
            _ => true,
        }
    }
}

/// The table's columns and their widths: the remark takes what the page
/// has left, so that it wraps less.
struct Table {
    cols: Vec<Col>,
    widths: Vec<f64>,
}

impl Table {
    fn new(totals: &[&Total]) -> Table {
        let cols: Vec<Col> = COLS.into_iter().filter(|c| c.kept(totals)).collect();
        let mut widths: Vec<f64> = cols.iter().map(|c| c.width()).collect();
        let used: f64 = widths.iter().map(|w| column_px(*w)).sum();
        if let Some(w) = widths.last_mut() {
            *w = (*w + ((PAGE_WIDTH_PX - used) / 7.0).floor()).clamp(Col::Remark.width(), 48.0);
        }
        Table { cols, widths }
    }

    fn at(&self, c: Col) -> Option<u16> {
        self.cols.iter().position(|x| *x == c).map(|i| i as u16)
    }

    fn last(&self) -> u16 {
        self.cols.len() as u16 - 1
    }

    fn px(&self) -> f64 {
        self.widths.iter().map(|w| column_px(*w)).sum()
    }
}

pub fn sheet(ws: &mut Worksheet, input: &Input<'_>, st: &Styles) -> Result {
    ws.set_name(NAME)?;
    let schema = input.schema;
    let p = input.totals.period;
    let sections: Vec<_> = by_section(schema)
        .into_iter()
        .map(|(s, inds)| (s, inds.into_iter().map(|i| &input.totals.rows[i]).filter(|t| shown(t)).collect::<Vec<_>>()))
        .collect();
    let all: Vec<&Total> = sections.iter().flat_map(|s| s.1.iter().copied()).collect();
    let table = Table::new(&all);
    let last_col = table.last();
    let head_row = letterhead(ws, &input.letterhead(), st, Lay::over(0, last_col))?;
    for (c, col) in table.cols.iter().enumerate() {
        ws.write_string_with_format(head_row, c as u16, col.head(p), &st.header)?;
        ws.set_column_width(c as u16, table.widths[c])?;
    }
    ws.set_row_height(head_row, 50)?;
    let missing: Vec<HamletId> = input.totals.missing().collect();
    let idx = doubts::Index::new(&input.outcome.findings);
    let mut row = head_row + 1;
    // The chart's figures: plan targets only, where "% kế hoạch" means what it says.
    let mut chart: Vec<(String, f64, bool)> = Vec::new();
    for (si, (section, totals)) in sections.iter().enumerate() {
        if totals.is_empty() {
            continue;
        }
        ws.write_string_with_format(row, 0, roman(si), &st.section)?;
        merge(ws, row, 1, last_col, &schema.sections[*section].title.to_uppercase(), &st.section)?;
        row += 1;
        for (n, t) in totals.iter().enumerate() {
            let said = doubts::about(schema, input.totals, &idx, t, &missing);
            total_row(ws, input, st, &table, row, n + 1, t, &said, !missing.is_empty())?;
            if let (Some(pct), Some(Goal::Plan { .. })) = (t.percent_of_target, t.goal) {
                chart.push((schema.indicators[t.indicator].name.clone(), pct, t.has_errors));
            }
            row += 1;
        }
    }
    let last_row = row - 1;
    if let Some(c) = table.at(Col::Verdict) {
        verdict_colours(ws, head_row, last_row, c)?;
    }
    ws.set_freeze_panes(head_row + 1, 2)?;
    ws.autofilter(head_row, 0, last_row, last_col)?;
    print_setup(ws, head_row, head_row)?;
    let mut next = last_row + 1;
    if let Some(line) = doubts::partial_month_line(schema, input.totals, &missing) {
        next = wrapped_line(ws, st, next, &table, &line)?;
    }
    let legend = "Ô lũy kế tô màu: tổng gồm số liệu có lỗi (đỏ), hoặc thiếu số hay báo cáo tháng của thôn (vàng): chưa đánh giá đạt hay chưa đạt; rê chuột vào ô để xem thôn nào, số nào. Chi tiết ở các trang Chi tiết thôn và Kiểm tra.";
    next = wrapped_line(ws, st, next, &table, &crate::words::say(legend))?;
    if !chart.is_empty() {
        next = chart_of_plans(ws, st, &chart, &table, head_row, next + 1, p)?;
    }
    let end = signatures(ws, st, &input.schema.commune, next + 1, last_col)?;
    print_area(ws, end, 0, last_col)
}

/// A line of text across the table, as high as its wrapped lines need;
/// returns the row after it.
fn wrapped_line(ws: &mut Worksheet, st: &Styles, row: u32, table: &Table, text: &str) -> Result<u32> {
    merge(ws, row, 0, table.last(), text, &st.note)?;
    let per_line = (table.px() / 7.5).max(40.0);
    let lines = (text.chars().count() as f64 / per_line).ceil().max(1.0);
    ws.set_row_height(row, 16.0 * lines + 2.0)?;
    Ok(row + 1)
}

/// One total: the month, the year so far, the target, % of it, the verdict,
/// the pace to year end, last year, and a remark with a note when flagged.
#[allow(clippy::too_many_arguments)]
fn total_row(
    ws: &mut Worksheet,
    input: &Input<'_>,
    st: &Styles,
    table: &Table,
    row: u32,
    n: usize,
    t: &Total,
    said: &doubts::Said,
    partial: bool,
) -> Result {
    let schema = input.schema;
    let i = t.indicator;
    let fig = Fig::of(schema, i);
    let flagged = t.has_errors
        || t.withheld.is_some()
        || ((partial || !t.incomplete.is_empty() || !t.lacking.is_empty()) && t.value.is_some());
    let ytd = if t.has_errors {
        Mark::Error
    } else if flagged {
        Mark::Warning
    } else {
        Mark::Total
    };
    for (c, col) in table.cols.iter().enumerate() {
        let c = c as u16;
        match col {
            Col::Stt => ws.write_number_with_format(row, c, n as f64, &st.center).map(|_| ())?,
            Col::Name => ws.write_string_with_format(row, c, &schema.indicators[i].name, &st.text).map(|_| ())?,
            Col::Unit => ws.write_string_with_format(row, c, schema.unit_code(i), &st.center).map(|_| ())?,
            Col::Month => write_opt(ws, row, c, t.month_value, &st.figure(fig, Mark::Plain))?,
            Col::YearToDate => write_opt(ws, row, c, t.value, &st.figure(fig, ytd).set_bold())?,
            Col::Target => match &t.goal {
                Some(Goal::Plan { value }) => {
                    ws.write_number_with_format(row, c, *value, &st.figure(fig, Mark::Plain)).map(|_| ())?
                }
                Some(g) => ws.write_string_with_format(row, c, goal_text(g), &st.right).map(|_| ())?,
                None => ws.write_blank(row, c, &st.text).map(|_| ())?,
            },
            Col::Percent => write_opt(ws, row, c, t.percent_of_target, &st.figure(Fig::Percent, Mark::Plain))?,
            Col::Verdict => ws.write_string_with_format(row, c, verdict(t.rating), &st.center).map(|_| ())?,
            Col::Pace => write_opt(ws, row, c, t.projection, &st.figure(fig, Mark::Plain))?,
            Col::LastYear => write_opt(ws, row, c, t.last_year, &st.figure(fig, Mark::Plain))?,
            Col::Change => write_opt(ws, row, c, t.change_from_last_year, &st.figure(Fig::Percent, Mark::Plain))?,
            Col::Remark => ws.write_string_with_format(row, c, &said.remark, &st.wrap).map(|_| ())?,
        }
    }
    if flagged
        && !said.note.is_empty()
        && let Some(c) = table.at(Col::YearToDate)
    {
        // Lines as wrapped in the note's width (some 60 characters at 11 pt).
        let lines: u32 = said.note.lines().map(|l| l.chars().count().div_ceil(60).max(1) as u32).sum();
        ws.insert_note(row, c, &read_note(&said.note, 460, 60 + 20 * lines.min(30)))?;
    }
    // Wrapped text needs its height: LibreOffice does not grow rows on opening.
    let per_line = table.widths.last().map_or(30.0, |w| w * 1.1);
    let lines = (said.remark.chars().count() as f64 / per_line).ceil().max(1.0);
    if lines > 1.0 {
        ws.set_row_height(row, 16.0 * lines)?;
    }
    Ok(())
}

fn verdict(r: Option<Rating>) -> &'static str {
    match r {
        Some(Rating::Reached) => "Đạt",
        Some(Rating::NotReached) => "Chưa đạt",
        Some(Rating::NeedsCheck) => "Cần kiểm tra",
        Some(Rating::NoData) => "Chưa có số liệu",
        None => "",
    }
}

/// Reached in green, not reached in red, to be checked in amber.
fn verdict_colours(ws: &mut Worksheet, head_row: u32, last_row: u32, col: u16) -> Result {
    let green = Format::new().set_font_color(Color::RGB(0x006100)).set_background_color(Color::RGB(0xC6EFCE));
    let red = Format::new().set_font_color(Color::RGB(0x9C0006)).set_background_color(Color::RGB(0xFFC7CE));
    let amber = Format::new().set_font_color(Color::RGB(0x7F4F00)).set_background_color(Color::RGB(0xFFEB9C));
    for (text, f) in [("\"Đạt\"", green), ("\"Chưa đạt\"", red), ("\"Cần kiểm tra\"", amber)] {
        if last_row <= head_row {
            break;
        }
        let rule = ConditionalFormatCell::new().set_rule(ConditionalFormatCellRule::EqualTo(text)).set_format(f);
        ws.add_conditional_format(head_row + 1, col, last_row, col, &rule)?;
    }
    Ok(())
}

/// Rows the signature blocks take: the titles, room to sign, and the
/// recipients beside them.
const SIGNATURE_ROWS: u32 = 6;
/// The height the rows under the table are given, in points and pixels: not
/// the default height, which Excel leaves unwritten and LibreOffice reads
/// as its own (smaller) default, so both lay the chart over the same rows.
const ROW_PT: f64 = 15.75;
const ROW_PX: f64 = ROW_PT * 4.0 / 3.0;

/// Who receives the report on the left, the one who made it in the middle,
/// the chairman's signature on the right (Nghị định 30/2020/NĐ-CP); returns
/// the last row used.
fn signatures(ws: &mut Worksheet, st: &Styles, commune: &Commune, at: u32, last_col: u16) -> Result<u32> {
    let recipients = &commune.recipients;
    let small = last_col < 6;
    let (mid, right) = if small { (None, 2.min(last_col)) } else { (Some((3, 4)), (last_col - 3).max(5)) };
    ws.write_string_with_format(at, 0, "Nơi nhận:", &st.recipients.clone().set_bold().set_italic())?;
    let n = recipients.len();
    for (k, r) in recipients.iter().enumerate() {
        let end = if k + 1 == n { "." } else { ";" };
        let line = crate::words::say(&format!("- {}{end}", r.trim_end_matches(['.', ';'])));
        ws.write_string_with_format(at + 1 + k as u32, 0, line, &st.recipients)?;
    }
    if let Some((a, b)) = mid {
        merge(ws, at, a, b, &commune.preparer, &st.bold_center)?;
    }
    for (k, line) in commune.signer.iter().take(SIGNATURE_ROWS as usize - 1).enumerate() {
        merge(ws, at + k as u32, right, last_col, line, &st.bold_center)?;
    }
    let end = (at + SIGNATURE_ROWS - 1).max(at + n as u32);
    for r in at..=end {
        ws.set_row_height(r, ROW_PT)?;
    }
    Ok(end)
}

/// A chart of % of target, from figures in hidden columns beside the table,
/// on a page of its own before the signatures: as wide as the table, and
/// never so high that the page breaks across it or leaves no room for the
/// signatures under it. Returns the row after it.
fn chart_of_plans(
    ws: &mut Worksheet,
    st: &Styles,
    chart: &[(String, f64, bool)],
    table: &Table,
    head_row: u32,
    at_row: u32,
    p: crate::period::Period,
) -> Result<u32> {
    let (name_col, pct_col) = (table.last() + 2, table.last() + 3);
    ws.write_string_with_format(head_row, name_col, "Chỉ tiêu", &st.base)?;
    ws.write_string_with_format(head_row, pct_col, "% kế hoạch", &st.base)?;
    for (k, (name, pct, doubtful)) in chart.iter().enumerate() {
        let r = head_row + 1 + k as u32;
        // A figure with an error is marked on the chart too, never shown as plain.
        let name = if *doubtful { format!("{name} (cần kiểm tra)") } else { name.clone() };
        ws.write_string_with_format(r, name_col, &name, &st.base)?;
        ws.write_number_with_format(r, pct_col, *pct, &st.base)?;
    }
    let points: Vec<ChartPoint> = chart
        .iter()
        .map(|(_, _, doubtful)| {
            let colour = if *doubtful { 0xC9A227 } else { 0x4472C4 };
            ChartPoint::new().set_format(ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(colour)))
        })
        .collect();
    ws.set_column_hidden(name_col)?;
    ws.set_column_hidden(pct_col)?;
    let (first, last) = (head_row + 1, head_row + chart.len() as u32);
    let mut c = Chart::new(ChartType::Bar);
    c.add_series()
        .set_name("% kế hoạch")
        .set_categories((NAME, first, name_col, last, name_col))
        .set_values((NAME, first, pct_col, last, pct_col))
        .set_format(ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(0x4472C4)))
        .set_points(&points);
    let font = |size: f64, bold: bool| {
        let mut f = ChartFont::new();
        f.set_name(super::styles::FONT).set_size(size);
        if bold {
            f.set_bold();
        }
        f
    };
    c.title()
        .set_name(&format!("Tỷ lệ thực hiện so với kế hoạch năm {} (%), đến tháng {}", p.year, p.display_vn()))
        .set_font(&font(13.0, true));
    // The page in the sheet's pixels: fitted to the width, a wide table
    // prints smaller and a page holds more of the sheet's height.
    let scale = (PAGE_WIDTH_PX / table.px()).min(1.0);
    let header_px = 50.0 * 4.0 / 3.0;
    let room = PAGE_HEIGHT_PX / scale - header_px - (SIGNATURE_ROWS + 1) as f64 * ROW_PX;
    // Names printed at 10 pt or more, each bar high enough for its name:
    // LibreOffice names only every other bar when names would overlap.
    let label = (10.0 / scale).ceil();
    let per_bar = ((room - 90.0) / chart.len() as f64).clamp((label * 1.6).ceil(), 28.0);
    let height = (90.0 + per_bar * chart.len() as f64).min(PAGE_HEIGHT_PX / scale - header_px - ROW_PX);
    c.x_axis().set_font(&font(label, false));
    c.y_axis().set_font(&font(label, false));
    c.legend().set_hidden();
    c.y_axis().set_reverse();
    c.show_hidden_data();
    c.set_width(table.px() as u32).set_height(height as u32);
    // The chart starts a page; its rows at the default height, so that the
    // rows it covers are the rows counted here.
    ws.set_page_breaks(&[at_row])?;
    ws.insert_chart(at_row, 0, &c)?;
    let rows = (height / ROW_PX).ceil() as u32 + 1;
    for r in at_row..at_row + rows {
        ws.set_row_height(r, ROW_PT)?;
    }
    if height > room {
        // No room for the signatures under it: they start the next page.
        ws.set_page_breaks(&[at_row, at_row + rows])?;
    }
    Ok(at_row + rows)
}
