//! The command line in Vietnamese, clap's own words included: the help's
//! headings and usage, the help and version flags, and every error clap
//! finds, said in Vietnamese (the original kept, for a developer, after it).

use std::error::Error as _;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

/// The command with Vietnamese headings, flags and help, all the way down.
pub fn command(cmd: Command, root: bool) -> Command {
    let mut cmd = cmd
        .help_template("{about-with-newline}\nCách dùng: {usage}\n\n{all-args}{after-help}")
        .subcommand_help_heading("Lệnh")
        .subcommand_value_name("LỆNH")
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .mut_args(|a| if a.is_positional() { a.help_heading("Đối số") } else { a.help_heading("Tùy chọn") })
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("In hướng dẫn dùng lệnh này")
                .help_heading("Tùy chọn"),
        );
    if root {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("In số phiên bản")
                .help_heading("Tùy chọn"),
        );
    }
    let names: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for n in names {
        cmd = cmd.mut_subcommand(n, |s| command(s, false));
    }
    cmd
}

/// What clap printed, in Vietnamese: the help as it is (its words are
/// ours) but for clap's placeholders; an error in words a clerk reads.
pub fn render(e: &clap::Error) -> String {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => e
            .render()
            .to_string()
            .replace("[OPTIONS]", "[TÙY CHỌN]")
            .replace("<COMMAND>", "<LỆNH>")
            .replace("[default: ", "[mặc định: ")
            .replace("[possible values: ", "[giá trị: "),
        _ => {
            let suggested = match (context(e, ContextKind::SuggestedSubcommand), context(e, ContextKind::SuggestedArg))
            {
                (s, _) if !s.is_empty() => format!(" Có phải là lệnh \"{s}\"?"),
                (_, a) if !a.is_empty() => format!(" Có phải là {a}?"),
                _ => String::new(),
            };
            format!("Lỗi: {}{suggested}\nGõ \"{} --help\" để xem cách dùng.\n", message(e), command_of(e))
        }
    }
}

/// The command the error is about ("tonghop template"), from its usage.
fn command_of(e: &clap::Error) -> String {
    let usage = context(e, ContextKind::Usage);
    let words: Vec<&str> = usage
        .split_whitespace()
        .skip_while(|w| !w.starts_with("tonghop"))
        .take_while(|w| !w.starts_with(['[', '<', '-']))
        .collect();
    if words.is_empty() { "tonghop".into() } else { words.join(" ") }
}

/// An argument as clap writes it ("<--hamlet <TÊN>|--all>"), as a clerk
/// reads it ("--hamlet TÊN hoặc --all").
fn plain(arg: &str) -> String {
    let inner = arg.strip_prefix('<').and_then(|a| a.strip_suffix('>')).unwrap_or(arg);
    inner.replace('|', " hoặc ").replace(['<', '>'], "")
}

fn context(e: &clap::Error, kind: ContextKind) -> String {
    match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::StyledStrs(v)) => v.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(", "),
        Some(ContextValue::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

fn message(e: &clap::Error) -> String {
    let arg = context(e, ContextKind::InvalidArg);
    let value = context(e, ContextKind::InvalidValue);
    let valid = context(e, ContextKind::ValidValue);
    match e.kind() {
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let why = match e.source() {
                Some(s) => format!(": {s}"),
                None if !valid.is_empty() => format!(" (các giá trị được nhận: {valid})"),
                None => String::new(),
            };
            if value.is_empty() {
                return format!("thiếu giá trị cho {}.", plain(&arg));
            }
            format!("giá trị \"{value}\" không dùng được cho {}{why}.", plain(&arg))
        }
        ErrorKind::UnknownArgument => format!("không có tùy chọn {arg}."),
        ErrorKind::InvalidSubcommand => {
            format!("không có lệnh \"{}\".", context(e, ContextKind::InvalidSubcommand))
        }
        ErrorKind::MissingRequiredArgument => format!("thiếu {}.", plain(&arg)),
        ErrorKind::MissingSubcommand => "thiếu lệnh.".into(),
        ErrorKind::ArgumentConflict => {
            format!("{arg} không dùng cùng {}.", context(e, ContextKind::PriorArg))
        }
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            format!("số giá trị cho {arg} không đúng.")
        }
        ErrorKind::NoEquals => format!("{arg} cần dấu = trước giá trị."),
        ErrorKind::InvalidUtf8 => "dòng lệnh có ký tự không đọc được (không phải UTF-8).".into(),
        _ => "dòng lệnh không hợp lệ.".into(),
    }
}
