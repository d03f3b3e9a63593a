//! Formulas whose stored value cannot be trusted. A program that writes a
//! workbook without computing it stores no value for a formula (read as an
//! empty cell) or stores 0 (xlwt, rust_xlsxwriter): a 0 over cells that hold
//! figures was never computed, and is no figure. A workbook edited with
//! calculation off (or by a program that does not recompute) keeps the
//! value of the cells as they were: a simple formula that now gives
//! another value than the one stored is stale, and is no figure either.

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

/// A cell a form tonghop made computes, worked out over the figures now,
/// as the program that saved the form would have: `IF(COUNT(cells)=0,"",
/// SUM(cells))` (a total row from its parts) or `IF(COUNT(cells)<n,"",
/// IFERROR(expr,""))` (its yield). None when the formula is not of that
/// shape; Some(None) when it gives nothing (its inputs are blank).
pub(super) fn own(formula: &str, number: &dyn Fn(u32, u32) -> Option<f64>) -> Option<Option<f64>> {
    // As LibreOffice writes it in .ods too ("of:=IF(COUNT([.C7];[.C8])…"),
    // and as calamine renders a .xls's newer functions ("User(_xlfn.IFERROR,…").
    let text = formula.trim().trim_start_matches("of:").trim_start_matches('=');
    let text = text.replace(' ', "").replace("[.", "").replace(']', "").replace(';', ",");
    let text = text.replace("User(_xlfn.IFERROR,", "IFERROR(").replace("_xlfn.", "");
    let rest = text.strip_prefix("IF(COUNT(")?;
    let close = rest.find(')')?;
    let list = &rest[..close];
    let cells: Vec<(u32, u32)> = list
        .split(',')
        .map(|c| cell_at(c.as_bytes(), 0).filter(|(_, end)| *end == c.len()).map(|(p, _)| p))
        .collect::<Option<_>>()?;
    let given: Vec<f64> = cells.iter().filter_map(|&(r, c)| number(r, c)).collect();
    let rest = &rest[close + 1..];
    let (blank, rest) = if let Some(r) = rest.strip_prefix("=0,\"\",") {
        (given.is_empty(), r)
    } else {
        let r = rest.strip_prefix('<')?;
        let comma = r.find(',')?;
        let n: usize = r[..comma].parse().ok()?;
        (given.len() < n, r[comma + 1..].strip_prefix("\"\",")?)
    };
    let body = rest.strip_suffix(')')?;
    if blank {
        return Some(None);
    }
    if body == format!("SUM({list})") {
        return Some(Some(given.iter().sum()));
    }
    let expr = body.strip_prefix("IFERROR(")?.strip_suffix(",\"\")")?;
    Some(recompute(expr, number))
}

/// A cell's figure on a form tonghop made: its computed cells worked out
/// again, also where they refer to one another (a yield over a total row's
/// output, which a .xls may store as 0 when it is blank); the rest as stored.
pub(super) fn own_number(
    (r, c): (u32, u32),
    formula_at: &dyn Fn(u32, u32) -> Option<String>,
    stored: &dyn Fn(u32, u32) -> Option<f64>,
    depth: u8,
) -> Option<f64> {
    if depth < 4
        && let Some(f) = formula_at(r, c)
        && let Some(v) = own(&f, &|r, c| own_number((r, c), formula_at, stored, depth + 1))
    {
        return v;
    }
    stored(r, c)
}

/// What a simple formula gives over the sheet's figures now: sums,
/// differences, products, quotients and SUM() of cells on this sheet and
/// numbers. None for anything else (other functions, other sheets, text):
/// such a formula's stored value is taken as it is.
pub(super) fn recompute(formula: &str, number: &dyn Fn(u32, u32) -> Option<f64>) -> Option<f64> {
    let text = formula.trim().trim_start_matches('=');
    if text.len() > 500 {
        return None;
    }
    let mut p = Parser { b: text.as_bytes(), i: 0, number, cells: 0 };
    let v = p.expr(0)?;
    p.skip();
    (p.i == p.b.len() && v.is_finite()).then_some(v)
}

struct Parser<'a> {
    b: &'a [u8],
    i: usize,
    number: &'a dyn Fn(u32, u32) -> Option<f64>,
    /// Cells read so far: a SUM over a whole column is not worth it.
    cells: usize,
}

