//! Finding the form's tables on one sheet by their labels, never by cell
//! address: a row inserted above a table, a column added, sections in another
//! order, a header split over two rows change nothing.
//!
//! The way in is the row labels ("Lúa vụ xuân", "Trâu"). Each row label is
//! tied to the nearest header row above it that names its table's columns;
//! that header says which sheet column holds which figure, and in what unit.
//! [`SheetReader`] takes these steps one method each: key the texts, find
//! the header rows, tie labels to headers, lay out the columns, read the
//! figures, and say what is missing.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::grid::{Grid, Val};
use super::issues::Issue;
use super::matcher::{FormRow, Matcher, names};
use super::memo::Memo;
use super::shape::{HEADER_DEPTH, Shape};
use super::written::{ColumnUnit, Conversion};
use crate::model::{Entries, Entry, Finding, IndicatorId, Source, TableId};
use crate::period::Period;
use crate::schema::Schema;
use crate::text::number;
use crate::text::{Keys, keys, quote};

/// What was found on one sheet.
#[derive(Debug, Default)]
pub struct Placed {
    /// By form indicator.
    pub entries: Entries,
    pub findings: Vec<Finding>,
    /// Tables found, in the order of the schema.
    pub tables: Vec<TableId>,
    /// The first row of the first table's header: the header block is above.
    pub first_header_row: Option<u32>,
    /// Some column could not be placed; merged cells may tell more.
    pub missing_columns: bool,
    /// Value cells that were empty: a formula without a stored value, if
    /// the format hides formulas, looks like this.
    pub empty_cells: Vec<(u32, u32, IndicatorId)>,
    /// A figure header names a month or a year: which column is the
    /// report's depends on its month, known only after the sheet is read.
    pub dated_columns: bool,
}

/// A text of the sheet with its keys.
struct TextCell {
    row: u32,
    col: u32,
    keys: Rc<Keys>,
}

/// A row label on the sheet, and the form rows it may be.
struct LabelHit<'m> {
    row: u32,
    col: u32,
    rows: &'m [FormRow],
}

/// The header text of one sheet column over a table's header block.
pub(super) struct HeaderText {
    pub(super) col: u32,
    pub(super) loose: String,
    pub(super) exact: String,
    /// The row of its first text.
    pub(super) row: u32,
}

/// Where a column of the form is on the sheet, and what the unit its header
/// names does to its figures.
#[derive(Debug, Clone)]
pub(super) struct Placement {
    pub col: u32,
    pub unit: ColumnUnit,
}

/// One table as laid out on this sheet.
#[derive(Debug, Clone)]
pub(super) struct Instance {
    pub table: TableId,
    pub header_row: u32,
    /// Each schema column, where it was found.
    pub columns: Vec<Option<Placement>>,
    pub label_col: Option<u32>,
    pub unit_col: Option<u32>,
    /// (sheet row, form row)
    pub rows: Vec<(u32, usize)>,
    /// The schema columns no header names (an uncertain one is said apart).
    pub missing: Vec<usize>,
    /// The schema columns several headers may be, none read, and the sheet
    /// column of the first: their figures are there, but not certainly.
    pub uncertain: Vec<(usize, u32)>,
}

/// What laying out a sheet found, kept for sheets of the same shape.
struct Laid {
    label_cols: HashMap<u32, u32>,
    twice: Vec<(FormRow, u32, u32, u32)>,
    instances: Vec<Instance>,
    missing_columns: bool,
    dated_columns: bool,
}

/// Which header holds a column's figures.
pub(super) enum Choice<'h> {
    One(&'h HeaderText),
    /// Several headers could, equally: said, and none read; the first's column.
    Uncertain(u32),
    None,
}

/// A finding's cell, indicator and message: said once.
pub(super) type SaidKey = (Option<(u32, u32)>, Option<IndicatorId>, String);

/// One sheet being read.
pub(super) struct SheetReader<'a> {
    pub grid: &'a Grid,
    pub schema: &'a Schema,
    pub m: &'a Matcher,
    file: &'a Arc<str>,
    sheet: Arc<str>,
    texts: Vec<TextCell>,
    hits: Vec<LabelHit<'a>>,
    /// A form row written twice: (row, first sheet row, again, label column).
    pub(super) twice: Vec<(FormRow, u32, u32, u32)>,
    /// The column of the row label on each row that has one.
    label_cols: HashMap<u32, u32>,
    /// The report's month, once known: it tells "tháng 5" from "tháng 6".
    pub period: Option<Period>,
    /// Unit findings already said (a ĐVT cell speaks for several figures).
    pub said_units: HashSet<SaidKey>,
    pub out: Placed,
}

