//! `tonghop serve DIR`: the month's inbox on a web page. A hamlet, by its
//! own secret link, downloads its form, uploads its report and sees at
//! once what was found in it; the clerk, by another, sees the board and
//! downloads the summary. The storage is the folder the command line reads
//! (see [`store`]), so the two always agree; each upload is read in a
//! worker process, as the command line reads, so a hostile file costs only
//! itself.

mod pages;
mod store;
mod tokens;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path as UrlPath, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};

use crate::error::Error;
use crate::feedback::{self, HamletCase};
use crate::isolate::Isolation;
use crate::model::{HamletId, Severity, Status};
use crate::period::Period;
use crate::pipeline::{self, Options, Outcome};
use crate::schema::Schema;
use pages::{BoardLine, HamletPage, Notice};
use tokens::{Tokens, Who};

struct App {
    root: PathBuf,
    schema: Schema,
    isolation: Option<Isolation>,
    /// Workers kept from upload to upload.
    pool: Arc<crate::isolate::Pool>,
    /// What each month's folder held when last read, and what was found.
    read: std::sync::Mutex<std::collections::HashMap<Period, (Listing, Arc<Outcome>)>>,
    tokens: Tokens,
    /// Uploads are placed one at a time: two of one hamlet never race.
    placing: std::sync::Mutex<()>,
    /// Uploads read at once, at most one per core, the rest waiting their
    /// turn in order (a fair queue: no upload waits behind later ones).
    turns: tokio::sync::Semaphore,
    /// A month is read by one request at a time; the others use what it read.
    reading: std::sync::Mutex<()>,
}

/// Serves `root` on `listen` until stopped; prints the links to hand out.
pub fn run(root: &Path, schema: Schema, schema_path: Option<&Path>, listen: SocketAddr) -> Result<(), Error> {
    let io = |source| Error::Write { path: root.to_path_buf(), source };
    std::fs::create_dir_all(root).map_err(io)?;
    let tokens = Tokens::load_or_create(root, &schema).map_err(io)?;
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(io)?;
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|e| Error::Usage(format!("Không mở được địa chỉ {listen} để phục vụ: {e}.")))?;
        let addr = listener.local_addr().map_err(io)?;
        println!("{}", links(&schema, &tokens, addr));
        let isolation = Isolation::this_program(schema_path);
        let app = Arc::new(App {
            root: root.to_path_buf(),
            pool: Arc::new(crate::isolate::Pool::start(isolation.as_ref())),
            read: Default::default(),
            isolation,
            schema,
            tokens,
            placing: std::sync::Mutex::new(()),
            turns: tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get())),
            reading: std::sync::Mutex::new(()),
        });
        axum::serve(listener, router(app)).await.map_err(io)
    })
}

/// The links to hand out: the clerk's, then each hamlet's.
fn links(schema: &Schema, tokens: &Tokens, addr: SocketAddr) -> String {
    let mut out = format!(
        "Đang phục vụ tại http://{addr} (dừng: Ctrl+C).\nTrang của văn phòng: http://{addr}/x/{}\n",
        tokens.clerk
    );
    for (h, t) in &tokens.hamlets {
        out.push_str(&format!("{}: http://{addr}/t/{t}\n", crate::words::capitalized(&schema.hamlet_title(*h))));
    }
    out.push_str("Mỗi đường dẫn là một mã bí mật: chỉ gửi cho đúng người.");
    crate::cli::printable(&out)
}

fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/t/{token}", get(hamlet_page))
        .route("/t/{token}/gui", post(upload))
        .route("/t/{token}/bieu-mau", get(form))
        .route("/x/{token}", get(board))
        .route("/x/{token}/tong-hop.xlsx", get(summary))
        .route("/x/{token}/bao-cao.json", get(json))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(store::MAX_BYTES + 64 * 1024))
        .layer(axum::middleware::map_response(secure))
        .with_state(app)
}

/// The usual headers: no framing, no sniffing, no referrer to another site
/// (a link is a secret; to this one, so that a browser sends the Origin
/// the upload is checked against), nothing but this server's own pages.
async fn secure(mut r: Response) -> Response {
    let h = r.headers_mut();
    for (k, v) in [
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "same-origin"),
        ("cache-control", "no-store"),
        (
            "content-security-policy",
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    ] {
        h.insert(k, HeaderValue::from_static(v));
    }
    r
}

