//! Finding the form's tables on a sheet by their labels, never by cell
//! address: a row inserted above a table, a column added, sections in another
//! order, a header split over two rows change nothing.
//!
//! The way in is the row labels ("Lúa vụ xuân", "Trâu"). Each row label is
//! tied to the nearest header row above it that names its table's columns;
//! that header says which sheet column holds which figure, and in what unit.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::Arc;

use super::grid::{Grid, Val};
use crate::model::{Entry, Finding, Severity, Source};
use crate::number::{self, decimals_of};
use crate::schema::{Kind, Labels, Schema};
use std::rc::Rc;

use crate::text::{Keys, clean_label, keys, loose_key, quote, vn_figure};

/// Label indexes built once from the schema and shared by every sheet.
pub struct Matcher {
    exact: HashMap<String, Vec<(usize, usize)>>,
    loose: HashMap<String, Vec<(usize, usize)>>,
    /// Rows that are totals of their section, not figures of the form.
    totals: HashSet<String>,
    plan_words: Vec<String>,
    unit_words: Vec<String>,
    /// First words (without diacritics) of the column labels of each table:
    /// a text that starts with none of them names no column.
    first_words: Vec<HashSet<String>>,
}

const TOTAL_LABELS: &[&str] =
    &["tổng", "tổng cộng", "cộng", "tổng số", "toàn thôn", "cộng chung", "tổng cộng toàn thôn"];
/// Header words that mark a column of plans or comparisons, not of figures.
const PLAN_WORDS: &[&str] = &[
    "kế hoạch",
    "kh",
    "chỉ tiêu",
    "cùng kỳ",
    "so sánh",
    "so với",
    "năm trước",
    "tháng trước",
    "lũy kế",
    "luỹ kế",
    "cộng dồn",
    "tỷ lệ",
    "%",
    "dự kiến",
];
const UNIT_HEADERS: &[&str] = &["đvt", "đơn vị tính", "đơn vị", "đ.v.t", "dvt"];

impl Matcher {
    pub fn new(schema: &Schema) -> Matcher {
        let mut exact: HashMap<String, Vec<(usize, usize)>> = HashMap::default();
        let mut loose: HashMap<String, Vec<(usize, usize)>> = HashMap::default();
        for (t, table) in schema.tables.iter().enumerate() {
            for (r, row) in table.rows.iter().enumerate() {
                for k in &row.labels.exact {
                    let v = exact.entry(k.clone()).or_default();
                    if !v.contains(&(t, r)) {
                        v.push((t, r));
                    }
                }
                for k in &row.labels.loose {
                    let v = loose.entry(k.clone()).or_default();
                    if !v.contains(&(t, r)) {
                        v.push((t, r));
                    }
                }
            }
        }
        Matcher {
            exact,
            loose,
            totals: TOTAL_LABELS.iter().map(|t| loose_key(t)).collect(),
            plan_words: PLAN_WORDS.iter().map(|w| loose_key(w)).collect(),
            unit_words: UNIT_HEADERS.iter().map(|w| loose_key(w)).collect(),
            first_words: schema
                .tables
                .iter()
                .map(|t| {
                    t.columns.iter().flat_map(|c| c.labels.loose.iter().map(|l| first_word(l).to_string())).collect()
                })
                .collect(),
        }
    }

    /// The rows a label may be, exact matches first, then without diacritics,
    /// then without a trailing parenthesis ("Trâu (con)").
    fn rows_for(&self, text: &str, k: &Keys) -> &[(usize, usize)] {
        if let Some(v) = self.exact.get(&k.exact) {
            return v;
        }
        if let Some(v) = self.loose.get(&k.loose) {
            return v;
        }
        if let Some(open) = text.rfind('(')
            && text.trim_end().ends_with(')')
            && open > 0
        {
            let head = &text[..open];
            return self.rows_for(head, &keys(head));
        }
        &[]
    }

    fn is_total(&self, text: &str) -> bool {
        self.totals.contains(&keys(text).loose)
    }

