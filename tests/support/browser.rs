//! What the browser suites share: the tools they need (found, or the suite left out with what to
//! install), chromedriver and Chromium in process groups of their own, `cargo lambda watch`, a
//! static file server on loopback, and bounded waits. Included with
//! `#[path = "support/browser.rs"] mod browser;` by each suite (it uses their dev-dependencies).
#![allow(dead_code)]

use std::fs::File;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use fantoccini::wd::{TimeoutConfiguration, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Flags that keep Chromium quiet on a closed network (no background fetches, updates, sync or
/// QUIC probes) and runnable as root in a container.
pub const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
    "--window-size=1200,900",
];

/// `cargo lambda watch` compiles each function on its first invocation.
pub const BUILD_WAIT: Duration = Duration::from_secs(900);
pub const START_WAIT: Duration = Duration::from_secs(60);
pub const RUN_ALL_WAIT: Duration = Duration::from_secs(120);
pub const COMMAND_WAIT: Duration = Duration::from_secs(60);

/// `POST /session/{id}/se/log {"type":"browser"}`: chromedriver's console log of the page (and its
/// frames), where Chromium says why it blocked a response.
#[derive(Debug)]
pub struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.to_owned()))
    }
}

/// The programs the test needs, found or the test fails saying what to install.
pub struct Tools {
    pub chromium: PathBuf,
    pub chromedriver: PathBuf,
    pub cargo: PathBuf,
}

impl Tools {
    /// The tools, or what is missing and how to install each.
    pub fn find() -> Result<Tools, Vec<String>> {
        let mut missing = Vec::new();
        let chromium = tool(
            "CHROMIUM",
            &["chromium", "chromium-browser", "google-chrome"],
        );
        if chromium.is_none() {
            missing.push(
                "Chromium (`apt-get install chromium` on Debian, or CHROMIUM=/path/to/chromium)"
                    .to_owned(),
            );
        }
        let chromedriver = tool("CHROMEDRIVER", &["chromedriver"]);
        if chromedriver.is_none() {
            missing.push(
                "chromedriver, Chromium's version (`apt-get install chromium-driver`, or CHROMEDRIVER=/path/to/chromedriver)"
                    .to_owned(),
            );
        }
        let cargo = std::env::var_os("CARGO").map_or_else(|| PathBuf::from("cargo"), PathBuf::from);
        let lambda = Command::new(&cargo)
            .args(["lambda", "--version"])
            .stdin(Stdio::null())
            .output();
        if !lambda.is_ok_and(|output| output.status.success()) {
            missing.push("cargo-lambda (`pip install cargo-lambda`)".to_owned());
        }
        match (chromium, chromedriver, missing.is_empty()) {
            (Some(chromium), Some(chromedriver), true) => Ok(Tools {
                chromium,
                chromedriver,
                cargo,
            }),
            _ => Err(missing),
        }
    }

    /// The tools; without them the suite is left out and says so, unless `CORS_REQUIRE_TOOLS=1`
    /// (what `scripts/test.sh`, and so CI, sets), which makes a missing tool a failure.
    pub fn find_or_leave_out(suite: &str, test: &str) -> Option<Tools> {
        let missing = match Tools::find() {
            Ok(tools) => return Some(tools),
            Err(missing) => missing,
        };
        let list = missing.join("; ");
        if std::env::var_os("CORS_REQUIRE_TOOLS").is_some_and(|v| v == "1") {
            panic!("the browser suite needs: {list}");
        }
        // Written to stderr directly, past the test harness's capture, so that `cargo test`
        // shows it even though the test passes.
        let notice = format!(
            "\nLEFT OUT: tests/{suite}.rs ({test}) needs {list}.\n  Install them \
             (`bash scripts/install-test-deps.sh` as root on Debian) and run \
             `cargo test -p cors-tests --test {suite}`, or run every suite with \
             `bash scripts/test.sh`.\n\n"
        );
        let _ = std::io::Write::write_all(&mut std::io::stderr(), notice.as_bytes());
        None
    }
}

