//! A small evaluator of the Excel formulas the summary workbook writes
//! (arithmetic, comparisons, cell references and ranges, SUM, COUNT, SUMIFS
//! with "<>", IF, IFERROR), so that `make test` checks every live total by
//! computing it from the hamlet cells, independently of the values tonghop
//! stored beside them. A cell that holds a formula is evaluated in turn.

use std::collections::HashMap;

use calamine::{Data, Range};

/// A value as Excel computes it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Number(f64),
    Text(String),
    Bool(bool),
    Empty,
    /// #VALUE!, #DIV/0!, …
    Error(&'static str),
}

/// The cells of one sheet: stored values and formulas.
pub struct Sheet {
    values: Range<Data>,
    formulas: Range<String>,
    memo: HashMap<(u32, u32), Value>,
    depth: usize,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f64),
    Str(String),
    Ref(u32, u32),
    Name(String),
    Op(char),
    Le,
    Ge,
    Ne,
    Open,
    Close,
    Comma,
    Colon,
}

fn col_of(letters: &str) -> u32 {
    letters.bytes().fold(0, |c, b| c * 26 + (b - b'A' + 1) as u32) - 1
}

fn lex(f: &str) -> Vec<Tok> {
    let b: Vec<char> = f.trim_start_matches('=').chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            ' ' => i += 1,
            '"' => {
                let mut s = String::new();
                i += 1;
                while i < b.len() {
                    if b[i] == '"' {
                        if b.get(i + 1) == Some(&'"') {
                            s.push('"');
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    s.push(b[i]);
                    i += 1;
                }
                i += 1;
                out.push(Tok::Str(s));
            }
            '0'..='9' | '.' => {
                let start = i;
                while i < b.len() && (b[i].is_ascii_digit() || b[i] == '.' || b[i] == 'e' || b[i] == 'E') {
                    i += 1;
                }
                let text: String = b[start..i].iter().collect();
                out.push(Tok::Num(text.parse().unwrap_or_else(|_| panic!("number {text} in {f}"))));
            }
            'A'..='Z' | 'a'..='z' | '$' | '_' => {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == '$' || b[i] == '_' || b[i] == '.') {
                    i += 1;
                }
                let word: String = b[start..i].iter().filter(|c| **c != '$').collect();
                let letters: String = word.chars().take_while(|c| c.is_ascii_uppercase()).collect();
                let digits = &word[letters.len()..];
                if !letters.is_empty() && !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
                    out.push(Tok::Ref(digits.parse::<u32>().unwrap() - 1, col_of(&letters)));
                } else {
                    out.push(Tok::Name(word.to_uppercase()));
                }
            }
            '<' if b.get(i + 1) == Some(&'=') => {
                out.push(Tok::Le);
                i += 2;
            }
            '>' if b.get(i + 1) == Some(&'=') => {
                out.push(Tok::Ge);
                i += 2;
            }
            '<' if b.get(i + 1) == Some(&'>') => {
                out.push(Tok::Ne);
                i += 2;
            }
            '(' => {
                out.push(Tok::Open);
                i += 1;
            }
            ')' => {
                out.push(Tok::Close);
                i += 1;
            }
            ',' => {
                out.push(Tok::Comma);
                i += 1;
            }
            ':' => {
                out.push(Tok::Colon);
                i += 1;
            }
            '+' | '-' | '*' | '/' | '=' | '<' | '>' => {
                out.push(Tok::Op(c));
                i += 1;
            }
            other => panic!("unexpected {other:?} in formula {f}"),
        }
    }
    out
}

/// A parsed expression.
#[derive(Debug, Clone)]
enum Expr {
    Num(f64),
    Str(String),
    Cell(u32, u32),
    Range((u32, u32), (u32, u32)),
    Neg(Box<Expr>),
    Bin(Box<Expr>, Tok, Box<Expr>),
    Call(String, Vec<Expr>),
}

