//! The words a unit uses for itself and its hamlets: a "xã" of "thôn", a
//! "phường" of "tổ dân phố", a commune of the south with its "ấp". The
//! tool's own texts are written with "xã" and "thôn"; [`say`] puts them in
//! the unit's words, never touching what is quoted (a cell's text, a file's
//! name), so that nothing it writes says "thôn" where the schema says
//! otherwise.
//!
//! Set once, when the schema is loaded (a run has one schema, and so has
//! each of its workers); until then, and in tests, "xã" and "thôn".

use std::sync::OnceLock;

/// What the unit calls itself and its hamlets, in lower case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Words {
    /// "xã", "phường", "đặc khu".
    pub unit: String,
    /// "thôn", "ấp", "bản", "buôn", "tổ dân phố", "khu phố", …
    pub hamlet: String,
}

impl Default for Words {
    fn default() -> Words {
        Words { unit: "xã".into(), hamlet: "thôn".into() }
    }
}

static WORDS: OnceLock<Words> = OnceLock::new();

/// The unit's words, from its schema; the first set stays.
pub fn set(words: Words) {
    let _ = WORDS.set(words);
}

/// The words set, or "xã" and "thôn" until they are (asking never fixes
/// them: a message said before the schema is loaded must not).
pub fn get() -> &'static Words {
    static DEFAULT: std::sync::LazyLock<Words> = std::sync::LazyLock::new(Words::default);
    WORDS.get().unwrap_or(&DEFAULT)
}

/// A text of the tool's own in the unit's words: "thôn", "Thôn", "THÔN",
/// "xã", "Xã", "XÃ" as whole words, outside double quotes.
pub fn say(text: &str) -> String {
    say_with(get(), text)
}

/// As [`say`], in the given words.
pub fn say_with(w: &Words, text: &str) -> String {
    if w == &Words::default() {
        return text.to_string();
    }
    let pairs = [("thôn", w.hamlet.as_str()), ("xã", w.unit.as_str())];
    let mut out = String::with_capacity(text.len() + 16);
    let mut quoted = false;
    let mut rest = text;
    'outer: while let Some(c) = rest.chars().next() {
        if c == '"' {
            quoted = !quoted;
        }
        if !quoted && (out.is_empty() || !out.chars().next_back().is_some_and(char::is_alphanumeric)) {
            for (from, to) in pairs {
                for (form, into) in [
                    (from.to_string(), to.to_string()),
                    (capitalized(from), capitalized(to)),
                    (from.to_uppercase(), to.to_uppercase()),
                ] {
                    // "xã hội" is society, not the unit.
                    if let Some(after) = rest.strip_prefix(form.as_str())
                        && !after.chars().next().is_some_and(char::is_alphanumeric)
                        && !(from == "xã" && after.trim_start().to_lowercase().starts_with("hội"))
                    {
                        out.push_str(&into);
                        rest = after;
                        continue 'outer;
                    }
                }
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

pub fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_units_words_replace_the_tools_but_never_what_is_quoted() {
        let w = Words { unit: "phường".into(), hamlet: "tổ dân phố".into() };
        let say = |t: &str| say_with(&w, t);
        assert_eq!(
            say("Thôn \"Thôn Đông\" không phải thôn của xã (các thôn: 1, 2); XÃ, THÔN"),
            "Tổ dân phố \"Thôn Đông\" không phải tổ dân phố của phường (các tổ dân phố: 1, 2); PHƯỜNG, TỔ DÂN PHỐ"
        );
        assert_eq!(say("thônx xãy"), "thônx xãy", "whole words only");
        assert_eq!(say("CỘNG HÒA XÃ HỘI CHỦ NGHĨA; Dân số - Xã hội"), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA; Dân số - Xã hội");
    }
}
