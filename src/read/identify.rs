//! Settling a sheet's hamlet and month from its clues, most trusted first.
//! Clues that disagree are said: a hamlet or a month that differs a little
//! is a warning naming both and the choice; a month later than today, or
//! far from the others, can never move a report: it is an error, and when
//! nothing else backs the month the sheet is not taken.

use std::sync::Arc;

use super::header::{Clue, Clues, HamletName};
use super::issues::Issue;
use crate::identity::Identity;
use crate::model::{Finding, HamletId};
use crate::period::Period;
use crate::schema::Schema;

/// Months two clues may differ by and still be one report misdated.
const NEAR: u32 = 2;

struct Place<'a> {
    file: &'a Arc<str>,
    sheet: &'a Arc<str>,
}

impl Place<'_> {
    fn at(&self, clue: &Clue, f: Finding) -> Finding {
        match clue.cell() {
            Some((r, c)) => f.at_cell(self.file, self.sheet, r, c),
            None => f.on_sheet(self.file, self.sheet),
        }
    }
}

/// The hamlet and month of a sheet; what is uncertain is said in
/// `findings`, and the sheet is taken only with both.
pub fn identify(
    clues: &Clues,
    schema: &Schema,
    file: &Arc<str>,
    sheet: &Arc<str>,
    findings: &mut Vec<Finding>,
) -> (Option<HamletId>, Option<Period>) {
    let place = Place { file, sheet };
    let hamlet = hamlet(clues, schema, &place, findings);
    (hamlet, period(clues, file, sheet, findings))
}

/// Puts the form's hidden identity among the clues, most trusted, where
/// the visible lines agree with it or say nothing; where they differ, they
/// win, and that is said. A form made from another form is not trusted.
pub fn add_identity(
    clues: &mut Clues,
    id: &Identity,
    schema: &Schema,
    file: &Arc<str>,
    sheet: &Arc<str>,
    findings: &mut Vec<Finding>,
) {
    let place = Place { file, sheet };
    if !id.same_form {
        findings.push(place.at(&Clue::Identity, Issue::IdentityOtherForm.finding()));
        return;
    }
    // What the sheet shows: a labelled line ("Tháng:") before a title.
    fn shown<T>(clues: &[(T, Clue)]) -> Option<&(T, Clue)> {
        let header = clues.iter().find(|(_, c)| matches!(c, Clue::Header(..)));
        header.or_else(|| clues.iter().find(|(_, c)| matches!(c, Clue::Title(..))))
    }
    if let Some(p) = id.period {
        match shown(&clues.periods) {
            Some((shown, c)) if *shown != p => {
                let (made, shown, clue) = (p.display_vn(), shown.display_vn(), c.describe());
                let issue = Issue::IdentityDiffers { what: "tháng", made: &made, clue: &clue, shown: &shown };
                findings.push(place.at(c, issue.finding()));
            }
            _ => clues.periods.insert(0, (p, Clue::Identity)),
        }
    }
    if let Some(h) = id.hamlet {
        match shown(&clues.hamlets) {
            Some((name, c)) if *name != HamletName::Known(h) => {
                let shown = match name {
                    HamletName::Known(o) => schema.hamlet_name(*o).to_string(),
                    HamletName::Unknown(n) => n.clone(),
                };
                let (made, clue) = (schema.hamlet_name(h), c.describe());
                let issue = Issue::IdentityDiffers { what: "thôn", made, clue: &clue, shown: &shown };
                findings.push(place.at(c, issue.finding()));
            }
            _ => clues.hamlets.insert(0, (HamletName::Known(h), Clue::Identity)),
        }
    }
}

/// The month of a sheet alone (its hamlets are known otherwise).
pub fn period(clues: &Clues, file: &Arc<str>, sheet: &Arc<str>, findings: &mut Vec<Finding>) -> Option<Period> {
    month(clues, Period::current(), &Place { file, sheet }, findings)
}

fn hamlet(clues: &Clues, schema: &Schema, place: &Place<'_>, findings: &mut Vec<Finding>) -> Option<HamletId> {
    let known: Vec<(HamletId, &Clue)> = clues
        .hamlets
        .iter()
        .filter_map(|(h, c)| match h {
            HamletName::Known(i) => Some((*i, c)),
            HamletName::Unknown(_) => None,
        })
        .collect();
    match (clues.hamlets.first(), known.first()) {
        (Some((HamletName::Unknown(name), clue)), None) => {
            let list: Vec<&str> = schema.hamlets.iter().map(|h| h.name.as_str()).collect();
            findings.push(place.at(clue, Issue::HamletNotOfCommune { name, hamlets: &list.join(", ") }.finding()));
            None
        }
        (Some((HamletName::Unknown(name), clue)), Some(&(h, kc))) => {
            let (clue_text, hamlet) = (kc.describe(), schema.hamlet_title(h));
            findings.push(place.at(clue, Issue::HamletUnlisted { name, clue: &clue_text, hamlet: &hamlet }.finding()));
            Some(h)
        }
        (_, Some(&(h, clue))) => {
            if let Some(&(other, oc)) = known.iter().find(|(o, _)| *o != h) {
                let issue = Issue::HamletConflict {
                    clue: &clue.describe(),
                    hamlet: &schema.hamlet_title(h),
                    other_clue: &oc.describe(),
                    other: &schema.hamlet_title(other),
                };
                findings.push(place.at(clue, issue.finding()));
            }
            Some(h)
        }
        (None, None) => {
            findings.push(place.at(&Clue::SheetName, Issue::NoHamlet.finding()));
            None
        }
        (Some(_), None) => None,
    }
}

