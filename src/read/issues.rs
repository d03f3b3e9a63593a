//! The one catalogue of what reading finds of its own (the schema's rules
//! are the rest): each kind of finding with its id, as it appears in the
//! JSON report, its severity and its message. Finding files, reading them,
//! placing the form on a sheet, telling the hamlet and month, and settling
//! two reports of one hamlet and month all say what they find through here.

use super::book::OpenError;
use crate::model::{Finding, RuleRef, Severity};
use crate::text::vn_figure;

/// What reading found, with what its message needs.
#[derive(Debug, Clone)]
pub(crate) enum Issue<'a> {
    // --- Files and folders ---
    /// A folder past the depth that is read.
    FolderTooDeep {
        dir: &'a str,
        depth: usize,
    },
    FolderUnreadable {
        dir: &'a str,
    },
    LockFile,
    NotASpreadsheet {
        ext: &'a str,
    },
    TooLarge {
        megabytes: u64,
    },
    /// Found in a folder: a pipe, a device, a link to a folder or to nothing.
    NotARegularFile,
    /// Named on the command line, and not a file that can be read.
    NamedNotAFile,
    CannotOpen {
        why: &'a str,
    },
    /// What the file's bytes say it is not, or why it does not open.
    Unopenable(&'a OpenError),
    /// The reader itself failed on the file's structure.
    Crashed,
    /// No worker process would start: files were read in this process,
    /// without a file's own limits.
    NotIsolated {
        why: &'a str,
    },
    /// Reading it needed more memory than a file may have.
    NeedsTooMuchMemory {
        megabytes: u64,
    },
    /// Reading it took longer than a file may.
    TakesTooLong {
        seconds: u64,
    },
    NoSheets,
    NoReport,
    /// A form with no figure at all.
    EmptyReport,
    /// A form sent back with only the figures it was sent with.
    AsSent {
        name: &'a str,
        count: usize,
    },
    /// A summary tonghop wrote, among the reports.
    OwnSummary,
    /// A feedback workbook tonghop wrote for a hamlet.
    OwnFeedback,
    // --- Sheets ---
    SheetUnreadable {
        sheet: &'a str,
        why: &'a str,
    },
    NotAReportSheet {
        sheet: &'a str,
    },
    LegacyEncoding {
        sheet: &'a str,
        encoding: &'a str,
        cells: usize,
    },
    HiddenSheet {
        sheet: &'a str,
    },
    LargeSheet {
        sheet: &'a str,
        rows: u32,
        cols: u32,
    },
    /// Figures read from a hidden column: read, and said.
    HiddenColumn {
        col: String,
        labels: &'a str,
    },
    /// A cell merged over figures of several rows: not read.
    MergedFigure {
        cells: &'a str,
        value: &'a str,
        labels: &'a str,
    },
    HiddenRow {
        row: u32,
        labels: &'a str,
    },
    // --- The form on the sheet ---
    AmbiguousLabel {
        text: &'a str,
        rows: &'a str,
    },
    /// A row written twice with other figures: neither read.
    DuplicateRowDiffers {
        label: &'a str,
        first: u32,
        again: u32,
    },
    DuplicateRow {
        label: &'a str,
        first: u32,
        again: u32,
    },
    MissingColumn {
        table: &'a str,
        column: &'a str,
    },
    MissingTable {
        table: &'a str,
    },
    MissingRow {
        table: &'a str,
        row: &'a str,
    },
    TotalRow {
        table: &'a str,
        label: &'a str,
    },
    UnknownLabel {
        table: &'a str,
        label: &'a str,
    },
    UnitConverted {
        place: &'a str,
        unit: &'a str,
        to: &'a str,
        factor: f64,
    },
    UnitNotConvertible {
        place: &'a str,
        unit: &'a str,
        to: &'a str,
    },
    /// A unit the schema does not know: the figures under it are left out.
    UnitUnknown {
        place: &'a str,
        unit: &'a str,
        to: &'a str,
    },
    /// Units written for one figure disagree: not read.
    UnitConflict {
        name: &'a str,
        written: &'a str,
    },
    /// Several headers name a column: one taken, the others said.
    ColumnChosen {
        table: &'a str,
        column: &'a str,
        taken: &'a str,
        others: &'a str,
    },
    /// The only header of a column names another month or year: not read.
    ColumnOtherMonth {
        table: &'a str,
        column: &'a str,
        header: &'a str,
        month: &'a str,
    },
    /// Several headers name a column equally: none read.
    ColumnUncertain {
        table: &'a str,
        column: &'a str,
        headers: &'a str,
    },
    /// A hamlet named over several columns of a sheet side by side.
    HamletColumnTwice {
        sheet: &'a str,
        hamlet: &'a str,
        cols: &'a str,
    },
    /// A hamlet's sub-columns none of which is surely its figures done.
    HamletSubColumns {
        sheet: &'a str,
        hamlet: &'a str,
        cols: &'a str,
    },
    /// A sheet of hamlets side by side.
    HamletsSideBySide {
        sheet: &'a str,
        hamlets: usize,
    },
    /// A total column that is not the sum of the hamlets.
    TotalColumn {
        name: &'a str,
        total: &'a str,
        sum: &'a str,
        unit: &'a str,
    },
    TotalColumnRounding {
        name: &'a str,
        total: &'a str,
        sum: &'a str,
        unit: &'a str,
    },
    // --- Cells ---
    FormulaWithoutValue {
        name: &'a str,
    },
    /// A report of a quarter, several months, half a year, a year.
    NotMonthly {
        text: &'a str,
    },
    /// A report of the year to date.
    ToDate {
        text: &'a str,
    },
    /// A row's figure cells blank, a number beside them.
    StrayFigure {
        label: &'a str,
        value: &'a str,
    },
    /// A formula whose stored value is not what it gives now.
    FormulaStale {
        name: &'a str,
        formula: &'a str,
        stored: &'a str,
        now: &'a str,
    },
    FormulaNotComputed {
        name: &'a str,
    },
    ErrorCell {
        name: &'a str,
        error: &'a str,
    },
    BoolCell {
        name: &'a str,
        value: bool,
    },
    DateCell {
        name: &'a str,
    },
    DashZero {
        name: &'a str,
        text: &'a str,
    },
    EmptyMark {
        name: &'a str,
        text: &'a str,
    },
    NotANumber {
        name: &'a str,
        text: &'a str,
    },
    TextNumber {
        name: &'a str,
        text: &'a str,
        read: f64,
        unit: &'a str,
    },
    TextNumberTwoWays {
        name: &'a str,
        text: &'a str,
        read: f64,
        other: f64,
        unit: &'a str,
    },
    TextNumberEnglish {
        name: &'a str,
        text: &'a str,
        read: f64,
        unit: &'a str,
    },
    // --- Hamlet and month ---
    HamletNotOfCommune {
        name: &'a str,
        hamlets: &'a str,
    },
    HamletUnlisted {
        name: &'a str,
        clue: &'a str,
        hamlet: &'a str,
    },
    HamletConflict {
        clue: &'a str,
        hamlet: &'a str,
        other_clue: &'a str,
        other: &'a str,
    },
    NoHamlet,
    MonthConflict {
        clue: &'a str,
        month: &'a str,
        other_clue: &'a str,
        other: &'a str,
    },
    NoMonth,
    /// The form's hidden identity names another hamlet or month than its
    /// visible lines, which win.
    IdentityDiffers {
        what: &'a str,
        made: &'a str,
        clue: &'a str,
        shown: &'a str,
    },
    /// A form made from another schema's form: its identity is not used.
    IdentityOtherForm,
    /// A month written without its year, and no year anywhere else.
    NoYear {
        clue: &'a str,
        month: u32,
    },
    /// A month later than the current one.
    MonthInFuture {
        clue: &'a str,
        month: &'a str,
        today: &'a str,
        instead: &'a str,
    },
    /// A clue far from the month taken, which another clue backs.
    MonthFar {
        clue: &'a str,
        month: &'a str,
        used_clue: &'a str,
        used: &'a str,
    },
    /// Two clues far apart, neither backed: no month is certain.
    MonthUncertain {
        clue: &'a str,
        month: &'a str,
        other_clue: &'a str,
        other: &'a str,
    },
    // --- Two reports of one hamlet and month ---
    Duplicate {
        hamlet: &'a str,
        month: &'a str,
        kept: &'a str,
    },
    Superseded {
        hamlet: &'a str,
        month: &'a str,
        kept: &'a str,
    },
    /// The report used gives a figure the one superseded gives otherwise.
    VersionsDiffer {
        name: &'a str,
        used: &'a str,
        other: &'a str,
        other_file: &'a str,
    },
}

