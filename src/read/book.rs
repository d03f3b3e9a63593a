//! Opening a workbook: what it really is (by its bytes, not its name), and
//! its sheets as grids. calamine does the reading.

use std::collections::HashMap;
use std::io::Cursor;
use std::sync::Arc;

use calamine::{
    Ods, OdsError, Reader, SheetType, SheetVisible, Sheets, Xls, XlsError, Xlsb, XlsbError, Xlsx, XlsxError,
};

use super::grid::{Cell, Grid, MAX_COLS, MAX_ROWS, val_of_data, val_of_ref};
use super::package::Marks;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Xlsb,
    Xls,
    Ods,
}

/// Why a file could not be opened (`issues` says it in words for the clerk).
#[derive(Debug, Clone, PartialEq)]
pub enum OpenError {
    Empty,
    Html,
    Xml2003,
    Text,
    Password,
    NotSpreadsheet,
    Corrupt(String),
    /// Past a budget of what a report may be: which, and by how much.
    Budget(String),
}

/// What a file's first bytes say it is.
pub fn sniff(bytes: &[u8]) -> Result<Format, OpenError> {
    if bytes.is_empty() {
        return Err(OpenError::Empty);
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        // The central directory names the parts uncompressed.
        if contains(bytes, b"xl/workbook.bin") {
            return Ok(Format::Xlsb);
        }
        if contains(bytes, b"xl/workbook.xml")
            || contains(bytes, b"xl/_rels")
            || contains(bytes, b"[Content_Types].xml") && contains(bytes, b"xl/")
        {
            return Ok(Format::Xlsx);
        }
        if contains(bytes, b"content.xml") || contains(bytes, b"opendocument") {
            return Ok(Format::Ods);
        }
        if contains(bytes, b"word/") || contains(bytes, b"ppt/") {
            return Err(OpenError::NotSpreadsheet);
        }
        // A zip that is cut short may have lost its directory; let calamine say.
        return Ok(Format::Xlsx);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        // An encrypted xlsx is an OLE file with these streams (names in UTF-16).
        if contains(bytes, &utf16("EncryptionInfo")) || contains(bytes, &utf16("EncryptedPackage")) {
            return Err(OpenError::Password);
        }
        return Ok(Format::Xls);
    }
    // BIFF2-4 files have no OLE container.
    if bytes.len() >= 4 && bytes[1] == 0x00 && matches!(bytes[0], 0x09) && matches!(bytes[2], 0x04 | 0x06 | 0x08) {
        return Ok(Format::Xls);
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    if head.contains("urn:schemas-microsoft-com:office:spreadsheet") {
        return Err(OpenError::Xml2003);
    }
    if head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.contains("<table")
        || head.contains("<html")
    {
        return Err(OpenError::Html);
    }
    if head.starts_with("<?xml") {
        return Err(OpenError::NotSpreadsheet);
    }
    let printable =
        bytes.iter().take(2048).filter(|b| b.is_ascii_graphic() || b.is_ascii_whitespace() || **b >= 0x80).count();
    if printable * 10 >= bytes.len().min(2048) * 9 {
        return Err(OpenError::Text);
    }
    Err(OpenError::NotSpreadsheet)
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && memchr::memmem::find(hay, needle).is_some()
}

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// A file's bytes, shared by calamine's reader and ours without a copy.
#[derive(Clone)]
pub struct Bytes(Arc<Vec<u8>>);

impl Bytes {
    pub fn new(bytes: Vec<u8>) -> Bytes {
        Bytes(Arc::new(bytes))
    }
}

impl AsRef<[u8]> for Bytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// The most cells a sheet may hold: a report has a few hundred, a commune's
/// compilation a few thousand; the grid's window would allow a million.
pub const MAX_CELLS: usize = 300_000;
/// The most sheets a workbook may hold.
pub const MAX_SHEETS: usize = 1_000;
/// The most a zipped workbook (xlsx, ods) may unpack to, all parts
/// together, and one part alone, as its own directory says.
pub const MAX_UNPACKED: u64 = 512 << 20;
pub const MAX_PART: u64 = 64 << 20;

/// "1.000.000", as a Vietnamese reader writes a count.
fn vn_count(n: usize) -> String {
    crate::text::vn_number(n as f64, 0)
}

pub struct SheetInfo {
    pub name: String,
    pub hidden: bool,
    pub worksheet: bool,
}

pub struct Book {
    pub format: Format,
    sheets: Sheets<Cursor<Bytes>>,
    /// The file as a zip package (xlsx, ods), for what calamine does not
    /// tell: hidden rows and columns, merges, the time of saving.
    package: Option<super::package::Package>,
    marks: HashMap<String, Marks>,
}

/// A zipped workbook whose directory says it unpacks to more than any
/// report does is refused before a reader unpacks it.
fn zip_budget(zip: &mut zip::ZipArchive<Cursor<Bytes>>) -> Result<(), OpenError> {
    if zip.len() > 10_000 {
        return Err(OpenError::Budget(format!("tệp nén có {} phần, quá giới hạn 10.000", vn_count(zip.len()))));
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let Ok(part) = zip.by_index_raw(i) else { continue };
        let size = part.size();
        if size > MAX_PART {
            return Err(OpenError::Budget(format!(
                "phần \"{}\" giải nén ra {} MB, quá giới hạn {} MB",
                crate::text::quote(&part.name().unwrap_or_default()),
                size >> 20,
                MAX_PART >> 20
            )));
        }
        total = total.saturating_add(size);
    }
    if total > MAX_UNPACKED {
        return Err(OpenError::Budget(format!(
            "giải nén ra {} MB, quá giới hạn {} MB",
            total >> 20,
            MAX_UNPACKED >> 20
        )));
    }
    Ok(())
}

/// An ods whose content.xml is not well-formed (an end tag that closes
/// nothing) is refused before calamine reads it: its reader can loop for
/// ever on one (found by fuzzing, tests/corpus/fuzz).
fn ods_well_formed(zip: &mut zip::ZipArchive<Cursor<Bytes>>) -> Result<(), OpenError> {
    // An encrypted content.xml is no XML: calamine says it has a password.
    let mut manifest = String::new();
    if let Ok(m) = zip.by_name("META-INF/manifest.xml") {
        let _ = std::io::Read::read_to_string(&mut std::io::Read::take(m, 1 << 20), &mut manifest);
    }
    if manifest.contains("encryption-data") {
        return Ok(());
    }
    let Ok(part) = zip.by_name("content.xml") else { return Ok(()) };
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(std::io::Read::take(part, MAX_PART)));
    let mut buf = Vec::new();
    // An element left open at the end is as bad as one closed twice.
    let mut open = 0usize;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Start(_)) => open += 1,
            Ok(quick_xml::events::Event::End(_)) => open = open.saturating_sub(1),
            Ok(quick_xml::events::Event::Eof) if open == 0 => return Ok(()),
            Ok(quick_xml::events::Event::Eof) => return Err(corrupt("content.xml: tệp bị cắt cụt")),
            Ok(_) => {}
            Err(e) => return Err(corrupt(format!("content.xml: {e}"))),
        }
        buf.clear();
    }
}

