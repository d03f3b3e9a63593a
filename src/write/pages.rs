//! Printing a table wider than a page: a commune of 20 to 40 hamlets has a
//! column each on Chi tiết thôn. Fitted to the page width it would print at
//! a third of its size; instead it prints at 5/6 of its size or more over
//! several pages across, its label columns and header row repeated on each,
//! the pages breaking between columns evenly and between sections.

use rust_xlsxwriter::Worksheet;

use super::Result;
use super::styles::{PAGE_HEIGHT_PX, PAGE_WIDTH_PX};

/// The smallest print scale, in %: 12 pt text prints at 10 pt or more.
const MIN_SCALE: u16 = 84;

/// A row's height in pixels from its height in points.
pub fn row_px(points: f64) -> f64 {
    points * 96.0 / 72.0
}

/// What a wide table is, for laying it out on pages.
pub struct Wide<'a> {
    /// The width of the label columns, repeated on every page, in pixels.
    pub labels_px: f64,
    /// The first column after them.
    pub first: u16,
    /// The width of each column from `first` on, in pixels.
    pub cols: &'a [f64],
    /// The rows over the header row, printed on the first pages only.
    pub top_px: f64,
    /// The header row, repeated on every page.
    pub head_px: f64,
    /// The blocks of rows that are best kept on one page (a section): the
    /// first row of each and its height in pixels, in order.
    pub blocks: &'a [(u32, f64)],
}

/// How a wide table is printed.
#[derive(Debug, PartialEq)]
pub struct Paged {
    /// The print scale, in %.
    pub scale: u16,
    /// The first column of every page across but the first.
    pub col_breaks: Vec<u16>,
    /// The first row of every page down but the first.
    pub row_breaks: Vec<u32>,
    /// The last column of the first page across: what the header block and
    /// the notes under the table are laid over.
    pub first_page_last: u16,
}

impl Wide<'_> {
    /// The pages for the table, or None when it fits the page width at 5/6
    /// of its size or more and is best fitted to it.
    pub fn paged(&self) -> Option<Paged> {
        let width = self.labels_px + self.cols.iter().sum::<f64>();
        if width * f64::from(MIN_SCALE) / 100.0 <= PAGE_WIDTH_PX {
            return None;
        }
        // The fewest pages, then the largest print.
        let (scale, across, (rows, _)) = (MIN_SCALE..=100)
            .filter_map(|s| Some((s, self.across(s)?, self.down(s))))
            .min_by_key(|(s, across, (_, down))| (across * down, std::cmp::Reverse(*s)))?;
        // The columns spread evenly over the pages across.
        let n = self.cols.len();
        let col_breaks: Vec<u16> = (1..across).map(|p| self.first + (n * p).div_ceil(across) as u16).collect();
        let first_page_last = col_breaks.first().map_or(self.first + n as u16, |b| b - 1);
        Some(Paged { scale, col_breaks, row_breaks: rows, first_page_last })
    }

    /// How many pages across the columns need at a scale; None when one
    /// column does not fit beside the labels.
    fn across(&self, scale: u16) -> Option<usize> {
        // LibreOffice lays columns out some 6 % wider than Excel: a page
        // filled to the last pixel in Excel's terms breaks a column early.
        let room = PAGE_WIDTH_PX * 0.94 * 100.0 / f64::from(scale) - self.labels_px;
        let per_page = self.cols.iter().fold(0.0_f64, |m, w| m.max(*w));
        let fit = (room / per_page).floor() as usize;
        (fit > 0).then(|| self.cols.len().div_ceil(fit))
    }

    /// Where pages break down at a scale: before a block that would not
    /// fit on the page it starts on, unless it begins the page; and how
    /// many pages down that makes.
    fn down(&self, scale: u16) -> (Vec<u32>, usize) {
        let page = PAGE_HEIGHT_PX * 100.0 / f64::from(scale);
        let mut used = self.top_px + self.head_px;
        let (mut breaks, mut pages) = (Vec::new(), 1);
        for (k, &(row, h)) in self.blocks.iter().enumerate() {
            if used + h > page && k > 0 && used > self.head_px {
                breaks.push(row);
                pages += 1;
                used = self.head_px;
            }
            used += h;
            // A block longer than a page breaks where the page ends.
            while used > page {
                used -= page - self.head_px;
                pages += 1;
            }
        }
        (breaks, pages)
    }
}

/// Prints a sheet over the pages laid out, the columns `labels` on each,
/// pages numbered across first: the pages of a band of rows lie side by
/// side as one table.
pub fn print_paged(ws: &mut Worksheet, p: &Paged, labels: (u16, u16)) -> Result {
    ws.set_print_scale(p.scale);
    ws.set_repeat_columns(labels.0, labels.1)?;
    ws.set_vertical_page_breaks(&p.col_breaks.iter().map(|&c| u32::from(c)).collect::<Vec<_>>())?;
    ws.set_page_breaks(&p.row_breaks)?;
    ws.set_page_order(false);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::styles::column_px;

    /// Chi tiết thôn's shape: labels of widths 38 and 7, `n` hamlets and the
    /// commune of width 10, four sections of 28, 6, 4 and 16 rows of 20 px.
    fn detail(n: usize, cols: &mut Vec<f64>, blocks: &mut Vec<(u32, f64)>) -> Option<Paged> {
        *cols = vec![column_px(10.0); n + 1];
        let mut row = 8;
        for rows in [28, 6, 4, 16] {
            blocks.push((row, rows as f64 * 20.0));
            row += rows;
        }
        let labels_px = column_px(38.0) + column_px(7.0);
        Wide { labels_px, first: 3, cols, top_px: 150.0, head_px: row_px(32.0), blocks }.paged()
    }

    #[test]
    fn a_few_hamlets_fit_the_page_width() {
        assert_eq!(detail(6, &mut Vec::new(), &mut Vec::new()), None);
        assert_eq!(detail(11, &mut Vec::new(), &mut Vec::new()), None);
        assert!(detail(12, &mut Vec::new(), &mut Vec::new()).is_some());
    }

    #[test]
    fn forty_hamlets_print_on_pages_across_and_down_at_five_sixths_or_more() {
        let p = detail(40, &mut Vec::new(), &mut Vec::new()).unwrap();
        assert!(p.scale >= 84, "{p:?}");
        // 41 columns, 11 a page at 85 %: 4 pages across, evenly.
        assert_eq!(p.scale, 85);
        assert_eq!(p.col_breaks, [14, 24, 34]);
        assert_eq!(p.first_page_last, 13);
        // The crops fill the first page; the rest go on the second.
        assert_eq!(p.row_breaks, [36]);
        let p = detail(20, &mut Vec::new(), &mut Vec::new()).unwrap();
        assert_eq!(p.col_breaks.len(), 1, "{p:?}");
    }
}
