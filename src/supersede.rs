//! Two reports of one hamlet and month: the one saved last is used, the
//! other is listed as superseded. Its own findings go with it: the newer
//! file may well have corrected them.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use crate::model::{Finding, HamletId, Status, Submission};
use crate::period::Period;
use crate::read::issues::Issue;
use crate::schema::Schema;

/// Settles every hamlet and month with more than one accepted report.
/// `saved` says when a submission's file was saved, asked only of these.
pub fn supersede(
    subs: &mut [Submission],
    schema: &Schema,
    findings: &mut Vec<Finding>,
    saved: impl Fn(&Submission) -> Option<i64>,
) {
    let mut groups: BTreeMap<(HamletId, Period), Vec<usize>> = BTreeMap::new();
    for (i, s) in subs.iter().enumerate() {
        if let (Status::Accepted, Some(h), Some(p)) = (s.status, s.hamlet, s.period) {
            groups.entry((h, p)).or_default().push(i);
        }
    }
    // Each file's saved time is read once, however many sheets it holds;
    // the findings of superseded sheets go in one pass at the end: the work
    // grows with the files, not with their square.
    let mut times: HashMap<std::path::PathBuf, Option<i64>> = HashMap::new();
    let mut gone: HashSet<(Arc<str>, Option<Arc<str>>)> = HashSet::new();
    let mut superseded: Vec<Finding> = Vec::new();
    for ((h, p), mut idx) in groups {
        if idx.len() < 2 {
            continue;
        }
        for &i in &idx {
            let t = *times.entry(subs[i].path.clone()).or_insert_with(|| saved(&subs[i]));
            subs[i].modified = t;
        }
        // Not from a folder of old copies; then latest first; on a tie, a
        // name that says it is a correction, then the later name.
        idx.sort_by(|&a, &b| {
            let (sa, sb) = (&subs[a], &subs[b]);
            in_archive(&sa.file)
                .cmp(&in_archive(&sb.file))
                .then_with(|| sb.modified.cmp(&sa.modified))
                .then_with(|| says_corrected(&sb.file).cmp(&says_corrected(&sa.file)))
                .then_with(|| sb.file.cmp(&sa.file))
                .then_with(|| sb.sheet.cmp(&sa.sheet))
        });
        let keep = idx[0];
        for &old in &idx[1..] {
            subs[old].status = Status::Superseded;
            gone.insert((subs[old].file.clone(), subs[old].sheet.clone()));
            let same = subs[old]
                .entries
                .iter()
                .zip(&subs[keep].entries)
                .all(|(a, b)| a.as_ref().and_then(|e| e.value) == b.as_ref().and_then(|e| e.value));
            // Two sheets of one workbook are told by their sheets.
            let kept = if subs[keep].file == subs[old].file {
                format!("trang \"{}\"", subs[keep].sheet.as_deref().unwrap_or_default())
            } else {
                format!("tệp \"{}\"", subs[keep].file)
            };
            let (hamlet, month, kept) = (&schema.hamlet_title(h), &p.display_vn(), kept.as_str());
            if !same {
                differences(subs, keep, old, schema, findings);
            }
            let issue =
                if same { Issue::Duplicate { hamlet, month, kept } } else { Issue::Superseded { hamlet, month, kept } };
            let mut f = issue.finding().in_file(&subs[old].file);
            f.sheet = subs[old].sheet.clone();
            f.hamlet = Some(h);
            f.period = Some(p);
            superseded.push(f);
        }
    }
    findings.retain(|f| f.file.as_ref().is_none_or(|file| !gone.contains(&(file.clone(), f.sheet.clone()))));
    findings.extend(superseded);
}

/// Each figure the report used gives otherwise than the one superseded: a
/// warning at the used cell, so that the totals made of it are not rated
/// until the hamlet says which is right.
fn differences(subs: &[Submission], keep: usize, old: usize, schema: &Schema, findings: &mut Vec<Finding>) {
    let (k, o) = (&subs[keep], &subs[old]);
    let other_file = if k.file == o.file {
        format!("trang \"{}\"", o.sheet.as_deref().unwrap_or_default())
    } else {
        format!("\"{}\"", o.file)
    };
    for (i, (a, b)) in k.entries.enumerate().zip(o.entries.iter()).map(|((i, a), b)| (i, (a, b))) {
        let (Some(a), Some(b)) = (a.as_ref(), b.as_ref()) else { continue };
        if a.value == b.value || a.value.is_none() {
            continue;
        }
        let show = |v: Option<f64>| {
            v.map_or_else(|| "trống".to_string(), |v| format!("{} {}", crate::text::vn_figure(v), schema.unit_code(i)))
        };
        let issue = Issue::VersionsDiffer {
            name: &schema.indicators[i].name,
            used: &show(a.value),
            other: &show(b.value),
            other_file: &other_file,
        };
        let mut f = issue.finding().at(&a.source).indicator(i);
        (f.hamlet, f.period) = (k.hamlet, k.period);
        findings.push(f);
    }
}

