//! The summary's live formulas, checked by an independent evaluation: every
//! commune total in Chi tiết thôn is computed from the hamlet cells by
//! `excel` (not read from the value tonghop stored) and must equal the JSON
//! report's total; every hamlet's own derived figure likewise equals the
//! value stored beside its formula.

use std::path::Path;

use crate::excel::{Sheet, Value};
use crate::util::*;

/// Runs `run` on `input`, then evaluates Chi tiết thôn; returns how many
/// formulas were checked.
fn check(input: &Path) -> usize {
    let dir = tempdir();
    let (out, json) = (dir.path().join("th.xlsx"), dir.path().join("r.json"));
    let r = tonghop(&["run", input.to_str().unwrap(), "-o", out.to_str().unwrap(), "--json", json.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let report = Report::read(&json);
    let values = sheet(&out, "Chi tiết thôn");
    let mut s = Sheet::new(values.clone(), formulas(&out, "Chi tiết thôn"));
    let header = find_row(&values, 1, "Chỉ tiêu").expect("header row");
    let total_col = (0..60).find(|&c| text(&values, header, c) == "Toàn xã").expect("Toàn xã column");
    let mut checked = 0;
    for t in &report.totals {
        let code = t.indicator.as_str();
        let row = find_row(&values, 0, code).unwrap_or_else(|| panic!("no row {code}"));
        assert!(s.formula(row, total_col).is_some(), "{code}: the total is a live formula");
        let got = s.value(row, total_col);
        match (t.value, &got) {
            (Some(want), Value::Number(n)) => assert!(close(*n, want), "{code}: formula gives {n}, report {want}"),
            (None, Value::Empty) => {}
            (None, Value::Text(t)) if t.is_empty() => {}
            (want, got) => panic!("{code}: formula gives {got:?}, report {want:?}"),
        }
        checked += 1;
        // A hamlet's own derived figure: its formula against the stored value.
        for c in 3..total_col {
            if s.formula(row, c).is_none() {
                continue;
            }
            let (got, stored) = (s.value(row, c), s.stored(row, c));
            match (&got, &stored) {
                (Value::Number(a), Value::Number(b)) => assert!(close(*a, *b), "{code} col {c}: {a} vs stored {b}"),
                (Value::Text(a), Value::Empty) if a.is_empty() => {}
                _ => assert_eq!(got, stored, "{code} col {c}"),
            }
            checked += 1;
        }
    }
    checked
}

#[test]
fn every_live_total_of_the_samples_computes_to_the_reports_total() {
    // 50 indicators and derived figures, and the hamlets' own rates.
    assert!(check(&samples()) > 50);
}

#[test]
fn live_totals_hold_with_missing_hamlets_last_years_figures_and_unit_slips() {
    for case in ["bien dong", "cung ky", "don vi"] {
        assert!(check(&fixtures().join("cases").join(case)) > 50, "{case}");
    }
    assert!(check(&fixtures().join("messy")) > 50);
}
