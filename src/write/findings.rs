//! Kiểm tra: every finding, errors first, then by hamlet; the cell is a link
//! that opens the hamlet's file at that cell (a relative link, so the folder
//! can be moved whole).

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use rust_xlsxwriter::{Color, FormatAlign, Url, Worksheet};

use super::Result;
use super::styles::{Fig, Mark, Styles, VN, print_area, print_setup, sheet_title, write_opt};
use super::workbook::Input;
use crate::model::{Finding, RuleRef, Severity, a1};
use crate::pipeline::rule_id;
use crate::text::shown;

pub const NAME: &str = "Kiểm tra";

/// Findings listed in the sheet at most: a sheet holds about a million rows,
/// and the JSON report has them all.
const MAX_ROWS: usize = 100_000;

const HEADS: [&str; 12] = [
    "Mức độ",
    "Thôn",
    "Tháng",
    "Tệp",
    "Trang tính",
    "Ô",
    "Chỉ tiêu",
    "Nội dung",
    "Cần làm",
    "Đúng ra",
    "Thực tế",
    "Quy tắc",
];
/// Narrow enough that the page, fitted to its width, prints 12 pt text at
/// 10 pt or more; the rule's code, last, is wide enough not to wrap.
const WIDTHS: [f64; 12] = [9.0, 10.0, 8.0, 18.0, 9.0, 5.0, 16.0, 46.0, 28.0, 9.0, 9.0, 24.0];
/// The last column printed: the rule's code is for the clerk on screen.
const LAST_PRINTED: u16 = 10;

pub fn sheet(ws: &mut Worksheet, input: &Input<'_>, st: &Styles) -> Result {
    ws.set_name(NAME)?;
    let findings = &input.outcome.findings;
    let count = |sev: Severity| findings.iter().filter(|f| f.severity == sev).count();
    let p = input.totals.period;
    let head = sheet_title(
        ws,
        st,
        &format!("KẾT QUẢ KIỂM TRA SỐ LIỆU BÁO CÁO THÁNG {} NĂM {}", p.month, p.year),
        &format!(
            "(Kèm theo báo cáo tổng hợp của {}; {} lỗi, {} cảnh báo, {} thông tin)",
            input.schema.commune.name,
            count(Severity::Error),
            count(Severity::Warning),
            count(Severity::Info)
        ),
        LAST_PRINTED,
    )?;
    for (c, h) in HEADS.iter().map(|h| crate::words::say(h)).enumerate() {
        ws.write_string_with_format(head, c as u16, h, &st.header)?;
        ws.set_column_width(c as u16, WIDTHS[c])?;
    }
    let paths: HashMap<&str, &Path> = input.outcome.submissions.iter().map(|s| (&*s.file, s.path.as_path())).collect();
    let out_dir = input.out_dir.canonicalize().unwrap_or_else(|_| input.out_dir.to_path_buf());
    let shown = findings.len().min(MAX_ROWS);
    let mut row = head + 1;
    for f in &findings[..shown] {
        let link = f.file.as_deref().and_then(|file| paths.get(file)).map(|p| relative_link(&out_dir, p));
        finding_row(ws, input, st, row, f, link)?;
        row += 1;
    }
    if shown < findings.len() {
        let more = findings.len() - shown;
        ws.write_string_with_format(
            row,
            7,
            format!("… và {more} phát hiện nữa: xem báo cáo JSON (--json)."),
            &st.wrap,
        )?;
        row += 1;
    }
    ws.set_freeze_panes(head + 1, 0)?;
    ws.autofilter(head, 0, row.saturating_sub(1).max(head + 1), HEADS.len() as u16 - 1)?;
    print_setup(ws, head, head)?;
    print_area(ws, row.saturating_sub(1).max(head), 0, LAST_PRINTED)
}

