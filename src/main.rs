use clap::Parser;

fn main() {
    let cli = tonghop::cli::Cli::parse();
    let code = match tonghop::cli::execute(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("Lỗi: {e}");
            e.exit_code()
        }
    };
    std::process::exit(code);
}
