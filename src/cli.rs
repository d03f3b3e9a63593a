//! The command line, flags in one place (CONTRACT.md "Commands"), and what
//! each command does with them.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::error::Error;
use crate::guard;
use crate::model::HamletId;
use crate::period::Period;
use crate::pipeline::{self, Options};
use crate::report;
use crate::schema::Schema;
use crate::write;

mod vietnamese;

/// The command line as given, or the exit code after clap's help, version
/// or error was said, in Vietnamese.
pub fn parse() -> Result<Cli, i32> {
    let matches = vietnamese::command(Cli::command(), true)
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m).map(|c| (c, m)));
    match matches {
        Ok((cli, _)) => Ok(cli),
        Err(e) => {
            // The help in the unit's own words, when its schema is here.
            if !e.use_stderr()
                && let Some(found) = crate::setup::find(&[])
                && let Ok(schema) = Schema::from_file(&found)
            {
                crate::words::set(schema.commune.words.clone());
            }
            let text = crate::words::say(&vietnamese::render(&e));
            if e.use_stderr() {
                eprint!("{text}");
                Err(2)
            } else {
                let _ = print(text.as_bytes());
                Err(0)
            }
        }
    }
}

#[derive(Debug, Parser)]
#[command(
    name = "tonghop",
    version,
    about = "Tổng hợp báo cáo tháng của các thôn: đọc, kiểm tra, cộng dồn, so với chỉ tiêu.",
    long_about = "Tổng hợp báo cáo tháng của các thôn: đọc các tệp Excel thôn gửi, kiểm tra từng số liệu, cộng thành số toàn xã, so với chỉ tiêu Nghị quyết và ghi một bảng tổng hợp.\n\nGọi \"tonghop THƯ_MỤC\" không kèm lệnh là chạy \"tonghop run THƯ_MỤC\".",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Kiểm tra, tổng hợp và ghi bảng tổng hợp (.xlsx).
    Run(RunArgs),
    /// Chỉ kiểm tra, không ghi bảng tổng hợp. Thoát với mã 1 nếu có lỗi.
    Validate(ValidateArgs),
    /// Tạo biểu mẫu cho các thôn (--all) hoặc một thôn (--hamlet), điền sẵn số tồn tháng trước nếu có.
    Template(TemplateArgs),
    /// Lệnh về lược đồ (biểu mẫu, quy tắc, chỉ tiêu).
    #[command(subcommand)]
    Schema(SchemaCommand),
    /// Mở trang web nhận báo cáo: thôn gửi báo cáo và xem ngay các điểm cần sửa, văn phòng xem tình hình và tải bảng tổng hợp.
    Serve {
        /// Thư mục lưu báo cáo (mỗi tháng một thư mục, như khi chạy tonghop run).
        #[arg(value_name = "THƯ_MỤC")]
        dir: PathBuf,
        /// Địa chỉ lắng nghe; mặc định chỉ máy này (127.0.0.1:8080).
        #[arg(long, value_name = "ĐỊA_CHỈ", default_value = "127.0.0.1:8080", hide_default_value = true)]
        listen: std::net::SocketAddr,
        /// Lược đồ (tệp .toml); mặc định tonghop.toml trong THƯ_MỤC hoặc thư mục hiện tại nếu có, không thì lược đồ có sẵn.
        #[arg(long, value_name = "TỆP")]
        schema: Option<PathBuf>,
    },
    /// Tạo bộ cấu hình để sửa cho đơn vị mình: lược đồ có sẵn (tonghop.toml và các phần) và hướng dẫn.
    Init {
        /// Thư mục ghi vào; mặc định thư mục hiện tại.
        #[arg(value_name = "THƯ_MỤC")]
        dir: Option<PathBuf>,
    },
    /// Đọc từng tệp được gửi qua đầu vào chuẩn (chương trình tự gọi, không dùng tay).
    #[command(name = "__worker", hide = true)]
    Worker {
        #[arg(long, value_name = "TỆP")]
        schema: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct Common {
    /// Tệp và thư mục cần đọc (thư mục được đọc cả thư mục con). Mặc định: thư mục hiện tại.
    #[arg(value_name = "ĐẦU_VÀO")]
    pub inputs: Vec<PathBuf>,
    /// Lược đồ (tệp .toml); mặc định tonghop.toml ở thư mục hiện tại hoặc thư mục đầu vào nếu có, không thì lược đồ có sẵn trong chương trình.
    #[arg(long, value_name = "TỆP")]
    pub schema: Option<PathBuf>,
    /// Tháng báo cáo, dạng YYYY-MM; mặc định là tháng mới nhất tìm thấy.
    #[arg(long, value_name = "YYYY-MM")]
    pub period: Option<Period>,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub common: Common,
    /// Tệp bảng tổng hợp cần ghi; mặc định tong-hop-YYYY-MM.xlsx ở thư mục hiện tại.
    #[arg(short = 'o', long = "output", value_name = "TỆP.xlsx")]
    pub output: Option<PathBuf>,
    /// Ghi thêm báo cáo JSON vào tệp này.
    #[arg(long, value_name = "TỆP.json")]
    pub json: Option<PathBuf>,
    /// Để trống ngày ở dòng "…, ngày … tháng … năm …" (ghi tay khi ký).
    #[arg(long)]
    pub no_date: bool,
    /// Không ghi thư mục phản hồi cho các thôn (phan-hoi-YYYY-MM).
    #[arg(long)]
    pub no_feedback: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum, Default)]
