//! Real Lambda binaries, run against a Lambda Runtime API served on loopback.
//!
//! [`Function::start`] spawns an executable that calls `lambda_http::run` (or `lambda_runtime::run`)
//! unmodified, with `AWS_LAMBDA_RUNTIME_API` pointing at a [`RuntimeApi`] on `127.0.0.1`.
//! [`Function::invoke`] hands it one event through `GET /2018-06-01/runtime/invocation/next` and
//! returns what it posted back to `/invocation/{id}/response` or `/invocation/{id}/error` (or to
//! `/init/error`, if it failed to start).
//!
//! The server is a minimal HTTP/1.1 implementation on `tokio::net`: request line, headers and a
//! `Content-Length` body, several requests per connection (the runtime's hyper client keeps
//! connections alive). Every wait is bounded: by [`INVOKE_TIMEOUT`] for an invocation, by the
//! [`RuntimeApi`]'s lifetime for its tasks (dropping it aborts them) and by the [`Function`]'s for
//! the process (dropping it kills the process).

use std::collections::BTreeMap;
use std::fmt;
use std::io::{self, Read};
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::task::{JoinHandle, JoinSet};

/// How long one invocation may take, from queueing the event to the function's post.
pub const INVOKE_TIMEOUT: Duration = Duration::from_secs(20);

/// The path every Runtime API endpoint starts with.
const RUNTIME: &str = "/2018-06-01/runtime";
/// Largest request head (request line and headers) the server reads.
const MAX_HEAD: usize = 64 * 1024;
/// Largest request body the server reads (Lambda's own limit for a synchronous response is 6 MB).
const MAX_BODY: usize = 8 * 1024 * 1024;

/// The Runtime API endpoint a function posted to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// `POST /2018-06-01/runtime/invocation/{id}/response`: the function's result.
    Response,
    /// `POST /2018-06-01/runtime/invocation/{id}/error`: the invocation failed. API Gateway answers
    /// the client `502 {"message":"Internal server error"}`, without any header of the function's.
    Error,
    /// `POST /2018-06-01/runtime/init/error`: the function failed before taking an event.
    InitError,
}

/// One `POST` a function made to the Runtime API.
#[derive(Debug, Clone)]
pub struct Post {
    /// Where it posted.
    pub endpoint: Endpoint,
    /// The request id in the path (`None` for `/init/error`).
    pub request_id: Option<String>,
    /// The request's headers, names lower-cased, in order.
    pub headers: Vec<(String, String)>,
    /// The request's body.
    pub body: Vec<u8>,
}

impl Post {
    /// The body as JSON (what the Runtime API receives is always JSON).
    pub fn json(&self) -> Result<Value, String> {
        serde_json::from_slice(&self.body).map_err(|error| {
            format!(
                "the {:?} post is not JSON ({error}): {}",
                self.endpoint,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// The value of the request header `name` (lower-case), if it was sent once.
    pub fn header(&self, name: &str) -> Option<&str> {
        let mut values = self.headers.iter().filter(|(n, _)| n == name);
        let (_, value) = values.next()?;
        values.next().is_none().then_some(value.as_str())
    }
}

/// What the server tells the waiting test.
#[derive(Debug)]
enum Report {
    Post(Post),
    /// The function spoke something the server does not understand.
    Protocol(String),
}

/// An event waiting for the function's next `GET .../invocation/next`.
#[derive(Debug)]
struct Queued {
    request_id: String,
    body: Vec<u8>,
}

/// A Lambda Runtime API on `127.0.0.1` and an ephemeral port.
///
/// Events queued with [`queue`](Self::queue) are handed out one per `GET .../invocation/next` (a
/// call waits, as with the real service, until there is one). Posts are reported in order.
pub struct RuntimeApi {
    address: SocketAddr,
    events: mpsc::UnboundedSender<Queued>,
    reports: mpsc::UnboundedReceiver<Report>,
    server: JoinHandle<()>,
}

impl RuntimeApi {
    /// Starts serving on the current tokio runtime.
    pub async fn start() -> io::Result<Self> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let address = listener.local_addr()?;
        let (events, events_rx) = mpsc::unbounded_channel();
        let (reports_tx, reports) = mpsc::unbounded_channel();
        let events_rx = Arc::new(tokio::sync::Mutex::new(events_rx));
        let server = tokio::spawn(serve(listener, events_rx, reports_tx));
        Ok(Self {
            address,
            events,
            reports,
            server,
        })
    }

    /// `127.0.0.1:PORT`, the form `AWS_LAMBDA_RUNTIME_API` takes.
    pub fn address(&self) -> String {
        self.address.to_string()
    }

    /// Queues `event` as the invocation `request_id`.
    pub fn queue(&self, request_id: &str, event: Vec<u8>) {
        // The receiver lives in the server task, which only ends when `self` is dropped.
        let _ = self.events.send(Queued {
            request_id: request_id.to_owned(),
            body: event,
        });
    }

    /// The next post, waiting at most `wait`; `Ok(None)` when nothing came in that time.
    async fn next_post(&mut self, wait: Duration) -> Result<Option<Post>, String> {
        match tokio::time::timeout(wait, self.reports.recv()).await {
            Err(_elapsed) => Ok(None),
            Ok(Some(Report::Post(post))) => Ok(Some(post)),
            Ok(Some(Report::Protocol(problem))) => Err(problem),
            Ok(None) => Err("the Runtime API server stopped".to_owned()),
        }
    }
}

impl Drop for RuntimeApi {
    fn drop(&mut self) {
        // Ends the accept loop; its `JoinSet` then aborts every connection task.
        self.server.abort();
    }
}

impl fmt::Debug for RuntimeApi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RuntimeApi")
            .field("address", &self.address)
            .finish_non_exhaustive()
    }
}

type Events = Arc<tokio::sync::Mutex<mpsc::UnboundedReceiver<Queued>>>;

/// Accepts connections until the task is aborted.
async fn serve(listener: TcpListener, events: Events, reports: mpsc::UnboundedSender<Report>) {
    let mut connections = JoinSet::new();
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(error) => {
                let _ = reports.send(Report::Protocol(format!("accept failed: {error}")));
                return;
            }
        };
        while connections.try_join_next().is_some() {}
        if !peer.ip().is_loopback() {
            continue;
        }
        connections.spawn(connection(stream, events.clone(), reports.clone()));
    }
}

