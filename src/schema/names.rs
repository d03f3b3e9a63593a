//! Hamlet names as keys, and which of them are ordinary words of a report.
//! "Lạc Sơn" is a name wherever it stands; "Năm" or "Tư" are also words of
//! every report ("tháng 6 năm 2024", "Tự do"), so they count only where they
//! stand as a name: alone in a cell, after "Thôn", or on a "Thôn: …" line.

use super::Schema;
use crate::text::{clean_label, fold};

/// The words that name a hamlet's kind, folded, longest first: "Thôn Lạc
/// Sơn", "Xóm 3", "Tổ dân phố 5" all name the hamlet after the word.
pub const HAMLET_WORDS: &[&str] =
    &["to dan pho", "khu dan cu", "khu pho", "tdp", "thon", "xom", "ap", "ban", "buon", "lang", "khu", "to"];

/// Phrases of every report, folded, that no bare hamlet name may be read in.
const ORDINARY: &[&str] = &[
    "cong hoa xa hoi chu nghia viet nam",
    "doc lap tu do hanh phuc",
    "uy ban nhan dan",
    "ubnd xa",
    "bao cao ket qua san xuat va doi song",
    "nong thon moi",
    "thi tran",
    "trung tam",
    "mot hai ba bon tu nam sau bay tam chin muoi gieng chap",
];

/// The words of a folded text, without punctuation.
pub fn words(folded: &str) -> Vec<&str> {
    folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect()
}

/// How many leading words of `words` name a hamlet's kind ("thon", "to dan pho").
pub fn kind_words(words: &[&str]) -> usize {
    // Asked of every word of every title: no allocation, and most words
    // begin no word for a hamlet.
    // The first words of HAMLET_WORDS (a test keeps them in step).
    if !matches!(words.first(), Some(&("to" | "khu" | "tdp" | "thon" | "xom" | "ap" | "ban" | "buon" | "lang"))) {
        return 0;
    }
    HAMLET_WORDS
        .iter()
        .find_map(|k| {
            let n = k.split(' ').count();
            (words.len() >= n && k.split(' ').zip(words).all(|(a, b)| a == *b)).then_some(n)
        })
        .unwrap_or(0)
}

/// "Thôn Lạc Hoà", "LAC HOA", "lạc hòa" all give "lac hoa"; "Tổ dân phố 5" gives "5".
pub fn hamlet_key(name: &str) -> String {
    let folded = fold(&clean_label(name));
    let w = words(&folded);
    let skip = kind_words(&w);
    let rest = if skip < w.len() { &w[skip..] } else { &w[..] };
    rest.join(" ")
}

/// A key and its other writing when it is a number: "Thôn Ba" is also
/// "Thôn 3", "Xóm 4" also "Xóm Bốn" and "Xóm Tư".
pub fn number_forms(key: &str) -> Vec<String> {
    let mut out = vec![key.to_string()];
    if let Some(&(_, n)) = crate::text::NUMBER_WORDS.iter().find(|(w, _)| *w == key) {
        out.push(n.to_string());
    } else if let Ok(n) = key.parse::<u32>() {
        out.extend(crate::text::NUMBER_WORDS.iter().filter(|(_, v)| *v == n).map(|(w, _)| w.to_string()));
    }
    out
}

/// Is `key` found as whole words in `phrase`?
fn within(key: &[&str], phrase: &[&str]) -> bool {
    !key.is_empty() && phrase.windows(key.len()).any(|w| w == key)
}

/// Every phrase of the schema's own labels, titles and names, folded: the
/// text a report is made of.
fn schema_phrases(schema: &Schema) -> Vec<String> {
    let mut out: Vec<String> = ORDINARY.iter().map(|s| s.to_string()).collect();
    for t in &schema.tables {
        out.extend(t.title.loose.iter().cloned());
        out.extend(t.label_header.loose.iter().cloned());
        for c in &t.columns {
            out.extend(c.labels.loose.iter().cloned());
        }
        for r in &t.rows {
            out.extend(r.labels.loose.iter().cloned());
        }
    }
    out.extend(schema.indicators.iter().map(|i| fold(&i.name)));
    out.extend(schema.sections.iter().map(|s| fold(&s.title)));
    out.push(fold(&schema.commune.name));
    out.push(fold(&schema.commune.report_title));
    out
}

/// The phrases a report is made of, gathered once for all the names asked
/// about.
pub struct Phrases(Vec<String>);

impl Phrases {
    pub fn of(schema: &Schema) -> Phrases {
        Phrases(schema_phrases(schema))
    }

    /// The phrase a key is an ordinary word of, if any: a key of one word,
    /// or of digits only, or found in the words of a report, is read only
    /// where it stands as a name.
    pub fn ordinary(&self, key: &str) -> Option<String> {
        let k = words(key);
        if k.len() <= 1 || k.iter().all(|w| w.chars().all(|c| c.is_ascii_digit())) {
            return Some(key.to_string());
        }
        self.0.iter().find(|p| within(&k, &words(p))).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_for_a_hamlet_is_found() {
        for k in HAMLET_WORDS {
            let w: Vec<&str> = k.split(' ').chain(["lac", "son"]).collect();
            assert_eq!(kind_words(&w), k.split(' ').count(), "{k}");
        }
        assert_eq!(kind_words(&["lac", "son"]), 0);
    }

    #[test]
    fn keys_drop_the_word_for_the_hamlets_kind() {
        assert_eq!(hamlet_key("Thôn Lạc Hoà"), "lac hoa");
        assert_eq!(hamlet_key("LẠC HÒA"), "lac hoa");
        assert_eq!(hamlet_key("Tổ dân phố 5"), "5");
        assert_eq!(hamlet_key("Xóm Năm"), "nam");
        assert_eq!(hamlet_key("Thôn"), "thon");
    }

    #[test]
    fn ordinary_words_are_told() {
        let phrases = Phrases::of(&Schema::builtin().unwrap());
        assert!(phrases.ordinary("nam").is_some());
        assert!(phrases.ordinary("5").is_some());
        assert!(phrases.ordinary("dong xuan").is_some(), "Lúa Đông Xuân");
        assert!(phrases.ordinary("viet nam").is_some());
        assert!(phrases.ordinary("lac son").is_none());
    }
}
