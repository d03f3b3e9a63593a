//! Writes the hostile files of tests/hostile into a folder, to run tonghop
//! on by hand: `cargo run --example hostile -- out/hostile`.

#[path = "../tests/hostile/craft.rs"]
mod craft;
#[path = "../tests/hostile/xls.rs"]
mod xls;

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "out/hostile".into());
    let names = craft::write_all(std::path::Path::new(&dir));
    eprintln!("{} tệp trong {dir}", names.len());
}
