//! Chi tiết thôn: every indicator for every hamlet side by side, the commune
//! total a live formula over the hamlet cells with its value stored, and
//! each hamlet cell with a finding coloured and noted with its source.

use crate::words::say;
use std::collections::HashMap;

use rust_xlsxwriter::{Formula, Worksheet};

use super::formulas::{Cells, hamlet_formula, total_formula};
use super::pages::{Paged, Wide, print_paged, row_px};
use super::styles::{Fig, Lay, Mark, Styles, column_px, letterhead, print_area, print_setup, read_note, roman};
use super::workbook::Input;
use super::{Result, by_section};
use crate::model::{Finding, IndicatorId, SectionId, Severity, Source};
use crate::schema::Origin;
use crate::text::shown;
use crate::total::HamletFigure;

pub const NAME: &str = "Chi tiết thôn";

/// A cell of a hamlet's file: file, sheet, (row, column).
type CellKey<'a> = (&'a str, &'a str, (u32, u32));

/// Findings by the cell they are about, for highlights and notes.
struct CellNotes<'a> {
    by_cell: HashMap<CellKey<'a>, Vec<&'a Finding>>,
}

impl<'a> CellNotes<'a> {
    fn new(findings: &'a [Finding]) -> Self {
        let mut by_cell: HashMap<_, Vec<&Finding>> = HashMap::new();
        for f in findings.iter().filter(|f| f.severity != Severity::Info) {
            if let (Some(file), Some(sheet), Some(cell)) = (f.file.as_deref(), f.sheet.as_deref(), f.cell) {
                by_cell.entry((file, sheet, cell)).or_default().push(f);
            }
        }
        CellNotes { by_cell }
    }

    fn at(&self, s: &Source) -> Vec<&'a Finding> {
        self.by_cell.get(&(&*s.file, &*s.sheet, (s.row, s.col))).cloned().unwrap_or_default()
    }
}