async fn not_found() -> Response {
    not_found_now()
}

#[derive(serde::Deserialize)]
struct Month {
    thang: Option<String>,
}

impl App {
    /// The month a page is about: the one asked, else the latest with a
    /// folder, else last month (reports come in after their month).
    fn month(&self, asked: &Month) -> Period {
        if let Some(p) = asked.thang.as_deref().and_then(|t| t.parse().ok()) {
            return p;
        }
        store::months(&self.root).into_iter().next().unwrap_or_else(last_month)
    }

    /// The months an upload may be for: last month, this month, and those
    /// with a folder.
    fn months(&self) -> Vec<Period> {
        let mut m = store::months(&self.root);
        for p in [last_month(), this_month()] {
            if !m.contains(&p) {
                m.push(p);
            }
        }
        m.sort_by(|a, b| b.cmp(a));
        m.truncate(6);
        m
    }

    fn options(&self, inputs: Vec<PathBuf>, period: Option<Period>, saved_times: bool) -> Options {
        Options {
            inputs,
            period,
            progress: false,
            saved_times,
            isolation: self.isolation.clone(),
            pool: Some(self.pool.clone()),
        }
    }

    /// What the command line would find in a month's folder, now: read
    /// again only when the folder's files changed.
    fn outcome(&self, period: Period) -> Option<Arc<Outcome>> {
        let dir = self.root.join(period.to_string());
        dir.is_dir().then_some(())?;
        let cached = |now: &Listing| {
            let read = self.read.lock().unwrap_or_else(|e| e.into_inner());
            read.get(&period).filter(|(seen, _)| seen == now).map(|(_, out)| out.clone())
        };
        if let Some(out) = cached(&listing(&dir)) {
            return Some(out);
        }
        let _one = self.reading.lock().unwrap_or_else(|e| e.into_inner());
        // Another request may have read it meanwhile.
        let now = listing(&dir);
        if let Some(out) = cached(&now) {
            return Some(out);
        }
        let out = Arc::new(pipeline::run(&self.schema, &self.options(vec![dir], Some(period), true)).ok()?);
        self.read.lock().unwrap_or_else(|e| e.into_inner()).insert(period, (now, out.clone()));
        Some(out)
    }
}

/// A folder's files (name, size, time), all the way down: what a month's
/// reading depends on.
type Listing = Vec<(PathBuf, u64, i64)>;

fn listing(dir: &Path) -> Listing {
    let mut out = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), 0)];
    while let Some((d, depth)) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let Ok(m) = e.metadata() else { continue };
            if m.is_dir() && depth < 8 {
                stack.push((e.path(), depth + 1));
            } else if m.is_file() {
                let t = m.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
                out.push((e.path(), m.len(), t.map_or(0, |d| d.as_nanos() as i64)));
            }
        }
    }
    out.sort();
    out
}

fn this_month() -> Period {
    let (y, m, _) = crate::calendar::today();
    Period::new(y as i32, m as u32).unwrap_or(Period { year: 2024, month: 1 })
}

fn last_month() -> Period {
    let p = this_month();
    if p.month == 1 { Period { year: p.year - 1, month: 12 } } else { Period { year: p.year, month: p.month - 1 } }
}

/// The hamlet a token is for, or the 404 every wrong token gets.
fn hamlet_of(app: &App, token: &str) -> Result<HamletId, Box<Response>> {
    match app.tokens.who(token) {
        Some(Who::Hamlet(h)) => Ok(h),
        _ => Err(Box::new(not_found_now())),
    }
}

fn not_found_now() -> Response {
    (StatusCode::NOT_FOUND, Html(pages::page("Không tìm thấy", "<h1>Không tìm thấy trang này.</h1>"))).into_response()
}

async fn hamlet_page(State(app): State<Arc<App>>, UrlPath(token): UrlPath<String>, Query(m): Query<Month>) -> Response {
    let h = match hamlet_of(&app, &token) {
        Ok(h) => h,
        Err(r) => return *r,
    };
    let period = app.month(&m);
    render_hamlet(app, token, h, period, None).await
}

