//! Which hamlet and which month a sheet is for: from its header block
//! ("Thôn: …", "Tháng: 06/2024"), its title, the sheet name, the file name
//! or the folder name, in that order of trust.

use std::sync::LazyLock;

use regex::Regex;

use std::sync::Arc;

use super::grid::{Grid, Val};
use super::issues::Issue;
use crate::model::{Finding, HamletId, Status};
use crate::period::{self, Period};
use crate::schema::Schema;
use crate::text::{clean_label, fold};

/// Where a hamlet or month was read.
#[derive(Debug, Clone, PartialEq)]
pub enum Clue {
    /// A labelled header cell ("Thôn:", "Tháng:"), at (row, col).
    Header(u32, u32),
    /// Other text on the sheet, such as the title, at (row, col).
    Title(u32, u32),
    SheetName,
    FileName,
    Folder(String),
}

impl Clue {
    pub fn describe(&self) -> String {
        match self {
            Clue::Header(r, c) | Clue::Title(r, c) => format!("ô {}", crate::model::a1(*r, *c)),
            Clue::SheetName => "tên trang tính".into(),
            Clue::FileName => "tên tệp".into(),
            Clue::Folder(f) => format!("tên thư mục \"{f}\""),
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
}

static SIGNING_DATE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"ngay ?[0-9]{1,2} ?thang").expect("pattern"));
static MONTH_WORD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?:^| )thang ?[:0-9]").expect("pattern"));
static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"nam ?:? ?([0-9]{4})").expect("pattern"));

/// What the sheet itself says, above `limit_row` (the first table).
pub fn from_sheet(grid: &Grid, schema: &Schema, limit_row: Option<u32>) -> Clues {
    let mut clues = Clues::default();
    let limit = limit_row.unwrap_or(40).max(1);
    let mut titled_hamlets = Vec::new();
    let mut titled_periods = Vec::new();
    let mut month_only: Option<(u32, u32, u32)> = None;
    let mut year_seen: Option<i32> = None;
    for cell in grid.cells().iter().take_while(|c| c.row < limit) {
        let Val::Text(text) = &cell.val else { continue };
        let k = crate::text::keys(text);
        let folded = k.folded.as_str();
        let at = (cell.row, cell.col);
        // The reporting unit: a hamlet, or for a commune-level sheet "Đơn vị: …"
        // (but not "Đơn vị tính: ha").
        let unit_label =
            after_label(folded, &["ten thon", "thon/xom", "thon, xom", "thon", "don vi bao cao", "don vi"])
                .filter(|rest| !rest.starts_with("tinh") && !rest.starts_with("dvt"));
        if let Some(rest) = unit_label {
            // "Thôn: Lạc Thắng  Tháng: 06/2024" in one cell: the month starts
            // at "tháng" followed by a colon or a figure ("Thắng" folds alike).
            let name = MONTH_WORD.split(rest).next().unwrap_or("").trim().trim_start_matches([':', '-']).trim();
            let (name, at_name) = if name.is_empty() {
                (right_text(grid, cell.row, cell.col), at)
            } else {
                (Some(original_tail(text, name)), at)
            };
            if let Some(n) = name.filter(|n| !fold(n).is_empty()) {
                let h = match schema.find_hamlet(&n) {
                    Some(i) => HamletName::Known(i),
                    None => HamletName::Unknown(crate::text::quote(&clean_label(&n))),
                };
                clues.hamlets.push((h, Clue::Header(at_name.0, at_name.1)));
            }
        } else if let Some(h) = hamlet_within(folded, schema) {
            titled_hamlets.push((HamletName::Known(h), Clue::Title(at.0, at.1)));
        }
        // The month: only texts with a figure or the word "tháng" can give it.
        let labelled = folded.starts_with("thang")
            || folded.starts_with("ky bao cao")
            || folded.contains(" thang ")
            || folded.contains("thang:");
        if !labelled && !folded.bytes().any(|b| b.is_ascii_digit()) {
            continue;
        }
        if SIGNING_DATE.is_match(folded) {
            continue;
        }
        if let Some(caps) = YEAR.captures(folded) {
            year_seen = caps[1].parse().ok();
        }
        match period::find_in_text(text) {
            Some(p) if labelled && folded.starts_with(['t', 'k']) => clues.periods.push((p, Clue::Header(at.0, at.1))),
            Some(p) => titled_periods.push((p, Clue::Title(at.0, at.1))),
            None if labelled => {
                // "Tháng:" with the month in the next cell: a date, a number or text.
                let right = grid.row(cell.row).iter().find(|c| c.col > cell.col && c.val != Val::Empty);
                match right.map(|c| (&c.val, c.col)) {
                    Some((Val::Date(serial), col)) => {
                        if let Some(p) = period::from_excel_serial(*serial, grid.is_1904) {
                            clues.periods.push((p, Clue::Header(cell.row, col)));
                        }
                    }
                    Some((Val::Text(t), col)) => {
                        if let Some(p) = period::find_in_text(t) {
                            clues.periods.push((p, Clue::Header(cell.row, col)));
                        } else if let Some(p) = period::find_in_text(&format!("{folded} {t}")) {
                            clues.periods.push((p, Clue::Header(cell.row, col)));
                        }
                    }
                    Some((Val::Number(n), col)) if n.fract() == 0.0 && (1.0..=12.0).contains(n) => {
                        month_only = Some((*n as u32, cell.row, col));
                    }
                    _ => {
                        if let Some(m) = period::find_month_only(text) {
                            month_only = Some((m, at.0, at.1));
                        }
                    }
                }
            }
            None => {}
        }
    }
    if clues.periods.is_empty()
        && let (Some((m, r, c)), Some(y)) = (month_only, year_seen)
        && let Some(p) = Period::new(y, m)
    {
        clues.periods.push((p, Clue::Header(r, c)));
    }
    clues.hamlets.extend(titled_hamlets);
    clues.periods.extend(titled_periods);
    clues
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
        let folded = crate::text::keys(name).folded.clone();
        if let Some(h) = hamlet_within(&folded, schema).or_else(|| schema.find_hamlet(name)) {
            clues.hamlets.push((HamletName::Known(h), clue.clone()));
        }
        if let Some(p) = period::find_in_text(name) {
            clues.periods.push((p, clue));
        }
    }
}

