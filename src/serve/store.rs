//! Where the server keeps what arrives: the very folder the command line
//! reads, one folder per month, each hamlet's latest report in it. An
//! earlier upload is never overwritten: it moves to `.tonghop/luu-tru/`
//! (a hidden folder the reader never walks), and an append-only log says
//! who uploaded what, when. Files are written to a temporary name, then
//! renamed: a restart loses nothing and leaves nothing half written.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::model::HamletId;
use crate::period::Period;
use crate::schema::Schema;

/// The server's own folder inside the storage folder.
pub const OWN: &str = ".tonghop";
/// An upload's size at most.
pub const MAX_BYTES: usize = 10 << 20;

/// What a file's bytes say it is; None when it is no spreadsheet.
pub fn kind_of(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"PK\x03\x04") {
        // An ods names its type in its first part, uncompressed.
        let head = &bytes[..bytes.len().min(200)];
        let ods = memchr::memmem::find(head, b"application/vnd.oasis.opendocument.spreadsheet").is_some();
        return Some(if ods { "ods" } else { "xlsx" });
    }
    bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]).then_some("xls")
}

/// A hamlet's file name in a month's folder: its name without diacritics.
pub fn stem_of(schema: &Schema, h: HamletId) -> String {
    crate::text::slug(schema.hamlet_name(h))
}

/// Writes bytes under a temporary name in `dir`, then renames them into
/// `to`: never half a file.
pub fn write_atomic(dir: &Path, to: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".tai-len-{}.tmp", unique()));
    let mut f = std::fs::File::create(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    std::fs::rename(&tmp, to).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// A name no other upload of this process has.
pub fn unique() -> String {
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{}-{}-{n}", std::process::id(), now_secs())
}

pub fn now_secs() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// Puts a hamlet's report, read for `period`, in the month's folder; its
/// earlier files of that month (`earlier`: whatever their names, as read)
/// move to the archive. Returns where it is.
pub fn place(
    root: &Path,
    schema: &Schema,
    (h, period): (HamletId, Period),
    from: &Path,
    earlier: &[PathBuf],
) -> std::io::Result<PathBuf> {
    let month = root.join(period.to_string());
    std::fs::create_dir_all(&month)?;
    let stem = stem_of(schema, h);
    let ext = from.extension().and_then(|e| e.to_str()).unwrap_or("xlsx");
    let archive = root.join(OWN).join("luu-tru").join(period.to_string());
    let named = std::fs::read_dir(&month)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.file_stem().and_then(|s| s.to_str()) == Some(stem.as_str()));
    let mut old: Vec<PathBuf> = named.chain(earlier.iter().filter(|p| p.starts_with(&month)).cloned()).collect();
    old.sort();
    old.dedup();
    for p in old {
        std::fs::create_dir_all(&archive)?;
        let old_ext = p.extension().and_then(|e| e.to_str()).unwrap_or("xlsx");
        std::fs::rename(&p, archive.join(format!("{stem}-{}.{old_ext}", unique())))?;
    }
    let to = month.join(format!("{stem}.{ext}"));
    std::fs::rename(from, &to)?;
    Ok(to)
}

/// An upload not taken (another hamlet's report, no month): kept aside.
pub fn set_aside(root: &Path, from: &Path) -> std::io::Result<()> {
    let dir = root.join(OWN).join("khong-nhan");
    std::fs::create_dir_all(&dir)?;
    let name = from.file_name().map(|n| n.to_owned()).unwrap_or_default();
    std::fs::rename(from, dir.join(name))
}

/// One line of the append-only log.
pub fn log(root: &Path, line: &str) {
    let path = root.join(OWN).join("nhat-ky.log");
    let _ = std::fs::create_dir_all(root.join(OWN));
    if let Ok(mut f) = std::fs::OpenOptions::new().create(true).append(true).open(path) {
        let _ = writeln!(f, "{} {line}", crate::calendar::format_vn(now_secs() + 7 * 3600));
    }
}

/// The months that have a folder, latest first.
pub fn months(root: &Path) -> Vec<Period> {
    let mut out: Vec<Period> = std::fs::read_dir(root)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().to_str()?.parse().ok())
        .collect();
    out.sort_by(|a, b| b.cmp(a));
    out
}