impl<'a> SheetReader<'a> {
    pub fn new(grid: &'a Grid, schema: &'a Schema, m: &'a Matcher, file: &'a Arc<str>) -> Self {
        SheetReader {
            grid,
            schema,
            m,
            file,
            sheet: grid.sheet.clone(),
            texts: Vec::new(),
            hits: Vec::new(),
            twice: Vec::new(),
            label_cols: HashMap::default(),
            period: None,
            said_units: HashSet::default(),
            out: Placed { entries: Entries::filled(None, schema.form_count), ..Placed::default() },
        }
    }

    /// Places the form's figures on a sheet.
    pub fn place(
        grid: &'a Grid,
        schema: &'a Schema,
        m: &'a Matcher,
        file: &'a Arc<str>,
        period: Option<Period>,
    ) -> Placed {
        let mut s = SheetReader::new(grid, schema, m, file);
        s.period = period;
        let mut instances = s.lay_out();
        // A table laid out twice (a copy further down) is read once.
        instances.sort_by_key(|i| (i.table, i.header_row));
        for inst in &instances {
            s.read_figures(inst);
            s.unknown_rows(inst, &instances);
        }
        s.rows_twice(&instances);
        s.what_is_missing(&instances);
        s.out
    }

    /// Finds the tables and lays out their columns; a sheet of a shape seen
    /// before in this thread takes what was found then (see [`super::shape`]).
    fn lay_out(&mut self) -> Vec<Instance> {
        thread_local! {
            static LAID: RefCell<Memo<Shape, Rc<Laid>, 256>> = RefCell::default();
        }
        let shape = Shape::of(self.grid, self.period, self.schema, self.m);
        if let Some(laid) = LAID.with(|m| m.borrow().get(self.schema.id, &shape)) {
            return self.reuse(&laid);
        }
        self.key_texts();
        let headers = self.header_rows();
        let mut instances = self.tie_labels(&headers);
        for inst in &mut instances {
            self.lay_out_columns(inst);
        }
        // What was said names this file: only a layout that said nothing is
        // kept for others.
        if self.out.findings.is_empty() {
            let laid = Laid {
                label_cols: self.label_cols.clone(),
                twice: self.twice.clone(),
                instances: instances.clone(),
                missing_columns: self.out.missing_columns,
                dated_columns: self.out.dated_columns,
            };
            LAID.with(|m| m.borrow_mut().keep(self.schema.id, shape, Rc::new(laid)));
        }
        instances
    }

    /// A layout found on another sheet of the same shape, its units' cells
    /// named in this file. The keyed texts and label hits stay empty: only
    /// the layout reads them, and anything read after it must not.
    fn reuse(&mut self, laid: &Laid) -> Vec<Instance> {
        self.label_cols = laid.label_cols.clone();
        self.twice = laid.twice.clone();
        self.out.missing_columns = laid.missing_columns;
        self.out.dated_columns = laid.dated_columns;
        let mut instances = laid.instances.clone();
        for p in instances.iter_mut().flat_map(|i| i.columns.iter_mut().flatten()) {
            if let ColumnUnit::Declared(Some((_, w))) | ColumnUnit::PerRow(Some(w)) = &mut p.unit {
                w.at = self.source(w.at.row, w.at.col);
            }
        }
        instances
    }

    pub fn source(&self, row: u32, col: u32) -> Source {
        Source { file: self.file.clone(), sheet: self.sheet.clone(), row, col }
    }

