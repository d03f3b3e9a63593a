//! The web inbox in a real browser: headless Chromium, driven through
//! ChromeDriver (both Debian's, installed by tools/browser.sh when missing),
//! opens a hamlet's link, uploads a report with a mistake through the page's
//! own form and sees the finding; the clerk's board then shows it.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::serve::{Server, agent};
use crate::util::*;

struct Driver {
    child: Child,
    base: String,
    session: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = agent().delete(format!("{}/session/{}", self.base, self.session)).call();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn post(url: &str, body: Value) -> Value {
    let text = body.to_string();
    let mut r = agent().post(url).header("Content-Type", "application/json").send(text.as_bytes()).expect("webdriver");
    serde_json::from_str(&r.body_mut().read_to_string().unwrap_or_default()).unwrap_or(Value::Null)
}

impl Driver {
    fn start() -> Driver {
        let setup = Command::new("sh").arg(root().join("tools").join("browser.sh")).status().expect("tools/browser.sh");
        assert!(setup.success(), "Chromium could not be installed");
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver");
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while agent().get(format!("{base}/status")).call().is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let caps = json!({"capabilities": {"alwaysMatch": {"goog:chromeOptions": {
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
        }}}});
        let v = post(&format!("{base}/session"), caps);
        let session = v["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {v}")).to_string();
        Driver { child, base, session }
    }

    fn url(&self, path: &str) -> String {
        format!("{}/session/{}/{path}", self.base, self.session)
    }

    fn go(&self, to: &str) {
        post(&self.url("url"), json!({ "url": to }));
    }

    fn element(&self, css: &str) -> String {
        let v = post(&self.url("element"), json!({"using": "css selector", "value": css}));
        let obj = v["value"].as_object().unwrap_or_else(|| panic!("{css}: {v}"));
        obj.values().next().and_then(Value::as_str).unwrap().to_string()
    }

    fn source(&self) -> String {
        let mut r = agent().get(self.url("source")).call().expect("source");
        let v: Value = serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
        v["value"].as_str().unwrap_or("").to_string()
    }
}

#[test]
fn a_hamlet_uploads_in_a_real_browser_and_the_clerk_sees_it() {
    let (_dir, _, s) = Server::on_empty_folder();
    let d = Driver::start();
    d.go(&format!("{}?thang=2024-06", s.link("Lạc Sơn")));
    assert!(d.source().contains("Gửi báo cáo"), "{}", d.source());
    let report = samples().join("2024-06").join("Lac Son.xlsx");
    let input = d.element("input[type=file]");
    post(&d.url(&format!("element/{input}/value")), json!({"text": report.to_string_lossy()}));
    let button = d.element("button[type=submit]");
    post(&d.url(&format!("element/{button}/click")), json!({}));
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut page = d.source();
    while !page.contains("Đã nhận tệp") && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
        page = d.source();
    }
    assert!(page.contains("Đã nhận tệp") && page.contains("D33"), "{page}");
    d.go(&format!("{}?thang=2024-06", s.clerk));
    let board = d.source();
    assert!(board.contains("1/6") && board.contains("D33"), "{board}");
}