fn corrupt(e: impl std::fmt::Display) -> OpenError {
    OpenError::Corrupt(e.to_string())
}

fn password_xlsx(e: &XlsxError) -> bool {
    matches!(e, XlsxError::Password)
}

impl Book {
    pub fn open(mut bytes: Vec<u8>) -> Result<Book, OpenError> {
        let format = sniff(&bytes)?;
        if format == Format::Xlsx {
            super::package::hide_theme(&mut bytes);
        }
        let bytes = Bytes::new(bytes);
        let cursor = Cursor::new(bytes.clone());
        // The zip's directory is read once, for the budgets and the checks
        // before calamine, then for what a sheet hides and merges.
        let mut package = matches!(format, Format::Xlsx | Format::Ods)
            .then(|| super::package::Package::open(bytes.clone()))
            .flatten();
        if let Some(p) = package.as_mut() {
            zip_budget(p.zip())?;
            if format == Format::Ods {
                ods_well_formed(p.zip())?;
            }
        }
        let sheets = match format {
            Format::Xlsx => Sheets::Xlsx(
                Xlsx::new(cursor).map_err(|e| if password_xlsx(&e) { OpenError::Password } else { corrupt(e) })?,
            ),
            Format::Xlsb => Sheets::Xlsb(
                Xlsb::new(cursor)
                    .map_err(|e| if matches!(e, XlsbError::Password) { OpenError::Password } else { corrupt(e) })?,
            ),
            Format::Xls => Sheets::Xls(
                Xls::new(cursor)
                    .map_err(|e| if matches!(e, XlsError::Password) { OpenError::Password } else { corrupt(e) })?,
            ),
            Format::Ods => Sheets::Ods(
                Ods::new(cursor)
                    .map_err(|e| if matches!(e, OdsError::Password) { OpenError::Password } else { corrupt(e) })?,
            ),
        };
        Ok(Book { format, sheets, package, marks: HashMap::new() })
    }

