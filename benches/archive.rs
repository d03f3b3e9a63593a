//! `make bench`: tonghop on a synthetic archive, against a baseline that
//! only opens every file with calamine and touches every cell.
//!
//! 1. Writes archives of hamlet reports with rust_xlsxwriter (a program other
//!    than tonghop): 20 years × 12 months × 6 hamlets = 1,440 workbooks, four
//!    times as many, and variants in months and hamlets for the scaling table.
//! 2. Times, in child processes on the same cores, the baseline,
//!    `tonghop validate` and `tonghop run`, and reads each one's peak memory
//!    from the kernel (wait4).
//! 3. Prints a Markdown report: ratio to the baseline, files/s, peak memory.
//!
//! Usage: cargo bench --bench archive [-- --quick] [-- --out FILE]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use rust_xlsxwriter::{Format, Workbook};

/// Bump when the archive's content changes, so that it is written anew.
const VERSION: u32 = 2;

const HAMLETS: [&str; 6] = ["Lạc Thanh", "Lạc Thắng", "Lạc Hòa", "Lạc Sơn", "Lạc Tiến", "Lạc Phú"];
const CROPS: [(&str, f64, f64); 9] = [
    ("Lúa cả năm", 0.0, 0.0),
    ("- Lúa vụ xuân", 12.0, 60.0),
    ("- Lúa vụ hè thu", 7.0, 48.0),
    ("Lạc", 25.0, 22.0),
    ("Sắn", 25.0, 220.0),
    ("Khoai lang", 1.7, 110.0),
    ("Ngô", 28.0, 40.0),
    ("Đậu các loại", 5.0, 8.0),
    ("Rau màu các loại", 3.4, 0.0),
];
const ANIMALS: [(&str, &str, f64); 5] = [
    ("Trâu", "con", 120.0),
    ("Bò", "con", 145.0),
    ("Lợn", "con", 400.0),
    ("Gia cầm", "con", 6000.0),
    ("Đàn ong", "đàn", 170.0),
];
const WORKS: [(&str, &str, f64); 3] =
    [("Trồng rừng tập trung", "ha", 20.0), ("Đường giao thông nội đồng", "m", 40.0), ("Rãnh thoát nước", "m", 15.0)];
const SOCIAL: [(&str, &str, f64); 9] = [
    ("Tổng số hộ", "hộ", 180.0),
    ("Số hộ nghèo", "hộ", 7.0),
    ("Số hộ cận nghèo", "hộ", 11.0),
    ("Tổng số nhân khẩu", "người", 690.0),
    ("Số người tham gia BHYT", "người", 660.0),
    ("Số người trong độ tuổi lao động", "người", 410.0),
    ("Số lao động đã qua đào tạo", "người", 275.0),
    ("Số trẻ em dưới 5 tuổi", "trẻ", 50.0),
    ("Số trẻ em dưới 5 tuổi suy dinh dưỡng", "trẻ", 9.0),
];