pub enum OutputFormat {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub common: Common,
    /// Dạng kết quả: chữ để đọc (text) hoặc JSON cho chương trình khác (json).
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("which").required(true).args(["hamlet", "all"])))]
pub struct TemplateArgs {
    /// Báo cáo các tháng trước (tệp, thư mục): số tồn mới nhất của mỗi thôn (vật nuôi, hộ, nhân khẩu, diện tích vụ) được điền sẵn để thôn xác nhận hoặc sửa.
    #[arg(value_name = "ĐẦU_VÀO")]
    pub inputs: Vec<PathBuf>,
    /// Tên thôn, ví dụ "Lạc Thanh".
    #[arg(long, value_name = "TÊN")]
    pub hamlet: Option<String>,
    /// Tạo biểu mẫu cho mọi thôn của xã.
    #[arg(long)]
    pub all: bool,
    /// Tháng, dạng YYYY-MM.
    #[arg(long, value_name = "YYYY-MM")]
    pub period: Period,
    /// Với --hamlet: tệp cần ghi (mặc định "Bao cao <thôn> YYYY-MM.xlsx"); với --all: thư mục (mặc định "bieu-mau-YYYY-MM").
    #[arg(short = 'o', long = "output", value_name = "ĐƯỜNG_DẪN")]
    pub output: Option<PathBuf>,
    /// Lược đồ (tệp .toml); mặc định tonghop.toml ở thư mục hiện tại hoặc thư mục đầu vào nếu có, không thì lược đồ có sẵn trong chương trình.
    #[arg(long, value_name = "TỆP")]
    pub schema: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum SchemaCommand {
    /// Kiểm tra một lược đồ (mặc định: lược đồ có sẵn); báo từng lỗi kèm tệp và dòng.
    Check {
        /// Tệp lược đồ .toml.
        #[arg(value_name = "TỆP")]
        file: Option<PathBuf>,
    },
    /// Ghi lược đồ có sẵn (tonghop.toml và các phần) vào một thư mục.
    Export {
        /// Thư mục ghi vào.
        #[arg(value_name = "THƯ_MỤC")]
        dir: PathBuf,
    },
}

fn load_schema(path: Option<&Path>) -> Result<Schema, Error> {
    let schema = match path {
        Some(p) => Schema::from_file(p)?,
        None => Schema::builtin()?,
    };
    // Everything said from here on is in the unit's own words.
    crate::words::set(schema.commune.words.clone());
    Ok(schema)
}

/// The schema a command uses: the one named, else a tonghop.toml found in
/// the current folder or an input folder (said first, so the clerk knows
/// which), else the built-in one.
fn schema_of(named: Option<&Path>, inputs: &[PathBuf]) -> Option<PathBuf> {
    if let Some(p) = named {
        return Some(p.to_path_buf());
    }
    let found = crate::setup::find(inputs)?;
    eprintln!("{}", printable(&format!("Dùng lược đồ {} (tìm thấy, không cần --schema).", found.display())));
    Some(found)
}

/// The inputs of a command: the folders and files named, else this folder.
fn inputs_of(c: &Common) -> Vec<PathBuf> {
    if c.inputs.is_empty() { vec![PathBuf::from(".")] } else { c.inputs.clone() }
}

fn options(c: &Common, schema: Option<&Path>, saved_times: bool) -> Options {
    Options {
        inputs: inputs_of(c),
        period: c.period,
        progress: std::io::stderr().is_terminal(),
        saved_times,
        isolation: crate::isolate::Isolation::this_program(schema),
        pool: None,
    }
}

/// Runs a command; the exit code on success (validate: 1 when errors).
pub fn execute(cli: Cli) -> Result<i32, Error> {
    match cli.command {
        None => run(cli.run),
        Some(Command::Run(a)) => run(a),
        Some(Command::Validate(a)) => validate(a),
        Some(Command::Template(a)) => template(a),
        Some(Command::Schema(SchemaCommand::Check { file })) => {
            let file = file.or_else(|| schema_of(None, &[]));
            schema_check(file.as_deref())
        }
        Some(Command::Schema(SchemaCommand::Export { dir })) => {
            let written = crate::setup::write_schema(&dir, false)?;
            eprintln!("{}", printable(&format!("Đã ghi lược đồ có sẵn: {}.", names(&written))));
            Ok(0)
        }
        Some(Command::Serve { dir, listen, schema }) => {
            let path = schema_of(schema.as_deref(), std::slice::from_ref(&dir));
            let schema = load_schema(path.as_deref())?;
            let absolute = path.map(|p| std::path::absolute(&p).unwrap_or(p));
            crate::serve::run(&dir, schema, absolute.as_deref(), listen)?;
            Ok(0)
        }
        Some(Command::Init { dir }) => init(&dir.unwrap_or_else(|| PathBuf::from("."))),
        Some(Command::Worker { schema }) => {
            let schema = load_schema(schema.as_deref())?;
            crate::isolate::worker::serve(&schema).map_err(|e| Error::Usage(e.to_string()))?;
            Ok(0)
        }
    }
}

fn run(a: RunArgs) -> Result<i32, Error> {
    let schema_path = schema_of(a.common.schema.as_deref(), &inputs_of(&a.common));
    let schema = load_schema(schema_path.as_deref())?;
    let named: Vec<&Path> = a.output.iter().chain(a.json.iter()).map(PathBuf::as_path).collect();
    guard::outputs_usable(&named)?;
    let opts = options(&a.common, schema_path.as_deref(), true);
    let out = pipeline::run(&schema, &opts)?;
    let totals = out.totals.as_ref().ok_or(Error::NoPeriod)?;
    let path = a.output.unwrap_or_else(|| PathBuf::from(format!("tong-hop-{}.xlsx", totals.period)));
    let outputs: Vec<&Path> = std::iter::once(path.as_path()).chain(a.json.as_deref()).collect();
    guard::outputs_usable(&outputs)?;
    guard::outputs_spare_inputs(&outputs, &opts.inputs)?;
    let out_dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let dated = (!a.no_date).then(crate::calendar::dating_day);
    let input = write::workbook::Input { schema: &schema, outcome: &out, totals, out_dir: &out_dir, dated };
    let bytes = write::workbook::build(&input).map_err(|source| Error::Workbook { path: path.clone(), source })?;
    write::atomic(&path, &bytes)?;
    if let Some(j) = &a.json {
        write::atomic(j, &report::to_json(&report::build(&schema, &out)))?;
    }
    // What goes back to the hamlets, beside the summary.
    let feedback = if a.no_feedback {
        String::new()
    } else {
        let dir = out_dir.join(write::feedback::folder_name(totals.period));
        guard::outputs_spare_inputs(&[dir.join("tin-nhan.txt").as_path()], &opts.inputs)?;
        let (books, messages) = write::feedback::write_folder(&schema, &out, totals.period, &dir)?;
        format!(" Phản hồi cho các thôn: {} ({books} tệp, {messages} tin nhắn).", dir.display())
    };
    let s = &out.counts;
    let done = format!(
        "Đã ghi {} (tháng {}): {}/{} thôn đã nộp, {} báo cáo được nhận; {} lỗi, {} cảnh báo.",
        path.display(),
        totals.period.display_vn(),
        s.hamlets_reported,
        s.hamlets,
        s.accepted,
        s.errors,
        s.warnings
    );
    eprintln!("{}{}", printable(&done), printable(&feedback));
    Ok(0)
}

fn validate(a: ValidateArgs) -> Result<i32, Error> {
    let schema_path = schema_of(a.common.schema.as_deref(), &inputs_of(&a.common));
    let schema = load_schema(schema_path.as_deref())?;
    let out = pipeline::run(&schema, &options(&a.common, schema_path.as_deref(), false))?;
    let text = match a.format {
        OutputFormat::Json => report::to_json(&report::build(&schema, &out)),
        OutputFormat::Text => printable(&write::text::render(&out, &schema)).into_bytes(),
    };
    print(&text)?;
    Ok(if out.counts.errors > 0 { 1 } else { 0 })
}

/// A message for the terminal: no control character from a file's or a
/// sheet's name reaches it.
pub fn printable(s: &str) -> String {
    crate::text::shown(&crate::words::say(s), usize::MAX).into_owned()
}

/// Writes to standard output: a full disk or a closed file is exit 2 with a
/// message; a closed pipe (`| head`) is the reader's choice, not an error.
fn print(bytes: &[u8]) -> Result<(), Error> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|_| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::Stdout(e)),
        _ => Ok(()),
    }
}

