//! Legacy Vietnamese encodings still found in old government templates:
//! TCVN3 (ABC; fonts .VnTime, .VnTimeH, .VnArial…) and VNI-Windows (fonts
//! VNI-Times…). In a spreadsheet their bytes show as Latin-1 letters:
//! "Lóa vô xu©n" is "Lúa vụ xuân" in TCVN3, "Luùa vuï xuaân" in VNI.
//!
//! Both use only characters up to U+00FF, which Vietnamese in Unicode never
//! keeps to, so a text is only decoded when it is Latin-1 throughout and
//! carries the marks of one encoding.

use unicode_normalization::UnicodeNormalization;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Tcvn3,
    Vni,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Tcvn3 => "TCVN3 (ABC)",
            Encoding::Vni => "VNI-Windows",
        }
    }

    /// The encoding a font name implies.
    pub fn of_font(font: &str) -> Option<Encoding> {
        let f = font.trim().to_lowercase();
        if f.starts_with(".vn") {
            Some(Encoding::Tcvn3)
        } else if f.starts_with("vni-") || f.starts_with("vni ") {
            Some(Encoding::Vni)
        } else {
            None
        }
    }
}

/// TCVN3 (TCVN 5712:1993, VN3): byte → letter, for the bytes that differ
/// from Latin-1. U+00AD, the soft hyphen, is "ư": it must survive reading.
const TCVN3: [(u8, char); 69] = [
    (0xA1, 'Ă'),
    (0xA2, 'Â'),
    (0xA3, 'Ê'),
    (0xA4, 'Ô'),
    (0xA5, 'Ơ'),
    (0xA6, 'Ư'),
    (0xA7, 'Đ'),
    (0xA8, 'ă'),
    (0xA9, 'â'),
    (0xAA, 'ê'),
    (0xAB, 'ô'),
    (0xAC, 'ơ'),
    (0xAD, 'ư'),
    (0xAE, 'đ'),
    (0xB5, 'à'),
    (0xB6, 'ả'),
    (0xB7, 'ã'),
    (0xB8, 'á'),
    (0xB9, 'ạ'),
    (0xBB, 'ằ'),
    (0xBC, 'ẳ'),
    (0xBD, 'ẵ'),
    (0xBE, 'ắ'),
    (0xC6, 'ặ'),
    (0xC7, 'ầ'),
    (0xC8, 'ẩ'),
    (0xC9, 'ẫ'),
    (0xCA, 'ấ'),
    (0xCB, 'ậ'),
    (0xCC, 'è'),
    (0xCE, 'ẻ'),
    (0xCF, 'ẽ'),
    (0xD0, 'é'),
    (0xD1, 'ẹ'),
    (0xD2, 'ề'),
    (0xD3, 'ể'),
    (0xD4, 'ễ'),
    (0xD5, 'ế'),
    (0xD6, 'ệ'),
    (0xD7, 'ì'),
    (0xD8, 'ỉ'),
    (0xDC, 'ĩ'),
    (0xDD, 'í'),
    (0xDE, 'ị'),
    (0xDF, 'ò'),
    (0xE1, 'ỏ'),
    (0xE2, 'õ'),
    (0xE3, 'ó'),
    (0xE4, 'ọ'),
    (0xE5, 'ồ'),
    (0xE6, 'ổ'),
    (0xE7, 'ỗ'),
    (0xE8, 'ố'),
    (0xE9, 'ộ'),
    (0xEA, 'ờ'),
    (0xEB, 'ở'),
    (0xEC, 'ỡ'),
    (0xED, 'ớ'),
    (0xEE, 'ợ'),
    (0xEF, 'ù'),
    (0xF1, 'ủ'),
    (0xF2, 'ũ'),
    (0xF3, 'ú'),
    (0xF4, 'ụ'),
    (0xF5, 'ừ'),
    (0xF6, 'ử'),
    (0xF7, 'ữ'),
    (0xF8, 'ứ'),
    (0xF9, 'ự'),
];
const TCVN3_Y: [(u8, char); 5] = [(0xFA, 'ỳ'), (0xFB, 'ỷ'), (0xFC, 'ỹ'), (0xFD, 'ý'), (0xFE, 'ỵ')];

