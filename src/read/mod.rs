//! Reading one file into submissions: open it (whatever it really is),
//! find the form on each sheet, and tell which hamlet and month it is for.
//! A file that cannot be read is a finding, never a stop.

mod grid;
mod header;
mod hidden;
mod layout;
mod workbook;

use std::path::PathBuf;
use std::sync::Arc;

pub use grid::{Cell, Grid, Val};
pub use layout::Matcher;
pub use workbook::{Book, Format, OpenError, sniff};

use crate::legacy::{self, Encoding};
use crate::model::{Finding, Severity, Status, Submission};
use crate::period::Period;
use crate::schema::Schema;
use header::{Clue, Clues, HamletName};

/// Files larger than this are not hamlet reports; reading them would only
/// cost memory.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// A file to read, as discovery found it.
#[derive(Debug, Clone)]
pub struct FileInput {
    pub path: PathBuf,
    /// The path as shown to the user: relative to the input folder given.
    pub display: Arc<str>,
    /// Folder names from the input folder down to the file, which may name
    /// the month ("2024-06") or the hamlet.
    pub folders: Vec<String>,
}

#[derive(Debug, Default)]
pub struct FileResult {
    pub submissions: Vec<Submission>,
    pub findings: Vec<Finding>,
}

fn rejected(input: &FileInput, sheet: Option<Arc<str>>, schema: &Schema, mtime: Option<i64>) -> Submission {
    Submission {
        file: input.display.clone(),
        path: input.path.clone(),
        sheet,
        hamlet: None,
        period: None,
        status: Status::Rejected,
        modified: mtime,
        entries: vec![None; schema.form_count],
    }
}

/// Reads one file. Never panics on its content: a panic inside a reader is
/// caught and reported as an unreadable file.
pub fn read_file(input: &FileInput, schema: &Schema, matcher: &Matcher) -> FileResult {
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_file_inner(input, schema, matcher)));
    caught.unwrap_or_else(|_| FileResult {
        submissions: vec![rejected(input, None, schema, None)],
        findings: vec![Finding::new(Severity::Error, "tep_hong", "Tệp có cấu trúc bất thường làm bộ đọc bảng tính gặp lỗi; không đọc được tệp này. Mở bằng Excel, lưu lại rồi gửi.").in_file(&input.display)],
    })
}

