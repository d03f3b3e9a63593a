//! Text as hamlets type it: keys for matching labels and names whatever the
//! case, spacing, numbering, Unicode form or tone placement, and Vietnamese
//! number formatting for messages.

pub mod legacy;
pub mod number;

use std::cell::RefCell;
use std::rc::Rc;

use unicode_normalization::UnicodeNormalization;

/// Every key of a text, made once: reports repeat the same labels in every
/// file, so each thread keeps the keys of the texts it has seen.
#[derive(Debug)]
pub struct Keys {
    /// [`label_key`]: exact but for case, spacing, numbering, form, tone placement.
    pub exact: String,
    /// [`loose_key`]: as `exact`, without diacritics.
    pub loose: String,
    /// [`fold`]: lower case, no diacritics, single spaces.
    pub folded: String,
    /// `folded` without spaces, as units are looked up.
    pub compact: String,
}

/// The keys of a text, from this thread's cache. Only the first 300
/// characters count: no label is longer, and a cell of free text must not
/// cost more than a label does.
pub fn keys(s: &str) -> Rc<Keys> {
    let s = match s.char_indices().nth(300) {
        Some((i, _)) => &s[..i],
        None => s,
    };
    thread_local! {
        static CACHE: RefCell<rustc_hash::FxHashMap<Box<str>, Rc<Keys>>> = RefCell::default();
    }
    CACHE.with(|cache| {
        if let Some(k) = cache.borrow().get(s) {
            return k.clone();
        }
        // One cleaning for both keys; the folded text is the loose key
        // whenever cleaning changed nothing but the ends.
        let cleaned = clean_label(s);
        let loose = fold(&cleaned);
        let folded = if cleaned == s.trim() { loose.clone() } else { fold(s) };
        let k = Rc::new(Keys { exact: tone_key(&cleaned), loose, compact: folded.replace(' ', ""), folded });
        let mut cache = cache.borrow_mut();
        // Bounded: a sheet of free text must not grow it without end.
        if cache.len() >= 20_000 {
            cache.clear();
        }
        cache.insert(s.into(), k.clone());
        k
    })
}

/// Combining tone marks: grave, acute, tilde, hook above, dot below.
const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];

fn is_combining(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// The numbers one to ten in words, folded: how hamlets are named ("Thôn
/// Ba") and months written ("tháng tám").
pub const NUMBER_WORDS: &[(&str, u32)] = &[
    ("mot", 1),
    ("hai", 2),
    ("ba", 3),
    ("bon", 4),
    ("tu", 4),
    ("nam", 5),
    ("sau", 6),
    ("bay", 7),
    ("tam", 8),
    ("chin", 9),
    ("muoi", 10),
];

/// A name as a file name: folded, letters and digits joined by "-"
/// ("Lạc Sơn" gives "lac-son"); never a path separator.
pub fn slug(name: &str) -> String {
    let folded: String = fold(name).chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect();
    folded.split_whitespace().collect::<Vec<_>>().join("-")
}

/// Lower case, no diacritics, single spaces: "Lạc Sơn" and "LAC  SON" both
/// give "lac son".
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    let mut put = |c: char| {
        let c = match c {
            'đ' | 'Đ' => 'd',
            '\u{a0}' | '\t' | '\n' | '\r' => ' ',
            c => c,
        };
        if c == ' ' {
            space = !out.is_empty();
            return;
        }
        if space {
            out.push(' ');
            space = false;
        }
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    };
    // Each character is decomposed on its own: the marks that canonical
    // ordering would move are the ones dropped, so the order of what is
    // kept is the same as after a whole NFD, without its buffering.
    for c in s.chars() {
        if c.is_ascii() {
            put(c);
        } else {
            unicode_normalization::char::decompose_canonical(c, |d| {
                if !is_combining(d) {
                    put(d)
                }
            });
        }
    }
    out
}