pub fn tool(variable: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(variable) {
        let path = PathBuf::from(path);
        assert!(
            path.is_file(),
            "{variable}={} is not a file",
            path.display()
        );
        return Some(path);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// A fresh directory for Chromium's profile, the env file and the logs; removed on drop.
pub struct Scratch {
    pub path: PathBuf,
}

impl Scratch {
    pub fn new() -> Scratch {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let path =
            std::env::temp_dir().join(format!("cors-browser-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&path).unwrap();
        Scratch { path }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// A child process in its own process group; the whole group is stopped on drop.
pub struct Process {
    pub name: &'static str,
    pub child: Child,
    pub log: PathBuf,
}

impl Process {
    pub fn spawn(name: &'static str, command: &mut Command, log: &Path) -> Process {
        let out = File::create(log).unwrap();
        let child = command
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .process_group(0)
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {name}: {error}"));
        Process {
            name,
            child,
            log: log.to_path_buf(),
        }
    }

    /// Fails the test, with the end of the log, when the process has exited.
    pub fn assert_running(&mut self) {
        if let Ok(Some(status)) = self.child.try_wait() {
            panic!("{} exited ({status}):\n{}", self.name, log_tail(&self.log));
        }
    }

    fn signal_group(&self, signal: libc::c_int) {
        let group = libc::pid_t::try_from(self.child.id()).expect("a pid");
        // SAFETY: kill(2) with a negative pid signals the process group this test created.
        unsafe {
            libc::kill(-group, signal);
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.signal_group(libc::SIGTERM);
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline && matches!(self.child.try_wait(), Ok(None)) {
            std::thread::sleep(Duration::from_millis(50));
        }
        // Whatever is left of the group (a function `cargo run` started, a renderer).
        self.signal_group(libc::SIGKILL);
        let _ = self.child.wait();
    }
}

pub fn log_tail(path: &Path) -> String {
    let mut text = String::new();
    if let Ok(mut file) = File::open(path) {
        let _ = file.read_to_string(&mut text);
    }
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(40)..].join("\n")
}

/// The WebDriver session, and Chromium's profile directory: on drop, any process still using that
/// profile (Chromium and its helpers, should chromedriver not have stopped them) is killed.
pub struct Browser {
    pub client: Client,
    pub profile: PathBuf,
}

impl Browser {
    /// A WebDriver session with Chromium's console log on, and with `network_log` its network
    /// events too (the `performance` log, without page events).
    pub async fn connect(
        driver_port: u16,
        tools: &Tools,
        scratch: &Scratch,
        network_log: bool,
    ) -> Browser {
        let profile = scratch.path.join("profile");
        let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|f| (*f).to_owned()).collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        let mut capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": tools.chromium, "args": args },
            "goog:loggingPrefs": { "browser": "ALL" },
        });
        if network_log {
            capabilities["goog:chromeOptions"]["perfLoggingPrefs"] =
                json!({ "enableNetwork": true, "enablePage": false });
            capabilities["goog:loggingPrefs"]["performance"] = json!("ALL");
        }
        let serde_json::Value::Object(capabilities) = capabilities else {
            unreachable!()
        };
        let connecting =
            ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(capabilities)
                .connect(&format!("http://127.0.0.1:{driver_port}"))
                .await;
        let client = match connecting {
            Ok(client) => client,
            Err(error) => panic!("chromedriver could not start Chromium: {error}"),
        };
        let browser = Browser { client, profile };
        let timeouts = TimeoutConfiguration::new(
            Some(Duration::from_secs(30)),
            Some(Duration::from_secs(30)),
            Some(Duration::ZERO),
        );
        bounded("setting timeouts", browser.client.update_timeouts(timeouts)).await;
        browser
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let marker = format!("--user-data-dir={}", self.profile.display());
        let Ok(entries) = std::fs::read_dir("/proc") else {
            return;
        };
        for entry in entries.flatten() {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|p| p.parse::<i32>().ok())
            else {
                continue;
            };
            let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else {
                continue;
            };
            if cmdline
                .split(|b| *b == 0)
                .any(|arg| arg == marker.as_bytes())
            {
                // SAFETY: kill(2) on a process running with this test's own Chromium profile.
                unsafe {
                    libc::kill(pid, libc::SIGKILL);
                }
            }
        }
    }
}

/// Awaits `future` for at most `COMMAND_WAIT`; a WebDriver error or the timeout fails the test.
pub async fn bounded<T, E: std::fmt::Display>(
    what: &str,
    future: impl std::future::Future<Output = Result<T, E>>,
) -> T {
    match tokio::time::timeout(COMMAND_WAIT + RUN_ALL_WAIT, future).await {
        Ok(Ok(value)) => value,
        Ok(Err(error)) => panic!("{what}: {error}"),
        Err(_) => panic!("{what}: no answer within {:?}", COMMAND_WAIT + RUN_ALL_WAIT),
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free loopback port")
}

pub async fn wait_for_chromedriver(port: u16, chromedriver: &mut Process) {
    let deadline = Instant::now() + START_WAIT;
    loop {
        chromedriver.assert_running();
        if let Ok(response) = http_get(port, "/status", &[], Duration::from_secs(5)).await
            && response.status == 200
            && response.body.contains("\"ready\":true")
        {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "chromedriver not ready within {START_WAIT:?}:\n{}",
            log_tail(&chromedriver.log)
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Calls `path` until the function answers (it is built on its first call), within `BUILD_WAIT`.
pub async fn wait_for_http(
    port: u16,
    path: &str,
    headers: &[(&str, &str)],
    server: &mut Process,
) -> HttpResponse {
    let deadline = Instant::now() + BUILD_WAIT;
    loop {
        server.assert_running();
        let log = log_tail(&server.log);
        assert!(
            !log.contains("error: could not compile"),
            "the example bins do not compile:\n{log}"
        );
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(
            !left.is_zero(),
            "{path} did not answer within {BUILD_WAIT:?}:\n{}",
            log_tail(&server.log)
        );
        // A call made while the function builds waits for the build; one made when the build
        // failed never gets an answer: ask again every 30s, and read the log in between.
        match http_get(port, path, headers, left.min(Duration::from_secs(30))).await {
            // While the function builds, the emulator may answer with an error of its own.
            Ok(response) if response.status < 500 => return response,
            _ => tokio::time::sleep(Duration::from_millis(500)).await,
        }
    }
}

#[derive(Debug)]
pub struct HttpResponse {
    pub status: u16,
    pub head: String,
    pub body: String,
}

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim().eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }
}

/// A plain HTTP/1.1 GET to 127.0.0.1, read to the end, within `wait`.
pub async fn http_get(
    port: u16,
    path: &str,
    headers: &[(&str, &str)],
    wait: Duration,
) -> std::io::Result<HttpResponse> {
    let exchange = async {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).await?;
        let mut request =
            format!("GET {path} HTTP/1.1\r\nhost: 127.0.0.1:{port}\r\nconnection: close\r\n");
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str("\r\n");
        stream.write_all(request.as_bytes()).await?;
        // Read to the end of the body: chromedriver keeps the connection open despite `close`.
        let mut raw = Vec::new();
        let mut buffer = [0; 8192];
        loop {
            let n = stream.read(&mut buffer).await?;
            raw.extend_from_slice(&buffer[..n]);
            if n == 0 || complete(&raw) {
                break;
            }
        }
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| std::io::Error::other(format!("not an HTTP response: {text:?}")))?;
        Ok(HttpResponse {
            status,
            head: head.to_owned(),
            body: body.to_owned(),
        })
    };
    tokio::time::timeout(wait, exchange)
        .await
        .unwrap_or_else(|_| Err(std::io::Error::other("timed out")))
}

/// Whether `raw` holds a whole response with a `content-length` (else: read to the end).
fn complete(raw: &[u8]) -> bool {
    let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
        return false;
    };
    let head = String::from_utf8_lossy(&raw[..end]);
    let length = head.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("content-length")
            .then(|| value.trim().parse::<usize>().ok())?
    });
    length.is_some_and(|length| raw.len() >= end + 4 + length)
}

