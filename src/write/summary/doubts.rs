//! What a leader is told about a total that is not plain: the hamlets whose
//! figures it stands on are in doubt, each named with its figure and why, in
//! a few words on the page (the remark) and in full behind the mark (the
//! note); and, in a month some hamlets have not reported, one line said once
//! under the table rather than on every row.

use std::collections::HashMap;

use crate::model::{Finding, HamletId, IndicatorId, Severity, Source};
use crate::period::Period;
use crate::schema::{Aggregation, Schema};
use crate::text::{shown, vn_number};
use crate::total::{HamletFigure, Total, Totals, formula_of};

/// A cell of a hamlet's file: file, sheet, (row, column).
type CellKey<'a> = (&'a str, &'a str, (u32, u32));

/// The findings that can put a total in doubt, by the cell they are about.
pub struct Index<'a> {
    by_cell: HashMap<CellKey<'a>, Vec<&'a Finding>>,
    findings: &'a [Finding],
}

impl<'a> Index<'a> {
    pub fn new(findings: &'a [Finding]) -> Self {
        let mut by_cell: HashMap<_, Vec<&Finding>> = HashMap::new();
        for f in findings.iter().filter(|f| f.severity != Severity::Info) {
            if let (Some(file), Some(sheet), Some(cell)) = (f.file.as_deref(), f.sheet.as_deref(), f.cell) {
                by_cell.entry((file, sheet, cell)).or_default().push(f);
            }
        }
        Index { by_cell, findings }
    }

    fn at(&self, s: &Source) -> Vec<&'a Finding> {
        self.by_cell.get(&(&*s.file, &*s.sheet, (s.row, s.col))).cloned().unwrap_or_default()
    }
}

/// A hamlet's figure in doubt, and the finding that says why.
struct Doubt<'a> {
    hamlet: HamletId,
    indicator: IndicatorId,
    finding: &'a Finding,
    how: How,
}

/// What the total does with the figure in doubt.
#[derive(Clone, Copy)]
enum How {
    /// Adds it up as read; its value where the finding's cell is its one cell.
    Added(Option<f64>),
    /// Its cell could not be read: an earlier month's figure stands in.
    StoodIn(Period, f64),
    /// Its cell could not be read: the total lacks it.
    Lacks,
}

/// What is said of a total: on the page, and behind the mark.
pub struct Said {
    pub remark: String,
    pub note: String,
}

/// The indicators a total is made of: itself, and what its formula uses.
fn formed_from(schema: &Schema, i: IndicatorId, out: &mut Vec<IndicatorId>) {
    if out.contains(&i) {
        return;
    }
    out.push(i);
    for &v in formula_of(schema, i).iter().flat_map(|f| &f.vars) {
        formed_from(schema, v, out);
    }
}

/// The figures in doubt a total stands on: those with an error or warning
/// at their cell, and the cells of hamlets that could not be read.
fn doubts<'a>(schema: &Schema, totals: &Totals, idx: &Index<'a>, t: &Total) -> Vec<Doubt<'a>> {
    let mut inds = Vec::new();
    formed_from(schema, t.indicator, &mut inds);
    let mut out: Vec<Doubt<'a>> = Vec::new();
    let seen = |out: &[Doubt<'_>], f: &Finding| out.iter().any(|d| std::ptr::eq(d.finding, f));
    // Form figures first, so that a finding is told with the figure of its own cell.
    inds.sort_by_key(|&j| (formula_of(schema, j).is_some(), j));
    for &j in &inds {
        for (h, x) in totals.rows[j].hamlets.enumerate() {
            let Some(x) = x else { continue };
            for s in &x.sources {
                for f in idx.at(s) {
                    if !seen(&out, f) {
                        out.push(added(totals, h, j, x, s, f));
                    }
                }
            }
            for s in x.unreadable.iter() {
                for f in idx.at(s) {
                    if !seen(&out, f) {
                        let how = x.from_month.map_or(How::Lacks, |m| How::StoodIn(m, x.value));
                        out.push(Doubt { hamlet: h, indicator: j, finding: f, how });
                    }
                }
            }
        }
    }
    // A hamlet whose cell could not be read and has no figure: its findings
    // of the year so far on what the total is made of.
    let p = totals.period;
    for &h in &t.unread {
        for f in idx.findings.iter().filter(|f| f.severity != Severity::Info && f.hamlet == Some(h)) {
            let this_year = f.period.is_some_and(|fp| fp.year == p.year && fp <= p);
            if let Some(j) = f.indicator.filter(|j| inds.contains(j) && this_year && !seen(&out, f)) {
                out.push(Doubt { hamlet: h, indicator: j, finding: f, how: How::Lacks });
            }
        }
    }
    out.sort_by_key(|d| (d.hamlet, d.finding.severity, d.indicator));
    out
}

