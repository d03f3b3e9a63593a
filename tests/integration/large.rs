//! A large merged commune: since 2025 many communes have 20 to 40 hamlets.
//! Forty are read, checked, added up and printed readably.

use std::path::{Path, PathBuf};

use crate::builder::{Sheet, write_xlsx};
use crate::reading::consistent_figures;
use crate::util::*;

/// Forty hamlet names, none part of another, with the file each is sent as.
fn hamlets() -> Vec<(String, String)> {
    let first = [("Đông", "Dong"), ("Tây", "Tay"), ("Bắc", "Bac"), ("Thượng", "Thuong")];
    let first = first.iter().chain(&[("Trung", "Trung"), ("Tân", "Tan"), ("Phước", "Phuoc"), ("Vĩnh", "Vinh")]);
    let second = [("An", "An"), ("Hòa", "Hoa"), ("Phú", "Phu"), ("Lộc", "Loc"), ("Thịnh", "Thinh")];
    first.flat_map(|a| second.iter().map(move |b| (format!("{} {}", a.0, b.0), format!("{} {}", a.1, b.1)))).collect()
}

/// The shipped schema with the commune's forty hamlets in place of its six.
fn schema_of_forty(dir: &Path, names: &[(String, String)]) -> PathBuf {
    let to = dir.join("luoc-do");
    std::fs::create_dir_all(&to).unwrap();
    for e in std::fs::read_dir(root().join("schemas")).unwrap().flatten() {
        let mut text = std::fs::read_to_string(e.path()).unwrap();
        if e.file_name() == "commune.toml" {
            let at = text.find("\n[[hamlet]]\nname").expect("the hamlets") + 1;
            text.truncate(at);
            text = text.replace("\nname = \"UBND XÃ\"\n", "\nname = \"UBND XÃ ĐÔNG HƯNG\"\n");
            for (name, _) in names {
                text.push_str(&format!("[[hamlet]]\nname = \"{name}\"\n\n"));
            }
        }
        std::fs::write(to.join(e.file_name()), text).unwrap();
    }
    to.join("tonghop.toml")
}

/// A hamlet's figures: the clean form's, with its buffaloes and rice area
/// told apart by its place in the list.
fn figures(k: usize) -> impl Fn(&str) -> Option<f64> {
    move |code| match code {
        "trau" => Some(100.0 + k as f64),
        _ => consistent_figures(code),
    }
}

