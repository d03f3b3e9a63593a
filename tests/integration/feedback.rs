//! What goes back to the hamlets (`run` writes phan-hoi-YYYY-MM/ beside the
//! summary): a workbook for each hamlet with something to fix, holding its
//! figures as read with the cells marked, and tin-nhan.txt with a message
//! for it, and a reminder for each hamlet that has not reported.

use std::path::{Path, PathBuf};

use crate::util::*;

/// Forms for June 2024, pre-filled from May (the samples), as the hamlets
/// would send them back unchanged.
fn june_forms(dir: &Path) -> PathBuf {
    let out = dir.join("in");
    let (input, o) = (samples().to_string_lossy().into_owned(), out.to_string_lossy().into_owned());
    let r = tonghop_in(dir, &["template", &input, "--all", "--period", "2024-06", "-o", &o]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    out
}

/// Where a row label's first figure is on a form (zero-based), and its A1.
fn figure_cell(form: &Path, label: &str, col: u32) -> (u32, String) {
    let ws = sheet(form, "Báo cáo");
    let row = find_row(&ws, 1, label).unwrap_or_else(|| panic!("{label}"));
    (row, format!("{}{}", (b'A' + col as u8) as char, row + 1))
}

/// Writes `text` over the value of a cell of the form's first sheet: a
/// figure as a hamlet head would type it.
fn type_into(form: &Path, cell: &str, value: &str) {
    let copy = form.with_extension("tmp");
    std::fs::rename(form, &copy).unwrap();
    rewrite_xlsx(&copy, form, |name, xml| {
        if name != "xl/worksheets/sheet1.xml" {
            return xml;
        }
        let at = xml.find(&format!("<c r=\"{cell}\"")).unwrap_or_else(|| panic!("{cell}"));
        let end = at + xml[at..].find("/>").unwrap().min(xml[at..].find("</c>").map_or(usize::MAX, |e| e + 2));
        let open = &xml[at..end];
        let style = open.split(" s=\"").nth(1).map(|s| s.split('"').next().unwrap()).unwrap_or("0");
        let cell_xml = match value.parse::<f64>() {
            Ok(_) => format!("<c r=\"{cell}\" s=\"{style}\"><v>{value}</v></c>"),
            Err(_) => format!("<c r=\"{cell}\" s=\"{style}\" t=\"inlineStr\"><is><t>{value}</t></is></c>"),
        };
        format!("{}{}{}", &xml[..at], cell_xml, &xml[end + 2..])
    });
    std::fs::remove_file(copy).unwrap();
}

/// The fill colour (RGB) of a cell of a sheet, from the package's styles.
fn fill_of(book: &Path, sheet_no: usize, cell: &str) -> Option<String> {
    let xml = xlsx_part(book, &format!("xl/worksheets/sheet{sheet_no}.xml"))?;
    let at = xml.find(&format!("<c r=\"{cell}\""))?;
    let style: usize = xml[at..].split(" s=\"").nth(1)?.split('"').next()?.parse().ok()?;
    let styles = xlsx_part(book, "xl/styles.xml")?;
    let xfs = styles.split("<cellXfs").nth(1)?;
    let xf = xfs.split("<xf ").nth(style + 1)?;
    let fill: usize = xf.split("fillId=\"").nth(1)?.split('"').next()?.parse().ok()?;
    let fills = styles.split("<fills").nth(1)?;
    let f = fills.split("<fill>").nth(fill + 1)?;
    Some(f.split("rgb=\"").nth(1)?.split('"').next()?.to_string())
}

#[test]
fn two_hamlets_with_mistakes_get_feedback_the_missing_one_a_reminder_the_others_nothing() {
    let dir = tempdir();
    let forms = june_forms(dir.path());
    let form = |h: &str| forms.join(format!("Bao cao {h} 2024-06.xlsx"));
    // Lạc Phú sends nothing; Lạc Sơn types a negative herd, Lạc Hòa words;
    // the others write the month's drains and confirm their stocks.
    std::fs::remove_file(form("lac-phu")).unwrap();
    for h in ["lac-thanh", "lac-thang", "lac-tien"] {
        let (_, ranh) = figure_cell(&form(h), "Rãnh thoát nước", 3);
        type_into(&form(h), &ranh, "12");
    }
    let (trau_row, trau) = figure_cell(&form("lac-son"), "Trâu", 3);
    type_into(&form("lac-son"), &trau, "-5");
    let (_, lon) = figure_cell(&form("lac-hoa"), "Lợn", 3);
    type_into(&form("lac-hoa"), &lon, "khoảng 40");
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let r = tonghop_in(&out, &["run", &forms.to_string_lossy(), "--period", "2024-06", "-o", "tong-hop.xlsx"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let folder = out.join("phan-hoi-2024-06");
    let mut books: Vec<String> =
        std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    books.sort();
    assert_eq!(books, ["Phan hoi lac-hoa 2024-06.xlsx", "Phan hoi lac-son 2024-06.xlsx", "tin-nhan.txt"]);
    // The messages: the two mistakes, named where they are; the reminder.
    let text = std::fs::read_to_string(folder.join("tin-nhan.txt")).unwrap();
    let messages: Vec<&str> = text.split("\n--- ").skip(1).collect();
    assert_eq!(messages.len(), 3, "{text}");
    let of = |h: &str| messages.iter().find(|m| m.starts_with(&format!("Thôn {h} ---"))).copied();
    let son = of("Lạc Sơn").expect("Lạc Sơn");
    assert!(son.contains(&format!("Ô {trau}")) && son.contains("Trâu") && son.contains("lỗi"), "{son}");
    let hoa = of("Lạc Hòa").expect("Lạc Hòa");
    assert!(hoa.contains(&format!("Ô {lon}")) && hoa.contains("khoảng 40"), "{hoa}");
    let phu = of("Lạc Phú").expect("Lạc Phú");
    assert!(phu.contains("chưa nhận được báo cáo tháng 06/2024"), "{phu}");
    for m in &messages {
        let body = m.split_once("---\n").unwrap().1.trim();
        assert!(body.chars().count() <= 500, "{} characters: {body}", body.chars().count());
        assert!(body.contains("trước ngày 08/07/2024"), "{body}");
    }
    // Lạc Sơn's workbook: its figures as read, the mistake red with a note.
    let book = folder.join("Phan hoi lac-son 2024-06.xlsx");
    assert_eq!(sheet_names(&book), ["Số đã đọc", "Cần sửa"]);
    let read = sheet(&book, "Số đã đọc");
    assert_eq!(number(&read, trau_row, 3), Some(-5.0));
    let sent = sheet(&form("lac-son"), "Báo cáo");
    let bo = find_row(&sent, 1, "Bò").unwrap();
    assert_eq!(number(&read, bo, 3), number(&sent, bo, 3), "a figure as sent");
    assert_eq!(fill_of(&book, 1, &trau).as_deref(), Some("FFF8CBAD"), "the mistake is red");
    assert_ne!(fill_of(&book, 1, &format!("D{}", bo + 1)).as_deref(), Some("FFF8CBAD"));
    let notes = sheet_related(&book, 1, "comments").expect("notes");
    assert!(notes.contains(&format!("ref=\"{trau}\"")) && notes.contains("Trâu"), "{notes}");
    let list = sheet(&book, "Cần sửa");
    let rows: Vec<String> = (3..6).map(|r| text_of(&list, r)).collect();
    assert!(rows.iter().any(|r| r.contains(&trau) && r.contains("Lỗi")), "{rows:?}");
    // The feedback is never read back as a report.
    let (_, again) = validate_json(&[&forms, &out], &["--period", "2024-06"]);
    assert_eq!(again.summary.accepted, 5, "{:#?}", again.submissions);
    assert_eq!(again.with_rule("phan_hoi_cua_xa").len(), 2, "{:#?}", again.findings);
    // A second run without those reports leaves no workbook of them.
    std::fs::remove_file(form("lac-son")).unwrap();
    std::fs::remove_file(form("lac-hoa")).unwrap();
    let r = tonghop_in(&out, &["run", &forms.to_string_lossy(), "--period", "2024-06", "-o", "tong-hop.xlsx"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let left: Vec<String> =
        std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(left, ["tin-nhan.txt"]);
}

#[test]
fn no_feedback_writes_no_folder() {
    let dir = tempdir();
    let r = tonghop_in(dir.path(), &["run", &samples().to_string_lossy(), "--no-feedback", "-o", "t.xlsx"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!dir.path().join("phan-hoi-2024-06").exists());
}

fn text_of(r: &calamine::Range<calamine::Data>, row: u32) -> String {
    (0..6).map(|c| text(r, row, c)).collect::<Vec<_>>().join(" | ")
}