/// A figure added up with a finding at a cell it was read from; told as the
/// figure of that cell where it has one (the spring rice's output, not the
/// year's that stands on it).
fn added<'a>(totals: &Totals, h: HamletId, j: IndicatorId, x: &HamletFigure, s: &Source, f: &'a Finding) -> Doubt<'a> {
    let own = f.indicator.and_then(|i| {
        let y = totals.rows[i].hamlets[h].as_ref()?;
        (y.sources.len() == 1 && y.sources[0] == *s).then_some((i, y.value))
    });
    let (indicator, how) = match own {
        Some((i, v)) => (i, How::Added(Some(v))),
        None => (j, How::Added((x.sources.len() == 1).then_some(x.value))),
    };
    Doubt { hamlet: h, indicator, finding: f, how }
}

/// "sản lượng lúa vụ xuân": a name inside a sentence.
fn lower_first(s: &str) -> String {
    let mut cs = s.chars();
    cs.next().map(|c| c.to_lowercase().chain(cs).collect()).unwrap_or_default()
}

fn upper_first(s: &str) -> String {
    let mut cs = s.chars();
    cs.next().map(|c| c.to_uppercase().chain(cs).collect()).unwrap_or_default()
}

fn figure(schema: &Schema, i: IndicatorId, v: f64) -> String {
    format!("{} {}", vn_number(v, 2), schema.unit_code(i))
}

impl Doubt<'_> {
    /// A few words: "Lạc Thắng: sản lượng lúa vụ xuân 660 tấn có lỗi".
    fn short(&self, schema: &Schema) -> String {
        let name = lower_first(&schema.indicators[self.indicator].name);
        let hamlet = schema.hamlet_name(self.hamlet);
        match self.how {
            How::StoodIn(m, v) => format!(
                "{hamlet}: {name} không đọc được, dùng số tháng {} ({})",
                m.display_vn(),
                figure(schema, self.indicator, v)
            ),
            How::Lacks => format!("{hamlet}: {name} không có số đọc được, tổng thiếu số này"),
            How::Added(value) => {
                let what = match self.finding.severity {
                    Severity::Error => "có lỗi",
                    _ => "có cảnh báo",
                };
                let fig = value.map(|v| format!(" {}", figure(schema, self.indicator, v))).unwrap_or_default();
                format!("{hamlet}: {name}{fig} {what}")
            }
        }
    }

    /// In full: the hamlet, the cell of its file, the finding's message,
    /// and what the total does about it.
    fn long(&self, schema: &Schema) -> String {
        let hamlet = schema.hamlet_name(self.hamlet);
        let f = self.finding;
        let cell = match (f.file.as_deref(), f.cell) {
            (Some(file), Some((r, c))) => format!(" ({}, ô {})", shown(file, 80), crate::model::a1(r, c)),
            _ => String::new(),
        };
        let name = &schema.indicators[self.indicator].name;
        let (fig, then) = match self.how {
            How::Added(Some(v)) => (format!(", {name} = {}", figure(schema, self.indicator, v)), String::new()),
            How::Added(None) => (String::new(), String::new()),
            How::StoodIn(m, v) => (
                String::new(),
                crate::words::say(&format!(
                    " Tổng dùng số tháng {} của thôn: {}.",
                    m.display_vn(),
                    figure(schema, self.indicator, v)
                )),
            ),
            How::Lacks => (String::new(), " Tổng thiếu số này.".to_string()),
        };
        format!("- {hamlet}{cell}{fig}: {}{then}", shown(&f.message, 400))
    }
}