/// A key that keeps the diacritics but not where the tone mark sits, so the
/// old and new placements ("Hoà", "Hòa") and NFC or NFD input agree.
pub fn tone_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    let mut tones: Vec<char> = Vec::new();
    let flush = |out: &mut String, tones: &mut Vec<char>| {
        tones.sort_unstable();
        out.extend(tones.drain(..));
    };
    for c in s.nfd().flat_map(char::to_lowercase) {
        if TONES.contains(&c) {
            tones.push(c);
        } else if c.is_alphanumeric() || is_combining(c) {
            out.push(c);
        } else {
            flush(&mut out, &mut tones);
            out.push(c);
        }
    }
    flush(&mut out, &mut tones);
    out
}

/// Strips what people put around a label: numbering ("1.", "a)", "I.",
/// "-", "+"), a trailing colon, and extra or odd spaces and dashes.
pub fn clean_label(s: &str) -> String {
    let t: String = s
        .chars()
        .map(|c| match c {
            '\u{a0}' | '\t' | '\n' | '\r' => ' ',
            '–' | '—' | '‐' | '−' => '-',
            c => c,
        })
        .collect();
    // Numbering and bullets may be stacked ("1. - Lúa"): strip them all,
    // moving along the text rather than copying it.
    let mut rest = t.as_str();
    loop {
        let trimmed = rest.trim_start();
        let stripped = strip_enumerator(trimmed);
        rest = stripped;
        if stripped.len() == trimmed.len() {
            break;
        }
    }
    let t = rest.trim_end().trim_end_matches([':', '.', ';', ',']).trim_end();
    // Single spaces, none before punctuation.
    let mut out = String::with_capacity(t.len());
    for word in t.split(' ').filter(|w| !w.is_empty()) {
        let glue = word.starts_with([',', ';', ':', ')']) || out.ends_with('(');
        if !out.is_empty() && !glue {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn strip_enumerator(s: &str) -> &str {
    // Bullets and dashes.
    let bullets = s.trim_start_matches(['-', '+', '*', '•', '·', '–', '—', '>']);
    if bullets.len() != s.len() {
        return bullets;
    }
    // "1.", "1)", "(1)", "a)", "a.", "I.", "IV)"
    let (open, rest) = match s.strip_prefix('(') {
        Some(r) => (true, r),
        None => (false, s),
    };
    let token: String = rest.chars().take_while(|c| c.is_alphanumeric()).collect();
    let after = &rest[token.len()..];
    let closes = after.starts_with(')') || (!open && after.starts_with('.'));
    if token.is_empty() || !closes {
        return s;
    }
    let numeric = token.len() <= 3 && token.chars().all(|c| c.is_ascii_digit());
    let letter = token.chars().count() == 1 && token.chars().all(|c| c.is_alphabetic());
    let roman = token.len() <= 5 && token.chars().all(|c| "IVXLivxl".contains(c));
    if numeric || letter || roman {
        // A number followed by a decimal part is a figure, not a numbering.
        let after = &after[1..];
        if numeric && after.starts_with(|c: char| c.is_ascii_digit()) {
            return s;
        }
        return after;
    }
    s
}

/// The key a label is matched by, exact but for case, spacing, numbering,
/// Unicode form and tone placement.
pub fn label_key(s: &str) -> String {
    tone_key(&clean_label(s))
}

/// The looser key: as [`label_key`] but without any diacritics.
pub fn loose_key(s: &str) -> String {
    fold(&clean_label(s))
}

/// A cell's text quoted in a message: trimmed, and cut at 80 characters so
/// that a cell full of text cannot flood a message or a workbook cell.
/// A text from a file as a clerk may safely see it: control characters
/// (an escape sequence in a sheet name, a bell) shown as "�", and at most
/// `max` characters, the rest "…".
pub fn shown(s: &str, max: usize) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| c.is_control() && c != '\n' && c != '\t';
    let long = s.char_indices().nth(max);
    if long.is_none() && !s.chars().any(bad) {
        return std::borrow::Cow::Borrowed(s);
    }
    let kept = long.map_or(s, |(i, _)| &s[..i]);
    let mut out: String = kept.chars().map(|c| if bad(c) { '\u{fffd}' } else { c }).collect();
    if long.is_some() {
        out.push('…');
    }
    std::borrow::Cow::Owned(out)
}

pub fn quote(s: &str) -> String {
    let t = s.trim();
    match t.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", &t[..i]),
        None => t.to_string(),
    }
}

/// A number as Vietnamese write it: "1.234,5". At most `decimals` places,
/// trailing zeros dropped.
pub fn vn_number(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), f.trim_end_matches('0').to_string()),
        None => (s, String::new()),
    };
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(c);
    }
    let negative = v < 0.0 && (grouped != "0" || !frac.is_empty());
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&grouped);
    if !frac.is_empty() {
        out.push(',');
        out.push_str(&frac);
    }
    out
}