fn template(a: TemplateArgs) -> Result<i32, Error> {
    let schema_path = schema_of(a.schema.as_deref(), &a.inputs);
    let schema = load_schema(schema_path.as_deref())?;
    let hamlets: Vec<HamletId> = match &a.hamlet {
        Some(name) => vec![schema.find_hamlet(name).ok_or_else(|| {
            Error::Usage(format!(
                "Thôn \"{}\" không có trong danh sách thôn của xã ({}).",
                name,
                schema.hamlets.iter().map(|h| h.name.as_str()).collect::<Vec<_>>().join(", ")
            ))
        })?],
        None => schema.hamlets.ids().collect(),
    };
    let file_name = |h: HamletId| format!("Bao cao {} {}.xlsx", crate::text::slug(schema.hamlet_name(h)), a.period);
    let paths: Vec<(HamletId, PathBuf)> = match (&a.hamlet, &a.output) {
        (Some(_), Some(o)) => vec![(hamlets[0], o.clone())],
        (Some(_), None) => vec![(hamlets[0], PathBuf::from(file_name(hamlets[0])))],
        (None, dir) => {
            let dir = dir.clone().unwrap_or_else(|| PathBuf::from(format!("bieu-mau-{}", a.period)));
            std::fs::create_dir_all(&dir).map_err(|source| Error::Write { path: dir.clone(), source })?;
            hamlets.iter().map(|&h| (h, dir.join(file_name(h)))).collect()
        }
    };
    let named: Vec<&Path> = paths.iter().map(|(_, p)| p.as_path()).collect();
    guard::outputs_usable(&named)?;
    // The reports of earlier months, when given, pre-fill the stocks.
    let earlier = if a.inputs.is_empty() {
        None
    } else {
        let common = Common { inputs: a.inputs.clone(), schema: schema_path.clone(), period: None };
        let opts = options(&common, schema_path.as_deref(), false);
        guard::outputs_spare_inputs(&named, &opts.inputs)?;
        Some(pipeline::run(&schema, &opts)?)
    };
    for (h, path) in &paths {
        let prefill = earlier.as_ref().map(|o| crate::prefill::latest(o, &schema, *h, a.period)).unwrap_or_default();
        let bytes = write::template::build(&schema, *h, a.period, &prefill)
            .map_err(|source| Error::Workbook { path: path.clone(), source })?;
        write::atomic(path, &bytes)?;
        let carried = if prefill.values.is_empty() {
            String::new()
        } else {
            format!(" ({} số điền sẵn từ tháng trước)", prefill.values.len())
        };
        let done = format!(
            "Đã ghi biểu mẫu {} cho {}, tháng {}{carried}.",
            path.display(),
            schema.hamlet_title(*h),
            a.period.display_vn()
        );
        eprintln!("{}", printable(&done));
    }
    Ok(0)
}

