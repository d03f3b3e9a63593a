//! Numbers typed as text, the Vietnamese way: "12,5" is 12.5, "3.300" is
//! 3300, "1.234,5" is 1234.5; with stray spaces or a unit ("70 ha").

/// A number read from text.
#[derive(Debug, Clone, PartialEq)]
pub struct TextNumber {
    pub value: f64,
    /// Decimal places as written.
    pub decimals: u8,
    /// What followed the number, e.g. "ha" in "70 ha"; the caller decides
    /// whether it is a unit it knows.
    pub suffix: Option<String>,
    /// Another reading the text allows ("1,500": 1,5 or 1500), when the
    /// writing does not settle it.
    pub other_reading: Option<f64>,
    /// Written with a comma for thousands and a point for decimals.
    pub english_style: bool,
}

/// A computed figure without binary noise: 211.80000000000004 is 211.8.
/// Twelve significant digits are more than any report writes.
pub fn tidy(v: f64) -> f64 {
    if !v.is_finite() || v == 0.0 {
        return v;
    }
    format!("{v:.11e}").parse().unwrap_or(v)
}

/// Decimal places of a stored number, from its shortest exact form: 64.1
/// has one, 12 has none. A figure computed by a formula may have many.
pub fn decimals_of(v: f64) -> u8 {
    if !v.is_finite() || v.fract() == 0.0 {
        return 0;
    }
    let s = format!("{}", v.abs());
    if s.contains('e') {
        return 15;
    }
    s.split_once('.').map_or(0, |(_, f)| f.len().min(15) as u8)
}

/// Parses a number typed as text. `prefer_integer` settles "1,500" as 1500
/// for counts, where 1,5 cannot be right.
pub fn parse(text: &str, prefer_integer: bool) -> Option<TextNumber> {
    let t: String = text
        .chars()
        .map(|c| match c {
            '\u{a0}' | '\u{2009}' | '\u{202f}' | '\t' => ' ',
            '−' | '–' => '-',
            c => c,
        })
        .collect();
    let t = t.trim();
    let (sign, body) = match t.as_bytes().first()? {
        b'-' => (-1.0, t[1..].trim_start()),
        b'+' => (1.0, t[1..].trim_start()),
        _ => (1.0, t),
    };
    // The number runs as long as digits, separators and digit-group spaces do.
    let mut end = 0;
    let chars: Vec<(usize, char)> = body.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let next_digit = chars.get(k + 1).is_some_and(|(_, n)| n.is_ascii_digit());
        if c.is_ascii_digit() || ((c == '.' || c == ',') && next_digit) {
            end = i + c.len_utf8();
        } else if c == ' ' && next_digit && end > 0 {
            // "1 200": a space between digit groups.
            let group = body[i + 1..].chars().take_while(|d| d.is_ascii_digit()).count();
            if group != 3 {
                break;
            }
        } else {
            break;
        }
    }
    if end == 0 {
        return None;
    }
    let digits: String = body[..end].chars().filter(|c| *c != ' ').collect();
    let rest = body[end..].trim();
    let suffix = (!rest.is_empty()).then(|| rest.to_string());
    if !digits.starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == ',') {
        return None;
    }
    let (value, decimals, other, english) = read_digits(&digits, prefer_integer)?;
    Some(TextNumber {
        value: sign * value,
        decimals,
        suffix,
        other_reading: other.map(|o| sign * o),
        english_style: english,
    })
}

