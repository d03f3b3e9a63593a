//! What calamine does not report, read from the package itself: hidden rows
//! (a figure in a hidden row is read, but not silently trusted) and, for
//! xlsx, when the workbook was last saved. xlsx and ods say so in their XML;
//! for xls hidden rows are not read (yet).

use std::collections::HashMap;
use std::io::{Cursor, Read};

use memchr::memmem;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use zip::ZipArchive;

use super::book::Bytes;

/// Reports are small: a part larger than this is not read.
const MAX_PART: u64 = 32 * 1024 * 1024;

/// The package of an xlsx or ods file, opened once for all its sheets.
pub struct Package {
    zip: ZipArchive<Cursor<Bytes>>,
    /// xlsx: sheet name → part path.
    sheets: Option<HashMap<String, String>>,
}

fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
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

    /// Zero-based rows of an xlsx sheet marked hidden.
    pub fn xlsx_hidden_rows(&mut self, sheet: &str) -> Vec<u32> {
        let Some(path) = self.xlsx_sheet_path(sheet) else { return Vec::new() };
        let Some(xml) = self.part(&path) else { return Vec::new() };
        // Most sheets hide nothing: a byte search settles it without parsing.
        if memmem::find(&xml, b"hidden=").is_none() {
            return Vec::new();
        }
        let mut hidden = Vec::new();
        let mut r = Reader::from_reader(xml.as_slice());
        let mut buf = Vec::new();
        let mut next_row: u32 = 0;
        loop {
            match r.read_event_into(&mut buf) {
                Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "row" => {
                    let row =
                        attr(&e, "r").and_then(|v| v.parse::<u32>().ok()).map_or(next_row, |n| n.saturating_sub(1));
                    next_row = row.saturating_add(1);
                    if row < super::grid::MAX_ROWS && matches!(attr(&e, "hidden").as_deref(), Some("1" | "true")) {
                        hidden.push(row);
                    }
                }
                Ok(Event::End(e)) if e.local_name().as_ref() == "sheetData" => break,
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
            buf.clear();
        }
        hidden
    }

    /// Zero-based rows of an ods sheet that are collapsed or filtered out.
    pub fn ods_hidden_rows(&mut self, sheet: &str) -> Vec<u32> {
        let Some(xml) = self.part("content.xml") else { return Vec::new() };
        if memmem::find(&xml, b"visibility=").is_none() {
            return Vec::new();
        }
        let mut r = Reader::from_reader(xml.as_slice());
        let mut buf = Vec::new();
        let mut inside = false;
        let mut depth = 0usize;
        let mut row: u32 = 0;
        let mut hidden = Vec::new();
        loop {
            match r.read_event_into(&mut buf) {
                Ok(Event::Start(e)) if e.local_name().as_ref() == "table" => {
                    if inside {
                        depth += 1;
                    } else if attr(&e, "name").as_deref() == Some(sheet) {
                        inside = true;
                    }
                }
                Ok(Event::End(e)) if e.local_name().as_ref() == "table" && inside => {
                    if depth == 0 {
                        break;
                    }
                    depth -= 1;
                }
                Ok(Event::Start(e) | Event::Empty(e)) if inside && e.local_name().as_ref() == "table-row" => {
                    let repeat =
                        attr(&e, "number-rows-repeated").and_then(|v| v.parse::<u32>().ok()).unwrap_or(1).max(1);
                    if matches!(attr(&e, "visibility").as_deref(), Some("collapse" | "filter")) {
                        // Only rows a report could reach.
                        for k in row..row.saturating_add(repeat).min(super::grid::MAX_ROWS) {
                            hidden.push(k);
                        }
                    }
                    row = row.saturating_add(repeat);
                }
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
            buf.clear();
        }
        hidden
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
