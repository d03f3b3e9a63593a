//! Which hamlet and which month a sheet is for, as its header block
//! ("Thôn: …", "Tháng: 06/2024"), its title, the sheet name, the file name
//! and the folder names say, in that order of trust. Each is a clue with its
//! place; `identify` settles them.
//!
//! A hamlet's name counts only where it stands as a name: on a "Thôn: …"
//! line, alone in a cell, after the word for a hamlet ("thôn Lạc Sơn"), or,
//! when it is no ordinary word of a report, in a file or folder name. The
//! national motto and the date lines are never read for a hamlet or a month.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::LazyLock;

use regex::Regex;

use super::grid::{Grid, Val};
use super::memo::Memo;
use crate::model::HamletId;
use crate::period::{self, Period};
use crate::schema::Schema;
use crate::schema::names::{HAMLET_WORDS, kind_words, words};
use crate::text::{clean_label, fold, keys, quote};

/// Where a hamlet or month was read.
#[derive(Debug, Clone, PartialEq)]
pub enum Clue {
    /// A labelled header cell ("Thôn:", "Tháng:"), at (row, col).
    Header(u32, u32),
    /// Other text on the sheet, such as the title, at (row, col).
    Title(u32, u32),
    /// The hidden identity of a form tonghop made ([`crate::identity`]).
    Identity,
    SheetName,
    FileName,
    Folder(String),
}

impl Clue {
    pub fn describe(&self) -> String {
        match self {
            Clue::Header(r, c) | Clue::Title(r, c) => format!("ô {}", crate::model::a1(*r, *c)),
            Clue::Identity => "mã ẩn của biểu mẫu".into(),
            Clue::SheetName => "tên trang tính".into(),
            Clue::FileName => "tên tệp".into(),
            Clue::Folder(f) => format!("tên thư mục \"{f}\""),
        }
    }

    /// The cell it is at, on the sheet.
    pub fn cell(&self) -> Option<(u32, u32)> {
        match self {
            Clue::Header(r, c) | Clue::Title(r, c) => Some((*r, *c)),
            _ => None,
        }
    }
}

/// A hamlet as written: one of the commune's, or a name that is not.
#[derive(Debug, Clone, PartialEq)]
pub enum HamletName {
    Known(HamletId),
    Unknown(String),
}

#[derive(Debug, Default)]
pub struct Clues {
    pub hamlets: Vec<(HamletName, Clue)>,
    pub periods: Vec<(Period, Clue)>,
    /// A month written without a year, where no year was found.
    pub month_only: Option<(u32, Clue)>,
    /// The title says the report is not of one month: what it says, where.
    pub span: Option<(Span, Clue, String)>,
}

/// A report that is not of one month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    /// A quarter, several months, six or nine months, a year.
    Several,
    /// The year to date ("lũy kế", "từ đầu năm", "tính đến hết tháng 6").
    ToDate,
}

/// What a title's words say of the time it covers, folded.
fn span_of(folded: &str) -> Option<Span> {
    static SEVERAL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?:^| )(?:quy (?:i|ii|iii|iv|[1-4])(?: |/|$)|(?:3|6|9|12) thang(?: |$)|thang [0-9]{1,2} ?(?:,|-|–|\+|&|va) ?[0-9]{1,2}(?:[^0-9]|$)|bao cao (?:ket qua )?nam [0-9]{4})",
        )
        .expect("span pattern")
    });
    const TO_DATE: &[&str] = &["luy ke", "tu dau nam", "den het thang", "tinh den het"];
    if SEVERAL.is_match(folded) {
        return Some(Span::Several);
    }
    TO_DATE.iter().any(|w| folded.contains(w)).then_some(Span::ToDate)
}

static MONTH_WORD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?:^| )thang ?[:0-9]").expect("pattern"));
static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"nam ?:? ?([0-9]{4})").expect("pattern"));

/// The national motto, or a date line ("Lạc Sơn, ngày 05 tháng 7 năm
/// 2024", "ngày … tháng … năm …"): never a hamlet or a month.
fn is_boilerplate(w: &[&str]) -> bool {
    let has = |x: &str| w.contains(&x);
    let motto = (has("cong") && has("hoa") && has("chu") && has("nghia")) || (has("doc") && has("lap") && has("hanh"));
    let date_line = w.iter().position(|x| *x == "ngay").is_some_and(|d| w[d..].contains(&"thang"));
    motto || date_line
}

