//! The schema's formulas in Excel terms, over the cells of Chi tiết thôn:
//! each figure converted to base units and the result to the indicator's
//! unit, as tonghop computes them itself.

use std::collections::HashMap;

use crate::model::{IndicatorId, a1, column_name};
use crate::schema::{Formula, Origin, Schema};

/// An indicator formula in Excel terms: each figure converted to base units,
/// the result to the indicator's unit.
fn excel_formula(
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
/// same column.
pub fn hamlet_formula(
    schema: &Schema,
    f: &Formula,
    out: IndicatorId,
    row_of: &HashMap<IndicatorId, u32>,
    col: u16,
) -> String {
    let text = excel_formula(schema, f, out, |v| row_of.get(&v).map(|rr| a1(*rr, col as u32)));
    format!("=IFERROR({text},\"\")")
}

/// The commune total of a row as a live formula over the hamlet cells in
/// columns `hamlets` (first, last).
pub fn total_formula(
    schema: &Schema,
    i: IndicatorId,
    r: u32,
    hamlets: (u16, u16),
    row_of: &HashMap<IndicatorId, u32>,
    total_col: u16,
) -> String {
    let range = |rr: u32| {
        let (first, last) = (column_name(hamlets.0 as u32), column_name(hamlets.1 as u32));
        format!("{first}{}:{last}{}", rr + 1, rr + 1)
    };
    let ind = &schema.indicators[i];
    match (&ind.origin, &ind.total) {
        (Origin::Derived(f), _) => {
            let body = excel_formula(schema, f, i, |v| row_of.get(&v).map(|rr| a1(*rr, total_col as u32)));
            format!("=IFERROR({body},\"\")")
        }
        (_, Some(f)) => {
            // Sums over the hamlets that report every figure of the formula.
            let body = excel_formula(schema, f, i, |v| {
                let own = row_of.get(&v)?;
                let others: Vec<String> = f
                    .vars
                    .iter()
                    .filter(|&&o| o != v)
                    .filter_map(|o| row_of.get(o))
                    .map(|rr| format!(",{},\"<>\"", range(*rr)))
                    .collect();
                Some(format!("SUMIFS({}{})", range(*own), others.join("")))
            });
            format!("=IFERROR({body},\"\")")
        }
        _ => format!("=IF(COUNT({0})=0,\"\",SUM({0}))", range(r)),
    }
}
