//! A blank form for one hamlet and month, laid out from the schema, so that
//! what hamlets are sent is exactly what the reader expects.

use rust_xlsxwriter::{Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet};

use super::Result;
use super::styles::{FILL_HEADER, FILL_INPUT, FONT, roman};
use crate::model::HamletId;
use crate::period::Period;
use crate::schema::{Schema, Table};

struct FormStyles {
    bold: Format,
    cell: Format,
    input: Format,
    head: Format,
}

impl FormStyles {
    fn new() -> FormStyles {
        let base = Format::new().set_font_name(FONT).set_font_size(12);
        let cell = base.clone().set_border(FormatBorder::Thin);
        FormStyles {
            bold: base.clone().set_bold(),
            input: cell.clone().set_background_color(Color::RGB(FILL_INPUT)).set_num_format("#,##0.##"),
            head: cell
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_background_color(Color::RGB(FILL_HEADER)),
            cell,
        }
    }
}

pub fn build(schema: &Schema, hamlet: HamletId, period: Period) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(period.year as u16, period.month as u8, 1)?;
    wb.set_properties(&DocProperties::new().set_author("tonghop").set_creation_datetime(&created));
    let ws = wb.add_worksheet();
    ws.set_name("Báo cáo")?;
    let st = FormStyles::new();
    let title = Format::new().set_font_name(FONT).set_font_size(14).set_bold().set_align(FormatAlign::Center);
    let width =
        2 + schema.tables.iter().map(|t| t.columns.len() + usize::from(!t.is_grid())).max().unwrap_or(1) as u16 + 1;
    let heading = format!("BÁO CÁO KẾT QUẢ SẢN XUẤT VÀ ĐỜI SỐNG THÁNG {} NĂM {}", period.month, period.year);
    ws.merge_range(0, 0, 0, width - 1, &heading, &title)?;
    ws.write_string_with_format(1, 0, format!("Thôn: {}", schema.hamlet_name(hamlet)), &st.bold)?;
    ws.write_string_with_format(1, 3, format!("Tháng: {}", period.display_vn()), &st.bold)?;
    let mut row = 3;
    for (ti, t) in schema.tables.iter().enumerate() {
        ws.write_string_with_format(row, 0, format!("{}. {}", roman(ti), t.title.text.to_uppercase()), &st.bold)?;
        row = table(ws, schema, t, row + 1, &st)? + 1;
    }
    ws.set_column_width(0, 6)?;
    ws.set_column_width(1, 40)?;
    for c in 2..width {
        ws.set_column_width(c, 16)?;
    }
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    wb.save_to_buffer()
}

/// One table of the form from `row`; returns the row after it.
fn table(ws: &mut Worksheet, schema: &Schema, t: &Table, mut row: u32, st: &FormStyles) -> Result<u32> {
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
        ws.write_string_with_format(row, c as u16, h, &st.head)?;
    }
    row += 1;
    let mut n = 0;
    let is_part = |r: usize| t.rows.iter().any(|o| o.parts.contains(&r));
    for (ri, r) in t.rows.iter().enumerate() {
        let label = if is_part(ri) {
            ws.write_blank(row, 0, &st.cell)?;
            format!("- {}", r.labels.text)
        } else {
            n += 1;
            ws.write_number_with_format(row, 0, n as f64, &st.cell)?;
            r.labels.text.clone()
        };
        ws.write_string_with_format(row, 1, &label, &st.cell)?;
        let mut c = 2;
        if !t.is_grid() {
            ws.write_string_with_format(row, c, schema.unit_code(r.indicators[0]), &st.cell)?;
            c += 1;
        }
        for _ in &t.columns {
            ws.write_blank(row, c, &st.input)?;
            c += 1;
        }
        ws.write_blank(row, c, &st.cell)?;
        row += 1;
    }
    Ok(row)
}
