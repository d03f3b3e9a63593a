//! A blank form for one hamlet and month, laid out from the schema, so that
//! what hamlets are sent is exactly what the reader expects.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook};

use crate::period::Period;
use crate::schema::Schema;

fn roman(n: usize) -> &'static str {
    ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"].get(n).copied().unwrap_or("X")
}

pub fn build(schema: &Schema, hamlet: usize, period: Period) -> Result<Vec<u8>, String> {
    let e = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let mut wb = Workbook::new();
    let created = rust_xlsxwriter::ExcelDateTime::from_ymd(period.year as u16, period.month as u8, 1).map_err(e)?;
    wb.set_properties(&rust_xlsxwriter::DocProperties::new().set_author("tonghop").set_creation_datetime(&created));
    let ws = wb.add_worksheet();
    ws.set_name("Báo cáo").map_err(e)?;
    let base = Format::new().set_font_name("Times New Roman").set_font_size(12);
    let bold = base.clone().set_bold();
    let cell = base.clone().set_border(FormatBorder::Thin);
    let input = cell.clone().set_background_color(Color::RGB(0xFFFFE0)).set_num_format("#,##0.##");
    let head = cell
        .clone()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_background_color(Color::RGB(0xDDEBF7));
    let title = base.clone().set_bold().set_font_size(14).set_align(FormatAlign::Center);
    let width =
        2 + schema.tables.iter().map(|t| t.columns.len() + usize::from(!t.is_grid())).max().unwrap_or(1) as u16 + 1;
    ws.merge_range(
        0,
        0,
        0,
        width - 1,
        &format!("BÁO CÁO KẾT QUẢ SẢN XUẤT VÀ ĐỜI SỐNG THÁNG {} NĂM {}", period.month, period.year),
        &title,
    )
    .map_err(e)?;
    ws.write_string_with_format(1, 0, format!("Thôn: {}", schema.hamlets[hamlet].name), &bold).map_err(e)?;
    ws.write_string_with_format(1, 3, format!("Tháng: {}", period.display_vn()), &bold).map_err(e)?;
    let mut row = 3;
    for (ti, t) in schema.tables.iter().enumerate() {
        ws.write_string_with_format(row, 0, format!("{}. {}", roman(ti), t.title.text.to_uppercase()), &bold)
            .map_err(e)?;
        row += 1;
        let label_head = if t.label_header.text.is_empty() { "Chỉ tiêu" } else { &t.label_header.text };
        let mut heads = vec!["STT".to_string(), label_head.to_string()];
        if !t.is_grid() {
            heads.push("ĐVT".into());
        }
        for c in &t.columns {
            heads.push(match c.unit {
                Some(u) => format!("{} ({})", c.labels.text, schema.units.get(u).code),
                None => c.labels.text.clone(),
            });
        }
        heads.push("Ghi chú".into());
        for (c, h) in heads.iter().enumerate() {
            ws.write_string_with_format(row, c as u16, h, &head).map_err(e)?;
        }
        row += 1;
        let mut n = 0;
        let is_part = |r: usize| t.rows.iter().any(|o| o.parts.contains(&r));
        for (ri, r) in t.rows.iter().enumerate() {
            let label = if is_part(ri) {
                format!("- {}", r.labels.text)
            } else {
                n += 1;
                r.labels.text.clone()
            };
            if is_part(ri) {
                ws.write_blank(row, 0, &cell).map_err(e)?;
            } else {
                ws.write_number_with_format(row, 0, n as f64, &cell).map_err(e)?;
            }
            ws.write_string_with_format(row, 1, &label, &cell).map_err(e)?;
            let mut c = 2;
            if !t.is_grid() {
                ws.write_string_with_format(row, c, schema.unit_code(r.indicators[0]), &cell).map_err(e)?;
                c += 1;
            }
            for _ in &t.columns {
                ws.write_blank(row, c, &input).map_err(e)?;
                c += 1;
            }
            ws.write_blank(row, c, &cell).map_err(e)?;
            row += 1;
        }
        row += 1;
    }
    ws.set_column_width(0, 6).map_err(e)?;
    ws.set_column_width(1, 40).map_err(e)?;
    for c in 2..width {
        ws.set_column_width(c, 16).map_err(e)?;
    }
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    wb.save_to_buffer().map_err(e)
}