    /// Texts, keyed once (and cached across files: labels repeat). Merged
    /// header cells lend their text to every cell they cover, so a header
    /// spanning two columns names both. Row labels are found on the way.
    fn key_texts(&mut self) {
        for (c, t) in self.grid.text_cells() {
            if t.chars().count() > 200 {
                continue;
            }
            let k = keys(t);
            if let Some(d) = self.grid.merge_at(c.row, c.col) {
                for col in d.start.1 + 1..=d.end.1.min(d.start.1 + 20) {
                    self.texts.push(TextCell { row: c.row, col, keys: k.clone() });
                }
            }
            // A unit in the ĐVT column ("hộ", "con") is never a row label.
            if self.schema.units.lookup_key(&k.compact).is_none() {
                let rows = self.m.rows_for(t, &k);
                if !rows.is_empty() {
                    self.hits.push(LabelHit { row: c.row, col: c.col, rows });
                }
            }
            self.texts.push(TextCell { row: c.row, col: c.col, keys: k });
        }
        self.texts.sort_by_key(|t| (t.row, t.col));
        for h in &self.hits {
            self.label_cols.entry(h.row).or_insert(h.col);
        }
    }

    /// Header rows of each table: rows where a column label of the table is
    /// written.
    fn header_rows(&self) -> Vec<Vec<u32>> {
        let mut header_rows: Vec<Vec<u32>> = vec![Vec::new(); self.schema.tables.len()];
        for (ti, table) in self.schema.tables.enumerate() {
            let rows = &mut header_rows[ti.index()];
            for t in self.texts.iter().filter(|t| self.m.may_name_column(ti, &t.keys.loose)) {
                let col_named = table.columns.iter().any(|c| names(&t.keys.loose, &t.keys.exact, &c.labels));
                // The longest label wins: "Số hộ nghèo", a row, only begins
                // with the column "Số hộ", and is no header.
                let exact_column = table
                    .columns
                    .iter()
                    .any(|c| c.labels.exact.contains(&t.keys.exact) || c.labels.loose.contains(&t.keys.loose));
                let col_named = col_named && (exact_column || self.m.rows_for_keys(&t.keys).is_empty());
                // Texts come in row order: a row is new if it is not the last one.
                if col_named && rows.last() != Some(&t.row) && !self.is_row_of_figures(t.row, t.col) {
                    rows.push(t.row);
                }
            }
            rows.sort_unstable();
        }
        header_rows
    }

    /// A text where row labels stand, with numbers right of it, is a row of
    /// figures, never a header ("Tổng đàn trâu 25" begins with the column
    /// "Tổng đàn").
    fn is_row_of_figures(&self, row: u32, col: u32) -> bool {
        self.label_cols.values().any(|c| *c == col)
            && self.grid.row(row).iter().any(|c| c.col > col && matches!(c.val, Val::Number(_)))
    }

    /// Rows that head a table, of this form or not: a header of any table,
    /// or a row with the label or unit column's header ("Chỉ tiêu", "ĐVT").
    /// A row of figures never reaches past one to a header above it.
    fn header_like(&self, header_rows: &[Vec<u32>]) -> Vec<u32> {
        let mut rows: Vec<u32> = header_rows.iter().flatten().copied().collect();
        for t in &self.texts {
            let label_header = self.schema.tables.iter().any(|tb| tb.label_header.loose.contains(&t.keys.loose));
            if (label_header || self.m.is_unit_header(&t.keys.loose)) && !self.is_row_of_figures(t.row, t.col) {
                rows.push(t.row);
            }
        }
        rows.sort_unstable();
        rows.dedup();
        rows
    }

