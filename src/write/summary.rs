//! Tổng hợp: the commune totals against the year's targets, grouped by the
//! resolution's sections, with marks and notes where a total includes a
//! figure with an error or misses hamlets; a chart of % of plan; signatures.

use rust_xlsxwriter::{
    Chart, ChartFont, ChartFormat, ChartPoint, ChartSolidFill, ChartType, Color, ConditionalFormatCell,
    ConditionalFormatCellRule, Format, Worksheet,
};

use super::styles::{Fig, Mark, Styles, letterhead, note, print_setup, roman, write_opt};
use super::workbook::Input;
use super::{Result, by_section};
use crate::model::HamletId;
use crate::schema::{Aggregation, Goal};
use crate::text::vn_number;
use crate::total::{Rating, Total};

pub const NAME: &str = "Tổng hợp";

/// Worth a row in the leadership's summary: a figure or a target.
fn shown(t: &Total) -> bool {
    t.value.is_some() || t.month_value.is_some() || t.goal.is_some() || t.withheld.is_some()
}

fn goal_text(goal: &Goal) -> String {
    match goal {
        Goal::Plan { value } => vn_number(*value, 2),
        Goal::Range { min, max } => format!("{} – {}", vn_number(*min, 2), vn_number(*max, 2)),
        Goal::AtLeast { value } => format!("≥ {}", vn_number(*value, 2)),
        Goal::AtMost { value } => format!("≤ {}", vn_number(*value, 2)),
    }
}

pub fn sheet(ws: &mut Worksheet, input: &Input<'_>, st: &Styles) -> Result {
    ws.set_name(NAME)?;
    let schema = input.schema;
    let p = input.totals.period;
    let heads = [
        "STT".to_string(),
        "Chỉ tiêu".into(),
        "ĐVT".into(),
        format!("Tháng {}", p.display_vn()),
        format!("Lũy kế / hiện có đến {}", p.display_vn()),
        format!("Chỉ tiêu Nghị quyết năm {}", p.year),
        "% kế hoạch".into(),
        "Đánh giá".into(),
        "Ước cả năm (theo tiến độ)".into(),
        format!("Cùng kỳ năm {}", p.year - 1),
        "So cùng kỳ (%)".into(),
        "Ghi chú".into(),
    ];
    let last_col = heads.len() as u16 - 1;
    let head_row = letterhead(ws, &input.letterhead(), st, last_col)?;
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(head_row, c as u16, h, &st.header)?;
    }
    ws.set_row_height(head_row, 50)?;
    let missing: Vec<&str> = input.totals.missing().map(|h| schema.hamlet_name(h)).collect();
    let mut row = head_row + 1;
    // The chart's figures: plan targets only, where "% kế hoạch" means what it says.
    let mut chart: Vec<(String, f64, bool)> = Vec::new();
    for (si, (section, inds)) in by_section(schema).into_iter().enumerate() {
        let totals: Vec<&Total> = inds.into_iter().map(|i| &input.totals.rows[i]).filter(|t| shown(t)).collect();
        if totals.is_empty() {
            continue;
        }
        ws.write_string_with_format(row, 0, roman(si), &st.section)?;
        ws.merge_range(row, 1, row, last_col, &schema.sections[section].title.to_uppercase(), &st.section)?;
        row += 1;
        for (n, t) in totals.into_iter().enumerate() {
            total_row(ws, input, st, row, n + 1, t, &missing)?;
            if let (Some(pct), Some(Goal::Plan { .. })) = (t.percent_of_target, t.goal) {
                chart.push((schema.indicators[t.indicator].name.clone(), pct, t.has_errors));
            }
            row += 1;
        }
    }
    let last_row = row - 1;
    verdict_colours(ws, head_row, last_row)?;
    for (c, w) in [5.0, 40.0, 7.0, 11.0, 12.0, 12.0, 9.0, 13.0, 11.0, 11.0, 9.0, 30.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_freeze_panes(head_row + 1, 2)?;
    ws.autofilter(head_row, 0, last_row, last_col)?;
    print_setup(ws, head_row, head_row)?;
    let sign = legend_and_signatures(ws, st, last_row + 1, last_col)?;
    if !chart.is_empty() {
        chart_of_plans(ws, st, &chart, head_row, last_col, sign + 6, p)?;
    }
    Ok(())
}

