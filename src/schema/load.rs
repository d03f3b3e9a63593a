//! Reading schema files (TOML) and checking them: first each field (serde,
//! validator), then what only the whole schema can tell (an unknown unit, a
//! duplicate code, a rule or target naming an indicator that does not exist).
//! Every problem names its file and line.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;
use toml::Spanned;
use validator::{Validate, ValidationErrors};

use super::*;
use crate::units::{Dimension, Unit};

/// The shipped schema, file by file, as built into the binary.
const EMBEDDED: &[(&str, &str)] = &[
    ("tonghop.toml", include_str!("../../schemas/tonghop.toml")),
    ("form.toml", include_str!("../../schemas/form.toml")),
    ("rules.toml", include_str!("../../schemas/rules.toml")),
    ("commune.toml", include_str!("../../schemas/commune.toml")),
    ("targets-2024.toml", include_str!("../../schemas/targets-2024.toml")),
];

/// One problem in a schema, where it is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        } else {
            write!(f, "{}: {}", self.file, self.message)
        }
    }
}

/// Every problem found in a schema.
#[derive(Debug, Clone)]
pub struct SchemaError(pub Vec<Problem>);

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Lược đồ có {} lỗi:", self.0.len())?;
        for p in &self.0 {
            writeln!(f, "  {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SchemaError {}

pub(super) fn load_embedded() -> Result<Schema, SchemaError> {
    load_from("tonghop.toml", |name| {
        EMBEDDED
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| t.to_string())
            .ok_or_else(|| "không có trong lược đồ dựng sẵn".to_string())
    })
}

/// Loads a schema from one text, as if it were the file `name`: for tests and
/// for tools that hold a schema in memory.
pub fn load_str(name: &str, text: &str) -> Result<Schema, SchemaError> {
    load_from(name, |n| if n == name { Ok(text.to_string()) } else { Err("không có tệp này".into()) })
}

/// Loads a schema from a file on disk; its `include`s are read relative to it.
pub fn load_file(path: &Path) -> Result<Schema, SchemaError> {
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let root = path.to_string_lossy().to_string();
    load_from(&root, |name| {
        let p = if name == root { PathBuf::from(name) } else { dir.join(name) };
        std::fs::read_to_string(&p).map_err(|e| format!("không đọc được tệp: {e}"))
    })
}

// --- Raw files, as written ----------------------------------------------------

static CODE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$").expect("code pattern"));

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    include: Vec<Spanned<String>>,
    commune: Option<Spanned<RawCommune>>,
    #[serde(default)]
    section: Vec<Spanned<RawSection>>,
    #[serde(default)]
    unit: Vec<Spanned<RawUnit>>,
    #[serde(default)]
    table: Vec<Spanned<RawTable>>,
    #[serde(default)]
    derived: Vec<Spanned<RawDerived>>,
    #[serde(default)]
    rule: Vec<Spanned<RawRule>>,
    #[serde(default)]
    hamlet: Vec<Spanned<RawHamlet>>,
    targets: Option<Spanned<RawTargets>>,
    #[serde(default)]
    target: Vec<Spanned<RawTarget>>,
}

#[derive(Debug, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
struct RawCommune {
    #[validate(length(min = 1, message = "tên xã không được để trống"))]
    name: String,
    report_title: Option<String>,
}

#[derive(Debug, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
struct RawSection {
    #[validate(regex(path = *CODE, message = "mã chỉ gồm chữ thường không dấu, số và dấu _"))]
    id: String,
    #[validate(length(min = 1, message = "tiêu đề không được để trống"))]
    title: String,
}

fn one() -> f64 {
    1.0
}

#[derive(Debug, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
struct RawUnit {
    #[validate(length(min = 1, max = 20, message = "mã đơn vị phải có từ 1 đến 20 ký tự"))]
    code: String,
    name: Option<String>,
    dimension: Option<String>,
    #[serde(default = "one")]
    #[validate(range(exclusive_min = 0.0, message = "hệ số quy đổi phải lớn hơn 0"))]
    scale: f64,
    #[serde(default)]
    aliases: Vec<String>,
}

#[derive(Debug, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
struct RawTable {
    #[validate(regex(path = *CODE, message = "mã chỉ gồm chữ thường không dấu, số và dấu _"))]
    id: String,
    section: Option<String>,
    #[validate(length(min = 1, message = "tiêu đề không được để trống"))]
    title: String,
    #[serde(default)]
    title_variants: Vec<String>,
    #[serde(default)]
    label_header: Vec<String>,
    kind: Option<Kind>,
    aggregation: Option<Aggregation>,
    #[serde(default)]
    column: Vec<Spanned<RawColumn>>,
    #[serde(default)]
    row: Vec<Spanned<RawRow>>,
}

#[derive(Debug, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
struct RawColumn {
    #[validate(regex(path = *CODE, message = "mã chỉ gồm chữ thường không dấu, số và dấu _"))]
    code: Option<String>,
    #[validate(length(min = 1, message = "nhãn cột không được để trống"))]
    label: String,
    #[serde(default)]
    variants: Vec<String>,
    unit: Option<String>,
    kind: Option<Kind>,
    aggregation: Option<Aggregation>,
    total: Option<String>,
}

#[derive(Debug, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
struct RawRow {
    #[validate(regex(path = *CODE, message = "mã chỉ gồm chữ thường không dấu, số và dấu _"))]
    code: String,
    #[validate(length(min = 1, message = "nhãn dòng không được để trống"))]
    label: String,
    #[serde(default)]
    variants: Vec<String>,
    unit: Option<String>,
    kind: Option<Kind>,
    aggregation: Option<Aggregation>,
    #[serde(default)]
    parts: Vec<String>,
}