impl Parser<'_> {
    fn skip(&mut self) {
        while self.b.get(self.i) == Some(&b' ') {
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        self.skip();
        let hit = self.b.get(self.i) == Some(&c);
        if hit {
            self.i += 1;
        }
        hit
    }

    /// Terms joined by + and -, or by * and / at level 1; a depth bound
    /// keeps a crafted formula from recursing without end.
    fn expr(&mut self, depth: usize) -> Option<f64> {
        if depth > 40 {
            return None;
        }
        let mut v = self.term(depth)?;
        loop {
            if self.eat(b'+') {
                v += self.term(depth)?;
            } else if self.eat(b'-') {
                v -= self.term(depth)?;
            } else {
                return Some(v);
            }
        }
    }

    fn term(&mut self, depth: usize) -> Option<f64> {
        let mut v = self.atom(depth)?;
        loop {
            if self.eat(b'*') {
                v *= self.atom(depth)?;
            } else if self.eat(b'/') {
                v /= self.atom(depth)?;
            } else {
                return Some(v);
            }
        }
    }

    fn atom(&mut self, depth: usize) -> Option<f64> {
        self.skip();
        if self.eat(b'-') {
            return Some(-self.atom(depth)?);
        }
        if self.eat(b'(') {
            let v = self.expr(depth + 1)?;
            return self.eat(b')').then_some(v);
        }
        let rest = &self.b[self.i..];
        if rest.len() >= 4 && rest[..4].eq_ignore_ascii_case(b"SUM(") {
            self.i += 4;
            let mut sum = 0.0;
            loop {
                sum += self.range_or_expr(depth + 1)?;
                if self.eat(b')') {
                    return Some(sum);
                }
                if !self.eat(b',') && !self.eat(b';') {
                    return None;
                }
            }
        }
        if let Some((cell, end)) = cell_at(self.b, self.i) {
            self.i = end;
            return self.cell(cell);
        }
        let start = self.i;
        while self.i < self.b.len() && (self.b[self.i].is_ascii_digit() || self.b[self.i] == b'.') {
            self.i += 1;
        }
        std::str::from_utf8(&self.b[start..self.i]).ok()?.parse().ok()
    }

    /// A range's sum ("C7:C9"), or an expression.
    fn range_or_expr(&mut self, depth: usize) -> Option<f64> {
        self.skip();
        if let Some((a, end)) = cell_at(self.b, self.i)
            && self.b.get(end) == Some(&b':')
            && let Some((z, end2)) = cell_at(self.b, end + 1)
        {
            self.i = end2;
            let mut sum = 0.0;
            for r in a.0.min(z.0)..=a.0.max(z.0) {
                for c in a.1.min(z.1)..=a.1.max(z.1) {
                    sum += self.cell((r, c))?;
                }
            }
            return Some(sum);
        }
        self.expr(depth)
    }

    /// A cell's figure: an empty cell is 0, as Excel counts it.
    fn cell(&mut self, (r, c): (u32, u32)) -> Option<f64> {
        self.cells += 1;
        if self.cells > 1_000 {
            return None;
        }
        Some((self.number)(r, c).unwrap_or(0.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forms_own_formulas_are_worked_out_as_written_by_each_program() {
        // C7 = 10.5, C8 blank, E7 = 64.1: a total row and its yield.
        let number = |r: u32, c: u32| match (r, c) {
            (6, 2) => Some(10.5),
            (6, 4) => Some(64.1),
            _ => None,
        };
        let sum = own("=IF(COUNT(C7,C8)=0,\"\",SUM(C7,C8))", &number);
        assert_eq!(sum, Some(Some(10.5)));
        let ods = own("of:=IF(COUNT([.C7];[.C8])=0;\"\";SUM([.C7];[.C8]))", &number);
        assert_eq!(ods, Some(Some(10.5)));
        let blank = own("IF(COUNT(E8,E9)=0,\"\",SUM(E8,E9))", &number);
        assert_eq!(blank, Some(None));
        let xls = own("IF(COUNT(C7,E7)<2,\"\",User(_xlfn.IFERROR,( (E7*1000)/ C7)/100,\"\"))", &number);
        assert!(matches!(xls, Some(Some(v)) if (v - 61.047_619).abs() < 1e-3), "{xls:?}");
        assert_eq!(own("=SUM(C7,C8)", &number), None, "not the form's shape");
    }

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

    #[test]
    fn simple_formulas_are_recomputed_and_others_are_not() {
        let grid = |r: u32, c: u32| match (r, c) {
            (6, 2) => Some(12.0),
            (7, 2) => Some(3.0),
            _ => None,
        };
        assert_eq!(recompute("=C7+C8", &grid), Some(15.0));
        assert_eq!(recompute("=SUM(C7:C9)*2", &grid), Some(30.0));
        assert_eq!(recompute("=(C7-C8)/3 + 1.5", &grid), Some(4.5));
        assert_eq!(recompute("=SUM(C7,C8;4)", &grid), Some(19.0));
        assert_eq!(recompute("=ROUND(C7,0)", &grid), None);
        assert_eq!(recompute("=Sheet2!C7", &grid), None);
        assert_eq!(recompute(&format!("={}1{}", "(".repeat(100), ")".repeat(100)), &grid), None);
    }
}
