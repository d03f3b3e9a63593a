//! The form's layout, shared by the form a hamlet is sent and the feedback
//! it gets back: the same title, header lines, tables, rows and columns at
//! the same cells, so that a hamlet finds each figure where it wrote it.
//! The layout is planned first (where every figure goes), then written.

use std::collections::HashMap;

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Worksheet};

use super::Result;
use super::styles::{FILL_HEADER, FONT, VN, roman};
use crate::model::{HamletId, IndicatorId, a1};
use crate::period::Period;
use crate::schema::{Kind, Schema, Table};

/// The columns before a table's figures: STT, the label, and ĐVT where
/// the rows carry their units.
const LABEL_COL: u16 = 1;

/// Where one figure of the form is.
#[derive(Debug, Clone)]
pub struct FigureCell {
    pub ind: IndicatorId,
    pub row: u32,
    pub col: u16,
    /// The form computes it from other cells (a total row from its parts,
    /// a total row's yield from its output and area): the Excel formula.
    pub computed: Option<String>,
}

/// Where everything of the form is.
pub struct Plan {
    /// Rows where a table's title, and its column headers, are.
    tables: Vec<(usize, u32)>,
    pub figures: Vec<FigureCell>,
    /// The "Ghi chú" column of each figure row.
    pub notes_col: HashMap<u32, u16>,
    /// The widest table's last column.
    pub last_col: u16,
    /// The first row under the last table.
    pub end: u32,
}

/// The first row of the first table: the title, the hamlet and month lines
/// and a blank row above it.
pub const TOP: u32 = 3;

pub fn plan(schema: &Schema) -> Plan {
    let last_col = schema.tables.iter().map(|t| first_figure_col(t) + t.columns.len() as u16).max().unwrap_or(3);
    let mut p = Plan { tables: Vec::new(), figures: Vec::new(), notes_col: HashMap::new(), last_col, end: TOP };
    let mut row = TOP;
    for (ti, t) in schema.tables.iter().enumerate() {
        p.tables.push((ti, row));
        let first = row + 2;
        let row_of: Vec<u32> = (0..t.rows.len() as u32).map(|i| first + i).collect();
        for (ri, r) in t.rows.iter().enumerate() {
            for (ci, &ind) in r.indicators.iter().enumerate() {
                let col = first_figure_col(t) + ci as u16;
                let computed = (!r.parts.is_empty()).then(|| total_row_formula(schema, t, ri, ci, &row_of));
                p.figures.push(FigureCell { ind, row: row_of[ri], col, computed });
            }
            p.notes_col.insert(row_of[ri], first_figure_col(t) + t.columns.len() as u16);
        }
        row = first + t.rows.len() as u32 + 1;
    }
    p.end = row;
    p
}

fn first_figure_col(t: &Table) -> u16 {
    LABEL_COL + 1 + u16::from(!t.is_grid())
}

/// A total row's figure: its yield from its own output and area (the
/// column's formula), else the sum of its parts; blank while they are.
fn total_row_formula(schema: &Schema, t: &Table, ri: usize, ci: usize, row_of: &[u32]) -> String {
    let row = &t.rows[ri];
    let col = (first_figure_col(t) + ci as u16) as u32;
    if let Some(f) = crate::total::formula_of(schema, row.indicators[ci]) {
        let own: HashMap<IndicatorId, String> = row
            .indicators
            .iter()
            .enumerate()
            .map(|(k, &i)| (i, a1(row_of[ri], (first_figure_col(t) + k as u16) as u32)))
            .collect();
        let cells: Vec<&String> = f.vars.iter().filter_map(|v| own.get(v)).collect();
        let text = super::formulas::excel_formula(schema, f, row.indicators[ci], |v| own.get(&v).cloned());
        let list: Vec<&str> = cells.iter().map(|s| s.as_str()).collect();
        return format!("=IF(COUNT({})<{},\"\",IFERROR({text},\"\"))", list.join(","), cells.len());
    }
    // The parts given add up (as the checks add them); none given, blank.
    let parts: Vec<String> = row.parts.iter().map(|&p| a1(row_of[p], col)).collect();
    let list = parts.join(",");
    format!("=IF(COUNT({list})=0,\"\",SUM({list}))")
}

/// The styles of the form.
pub struct FormStyles {
    pub title: Format,
    pub bold: Format,
    pub text: Format,
    pub italic: Format,
    pub center: Format,
    pub cell: Format,
    pub head: Format,
}