fn read_file_inner(input: &FileInput, schema: &Schema, matcher: &Matcher) -> FileResult {
    let mut out = FileResult::default();
    // One open: the size and time from the handle, then the bytes.
    let file = std::fs::File::open(&input.path);
    let meta = file.as_ref().ok().and_then(|f| f.metadata().ok());
    let mtime = meta
        .as_ref()
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_secs() as i64);
    let fail = |out: &mut FileResult, rule: &str, msg: String| {
        out.submissions.push(rejected(input, None, schema, mtime));
        out.findings.push(Finding::new(Severity::Error, rule, msg).in_file(&input.display));
    };
    let size = meta.as_ref().map_or(0, |m| m.len());
    if size > MAX_FILE_BYTES {
        fail(
            &mut out,
            "tep_qua_lon",
            format!("Tệp quá lớn ({} MB) để là một báo cáo thôn; bỏ qua.", size / 1024 / 1024),
        );
        return out;
    }
    // A name that leads to a device or a pipe is no file to read.
    if meta.as_ref().is_some_and(|m| !m.is_file()) {
        fail(
            &mut out,
            "khong_phai_bang_tinh",
            "Đây không phải một tệp thường (thiết bị hoặc đường ống), bỏ qua.".into(),
        );
        return out;
    }
    let mut bytes = Vec::with_capacity(size as usize);
    let read =
        file.and_then(|f| std::io::Read::read_to_end(&mut std::io::Read::take(f, MAX_FILE_BYTES + 1), &mut bytes));
    if let Err(e) = read {
        fail(&mut out, "khong_doc_duoc", format!("Không mở được tệp: {e}."));
        return out;
    }
    let mut book = match Book::open(bytes) {
        Ok(b) => b,
        Err(e) => {
            let rule = match e {
                OpenError::Password => "mat_khau",
                OpenError::Corrupt(_) | OpenError::Empty => "tep_hong",
                _ => "khong_phai_bang_tinh",
            };
            fail(&mut out, rule, e.message());
            return out;
        }
    };
    // When the workbook was saved is only wanted for a few files (two reports
    // of one hamlet and month, the status sheet): see [`saved_time`].
    let modified = mtime;
    let file_stem = input.path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
    let sheets = book.sheets();
    let report_sheets = sheets.iter().filter(|s| s.worksheet).count();
    let mut any_report = false;
    for info in sheets.iter().filter(|s| s.worksheet) {
        let mut grid = match book.grid(&info.name) {
            Ok(g) => g,
            Err(e) => {
                out.findings.push(
                    Finding::new(
                        Severity::Warning,
                        "trang_hong",
                        format!("Không đọc được trang tính \"{}\": {e}.", info.name),
                    )
                    .in_file(&input.display),
                );
                continue;
            }
        };
        grid.hidden = info.hidden;
        if grid.is_empty() {
            continue;
        }
        let legacy = decode_legacy(&mut grid, &mut book, &info.name);
        let mut placed = layout::place(&grid, schema, matcher, &input.display);
        if placed.missing_columns {
            // Merged header cells may name the columns that were not found.
            let merges = book.merges(&info.name);
            if !merges.is_empty() {
                grid.set_merges(merges);
                placed = layout::place(&grid, schema, matcher, &input.display);
            }
        }
        let sheet: Arc<str> = grid.sheet.clone();
        if placed.tables.is_empty() {
            out.findings.push(
                Finding::new(Severity::Info, "khong_phai_bao_cao", format!(
                    "Trang tính \"{}\" không có bảng nào của biểu mẫu (có lẽ là trang hướng dẫn hoặc ghi chú), bỏ qua.", info.name))
                    .on_sheet(&input.display, &sheet),
            );
            continue;
        }
        any_report = true;
        if !placed.empty_cells.is_empty() && book.format != Format::Xlsx {
            mark_formulas(&mut book, &info.name, &mut placed, schema);
        }
        let mut clues = header::from_sheet(&grid, schema, placed.first_header_row);
        // A sheet name names the hamlet only when the workbook holds several.
        let sheet_name = (report_sheets > 1).then_some(info.name.as_str());
        header::from_names(&mut clues, schema, sheet_name, &file_stem, &input.folders);
        let mut findings = placed.findings;
        hidden_figures(&mut book, &info.name, &placed.entries, schema, &mut findings);
        if let Some((enc, n)) = legacy {
            findings.push(
                Finding::new(
                    Severity::Info,
                    "bang_ma_cu",
                    format!(
                        "Trang tính \"{}\" gõ bằng bảng mã {} (phông chữ cũ): đã chuyển {n} ô sang Unicode để đọc.",
                        info.name,
                        enc.name()
                    ),
                )
                .on_sheet(&input.display, &sheet),
            );
        }
        if info.hidden {
            findings.push(
                Finding::new(Severity::Warning, "trang_an", format!(
                    "Trang tính \"{}\" đang bị ẩn nhưng có báo cáo: đã đọc, đề nghị kiểm tra xem có phải bản cũ không.", info.name))
                    .on_sheet(&input.display, &sheet),
            );
        }
        if grid.truncated {
            findings.push(
                Finding::new(
                    Severity::Info,
                    "trang_qua_lon",
                    format!(
                        "Trang tính \"{}\" rất lớn: chỉ đọc {} dòng, {} cột đầu.",
                        info.name,
                        grid::MAX_ROWS,
                        grid::MAX_COLS
                    ),
                )
                .on_sheet(&input.display, &sheet),
            );
        }
        let (hamlet, period, status) = identify(&clues, schema, &input.display, &sheet, &mut findings);
        let hamlet_name = hamlet.map(|h| schema.hamlets[h].name.clone());
        for f in &mut findings {
            f.hamlet = f.hamlet.take().or_else(|| hamlet_name.clone());
            f.period = f.period.take().or_else(|| period.map(|p| p.to_string()));
        }
        out.findings.extend(findings);
        out.submissions.push(Submission {
            file: input.display.clone(),
            path: input.path.clone(),
            sheet: Some(sheet),
            hamlet,
            period,
            status,
            modified,
            entries: placed.entries,
        });
    }
    if !any_report {
        let why = if report_sheets == 0 {
            "Tệp không có trang tính nào."
        } else {
            "Tệp không có trang nào theo biểu mẫu báo cáo tháng (không thấy các bảng Trồng trọt, Chăn nuôi, …)."
        };
        out.submissions.push(rejected(input, None, schema, mtime));
        out.findings.push(Finding::new(Severity::Warning, "khong_phai_bao_cao", why).in_file(&input.display));
    }
    out
}