/// A hamlet's figure: its mark and the note that says why.
fn hamlet_cell(x: &HamletFigure, notes: &CellNotes<'_>) -> (Mark, String) {
    let found: Vec<&Finding> = x.sources.iter().chain(&x.unreadable).flat_map(|s| notes.at(s)).collect();
    let mut text = String::new();
    if let Some(m) = x.from_month {
        text.push_str(&say(&format!("Số của tháng {}: tháng này thôn chưa có số đọc được.\n", m.display_vn())));
    }
    // A note is for a glance: a few findings, names kept short.
    for f in found.iter().take(5) {
        text.push_str(&format!("{}: {}\n", f.severity.label(), shown(&f.message, 600)));
    }
    if !text.is_empty() {
        let src = x
            .sources
            .iter()
            .take(6)
            .map(|s| format!("{} [{}!{}]", shown(&s.file, 120), shown(&s.sheet, 40), s.cell()))
            .collect::<Vec<_>>();
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

/// Where things are on the sheet, and the notes for its cells.
struct Layout<'a> {
    first_hamlet: u16,
    total: u16,
    row_of: HashMap<IndicatorId, u32>,
    notes: CellNotes<'a>,
}

/// The widths of the columns: code, label, unit; then each hamlet and the
/// commune's, a little narrower when they run over pages across (11 of them
/// on a page rather than 10: 40 hamlets on 4 pages rather than 5).
const WIDTHS: (f64, f64, f64) = (17.0, 38.0, 7.0);
const HAMLET_WIDTHS: (f64, f64) = (11.0, 10.0);
/// Rows' heights in points: the default, the header, the legend.
const ROW_PT: (f64, f64, f64) = (15.0, 32.0, 34.0);
/// The title's row over pages across, in points: two lines of 14 pt.
const TITLE_PT: f64 = 40.0;

pub fn sheet(ws: &mut Worksheet, input: &Input<'_>, st: &Styles) -> Result {
    ws.set_name(say(NAME))?;
    // A total with no figure is stored as empty text, not as 0.
    ws.set_formula_result_default("");
    let schema = input.schema;
    let nh = schema.hamlets.len() as u16;
    let (first_hamlet, total) = (3, 3 + nh);
    let sections = by_section(schema);
    // Rows first, so formulas can name the rows of the figures they use.
    let head_row = 7;
    let mut row_of: HashMap<IndicatorId, u32> = HashMap::new();
    let mut row = head_row + 1;
    for (_, inds) in &sections {
        row += 1;
        for &i in inds {
            row_of.insert(i, row);
            row += 1;
        }
    }
    let last_row = row - 1;
    let legend = last_row + 1;
    let (width, paged) = pages(&sections, &row_of, nh);
    // The codes in column A are for scripts and filters: the page starts at
    // B. Over pages across, the header block and the legend are laid over
    // the first page, out of the label columns every page repeats.
    let (lay, legend_cols) = match &paged {
        None => (Lay::over(1, total), (1, total)),
        Some(p) => (centred(p.first_page_last, width), (first_hamlet, p.first_page_last)),
    };
    let head_at = letterhead(ws, &input.letterhead(), st, lay)?;
    debug_assert_eq!(head_at, head_row);
    if paged.is_some() {
        // The title over part of the page takes two lines.
        ws.set_row_height(4, TITLE_PT)?;
    }
    let mut heads: Vec<String> = vec!["Mã".into(), "Chỉ tiêu".into(), "ĐVT".into()];
    heads.extend(schema.hamlets.iter().map(|h| h.name.clone()));
    heads.push(say("Toàn xã"));
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(head_row, c as u16, h, &st.header)?;
    }
    ws.set_row_height(head_row, ROW_PT.1)?;
    for (si, (section, inds)) in sections.iter().enumerate() {
        let r = row_of[&inds[0]] - 1;
        ws.write_string_with_format(r, 0, roman(si), &st.section)?;
        let title = format!("{}. {}", roman(si), schema.sections[*section].title.to_uppercase());
        if paged.is_some() {
            // Over the label columns only, which every page repeats.
            ws.merge_range(r, 1, r, 2, &title, &st.section)?;
            for c in first_hamlet..=total {
                ws.write_blank(r, c, &st.section)?;
            }
        } else {
            ws.merge_range(r, 1, r, total, &title, &st.section)?;
        }
    }
    let mut rows: Vec<(IndicatorId, u32)> = row_of.iter().map(|(i, r)| (*i, *r)).collect();
    rows.sort_by_key(|x| x.1);
    let layout = Layout { first_hamlet, total, row_of, notes: CellNotes::new(&input.outcome.findings) };
    for (i, r) in rows {
        indicator_row(ws, input, st, &layout, i, r)?;
    }
    ws.set_column_width(0, WIDTHS.0)?;
    ws.set_column_width(1, WIDTHS.1)?;
    ws.set_column_width(2, WIDTHS.2)?;
    for c in first_hamlet..=total {
        ws.set_column_width(c, width)?;
    }
    ws.set_freeze_panes(head_row + 1, 3)?;
    ws.autofilter(head_row, 0, last_row, total)?;
    ws.merge_range(
        legend,
        legend_cols.0,
        legend,
        legend_cols.1,
        &say("Ô tô đỏ: số có lỗi; vàng: số có cảnh báo; xám: số của tháng trước (tháng này chưa đọc được). Rê chuột vào ô để xem ghi chú và nguồn. Chỉ tiêu cộng dồn theo tháng (làm được trong tháng) ghi số lũy kế từ đầu năm của mỗi thôn. Cột Toàn xã là công thức trên các ô của thôn."),
        &st.note,
    )?;
    ws.set_row_height(legend, ROW_PT.2)?;
    print_setup(ws, head_row, head_row)?;
    if let Some(p) = &paged {
        print_paged(ws, p, (1, 2))?;
    }
    print_area(ws, legend, 1, total)
}

/// The header block over the first page of columns B..=`last`, out of the
/// label columns every page repeats (or each page would repeat a piece of
/// it): the commune over the first hamlets, the national title over the
/// last, the report's title over the columns from the first hamlet that
/// are centred on the page as near as may be.
fn centred(last: u16, width: f64) -> Lay {
    let labels = column_px(WIDTHS.1) + column_px(WIDTHS.2);
    let col = column_px(width);
    let page = labels + f64::from(last - 2) * col;
    // As far right of the middle as the first hamlet is left of it.
    let span = ((page - 2.0 * labels) / col).round().max(1.0) as u16;
    Lay { title: (3, (2 + span).min(last)), ..Lay::over(3, last) }
}