/// A figure with enough places to show what was written, e.g. in messages.
pub fn vn_figure(v: f64) -> String {
    vn_number(v, 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_diacritics_case_and_space() {
        assert_eq!(fold("Lạc  Sơn"), "lac son");
        assert_eq!(fold("ĐƯỜNG GIAO THÔNG"), "duong giao thong");
        assert_eq!(fold(" Lúa vụ xuân "), "lua vu xuan");
    }

    #[test]
    fn folding_a_character_at_a_time_is_folding_the_whole_nfd() {
        // The fold as first written: the whole text decomposed, then marks dropped.
        let whole = |s: &str| {
            let kept: String = s.nfd().filter(|c| !is_combining(*c)).collect();
            kept.replace(['đ', 'Đ'], "d").split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
        };
        for s in [
            "Thôn Lạc Hòa",
            "SẢN LƯỢNG LƯƠNG THỰC\u{a0}(tấn)",
            "Diện tích gieo trồng: Lúa hè thu",
            "ĐVT: nghìn con",
            "Tổ dân phố số 11 – Đông\tĐô",
            "Ǆ ǅ İ ß Ω Å ﬁ",
        ] {
            let nfd: String = s.nfd().collect();
            assert_eq!(fold(s), whole(s), "{s}");
            assert_eq!(fold(&nfd), whole(s), "{s}");
        }
    }

    #[test]
    fn tone_placement_and_unicode_form_agree() {
        let nfd: String = "Lạc Hòa".nfd().collect();
        assert_eq!(tone_key("Lạc Hoà"), tone_key("Lạc Hòa"));
        assert_eq!(tone_key(&nfd), tone_key("LẠC HÒA"));
        assert_ne!(tone_key("Lạc"), tone_key("Lác"));
        assert_ne!(tone_key("Sắn"), tone_key("Sản"));
    }

    #[test]
    fn numbering_and_bullets_are_stripped() {
        assert_eq!(clean_label("- Lúa vụ xuân"), "Lúa vụ xuân");
        assert_eq!(clean_label("+ Lúa hè thu"), "Lúa hè thu");
        assert_eq!(clean_label("1. Lạc"), "Lạc");
        assert_eq!(clean_label("a) Ngô"), "Ngô");
        assert_eq!(clean_label("IV. DÂN SỐ - XÃ HỘI"), "DÂN SỐ - XÃ HỘI");
        assert_eq!(clean_label("(2) Bò"), "Bò");
        assert_eq!(clean_label("Sắn ,  mì"), "Sắn, mì");
        assert_eq!(clean_label("Thôn:"), "Thôn");
        assert_eq!(clean_label("1.5 ha"), "1.5 ha");
        assert_eq!(clean_label("Ao hồ"), "Ao hồ");
    }

    #[test]
    fn vietnamese_numbers() {
        assert_eq!(vn_number(1234.5, 2), "1.234,5");
        assert_eq!(vn_number(66.0, 2), "66");
        assert_eq!(vn_number(35000.0, 0), "35.000");
        assert_eq!(vn_number(-0.0001, 2), "0");
        assert_eq!(vn_number(-12.25, 1), "-12,2");
        assert_eq!(vn_number(198.9048, 1), "198,9");
    }
}
