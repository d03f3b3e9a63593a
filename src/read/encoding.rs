//! Sheets typed in a legacy Vietnamese encoding (TCVN3, VNI-Windows),
//! decoded to Unicode before anything is matched.

use std::collections::HashMap;

use super::book::Book;
use super::grid::Grid;
use crate::text::legacy::{self, Encoding};

/// Decodes texts typed in TCVN3 or VNI-Windows. A text is decoded when its
/// font says so (xlsx), or when it carries the marks of one encoding; on a
/// sheet in TCVN3 with no Unicode Vietnamese at all, every Latin-1 text is.
/// Returns the sheet's encoding and how many cells were decoded.
pub(super) fn decode_legacy(grid: &mut Grid, book: &mut Book, sheet: &str) -> Option<(Encoding, usize)> {
    let candidates: Vec<(u32, u32)> =
        grid.text_cells().filter(|(_, t)| legacy::latin1_accented(t)).map(|(c, _)| (c.row, c.col)).collect();
    if candidates.is_empty() {
        return None;
    }
    let (mut tcvn, mut vni) = (0, 0);
    for (_, t) in grid.text_cells() {
        tcvn += usize::from(legacy::looks_tcvn3(t));
        vni += usize::from(legacy::looks_vni(t));
    }
    if tcvn + vni == 0 {
        return None;
    }
    let sheet_enc = if tcvn >= vni { Encoding::Tcvn3 } else { Encoding::Vni };
    let unicode_vietnamese = grid.text_cells().any(|(_, t)| t.chars().any(|c| u32::from(c) > 0xFF));
    let fonts = book.fonts(sheet, &candidates);
    let by_font: HashMap<(u32, u32), String> =
        candidates.iter().zip(fonts).filter_map(|(p, f)| Some((*p, f?))).collect();
    let mut count = 0;
    grid.map_texts(|cell, text| {
        if !legacy::latin1_accented(text) {
            return None;
        }
        let font = by_font.get(&(cell.row, cell.col));
        let (enc, upper) = match font.and_then(|f| Encoding::of_font(f)) {
            Some(e) => (e, font.is_some_and(|f| f.trim_end().ends_with(['H', 'h']))),
            None => {
                let marked = match sheet_enc {
                    Encoding::Tcvn3 => legacy::looks_tcvn3(text) || !unicode_vietnamese,
                    Encoding::Vni => legacy::looks_vni(text),
                };
                if !marked {
                    return None;
                }
                (sheet_enc, false)
            }
        };
        count += 1;
        Some(legacy::decode(text, enc, upper))
    });
    (count > 0).then_some((sheet_enc, count))
}