#[derive(Debug, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
struct RawDerived {
    #[validate(regex(path = *CODE, message = "mã chỉ gồm chữ thường không dấu, số và dấu _"))]
    code: String,
    #[validate(length(min = 1, message = "tên không được để trống"))]
    name: String,
    section: Option<String>,
    unit: String,
    kind: Option<Kind>,
    #[validate(length(min = 1, message = "công thức không được để trống"))]
    formula: String,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq)]
#[serde(rename_all = "snake_case")]
enum RuleKind {
    Product,
    Sum,
    Compare,
    Range,
    Integer,
    Presence,
    Change,
    Completeness,
}

#[derive(Debug, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
struct RawRule {
    #[validate(regex(path = *CODE, message = "mã chỉ gồm chữ thường không dấu, số và dấu _"))]
    id: String,
    kind: RuleKind,
    severity: Severity,
    instruction: Option<String>,
    #[serde(default)]
    missing: Missing,
    #[serde(default)]
    indicators: Vec<String>,
    min: Option<f64>,
    max: Option<f64>,
    #[serde(default)]
    factors: Vec<String>,
    result: Option<String>,
    total: Option<String>,
    #[serde(default)]
    parts: Vec<String>,
    expr: Option<String>,
    #[serde(default)]
    together: Vec<String>,
    /// Indicators the rule leaves out.
    #[serde(default, rename = "except")]
    except: Vec<String>,
    #[validate(range(exclusive_min = 0.0, message = "max_percent phải lớn hơn 0"))]
    max_percent: Option<f64>,
    allow_decrease: Option<bool>,
}

#[derive(Debug, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
struct RawHamlet {
    #[validate(length(min = 1, message = "tên thôn không được để trống"))]
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
}

#[derive(Debug, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
struct RawTargets {
    #[validate(range(min = 1990, max = 2100, message = "năm phải từ 1990 đến 2100"))]
    year: i32,
    source: Option<String>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq)]
#[serde(rename_all = "snake_case")]
enum GoalKind {
    Plan,
    Range,
    AtLeast,
    AtMost,
}

#[derive(Debug, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    #[validate(length(min = 1, message = "cần nêu chỉ tiêu"))]
    indicator: String,
    kind: GoalKind,
    value: Option<f64>,
    min: Option<f64>,
    max: Option<f64>,
    unit: Option<String>,
}

// --- Files and lines ----------------------------------------------------------

struct SourceFile {
    name: String,
    text: String,
}

/// Where something was written: a file, a span in it, and the field.
#[derive(Clone, Copy)]
struct At<'a> {
    file: &'a SourceFile,
    span: (usize, usize),
}

impl<'a> At<'a> {
    fn new<T>(file: &'a SourceFile, s: &Spanned<T>) -> Self {
        let r: Range<usize> = s.span();
        At { file, span: (r.start, r.end) }
    }

    fn line(&self) -> usize {
        line_at(&self.file.text, self.span.0)
    }

    /// The line of `field = ...` within this item, or the item's own line.
    /// A table's span may cover only its header, so the search runs on to
    /// the next table header.
    fn field_line(&self, field: &str) -> usize {
        let text = &self.file.text;
        let start = self.span.0.min(text.len());
        let start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let mut offset = start;
        for (n, line) in text[start..].split_inclusive('\n').enumerate() {
            let t = line.trim_start();
            if n > 0 && t.starts_with('[') && offset >= self.span.1 {
                break;
            }
            if let Some(rest) = t.strip_prefix(field)
                && rest.trim_start().starts_with('=')
                && offset >= start
            {
                return line_at(text, offset);
            }
            offset += line.len();
        }
        self.line()
    }
}

fn line_at(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|b| **b == b'\n').count() + 1
}

#[derive(Default)]
struct Problems(Vec<Problem>);

impl Problems {
    fn add(&mut self, at: At<'_>, field: Option<&str>, message: impl Into<String>) {
        let line = field.map_or_else(|| at.line(), |f| at.field_line(f));
        self.0.push(Problem { file: at.file.name.clone(), line, message: message.into() });
    }

    fn validation(&mut self, at: At<'_>, what: &str, errors: ValidationErrors) {
        let mut fields: Vec<_> = errors.field_errors().into_iter().collect();
        fields.sort_by(|a, b| a.0.cmp(&b.0));
        for (field, errs) in fields {
            for e in errs {
                let msg = e.message.as_ref().map_or_else(|| e.code.to_string(), |m| m.to_string());
                self.add(at, Some(field.as_ref()), format!("{what}: trường \"{field}\": {msg}"));
            }
        }
    }
}

