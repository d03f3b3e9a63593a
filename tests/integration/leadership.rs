//! The leadership workbook as a leader reads it on paper (issue 12): the
//! header names the commune, its number and the day; a doubtful total names
//! the hamlets and figures; a month some hamlets did not report is said
//! once; no column is empty throughout; the annex sheets have a title; the
//! chart comes before the signatures on a page of its own; what is printed
//! is 10 pt or more and leaves the codes out.

use std::path::{Path, PathBuf};

use calamine::{Data, Range};

use crate::util::*;

struct Book {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

fn build(input: &Path, extra: &[&str]) -> Book {
    let dir = tempdir();
    let path = dir.path().join("tong-hop.xlsx");
    let mut args = vec!["run", input.to_str().unwrap(), "-o", path.to_str().unwrap()];
    args.extend(extra);
    let r = tonghop(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    Book { _dir: dir, path }
}

/// The cells of a row, with where each is.
fn row_texts(s: &Range<Data>, row: u32) -> Vec<(u32, String)> {
    (0..20).map(|c| (c, text(s, row, c))).filter(|(_, t)| !t.is_empty()).collect()
}

/// The column whose header (the row of "STT") is `head`.
fn column(s: &Range<Data>, head: &str) -> Option<u32> {
    let r = find_row(s, 0, "STT")?;
    (0..30).find(|&c| text(s, r, c) == head)
}

/// Every cell of the sheet that holds `want`, as (row, column).
fn cells_with(s: &Range<Data>, want: &str) -> Vec<(u32, u32)> {
    let (Some((r0, c0)), Some((r1, c1))) = (s.start(), s.end()) else { return Vec::new() };
    (r0..=r1).flat_map(|r| (c0..=c1).map(move |c| (r, c))).filter(|&(r, c)| text(s, r, c).contains(want)).collect()
}

/// The shipped schema with the commune named: a copy of schemas/ whose
/// [commune] says `lines` in place of its placeholder name.
fn named_schema(dir: &Path, lines: &str) -> PathBuf {
    let to = dir.join("luoc-do");
    std::fs::create_dir_all(&to).unwrap();
    for e in std::fs::read_dir(root().join("schemas")).unwrap().flatten() {
        let text = std::fs::read_to_string(e.path()).unwrap();
        let text = if e.file_name() == "commune.toml" {
            assert!(text.contains("\nname = \"UBND XÃ\"\n"), "the placeholder name");
            // The recipients given replace the shipped ones.
            let kept: Vec<&str> =
                text.lines().filter(|l| !(lines.contains("recipients") && l.starts_with("recipients"))).collect();
            (kept.join("\n") + "\n").replace("\nname = \"UBND XÃ\"\n", &format!("\n{lines}\n"))
        } else {
            text
        };
        std::fs::write(to.join(e.file_name()), text).unwrap();
    }
    to.join("tonghop.toml")
}

/// The date line: the cell of row 3 on the right of the header block.
fn date_line(s: &Range<Data>) -> String {
    row_texts(s, 2).into_iter().map(|x| x.1).find(|t| t.contains("ngày")).unwrap_or_default()
}

#[test]
fn the_header_names_the_commune_its_number_and_the_day() {
    let dir = tempdir();
    let schema = named_schema(dir.path(), "name = \"UBND XÃ HƯNG LẠC\"");
    let b = build(&samples(), &["--schema", schema.to_str().unwrap()]);
    for (name, first) in [("Tổng hợp", 0), ("Chi tiết thôn", 1)] {
        let s = sheet(&b.path, name);
        assert_eq!(text(&s, 0, first), "UBND XÃ HƯNG LẠC", "{name}");
        assert_eq!(text(&s, 2, first), "Số: …… /BC-UBND", "{name}");
        // SOURCE_DATE_EPOCH is 2024-07-05 (util::TODAY_EPOCH); a day under
        // 10 takes a 0, July does not (Nghị định 30/2020/NĐ-CP); the place
        // is read from the name.
        assert_eq!(date_line(&s), "Hưng Lạc, ngày 05 tháng 7 năm 2024", "{name}");
    }
    // A place of its own; the recipients of the schema.
    let schema = named_schema(
        dir.path(),
        "name = \"ỦY BAN NHÂN DÂN XÃ HƯNG LẠC\"\nplace = \"Hưng Lạc, Nghệ An\"\nrecipients = [\"Huyện ủy\", \"Lưu: VT\"]",
    );
    let b = build(&samples(), &["--schema", schema.to_str().unwrap()]);
    let s = sheet(&b.path, "Tổng hợp");
    assert_eq!(text(&s, 0, 0), "ỦY BAN NHÂN DÂN XÃ HƯNG LẠC");
    assert_eq!(date_line(&s), "Hưng Lạc, Nghệ An, ngày 05 tháng 7 năm 2024");
    let at = find_row(&s, 0, "Nơi nhận:").unwrap();
    assert_eq!((text(&s, at + 1, 0), text(&s, at + 2, 0)), ("- Huyện ủy;".into(), "- Lưu: VT.".into()));
}

#[test]
fn a_schema_without_the_communes_name_leaves_the_place_to_the_pen() {
    // The shipped schema has only "UBND XÃ": it stays valid, and the place
    // is dotted for the clerk to write.
    let b = build(&samples(), &[]);
    let s = sheet(&b.path, "Tổng hợp");
    assert_eq!(text(&s, 0, 0), "UBND XÃ");
    assert_eq!(date_line(&s), "……………, ngày 05 tháng 7 năm 2024");
}

#[test]
fn without_a_date_the_day_is_left_to_the_pen() {
    let dir = tempdir();
    let schema = named_schema(dir.path(), "name = \"UBND XÃ HƯNG LẠC\"");
    let b = build(&samples(), &["--no-date", "--schema", schema.to_str().unwrap()]);
    let s = sheet(&b.path, "Tổng hợp");
    assert_eq!(date_line(&s), "Hưng Lạc, ngày …… tháng …… năm ……");
    assert!(cells_with(&s, "2024").iter().all(|&(r, _)| r != 2), "no year on the date line");
}

#[test]
fn a_doubtful_total_names_the_hamlets_and_their_figures() {
    let b = build(&samples(), &[]);
    let s = sheet(&b.path, "Tổng hợp");
    let remark = column(&s, "Ghi chú").expect("Ghi chú");
    let ytd = column(&s, "Lũy kế / hiện có đến 06/2024").expect("year to date");
    // Lạc Hòa's pigs: "khoảng 420", May's 410 stands in.
    let lon = find_row(&s, 1, "Lợn").unwrap();
    assert_eq!(text(&s, lon, remark), "Lạc Hòa: lợn không đọc được, dùng số tháng 05/2024 (410 con)");
    // Lạc Thắng's spring rice output, 660 tấn typed for 66: named by its own
    // figure, on the rows it stands in too.
    for name in ["Sản lượng lúa vụ xuân", "Sản lượng lúa cả năm"] {
        let r = find_row(&s, 1, name).unwrap();
        assert!(
            text(&s, r, remark).contains("Lạc Thắng: sản lượng lúa vụ xuân 660 tấn có lỗi"),
            "{name}: {}",
            text(&s, r, remark)
        );
    }
    // The note behind the mark: the hamlet, its file and cell, the figure.
    let notes = sheet_related(&b.path, 1, "comments").expect("notes on Tổng hợp");
    let cell = format!("ref=\"{}{}\"", (b'A' + ytd as u8) as char, lon + 1);
    let at = notes.find(&cell).unwrap_or_else(|| panic!("no note at {cell}: {notes}"));
    let note = &notes[at..at + notes[at..].find("</comment>").unwrap()];
    for want in ["Lạc Hòa", "Lac Hoa.xlsx, ô D19", "khoảng 420", "Tổng dùng số tháng 05/2024 của thôn: 410 con"]
    {
        assert!(note.contains(want), "{want}: {note}");
    }
    assert!(!note.contains("xem trang Kiểm tra") || note.contains("Lạc Hòa"), "{note}");
}

/// The samples without Lạc Phú's June report.
fn without_lac_phu_in_june(dir: &Path) -> PathBuf {
    let copy = dir.join("mau");
    for month in ["2024-05", "2024-06"] {
        std::fs::create_dir_all(copy.join(month)).unwrap();
        for e in std::fs::read_dir(samples().join(month)).unwrap().flatten() {
            if !(month == "2024-06" && e.file_name() == "Lac Phu.xls") {
                std::fs::copy(e.path(), copy.join(month).join(e.file_name())).unwrap();
            }
        }
    }
    copy
}

#[test]
fn a_month_some_hamlets_did_not_report_is_said_once() {
    let dir = tempdir();
    let b = build(&without_lac_phu_in_june(dir.path()), &[]);
    let s = sheet(&b.path, "Tổng hợp");
    let remark = column(&s, "Ghi chú").expect("Ghi chú");
    let said = cells_with(&s, "Lạc Phú");
    assert_eq!(said.len(), 1, "said once: {said:?}");
    let (r, c) = said[0];
    assert_eq!(c, 0, "a line under the table");
    let line = text(&s, r, c);
    assert!(line.starts_with("(*) Chưa có báo cáo tháng 06/2024 của Lạc Phú"), "{line}");
    assert!(line.contains("Lạc Phú: tháng 05/2024") && line.contains("lũy kế chưa có tháng 06/2024"), "{line}");
    assert!(r > find_row(&s, 1, "Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng").unwrap());
    // No row's remark repeats it; the pigs still name Lạc Hòa.
    let lon = find_row(&s, 1, "Lợn").unwrap();
    assert!(text(&s, lon, remark).starts_with("Lạc Hòa: lợn không đọc được"), "{}", text(&s, lon, remark));
    assert!(text(&s, 5, 0).contains("5/6 thôn"), "{}", text(&s, 5, 0));
}

#[test]
fn no_column_of_the_summary_is_empty_throughout() {
    let b = build(&samples(), &[]);
    let s = sheet(&b.path, "Tổng hợp");
    let head = find_row(&s, 0, "STT").unwrap();
    let heads: Vec<String> = row_texts(&s, head).into_iter().map(|x| x.1).collect();
    // The samples hold no 2023 and no whole year so far: neither column.
    assert!(!heads.iter().any(|h| h.starts_with("Cùng kỳ") || h.starts_with("So cùng kỳ")), "{heads:?}");
    assert!(!heads.iter().any(|h| h.starts_with("Ước cả năm")), "{heads:?}");
    let last = find_row(&s, 1, "Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng").unwrap();
    for c in 0..heads.len() as u32 {
        assert!((head + 1..=last).any(|r| !text(&s, r, c).is_empty()), "column {} is empty", heads[c as usize]);
    }
    // With last year's figures, the same period last year is there.
    let b = build(&fixtures().join("cases").join("cung ky"), &[]);
    let s = sheet(&b.path, "Tổng hợp");
    let c = column(&s, "Cùng kỳ năm 2023").expect("Cùng kỳ năm 2023");
    let r = find_row(&s, 1, "Trâu, bò").unwrap();
    assert_eq!(number(&s, r, c), Some(648.0 + 779.0));
}

#[test]
fn the_annex_sheets_have_a_title_and_the_month() {
    let b = build(&samples(), &[]);
    let k = sheet(&b.path, "Kiểm tra");
    assert_eq!(text(&k, 0, 0), "KẾT QUẢ KIỂM TRA SỐ LIỆU BÁO CÁO THÁNG 6 NĂM 2024");
    assert_eq!(text(&k, 1, 0), "(Kèm theo báo cáo tổng hợp của UBND XÃ; 6 lỗi, 2 cảnh báo, 1 thông tin)");
    assert_eq!(text(&k, 3, 0), "Mức độ");
    let t = sheet(&b.path, "Tình hình nộp");
    assert_eq!(text(&t, 0, 0), "TÌNH HÌNH NỘP BÁO CÁO CỦA CÁC THÔN THÁNG 6 NĂM 2024");
    assert!(text(&t, 1, 0).starts_with("(6/6 thôn đã nộp báo cáo tháng 06/2024"), "{}", text(&t, 1, 0));
    assert_eq!(text(&t, 3, 0), "Thôn");
}

#[test]
fn saved_times_say_where_they_come_from() {
    let b = build(&samples(), &[]);
    let t = sheet(&b.path, "Tình hình nộp");
    assert_eq!(text(&t, 3, 5), "Lưu lúc (giờ Việt Nam)");
    // The workbook's own record, 09:30 UTC, in Vietnam's time.
    let r = (4..t.height() as u32).find(|&r| text(&t, r, 3) == "2024-06/Lac Thanh.xlsx").unwrap();
    assert_eq!(text(&t, r, 5), "03/07/2024 16:30 (tệp ghi)");
    // An .xls with no record of its own: the file system's time, said so.
    let r = (4..t.height() as u32).find(|&r| text(&t, r, 3) == "2024-06/Lac Phu.xls").unwrap();
    assert!(text(&t, r, 5).ends_with("(giờ máy)"), "{}", text(&t, r, 5));
    assert!(!cells_with(&t, "\"giờ máy\" là giờ tệp được sửa lần cuối").is_empty(), "said under the table");
}

#[test]
fn the_chart_comes_before_the_signatures_on_a_page_of_its_own() {
    let b = build(&samples(), &[]);
    let s = sheet(&b.path, "Tổng hợp");
    let xml = xlsx_part(&b.path, "xl/worksheets/sheet1.xml").unwrap();
    let drawing = sheet_related(&b.path, 1, "drawing").expect("the chart's drawing");
    let anchor = |end: &str| -> u32 {
        let at = drawing.find(&format!("<xdr:{end}>")).unwrap();
        let tail = &drawing[at..];
        let r = tail.find("<xdr:row>").unwrap() + 9;
        tail[r..r + tail[r..].find('<').unwrap()].parse().unwrap()
    };
    let (from, to) = (anchor("from"), anchor("to"));
    let breaks: Vec<u32> =
        xml.split("<brk id=\"").skip(1).map(|b| b[..b.find('"').unwrap()].parse().unwrap()).collect();
    assert!(breaks.contains(&from), "a page starts with the chart: {breaks:?}, chart at {from}");
    let sign = find_row(&s, 0, "Nơi nhận:").expect("Nơi nhận");
    assert!(cells_with(&s, "TM. ỦY BAN NHÂN DÂN").iter().all(|&(r, _)| r == sign), "signatures beside Nơi nhận");
    assert!(to < sign, "the chart ({from}..{to}) before the signatures ({sign})");
    // No page break falls inside the chart; its rows fit on a page.
    assert!(breaks.iter().all(|&b| b <= from || b > to), "{breaks:?}");
    assert!(f64::from(to - from + 1) * 21.0 <= (8.27 - 1.2) * 96.0, "{from}..{to}");
    let recipients: Vec<String> = (sign + 1..sign + 6).map(|r| text(&s, r, 0)).collect();
    assert!(recipients.contains(&"- Lưu: VP.".to_string()), "{recipients:?}");
}

/// The columns a print area holds, from the workbook's defined name.
fn print_columns(path: &Path, sheet: &str) -> (u32, u32) {
    let wb = xlsx_part(path, "xl/workbook.xml").unwrap();
    let at = wb.find(&format!("_xlnm.Print_Area\" localSheetId=\"{sheet}\"")).expect("a print area");
    let area = &wb[at..at + wb[at..].find("</definedName>").unwrap()];
    let cols: Vec<u32> = area
        .split('$')
        .filter(|p| p.chars().next().is_some_and(|c| c.is_ascii_uppercase()))
        .map(|p| p.bytes().take_while(u8::is_ascii_uppercase).fold(0, |n, b| n * 26 + u32::from(b - b'A' + 1)) - 1)
        .collect();
    (cols[0], cols[1])
}

/// How much of full size a sheet prints at, fitted to the page width: the
/// printed columns' widths (in pixels, as Excel lays them out) against A4
/// landscape within the margins.
fn print_scale(path: &Path, n: usize, cols: (u32, u32)) -> f64 {
    let xml = xlsx_part(path, &format!("xl/worksheets/sheet{n}.xml")).unwrap();
    let attr = |el: &str, name: &str| -> Option<f64> {
        let at = el.find(&format!(" {name}=\""))? + name.len() + 3;
        el[at..at + el[at..].find('"')?].parse().ok()
    };
    let mut px = 0.0;
    for c in cols.0..=cols.1 {
        let el = xml
            .split("<col ")
            .skip(1)
            .map(|e| format!(" {}", &e[..e.find("/>").unwrap()]))
            .find(|e| (attr(e, "min").unwrap() as u32..=attr(e, "max").unwrap() as u32).contains(&(c + 1)));
        px += match el {
            Some(e) if e.contains("hidden=\"1\"") => 0.0,
            Some(e) => (attr(&e, "width").unwrap() * 7.0).round(),
            None => 64.0,
        };
    }
    let margins = xml.find("<pageMargins").map(|at| &xml[at..]).unwrap();
    let page = (11.69 - attr(margins, "left").unwrap() - attr(margins, "right").unwrap()) * 96.0;
    (page / px).min(1.0)
}

#[test]
fn what_is_printed_is_ten_points_or_more_and_leaves_the_codes_out() {
    let dir = tempdir();
    for b in [build(&samples(), &[]), build(&without_lac_phu_in_june(dir.path()), &[])] {
        // Cells are in Times New Roman at 12 pt or more, so that 12 pt
        // fitted to the page width at 5/6 or more prints at 10 pt or more;
        // the only others are the default font (empty cells, 11 pt) and the
        // notes' font that Excel lists (notes are not printed).
        let styles = xlsx_part(&b.path, "xl/styles.xml").unwrap();
        let fonts = &styles[styles.find("<fonts").unwrap()..styles.find("</fonts>").unwrap()];
        for font in fonts.split("<font>").skip(2) {
            let size: f64 =
                font.split("<sz val=\"").nth(1).map(|s| s[..s.find('"').unwrap()].parse().unwrap()).unwrap();
            match font.contains("<name val=\"Times New Roman\"/>") {
                true => assert!(size >= 12.0, "{font}"),
                false => assert!(font.contains("<name val=\"Tahoma\"/>") && font.contains("indexed=\"81\""), "{font}"),
            }
        }
        for (n, name) in ["Tổng hợp", "Chi tiết thôn", "Kiểm tra", "Tình hình nộp"].iter().enumerate() {
            let cols = print_columns(&b.path, &n.to_string());
            let scale = print_scale(&b.path, n + 1, cols);
            assert!(12.0 * scale >= 10.0, "{name} prints 12 pt at {:.1} pt", 12.0 * scale);
            let xml = xlsx_part(&b.path, &format!("xl/worksheets/sheet{}.xml", n + 1)).unwrap();
            assert!(xml.contains("&amp;12Trang &amp;P/&amp;N"), "{name}: page numbers at 12 pt");
            if n == 0 {
                let chart = xlsx_part(&b.path, "xl/charts/chart1.xml").unwrap();
                for sz in chart.split(" sz=\"").skip(1).map(|s| s[..s.find('"').unwrap()].parse::<f64>().unwrap()) {
                    assert!(sz / 100.0 * scale >= 10.0, "chart text at {sz}");
                }
            }
        }
        // Codes are not printed: Chi tiết thôn's column A, Kiểm tra's rule.
        assert_eq!(print_columns(&b.path, "1").0, 1, "Chi tiết thôn prints from B");
        let k = sheet(&b.path, "Kiểm tra");
        assert_eq!(text(&k, 3, 11), "Quy tắc");
        assert_eq!(print_columns(&b.path, "2"), (0, 10), "Kiểm tra prints without Quy tắc");
        let s = sheet(&b.path, "Tổng hợp");
        let last = (0..30).rev().find(|&c| !text(&s, find_row(&s, 0, "STT").unwrap(), c).is_empty()).unwrap();
        assert_eq!(print_columns(&b.path, "0"), (0, last - 3), "the chart's figures are not printed");
    }
}

#[test]
fn rule_codes_are_never_wrapped() {
    let b = build(&samples(), &[]);
    let xml = xlsx_part(&b.path, "xl/worksheets/sheet3.xml").unwrap();
    let styles = xlsx_part(&b.path, "xl/styles.xml").unwrap();
    let xfs_at = styles.find("<cellXfs").unwrap();
    let xfs: Vec<&str> = styles[xfs_at..].split("<xf ").skip(1).collect();
    let k = sheet(&b.path, "Kiểm tra");
    let codes: Vec<u32> = (4..k.height() as u32).filter(|&r| !text(&k, r, 11).is_empty()).collect();
    assert!(!codes.is_empty());
    for r in codes {
        let at = xml.find(&format!("<c r=\"L{}\" s=\"", r + 1)).unwrap_or_else(|| panic!("L{}", r + 1));
        let s: usize = xml[at..].split('"').nth(3).unwrap().parse().unwrap();
        let xf = &xfs[s][..xfs[s].find("</xf>").or_else(|| xfs[s].find("/>")).unwrap()];
        assert!(!xf.contains("wrapText=\"1\""), "L{}: {xf}", r + 1);
    }
}
