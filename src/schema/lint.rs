//! What `schema check` warns about: what would make reading uncertain, though
//! the schema is valid. A hamlet name that is an ordinary word of a report
//! ("Năm", "Tư") or part of another hamlet's name; a column label that
//! begins a row's or another column's label ("Số hộ", "Số hộ nghèo"); a
//! table whose title is one of its rows.

use super::names::{Phrases, words};
use super::source::Problem;
use super::{Labels, Schema};

/// Where an item was written, for a warning about it.
#[derive(Debug, Clone)]
pub(super) struct Line {
    pub file: String,
    pub line: usize,
}

impl Line {
    fn warn(&self, message: String) -> Problem {
        Problem { file: self.file.clone(), line: self.line, message }
    }
}

/// The lines of the items a warning can be about, in schema order.
#[derive(Debug, Default)]
pub(super) struct Lines {
    pub hamlets: Vec<Line>,
    /// Each table's line, and the lines of its columns and rows.
    pub tables: Vec<(Line, Vec<Line>, Vec<Line>)>,
}

pub(super) fn warnings(schema: &Schema, lines: &Lines) -> Vec<Problem> {
    let mut out = Vec::new();
    hamlet_names(schema, lines, &mut out);
    labels(schema, lines, &mut out);
    out.sort();
    out
}

fn hamlet_names(schema: &Schema, lines: &Lines, out: &mut Vec<Problem>) {
    // Numbered hamlets ("Tổ dân phố 1" to "40") are all ordinary words of a
    // report: said in full once, then once for the rest.
    let mut ordinary: Vec<(&Line, &str)> = Vec::new();
    let report = Phrases::of(schema);
    for ((h, hamlet), line) in schema.hamlets.enumerate().zip(&lines.hamlets) {
        let phrases: Vec<String> = hamlet.keys.iter().filter_map(|k| report.ordinary(k)).collect();
        if !phrases.is_empty() {
            if ordinary.is_empty() {
                out.push(line.warn(ordinary_warning(&hamlet.name, &hamlet.keys[0], &phrases)));
            }
            ordinary.push((line, &hamlet.name));
        }
        for key in &hamlet.keys {
            for (_, other) in schema.hamlets.enumerate().filter(|(o, _)| *o != h) {
                let inside = other.keys.iter().any(|k| k != key && within(&words(key), &words(k)));
                if inside {
                    out.push(line.warn(format!(
                        "tên thôn \"{}\" nằm trong tên thôn \"{}\": một ô ghi \"{}\" sẽ là thôn \"{}\", không phải \"{}\"",
                        hamlet.name, other.name, other.name, other.name, hamlet.name
                    )));
                }
            }
        }
    }
    if let Some((line, _)) = ordinary.get(1) {
        let rest: Vec<String> = ordinary[1..].iter().map(|(_, n)| format!("\"{n}\"")).collect();
        out.push(line.warn(format!(
            "cũng vậy với {} tên thôn khác: {} (đọc được khi ghi đủ tên, hoặc dòng có nhãn như trên)",
            rest.len(),
            rest.join(", ")
        )));
    }
}

/// A hamlet's name that ordinary words of a report hold, and how the
/// reader will know it all the same, in the hamlet's own kind word ("Xóm
/// Đông": "Xóm: Đông", "Xom Dong.xlsx").
fn ordinary_warning(name: &str, key: &str, phrases: &[String]) -> String {
    let mut unique: Vec<String> = Vec::new();
    for p in phrases.iter().map(|p| format!("\"{p}\"")) {
        if !unique.contains(&p) {
            unique.push(p);
        }
    }
    let phrases = unique;
    let folded = crate::text::fold(name);
    let folded_words: Vec<&str> = folded.split_whitespace().collect();
    let kind = super::names::kind_words(&folded_words);
    let words: Vec<&str> = name.split_whitespace().collect();
    let (kind_word, bare) = match kind {
        0 => ("Thôn".to_string(), name.to_string()),
        k => (words[..k.min(words.len())].join(" "), words[k.min(words.len())..].join(" ")),
    };
    let title = |s: &str| -> String {
        s.split_whitespace()
            .map(|w| {
                let mut c = w.chars();
                c.next().map(|f| f.to_uppercase().chain(c).collect::<String>()).unwrap_or_default()
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let file = format!("{} {}", title(&crate::text::fold(&kind_word)), title(key));
    format!(
        "tên thôn \"{name}\" có chữ cũng thường gặp trong báo cáo ({}): chỉ nhận là tên thôn khi một ô ghi riêng \"{name}\", dòng \"{kind_word}: {bare}\", chữ \"{}\" đứng ngay trước, hoặc tên tệp ghi \"{file}\"",
        phrases.join(", "),
        kind_word.to_lowercase()
    )
}

fn within(key: &[&str], phrase: &[&str]) -> bool {
    !key.is_empty() && key.len() < phrase.len() && phrase.windows(key.len()).any(|w| w == key)
}

/// Does label `a` (a loose key) begin label `b`, word for word?
fn begins(a: &str, b: &str) -> bool {
    b.len() > a.len() && b.starts_with(a) && b[a.len()..].starts_with(' ')
}

/// Labels within one table: a column's header is read as the start of a
/// cell ("Năng suất (tạ/ha)"), so a column label that begins a row label of
/// its table, or another column's, is said. (Across tables, the longest
/// label wins and a table's own header rows keep them apart.)
fn labels(schema: &Schema, lines: &Lines, out: &mut Vec<Problem>) {
    for (t, (tline, cols, row_lines)) in schema.tables.iter().zip(&lines.tables) {
        let rows: Vec<(&Labels, &Line)> = t.rows.iter().map(|r| &r.labels).zip(row_lines).collect();
        for (ci, (c, cline)) in t.columns.iter().zip(cols).enumerate() {
            for (a, text) in c.labels.loose.iter().zip(texts(&c.labels)) {
                for (r, rline) in &rows {
                    if let Some(other) = r.loose.iter().zip(texts(r)).find(|(b, _)| begins(a, b)).map(|x| x.1) {
                        out.push(cline.warn(format!(
                            "nhãn cột \"{text}\" là phần đầu của nhãn dòng \"{other}\" (dòng {}): chương trình lấy nhãn dài nhất, nhưng nên đặt nhãn cột khác hẳn",
                            rline.line
                        )));
                    }
                }
                for (other_c, _) in t.columns.iter().zip(cols).enumerate().filter(|(k, _)| *k != ci).map(|(_, x)| x) {
                    if let Some(other) =
                        other_c.labels.loose.iter().zip(texts(&other_c.labels)).find(|(b, _)| begins(a, b))
                    {
                        out.push(cline.warn(format!(
                            "nhãn cột \"{text}\" là phần đầu của nhãn cột \"{}\" cùng bảng: tiêu đề cột dễ bị hiểu nhầm",
                            other.1
                        )));
                    }
                }
            }
        }
        for r in &t.rows {
            if r.labels.loose.iter().any(|l| t.title.loose.contains(l)) {
                out.push(tline.warn(format!(
                    "tiêu đề bảng \"{}\" trùng nhãn dòng \"{}\" của bảng: dòng tiêu đề mục chỉ được nhận ra nhờ số La Mã hoặc vì đứng riêng ngay trên dòng tiêu đề cột",
                    t.title.text, r.labels.text
                )));
            }
        }
    }
}

/// A label's text and its variants, as written.
fn texts(l: &Labels) -> impl Iterator<Item = &str> {
    std::iter::once(l.text.as_str()).chain(l.variants.iter().map(String::as_str))
}
