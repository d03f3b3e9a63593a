//! The schema's formulas in Excel terms, over the cells of Chi tiết thôn:
//! each figure converted to base units and the result to the indicator's
//! unit, as tonghop computes them itself.

use std::collections::HashMap;

use crate::model::{HamletId, IndicatorId, a1, column_name};
use crate::schema::{Formula, Schema};

/// An indicator formula in Excel terms: each figure converted to base units,
/// the result to the indicator's unit.
pub(super) fn excel_formula(
    schema: &Schema,
    f: &Formula,
    out: IndicatorId,
    cell_of: impl Fn(IndicatorId) -> Option<String>,
) -> String {
    let out_scale = schema.scale(out);
    let body = f.render(|i| {
        let cell = cell_of(i).unwrap_or_else(|| "0".into());
        let s = schema.scale(i);
        if (s - 1.0).abs() < 1e-12 { cell } else { format!("({cell}*{s})") }
    });
    if (out_scale - 1.0).abs() < 1e-12 {
        body
    } else if out_scale < 1.0 {
        format!("({body})*{}", 1.0 / out_scale)
    } else {
        format!("({body})/{out_scale}")
    }
}

/// A hamlet's own derived figure (its poverty rate) from its figures in the
/// same column: empty unless every figure is there, as tonghop computes it.
pub fn hamlet_formula(
    schema: &Schema,
    f: &Formula,
    out: IndicatorId,
    row_of: &HashMap<IndicatorId, u32>,
    col: u16,
) -> String {
    let cells: Vec<String> = f.vars.iter().filter_map(|v| row_of.get(v)).map(|rr| a1(*rr, col as u32)).collect();
    let text = excel_formula(schema, f, out, |v| row_of.get(&v).map(|rr| a1(*rr, col as u32)));
    format!("=IF(COUNT({})<{},\"\",IFERROR({text},\"\"))", cells.join(","), cells.len())
}

/// Where a total's hamlet cells are: the columns of the hamlets, and the
/// rows of the indicators.
pub struct Cells<'a> {
    /// The column of each hamlet, in order.
    pub hamlets: (u16, u16),
    pub row_of: &'a HashMap<IndicatorId, u32>,
}

/// The commune total of a row as a live formula over the hamlet cells: a
/// sum, or the indicator's formula over the sums of the hamlets `over`
/// which it is formed (each cell named, so that a reader sees which).
pub fn total_formula(schema: &Schema, i: IndicatorId, r: u32, at: &Cells<'_>, over: Option<&[HamletId]>) -> String {
    let Some(f) = crate::total::formula_of(schema, i) else {
        let range =
            format!("{}{}:{}{}", column_name(at.hamlets.0 as u32), r + 1, column_name(at.hamlets.1 as u32), r + 1);
        return format!("=IF(COUNT({range})=0,\"\",SUM({range}))");
    };
    let over = over.unwrap_or(&[]);
    if over.is_empty() {
        return "=\"\"".to_string();
    }
    let body = excel_formula(schema, f, i, |v| {
        let row = at.row_of.get(&v)?;
        let cells: Vec<String> = over.iter().map(|h| a1(*row, (at.hamlets.0 + h.index() as u16) as u32)).collect();
        Some(format!("SUM({})", cells.join(",")))
    });
    format!("=IFERROR({body},\"\")")
}
