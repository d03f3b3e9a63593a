//! The errors that stop a command, each with a message a clerk understands.
//! Anything wrong with an input file is not here: that is a finding, and the
//! run goes on.

use std::path::PathBuf;

use crate::schema::SchemaError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Schema(#[from] SchemaError),

    #[error("Không tìm thấy tệp hay thư mục \"{}\".", .0.display())]
    InputNotFound(PathBuf),

    #[error("Không ghi được tệp \"{}\": {}.", path.display(), vn_io(source))]
    Write { path: PathBuf, source: std::io::Error },

    #[error("Không tạo được bảng tính \"{}\": {source}.", path.display())]
    Workbook { path: PathBuf, source: rust_xlsxwriter::XlsxError },

    #[error("Không có báo cáo nào được nhận, và không nêu tháng (--period): không biết tổng hợp tháng nào.")]
    NoPeriod,

    #[error(
        "Không có báo cáo nào của tháng {0} (--period): không ghi gì. Kiểm tra lại tháng, hoặc thư mục có báo cáo tháng đó."
    )]
    NoReportForPeriod(String),

    #[error("Không tìm thấy tệp bảng tính nào (.xlsx, .xls, .ods, …) trong {0}: không có gì để đọc.")]
    NoSpreadsheets(String),

    #[error("Không ghi vào \"{}\": đó là một tệp đầu vào (báo cáo của thôn). Hãy chọn tên tệp khác cho kết quả.", .0.display())]
    OutputIsInput(PathBuf),

    #[error("Không ghi vào \"{}\": bảng tổng hợp (-o) và báo cáo JSON (--json) phải là hai tệp khác nhau.", .0.display())]
    OutputsSame(PathBuf),

    #[error("Không ghi vào \"{}\": đó không phải một tệp thường (là thư mục, thiết bị hoặc đường ống).", .0.display())]
    OutputNotFile(PathBuf),

    #[error("Không ghi được kết quả ra đầu ra chuẩn: {}.", vn_io(.0))]
    Stdout(std::io::Error),

    #[error("{0}")]
    Usage(String),
}

/// A system error in Vietnamese, the system's own words kept after it.
pub(crate) fn vn_io(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    let said = match e.kind() {
        NotFound => "không có tệp hay thư mục này",
        PermissionDenied => "không được phép (thiếu quyền)",
        AlreadyExists => "đã có tệp này",
        StorageFull => "đĩa đã đầy",
        ReadOnlyFilesystem => "ổ đĩa chỉ cho đọc",
        IsADirectory => "đó là một thư mục",
        NotADirectory => "một phần của đường dẫn không phải thư mục",
        InvalidFilename => "tên tệp không hợp lệ",
        BrokenPipe => "nơi nhận đã đóng",
        _ => "lỗi của hệ thống",
    };
    format!("{said} ({e})")
}

impl Error {
    /// What the clerk may have meant: a command mistyped reads as a folder
    /// that is not there ("tonghop valdate samples").
    pub fn hint(&self) -> Option<String> {
        let Error::InputNotFound(p) = self else { return None };
        let word = p.to_str().filter(|w| !w.contains(['/', '\\', '.']))?;
        const COMMANDS: [&str; 6] = ["run", "validate", "template", "schema", "init", "serve"];
        let near = COMMANDS.iter().find(|c| strsim::damerau_levenshtein(word, c) <= 2 || word == "help")?;
        Some(if word == "help" {
            "Xem cách dùng: tonghop --help.".into()
        } else {
            format!("Có phải là lệnh \"{near}\"? Xem: tonghop --help.")
        })
    }

    /// Every error that stops a command exits 2 (CONTRACT.md).
    pub fn exit_code(&self) -> i32 {
        2
    }
}
