//! `validate` in a terminal: findings grouped by file, then the counts.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::model::{Finding, Severity, a1};
use crate::pipeline::{Outcome, rule_id};
use crate::schema::Schema;

fn tag(s: Severity) -> &'static str {
    match s {
        Severity::Error => "LỖI     ",
        Severity::Warning => "CẢNH BÁO",
        Severity::Info => "LƯU Ý   ",
    }
}

pub fn render(out: &Outcome, schema: &Schema) -> String {
    let mut text = String::new();
    let s = &out.counts;
    let period = out.period.map_or_else(|| "chưa xác định".to_string(), |p| p.display_vn());
    let _ = writeln!(
        text,
        "Tháng báo cáo: {period}. Đã đọc {} tệp: {} báo cáo được nhận, {} bị thay thế, {} bị từ chối. {}/{} thôn đã nộp.",
        s.files, s.accepted, s.superseded, s.rejected, s.hamlets_reported, s.hamlets
    );
    // By file, in name order; findings about no file last.
    let mut by_file: BTreeMap<Option<&str>, Vec<&Finding>> = BTreeMap::new();
    for f in &out.findings {
        by_file.entry(f.file.as_deref()).or_default().push(f);
    }
    let mut groups: Vec<(Option<&str>, Vec<&Finding>)> = by_file.into_iter().collect();
    groups.sort_by_key(|(f, _)| (f.is_none(), *f));
    for (file, mut list) in groups {
        list.sort_by(|a, b| a.severity.cmp(&b.severity).then(a.sheet.cmp(&b.sheet)).then(a.cell.cmp(&b.cell)));
        let who = list.iter().find_map(|f| f.hamlet.map(|h| (schema.hamlet_title(h), f.period)));
        let _ = writeln!(text);
        let _ = match (file, who) {
            (Some(f), Some((h, p))) => {
                let month = p.map(|p| format!(", tháng {}", p.display_vn())).unwrap_or_default();
                writeln!(text, "{f}  ({h}{month})")
            }
            (Some(f), None) => writeln!(text, "{f}"),
            (None, _) => writeln!(text, "Chung"),
        };
        for f in list {
            finding(&mut text, f, schema);
        }
    }
    let _ = writeln!(text);
    let _ = writeln!(text, "Tổng cộng: {} lỗi, {} cảnh báo, {} thông tin.", s.errors, s.warnings, s.infos);
    text
}

fn finding(text: &mut String, f: &Finding, schema: &Schema) {
    let place = match (&f.sheet, f.cell) {
        (Some(s), Some((r, c))) => format!("{s}!{}", a1(r, c)),
        (Some(s), None) => s.to_string(),
        _ => String::new(),
    };
    let _ = writeln!(text, "  {} {:<14} {} [{}]", tag(f.severity), place, f.message, rule_id(&f.rule, schema));
    if let crate::model::RuleRef::Schema(r) = f.rule
        && let Some(i) = &schema.rules[r].instruction
    {
        let _ = writeln!(text, "  {:<8} {:<14} → {i}", "", "");
    }
}