struct Parser<'a> {
    toks: &'a [Tok],
    at: usize,
    text: &'a str,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at)
    }

    fn next(&mut self) -> Tok {
        let t = self.toks.get(self.at).cloned().unwrap_or_else(|| panic!("formula ends early: {}", self.text));
        self.at += 1;
        t
    }

    fn expect(&mut self, t: Tok) {
        let got = self.next();
        assert_eq!(got, t, "in formula {}", self.text);
    }

    fn comparison(&mut self) -> Expr {
        let l = self.additive();
        match self.peek() {
            Some(Tok::Op('=' | '<' | '>') | Tok::Le | Tok::Ge | Tok::Ne) => {
                let op = self.next();
                let r = self.additive();
                Expr::Bin(Box::new(l), op, Box::new(r))
            }
            _ => l,
        }
    }

    fn additive(&mut self) -> Expr {
        let mut l = self.term();
        while let Some(Tok::Op('+' | '-')) = self.peek() {
            let op = self.next();
            let r = self.term();
            l = Expr::Bin(Box::new(l), op, Box::new(r));
        }
        l
    }

    fn term(&mut self) -> Expr {
        let mut l = self.unary();
        while let Some(Tok::Op('*' | '/')) = self.peek() {
            let op = self.next();
            let r = self.unary();
            l = Expr::Bin(Box::new(l), op, Box::new(r));
        }
        l
    }

    fn unary(&mut self) -> Expr {
        if let Some(Tok::Op('-')) = self.peek() {
            self.next();
            return Expr::Neg(Box::new(self.unary()));
        }
        if let Some(Tok::Op('+')) = self.peek() {
            self.next();
        }
        self.primary()
    }

    fn primary(&mut self) -> Expr {
        match self.next() {
            Tok::Num(n) => Expr::Num(n),
            Tok::Str(s) => Expr::Str(s),
            Tok::Ref(r, c) => {
                if self.peek() == Some(&Tok::Colon) {
                    self.next();
                    match self.next() {
                        Tok::Ref(r2, c2) => Expr::Range((r, c), (r2, c2)),
                        t => panic!("range ends with {t:?} in {}", self.text),
                    }
                } else {
                    Expr::Cell(r, c)
                }
            }
            Tok::Name(name) => {
                self.expect(Tok::Open);
                let mut args = Vec::new();
                if self.peek() != Some(&Tok::Close) {
                    loop {
                        args.push(self.comparison());
                        if self.peek() == Some(&Tok::Comma) {
                            self.next();
                        } else {
                            break;
                        }
                    }
                }
                self.expect(Tok::Close);
                Expr::Call(name, args)
            }
            Tok::Open => {
                let e = self.comparison();
                self.expect(Tok::Close);
                e
            }
            t => panic!("unexpected {t:?} in formula {}", self.text),
        }
    }
}

fn parse(text: &str) -> Expr {
    let toks = lex(text);
    let mut p = Parser { toks: &toks, at: 0, text };
    let e = p.comparison();
    assert_eq!(p.at, toks.len(), "trailing tokens in formula {text}");
    e
}

fn number(v: &Value) -> Result<f64, &'static str> {
    match v {
        Value::Number(n) => Ok(*n),
        Value::Empty => Ok(0.0),
        Value::Bool(b) => Ok(f64::from(u8::from(*b))),
        Value::Text(_) => Err("#VALUE!"),
        Value::Error(e) => Err(e),
    }
}

impl Sheet {
    pub fn new(values: Range<Data>, formulas: Range<String>) -> Sheet {
        Sheet { values, formulas, memo: HashMap::new(), depth: 0 }
    }

    /// The formula of a cell, if it has one.
    pub fn formula(&self, row: u32, col: u32) -> Option<&str> {
        self.formulas.get_value((row, col)).map(String::as_str).filter(|f| !f.is_empty())
    }

    /// What the workbook stored in a cell.
    pub fn stored(&self, row: u32, col: u32) -> Value {
        match self.values.get_value((row, col)) {
            Some(Data::Float(f)) => Value::Number(*f),
            Some(Data::Int(i)) => Value::Number(*i as f64),
            Some(Data::String(s)) if s.is_empty() => Value::Empty,
            Some(Data::String(s)) => Value::Text(s.clone()),
            Some(Data::Bool(b)) => Value::Bool(*b),
            Some(Data::Empty) | None => Value::Empty,
            Some(other) => panic!("unexpected cell {other:?}"),
        }
    }

    /// A cell's value: its formula evaluated, or what it holds.
    pub fn value(&mut self, row: u32, col: u32) -> Value {
        if let Some(v) = self.memo.get(&(row, col)) {
            return v.clone();
        }
        let v = match self.formula(row, col).map(str::to_string) {
            Some(f) => {
                self.depth += 1;
                assert!(self.depth < 50, "circular formula at ({row}, {col})");
                let v = self.eval_formula(&f);
                self.depth -= 1;
                v
            }
            None => self.stored(row, col),
        };
        self.memo.insert((row, col), v.clone());
        v
    }

    pub fn eval_formula(&mut self, text: &str) -> Value {
        let e = parse(text);
        self.eval(&e)
    }

    fn cells(&mut self, a: (u32, u32), b: (u32, u32)) -> Vec<Value> {
        let mut out = Vec::new();
        for r in a.0.min(b.0)..=a.0.max(b.0) {
            for c in a.1.min(b.1)..=a.1.max(b.1) {
                out.push(self.value(r, c));
            }
        }
        out
    }

    fn range_of(&mut self, e: &Expr) -> Vec<Value> {
        match e {
            Expr::Range(a, b) => self.cells(*a, *b),
            other => vec![self.eval(other)],
        }
    }

    fn eval(&mut self, e: &Expr) -> Value {
        match e {
            Expr::Num(n) => Value::Number(*n),
            Expr::Str(s) => Value::Text(s.clone()),
            Expr::Cell(r, c) => self.value(*r, *c),
            Expr::Range(..) => Value::Error("#VALUE!"),
            Expr::Neg(x) => match number(&self.eval(x)) {
                Ok(n) => Value::Number(-n),
                Err(e) => Value::Error(e),
            },
            Expr::Bin(l, op, r) => {
                let (l, r) = (self.eval(l), self.eval(r));
                binary(&l, op, &r)
            }
            Expr::Call(name, args) => self.call(name, args),
        }
    }

