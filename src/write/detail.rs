//! Chi tiết thôn: every indicator for every hamlet side by side, the commune
//! total a live formula over the hamlet cells with its value stored, and
//! each hamlet cell with a finding coloured and noted with its source.

use crate::words::say;
use std::collections::HashMap;

use rust_xlsxwriter::{Formula, Worksheet};

use super::formulas::{Cells, hamlet_formula, total_formula};
use super::styles::{Fig, Mark, Styles, letterhead, print_area, print_setup, read_note, roman};
use super::workbook::Input;
use super::{Result, by_section};
use crate::model::{Finding, IndicatorId, Severity, Source};
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

pub fn sheet(ws: &mut Worksheet, input: &Input<'_>, st: &Styles) -> Result {
    ws.set_name(say(NAME))?;
    // A total with no figure is stored as empty text, not as 0.
    ws.set_formula_result_default("");
    let schema = input.schema;
    let nh = schema.hamlets.len() as u16;
    let (first_hamlet, total) = (3, 3 + nh);
    // The codes in column A are for scripts and filters: the page starts at B.
    let head_row = letterhead(ws, &input.letterhead(), st, 1, total)?;
    let mut heads: Vec<String> = vec!["Mã".into(), "Chỉ tiêu".into(), "ĐVT".into()];
    heads.extend(schema.hamlets.iter().map(|h| h.name.clone()));
    heads.push(say("Toàn xã"));
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(head_row, c as u16, h, &st.header)?;
    }
    ws.set_row_height(head_row, 32)?;
    // Rows first, so formulas can name the rows of the figures they use.
    let sections = by_section(schema);
    let mut row_of: HashMap<IndicatorId, u32> = HashMap::new();
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
        ws.write_string_with_format(r, 0, roman(si), &st.section)?;
        let title = format!("{}. {}", roman(si), schema.sections[*section].title.to_uppercase());
        ws.merge_range(r, 1, r, total, &title, &st.section)?;
    }
    let mut rows: Vec<(IndicatorId, u32)> = row_of.iter().map(|(i, r)| (*i, *r)).collect();
    rows.sort_by_key(|x| x.1);
    let layout = Layout { first_hamlet, total, row_of, notes: CellNotes::new(&input.outcome.findings) };
    for (i, r) in rows {
        indicator_row(ws, input, st, &layout, i, r)?;
    }
    let last_row = row - 1;
    ws.set_column_width(0, 17)?;
    ws.set_column_width(1, 38)?;
    ws.set_column_width(2, 7)?;
    for c in first_hamlet..=total {
        ws.set_column_width(c, 11)?;
    }
    ws.set_freeze_panes(head_row + 1, 3)?;
    ws.autofilter(head_row, 0, last_row, total)?;
    let legend = last_row + 1;
    ws.merge_range(
        legend,
        1,
        legend,
        total,
        &say("Ô tô đỏ: số có lỗi; vàng: số có cảnh báo; xám: số của tháng trước (tháng này chưa đọc được). Rê chuột vào ô để xem ghi chú và nguồn. Cột Toàn xã là công thức trên các ô của thôn."),
        &st.note,
    )?;
    ws.set_row_height(legend, 34)?;
    print_setup(ws, head_row, head_row)?;
    print_area(ws, legend, 1, total)
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
