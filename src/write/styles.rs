//! What every sheet of the summary and the form share: the administrative
//! font, fills and number formats, the cell styles, print setup, the header
//! block of a Vietnamese administrative report, and small writing helpers.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, FormatUnderline, Note, Worksheet};

use super::Result;
use crate::model::IndicatorId;
use crate::period::Period;
use crate::schema::{Commune, Kind, Schema};

/// The administrative standard.
pub const FONT: &str = "Times New Roman";
/// Number formats carry the Vietnamese locale, so that LibreOffice shows
/// 1.234,5 whatever the machine's locale (Excel follows the system's).
pub const VN: &str = "[$-42A]";

pub const FILL_ERROR: u32 = 0xF8CBAD;
pub const FILL_WARNING: u32 = 0xFFF2CC;
pub const FILL_STALE: u32 = 0xE7E6E6;
pub const FILL_HEADER: u32 = 0xDDEBF7;
pub const FILL_SECTION: u32 = 0xF2F2F2;
pub const FILL_INPUT: u32 = 0xFFFFE0;
pub const RED: u32 = 0x9C0006;

/// How a figure is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fig {
    Count,
    Number,
    Percent,
}

impl Fig {
    pub fn of(schema: &Schema, ind: IndicatorId) -> Fig {
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
pub enum Mark {
    Plain,
    Total,
    Error,
    Warning,
    /// A stock carried from an earlier month.
    Stale,
}

pub struct Styles {
    pub base: Format,
    pub text: Format,
    pub wrap: Format,
    pub header: Format,
    pub section: Format,
    pub title: Format,
    pub subtitle: Format,
    pub bold_center: Format,
    pub motto: Format,
    pub date_line: Format,
    /// Centred, without a border: the report's number.
    pub center_plain: Format,
    pub right: Format,
    pub center: Format,
    pub link: Format,
    pub note: Format,
    /// The "Nơi nhận" lines: not wrapped, running over the empty cells beside.
    pub recipients: Format,
}

impl Styles {
    pub fn new() -> Styles {
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
            center_plain: base.clone().set_align(FormatAlign::Center),
            right: cell.clone().set_align(FormatAlign::Right),
            center: cell.clone().set_align(FormatAlign::Center),
            link: cell.clone().set_font_color(Color::RGB(0x0563C1)).set_underline(FormatUnderline::Single),
            // Printed at 12 pt like the body: fitted to the page width, a
            // smaller size would print under 10 pt.
            note: base.clone().set_italic().set_text_wrap().set_align(FormatAlign::Top),
            recipients: base.clone(),
            base,
        }
    }

    pub fn figure(&self, fig: Fig, mark: Mark) -> Format {
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

/// The width A4 landscape prints within the margins of [`print_setup`], in
/// pixels of a sheet at 100 %: a sheet no wider prints at full size.
pub const PAGE_WIDTH_PX: f64 = (11.69 - 0.4 - 0.4) * 96.0;
/// Its height within the margins, likewise.
pub const PAGE_HEIGHT_PX: f64 = (8.27 - 0.6 - 0.6) * 96.0;

/// A column's width in pixels, as Excel and LibreOffice lay it out (the
/// default font's digit is 7 pixels wide, with 5 of padding).
pub fn column_px(width: f64) -> f64 {
    (width * 7.0 + 5.0).round()
}

/// A4 landscape, fitted to the page width, header rows repeated, page numbers.
pub fn print_setup(ws: &mut Worksheet, repeat_from: u32, repeat_to: u32) -> Result {
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(repeat_from, repeat_to)?;
    ws.set_footer(format!("&C&\"{FONT},Regular\"&12Trang &P/&N"));
    ws.set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3);
    ws.set_print_center_horizontally(true);
    Ok(())
}

/// I, II, III, … for sections.
pub fn roman(n: usize) -> &'static str {
    ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"].get(n).copied().unwrap_or("X")
}

pub fn write_opt(ws: &mut Worksheet, row: u32, col: u16, v: Option<f64>, f: &Format) -> Result {
    match v {
        Some(v) => ws.write_number_with_format(row, col, v, f)?,
        None => ws.write_blank(row, col, f)?,
    };
    Ok(())
}

/// Text across columns c0..=c1 of a row: merged, or one cell when the span is one.
pub fn merge(ws: &mut Worksheet, r: u32, c0: u16, c1: u16, t: &str, f: &Format) -> Result {
    if c1 > c0 {
        ws.merge_range(r, c0, r, c1, t, f)?;
    } else {
        ws.write_string_with_format(r, c0, t, f)?;
    }
    Ok(())
}

/// A cell note, within what a spreadsheet holds.
pub fn note(text: &str, width: u32, height: u32) -> Note {
    let text = match text.char_indices().nth(30_000) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    };
    Note::new(text).set_author("tonghop").set_width(width).set_height(height)
}

