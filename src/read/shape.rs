//! Reports of one form repeat its layout exactly: the same labels and
//! headers in the same cells, figures where figures go, month after month.
//! Finding the tables on a sheet (keying every text, finding the headers,
//! tying labels to them, laying out the columns) is the reader's dearest
//! step, and it reads the sheet's shape, never its figures. So what it
//! finds is kept per shape, in this thread, and a sheet of the very same
//! shape uses it again.
//!
//! The shape is all the layout reads: every cell's place and kind; in full,
//! every text that can be a row label or a header, and every text in the
//! rows a header may span; the merges, the hidden columns and the report's
//! month. The texts the layout never reads (the title with the hamlet and
//! the month, the date and place line, a signature) count only as texts,
//! so the reports of one form across hamlets and months share a shape. It
//! is kept whole, never as a hash alone, so that two sheets that differ in
//! anything the layout reads are never taken for one another.

use std::borrow::Cow;
use std::cell::RefCell;

use super::grid::{Grid, Val};
use super::header::hamlet_named;
use super::matcher::Matcher;
use super::memo::Memo;
use crate::period::Period;
use crate::schema::Schema;
use crate::text::keys;

/// What a text can be to the layout.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    /// Nothing: no label, header or unit word of the form.
    None,
    /// A row label, a unit or label column's header: read as it is.
    Read,
    /// May name a column: a header, whose rows below it, as deep as a
    /// header goes, are read whole.
    Header,
}

/// How many rows a header spans at most, below its first: the layout
/// reads no further (see `SheetReader::header_texts`).
pub(super) const HEADER_DEPTH: u32 = 3;

/// What a sheet looks like, figures aside.
#[derive(Debug, PartialEq, Eq, Hash)]
pub(super) struct Shape(Vec<u8>);

impl Shape {
    /// The sheet's shape, as its layout would be found for this month.
    pub fn of(grid: &Grid, period: Option<Period>, schema: &Schema, m: &Matcher) -> Shape {
        let look = Look::of(grid, schema, m);
        let mut b = Vec::with_capacity(look.cells.len() + 64);
        b.extend_from_slice(&look.cells);
        let num = |b: &mut Vec<u8>, n: u32| b.extend_from_slice(&n.to_le_bytes());
        let mut merges: Vec<_> = grid.merges().map(|d| (d.start, d.end)).collect();
        merges.sort_unstable();
        num(&mut b, merges.len() as u32);
        for ((r0, c0), (r1, c1)) in merges {
            for n in [r0, c0, r1, c1] {
                num(&mut b, n);
            }
        }
        num(&mut b, grid.hidden_cols.len() as u32);
        for &c in &grid.hidden_cols {
            num(&mut b, c);
        }
        let (year, month) = period.map_or((0, 0), |p| (p.year as u32, p.month));
        for n in [year, month] {
            num(&mut b, n);
        }
        b.extend_from_slice(&[u8::from(grid.hidden), u8::from(grid.own_form), u8::from(grid.is_1904)]);
        Shape(b)
    }
}

/// What a sheet's cells say at a glance, worked out once per sheet (the
/// grid keeps it, and forgets it if its cells change).
#[derive(Debug, Clone)]
pub(super) struct Look {
    schema: u64,
    /// The cells' part of the sheet's shape.
    cells: Vec<u8>,
    /// Some row holds two texts that each name a hamlet: the sheet may hold
    /// hamlets side by side.
    pub two_hamlets_in_a_row: bool,
}

impl Look {
    /// The grid's look under this schema: the one it keeps (the first asked
    /// for), or worked out afresh under another schema.
    pub fn of<'g>(grid: &'g Grid, schema: &Schema, m: &Matcher) -> Cow<'g, Look> {
        let kept = grid.look.get_or_init(|| look(grid, schema, m));
        if kept.schema == schema.id { Cow::Borrowed(kept) } else { Cow::Owned(look(grid, schema, m)) }
    }
}

fn look(grid: &Grid, schema: &Schema, m: &Matcher) -> Look {
    let texts: Vec<(u32, Role, bool)> = grid
        .text_cells()
        .map(|(c, t)| {
            let (role, hamlet) = role(schema, m, t);
            (c.row, role, hamlet)
        })
        .collect();
    let two_hamlets_in_a_row =
        texts.iter().filter(|t| t.2).zip(texts.iter().filter(|t| t.2).skip(1)).any(|(a, b)| a.0 == b.0);
    let mut header_rows: Vec<u32> = texts.iter().filter(|t| t.1 == Role::Header).map(|t| t.0).collect();
    header_rows.dedup();
    let in_header = |row: u32| {
        let i = header_rows.partition_point(|h| *h <= row);
        i > 0 && row - header_rows[i - 1] <= HEADER_DEPTH
    };
    let mut b = Vec::with_capacity(grid.cells().len() * 16);
    let num = |b: &mut Vec<u8>, n: u32| b.extend_from_slice(&n.to_le_bytes());
    let text = |b: &mut Vec<u8>, t: &str| {
        num(b, t.len() as u32);
        b.extend_from_slice(t.as_bytes());
    };
    let mut roles = texts.iter();
    for c in grid.cells() {
        num(&mut b, c.row);
        num(&mut b, c.col);
        // A formula's presence too: a cell with a formula and no value is
        // not empty to the layout.
        let formula = if c.formula.is_some() { 0x80 } else { 0 };
        match &c.val {
            Val::Empty => b.push(formula),
            Val::Number(_) => b.push(formula | 1),
            Val::Date(_) => b.push(formula | 2),
            Val::Bool(v) => b.extend_from_slice(&[formula | 3, u8::from(*v)]),
            Val::Text(t) => {
                let r = roles.next().map_or(Role::Read, |r| r.1);
                if r == Role::None && !in_header(c.row) {
                    b.push(formula | 6);
                } else {
                    b.push(formula | 4);
                    text(&mut b, t);
                }
            }
            Val::Error(e) => {
                b.push(formula | 5);
                text(&mut b, e);
            }
        }
    }
    // What follows is told apart from the cells by this mark.
    num(&mut b, u32::MAX);
    Look { schema: schema.id, cells: b, two_hamlets_in_a_row }
}

/// What a text can be to the layout, each of the tests the layout puts to
/// a text alone, and whether it names a hamlet; worked out once per text.
fn role(schema: &Schema, m: &Matcher, t: &str) -> (Role, bool) {
    thread_local! {
        static ROLES: RefCell<Memo<Box<str>, (Role, bool), 20_000>> = RefCell::default();
    }
    if let Some(r) = ROLES.with(|memo| memo.borrow().get(schema.id, t)) {
        return r;
    }
    let k = keys(t);
    let header = schema.tables.ids().any(|ti| m.may_name_column(ti, &k.loose));
    let read = !m.rows_for(t, &k).is_empty()
        || m.is_unit_header(&k.loose)
        || schema.tables.iter().any(|tb| tb.label_header.loose.contains(&k.loose));
    let role = if header {
        Role::Header
    } else if read {
        Role::Read
    } else {
        Role::None
    };
    let r = (role, hamlet_named(t, schema).is_some());
    ROLES.with(|memo| memo.borrow_mut().keep(schema.id, t.into(), r));
    r
}