/// (value, decimals, other reading, english style)
fn read_digits(s: &str, prefer_integer: bool) -> Option<(f64, u8, Option<f64>, bool)> {
    let dots = s.matches('.').count();
    let commas = s.matches(',').count();
    let plain = |int: &str, frac: &str| -> Option<(f64, u8)> {
        let text = if frac.is_empty() { int.to_string() } else { format!("{int}.{frac}") };
        let text = if text.starts_with('.') { format!("0{text}") } else { text };
        Some((text.parse::<f64>().ok()?, frac.len().min(15) as u8))
    };
    let grouped = |s: &str, sep: char| -> Option<String> {
        // "1.234.567": every group after the first has three digits.
        let mut parts = s.split(sep);
        let first = parts.next()?;
        if first.is_empty() || first.len() > 3 {
            return None;
        }
        let mut out = first.to_string();
        for p in parts {
            if p.len() != 3 {
                return None;
            }
            out.push_str(p);
        }
        Some(out)
    };
    match (dots, commas) {
        (0, 0) => plain(s, "").map(|(v, d)| (v, d, None, false)),
        (_, 0) | (0, _) => {
            let sep = if dots > 0 { '.' } else { ',' };
            let count = dots + commas;
            let (int, frac) = s.rsplit_once(sep)?;
            if count > 1 {
                // Several of one separator: they group thousands.
                let int = grouped(s, sep)?;
                return plain(&int, "").map(|(v, d)| (v, d, None, sep == ','));
            }
            // "0.350", "0,350": a group of thousands never begins with 0.
            if frac.len() == 3 && !int.is_empty() && int.len() <= 3 && !int.starts_with('0') {
                let thousands = plain(&format!("{int}{frac}"), "")?.0;
                let decimal = plain(int, frac)?.0;
                return Some(if sep == '.' {
                    // "3.300": Vietnamese thousands. A count cannot be 3,3;
                    // a length or an area can ("1.200 km" for 1,2 km).
                    let other = (!prefer_integer).then_some(decimal);
                    (thousands, 0, other, false)
                } else if prefer_integer {
                    // "5,900" con: a count cannot be 5,9; English thousands.
                    (thousands, 0, None, true)
                } else {
                    (decimal, 3, Some(thousands), false)
                });
            }
            plain(int, frac).map(|(v, d)| (v, d, None, false))
        }
        _ => {
            // Both: the last one marks decimals, the other groups thousands.
            let last_dot = s.rfind('.')?;
            let last_comma = s.rfind(',')?;
            let (dec, thou) = if last_comma > last_dot { (',', '.') } else { ('.', ',') };
            let (int, frac) = s.rsplit_once(dec)?;
            if frac.contains(thou) {
                return None;
            }
            let int = grouped(int, thou)?;
            plain(&int, frac).map(|(v, d)| (v, d, None, dec == '.'))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Option<f64> {
        parse(text, false).map(|n| n.value)
    }

    #[test]
    fn vietnamese_forms() {
        assert_eq!(v("12,5"), Some(12.5));
        assert_eq!(v("3.300"), Some(3300.0));
        assert_eq!(v("1.234,5"), Some(1234.5));
        assert_eq!(v(" 1 200 "), Some(1200.0));
        assert_eq!(v("1.234.567"), Some(1234567.0));
        assert_eq!(v("-5"), Some(-5.0));
        assert_eq!(v("0,05"), Some(0.05));
        assert_eq!(v("12.5"), Some(12.5));
        assert_eq!(v(",5"), Some(0.5));
    }

    #[test]
    fn units_and_words() {
        let n = parse("70 ha", false).unwrap();
        assert_eq!((n.value, n.suffix.as_deref()), (70.0, Some("ha")));
        assert_eq!(parse("300con", false).unwrap().suffix.as_deref(), Some("con"));
        assert_eq!(parse("khoảng 300", false), None);
        assert_eq!(parse("#REF!", false), None);
        assert_eq!(parse("", false), None);
        assert_eq!(parse("-", false), None);
    }

    #[test]
    fn tidy_drops_binary_noise() {
        assert_eq!(tidy(211.80000000000004), 211.8);
        assert_eq!(tidy(0.1 + 0.2), 0.3);
        assert_eq!(tidy(21.16260162601626), 21.1626016260);
    }

    #[test]
    fn decimals_as_written() {
        assert_eq!(parse("64,1", false).unwrap().decimals, 1);
        assert_eq!(parse("1.234,50", false).unwrap().decimals, 2);
        assert_eq!(parse("3.300", false).unwrap().decimals, 0);
        assert_eq!(decimals_of(64.1), 1);
        assert_eq!(decimals_of(12.0), 0);
        assert_eq!(decimals_of(0.125), 3);
    }

    #[test]
    fn ambiguous_readings() {
        let n = parse("1,500", false).unwrap();
        assert_eq!((n.value, n.other_reading), (1.5, Some(1500.0)));
        let n = parse("1,500", true).unwrap();
        assert_eq!((n.value, n.other_reading, n.english_style), (1500.0, None, true));
        let n = parse("2.125", false).unwrap();
        assert_eq!((n.value, n.other_reading), (2125.0, Some(2.125)));
        assert_eq!(parse("3.300", true).unwrap().other_reading, None);
        assert_eq!(parse("3.300", false).unwrap().other_reading, Some(3.3));
        let n = parse("0.350", false).unwrap();
        assert_eq!((n.value, n.decimals, n.other_reading), (0.35, 3, None));
        assert_eq!(parse("0,350", true).unwrap().value, 0.35);
        let n = parse("1,234.5", false).unwrap();
        assert!(n.english_style);
        assert_eq!(n.value, 1234.5);
    }
}
