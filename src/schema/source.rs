//! Where a schema comes from: the files built into the binary, a file on
//! disk and the files it includes; where each item was written (file and
//! line), and the problems found, each at its line.

use std::collections::HashSet;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::Spanned;

/// The shipped schema, file by file, as built into the binary.
const EMBEDDED: &[(&str, &str)] = &[
    ("tonghop.toml", include_str!("../../schemas/tonghop.toml")),
    ("form.toml", include_str!("../../schemas/form.toml")),
    ("rules.toml", include_str!("../../schemas/rules.toml")),
    ("commune.toml", include_str!("../../schemas/commune.toml")),
    ("targets-2024.toml", include_str!("../../schemas/targets-2024.toml")),
];

/// The shipped schema's files, root first: what `init` and `schema export`
/// write out.
pub fn builtin_files() -> &'static [(&'static str, &'static str)] {
    EMBEDDED
}

/// One file of a schema, as read.
pub(super) struct SourceFile {
    pub name: String,
    pub text: String,
}

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

/// Reads a named file of the schema being loaded.
pub(super) type Reader<'a> = dyn Fn(&str) -> Result<String, String> + 'a;

pub(super) fn embedded(name: &str) -> Result<String, String> {
    EMBEDDED
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| t.to_string())
        .ok_or_else(|| "không có trong lược đồ dựng sẵn".to_string())
}

/// A reader of files on disk, relative to the root file's folder.
pub(super) fn on_disk(path: &Path) -> (String, impl Fn(&str) -> Result<String, String>) {
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let root = path.to_string_lossy().to_string();
    let name = root.clone();
    let read = move |name: &str| {
        let p = if name == root { PathBuf::from(name) } else { dir.join(name) };
        std::fs::read_to_string(&p).map_err(|e| format!("không đọc được tệp: {}", crate::error::vn_io(&e)))
    };
    (name, read)
}

/// The root file and every file it includes, in the order they are read.
/// A file that cannot be read is a problem where it is named.
pub(super) fn gather(root: &str, read: &Reader<'_>, problems: &mut Problems) -> Vec<SourceFile> {
    let mut files = Vec::new();
    let mut queue: Vec<(String, Option<(String, usize)>)> = vec![(root.to_string(), None)];
    let mut seen: HashSet<String> = HashSet::new();
    while let Some((name, from)) = queue.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let text = match read(&name) {
            Ok(t) => t,
            Err(e) => {
                let (file, line) = from.unwrap_or((name.clone(), 0));
                problems.0.push(Problem { file, line, message: format!("tệp \"{name}\": {e}") });
                continue;
            }
        };
        let includes = includes_of(&text);
        for (inc, offset) in includes.iter().rev() {
            queue.push((inc.clone(), Some((name.clone(), line_at(&text, *offset)))));
        }
        files.push(SourceFile { name, text });
    }
    files
}

/// The `include = [...]` of a file, with where each is written; a file that
/// does not parse includes nothing (its own problem is reported when read).
fn includes_of(text: &str) -> Vec<(String, usize)> {
    #[derive(serde::Deserialize)]
    struct Head {
        #[serde(default)]
        include: Vec<Spanned<String>>,
    }
    // Parsed only where the word is written: every run (and every worker)
    // loads the schema, and the parts with no include are most of it.
    if !text.contains("include") {
        return Vec::new();
    }
    match toml::from_str::<Head>(text) {
        Ok(h) => h.include.into_iter().map(|s| (s.get_ref().clone(), s.span().start)).collect(),
        Err(_) => Vec::new(),
    }
}

/// Where something was written: a file and a span in it.
#[derive(Clone, Copy)]
pub(super) struct At<'a> {
    pub file: &'a SourceFile,
    span: (usize, usize),
}

impl<'a> At<'a> {
    pub fn new<T>(file: &'a SourceFile, s: &Spanned<T>) -> Self {
        let r: Range<usize> = s.span();
        At { file, span: (r.start, r.end) }
    }

    pub fn line(&self) -> usize {
        line_at(&self.file.text, self.span.0)
    }

    /// The line of `field = ...` within this item, or the item's own line.
    /// A table's span may cover only its header, so the search runs on to
    /// the next table header.
    pub fn field_line(&self, field: &str) -> usize {
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
            {
                return line_at(text, offset);
            }
            offset += line.len();
        }
        self.line()
    }
}

pub(super) fn line_at(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|b| **b == b'\n').count() + 1
}

/// The problems found so far.
#[derive(Default)]
pub(super) struct Problems(pub Vec<Problem>);

impl Problems {
    /// A problem at an item, on the line of `field` when it is given.
    pub fn add(&mut self, at: At<'_>, field: Option<&str>, message: impl Into<String>) {
        let line = field.map_or_else(|| at.line(), |f| at.field_line(f));
        self.0.push(Problem { file: at.file.name.clone(), line, message: message.into() });
    }

    /// A problem with the schema as a whole, named after its first file.
    pub fn whole(&mut self, file: &str, message: impl Into<String>) {
        self.0.push(Problem { file: file.to_string(), line: 0, message: message.into() });
    }

    pub fn validation(&mut self, at: At<'_>, what: &str, errors: validator::ValidationErrors) {
        let mut fields: Vec<_> = errors.field_errors().into_iter().collect();
        fields.sort_by(|a, b| a.0.cmp(&b.0));
        for (field, errs) in fields {
            for e in errs {
                let msg = e.message.as_ref().map_or_else(|| e.code.to_string(), |m| m.to_string());
                self.add(at, Some(field.as_ref()), format!("{what}: trường \"{field}\": {msg}"));
            }
        }
    }

    /// A serde or toml error about one item: on the line of the field it
    /// names, in the clerk's language where it is common.
    pub fn serde(&mut self, at: At<'_>, what: &str, message: &str) {
        let field = named_field(message);
        self.add(at, field.as_deref(), format!("{what}: {}", translate(message)));
    }

    pub fn into_result<T>(mut self, value: T) -> Result<T, SchemaError> {
        if self.0.is_empty() {
            return Ok(value);
        }
        self.0.sort();
        self.0.dedup();
        Err(SchemaError(self.0))
    }
}

/// The field a serde message is about: "unknown field `x`", "missing field `x`".
fn named_field(msg: &str) -> Option<String> {
    let rest = msg.strip_prefix("unknown field ").or_else(|| msg.strip_prefix("unknown variant "))?;
    let name = rest.split(',').next()?.trim().trim_matches('`');
    if msg.starts_with("unknown variant") { Some("kind".to_string()) } else { Some(name.to_string()) }
}

/// serde's and toml's messages, in the clerk's language where they are common.
pub(super) fn translate(msg: &str) -> String {
    let msg = msg.trim();
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