/// Serves the files of one directory on a loopback port, until dropped.
pub struct StaticServer {
    pub port: u16,
    task: tokio::task::JoinHandle<()>,
}

impl StaticServer {
    pub async fn start(root: PathBuf) -> StaticServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let root = root.clone();
                tokio::spawn(async move {
                    let _ = tokio::time::timeout(COMMAND_WAIT, serve_file(stream, &root)).await;
                });
            }
        });
        StaticServer { port, task }
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve_file(mut stream: TcpStream, root: &Path) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut buffer = [0; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 65536 {
        let n = stream.read(&mut buffer).await?;
        if n == 0 {
            return Ok(());
        }
        head.extend_from_slice(&buffer[..n]);
    }
    let head = String::from_utf8_lossy(&head);
    let target = head.split(' ').nth(1).unwrap_or("/");
    let path = target.split('?').next().unwrap_or("/");
    let path = if path == "/" { "/index.html" } else { path };
    let safe = path
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"/._-".contains(&b))
        && !path.contains("..");
    let file = if safe {
        std::fs::read(root.join(path.trim_start_matches('/'))).ok()
    } else {
        None
    };
    let content_type = match path.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    };
    let (status, content_type, body) = match file {
        Some(body) => ("200 OK", content_type, body),
        None => ("404 Not Found", "text/plain", b"not found".to_vec()),
    };
    let response = format!(
        "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\ncache-control: no-store\r\nconnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(response.as_bytes()).await?;
    stream.write_all(&body).await?;
    stream.shutdown().await
}
