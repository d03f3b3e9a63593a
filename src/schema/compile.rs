//! Compiling a schema's raw files into a [`Schema`], one part at a time:
//! the commune, sections, units, tables (and the indicators they lay out),
//! derived indicators, rules, hamlets and targets (the commune and its
//! hamlets in `unit.rs`). Every problem is kept
//! with its file and line; nothing stops at the first one.

use std::collections::HashMap;

use toml::Spanned;
use validator::Validate;

use super::raw::{self, GoalBody, RawFile, RawTable};
use super::source::{self, At, Problems, SourceFile};
use super::*;
use crate::units::{Dimension, Unit};

/// Reads the root file and everything it includes, and compiles them.
pub(super) fn load(root: &str, read: &source::Reader<'_>) -> Result<Schema, SchemaError> {
    let mut problems = Problems::default();
    let files = source::gather(root, read, &mut problems);
    let mut raws = Vec::with_capacity(files.len());
    for file in &files {
        match toml::from_str::<RawFile>(&file.text) {
            Ok(r) => raws.push(r),
            Err(e) => {
                let line = e.span().map_or(0, |s| source::line_at(&file.text, s.start));
                problems.0.push(Problem { file: file.name.clone(), line, message: source::translate(e.message()) });
                raws.push(RawFile::default());
            }
        }
    }
    let broken = !problems.0.is_empty();
    let mut c =
        Compiler { schema: Schema::empty(), problems, unknown_unit: None, lines: lint::Lines::default(), broken };
    c.compile(&files, raws);
    c.schema.warnings = lint::warnings(&c.schema, &c.lines);
    c.problems.into_result(c.schema)
}

impl Schema {
    fn empty() -> Schema {
        Schema {
            commune: Commune::new("UBND XÃ".into()),
            sections: IdVec::default(),
            units: Units::default(),
            tables: IdVec::default(),
            indicators: IdVec::default(),
            form_count: 0,
            by_code: HashMap::new(),
            rules: IdVec::default(),
            hamlets: IdVec::default(),
            targets: Vec::new(),
            warnings: Vec::new(),
            id: {
                static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
                NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            },
        }
    }
}

/// An item with where it was written.
pub(super) type Item<'f, T> = (At<'f>, T);

/// Every item of every file, by part.
#[derive(Default)]
struct Items<'f> {
    communes: Vec<Item<'f, toml::Table>>,
    sections: Vec<Item<'f, toml::Table>>,
    units: Vec<Item<'f, toml::Table>>,
    tables: Vec<Item<'f, RawTable>>,
    deriveds: Vec<Item<'f, toml::Table>>,
    rules: Vec<Item<'f, toml::Table>>,
    hamlets: Vec<Item<'f, toml::Table>>,
    /// Each `[targets]` with the `[[target]]`s of its file.
    target_sets: Vec<(Item<'f, toml::Table>, Vec<Item<'f, toml::Table>>)>,
}

fn placed<'f, T>(file: &'f SourceFile, items: Vec<Spanned<T>>) -> impl Iterator<Item = Item<'f, T>> {
    items.into_iter().map(move |s| (At::new(file, &s), s.into_inner()))
}

/// A part of a table's indicators that can only be settled once all the
/// table's rows are known.
struct PendingTotal<'f> {
    at: At<'f>,
    indicator: IndicatorId,
    row_code: String,
    formula: String,
}

struct PendingParts<'f> {
    at: At<'f>,
    table: TableId,
    row: usize,
    parts: Vec<String>,
}

/// The schema being built and the problems found on the way.
pub(super) struct Compiler {
    pub(super) schema: Schema,
    pub(super) problems: Problems,
    /// A stand-in for units that could not be resolved, so that the rest of
    /// the schema can still be checked.
    unknown_unit: Option<UnitId>,
    /// Where hamlets, tables, columns and rows are written, for warnings.
    pub(super) lines: lint::Lines,
    /// A file could not be read or parsed: what it would have held is not
    /// said to be missing.
    pub(super) broken: bool,
}

pub(super) fn line_of(at: At<'_>) -> lint::Line {
    lint::Line { file: at.file.name.clone(), line: at.line() }
}