#[test]
fn forty_hamlets_are_read_totalled_and_printed_with_their_labels_on_every_page() {
    let dir = tempdir();
    let names = hamlets();
    assert_eq!(names.len(), 40);
    let schema = schema_of_forty(dir.path(), &names);
    let r = tonghop(&["schema", "check", schema.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("40 thôn"), "{}", r.stdout);
    let reports = dir.path().join("bao-cao").join("2024-06");
    for (k, (name, file)) in names.iter().enumerate() {
        write_xlsx(&reports.join(format!("{file}.xlsx")), &[Sheet::form(name, 6, 2024, figures(k))]);
    }
    let out = dir.path().join("tong-hop.xlsx");
    let json = dir.path().join("bao-cao.json");
    let r = tonghop(&[
        "run",
        reports.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--json",
        json.to_str().unwrap(),
        "--schema",
        schema.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let report = Report::read(&json);

    // Every hamlet read and accepted, nothing found in any file.
    assert_eq!(report.submissions.len(), 40);
    assert!(report.submissions.iter().all(|s| s.status == "accepted"), "{:#?}", report.submissions);
    let mut read: Vec<&str> = report.submissions.iter().filter_map(|s| s.hamlet.as_deref()).collect();
    read.sort_unstable();
    let mut want: Vec<&str> = names.iter().map(|n| n.0.as_str()).collect();
    want.sort_unstable();
    assert_eq!(read, want);
    let in_files: Vec<&Finding> = report.findings.iter().filter(|f| f.file.is_some()).collect();
    assert!(in_files.is_empty(), "{in_files:#?}");
    assert_eq!(report.summary.hamlets_reported, 40);
    assert_eq!(report.total_value("trau"), Some(40.0 * 100.0 + (0..40).sum::<usize>() as f64));

    // Chi tiết thôn: forty hamlet columns, in the schema's order, and the
    // commune's column adding them up.
    let s = sheet(&out, "Chi tiết thôn");
    let head = find_row(&s, 1, "Chỉ tiêu").expect("the header row");
    for (k, (name, _)) in names.iter().enumerate() {
        assert_eq!(text(&s, head, 3 + k as u32), *name);
    }
    assert_eq!(text(&s, head, 43), "Toàn xã");
    let trau = find_row(&s, 0, "trau").unwrap();
    assert_eq!(number(&s, trau, 3 + 39), Some(139.0));
    assert_eq!(number(&s, trau, 43), report.total_value("trau"));
    let area = find_row(&s, 0, "lua_xuan.dien_tich").unwrap();
    assert_eq!(number(&s, area, 43), Some(40.0 * 12.0));
    let f = formulas(&out, "Chi tiết thôn");
    let at = |r: u32, c: u32| f.get_value((r, c)).cloned().unwrap_or_default();
    assert!(at(trau, 43).contains(&format!("SUM(D{0}:AQ{0})", trau + 1)), "{}", at(trau, 43));

    // Printed: the label columns (Chỉ tiêu, ĐVT) and the header row repeated
    // on every page, pages breaking between hamlets.
    let wb = xlsx_part(&out, "xl/workbook.xml").unwrap();
    assert!(
        wb.contains(&format!("'Chi tiết thôn'!$B:$C,'Chi tiết thôn'!${0}:${0}<", head + 1)),
        "the labels repeated: {wb}"
    );
    let xml = xlsx_part(&out, "xl/worksheets/sheet2.xml").unwrap();
    let scale: u32 = xml.split(" scale=\"").nth(1).and_then(|t| t[..t.find('"')?].parse().ok()).expect("a scale");
    assert!((84..=100).contains(&scale), "12 pt prints at 10 pt or more: {scale}");
    assert!(!xml.contains("fitToPage"), "not fitted to the page width");
    assert!(xml.contains("pageOrder=\"overThenDown\""), "a band of rows across first");
    // 41 columns over four pages, evenly: breaks before the 12th, 22nd and
    // 32nd hamlets.
    assert!(xml.contains("<colBreaks count=\"3\" manualBreakCount=\"3\">"), "{xml}");
    for c in [14, 24, 34] {
        assert!(xml.contains(&format!("<brk id=\"{c}\" max=\"1048575\" man=\"1\"/>")), "a break before column {c}");
    }
    // Nothing over the table in the repeated columns: no page repeats a
    // piece of the header block.
    let blank = |r: u32, c: u32| matches!(text(&s, r, c).as_str(), "" | "Empty");
    assert!((0..head).all(|r| blank(r, 1) && blank(r, 2)));
    assert_eq!(text(&s, 0, 3), "UBND XÃ ĐÔNG HƯNG");
}

#[test]
fn ten_of_forty_hamlets_late_are_said_once_and_named_briefly_in_remarks() {
    let dir = tempdir();
    let names = hamlets();
    let schema = schema_of_forty(dir.path(), &names);
    let reports = dir.path().join("bao-cao");
    for (k, (name, file)) in names.iter().enumerate() {
        // The first ten did not send May's, the last ten have not sent June's.
        if k >= 10 {
            write_xlsx(
                &reports.join("2024-05").join(format!("{file}.xlsx")),
                &[Sheet::form(name, 5, 2024, figures(k))],
            );
        }
        if k < 30 {
            write_xlsx(
                &reports.join("2024-06").join(format!("{file}.xlsx")),
                &[Sheet::form(name, 6, 2024, figures(k))],
            );
        }
    }
    let out = dir.path().join("tong-hop.xlsx");
    let r =
        tonghop(&["run", reports.to_str().unwrap(), "-o", out.to_str().unwrap(), "--schema", schema.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let s = sheet(&out, "Tổng hợp");
    let late: Vec<&str> = names[30..].iter().map(|n| n.0.as_str()).collect();
    // Under the table, once: every late hamlet, and the month their stocks
    // stand on said once for all ten.
    let line = (0..200).map(|r| text(&s, r, 0)).find(|t| t.starts_with("(*) Chưa có báo cáo")).expect("the line");
    assert!(line.contains(&late.join(", ")), "{line}");
    assert!(line.contains(&format!("({}: tháng 05/2024)", late.join(", "))), "{line}");
    // A flow's remark names five of the ten that lack May and counts the
    // others.
    let head = find_row(&s, 0, "STT").unwrap();
    let remarks = (0..30).rev().find(|&c| text(&s, head, c) == "Ghi chú").unwrap();
    let trong_rung = find_row(&s, 1, "Trồng rừng tập trung").unwrap();
    let remark = text(&s, trong_rung, remarks);
    let early: Vec<&str> = names[..5].iter().map(|n| n.0.as_str()).collect();
    assert!(remark.contains(&format!("tháng 05/2024 của {} và 5 thôn khác", early.join(", "))), "{remark}");
}