/// One total: the month, the year so far, the target, % of it, the verdict,
/// the pace to year end, last year, and a remark with a note when flagged.
fn total_row(
    ws: &mut Worksheet,
    input: &Input<'_>,
    st: &Styles,
    row: u32,
    n: usize,
    t: &Total,
    missing: &[&str],
) -> Result {
    let schema = input.schema;
    let i = t.indicator;
    let ind = &schema.indicators[i];
    let fig = Fig::of(schema, i);
    let flagged = t.has_errors
        || t.withheld.is_some()
        || ((!missing.is_empty() || !t.incomplete.is_empty() || !t.lacking.is_empty()) && t.value.is_some());
    ws.write_number_with_format(row, 0, n as f64, &st.center)?;
    ws.write_string_with_format(row, 1, &ind.name, &st.text)?;
    ws.write_string_with_format(row, 2, schema.unit_code(i), &st.center)?;
    write_opt(ws, row, 3, t.month_value, &st.figure(fig, Mark::Plain))?;
    let ytd = if t.has_errors {
        Mark::Error
    } else if flagged {
        Mark::Warning
    } else {
        Mark::Total
    };
    write_opt(ws, row, 4, t.value, &st.figure(fig, ytd).set_bold())?;
    match &t.goal {
        Some(Goal::Plan { value }) => ws.write_number_with_format(row, 5, *value, &st.figure(fig, Mark::Plain))?,
        Some(g) => ws.write_string_with_format(row, 5, goal_text(g), &st.right)?,
        None => ws.write_blank(row, 5, &st.text)?,
    };
    write_opt(ws, row, 6, t.percent_of_target, &st.figure(Fig::Percent, Mark::Plain))?;
    let verdict = match t.rating {
        Some(Rating::Reached) => "Đạt",
        Some(Rating::NotReached) => "Chưa đạt",
        Some(Rating::NeedsCheck) => "Cần kiểm tra",
        Some(Rating::NoData) => "Chưa có số liệu",
        None => "",
    };
    ws.write_string_with_format(row, 7, verdict, &st.center)?;
    write_opt(ws, row, 8, t.projection, &st.figure(fig, Mark::Plain))?;
    write_opt(ws, row, 9, t.last_year, &st.figure(fig, Mark::Plain))?;
    write_opt(ws, row, 10, t.change_from_last_year, &st.figure(Fig::Percent, Mark::Plain))?;
    let remark = remark(t, schema);
    ws.write_string_with_format(row, 11, &remark, &st.wrap)?;
    if flagged {
        ws.insert_note(row, 4, &note(&remark_note(t, missing), 380, 130))?;
        let lines = remark.chars().count().div_ceil(34).max(1);
        ws.set_row_height(row, 16.0 * lines as f64)?;
    }
    Ok(())
}

/// Reached in green, not reached in red, to be checked in amber.
fn verdict_colours(ws: &mut Worksheet, head_row: u32, last_row: u32) -> Result {
    let green = Format::new().set_font_color(Color::RGB(0x006100)).set_background_color(Color::RGB(0xC6EFCE));
    let red = Format::new().set_font_color(Color::RGB(0x9C0006)).set_background_color(Color::RGB(0xFFC7CE));
    let amber = Format::new().set_font_color(Color::RGB(0x7F4F00)).set_background_color(Color::RGB(0xFFEB9C));
    for (text, f) in [("\"Đạt\"", green), ("\"Chưa đạt\"", red), ("\"Cần kiểm tra\"", amber)] {
        if last_row <= head_row {
            break;
        }
        let rule = ConditionalFormatCell::new().set_rule(ConditionalFormatCellRule::EqualTo(text)).set_format(f);
        ws.add_conditional_format(head_row + 1, 7, last_row, 7, &rule)?;
    }
    Ok(())
}

