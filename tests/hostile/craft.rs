//! Crafts hostile files: each small on disk, each aimed at one way a reader
//! can be made to allocate without bound, loop, or write what it should
//! not (issue 11). Used by the hostile-corpus test and by `make hostile`
//! (examples/hostile.rs), which writes them to a folder to try by hand.
//!
//! The sizes are scaled to pass every budget tonghop sets, not to the
//! gigabytes the issue names: what matters is that each is past the budget,
//! and that crafting them takes a second, not a minute.

use std::io::{Cursor, Write};
use std::path::Path;

use zip::write::SimpleFileOptions;

/// A file crafted, and what it is aimed at.
pub struct Crafted {
    pub name: &'static str,
    pub bytes: Vec<u8>,
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;
const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const NS: &str = r#"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// An xlsx of the given sheets (name, sheet XML), all pointing at their own
/// part unless `same_part` makes every entry point at the first.
fn xlsx(sheets: &[(String, String)], shared: Option<&str>, same_part: bool) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let o = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut put = |name: &str, text: &[u8]| {
        w.start_file(name, o).unwrap();
        w.write_all(text).unwrap();
    };
    put("[Content_Types].xml", CONTENT_TYPES.as_bytes());
    put("_rels/.rels", ROOT_RELS.as_bytes());
    let mut entries = String::new();
    let mut rels = String::new();
    for (i, (name, _)) in sheets.iter().enumerate() {
        let n = i + 1;
        let part = if same_part { 1 } else { n };
        entries.push_str(&format!(r#"<sheet name="{}" sheetId="{n}" r:id="rId{n}"/>"#, escape(name)));
        rels.push_str(&format!(
            r#"<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{part}.xml"/>"#
        ));
    }
    let s = sheets.len() + 1;
    rels.push_str(&format!(r#"<Relationship Id="rId{s}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#));
    put(
        "xl/workbook.xml",
        format!(r#"<?xml version="1.0" encoding="UTF-8"?><workbook {NS}><sheets>{entries}</sheets></workbook>"#)
            .as_bytes(),
    );
    put(
        "xl/_rels/workbook.xml.rels",
        format!(r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"#).as_bytes(),
    );
    let parts = if same_part { &sheets[..1] } else { sheets };
    for (i, (_, xml)) in parts.iter().enumerate() {
        put(&format!("xl/worksheets/sheet{}.xml", i + 1), xml.as_bytes());
    }
    let shared = shared.map_or_else(
        || r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"></sst>"#.to_string(),
        str::to_string,
    );
    put("xl/sharedStrings.xml", shared.as_bytes());
    w.finish().unwrap().into_inner()
}

fn sheet_xml(rows: &str, extra: &str) -> String {
    format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><sheetData>{rows}</sheetData>{extra}</worksheet>"#)
}

/// A small report's rows: enough to look like a report.
fn report_rows() -> String {
    r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Thôn: Lạc Sơn</t></is></c><c r="D1" t="inlineStr"><is><t>Tháng: 06/2024</t></is></c></row><row r="3"><c r="A3" t="inlineStr"><is><t>STT</t></is></c><c r="B3" t="inlineStr"><is><t>Vật nuôi</t></is></c><c r="C3" t="inlineStr"><is><t>ĐVT</t></is></c><c r="D3" t="inlineStr"><is><t>Số lượng</t></is></c></row><row r="4"><c r="A4"><v>1</v></c><c r="B4" t="inlineStr"><is><t>Trâu</t></is></c><c r="C4" t="inlineStr"><is><t>con</t></is></c><c r="D4"><v>120</v></c></row>"#.to_string()
}

/// Every kind of hostile zip-based file: xlsx and ods.
pub fn zipped() -> Vec<Crafted> {
    let report = || vec![("Báo cáo".to_string(), sheet_xml(&report_rows(), ""))];
    let mut out = Vec::new();
    // A shared-strings table that claims a trillion entries.
    let sst = r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1000000000000" uniqueCount="1000000000000"><si><t>x</t></si></sst>"#;
    out.push(Crafted { name: "sst-mot-nghin-ty.xlsx", bytes: xlsx(&report(), Some(sst), false) });
    // One shared string of 80 MB.
    let long = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>{}</t></si></sst>"#,
        "a".repeat(80 << 20)
    );
    let rows = format!(r#"{}<row r="9"><c r="B9" t="s"><v>0</v></c></row>"#, report_rows());
    out.push(Crafted {
        name: "chuoi-80-mb.xlsx",
        bytes: xlsx(&[("Báo cáo".into(), sheet_xml(&rows, ""))], Some(&long), false),
    });
    // The same cell repeated 400 000 times inside the window (~16 MB).
    let repeated = r#"<row r="9"><c r="B9"><v>1</v></c></row>"#.repeat(400_000);
    out.push(Crafted {
        name: "o-lap-lai.xlsx",
        bytes: xlsx(&[("Báo cáo".into(), sheet_xml(&format!("{}{repeated}", report_rows()), ""))], None, false),
    });
    // Two million merge records.
    let merges =
        format!(r#"<mergeCells count="2000000">{}</mergeCells>"#, r#"<mergeCell ref="E1:F2"/>"#.repeat(2_000_000));
    out.push(Crafted {
        name: "o-gop.xlsx",
        bytes: xlsx(&[("Báo cáo".into(), sheet_xml(&report_rows(), &merges))], None, false),
    });
    // A sheet name of 3 000 characters, and one with control characters.
    out.push(Crafted {
        name: "ten-trang-dai.xlsx",
        bytes: xlsx(&[("Báo cáo ".repeat(375), sheet_xml(&report_rows(), ""))], None, false),
    });
    // Past the longest text a cell of the summary may hold.
    out.push(Crafted {
        name: "ten-trang-40000.xlsx",
        bytes: xlsx(&[("Trang ".repeat(7_000), sheet_xml(&report_rows(), ""))], None, false),
    });
    out.push(Crafted {
        name: "ten-trang-ky-tu-dieu-khien.xlsx",
        bytes: xlsx(&[("Báo\u{1b}[31m cáo\u{7}".into(), sheet_xml(&report_rows(), ""))], None, false),
    });
    // 100 000 sheet entries, all pointing at one part.
    let many: Vec<(String, String)> = (0..100_000).map(|i| (format!("S{i}"), sheet_xml(&report_rows(), ""))).collect();
    out.push(Crafted { name: "tram-nghin-trang.xlsx", bytes: xlsx(&many, None, true) });
    // A sheet cut off in the middle, inside an intact zip.
    let cut = sheet_xml(&report_rows(), "");
    out.push(Crafted {
        name: "trang-bi-cat.xlsx",
        bytes: xlsx(&[("Báo cáo".into(), cut[..cut.len() / 2].to_string())], None, false),
    });
    out.push(Crafted { name: "o-day-dac.ods", bytes: dense_ods() });
    out
}

/// An ods whose one non-empty cell is repeated over a million rows and
/// sixteen thousand columns.
fn dense_ods() -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let o = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    w.start_file("mimetype", stored).unwrap();
    w.write_all(b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
    w.start_file("META-INF/manifest.xml", o).unwrap();
    w.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#).unwrap();
    w.start_file("content.xml", o).unwrap();
    w.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="BC"><table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#).unwrap();
    w.finish().unwrap().into_inner()
}

/// Writes every crafted file into `dir`, with the non-file inputs where the
/// platform has them: a folder 18 deep holding a report, a link loop, a
/// link to a device.
pub fn write_all(dir: &Path) -> Vec<&'static str> {
    std::fs::create_dir_all(dir).unwrap();
    let mut names = Vec::new();
    for c in zipped().into_iter().chain(super::xls::crafted()) {
        std::fs::write(dir.join(c.name), &c.bytes).unwrap();
        names.push(c.name);
    }
    names
}
