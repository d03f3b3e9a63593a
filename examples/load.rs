//! `make load`: a bounded load test of `tonghop serve` on the loopback.
//! Clients upload the samples' June reports, each by its own hamlet's link,
//! concurrently for a fixed time (LOAD_CLIENTS, default 50; LOAD_SECONDS,
//! default 30), then stop by themselves. Every upload must come back taken
//! and about its own hamlet (none lost, none mixed up), and the folder must
//! hold one report per hamlet with every earlier one kept; the latency from
//! upload to findings is reported as p50, p99 and max (out/load.md).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const HAMLETS: [(&str, &str); 6] = [
    ("Lạc Thanh", "Lac Thanh.xlsx"),
    ("Lạc Thắng", "Lac Thang.xlsx"),
    ("Lạc Hòa", "Lac Hoa.xlsx"),
    ("Lạc Sơn", "Lac Son.xlsx"),
    ("Lạc Tiến", "Lac Tien.xlsx"),
    ("Lạc Phú", "Lac Phu.xls"),
];

fn env(k: &str, d: u64) -> u64 {
    std::env::var(k).ok().and_then(|v| v.parse().ok()).unwrap_or(d)
}

fn main() {
    let bin = std::env::args().nth(1).unwrap_or_else(|| "target/release/tonghop".into());
    let (clients, seconds) = (env("LOAD_CLIENTS", 50) as usize, env("LOAD_SECONDS", 30));
    let root = std::env::temp_dir().join(format!("tonghop-load-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    let mut child = Command::new(&bin)
        .args(["serve", &root.to_string_lossy(), "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the server");
    let mut links: Vec<(String, String)> = Vec::new();
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        if line.starts_with("Mỗi đường dẫn") {
            break;
        }
        if let Some((name, _)) = line.split_once(": http") {
            let url = line.split_whitespace().last().unwrap().to_string();
            links.push((name.trim_start_matches("Thôn ").to_string(), url));
        }
    }
    let june = Path::new("samples").join("2024-06");
    let files: Vec<(String, String, Vec<u8>)> = HAMLETS
        .iter()
        .map(|(h, f)| {
            let link = links.iter().find(|(n, _)| n == h).expect("link").1.clone();
            (h.to_string(), link, std::fs::read(june.join(f)).expect("sample"))
        })
        .collect();
    let stop = Instant::now() + Duration::from_secs(seconds);
    let results: Vec<Vec<(Duration, bool)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..clients)
            .map(|c| {
                let files = &files;
                s.spawn(move || {
                    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
                    let mut out = Vec::new();
                    let mut k = c;
                    while Instant::now() < stop {
                        let (hamlet, link, bytes) = &files[k % files.len()];
                        k += 1;
                        let t = Instant::now();
                        let page = upload(&agent, link, bytes);
                        let right =
                            page.contains("Đã nhận tệp") && page.contains(&format!("Thôn {hamlet}: báo cáo tháng"));
                        out.push((t.elapsed(), right));
                    }
                    out
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let _ = child.kill();
    let _ = child.wait();
    let mut all: Vec<(Duration, bool)> = results.into_iter().flatten().collect();
    let wrong = all.iter().filter(|(_, ok)| !ok).count();
    all.sort();
    let pick = |q: f64| all[((all.len() as f64 - 1.0) * q).round() as usize].0;
    let month = root.join("2024-06");
    let kept = count(&root.join(".tonghop").join("luu-tru").join("2024-06"));
    let here = count(&month);
    let report = format!(
        "| clients | seconds | uploads | per second | p50 ms | p99 ms | max ms | wrong or lost | in the month's folder | kept aside |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n| {clients} | {seconds} | {} | {:.1} | {} | {} | {} | {wrong} | {here} | {kept} |\n",
        all.len(),
        all.len() as f64 / seconds as f64,
        pick(0.5).as_millis(),
        pick(0.99).as_millis(),
        all.last().map_or(0, |x| x.0.as_millis()),
    );
    print!("{report}");
    let _ = std::fs::create_dir_all("out");
    let _ = std::fs::write("out/load.md", &report);
    let consistent = wrong == 0 && here == 6 && kept + 6 == all.len();
    let _ = std::fs::remove_dir_all(&root);
    if !consistent {
        eprintln!("SAI: có tệp bị mất hoặc lẫn (cần {} tệp đã lưu, có {}).", all.len(), kept + here);
        std::process::exit(1);
    }
}

fn count(dir: &PathBuf) -> usize {
    std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0)
}

fn upload(agent: &ureq::Agent, link: &str, bytes: &[u8]) -> String {
    let token = link.rsplit('/').next().unwrap();
    let b = "----tai";
    let mut body = Vec::new();
    for (name, value) in [("csrf", token), ("thang", "2024-06")] {
        body.extend_from_slice(
            format!("--{b}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{b}\r\nContent-Disposition: form-data; name=\"tep\"; filename=\"bao-cao.xlsx\"\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
    match agent
        .post(format!("{link}/gui"))
        .header("Content-Type", format!("multipart/form-data; boundary={b}"))
        .send(&body[..])
    {
        Ok(mut r) => r.body_mut().read_to_string().unwrap_or_default(),
        Err(_) => String::new(),
    }
}
