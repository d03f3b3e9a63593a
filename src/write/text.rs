//! `validate` in a terminal: findings grouped by file, then the counts.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::model::{Finding, Severity};
use crate::report::Report;

fn tag(s: Severity) -> &'static str {
    match s {
        Severity::Error => "LỖI     ",
        Severity::Warning => "CẢNH BÁO",
        Severity::Info => "TT      ",
    }
}

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let s = &report.summary;
    let period = report.period.as_deref().map_or_else(
        || "chưa xác định".to_string(),
        |p| {
            let (y, m) = p.split_once('-').unwrap_or((p, ""));
            format!("{m}/{y}")
        },
    );
    let _ = writeln!(
        out,
        "Tháng báo cáo: {period}. Đã đọc {} tệp: {} báo cáo được nhận, {} bị thay thế, {} bị từ chối. {}/{} thôn đã nộp.",
        s.files, s.accepted, s.superseded, s.rejected, s.hamlets_reported, s.hamlets
    );
    // By file, in name order; findings about no file last.
    let mut by_file: BTreeMap<Option<&str>, Vec<&Finding>> = BTreeMap::new();
    for f in &report.findings {
        by_file.entry(f.file.as_deref()).or_default().push(f);
    }
    let mut groups: Vec<(Option<&str>, Vec<&Finding>)> = by_file.into_iter().collect();
    groups.sort_by_key(|(f, _)| (f.is_none(), *f));
    for (file, mut list) in groups {
        list.sort_by(|a, b| a.severity.cmp(&b.severity).then(a.sheet.cmp(&b.sheet)).then(a.pos.cmp(&b.pos)));
        let who = list.iter().find_map(|f| f.hamlet.as_deref().map(|h| (h, f.period.as_deref())));
        let _ = writeln!(out);
        match (file, who) {
            (Some(f), Some((h, p))) => {
                let month = p
                    .and_then(|p| p.parse::<crate::period::Period>().ok())
                    .map(|p| format!(", tháng {}", p.display_vn()));
                let _ = writeln!(out, "{f}  (thôn {h}{})", month.unwrap_or_default());
            }
            (Some(f), None) => {
                let _ = writeln!(out, "{f}");
            }
            (None, _) => {
                let _ = writeln!(out, "Chung");
            }
        }
        for f in list {
            let place = match (&f.sheet, &f.cell) {
                (Some(s), Some(c)) => format!("{s}!{c}"),
                (Some(s), None) => s.to_string(),
                _ => String::new(),
            };
            let _ = writeln!(out, "  {} {:<14} {} [{}]", tag(f.severity), place, f.message, f.rule);
            if let Some(i) = &f.instruction {
                let _ = writeln!(out, "  {:<8} {:<14} → {i}", "", "");
            }
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "Tổng cộng: {} lỗi, {} cảnh báo, {} thông tin.", s.errors, s.warnings, s.infos);
    out
}
