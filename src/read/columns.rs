//! Which header holds a column's figures when several name it: "Diện tích
//! (sào)" beside "Diện tích (ha)", "Thực hiện tháng 5" beside "Thực hiện
//! tháng 6", "Diện tích năm 2024" beside "Diện tích năm 2025". The header
//! that is the column's label itself, in its unit, for the report's month,
//! says "thực hiện" and is not hidden is taken, and the others are said;
//! when none stands out, none is read.

use super::issues::Issue;
use super::matcher::unit_in;
use super::sheet::{Choice, HeaderText, SheetReader};
use crate::model::TableId;
use crate::period::find_month_only;
use crate::schema::Column;

impl<'a> SheetReader<'a> {
    pub(super) fn choose<'h>(&mut self, table: TableId, col: &Column, figures: &[&'h HeaderText]) -> Choice<'h> {
        if figures.iter().any(|h| dated(&h.loose) != (None, None)) {
            self.out.dated_columns = true;
        }
        match figures {
            [] => return Choice::None,
            [one] if self.date_fits(one) != Some(false) => return Choice::One(one),
            _ => {}
        }
        // A header of another month or year is never the report's figures.
        let ranked: Vec<(i32, &HeaderText)> =
            figures.iter().filter(|h| self.date_fits(h) != Some(false)).map(|h| (self.rank(col, h), *h)).collect();
        let best = ranked.iter().map(|r| r.0).max().unwrap_or(0);
        let top: Vec<&HeaderText> = ranked.iter().filter(|r| r.0 == best).map(|r| r.1).collect();
        let table = &self.schema.tables[table].title.text;
        let column = &col.labels.text;
        if top.is_empty() {
            let header = self.header_text(figures[0]);
            let month = self.period.map(|p| p.display_vn()).unwrap_or_default();
            let issue = Issue::ColumnOtherMonth { table, column, header: &header, month: &month };
            self.out.findings.push(issue.finding().at(&self.source(figures[0].row, figures[0].col)));
            return Choice::Uncertain(figures[0].col);
        }
        let text = |h: &HeaderText| self.header_text(h);
        if let [one] = top.as_slice() {
            let others: Vec<String> =
                figures.iter().filter(|h| h.col != one.col).map(|h| format!("\"{}\"", text(h))).collect();
            let issue = Issue::ColumnChosen { table, column, taken: &text(one), others: &others.join(", ") };
            self.out.findings.push(issue.finding().at(&self.source(one.row, one.col)));
            return Choice::One(one);
        }
        let names: Vec<String> = top.iter().map(|h| format!("\"{}\"", text(h))).collect();
        let issue = Issue::ColumnUncertain { table, column, headers: &names.join(", ") };
        self.out.findings.push(issue.finding().at(&self.source(top[0].row, top[0].col)));
        Choice::Uncertain(top[0].col)
    }

    fn header_text(&self, h: &HeaderText) -> String {
        let text = self.grid.text(h.row, h.col).map(str::trim).unwrap_or_default();
        if self.grid.hidden_cols.contains(&h.col) { format!("{text} (cột ẩn)") } else { text.to_string() }
    }

    /// How surely a header is the column's: its label itself (a unit aside),
    /// in the schema's own unit, the figures done ("thực hiện").
    fn rank(&self, col: &Column, h: &HeaderText) -> i32 {
        let bare = |s: &str| s.rfind('(').map_or(s, |i| &s[..i]).trim().to_string();
        let exact = col.labels.loose.contains(&bare(&h.loose)) || col.labels.exact.contains(&bare(&h.exact));
        let own_unit = match (col.unit, self.grid.text(h.row, h.col).and_then(unit_in)) {
            (Some(u), Some(w)) => {
                let units = &self.schema.units;
                self.measure(w).and_then(|m| units.factor_from(&m, u)).is_some_and(|f| (f - 1.0).abs() < 1e-12)
            }
            _ => false,
        };
        let done = h.loose.contains("thuc hien") || h.loose.split(' ').any(|w| w == "th");
        let this_month = self.date_fits(h) == Some(true);
        // A hidden column is never taken over one in sight.
        let hidden = self.grid.hidden_cols.contains(&h.col);
        2 * i32::from(exact) + i32::from(own_unit) + i32::from(done) + 2 * i32::from(this_month)
            - 10 * i32::from(hidden)
    }

    /// Whether the month or year a header names is the report's: `None`
    /// when it names none, or the report's month is not known yet.
    fn date_fits(&self, h: &HeaderText) -> Option<bool> {
        let p = self.period?;
        match dated(&h.loose) {
            (None, None) => None,
            (month, year) => Some(month.is_none_or(|m| m == p.month) && year.is_none_or(|y| y == p.year)),
        }
    }
}

/// The month and year a header names: "Thực hiện tháng 6/2025", "Diện tích
/// năm 2024".
fn dated(loose: &str) -> (Option<u32>, Option<i32>) {
    let month = find_month_only(loose);
    let year = loose
        .split(|c: char| !c.is_ascii_digit())
        .filter(|w| w.len() == 4)
        .filter_map(|w| w.parse::<i32>().ok())
        .find(|y| (1990..=2100).contains(y));
    (month, year)
}