impl Compiler {
    fn compile(&mut self, files: &[SourceFile], raws: Vec<RawFile>) {
        let mut items = Items::default();
        for (file, raw) in files.iter().zip(raws) {
            items.communes.extend(placed(file, raw.commune.into_iter().collect()));
            items.sections.extend(placed(file, raw.section));
            items.units.extend(placed(file, raw.unit));
            items.tables.extend(placed(file, raw.table));
            items.deriveds.extend(placed(file, raw.derived));
            items.rules.extend(placed(file, raw.rule));
            items.hamlets.extend(placed(file, raw.hamlet));
            let targets: Vec<_> = placed(file, raw.target).collect();
            match raw.targets {
                Some(t) => items.target_sets.push(((At::new(file, &t), t.into_inner()), targets)),
                None => {
                    if let Some((at, _)) = targets.first() {
                        self.problems.add(*at, None, "có [[target]] nhưng thiếu [targets] (năm của các chỉ tiêu)");
                    }
                }
            }
        }
        let first_file = files.first().map_or("", |f| f.name.as_str());
        self.commune(items.communes);
        self.sections(items.sections);
        self.units(items.units);
        self.tables(items.tables, first_file);
        self.derived(items.deriveds);
        self.rules(items.rules);
        self.hamlets(items.hamlets, first_file);
        self.targets(items.target_sets);
        // The rules' instructions in the unit's own words ("báo lại cho
        // phường"), as everything else it is told.
        let words = self.schema.commune.words.clone();
        for r in self.schema.rules.iter_mut() {
            if let Some(i) = r.instruction.as_mut() {
                *i = crate::words::say_with(&words, i);
            }
        }
    }

    /// Decodes one item, reporting why it cannot be.
    pub(super) fn decode<T: serde::de::DeserializeOwned + Validate>(
        &mut self,
        at: At<'_>,
        what: &str,
        table: toml::Table,
    ) -> Option<T> {
        let (value, messages) = raw::decode::<T>(table);
        self.report(at, what, &messages);
        if let Some(Err(e)) = value.as_ref().map(Validate::validate) {
            self.problems.validation(at, what, e);
        }
        value
    }

    /// serde's messages about an item, each at its field's line.
    pub(super) fn report(&mut self, at: At<'_>, what: &str, messages: &[String]) {
        for m in messages {
            self.problems.serde(at, what, m);
        }
    }

    fn sections(&mut self, items: Vec<Item<'_, toml::Table>>) {
        for (at, t) in items {
            let Some(s) = self.decode::<raw::RawSection>(at, "[[section]]", t) else { continue };
            if self.schema.sections.iter().any(|o| o.id == s.id) {
                self.problems.add(at, Some("id"), format!("phần \"{}\" được khai báo hai lần", s.id));
                continue;
            }
            self.schema.sections.push(Section { id: s.id, title: s.title });
        }
    }

    /// The section an item names, or the first (made when there is none).
    fn section_of(&mut self, at: At<'_>, id: &Option<String>) -> SectionId {
        match id {
            Some(id) => self.schema.sections.position(|s| &s.id == id).unwrap_or_else(|| {
                self.problems.add(at, Some("section"), format!("phần \"{id}\" chưa được khai báo ([[section]])"));
                SectionId::new(0)
            }),
            None => {
                if self.schema.sections.is_empty() {
                    self.schema.sections.push(Section { id: "chung".into(), title: "Chỉ tiêu".into() });
                }
                SectionId::new(0)
            }
        }
    }

    fn units(&mut self, items: Vec<Item<'_, toml::Table>>) {
        for (at, t) in items {
            let Some(u) = self.decode::<raw::RawUnit>(at, "[[unit]]", t) else { continue };
            if self.schema.units.lookup(&u.code).is_some() {
                self.problems.add(at, Some("code"), format!("đơn vị \"{}\" được khai báo hai lần", u.code));
                continue;
            }
            let dimension: Dimension = u.dimension.iter().map(|d| (d.clone(), 1)).collect();
            let name = u.name.unwrap_or_else(|| u.code.clone());
            self.schema.units.add(Unit { code: u.code, name, dimension, scale: u.scale }, &u.aliases);
        }
    }