/// A hamlet's page for a month, with what an upload just did.
async fn render_hamlet(app: Arc<App>, token: String, h: HamletId, period: Period, notice: Option<Notice>) -> Response {
    let html = tokio::task::spawn_blocking(move || {
        let out = app.outcome(period);
        let cases = out.as_ref().map(|o| feedback::cases(&app.schema, o, period)).unwrap_or_default();
        let case: Option<&HamletCase<'_>> = cases.iter().find(|c| c.hamlet == h);
        let received = case.and_then(|c| c.report).map(received);
        pages::hamlet(&HamletPage {
            schema: &app.schema,
            token: &token,
            period,
            months: {
                let mut m = app.months();
                if !m.contains(&period) {
                    m.push(period);
                    m.sort_by(|a, b| b.cmp(a));
                }
                m
            },
            case,
            hamlet: h,
            notice,
            received,
        })
    })
    .await
    .unwrap_or_default();
    Html(html).into_response()
}

fn received(s: &crate::model::Submission) -> String {
    let when = std::fs::metadata(&s.path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| crate::calendar::format_vn(d.as_secs() as i64 + 7 * 3600))
        .unwrap_or_default();
    let state = if s.status == Status::Accepted { "đã nhận" } else { "chưa nhận được" };
    format!("tệp {}, lúc {when} ({state})", s.file)
}

async fn upload(
    State(app): State<Arc<App>>,
    UrlPath(token): UrlPath<String>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let h = match hamlet_of(&app, &token) {
        Ok(h) => h,
        Err(r) => return *r,
    };
    if !same_origin(&headers) {
        return (
            StatusCode::FORBIDDEN,
            Html(pages::page("Không nhận", "<h1>Không nhận: biểu mẫu gửi từ trang khác.</h1>")),
        )
            .into_response();
    }
    let (form, csrf, period, bytes) = match read_upload(multipart).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if !app.tokens.same(&csrf, &token) {
        return (
            StatusCode::FORBIDDEN,
            Html(pages::page(
                "Không nhận",
                "<h1>Không nhận: mã của biểu mẫu thiếu hoặc không đúng. Mở lại trang của thôn rồi gửi.</h1>",
            )),
        )
            .into_response();
    }
    let period = period.unwrap_or_else(|| app.month(&Month { thang: None }));
    let notice = {
        let _turn = app.turns.acquire().await;
        let app2 = app.clone();
        tokio::task::spawn_blocking(move || take(&app2, h, period, &form, &bytes))
            .await
            .unwrap_or(Notice { ok: false, text: "Máy chủ gặp lỗi khi đọc tệp; hãy gửi lại.".into() })
    };
    render_hamlet(app, token, h, period, Some(notice)).await
}

/// A POST from this server's own page: its Origin, when a browser sends
/// one, is this host.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) else { return true };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://")) == Some(host)
}

type Upload = (String, String, Option<Period>, Vec<u8>);

/// The upload's fields: its file name (shown only), the form's mark, the
/// month chosen, the bytes (at most [`store::MAX_BYTES`]).
async fn read_upload(mut multipart: Multipart) -> Result<Upload, Response> {
    let too_big = || {
        let text = format!("<h1>Tệp quá lớn: một báo cáo thôn không quá {} MB.</h1>", store::MAX_BYTES >> 20);
        (StatusCode::PAYLOAD_TOO_LARGE, Html(pages::page("Tệp quá lớn", &text))).into_response()
    };
    let (mut name, mut csrf, mut period, mut bytes) = (String::new(), String::new(), None, Vec::new());
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_big()),
            Err(_) => return Err((StatusCode::BAD_REQUEST, "Yêu cầu không hợp lệ.").into_response()),
        };
        match field.name() {
            Some("tep") => {
                name = field.file_name().unwrap_or("").to_string();
                bytes = field.bytes().await.map_err(|_| too_big())?.to_vec();
            }
            Some("csrf") => csrf = field.text().await.unwrap_or_default(),
            Some("thang") => period = field.text().await.ok().and_then(|t| t.parse().ok()),
            _ => {}
        }
    }
    if bytes.len() > store::MAX_BYTES {
        return Err(too_big());
    }
    Ok((name, csrf, period, bytes))
}

