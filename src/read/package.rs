//! What calamine does not report, read from the package itself: hidden rows
//! and columns (a figure in one is not silently trusted), merged regions
//! for xlsx and ods, and, for xlsx, when the workbook was last saved. For
//! xls hidden rows and columns are not read (yet); its merges calamine gives.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use memchr::memmem;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use zip::ZipArchive;

use super::book::Bytes;

/// What a sheet hides and merges, which calamine does not tell for every
/// format. Zero-based; merges as (first row, first col, last row, last col).
#[derive(Debug, Clone, Default)]
pub struct Marks {
    pub hidden_rows: Vec<u32>,
    pub hidden_cols: Vec<u32>,
    pub merges: Vec<(u32, u32, u32, u32)>,
}

/// Reports are small: a part larger than this is not read.
const MAX_PART: u64 = 32 * 1024 * 1024;

/// The package of an xlsx or ods file, opened once for all its sheets.
pub struct Package {
    zip: ZipArchive<Cursor<Bytes>>,
    /// xlsx: sheet name → part path.
    sheets: Option<HashMap<String, String>>,
}

pub(super) fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

/// Every (key, value) of `element`'s attributes `key` and `value`.
fn pairs(xml: &str, element: &str, key: &str, value: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut r = Reader::from_str(xml);
    loop {
        match r.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == element => {
                if let (Some(k), Some(v)) = (attr(&e, key), attr(&e, value)) {
                    out.push((k, v));
                }
            }
            Ok(Event::Eof) | Err(_) => return out,
            _ => {}
        }
    }
}

impl Package {
    pub fn open(bytes: Bytes) -> Option<Package> {
        Some(Package { zip: ZipArchive::new(Cursor::new(bytes)).ok()?, sheets: None })
    }

    /// The zip itself, for the checks made before calamine reads it.
    pub(super) fn zip(&mut self) -> &mut ZipArchive<Cursor<Bytes>> {
        &mut self.zip
    }

    fn part(&mut self, name: &str) -> Option<Vec<u8>> {
        let mut f = self.zip.by_name(name).ok()?;
        if f.size() > MAX_PART {
            return None;
        }
        let mut v = Vec::with_capacity(f.size() as usize);
        f.read_to_end(&mut v).ok()?;
        Some(v)
    }

    fn text(&mut self, name: &str) -> Option<String> {
        String::from_utf8(self.part(name)?).ok()
    }

    fn xlsx_sheet_path(&mut self, sheet: &str) -> Option<String> {
        // A workbook of one worksheet, the common case, needs no lookup.
        let only = {
            let mut parts = self
                .zip
                .file_names()
                .flatten()
                .filter(|n| n.starts_with("xl/worksheets/") && n.ends_with(".xml") && !n.contains("_rels"));
            match (parts.next(), parts.next()) {
                (Some(one), None) => Some(one.to_string()),
                _ => None,
            }
        };
        if only.is_some() {
            return only;
        }
        if self.sheets.is_none() {
            let workbook = self.text("xl/workbook.xml").unwrap_or_default();
            let rels = self.text("xl/_rels/workbook.xml.rels").unwrap_or_default();
            let targets: HashMap<String, String> = pairs(&rels, "Relationship", "Id", "Target").into_iter().collect();
            let map = pairs(&workbook, "sheet", "name", "id")
                .into_iter()
                .filter_map(|(name, id)| {
                    let t = targets.get(&id)?;
                    Some((name, t.strip_prefix('/').map_or_else(|| format!("xl/{t}"), str::to_string)))
                })
                .collect();
            self.sheets = Some(map);
        }
        self.sheets.as_ref()?.get(sheet).cloned()
    }

    /// What an xlsx sheet hides and merges. Most sheets hide nothing and
    /// merge only their titles: byte searches find the few parts to parse.
    pub fn xlsx_marks(&mut self, sheet: &str) -> Marks {
        let mut marks = Marks::default();
        let Some(path) = self.xlsx_sheet_path(sheet) else { return marks };
        let Some(xml) = self.part(&path) else { return marks };
        if memmem::find(&xml, b"hidden=").is_some() {
            marks.hidden_rows = xlsx_hidden_rows(&xml);
            if let Some(cols) = section(&xml, b"<cols", b"</cols>") {
                marks.hidden_cols = xlsx_hidden_cols(cols);
            }
        }
        if let Some(merges) = section(&xml, b"<mergeCells", b"</mergeCells>") {
            marks.merges = xlsx_merges(merges);
        }
        marks
    }