fn finding_row(
    ws: &mut Worksheet,
    input: &Input<'_>,
    st: &Styles,
    row: u32,
    f: &Finding,
    link: Option<String>,
) -> Result {
    let schema = input.schema;
    let severity = match f.severity {
        Severity::Error => st.wrap.clone().set_bold().set_font_color(Color::RGB(0x9C0006)),
        Severity::Warning => st.wrap.clone().set_font_color(Color::RGB(0x9C5700)),
        Severity::Info => st.wrap.clone(),
    };
    ws.write_string_with_format(row, 0, f.severity.label(), &severity)?;
    ws.write_string_with_format(row, 1, f.hamlet.map_or("", |h| schema.hamlet_name(h)), &st.wrap)?;
    ws.write_string_with_format(row, 2, f.period.map(|p| p.display_vn()).unwrap_or_default(), &st.wrap)?;
    ws.write_string_with_format(row, 3, shown(f.file.as_deref().unwrap_or(""), NAME_CHARS), &st.wrap)?;
    ws.write_string_with_format(row, 4, shown(f.sheet.as_deref().unwrap_or(""), NAME_CHARS), &st.wrap)?;
    let cell = f.cell.map(|(r, c)| a1(r, c));
    match (&cell, link) {
        // Opens the hamlet's file at the cell (a link has at most 2,079 characters).
        (Some(cell), Some(t))
            if t.len() < 1800 && f.sheet.as_deref().is_some_and(linkable) && escaped(&t).is_some() =>
        {
            let sheet = f.sheet.as_deref().unwrap_or("").replace('\'', "''");
            let url = Url::new(format!("file:///{}#'{sheet}'!{cell}", escaped(&t).unwrap_or_default()))
                .set_text(cell)
                .set_tip(crate::words::say("Mở tệp của thôn tại ô này"));
            ws.write_url_with_format(row, 5, url, &st.link.clone().set_align(FormatAlign::Top))?;
        }
        (Some(cell), _) => {
            ws.write_string_with_format(row, 5, cell, &st.wrap)?;
        }
        (None, _) => {
            ws.write_blank(row, 5, &st.wrap)?;
        }
    }
    let ind_name = f.indicator.map_or("", |i| schema.indicators[i].name.as_str());
    ws.write_string_with_format(row, 6, ind_name, &st.wrap)?;
    ws.write_string_with_format(row, 7, shown(&f.message, TEXT), &st.wrap)?;
    let instruction = match f.rule {
        RuleRef::Schema(r) => schema.rules[r].instruction.as_deref().unwrap_or(""),
        RuleRef::Reading(_) => "",
    };
    ws.write_string_with_format(row, 8, instruction, &st.wrap)?;
    let number =
        st.figure(Fig::Number, Mark::Plain).set_num_format(format!("{VN}#,##0.0##")).set_align(FormatAlign::Top);
    write_opt(ws, row, 9, f.expected, &number)?;
    write_opt(ws, row, 10, f.actual, &number)?;
    // A code is one word: never wrapped, so never cut mid-word.
    ws.write_string_with_format(row, 11, rule_id(&f.rule, schema), &st.text.clone().set_align(FormatAlign::Top))?;
    // Wrapped text needs its height: LibreOffice does not grow rows on opening.
    let lines =
        [(f.message.as_str(), WIDTHS[7]), (instruction, WIDTHS[8]), (f.file.as_deref().unwrap_or(""), WIDTHS[3])]
            .iter()
            .map(|(t, w)| (t.chars().count() as f64 / (w * 1.15)).ceil() as u32)
            .max()
            .unwrap_or(1)
            .max(1);
    ws.set_row_height(row, 15.5 * lines as f64 + 2.0)?;
    Ok(())
}

/// The most characters of a file or sheet name, and of a message, written.
const NAME_CHARS: usize = 255;
const TEXT: usize = 8_000;

/// A sheet a link can name: as Excel allows sheet names (31 characters, no
/// control character).
fn linkable(sheet: &str) -> bool {
    sheet.chars().count() <= 31 && !sheet.chars().any(char::is_control)
}

/// A path in a link, escaped: "#" would start the cell part, "%" an
/// escape, a space or a quote end it. rust_xlsxwriter escapes a path unless
/// it sees it escaped already (by "%20", "%25", …): a path it could escape
/// twice ("#" and nothing else to escape) gets no link.
fn escaped(path: &str) -> Option<String> {
    if !path.contains(['#', '%']) {
        return Some(path.to_string());
    }
    let mut out = String::with_capacity(path.len() + 8);
    for c in path.chars() {
        match c {
            '%' => out.push_str("%25"),
            '#' => out.push_str("%23"),
            ' ' => out.push_str("%20"),
            '"' => out.push_str("%22"),
            '[' => out.push_str("%5B"),
            ']' => out.push_str("%5D"),
            c => out.push(c),
        }
    }
    ["%25", "%20", "%22", "%5B", "%5D"].iter().any(|e| out.contains(e)).then_some(out)
}

/// A link from the workbook's folder (made absolute) to a hamlet's file,
/// relative so that the folder can be moved or copied as a whole; Excel
/// writes it with "\".
fn relative_link(from: &Path, to: &Path) -> String {
    let to = to.canonicalize().unwrap_or_else(|_| to.to_path_buf());
    let a: Vec<Component> = from.components().collect();
    let b: Vec<Component> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut rel = PathBuf::new();
    for _ in common..a.len() {
        rel.push("..");
    }
    for c in &b[common..] {
        rel.push(c.as_os_str());
    }
    rel.to_string_lossy().replace('/', "\\")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_relative() {
        let l = relative_link(Path::new("/a/b/out"), Path::new("/a/b/samples/2024-06/x.xlsx"));
        assert_eq!(l, "..\\samples\\2024-06\\x.xlsx");
        assert_eq!(escaped("a#1%.xlsx").as_deref(), Some("a%231%25.xlsx"));
        assert_eq!(escaped("Lac Phu #2.xlsx").as_deref(), Some("Lac%20Phu%20%232.xlsx"));
        assert_eq!(escaped("Lac Phu.xlsx").as_deref(), Some("Lac Phu.xlsx"));
        assert_eq!(escaped("a#2.xlsx"), None);
        assert!(linkable("Báo cáo") && !linkable("Báo\u{1b}[31m") && !linkable(&"x".repeat(40)));
    }
}
