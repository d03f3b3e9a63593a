#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = match tonghop::cli::parse() {
        Ok(cli) => cli,
        Err(code) => std::process::exit(code),
    };
    let code = match tonghop::cli::execute(cli) {
        Ok(code) => code,
        Err(e) => {
            // A path from the command line may hold anything.
            eprintln!("Lỗi: {}", tonghop::cli::printable(&e.to_string()));
            if let Some(hint) = e.hint() {
                eprintln!("{hint}");
            }
            e.exit_code()
        }
    };
    std::process::exit(code);
}
