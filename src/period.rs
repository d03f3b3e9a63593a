//! The month a report is for, and the many ways hamlets write it.

use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use regex::bytes::Regex;

use crate::text::fold;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    pub year: i32,
    pub month: u32,
}

impl Period {
    pub fn new(year: i32, month: u32) -> Option<Period> {
        ((1990..=2100).contains(&year) && (1..=12).contains(&month)).then_some(Period { year, month })
    }

    /// The month of today's date.
    pub fn current() -> Option<Period> {
        let (y, m, _) = crate::calendar::today();
        Period::new(y as i32, m as u32)
    }

    /// How many months apart two months are.
    pub fn months_between(self, other: Period) -> u32 {
        let n = |p: Period| p.year as i64 * 12 + p.month as i64;
        (n(self) - n(other)).unsigned_abs() as u32
    }

    /// "06/2024", as Vietnamese reports write a month.
    pub fn display_vn(&self) -> String {
        format!("{:02}/{}", self.month, self.year)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:02}", self.year, self.month)
    }
}

impl FromStr for Period {
    type Err = String;

    /// The command line form, YYYY-MM.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("tháng không hợp lệ: \"{s}\" (cần dạng YYYY-MM, ví dụ 2024-06)");
        let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
        let year = y.parse::<i32>().map_err(|_| bad())?;
        let month = m.parse::<u32>().map_err(|_| bad())?;
        Period::new(year, month).ok_or_else(bad)
    }
}

// Patterns run on folded text (lower case, no diacritics), most specific first.
// Patterns run on folded text (lower case, no diacritics, single spaces),
// most specific first. ASCII classes keep them small to build.
static PATTERNS: LazyLock<Vec<(Regex, bool)>> = LazyLock::new(|| {
    // Bytes regexes in ASCII mode: "not a digit" is one byte class, not a
    // Unicode automaton, so they are cheap to build.
    // (pattern, year comes first)
    [
        // "tháng 6 năm 2024", "tháng: 06/2024", "thang 6-2024", "tháng 06 - 2024"
        (r"thang ?:? ?([0-9]{1,2}) ?(?:nam|/|-|\.|_| ) ?([0-9]{4})", false),
        // "T6-2024", "T06/2024", "t6.2024", "T6 2024"
        (r"(?:^|[^a-z])t ?([0-9]{1,2}) ?[-/._ ] ?([0-9]{4})(?:$|[^0-9])", false),
        // "15/06/2024": the month is the middle number
        (r"(?:^|[^0-9])[0-9]{1,2} ?[/.-] ?([0-9]{1,2}) ?[/.-] ?([0-9]{4})(?:$|[^0-9])", false),
        // "06/2024", "6-2024", "06.2024"
        (r"(?:^|[^0-9])([0-9]{1,2}) ?[/.-] ?([0-9]{4})(?:$|[^0-9])", false),
        // "2024-06", "2024_06", "2024.06", "2024 06"
        (r"(?:^|[^0-9])([0-9]{4}) ?[-_./ ] ?([0-9]{1,2})(?:$|[^0-9])", true),
    ]
    .into_iter()
    .map(|(p, year_first)| (Regex::new(&format!("(?-u){p}")).expect("period pattern"), year_first))
    .collect()
});

/// Finds a month in free text: a header cell, a title, a file or folder name.
/// The same texts come back in every file of a month, so each thread keeps
/// what it found.
pub fn find_in_text(text: &str) -> Option<Period> {
    thread_local! {
        static SEEN: std::cell::RefCell<rustc_hash::FxHashMap<Box<str>, Option<Period>>> = Default::default();
    }
    if let Some(p) = SEEN.with(|s| s.borrow().get(text).copied()) {
        return p;
    }
    let found = search(text);
    SEEN.with(|s| {
        let mut s = s.borrow_mut();
        if s.len() >= 10_000 {
            s.clear();
        }
        s.insert(text.into(), found);
    });
    found
}

/// Month names beyond the numbers one to ten: "tháng mười một", "tháng
/// giêng", "tháng chạp".
const MONTH_WORDS: &[(&str, u32)] = &[("muoi mot", 11), ("muoi hai", 12), ("gieng", 1), ("chap", 12)];