/// What the sheet itself says, above `limit_row` (the first table).
pub fn from_sheet(grid: &Grid, schema: &Schema, limit_row: Option<u32>) -> Clues {
    let mut clues = Clues::default();
    let limit = limit_row.unwrap_or(40).max(1);
    let mut titled = Clues::default();
    let mut month_only: Option<(u32, u32, u32)> = None;
    let mut year_seen: Option<i32> = None;
    for cell in grid.cells().iter().take_while(|c| c.row < limit) {
        let Val::Text(text) = &cell.val else { continue };
        let s = said(text, schema);
        if s.boilerplate {
            continue;
        }
        let at = (cell.row, cell.col);
        if clues.span.is_none()
            && let Some(span) = s.span
        {
            clues.span = Some((span, Clue::Title(at.0, at.1), quote(text)));
        }
        let labelled = match &s.label {
            Some(Label::Named(h)) => h.clone(),
            Some(Label::Right { strong }) => {
                right_text(grid, cell.row, cell.col).and_then(|t| name_hamlet(t, None, *strong, schema))
            }
            None => None,
        };
        match labelled {
            Some(h) => clues.hamlets.push((h, Clue::Header(at.0, at.1))),
            None => {
                if let Some(h) = s.titled {
                    titled.hamlets.push((HamletName::Known(h), Clue::Title(at.0, at.1)));
                }
            }
        }
        // The month: only texts with a figure or the word "tháng" can give it.
        if !s.dated {
            continue;
        }
        if let Some(y) = s.year {
            year_seen = Some(y);
        }
        match s.period {
            Some(p) if s.month_label && s.label_first => clues.periods.push((p, Clue::Header(at.0, at.1))),
            Some(p) => titled.periods.push((p, Clue::Title(at.0, at.1))),
            None if s.month_label => match month_right_of(grid, cell.row, cell.col, &keys(text).folded) {
                Some(Ok(clue)) => clues.periods.push(clue),
                Some(Err(m)) => month_only = Some(m),
                None => {
                    if let Some(m) = s.month_only {
                        month_only = Some((m, at.0, at.1));
                    }
                }
            },
            None => {}
        }
    }
    if clues.periods.is_empty()
        && let Some((m, r, c)) = month_only
    {
        match year_seen.and_then(|y| Period::new(y, m)) {
            Some(p) => clues.periods.push((p, Clue::Header(r, c))),
            None => clues.month_only = Some((m, Clue::Header(r, c))),
        }
    }
    clues.hamlets.extend(titled.hamlets);
    clues.periods.extend(titled.periods);
    clues
}

/// What a text above the tables says by itself, whatever cell it is in:
/// worked out once per text, for the title, the "Thôn:" line and the date
/// line come back in report after report.
struct Said {
    /// The national motto or a date line: never a hamlet or a month.
    boilerplate: bool,
    span: Option<Span>,
    /// A "Thôn: …" line.
    label: Option<Label>,
    /// A known hamlet named among the text's words (a title).
    titled: Option<HamletId>,
    /// "Tháng …", "Kỳ báo cáo …": a month's label.
    month_label: bool,
    /// The label begins the text ("Tháng 6/2024", not "… tháng 6/2024").
    label_first: bool,
    /// It can give a month: a month's label, or a figure.
    dated: bool,
    year: Option<i32>,
    period: Option<Period>,
    month_only: Option<u32>,
}

/// A "Thôn: …" line's hamlet: in the text itself, or in the next cell.
#[derive(Clone)]
enum Label {
    Named(Option<HamletName>),
    Right { strong: bool },
}

