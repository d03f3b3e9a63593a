//! The form a hamlet is sent for a month: laid out from the schema (see
//! [`super::form`]), so that what hamlets fill is exactly what the reader
//! expects; every input cell validated, with its unit in its input message;
//! labels and units protected (no password); the latest stocks pre-filled,
//! marked to confirm or change; an instruction block and the signature; a
//! hidden identity the reader trusts.

use std::collections::HashMap;

use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DocProperties, ExcelDateTime, Format, FormatAlign, Formula,
    ProtectionOptions, Workbook, Worksheet,
};

use super::Result;
use super::form::{self, FigureCell, FormStyles, Plan};
use super::styles::{FILL_INPUT, VN, note};
use crate::identity;
use crate::model::{HamletId, IndicatorId, a1};
use crate::period::Period;
use crate::schema::{Kind, Schema};

/// A light blue: a figure carried from an earlier month, to confirm.
pub const FILL_PREFILLED: u32 = 0xDDEEFF;

/// The latest figures of a hamlet, to pre-fill: from which month, and the
/// figure of each indicator.
#[derive(Debug, Clone, Default)]
pub struct Prefill {
    pub values: HashMap<IndicatorId, (f64, Period)>,
}

pub fn build(schema: &Schema, hamlet: HamletId, period: Period, prefill: &Prefill) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(period.year as u16, period.month as u8, 1)?;
    wb.set_properties(&DocProperties::new().set_author("tonghop").set_creation_datetime(&created));
    let st = FormStyles::new();
    let plan = form::plan(schema);
    let ws = wb.add_worksheet();
    ws.set_name("Báo cáo")?;
    // A computed cell whose inputs are blank is blank, not 0.
    ws.set_formula_result_default("");
    form::write_frame(ws, schema, &plan, hamlet, period, &st)?;
    figures(ws, schema, &plan, prefill, &st)?;
    let row = instructions(ws, schema, &plan, prefill, &st)?;
    signature(ws, &plan, row + 1, &st)?;
    // One sheet of A4, as it is printed and signed.
    ws.set_print_fit_to_pages(1, 1);
    // Labels, units and computed cells cannot be changed; input cells,
    // notes and the signature can. No password: a clerk who must change
    // the form makes a new one (README).
    ws.protect_with_options(&ProtectionOptions {
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::default()
    });
    let mut carried: Vec<(IndicatorId, f64)> = prefill.values.iter().map(|(i, (v, _))| (*i, *v)).collect();
    carried.sort_by_key(|(i, _)| *i);
    identity_sheet(wb.add_worksheet(), schema, hamlet, period, &carried)?;
    wb.save_to_buffer()
}

/// The figure cells: inputs (blank, or pre-filled and marked), computed
/// cells as formulas, and each row's note cell open for writing.
fn figures(ws: &mut Worksheet, schema: &Schema, plan: &Plan, prefill: &Prefill, st: &FormStyles) -> Result {
    let values: HashMap<IndicatorId, f64> = prefill.values.iter().map(|(i, (v, _))| (*i, *v)).collect();
    for f in &plan.figures {
        match &f.computed {
            Some(formula) => {
                // A computed yield has as many decimals as its division
                // gives: shown to one, as the summary shows it.
                let format = match schema.indicators[f.ind].kind {
                    Kind::Number => st.figure(schema, f.ind, None).set_num_format(format!("{VN}#,##0.0")),
                    Kind::Count => st.figure(schema, f.ind, None),
                };
                let result = computed_value(schema, f, &values).map(|v| v.to_string()).unwrap_or_default();
                ws.write_formula_with_format(f.row, f.col, Formula::new(formula).set_result(result), &format)?;
            }
            None => input_cell(ws, schema, f, prefill.values.get(&f.ind).copied(), st)?,
        }
    }
    let open = st.cell.clone().set_unlocked();
    for (&row, &col) in &plan.notes_col {
        ws.write_blank(row, col, &open)?;
    }
    Ok(())
}

/// One input cell: unlocked, validated, its unit in its input message;
/// pre-filled with an earlier month's figure, said in a note.
fn input_cell(
    ws: &mut Worksheet,
    schema: &Schema,
    f: &FigureCell,
    carried: Option<(f64, Period)>,
    st: &FormStyles,
) -> Result {
    let fill = if carried.is_some() { FILL_PREFILLED } else { FILL_INPUT };
    let format = st.figure(schema, f.ind, Some(fill)).set_unlocked();
    match carried {
        Some((v, from)) => {
            ws.write_number_with_format(f.row, f.col, v, &format)?;
            let text = format!(
                "Số của tháng {} chuyển sang: nếu tháng này vẫn đúng thì giữ nguyên, nếu khác thì ghi số mới.",
                from.display_vn()
            );
            ws.insert_note(f.row, f.col, &note(&text, 260, 70))?;
        }
        None => {
            ws.write_blank(f.row, f.col, &format)?;
        }
    }
    ws.add_data_validation(f.row, f.col, f.row, f.col, &validation(schema, f)?)?;
    Ok(())
}

