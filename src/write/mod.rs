//! Writing what was found: the summary workbook (one module per sheet, the
//! styles they share), the blank form, the text a clerk reads in a terminal.
//! Files are written whole or not at all.

mod detail;
pub mod feedback;
mod findings;
mod form;
mod formulas;
pub mod messages;
mod pages;
mod status;
mod styles;
mod summary;
pub mod template;
pub mod text;
pub mod workbook;

use std::io::Write;
use std::path::Path;

use crate::error::Error;
use crate::model::{IndicatorId, SectionId};
use crate::schema::Schema;

/// Writing a workbook fails only with rust_xlsxwriter's error, converted to
/// the command's error once, where the file is named.
pub type Result<T = ()> = std::result::Result<T, rust_xlsxwriter::XlsxError>;

/// Writes a file atomically: into a temporary file beside it, then renamed
/// over it, so that a reader never sees half a file.
pub fn atomic(path: &Path, bytes: &[u8]) -> std::result::Result<(), Error> {
    let err = |source| Error::Write { path: path.to_path_buf(), source };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(err)
}

/// Indicators by section, in schema order; sections with none left out.
fn by_section(schema: &Schema) -> Vec<(SectionId, Vec<IndicatorId>)> {
    let mut out: Vec<(SectionId, Vec<IndicatorId>)> = schema.sections.ids().map(|s| (s, Vec::new())).collect();
    for (i, ind) in schema.indicators.enumerate() {
        if let Some(s) = out.iter_mut().find(|s| s.0 == ind.section) {
            s.1.push(i);
        }
    }
    out.retain(|s| !s.1.is_empty());
    out
}