    pub fn sheets(&self) -> Vec<SheetInfo> {
        self.sheets
            .sheets_metadata()
            .iter()
            .map(|s| SheetInfo {
                name: s.name.clone(),
                hidden: s.visible != SheetVisible::Visible,
                worksheet: s.typ == SheetType::WorkSheet,
            })
            .collect()
    }

    fn package(&mut self) -> Option<&mut super::package::Package> {
        self.package.as_mut()
    }

    /// When the workbook says it was last saved, in seconds since the epoch.
    pub fn modified(&mut self) -> Option<i64> {
        let stamp = match self.format {
            // Only the one small part, not all of calamine's properties.
            Format::Xlsx => self.package()?.xlsx_modified(),
            _ => self.sheets.workbook_properties().ok()?.modified,
        };
        stamp.as_deref().and_then(crate::calendar::parse_timestamp)
    }

    fn is_1904(&self) -> bool {
        match &self.sheets {
            Sheets::Xlsx(x) => x.has_1904_epoch(),
            Sheets::Xls(x) => x.has_1904_epoch(),
            _ => false,
        }
    }

    /// One sheet's cells. For xlsx, values and formulas come in one pass.
    pub fn grid(&mut self, name: &str) -> Result<Grid, String> {
        let is_1904 = self.is_1904();
        let sheet: Arc<str> = Arc::from(name);
        let mut cells = Vec::new();
        let mut beyond = false;
        // Cells are counted as they come, not by where they claim to be: a
        // sheet that repeats one cell millions of times stops here.
        let mut count = 0usize;
        let mut counted = || {
            count += 1;
            if count > MAX_CELLS {
                Err(format!("trang tính có hơn {} ô, quá giới hạn của một báo cáo", vn_count(MAX_CELLS)))
            } else {
                Ok(())
            }
        };
        match &mut self.sheets {
            Sheets::Xlsx(x) => {
                let mut reader = x.worksheet_cells_reader(name).map_err(|e| e.to_string())?;
                while let Some(c) = reader.next_cell_with_formula().map_err(|e| e.to_string())? {
                    counted()?;
                    let (row, col) = c.pos;
                    if row >= MAX_ROWS || col >= MAX_COLS {
                        beyond = true;
                        continue;
                    }
                    let formula = c.formula.filter(|f| !f.is_empty()).map(String::into_boxed_str);
                    cells.push(Cell { row, col, val: val_of_ref(&c.value), formula });
                }
            }
            // Streamed too: a dense range of a sheet with a cell far out would
            // be allocated whole.
            Sheets::Xlsb(x) => {
                let mut reader = x.worksheet_cells_reader(name).map_err(|e| e.to_string())?;
                while let Some(c) = reader.next_cell().map_err(|e| e.to_string())? {
                    counted()?;
                    let (row, col) = c.get_position();
                    if row >= MAX_ROWS || col >= MAX_COLS {
                        beyond = true;
                        continue;
                    }
                    cells.push(Cell { row, col, val: val_of_ref(c.get_value()), formula: None });
                }
            }
            other => {
                let range = other.worksheet_range(name).map_err(|e| e.to_string())?;
                let (r0, c0) = range.start().unwrap_or((0, 0));
                for (r, c, d) in range.used_cells() {
                    counted()?;
                    let (row, col) = (r0 + r as u32, c0 + c as u32);
                    if row >= MAX_ROWS || col >= MAX_COLS {
                        beyond = true;
                        continue;
                    }
                    cells.push(Cell { row, col, val: val_of_data(d.clone()), formula: None });
                }
            }
        }
        let mut grid = Grid::new(sheet, cells);
        grid.is_1904 = is_1904;
        grid.truncated |= beyond;
        Ok(grid)
    }

