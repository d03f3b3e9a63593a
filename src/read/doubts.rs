//! Figures the sheet itself casts doubt on: in a hidden row or column (read
//! and added, but said), or in a cell merged over several figures of the
//! form (whose is it? not read, and said).

use rustc_hash::FxHashMap as HashMap;

use super::book::Book;
use super::issues::Issue;
use crate::model::{Entries, Entry, Finding, IndicatorId, a1, column_name};
use crate::schema::Schema;

/// The name a figure goes by in a message: its row's ("Lúa vụ xuân"), not
/// its column's.
fn label(schema: &Schema, i: IndicatorId) -> &str {
    schema.indicators[i].group.as_deref().unwrap_or(&schema.indicators[i].name)
}

/// Figures read from hidden rows and columns: read and added, but said,
/// once per row or column.
pub(super) fn hidden_figures(
    book: &mut Book,
    sheet: &str,
    entries: &Entries,
    schema: &Schema,
    findings: &mut Vec<Finding>,
) {
    let (rows, cols) = (book.hidden_rows(sheet), book.hidden_cols(sheet));
    if rows.is_empty() && cols.is_empty() {
        return;
    }
    // (is a column, its index) → the labels of its figures, and the first.
    let mut lines: Vec<((bool, u32), Vec<&str>, &Entry)> = Vec::new();
    for (i, e) in entries.enumerate() {
        let Some(e) = e.as_ref().filter(|e| e.value.is_some()) else { continue };
        let name = label(schema, i);
        let hidden = [(false, e.source.row, &rows), (true, e.source.col, &cols)];
        for (is_col, at, list) in hidden {
            if !list.contains(&at) {
                continue;
            }
            match lines.iter_mut().find(|l| l.0 == (is_col, at)) {
                Some(l) if !l.1.contains(&name) => l.1.push(name),
                Some(_) => {}
                None => lines.push(((is_col, at), vec![name], e)),
            }
        }
    }
    for ((is_col, at), names, entry) in lines {
        let labels = &names.join(", ");
        let issue = if is_col {
            Issue::HiddenColumn { col: column_name(at), labels }
        } else {
            Issue::HiddenRow { row: at + 1, labels }
        };
        findings.push(issue.finding().at(&entry.source));
    }
}

/// A cell merged over figures of several rows (or columns) of the form:
/// calamine gives its value to the first, but it may be the others', or
/// their sum. None of them is read.
pub(super) fn merged_figures(
    book: &mut Book,
    sheet: &str,
    sets: &mut [&mut Entries],
    schema: &Schema,
    findings: &mut Vec<Finding>,
) {
    let merges = book.merges(sheet);
    if merges.is_empty() {
        return;
    }
    let mut placed: HashMap<(u32, u32), Vec<(usize, IndicatorId)>> = HashMap::default();
    for (k, set) in sets.iter().enumerate() {
        for (i, e) in set.enumerate() {
            if let Some(e) = e {
                placed.entry((e.source.row, e.source.col)).or_default().push((k, i));
            }
        }
    }
    for m in merges.iter().filter(|m| m.start != m.end) {
        let Some(first) = placed.get(&m.start) else { continue };
        let inside = |&(r, c): &(u32, u32)| (m.start.0..=m.end.0).contains(&r) && (m.start.1..=m.end.1).contains(&c);
        let covered: Vec<(usize, IndicatorId)> =
            placed.iter().filter(|(p, _)| **p != m.start && inside(p)).flat_map(|(_, v)| v.clone()).collect();
        if covered.is_empty() {
            continue;
        }
        let (k0, i0) = first[0];
        let Some(top) = sets[k0][i0].clone() else { continue };
        let mut names: Vec<&str> = Vec::new();
        for &(k, i) in first.iter().chain(&covered) {
            if !names.contains(&label(schema, i)) {
                names.push(label(schema, i));
            }
            if let Some(e) = sets[k][i].as_mut() {
                (e.value, e.unreadable) = (None, true);
            }
        }
        let cells = format!("{}:{}", a1(m.start.0, m.start.1), a1(m.end.0, m.end.1));
        let value = top.value.map(crate::text::vn_figure).unwrap_or_default();
        let issue = Issue::MergedFigure { cells: &cells, value: &value, labels: &names.join(", ") };
        findings.push(issue.finding().at(&top.source).indicator(i0));
    }
}