/// What is said of one total; `missing` are the hamlets with no report for
/// the month, said once under the table and not here.
pub fn about(schema: &Schema, totals: &Totals, idx: &Index<'_>, t: &Total, missing: &[HamletId]) -> Said {
    let ds = doubts(schema, totals, idx, t);
    let mut remark: Vec<String> = ds.iter().take(3).map(|d| d.short(schema)).collect();
    if ds.len() > 3 {
        remark.push(format!("và {} số khác cần kiểm tra (rê chuột vào ô lũy kế)", ds.len() - 3));
    }
    let mut note: Vec<String> = Vec::new();
    if !ds.is_empty() {
        note.push("Chưa đánh giá đạt hay chưa đạt; tổng gồm các số cần kiểm tra:".into());
        note.extend(ds.iter().take(12).map(|d| d.long(schema)));
        if ds.len() > 12 {
            note.push(format!("… và {} số khác: xem trang Kiểm tra.", ds.len() - 12));
        }
    } else if t.has_errors {
        // Marked by a cell no finding names: said, never left blank.
        remark.push("Gồm số liệu cần kiểm tra (xem Kiểm tra)".into());
        note.push("Tổng này gồm số liệu cần kiểm tra, nên chưa đánh giá đạt hay chưa đạt; xem trang Kiểm tra.".into());
    }
    // The remark names a few hamlets, the note every one: a commune of 40
    // hamlets would fill the row with names.
    let mut other = |short: String, long: String| {
        note.push(crate::words::say(&format!("{long}.")));
        remark.push(crate::words::say(&short));
    };
    if let Some(p) = t.withheld.and_then(|p| schema.indicators[p].group.as_deref()) {
        let text = format!("chưa tính cả năm: {} chưa thu hoạch xong", p.to_lowercase());
        other(text.clone(), text);
    }
    if t.value.is_some() {
        // Carried from an earlier month, other than a cell not read (said
        // above) or a hamlet that did not report (said under the table).
        let told =
            |h: HamletId| missing.contains(&h) || ds.iter().any(|d| d.hamlet == h && matches!(d.how, How::StoodIn(..)));
        let carried: Vec<String> = t
            .carried
            .iter()
            .filter(|(h, _)| !told(*h))
            .map(|(h, m)| format!("{} (tháng {})", schema.hamlet_name(*h), m.display_vn()))
            .collect();
        if !carried.is_empty() {
            let few = match carried.len() > SHOWN {
                true => format!("{} và {} thôn khác", carried[..SHOWN - 1].join(", "), carried.len() - SHOWN + 1),
                false => carried.join(", "),
            };
            other(
                format!("dùng số tháng trước của: {few}"),
                format!("dùng số tháng trước của: {}", carried.join(", ")),
            );
        }
        let lacking: Vec<(HamletId, Period)> =
            t.lacking.iter().copied().filter(|(h, m)| !(missing.contains(h) && *m == totals.period)).collect();
        if !lacking.is_empty() {
            let how = match schema.indicators[t.indicator].aggregation {
                Aggregation::Stock => "chưa có số của",
                Aggregation::Flow => "lũy kế thiếu báo cáo",
            };
            other(
                format!("{how}: {}", lacking_text(&lacking, schema, true)),
                format!("{how}: {}", lacking_text(&lacking, schema, false)),
            );
        }
        if !t.incomplete.is_empty() {
            other(
                format!("chưa tính thôn thiếu số liệu: {}", hamlets(schema, &t.incomplete, true)),
                format!("chưa tính thôn thiếu số liệu: {}", hamlets(schema, &t.incomplete, false)),
            );
        }
        if !missing.is_empty() {
            let names: Vec<&str> = missing.iter().map(|h| schema.hamlet_name(*h)).collect();
            note.push(format!(
                "Chưa có báo cáo tháng {} của {} (xem dòng dưới bảng).",
                totals.period.display_vn(),
                names.join(", ")
            ));
        }
    }
    Said { remark: upper_first(&remark.join("; ")), note: note.join("\n") }
}

