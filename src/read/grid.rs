//! One sheet's cells, whatever format they came from: a sparse, sorted list
//! of the cells that hold something, with what calamine tells about them.

use std::sync::Arc;

use calamine::{Data, DataRef, Dimensions};

/// A cell's content.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Empty,
    Number(f64),
    Text(String),
    Bool(bool),
    /// An error value such as #DIV/0! or #REF!.
    Error(String),
    /// A date, as an Excel serial.
    Date(f64),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub row: u32,
    pub col: u32,
    pub val: Val,
    /// The cell's formula, where the format gives it with the value (xlsx);
    /// its value is the one last computed and stored, if any.
    pub formula: Option<Box<str>>,
}

/// Reports are small; a sheet with cells past these is a data dump, and only
/// its top-left part can hold a report.
pub const MAX_ROWS: u32 = 5_000;
pub const MAX_COLS: u32 = 200;

#[derive(Debug, Clone)]
pub struct Grid {
    pub sheet: Arc<str>,
    pub hidden: bool,
    /// The sheet is a form tonghop made (its hidden identity is there): its
    /// formulas are the form's own, and one that gives nothing is blank.
    pub own_form: bool,
    pub is_1904: bool,
    /// Sorted by (row, col); only cells with a value or a formula.
    cells: Vec<Cell>,
    /// Merged regions, where the format gives them, by their top-left cell.
    merges: rustc_hash::FxHashMap<(u32, u32), Dimensions>,
    /// Cells past [`MAX_ROWS`] or [`MAX_COLS`] were left out.
    pub truncated: bool,
    /// Columns the sheet hides, where the format tells.
    pub hidden_cols: Vec<u32>,
    /// What the cells say at a glance under a schema, worked out once;
    /// forgotten whenever the cells change (see `read::shape`).
    pub(super) look: std::sync::OnceLock<super::shape::Look>,
}

impl Grid {
    pub fn new(sheet: Arc<str>, mut cells: Vec<Cell>) -> Grid {
        let truncated = cells.iter().any(|c| (c.row >= MAX_ROWS || c.col >= MAX_COLS) && c.val != Val::Empty);
        cells.retain(|c| c.row < MAX_ROWS && c.col < MAX_COLS && (c.val != Val::Empty || c.formula.is_some()));
        cells.sort_by_key(|c| (c.row, c.col));
        cells.dedup_by_key(|c| (c.row, c.col));
        Grid {
            sheet,
            hidden: false,
            own_form: false,
            is_1904: false,
            cells,
            merges: Default::default(),
            truncated,
            hidden_cols: Vec::new(),
            look: Default::default(),
        }
    }

    pub fn cells(&self) -> &[Cell] {
        &self.cells
    }

    pub fn get(&self, row: u32, col: u32) -> Option<&Cell> {
        self.cells.binary_search_by_key(&(row, col), |c| (c.row, c.col)).ok().map(|i| &self.cells[i])
    }

    pub fn val(&self, row: u32, col: u32) -> &Val {
        self.get(row, col).map_or(&Val::Empty, |c| &c.val)
    }

    pub fn text(&self, row: u32, col: u32) -> Option<&str> {
        match self.val(row, col) {
            Val::Text(t) => Some(t.as_str()),
            _ => None,
        }
    }

    /// The cells of one row, in column order.
    pub fn row(&self, row: u32) -> &[Cell] {
        let start = self.cells.partition_point(|c| c.row < row);
        let end = self.cells.partition_point(|c| c.row <= row);
        &self.cells[start..end]
    }

