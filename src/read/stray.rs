//! A figure one cell off: a row whose figure cells are all blank, with a
//! number beside them under no header of the form ("Ghi chú", or none).
//! The number is not taken for the figure (it may be a note), nor is the
//! blank taken for nothing: the figure is missing, and that is said.

use super::grid::Val;
use super::issues::Issue;
use super::sheet::{Instance, SheetReader};
use crate::model::IndicatorId;
use crate::text::{keys, number, vn_figure};

impl SheetReader<'_> {
    pub(super) fn stray_figure(&mut self, inst: &Instance, row: u32, indicators: &[IndicatorId]) {
        let placed: Vec<(u32, IndicatorId)> =
            inst.columns.iter().zip(indicators).filter_map(|(p, &i)| p.as_ref().map(|p| (p.col, i))).collect();
        let Some(label_col) = inst.label_col else { return };
        let blank = |i: IndicatorId| self.out.entries[i].as_ref().is_some_and(|e| e.value.is_none() && !e.unreadable);
        if placed.is_empty() || !placed.iter().all(|&(_, i)| blank(i)) {
            return;
        }
        let stray = self.grid.row(row).iter().find_map(|c| {
            let off = c.col > label_col && Some(c.col) != inst.unit_col && placed.iter().all(|p| p.0 != c.col);
            let value = match &c.val {
                Val::Number(v) => Some(*v),
                Val::Text(t) => number::parse(t, false).map(|n| n.value),
                _ => None,
            };
            (off && !self.plan_column(inst, c.col)).then_some(value).flatten().map(|v| (c.col, v))
        });
        let Some((col, value)) = stray else { return };
        let label = self.grid.text(row, label_col).unwrap_or_default().trim().to_string();
        let issue = Issue::StrayFigure { label: &label, value: &vn_figure(value) };
        self.out.findings.push(issue.finding().at(&self.source(row, col)).indicator(placed[0].1));
        for (_, i) in placed {
            if let Some(e) = self.out.entries[i].as_mut() {
                e.missing = true;
            }
        }
    }

    /// Is a sheet column headed as plans or comparisons ("Kế hoạch")?
    fn plan_column(&self, inst: &Instance, col: u32) -> bool {
        (inst.header_row..=inst.header_row + 3)
            .filter_map(|r| self.grid.text(r, col))
            .any(|t| self.m.is_plan(&keys(t).loose))
    }
}