/// The month: months later than `today` are dropped, each an error where it
/// is written; of the rest the most trusted is taken, unless another clue
/// is far from it and nothing backs it.
fn month(clues: &Clues, today: Option<Period>, place: &Place<'_>, findings: &mut Vec<Finding>) -> Option<Period> {
    let mut usable: Vec<(Period, &Clue)> = Vec::new();
    let mut future: Vec<(Period, &Clue, Period)> = Vec::new();
    for (p, clue) in &clues.periods {
        match today {
            Some(t) if *p > t => future.push((*p, clue, t)),
            _ => usable.push((*p, clue)),
        }
    }
    let settled = settle_month(clues, &usable, place, findings);
    // A month not yet come, said with what stands instead.
    for (p, clue, t) in future {
        let instead = match (settled, usable.first()) {
            (Some(s), Some((_, c))) => format!("dùng tháng {} theo {}", s.display_vn(), c.describe()),
            _ => "không có tháng nào khác để dùng, nên chưa nhận báo cáo này".to_string(),
        };
        let issue = Issue::MonthInFuture {
            clue: &clue.describe(),
            month: &p.display_vn(),
            today: &t.display_vn(),
            instead: &instead,
        };
        findings.push(place.at(clue, issue.finding()));
    }
    settled
}

/// The month of the usable clues: the most trusted, unless another is far
/// from it and nothing backs it.
fn settle_month(
    clues: &Clues,
    usable: &[(Period, &Clue)],
    place: &Place<'_>,
    findings: &mut Vec<Finding>,
) -> Option<Period> {
    let Some(&(p, clue)) = usable.first() else {
        if clues.periods.is_empty() {
            let issue = match &clues.month_only {
                Some((m, c)) => Issue::NoYear { clue: &c.describe(), month: *m },
                None => Issue::NoMonth,
            };
            let at = clues.month_only.as_ref().map_or(&Clue::SheetName, |(_, c)| c);
            findings.push(place.at(at, issue.finding()));
        }
        return None;
    };
    let rest = &usable[1..];
    let Some(&(other, oc)) = rest.iter().find(|(o, _)| *o != p) else { return Some(p) };
    let (month, clue_text) = (p.display_vn(), clue.describe());
    if let Some(&(fp, fc)) = rest.iter().find(|(o, _)| o.months_between(p) > NEAR) {
        let backed = rest.iter().any(|(o, _)| o.months_between(p) <= 1);
        let (far, far_clue) = (fp.display_vn(), fc.describe());
        if backed {
            let issue = Issue::MonthFar { clue: &far_clue, month: &far, used_clue: &clue_text, used: &month };
            findings.push(place.at(fc, issue.finding()));
            return Some(p);
        }
        let issue = Issue::MonthUncertain { clue: &clue_text, month: &month, other_clue: &far_clue, other: &far };
        findings.push(place.at(clue, issue.finding()));
        return None;
    }
    let issue = Issue::MonthConflict {
        clue: &clue_text,
        month: &month,
        other_clue: &oc.describe(),
        other: &other.display_vn(),
    };
    findings.push(place.at(clue, issue.finding()));
    Some(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settle(periods: &[(i32, u32, Clue)]) -> (Option<Period>, Vec<(String, crate::model::Severity)>) {
        let clues = Clues {
            hamlets: Vec::new(),
            periods: periods.iter().map(|(y, m, c)| (Period::new(*y, *m).unwrap(), c.clone())).collect(),
            month_only: None,
            span: None,
        };
        let (file, sheet): (Arc<str>, Arc<str>) = ("f.xlsx".into(), "S".into());
        let mut findings = Vec::new();
        let today = Period::new(2026, 11);
        let p = month(&clues, today, &Place { file: &file, sheet: &sheet }, &mut findings);
        let ids = findings
            .iter()
            .map(|f| match f.rule {
                crate::model::RuleRef::Reading(id) => (id.to_string(), f.severity),
                _ => unreachable!(),
            })
            .collect();
        (p, ids)
    }

    use crate::model::Severity::*;

    #[test]
    fn a_month_later_than_today_is_an_error_and_never_used() {
        let folder = Clue::Folder("2024-06".into());
        let (p, f) = settle(&[(2042, 6, Clue::Header(1, 3)), (2024, 6, folder.clone())]);
        assert_eq!(p, Period::new(2024, 6));
        assert_eq!(f, [("thang_sai".to_string(), Error)]);
        let (p, f) = settle(&[(2042, 6, Clue::Header(1, 3))]);
        assert_eq!(p, None);
        assert_eq!(f, [("thang_sai".to_string(), Error)]);
    }

    #[test]
    fn a_month_near_is_a_warning_and_far_is_an_error() {
        let (p, f) = settle(&[(2024, 6, Clue::Header(1, 3)), (2024, 5, Clue::Folder("2024-05".into()))]);
        assert_eq!((p, f), (Period::new(2024, 6), vec![("thang_khong_khop".to_string(), Warning)]));
        // The header far from the folder, with nothing backing either: not taken.
        let (p, f) = settle(&[(2023, 6, Clue::Header(1, 3)), (2024, 6, Clue::Folder("2024-06".into()))]);
        assert_eq!((p, f), (None, vec![("khong_ro_thang".to_string(), Error)]));
        // The header backed by the file name: taken, the folder said.
        let (p, f) = settle(&[
            (2024, 6, Clue::Header(1, 3)),
            (2024, 6, Clue::FileName),
            (2021, 1, Clue::Folder("2021-01".into())),
        ]);
        assert_eq!((p, f), (Period::new(2024, 6), vec![("thang_khong_khop".to_string(), Error)]));
    }
}