/// Reads the root file and everything it includes.
fn load_from(root: &str, read: impl Fn(&str) -> Result<String, String>) -> Result<Schema, SchemaError> {
    let mut files: Vec<SourceFile> = Vec::new();
    let mut raws: Vec<RawFile> = Vec::new();
    let mut problems = Problems::default();
    let mut queue: Vec<(String, Option<Problem>)> = vec![(root.to_string(), None)];
    let mut seen: HashSet<String> = HashSet::new();
    while let Some((name, from)) = queue.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let text = match read(&name) {
            Ok(t) => t,
            Err(e) => {
                let (file, line) = from.map_or((name.clone(), 0), |p| (p.file, p.line));
                problems.0.push(Problem { file, line, message: format!("tệp \"{name}\": {e}") });
                continue;
            }
        };
        let file = SourceFile { name: name.clone(), text };
        let raw = match toml::from_str::<RawFile>(&file.text) {
            Ok(r) => r,
            Err(e) => {
                let line = e.span().map_or(0, |s| line_at(&file.text, s.start));
                let msg = e.message().trim().to_string();
                problems.0.push(Problem { file: name.clone(), line, message: translate_toml(&msg) });
                files.push(file);
                raws.push(RawFile::default());
                continue;
            }
        };
        for inc in raw.include.iter().rev() {
            let line = line_at(&file.text, inc.span().start);
            queue.push((inc.get_ref().clone(), Some(Problem { file: name.clone(), line, message: String::new() })));
        }
        files.push(file);
        raws.push(raw);
    }
    let schema = compile(&files, raws, &mut problems);
    if problems.0.is_empty() {
        Ok(schema)
    } else {
        problems.0.sort();
        problems.0.dedup();
        Err(SchemaError(problems.0))
    }
}

/// serde's and toml's messages, in the clerk's language where they are common.
fn translate_toml(msg: &str) -> String {
    if let Some(rest) = msg.strip_prefix("unknown field ") {
        let field = rest.split(',').next().unwrap_or(rest);
        return format!("trường không có trong định dạng lược đồ: {field} ({msg})");
    }
    if let Some(rest) = msg.strip_prefix("missing field ") {
        return format!("thiếu trường bắt buộc {rest}");
    }
    if msg.starts_with("unknown variant") {
        return format!("giá trị không hợp lệ ({msg})");
    }
    if msg.starts_with("invalid type") {
        return format!("sai kiểu dữ liệu ({msg})");
    }
    format!("lỗi cú pháp TOML: {msg}")
}

// --- Compiling ----------------------------------------------------------------

/// Expands a list of indicator patterns ("*.dien_tich", "@count", "ho").
/// "*" stands for any text; the text it stood for is returned with each match.
fn expand(pattern: &str, schema: &Schema) -> Vec<(usize, String)> {
    if pattern == "@count" {
        return (0..schema.form_count)
            .filter(|&i| schema.indicators[i].kind == Kind::Count)
            .map(|i| (i, String::new()))
            .collect();
    }
    if !pattern.contains('*') {
        return schema.indicator(pattern).map(|i| vec![(i, String::new())]).unwrap_or_default();
    }
    let (pre, post) = pattern.split_once('*').unwrap_or((pattern, ""));
    let mut out = Vec::new();
    for (i, ind) in schema.indicators.iter().enumerate().take(schema.form_count) {
        let c = &ind.code;
        if c.len() >= pre.len() + post.len() && c.starts_with(pre) && c.ends_with(post) {
            out.push((i, c[pre.len()..c.len() - post.len()].to_string()));
        }
    }
    out
}

fn bind(pattern: &str, star: &str) -> String {
    pattern.replacen('*', star, 1)
}

/// The dimension of a formula's result, by evaluating it with each base
/// dimension scaled by its own odd factor: a sum of unlike things, or a result
/// unlike the declared unit, does not scale as one unit.
fn formula_fits(f: &Formula, units_of: &[usize], out_unit: usize, units: &crate::units::Units) -> bool {
    let mut bases: Vec<&String> =
        units_of.iter().chain(std::iter::once(&out_unit)).flat_map(|&u| units.get(u).dimension.keys()).collect();
    bases.sort();
    bases.dedup();
    let factor_of = |dim: &Dimension| -> f64 {
        dim.iter()
            .map(|(k, e)| {
                let idx = bases.iter().position(|b| *b == k).unwrap_or(0);
                (1.37 + idx as f64 * 0.61).powi(*e)
            })
            .product()
    };
    // Values away from zero so that differences do not cancel.
    let base_vals: Vec<f64> = (0..units_of.len()).map(|i| 2.0 + i as f64 * 0.731).collect();
    let plain = f.eval_values(&base_vals);
    let scaled_vals: Vec<f64> =
        units_of.iter().zip(&base_vals).map(|(&u, v)| v * factor_of(&units.get(u).dimension)).collect();
    let scaled = f.eval_values(&scaled_vals);
    match (plain, scaled) {
        (Some(p), Some(s)) if p != 0.0 => {
            let want = p * factor_of(&units.get(out_unit).dimension);
            ((s - want) / want).abs() < 1e-9
        }
        _ => true,
    }
}

/// Whether two sides of a comparison measure the same thing (a side with no
/// indicator, a constant, fits any).
fn same_dimension(lhs: &Formula, rhs: &Formula, schema: &Schema) -> bool {
    let dim_of = |f: &Formula| -> Option<Dimension> {
        // Find the dimension among the sides' own units that the formula yields.
        let units_of: Vec<usize> = f.vars.iter().map(|&v| schema.indicators[v].unit).collect();
        let candidates: Vec<usize> = (0..schema.units.list.len()).collect();
        candidates
            .into_iter()
            .find(|&u| formula_fits(f, &units_of, u, &schema.units))
            .map(|u| schema.units.get(u).dimension.clone())
    };
    if lhs.vars.is_empty() || rhs.vars.is_empty() {
        return true;
    }
    match (dim_of(lhs), dim_of(rhs)) {
        (Some(a), Some(b)) => a == b,
        // A dimension no declared unit has: compare the two directly.
        _ => false,
    }
}

