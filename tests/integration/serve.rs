//! `tonghop serve` over HTTP, as a browser would use it: a hamlet's link,
//! an upload checked at once, a newer upload superseding, tokens kept
//! apart, bad and hostile files, the size limit, forged requests; the
//! clerk's board and downloads.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use crate::util::*;

/// The server, stopped when dropped.
pub struct Server {
    child: Child,
    pub base: String,
    pub clerk: String,
    hamlets: Vec<(String, String)>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    pub fn start(dir: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tonghop"))
            .args(["serve", &dir.to_string_lossy(), "--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("serve");
        let out = BufReader::new(child.stdout.take().unwrap());
        let (mut base, mut clerk, mut hamlets) = (String::new(), String::new(), Vec::new());
        for line in out.lines() {
            let line = line.unwrap();
            let url = line.split_whitespace().last().unwrap_or("").to_string();
            if line.starts_with("Đang phục vụ tại") {
                base = line.split_whitespace().find(|w| w.starts_with("http")).unwrap().to_string();
            } else if line.starts_with("Trang của văn phòng") {
                clerk = url;
            } else if line.starts_with("Mỗi đường dẫn") {
                break;
            } else if let Some((name, _)) = line.split_once(": http") {
                hamlets.push((name.trim_start_matches("Thôn ").to_string(), url));
            }
        }
        assert!(!base.is_empty() && !clerk.is_empty() && hamlets.len() == 6, "{base} {clerk} {hamlets:?}");
        Server { child, base, clerk, hamlets }
    }

    /// A server on a new, empty folder (kept while the `TempDir` lives).
    pub fn on_empty_folder() -> (tempfile::TempDir, std::path::PathBuf, Server) {
        let dir = tempdir();
        let root = dir.path().join("kho");
        std::fs::create_dir_all(&root).unwrap();
        let s = Server::start(&root);
        (dir, root, s)
    }

    pub fn link(&self, hamlet: &str) -> &str {
        &self.hamlets.iter().find(|(n, _)| n == hamlet).unwrap().1
    }
}

/// A client that reads every answer, errors included.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).build().into()
}

fn get(url: &str) -> (u16, String, Vec<(String, String)>) {
    let mut r = agent().get(url).call().expect("GET");
    let headers = r.headers().iter().map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string())).collect();
    (r.status().as_u16(), r.body_mut().read_to_string().unwrap_or_default(), headers)
}

fn get_bytes(url: &str) -> (u16, Vec<u8>) {
    let mut r = agent().get(url).call().expect("GET");
    let status = r.status().as_u16();
    (status, r.body_mut().with_config().limit(50 << 20).read_to_vec().unwrap_or_default())
}