    /// Ties each row label to the nearest header above it; a label that may
    /// be rows of two tables with headers equally near is reported, and so
    /// is a row written twice.
    fn tie_labels(&mut self, header_rows: &[Vec<u32>]) -> Vec<Instance> {
        let mut instances: Vec<Instance> = Vec::new();
        let mut seen: HashMap<FormRow, u32> = HashMap::default();
        let heads = self.header_like(header_rows);
        let label_rows: Vec<u32> = self.label_cols.keys().copied().collect();
        // A header-like row between a header and a label blocks it, unless
        // it is the header's own second line (a header spans up to four
        // rows, with no row label among them).
        let blocked = |h: u32, row: u32| {
            heads[heads.partition_point(|x| *x <= h)..]
                .iter()
                .take_while(|x| **x < row)
                .any(|&x| x > h + HEADER_DEPTH || label_rows.iter().any(|r| *r > h && *r < x))
        };
        for hit in &self.hits {
            if self.is_heading(hit, header_rows) {
                continue;
            }
            let with_header: Vec<(FormRow, u32)> = hit
                .rows
                .iter()
                .filter_map(|&(t, r)| {
                    // The nearest header row above, within reach.
                    let rows = &header_rows[t.index()];
                    let h = rows.get(rows.partition_point(|h| *h < hit.row).checked_sub(1)?)?;
                    // Not past another table's header: a table whose own
                    // header names none of its columns borrows no other's.
                    (hit.row - h <= 80 && !blocked(*h, hit.row)).then_some(((t, r), *h))
                })
                .collect();
            let ((t, r), h) = match with_header.as_slice() {
                [] => continue,
                [one] => *one,
                many => {
                    // Prefer the table whose header is nearest.
                    let nearest = many.iter().map(|x| x.1).max().unwrap_or(0);
                    let best: Vec<_> = many.iter().filter(|x| x.1 == nearest).collect();
                    if best.len() > 1 {
                        let rows: Vec<&str> = best
                            .iter()
                            .map(|((t, r), _)| self.schema.tables[*t].rows[*r].labels.text.as_str())
                            .collect();
                        let text = self.grid.text(hit.row, hit.col).unwrap_or_default();
                        let f = Issue::AmbiguousLabel { text, rows: &rows.join("; ") }.finding();
                        self.out.findings.push(f.at(&self.source(hit.row, hit.col)));
                        continue;
                    }
                    *best[0]
                }
            };
            if let Some(&first) = seen.get(&(t, r)) {
                if first != hit.row {
                    // Said once its figures are read: the same, or not.
                    self.twice.push(((t, r), first, hit.row, hit.col));
                }
                continue;
            }
            seen.insert((t, r), hit.row);
            match instances.iter_mut().find(|i| i.table == t && i.header_row == h) {
                Some(inst) => inst.rows.push((hit.row, r)),
                None => instances.push(Instance {
                    table: t,
                    header_row: h,
                    columns: Vec::new(),
                    label_col: Some(hit.col),
                    unit_col: None,
                    rows: vec![(hit.row, r)],
                    missing: Vec::new(),
                    uncertain: Vec::new(),
                }),
            }
        }
        instances
    }

    /// A section heading with the words of a row ("III. TRỒNG RỪNG" over a
    /// table with the row "Trồng rừng"): alone on its line (a row has a
    /// number, a unit or a figure beside it), and numbered with a Roman
    /// numeral or just above a header of the row's table (rows follow their
    /// header).
    fn is_heading(&self, hit: &LabelHit<'_>, header_rows: &[Vec<u32>]) -> bool {
        let text = self.grid.text(hit.row, hit.col).unwrap_or_default().trim_start();
        let roman = text.split(['.', ')']).next().is_some_and(|n| {
            !n.is_empty() && n.len() <= 5 && n.chars().all(|c| "IVX".contains(c)) && text.len() > n.len()
        });
        let alone = self.grid.row(hit.row).iter().all(|c| c.col == hit.col || c.val == Val::Empty);
        let header_below =
            hit.rows.iter().any(|&(t, _)| header_rows[t.index()].iter().any(|&h| h > hit.row && h <= hit.row + 3));
        alone && (roman || header_below)
    }

    /// The combined header text of each sheet column over a table's header
    /// block (up to three rows, and not into the first row of figures).
    fn header_texts(&self, inst: &Instance) -> (Vec<HeaderText>, u32) {
        let first_data = inst.rows.iter().map(|r| r.0).min().unwrap_or(inst.header_row + 1);
        let block_end = first_data.saturating_sub(1).min(inst.header_row + HEADER_DEPTH);
        let mut by_col: HashMap<u32, HeaderText> = HashMap::default();
        for t in self.texts.iter().filter(|t| t.row >= inst.header_row && t.row <= block_end) {
            let e = by_col.entry(t.col).or_insert_with(|| HeaderText {
                col: t.col,
                loose: String::new(),
                exact: String::new(),
                row: t.row,
            });
            if !e.loose.is_empty() {
                e.loose.push(' ');
                e.exact.push(' ');
            }
            e.loose.push_str(&t.keys.loose);
            e.exact.push_str(&t.keys.exact);
        }
        let mut headers: Vec<HeaderText> = by_col.into_values().collect();
        headers.sort_by_key(|h| h.col);
        (headers, block_end)
    }

