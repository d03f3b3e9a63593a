//! Formulas whose stored value cannot be trusted. A program that writes a
//! workbook without computing it stores no value for a formula (read as an
//! empty cell) or stores 0 (xlwt, rust_xlsxwriter): a 0 over cells that hold
//! figures was never computed, and is no figure.

/// The cells a formula refers to on its own sheet: "C7", "$C$7", "C7:C9".
/// References to other sheets ("Sheet2!A1") and names are left out.
pub(super) fn references(formula: &str) -> Vec<((u32, u32), (u32, u32))> {
    let b = formula.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += 1;
            }
            i += 1;
            continue;
        }
        let other_sheet = i > 0 && b[i - 1] == b'!';
        let word_before = i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
        if let Some((a, end)) = cell_at(b, i)
            && !word_before
        {
            let (mut last, mut j) = (a, end);
            if b.get(j) == Some(&b':')
                && let Some((z, end2)) = cell_at(b, j + 1)
            {
                (last, j) = (z, end2);
            }
            let function = b.get(j) == Some(&b'(');
            if !other_sheet && !function {
                out.push((a, last));
            }
            i = j;
            continue;
        }
        i += 1;
    }
    out
}

/// An A1 reference at `i` ("$AB$12"): its (row, col) and where it ends.
fn cell_at(b: &[u8], mut i: usize) -> Option<((u32, u32), usize)> {
    if b.get(i) == Some(&b'$') {
        i += 1;
    }
    let start = i;
    while i < b.len() && b[i].is_ascii_uppercase() && i - start < 3 {
        i += 1;
    }
    if i == start {
        return None;
    }
    let col = b[start..i].iter().fold(0u32, |c, x| c * 26 + u32::from(x - b'A' + 1)) - 1;
    if b.get(i) == Some(&b'$') {
        i += 1;
    }
    let digits = i;
    while i < b.len() && b[i].is_ascii_digit() && i - digits < 7 {
        i += 1;
    }
    if i == digits || b.get(i).is_some_and(|x| x.is_ascii_alphanumeric() || *x == b'_') {
        return None;
    }
    let row: u32 = std::str::from_utf8(&b[digits..i]).ok()?.parse().ok()?;
    Some(((row.checked_sub(1)?, col), i))
}

/// A formula stored as 0 over cells of which some holds a figure other
/// than 0: it was never computed. `number` gives a cell's figure.
pub(super) fn never_computed(formula: &str, number: impl Fn(u32, u32) -> Option<f64>) -> bool {
    let mut seen = 0usize;
    for ((r0, c0), (r1, c1)) in references(formula) {
        for r in r0.min(r1)..=r0.max(r1) {
            for c in c0.min(c1)..=c0.max(c1) {
                seen += 1;
                if seen > 10_000 {
                    return false;
                }
                if number(r, c).is_some_and(|v| v != 0.0) {
                    return true;
                }
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_on_the_sheet() {
        assert_eq!(references("=C7+C8"), [((6, 2), (6, 2)), ((7, 2), (7, 2))]);
        assert_eq!(references("SUM($C$7:C9)*2"), [((6, 2), (8, 2))]);
        assert_eq!(references("Sheet2!A1+LOG10(B2)+\"A1\""), [((1, 1), (1, 1))]);
        assert!(references("IF(X1=0,\"\",1)").len() == 1);
    }

    #[test]
    fn a_zero_over_figures_was_never_computed() {
        let grid = |r: u32, c: u32| match (r, c) {
            (6, 2) => Some(12.0),
            (7, 2) => Some(0.0),
            _ => None,
        };
        assert!(never_computed("=C7+C8", grid));
        assert!(!never_computed("=C8+C9", grid));
        assert!(!never_computed("=Sheet2!C7", grid));
    }
}
