//! What an output may never be: one of the inputs, a report under the input
//! folders, the other output, or something that is not a regular file. All
//! of it is checked before anything is written, so that a slip on the
//! command line costs a message, never a hamlet's report.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// The path an output will have, made absolute so that two spellings of one
/// file compare equal (the file itself need not exist yet).
fn absolute(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    let parent = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let parent = parent.canonicalize().unwrap_or_else(|_| parent.to_path_buf());
    path.file_name().map_or(parent.clone(), |n| parent.join(n))
}

/// Before reading: the outputs' folders exist, they are not the same file,
/// and neither is a folder, a device or a pipe.
pub fn outputs_usable(outputs: &[&Path]) -> Result<(), Error> {
    for (i, p) in outputs.iter().enumerate() {
        let dir = p.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        if !dir.is_dir() {
            let source = std::io::Error::new(std::io::ErrorKind::NotFound, "thư mục không tồn tại");
            return Err(Error::Write { path: p.to_path_buf(), source });
        }
        if let Ok(meta) = std::fs::symlink_metadata(p)
            && !meta.is_file()
        {
            return Err(Error::OutputNotFile(p.to_path_buf()));
        }
        if outputs[..i].iter().any(|o| absolute(o) == absolute(p)) {
            return Err(Error::OutputsSame(p.to_path_buf()));
        }
    }
    Ok(())
}

/// After reading, before writing: an output is none of the files named on
/// the command line, and no file that already exists under an input folder
/// unless tonghop wrote it (a summary or a JSON report of an earlier run).
pub fn outputs_spare_inputs(outputs: &[&Path], inputs: &[PathBuf]) -> Result<(), Error> {
    let inputs: Vec<PathBuf> = inputs.iter().map(|i| absolute(i)).collect();
    for p in outputs {
        let target = absolute(p);
        let named = inputs.contains(&target);
        let under = target.is_file() && inputs.iter().any(|i| i.is_dir() && target.starts_with(i));
        if named
            || (under
                && !is_own_summary(&target)
                && !is_own_json(&target)
                && !is_own_feedback(&target)
                && !is_own_messages(&target))
        {
            return Err(Error::OutputIsInput(p.to_path_buf()));
        }
    }
    Ok(())
}

/// Is this the messages file tonghop wrote for the hamlets?
fn is_own_messages(path: &Path) -> bool {
    let mut head = [0u8; 128];
    let n = std::fs::File::open(path).and_then(|mut f| f.read(&mut head)).unwrap_or(0);
    String::from_utf8_lossy(&head[..n]).starts_with(crate::write::messages::HEADING)
}

/// Is this a JSON report tonghop wrote?
fn is_own_json(path: &Path) -> bool {
    let mut head = [0u8; 64];
    let n = std::fs::File::open(path).and_then(|mut f| f.read(&mut head)).unwrap_or(0);
    let head = String::from_utf8_lossy(&head[..n]);
    head.trim_start().starts_with('{') && head.contains("\"tool\": \"tonghop\"")
}

/// Is this a summary workbook tonghop wrote (its four sheets, in order)?
pub fn is_own_summary(path: &Path) -> bool {
    sheet_names(path)
        .is_some_and(|n| crate::write::workbook::is_summary(&n.iter().map(String::as_str).collect::<Vec<_>>()))
}

/// Is this a feedback workbook tonghop wrote for a hamlet?
pub fn is_own_feedback(path: &Path) -> bool {
    sheet_names(path).is_some_and(|n| n == crate::write::feedback::SHEETS)
}

/// The sheet names of an xlsx, from its workbook part.
fn sheet_names(path: &Path) -> Option<Vec<String>> {
    let file = std::fs::File::open(path).ok()?;
    let mut zip = zip::ZipArchive::new(file).ok()?;
    let mut part = zip.by_name("xl/workbook.xml").ok()?;
    let mut xml = String::new();
    part.by_ref().take(1 << 20).read_to_string(&mut xml).ok()?;
    Some(
        xml.split("<sheet ")
            .skip(1)
            .filter_map(|s| s.split("name=\"").nth(1)?.split('"').next())
            .map(str::to_string)
            .collect(),
    )
}