/// A deterministic jitter in [0.9, 1.1): the same archive every time.
fn jitter(seed: u64) -> f64 {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03;
    x ^= x >> 31;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 29;
    0.9 + (x % 10_000) as f64 / 50_000.0
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// One hamlet's report for one month, laid out as the form.
fn report(path: &Path, hamlet: &str, h: usize, year: i32, month: u32) -> Result<(), String> {
    let e = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Báo cáo").map_err(e)?;
    let bold = Format::new().set_bold();
    let seed = (year as u64) * 1000 + month as u64 * 10 + h as u64;
    ws.write_string_with_format(0, 0, format!("BÁO CÁO KẾT QUẢ SẢN XUẤT VÀ ĐỜI SỐNG THÁNG {month} NĂM {year}"), &bold)
        .map_err(e)?;
    ws.write_string(1, 0, format!("Thôn: {hamlet}")).map_err(e)?;
    ws.write_string(1, 3, format!("Tháng: {month:02}/{year}")).map_err(e)?;
    let mut r = 3;
    ws.write_string_with_format(r, 0, "I. TRỒNG TRỌT", &bold).map_err(e)?;
    r += 1;
    for (c, t) in
        ["STT", "Cây trồng", "Diện tích (ha)", "Năng suất (tạ/ha)", "Sản lượng (tấn)", "Ghi chú"].iter().enumerate()
    {
        ws.write_string(r, c as u16, *t).map_err(e)?;
    }
    r += 1;
    let total_row = r;
    r += 1;
    // Harvests from June on; season-to-date areas grow through the year.
    let harvested = month >= 6;
    let (mut rice_area, mut rice_out) = (0.0, 0.0);
    let year_seed = (year as u64) * 1000 + h as u64;
    for (k, (label, area, yld)) in CROPS.iter().enumerate().skip(1) {
        let a = round1(area * jitter(year_seed + k as u64) * (0.8 + month as f64 / 60.0));
        let y = round1(yld * jitter(seed * 7 + k as u64));
        ws.write_string(r, 1, *label).map_err(e)?;
        ws.write_number(r, 2, a).map_err(e)?;
        if harvested && *yld > 0.0 {
            let out = round1(a * y / 10.0);
            ws.write_number(r, 3, y).map_err(e)?;
            ws.write_number(r, 4, out).map_err(e)?;
            if label.contains("Lúa") {
                rice_out += out;
            }
        }
        if label.contains("Lúa") {
            rice_area += a;
        }
        r += 1;
    }
    ws.write_string(total_row, 1, CROPS[0].0).map_err(e)?;
    ws.write_number(total_row, 2, round1(rice_area)).map_err(e)?;
    if rice_out > 0.0 {
        ws.write_number(total_row, 4, round1(rice_out)).map_err(e)?;
    }
    let mut table = |r: &mut u32,
                     title: &str,
                     head: &str,
                     value: &str,
                     rows: &[(&str, &str, f64)],
                     flow: bool|
     -> Result<(), String> {
        *r += 1;
        ws.write_string_with_format(*r, 0, title, &bold).map_err(e)?;
        *r += 1;
        for (c, t) in ["STT", head, "ĐVT", value, "Ghi chú"].iter().enumerate() {
            ws.write_string(*r, c as u16, *t).map_err(e)?;
        }
        *r += 1;
        for (k, (label, unit, base)) in rows.iter().enumerate() {
            // Stocks move little within a year; parts stay below their wholes.
            let v = if flow {
                (base * jitter(seed * 13 + k as u64)).round()
            } else {
                (base * jitter(year as u64 * 31 + h as u64 * 7)).round()
            };
            ws.write_number(*r, 0, (k + 1) as f64).map_err(e)?;
            ws.write_string(*r, 1, *label).map_err(e)?;
            ws.write_string(*r, 2, *unit).map_err(e)?;
            ws.write_number(*r, 3, v).map_err(e)?;
            *r += 1;
        }
        Ok(())
    };
    table(&mut r, "II. CHĂN NUÔI", "Vật nuôi", "Số lượng", &ANIMALS, false)?;
    table(&mut r, "III. LÂM NGHIỆP - HẠ TẦNG", "Chỉ tiêu", "Thực hiện trong tháng", &WORKS, true)?;
    table(&mut r, "IV. DÂN SỐ - XÃ HỘI", "Chỉ tiêu", "Số lượng", &SOCIAL, false)?;
    ws.set_column_width(1, 36).map_err(e)?;
    wb.save(path).map_err(e)
}

/// Writes an archive of `years` × 12 months × `hamlets` reports (once).
fn archive(root: &Path, years: i32, hamlets: usize) -> PathBuf {
    let dir = root.join(format!("v{VERSION}-{years}y-{hamlets}h"));
    let done = dir.join(".complete");
    if done.exists() {
        return dir;
    }
    let names: Vec<String> =
        (0..hamlets).map(|h| if h < 6 { HAMLETS[h].to_string() } else { format!("Lạc {}", h + 1) }).collect();
    let jobs: Vec<(i32, u32, usize)> = (0..years)
        .flat_map(|y| (1..=12).flat_map(move |m| (0..hamlets).map(move |h| (2024 - years + 1 + y, m, h))))
        .collect();
    jobs.par_iter().for_each(|&(y, m, h)| {
        let folder = dir.join(format!("{y}-{m:02}"));
        let _ = std::fs::create_dir_all(&folder);
        let file = folder.join(format!("{}.xlsx", names[h].replace(' ', "-")));
        report(&file, &names[h], h, y, m).expect("write report");
    });
    if hamlets != 6 {
        // A commune with more hamlets: the shipped schema with its own hamlet list.
        let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
        let mut commune = String::from("[commune]\nname = \"UBND XÃ\"\n");
        for n in &names {
            commune.push_str(&format!("\n[[hamlet]]\nname = \"{n}\"\n"));
        }
        std::fs::write(dir.join("commune.toml"), commune).expect("schema");
        let inc = ["form.toml", "rules.toml", "targets-2024.toml"]
            .map(|f| format!("{:?}", schemas.join(f).to_string_lossy()));
        std::fs::write(dir.join("schema.toml"), format!("include = [{}, \"commune.toml\"]\n", inc.join(", ")))
            .expect("schema");
    }
    std::fs::write(&done, "").expect("stamp");
    dir
}

/// The baseline: open every file with calamine, in parallel on the same
/// cores, and touch every cell of every sheet.
fn baseline(dir: &Path) {
    use calamine::{Data, Reader, open_workbook_auto};
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "xlsx") {
                files.push(p);
            }
        }
    }
    let touched: (u64, f64) = files
        .par_iter()
        .map(|p| {
            let mut wb = open_workbook_auto(p).expect("open");
            let mut n = 0u64;
            let mut sum = 0.0;
            for name in wb.sheet_names() {
                let range = wb.worksheet_range(&name).expect("sheet");
                for c in range.used_cells() {
                    n += 1;
                    sum += match c.2 {
                        Data::Float(f) => *f,
                        Data::Int(i) => *i as f64,
                        Data::String(s) => s.len() as f64,
                        _ => 0.0,
                    };
                }
            }
            (n, sum)
        })
        .reduce(|| (0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1));
    println!("{} files, {} cells, checksum {:.1}", files.len(), touched.0, touched.1);
}