/// In a month some hamlets have not reported, what that does to every
/// total, said once: whose report is missing, which month's figures stand
/// in for theirs, and that the year to date lacks their month.
pub fn partial_month_line(schema: &Schema, totals: &Totals, missing: &[HamletId]) -> Option<String> {
    if missing.is_empty() {
        return None;
    }
    let p = totals.period;
    let names: Vec<&str> = missing.iter().map(|h| schema.hamlet_name(*h)).collect();
    let mut line = format!("(*) Chưa có báo cáo tháng {} của {}", p.display_vn(), names.join(", "));
    // The months each missing hamlet's stocks stand on, over every total.
    // Hamlets standing on the same months go together: forty hamlets make
    // one clause, not forty.
    let mut stand: Vec<(String, Vec<&str>)> = Vec::new();
    let mut none: Vec<&str> = Vec::new();
    for &h in missing {
        let mut months: Vec<Period> =
            totals.rows.iter().flat_map(|t| &t.carried).filter(|(c, _)| *c == h).map(|(_, m)| *m).collect();
        months.sort_unstable_by(|a, b| b.cmp(a));
        months.dedup();
        match months.is_empty() {
            true => none.push(schema.hamlet_name(h)),
            false => {
                let ms: Vec<String> = months.iter().map(|m| m.display_vn()).collect();
                let ms = format!("tháng {}", ms.join(", "));
                match stand.iter_mut().find(|s| s.0 == ms) {
                    Some(s) => s.1.push(schema.hamlet_name(h)),
                    None => stand.push((ms, vec![schema.hamlet_name(h)])),
                }
            }
        }
    }
    if !stand.is_empty() {
        let stand: Vec<String> = stand.iter().map(|(ms, hs)| format!("{}: {ms}", hs.join(", "))).collect();
        line.push_str(&format!("; số hiện có dùng số của báo cáo gần nhất ({})", stand.join("; ")));
    }
    if !none.is_empty() {
        line.push_str(&format!("; chưa có số nào trong năm của {}", none.join(", ")));
    }
    let flows = totals.rows.iter().any(|t| t.lacking.iter().any(|(h, m)| *m == p && missing.contains(h)));
    if flows {
        line.push_str(&format!("; số lũy kế chưa có tháng {} của {}", p.display_vn(), names.join(", ")));
    }
    line.push_str(&crate::words::say(". Các chỉ tiêu tô vàng chưa đủ số của cả xã."));
    Some(line)
}

/// How many hamlets a remark names before it counts the others.
const SHOWN: usize = 6;

/// Hamlets as a sentence names them: "mọi thôn" for all; `short`, as a
/// remark in a row does, a few of many ("Đông An, …, Tây Phú và 24 thôn
/// khác") or all but a few ("mọi thôn trừ Tây An"); else every one.
fn hamlets(schema: &Schema, hs: &[HamletId], short: bool) -> String {
    let names =
        |hs: &mut dyn Iterator<Item = HamletId>| hs.map(|h| schema.hamlet_name(h)).collect::<Vec<_>>().join(", ");
    let all = schema.hamlets.len();
    if hs.len() == all {
        "mọi thôn".into()
    } else if !short || hs.len() <= SHOWN {
        names(&mut hs.iter().copied())
    } else if all - hs.len() <= 3 {
        format!("mọi thôn trừ {}", names(&mut schema.hamlets.ids().filter(|h| !hs.contains(h))))
    } else {
        format!("{} và {} thôn khác", names(&mut hs[..SHOWN - 1].iter().copied()), hs.len() - SHOWN + 1)
    }
}

/// "tháng 01/2024–05/2024 của mọi thôn; tháng 06/2024 của Lạc Phú": the
/// reports a total lacks, months of the same hamlets run together.
fn lacking_text(lacking: &[(HamletId, Period)], schema: &Schema, short: bool) -> String {
    let mut months: Vec<(Period, Vec<HamletId>)> = Vec::new();
    for &(h, p) in lacking {
        match months.iter_mut().find(|m| m.0 == p) {
            Some(m) => m.1.push(h),
            None => months.push((p, vec![h])),
        }
    }
    months.sort();
    let who = |hs: &[HamletId]| hamlets(schema, hs, short);
    let mut parts: Vec<String> = Vec::new();
    let mut k = 0;
    while k < months.len() {
        // A run of consecutive months lacking the same hamlets.
        let mut end = k;
        while end + 1 < months.len()
            && months[end + 1].1 == months[k].1
            && months[end + 1].0.month == months[end].0.month + 1
        {
            end += 1;
        }
        let span = if end == k {
            format!("tháng {}", months[k].0.display_vn())
        } else {
            format!("tháng {}–{}", months[k].0.display_vn(), months[end].0.display_vn())
        };
        parts.push(format!("{span} của {}", who(&months[k].1)));
        k = end + 1;
    }
    parts.join("; ")
}
