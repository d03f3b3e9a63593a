//! The server's pages, rendered on the server: a hamlet's page (its month,
//! its form, an upload, what was found in its report) and the clerk's
//! board. Every word Vietnamese; every text from a file or a name escaped;
//! no script.

use crate::feedback::HamletCase;
use crate::model::{Finding, Severity, a1};
use crate::period::Period;
use crate::schema::Schema;
use crate::text::shown;
use crate::words::capitalized;

/// Text made safe for HTML.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in shown(s, 4_000).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:960px;margin:0 auto;padding:12px;line-height:1.45}\
h1{font-size:1.3em}h2{font-size:1.1em;margin-top:1.4em}table{border-collapse:collapse;width:100%}\
td,th{border:1px solid #bbb;padding:4px 6px;text-align:left;vertical-align:top}th{background:#ddebf7}\
.loi{background:#f8cbad}.canh-bao{background:#fff2cc}.ok{background:#e2efda}.tin{padding:8px;border:1px solid #888;margin:8px 0}\
input[type=file]{font-size:1.1em;padding:16px;border:2px dashed #888;width:100%;box-sizing:border-box}\
button{font-size:1.1em;padding:10px 18px;margin-top:8px}a.nut{display:inline-block;padding:8px 14px;border:1px solid #448;margin:4px 0}";

/// A whole page.
pub fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{}</title><style>{STYLE}</style></head><body>{body}</body></html>",
        esc(title)
    )
}

/// What the page says after an upload, above the rest.
pub struct Notice {
    pub ok: bool,
    pub text: String,
}

/// What a hamlet's page shows.
pub struct HamletPage<'a> {
    pub schema: &'a Schema,
    pub token: &'a str,
    pub period: Period,
    pub months: Vec<Period>,
    pub case: Option<&'a HamletCase<'a>>,
    pub hamlet: crate::model::HamletId,
    pub notice: Option<Notice>,
    /// The hamlet's report of the month: its file name and when it came.
    pub received: Option<String>,
}

pub fn hamlet(p: &HamletPage<'_>) -> String {
    let title = capitalized(&p.schema.hamlet_title(p.hamlet));
    let mut b = format!("<h1>{}: báo cáo tháng {}</h1>", esc(&title), p.period.display_vn());
    b.push_str(&format!("<p>{}</p>", esc(&p.schema.commune.name)));
    if let Some(n) = &p.notice {
        b.push_str(&format!("<div class=\"tin {}\">{}</div>", if n.ok { "ok" } else { "loi" }, esc(&n.text)));
    }
    match &p.received {
        Some(r) => b.push_str(&format!("<p>Đã nhận: {}</p>", esc(r))),
        None => b.push_str(&format!("<p>Chưa gửi báo cáo tháng {}.</p>", p.period.display_vn())),
    }
    b.push_str(&format!(
        "<h2>1. Tải biểu mẫu</h2><p><a class=\"nut\" href=\"/t/{}/bieu-mau?thang={}\">Tải biểu mẫu tháng {}</a> (Excel; số tồn tháng trước đã điền sẵn, tô màu xanh, để xác nhận hoặc sửa).</p>",
        p.token,
        p.period,
        p.period.display_vn()
    ));
    b.push_str("<h2>2. Gửi báo cáo</h2>");
    b.push_str(&format!(
        "<form method=\"post\" action=\"/t/{}/gui\" enctype=\"multipart/form-data\"><input type=\"hidden\" name=\"csrf\" value=\"{}\">",
        p.token, p.token
    ));
    b.push_str("<p><label>Tháng báo cáo: <select name=\"thang\">");
    for m in &p.months {
        let sel = if *m == p.period { " selected" } else { "" };
        b.push_str(&format!("<option value=\"{m}\"{sel}>{}</option>", m.display_vn()));
    }
    b.push_str("</select></label></p><p><input type=\"file\" name=\"tep\" required accept=\".xlsx,.xls,.ods\"></p><button type=\"submit\">Gửi báo cáo</button></form>");
    b.push_str("<p>Gửi lại thì bản mới thay bản cũ; bản cũ vẫn được lưu.</p>");
    b.push_str("<h2>3. Kết quả kiểm tra</h2>");
    match p.case {
        Some(case) if !case.findings.is_empty() => b.push_str(&findings_table(p.schema, &case.findings, false)),
        Some(case) if case.reported() => {
            b.push_str("<p class=\"ok tin\">Báo cáo đã được nhận, không có điểm nào cần sửa.</p>")
        }
        _ => b.push_str("<p>Chưa có báo cáo nào để kiểm tra.</p>"),
    }
    page(&title, &b)
}

/// Findings as a table: level, cell, what, what to do (and the hamlet, for
/// the clerk).
pub fn findings_table(schema: &Schema, findings: &[&Finding], with_hamlet: bool) -> String {
    let mut t = String::from("<table><tr><th>Mức</th>");
    if with_hamlet {
        t.push_str(&format!("<th>{}</th>", esc(&capitalized(&crate::words::get().hamlet))));
    }
    t.push_str("<th>Ô</th><th>Nội dung</th><th>Cần làm</th></tr>");
    for f in findings {
        let (class, level) = match f.severity {
            Severity::Error => ("loi", "Lỗi"),
            Severity::Warning => ("canh-bao", "Cần kiểm tra"),
            Severity::Info => ("", "Lưu ý"),
        };
        t.push_str(&format!("<tr><td class=\"{class}\">{level}</td>"));
        if with_hamlet {
            t.push_str(&format!("<td>{}</td>", esc(f.hamlet.map(|h| schema.hamlet_name(h)).unwrap_or(""))));
        }
        let cell = f.cell.map(|(r, c)| a1(r, c)).unwrap_or_default();
        let todo = crate::write::feedback::what_to_do(schema, f);
        t.push_str(&format!("<td>{}</td><td>{}</td><td>{}</td></tr>", esc(&cell), esc(&f.message), esc(&todo)));
    }
    t.push_str("</table>");
    t
}

/// One hamlet's line on the clerk's board.
pub struct BoardLine {
    pub name: String,
    pub received: Option<String>,
    pub errors: usize,
    pub warnings: usize,
}

pub fn board(schema: &Schema, token: &str, period: Period, lines: &[BoardLine], findings: &[&Finding]) -> String {
    let word = capitalized(&crate::words::get().hamlet);
    let reported = lines.iter().filter(|l| l.received.is_some()).count();
    let mut b = format!(
        "<h1>{}: báo cáo tháng {}</h1><p>{reported}/{} {} đã nộp.</p>",
        esc(&schema.commune.name),
        period.display_vn(),
        lines.len(),
        esc(&crate::words::get().hamlet)
    );
    b.push_str(&format!(
        "<p><a class=\"nut\" href=\"/x/{token}/tong-hop.xlsx?thang={period}\">Tải bảng tổng hợp (Excel)</a> <a class=\"nut\" href=\"/x/{token}/bao-cao.json?thang={period}\">Tải báo cáo JSON</a></p>"
    ));
    b.push_str(&format!("<table><tr><th>{}</th><th>Đã nhận</th><th>Lỗi</th><th>Cần kiểm tra</th></tr>", esc(&word)));
    for l in lines {
        let class = if l.received.is_none() || l.errors > 0 {
            "loi"
        } else if l.warnings > 0 {
            "canh-bao"
        } else {
            "ok"
        };
        let received = l.received.as_deref().map_or("Chưa nộp".to_string(), esc);
        b.push_str(&format!(
            "<tr class=\"{class}\"><td>{}</td><td>{received}</td><td>{}</td><td>{}</td></tr>",
            esc(&l.name),
            l.errors,
            l.warnings
        ));
    }
    b.push_str("</table><h2>Mọi điểm cần sửa</h2>");
    b.push_str(&findings_table(schema, findings, true));
    page(&format!("Tổng hợp tháng {}", period.display_vn()), &b)
}