    fn is_plan(&self, header: &str) -> bool {
        let word = |w: &str| header.split(|c: char| !c.is_alphanumeric() && c != '%').any(|x| x == w);
        self.plan_words.iter().any(|p| if p.contains(' ') { header.contains(p.as_str()) } else { word(p) })
    }

    fn is_unit_header(&self, header: &str) -> bool {
        self.unit_words
            .iter()
            .any(|u| header.strip_prefix(u.as_str()).is_some_and(|rest| rest.is_empty() || rest.starts_with(' ')))
    }
}

fn first_word(s: &str) -> &str {
    s.split([' ', '(', ':', '/', '-']).next().unwrap_or("")
}

/// Does a header cell name this column? "Năng suất (tạ/ha)" names "Năng suất".
fn names(header_loose: &str, header_exact: &str, labels: &Labels) -> bool {
    let starts = |h: &str, l: &str| h == l || (h.starts_with(l) && h[l.len()..].starts_with([' ', '(', ':', '/', '-']));
    labels.exact.iter().any(|l| starts(header_exact, l)) || labels.loose.iter().any(|l| starts(header_loose, l))
}

/// The unit a header gives in parentheses: "Sản lượng (tấn)" → "tấn".
fn unit_in(header: &str) -> Option<&str> {
    let open = header.rfind('(')?;
    let close = header[open..].find(')')? + open;
    let u = header[open + 1..close].trim();
    (!u.is_empty()).then_some(u)
}

/// A row label on the sheet: row, column, and the form rows it may be.
type Hit<'m> = (u32, u32, &'m [(usize, usize)]);

/// One table as laid out on this sheet: where its header is and which
/// sheet column holds each of its columns.
#[derive(Debug, Clone)]
struct Instance {
    table: usize,
    header_row: u32,
    /// Sheet column of each schema column, with the factor from the unit the
    /// header names to the schema's unit.
    columns: Vec<Option<(u32, f64)>>,
    label_col: Option<u32>,
    unit_col: Option<u32>,
    rows: Vec<(u32, usize)>,
}

/// What was found on one sheet.
#[derive(Debug, Default)]
pub struct Placed {
    /// By form indicator.
    pub entries: Vec<Option<Entry>>,
    pub findings: Vec<Finding>,
    /// Tables found, in the order of the schema.
    pub tables: Vec<usize>,
    /// The first row of the first table's header: the header block is above.
    pub first_header_row: Option<u32>,
    /// Some column could not be placed; merged cells may tell more.
    pub missing_columns: bool,
    /// Value cells that were empty: a formula without a stored value, if
    /// the format hides formulas, looks like this.
    pub empty_cells: Vec<(u32, u32, usize)>,
}

struct TextCell {
    row: u32,
    col: u32,
    keys: Rc<Keys>,
}