/// The legend under the table and the signature blocks; returns the row of
/// the signatures.
fn legend_and_signatures(ws: &mut Worksheet, st: &Styles, legend: u32, last_col: u16) -> Result<u32> {
    ws.merge_range(
        legend,
        0,
        legend,
        last_col,
        "Ô lũy kế tô màu: tổng gồm số liệu có lỗi (đỏ) hoặc thiếu báo cáo tháng của thôn (vàng); rê chuột vào ô để xem ghi chú. Chi tiết ở các trang Chi tiết thôn và Kiểm tra.",
        &st.note,
    )?;
    let sign = legend + 2;
    ws.merge_range(sign, 0, sign, 2, "NGƯỜI LẬP BIỂU", &st.bold_center)?;
    ws.merge_range(sign, 7, sign, last_col, "TM. ỦY BAN NHÂN DÂN", &st.bold_center)?;
    ws.merge_range(sign + 1, 7, sign + 1, last_col, "CHỦ TỊCH", &st.bold_center)?;
    ws.write_blank(sign + 5, 0, &st.base)?;
    Ok(sign)
}

/// A chart of % of target, from figures in hidden columns beside the table.
fn chart_of_plans(
    ws: &mut Worksheet,
    st: &Styles,
    chart: &[(String, f64, bool)],
    head_row: u32,
    last_col: u16,
    at_row: u32,
    p: crate::period::Period,
) -> Result {
    let (name_col, pct_col) = (last_col + 2, last_col + 3);
    ws.write_string_with_format(head_row, name_col, "Chỉ tiêu", &st.base)?;
    ws.write_string_with_format(head_row, pct_col, "% kế hoạch", &st.base)?;
    for (k, (name, pct, doubtful)) in chart.iter().enumerate() {
        let r = head_row + 1 + k as u32;
        // A figure with an error is marked on the chart too, never shown as plain.
        let name = if *doubtful { format!("{name} (cần kiểm tra)") } else { name.clone() };
        ws.write_string_with_format(r, name_col, &name, &st.base)?;
        ws.write_number_with_format(r, pct_col, *pct, &st.base)?;
    }
    let points: Vec<ChartPoint> = chart
        .iter()
        .map(|(_, _, doubtful)| {
            let colour = if *doubtful { 0xC9A227 } else { 0x4472C4 };
            ChartPoint::new().set_format(ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(colour)))
        })
        .collect();
    ws.set_column_hidden(name_col)?;
    ws.set_column_hidden(pct_col)?;
    let (first, last) = (head_row + 1, head_row + chart.len() as u32);
    let mut c = Chart::new(ChartType::Bar);
    c.add_series()
        .set_name("% kế hoạch")
        .set_categories((NAME, first, name_col, last, name_col))
        .set_values((NAME, first, pct_col, last, pct_col))
        .set_format(ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(0x4472C4)))
        .set_points(&points);
    let font = |size: f64, bold: bool| {
        let mut f = ChartFont::new();
        f.set_name(super::styles::FONT).set_size(size);
        if bold {
            f.set_bold();
        }
        f
    };
    c.title()
        .set_name(&format!("Tỷ lệ thực hiện so với kế hoạch năm {} (%), đến tháng {}", p.year, p.display_vn()))
        .set_font(&font(13.0, true));
    c.x_axis().set_font(&font(10.0, false));
    c.y_axis().set_font(&font(10.0, false));
    c.legend().set_hidden();
    c.y_axis().set_reverse();
    c.show_hidden_data();
    c.set_width(980).set_height(24 * chart.len() as u32 + 120);
    ws.insert_chart(at_row, 0, &c)?;
    Ok(())
}