fn tcvn3_char(c: char) -> Option<char> {
    let b = u8::try_from(u32::from(c)).ok()?;
    TCVN3.iter().chain(TCVN3_Y.iter()).find(|(k, _)| *k == b).map(|(_, v)| *v)
}

/// Characters TCVN3 text is full of and Vietnamese in Unicode never has:
/// the bytes 0xA1–0xBE that TCVN3 uses for letters.
fn is_tcvn3_mark(c: char) -> bool {
    matches!(u32::from(c), 0xA1..=0xAE | 0xB5..=0xB9 | 0xBB..=0xBE)
}

/// Every character is Latin-1 (≤ U+00FF), and some are beyond ASCII.
pub fn latin1_accented(s: &str) -> bool {
    s.chars().all(|c| u32::from(c) <= 0xFF) && s.chars().any(|c| u32::from(c) >= 0xA0)
}

/// A text that can only be TCVN3.
pub fn looks_tcvn3(s: &str) -> bool {
    latin1_accented(s) && s.chars().any(is_tcvn3_mark)
}

pub fn decode_tcvn3(s: &str, upper: bool) -> String {
    let out: String = s.chars().map(|c| tcvn3_char(c).unwrap_or(c)).collect();
    // .VnTimeH shows the lower-case codes as capitals.
    if upper { out.to_uppercase() } else { out }
}

// VNI-Windows: a base letter followed by a mark letter.
const GRAVE: char = '\u{300}';
const ACUTE: char = '\u{301}';
const TILDE: char = '\u{303}';
const HOOK: char = '\u{309}';
const DOT: char = '\u{323}';
const CIRC: char = '\u{302}';
const BREVE: char = '\u{306}';
const HORN: char = '\u{31B}';

/// A mark letter: (lower case, upper case, marks, needs a or A).
const VNI_MARKS: [(char, char, &[char], bool); 17] = [
    ('ù', 'Ù', &[ACUTE], false),
    ('ø', 'Ø', &[GRAVE], false),
    ('û', 'Û', &[HOOK], false),
    ('õ', 'Õ', &[TILDE], false),
    ('ï', 'Ï', &[DOT], false),
    ('â', 'Â', &[CIRC], false),
    ('á', 'Á', &[CIRC, ACUTE], false),
    ('à', 'À', &[CIRC, GRAVE], false),
    ('å', 'Å', &[CIRC, HOOK], false),
    ('ã', 'Ã', &[CIRC, TILDE], false),
    ('ä', 'Ä', &[CIRC, DOT], false),
    ('ê', 'Ê', &[BREVE], true),
    ('é', 'É', &[BREVE, ACUTE], true),
    ('è', 'È', &[BREVE, GRAVE], true),
    ('ú', 'Ú', &[BREVE, HOOK], true),
    ('ü', 'Ü', &[BREVE, TILDE], true),
    ('ë', 'Ë', &[BREVE, DOT], true),
];

/// Letters that stand alone in VNI.
fn vni_single(c: char) -> Option<&'static str> {
    Some(match c {
        'ô' => "ơ",
        'Ô' => "Ơ",
        'ö' => "ư",
        'Ö' => "Ư",
        'ñ' => "đ",
        'Ñ' => "Đ",
        'í' => "í",
        'ì' => "ì",
        'æ' => "ỉ",
        'ó' => "ĩ",
        'ò' => "ị",
        'Í' => "Í",
        'Ì' => "Ì",
        'Æ' => "Ỉ",
        'Ó' => "Ĩ",
        'Ò' => "Ị",
        'î' => "ỵ",
        'Î' => "Ỵ",
        _ => return None,
    })
}

/// The base of a VNI letter, with the horn of ơ and ư: (letter, horn).
fn vni_base(c: char) -> Option<(char, bool)> {
    match c {
        'a' | 'e' | 'o' | 'u' | 'y' | 'A' | 'E' | 'O' | 'U' | 'Y' => Some((c, false)),
        'ô' => Some(('o', true)),
        'Ô' => Some(('O', true)),
        'ö' => Some(('u', true)),
        'Ö' => Some(('U', true)),
        _ => None,
    }
}