/// Places the form's figures on a sheet.
pub fn place(grid: &Grid, schema: &Schema, m: &Matcher, file: &Arc<str>) -> Placed {
    let mut placed = Placed { entries: vec![None; schema.form_count], ..Placed::default() };
    let sheet = grid.sheet.clone();
    let src = |row: u32, col: u32| Source { file: file.clone(), sheet: sheet.clone(), row, col };

    // Texts, keyed once (and cached across files: labels repeat). Merged
    // header cells lend their text to every cell they cover, so a header
    // spanning two columns names both. Row labels are found on the way.
    let mut texts: Vec<TextCell> = Vec::new();
    let mut hits: Vec<Hit> = Vec::new();
    for (c, t) in grid.text_cells() {
        if t.chars().count() > 200 {
            continue;
        }
        let k = keys(t);
        if let Some(d) = grid.merge_at(c.row, c.col) {
            for col in d.start.1 + 1..=d.end.1.min(d.start.1 + 20) {
                texts.push(TextCell { row: c.row, col, keys: k.clone() });
            }
        }
        // A unit in the ĐVT column ("hộ", "con") is never a row label.
        if schema.units.lookup_key(&k.compact).is_none() {
            let cands = m.rows_for(t, &k);
            if !cands.is_empty() {
                hits.push((c.row, c.col, cands));
            }
        }
        texts.push(TextCell { row: c.row, col: c.col, keys: k });
    }
    texts.sort_by_key(|t| (t.row, t.col));

    // Header rows of each table: rows where a column label or the label
    // header of the table is written.
    let mut header_rows: Vec<Vec<u32>> = vec![Vec::new(); schema.tables.len()];
    for (ti, table) in schema.tables.iter().enumerate() {
        for t in texts.iter().filter(|t| m.first_words[ti].contains(first_word(&t.keys.loose))) {
            let col_named = table.columns.iter().any(|c| names(&t.keys.loose, &t.keys.exact, &c.labels));
            // Texts come in row order: a row is new if it is not the last one.
            if col_named && header_rows[ti].last() != Some(&t.row) {
                header_rows[ti].push(t.row);
            }
        }
        header_rows[ti].sort_unstable();
    }

    // Tie each row label to the nearest header above it.
    let mut instances: Vec<Instance> = Vec::new();
    let mut seen_rows: HashMap<(usize, usize), u32> = HashMap::default();
    for (row, col, cands) in &hits {
        let with_header: Vec<(usize, usize, u32)> = cands
            .iter()
            .filter_map(|&(t, r)| {
                // The nearest header row above, within reach.
                let rows = &header_rows[t];
                let h = rows.get(rows.partition_point(|h| h < row).checked_sub(1)?)?;
                if *row - h > 80 {
                    return None;
                }
                Some((t, r, *h))
            })
            .collect();
        let (t, r, h) = match with_header.as_slice() {
            [] => continue,
            [one] => *one,
            many => {
                // Prefer the table whose header is nearest.
                let nearest = many.iter().map(|x| x.2).max().unwrap_or(0);
                let best: Vec<_> = many.iter().filter(|x| x.2 == nearest).collect();
                if best.len() > 1 {
                    let names: Vec<&str> =
                        best.iter().map(|x| schema.tables[x.0].rows[x.1].labels.text.as_str()).collect();
                    placed.findings.push(
                        Finding::new(Severity::Warning, "nhan_mo_ho", format!(
                            "Nhãn \"{}\" có thể là nhiều dòng của biểu mẫu ({}): không đọc dòng này, đề nghị ghi đúng nhãn.",
                            grid.text(*row, *col).unwrap_or_default(), names.join("; ")))
                        .at(&src(*row, *col)),
                    );
                    continue;
                }
                *best[0]
            }
        };
        if let Some(first) = seen_rows.get(&(t, r)) {
            if *first != *row {
                placed.findings.push(
                    Finding::new(
                        Severity::Warning,
                        "dong_trung",
                        format!(
                            "Dòng \"{}\" có hai lần trên trang (dòng {} và dòng {}): chỉ đọc lần đầu.",
                            schema.tables[t].rows[r].labels.text,
                            first + 1,
                            row + 1
                        ),
                    )
                    .at(&src(*row, *col)),
                );
            }
            continue;
        }
        seen_rows.insert((t, r), *row);
        match instances.iter_mut().find(|i| i.table == t && i.header_row == h) {
            Some(inst) => inst.rows.push((*row, r)),
            None => instances.push(Instance {
                table: t,
                header_row: h,
                columns: Vec::new(),
                label_col: Some(*col),
                unit_col: None,
                rows: vec![(*row, r)],
            }),
        }
    }

    // The column of the row label on each row that has one.
    let mut hit_col: HashMap<u32, u32> = HashMap::default();
    for h in &hits {
        hit_col.entry(h.0).or_insert(h.1);
    }

    // Lay out each instance's columns from its header block.
    for inst in &mut instances {
        let table = &schema.tables[inst.table];
        let first_data = inst.rows.iter().map(|r| r.0).min().unwrap_or(inst.header_row + 1);
        let block_end = first_data.saturating_sub(1).min(inst.header_row + 3);
        // Combined header text of each sheet column over the block.
        let mut headers: HashMap<u32, (String, String, u32)> = HashMap::default(); // col -> (loose, exact, row of first text)
        for t in texts.iter().filter(|t| t.row >= inst.header_row && t.row <= block_end) {
            let e = headers.entry(t.col).or_insert_with(|| (String::new(), String::new(), t.row));
            if !e.0.is_empty() {
                e.0.push(' ');
                e.1.push(' ');
            }
            e.0.push_str(&t.keys.loose);
            e.1.push_str(&t.keys.exact);
        }
        let label_cols: Vec<u32> = inst.rows.iter().filter_map(|(row, _)| hit_col.get(row).copied()).collect();
        let label_col = mode(&label_cols);
        inst.label_col = label_col;
        inst.unit_col =
            headers.iter().filter(|(c, h)| Some(**c) != label_col && m.is_unit_header(&h.0)).map(|(c, _)| *c).min();
        let mut sorted: Vec<(&u32, &(String, String, u32))> = headers.iter().collect();
        sorted.sort_by_key(|(c, _)| **c);
        for col in &table.columns {
            let cands: Vec<(u32, &String, &String, u32)> = sorted
                .iter()
                .filter(|(c, _)| Some(**c) != label_col && Some(**c) != inst.unit_col)
                .filter(|(_, h)| {
                    // A header names the column if it, or what follows one of
                    // its words ("Kết quả thực hiện Diện tích"), does.
                    let tails = |s: &'_ str| -> Vec<usize> { s.match_indices(' ').map(|(i, _)| i + 1).collect() };
                    let (tl, te) = (tails(&h.0), tails(&h.1));
                    names(&h.0, &h.1, &col.labels)
                        || tl.iter().zip(&te).any(|(&a, &b)| names(&h.0[a..], &h.1[b..], &col.labels))
                })
                .map(|(c, h)| (**c, &h.0, &h.1, h.2))
                .collect();
            let figures: Vec<_> = cands.iter().filter(|c| !m.is_plan(c.1)).collect();
            let chosen = if figures.is_empty() {
                None
            } else {
                // "Thực hiện" beats anything else when several remain.
                figures
                    .iter()
                    .find(|c| c.1.contains("thuc hien") || c.1.split(' ').any(|w| w == "th"))
                    .or(figures.first())
                    .copied()
            };
            match chosen {
                Some(&(c, _, _, hrow)) => {
                    let factor = header_unit_factor(schema, col.unit, grid, c, hrow, block_end, &mut placed, &src);
                    inst.columns.push(Some((c, factor)));
                }
                None => {
                    placed.missing_columns = true;
                    inst.columns.push(None);
                }
            }
        }
    }

    // A table laid out twice (a copy further down) is read once.
    instances.sort_by_key(|i| (i.table, i.header_row));

    // Read the figures.
    for inst in &instances {
        let table = &schema.tables[inst.table];
        for (ci, col) in inst.columns.iter().enumerate() {
            if col.is_none() {
                placed.findings.push(
                    Finding::new(
                        Severity::Warning,
                        "thieu_cot",
                        format!(
                            "Bảng \"{}\": không tìm thấy cột \"{}\" ở dòng tiêu đề, nên không đọc được cột này.",
                            table.title.text, table.columns[ci].labels.text
                        ),
                    )
                    .at(&src(inst.header_row, inst.label_col.unwrap_or(0))),
                );
            }
        }
        for &(row, r) in &inst.rows {
            let row_def = &table.rows[r];
            // A unit written on the row ("km" for a road) converts the figure.
            let row_factor = inst.unit_col.and_then(|uc| {
                let text = grid.text(row, uc)?;
                row_unit_factor(schema, row_def.indicators[0], text, &src(row, uc), &mut placed)
            });
            for (ci, col) in inst.columns.iter().enumerate() {
                let Some((c, header_factor)) = *col else {
                    continue;
                };
                let ind = row_def.indicators[ci];
                let factor = row_factor.unwrap_or(header_factor);
                let (entry, finding) = read_cell(grid, row, c, ind, factor, schema, src(row, c));
                if entry.value.is_none() && !entry.unreadable {
                    placed.empty_cells.push((row, c, ind));
                }
                if let Some(f) = finding {
                    placed.findings.push(f.indicator(&schema.indicators[ind].code));
                }
                placed.entries[ind] = Some(entry);
            }
        }
        unknown_rows(grid, m, inst, &instances, &hit_col, &mut placed, &src, schema);
    }

    let mut tables: Vec<usize> = instances.iter().map(|i| i.table).collect();
    tables.sort_unstable();
    tables.dedup();
    placed.first_header_row = instances.iter().map(|i| i.header_row).min();
    if !tables.is_empty() {
        for (ti, table) in schema.tables.iter().enumerate() {
            if !tables.contains(&ti) {
                placed.findings.push(
                    Finding::new(
                        Severity::Warning,
                        "thieu_bang",
                        format!("Không tìm thấy bảng \"{}\" trên trang này.", table.title.text),
                    )
                    .on_sheet(file, &sheet),
                );
                continue;
            }
            for row in &table.rows {
                if !row.parts.is_empty() || placed.entries[row.indicators[0]].is_some() {
                    continue;
                }
                placed.findings.push(
                    Finding::new(
                        Severity::Info,
                        "thieu_dong",
                        format!("Bảng \"{}\" không có dòng \"{}\".", table.title.text, row.labels.text),
                    )
                    .on_sheet(file, &sheet)
                    .indicator(&schema.indicators[row.indicators[0]].code),
                );
            }
        }
    }
    placed.tables = tables;
    placed
}