impl FormStyles {
    pub fn new() -> FormStyles {
        let base = Format::new().set_font_name(FONT).set_font_size(12);
        let cell = base.clone().set_border(FormatBorder::Thin).set_text_wrap();
        FormStyles {
            title: base.clone().set_font_size(14).set_bold().set_align(FormatAlign::Center),
            bold: base.clone().set_bold(),
            italic: base.clone().set_italic(),
            center: base.clone().set_align(FormatAlign::Center),
            text: base.clone().set_text_wrap().set_align(FormatAlign::Top),
            head: cell
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(Color::RGB(FILL_HEADER)),
            cell,
        }
    }

    /// A figure cell of an indicator: its number format, its fill.
    pub fn figure(&self, schema: &Schema, ind: IndicatorId, fill: Option<u32>) -> Format {
        let num = match (schema.unit_code(ind), schema.indicators[ind].kind) {
            ("%", _) => format!("{VN}0.0##"),
            (_, Kind::Count) => format!("{VN}#,##0"),
            _ => format!("{VN}#,##0.0##"),
        };
        let f = self.cell.clone().set_num_format(num).set_align(FormatAlign::Right);
        match fill {
            Some(c) => f.set_background_color(Color::RGB(c)),
            None => f,
        }
    }
}

/// Writes the title, the hamlet and month lines, and every table's titles,
/// headers and row labels; the figure cells are the caller's.
pub fn write_frame(
    ws: &mut Worksheet,
    schema: &Schema,
    plan: &Plan,
    hamlet: HamletId,
    period: Period,
    st: &FormStyles,
) -> Result {
    let heading = format!("{} THÁNG {} NĂM {}", form_title(schema), period.month, period.year);
    ws.merge_range(0, 0, 0, plan.last_col, &heading, &st.title)?;
    ws.set_row_height(0, 22)?;
    // What the reader reads first: the hamlet and the month, each labelled.
    // Open to change on a protected form: a hamlet that copies last
    // month's form changes the month here (the reader then says so).
    let line = st.bold.clone().set_unlocked();
    let word = crate::words::capitalized(&schema.commune.words.hamlet);
    ws.write_string_with_format(1, 0, format!("{word}: {}", schema.hamlet_name(hamlet)), &line)?;
    ws.write_string_with_format(1, 3.min(plan.last_col), format!("Tháng: {}", period.display_vn()), &line)?;
    for (&(ti, row), t) in plan.tables.iter().zip(schema.tables.iter()) {
        ws.write_string_with_format(row, 0, format!("{}. {}", roman(ti), t.title.text.to_uppercase()), &st.bold)?;
        table_frame(ws, schema, t, row + 1, st)?;
    }
    ws.set_column_width(0, 5)?;
    ws.set_column_width(LABEL_COL, 34)?;
    for c in LABEL_COL + 1..=plan.last_col {
        ws.set_column_width(c, 13)?;
    }
    ws.set_paper_size(9);
    ws.set_margins(0.5, 0.4, 0.6, 0.6, 0.3, 0.3);
    ws.set_print_fit_to_pages(1, 0);
    Ok(())
}

/// The form's title. The schema's report title is the commune's summary
/// ("báo cáo tổng hợp"); a hamlet's report is its own.
fn form_title(_schema: &Schema) -> String {
    "BÁO CÁO KẾT QUẢ SẢN XUẤT VÀ ĐỜI SỐNG".into()
}

/// A table's header row and row labels, from `row`.
fn table_frame(ws: &mut Worksheet, schema: &Schema, t: &Table, row: u32, st: &FormStyles) -> Result {
    let label_head = if t.label_header.text.is_empty() { "Chỉ tiêu" } else { &t.label_header.text };
    let mut heads = vec!["STT".to_string(), label_head.to_string()];
    if !t.is_grid() {
        heads.push("ĐVT".into());
    }
    for c in &t.columns {
        heads.push(match c.unit {
            Some(u) => format!("{} ({})", c.labels.text, schema.units.get(u).code),
            None => c.labels.text.clone(),
        });
    }
    heads.push("Ghi chú".into());
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, h, &st.head)?;
    }
    ws.set_row_height(row, 32)?;
    let mut n = 0;
    let is_part = |r: usize| t.rows.iter().any(|o| o.parts.contains(&r));
    for (ri, r) in t.rows.iter().enumerate() {
        let at = row + 1 + ri as u32;
        let label = if is_part(ri) {
            ws.write_blank(at, 0, &st.cell)?;
            format!("- {}", r.labels.text)
        } else {
            n += 1;
            ws.write_number_with_format(at, 0, n as f64, &st.cell)?;
            r.labels.text.clone()
        };
        ws.write_string_with_format(at, LABEL_COL, &label, &st.cell)?;
        if !t.is_grid() {
            ws.write_string_with_format(at, LABEL_COL + 1, schema.unit_code(r.indicators[0]), &st.cell)?;
        }
        ws.write_blank(at, first_figure_col(t) + t.columns.len() as u16, &st.cell)?;
    }
    Ok(())
}