fn compile(files: &[SourceFile], raws: Vec<RawFile>, problems: &mut Problems) -> Schema {
    let mut schema = Schema {
        commune: Commune { name: "UBND XÃ".into(), report_title: "BÁO CÁO TỔNG HỢP".into() },
        sections: Vec::new(),
        units: Default::default(),
        tables: Vec::new(),
        indicators: Vec::new(),
        form_count: 0,
        by_code: HashMap::new(),
        rules: Vec::new(),
        hamlets: Vec::new(),
        targets: Vec::new(),
    };
    // Items with where they were written.
    let mut communes = Vec::new();
    let mut sections = Vec::new();
    let mut units = Vec::new();
    let mut tables = Vec::new();
    let mut deriveds = Vec::new();
    let mut rules = Vec::new();
    let mut hamlets = Vec::new();
    let mut target_sets = Vec::new();
    for (file, raw) in files.iter().zip(raws) {
        communes.extend(raw.commune.map(|c| (At::new(file, &c), c.into_inner())));
        sections.extend(raw.section.into_iter().map(|s| (At::new(file, &s), s.into_inner())));
        units.extend(raw.unit.into_iter().map(|s| (At::new(file, &s), s.into_inner())));
        tables.extend(raw.table.into_iter().map(|s| (At::new(file, &s), s.into_inner())));
        deriveds.extend(raw.derived.into_iter().map(|s| (At::new(file, &s), s.into_inner())));
        rules.extend(raw.rule.into_iter().map(|s| (At::new(file, &s), s.into_inner())));
        hamlets.extend(raw.hamlet.into_iter().map(|s| (At::new(file, &s), s.into_inner())));
        let targets: Vec<_> = raw.target.into_iter().map(|s| (At::new(file, &s), s.into_inner())).collect();
        match raw.targets {
            Some(t) => target_sets.push((At::new(file, &t), t.into_inner(), targets)),
            None => {
                if let Some((at, _)) = targets.first() {
                    problems.add(*at, None, "có [[target]] nhưng thiếu [targets] (năm của các chỉ tiêu)");
                }
            }
        }
    }

    // Commune.
    for (i, (at, c)) in communes.into_iter().enumerate() {
        if let Err(e) = c.validate() {
            problems.validation(at, "[commune]", e);
        }
        if i > 0 {
            problems.add(at, None, "[commune] được khai báo hai lần");
            continue;
        }
        schema.commune.name = c.name;
        if let Some(t) = c.report_title {
            schema.commune.report_title = t;
        }
    }

    // Sections.
    for (at, s) in sections {
        if let Err(e) = s.validate() {
            problems.validation(at, "[[section]]", e);
        }
        if schema.sections.iter().any(|o| o.id == s.id) {
            problems.add(at, Some("id"), format!("phần \"{}\" được khai báo hai lần", s.id));
            continue;
        }
        schema.sections.push(Section { id: s.id, title: s.title });
    }
    let section_of = |at: At<'_>, id: &Option<String>, schema: &mut Schema, problems: &mut Problems| -> usize {
        match id {
            Some(id) => match schema.sections.iter().position(|s| &s.id == id) {
                Some(i) => i,
                None => {
                    problems.add(at, Some("section"), format!("phần \"{id}\" chưa được khai báo ([[section]])"));
                    0
                }
            },
            None => {
                if schema.sections.is_empty() {
                    schema.sections.push(Section { id: "chung".into(), title: "Chỉ tiêu".into() });
                }
                0
            }
        }
    };

    // Units.
    for (at, u) in units {
        if let Err(e) = u.validate() {
            problems.validation(at, &format!("đơn vị \"{}\"", u.code), e);
        }
        if schema.units.lookup(&u.code).is_some() {
            problems.add(at, Some("code"), format!("đơn vị \"{}\" được khai báo hai lần", u.code));
            continue;
        }
        let dimension: Dimension = u.dimension.iter().map(|d| (d.clone(), 1)).collect();
        let name = u.name.unwrap_or_else(|| u.code.clone());
        schema.units.add(Unit { code: u.code, name, dimension, scale: u.scale }, &u.aliases);
    }
    let unit_of = |at: At<'_>, field: &str, text: &str, schema: &mut Schema, problems: &mut Problems| {
        let u = schema.units.resolve(text);
        if u.is_none() {
            problems.add(at, Some(field), format!("đơn vị \"{text}\" chưa được khai báo ([[unit]])"));
        }
        u
    };

    // Tables, and the indicators they lay out.
    let mut unknown_unit: Option<usize> = None;
    let mut totals_pending: Vec<(At<'_>, usize, String, String)> = Vec::new(); // (at, indicator, row code, formula)
    let mut parts_pending: Vec<(At<'_>, usize, usize, Vec<String>)> = Vec::new(); // (at, table, row, part codes)
    for (at, t) in tables {
        if let Err(e) = t.validate() {
            problems.validation(at, &format!("bảng \"{}\"", t.id), e);
        }
        if schema.tables.iter().any(|o| o.id == t.id) {
            problems.add(at, Some("id"), format!("bảng \"{}\" được khai báo hai lần", t.id));
            continue;
        }
        if t.column.is_empty() {
            problems.add(at, None, format!("bảng \"{}\" cần ít nhất một cột số liệu ([[table.column]])", t.id));
        }
        if t.row.is_empty() {
            problems.add(at, None, format!("bảng \"{}\" cần ít nhất một dòng ([[table.row]])", t.id));
        }
        let section = section_of(at, &t.section, &mut schema, problems);
        let table_idx = schema.tables.len();
        let grid = t.column.iter().any(|c| c.get_ref().code.is_some());
        let mut columns = Vec::new();
        for c in &t.column {
            let cat = At::new(at.file, c);
            let c = c.get_ref();
            if let Err(e) = c.validate() {
                problems.validation(cat, &format!("cột \"{}\"", c.label), e);
            }
            if grid && c.code.is_none() {
                problems.add(cat, None, format!("bảng \"{}\" có cột có mã thì mọi cột phải có mã", t.id));
            }
            if !grid && t.column.len() > 1 {
                problems.add(cat, None, format!("bảng \"{}\": bảng một cột số liệu chỉ có một [[table.column]]; muốn nhiều cột thì mỗi cột cần \"code\"", t.id));
            }
            let unit = match (&c.unit, grid) {
                (Some(u), _) => unit_of(cat, "unit", u, &mut schema, problems),
                (None, true) => {
                    problems.add(cat, None, format!("cột \"{}\" cần \"unit\"", c.label));
                    None
                }
                (None, false) => None,
            };
            let labels = Labels::new(&c.label, &c.variants);
            if labels.exact.iter().any(String::is_empty) {
                problems.add(
                    cat,
                    Some("label"),
                    format!("cột \"{}\" có nhãn chỉ gồm số thứ tự hoặc dấu, không dùng để nhận cột được", c.label),
                );
            }
            columns.push(Column { code: c.code.clone(), labels, unit });
        }
        let mut rows = Vec::new();
        for r in &t.row {
            let rat = At::new(at.file, r);
            let r = r.get_ref();
            if let Err(e) = r.validate() {
                problems.validation(rat, &format!("dòng \"{}\"", r.label), e);
            }
            if rows.iter().any(|o: &Row| o.code == r.code) {
                problems.add(rat, Some("code"), format!("dòng \"{}\" có hai lần trong bảng \"{}\"", r.code, t.id));
                continue;
            }
            let row_unit = r.unit.as_ref().and_then(|u| unit_of(rat, "unit", u, &mut schema, problems));
            if !grid && r.unit.is_none() {
                problems.add(rat, None, format!("dòng \"{}\" cần \"unit\"", r.code));
            }
            let row_idx = rows.len();
            let mut indicators = Vec::new();
            for (ci, (c, raw_c)) in columns.iter().zip(&t.column).enumerate() {
                let raw_c = raw_c.get_ref();
                let code = match &c.code {
                    Some(cc) => format!("{}.{}", r.code, cc),
                    None => r.code.clone(),
                };
                let name = match &c.code {
                    Some(_) => format!("{} {}", c.labels.text, lower_first(&r.label)),
                    None => r.label.clone(),
                };
                // A unit that could not be resolved has been reported; a
                // stand-in keeps the rest of the schema checkable.
                let unit = match row_unit.or(c.unit) {
                    Some(u) => u,
                    None => *unknown_unit.get_or_insert_with(|| {
                        schema.units.add(
                            Unit { code: "?".into(), name: "?".into(), dimension: Dimension::new(), scale: 1.0 },
                            &[],
                        )
                    }),
                };
                let idx = schema.indicators.len();
                if schema.by_code.insert(code.clone(), idx).is_some() {
                    problems.add(rat, Some("code"), format!("mã chỉ tiêu \"{code}\" bị trùng"));
                }
                if let Some(f) = &raw_c.total {
                    totals_pending.push((At::new(at.file, &t.column[ci]), idx, r.code.clone(), f.clone()));
                }
                schema.indicators.push(Indicator {
                    code,
                    name,
                    label: if c.code.is_some() { c.labels.text.clone() } else { r.label.clone() },
                    group: c.code.as_ref().map(|_| r.label.clone()),
                    unit,
                    kind: r.kind.or(raw_c.kind).or(t.kind).unwrap_or(Kind::Number),
                    aggregation: r.aggregation.or(raw_c.aggregation).or(t.aggregation).unwrap_or(Aggregation::Stock),
                    section,
                    origin: Origin::Form { table: table_idx, row: row_idx, col: ci },
                    total: None,
                    parts: Vec::new(),
                });
                indicators.push(idx);
            }
            if !r.parts.is_empty() {
                parts_pending.push((rat, table_idx, row_idx, r.parts.clone()));
            }
            let labels = Labels::new(&r.label, &r.variants);
            if labels.exact.iter().any(String::is_empty) {
                problems.add(
                    rat,
                    Some("label"),
                    format!("dòng \"{}\" có nhãn chỉ gồm số thứ tự hoặc dấu, không dùng để nhận dòng được", r.code),
                );
            }
            // A label that names two rows of one table would be guessed at.
            for (k, text) in labels.exact.iter().zip(std::iter::once(&r.label).chain(&r.variants)) {
                if let Some(other) = rows.iter().find(|o: &&Row| o.labels.exact.contains(k)) {
                    problems.add(
                        rat,
                        Some("variants"),
                        format!("nhãn \"{text}\" dùng cho cả dòng \"{}\" và dòng \"{}\"", other.code, r.code),
                    );
                }
            }
            rows.push(Row { code: r.code.clone(), labels, indicators, parts: Vec::new() });
        }
        schema.tables.push(Table {
            id: t.id,
            section,
            title: Labels::new(&t.title, &t.title_variants),
            label_header: Labels::new(
                t.label_header.first().map_or("", String::as_str),
                t.label_header.get(1..).unwrap_or(&[]),
            ),
            columns,
            rows,
        });
    }
    schema.form_count = schema.indicators.len();
    if schema.tables.is_empty() {
        problems.0.push(Problem {
            file: files.first().map_or_else(String::new, |f| f.name.clone()),
            line: 0,
            message: "lược đồ không có bảng nào ([[table]]): không biết đọc biểu mẫu thế nào".into(),
        });
    }

    // Column totals ("san_luong / dien_tich" for every crop's yield).
    for (at, ind, row, text) in totals_pending {
        let f = Formula::parse(&text, |name| schema.by_code.get(&format!("{row}.{name}")).copied());
        match f {
            Ok(f) => {
                let units_of: Vec<usize> = f.vars.iter().map(|&v| schema.indicators[v].unit).collect();
                if !formula_fits(&f, &units_of, schema.indicators[ind].unit, &schema.units) {
                    problems.add(
                        at,
                        Some("total"),
                        format!(
                            "công thức \"{text}\" không cho ra đơn vị {}",
                            schema.units.get(schema.indicators[ind].unit).code
                        ),
                    );
                }
                schema.indicators[ind].total = Some(f);
            }
            Err(e) => problems.add(at, Some("total"), e),
        }
    }

    // Total rows: which rows a row is the sum of.
    for (at, table, row, parts) in parts_pending {
        let mut idxs = Vec::new();
        for p in parts {
            match schema.tables[table].rows.iter().position(|r| r.code == p) {
                Some(i) if i != row => idxs.push(i),
                _ => problems.add(
                    at,
                    Some("parts"),
                    format!("\"parts\" nêu dòng \"{p}\" không có trong bảng \"{}\"", schema.tables[table].id),
                ),
            }
        }
        let t = &mut schema.tables[table];
        t.rows[row].parts = idxs.clone();
        for (ci, &ind) in t.rows[row].indicators.clone().iter().enumerate() {
            // A yield is a ratio: the parts' yields do not add up to it.
            if schema.indicators[ind].total.is_some() {
                continue;
            }
            let parts: Vec<usize> = idxs.iter().map(|&r| t.rows[r].indicators[ci]).collect();
            schema.indicators[ind].parts = parts;
        }
    }

    // Derived indicators.
    for (at, d) in deriveds {
        if let Err(e) = d.validate() {
            problems.validation(at, &format!("chỉ tiêu tính \"{}\"", d.code), e);
        }
        if schema.by_code.contains_key(&d.code) {
            problems.add(at, Some("code"), format!("mã chỉ tiêu \"{}\" bị trùng", d.code));
            continue;
        }
        let section = section_of(at, &d.section, &mut schema, problems);
        let Some(unit) = unit_of(at, "unit", &d.unit, &mut schema, problems) else {
            continue;
        };
        let formula = match Formula::parse(&d.formula, |n| schema.by_code.get(n).copied()) {
            Ok(f) if f.vars.is_empty() => {
                problems.add(at, Some("formula"), format!("công thức \"{}\" không nêu chỉ tiêu nào", d.formula));
                continue;
            }
            Ok(f) => f,
            Err(e) => {
                problems.add(at, Some("formula"), e);
                continue;
            }
        };
        let units_of: Vec<usize> = formula.vars.iter().map(|&v| schema.indicators[v].unit).collect();
        if !formula_fits(&formula, &units_of, unit, &schema.units) {
            problems.add(at, Some("formula"), format!("công thức \"{}\" không cho ra đơn vị {}", d.formula, d.unit));
        }
        let aggregation = if formula.vars.iter().all(|&v| schema.indicators[v].aggregation == Aggregation::Flow) {
            Aggregation::Flow
        } else {
            Aggregation::Stock
        };
        schema.by_code.insert(d.code.clone(), schema.indicators.len());
        schema.indicators.push(Indicator {
            code: d.code,
            label: d.name.clone(),
            group: None,
            name: d.name,
            unit,
            kind: d.kind.unwrap_or(Kind::Number),
            aggregation,
            section,
            origin: Origin::Derived(Box::new(formula)),
            total: None,
            parts: Vec::new(),
        });
    }

    // Rules.
    for (at, r) in rules {
        if let Err(e) = r.validate() {
            problems.validation(at, &format!("quy tắc \"{}\"", r.id), e);
        }
        if schema.rules.iter().any(|o| o.id == r.id) {
            problems.add(at, Some("id"), format!("quy tắc \"{}\" được khai báo hai lần", r.id));
            continue;
        }
        if let Some(check) = compile_rule(at, &r, &schema, problems) {
            schema.rules.push(Rule {
                id: r.id,
                severity: r.severity,
                instruction: r.instruction,
                missing: r.missing,
                check,
            });
        }
    }

    // Hamlets.
    for (at, h) in hamlets {
        if let Err(e) = h.validate() {
            problems.validation(at, "[[hamlet]]", e);
        }
        let mut keys = vec![hamlet_key(&h.name)];
        keys.extend(h.aliases.iter().map(|a| hamlet_key(a)));
        for k in &keys {
            if let Some(o) = schema.hamlets.iter().find(|o| o.keys.contains(k)) {
                problems.add(
                    at,
                    Some("name"),
                    format!("thôn \"{}\" trùng tên với thôn \"{}\" (không kể dấu)", h.name, o.name),
                );
            }
        }
        schema.hamlets.push(Hamlet { name: h.name, keys });
    }

    if schema.hamlets.is_empty() {
        problems.0.push(Problem {
            file: files.first().map_or_else(String::new, |f| f.name.clone()),
            line: 0,
            message: "lược đồ không có thôn nào ([[hamlet]]): không biết báo cáo của ai".into(),
        });
    }

    // Targets.
    for (at, set, targets) in target_sets {
        if let Err(e) = set.validate() {
            problems.validation(at, "[targets]", e);
        }
        if schema.targets.iter().any(|t| t.year == set.year) {
            problems.add(at, Some("year"), format!("chỉ tiêu năm {} được khai báo hai lần", set.year));
            continue;
        }
        let mut goals = HashMap::new();
        for (tat, t) in targets {
            if let Some(g) = compile_target(tat, &t, &mut schema, problems)
                && goals.insert(g.0, g.1).is_some()
            {
                problems.add(
                    tat,
                    Some("indicator"),
                    format!("chỉ tiêu \"{}\" có hai mục tiêu trong năm {}", t.indicator, set.year),
                );
            }
        }
        schema.targets.push(TargetSet { year: set.year, source: set.source, goals });
    }
    schema
}

fn compile_target(at: At<'_>, t: &RawTarget, schema: &mut Schema, problems: &mut Problems) -> Option<(usize, Goal)> {
    if let Err(e) = t.validate() {
        problems.validation(at, "[[target]]", e);
    }
    let Some(ind) = schema.indicator(&t.indicator) else {
        problems.add(
            at,
            Some("indicator"),
            format!("mục tiêu nêu chỉ tiêu \"{}\" không có trong lược đồ", t.indicator),
        );
        return None;
    };
    let factor = match &t.unit {
        None => 1.0,
        Some(u) => match schema.units.resolve(u) {
            None => {
                problems.add(at, Some("unit"), format!("đơn vị \"{u}\" chưa được khai báo ([[unit]])"));
                return None;
            }
            Some(uid) => match schema.units.factor(uid, schema.indicators[ind].unit) {
                Some(f) => f,
                None => {
                    problems.add(
                        at,
                        Some("unit"),
                        format!("không đổi được {u} sang {} (đơn vị của {})", schema.unit_code(ind), t.indicator),
                    );
                    return None;
                }
            },
        },
    };
    let need = |v: Option<f64>, field: &str, problems: &mut Problems| -> Option<f64> {
        if v.is_none() {
            problems.add(at, None, format!("mục tiêu loại \"{:?}\" cần \"{field}\"", t.kind).to_lowercase());
        }
        v.map(|v| v * factor)
    };
    let goal = match t.kind {
        GoalKind::Plan => Goal::Plan { value: need(t.value, "value", problems)? },
        GoalKind::AtLeast => Goal::AtLeast { value: need(t.value, "value", problems)? },
        GoalKind::AtMost => Goal::AtMost { value: need(t.value, "value", problems)? },
        GoalKind::Range => {
            let (min, max) = (need(t.min, "min", problems)?, need(t.max, "max", problems)?);
            if min > max {
                problems.add(at, Some("min"), "min lớn hơn max");
            }
            Goal::Range { min, max }
        }
    };
    Some((ind, goal))
}

fn compile_rule(at: At<'_>, r: &RawRule, schema: &Schema, problems: &mut Problems) -> Option<Check> {
    let require = |ok: bool, field: &str, problems: &mut Problems| {
        if !ok {
            problems.add(at, None, format!("quy tắc \"{}\" loại {:?} cần \"{field}\"", r.id, r.kind).to_lowercase());
        }
        ok
    };
    let unknown = |pattern: &str, field: &str, problems: &mut Problems| {
        problems.add(
            at,
            Some(field),
            format!("quy tắc \"{}\" nêu chỉ tiêu \"{pattern}\" không có trong lược đồ", r.id),
        );
    };
    let mut excluded: Vec<usize> = Vec::new();
    for p in &r.except {
        let m = expand(p, schema);
        if m.is_empty() {
            unknown(p, "except", problems);
        }
        excluded.extend(m.into_iter().map(|(i, _)| i));
    }
    let expand = |pattern: &str, schema: &Schema| -> Vec<(usize, String)> {
        expand(pattern, schema).into_iter().filter(|(i, _)| !excluded.contains(i)).collect()
    };
    // Each pattern must match something.
    let list = |patterns: &[String], field: &str, problems: &mut Problems| -> Vec<usize> {
        let mut out = Vec::new();
        for p in patterns {
            let m = expand(p, schema);
            if m.is_empty() {
                unknown(p, field, problems);
            }
            out.extend(m.into_iter().map(|(i, _)| i));
        }
        out.sort_unstable();
        out.dedup();
        out
    };
    // Patterns bound by the first one's "*".
    let bound = |first: &str, others: &[&str]| -> Vec<(usize, Vec<Option<usize>>)> {
        expand(first, schema)
            .into_iter()
            .map(|(i, star)| (i, others.iter().map(|o| schema.indicator(&bind(o, &star))).collect()))
            .collect()
    };
    let unit_of = |i: usize| schema.indicators[i].unit;
    match r.kind {
        RuleKind::Product => {
            if !require(r.factors.len() >= 2, "factors", problems) || !require(r.result.is_some(), "result", problems) {
                return None;
            }
            let result = r.result.as_deref().unwrap_or_default();
            let others: Vec<&str> = r.factors[1..].iter().map(String::as_str).chain([result]).collect();
            let mut instances = Vec::new();
            for (first, rest) in bound(&r.factors[0], &others) {
                let Some(rest) = rest.into_iter().collect::<Option<Vec<usize>>>() else {
                    continue;
                };
                let (res, more) = rest.split_last().expect("result is last");
                let mut factors = vec![first];
                factors.extend(more);
                // The product must measure what the result does.
                let mut dim = Dimension::new();
                for &f in &factors {
                    for (k, e) in &schema.units.get(unit_of(f)).dimension {
                        *dim.entry(k.clone()).or_insert(0) += e;
                    }
                }
                dim.retain(|_, e| *e != 0);
                if dim != schema.units.get(unit_of(*res)).dimension {
                    problems.add(
                        at,
                        Some("result"),
                        format!(
                            "quy tắc \"{}\": {} không cùng đơn vị với tích {}",
                            r.id,
                            schema.indicators[*res].code,
                            factors.iter().map(|&f| schema.indicators[f].code.as_str()).collect::<Vec<_>>().join(" × ")
                        ),
                    );
                    continue;
                }
                instances.push((factors, *res));
            }
            if instances.is_empty() {
                unknown(&r.factors[0], "factors", problems);
                return None;
            }
            Some(Check::Product { instances })
        }
        RuleKind::Sum => {
            if !require(r.total.is_some(), "total", problems) || !require(!r.parts.is_empty(), "parts", problems) {
                return None;
            }
            let total = r.total.as_deref().unwrap_or_default();
            let others: Vec<&str> = r.parts.iter().map(String::as_str).collect();
            let mut instances = Vec::new();
            for (t, parts) in bound(total, &others) {
                let Some(parts) = parts.into_iter().collect::<Option<Vec<usize>>>() else {
                    continue;
                };
                if parts.iter().any(|&p| schema.units.factor(unit_of(p), unit_of(t)).is_none()) {
                    problems.add(
                        at,
                        Some("parts"),
                        format!("quy tắc \"{}\": các phần không cùng đơn vị với tổng", r.id),
                    );
                    continue;
                }
                instances.push((t, parts));
            }
            if instances.is_empty() {
                unknown(total, "total", problems);
                return None;
            }
            Some(Check::Sum { instances })
        }
        RuleKind::Compare => {
            if !require(r.expr.is_some(), "expr", problems) {
                return None;
            }
            let expr = r.expr.as_deref().unwrap_or_default();
            let Some((lhs, op, rhs)) = split_comparison(expr) else {
                problems.add(at, Some("expr"), format!("biểu thức \"{expr}\" cần một phép so sánh (<=, <, >=, >, ==)"));
                return None;
            };
            let parse = |side: &str, problems: &mut Problems| match Formula::parse(side, |n| schema.indicator(n)) {
                Ok(f) => Some(f),
                Err(e) => {
                    problems.add(at, Some("expr"), e);
                    None
                }
            };
            let (lhs, rhs) = (parse(lhs, problems), parse(rhs, problems));
            let (lhs, rhs) = (lhs?, rhs?);
            if !same_dimension(&lhs, &rhs, schema) {
                problems.add(at, Some("expr"), format!("biểu thức \"{expr}\": hai vế không cùng đơn vị đo"));
            }
            Some(Check::Compare { lhs: Box::new(lhs), op, rhs: Box::new(rhs) })
        }
        RuleKind::Range => {
            if !require(!r.indicators.is_empty(), "indicators", problems)
                || !require(r.min.is_some() || r.max.is_some(), "min hoặc max", problems)
            {
                return None;
            }
            if let (Some(a), Some(b)) = (r.min, r.max)
                && a > b
            {
                problems.add(at, Some("min"), format!("quy tắc \"{}\": min lớn hơn max", r.id));
            }
            Some(Check::Range { indicators: list(&r.indicators, "indicators", problems), min: r.min, max: r.max })
        }
        RuleKind::Integer => {
            if !require(!r.indicators.is_empty(), "indicators", problems) {
                return None;
            }
            Some(Check::Integer { indicators: list(&r.indicators, "indicators", problems) })
        }
        RuleKind::Presence => {
            if !require(r.together.len() >= 2, "together", problems) {
                return None;
            }
            let others: Vec<&str> = r.together[1..].iter().map(String::as_str).collect();
            let groups: Vec<Vec<usize>> = bound(&r.together[0], &others)
                .into_iter()
                .filter_map(|(first, rest)| {
                    let rest = rest.into_iter().collect::<Option<Vec<usize>>>()?;
                    Some(std::iter::once(first).chain(rest).collect())
                })
                .collect();
            if groups.is_empty() {
                unknown(&r.together[0], "together", problems);
                return None;
            }
            Some(Check::Presence { groups })
        }
        RuleKind::Change => {
            if !require(!r.indicators.is_empty(), "indicators", problems)
                || !require(
                    r.max_percent.is_some() || r.allow_decrease == Some(false),
                    "max_percent hoặc allow_decrease = false",
                    problems,
                )
            {
                return None;
            }
            Some(Check::Change {
                indicators: list(&r.indicators, "indicators", problems),
                max_percent: r.max_percent,
                allow_decrease: r.allow_decrease.unwrap_or(true),
            })
        }
        RuleKind::Completeness => Some(Check::Completeness),
    }
}

fn split_comparison(expr: &str) -> Option<(&str, CmpOp, &str)> {
    for (sym, op) in
        [("<=", CmpOp::Le), (">=", CmpOp::Ge), ("==", CmpOp::Eq), ("<", CmpOp::Lt), (">", CmpOp::Gt), ("=", CmpOp::Eq)]
    {
        if let Some((l, r)) = expr.split_once(sym) {
            if l.trim().is_empty() || r.trim().is_empty() || r.contains(['<', '>', '=']) {
                return None;
            }
            return Some((l.trim(), op, r.trim()));
        }
    }
    None
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

    #[test]
    fn comparison_split() {
        assert!(matches!(split_comparison("a + b <= c"), Some(("a + b", CmpOp::Le, "c"))));
        assert!(split_comparison("a + b").is_none());
        assert!(split_comparison("a <= b <= c").is_none());
    }
}