    /// Which sheet column holds each of the table's columns, from its header
    /// block; the label and unit columns are never figures.
    fn lay_out_columns(&mut self, inst: &mut Instance) {
        let (headers, block_end) = self.header_texts(inst);
        let label_cols: Vec<u32> = inst.rows.iter().filter_map(|(row, _)| self.label_cols.get(row).copied()).collect();
        let label_col = mode(&label_cols);
        inst.label_col = label_col;
        inst.unit_col =
            headers.iter().filter(|h| Some(h.col) != label_col && self.m.is_unit_header(&h.loose)).map(|h| h.col).min();
        let table = &self.schema.tables[inst.table];
        for col in &table.columns {
            let candidates: Vec<&HeaderText> = headers
                .iter()
                .filter(|h| Some(h.col) != label_col && Some(h.col) != inst.unit_col)
                .filter(|h| {
                    // A header names the column if it, or what follows one of
                    // its words ("Kết quả thực hiện Diện tích"), does.
                    let tails = |s: &str| -> Vec<usize> { s.match_indices(' ').map(|(i, _)| i + 1).collect() };
                    let (tl, te) = (tails(&h.loose), tails(&h.exact));
                    names(&h.loose, &h.exact, &col.labels)
                        || tl.iter().zip(&te).any(|(&a, &b)| names(&h.loose[a..], &h.exact[b..], &col.labels))
                })
                .collect();
            let figures: Vec<&HeaderText> = candidates.into_iter().filter(|h| !self.m.is_plan(&h.loose)).collect();
            match self.choose(inst.table, col, &figures) {
                Choice::One(h) => {
                    let unit = self.column_unit(col.unit, h.col, h.row, block_end);
                    inst.columns.push(Some(Placement { col: h.col, unit }));
                }
                Choice::Uncertain(at) => {
                    inst.uncertain.push((inst.columns.len(), at));
                    inst.columns.push(None);
                }
                Choice::None => {
                    self.out.missing_columns = true;
                    inst.missing.push(inst.columns.len());
                    inst.columns.push(None);
                }
            }
        }
    }

    /// Reads the figures of an instance's rows.
    fn read_figures(&mut self, inst: &Instance) {
        let table = &self.schema.tables[inst.table];
        for &ci in &inst.missing {
            let column = &table.columns[ci].labels.text;
            let f = Issue::MissingColumn { table: &table.title.text, column }.finding();
            self.out.findings.push(f.at(&self.source(inst.header_row, inst.label_col.unwrap_or(0))));
        }
        for &(row, r) in &inst.rows {
            let row_def = &table.rows[r];
            for &(ci, col) in &inst.uncertain {
                let source = self.source(row, col);
                self.out.entries[row_def.indicators[ci]] =
                    Some(Entry { value: None, decimals: 0, unreadable: true, missing: false, source });
            }
            // A unit written on the row ("km" for a road) converts the figure.
            let row_units = self.row_units(row, inst.unit_col, inst.label_col);
            for (ci, col) in inst.columns.iter().enumerate() {
                let Some(p) = col else { continue };
                let ind = row_def.indicators[ci];
                let at = self.source(row, p.col);
                let factor = match self.figure_conversion(ind, &p.unit, &row_units, &at) {
                    Conversion::Factor(f) => f,
                    Conversion::LeftOut => {
                        // Said where the unit is written; never read as the form's unit.
                        let source = self.source(row, p.col);
                        self.out.entries[ind] =
                            Some(Entry { value: None, decimals: 0, unreadable: true, missing: false, source });
                        continue;
                    }
                };
                let (entry, finding) = self.read_cell(row, p.col, ind, factor);
                if entry.value.is_none() && !entry.unreadable {
                    self.out.empty_cells.push((row, p.col, ind));
                }
                if let Some(f) = finding {
                    self.out.findings.push(f.indicator(ind));
                }
                self.out.entries[ind] = Some(entry);
            }
            self.stray_figure(inst, row, &row_def.indicators);
        }
    }