fn mode(v: &[u32]) -> Option<u32> {
    let mut counts: HashMap<u32, usize> = HashMap::default();
    for x in v {
        *counts.entry(*x).or_default() += 1;
    }
    counts.into_iter().max_by_key(|(c, n)| (*n, std::cmp::Reverse(*c))).map(|(c, _)| c)
}

/// The factor from the unit a column header names to the schema's unit. The
/// unit may be in the header cell itself or on the line below it.
#[allow(clippy::too_many_arguments)]
fn header_unit_factor(
    schema: &Schema,
    unit: Option<usize>,
    grid: &Grid,
    col: u32,
    hrow: u32,
    block_end: u32,
    placed: &mut Placed,
    src: &dyn Fn(u32, u32) -> Source,
) -> f64 {
    let Some(unit) = unit else { return 1.0 };
    let mut written = None;
    for row in hrow..=block_end.max(hrow) {
        if let Some(t) = grid.text(row, col)
            && let Some(u) = unit_in(t).or_else(|| {
                // A second header line that is only a unit: "tạ/ha".
                let c = clean_label(t);
                (row > hrow && c.len() <= 12).then_some(t.trim())
            })
        {
            written = Some((u.to_string(), row));
            break;
        }
    }
    let Some((text, row)) = written else {
        return 1.0;
    };
    written_unit(schema, &text, unit, "Cột", &src(row, col), None, placed).unwrap_or(1.0)
}