    /// A unit named by an item; an unknown one is a problem at `field`.
    pub(super) fn unit_of(&mut self, at: At<'_>, field: &str, text: &str) -> Option<UnitId> {
        let u = self.schema.units.resolve(text);
        if u.is_none() {
            self.problems.add(at, Some(field), format!("đơn vị \"{text}\" chưa được khai báo ([[unit]])"));
        }
        u
    }

    fn stand_in_unit(&mut self) -> UnitId {
        *self.unknown_unit.get_or_insert_with(|| {
            self.schema
                .units
                .add(Unit { code: "?".into(), name: "?".into(), dimension: Dimension::new(), scale: 1.0 }, &[])
        })
    }

    fn tables<'f>(&mut self, items: Vec<Item<'f, RawTable>>, first_file: &str) {
        let mut totals = Vec::new();
        let mut parts = Vec::new();
        for (at, t) in items {
            self.table(at, t, &mut totals, &mut parts);
        }
        self.schema.form_count = self.schema.indicators.len();
        if self.schema.tables.is_empty() && !self.broken {
            self.problems.whole(first_file, "lược đồ không có bảng nào ([[table]]): không biết đọc biểu mẫu thế nào");
        }
        self.column_totals(totals);
        self.total_rows(parts);
    }

    fn table<'f>(
        &mut self,
        at: At<'f>,
        t: RawTable,
        totals: &mut Vec<PendingTotal<'f>>,
        parts: &mut Vec<PendingParts<'f>>,
    ) {
        if let Err(e) = t.validate() {
            self.problems.validation(at, &format!("bảng \"{}\"", t.id), e);
        }
        if self.schema.tables.iter().any(|o| o.id == t.id) {
            self.problems.add(at, Some("id"), format!("bảng \"{}\" được khai báo hai lần", t.id));
            return;
        }
        if t.column.is_empty() {
            self.problems.add(at, None, format!("bảng \"{}\" cần ít nhất một cột số liệu ([[table.column]])", t.id));
        }
        if t.row.is_empty() {
            self.problems.add(at, None, format!("bảng \"{}\" cần ít nhất một dòng ([[table.row]])", t.id));
        }
        let section = self.section_of(at, &t.section);
        let columns = self.columns(at, &t);
        let column_lines = t.column.iter().map(|c| line_of(At::new(at.file, c))).collect();
        let mut row_lines = Vec::new();
        let mut rows: Vec<Row> = Vec::new();
        for r in &t.row {
            let rat = At::new(at.file, r);
            let r = r.get_ref();
            if let Err(e) = r.validate() {
                self.problems.validation(rat, &format!("dòng \"{}\"", r.label), e);
            }
            if rows.iter().any(|o| o.code == r.code) {
                self.problems.add(rat, Some("code"), format!("dòng \"{}\" có hai lần trong bảng \"{}\"", r.code, t.id));
                continue;
            }
            let row_idx = rows.len();
            let indicators = self.row_indicators(rat, &t, &columns, r, section, totals);
            if !r.parts.is_empty() {
                let table = TableId::new(self.schema.tables.len());
                parts.push(PendingParts { at: rat, table, row: row_idx, parts: r.parts.clone() });
            }
            let labels = self.row_labels(rat, r, &rows);
            rows.push(Row { code: r.code.clone(), labels, indicators, parts: Vec::new() });
            row_lines.push(line_of(rat));
        }
        self.lines.tables.push((line_of(at), column_lines, row_lines));
        self.schema.tables.push(Table {
            id: t.id,
            title: Labels::new(&t.title, &t.title_variants),
            label_header: Labels::new(
                t.label_header.first().map_or("", String::as_str),
                t.label_header.get(1..).unwrap_or(&[]),
            ),
            columns,
            rows,
        });
    }

    fn columns(&mut self, at: At<'_>, t: &RawTable) -> Vec<Column> {
        let grid = t.column.iter().any(|c| c.get_ref().code.is_some());
        let mut columns = Vec::new();
        for c in &t.column {
            let cat = At::new(at.file, c);
            let c = c.get_ref();
            if let Err(e) = c.validate() {
                self.problems.validation(cat, &format!("cột \"{}\"", c.label), e);
            }
            if grid && c.code.is_none() {
                self.problems.add(cat, None, format!("bảng \"{}\" có cột có mã thì mọi cột phải có mã", t.id));
            }
            if !grid && t.column.len() > 1 {
                self.problems.add(cat, None, format!("bảng \"{}\": bảng một cột số liệu chỉ có một [[table.column]]; muốn nhiều cột thì mỗi cột cần \"code\"", t.id));
            }
            let unit = match (&c.unit, grid) {
                (Some(u), _) => self.unit_of(cat, "unit", u),
                (None, true) => {
                    self.problems.add(cat, None, format!("cột \"{}\" cần \"unit\"", c.label));
                    None
                }
                (None, false) => None,
            };
            let labels = Labels::new(&c.label, &c.variants);
            if labels.exact.iter().any(String::is_empty) {
                self.problems.add(
                    cat,
                    Some("label"),
                    format!("cột \"{}\" có nhãn chỉ gồm số thứ tự hoặc dấu, không dùng để nhận cột được", c.label),
                );
            }
            columns.push(Column { code: c.code.clone(), labels, unit });
        }
        columns
    }

    /// The indicators a row lays out, one per column.
    fn row_indicators<'f>(
        &mut self,
        rat: At<'f>,
        t: &RawTable,
        columns: &[Column],
        r: &raw::RawRow,
        section: SectionId,
        totals: &mut Vec<PendingTotal<'f>>,
    ) -> Vec<IndicatorId> {
        let row_unit = r.unit.as_ref().and_then(|u| self.unit_of(rat, "unit", u));
        if !t.column.iter().any(|c| c.get_ref().code.is_some()) && r.unit.is_none() {
            self.problems.add(rat, None, format!("dòng \"{}\" cần \"unit\"", r.code));
        }
        let mut indicators = Vec::new();
        for (ci, (c, raw_c)) in columns.iter().zip(&t.column).enumerate() {
            let raw_c = raw_c.get_ref();
            let (code, name) = match &c.code {
                Some(cc) => (format!("{}.{}", r.code, cc), format!("{} {}", c.labels.text, lower_first(&r.label))),
                None => (r.code.clone(), r.label.clone()),
            };
            let unit = match row_unit.or(c.unit) {
                Some(u) => u,
                None => self.stand_in_unit(),
            };
            let idx = IndicatorId::new(self.schema.indicators.len());
            if self.schema.by_code.insert(code.clone(), idx).is_some() {
                self.problems.add(rat, Some("code"), format!("mã chỉ tiêu \"{code}\" bị trùng"));
            }
            if let Some(f) = &raw_c.total {
                let at = At::new(rat.file, &t.column[ci]);
                totals.push(PendingTotal { at, indicator: idx, row_code: r.code.clone(), formula: f.clone() });
            }
            self.schema.indicators.push(Indicator {
                code,
                name,
                label: if c.code.is_some() { c.labels.text.clone() } else { r.label.clone() },
                group: c.code.as_ref().map(|_| r.label.clone()),
                unit,
                kind: r.kind.or(raw_c.kind).or(t.kind).unwrap_or(Kind::Number),
                aggregation: r.aggregation.or(raw_c.aggregation).or(t.aggregation).unwrap_or(Aggregation::Stock),
                section,
                origin: Origin::Form,
                total: None,
                parts: Vec::new(),
            });
            indicators.push(idx);
        }
        indicators
    }

    /// A row's labels; one that names two rows of a table would be guessed at.
    fn row_labels(&mut self, rat: At<'_>, r: &raw::RawRow, rows: &[Row]) -> Labels {
        let labels = Labels::new(&r.label, &r.variants);
        if labels.exact.iter().any(String::is_empty) {
            self.problems.add(
                rat,
                Some("label"),
                format!("dòng \"{}\" có nhãn chỉ gồm số thứ tự hoặc dấu, không dùng để nhận dòng được", r.code),
            );
        }
        for (k, text) in labels.exact.iter().zip(std::iter::once(&r.label).chain(&r.variants)) {
            if let Some(other) = rows.iter().find(|o| o.labels.exact.contains(k)) {
                self.problems.add(
                    rat,
                    Some("variants"),
                    format!("nhãn \"{text}\" dùng cho cả dòng \"{}\" và dòng \"{}\"", other.code, r.code),
                );
            }
        }
        labels
    }

    /// Column totals ("san_luong / dien_tich" for every crop's yield).
    fn column_totals(&mut self, pending: Vec<PendingTotal<'_>>) {
        for p in pending {
            let f = Formula::parse(&p.formula, |name| self.schema.indicator(&format!("{}.{name}", p.row_code)));
            match f {
                Ok(f) => {
                    let out = self.schema.indicators[p.indicator].unit;
                    if !self.schema.units.fits(&f, &self.units_of(&f.vars), out) {
                        let code = &self.schema.units.get(out).code;
                        self.problems.add(
                            p.at,
                            Some("total"),
                            format!("công thức \"{}\" không cho ra đơn vị {code}", p.formula),
                        );
                    }
                    self.schema.indicators[p.indicator].total = Some(f);
                }
                Err(e) => self.problems.add(p.at, Some("total"), e),
            }
        }
    }

    pub(super) fn units_of(&self, inds: &[IndicatorId]) -> Vec<UnitId> {
        inds.iter().map(|&v| self.schema.indicators[v].unit).collect()
    }

    /// Total rows: which rows a row is the sum of.
    fn total_rows(&mut self, pending: Vec<PendingParts<'_>>) {
        for p in pending {
            let mut idxs = Vec::new();
            for code in &p.parts {
                match self.schema.tables[p.table].rows.iter().position(|r| &r.code == code) {
                    Some(i) if i != p.row => idxs.push(i),
                    _ => self.problems.add(
                        p.at,
                        Some("parts"),
                        format!(
                            "\"parts\" nêu dòng \"{code}\" không có trong bảng \"{}\"",
                            self.schema.tables[p.table].id
                        ),
                    ),
                }
            }
            let t = &mut self.schema.tables[p.table];
            t.rows[p.row].parts = idxs.clone();
            for (ci, &ind) in t.rows[p.row].indicators.iter().enumerate() {
                // A yield is a ratio: the parts' yields do not add up to it.
                if self.schema.indicators[ind].total.is_some() {
                    continue;
                }
                self.schema.indicators[ind].parts = idxs.iter().map(|&r| t.rows[r].indicators[ci]).collect();
            }
        }
    }

    fn derived(&mut self, items: Vec<Item<'_, toml::Table>>) {
        for (at, t) in items {
            let Some(d) = self.decode::<raw::RawDerived>(at, "[[derived]]", t) else { continue };
            if self.schema.by_code.contains_key(&d.code) {
                self.problems.add(at, Some("code"), format!("mã chỉ tiêu \"{}\" bị trùng", d.code));
                continue;
            }
            let section = self.section_of(at, &d.section);
            let Some(unit) = self.unit_of(at, "unit", &d.unit) else { continue };
            let formula = match Formula::parse(&d.formula, |n| self.schema.indicator(n)) {
                Ok(f) if f.vars.is_empty() => {
                    self.problems.add(
                        at,
                        Some("formula"),
                        format!("công thức \"{}\" không nêu chỉ tiêu nào", d.formula),
                    );
                    continue;
                }
                Ok(f) => f,
                Err(e) => {
                    self.problems.add(at, Some("formula"), e);
                    continue;
                }
            };
            if !self.schema.units.fits(&formula, &self.units_of(&formula.vars), unit) {
                self.problems.add(
                    at,
                    Some("formula"),
                    format!("công thức \"{}\" không cho ra đơn vị {}", d.formula, d.unit),
                );
            }
            let flows = formula.vars.iter().all(|&v| self.schema.indicators[v].aggregation == Aggregation::Flow);
            let id = self.schema.indicators.push(Indicator {
                code: d.code.clone(),
                label: d.name.clone(),
                group: None,
                name: d.name,
                unit,
                kind: d.kind.unwrap_or(Kind::Number),
                aggregation: if flows { Aggregation::Flow } else { Aggregation::Stock },
                section,
                origin: Origin::Derived(Box::new(formula)),
                total: None,
                parts: Vec::new(),
            });
            self.schema.by_code.insert(d.code, id);
        }
    }

    fn targets(&mut self, sets: Vec<(Item<'_, toml::Table>, Vec<Item<'_, toml::Table>>)>) {
        for ((at, t), targets) in sets {
            let Some(set) = self.decode::<raw::RawTargets>(at, "[targets]", t) else { continue };
            if self.schema.targets.iter().any(|t| t.year == set.year) {
                self.problems.add(at, Some("year"), format!("chỉ tiêu năm {} được khai báo hai lần", set.year));
                continue;
            }
            let mut goals = HashMap::new();
            for (tat, t) in targets {
                let (target, messages) = raw::target(t);
                self.report(tat, "[[target]]", &messages);
                let Some(target) = target else { continue };
                if let Err(e) = target.head.validate() {
                    self.problems.validation(tat, "[[target]]", e);
                }
                if let Some((ind, goal)) = self.goal(tat, &target)
                    && goals.insert(ind, goal).is_some()
                {
                    let msg = format!("chỉ tiêu \"{}\" có hai mục tiêu trong năm {}", target.head.indicator, set.year);
                    self.problems.add(tat, Some("indicator"), msg);
                }
            }
            self.schema.targets.push(TargetSet { year: set.year, goals });
        }
    }

    /// A target's goal, in its indicator's unit.
    fn goal(&mut self, at: At<'_>, t: &raw::RawTarget) -> Option<(IndicatorId, Goal)> {
        let Some(ind) = self.schema.indicator(&t.head.indicator) else {
            let msg = format!("mục tiêu nêu chỉ tiêu \"{}\" không có trong lược đồ", t.head.indicator);
            self.problems.add(at, Some("indicator"), msg);
            return None;
        };
        let factor = match &t.head.unit {
            None => 1.0,
            Some(u) => {
                let uid = self.unit_of(at, "unit", u)?;
                let Some(f) = self.schema.units.factor(uid, self.schema.indicators[ind].unit) else {
                    let msg = format!(
                        "không đổi được {u} sang {} (đơn vị của {})",
                        self.schema.unit_code(ind),
                        t.head.indicator
                    );
                    self.problems.add(at, Some("unit"), msg);
                    return None;
                };
                f
            }
        };
        let goal = match t.goal {
            GoalBody::Plan { value } => Goal::Plan { value: value * factor },
            GoalBody::AtLeast { value } => Goal::AtLeast { value: value * factor },
            GoalBody::AtMost { value } => Goal::AtMost { value: value * factor },
            GoalBody::Range { min, max } => {
                if min > max {
                    self.problems.add(at, Some("min"), "min lớn hơn max");
                }
                Goal::Range { min: min * factor, max: max * factor }
            }
        };
        Some((ind, goal))
    }
}