/// Figures read from hidden rows: read and added, but said.
fn hidden_figures(
    book: &mut Book,
    sheet: &str,
    entries: &[Option<crate::model::Entry>],
    schema: &Schema,
    findings: &mut Vec<Finding>,
) {
    let hidden = book.hidden_rows(sheet);
    if hidden.is_empty() {
        return;
    }
    let mut rows: Vec<(u32, Vec<&str>, &crate::model::Source)> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let Some(e) = e.as_ref().filter(|e| e.value.is_some() && hidden.contains(&e.source.row)) else { continue };
        let name = schema.indicators[i].group.as_deref().unwrap_or(&schema.indicators[i].name);
        match rows.iter_mut().find(|r| r.0 == e.source.row) {
            Some(r) => {
                if !r.1.contains(&name) {
                    r.1.push(name)
                }
            }
            None => rows.push((e.source.row, vec![name], &e.source)),
        }
    }
    for (row, names, source) in rows {
        findings.push(
            Finding::new(Severity::Warning, "dong_an", format!(
                "Dòng {} ({}) đang bị ẩn nhưng có số liệu: đã đọc và cộng vào tổng; đề nghị thôn xác nhận số này còn dùng được.",
                row + 1, names.join(", ")))
                .at(source),
        );
    }
}

/// Decodes texts typed in TCVN3 or VNI-Windows. A text is decoded when its
/// font says so (xlsx), or when it carries the marks of one encoding; on a
/// sheet in TCVN3 with no Unicode Vietnamese at all, every Latin-1 text is.
fn decode_legacy(grid: &mut Grid, book: &mut Book, sheet: &str) -> Option<(Encoding, usize)> {
    let candidates: Vec<(u32, u32)> =
        grid.text_cells().filter(|(_, t)| legacy::latin1_accented(t)).map(|(c, _)| (c.row, c.col)).collect();
    if candidates.is_empty() {
        return None;
    }
    let (mut tcvn, mut vni) = (0, 0);
    for (_, t) in grid.text_cells() {
        tcvn += usize::from(legacy::looks_tcvn3(t));
        vni += usize::from(legacy::looks_vni(t));
    }
    if tcvn + vni == 0 {
        return None;
    }
    let sheet_enc = if tcvn >= vni { Encoding::Tcvn3 } else { Encoding::Vni };
    let unicode_vietnamese = grid.text_cells().any(|(_, t)| t.chars().any(|c| u32::from(c) > 0xFF));
    let fonts = book.fonts(sheet, &candidates);
    let by_font: std::collections::HashMap<(u32, u32), String> =
        candidates.iter().zip(fonts).filter_map(|(p, f)| Some((*p, f?))).collect();
    let mut count = 0;
    grid.map_texts(|cell, text| {
        if !legacy::latin1_accented(text) {
            return None;
        }
        let font = by_font.get(&(cell.row, cell.col));
        let (enc, upper) = match font.and_then(|f| Encoding::of_font(f)) {
            Some(e) => (e, font.is_some_and(|f| f.trim_end().ends_with(['H', 'h']))),
            None => {
                let marked = match sheet_enc {
                    Encoding::Tcvn3 => legacy::looks_tcvn3(text) || !unicode_vietnamese,
                    Encoding::Vni => legacy::looks_vni(text),
                };
                if !marked {
                    return None;
                }
                (sheet_enc, false)
            }
        };
        count += 1;
        Some(legacy::decode(text, enc, upper))
    });
    (count > 0).then_some((sheet_enc, count))
}

/// When a file says it was last saved: the workbook's own "modified" property,
/// else the file system's time. Read apart from the figures, for the few
/// files that need it.
pub fn saved_time(path: &std::path::Path, fallback: Option<i64>) -> Option<i64> {
    let Ok(bytes) = std::fs::read(path) else { return fallback };
    let stamp = match sniff(&bytes) {
        // The one small part, without opening the workbook.
        Ok(Format::Xlsx) => hidden::Package::open(workbook::Bytes::new(bytes))
            .and_then(|mut p| p.xlsx_modified())
            .as_deref()
            .and_then(workbook::parse_timestamp),
        _ => Book::open(bytes).ok().and_then(|mut b| b.modified()),
    };
    stamp.or(fallback)
}