/// A note on the summary, in the report's font and at a size read without
/// a magnifier (the default is Tahoma 8 pt, small for Vietnamese marks).
pub fn read_note(text: &str, width: u32, height: u32) -> Note {
    note(text, width, height).set_font_name(FONT).set_font_size(11)
}

/// What the header block of a report says.
pub struct Letterhead<'a> {
    pub commune: &'a Commune,
    pub period: Period,
    pub reported: usize,
    pub hamlets: usize,
    /// The day of the date line; None leaves it to be written by hand.
    pub dated: Option<(i64, i64, i64)>,
}

/// "Lạc Sơn, ngày 05 tháng 7 năm 2024": as Nghị định 30/2020/NĐ-CP writes
/// it, a day under 10 and the months 1 and 2 with a leading 0 (so that
/// nothing can be added in front by hand); dots where the pen goes.
pub fn date_line(place: Option<&str>, dated: Option<(i64, i64, i64)>) -> String {
    let place = place.unwrap_or("……………");
    match dated {
        Some((y, m, d)) => {
            let month = if m <= 2 { format!("{m:02}") } else { m.to_string() };
            format!("{place}, ngày {d:02} tháng {month} năm {y}")
        }
        None => format!("{place}, ngày …… tháng …… năm ……"),
    }
}

/// The columns the header block's parts are merged over: the commune and
/// the report's number, the national title and the date line, the report's
/// title and month.
#[derive(Debug, Clone, Copy)]
pub struct Lay {
    pub left: (u16, u16),
    pub right: (u16, u16),
    pub title: (u16, u16),
}

impl Lay {
    /// Over the columns `first..=last`: three on the left, seven on the
    /// right, the title over all.
    pub fn over(first: u16, last: u16) -> Lay {
        let left_end = (first + 2).min(last);
        Lay { left: (first, left_end), right: ((left_end + 1).max(last.saturating_sub(6)), last), title: (first, last) }
    }
}

/// The header block of a Vietnamese administrative report: the commune and
/// the report's number on the left, the national title, motto and date line
/// on the right, then the title and the month; returns the first row free
/// under it.
pub fn letterhead(ws: &mut Worksheet, h: &Letterhead<'_>, st: &Styles, lay: Lay) -> Result<u32> {
    let Lay { left, right, title } = lay;
    merge(ws, 0, left.0, left.1, &h.commune.name.to_uppercase(), &st.bold_center)?;
    merge(ws, 2, left.0, left.1, "Số: …… /BC-UBND", &st.center_plain)?;
    merge(ws, 0, right.0, right.1, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", &st.bold_center)?;
    merge(ws, 1, right.0, right.1, "Độc lập - Tự do - Hạnh phúc", &st.motto)?;
    merge(ws, 2, right.0, right.1, &date_line(h.commune.place.as_deref(), h.dated), &st.date_line)?;
    let p = h.period;
    let text = format!("{} THÁNG {} NĂM {}", h.commune.report_title.to_uppercase(), p.month, p.year);
    merge(ws, 4, title.0, title.1, &text, &st.title)?;
    ws.set_row_height(4, 22)?;
    let sub = format!(
        "(Số liệu tính đến hết tháng {}; {}/{} {} đã nộp báo cáo tháng)",
        p.display_vn(),
        h.reported,
        h.hamlets,
        crate::words::get().hamlet
    );
    merge(ws, 5, title.0, title.1, &sub, &st.subtitle)?;
    Ok(7)
}

/// The title of an annex sheet (Kiểm tra, Tình hình nộp): what it is, for
/// which month, and a line under it; returns the row of the table's header.
pub fn sheet_title(ws: &mut Worksheet, st: &Styles, title: &str, sub: &str, last: u16) -> Result<u32> {
    merge(ws, 0, 0, last, title, &st.title)?;
    ws.set_row_height(0, 22)?;
    merge(ws, 1, 0, last, sub, &st.subtitle)?;
    Ok(3)
}

/// What is printed: the table and what goes with it, never the columns kept
/// for machines (codes) or for the chart.
pub fn print_area(ws: &mut Worksheet, last_row: u32, first_col: u16, last_col: u16) -> Result {
    ws.set_print_area(0, first_col, last_row, last_col)?;
    Ok(())
}
