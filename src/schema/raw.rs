//! The schema's files as written: serde types, checked field by field with
//! validator. Items are deserialized one at a time, so that one wrong item
//! is a problem at its own line and the others are still checked; a rule or
//! a target is a tagged enum of its kinds, so a field that does not belong
//! to its kind is an error, and so is a missing one.

use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use toml::Spanned;
use validator::Validate;

use super::{Aggregation, Kind, Missing};
use crate::model::Severity;

static CODE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$").expect("code pattern"));

/// One file. Flat items are kept as tables and decoded one at a time;
/// tables keep the places of their columns and rows.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFile {
    /// Read apart, before the items (`source::gather`).
    #[serde(default, rename = "include")]
    _include: Vec<String>,
    pub commune: Option<Spanned<toml::Table>>,
    #[serde(default)]
    pub section: Vec<Spanned<toml::Table>>,
    #[serde(default)]
    pub unit: Vec<Spanned<toml::Table>>,
    #[serde(default)]
    pub table: Vec<Spanned<RawTable>>,
    #[serde(default)]
    pub derived: Vec<Spanned<toml::Table>>,
    #[serde(default)]
    pub rule: Vec<Spanned<toml::Table>>,
    #[serde(default)]
    pub hamlet: Vec<Spanned<toml::Table>>,
    pub targets: Option<Spanned<toml::Table>>,
    #[serde(default)]
    pub target: Vec<Spanned<toml::Table>>,
}

/// An item decoded, and serde's messages about it.
pub(super) type Decoded<T> = (Option<T>, Vec<String>);

/// Decodes one item. serde stops at the first field it does not know, so
/// each unknown field is taken out in turn and the item decoded again: every
/// misplaced field is said, and the rest of the item still checked.
pub(super) fn decode<T: DeserializeOwned>(mut table: toml::Table) -> Decoded<T> {
    let mut messages = Vec::new();
    loop {
        match toml::Value::Table(table.clone()).try_into::<T>() {
            Ok(v) => return (Some(v), messages),
            Err(e) => {
                let msg = e.message().trim().to_string();
                let unknown = msg.strip_prefix("unknown field `").and_then(|r| r.split('`').next()).map(str::to_string);
                messages.push(msg);
                match unknown {
                    Some(field) if table.remove(&field).is_some() => continue,
                    _ => return (None, messages),
                }
            }
        }
    }
}

/// Takes the fields common to every kind out of an item, leaving the
/// fields of its kind.
fn split(mut table: toml::Table, common: &[&str]) -> (toml::Table, toml::Table) {
    let head = common.iter().filter_map(|k| table.remove(*k).map(|v| (k.to_string(), v))).collect();
    (head, table)
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(super) enum RawSeverity {
    Error,
    Warning,
    Info,
}

impl From<RawSeverity> for Severity {
    fn from(s: RawSeverity) -> Severity {
        match s {
            RawSeverity::Error => Severity::Error,
            RawSeverity::Warning => Severity::Warning,
            RawSeverity::Info => Severity::Info,
        }
    }
}

#[derive(Debug, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCommune {
    #[validate(length(min = 1, message = "tên xã không được để trống"))]
    pub name: String,
    pub report_title: Option<String>,
    /// The place of the date line ("Lạc Sơn, ngày …"); else read from the name.
    pub place: Option<String>,
    /// The "Nơi nhận" lines under the report.
    pub recipients: Option<Vec<String>>,
    /// "xã", "phường" or "đặc khu".
    #[validate(custom(function = "unit_level"))]
    pub level: Option<String>,
    /// What the unit calls its hamlets: "thôn", "ấp", "bản", "tổ dân phố"…
    #[validate(length(min = 1, max = 30, message = "từ gọi thôn phải có từ 1 đến 30 ký tự"))]
    pub hamlet_word: Option<String>,
    /// The body the report goes to, first of "Nơi nhận".
    pub reports_to: Option<String>,
    /// The signature block's title lines: ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"].
    pub signer: Option<Vec<String>>,
    /// Who prepares the report: "NGƯỜI LẬP BIỂU".
    pub preparer: Option<String>,
}

fn unit_level(level: &str) -> Result<(), validator::ValidationError> {
    if ["xã", "phường", "đặc khu"].contains(&level.trim().to_lowercase().as_str()) {
        return Ok(());
    }
    let mut e = validator::ValidationError::new("level");
    e.message = Some("cấp phải là \"xã\", \"phường\" hoặc \"đặc khu\"".into());
    Err(e)
}

#[derive(Debug, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSection {
    #[validate(regex(path = *CODE, message = "mã chỉ gồm chữ thường không dấu, số và dấu _"))]
    pub id: String,
    #[validate(length(min = 1, message = "tiêu đề không được để trống"))]
    pub title: String,
}

fn one() -> f64 {
    1.0
}

#[derive(Debug, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub(super) struct RawUnit {
    #[validate(length(min = 1, max = 20, message = "mã đơn vị phải có từ 1 đến 20 ký tự"))]
    pub code: String,
    pub name: Option<String>,
    pub dimension: Option<String>,
    #[serde(default = "one")]
    #[validate(range(exclusive_min = 0.0, message = "hệ số quy đổi phải lớn hơn 0"))]
    pub scale: f64,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTable {
    #[validate(regex(path = *CODE, message = "mã chỉ gồm chữ thường không dấu, số và dấu _"))]
    pub id: String,
    pub section: Option<String>,
    #[validate(length(min = 1, message = "tiêu đề không được để trống"))]
    pub title: String,
    #[serde(default)]
    pub title_variants: Vec<String>,
    #[serde(default)]
    pub label_header: Vec<String>,
    pub kind: Option<Kind>,
    pub aggregation: Option<Aggregation>,
    #[serde(default)]
    pub column: Vec<Spanned<RawColumn>>,
    #[serde(default)]
    pub row: Vec<Spanned<RawRow>>,
}