struct Sample {
    wall: Duration,
    /// User and system time: steadier than the wall clock on a busy machine.
    cpu: Duration,
    peak_kib: i64,
}

/// Runs a command as a child and reads its time and peak memory. The child
/// is reaped by wait4 itself, which also gives its resource usage.
#[allow(clippy::zombie_processes)]
fn measure(cmd: &mut Command) -> Sample {
    let start = Instant::now();
    let child = cmd.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).spawn().expect("spawn");
    let mut status = 0;
    // SAFETY: zeroed rusage is a valid value; wait4 fills it for our child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert!(pid > 0, "wait4 failed");
    let wall = start.elapsed();
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) <= 1, "{cmd:?} failed: {status}");
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Sample { wall, cpu: tv(usage.ru_utime) + tv(usage.ru_stime), peak_kib: usage.ru_maxrss }
}

/// For each command, the medians of `n` runs (wall and CPU time) and the
/// largest peak memory, after one run of each to warm the page cache that
/// is not counted. The commands take turns, run after run, so that a
/// spell of load from elsewhere on a shared machine falls on all of them
/// alike rather than on one.
fn interleaved<const K: usize>(n: usize, make: [&dyn Fn() -> Command; K]) -> [Sample; K] {
    for m in &make {
        measure(&mut m());
    }
    let mut runs: [Vec<Sample>; K] = std::array::from_fn(|_| Vec::new());
    for _ in 0..n {
        for (k, m) in make.iter().enumerate() {
            runs[k].push(measure(&mut m()));
        }
    }
    let median = |mut v: Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    runs.map(|runs| Sample {
        wall: median(runs.iter().map(|s| s.wall).collect()),
        cpu: median(runs.iter().map(|s| s.cpu).collect()),
        peak_kib: runs.iter().map(|s| s.peak_kib).max().unwrap_or(0),
    })
}

struct Row {
    label: String,
    files: usize,
    base: Sample,
    validate: Sample,
    /// validate reading in this process (TONGHOP_IN_PROCESS=1).
    in_process: Sample,
    run: Sample,
}

