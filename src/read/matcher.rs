//! The form's labels as indexes built once from the schema and shared by
//! every sheet: which rows a label may be, which header words name a column,
//! which rows are totals and which columns hold plans rather than figures.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::model::{IndicatorId, TableId};
use crate::schema::{Labels, Schema};
use crate::text::{Keys, keys, label_key, loose_key};

/// A row of the form: its table and its place in it.
pub(super) type FormRow = (TableId, usize);

pub struct Matcher {
    /// Indicators by code and by name ("lua_xuan.dien_tich", "Diện tích
    /// lúa vụ xuân"), for sheets that list indicators, not the form's rows.
    indicators: HashMap<String, IndicatorId>,
    exact: HashMap<String, Vec<FormRow>>,
    loose: HashMap<String, Vec<FormRow>>,
    /// Rows that are totals of their section, not figures of the form.
    totals: HashSet<String>,
    plan_words: Vec<String>,
    unit_words: Vec<String>,
    /// First words (without diacritics) of the column labels of each table:
    /// a text that starts with none of them names no column.
    first_words: Vec<HashSet<String>>,
}

const TOTAL_LABELS: &[&str] = &[
    "tổng",
    "tổng cộng",
    "cộng",
    "tổng số",
    "toàn thôn",
    "cộng chung",
    "tổng cộng toàn thôn",
    "toàn xã",
    "cả xã",
    "toàn phường",
    "tổng toàn xã",
];
/// Header words that mark a column of plans or comparisons, not of figures.
const PLAN_WORDS: &[&str] = &[
    "kế hoạch",
    "kh",
    "chỉ tiêu",
    "cùng kỳ",
    "so sánh",
    "so với",
    "năm trước",
    "tháng trước",
    "lũy kế",
    "luỹ kế",
    "cộng dồn",
    "tỷ lệ",
    "%",
    "dự kiến",
    "đến nay",
    "ước",
    "cả năm",
    "đầu năm",
    "từ đầu năm",
];
const UNIT_HEADERS: &[&str] = &["đvt", "đơn vị tính", "đơn vị", "đ.v.t", "dvt"];

fn add(index: &mut HashMap<String, Vec<FormRow>>, key: &str, row: FormRow) {
    let v = index.entry(key.to_string()).or_default();
    if !v.contains(&row) {
        v.push(row);
    }
}

impl Matcher {
    pub fn new(schema: &Schema) -> Matcher {
        let mut exact = HashMap::default();
        let mut loose = HashMap::default();
        for (t, table) in schema.tables.enumerate() {
            for (r, row) in table.rows.iter().enumerate() {
                for k in &row.labels.exact {
                    add(&mut exact, k, (t, r));
                }
                for k in &row.labels.loose {
                    add(&mut loose, k, (t, r));
                }
            }
        }
        let mut indicators = HashMap::default();
        for (i, ind) in schema.indicators.enumerate() {
            for k in [ind.code.clone(), label_key(&ind.name), loose_key(&ind.name)] {
                indicators.entry(k).or_insert(i);
            }
        }
        Matcher {
            indicators,
            exact,
            loose,
            totals: TOTAL_LABELS.iter().map(|t| loose_key(t)).collect(),
            plan_words: PLAN_WORDS.iter().map(|w| loose_key(w)).collect(),
            unit_words: UNIT_HEADERS.iter().map(|w| loose_key(w)).collect(),
            first_words: schema
                .tables
                .iter()
                .map(|t| {
                    t.columns.iter().flat_map(|c| c.labels.loose.iter().map(|l| first_word(l).to_string())).collect()
                })
                .collect(),
        }
    }

    /// The rows a label may be, exact matches first, then without diacritics,
    /// then without a trailing parenthesis ("Trâu (con)").
    pub fn rows_for(&self, text: &str, k: &Keys) -> &[FormRow] {
        if let Some(v) = self.exact.get(&k.exact) {
            return v;
        }
        if let Some(v) = self.loose.get(&k.loose) {
            return v;
        }
        if let Some(open) = text.rfind('(')
            && text.trim_end().ends_with(')')
            && open > 0
        {
            let head = &text[..open];
            return self.rows_for(head, &keys(head));
        }
        &[]
    }

    /// The indicator a text names by its code or its full name.
    pub fn indicator(&self, text: &str, k: &Keys) -> Option<IndicatorId> {
        let head = text.rfind('(').filter(|_| text.trim_end().ends_with(')')).map_or(text, |i| &text[..i]);
        let hk = keys(head);
        [text.trim(), k.exact.as_str(), k.loose.as_str(), hk.exact.as_str(), hk.loose.as_str()]
            .into_iter()
            .find_map(|key| self.indicators.get(key).copied())
    }

    /// The rows a label may be, by its keys alone (no parenthesis dropped).
    pub fn rows_for_keys(&self, k: &Keys) -> &[FormRow] {
        self.exact.get(&k.exact).or_else(|| self.loose.get(&k.loose)).map_or(&[], Vec::as_slice)
    }

    pub fn is_total(&self, text: &str) -> bool {
        self.totals.contains(&keys(text).loose)
    }

    /// A header of plans or comparisons ("Kế hoạch", "So cùng kỳ", "%").
    pub fn is_plan(&self, header: &str) -> bool {
        let words: Vec<&str> = header.split(|c: char| !c.is_alphanumeric() && c != '%').collect();
        // "6 tháng", "9 tháng đầu năm": months added up, not the month.
        let months_added = words.windows(2).any(|w| w[1] == "thang" && w[0].parse::<u32>().is_ok_and(|n| n > 1));
        months_added
            || self
                .plan_words
                .iter()
                .any(|p| if p.contains(' ') { header.contains(p.as_str()) } else { words.contains(&p.as_str()) })
    }

    /// A header of the units column ("ĐVT", "Đơn vị tính").
    pub fn is_unit_header(&self, header: &str) -> bool {
        self.unit_words
            .iter()
            .any(|u| header.strip_prefix(u.as_str()).is_some_and(|rest| rest.is_empty() || rest.starts_with(' ')))
    }

    /// Can a text with this loose key name a column of the table?
    pub fn may_name_column(&self, table: TableId, loose: &str) -> bool {
        self.first_words[table.index()].contains(first_word(loose))
    }
}

fn first_word(s: &str) -> &str {
    s.split([' ', '(', ':', '/', '-']).next().unwrap_or("")
}

/// Does a header cell name this column? "Năng suất (tạ/ha)" names "Năng suất".
pub(super) fn names(header_loose: &str, header_exact: &str, labels: &Labels) -> bool {
    let starts = |h: &str, l: &str| h == l || (h.starts_with(l) && h[l.len()..].starts_with([' ', '(', ':', '/', '-']));
    labels.exact.iter().any(|l| starts(header_exact, l)) || labels.loose.iter().any(|l| starts(header_loose, l))
}

/// The unit a header gives in parentheses: "Sản lượng (tấn)" → "tấn".
pub(super) fn unit_in(header: &str) -> Option<&str> {
    let open = header.rfind('(')?;
    let close = header[open..].find(')')? + open;
    let u = header[open + 1..close].trim();
    (!u.is_empty()).then_some(u)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_units() {
        assert_eq!(unit_in("Năng suất (tạ/ha)"), Some("tạ/ha"));
        assert_eq!(unit_in("Sản lượng"), None);
    }
}
