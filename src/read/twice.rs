//! A row of the form written twice on a sheet ("Lợn" in sight, and again in
//! a hidden row, or a copy left below): with the same figures, the first is
//! read and the copy said; with other figures, which is right is not known,
//! and neither is read.

use super::issues::Issue;
use super::sheet::{Instance, SheetReader};

impl SheetReader<'_> {
    pub(super) fn rows_twice(&mut self, instances: &[Instance]) {
        for ((t, r), first, again, label_col) in std::mem::take(&mut self.twice) {
            let Some(inst) = instances.iter().find(|i| i.table == t && i.rows.contains(&(first, r))) else { continue };
            let indicators = &self.schema.tables[t].rows[r].indicators;
            let mut differs = false;
            for (p, &ind) in inst.columns.iter().zip(indicators) {
                let Some(p) = p else { continue };
                let (copy, _) = self.read_cell(again, p.col, ind, 1.0);
                let (original, _) = self.read_cell(first, p.col, ind, 1.0);
                differs |= copy.value != original.value;
            }
            let label = &self.schema.tables[t].rows[r].labels.text;
            let (first, again) = (first + 1, again + 1);
            let issue = if differs {
                for &ind in indicators {
                    if let Some(e) = self.out.entries[ind].as_mut() {
                        (e.value, e.unreadable) = (None, true);
                    }
                }
                Issue::DuplicateRowDiffers { label, first, again }
            } else {
                Issue::DuplicateRow { label, first, again }
            };
            self.out.findings.push(issue.finding().at(&self.source(again - 1, label_col)));
        }
    }
}
