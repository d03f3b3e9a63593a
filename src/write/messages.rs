//! tin-nhan.txt: one short message per hamlet, ready to paste into a chat
//! or an SMS: what to fix, where, by when; a reminder to each hamlet that
//! has not reported. Hamlets whose report was read with nothing to fix get
//! none.

use crate::feedback::HamletCase;
use crate::model::{Finding, Severity, a1};
use crate::period::Period;
use crate::schema::Schema;
use crate::text::shown;
use crate::words::say;

/// A message's length at most, in characters: a long SMS, a chat bubble.
pub const MAX_CHARS: usize = 500;
/// The file's first words: how a later run knows the file is its own.
pub const HEADING: &str = "TIN NHẮN GỬI CÁC THÔN";
/// One finding's words in a message at most.
const ITEM_CHARS: usize = 150;

/// The whole file: a heading, then a message per hamlet that needs one.
/// `by` is the day to answer by, as written ("08/07/2024"); `file_of`
/// names the feedback workbook of a hamlet.
pub fn text(
    schema: &Schema,
    cases: &[HamletCase<'_>],
    period: Period,
    by: &str,
    file_of: &dyn Fn(&HamletCase<'_>) -> String,
) -> String {
    let mut out = say(&format!(
        "{HEADING} - BÁO CÁO THÁNG {}\n(Mỗi đoạn dưới đây là một tin nhắn: chép gửi qua Zalo hoặc SMS cho trưởng thôn.)\n",
        period.display_vn()
    ));
    let mut any = false;
    for case in cases {
        if let Some(m) = message(schema, case, period, by, &file_of(case)) {
            out.push_str(&format!("\n--- {} ---\n{m}\n", capitalized(&schema.hamlet_title(case.hamlet))));
            any = true;
        }
    }
    if !any {
        out.push_str(&say("\nMọi thôn đã nộp báo cáo và không có điểm nào cần sửa.\n"));
    }
    out
}

/// One hamlet's message; None when it has reported with nothing to fix.
pub fn message(schema: &Schema, case: &HamletCase<'_>, period: Period, by: &str, file: &str) -> Option<String> {
    let name = capitalized(&schema.hamlet_title(case.hamlet));
    let month = period.display_vn();
    let to_fix: Vec<&&Finding> = case.to_fix().collect();
    if to_fix.is_empty() {
        if case.reported() {
            return None;
        }
        let text =
            format!("{name}: xã chưa nhận được báo cáo tháng {month}. Đề nghị thôn gửi báo cáo trước ngày {by}.");
        return Some(say(&text));
    }
    let (errors, warnings) = (case.count(Severity::Error), case.count(Severity::Warning));
    let mut counted = Vec::new();
    if errors > 0 {
        counted.push(format!("{errors} lỗi cần sửa"));
    }
    if warnings > 0 {
        counted.push(format!("{warnings} điểm cần kiểm tra"));
    }
    let not_taken = if case.reported() { "" } else { " và chưa được nhận" };
    let head = format!("{name}: báo cáo tháng {month} có {}{not_taken}.", counted.join(", "));
    let tail = format!(" Đề nghị sửa và gửi lại trước ngày {by}. Chi tiết trong tệp \"{file}\".");
    let mut items = String::new();
    let mut left_out = 0;
    for (k, f) in to_fix.iter().enumerate() {
        let item = format!(" {}) {}", k + 1, item(f));
        let room = MAX_CHARS.saturating_sub(head.chars().count() + tail.chars().count() + 20);
        if items.chars().count() + item.chars().count() <= room {
            items.push_str(&item);
        } else {
            left_out += 1;
        }
    }
    let more = if left_out > 0 { format!(" Và {left_out} điểm khác.") } else { String::new() };
    Some(format!("{head}{items}{more}{tail}"))
}

/// A finding in a few words: where, and its first sentence.
fn item(f: &Finding) -> String {
    let text = shown(&f.message, 2_000);
    let first = match text.find(". ") {
        Some(i) => &text[..i + 1],
        None => &text,
    };
    let at = f.cell.map(|(r, c)| format!("Ô {}: ", a1(r, c))).unwrap_or_default();
    let said = format!("{at}{first}");
    match said.char_indices().nth(ITEM_CHARS) {
        Some((i, _)) => format!("{}…", &said[..i]),
        None => said,
    }
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}