/// Reads an upload and, when it is this hamlet's report of the month,
/// puts it in the month's folder; says what happened.
fn take(app: &App, h: HamletId, period: Period, name: &str, bytes: &[u8]) -> Notice {
    let who = app.schema.hamlet_name(h).to_string();
    let Some(ext) = store::kind_of(bytes) else {
        store::log(&app.root, &format!("{who}: không nhận \"{name}\" (không phải bảng tính)"));
        return Notice {
            ok: false,
            text: format!("Tệp \"{name}\" không phải bảng tính Excel hay LibreOffice (.xlsx, .xls, .ods): không nhận."),
        };
    };
    // Read alone first, in a folder named for the month and a file named
    // for the hamlet: the clues the link gives, which the file may contradict.
    let dir = app.root.join(store::OWN).join("den").join(store::unique()).join(period.to_string());
    let path = dir.join(format!("{}.{ext}", store::stem_of(&app.schema, h)));
    if store::write_atomic(&dir, &path, bytes).is_err() {
        return Notice { ok: false, text: "Máy chủ không lưu được tệp; hãy gửi lại sau.".into() };
    }
    let opts = app.options(vec![path.clone()], None, false);
    let read = pipeline::run(&app.schema, &opts).ok();
    // Every report the file holds must be this hamlet's: a link never
    // brings in another hamlet's figures (a sheet per hamlet, or side by side).
    let taken: Vec<&crate::model::Submission> =
        read.iter().flat_map(|o| o.submissions.iter()).filter(|s| s.status == Status::Accepted).collect();
    let sub = taken.iter().find(|s| s.hamlet != Some(h) || s.period != Some(period)).or(taken.first()).copied();
    let answer = match sub {
        Some(s) if s.hamlet != Some(h) => {
            let other = s.hamlet.map(|o| app.schema.hamlet_title(o)).unwrap_or_default();
            Err(format!(
                "Tệp \"{name}\" là báo cáo của {other}, không phải của {}: không nhận.",
                app.schema.hamlet_title(h)
            ))
        }
        Some(s) if s.period != Some(period) => {
            let p = s.period.map(|p| p.display_vn()).unwrap_or_default();
            Err(format!(
                "Tệp \"{name}\" là báo cáo tháng {p}, không phải tháng {}: chọn đúng tháng rồi gửi lại.",
                period.display_vn()
            ))
        }
        Some(_) => Ok(()),
        None => {
            let why: Vec<String> = read
                .iter()
                .flat_map(|o| o.findings.iter())
                .filter(|f| f.severity == Severity::Error)
                .map(|f| f.message.clone())
                .collect();
            Err(format!("Tệp \"{name}\" chưa được nhận: {}", why.join(" ")))
        }
    };
    // Read in parallel; placed one at a time: two of one hamlet never race.
    let _one = app.placing.lock().unwrap_or_else(|e| e.into_inner());
    let result = match answer {
        Ok(()) => match store::place(&app.root, &app.schema, (h, period), &path, &earlier(app, h, period)) {
            Ok(to) => {
                store::log(&app.root, &format!("{who}: nhận \"{name}\" ({} byte) → {}", bytes.len(), to.display()));
                Notice {
                    ok: true,
                    text: format!("Đã nhận tệp \"{name}\" cho tháng {}. Kết quả kiểm tra ở dưới.", period.display_vn()),
                }
            }
            Err(_) => Notice { ok: false, text: "Máy chủ không lưu được tệp; hãy gửi lại sau.".into() },
        },
        Err(text) => {
            store::log(&app.root, &format!("{who}: không nhận \"{name}\": {text}"));
            let _ = store::set_aside(&app.root, &path);
            Notice { ok: false, text }
        }
    };
    let _ = std::fs::remove_dir_all(dir.parent().unwrap_or(&dir));
    result
}

/// The files of a hamlet's month in its folder now, whatever their names.
fn earlier(app: &App, h: HamletId, period: Period) -> Vec<PathBuf> {
    let out = app.outcome(period);
    let subs = out.iter().flat_map(|o| o.submissions.iter());
    subs.filter(|s| s.hamlet == Some(h) && s.period == Some(period)).map(|s| s.path.clone()).collect()
}

