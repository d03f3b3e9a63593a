//! Finding the files to read: any mix of files and folders, folders walked
//! recursively, in a stable order. Lock files and files that are not
//! spreadsheets are skipped with a note.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::Error;
use crate::model::Finding;
use crate::read::FileInput;
use crate::read::issues::Issue;

const SPREADSHEETS: &[&str] = &["xlsx", "xlsm", "xls", "xlsb", "ods", "xltx", "xltm", "xlt", "ots"];
/// Files the system or another program leaves in a folder.
const SYSTEM_FILES: &[&str] = &["thumbs.db", "desktop.ini", ".ds_store"];
/// Folders deeper than this are said, not read: a real archive is a few
/// levels deep, and the walk must end.
const MAX_DEPTH: usize = 32;

#[derive(Debug, Default)]
pub struct Discovered {
    pub files: Vec<FileInput>,
    pub findings: Vec<Finding>,
}

/// Walks the inputs. A missing input is a usage error.
pub fn discover(inputs: &[PathBuf]) -> Result<Discovered, Error> {
    let mut out = Discovered::default();
    for input in inputs {
        let meta = std::fs::metadata(input).map_err(|_| Error::InputNotFound(input.clone()))?;
        if meta.is_dir() {
            let root_name = input
                .canonicalize()
                .ok()
                .and_then(|p| p.file_name().map(|n| n.to_string_lossy().to_string()))
                .unwrap_or_default();
            walk(input, input, &mut vec![root_name], 0, &mut out);
        } else {
            let parent = input
                .canonicalize()
                .ok()
                .and_then(|p| p.parent().and_then(|d| d.file_name()).map(|n| n.to_string_lossy().to_string()));
            consider(input, display_of(input), parent.into_iter().collect(), &mut out);
        }
    }
    out.files.sort_by(|a, b| a.display.cmp(&b.display));
    out.files.dedup_by(|a, b| a.path == b.path);
    Ok(out)
}

fn display_of(p: &Path) -> Arc<str> {
    Arc::from(p.to_string_lossy().replace('\\', "/").trim_start_matches("./"))
}

fn walk(root: &Path, dir: &Path, folders: &mut Vec<String>, depth: usize, out: &mut Discovered) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        out.findings.push(Issue::FolderUnreadable { dir: &dir.display().to_string() }.finding());
        return;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        let Ok(ft) = e.file_type() else { continue };
        let rel = path.strip_prefix(root).unwrap_or(&path);
        if ft.is_dir() {
            // Symlinked folders are not followed: they can loop. Hidden
            // folders (".git") are no hamlet's.
            if e.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            if depth >= MAX_DEPTH {
                out.findings.push(Issue::FolderTooDeep { dir: &display_of(rel), depth: MAX_DEPTH }.finding());
                continue;
            }
            folders.push(e.file_name().to_string_lossy().to_string());
            walk(root, &path, folders, depth + 1, out);
            folders.pop();
        } else if ft.is_file() || (ft.is_symlink() && path.is_file()) {
            // A link is followed only to a regular file: never to a pipe or device.
            consider(&path, display_of(rel), folders.clone(), out);
        } else {
            // A pipe, a device, a socket, a link to a folder or to nothing:
            // never opened, but said.
            out.findings.push(Issue::NotARegularFile.finding().in_file(&display_of(rel)));
        }
    }
}

fn consider(path: &Path, display: Arc<str>, folders: Vec<String>, out: &mut Discovered) {
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let lower = name.to_lowercase();
    if SYSTEM_FILES.contains(&lower.as_str()) || (lower.starts_with('.') && !lower.starts_with(".~lock.")) {
        return;
    }
    let skip = |out: &mut Discovered, issue: Issue<'_>| out.findings.push(issue.finding().in_file(&display));
    if lower.starts_with("~$") || lower.starts_with(".~lock.") {
        skip(out, Issue::LockFile);
        return;
    }
    let ext = Path::new(&lower).extension().map(|e| e.to_string_lossy().to_string()).unwrap_or_default();
    if !SPREADSHEETS.contains(&ext.as_str()) {
        skip(out, Issue::NotASpreadsheet { ext: &ext });
        return;
    }
    out.files.push(FileInput { path: path.to_path_buf(), display, folders });
}