    fn call(&mut self, name: &str, args: &[Expr]) -> Value {
        match name {
            "IF" => {
                let cond = self.eval(&args[0]);
                let truth = match cond {
                    Value::Bool(b) => b,
                    Value::Error(e) => return Value::Error(e),
                    other => number(&other).map(|n| n != 0.0).unwrap_or(false),
                };
                if truth { self.eval(&args[1]) } else { args.get(2).map_or(Value::Bool(false), |a| self.eval(a)) }
            }
            "IFERROR" => match self.eval(&args[0]) {
                Value::Error(_) => self.eval(&args[1]),
                v => v,
            },
            "SUM" => {
                let vals: Vec<Value> = args.iter().flat_map(|a| self.range_of(a)).collect();
                if let Some(Value::Error(e)) = vals.iter().find(|v| matches!(v, Value::Error(_))) {
                    return Value::Error(e);
                }
                Value::Number(vals.iter().filter_map(|v| if let Value::Number(n) = v { Some(*n) } else { None }).sum())
            }
            "COUNT" => {
                let vals: Vec<Value> = args.iter().flat_map(|a| self.range_of(a)).collect();
                Value::Number(vals.iter().filter(|v| matches!(v, Value::Number(_))).count() as f64)
            }
            "SUMIFS" => {
                let sum = self.range_of(&args[0]);
                let mut keep = vec![true; sum.len()];
                for pair in args[1..].chunks(2) {
                    let range = self.range_of(&pair[0]);
                    let Value::Text(crit) = self.eval(&pair[1]) else { panic!("SUMIFS criterion not text") };
                    assert_eq!(crit, "<>", "only the non-blank criterion is written");
                    assert_eq!(range.len(), sum.len(), "SUMIFS ranges of different sizes");
                    for (k, v) in range.iter().enumerate() {
                        keep[k] &= !matches!(v, Value::Empty);
                    }
                }
                let total = sum
                    .iter()
                    .zip(&keep)
                    .filter(|(_, k)| **k)
                    .filter_map(|(v, _)| if let Value::Number(n) = v { Some(*n) } else { None })
                    .sum();
                Value::Number(total)
            }
            other => panic!("function {other} is not one the summary writes"),
        }
    }
}

fn binary(l: &Value, op: &Tok, r: &Value) -> Value {
    if let Tok::Op('=') | Tok::Ne | Tok::Le | Tok::Ge | Tok::Op('<' | '>') = op {
        let ord = match (l, r) {
            (Value::Text(a), Value::Text(b)) => a.cmp(b),
            _ => match (number(l), number(r)) {
                (Ok(a), Ok(b)) => a.total_cmp(&b),
                (Err(e), _) | (_, Err(e)) => return Value::Error(e),
            },
        };
        use std::cmp::Ordering::*;
        return Value::Bool(match op {
            Tok::Op('=') => ord == Equal,
            Tok::Ne => ord != Equal,
            Tok::Le => ord != Greater,
            Tok::Ge => ord != Less,
            Tok::Op('<') => ord == Less,
            _ => ord == Greater,
        });
    }
    let (a, b) = match (number(l), number(r)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return Value::Error(e),
    };
    match op {
        Tok::Op('+') => Value::Number(a + b),
        Tok::Op('-') => Value::Number(a - b),
        Tok::Op('*') => Value::Number(a * b),
        Tok::Op('/') if b == 0.0 => Value::Error("#DIV/0!"),
        Tok::Op('/') => Value::Number(a / b),
        other => panic!("operator {other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(cells: &[((u32, u32), f64)]) -> Sheet {
        let mut values = Range::new((0, 0), (9, 9));
        for ((r, c), v) in cells {
            values.set_value((*r, *c), Data::Float(*v));
        }
        Sheet::new(values, Range::new((0, 0), (9, 9)))
    }

    #[test]
    fn the_evaluator_computes_what_excel_would() {
        let mut s = sheet(&[((0, 0), 2.0), ((0, 1), 3.0), ((1, 0), 10.0)]);
        assert_eq!(s.eval_formula("=IF(COUNT(A1:C1)=0,\"\",SUM(A1:C1))"), Value::Number(5.0));
        assert_eq!(s.eval_formula("IF(COUNT(D1:E1)=0,\"\",SUM(D1:E1))"), Value::Text(String::new()));
        assert_eq!(s.eval_formula("IFERROR(A1/C1,\"\")"), Value::Text(String::new()));
        // Only columns where the other range is filled: A (10 and 2), not B.
        assert_eq!(s.eval_formula("SUMIFS(A1:B1,A2:B2,\"<>\")"), Value::Number(2.0));
        assert_eq!(s.eval_formula("(A2*1000)/(A1*100)"), Value::Number(0.05 * 1000.0));
        assert_eq!(s.eval_formula("-A1+3*2"), Value::Number(4.0));
    }
}