#[derive(Debug, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub(super) struct RawColumn {
    #[validate(regex(path = *CODE, message = "mã chỉ gồm chữ thường không dấu, số và dấu _"))]
    pub code: Option<String>,
    #[validate(length(min = 1, message = "nhãn cột không được để trống"))]
    pub label: String,
    #[serde(default)]
    pub variants: Vec<String>,
    pub unit: Option<String>,
    pub kind: Option<Kind>,
    pub aggregation: Option<Aggregation>,
    pub total: Option<String>,
}

#[derive(Debug, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRow {
    #[validate(regex(path = *CODE, message = "mã chỉ gồm chữ thường không dấu, số và dấu _"))]
    pub code: String,
    #[validate(length(min = 1, message = "nhãn dòng không được để trống"))]
    pub label: String,
    #[serde(default)]
    pub variants: Vec<String>,
    pub unit: Option<String>,
    pub kind: Option<Kind>,
    pub aggregation: Option<Aggregation>,
    #[serde(default)]
    pub parts: Vec<String>,
}

#[derive(Debug, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDerived {
    #[validate(regex(path = *CODE, message = "mã chỉ gồm chữ thường không dấu, số và dấu _"))]
    pub code: String,
    #[validate(length(min = 1, message = "tên không được để trống"))]
    pub name: String,
    pub section: Option<String>,
    pub unit: String,
    pub kind: Option<Kind>,
    #[validate(length(min = 1, message = "công thức không được để trống"))]
    pub formula: String,
}

#[derive(Debug, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub(super) struct RawHamlet {
    #[validate(length(min = 1, message = "tên thôn không được để trống"))]
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTargets {
    #[validate(range(min = 1990, max = 2100, message = "năm phải từ 1990 đến 2100"))]
    pub year: i32,
    /// Where the targets come from (the resolution), for the reader of the schema.
    #[serde(rename = "source")]
    _source: Option<String>,
}

// --- Rules --------------------------------------------------------------------

/// What every rule has, whatever its kind.
#[derive(Debug, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub(super) struct RuleHead {
    #[validate(regex(path = *CODE, message = "mã chỉ gồm chữ thường không dấu, số và dấu _"))]
    pub id: String,
    pub severity: RawSeverity,
    pub instruction: Option<String>,
    #[serde(default)]
    pub missing: Missing,
}

/// A rule's own fields, by kind.
#[derive(Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(super) enum RuleBody {
    Product(ProductRule),
    Sum(SumRule),
    Compare(CompareRule),
    Range(RangeRule),
    Integer(IntegerRule),
    Presence(PresenceRule),
    Change(ChangeRule),
    YearToDate(YearToDateRule),
    Completeness(CompletenessRule),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ProductRule {
    pub factors: Vec<String>,
    pub result: String,
    #[serde(default)]
    pub except: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SumRule {
    pub total: String,
    pub parts: Vec<String>,
    #[serde(default)]
    pub except: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CompareRule {
    pub expr: String,
    #[serde(default)]
    pub except: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RangeRule {
    pub indicators: Vec<String>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    #[serde(default)]
    pub except: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct IntegerRule {
    pub indicators: Vec<String>,
    #[serde(default)]
    pub except: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PresenceRule {
    pub together: Vec<String>,
    #[serde(default)]
    pub except: Vec<String>,
}

#[derive(Debug, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub(super) struct ChangeRule {
    pub indicators: Vec<String>,
    #[validate(range(exclusive_min = 0.0, message = "max_percent phải lớn hơn 0"))]
    pub max_percent: Option<f64>,
    pub allow_decrease: Option<bool>,
    #[serde(default)]
    pub except: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct YearToDateRule {
    pub indicators: Vec<String>,
    #[serde(default)]
    pub except: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CompletenessRule {}

#[derive(Debug)]
pub(super) struct RawRule {
    pub head: RuleHead,
    pub body: RuleBody,
}

/// Decodes a rule: its common fields, then the fields of its kind. Both
/// halves are checked, so every problem of the item is said at once.
pub(super) fn rule(table: toml::Table) -> Decoded<RawRule> {
    let (head, body) = split(table, &["id", "severity", "instruction", "missing"]);
    let ((head, mut m), (body, b)) = (decode::<RuleHead>(head), decode::<RuleBody>(body));
    m.extend(b);
    (head.zip(body).map(|(head, body)| RawRule { head, body }), m)
}

// --- Targets ------------------------------------------------------------------

#[derive(Debug, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub(super) struct TargetHead {
    #[validate(length(min = 1, message = "cần nêu chỉ tiêu"))]
    pub indicator: String,
    pub unit: Option<String>,
}

/// A target's goal, by kind.
#[derive(Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub(super) enum GoalBody {
    Plan { value: f64 },
    Range { min: f64, max: f64 },
    AtLeast { value: f64 },
    AtMost { value: f64 },
}

#[derive(Debug)]
pub(super) struct RawTarget {
    pub head: TargetHead,
    pub goal: GoalBody,
}

pub(super) fn target(table: toml::Table) -> Decoded<RawTarget> {
    let (head, body) = split(table, &["indicator", "unit"]);
    let ((head, mut m), (goal, b)) = (decode::<TargetHead>(head), decode::<GoalBody>(body));
    m.extend(b);
    (head.zip(goal).map(|(head, goal)| RawTarget { head, goal }), m)
}