impl Issue<'_> {
    pub fn id(&self) -> &'static str {
        use Issue::*;
        match self {
            FolderUnreadable { .. } | FolderTooDeep { .. } => "thu_muc",
            NotIsolated { .. } => "doc_khong_tach",
            LockFile | NotASpreadsheet { .. } | NotARegularFile => "bo_qua_tep",
            TooLarge { .. } | NeedsTooMuchMemory { .. } | TakesTooLong { .. } => "tep_qua_lon",
            NamedNotAFile => "khong_phai_bang_tinh",
            CannotOpen { .. } => "khong_doc_duoc",
            Unopenable(OpenError::Password) => "mat_khau",
            Unopenable(OpenError::Corrupt(_) | OpenError::Empty) => "tep_hong",
            Unopenable(OpenError::Budget(_)) => "tep_qua_lon",
            Unopenable(_) => "khong_phai_bang_tinh",
            Crashed => "tep_hong",
            NoSheets | NoReport | NotAReportSheet { .. } => "khong_phai_bao_cao",
            OwnSummary => "bang_tong_hop",
            AsSent { .. } => "chua_dien",
            OwnFeedback => "phan_hoi_cua_xa",
            EmptyReport => "bao_cao_trong",
            SheetUnreadable { .. } => "trang_hong",
            LegacyEncoding { .. } => "bang_ma_cu",
            HiddenSheet { .. } => "trang_an",
            LargeSheet { .. } => "trang_qua_lon",
            HiddenRow { .. } => "dong_an",
            HiddenColumn { .. } => "cot_an",
            MergedFigure { .. } => "o_gop",
            AmbiguousLabel { .. } => "nhan_mo_ho",
            DuplicateRow { .. } | DuplicateRowDiffers { .. } => "dong_trung",
            MissingColumn { .. } => "thieu_cot",
            MissingTable { .. } => "thieu_bang",
            MissingRow { .. } => "thieu_dong",
            TotalRow { .. } => "dong_tong",
            UnknownLabel { .. } => "nhan_la",
            StrayFigure { .. } => "so_lech_cot",
            NotMonthly { .. } | ToDate { .. } => "khong_phai_thang",
            HamletsSideBySide { .. } => "nhieu_thon",
            ColumnChosen { .. }
            | ColumnUncertain { .. }
            | ColumnOtherMonth { .. }
            | HamletColumnTwice { .. }
            | HamletSubColumns { .. } => "cot_trung",
            TotalColumn { .. } | TotalColumnRounding { .. } => "cot_tong",
            UnitConverted { .. } => "doi_don_vi",
            UnitNotConvertible { .. } | UnitUnknown { .. } | UnitConflict { .. } => "sai_don_vi",
            FormulaWithoutValue { .. } | FormulaNotComputed { .. } | FormulaStale { .. } => "cong_thuc_chua_tinh",
            ErrorCell { .. } => "o_loi",
            BoolCell { .. } | DateCell { .. } | NotANumber { .. } => "khong_phai_so",
            EmptyMark { .. } => "o_trong",
            DashZero { .. } => "o_gach",
            TextNumber { .. } => "so_dang_chu",
            TextNumberTwoWays { .. } | TextNumberEnglish { .. } => "so_dang_chu_mo_ho",
            HamletNotOfCommune { .. } | HamletUnlisted { .. } => "thon_la",
            HamletConflict { .. } => "thon_khong_khop",
            NoHamlet => "khong_ro_thon",
            MonthConflict { .. } | MonthFar { .. } => "thang_khong_khop",
            NoMonth | NoYear { .. } | MonthUncertain { .. } => "khong_ro_thang",
            MonthInFuture { .. } => "thang_sai",
            IdentityDiffers { .. } => "ma_bieu_mau_khac",
            IdentityOtherForm => "ma_bieu_mau_cu",
            Duplicate { .. } | Superseded { .. } | VersionsDiffer { .. } => "bi_thay_the",
        }
    }

    pub fn severity(&self) -> Severity {
        use Issue::*;
        match self {
            LockFile | NotASpreadsheet { .. } | NotARegularFile | NotAReportSheet { .. } | LegacyEncoding { .. } => {
                Severity::Info
            }
            LargeSheet { .. } => Severity::Info,
            MissingRow { .. } | TotalRow { .. } | UnitConverted { .. } | EmptyMark { .. } | DashZero { .. } => {
                Severity::Info
            }
            TextNumber { .. } => Severity::Info,
            Duplicate { .. } | OwnSummary | OwnFeedback | HamletsSideBySide { .. } => Severity::Info,
            // Which of the two is right is for the hamlet to say.
            VersionsDiffer { .. } => Severity::Warning,
            TotalColumnRounding { .. } | ColumnChosen { .. } | ColumnUncertain { .. } | ColumnOtherMonth { .. } => {
                Severity::Warning
            }
            TotalColumn { .. } | EmptyReport | HamletColumnTwice { .. } => Severity::Error,
            HamletSubColumns { .. } => Severity::Warning,
            // A sheet that cannot be read may be the report itself.
            SheetUnreadable { .. } => Severity::Error,
            FolderUnreadable { .. }
            | FolderTooDeep { .. }
            | NoReport
            | HiddenSheet { .. }
            | HiddenRow { .. }
            | HiddenColumn { .. }
            | MergedFigure { .. } => Severity::Warning,
            AmbiguousLabel { .. }
            | DuplicateRow { .. }
            | DuplicateRowDiffers { .. }
            | MissingColumn { .. }
            | MissingTable { .. } => Severity::Warning,
            UnknownLabel { .. } | UnitNotConvertible { .. } | UnitUnknown { .. } | UnitConflict { .. } => {
                Severity::Warning
            }
            FormulaWithoutValue { .. } | FormulaNotComputed { .. } | FormulaStale { .. } => Severity::Warning,
            TextNumberEnglish { .. } | StrayFigure { .. } | ToDate { .. } => Severity::Warning,
            NotMonthly { .. } => Severity::Error,
            // A figure that may be a thousand times itself: its totals are
            // marked, never rated.
            TextNumberTwoWays { .. } => Severity::Error,
            HamletUnlisted { .. }
            | HamletConflict { .. }
            | MonthConflict { .. }
            | IdentityDiffers { .. }
            | AsSent { .. } => Severity::Warning,
            IdentityOtherForm | NotIsolated { .. } => Severity::Info,
            TooLarge { .. }
            | NeedsTooMuchMemory { .. }
            | TakesTooLong { .. }
            | NamedNotAFile
            | CannotOpen { .. }
            | Unopenable(_)
            | Crashed
            | NoSheets => Severity::Error,
            ErrorCell { .. } | BoolCell { .. } | DateCell { .. } | NotANumber { .. } => Severity::Error,
            HamletNotOfCommune { .. } | NoHamlet | NoMonth | NoYear { .. } | Superseded { .. } => Severity::Error,
            MonthInFuture { .. } | MonthFar { .. } | MonthUncertain { .. } => Severity::Error,
        }
    }

    pub fn message(&self) -> String {
        use Issue::*;
        match self {
            FolderUnreadable { dir } => format!("Không mở được thư mục {dir}."),
            NotIsolated { why } => format!("Không chạy được tiến trình đọc riêng ({why}): các tệp được đọc ngay trong chương trình, không có giới hạn bộ nhớ và thời gian cho từng tệp, nên một tệp hỏng có thể làm dừng cả lần chạy. Các con số vẫn được đọc như thường."),
            FolderTooDeep { dir, depth } => format!("Thư mục {dir} nằm sâu hơn {depth} tầng thư mục: không đọc các tệp trong đó. Hãy chép báo cáo ra thư mục nông hơn."),
            LockFile => "Tệp khóa tạm của Excel/LibreOffice (có khi tệp đang mở), không phải báo cáo: bỏ qua.".into(),
            NotASpreadsheet { ext } => format!("Không phải tệp bảng tính (.{ext}): bỏ qua."),
            NeedsTooMuchMemory { megabytes } => format!("Đọc tệp này cần hơn {megabytes} MB bộ nhớ: tệp có cấu trúc bất thường (khai báo quá nhiều ô, chuỗi hoặc trang), không đọc được. Mở bằng Excel, lưu lại rồi gửi."),
            TakesTooLong { seconds } => format!("Đọc tệp này mất hơn {seconds} giây: tệp có cấu trúc bất thường, không đọc được. Mở bằng Excel, lưu lại rồi gửi."),
            TooLarge { megabytes } => format!("Tệp quá lớn ({megabytes} MB) để là một báo cáo thôn; bỏ qua."),
            NotARegularFile => "Không phải một tệp thường (thiết bị, đường ống, hoặc liên kết tới thư mục hay tới tệp không còn): không mở, bỏ qua.".into(),
            NamedNotAFile => "Đây không phải một tệp thường (thiết bị hoặc đường ống): không mở, bỏ qua.".into(),
            CannotOpen { why } => format!("Không mở được tệp: {why}."),
            Unopenable(e) => match e {
                OpenError::Empty => "Tệp rỗng (0 byte): có lẽ gửi hoặc chép chưa xong.".into(),
                OpenError::Html => "Tệp mang đuôi Excel nhưng thực ra là trang web (HTML), thường do phần mềm khác \"xuất ra Excel\". Hãy mở bằng Excel rồi lưu lại dạng .xlsx.".into(),
                OpenError::Xml2003 => "Tệp là bảng tính XML của Excel 2003, chương trình chưa đọc dạng này. Hãy mở bằng Excel rồi lưu lại dạng .xlsx.".into(),
                OpenError::Text => "Tệp mang đuôi Excel nhưng là tệp văn bản (CSV/TXT), không phải bảng tính.".into(),
                OpenError::Password => "Tệp có đặt mật khẩu nên không đọc được. Đề nghị thôn gửi lại tệp không đặt mật khẩu.".into(),
                OpenError::NotSpreadsheet => "Tệp mang đuôi bảng tính nhưng không phải bảng tính (nội dung là loại tệp khác).".into(),
                OpenError::Budget(why) => format!("Tệp vượt giới hạn của một báo cáo thôn: {why}; không đọc. Mở bằng Excel, lưu lại rồi gửi."),
                OpenError::Corrupt(why) => format!("Tệp bị hỏng hoặc không đầy đủ, không đọc được ({why}). Đề nghị thôn gửi lại."),
            },
            Crashed => "Tệp có cấu trúc bất thường làm bộ đọc bảng tính gặp lỗi; không đọc được tệp này. Mở bằng Excel, lưu lại rồi gửi.".into(),
            NoSheets => "Tệp không có trang tính nào.".into(),
            EmptyReport => "Biểu mẫu không có số liệu nào: coi như thôn chưa nộp báo cáo tháng này. Đề nghị thôn điền số liệu rồi gửi lại.".into(),
            AsSent { name, count } => format!("{name}: số tháng trước điền sẵn, gửi lại nguyên; cả biểu mẫu chỉ có {count} số điền sẵn đó, không có số nào mới của tháng này: có lẽ thôn chưa điền. Số vẫn được đọc, nhưng các số tổng có số này cần kiểm tra; nếu tháng này có thay đổi hay có làm được gì, đề nghị thôn điền rồi gửi lại."),
            OwnSummary => "Đây là bảng tổng hợp do tonghop ghi (lần chạy trước), không phải báo cáo của thôn: bỏ qua.".into(),
            OwnFeedback => "Đây là tệp phản hồi do tonghop ghi cho thôn (lần chạy trước), không phải báo cáo của thôn: bỏ qua.".into(),
            NoReport => "Tệp không có trang nào theo biểu mẫu báo cáo tháng (không thấy các bảng Trồng trọt, Chăn nuôi, …).".into(),
            SheetUnreadable { sheet, why } => format!("Không đọc được trang tính \"{sheet}\": {why}."),
            NotAReportSheet { sheet } => format!("Trang tính \"{sheet}\" không có bảng nào của biểu mẫu (có lẽ là trang hướng dẫn hoặc ghi chú), bỏ qua."),
            LegacyEncoding { sheet, encoding, cells } => format!("Trang tính \"{sheet}\" gõ bằng bảng mã {encoding} (phông chữ cũ): đã chuyển {cells} ô sang Unicode để đọc."),
            HiddenSheet { sheet } => format!("Trang tính \"{sheet}\" đang bị ẩn nhưng có báo cáo: đã đọc, đề nghị kiểm tra xem có phải bản cũ không."),
            LargeSheet { sheet, rows, cols } => format!("Trang tính \"{sheet}\" rất lớn: chỉ đọc {rows} dòng, {cols} cột đầu."),
            HiddenColumn { col, labels } => format!("Cột {col} đang bị ẩn nhưng có số liệu ({labels}): đã đọc và cộng vào tổng; đề nghị thôn xác nhận số này còn dùng được."),
            MergedFigure { cells, value, labels } => format!("Ô {cells} được gộp qua số liệu của nhiều dòng ({labels}): không rõ số {value} là của dòng nào, nên không đọc. Đề nghị thôn bỏ gộp ô và ghi số cho từng dòng."),
            HiddenRow { row, labels } => format!("Dòng {row} ({labels}) đang bị ẩn nhưng có số liệu: đã đọc và cộng vào tổng; đề nghị thôn xác nhận số này còn dùng được."),
            AmbiguousLabel { text, rows } => format!("Nhãn \"{text}\" có thể là nhiều dòng của biểu mẫu ({rows}): không đọc dòng này, đề nghị ghi đúng nhãn."),
            DuplicateRowDiffers { label, first, again } => format!("Dòng \"{label}\" có hai lần trên trang (dòng {first} và dòng {again}) với số liệu khác nhau: không rõ lần nào đúng, nên không đọc. Đề nghị thôn xóa dòng thừa."),
            DuplicateRow { label, first, again } => format!("Dòng \"{label}\" có hai lần trên trang (dòng {first} và dòng {again}): chỉ đọc lần đầu."),
            MissingColumn { table, column } => format!("Bảng \"{table}\": không tìm thấy cột \"{column}\" ở dòng tiêu đề, nên không đọc được cột này."),
            MissingTable { table } => format!("Không tìm thấy bảng \"{table}\" trên trang này."),
            MissingRow { table, row } => format!("Bảng \"{table}\" không có dòng \"{row}\"."),
            TotalRow { table, label } => format!("Bảng \"{table}\": dòng tổng \"{label}\" không phải chỉ tiêu của biểu mẫu, bỏ qua."),
            UnknownLabel { table, label } => format!("Bảng \"{table}\": dòng \"{label}\" có số liệu nhưng nhãn không khớp dòng nào của biểu mẫu, nên không được cộng. Đề nghị ghi đúng nhãn theo biểu mẫu."),
            ColumnChosen { table, column, taken, others } => format!("Bảng \"{table}\" có nhiều cột \"{column}\": đọc cột \"{taken}\", không đọc {others}. Đề nghị thôn chỉ để một cột số liệu của tháng."),
            ColumnOtherMonth { table, column, header, month } => format!("Bảng \"{table}\": cột \"{header}\" (\"{column}\") ghi tháng hoặc năm khác với tháng báo cáo {month}, không rõ là số liệu tháng nào: không đọc cột này. Đề nghị thôn sửa tiêu đề cột cho đúng tháng báo cáo."),
            ColumnUncertain { table, column, headers } => format!("Bảng \"{table}\" có nhiều cột có thể là \"{column}\" ({headers}), không rõ cột nào là số thực hiện của tháng: không đọc cột này. Đề nghị thôn chỉ để một cột số liệu của tháng."),
            HamletColumnTwice { sheet, hamlet, cols } => format!("Trang tính \"{sheet}\" có nhiều cột mang tên {hamlet} (cột {cols}): không rõ cột nào là số liệu của thôn, nên không đọc cột nào. Đề nghị sửa tên cột cho đúng thôn."),
            HamletSubColumns { sheet, hamlet, cols } => format!("Trang tính \"{sheet}\": dưới tên {hamlet} có nhiều cột (cột {cols}), không rõ cột nào là số thực hiện của tháng, nên không đọc. Đề nghị chỉ để một cột số thực hiện cho mỗi thôn."),
            HamletsSideBySide { sheet, hamlets } => format!("Trang tính \"{sheet}\" có số liệu của {hamlets} thôn xếp theo cột: đọc mỗi cột là báo cáo của một thôn."),
            TotalColumn { name, total, sum, unit } => format!("{name}: cột tổng cộng ghi {total} {unit}, nhưng các thôn cộng lại = {sum} {unit}."),
            TotalColumnRounding { name, total, sum, unit } => format!("{name}: cột tổng cộng ghi {total} {unit}, các thôn cộng lại = {sum} {unit}; lệch trong phạm vi làm tròn, nhưng nên ghi cho khớp."),
            UnitConverted { place, unit, to, factor } => format!("{place} ghi đơn vị {unit}: số đã được đổi sang {to} (nhân {}).", vn_figure(*factor)),
            UnitNotConvertible { place, unit, to } => format!("{place} ghi đơn vị {unit} nhưng biểu mẫu dùng {to}, hai đơn vị không đổi được sang nhau: không đọc số liệu theo đơn vị này. Đề nghị ghi số theo {to}."),
            UnitConflict { name, written } => format!("{name}: {written}, hai đơn vị khác nhau nên không rõ số liệu theo đơn vị nào: không đọc. Đề nghị thôn chỉ ghi một đơn vị."),
            UnitUnknown { place, unit, to } => format!("{place} ghi đơn vị {unit}, chương trình chưa biết đơn vị này (biểu mẫu dùng {to}): không đọc số liệu theo đơn vị này, để khỏi cộng sai. Đề nghị ghi số theo {to}, hoặc khai báo đơn vị trong lược đồ."),
            NotMonthly { text } => format!("Đầu trang ghi \"{text}\": đây là báo cáo quý, nhiều tháng hoặc cả năm, không phải báo cáo một tháng, nên không nhận (số cộng dồn sẽ bị tính trùng). Đề nghị thôn gửi báo cáo từng tháng."),
            ToDate { text } => format!("Đầu trang ghi \"{text}\": các chỉ tiêu cộng dồn theo tháng có thể là số lũy kế từ đầu năm, không phải số của tháng, nên không được cộng; các chỉ tiêu tính theo số hiện có vẫn được đọc. Đề nghị thôn ghi số của riêng tháng."),
            StrayFigure { label, value } => format!("Dòng \"{label}\": ô số liệu để trống, nhưng ô này ghi {value}: có lẽ ghi nhầm cột. Số này không được cộng, và số của dòng coi như còn thiếu. Đề nghị thôn ghi số vào đúng cột."),
            FormulaStale { name, formula, stored, now } => format!("{name}: ô có công thức {formula}, theo các ô nó cộng thì bằng {now}, nhưng giá trị lưu trong tệp là {stored}: tệp chưa được tính lại sau khi sửa. Mở bằng Excel hoặc LibreOffice, tính lại (F9), lưu rồi gửi; chương trình không đọc số này."),
            FormulaNotComputed { name } => format!("{name}: ô có công thức, giá trị lưu sẵn là 0 nhưng các ô công thức cộng lại có số: công thức chưa được tính (tệp do chương trình không tính công thức tạo ra). Mở bằng Excel hoặc LibreOffice, lưu lại rồi gửi; chương trình không coi ô này là 0."),
            FormulaWithoutValue { name } => format!("{name}: ô có công thức nhưng không có giá trị số (công thức cho kết quả trống, hoặc tệp chưa được tính). Mở bằng Excel hoặc LibreOffice, kiểm tra công thức, lưu lại rồi gửi; chương trình không coi ô này là 0."),
            ErrorCell { name, error } => format!("{name}: ô báo lỗi {error} (công thức tính sai hoặc tham chiếu hỏng), không có số liệu."),
            BoolCell { name, value } => format!("{name}: ô phải là số nhưng ghi giá trị đúng/sai ({value})."),
            DateCell { name } => format!("{name}: ô phải là số nhưng Excel đã hiểu thành ngày tháng (thường do gõ \"1/5\" hoặc \"1-5\"). Ghi lại số cho đúng."),
            EmptyMark { name, text } => format!("{name}: ô ghi \"{text}\", được hiểu là không áp dụng hoặc chưa có số (để trống, không phải số 0)."),
            DashZero { name, text } => format!("{name}: ô ghi \"{text}\", được hiểu là 0 (trong bảng thống kê, gạch ngang là không có)."),
            NotANumber { name, text } => format!("{name}: ô phải là một số nhưng ghi \"{text}\". Ghi riêng con số vào ô, lời giải thích ghi sang cột Ghi chú."),
            TextNumber { name, text, read, unit } => format!("{name}: ô ghi chữ \"{text}\", đã đọc thành số {} {unit}.", vn_figure(*read)),
            TextNumberTwoWays { name, text, read, other, unit } => format!("{name}: ô ghi chữ \"{text}\", có thể hiểu là {} hoặc {}; tạm đọc là {} {unit}, các số tổng có số này cần kiểm tra. Đề nghị thôn xác nhận và ghi số không có dấu phân cách nghìn.", vn_figure(*read), vn_figure(*other), vn_figure(*read)),
            TextNumberEnglish { name, text, read, unit } => format!("{name}: ô ghi chữ \"{text}\" theo kiểu tiếng Anh (dấu phẩy phân cách nghìn); đã đọc là {} {unit}.", vn_figure(*read)),
            HamletNotOfCommune { name, hamlets } => format!("Thôn \"{name}\" không phải thôn của xã (các thôn: {hamlets}); không nhận báo cáo này."),
            HamletUnlisted { name, clue, hamlet } => format!("Ghi thôn \"{name}\", không có trong danh sách thôn; theo {clue} là {hamlet}."),
            HamletConflict { clue, hamlet, other_clue, other } => format!("{} ghi {hamlet} nhưng {other_clue} ghi {other}: dùng {hamlet}.", capitalize(clue)),
            NoHamlet => "Không xác định được báo cáo của thôn nào: đầu trang, tên trang tính, tên tệp và tên thư mục đều không ghi tên thôn.".into(),
            MonthConflict { clue, month, other_clue, other } => format!("{} ghi tháng {month} nhưng {other_clue} ghi tháng {other}: dùng tháng {month}.", capitalize(clue)),
            IdentityDiffers { what, made, clue, shown } => format!("Biểu mẫu này được tạo cho {what} {made}, nhưng {clue} ghi {what} {shown}: dùng {what} {shown} (có lẽ biểu mẫu được chép lại rồi sửa tay). Đề nghị thôn kiểm tra lại, lần sau dùng biểu mẫu của đúng {what}."),
            IdentityOtherForm => "Biểu mẫu được tạo theo mẫu cũ (các bảng đã thay đổi): thôn và tháng được đọc theo đầu trang, không theo mã ẩn của biểu mẫu.".into(),
            NoMonth => "Không xác định được báo cáo tháng nào: đầu trang, tên tệp và tên thư mục đều không ghi tháng (ví dụ \"Tháng: 06/2024\").".into(),
            MonthInFuture { clue, month, today, instead } => format!("{} ghi tháng {month}, là tháng chưa tới (nay mới là tháng {today}): không dùng tháng này, {instead}. Đề nghị thôn sửa lại.", capitalize(clue)),
            NoYear { clue, month } => format!("{} ghi tháng {month} nhưng không ghi năm, tên tệp và tên thư mục cũng không ghi: không rõ là tháng {month} năm nào, nên chưa nhận báo cáo này. Đề nghị ghi đủ tháng và năm (ví dụ \"Tháng: {month:02}/2024\").", capitalize(clue)),
            MonthFar { clue, month, used_clue, used } => format!("{} ghi tháng {month}, khác xa tháng {used} mà {used_clue} ghi: dùng tháng {used}. Đề nghị kiểm tra lại, sửa cho khớp.", capitalize(clue)),
            MonthUncertain { clue, month, other_clue, other } => format!("{} ghi tháng {month} nhưng {other_clue} ghi tháng {other}, cách nhau quá xa: không rõ là báo cáo tháng nào, nên không nhận. Sửa cho khớp rồi chạy lại.", capitalize(clue)),
            Duplicate { hamlet, month, kept } => format!("{} tháng {month} có một bản trùng (số liệu giống hệt): dùng {kept}, bỏ tệp này. Nên xóa bản cũ khỏi thư mục.", capitalize(hamlet)),
            Superseded { hamlet, month, kept } => format!("{} tháng {month} có hai bản báo cáo khác nhau: dùng {kept}, bỏ tệp này. Nên xóa bản cũ khỏi thư mục.", capitalize(hamlet)),
            VersionsDiffer { name, used, other, other_file } => format!("{name}: bản báo cáo được dùng ghi {used}, bản {other_file} ghi {other}: chưa rõ số nào đúng, cần thôn xác nhận."),
        }
    }

    /// The finding, placed nowhere yet.
    pub fn finding(&self) -> Finding {
        Finding::new(self.severity(), RuleRef::Reading(self.id()), self.message())
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}