/// The factor from the unit written on a row (its ĐVT cell) to the schema's.
fn row_unit_factor(schema: &Schema, ind: usize, text: &str, at: &Source, placed: &mut Placed) -> Option<f64> {
    let unit = schema.indicators[ind].unit;
    written_unit(schema, &quote(text), unit, "Dòng", at, Some(&schema.indicators[ind].code), placed)
}

/// The factor from a unit written on the sheet to the schema's `unit`, when
/// they differ; the conversion, or a unit that cannot be converted, is said.
fn written_unit(
    schema: &Schema,
    text: &str,
    unit: usize,
    place: &str,
    at: &Source,
    indicator: Option<&str>,
    placed: &mut Placed,
) -> Option<f64> {
    let found = schema.units.lookup_key(&keys(text).compact)?;
    let code = &schema.units.get(unit).code;
    let (factor, finding) = match schema.units.factor(found, unit) {
        Some(f) if (f - 1.0).abs() < 1e-12 => return None,
        Some(f) => (
            Some(f),
            Finding::new(
                Severity::Info,
                "doi_don_vi",
                format!("{place} ghi đơn vị {text}: số đã được đổi sang {code} (nhân {}).", vn_figure(f)),
            ),
        ),
        None => (
            None,
            Finding::new(
                Severity::Warning,
                "sai_don_vi",
                format!(
                    "{place} ghi đơn vị {text} nhưng biểu mẫu dùng {code}: không đổi được, số được đọc như đã ghi."
                ),
            ),
        ),
    };
    let finding = finding.at(at);
    placed.findings.push(match indicator {
        Some(c) => finding.indicator(c),
        None => finding,
    });
    factor
}