/// What a leader should know of a total, in a few words.
fn remark(t: &Total, schema: &crate::schema::Schema) -> String {
    let names = |hs: &[HamletId]| hs.iter().map(|h| schema.hamlet_name(*h)).collect::<Vec<_>>().join(", ");
    let mut parts = Vec::new();
    // A cell not read: the hamlet's figure is missing, or an earlier month's stands in.
    let (stood_in, lacking): (Vec<HamletId>, Vec<HamletId>) =
        t.unread.iter().partition(|h| t.carried.iter().any(|(c, _)| c == *h));
    if !lacking.is_empty() {
        parts.push(format!("Thiếu số của {}: ô có lỗi, không đọc được, cần kiểm tra (xem Kiểm tra)", names(&lacking)));
    }
    if !stood_in.is_empty() {
        parts
            .push(format!("Số tháng này của {} có lỗi, không đọc được, cần kiểm tra (xem Kiểm tra)", names(&stood_in)));
    }
    if t.unread.is_empty() && t.has_errors {
        parts.push("Gồm số liệu có lỗi, cần kiểm tra (xem Kiểm tra)".to_string());
    }
    if let Some(p) = t.withheld.and_then(|p| schema.indicators[p].group.as_deref()) {
        parts.push(format!("Chưa tính cả năm: {} chưa thu hoạch xong", p.to_lowercase()));
    }
    if t.value.is_some() {
        // A stock stands on the latest month a hamlet gave; a flow lacks
        // the month of a hamlet that did not report.
        let carried: Vec<String> =
            t.carried.iter().map(|(h, m)| format!("{} (tháng {})", schema.hamlet_name(*h), m.display_vn())).collect();
        if !carried.is_empty() {
            parts.push(format!("dùng số tháng trước của: {}", carried.join(", ")));
        }
        if !t.lacking.is_empty() {
            let how = match schema.indicators[t.indicator].aggregation {
                Aggregation::Stock => "chưa có số của",
                Aggregation::Flow => "lũy kế thiếu báo cáo",
            };
            parts.push(format!("{how}: {}", lacking_text(&t.lacking, schema)));
        }
    }
    if !t.incomplete.is_empty() && t.value.is_some() {
        parts.push(format!("chưa tính thôn thiếu số liệu: {}", names(&t.incomplete)));
    }
    parts.join("; ")
}

/// "tháng 01/2024–05/2024 của mọi thôn; tháng 06/2024 của Lạc Phú": the
/// reports a total lacks, months of the same hamlets run together.
pub fn lacking_text(lacking: &[(HamletId, crate::period::Period)], schema: &crate::schema::Schema) -> String {
    let mut months: Vec<(crate::period::Period, Vec<HamletId>)> = Vec::new();
    for &(h, p) in lacking {
        match months.iter_mut().find(|m| m.0 == p) {
            Some(m) => m.1.push(h),
            None => months.push((p, vec![h])),
        }
    }
    months.sort();
    let who = |hs: &[HamletId]| {
        if hs.len() == schema.hamlets.len() {
            "mọi thôn".to_string()
        } else {
            hs.iter().map(|h| schema.hamlet_name(*h)).collect::<Vec<_>>().join(", ")
        }
    };
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

fn remark_note(t: &Total, missing: &[&str]) -> String {
    let mut s = String::new();
    if !t.unread.is_empty() {
        s.push_str("Có ô số liệu của thôn không đọc được, nên tổng này thiếu số đó và chưa đánh giá đạt hay chưa đạt; xem trang Kiểm tra.\n");
    } else if t.has_errors {
        s.push_str("Tổng này cộng cả số liệu có lỗi, nên chưa đánh giá đạt hay chưa đạt; xem trang Kiểm tra và Chi tiết thôn.\n");
    }
    if !missing.is_empty() {
        s.push_str(&format!("Chưa có báo cáo tháng của: {}.\n", missing.join(", ")));
    }
    if !t.lacking.is_empty() {
        s.push_str(
            "Tổng này thiếu báo cáo của một số thôn hoặc tháng (xem Ghi chú), nên chưa đánh giá đạt hay chưa đạt.",
        );
    }
    s
}