/// One parsed request.
struct HttpRequest {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl HttpRequest {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Serves the requests of one connection, one after the other.
async fn connection(mut stream: TcpStream, events: Events, reports: mpsc::UnboundedSender<Report>) {
    let mut buffer = Vec::new();
    loop {
        let request = match read_request(&mut stream, &mut buffer).await {
            Ok(Some(request)) => request,
            Ok(None) => return,
            Err(problem) => {
                let _ = reports.send(Report::Protocol(problem));
                let _ = write_response(&mut stream, 400, &[], b"").await;
                return;
            }
        };
        let close = request
            .header("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"));
        let (status, headers, body) = route(request, &events, &reports).await;
        if write_response(&mut stream, status, &headers, &body)
            .await
            .is_err()
            || close
        {
            return;
        }
    }
}

/// Reads one request; `Ok(None)` when the peer closed the connection between requests.
async fn read_request(
    stream: &mut TcpStream,
    buffer: &mut Vec<u8>,
) -> Result<Option<HttpRequest>, String> {
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        if buffer.len() > MAX_HEAD {
            return Err(format!("request head longer than {MAX_HEAD} bytes"));
        }
        if read_more(stream, buffer).await? == 0 {
            return if buffer.is_empty() {
                Ok(None)
            } else {
                Err("connection closed in the middle of a request head".to_owned())
            };
        }
    };
    let head = std::str::from_utf8(&buffer[..head_end])
        .map_err(|_| "request head is not UTF-8".to_owned())?;
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    let (Some(method), Some(path), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(format!("malformed request line {request_line:?}"));
    };
    if version != "HTTP/1.1" {
        return Err(format!("unsupported HTTP version in {request_line:?}"));
    }
    let mut headers = Vec::new();
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            return Err(format!("malformed header line {line:?}"));
        };
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let mut request = HttpRequest {
        method: method.to_owned(),
        path: path.to_owned(),
        headers,
        body: Vec::new(),
    };
    let (method, path) = (&request.method, &request.path);
    if request.header("transfer-encoding").is_some() {
        return Err(format!(
            "{method} {path}: Transfer-Encoding is not supported by this test server"
        ));
    }
    let length = match request.header("content-length") {
        None => 0,
        Some(value) => value
            .parse::<usize>()
            .map_err(|_| format!("{method} {path}: bad Content-Length {value:?}"))?,
    };
    if length > MAX_BODY {
        return Err(format!(
            "{method} {path}: body of {length} bytes is too large"
        ));
    }
    let body_start = head_end + 4;
    while buffer.len() < body_start + length {
        if read_more(stream, buffer).await? == 0 {
            return Err(format!("{method} {path}: connection closed in the body"));
        }
    }
    request.body = buffer[body_start..body_start + length].to_vec();
    buffer.drain(..body_start + length);
    Ok(Some(request))
}