    /// The formulas of a sheet, for formats whose values come without them:
    /// only asked for to tell a formula with no stored value (or a stored 0
    /// never computed) from a figure.
    pub fn formulas(&mut self, name: &str) -> Vec<((u32, u32), String)> {
        if matches!(self.sheets, Sheets::Xlsx(_)) {
            return Vec::new();
        }
        let Ok(range) = self.sheets.worksheet_formula(name) else {
            return Vec::new();
        };
        let (r0, c0) = range.start().unwrap_or((0, 0));
        range
            .used_cells()
            .filter(|(_, _, f)| !f.is_empty())
            .map(|(r, c, f)| ((r0 + r as u32, c0 + c as u32), f.clone()))
            .collect()
    }

    /// The fonts of the given cells, where the format gives fonts (xlsx):
    /// the surest sign of a legacy encoding.
    pub fn fonts(&mut self, name: &str, cells: &[(u32, u32)]) -> Vec<Option<String>> {
        let styles = match &mut self.sheets {
            Sheets::Xlsx(x) => x.worksheet_style(name).ok(),
            _ => None,
        };
        cells.iter().map(|&pos| styles.as_ref()?.get(pos)?.font.as_ref()?.name.clone()).collect()
    }

    /// What a sheet hides and merges, read once per sheet.
    fn marks(&mut self, name: &str) -> &Marks {
        if !self.marks.contains_key(name) {
            let mut marks = match self.format {
                Format::Xlsx => self.package().map(|p| p.xlsx_marks(name)).unwrap_or_default(),
                Format::Ods => self.package().map(|p| p.ods_marks(name)).unwrap_or_default(),
                Format::Xls | Format::Xlsb => Marks::default(),
            };
            if let Sheets::Xls(x) = &self.sheets {
                let merges = x.merge_cells_by_sheet_name(name).unwrap_or_default();
                marks.merges = merges.iter().map(|d| (d.start.0, d.start.1, d.end.0, d.end.1)).collect();
            }
            self.marks.insert(name.to_string(), marks);
        }
        &self.marks[name]
    }

    /// Zero-based rows hidden on a sheet, where the format tells (xlsx, ods).
    pub fn hidden_rows(&mut self, name: &str) -> Vec<u32> {
        self.marks(name).hidden_rows.clone()
    }

    /// Zero-based columns hidden on a sheet, where the format tells (xlsx, ods).
    pub fn hidden_cols(&mut self, name: &str) -> Vec<u32> {
        self.marks(name).hidden_cols.clone()
    }

    /// Merged regions of a sheet, where the format gives them (xlsx, xls, ods).
    pub fn merges(&mut self, name: &str) -> Vec<calamine::Dimensions> {
        let merges = &self.marks(name).merges;
        merges.iter().map(|&(r0, c0, r1, c1)| calamine::Dimensions { start: (r0, c0), end: (r1, c1) }).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_what_files_really_are() {
        assert_eq!(sniff(b""), Err(OpenError::Empty));
        assert_eq!(sniff(b"<html><body><table><tr><td>1</td></tr></table>"), Err(OpenError::Html));
        assert_eq!(sniff(b"\xef\xbb\xbf<!DOCTYPE html><html>"), Err(OpenError::Html));
        assert_eq!(sniff(b"Thon,Thang\nLac Thanh,6\n"), Err(OpenError::Text));
        assert_eq!(sniff(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]), Ok(Format::Xls));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"), Err(OpenError::NotSpreadsheet));
    }
}