/// Uploads `bytes` as `name` from a hamlet's page; the page that comes back.
fn upload(
    link: &str,
    csrf: Option<&str>,
    month: &str,
    name: &str,
    bytes: &[u8],
    origin: Option<&str>,
) -> (u16, String) {
    let token = link.rsplit('/').next().unwrap();
    let boundary = "----tonghopbien";
    let mut body = Vec::new();
    let mut field = |head: String, data: &[u8]| {
        body.extend_from_slice(format!("--{boundary}\r\n{head}\r\n\r\n").as_bytes());
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    };
    if let Some(c) = csrf {
        field("Content-Disposition: form-data; name=\"csrf\"".into(), c.replace("TOKEN", token).as_bytes());
    }
    field("Content-Disposition: form-data; name=\"thang\"".into(), month.as_bytes());
    field(
        format!(
            "Content-Disposition: form-data; name=\"tep\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream"
        ),
        bytes,
    );
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let mut req =
        agent().post(format!("{link}/gui")).header("Content-Type", format!("multipart/form-data; boundary={boundary}"));
    if let Some(o) = origin {
        req = req.header("Origin", o);
    }
    let mut r = req.send(&body[..]).expect("POST");
    (r.status().as_u16(), r.body_mut().read_to_string().unwrap_or_default())
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn a_hamlet_uploads_and_sees_its_mistakes_at_once_and_the_clerk_sees_the_board() {
    let (dir, root, s) = Server::on_empty_folder();
    let son = s.link("Lạc Sơn").to_string();
    let june = samples().join("2024-06");
    let son_file = std::fs::read(june.join("Lac Son.xlsx")).unwrap();

    let (code, page, headers) = get(&format!("{son}?thang=2024-06"));
    assert_eq!(code, 200);
    assert!(page.contains("Gửi báo cáo") && page.contains("Chưa gửi báo cáo tháng 06/2024"), "{page}");
    for h in ["content-security-policy", "x-frame-options", "referrer-policy", "x-content-type-options"] {
        assert!(headers.iter().any(|(k, _)| k == h), "{h}: {headers:?}");
    }
    // The report with a mistake: taken, and the mistake shown at its cell.
    let (code, page) = upload(&son, Some("TOKEN"), "2024-06", "Lac Son.xlsx", &son_file, None);
    assert_eq!(code, 200);
    assert!(page.contains("Đã nhận tệp"), "{page}");
    assert!(page.contains("D33") && page.contains("Số hộ nghèo"), "{page}");
    let month = root.join("2024-06");
    assert_eq!(files_in(&month), ["lac-son.xlsx"]);
    // Sent again: the newer one is used, the older kept aside, not read.
    let (_, page) = upload(&son, Some("TOKEN"), "2024-06", "Lac Son (sua).xlsx", &son_file, None);
    assert!(page.contains("Đã nhận tệp"), "{page}");
    assert_eq!(files_in(&month), ["lac-son.xlsx"]);
    assert_eq!(files_in(&root.join(".tonghop").join("luu-tru").join("2024-06")).len(), 1);
    // Another hamlet's report on this link is not taken.
    let hoa = std::fs::read(june.join("Lac Hoa.xlsx")).unwrap();
    let (_, page) = upload(&son, Some("TOKEN"), "2024-06", "Lac Hoa.xlsx", &hoa, None);
    assert!(page.contains("là báo cáo của thôn Lạc Hòa"), "{page}");
    assert_eq!(files_in(&month), ["lac-son.xlsx"]);
    // Nor a workbook with its own report and another hamlet's beside it.
    let both = dir.path().join("both.xlsx");
    let figures = |code: &str| (code == "trau").then_some(100.0);
    let sheet = |hamlet: &str| {
        let mut s = crate::builder::Sheet::form(hamlet, 6, 2024, figures);
        s.name = hamlet.to_string();
        s
    };
    let sheets = [sheet("Lạc Sơn"), sheet("Lạc Hòa")];
    crate::builder::write_xlsx(&both, &sheets);
    let (_, page) = upload(&son, Some("TOKEN"), "2024-06", "ca hai.xlsx", &std::fs::read(&both).unwrap(), None);
    assert!(page.contains("là báo cáo của thôn Lạc Hòa"), "{page}");
    assert_eq!(files_in(&month), ["lac-son.xlsx"]);
    // No spreadsheet, a hostile file, too large: each said, none taken.
    let (_, page) = upload(&son, Some("TOKEN"), "2024-06", "ghi chu.xlsx", b"chi la chu", None);
    assert!(page.contains("không phải bảng tính"), "{page}");
    let hostile = std::fs::read(root_dir().join("tests/corpus/fuzz/oom-read-any.xls")).unwrap();
    let (code, page) = upload(&son, Some("TOKEN"), "2024-06", "../../x.xls", &hostile, None);
    assert_eq!(code, 200);
    assert!(page.contains("chưa được nhận"), "{page}");
    assert_eq!(files_in(&month), ["lac-son.xlsx"], "a client's name never becomes a path");
    let (code, _) = upload(&son, Some("TOKEN"), "2024-06", "lon.xlsx", &vec![b'P'; 11 << 20], None);
    assert_eq!(code, 413);
    // Forged: no form mark, another site's origin, a wrong token.
    assert_eq!(upload(&son, None, "2024-06", "Lac Son.xlsx", &son_file, None).0, 403);
    assert_eq!(upload(&son, Some("TOKEN"), "2024-06", "a.xlsx", &son_file, Some("http://ke-xau.example")).0, 403);
    let forged = format!("{}/t/{}", s.base, "0".repeat(48));
    assert_eq!(get(&forged).0, 404);
    let clerk_token = s.clerk.rsplit('/').next().unwrap();
    let son_token = son.rsplit('/').next().unwrap();
    assert_eq!(get(&format!("{}/x/{son_token}", s.base)).0, 404, "a hamlet's token opens no board");
    assert_eq!(get(&format!("{}/t/{clerk_token}", s.base)).0, 404);
    assert_eq!(get(&format!("{}/", s.base)).0, 404, "no listing");
    // The clerk's board: Lạc Sơn reported with its error; the summary.
    let (code, board, _) = get(&format!("{}?thang=2024-06", s.clerk));
    assert_eq!(code, 200);
    assert!(board.contains("1/6") && board.contains("Lạc Sơn") && board.contains("D33"), "{board}");
    let (code, xlsx) = get_bytes(&format!("{}/tong-hop.xlsx?thang=2024-06", s.clerk));
    assert_eq!(code, 200);
    assert!(xlsx.starts_with(b"PK"), "a workbook");
    let (code, json) = get_bytes(&format!("{}/bao-cao.json?thang=2024-06", s.clerk));
    assert_eq!(code, 200);
    let rep = Report::parse(&json);
    assert_eq!(rep.summary.accepted, 1);
    // The command line reads the same folder and agrees.
    let (_, cli) = validate_json(&[&month], &["--period", "2024-06"]);
    assert_eq!(cli.summary.accepted, 1);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let tokens = std::fs::metadata(root.join(".tonghop").join("ma-truy-cap.toml")).unwrap();
        assert_eq!(tokens.permissions().mode() & 0o777, 0o600, "the tokens are the server's own");
    }
    let log = std::fs::read_to_string(root.join(".tonghop").join("nhat-ky.log")).unwrap();
    assert!(log.lines().count() >= 5 && log.contains("Lạc Sơn: nhận"), "{log}");
    // The form to download.
    let (code, form) = get_bytes(&format!("{son}/bieu-mau?thang=2024-07"));
    assert_eq!(code, 200);
    assert!(form.starts_with(b"PK"));
}

fn root_dir() -> std::path::PathBuf {
    root()
}
