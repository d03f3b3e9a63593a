//! Writes the hostile files of tests/hostile into a folder, to run tonghop
//! on by hand: `cargo run --example hostile -- out/hostile`.

#[path = "../tests/hostile/craft.rs"]
mod craft;
#[path = "../tests/hostile/xls.rs"]
mod xls;

fn main() {
    // `hostile wrap-xls STREAM OUT.xls`: a workbook stream (what the read_xls
    // fuzz target is given) in a compound file, as tests/corpus/fuzz keeps it.
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("wrap-xls") && args.len() == 4 {
        let stream = std::fs::read(&args[2]).expect("read the stream");
        std::fs::write(&args[3], xls::compound(&stream)).expect("write the .xls");
        return;
    }
    let dir = std::env::args().nth(1).unwrap_or_else(|| "out/hostile".into());
    let names = craft::write_all(std::path::Path::new(&dir));
    eprintln!("{} tệp trong {dir}", names.len());
}