fn said(text: &str, schema: &Schema) -> Rc<Said> {
    thread_local! {
        static SAID: RefCell<Memo<Box<str>, Rc<Said>, 20_000>> = Default::default();
    }
    if let Some(s) = SAID.with(|memo| memo.borrow().get(schema.id, text)) {
        return s;
    }
    let k = keys(text);
    let folded = k.folded.as_str();
    let w = words(folded);
    let month_label = folded.starts_with("thang")
        || folded.starts_with("ky bao cao")
        || folded.contains(" thang ")
        || folded.contains("thang:");
    let dated = month_label || folded.bytes().any(|b| b.is_ascii_digit());
    let period = if dated { period::find_in_text(text) } else { None };
    let s = Rc::new(Said {
        boilerplate: is_boilerplate(&w),
        span: span_of(folded),
        label: label_of(text, folded, schema),
        titled: hamlet_in_text(&w, schema, false),
        month_label,
        label_first: folded.starts_with(['t', 'k']),
        dated,
        year: if dated && folded.contains("nam") {
            YEAR.captures(folded).and_then(|c| c[1].parse().ok())
        } else {
            None
        },
        period,
        month_only: if month_label && period.is_none() { period::find_month_only(text) } else { None },
    });
    SAID.with(|memo| memo.borrow_mut().keep(schema.id, text.into(), s.clone()));
    s
}

/// "Tháng:" with the month in the next cell: a date, a text, or a month
/// number alone (which wants a year from elsewhere: the Err).
#[allow(clippy::type_complexity)]
fn month_right_of(grid: &Grid, row: u32, col: u32, folded: &str) -> Option<Result<(Period, Clue), (u32, u32, u32)>> {
    let right = grid.row(row).iter().find(|c| c.col > col && c.val != Val::Empty)?;
    let clue = Clue::Header(row, right.col);
    match &right.val {
        Val::Date(serial) => period::from_excel_serial(*serial, grid.is_1904).map(|p| Ok((p, clue))),
        Val::Text(t) => {
            period::find_in_text(t).or_else(|| period::find_in_text(&format!("{folded} {t}"))).map(|p| Ok((p, clue)))
        }
        Val::Number(n) if n.fract() == 0.0 && (1.0..=12.0).contains(n) => Some(Err((*n as u32, row, right.col))),
        _ => None,
    }
}

/// A "Thôn: …" line (also "Xóm:", "Tên thôn:", "Đơn vị:", and "Thôn Lạc
/// Sơn" without a colon): the hamlet it names, known or not, or that its
/// name is in the next cell. Other words for a hamlet without a colon
/// ("Bản …", "Tổ …") begin many other lines, so they count only before a
/// known name.
fn label_of(text: &str, folded: &str, schema: &Schema) -> Option<Label> {
    let (rest, strong) = after_label(folded)?;
    // "Thôn: Lạc Thắng  Tháng: 06/2024" in one cell: the month starts at
    // "tháng" followed by a colon or a figure ("Thắng" folds alike).
    let name = MONTH_WORD.split(rest).next().unwrap_or("").trim().trim_start_matches([':', '-']).trim();
    Some(match name {
        "" => Label::Right { strong },
        // The name as written, else up to where another phrase begins.
        _ => Label::Named(name_hamlet(
            original_words(text, name),
            Some(original_words(text, name_part(name))),
            strong,
            schema,
        )),
    })
}

/// The hamlet a label names: the whole name, or its first part.
fn name_hamlet(whole: String, part: Option<String>, strong: bool, schema: &Schema) -> Option<HamletName> {
    if fold(&whole).is_empty() {
        return None;
    }
    let part = part.filter(|p| !fold(p).is_empty()).unwrap_or_else(|| whole.clone());
    match schema.find_hamlet(&whole).or_else(|| schema.find_hamlet(&part)) {
        Some(h) => Some(HamletName::Known(h)),
        None if strong => Some(HamletName::Unknown(quote(&clean_label(&part)))),
        None => None,
    }
}

/// The text after a leading label, and whether the label is certainly one
/// ("thôn", or any label followed by a colon).
fn after_label(folded: &str) -> Option<(&str, bool)> {
    // Every text above the first table is put to these: made once.
    static LABELS: LazyLock<Vec<String>> = LazyLock::new(|| {
        let named = HAMLET_WORDS.iter().flat_map(|w| [format!("ten {w}"), w.to_string()]);
        named.chain(["thon/xom", "thon, xom", "don vi bao cao", "don vi"].map(String::from)).collect()
    });
    for l in LABELS.iter() {
        let Some(rest) = folded.strip_prefix(l.as_str()) else { continue };
        if !(rest.is_empty() || rest.starts_with([':', ' ', '-', '.'])) {
            continue;
        }
        let colon = rest.trim_start().starts_with(':');
        let rest = rest.trim_start_matches([':', ' ', '-', '.']);
        // "Đơn vị tính: ha" is no reporting unit.
        if l.starts_with("don vi") && (rest.starts_with("tinh") || rest.starts_with("dvt")) {
            return None;
        }
        return Some((rest, colon || l == "thon" || l.starts_with("ten ") || l.starts_with("don vi")));
    }
    None
}