/// Decimal places a figure gains when multiplied by `factor` (×0,1: one more).
fn decimals_after(decimals: u8, factor: f64) -> u8 {
    if (factor - 1.0).abs() < 1e-12 {
        return decimals;
    }
    let extra = (-factor.log10()).ceil().max(0.0) as u8;
    decimals.saturating_add(extra).min(15)
}

/// Reads one figure.
fn read_cell(
    grid: &Grid,
    row: u32,
    col: u32,
    ind: usize,
    factor: f64,
    schema: &Schema,
    source: Source,
) -> (Entry, Option<Finding>) {
    let indicator = &schema.indicators[ind];
    let cell = grid.get(row, col);
    let mut entry = Entry { value: None, decimals: 0, unreadable: false, source: source.clone() };
    let unit = schema.units.get(indicator.unit);
    let name = &indicator.name;
    let val = cell.map_or(&Val::Empty, |c| &c.val);
    let bad = |entry: &mut Entry, sev: Severity, rule: &str, msg: String| {
        entry.unreadable = true;
        Some(Finding::new(sev, rule, msg).at(&source))
    };
    let finding = match val {
        Val::Empty => {
            if cell.is_some_and(|c| c.formula) {
                bad(
                    &mut entry,
                    Severity::Warning,
                    "cong_thuc_chua_tinh",
                    format!(
                        "{name}: ô có công thức nhưng chưa có giá trị tính sẵn (tệp do chương trình không tính công thức tạo ra). Mở bằng Excel hoặc LibreOffice, lưu lại rồi gửi; chương trình không coi ô này là 0."
                    ),
                )
            } else {
                None
            }
        }
        Val::Number(v) => {
            entry.value = Some(v * factor);
            entry.decimals = decimals_after(decimals_of(*v), factor);
            None
        }
        Val::Error(e) => bad(
            &mut entry,
            Severity::Error,
            "o_loi",
            format!("{name}: ô báo lỗi {e} (công thức tính sai hoặc tham chiếu hỏng), không có số liệu."),
        ),
        Val::Bool(b) => bad(
            &mut entry,
            Severity::Error,
            "khong_phai_so",
            format!("{name}: ô phải là số nhưng ghi giá trị đúng/sai ({b})."),
        ),
        Val::Date(_) => bad(
            &mut entry,
            Severity::Error,
            "khong_phai_so",
            format!(
                "{name}: ô phải là số nhưng Excel đã hiểu thành ngày tháng (thường do gõ \"1/5\" hoặc \"1-5\"). Ghi lại số cho đúng."
            ),
        ),
        Val::Text(t) => {
            read_text(t, indicator.kind == Kind::Count, factor, unit.code.as_str(), ind, schema, &mut entry, &source)
        }
    };
    (entry, finding)
}