    /// Rows inside a table whose label is not one the form knows, but that
    /// carry figures: said rather than guessed.
    fn unknown_rows(&mut self, inst: &Instance, all: &[Instance]) {
        let Some(label_col) = inst.label_col else { return };
        let value_cols: Vec<u32> = inst.columns.iter().flatten().map(|p| p.col).collect();
        // From under the header: a row above the first known one is as
        // unknown as one below it.
        let first = inst.header_row + 1;
        let last = inst.rows.iter().map(|r| r.0).max().unwrap_or(first);
        // Up to the next table's header, or a little past the last known row.
        let next_header = all.iter().map(|i| i.header_row).filter(|h| *h > inst.header_row).min().unwrap_or(u32::MAX);
        let end = (last + 3).min(next_header.saturating_sub(1));
        let table = &self.schema.tables[inst.table].title.text;
        for row in first..=end {
            if self.label_cols.contains_key(&row) {
                continue;
            }
            let Some(label) = self.grid.text(row, label_col) else { continue };
            // A row of column numbers under the header ("A", "B", "1", "(2)").
            let mark = label.trim_matches(|c: char| c == '(' || c == ')' || c.is_whitespace());
            if mark.chars().count() <= 1 || mark.chars().all(|c| c.is_ascii_digit()) {
                continue;
            }
            let has_figure = value_cols.iter().any(|c| match self.grid.val(row, *c) {
                Val::Number(_) => true,
                Val::Text(t) => number::parse(t, false).is_some(),
                _ => false,
            });
            if !has_figure {
                continue;
            }
            let total = self.m.is_total(label);
            let label = &quote(label);
            let issue = if total { Issue::TotalRow { table, label } } else { Issue::UnknownLabel { table, label } };
            self.out.findings.push(issue.finding().at(&self.source(row, label_col)));
        }
    }

    /// The tables found, and the tables and rows of the form that are not.
    fn what_is_missing(&mut self, instances: &[Instance]) {
        let mut tables: Vec<TableId> = instances.iter().map(|i| i.table).collect();
        tables.sort_unstable();
        tables.dedup();
        self.out.first_header_row = instances.iter().map(|i| i.header_row).min();
        if !tables.is_empty() {
            for (ti, table) in self.schema.tables.enumerate() {
                let title = &table.title.text;
                if !tables.contains(&ti) {
                    let f = Issue::MissingTable { table: title }.finding().on_sheet(self.file, &self.sheet);
                    self.out.findings.push(f);
                    continue;
                }
                for row in &table.rows {
                    if !row.parts.is_empty() || self.out.entries[row.indicators[0]].is_some() {
                        continue;
                    }
                    let f = Issue::MissingRow { table: title, row: &row.labels.text }.finding();
                    self.out.findings.push(f.on_sheet(self.file, &self.sheet).indicator(row.indicators[0]));
                }
            }
        }
        self.out.tables = tables;
    }
}

