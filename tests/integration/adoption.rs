//! A unit other than the shipped commune sets tonghop up as a clerk would:
//! `init`, an edit of its name, words, hamlets and targets, its reports
//! dropped in a folder, `run` from the configuration's folder. Everything
//! written speaks of that unit and its hamlets.

use std::path::Path;

use crate::builder::{Cell, Sheet, write_xlsx};
use crate::util::*;

const TDP: usize = 40;

/// The configuration `init` wrote, edited for a ward of 40 tổ dân phố.
fn edit_for_a_ward(cfg: &Path) {
    let commune = std::fs::read_to_string(cfg.join("commune.toml")).unwrap();
    let head = &commune[..commune.find("[[hamlet]]\nname = \"Lạc Thanh\"").expect("the shipped hamlets")];
    let mut text = head
        .replace("name = \"UBND XÃ\"", "name = \"UBND PHƯỜNG HÒA BÌNH\"")
        .replace("level = \"xã\"", "level = \"phường\"")
        .replace("hamlet_word = \"thôn\"", "hamlet_word = \"tổ dân phố\"")
        .replace("\"TT Đảng ủy, HĐND xã\"", "\"TT Đảng ủy, HĐND phường\"")
        .replace("\"Chủ tịch, các PCT UBND xã\"", "\"Chủ tịch, các PCT UBND phường\"");
    for i in 1..=TDP {
        text.push_str(&format!("[[hamlet]]\nname = \"Tổ dân phố {i}\"\n\n"));
    }
    std::fs::write(cfg.join("commune.toml"), text).unwrap();
    // Two targets of its own: buffaloes and cattle, and pigs.
    let targets = std::fs::read_to_string(cfg.join("targets-2024.toml")).unwrap();
    let targets = set_target(&targets, "trau_bo", 1100.0);
    let targets = set_target(&targets, "lon", 2000.0);
    std::fs::write(cfg.join("targets-2024.toml"), targets).unwrap();
}

/// The `value` of the first target of an indicator, changed.
fn set_target(toml: &str, indicator: &str, value: f64) -> String {
    let at = toml.find(&format!("indicator = \"{indicator}\"")).unwrap_or_else(|| panic!("{indicator}"));
    let v = at + toml[at..].find("value = ").expect("value");
    let end = v + toml[v..].find('\n').unwrap();
    format!("{}value = {value}{}", &toml[..v], &toml[end..])
}

#[test]
fn a_ward_of_forty_to_dan_pho_is_set_up_with_init_and_spoken_of_in_its_own_words() {
    let dir = tempdir();
    let r = tonghop_in(dir.path(), &["init", "cau-hinh"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let cfg = dir.path().join("cau-hinh");
    for f in ["tonghop.toml", "form.toml", "rules.toml", "commune.toml", "targets-2024.toml", "HUONG-DAN-CAU-HINH.txt"]
    {
        assert!(cfg.join(f).is_file(), "{f}");
    }
    // init never writes over a configuration.
    assert_eq!(tonghop_in(dir.path(), &["init", "cau-hinh"]).code, 2);
    edit_for_a_ward(&cfg);
    // Forty reports of June, each with ten buffaloes and 110 households.
    let reports = dir.path().join("bao-cao").join("2024-06");
    std::fs::create_dir_all(&reports).unwrap();
    for i in 1..=TDP {
        let mut s = Sheet::form("", 6, 2024, |code| match code {
            "trau" => Some(10.0),
            "bo" => Some(20.0),
            "ho" => Some(110.0),
            "nhan_khau" => Some(400.0),
            _ => None,
        });
        s.set(1, 0, Cell::from(format!("Tổ dân phố: {i}").as_str()));
        write_xlsx(&reports.join(format!("TDP {i}.xlsx")), &[s]);
    }
    let r = tonghop_in(&cfg, &["run", "../bao-cao", "-o", "../tong-hop.xlsx", "--json", "../r.json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.starts_with("Dùng lược đồ tonghop.toml"), "said first: {}", r.stderr);
    let rep = Report::read(&dir.path().join("r.json"));
    assert_eq!(rep.summary.accepted, TDP, "{:#?}", rep.findings);
    assert_eq!(rep.summary.hamlets_reported, TDP);
    assert_eq!(rep.total_value("trau"), Some(400.0));
    assert_eq!(rep.total_value("trau_bo"), Some(1200.0));
    assert_eq!(rep.total("trau_bo").target, Some(1100.0), "its own target");
    assert_eq!(rep.total("lon").target, Some(2000.0));
    // The workbook speaks of the ward and its tổ dân phố, never of a xã or thôn.
    let book = dir.path().join("tong-hop.xlsx");
    let names = sheet_names(&book);
    assert!(names.contains(&"Chi tiết tổ dân phố".to_string()), "{names:?}");
    let mut said = Vec::new();
    for name in &names {
        let ws = sheet(&book, name);
        for row in ws.rows() {
            for c in row {
                let t = c.to_string();
                let folded = t.to_lowercase().replace("xã hội", "");
                let words: Vec<&str> = folded.split(|ch: char| !ch.is_alphanumeric()).collect();
                if words.contains(&"thôn") || words.contains(&"xã") {
                    said.push(format!("{name}: {t}"));
                }
            }
        }
    }
    assert!(said.is_empty(), "{said:#?}");
    let top = sheet(&book, &names[0]);
    assert!(top.rows().flatten().any(|c| *c == "UBND PHƯỜNG HÒA BÌNH"), "the ward's name");
    let messages = std::fs::read_to_string(dir.path().join("phan-hoi-2024-06").join("tin-nhan.txt")).unwrap();
    assert!(messages.contains("Mọi tổ dân phố đã nộp"), "{messages}");
    // A mistake made while editing is explained in Vietnamese, at its line.
    let commune = std::fs::read_to_string(cfg.join("commune.toml")).unwrap();
    std::fs::write(cfg.join("commune.toml"), commune.replace("level = \"phường\"", "level = \"huyện\"")).unwrap();
    let r = tonghop_in(&cfg, &["schema", "check"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    let line = commune.lines().position(|l| l.starts_with("level =")).unwrap() + 1;
    assert!(r.stderr.contains(&format!("commune.toml:{line}")) && r.stderr.contains("cấp phải là"), "{}", r.stderr);
}