/// The hamlets' column width, and how the sheet is printed when they make
/// it wider than a page: each section a block kept on one page where it
/// fits, the legend with the last.
fn pages(
    sections: &[(SectionId, Vec<IndicatorId>)],
    row_of: &HashMap<IndicatorId, u32>,
    nh: u16,
) -> (f64, Option<Paged>) {
    let mut blocks: Vec<(u32, f64)> =
        sections.iter().map(|(_, inds)| (row_of[&inds[0]] - 1, row_px(ROW_PT.0) * (inds.len() + 1) as f64)).collect();
    if let Some(last) = blocks.last_mut() {
        last.1 += row_px(ROW_PT.2);
    }
    let wide = |width: f64| {
        let cols = vec![column_px(width); usize::from(nh) + 1];
        Wide {
            labels_px: column_px(WIDTHS.1) + column_px(WIDTHS.2),
            first: 3,
            cols: &cols,
            // The header block: six rows and the title's.
            top_px: row_px(ROW_PT.0) * 6.0 + row_px(TITLE_PT),
            head_px: row_px(ROW_PT.1),
            blocks: &blocks,
        }
        .paged()
    };
    match wide(HAMLET_WIDTHS.0) {
        None => (HAMLET_WIDTHS.0, None),
        Some(_) => (HAMLET_WIDTHS.1, wide(HAMLET_WIDTHS.1)),
    }
}

/// Does a hamlet give this figure (its own, or derived from its own)?
fn input_given(input: &Input<'_>, v: IndicatorId, h: crate::model::HamletId) -> bool {
    input.totals.rows[v].hamlets[h].is_some()
}

/// One indicator: its hamlets' figures and the commune total.
fn indicator_row(
    ws: &mut Worksheet,
    input: &Input<'_>,
    st: &Styles,
    at: &Layout<'_>,
    i: IndicatorId,
    r: u32,
) -> Result {
    let schema = input.schema;
    let ind = &schema.indicators[i];
    let t = &input.totals.rows[i];
    let fig = Fig::of(schema, i);
    ws.write_string_with_format(r, 0, &ind.code, &st.text)?;
    ws.write_string_with_format(r, 1, &ind.name, &st.text)?;
    ws.write_string_with_format(r, 2, schema.unit_code(i), &st.center)?;
    for (h, hf) in t.hamlets.enumerate() {
        let c = at.first_hamlet + h.index() as u16;
        match (&ind.origin, hf) {
            (Origin::Derived(f), _) => {
                // A hamlet's own rate, from its own figures in this sheet;
                // none where they are of different months.
                let mixed = hf.is_none() && f.vars.iter().all(|v| input_given(input, *v, h));
                let text = if mixed { "=\"\"".to_string() } else { hamlet_formula(schema, f, i, &at.row_of, c) };
                let formula =
                    Formula::new(text).set_result(hf.as_ref().map_or_else(String::new, |x| x.value.to_string()));
                ws.write_formula_with_format(r, c, formula, &st.figure(fig, Mark::Plain))?;
            }
            (_, Some(x)) => {
                let (mark, text) = hamlet_cell(x, &at.notes);
                ws.write_number_with_format(r, c, x.value, &st.figure(fig, mark))?;
                if !text.is_empty() {
                    ws.insert_note(r, c, &read_note(&text, 460, 200))?;
                }
            }
            (_, None) => {
                ws.write_blank(r, c, &st.figure(fig, Mark::Plain))?;
            }
        }
    }
    let cells = Cells { hamlets: (at.first_hamlet, at.total - 1), row_of: &at.row_of };
    // A yield withheld (a season not harvested everywhere) is no figure.
    let text =
        if t.withheld.is_some() { "=\"\"".to_string() } else { total_formula(schema, i, r, &cells, t.over.as_deref()) };
    let formula = Formula::new(text).set_result(t.value.map_or_else(String::new, |v| v.to_string()));
    ws.write_formula_with_format(r, at.total, formula, &st.figure(fig, Mark::Total))?;
    Ok(())
}
