//! The schema: the form, its units and indicators, the checks, the commune's
//! hamlets and the year's targets. It is data (TOML files in `schemas/`),
//! loaded and cross-checked here; the pipeline never names an indicator.
//!
//! `source` reads the files and their includes; `raw` holds them as written;
//! `compile` checks them part by part into the types below, and `rules`
//! compiles the checks.

mod compile;
mod formula;
mod lint;
pub mod names;
mod raw;
mod rules;
mod source;
mod unit;

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

pub use formula::Formula;
pub use source::{Problem, SchemaError};

use crate::model::{HamletId, IdVec, IndicatorId, RuleId, SectionId, Severity, TableId, UnitId};
use crate::text::{label_key, loose_key};
use crate::units::Units;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Any number: areas, yields, metres.
    Number,
    /// Whole things: animals, households, people.
    Count,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    /// A level: the latest value of the year counts.
    Stock,
    /// An amount done in the month: the months add up.
    Flow,
}

impl Aggregation {
    pub fn code(self) -> &'static str {
        match self {
            Aggregation::Stock => "stock",
            Aggregation::Flow => "flow",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Commune {
    /// The issuing body, as printed at the top left: "UBND XÃ LẠC SƠN".
    pub name: String,
    pub report_title: String,
    /// The place of the date line ("Lạc Sơn"); None leaves it to the pen.
    pub place: Option<String>,
    /// Who receives the report ("Nơi nhận"), one line each.
    pub recipients: Vec<String>,
    /// What the unit and its hamlets are called ([`crate::words`]).
    pub words: crate::words::Words,
    /// The signature block's title lines.
    pub signer: Vec<String>,
    /// Who prepares the report, signing in the middle.
    pub preparer: String,
}

impl Commune {
    /// The commune's own default: its name with the recipients every
    /// commune report has.
    pub fn new(name: String) -> Commune {
        let place = place_of(&name);
        Commune {
            name,
            report_title: "BÁO CÁO TỔNG HỢP".into(),
            place,
            recipients: vec!["TT Đảng ủy, HĐND xã".into(), "Chủ tịch, các PCT UBND xã".into(), "Lưu: VP".into()],
            words: crate::words::Words::default(),
            signer: vec!["TM. ỦY BAN NHÂN DÂN".into(), "CHỦ TỊCH".into()],
            preparer: "NGƯỜI LẬP BIỂU".into(),
        }
    }
}

/// The place of a name like "UBND XÃ LẠC SƠN": "Lạc Sơn", the words after
/// the kind of unit, capitalised as a place is written; None when the name
/// has no more than the kind ("UBND XÃ", an old schema's placeholder).
pub fn place_of(name: &str) -> Option<String> {
    let upper = name.trim().to_uppercase();
    let rest = ["UBND ", "ỦY BAN NHÂN DÂN ", "UỶ BAN NHÂN DÂN "]
        .iter()
        .find_map(|p| upper.strip_prefix(p))
        .unwrap_or(&upper)
        .trim_start();
    let rest = ["XÃ ", "PHƯỜNG ", "ĐẶC KHU ", "THỊ TRẤN "].iter().find_map(|k| rest.strip_prefix(k))?;
    let words: Vec<String> = rest
        .split_whitespace()
        .map(|w| {
            let lower = w.to_lowercase();
            let mut cs = lower.chars();
            cs.next().map(|c| c.to_uppercase().chain(cs).collect()).unwrap_or_default()
        })
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

#[derive(Debug, Clone)]
pub struct Section {
    pub id: String,
    pub title: String,
}

/// A label and its variants, as keys: exact (but for case, spacing,
/// numbering, Unicode form, tone placement) and loose (no diacritics).
#[derive(Debug, Clone, Default)]
pub struct Labels {
    pub text: String,
    pub variants: Vec<String>,
    pub exact: Vec<String>,
    pub loose: Vec<String>,
}

impl Labels {
    pub fn new(text: &str, variants: &[String]) -> Labels {
        let mut l = Labels { text: text.to_string(), variants: variants.to_vec(), ..Labels::default() };
        for t in std::iter::once(text).chain(variants.iter().map(String::as_str)) {
            l.exact.push(label_key(t));
            l.loose.push(loose_key(t));
        }
        l
    }
}

#[derive(Debug, Clone)]
pub struct Column {
    /// None in a single-value table, where the row code is the indicator.
    pub code: Option<String>,
    pub labels: Labels,
    pub unit: Option<UnitId>,
}

#[derive(Debug, Clone)]
pub struct Row {
    pub code: String,
    pub labels: Labels,
    /// The indicator of each column.
    pub indicators: Vec<IndicatorId>,
    /// Rows of the same table whose sum this row is, where it is left out.
    pub parts: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Table {
    pub id: String,
    pub title: Labels,
    pub label_header: Labels,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

impl Table {
    pub fn is_grid(&self) -> bool {
        self.columns.iter().any(|c| c.code.is_some())
    }
}

#[derive(Debug, Clone)]
pub enum Origin {
    /// A figure on the form.
    Form,
    /// Computed at commune level from other indicators.
    Derived(Box<Formula>),
}

#[derive(Debug, Clone)]
pub struct Indicator {
    pub code: String,
    /// "Diện tích lúa vụ xuân", "Trâu".
    pub name: String,
    /// The column label in a grid table ("Diện tích"), else the name.
    pub label: String,
    /// The row label in a grid table ("Lúa vụ xuân").
    pub group: Option<String>,
    pub unit: UnitId,
    pub kind: Kind,
    pub aggregation: Aggregation,
    pub section: SectionId,
    pub origin: Origin,
    /// How the commune figure is formed when it is not the sum over hamlets
    /// (a yield is total output over total area).
    pub total: Option<Formula>,
    /// Indicators whose sum stands for this one in a hamlet that left it out.
    pub parts: Vec<IndicatorId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    /// Empty is not zero: a rule that needs an empty figure does not apply.
    #[default]
    Skip,
    /// An empty figure the rule needs is itself a finding.
    Fire,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Le,
    Lt,
    Ge,
    Gt,
    Eq,
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Le => "≤",
            CmpOp::Lt => "<",
            CmpOp::Ge => "≥",
            CmpOp::Gt => ">",
            CmpOp::Eq => "=",
        }
    }
}

/// One comparison of a compare rule, its indicators bound.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub lhs: Formula,
    pub op: CmpOp,
    pub rhs: Formula,
}

#[derive(Debug, Clone)]
pub enum Check {
    /// factors multiply to result, with the unit factor derived.
    Product { instances: Vec<(Vec<IndicatorId>, IndicatorId)> },
    /// total equals the sum of parts.
    Sum { instances: Vec<(IndicatorId, Vec<IndicatorId>)> },
    /// lhs op rhs: once, or once per row where the rule names rows with "*".
    Compare { instances: Vec<Comparison> },
    /// Plausible bounds.
    Range { indicators: Vec<IndicatorId>, min: Option<f64>, max: Option<f64> },
    /// Whole numbers only.
    Integer { indicators: Vec<IndicatorId> },
    /// All of a group or none.
    Presence { groups: Vec<Vec<IndicatorId>> },
    /// Month over month.
    Change { indicators: Vec<IndicatorId>, max_percent: Option<f64>, allow_decrease: bool },
    /// A month's flow that looks like the year to date.
    YearToDate { indicators: Vec<IndicatorId> },
    /// Hamlets that did not report.
    Completeness,
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub severity: Severity,
    pub instruction: Option<String>,
    pub missing: Missing,
    pub check: Check,
}

#[derive(Debug, Clone)]
pub struct Hamlet {
    pub name: String,
    /// The name and its aliases as keys ([`names::hamlet_key`]).
    pub keys: Vec<String>,
    /// The keys that are no ordinary word of a report, and so may be read
    /// inside a file or folder name ("Lac Son T6.xlsx").
    pub bare: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Goal {
    Plan { value: f64 },
    Range { min: f64, max: f64 },
    AtLeast { value: f64 },
    AtMost { value: f64 },
}

impl Goal {
    /// The figure "% of target" is taken against.
    pub fn reference(&self) -> f64 {
        match *self {
            Goal::Plan { value } | Goal::AtLeast { value } | Goal::AtMost { value } => value,
            Goal::Range { min, .. } => min,
        }
    }

    pub fn is_reached(&self, v: f64) -> bool {
        match *self {
            Goal::Plan { value } | Goal::AtLeast { value } => v >= value,
            Goal::AtMost { value } => v <= value,
            Goal::Range { min, max } => v >= min && v <= max,
        }
    }

    /// The code in the JSON report.
    pub fn kind_code(&self) -> &'static str {
        match self {
            Goal::Plan { .. } => "plan",
            Goal::Range { .. } => "range",
            Goal::AtLeast { .. } => "at_least",
            Goal::AtMost { .. } => "at_most",
        }
    }
}

#[derive(Debug, Clone)]
pub struct TargetSet {
    pub year: i32,
    /// Goal by indicator, in the indicator's own unit.
    pub goals: HashMap<IndicatorId, Goal>,
}

#[derive(Debug, Clone)]
pub struct Schema {
    pub commune: Commune,
    pub sections: IdVec<SectionId, Section>,
    pub units: Units,
    pub tables: IdVec<TableId, Table>,
    /// Form indicators first, then derived ones.
    pub indicators: IdVec<IndicatorId, Indicator>,
    /// How many of `indicators` are on the form.
    pub form_count: usize,
    pub by_code: HashMap<String, IndicatorId>,
    pub rules: IdVec<RuleId, Rule>,
    pub hamlets: IdVec<HamletId, Hamlet>,
    pub targets: Vec<TargetSet>,
    /// What would make reading uncertain, though the schema is valid.
    pub warnings: Vec<Problem>,
    /// This schema among those loaded in the process: caches of what a text
    /// means under a schema are keyed by it.
    pub id: u64,
}

impl Schema {
    /// The schema shipped in `schemas/`, built into the binary.
    /// The shipped schema's files, root first.
    pub fn builtin_files() -> &'static [(&'static str, &'static str)] {
        source::builtin_files()
    }

    pub fn builtin() -> Result<Schema, SchemaError> {
        compile::load("tonghop.toml", &source::embedded)
    }

    /// Loads a schema from a file on disk; its `include`s are read relative to it.
    pub fn from_file(path: &Path) -> Result<Schema, SchemaError> {
        let (root, read) = source::on_disk(path);
        compile::load(&root, &read)
    }

    /// Loads a schema from one text, as if it were the file `name`.
    #[cfg(test)]
    pub fn from_text(name: &str, text: &str) -> Result<Schema, SchemaError> {
        let read = |n: &str| if n == name { Ok(text.to_string()) } else { Err("không có tệp này".to_string()) };
        compile::load(name, &read)
    }

    pub fn indicator(&self, code: &str) -> Option<IndicatorId> {
        self.by_code.get(code).copied()
    }

    /// The indicators on the form, in order.
    pub fn form_indicators(&self) -> impl Iterator<Item = IndicatorId> + use<> {
        (0..self.form_count).map(IndicatorId::new)
    }

    /// The indicators derived from others, in order.
    pub fn derived_indicators(&self) -> impl Iterator<Item = IndicatorId> + use<> {
        (self.form_count..self.indicators.len()).map(IndicatorId::new)
    }

    pub fn unit_code(&self, indicator: IndicatorId) -> &str {
        &self.units.get(self.indicators[indicator].unit).code
    }

    /// The scale of an indicator's unit in its base unit.
    pub fn scale(&self, indicator: IndicatorId) -> f64 {
        self.units.get(self.indicators[indicator].unit).scale
    }

    pub fn targets_for(&self, year: i32) -> Option<&TargetSet> {
        self.targets.iter().find(|t| t.year == year)
    }

    /// The hamlet a name stands for, without regard to case or diacritics.
    pub fn find_hamlet(&self, name: &str) -> Option<HamletId> {
        let key = names::hamlet_key(name);
        if key.is_empty() {
            return None;
        }
        self.hamlets.position(|h| h.keys.contains(&key))
    }

    pub fn hamlet_name(&self, h: HamletId) -> &str {
        &self.hamlets[h].name
    }

    /// A hamlet as a sentence names it: "thôn Lạc Sơn", or the name itself
    /// when it says its kind ("Xóm 3", "Tổ dân phố 5", "Thôn Sơn").
    pub fn hamlet_title(&self, h: HamletId) -> String {
        let name = self.hamlet_name(h);
        let folded = crate::text::fold(name);
        let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
        if names::kind_words(&words) > 0 { name.to_string() } else { format!("{} {name}", self.commune.words.hamlet) }
    }
}

#[cfg(test)]
mod commune_tests {
    use super::place_of;

    #[test]
    fn the_place_is_read_from_the_name() {
        assert_eq!(place_of("UBND XÃ LẠC SƠN").as_deref(), Some("Lạc Sơn"));
        assert_eq!(place_of("Ủy ban nhân dân xã Đông Hòa").as_deref(), Some("Đông Hòa"));
        assert_eq!(place_of("UBND THỊ TRẤN PHÚ LỘC").as_deref(), Some("Phú Lộc"));
        assert_eq!(place_of("UBND XÃ"), None);
        assert_eq!(place_of("HTX Nông nghiệp"), None);
    }
}
