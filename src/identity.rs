//! The hidden identity of a form tonghop wrote: a hidden sheet naming the
//! hamlet, the month and the form (a fingerprint of the schema's tables),
//! so that a form sent back is read as what it was made for, with
//! certainty. The visible lines still win when they differ (a hamlet copied
//! last month's file and changed the month by hand), with a warning.

use crate::model::{HamletId, IndicatorId};
use crate::period::Period;
use crate::schema::Schema;

/// The name of the hidden sheet.
pub const SHEET: &str = "tonghop";
/// The first cell of the sheet, so that a sheet of that name made by
/// someone else is not taken for an identity.
const MARK: &str = "tonghop: mã biểu mẫu";

/// What the hidden sheet says.
#[derive(Debug, Clone, PartialEq)]
pub struct Identity {
    pub hamlet: Option<HamletId>,
    pub period: Option<Period>,
    /// The form it was made from is the schema's form now.
    pub same_form: bool,
    /// The figures it was sent with, carried from an earlier month.
    pub prefilled: Vec<(IndicatorId, f64)>,
}

/// The rows of the hidden sheet: a label and a value each.
pub fn rows(
    schema: &Schema,
    hamlet: HamletId,
    period: Period,
    prefilled: &[(IndicatorId, f64)],
) -> Vec<(&'static str, String)> {
    let carried: Vec<String> = prefilled.iter().map(|(i, v)| format!("{}={v}", schema.indicators[*i].code)).collect();
    vec![
        (MARK, "Không sửa trang này: chương trình dùng nó để biết biểu mẫu của thôn nào, tháng nào.".into()),
        ("thon", schema.hamlet_name(hamlet).to_string()),
        ("thang", period.to_string()),
        ("bieu_mau", fingerprint(schema)),
        ("so_dien_san", carried.join(";")),
    ]
}

/// Reads the sheet's (label, value) rows; None when it is no identity.
pub fn parse(rows: &[(String, String)], schema: &Schema) -> Option<Identity> {
    if rows.first().map(|r| r.0.trim()) != Some(MARK) {
        return None;
    }
    let value = |k: &str| rows.iter().find(|r| r.0.trim() == k).map(|r| r.1.trim());
    Some(Identity {
        hamlet: value("thon").and_then(|h| schema.find_hamlet(h)),
        period: value("thang").and_then(|p| p.parse().ok()),
        same_form: value("bieu_mau") == Some(fingerprint(schema).as_str()),
        prefilled: value("so_dien_san")
            .unwrap_or("")
            .split(';')
            .filter_map(|kv| {
                let (k, v) = kv.split_once('=')?;
                Some((schema.indicator(k.trim())?, v.trim().parse().ok()?))
            })
            .collect(),
    })
}

/// The form's shape: its tables, rows and columns by code, in order. A
/// schema whose form changed gives another; its hamlets and rules do not
/// count. FNV-1a, written out: the same value from every build and version.
pub fn fingerprint(schema: &Schema) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |s: &str| {
        for b in s.bytes().chain(std::iter::once(0)) {
            h = (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    for t in schema.tables.iter() {
        eat(&t.id);
        for c in &t.columns {
            eat(c.code.as_deref().unwrap_or("-"));
        }
        for r in &t.rows {
            eat(&r.code);
        }
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_identity_reads_back_and_a_stranger_sheet_is_none() {
        let schema = Schema::builtin().unwrap();
        let h = schema.find_hamlet("Lạc Sơn").unwrap();
        let p = Period::new(2024, 6).unwrap();
        let prefilled = vec![(schema.indicator("trau").unwrap(), 115.0)];
        let rows: Vec<(String, String)> =
            rows(&schema, h, p, &prefilled).into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        let id = parse(&rows, &schema).unwrap();
        assert_eq!(id, Identity { hamlet: Some(h), period: Some(p), same_form: true, prefilled });
        let stranger = vec![("thon".to_string(), "Lạc Sơn".to_string())];
        assert_eq!(parse(&stranger, &schema), None);
    }
}