fn lower_first(s: &str) -> String {
    // "Lúa vụ xuân" -> "lúa vụ xuân", but keep acronyms such as "BHYT".
    let mut words = s.split(' ');
    let first = words.next().unwrap_or_default();
    let lowered = if first.chars().skip(1).any(char::is_uppercase) { first.to_string() } else { first.to_lowercase() };
    std::iter::once(lowered.as_str()).chain(words).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_schema_loads() {
        let s = Schema::builtin().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.hamlets.len(), 6);
        assert_eq!(s.tables.len(), 4);
        // 9 crops × 3 columns + 5 animals + 3 works + 9 social figures.
        assert_eq!(s.form_count, 27 + 5 + 3 + 9);
        let lua = s.indicator("lua.dien_tich").unwrap();
        assert_eq!(s.indicators[lua].parts.len(), 2);
        let ns = s.indicator("san.nang_suat").unwrap();
        assert!(s.indicators[ns].total.is_some());
        // The total row's yield is not the sum of its parts' yields.
        assert!(s.indicators[s.indicator("lua.nang_suat").unwrap()].parts.is_empty());
        // The resolution's 22 tấn/ha is 220 tạ/ha.
        let goal = s.targets_for(2024).unwrap().goals[&ns];
        assert_eq!(goal, Goal::Plan { value: 220.0 });
        assert!(s.indicator("ty_le_bhyt").is_some());
    }
}