fn mode(v: &[u32]) -> Option<u32> {
    let mut counts: HashMap<u32, usize> = HashMap::default();
    for x in v {
        *counts.entry(*x).or_default() += 1;
    }
    counts.into_iter().max_by_key(|(c, n)| (*n, std::cmp::Reverse(*c))).map(|(c, _)| c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::grid::tests::grid;

    const SCHEMA: &str = r#"
[[unit]]
code = "ha"
dimension = "area"

[[table]]
id = "cay"
title = "Cây trồng"

[[table.column]]
code = "dien_tich"
label = "Diện tích"
unit = "ha"

[[table.row]]
code = "san"
label = "Sắn"

[[table.row]]
code = "san_xuat"
label = "Sản"

[[hamlet]]
name = "Lạc Sơn"
"#;

    fn place(g: &Grid, schema: &Schema) -> Placed {
        SheetReader::place(g, schema, &Matcher::new(schema), &"f.xlsx".into(), None)
    }

    #[test]
    fn a_label_that_may_be_two_rows_is_reported_not_guessed() {
        let schema = Schema::from_text("t.toml", SCHEMA).unwrap_or_else(|e| panic!("{e}"));
        let g =
            grid(&[(0, 0, "Cây"), (0, 1, "Diện tích (ha)"), (1, 0, "San"), (1, 1, "5"), (2, 0, "Sắn"), (2, 1, "7")]);
        let p = place(&g, &schema);
        let san = schema.indicator("san.dien_tich").unwrap();
        let sx = schema.indicator("san_xuat.dien_tich").unwrap();
        assert_eq!(p.entries[san].as_ref().and_then(|e| e.value), Some(7.0), "the exact label wins");
        assert!(p.entries[sx].is_none(), "no guess");
        let f = p.findings.iter().find(|f| f.rule == crate::model::RuleRef::Reading("nhan_mo_ho")).expect("ambiguous");
        assert_eq!(f.cell, Some((1, 0)));
    }

    fn shape(g: &Grid, schema: &Schema) -> Shape {
        Shape::of(g, None, schema, &Matcher::new(schema))
    }

    /// Placed afresh, in a thread with nothing kept.
    fn place_cold(g: &Grid, schema: &Schema) -> String {
        std::thread::scope(|s| s.spawn(|| format!("{:?}", place(g, schema))).join().unwrap())
    }

    #[test]
    fn a_layout_is_reused_only_for_the_same_shape() {
        let schema = Schema::from_text("t.toml", SCHEMA).unwrap();
        let sheet = |title: &str, header: &str, figure: &str| {
            grid(&[(0, 0, title), (2, 0, "Cây"), (2, 1, header), (3, 0, "Sắn"), (3, 1, figure)])
        };
        let may = sheet("Báo cáo tháng 5 năm 2024 thôn Lạc Sơn", "Diện tích (ha)", "7");
        let june = sheet("Báo cáo tháng 6 năm 2024 thôn Đông", "Diện tích (ha)", "9");
        let sao = sheet("Báo cáo tháng 6 năm 2024 thôn Đông", "Diện tích (sào)", "9");
        let text = sheet("Báo cáo tháng 6 năm 2024 thôn Đông", "Diện tích (ha)", "chín");
        // The title and the figures are no part of the shape; the header's
        // unit and a figure become text are.
        assert_eq!(shape(&may, &schema), shape(&june, &schema));
        assert_ne!(shape(&june, &schema), shape(&sao, &schema));
        assert_ne!(shape(&june, &schema), shape(&text, &schema));
        // Placed after a sheet of the same shape, a sheet gives what it gives
        // alone, its own figures at its own cells.
        for g in [&june, &sao, &text] {
            let warm = std::thread::scope(|s| {
                s.spawn(|| {
                    SheetReader::place(&may, &schema, &Matcher::new(&schema), &"other.xlsx".into(), None);
                    format!("{:?}", place(g, &schema))
                })
                .join()
                .unwrap()
            });
            assert_eq!(warm, place_cold(g, &schema));
        }
        let san = schema.indicator("san.dien_tich").unwrap();
        let p = place(&june, &schema);
        assert_eq!(p.entries[san].as_ref().and_then(|e| e.value), Some(9.0));
    }

    #[test]
    fn a_reused_layout_says_its_units_at_this_files_cells() {
        // The header's unit is said at each figure it converts, in the file
        // being read, not the file the layout was first found in.
        let schema = Schema::builtin().unwrap();
        let g = grid(&[(0, 0, "Vật nuôi"), (0, 1, "Số lượng (nghìn con)"), (1, 0, "Trâu"), (1, 1, "2")]);
        let m = Matcher::new(&schema);
        let files: Vec<String> = std::thread::scope(|s| {
            s.spawn(|| {
                ["a.xlsx", "b.xlsx"]
                    .iter()
                    .map(|f| {
                        let p = SheetReader::place(&g, &schema, &m, &(*f).into(), None);
                        let said = p.findings.iter().find(|f| f.cell == Some((0, 1))).expect("the unit said");
                        said.file.as_deref().unwrap_or_default().to_string()
                    })
                    .collect()
            })
            .join()
            .unwrap()
        });
        assert_eq!(files, ["a.xlsx", "b.xlsx"]);
    }

    #[test]
    fn a_row_inserted_above_changes_nothing() {
        let schema = Schema::from_text("t.toml", SCHEMA).unwrap();
        let rows = [(0, 0, "Cây"), (0, 1, "Diện tích (ha)"), (1, 0, "Sắn"), (1, 1, "7")];
        let a = place(&grid(&rows), &schema);
        let shifted: Vec<(u32, u32, &str)> = rows.iter().map(|&(r, c, t)| (r + 4, c + 2, t)).collect();
        let b = place(&grid(&shifted), &schema);
        let san = schema.indicator("san.dien_tich").unwrap();
        assert_eq!(a.entries[san].as_ref().unwrap().value, b.entries[san].as_ref().unwrap().value);
        assert_eq!(b.entries[san].as_ref().unwrap().source.cell(), "D6");
    }
}