/// What the sheet, file and folder names say.
pub fn from_names(clues: &mut Clues, schema: &Schema, sheet: Option<&str>, file_stem: &str, folders: &[String]) {
    let mut names: Vec<(&str, Clue)> = Vec::new();
    if let Some(s) = sheet {
        names.push((s, Clue::SheetName));
    }
    names.push((file_stem, Clue::FileName));
    for f in folders.iter().rev() {
        names.push((f.as_str(), Clue::Folder(f.clone())));
    }
    for (name, clue) in names {
        // "TDP11", "Thon3": the word and the number apart.
        let folded = apart(&keys(name).folded);
        if let Some(h) = hamlet_in_text(&words(&folded), schema, true) {
            clues.hamlets.push((HamletName::Known(h), clue.clone()));
        }
        if let Some(p) = period::find_in_text(name) {
            clues.periods.push((p, clue));
        }
    }
}

/// Letters and figures run together in a file name, set apart: "tdp11"
/// is "tdp 11".
fn apart(folded: &str) -> String {
    let mut out = String::with_capacity(folded.len() + 4);
    let mut prev: Option<char> = None;
    for c in folded.chars() {
        if let Some(p) = prev
            && ((p.is_ascii_alphabetic() && c.is_ascii_digit()) || (p.is_ascii_digit() && c.is_ascii_alphabetic()))
        {
            out.push(' ');
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

/// The next non-empty text to the right of a label cell, unless it is a
/// label or a month of its own ("Thôn:" left blank before "Tháng: 06/2024").
fn right_text(grid: &Grid, row: u32, col: u32) -> Option<String> {
    let t = grid.row(row).iter().filter(|c| c.col > col).find_map(|c| match &c.val {
        Val::Text(t) if !t.trim().is_empty() => Some(t.clone()),
        _ => None,
    })?;
    let folded = fold(&t);
    let label = t.trim_end().ends_with(':') || folded.contains(':');
    // "Năm" alone may be a hamlet (Thôn Năm); "Tháng 6", "Ngày 5" never.
    let dated = ["thang ", "thang:", "ngay ", "ky bao cao"].iter().any(|w| folded.starts_with(w))
        || period::find_in_text(&t).is_some();
    (!label && !dated).then_some(t)
}

/// The name in what follows a hamlet's label: up to a separator ("Thôn
/// Hai - Báo cáo tháng 6") or the start of another phrase ("thôn Hai xã
/// Hưng Đạo"); "số" before a number dropped ("Thôn số 2").
fn name_part(rest: &str) -> &str {
    let mut end = rest.len();
    for sep in [" - ", " – ", " — ", ",", ";", "(", "|", " / "] {
        if let Some(i) = rest.find(sep) {
            end = end.min(i);
        }
    }
    for phrase in [" xa ", " huyen ", " tinh ", " bao cao ", " ky bao cao "] {
        if let Some(i) = format!("{rest} ").find(phrase) {
            end = end.min(i);
        }
    }
    let name = rest[..end].trim_end_matches([' ', '-', '.', ':']).trim();
    match name.strip_prefix("so ") {
        Some(n) if n.trim_start().starts_with(|c: char| c.is_ascii_digit()) => n.trim_start(),
        _ => name,
    }
}

/// The words of `text` that `folded` folds from, keeping their diacritics.
fn original_words(text: &str, folded: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let want: Vec<&str> = folded.split_whitespace().collect();
    let n = want.len();
    let found = (0..=words.len().saturating_sub(n)).rev().find(|&i| {
        words.len() >= i + n && words[i..i + n].iter().map(|w| fold(w)).eq(want.iter().map(|w| w.to_string()))
    });
    found.map_or_else(|| folded.to_string(), |i| words[i..i + n].join(" "))
}

/// The hamlet a cell names by itself ("Lạc Sơn", "Thôn Năm"), as the
/// header of a column of a sheet of hamlets side by side.
pub fn hamlet_named(text: &str, schema: &Schema) -> Option<HamletId> {
    // A name is short; the answer for a text is kept: every cell of a
    // report's first rows is asked, and reports repeat their texts.
    if text.len() > 120 {
        return None;
    }
    thread_local! {
        static SEEN: RefCell<Memo<Box<str>, Option<HamletId>, 20_000>> = Default::default();
    }
    if let Some(h) = SEEN.with(|memo| memo.borrow().get(schema.id, text)) {
        return h;
    }
    let h = hamlet_named_now(text, schema);
    SEEN.with(|memo| memo.borrow_mut().keep(schema.id, text.into(), h));
    h
}

fn hamlet_named_now(text: &str, schema: &Schema) -> Option<HamletId> {
    let k = keys(text);
    let w = words(&k.folded);
    let key = w[kind_words(&w).min(w.len())..].join(" ");
    schema.hamlets.position(|h| !key.is_empty() && h.keys.contains(&key))
}

/// The one hamlet a text names where a name stands: the whole text (after
/// the word for a hamlet), a name right after that word ("Báo cáo thôn Lạc
/// Sơn"), or, in a file or folder name (`bare`), a name that is no ordinary
/// word. None when no hamlet, or two, are named.
fn hamlet_in_text(w: &[&str], schema: &Schema, bare: bool) -> Option<HamletId> {
    if w.is_empty() {
        return None;
    }
    let skip = kind_words(w);
    let whole = w[skip.min(w.len() - 1)..].join(" ");
    if let Some(h) = schema.hamlets.position(|h| h.keys.contains(&whole)) {
        return Some(h);
    }
    // Where a word for a hamlet stands, and how many words it has: worked
    // out once for all the hamlets.
    let kinds: Vec<(usize, usize)> = (0..w.len()).map(|i| (i, kind_words(&w[i..]))).filter(|(_, k)| *k > 0).collect();
    // Each hamlet named, with where its name starts and how many words it has.
    let mut found: Vec<(HamletId, usize, usize)> = Vec::new();
    for (h, hamlet) in schema.hamlets.enumerate() {
        for key in &hamlet.keys {
            let n = key.split(' ').count();
            for &(i, k) in &kinds {
                if starts_with_words(&w[i + k..], key) {
                    found.push((h, i + k, n));
                }
            }
        }
        if bare {
            // "Xã Lạc Sơn" is the commune, not the hamlet Lạc Sơn.
            let communal = |i: usize| i > 0 && matches!(w[i - 1], "xa" | "phuong" | "huyen");
            for key in &hamlet.bare {
                let n = key.split(' ').count();
                found.extend(
                    (0..w.len()).filter(|&i| !communal(i) && starts_with_words(&w[i..], key)).map(|i| (h, i, n)),
                );
            }
        }
    }
    // The longest name wins where names overlap: "An Phú Đông" over "An Phú".
    let within = |a: &(HamletId, usize, usize), b: &(HamletId, usize, usize)| {
        a.0 != b.0 && b.2 > a.2 && b.1 <= a.1 && a.1 + a.2 <= b.1 + b.2
    };
    let mut named: Vec<HamletId> = found.iter().filter(|a| !found.iter().any(|b| within(a, b))).map(|a| a.0).collect();
    named.sort();
    named.dedup();
    match named.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

/// Do the words begin with the words of `key`?
fn starts_with_words(w: &[&str], key: &str) -> bool {
    let mut it = w.iter();
    key.split(' ').all(|k| it.next() == Some(&k))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMA: &str = "[[unit]]\ncode = \"ha\"\ndimension = \"area\"\n\n[[table]]\nid = \"t\"\ntitle = \"Trồng trọt\"\n\n[[table.column]]\ncode = \"dien_tich\"\nlabel = \"Diện tích\"\nunit = \"ha\"\n\n[[table.row]]\ncode = \"lua\"\nlabel = \"Lúa Đông Xuân\"\n\n[[hamlet]]\nname = \"Thôn Năm\"\n\n[[hamlet]]\nname = \"Thôn Tư\"\n\n[[hamlet]]\nname = \"Lạc Sơn\"\n\n[[hamlet]]\nname = \"Đông Xuân\"\n";

    #[test]
    fn names_in_file_names_the_longest_wins_and_the_commune_is_no_hamlet() {
        let schema = Schema::from_text(
            "s.toml",
            &SCHEMA.replace(
                "name = \"Đông Xuân\"",
                "name = \"An Phú\"\n\n[[hamlet]]\nname = \"An Phú Đông\"\n\n[[hamlet]]\nname = \"Tổ dân phố 11\"",
            ),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let named = |t: &str| {
            hamlet_in_text(&words(&apart(&fold(t))), &schema, true).map(|h| schema.hamlet_name(h).to_string())
        };
        assert_eq!(named("Bao cao An Phu Dong T6").as_deref(), Some("An Phú Đông"));
        assert_eq!(named("Bao cao An Phu T6").as_deref(), Some("An Phú"));
        assert_eq!(named("BC TDP11 thang 6").as_deref(), Some("Tổ dân phố 11"));
        assert_eq!(named("Xa Lac Son thang 6"), None);
        assert_eq!(named("Thon Lac Son thang 6").as_deref(), Some("Lạc Sơn"));
    }

    #[test]
    fn reports_of_more_than_a_month_are_told() {
        let span = |t: &str| span_of(&fold(t));
        for t in [
            "BÁO CÁO QUÝ II/2024",
            "Báo cáo 6 tháng đầu năm 2024",
            "Tháng 5, 6/2024",
            "tháng 5-6 năm 2024",
            "BÁO CÁO NĂM 2024",
        ] {
            assert_eq!(span(t), Some(Span::Several), "{t}");
        }
        for t in ["Lũy kế đến 30/6/2024", "TÍNH ĐẾN HẾT THÁNG 6", "Số liệu từ đầu năm"] {
            assert_eq!(span(t), Some(Span::ToDate), "{t}");
        }
        for t in [
            "BÁO CÁO KẾT QUẢ SẢN XUẤT VÀ ĐỜI SỐNG THÁNG 6 NĂM 2024",
            "Tháng: 06/2024",
            "Tháng 6-2024",
            "T12-2024",
            "Thôn Sáu",
        ] {
            assert_eq!(span(t), None, "{t}");
        }
    }

    fn named(text: &str, bare: bool) -> Option<usize> {
        let schema = Schema::from_text("s.toml", SCHEMA).unwrap_or_else(|e| panic!("{e}"));
        hamlet_in_text(&words(&fold(text)), &schema, bare).map(HamletId::index)
    }

    #[test]
    fn a_name_counts_only_where_it_stands_as_a_name() {
        assert_eq!(named("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", false), None);
        assert_eq!(named("BÁO CÁO THÁNG 6 NĂM 2025", false), None);
        assert_eq!(named("Độc lập - Tự do - Hạnh phúc", false), None);
        assert_eq!(named("Năm", false), Some(0));
        assert_eq!(named("Thôn Tư", false), Some(1));
        assert_eq!(named("Báo cáo của thôn Năm tháng 6", false), Some(0));
        assert_eq!(named("Báo cáo thôn Lạc Sơn", false), Some(2));
        assert_eq!(named("Báo cáo Lạc Sơn", false), None, "in a title, only after the word for a hamlet");
        assert_eq!(named("Lac Son T6-2024", true), Some(2), "a file name");
        assert_eq!(named("Bao cao thang 5 nam 2024", true), None);
        assert_eq!(named("Thon Nam T6", true), Some(0));
        assert_eq!(named("Lua Dong Xuan", true), None, "an ordinary phrase of the form");
        assert_eq!(named("Dong Xuan", true), Some(3), "alone, it is the name");
    }

    #[test]
    fn boilerplate_is_told() {
        let b = |t: &str| is_boilerplate(&words(&fold(t)));
        assert!(b("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
        assert!(b("Độc lập - Tự do - Hạnh phúc"));
        assert!(b("Lạc Sơn, ngày 05 tháng 7 năm 2024"));
        assert!(b("………, ngày …… tháng …… năm ……"));
        assert!(!b("BÁO CÁO THÁNG 6 NĂM 2024"));
    }
}