fn names(paths: &[PathBuf]) -> String {
    paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
}

fn init(dir: &Path) -> Result<i32, Error> {
    let written = crate::setup::write_schema(dir, true)?;
    let root = dir.join(crate::setup::ROOT);
    let text = format!(
        "Đã ghi {}.\nTiếp theo: sửa commune.toml (tên xã, các thôn) và targets-2024.toml (chỉ tiêu), rồi kiểm tra bằng \"tonghop schema check {}\". Chạy tonghop trong thư mục này thì lược đồ được dùng tự động; xem HUONG-DAN-CAU-HINH.txt.",
        names(&written),
        root.display()
    );
    eprintln!("{}", printable(&text));
    Ok(0)
}

fn schema_check(file: Option<&Path>) -> Result<i32, Error> {
    let schema = load_schema(file)?;
    let rules = schema.rules.len();
    let years: Vec<String> = schema.targets.iter().map(|t| t.year.to_string()).collect();
    let mut out = format!(
        "Lược đồ {} hợp lệ: {} bảng, {} chỉ tiêu ({} trên biểu mẫu), {} quy tắc, {} thôn, chỉ tiêu năm {}.\n",
        file.map_or_else(|| "có sẵn".to_string(), |f| format!("\"{}\"", f.display())),
        schema.tables.len(),
        schema.indicators.len(),
        schema.form_count,
        rules,
        schema.hamlets.len(),
        if years.is_empty() { "(không có)".to_string() } else { years.join(", ") }
    );
    for w in &schema.warnings {
        out.push_str(&format!("Cảnh báo: {w}\n"));
    }
    print(printable(&out).as_bytes())?;
    Ok(0)
}