/// A file in a folder of old copies ("cũ", "old", "backup", "lưu trữ"):
/// never preferred to one outside, whenever it was saved.
fn in_archive(file: &str) -> bool {
    let folders: Vec<String> = file.split(['/', '\\']).rev().skip(1).map(crate::text::fold).collect();
    folders.iter().any(|f| {
        matches!(f.as_str(), "cu" | "old" | "backup" | "ban cu" | "luu tru" | "luu" | "archive" | "bak")
            || f.starts_with("ban cu")
            || f.starts_with("luu tru")
    })
}

/// A file name that says it is a correction ("… (sửa).xlsx", "lần 2").
fn says_corrected(file: &str) -> bool {
    let f = crate::text::fold(file);
    ["sua", "moi", "chinh", "lan 2", "lan2", "v2", "final", "update"].iter().any(|w| f.contains(w))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::{Entries, Entry, RuleRef, Severity, Source};

    fn sub(file: &str, modified: i64, lon: f64, schema: &Schema) -> Submission {
        let mut entries = Entries::filled(None, schema.form_count);
        let lon_id = schema.indicator("lon").unwrap();
        let source = Source { file: file.into(), sheet: "S".into(), row: 18, col: 3 };
        entries[lon_id] = Some(Entry { value: Some(lon), decimals: 0, unreadable: false, missing: false, source });
        Submission {
            file: Arc::from(file),
            path: file.into(),
            sheet: Some("S".into()),
            hamlet: Some(HamletId::new(0)),
            period: Period::new(2024, 6),
            status: Status::Accepted,
            modified: Some(modified),
            entries,
        }
    }

    fn settle(subs: &mut [Submission], schema: &Schema) -> Vec<Finding> {
        let mut findings =
            vec![Finding::new(Severity::Warning, RuleRef::Reading("x"), "cũ").on_sheet(&subs[0].file, &"S".into())];
        supersede(subs, schema, &mut findings, |s| s.modified);
        findings
    }

    #[test]
    fn the_file_saved_last_is_used_and_the_older_ones_findings_go() {
        let schema = Schema::builtin().unwrap();
        let mut subs = vec![sub("a.xlsx", 100, 400.0, &schema), sub("b.xlsx", 200, 410.0, &schema)];
        let f = settle(&mut subs, &schema);
        assert_eq!((subs[0].status, subs[1].status), (Status::Superseded, Status::Accepted));
        assert_eq!(f.len(), 2, "the old file's own finding is gone: {f:?}");
        // The figure that differs, at the cell used: its totals wait for the hamlet.
        assert_eq!(
            (f[0].severity, f[0].file.as_deref(), f[0].cell),
            (Severity::Warning, Some("b.xlsx"), Some((18, 3)))
        );
        assert!(f[0].message.contains("410") && f[0].message.contains("400"), "{}", f[0].message);
        assert_eq!((f[1].severity, f[1].rule), (Severity::Error, RuleRef::Reading("bi_thay_the")));
        assert!(f[1].message.contains("\"b.xlsx\""), "{}", f[1].message);
    }

    #[test]
    fn a_copy_in_a_folder_of_old_copies_is_never_preferred() {
        let schema = Schema::builtin().unwrap();
        let mut subs =
            vec![sub("2024-06/Lac Son.xlsx", 100, 400.0, &schema), sub("2024-06/cũ/Lac Son.xlsx", 200, 380.0, &schema)];
        settle(&mut subs, &schema);
        assert_eq!((subs[0].status, subs[1].status), (Status::Accepted, Status::Superseded));
        assert!(in_archive("Ban cu/x.xlsx") && in_archive("a/OLD/x.xls") && !in_archive("Lac Son cu.xlsx"));
    }

    #[test]
    fn an_identical_copy_is_only_said() {
        let schema = Schema::builtin().unwrap();
        let mut subs = vec![sub("a.xlsx", 300, 400.0, &schema), sub("b.xlsx", 200, 400.0, &schema)];
        let f = settle(&mut subs, &schema);
        assert_eq!((subs[0].status, subs[1].status), (Status::Accepted, Status::Superseded));
        let last = f.last().unwrap();
        assert_eq!(last.severity, Severity::Info);
        assert_eq!(last.file.as_deref(), Some("b.xlsx"));
    }

    #[test]
    fn on_a_tie_the_name_that_says_corrected_wins() {
        let schema = Schema::builtin().unwrap();
        let mut subs = vec![sub("Lac Son (sua).xlsx", 100, 1.0, &schema), sub("Lac Son.xlsx", 100, 2.0, &schema)];
        settle(&mut subs, &schema);
        assert_eq!((subs[0].status, subs[1].status), (Status::Accepted, Status::Superseded));
    }
}