    /// What an ods sheet hides (rows collapsed or filtered out, columns
    /// collapsed) and merges (cells spanning rows or columns).
    pub fn ods_marks(&mut self, sheet: &str) -> Marks {
        let Some(xml) = self.part("content.xml") else { return Marks::default() };
        if memmem::find(&xml, b"visibility=").is_none() && memmem::find(&xml, b"-spanned=").is_none() {
            return Marks::default();
        }
        super::ods_marks::read(&xml, sheet)
    }

    /// When an xlsx workbook says it was last saved (dcterms:modified).
    pub fn xlsx_modified(&mut self) -> Option<String> {
        let xml = self.text("docProps/core.xml")?;
        let at = xml.find("modified")?;
        let start = at + xml[at..].find('>')? + 1;
        let end = start + xml[start..].find('<')?;
        Some(xml[start..end].trim().to_string())
    }
}

/// The bytes from `open` to `close` (inclusive), if both are there.
fn section<'x>(xml: &'x [u8], open: &[u8], close: &[u8]) -> Option<&'x [u8]> {
    let start = memmem::find(xml, open)?;
    let end = start + memmem::find(&xml[start..], close)? + close.len();
    Some(&xml[start..end])
}

/// Each element named `name` in `xml`, to `f`, until the end tag `until`
/// (or the end, or what is not XML).
fn each_element(xml: &[u8], name: &str, until: Option<&str>, mut f: impl FnMut(&BytesStart<'_>)) {
    let mut r = Reader::from_reader(xml);
    let mut buf = Vec::new();
    loop {
        match r.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == name => f(&e),
            Ok(Event::End(e)) if until.is_some_and(|u| e.local_name().as_ref() == u) => break,
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
}

/// Zero-based rows an xlsx sheet marks hidden.
fn xlsx_hidden_rows(xml: &[u8]) -> Vec<u32> {
    let mut hidden = Vec::new();
    let mut next_row: u32 = 0;
    each_element(xml, "row", Some("sheetData"), |e| {
        let row = attr(e, "r").and_then(|v| v.parse::<u32>().ok()).map_or(next_row, |n| n.saturating_sub(1));
        next_row = row.saturating_add(1);
        if row < super::grid::MAX_ROWS && matches!(attr(e, "hidden").as_deref(), Some("1" | "true")) {
            hidden.push(row);
        }
    });
    hidden
}

/// Zero-based columns an xlsx `<cols>` marks hidden (its `min`..`max` are
/// one-based), only those a report could reach.
fn xlsx_hidden_cols(cols: &[u8]) -> Vec<u32> {
    let mut hidden = Vec::new();
    each_element(cols, "col", None, |e| {
        let n = |k: &str| attr(e, k).and_then(|v| v.parse::<u32>().ok());
        if matches!(attr(e, "hidden").as_deref(), Some("1" | "true"))
            && let (Some(min), Some(max)) = (n("min"), n("max"))
        {
            hidden.extend(min.max(1) - 1..max.min(super::grid::MAX_COLS));
        }
    });
    hidden
}

/// The merged regions of an xlsx `<mergeCells>`: "D4:D5".
fn xlsx_merges(section: &[u8]) -> Vec<(u32, u32, u32, u32)> {
    let mut out = Vec::new();
    each_element(section, "mergeCell", None, |e| {
        let region = attr(e, "ref").and_then(|v| {
            let (a, b) = v.split_once(':')?;
            let ((r0, c0), (r1, c1)) = (cell_ref(a)?, cell_ref(b)?);
            Some((r0.min(r1), c0.min(c1), r0.max(r1), c0.max(c1)))
        });
        // Regions past the grid are no report's; a sheet of countless
        // merges is cut short.
        if let Some(m) = region.filter(|m| m.0 < super::grid::MAX_ROWS && m.1 < super::grid::MAX_COLS)
            && out.len() < 20_000
        {
            out.push(m);
        }
    });
    out
}

/// "D4" as zero-based (row, col).
fn cell_ref(s: &str) -> Option<(u32, u32)> {
    let s = s.trim().trim_start_matches('$');
    let split = s.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = s.split_at(split);
    let letters = letters.trim_end_matches('$');
    if letters.is_empty() || letters.len() > 3 || !letters.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let col = letters.bytes().fold(0u32, |acc, b| acc * 26 + u32::from(b - b'A' + 1)) - 1;
    let row = digits.parse::<u32>().ok()?.checked_sub(1)?;
    Some((row, col))
}

/// The name of an xlsx workbook's theme, as calamine looks for it.
const THEME: &[u8] = b"xl/theme/theme1.xml";

/// calamine reads an xlsx workbook's theme on opening it, to know the
/// colours its styles name; tonghop reads no colour, and the theme is a
/// large part of a small report (about a twentieth of reading one). In the
/// copy of the file read into memory, never in the file, the theme's name
/// in the zip's central directory loses its last letter, and calamine finds
/// no theme and keeps its default colours. Fonts, number formats and every
/// value are read as before. Anything unexpected (data before the zip, a
/// zip64 directory, another layout) leaves the bytes as they are.
pub fn hide_theme(bytes: &mut [u8]) {
    let u16_at = |b: &[u8], i: usize| b.get(i..i + 2).map(|x| u16::from_le_bytes([x[0], x[1]]) as usize);
    let u32_at = |b: &[u8], i: usize| b.get(i..i + 4).map(|x| u32::from_le_bytes([x[0], x[1], x[2], x[3]]) as usize);
    // The end of the central directory: within the last 22 bytes and a
    // comment of at most 64 KiB.
    let tail = bytes.len().saturating_sub(22 + 0xFFFF);
    let Some(end) = memmem::rfind(&bytes[tail..], b"PK\x05\x06").map(|i| tail + i) else { return };
    let (Some(count), Some(mut at)) = (u16_at(bytes, end + 10), u32_at(bytes, end + 16)) else { return };
    for _ in 0..count {
        if bytes.get(at..at + 4) != Some(b"PK\x01\x02") {
            return;
        }
        let (Some(name), Some(extra), Some(comment)) =
            (u16_at(bytes, at + 28), u16_at(bytes, at + 30), u16_at(bytes, at + 32))
        else {
            return;
        };
        if name == THEME.len() && bytes.get(at + 46..at + 46 + name) == Some(THEME) {
            bytes[at + 46 + name - 1] = b'_';
            return;
        }
        at += 46 + name + extra + comment;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references() {
        assert_eq!(cell_ref("D4"), Some((3, 3)));
        assert_eq!(cell_ref("$AA$10"), Some((9, 26)));
        assert_eq!(cell_ref("A0"), None);
        assert_eq!(cell_ref("4"), None);
    }

    #[test]
    fn a_hidden_theme_changes_one_byte_and_nothing_read() {
        use calamine::{Reader, Xlsx};
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/2024-06");
        let path = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == "xlsx"))
            .unwrap();
        let before = std::fs::read(&path).unwrap();
        let mut after = before.clone();
        hide_theme(&mut after);
        assert_eq!(before.iter().zip(&after).filter(|(a, b)| a != b).count(), 1);
        let read = |bytes: &[u8]| {
            let mut x: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
            let name = x.sheet_names()[0].clone();
            let cells = format!("{:?}", x.worksheet_range(&name).unwrap());
            let styles = x.worksheet_style(&name).unwrap();
            let fonts: Vec<Option<String>> =
                styles.cells().map(|(_, _, s)| s.font.as_ref().and_then(|f| f.name.clone())).collect();
            (cells, fonts)
        };
        assert_eq!(read(&before), read(&after));
        let zip = ZipArchive::new(Cursor::new(after)).unwrap();
        assert!(zip.file_names().flatten().any(|n| n == "xl/theme/theme1.xm_"));
        // Not a zip, or cut short: left alone, never a panic.
        for bytes in [b"PK\x05\x06".to_vec(), before[..before.len() - 30].to_vec(), Vec::new()] {
            let mut b = bytes.clone();
            hide_theme(&mut b);
            assert_eq!(b, bytes);
        }
    }

    #[test]
    fn merges_and_hidden_columns() {
        let m = xlsx_merges(br#"<mergeCells count="2"><mergeCell ref="A1:F1"/><mergeCell ref="D5:D4"/></mergeCells>"#);
        assert_eq!(m, [(0, 0, 0, 5), (3, 3, 4, 3)]);
        let h = xlsx_hidden_cols(br#"<cols><col min="1" max="2" width="5"/><col min="4" max="5" hidden="1"/></cols>"#);
        assert_eq!(h, [3, 4]);
    }
}