fn vni_mark(base: char, horn: bool, m: char) -> Option<&'static [char]> {
    let (_, _, marks, only_a) = VNI_MARKS.iter().find(|(l, u, _, _)| *l == m || *u == m)?;
    let lower = base.to_ascii_lowercase();
    let circ_ok = matches!(lower, 'a' | 'e' | 'o') && !horn;
    if *only_a && lower != 'a' {
        return None;
    }
    if marks.contains(&CIRC) && !circ_ok {
        return None;
    }
    Some(marks)
}

/// Pairs of a base and a mark letter: what VNI text is made of.
fn vni_pairs(s: &str) -> usize {
    let cs: Vec<char> = s.chars().collect();
    cs.windows(2).filter(|w| vni_base(w[0]).is_some_and(|(b, h)| vni_mark(b, h, w[1]).is_some())).count()
}

/// A text that reads as VNI: Latin-1 throughout, with base-and-mark pairs or
/// VNI's đ.
pub fn looks_vni(s: &str) -> bool {
    latin1_accented(s) && !s.chars().any(is_tcvn3_mark) && (vni_pairs(s) > 0 || s.contains(['ñ', 'Ñ']))
}

pub fn decode_vni(s: &str) -> String {
    let cs: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 8);
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i];
        if let (Some((base, horn)), Some(&m)) = (vni_base(c), cs.get(i + 1))
            && let Some(marks) = vni_mark(base, horn, m)
        {
            let mut seq = String::new();
            seq.push(base);
            if horn {
                seq.push(HORN);
            }
            seq.extend(marks.iter());
            out.extend(seq.nfc());
            i += 2;
            continue;
        }
        match vni_single(c) {
            Some(t) => out.push_str(t),
            None => out.push(c),
        }
        i += 1;
    }
    out
}

pub fn decode(s: &str, enc: Encoding, upper: bool) -> String {
    match enc {
        Encoding::Tcvn3 => decode_tcvn3(s, upper),
        Encoding::Vni => decode_vni(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tcvn3_examples_of_the_form() {
        assert_eq!(decode_tcvn3("Lóa vô xu©n", false), "Lúa vụ xuân");
        assert_eq!(decode_tcvn3("L¹c TiÕn", false), "Lạc Tiến");
        // ư is the soft hyphen, U+00AD.
        assert_eq!(decode_tcvn3("Sè ng\u{ad}êi tham gia BHYT", false), "Số người tham gia BHYT");
        assert_eq!(decode_tcvn3("§µn ong", false), "Đàn ong");
        assert_eq!(decode_tcvn3("trång trät", true), "TRỒNG TRỌT");
        assert!(looks_tcvn3("L¹c TiÕn"));
        assert!(!looks_tcvn3("Lạc Tiến"));
        assert!(!looks_tcvn3("Lúa"));
    }

    #[test]
    fn vni_examples() {
        assert_eq!(decode_vni("Luùa vuï xuaân"), "Lúa vụ xuân");
        assert_eq!(decode_vni("Laïc Tieán"), "Lạc Tiến");
        assert_eq!(decode_vni("Ñöôøng giao thoâng noäi ñoàng"), "Đường giao thông nội đồng");
        assert_eq!(decode_vni("Soá hoä caän ngheøo"), "Số hộ cận nghèo");
        assert_eq!(decode_vni("Traâu"), "Trâu");
        assert_eq!(decode_vni("LAÏC PHUÙ"), "LẠC PHÚ");
        assert_eq!(decode_vni("Saén"), "Sắn");
        assert!(looks_vni("Laïc Tieán"));
        assert!(!looks_vni("Lúa vụ xuân"));
        assert!(!looks_vni("Trâu"), "Unicode with Latin-1 letters only is not VNI");
    }

    #[test]
    fn fonts() {
        assert_eq!(Encoding::of_font(".VnTime"), Some(Encoding::Tcvn3));
        assert_eq!(Encoding::of_font(".VnTimeH"), Some(Encoding::Tcvn3));
        assert_eq!(Encoding::of_font("VNI-Times"), Some(Encoding::Vni));
        assert_eq!(Encoding::of_font("Times New Roman"), None);
    }
}
