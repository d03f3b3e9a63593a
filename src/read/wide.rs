//! A sheet with the hamlets side by side: indicators as rows, one column per
//! hamlet, often a total column (the commune's own compilation, or a form a
//! clerk made for several hamlets). Each hamlet column is read as that
//! hamlet's report; the total column is checked against the sum.
//!
//! Rows are found by an indicator's code ("lua_xuan.dien_tich"), its full
//! name ("Diện tích lúa vụ xuân"), a row label of a one-figure table
//! ("Trâu"), or a crop row ("Lúa vụ xuân") followed by rows naming its
//! columns ("Diện tích", "Năng suất").

use super::grid::{Grid, Val};
use super::header::hamlet_named;
use super::issues::Issue;
use super::matcher::{FormRow, Matcher, names, unit_in};
use super::shape::Look;
use super::sheet::SheetReader;
use super::written::{ColumnUnit, Conversion};
use crate::model::{Entries, Entry, Finding, HamletId, IndicatorId, Source};
use crate::schema::{Origin, Schema};
use crate::text::{keys, vn_figure};

/// Where the hamlets are on the sheet.
#[derive(Debug, Clone)]
pub(super) struct Layout {
    pub header_row: u32,
    /// Each hamlet and the column of its figures, left to right.
    pub hamlets: Vec<(HamletId, u32)>,
    pub total_col: Option<u32>,
    pub unit_col: Option<u32>,
    /// Hamlets whose column is not settled, and why: none of their
    /// figures is read.
    pub unsettled: Vec<(HamletId, Unsettled)>,
}

#[derive(Debug, Clone)]
pub(super) enum Unsettled {
    /// Named over two columns or more (a column copied): which is it?
    Twice(Vec<u32>),
    /// Split into sub-columns none of which is surely the figures done
    /// ("KH", "TH" under the name are settled; "Tháng 5", "Tháng 6" are not).
    SubColumns(Vec<u32>),
}

/// A row of at least two cells that are each a hamlet's name, in the
/// sheet's first rows: the header of a sheet of hamlets side by side.
pub(super) fn detect(grid: &Grid, schema: &Schema, m: &Matcher) -> Option<Layout> {
    // Most sheets have no row with two hamlets' names: told at a glance.
    if !Look::of(grid, schema, m).two_hamlets_in_a_row {
        return None;
    }
    detect_now(grid, schema, m)
}

fn detect_now(grid: &Grid, schema: &Schema, m: &Matcher) -> Option<Layout> {
    let mut rows: Vec<u32> = grid.cells().iter().map(|c| c.row).take_while(|r| *r < 60).collect();
    rows.dedup();
    for row in rows {
        let mut named: Vec<(HamletId, Vec<u32>)> = Vec::new();
        let (mut total_col, mut unit_col) = (None, None);
        for c in grid.row(row) {
            let Val::Text(t) = &c.val else { continue };
            match hamlet_named(t, schema) {
                Some(h) => match named.iter_mut().find(|x| x.0 == h) {
                    Some(x) => x.1.push(c.col),
                    None => named.push((h, vec![c.col])),
                },
                None if m.is_total(t) => total_col = total_col.or(Some(c.col)),
                None if m.is_unit_header(&keys(t).loose) => unit_col = unit_col.or(Some(c.col)),
                None => {}
            }
        }
        if named.len() >= 2 {
            let mut layout =
                Layout { header_row: row, hamlets: Vec::new(), total_col, unit_col, unsettled: Vec::new() };
            // A hamlet's sub-columns run to the next header text.
            let bounds: Vec<u32> =
                grid.row(row).iter().filter(|c| matches!(c.val, Val::Text(_))).map(|c| c.col).collect();
            for (h, cols) in named {
                match cols[..] {
                    [col] => match sub_column(grid, m, row, col, &bounds) {
                        Ok(col) => layout.hamlets.push((h, col)),
                        Err(subs) => layout.unsettled.push((h, Unsettled::SubColumns(subs))),
                    },
                    _ => layout.unsettled.push((h, Unsettled::Twice(cols))),
                }
            }
            layout.total_col = total_col.and_then(|c| sub_column(grid, m, row, c, &bounds).ok());
            return Some(layout);
        }
    }
    None
}

/// The column of a hamlet's figures when its name stands over sub-columns
/// ("KH", "TH"; "Kế hoạch", "Thực hiện"): the one that is no plan or
/// comparison. The name's own column when there are none; the sub-columns
/// when more or fewer than one remain.
fn sub_column(grid: &Grid, m: &Matcher, row: u32, col: u32, bounds: &[u32]) -> Result<u32, Vec<u32>> {
    let next = bounds.iter().copied().filter(|&b| b > col).min().unwrap_or(u32::MAX);
    let subs: Vec<(u32, bool)> = grid
        .row(row + 1)
        .iter()
        .filter(|c| c.col >= col && c.col < next)
        .filter_map(|c| match &c.val {
            Val::Text(t) => Some((c.col, m.is_plan(&keys(t).loose))),
            _ => None,
        })
        .collect();
    if subs.is_empty() {
        return Ok(col);
    }
    match subs.iter().filter(|s| !s.1).map(|s| s.0).collect::<Vec<_>>()[..] {
        [one] => Ok(one),
        _ => Err(subs.iter().map(|s| s.0).collect()),
    }
}