fn count_files(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| {
                    if e.path().is_dir() {
                        count_files(&e.path())
                    } else {
                        usize::from(e.path().extension().is_some_and(|x| x == "xlsx"))
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

fn bench(label: &str, dir: &Path, reps: usize, tmp: &Path) -> Row {
    let me = std::env::current_exe().expect("exe");
    let tonghop = env!("CARGO_BIN_EXE_tonghop");
    let schema: Vec<String> = if dir.join("schema.toml").exists() {
        vec!["--schema".into(), dir.join("schema.toml").to_string_lossy().into_owned()]
    } else {
        Vec::new()
    };
    let base = || {
        let mut c = Command::new(&me);
        c.arg("__baseline").arg(dir);
        c
    };
    let validate = || {
        let mut c = Command::new(tonghop);
        c.arg("validate").arg(dir).args(&schema).args(["--format", "json"]);
        c
    };
    // The same, each file read in this process rather than in a worker:
    // what the isolation costs.
    let in_process = || {
        let mut c = validate();
        c.env("TONGHOP_IN_PROCESS", "1");
        c
    };
    let out = tmp.join("tong-hop.xlsx");
    let run = || {
        let mut c = Command::new(tonghop);
        c.arg("run").arg(dir).args(&schema).arg("-o").arg(&out);
        c
    };
    let [base, validate, in_process, run] = interleaved(reps, [&base, &validate, &in_process, &run]);
    Row { label: label.to_string(), files: count_files(dir), base, validate, in_process, run }
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "?".into());
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .next()
                .map(|l| l.split_whitespace().nth(1).unwrap_or("0").parse::<u64>().unwrap_or(0) / 1024 / 1024)
        })
        .unwrap_or(0);
    format!("{cpu}, {cores} cores, {mem} GiB RAM, {}", std::env::consts::OS)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("__baseline") {
        baseline(Path::new(&args[2]));
        return;
    }
    let quick = args.iter().any(|a| a == "--quick");
    let out_file = args.iter().position(|a| a == "--out").and_then(|i| args.get(i + 1)).cloned();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("target").join("bench-archive");
    let tmp = root.join("tmp");
    std::fs::create_dir_all(&tmp).expect("tmp");
    let reps = if quick { 1 } else { 7 };
    eprintln!("Writing the archives (once) under {} …", root.display());
    let mut plan: Vec<(String, PathBuf)> = vec![("20 years × 12 months × 6 hamlets".into(), archive(&root, 20, 6))];
    if !quick {
        plan.push(("20 years × 12 months × 24 hamlets (4×)".into(), archive(&root, 20, 24)));
        plan.push(("5 years × 12 months × 6 hamlets".into(), archive(&root, 5, 6)));
        plan.push(("10 years × 12 months × 6 hamlets".into(), archive(&root, 10, 6)));
        plan.push(("5 years × 12 months × 24 hamlets".into(), archive(&root, 5, 24)));
        plan.push(("10 years × 12 months × 12 hamlets".into(), archive(&root, 10, 12)));
    }
    let mut rows = Vec::new();
    for (label, dir) in &plan {
        eprintln!("Measuring {label} …");
        rows.push(bench(label, dir, reps, &tmp));
    }
    let mut md = String::new();
    md.push_str(&format!("Machine: {}\n\n", machine()));
    md.push_str(&format!("Each figure is the median of {reps} runs after one uncounted warm-up run, the four commands taking turns run after run; times in seconds, wall clock (CPU time, user + system, in brackets).\n\n"));
    md.push_str("| archive | files | baseline | validate | ratio | in this process | ratio | run | ratio | validate files/s | peak MiB baseline | peak MiB validate | peak MiB run |\n");
    md.push_str("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for r in &rows {
        let (b, v, u) = (r.base.wall.as_secs_f64(), r.validate.wall.as_secs_f64(), r.run.wall.as_secs_f64());
        let (bc, vc, uc) = (r.base.cpu.as_secs_f64(), r.validate.cpu.as_secs_f64(), r.run.cpu.as_secs_f64());
        let (p, pc) = (r.in_process.wall.as_secs_f64(), r.in_process.cpu.as_secs_f64());
        md.push_str(&format!(
            "| {} | {} | {:.2} ({:.2}) | {:.2} ({:.2}) | {:.2} ({:.2}) | {:.2} ({:.2}) | {:.2} ({:.2}) | {:.2} ({:.2}) | {:.2} ({:.2}) | {:.0} | {:.1} | {:.1} | {:.1} |\n",
            r.label,
            r.files,
            b,
            bc,
            v,
            vc,
            v / b,
            vc / bc,
            p,
            pc,
            p / b,
            pc / bc,
            u,
            uc,
            u / b,
            uc / bc,
            r.files as f64 / v,
            r.base.peak_kib as f64 / 1024.0,
            r.validate.peak_kib as f64 / 1024.0,
            r.run.peak_kib as f64 / 1024.0
        ));
    }
    let first = &rows[0];
    let per_file = first.validate.wall.as_secs_f64() / first.files as f64;
    md.push_str(&format!(
        "\nAt {:.0} files/s, a province-wide month of 20,000 reports would take about {:.0} s to validate on this machine.\n",
        1.0 / per_file,
        20_000.0 * per_file
    ));
    println!("{md}");
    if let Some(f) = out_file {
        if let Some(dir) = Path::new(&f).parent() {
            std::fs::create_dir_all(dir).expect("results folder");
        }
        std::fs::write(&f, &md).expect("write results");
    }
}