/// A number not below zero (whole for counts), or "-" for none.
fn validation(schema: &Schema, f: &FigureCell) -> Result<DataValidation> {
    let cell = a1(f.row, f.col as u32);
    let ind = &schema.indicators[f.ind];
    let unit = schema.unit_code(f.ind);
    let whole = ind.kind == Kind::Count;
    let rule = if whole {
        format!("=OR({cell}=\"-\",AND(ISNUMBER({cell}),{cell}>=0,{cell}=INT({cell})))")
    } else {
        format!("=OR({cell}=\"-\",AND(ISNUMBER({cell}),{cell}>=0))")
    };
    let kind = if whole { "số nguyên không âm" } else { "số không âm (số lẻ dùng dấu phẩy: 1,5)" };
    let title: String = ind.name.chars().take(32).collect();
    Ok(DataValidation::new()
        .allow_custom(Formula::new(rule))
        .set_input_title(title)?
        .set_input_message(format!(
            "Đơn vị: {unit}. Ghi {kind}. Chưa biết thì để trống, không ghi 0; không có thì ghi \"-\"."
        ))?
        .set_error_title("Số không hợp lệ")?
        .set_error_message(format!("Ô này chỉ nhận {kind}, đơn vị {unit}, hoặc dấu \"-\" khi không có."))?
        .set_error_style(DataValidationErrorStyle::Stop))
}

/// What a computed cell comes to with the figures given: the sum of the
/// parts given, or the column's formula (in base units, as the summary
/// computes it); None while its inputs are blank.
fn computed_value(schema: &Schema, f: &FigureCell, values: &HashMap<IndicatorId, f64>) -> Option<f64> {
    let parts = &schema.indicators[f.ind].parts;
    if let Some(formula) = crate::total::formula_of(schema, f.ind) {
        let v = formula.eval(|i| values.get(&i).map(|v| v * schema.scale(i)).or_else(|| sum_of(schema, i, values)))?;
        return Some(v / schema.scale(f.ind));
    }
    let given: Vec<f64> = parts.iter().filter_map(|p| values.get(p)).copied().collect();
    (!given.is_empty()).then(|| given.iter().sum())
}

/// A total row's own figure from its parts, in base units.
fn sum_of(schema: &Schema, i: IndicatorId, values: &HashMap<IndicatorId, f64>) -> Option<f64> {
    let parts = &schema.indicators[i].parts;
    let given: Vec<f64> = parts.iter().filter_map(|p| values.get(p)).copied().collect();
    (!given.is_empty()).then(|| given.iter().sum::<f64>() * schema.scale(i))
}

/// How to fill the form, under the tables; returns the row after it.
fn instructions(ws: &mut Worksheet, schema: &Schema, plan: &Plan, prefill: &Prefill, st: &FormStyles) -> Result<u32> {
    let mut lines = vec![
        "Hướng dẫn ghi biểu:".to_string(),
        "- Ghi số vào các ô màu vàng; số lẻ dùng dấu phẩy (ví dụ 1,5), không ghi chữ hay đơn vị vào ô số.".to_string(),
        "- Chưa biết số thì để trống, không ghi 0; không có (bằng không) thì ghi dấu \"-\".".to_string(),
        format!("- Ghi đúng đơn vị ở cột ĐVT hoặc ở tên cột ({}).", units_used(schema)),
        "- Các ô tổng (không tô màu) tự tính từ các dòng con; không sửa tên dòng, tên cột.".to_string(),
    ];
    if let Some(from) = prefill.values.values().map(|(_, p)| *p).max() {
        lines.push(format!(
            "- Ô màu xanh là số tháng {} chuyển sang: đúng thì giữ nguyên, khác thì ghi số mới.",
            from.display_vn()
        ));
    }
    let mut row = plan.end;
    for (k, line) in lines.iter().enumerate() {
        let format = if k == 0 { &st.bold } else { &st.text };
        ws.merge_range(row, 0, row, plan.last_col, line, format)?;
        row += 1;
    }
    Ok(row)
}

/// The units the form's figures are in, once each.
fn units_used(schema: &Schema) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for i in schema.form_indicators() {
        let u = schema.unit_code(i);
        if !seen.contains(&u) {
            seen.push(u);
        }
    }
    seen.join(", ")
}

/// The place and date line, and the hamlet head's signature.
fn signature(ws: &mut Worksheet, plan: &Plan, row: u32, st: &FormStyles) -> Result {
    let (c0, c1) = ((plan.last_col / 2).max(2), plan.last_col);
    let open = st.italic.clone().set_align(FormatAlign::Center).set_unlocked();
    ws.merge_range(row, c0, row, c1, "……………, ngày …… tháng …… năm ………", &open)?;
    let head = format!("TRƯỞNG {}", crate::words::get().hamlet.to_uppercase());
    ws.merge_range(row + 1, c0, row + 1, c1, &head, &st.bold.clone().set_align(FormatAlign::Center))?;
    ws.merge_range(row + 2, c0, row + 2, c1, "(Ký, ghi rõ họ tên)", &st.italic.clone().set_align(FormatAlign::Center))?;
    ws.merge_range(row + 6, c0, row + 6, c1, "", &st.center.clone().set_unlocked())?;
    Ok(())
}

/// The hidden sheet the reader trusts (see [`identity`]).
fn identity_sheet(
    ws: &mut Worksheet,
    schema: &Schema,
    hamlet: HamletId,
    period: Period,
    carried: &[(IndicatorId, f64)],
) -> Result {
    ws.set_name(identity::SHEET)?;
    let plain = Format::new();
    for (r, (k, v)) in identity::rows(schema, hamlet, period, carried).iter().enumerate() {
        ws.write_string_with_format(r as u32, 0, *k, &plain)?;
        ws.write_string_with_format(r as u32, 1, v, &plain)?;
    }
    ws.set_hidden(true);
    ws.protect();
    Ok(())
}