async fn read_more(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Result<usize, String> {
    let mut chunk = [0u8; 16 * 1024];
    let read = stream
        .read(&mut chunk)
        .await
        .map_err(|error| format!("reading a request failed: {error}"))?;
    buffer.extend_from_slice(&chunk[..read]);
    Ok(read)
}

async fn write_response(
    stream: &mut TcpStream,
    status: u16,
    headers: &[(&str, String)],
    body: &[u8],
) -> io::Result<()> {
    let reason = match status {
        200 => "OK",
        202 => "Accepted",
        400 => "Bad Request",
        404 => "Not Found",
        _ => "Internal Server Error",
    };
    let mut response = format!("HTTP/1.1 {status} {reason}\r\n");
    for (name, value) in headers {
        response.push_str(&format!("{name}: {value}\r\n"));
    }
    response.push_str(&format!(
        "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    ));
    let mut bytes = response.into_bytes();
    bytes.extend_from_slice(body);
    stream.write_all(&bytes).await?;
    stream.flush().await
}

/// Answers one request of the Runtime API.
async fn route(
    request: HttpRequest,
    events: &Events,
    reports: &mpsc::UnboundedSender<Report>,
) -> (u16, Vec<(&'static str, String)>, Vec<u8>) {
    const ACCEPTED: &[u8] = br#"{"status":"OK"}"#;
    let path = request.path.strip_prefix(RUNTIME).unwrap_or_default();
    match (request.method.as_str(), path) {
        ("GET", "/invocation/next") => {
            // Waits for an event like the real service does: bounded by the server's lifetime.
            let next = events.lock().await.recv().await;
            let Some(Queued { request_id, body }) = next else {
                return (500, Vec::new(), b"{}".to_vec());
            };
            let deadline = SystemTime::now() + INVOKE_TIMEOUT;
            let deadline_ms = deadline
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_millis());
            let headers = vec![
                ("Lambda-Runtime-Aws-Request-Id", request_id.clone()),
                ("Lambda-Runtime-Deadline-Ms", deadline_ms.to_string()),
                (
                    "Lambda-Runtime-Invoked-Function-Arn",
                    "arn:aws:lambda:us-east-1:123456789012:function:cors-test".to_owned(),
                ),
                (
                    "Lambda-Runtime-Trace-Id",
                    format!(
                        "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0;Lineage=1:{request_id}:0"
                    ),
                ),
            ];
            (200, headers, body)
        }
        ("POST", "/init/error") => {
            let _ = reports.send(Report::Post(Post {
                endpoint: Endpoint::InitError,
                request_id: None,
                headers: request.headers,
                body: request.body,
            }));
            (202, Vec::new(), ACCEPTED.to_vec())
        }
        ("POST", invocation) => {
            let parsed = invocation
                .strip_prefix("/invocation/")
                .and_then(|rest| rest.split_once('/'))
                .and_then(|(id, what)| match what {
                    "response" => Some((id, Endpoint::Response)),
                    "error" => Some((id, Endpoint::Error)),
                    _ => None,
                });
            let Some((id, endpoint)) = parsed else {
                let _ = reports.send(Report::Protocol(format!(
                    "unexpected request POST {}",
                    request.path
                )));
                return (404, Vec::new(), b"{}".to_vec());
            };
            let _ = reports.send(Report::Post(Post {
                endpoint,
                request_id: Some(id.to_owned()),
                headers: request.headers,
                body: request.body,
            }));
            (202, Vec::new(), ACCEPTED.to_vec())
        }
        _ => {
            let _ = reports.send(Report::Protocol(format!(
                "unexpected request {} {}",
                request.method, request.path
            )));
            (404, Vec::new(), b"{}".to_vec())
        }
    }
}

/// A Lambda function: a process running `executable`, polling its own [`RuntimeApi`].
///
/// Dropping it kills the process.
pub struct Function {
    name: String,
    api: RuntimeApi,
    child: Child,
    output: Arc<Mutex<String>>,
    invocations: u64,
}

impl Function {
    /// Starts `executable` with the environment the Lambda service provides (function name,
    /// memory size, version, log group and stream, region, `AWS_LAMBDA_RUNTIME_API`) and `env`.
    pub async fn start(executable: &Path, env: &[(&str, &str)]) -> io::Result<Self> {
        let api = RuntimeApi::start().await?;
        let name = executable
            .file_name()
            .map_or_else(|| "function".into(), |n| n.to_string_lossy().into_owned());
        let mut command = Command::new(executable);
        command
            .env("AWS_LAMBDA_RUNTIME_API", api.address())
            .env("AWS_LAMBDA_FUNCTION_NAME", &name)
            .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
            .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
            .env("AWS_LAMBDA_LOG_GROUP_NAME", format!("/aws/lambda/{name}"))
            .env(
                "AWS_LAMBDA_LOG_STREAM_NAME",
                "2026/11/25/[$LATEST]0123456789abcdef0123456789abcdef",
            )
            .env("AWS_REGION", "us-east-1")
            .env("AWS_DEFAULT_REGION", "us-east-1")
            .env("AWS_EXECUTION_ENV", "AWS_Lambda_rust")
            .env("RUST_BACKTRACE", "0")
            // What the test's own environment might hold and would change the function's behaviour.
            .env_remove("AWS_LAMBDA_MAX_CONCURRENCY")
            .env_remove("AWS_LAMBDA_INITIALIZATION_TYPE")
            .env_remove("AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH")
            .env_remove("AWS_LAMBDA_LOG_FORMAT")
            .env_remove("AWS_LAMBDA_LOG_LEVEL")
            .env_remove("RUST_LOG")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command.spawn()?;
        let output = Arc::new(Mutex::new(String::new()));
        // The threads end when the process does (its pipes close).
        if let Some(stdout) = child.stdout.take() {
            collect(stdout, output.clone());
        }
        if let Some(stderr) = child.stderr.take() {
            collect(stderr, output.clone());
        }
        Ok(Self {
            name,
            api,
            child,
            output,
            invocations: 0,
        })
    }

    /// Sends `event` as the next invocation and returns the function's post for it (to
    /// `/response` or `/error`). Fails on a post for another invocation, on `/init/error`, when
    /// the process exits and after [`INVOKE_TIMEOUT`].
    pub async fn invoke(&mut self, event: &Value) -> Result<Post, String> {
        self.invocations += 1;
        let request_id = format!(
            "{:08x}-cafe-4000-8000-{:012x}",
            std::process::id(),
            self.invocations
        );
        let body = serde_json::to_vec(event).map_err(|e| e.to_string())?;
        self.api.queue(&request_id, body);
        let deadline = Instant::now() + INVOKE_TIMEOUT;
        loop {
            let post = self
                .api
                .next_post(Duration::from_millis(100))
                .await
                .map_err(|problem| self.failure(&problem))?;
            match post {
                Some(post) if post.request_id.as_deref() == Some(request_id.as_str()) => {
                    return Ok(post);
                }
                Some(post) => {
                    return Err(self.failure(&format!(
                        "expected a post for invocation {request_id}, got {:?} for {:?}: {}",
                        post.endpoint,
                        post.request_id,
                        String::from_utf8_lossy(&post.body)
                    )));
                }
                None => {}
            }
            if let Some(status) = self.exited() {
                return Err(self.failure(&format!("the process exited ({status})")));
            }
            if Instant::now() >= deadline {
                return Err(self.failure(&format!(
                    "no post for invocation {request_id} within {INVOKE_TIMEOUT:?}"
                )));
            }
        }
    }

    /// Everything the process wrote to stdout and stderr so far.
    pub fn output(&self) -> String {
        self.output.lock().map(|o| o.clone()).unwrap_or_default()
    }

    /// Waits (at most five seconds) until a line of the process's output satisfies `wanted`, and
    /// returns that line: lines are read by other threads, a little after the process wrote them.
    /// `what` describes the line for the error.
    pub async fn output_line(
        &self,
        what: &str,
        wanted: impl Fn(&str) -> bool,
    ) -> Result<String, String> {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let output = self.output();
            // Only complete lines: the last one may still be written.
            let complete = output.rsplit_once('\n').map_or("", |(lines, _)| lines);
            if let Some(line) = complete.lines().find(|line| wanted(line)) {
                return Ok(line.to_owned());
            }
            if Instant::now() >= deadline {
                return Err(format!(
                    "{}: no line of its output is {what}:\n{output}",
                    self.name
                ));
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The executable's file name.
    pub fn name(&self) -> &str {
        &self.name
    }

    fn exited(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    fn failure(&self, problem: &str) -> String {
        format!(
            "{}: {problem}\n--- output of {} ---\n{}",
            self.name,
            self.name,
            self.output()
        )
    }
}

impl Drop for Function {
    fn drop(&mut self) {
        let _ = self.child.kill();
        // Reaps the process; after a kill this returns at once.
        let _ = self.child.wait();
    }
}

impl fmt::Debug for Function {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Function")
            .field("name", &self.name)
            .field("api", &self.api)
            .field("pid", &self.child.id())
            .finish_non_exhaustive()
    }
}

/// Appends everything `pipe` yields to `output`, on a thread that ends with the pipe.
fn collect(mut pipe: impl Read + Send + 'static, output: Arc<Mutex<String>>) {
    thread::spawn(move || {
        let mut chunk = [0u8; 8 * 1024];
        while let Ok(read) = pipe.read(&mut chunk) {
            if read == 0 {
                break;
            }
            if let Ok(mut output) = output.lock() {
                output.push_str(&String::from_utf8_lossy(&chunk[..read]));
            }
        }
    });
}

/// Builds every binary of the workspace package `package` with `cargo build` (waiting at most
/// `timeout`) and returns each binary's name with the path of its executable, hard-linked (or
/// copied) into a directory of this process under `private_root`: a concurrent build that replaces
/// `target/debug/<bin>` then cannot pull an executable away from under a running test.
///
/// Cargo comes from `$CARGO` (set by `cargo test`), the workspace is the one of this crate.
pub fn build_binaries(
    package: &str,
    timeout: Duration,
    private_root: &Path,
) -> Result<BTreeMap<String, PathBuf>, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut child = Command::new(&cargo)
        .args(["build", "--package", package, "--bins"])
        .arg("--message-format=json-render-diagnostics")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {cargo:?}: {e}"))?;
    let stdout = Arc::new(Mutex::new(String::new()));
    let stderr = Arc::new(Mutex::new(String::new()));
    if let Some(pipe) = child.stdout.take() {
        collect(pipe, stdout.clone());
    }
    if let Some(pipe) = child.stderr.take() {
        collect(pipe, stderr.clone());
    }
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(100)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "cargo build -p {package} took longer than {timeout:?}"
                ));
            }
            Err(error) => return Err(format!("waiting for cargo failed: {error}")),
        }
    };
    // The pipes close when cargo exits; give the reader threads a moment to drain them.
    let drained = Instant::now() + Duration::from_secs(5);
    let mut binaries = BTreeMap::new();
    let mut finished = false;
    while !finished && Instant::now() < drained {
        let text = stdout.lock().map(|s| s.clone()).unwrap_or_default();
        binaries.clear();
        for line in text.lines() {
            let Ok(message) = serde_json::from_str::<Value>(line) else {
                continue;
            };
            finished |= message["reason"] == "build-finished";
            let is_bin = message["target"]["kind"]
                .as_array()
                .is_some_and(|kinds| kinds.iter().any(|k| k == "bin"));
            if message["reason"] == "compiler-artifact"
                && is_bin
                && let (Some(name), Some(executable)) = (
                    message["target"]["name"].as_str(),
                    message["executable"].as_str(),
                )
            {
                binaries.insert(name.to_owned(), PathBuf::from(executable));
            }
        }
        if !finished {
            thread::sleep(Duration::from_millis(20));
        }
    }
    if !status.success() || !finished {
        let stderr = stderr.lock().map(|s| s.clone()).unwrap_or_default();
        return Err(format!(
            "cargo build -p {package} failed ({status}):\n{stderr}"
        ));
    }
    link_privately(binaries, private_root)
}