/// What a sheet of hamlets side by side holds.
pub(super) struct Read {
    /// Each hamlet's figures.
    pub columns: Vec<(HamletId, Entries)>,
    pub findings: Vec<Finding>,
}

/// Reads every hamlet column.
pub(super) fn read(r: &mut SheetReader<'_>, layout: &Layout) -> Read {
    let schema = r.schema;
    let first = layout.hamlets.iter().map(|h| h.1).min().unwrap_or(0);
    let mut columns: Vec<(HamletId, Entries)> =
        layout.hamlets.iter().map(|(h, _)| (*h, Entries::filled(None, schema.form_count))).collect();
    let mut group: Option<FormRow> = None;
    let last = r.grid.cells().last().map_or(0, |c| c.row);
    for row in layout.header_row + 1..=last {
        let Some(ind) = indicator_of(r, row, first, layout.unit_col, &mut group) else { continue };
        let factor = match conversion(r, row, ind, first, layout.unit_col) {
            Conversion::Factor(f) => f,
            Conversion::LeftOut => {
                // Said where the unit is written; never read as the form's unit.
                for (k, &(_, col)) in layout.hamlets.iter().enumerate() {
                    let source = r.source(row, col);
                    columns[k].1[ind] =
                        Some(Entry { value: None, decimals: 0, unreadable: true, missing: false, source });
                }
                continue;
            }
        };
        let mut values = Vec::new();
        for (k, &(h, col)) in layout.hamlets.iter().enumerate() {
            let (entry, finding) = r.read_cell(row, col, ind, factor);
            if let Some(mut f) = finding {
                f.hamlet = Some(h);
                r.out.findings.push(f.indicator(ind));
            }
            if let Some(v) = entry.value {
                values.push((v, entry.half_step()));
            }
            columns[k].1[ind] = Some(entry);
        }
        if let Some(tc) = layout.total_col {
            check_total(r, row, tc, ind, factor, &values);
        }
    }
    Read { columns, findings: std::mem::take(&mut r.out.findings) }
}

/// The form indicator a row stands for, by the texts left of the hamlets.
fn indicator_of(
    r: &mut SheetReader<'_>,
    row: u32,
    first: u32,
    unit_col: Option<u32>,
    group: &mut Option<FormRow>,
) -> Option<IndicatorId> {
    let schema = r.schema;
    let texts: Vec<&str> = r
        .grid
        .row(row)
        .iter()
        .filter(|c| c.col < first && Some(c.col) != unit_col)
        .filter_map(|c| match &c.val {
            Val::Text(t) => Some(t.as_str()),
            _ => None,
        })
        .collect();
    for t in texts {
        let k = keys(t);
        if let Some(i) = r.m.indicator(t, &k) {
            // Derived figures are the commune's to compute, not a hamlet's.
            return matches!(schema.indicators[i].origin, Origin::Form).then_some(i);
        }
        if let Some(&(table, row_idx)) = r.m.rows_for(t, &k).first() {
            let tab = &schema.tables[table];
            if tab.is_grid() {
                *group = Some((table, row_idx));
                return None;
            }
            return Some(tab.rows[row_idx].indicators[0]);
        }
        if let Some((table, row_idx)) = *group {
            let tab = &schema.tables[table];
            if let Some(ci) = tab.columns.iter().position(|c| names(&k.loose, &k.exact, &c.labels)) {
                return Some(tab.rows[row_idx].indicators[ci]);
            }
        }
    }
    None
}

/// What a row's unit does to its figures: from its ĐVT cell, or a unit in
/// its label's parentheses.
fn conversion(r: &mut SheetReader<'_>, row: u32, ind: IndicatorId, first: u32, unit_col: Option<u32>) -> Conversion {
    let label_col = r
        .grid
        .row(row)
        .iter()
        .filter(|c| c.col < first && Some(c.col) != unit_col)
        .filter(|c| matches!(&c.val, Val::Text(t) if unit_in(t).is_some()))
        .map(|c| c.col)
        .next();
    let units = r.row_units(row, unit_col, label_col);
    let at = r.source(row, unit_col.or(label_col).unwrap_or(first));
    r.figure_conversion(ind, &ColumnUnit::PerRow(None), &units, &at)
}

