//! What an ods sheet hides and merges, from content.xml: rows collapsed or
//! filtered out, columns collapsed, cells spanning rows or columns. Rows,
//! columns and cells repeat ("number-rows-repeated"), so positions are
//! counted, never read off.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::grid::{MAX_COLS, MAX_ROWS};
use super::package::{Marks, attr};

fn count(e: &BytesStart<'_>, local: &str) -> u32 {
    attr(e, local).and_then(|v| v.parse::<u32>().ok()).unwrap_or(1).max(1)
}

/// Where the reading is in the sheet's table.
#[derive(Default)]
struct At {
    inside: bool,
    /// Tables nested in a cell of the sheet's table.
    depth: usize,
    /// The row open now, and the first row after it and its repeats.
    row: u32,
    next_row: u32,
    col: u32,
    /// Columns declared so far (table-column elements).
    declared: u32,
}

pub(super) fn read(xml: &[u8], sheet: &str) -> Marks {
    let mut marks = Marks::default();
    let mut r = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut at = At::default();
    loop {
        match r.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.local_name().as_ref() == "table" => {
                if at.inside {
                    at.depth += 1;
                } else if attr(&e, "name").as_deref() == Some(sheet) {
                    at.inside = true;
                }
            }
            Ok(Event::End(e)) if e.local_name().as_ref() == "table" && at.inside => {
                if at.depth == 0 {
                    break;
                }
                at.depth -= 1;
            }
            Ok(Event::Start(e) | Event::Empty(e)) if at.inside && at.depth == 0 => element(&e, &mut at, &mut marks),
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    marks
}

/// One element of the sheet's table: a column, a row, a cell.
fn element(e: &BytesStart<'_>, at: &mut At, marks: &mut Marks) {
    match e.local_name().as_ref() {
        "table-column" => {
            let n = count(e, "number-columns-repeated");
            if attr(e, "visibility").as_deref() == Some("collapse") {
                marks.hidden_cols.extend(at.declared.min(MAX_COLS)..at.declared.saturating_add(n).min(MAX_COLS));
            }
            at.declared = at.declared.saturating_add(n);
        }
        "table-row" => {
            let n = count(e, "number-rows-repeated");
            if matches!(attr(e, "visibility").as_deref(), Some("collapse" | "filter")) {
                marks.hidden_rows.extend(at.next_row.min(MAX_ROWS)..at.next_row.saturating_add(n).min(MAX_ROWS));
            }
            at.row = at.next_row;
            at.next_row = at.next_row.saturating_add(n);
            at.col = 0;
        }
        "table-cell" | "covered-table-cell" => {
            let n = count(e, "number-columns-repeated");
            let (rows, cols) = (count(e, "number-rows-spanned"), count(e, "number-columns-spanned"));
            if (rows > 1 || cols > 1) && at.row < MAX_ROWS && at.col < MAX_COLS && marks.merges.len() < 20_000 {
                let last = (at.row.saturating_add(rows - 1), at.col.saturating_add(cols - 1));
                marks.merges.push((at.row, at.col, last.0, last.1));
            }
            at.col = at.col.saturating_add(n);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_and_hidden_rows_and_columns_are_counted_through_repeats() {
        let xml = br#"<office:document-content><table:table table:name="Other"><table:table-row><table:table-cell table:number-rows-spanned="9"/></table:table-row></table:table>
<table:table table:name="BC">
<table:table-column table:number-columns-repeated="2"/><table:table-column table:visibility="collapse"/>
<table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="4"/></table:table-row>
<table:table-row><table:table-cell table:number-columns-repeated="3"/><table:table-cell table:number-rows-spanned="2"><text:p>100</text:p></table:table-cell></table:table-row>
<table:table-row table:visibility="collapse"><table:table-cell/></table:table-row>
</table:table></office:document-content>"#;
        let m = read(xml, "BC");
        assert_eq!(m.merges, [(3, 3, 4, 3)]);
        assert_eq!(m.hidden_rows, [4]);
        assert_eq!(m.hidden_cols, [2]);
    }
}
