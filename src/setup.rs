//! Setting a unit up: `init` writes the built-in schema in its parts, for
//! the unit to edit, with a short guide; `schema export` writes the parts
//! alone; and every command finds a `tonghop.toml` without `--schema`.

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::schema::Schema;

/// The name a unit's own schema goes by, found without `--schema`.
pub const ROOT: &str = "tonghop.toml";

/// The guide `init` writes beside the schema.
const GUIDE_NAME: &str = "HUONG-DAN-CAU-HINH.txt";

const GUIDE: &str = "HƯỚNG DẪN CẤU HÌNH TONGHOP CHO ĐƠN VỊ MÌNH

Các tệp trong thư mục này là lược đồ của tonghop: biểu mẫu, quy tắc kiểm tra,
đơn vị và các thôn, chỉ tiêu năm. Mở bằng Notepad (hoặc trình soạn thảo văn
bản bất kỳ), sửa, lưu với bảng mã UTF-8.

1. commune.toml: tên đơn vị (name = \"UBND XÃ ...\"), cấp (level = \"xã\",
   \"phường\" hoặc \"đặc khu\"), từ gọi thôn (hamlet_word = \"thôn\", \"ấp\",
   \"bản\", \"tổ dân phố\"...), nơi nhận, người ký; rồi danh sách các thôn: mỗi
   thôn một khối
       [[hamlet]]
       name = \"Tên thôn\"
2. targets-2024.toml: chỉ tiêu năm theo nghị quyết của đơn vị. Năm sau: chép
   thành targets-2025.toml, sửa năm và các số, rồi sửa dòng include trong
   tonghop.toml.
3. form.toml và rules.toml: biểu mẫu và quy tắc kiểm tra; thường giữ nguyên.
4. Kiểm tra sau mỗi lần sửa:
       tonghop schema check tonghop.toml
   Chương trình chỉ ra từng lỗi kèm tên tệp và số dòng.
5. Dùng: chạy tonghop trong thư mục có tệp tonghop.toml (hoặc đặt tonghop.toml
   trong thư mục báo cáo); chương trình tự dùng lược đồ này và báo ở dòng đầu.
       tonghop template --all --period 2024-07     (gửi biểu mẫu cho các thôn)
       tonghop THƯ_MỤC_BÁO_CÁO                        (tổng hợp)
";

/// Writes the built-in schema's files into `dir` (and the guide, for
/// `init`); refuses to replace any file that is there.
pub fn write_schema(dir: &Path, guide: bool) -> Result<Vec<PathBuf>, Error> {
    let mut files: Vec<(&str, &str)> = Schema::builtin_files().to_vec();
    if guide {
        files.push((GUIDE_NAME, GUIDE));
    }
    std::fs::create_dir_all(dir).map_err(|source| Error::Write { path: dir.to_path_buf(), source })?;
    let there: Vec<String> =
        files.iter().map(|(n, _)| dir.join(n)).filter(|p| p.exists()).map(|p| format!("\"{}\"", p.display())).collect();
    if !there.is_empty() {
        return Err(Error::Usage(format!(
            "Đã có {} trong thư mục này: không ghi đè. Hãy chọn thư mục khác, hoặc xóa các tệp đó trước.",
            there.join(", ")
        )));
    }
    let mut written = Vec::new();
    for (name, text) in files {
        let path = dir.join(name);
        crate::write::atomic(&path, text.as_bytes())?;
        written.push(path);
    }
    Ok(written)
}

/// The schema a command uses when none is named: a `tonghop.toml` in the
/// current folder, else in the first input folder that has one.
pub fn find(inputs: &[PathBuf]) -> Option<PathBuf> {
    let here = PathBuf::from(ROOT);
    if here.is_file() {
        return Some(here);
    }
    inputs.iter().filter(|i| i.is_dir()).map(|i| i.join(ROOT)).find(|p| p.is_file())
}