/// A figure typed as text.
#[allow(clippy::too_many_arguments)]
fn read_text(
    text: &str,
    count: bool,
    factor: f64,
    unit_code: &str,
    ind: usize,
    schema: &Schema,
    entry: &mut Entry,
    source: &Source,
) -> Option<Finding> {
    let name = &schema.indicators[ind].name;
    let trimmed = text.trim();
    let quoted = quote(trimmed);
    // "-", "x", "/" are how many write "nothing here".
    if matches!(trimmed, "-" | "–" | "—" | "x" | "X" | "/" | "..." | "…") {
        return Some(
            Finding::new(
                Severity::Info,
                "o_trong",
                format!("{name}: ô ghi \"{quoted}\", được hiểu là để trống (không phải số 0)."),
            )
            .at(source),
        );
    }
    let not_a_number = |entry: &mut Entry| {
        entry.unreadable = true;
        Some(Finding::new(Severity::Error, "khong_phai_so", format!("{name}: ô phải là một số nhưng ghi \"{quoted}\". Ghi riêng con số vào ô, lời giải thích ghi sang cột Ghi chú.")).at(source))
    };
    let Some(n) = number::parse(trimmed, count) else {
        return not_a_number(entry);
    };
    let mut factor = factor;
    if let Some(suffix) = &n.suffix {
        let u = if suffix == "%" { None } else { schema.units.lookup(suffix) };
        match u.and_then(|u| schema.units.factor(u, schema.indicators[ind].unit)) {
            Some(f) => factor = f,
            None => return not_a_number(entry),
        }
    }
    let value = n.value * factor;
    entry.value = Some(value);
    entry.decimals = decimals_after(n.decimals, factor);
    let shown = vn_figure(value);
    let finding = match (n.other_reading, n.english_style) {
        (Some(other), _) => Finding::new(Severity::Warning, "so_dang_chu_mo_ho", format!(
            "{name}: ô ghi chữ \"{quoted}\", có thể hiểu là {} hoặc {}; đã đọc là {shown} {unit_code}. Đề nghị thôn xác nhận và ghi số không có dấu phân cách nghìn.",
            vn_figure(n.value * factor), vn_figure(other * factor)))
            .values(Some(other * factor), Some(value)),
        (None, true) => Finding::new(Severity::Warning, "so_dang_chu_mo_ho", format!(
            "{name}: ô ghi chữ \"{quoted}\" theo kiểu tiếng Anh (dấu phẩy phân cách nghìn); đã đọc là {shown} {unit_code}."))
            .values(None, Some(value)),
        (None, false) => Finding::new(Severity::Info, "so_dang_chu", format!(
            "{name}: ô ghi chữ \"{quoted}\", đã đọc thành số {shown} {unit_code}."))
            .values(None, Some(value)),
    };
    Some(finding.at(source))
}