/// Hard-links (or copies) each executable into `root/<this process id>`, removing the
/// directories of processes that no longer run.
fn link_privately(
    binaries: BTreeMap<String, PathBuf>,
    root: &Path,
) -> Result<BTreeMap<String, PathBuf>, String> {
    let problem =
        |what: &str, path: &Path, error: io::Error| format!("{what} {}: {error}", path.display());
    if let Ok(entries) = std::fs::read_dir(root) {
        for entry in entries.flatten() {
            let stale = entry
                .file_name()
                .to_str()
                .and_then(|name| name.parse::<u32>().ok())
                .is_some_and(|pid| {
                    Path::new("/proc/self").exists() && !Path::new(&format!("/proc/{pid}")).exists()
                });
            if stale {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
    let dir = root.join(std::process::id().to_string());
    std::fs::create_dir_all(&dir).map_err(|e| problem("cannot create", &dir, e))?;
    let mut linked = BTreeMap::new();
    for (name, executable) in binaries {
        let Some(file_name) = executable.file_name() else {
            return Err(format!("{} has no file name", executable.display()));
        };
        let private = dir.join(file_name);
        let _ = std::fs::remove_file(&private);
        if std::fs::hard_link(&executable, &private).is_err() {
            std::fs::copy(&executable, &private)
                .map_err(|e| problem("cannot copy", &executable, e))?;
        }
        linked.insert(name, private);
    }
    Ok(linked)
}