async fn form(State(app): State<Arc<App>>, UrlPath(token): UrlPath<String>, Query(m): Query<Month>) -> Response {
    let h = match hamlet_of(&app, &token) {
        Ok(h) => h,
        Err(r) => return *r,
    };
    let period = app.month(&m);
    let bytes = tokio::task::spawn_blocking(move || {
        // The latest stocks of the months before, from the folder itself.
        let prefill = store::months(&app.root)
            .into_iter()
            .filter(|p| *p < period)
            .find_map(|p| app.outcome(p))
            .map(|o| crate::prefill::latest(&o, &app.schema, h, period))
            .unwrap_or_default();
        crate::write::template::build(&app.schema, h, period, &prefill).map(|b| (b, store::stem_of(&app.schema, h)))
    })
    .await;
    match bytes {
        Ok(Ok((b, stem))) => attachment(b, &format!("Bao cao {stem} {period}.xlsx"), XLSX),
        _ => (StatusCode::INTERNAL_SERVER_ERROR, "Không tạo được biểu mẫu.").into_response(),
    }
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn attachment(bytes: Vec<u8>, name: &str, mime: &'static str) -> Response {
    let disposition = format!("attachment; filename=\"{}\"", name.replace(['"', '\\'], ""));
    let mut r = bytes.into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

fn is_clerk(app: &App, token: &str) -> bool {
    matches!(app.tokens.who(token), Some(Who::Clerk))
}

async fn board(State(app): State<Arc<App>>, UrlPath(token): UrlPath<String>, Query(m): Query<Month>) -> Response {
    if !is_clerk(&app, &token) {
        return not_found_now();
    }
    let period = app.month(&m);
    let html = tokio::task::spawn_blocking(move || {
        let out = app.outcome(period);
        let cases = out.as_ref().map(|o| feedback::cases(&app.schema, o, period)).unwrap_or_default();
        let lines: Vec<BoardLine> = app
            .schema
            .hamlets
            .ids()
            .map(|h| {
                let case = cases.iter().find(|c| c.hamlet == h);
                BoardLine {
                    name: app.schema.hamlet_name(h).to_string(),
                    received: case.and_then(|c| c.report).filter(|s| s.status == Status::Accepted).map(received),
                    errors: case.map_or(0, |c| c.count(Severity::Error)),
                    warnings: case.map_or(0, |c| c.count(Severity::Warning)),
                }
            })
            .collect();
        let findings: Vec<&crate::model::Finding> =
            // Who has not reported is on the board already.
            out.iter()
                .flat_map(|o| o.findings.iter())
                .filter(|f| f.severity != Severity::Info && !feedback::is_reminder(&app.schema, f))
                .collect();
        pages::board(&app.schema, &token, period, &lines, &findings)
    })
    .await
    .unwrap_or_default();
    Html(html).into_response()
}

/// A file the clerk downloads, built from the month's folder as it is now.
type Build = fn(&App, &Outcome) -> Option<Vec<u8>>;

async fn download(app: Arc<App>, token: &str, m: &Month, build: Build, name: &str, mime: &'static str) -> Response {
    if !is_clerk(&app, token) {
        return not_found_now();
    }
    let period = app.month(m);
    let built = tokio::task::spawn_blocking(move || build(&app, &*app.outcome(period)?)).await.ok().flatten();
    match built {
        Some(b) => attachment(b, &name.replace("{period}", &period.to_string()), mime),
        None => (StatusCode::NOT_FOUND, Html(pages::page("Chưa có", "<h1>Chưa có báo cáo nào của tháng này.</h1>")))
            .into_response(),
    }
}

fn workbook(app: &App, out: &Outcome) -> Option<Vec<u8>> {
    let input = crate::write::workbook::Input {
        schema: &app.schema,
        outcome: out,
        totals: out.totals.as_ref()?,
        out_dir: &app.root,
        dated: Some(crate::calendar::dating_day()),
    };
    crate::write::workbook::build(&input).ok()
}

async fn summary(State(app): State<Arc<App>>, UrlPath(token): UrlPath<String>, Query(m): Query<Month>) -> Response {
    download(app, &token, &m, workbook, "tong-hop-{period}.xlsx", XLSX).await
}

async fn json(State(app): State<Arc<App>>, UrlPath(token): UrlPath<String>, Query(m): Query<Month>) -> Response {
    let report = |app: &App, out: &Outcome| Some(crate::report::to_json(&crate::report::build(&app.schema, out)));
    download(app, &token, &m, report, "bao-cao-{period}.json", "application/json").await
}