/// Rows inside a table whose label is not one the form knows, but that
/// carry figures: say so rather than guess.
#[allow(clippy::too_many_arguments)]
fn unknown_rows(
    grid: &Grid,
    m: &Matcher,
    inst: &Instance,
    all: &[Instance],
    hit_rows: &HashMap<u32, u32>,
    placed: &mut Placed,
    src: &dyn Fn(u32, u32) -> Source,
    schema: &Schema,
) {
    let Some(label_col) = inst.label_col else {
        return;
    };
    let value_cols: Vec<u32> = inst.columns.iter().flatten().map(|c| c.0).collect();
    let first = inst.rows.iter().map(|r| r.0).min().unwrap_or(inst.header_row + 1);
    let last = inst.rows.iter().map(|r| r.0).max().unwrap_or(first);
    // Up to the next table's header, or a little past the last known row.
    let next_header = all.iter().map(|i| i.header_row).filter(|h| *h > inst.header_row).min().unwrap_or(u32::MAX);
    let end = (last + 3).min(next_header.saturating_sub(1));
    for row in first..=end {
        if hit_rows.contains_key(&row) {
            continue;
        }
        let Some(label) = grid.text(row, label_col) else {
            continue;
        };
        let has_figure = value_cols.iter().any(|c| {
            matches!(grid.val(row, *c), Val::Number(_))
                || matches!(grid.val(row, *c), Val::Text(t) if number::parse(t, false).is_some())
        });
        if !has_figure {
            continue;
        }
        let table = &schema.tables[inst.table].title.text;
        let f = if m.is_total(label) {
            Finding::new(
                Severity::Info,
                "dong_tong",
                format!("Bảng \"{table}\": dòng tổng \"{}\" không phải chỉ tiêu của biểu mẫu, bỏ qua.", quote(label)),
            )
        } else {
            Finding::new(
                Severity::Warning,
                "nhan_la",
                format!(
                    "Bảng \"{table}\": dòng \"{}\" có số liệu nhưng nhãn không khớp dòng nào của biểu mẫu, nên không được cộng. Đề nghị ghi đúng nhãn theo biểu mẫu.",
                    quote(label)
                ),
            )
        };
        placed.findings.push(f.at(&src(row, label_col)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::grid::Cell;

    const SCHEMA: &str = r#"
[[unit]]
code = "ha"
dimension = "area"

[[table]]
id = "cay"
title = "Cây trồng"

[[table.column]]
code = "dien_tich"
label = "Diện tích"
unit = "ha"

[[table.row]]
code = "san"
label = "Sắn"

[[table.row]]
code = "san_xuat"
label = "Sản"

[[hamlet]]
name = "Lạc Sơn"
"#;

    fn grid(cells: &[(u32, u32, &str)]) -> Grid {
        let cells = cells
            .iter()
            .map(|&(row, col, t)| Cell {
                row,
                col,
                val: t.parse::<f64>().map_or_else(|_| Val::Text(t.into()), Val::Number),
                formula: false,
            })
            .collect();
        Grid::new("S".into(), cells)
    }

    #[test]
    fn a_label_that_may_be_two_rows_is_reported_not_guessed() {
        let schema = crate::schema::load_str("t.toml", SCHEMA).unwrap_or_else(|e| panic!("{e}"));
        let m = Matcher::new(&schema);
        let g =
            grid(&[(0, 0, "Cây"), (0, 1, "Diện tích (ha)"), (1, 0, "San"), (1, 1, "5"), (2, 0, "Sắn"), (2, 1, "7")]);
        let p = place(&g, &schema, &m, &"f.xlsx".into());
        let san = schema.indicator("san.dien_tich").unwrap();
        let sx = schema.indicator("san_xuat.dien_tich").unwrap();
        assert_eq!(p.entries[san].as_ref().and_then(|e| e.value), Some(7.0), "the exact label wins");
        assert!(p.entries[sx].is_none(), "no guess");
        let f = p.findings.iter().find(|f| f.rule == "nhan_mo_ho").expect("ambiguous label");
        assert_eq!(f.cell.as_deref(), Some("A2"));
    }

    #[test]
    fn a_row_inserted_above_changes_nothing() {
        let schema = crate::schema::load_str("t.toml", SCHEMA).unwrap();
        let m = Matcher::new(&schema);
        let rows = [(0, 0, "Cây"), (0, 1, "Diện tích (ha)"), (1, 0, "Sắn"), (1, 1, "7")];
        let a = place(&grid(&rows), &schema, &m, &"f".into());
        let shifted: Vec<(u32, u32, &str)> = rows.iter().map(|&(r, c, t)| (r + 4, c + 2, t)).collect();
        let b = place(&grid(&shifted), &schema, &m, &"f".into());
        let san = schema.indicator("san.dien_tich").unwrap();
        assert_eq!(a.entries[san].as_ref().unwrap().value, b.entries[san].as_ref().unwrap().value);
        assert_eq!(b.entries[san].as_ref().unwrap().source.cell(), "D6");
    }

    #[test]
    fn header_units() {
        assert_eq!(unit_in("Năng suất (tạ/ha)"), Some("tạ/ha"));
        assert_eq!(unit_in("Sản lượng"), None);
    }

    #[test]
    fn decimals_grow_with_conversion() {
        assert_eq!(decimals_after(0, 0.1), 1);
        assert_eq!(decimals_after(1, 1.0), 1);
        assert_eq!(decimals_after(0, 1000.0), 0);
    }
}
