//! Hidden rows, which calamine does not report: a figure in a hidden row is
//! read, but not silently trusted. xlsx and ods say so in their XML; for xls
//! this is not read (yet).

use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use zip::ZipArchive;

/// Reports are small: a part larger than this is not read for hidden rows.
const MAX_PART: u64 = 32 * 1024 * 1024;

fn part(zip: &mut ZipArchive<Cursor<&[u8]>>, name: &str) -> Option<String> {
    let mut f = zip.by_name(name).ok()?;
    if f.size() > MAX_PART {
        return None;
    }
    let mut s = String::new();
    f.read_to_string(&mut s).ok()?;
    Some(s)
}

fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

/// The attribute `want` of the first `element` whose `key` is `value`.
fn lookup(xml: &str, element: &str, key: &str, value: &str, want: &str) -> Option<String> {
    let mut r = Reader::from_str(xml);
    loop {
        match r.read_event() {
            Ok(Event::Start(e) | Event::Empty(e))
                if e.local_name().as_ref() == element && attr(&e, key).as_deref() == Some(value) =>
            {
                return attr(&e, want);
            }
            Ok(Event::Eof) | Err(_) => return None,
            _ => {}
        }
    }
}

/// Zero-based rows of an xlsx sheet marked hidden.
pub fn xlsx(bytes: &[u8], sheet: &str) -> Vec<u32> {
    let Ok(mut zip) = ZipArchive::new(Cursor::new(bytes)) else { return Vec::new() };
    let Some(workbook) = part(&mut zip, "xl/workbook.xml") else { return Vec::new() };
    let Some(rels) = part(&mut zip, "xl/_rels/workbook.xml.rels") else { return Vec::new() };
    let Some(id) = lookup(&workbook, "sheet", "name", sheet, "id") else { return Vec::new() };
    let Some(target) = lookup(&rels, "Relationship", "Id", &id, "Target") else { return Vec::new() };
    let path = match target.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None => format!("xl/{target}"),
    };
    let Some(xml) = part(&mut zip, &path) else { return Vec::new() };
    let mut hidden = Vec::new();
    let mut r = Reader::from_str(&xml);
    let mut next_row: u32 = 0;
    loop {
        match r.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "row" => {
                let row = attr(&e, "r").and_then(|v| v.parse::<u32>().ok()).map_or(next_row, |n| n.saturating_sub(1));
                next_row = row + 1;
                if matches!(attr(&e, "hidden").as_deref(), Some("1" | "true")) {
                    hidden.push(row);
                }
            }
            Ok(Event::End(e)) if e.local_name().as_ref() == "sheetData" => break,
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    hidden
}

/// Zero-based rows of an ods sheet that are collapsed or filtered out.
pub fn ods(bytes: &[u8], sheet: &str) -> Vec<u32> {
    let Ok(mut zip) = ZipArchive::new(Cursor::new(bytes)) else { return Vec::new() };
    let Some(xml) = part(&mut zip, "content.xml") else { return Vec::new() };
    let mut r = Reader::from_str(&xml);
    let mut inside = false;
    let mut depth = 0usize;
    let mut row: u32 = 0;
    let mut hidden = Vec::new();
    loop {
        match r.read_event() {
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
                let repeat = attr(&e, "number-rows-repeated").and_then(|v| v.parse::<u32>().ok()).unwrap_or(1).max(1);
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
    }
    hidden
}