/// The total column against the sum of the hamlets, for figures that add
/// up (not yields or rates): an error beyond rounding, a warning within.
fn check_total(r: &mut SheetReader<'_>, row: u32, col: u32, ind: IndicatorId, factor: f64, values: &[(f64, f64)]) {
    let schema = r.schema;
    let i = &schema.indicators[ind];
    if i.total.is_some() || schema.unit_code(ind) == "%" || values.is_empty() {
        return;
    }
    let (total, _) = r.read_cell(row, col, ind, factor);
    let Some(t) = total.value else { return };
    let sum: f64 = values.iter().map(|v| v.0).sum();
    let slack: f64 = total.half_step() + values.iter().map(|v| v.1).sum::<f64>();
    let diff = (t - sum).abs();
    if diff <= 1e-9 * sum.abs().max(1.0) {
        return;
    }
    let (sum_text, total_text, unit) = (vn_figure(sum), vn_figure(t), schema.unit_code(ind));
    let issue = if diff <= slack {
        Issue::TotalColumnRounding { name: &i.name, total: &total_text, sum: &sum_text, unit }
    } else {
        Issue::TotalColumn { name: &i.name, total: &total_text, sum: &sum_text, unit }
    };
    let at: Source = total.source;
    r.out.findings.push(issue.finding().at(&at).indicator(ind).values(Some(sum), Some(t)));
}

/// The reports of a sheet of hamlets side by side: one per hamlet column,
/// each of the sheet's month.
pub(super) fn submissions(
    ctx: &super::SheetCtx<'_>,
    book: &mut super::Book,
    grid: &Grid,
    layout: &Layout,
    notes: Vec<Finding>,
    out: &mut Vec<Finding>,
) -> Vec<crate::model::Submission> {
    let (schema, file, sheet) = (ctx.schema, &ctx.input.display, &grid.sheet);
    let mut r = SheetReader::new(grid, schema, ctx.matcher, file);
    let read = read(&mut r, layout);
    let mut clues = super::header::from_sheet(grid, schema, Some(layout.header_row));
    ctx.clues_from_names(&mut clues);
    let mut findings = read.findings;
    findings.extend(notes);
    let n = layout.hamlets.len();
    findings.push(Issue::HamletsSideBySide { sheet, hamlets: n }.finding().on_sheet(file, sheet));
    for (h, why) in &layout.unsettled {
        let hamlet = &schema.hamlet_title(*h);
        let (cols, issue_cols) = match why {
            Unsettled::Twice(c) | Unsettled::SubColumns(c) => (c, names_of(c)),
        };
        let issue = match why {
            Unsettled::Twice(_) => Issue::HamletColumnTwice { sheet, hamlet, cols: &issue_cols },
            Unsettled::SubColumns(_) => Issue::HamletSubColumns { sheet, hamlet, cols: &issue_cols },
        };
        let mut f = issue.finding().at(&r.source(layout.header_row, cols[0]));
        f.hamlet = Some(*h);
        findings.push(f);
    }
    let mut columns = read.columns;
    let mut sets: Vec<&mut Entries> = columns.iter_mut().map(|c| &mut c.1).collect();
    super::doubts::merged_figures(book, sheet, &mut sets, schema, &mut findings);
    for (_, entries) in &columns {
        super::doubts::hidden_figures(book, sheet, entries, schema, &mut findings);
    }
    let period = super::identify::period(&clues, file, sheet, &mut findings);
    for f in &mut findings {
        f.period = f.period.or(period);
    }
    out.extend(findings);
    let mut subs: Vec<crate::model::Submission> =
        columns.into_iter().map(|(h, entries)| ctx.submission(sheet, Some(h), period, entries, out)).collect();
    // A hamlet whose column is not settled is here, and not read.
    for &(h, _) in &layout.unsettled {
        let mut s = ctx.input.rejected(Some(sheet.clone()), schema, ctx.modified);
        (s.hamlet, s.period) = (Some(h), period);
        subs.push(s);
    }
    subs
}

/// "D, E": the letters of sheet columns.
fn names_of(cols: &[u32]) -> String {
    cols.iter().map(|&c| crate::model::column_name(c)).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::grid::tests::grid;

    #[test]
    fn hamlets_side_by_side_are_found_whatever_was_read_before() {
        let schema = Schema::builtin().unwrap();
        let m = Matcher::new(&schema);
        let sheet = |a: &str, b: &str, x: &str| {
            grid(&[(0, 0, "Chỉ tiêu"), (0, 1, a), (0, 2, b), (1, 0, "Trâu"), (1, 1, x), (1, 2, "6")])
        };
        let found = |g: &Grid| format!("{:?}", detect(g, &schema, &m));
        let alone = |g: &Grid| std::thread::scope(|s| s.spawn(|| found(g)).join().unwrap());
        let first = sheet("Lạc Thanh", "Lạc Thắng", "5");
        let others =
            [sheet("Lạc Thanh", "Lạc Thắng", "7"), sheet("Lạc Thắng", "Lạc Thanh", "5"), sheet("Lạc Hòa", "Tổng", "5")];
        std::thread::scope(|s| {
            s.spawn(|| {
                assert!(detect(&first, &schema, &m).is_some());
                for g in &others {
                    assert_eq!(found(g), alone(g));
                }
            });
        });
        // The hamlets' order is their own, not the first sheet's.
        let swapped = detect(&others[1], &schema, &m).unwrap();
        assert_eq!(
            swapped.hamlets.iter().map(|h| schema.hamlets[h.0].name.as_str()).collect::<Vec<_>>(),
            ["Lạc Thắng", "Lạc Thanh"]
        );
    }
}