/// "tháng tám năm 2024" → "thang 8 nam 2024": a month in words after
/// "tháng" becomes its number.
fn month_words_to_numbers(folded: &str) -> String {
    let mut out = String::with_capacity(folded.len());
    let mut rest = folded;
    while let Some(at) = rest.find("thang ") {
        let (before, after) = rest.split_at(at + "thang ".len());
        out.push_str(before);
        rest = after;
        let words = MONTH_WORDS.iter().chain(crate::text::NUMBER_WORDS);
        let word = words.filter(|(w, _)| starts_word(rest, w)).max_by_key(|(w, _)| w.len());
        if let Some((w, n)) = word {
            out.push_str(&n.to_string());
            rest = &rest[w.len()..];
        }
    }
    out.push_str(rest);
    out
}

fn starts_word(text: &str, word: &str) -> bool {
    text.strip_prefix(word).is_some_and(|r| r.is_empty() || !r.starts_with(|c: char| c.is_alphanumeric()))
}

fn search(text: &str) -> Option<Period> {
    // Every form of a month carries a four-digit year: most texts have none.
    let has_year = text.as_bytes().windows(4).any(|w| w.iter().all(u8::is_ascii_digit));
    if !has_year {
        return None;
    }
    let folded = month_words_to_numbers(&fold(text));
    for (re, year_first) in PATTERNS.iter() {
        for caps in re.captures_iter(folded.as_bytes()) {
            let num = |i: usize| std::str::from_utf8(&caps[i]).ok().and_then(|t| t.parse::<i64>().ok());
            let (a, b) = (num(1), num(2));
            let (y, m) = if *year_first { (a, b) } else { (b, a) };
            if let (Some(year), Some(month)) =
                (y.and_then(|y| i32::try_from(y).ok()), m.and_then(|m| u32::try_from(m).ok()))
                && let Some(p) = Period::new(year, month)
            {
                return Some(p);
            }
        }
    }
    None
}

/// "tháng 6" with no year, as in a title that gives the year elsewhere.
pub fn find_month_only(text: &str) -> Option<u32> {
    static RE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?-u)thang ?:? ?([0-9]{1,2})(?:$|[^0-9])").expect("month pattern"));
    let folded = month_words_to_numbers(&fold(text));
    let caps = RE.captures(folded.as_bytes())?;
    std::str::from_utf8(&caps[1]).ok()?.parse::<u32>().ok().filter(|m| (1..=12).contains(m))
}

/// The month of an Excel date serial.
pub fn from_excel_serial(serial: f64, is_1904: bool) -> Option<Period> {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let dt = calamine::ExcelDateTime::new(serial, calamine::ExcelDateTimeType::DateTime, is_1904);
    let (y, m, ..) = dt.to_ymd_hms_milli();
    Period::new(y as i32, m as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(y: i32, m: u32) -> Option<Period> {
        Period::new(y, m)
    }

    #[test]
    fn written_forms() {
        for (text, want) in [
            ("Tháng: 06/2024", p(2024, 6)),
            ("Tháng 6/2024", p(2024, 6)),
            ("Tháng 6 năm 2024", p(2024, 6)),
            ("BÁO CÁO KẾT QUẢ SẢN XUẤT VÀ ĐỜI SỐNG THÁNG 6 NĂM 2024", p(2024, 6)),
            ("T6-2024", p(2024, 6)),
            ("Lac Son T5-2024.xlsx", p(2024, 5)),
            ("2024-06", p(2024, 6)),
            ("ngày 15/06/2024", p(2024, 6)),
            ("6-2024", p(2024, 6)),
            ("thang 12 nam 2023", p(2023, 12)),
            ("Tháng 13/2024", None),
            ("Tháng Tám năm 2024", p(2024, 8)),
            ("BÁO CÁO THÁNG MƯỜI MỘT NĂM 2024", p(2024, 11)),
            ("tháng 8 năm 2024", p(2024, 8)),
            ("T8/2024", p(2024, 8)),
            ("08-2024", p(2024, 8)),
            ("8/2024", p(2024, 8)),
            ("Tháng Năm năm 2024", p(2024, 5)),
            ("Tháng Giêng năm 2025", p(2025, 1)),
            ("Lạc Thanh", None),
            ("Báo cáo 2024", None),
        ] {
            assert_eq!(find_in_text(text), want, "{text}");
        }
    }

    #[test]
    fn command_line_form() {
        assert_eq!("2024-06".parse::<Period>().unwrap(), Period { year: 2024, month: 6 });
        assert!("2024-13".parse::<Period>().is_err());
        assert!("06/2024".parse::<Period>().is_err());
    }

    #[test]
    fn serial_dates() {
        // 2024-06-15 is serial 45458 in the 1900 system.
        assert_eq!(from_excel_serial(45458.0, false), p(2024, 6));
    }
}