    pub fn text_cells(&self) -> impl Iterator<Item = (&Cell, &str)> {
        self.cells.iter().filter_map(|c| match &c.val {
            Val::Text(t) => Some((c, t.as_str())),
            _ => None,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// Replaces every text by `f(text)`, e.g. to decode a legacy encoding.
    pub fn map_texts(&mut self, mut f: impl FnMut(&Cell, &str) -> Option<String>) {
        self.look = Default::default();
        for i in 0..self.cells.len() {
            if let Val::Text(t) = &self.cells[i].val
                && let Some(new) = f(&self.cells[i], t)
            {
                self.cells[i].val = Val::Text(new);
            }
        }
    }

    /// The merged region whose top-left cell this is.
    pub fn merge_at(&self, row: u32, col: u32) -> Option<&Dimensions> {
        self.merges.get(&(row, col))
    }

    /// Every merged region, in no order.
    pub fn merges(&self) -> impl Iterator<Item = &Dimensions> {
        self.merges.values()
    }

    pub fn set_merges(&mut self, merges: Vec<Dimensions>) {
        self.merges = merges.into_iter().map(|d| (d.start, d)).collect();
    }
}

/// A cell's content as calamine gives it, strings moved, not copied.
pub fn val_of_data(d: Data) -> Val {
    match d {
        Data::Empty => Val::Empty,
        Data::Int(i) => Val::Number(i as f64),
        Data::Float(f) => number(f),
        Data::String(s) => text_val(s),
        Data::Bool(b) => Val::Bool(b),
        Data::DateTime(dt) => Val::Date(dt.as_f64()),
        Data::DateTimeIso(s) => iso_date(&s),
        Data::DurationIso(s) => Val::Text(s),
        Data::Error(e) => Val::Error(e.to_string()),
    }
}

/// The same for a borrowed cell of the streaming readers.
pub fn val_of_ref(d: &DataRef<'_>) -> Val {
    val_of_data(Data::from(d.clone()))
}

/// A stored number; one that is not finite (NaN, infinity, possible in a
/// corrupt file) is no figure.
fn number(f: f64) -> Val {
    if f.is_finite() { Val::Number(f) } else { Val::Error("#NUM!".into()) }
}

/// The longest text a cell keeps: Excel's own limit for a cell.
pub const MAX_TEXT_CHARS: usize = 32_767;

/// Texts that hold nothing but spaces are empty cells; a text longer than
/// any cell of Excel's is cut, with "…" to say so.
fn text_val(mut s: String) -> Val {
    if s.chars().all(|c| c.is_whitespace()) {
        return Val::Empty;
    }
    if s.len() > MAX_TEXT_CHARS
        && let Some((at, _)) = s.char_indices().nth(MAX_TEXT_CHARS)
    {
        s.truncate(at);
        s.push('…');
    }
    Val::Text(s)
}

/// ODS gives dates as ISO text; keep them as dates (serial), which is what
/// the month detection wants.
fn iso_date(s: &str) -> Val {
    let d = s.get(..10).unwrap_or(s);
    let mut it = d.split('-').map(|p| p.parse::<i64>().ok());
    if let (Some(Some(y)), Some(Some(m)), Some(Some(day))) = (it.next(), it.next(), it.next())
        && (1..=12).contains(&m)
        && (1..=31).contains(&day)
    {
        return Val::Date(crate::calendar::excel_serial(y, m, day));
    }
    Val::Text(s.to_string())
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A sheet of these cells: numbers where the text is one.
    pub fn grid(cells: &[(u32, u32, &str)]) -> Grid {
        let cells = cells
            .iter()
            .map(|&(row, col, t)| Cell {
                row,
                col,
                val: t.parse::<f64>().map_or_else(|_| Val::Text(t.into()), Val::Number),
                formula: None,
            })
            .collect();
        Grid::new("S".into(), cells)
    }

    #[test]
    fn iso_dates_become_serials() {
        assert_eq!(iso_date("2024-06-15"), Val::Date(45458.0));
        assert_eq!(iso_date("2024-06-15T00:00:00"), Val::Date(45458.0));
        assert_eq!(iso_date("hello"), Val::Text("hello".into()));
    }

    #[test]
    fn rows_and_lookup() {
        let c = |row, col, v: f64| Cell { row, col, val: Val::Number(v), formula: None };
        let g = Grid::new("S".into(), vec![c(2, 1, 3.0), c(0, 0, 1.0), c(2, 0, 2.0)]);
        assert_eq!(g.row(2).len(), 2);
        assert_eq!(g.val(2, 1), &Val::Number(3.0));
        assert_eq!(g.val(5, 5), &Val::Empty);
    }
}