/// The text after a leading label word: "thon: lac son" → "lac son".
fn after_label<'a>(folded: &'a str, labels: &[&str]) -> Option<&'a str> {
    for l in labels {
        if let Some(rest) = folded.strip_prefix(l)
            && (rest.is_empty() || rest.starts_with([':', ' ', '-', '.']))
        {
            return Some(rest.trim_start_matches([':', ' ', '-', '.']));
        }
    }
    None
}

/// The next non-empty text to the right of a label cell.
fn right_text(grid: &Grid, row: u32, col: u32) -> Option<String> {
    grid.row(row).iter().filter(|c| c.col > col).find_map(|c| match &c.val {
        Val::Text(t) if !t.trim().is_empty() => Some(t.clone()),
        _ => None,
    })
}

/// The part of `text` that `folded_tail` folds from, keeping its diacritics.
fn original_tail(text: &str, folded_tail: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let n = folded_tail.split_whitespace().count();
    let start = words.len().saturating_sub(n);
    let tail = words[start..].join(" ");
    if fold(&tail) == folded_tail { tail } else { folded_tail.to_string() }
}

/// One of the commune's hamlets named inside a longer text, e.g. a title.
fn hamlet_within(folded: &str, schema: &Schema) -> Option<HamletId> {
    // Most texts name no hamlet: only words of a hamlet's name can.
    if !schema.hamlets.iter().any(|h| h.keys.iter().any(|k| k.split(' ').next().is_some_and(|w| folded.contains(w)))) {
        return None;
    }
    let mut padded = String::with_capacity(folded.len() + 2);
    padded.push(' ');
    for w in folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        padded.push_str(w);
        padded.push(' ');
    }
    let mut found = None;
    for (i, h) in schema.hamlets.enumerate() {
        if h.keys.iter().any(|k| padded.contains(&format!(" {k} "))) {
            if found.is_some() {
                return None;
            }
            found = Some(i);
        }
    }
    found
}

/// Settles the hamlet and month from the clues, most trusted first; a
/// conflict between clues is a warning, a hamlet not of the commune or a
/// month not found rejects the sheet.
pub fn identify(
    clues: &Clues,
    schema: &Schema,
    file: &Arc<str>,
    sheet: &Arc<str>,
    findings: &mut Vec<Finding>,
) -> (Option<HamletId>, Option<Period>, Status) {
    let at = |clue: &Clue, f: Finding| match clue {
        Clue::Header(r, c) | Clue::Title(r, c) => f.at_cell(file, sheet, *r, *c),
        _ => f.on_sheet(file, sheet),
    };
    let known: Vec<(HamletId, &Clue)> = clues
        .hamlets
        .iter()
        .filter_map(|(h, c)| match h {
            HamletName::Known(i) => Some((*i, c)),
            HamletName::Unknown(_) => None,
        })
        .collect();
    let mut status = Status::Accepted;
    let hamlet = match (clues.hamlets.first(), known.first()) {
        (Some((HamletName::Unknown(name), clue)), None) => {
            let list: Vec<&str> = schema.hamlets.iter().map(|h| h.name.as_str()).collect();
            findings.push(at(clue, Issue::HamletNotOfCommune { name, hamlets: &list.join(", ") }.finding()));
            status = Status::Rejected;
            None
        }
        (Some((HamletName::Unknown(name), clue)), Some(&(h, kc))) => {
            let (clue_text, hamlet) = (kc.describe(), schema.hamlet_name(h));
            findings.push(at(clue, Issue::HamletUnlisted { name, clue: &clue_text, hamlet }.finding()));
            Some(h)
        }
        (_, Some(&(h, clue))) => {
            if let Some(&(other, oc)) = known.iter().find(|(o, _)| *o != h) {
                let issue = Issue::HamletConflict {
                    clue: &clue.describe(),
                    hamlet: schema.hamlet_name(h),
                    other_clue: &oc.describe(),
                    other: schema.hamlet_name(other),
                };
                findings.push(at(clue, issue.finding()));
            }
            Some(h)
        }
        (None, None) => {
            findings.push(Issue::NoHamlet.finding().on_sheet(file, sheet));
            status = Status::Rejected;
            None
        }
        (Some(_), None) => None,
    };
    let period = match clues.periods.first() {
        Some(&(p, ref clue)) => {
            if let Some((other, oc)) = clues.periods.iter().find(|(o, _)| *o != p) {
                let issue = Issue::MonthConflict {
                    clue: &clue.describe(),
                    month: &p.display_vn(),
                    other_clue: &oc.describe(),
                    other: &other.display_vn(),
                };
                findings.push(at(clue, issue.finding()));
            }
            Some(p)
        }
        None => {
            findings.push(Issue::NoMonth.finding().on_sheet(file, sheet));
            status = Status::Rejected;
            None
        }
    };
    (hamlet, period, status)
}