/// A formula with no stored value reads as an empty cell in these formats;
/// ask for the formulas only when some figure was empty.
fn mark_formulas(book: &mut Book, sheet: &str, placed: &mut layout::Placed, schema: &Schema) {
    let formulas = book.formulas(sheet);
    if formulas.is_empty() {
        return;
    }
    for &(row, col, ind) in &placed.empty_cells {
        if !formulas.contains(&(row, col)) {
            continue;
        }
        if let Some(Some(e)) = placed.entries.get_mut(ind) {
            e.unreadable = true;
            placed.findings.push(
                Finding::new(Severity::Warning, "cong_thuc_chua_tinh", format!(
                    "{}: ô có công thức nhưng chưa có giá trị tính sẵn. Mở bằng Excel hoặc LibreOffice, lưu lại rồi gửi; chương trình không coi ô này là 0.",
                    schema.indicators[ind].name))
                    .at(&e.source)
                    .indicator(&schema.indicators[ind].code),
            );
        }
    }
}

/// Settles the hamlet and month from the clues, most trusted first; a
/// conflict between clues is a warning, a hamlet not of the commune or a
/// month not found rejects the sheet.
fn identify(
    clues: &Clues,
    schema: &Schema,
    file: &Arc<str>,
    sheet: &Arc<str>,
    findings: &mut Vec<Finding>,
) -> (Option<usize>, Option<Period>, Status) {
    let at = |clue: &Clue, f: Finding| match clue {
        Clue::Header(r, c) | Clue::Title(r, c) => f.at_cell(file, sheet, *r, *c),
        _ => f.on_sheet(file, sheet),
    };
    let known: Vec<(usize, &Clue)> = clues
        .hamlets
        .iter()
        .filter_map(|(h, c)| match h {
            HamletName::Known(i) => Some((*i, c)),
            HamletName::Unknown(_) => None,
        })
        .collect();
    let mut status = Status::Accepted;
    let hamlet = match (clues.hamlets.first(), known.first()) {
        (Some((HamletName::Unknown(name), clue)), None) => {
            let list: Vec<&str> = schema.hamlets.iter().map(|h| h.name.as_str()).collect();
            findings.push(at(
                clue,
                Finding::new(
                    Severity::Error,
                    "thon_la",
                    format!(
                        "Thôn \"{name}\" không phải thôn của xã (các thôn: {}); không nhận báo cáo này.",
                        list.join(", ")
                    ),
                ),
            ));
            status = Status::Rejected;
            None
        }
        (Some((HamletName::Unknown(name), clue)), Some(&(h, kc))) => {
            findings.push(at(
                clue,
                Finding::new(
                    Severity::Warning,
                    "thon_la",
                    format!(
                        "Ghi thôn \"{name}\", không có trong danh sách thôn; theo {} là thôn {}.",
                        kc.describe(),
                        schema.hamlets[h].name
                    ),
                ),
            ));
            Some(h)
        }
        (_, Some(&(h, clue))) => {
            if let Some(&(other, oc)) = known.iter().find(|(o, _)| *o != h) {
                findings.push(at(
                    clue,
                    Finding::new(
                        Severity::Warning,
                        "thon_khong_khop",
                        format!(
                            "{} ghi thôn {} nhưng {} ghi thôn {}: dùng {}.",
                            capitalize(&clue.describe()),
                            schema.hamlets[h].name,
                            oc.describe(),
                            schema.hamlets[other].name,
                            schema.hamlets[h].name
                        ),
                    ),
                ));
            }
            Some(h)
        }
        (None, None) => {
            findings.push(Finding::new(Severity::Error, "khong_ro_thon", "Không xác định được báo cáo của thôn nào: đầu trang, tên trang tính, tên tệp và tên thư mục đều không ghi tên thôn.").on_sheet(file, sheet));
            status = Status::Rejected;
            None
        }
        (Some(_), None) => None,
    };
    let period = match clues.periods.first() {
        Some(&(p, ref clue)) => {
            if let Some((other, oc)) = clues.periods.iter().find(|(o, _)| *o != p) {
                findings.push(at(
                    clue,
                    Finding::new(
                        Severity::Warning,
                        "thang_khong_khop",
                        format!(
                            "{} ghi tháng {} nhưng {} ghi tháng {}: dùng tháng {}.",
                            capitalize(&clue.describe()),
                            p.display_vn(),
                            oc.describe(),
                            other.display_vn(),
                            p.display_vn()
                        ),
                    ),
                ));
            }
            Some(p)
        }
        None => {
            findings.push(Finding::new(Severity::Error, "khong_ro_thang", "Không xác định được báo cáo tháng nào: đầu trang, tên tệp và tên thư mục đều không ghi tháng (ví dụ \"Tháng: 06/2024\").").on_sheet(file, sheet));
            status = Status::Rejected;
            None
        }
    };
    (hamlet, period, status)
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}
