//! Real Lambda binaries, run against a Lambda Runtime API served on loopback.
//!
//! [`Function::start`] spawns an executable that calls `lambda_http::run` (or `lambda_runtime::run`,
//! or `lambda_http::run_with_streaming_response`) unmodified, with `AWS_LAMBDA_RUNTIME_API`
//! pointing at a [`RuntimeApi`] on `127.0.0.1`. [`Function::invoke`] hands it one event through
//! `GET /2018-06-01/runtime/invocation/next` and returns what it posted back to
//! `/invocation/{id}/response` or `/invocation/{id}/error` (or to `/init/error`, if it failed to
//! start).
//!
//! The server is a minimal HTTP/1.1 implementation on `tokio::net`: request line, headers and a
//! body framed by `Content-Length` or by `Transfer-Encoding: chunked` (chunk sizes, chunk
//! extensions and trailer fields), several requests per connection (the runtime's hyper client
//! keeps connections alive). Every wait is bounded: by [`INVOKE_TIMEOUT`] for an invocation and
//! for reading one request once its first byte came, by [`MAX_HEAD`] and [`MAX_BODY`] for what
//! one request may hold, by the [`RuntimeApi`]'s lifetime for its tasks (dropping it aborts them)
//! and by the [`Function`]'s for the process (dropping it kills the process). A request the server
//! cannot parse (a malformed chunk size, a chunk without its CRLF, a connection closed in the
//! middle) is answered `400`, its connection closed, and the waiting [`Function::invoke`] fails
//! with the reason.
//!
//! # Why the HTTP framing is written by hand
//!
//! hyper is in the tree, and its server would read these requests with less code. It is not used
//! because seeing the raw framing is what the streaming tests assert: hyper's server hands a
//! handler the decoded body (chunk boundaries, chunk extensions and arrival times gone; trailers
//! only as a separate frame after the data), while these tests check that the function sent each
//! piece of its body as a chunk of its own when it was produced ([`Chunk::arrived`],
//! [`Streamed::gaps`]), which of the two ways a mid-stream failure came (the trailers the Runtime
//! API documents, or lambda_runtime 1.5's error text inside a data chunk), and that a malformed
//! chunk is refused with its reason. The framing code is kept to that: request line, headers,
//! `Content-Length` or chunked bodies, keep-alive. The base64 of the error body is decoded by the
//! `base64` crate ([`StreamError::message`]).
//!
//! # Streamed responses
//!
//! A function run by `lambda_http::run_with_streaming_response` (lambda_runtime 1.5) posts its
//! response to `/invocation/{id}/response` with `Transfer-Encoding: chunked`,
//! `Lambda-Runtime-Function-Response-Mode: streaming`, `Content-Type:
//! application/vnd.awslambda.http-integration-response` and
//! `Trailer: Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body`. Its body is
//! a JSON prelude (`{"statusCode":200,"headers":{...},"cookies":[...]}`: a header with one value
//! maps to a string, a repeated one to an array, `set-cookie` goes to `cookies`, the content type
//! defaults to `application/octet-stream`; no `multiValueHeaders`), eight NUL bytes, then each
//! piece of the handler's body as it is produced, one HTTP chunk per piece (the prelude and the
//! NULs are chunks of their own).
//!
//! - [`Post::chunked`] holds the HTTP framing of a chunked post: each [`Chunk`] with its
//!   extensions and the [`Instant`] it arrived at, and the trailer fields ([`Post::trailer`]).
//!   [`Post::body`] is the decoded body either way, [`Post::completed`] when the request had been
//!   read in full.
//! - [`Post::is_streamed`] tells whether the post carried the streaming mode header;
//!   [`Post::streamed`] splits its body into a [`Streamed`]: the prelude as JSON, the body after
//!   the NULs, that body cut where its chunks were cut ([`Streamed::chunks`], each with its
//!   arrival, so that [`Streamed::gaps`] shows a handler's pauses) and a mid-stream failure
//!   ([`StreamError`]).
//! - [`Function::invoke_streamed`] invokes and insists on a streamed response.
//!
//! A mid-stream failure is documented by the Runtime API as the trailers
//! `Lambda-Runtime-Function-Error-Type` and `Lambda-Runtime-Function-Error-Body` (base64). But
//! lambda_runtime 1.5.0 (`requests.rs`, `ToStreamErrorTrailer` in `types.rs`) declares them in
//! `Trailer` and never sends them as trailers: it writes their text,
//! `Lambda-Runtime-Function-Error-Type: Runtime.StreamError\r\nLambda-Runtime-Function-Error-Body:
//! <base64>\r\n`, as one more data chunk of the body, goes on with whatever the body yields next
//! and ends the request normally. [`StreamError::delivery`] says which of the two was seen; with
//! [`ErrorDelivery::InBody`] that text is part of [`Streamed::body`], as sent.
//!
//! The server answers a post (`202`) once it has read all of it: a test sees a streamed post when
//! the stream has ended, and tells how it was paced by the arrival times.
//!
//! ```no_run
//! # use std::{path::Path, time::Duration};
//! # use cors_tests::runtime_api::Function;
//! # #[tokio::main]
//! # async fn main() -> Result<(), String> {
//! # let (executable, event) = (Path::new("target/debug/streaming"), serde_json::json!({}));
//! let mut function = Function::start(executable, &[]).await.map_err(|e| e.to_string())?;
//! let (post, streamed) = function.invoke_streamed(&event).await?;
//! assert_eq!(post.header("transfer-encoding"), Some("chunked"));
//! assert_eq!(streamed.status(), Some(200));
//! assert_eq!(streamed.header("content-type"), Some("text/plain"));
//! assert!(streamed.gaps().iter().all(|gap| *gap >= Duration::from_millis(100)));
//! assert!(streamed.error.is_none(), "{:?}", streamed.error);
//! # Ok(())
//! # }
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::io::{self, Read};
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::task::{JoinHandle, JoinSet};

/// How long one invocation may take, from queueing the event to the function's post; also how
/// long the server waits for the rest of a request once its first byte came.
pub const INVOKE_TIMEOUT: Duration = Duration::from_secs(20);

/// The path every Runtime API endpoint starts with.
const RUNTIME: &str = "/2018-06-01/runtime";
/// Largest request head (request line and headers) the server reads, and largest trailer section.
pub const MAX_HEAD: usize = 64 * 1024;
/// Largest request body the server reads, chunked or not (Lambda's own limits are 6 MB for a
/// buffered response and 20 MiB for a streamed one; the tests' stay far below).
pub const MAX_BODY: usize = 8 * 1024 * 1024;
/// Largest chunk-size line (size, extensions, CRLF) of a chunked body.
const MAX_CHUNK_LINE: usize = 4 * 1024;
/// The header that marks a streamed response, and its value.
const RESPONSE_MODE: (&str, &str) = ("lambda-runtime-function-response-mode", "streaming");
/// The fields that report a mid-stream failure (as trailers, or inline with lambda_runtime 1.5).
const ERROR_TYPE: &str = "Lambda-Runtime-Function-Error-Type";
const ERROR_BODY: &str = "Lambda-Runtime-Function-Error-Body";

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
    /// The request's body (decoded, when it came chunked).
    pub body: Vec<u8>,
    /// The chunks and trailers of a `Transfer-Encoding: chunked` body; `None` for a body framed
    /// by `Content-Length` (or for none).
    pub chunked: Option<Chunked>,
    /// When the server had read the whole request, trailers included.
    pub completed: Instant,
}

/// The framing of a `Transfer-Encoding: chunked` request body, as it came off the socket.
#[derive(Debug, Clone)]
pub struct Chunked {
    /// When the request head had been read (the chunks' arrivals count from there).
    pub head_arrived: Instant,
    /// The chunks, in order, without the zero-size last chunk (their data make up [`Post::body`]).
    pub chunks: Vec<Chunk>,
    /// The trailer fields after the last chunk, names lower-cased, in order.
    pub trailers: Vec<(String, String)>,
}

/// One chunk of a chunked body (or, in [`Streamed::chunks`], the part of one that follows the
/// prelude).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    /// Its data, never empty.
    pub data: Vec<u8>,
    /// Its chunk extensions as sent, without the first `;` (empty when there were none; hyper
    /// sends none).
    pub extensions: String,
    /// When the socket read that completed the chunk returned.
    pub arrived: Instant,
}

impl Post {
    /// The body as JSON (what the Runtime API receives is always JSON, a streamed response's
    /// prelude aside: see [`streamed`](Self::streamed)).
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
        single(&self.headers, name)
    }

    /// The value of the trailer field `name` (lower-case) of a chunked body, if it was sent once.
    pub fn trailer(&self, name: &str) -> Option<&str> {
        single(&self.chunked.as_ref()?.trailers, name)
    }

    /// Whether the post says it is a streamed response
    /// (`Lambda-Runtime-Function-Response-Mode: streaming`).
    pub fn is_streamed(&self) -> bool {
        self.header(RESPONSE_MODE.0)
            .is_some_and(|mode| mode.eq_ignore_ascii_case(RESPONSE_MODE.1))
    }

    /// Splits a streamed response into its prelude, its body and a mid-stream failure. Fails
    /// when the post is not [streamed](Self::is_streamed), lacks the eight NULs or its prelude is
    /// not JSON.
    pub fn streamed(&self) -> Result<Streamed, String> {
        let shown = || String::from_utf8_lossy(&self.body).into_owned();
        if !self.is_streamed() {
            return Err(format!(
                "the {:?} post is not a streamed response (headers {:?}): {}",
                self.endpoint,
                self.headers,
                shown()
            ));
        }
        let Some(at) = self.body.windows(8).position(|w| w == [0; 8]) else {
            return Err(format!(
                "the streamed post has no eight NULs after its prelude: {}",
                shown()
            ));
        };
        let prelude = serde_json::from_slice(&self.body[..at])
            .map_err(|error| format!("the prelude is not JSON ({error}): {}", shown()))?;
        let start = at + 8;
        let mut chunks = Vec::new();
        let mut offset = 0;
        let mut take = |data: &[u8], extensions: &str, arrived: Instant| {
            let end = offset + data.len();
            if end > start {
                chunks.push(Chunk {
                    data: data[start.saturating_sub(offset)..].to_vec(),
                    extensions: extensions.to_owned(),
                    arrived,
                });
            }
            offset = end;
        };
        match &self.chunked {
            Some(chunked) => {
                for chunk in &chunked.chunks {
                    take(&chunk.data, &chunk.extensions, chunk.arrived);
                }
            }
            None => take(&self.body, "", self.completed),
        }
        let trailed = self
            .trailer(&ERROR_TYPE.to_ascii_lowercase())
            .map(|error_type| StreamError {
                error_type: error_type.to_owned(),
                body: self
                    .trailer(&ERROR_BODY.to_ascii_lowercase())
                    .unwrap_or_default()
                    .to_owned(),
                delivery: ErrorDelivery::Trailers,
            });
        let error = trailed.or_else(|| chunks.iter().find_map(|chunk| inline_error(&chunk.data)));
        Ok(Streamed {
            prelude,
            body: self.body[start..].to_vec(),
            chunks,
            error,
        })
    }
}

/// The value of `name` in `fields`, if it is there once.
fn single<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    let mut values = fields.iter().filter(|(n, _)| n == name);
    let (_, value) = values.next()?;
    values.next().is_none().then_some(value.as_str())
}

/// The failure lambda_runtime 1.5 writes as a data chunk:
/// `Lambda-Runtime-Function-Error-Type: T\r\nLambda-Runtime-Function-Error-Body: B\r\n`.
fn inline_error(data: &[u8]) -> Option<StreamError> {
    let text = std::str::from_utf8(data).ok()?;
    let rest = text.strip_prefix(ERROR_TYPE)?.strip_prefix(": ")?;
    let (error_type, rest) = rest.split_once("\r\n")?;
    let body = rest
        .strip_prefix(ERROR_BODY)?
        .strip_prefix(": ")?
        .strip_suffix("\r\n")?;
    Some(StreamError {
        error_type: error_type.to_owned(),
        body: body.to_owned(),
        delivery: ErrorDelivery::InBody,
    })
}

/// A streamed response (`lambda_http::run_with_streaming_response`), split by [`Post::streamed`].
#[derive(Debug, Clone)]
pub struct Streamed {
    /// The JSON prelude before the eight NULs: `statusCode`, `headers` (a string per name, an
    /// array for a repeated one) and `cookies`.
    pub prelude: Value,
    /// The bytes after the eight NULs, as sent (with lambda_runtime 1.5, a mid-stream failure's
    /// text too: see [`ErrorDelivery::InBody`]).
    pub body: Vec<u8>,
    /// [`body`](Self::body) cut where the HTTP chunks were cut, each piece with the arrival of
    /// its chunk (the prelude's and the NULs' chunks, or their parts, left out). A post framed by
    /// `Content-Length` gives one piece, arrived when the post was read.
    pub chunks: Vec<Chunk>,
    /// A failure reported in mid-stream: the error trailers, or else the first chunk that holds
    /// their text.
    pub error: Option<StreamError>,
}

impl Streamed {
    /// The prelude's `statusCode`.
    pub fn status(&self) -> Option<u16> {
        self.prelude["statusCode"]
            .as_u64()
            .and_then(|status| u16::try_from(status).ok())
    }

    /// The prelude header `name` (any case), if it has a single value.
    pub fn header(&self, name: &str) -> Option<&str> {
        let headers = self.prelude["headers"].as_object()?;
        let (_, value) = headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name))?;
        value.as_str()
    }

    /// The prelude's `cookies`.
    pub fn cookies(&self) -> Vec<&str> {
        self.prelude["cookies"]
            .as_array()
            .map(|cookies| cookies.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The time between the arrivals of consecutive [`chunks`](Self::chunks).
    pub fn gaps(&self) -> Vec<Duration> {
        self.chunks
            .windows(2)
            .map(|pair| pair[1].arrived.saturating_duration_since(pair[0].arrived))
            .collect()
    }
}

/// A failure a streamed response reported after it had begun.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamError {
    /// `Lambda-Runtime-Function-Error-Type` (lambda_runtime sends `Runtime.StreamError`).
    pub error_type: String,
    /// `Lambda-Runtime-Function-Error-Body` as sent: base64 of the error's text.
    pub body: String,
    /// How it was reported.
    pub delivery: ErrorDelivery,
}

impl StreamError {
    /// [`body`](Self::body) decoded from base64 (`None` when it is not base64), invalid UTF-8
    /// replaced.
    pub fn message(&self) -> Option<String> {
        base64_decode(&self.body).map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
    }
}

/// How a [`StreamError`] reached the Runtime API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorDelivery {
    /// As HTTP trailer fields after the last chunk, as the Runtime API documents.
    Trailers,
    /// As a data chunk of the body holding the two fields' text, what lambda_runtime 1.5.0 does.
    InBody,
}

/// Standard base64, the error body's encoding: padding optional (lambda_runtime pads, a
/// hand-made trailer need not), bits after the last byte ignored.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// `text` decoded by [`BASE64`]; `None` when it is not base64.
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    BASE64.decode(text).ok()
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
        Self::start_reading_within(INVOKE_TIMEOUT).await
    }

    /// Starts serving; a request must be read in full within `read_timeout` of its first byte.
    async fn start_reading_within(read_timeout: Duration) -> io::Result<Self> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let address = listener.local_addr()?;
        let (events, events_rx) = mpsc::unbounded_channel();
        let (reports_tx, reports) = mpsc::unbounded_channel();
        let events_rx = Arc::new(tokio::sync::Mutex::new(events_rx));
        let server = tokio::spawn(serve(listener, events_rx, reports_tx, read_timeout));
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
async fn serve(
    listener: TcpListener,
    events: Events,
    reports: mpsc::UnboundedSender<Report>,
    read_timeout: Duration,
) {
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
        let input = Input {
            stream,
            buffer: Vec::new(),
            last_read: Instant::now(),
        };
        connections.spawn(connection(
            input,
            events.clone(),
            reports.clone(),
            read_timeout,
        ));
    }
}

/// One parsed request.
struct HttpRequest {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    chunked: Option<Chunked>,
    completed: Instant,
}

impl HttpRequest {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of the header `name`, joined with commas (how a repeated list header reads).
    fn list(&self, name: &str) -> Option<String> {
        let values: Vec<&str> = self
            .headers
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect();
        (!values.is_empty()).then(|| values.join(","))
    }
}

/// A connection's socket and what was read from it but not parsed yet.
struct Input {
    stream: TcpStream,
    buffer: Vec<u8>,
    /// When the last read returned. The server reads only when it needs more bytes for what it
    /// parses, so this is also when the last byte parsed so far arrived.
    last_read: Instant,
}

impl Input {
    /// Reads what the peer sent next (`Ok(0)` when it closed the connection), failing after
    /// `deadline`.
    async fn read_more(&mut self, deadline: Option<Instant>, what: &str) -> Result<usize, String> {
        let mut chunk = [0u8; 16 * 1024];
        let read = self.stream.read(&mut chunk);
        let read = match deadline {
            None => read.await,
            Some(deadline) => tokio::time::timeout_at(deadline.into(), read)
                .await
                .map_err(|_elapsed| format!("{what}: the rest did not come in time"))?,
        }
        .map_err(|error| format!("{what}: reading failed: {error}"))?;
        self.last_read = Instant::now();
        self.buffer.extend_from_slice(&chunk[..read]);
        Ok(read)
    }

    /// Reads until the buffer holds `length` bytes.
    async fn fill(&mut self, length: usize, deadline: Instant, what: &str) -> Result<(), String> {
        while self.buffer.len() < length {
            if self.read_more(Some(deadline), what).await? == 0 {
                return Err(format!("{what}: the connection closed"));
            }
        }
        Ok(())
    }

    /// Takes one line ending in CRLF (at most `limit` bytes with it) off the buffer, without the
    /// CRLF. A bare LF is refused.
    async fn line(
        &mut self,
        limit: usize,
        deadline: Instant,
        what: &str,
    ) -> Result<String, String> {
        let mut searched = 0;
        let end = loop {
            if let Some(at) = self.buffer[searched..].iter().position(|&b| b == b'\n') {
                let at = searched + at;
                if at == 0 || self.buffer[at - 1] != b'\r' {
                    return Err(format!("{what}: a line ends in a bare LF"));
                }
                break at;
            }
            searched = self.buffer.len();
            if searched > limit {
                return Err(format!("{what}: a line longer than {limit} bytes"));
            }
            if self.read_more(Some(deadline), what).await? == 0 {
                return Err(format!("{what}: the connection closed"));
            }
        };
        if end + 1 > limit {
            return Err(format!("{what}: a line longer than {limit} bytes"));
        }
        let line = String::from_utf8(self.buffer[..end - 1].to_vec())
            .map_err(|_| format!("{what}: a line is not UTF-8"))?;
        self.buffer.drain(..=end);
        Ok(line)
    }
}

/// Serves the requests of one connection, one after the other.
async fn connection(
    mut input: Input,
    events: Events,
    reports: mpsc::UnboundedSender<Report>,
    read_timeout: Duration,
) {
    loop {
        let request = match read_request(&mut input, read_timeout).await {
            Ok(Some(request)) => request,
            Ok(None) => return,
            Err(problem) => {
                let _ = reports.send(Report::Protocol(problem));
                let _ = write_response(&mut input.stream, 400, &[], b"").await;
                return;
            }
        };
        let close = request
            .header("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"));
        let (status, headers, body) = route(request, &events, &reports).await;
        if write_response(&mut input.stream, status, &headers, &body)
            .await
            .is_err()
            || close
        {
            return;
        }
    }
}

/// Reads one request; `Ok(None)` when the peer closed the connection between requests. Once the
/// request's first byte is there, the rest must come within `read_timeout`.
async fn read_request(
    input: &mut Input,
    read_timeout: Duration,
) -> Result<Option<HttpRequest>, String> {
    // Between requests a connection may idle as long as it likes.
    let mut deadline = (!input.buffer.is_empty()).then(|| Instant::now() + read_timeout);
    let head_end = loop {
        if let Some(at) = input.buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        if input.buffer.len() > MAX_HEAD {
            return Err(format!("request head longer than {MAX_HEAD} bytes"));
        }
        if input.read_more(deadline, "a request head").await? == 0 {
            return if input.buffer.is_empty() {
                Ok(None)
            } else {
                Err("connection closed in the middle of a request head".to_owned())
            };
        }
        deadline.get_or_insert_with(|| input.last_read + read_timeout);
    };
    let deadline = deadline.unwrap_or_else(|| input.last_read + read_timeout);
    let head = std::str::from_utf8(&input.buffer[..head_end])
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
        headers.push(field(line)?);
    }
    let mut request = HttpRequest {
        method: method.to_owned(),
        path: path.to_owned(),
        headers,
        body: Vec::new(),
        chunked: None,
        completed: input.last_read,
    };
    input.buffer.drain(..head_end + 4);
    let what = format!("{} {}", request.method, request.path);
    if let Some(codings) = request.list("transfer-encoding") {
        if request.header("content-length").is_some() {
            return Err(format!("{what}: both Transfer-Encoding and Content-Length"));
        }
        let codings: Vec<&str> = codings
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        if !matches!(codings[..], [coding] if coding.eq_ignore_ascii_case("chunked")) {
            return Err(format!(
                "{what}: Transfer-Encoding {codings:?} is not supported (only chunked is)"
            ));
        }
        let (body, chunked) = read_chunked(input, deadline, &what).await?;
        request.body = body;
        request.chunked = Some(chunked);
        request.completed = input.last_read;
        return Ok(Some(request));
    }
    let length = match request.list("content-length") {
        None => 0,
        Some(value) => value
            .parse::<usize>()
            .map_err(|_| format!("{what}: bad Content-Length {value:?}"))?,
    };
    if length > MAX_BODY {
        return Err(format!("{what}: body of {length} bytes is too large"));
    }
    input
        .fill(length, deadline, &format!("{what}: the body"))
        .await?;
    request.body = input.buffer.drain(..length).collect();
    request.completed = input.last_read;
    Ok(Some(request))
}

/// One `name: value` header or trailer line, the name lower-cased.
fn field(line: &str) -> Result<(String, String), String> {
    match line.split_once(':') {
        Some((name, value))
            if !name.is_empty()
                && !name.starts_with([' ', '\t'])
                && !name.ends_with([' ', '\t']) =>
        {
            Ok((name.to_ascii_lowercase(), value.trim().to_owned()))
        }
        _ => Err(format!("malformed header line {line:?}")),
    }
}

/// Reads a chunked body (RFC 9112, section 7.1): `size[;extensions]CRLF data CRLF`, repeated,
/// then `0[;extensions]CRLF`, trailer fields and an empty line.
async fn read_chunked(
    input: &mut Input,
    deadline: Instant,
    what: &str,
) -> Result<(Vec<u8>, Chunked), String> {
    let head_arrived = input.last_read;
    let mut body = Vec::new();
    let mut chunks = Vec::new();
    let chunk_line = format!("{what}: a chunk size line");
    loop {
        let line = input.line(MAX_CHUNK_LINE, deadline, &chunk_line).await?;
        let (size, extensions) = line.split_once(';').unwrap_or((&line, ""));
        let size = size.trim_end_matches([' ', '\t']);
        if size.is_empty() || !size.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!("{what}: malformed chunk size line {line:?}"));
        }
        if extensions
            .bytes()
            .any(|b| b.is_ascii_control() && b != b'\t')
        {
            return Err(format!(
                "{what}: control characters in chunk extensions {line:?}"
            ));
        }
        // Leading zeros are allowed and say nothing about the size.
        let digits = size.trim_start_matches('0');
        let size = if digits.is_empty() {
            0
        } else {
            usize::from_str_radix(digits, 16)
                .ok()
                .filter(|&size| size <= MAX_BODY - body.len())
                .ok_or_else(|| {
                    format!("{what}: a chunk of 0x{digits} bytes makes the body too large")
                })?
        };
        if size == 0 {
            break;
        }
        input
            .fill(
                size + 2,
                deadline,
                &format!("{what}: a chunk of {size} bytes"),
            )
            .await?;
        if input.buffer[size..size + 2] != *b"\r\n" {
            return Err(format!(
                "{what}: a chunk of {size} bytes is not followed by CRLF"
            ));
        }
        let data: Vec<u8> = input.buffer.drain(..size).collect();
        input.buffer.drain(..2);
        body.extend_from_slice(&data);
        chunks.push(Chunk {
            data,
            extensions: extensions.to_owned(),
            arrived: input.last_read,
        });
    }
    let mut trailers = Vec::new();
    let mut left = MAX_HEAD;
    let trailer_line = format!("{what}: the trailer section");
    loop {
        let line = input.line(left, deadline, &trailer_line).await?;
        if line.is_empty() {
            break;
        }
        left = left.saturating_sub(line.len() + 2);
        trailers
            .push(field(&line).map_err(|problem| format!("{what}: {problem} in the trailers"))?);
    }
    Ok((
        body,
        Chunked {
            head_arrived,
            chunks,
            trailers,
        },
    ))
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
                chunked: request.chunked,
                completed: request.completed,
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
                chunked: request.chunked,
                completed: request.completed,
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

    /// Sends `event` like [`invoke`](Self::invoke) and insists on a streamed response: a post to
    /// `/response` with the streaming mode header, split by [`Post::streamed`].
    pub async fn invoke_streamed(&mut self, event: &Value) -> Result<(Post, Streamed), String> {
        let post = self.invoke(event).await?;
        if post.endpoint != Endpoint::Response {
            return Err(self.failure(&format!(
                "expected a streamed response, got a post to {:?}: {}",
                post.endpoint,
                String::from_utf8_lossy(&post.body)
            )));
        }
        let streamed = post.streamed().map_err(|problem| self.failure(&problem))?;
        Ok((post, streamed))
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
    let mut command = Command::new(&cargo);
    command
        .args(["build", "--package", package, "--bins"])
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    let binaries = cargo_build(command, &format!("cargo build -p {package}"), timeout)?;
    link_privately(binaries, private_root)
}

/// Runs `command`, a `cargo build` of binaries, adding `--message-format=json-render-diagnostics`
/// (waiting at most `timeout`), and returns each binary's name with the path of its executable.
/// `what` names the build in errors.
fn cargo_build(
    mut command: Command,
    what: &str,
    timeout: Duration,
) -> Result<BTreeMap<String, PathBuf>, String> {
    let mut child = command
        .arg("--message-format=json-render-diagnostics")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {:?}: {e}", command.get_program()))?;
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
                return Err(format!("{what} took longer than {timeout:?}"));
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
        return Err(format!("{what} failed ({status}):\n{stderr}"));
    }
    Ok(binaries)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The head of a chunked post to `/invocation/{id}/response`, as lambda_runtime 1.5 sends it.
    fn streamed_head(request_id: &str) -> String {
        format!(
            "POST /2018-06-01/runtime/invocation/{request_id}/response HTTP/1.1\r\n\
             transfer-encoding: chunked\r\n\
             lambda-runtime-function-response-mode: streaming\r\n\
             trailer: Lambda-Runtime-Function-Error-Type\r\n\
             trailer: Lambda-Runtime-Function-Error-Body\r\n\
             content-type: application/vnd.awslambda.http-integration-response\r\n\
             host: 127.0.0.1\r\n\r\n"
        )
    }

    /// One chunk, its size in lower-case hex.
    fn chunk(data: &[u8], extensions: &str) -> Vec<u8> {
        let mut bytes = format!("{:x}{extensions}\r\n", data.len()).into_bytes();
        bytes.extend_from_slice(data);
        bytes.extend_from_slice(b"\r\n");
        bytes
    }

    /// Reads one response (head and `Content-Length` body) and returns its status and text,
    /// or fails after five seconds. Reads a byte at a time, leaving the next response unread.
    async fn response(stream: &mut TcpStream) -> Result<(u16, String), String> {
        let read = async {
            let mut bytes = Vec::new();
            let mut buffer = [0u8; 1];
            loop {
                if let Some(end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
                    let head = String::from_utf8_lossy(&bytes[..end]).into_owned();
                    let length = head
                        .lines()
                        .find_map(|line| line.strip_prefix("Content-Length: "))
                        .and_then(|value| value.parse::<usize>().ok())
                        .unwrap_or(0);
                    if bytes.len() >= end + 4 + length {
                        let status = head
                            .split(' ')
                            .nth(1)
                            .and_then(|status| status.parse().ok())
                            .unwrap_or(0);
                        let body = &bytes[end + 4..end + 4 + length];
                        return Ok((status, String::from_utf8_lossy(body).into_owned()));
                    }
                }
                let read = stream.read(&mut buffer).await.map_err(|e| e.to_string())?;
                if read == 0 {
                    return Err(format!(
                        "closed before a whole response: {}",
                        String::from_utf8_lossy(&bytes)
                    ));
                }
                bytes.extend_from_slice(&buffer[..read]);
            }
        };
        tokio::time::timeout(Duration::from_secs(5), read)
            .await
            .map_err(|_| "no response within 5 s".to_owned())?
    }

    async fn connect(api: &RuntimeApi) -> TcpStream {
        TcpStream::connect(api.address).await.expect("connects")
    }

    /// The next post, which must come within five seconds.
    async fn post(api: &mut RuntimeApi) -> Post {
        match api.next_post(Duration::from_secs(5)).await {
            Ok(Some(post)) => post,
            Ok(None) => panic!("no post within 5 s"),
            Err(problem) => panic!("the server refused the post: {problem}"),
        }
    }

    /// Sends `bytes` on a fresh connection and expects a `400` and the report of a problem
    /// that contains `expected`, both within five seconds.
    async fn refused(api: &mut RuntimeApi, bytes: &[u8], expected: &str) {
        let started = Instant::now();
        let mut stream = connect(api).await;
        stream.write_all(bytes).await.expect("writes");
        let (status, _) = response(&mut stream).await.expect("a response");
        assert_eq!(status, 400, "{}", String::from_utf8_lossy(bytes));
        match api.next_post(Duration::from_secs(5)).await {
            Err(problem) => assert!(
                problem.contains(expected),
                "{problem:?} does not say {expected:?}"
            ),
            other => panic!("expected a problem saying {expected:?}, got {other:?}"),
        }
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[tokio::test]
    async fn a_streamed_post_in_chunks_with_the_prelude_split_and_error_trailers() {
        let mut api = RuntimeApi::start().await.expect("starts");
        let mut stream = connect(&api).await;
        let prelude = br#"{"statusCode":201,"headers":{"content-type":"text/plain","x-repeated":["1","2"]},"cookies":["a=1","b=2"]}"#;
        let mut second = prelude[20..].to_vec();
        second.extend_from_slice(&[0; 3]);
        let mut third = vec![0; 5];
        third.extend_from_slice(b"first ");
        let mut start = streamed_head("req-1").into_bytes();
        start.extend(chunk(&prelude[..20], ""));
        start.extend(chunk(&second, ""));
        start.extend(chunk(&third, "; name=value;flag"));
        stream.write_all(&start).await.expect("writes");
        tokio::time::sleep(Duration::from_millis(120)).await;
        // Upper-case hex with leading zeros: 0x1A = 26 bytes.
        stream
            .write_all(b"001A\r\nabcdefghijklmnopqrstuvwxyz\r\n")
            .await
            .expect("writes");
        tokio::time::sleep(Duration::from_millis(50)).await;
        stream
            .write_all(
                b"0\r\nLambda-Runtime-Function-Error-Type: Runtime.StreamError\r\n\
                  Lambda-Runtime-Function-Error-Body: aXQgYnJva2U=\r\n\r\n",
            )
            .await
            .expect("writes");
        assert_eq!(response(&mut stream).await.expect("answered").0, 202);

        let post = post(&mut api).await;
        assert_eq!(post.endpoint, Endpoint::Response);
        assert_eq!(post.request_id.as_deref(), Some("req-1"));
        assert!(post.is_streamed());
        let chunked = post.chunked.as_ref().expect("chunked");
        let sizes: Vec<usize> = chunked.chunks.iter().map(|c| c.data.len()).collect();
        assert_eq!(sizes, [20, prelude.len() - 20 + 3, 11, 26]);
        assert_eq!(chunked.chunks[2].extensions, " name=value;flag");
        assert!(
            chunked
                .chunks
                .iter()
                .all(|c| c.arrived >= chunked.head_arrived)
        );
        assert!(post.completed >= chunked.chunks[3].arrived);
        assert_eq!(
            post.trailer("lambda-runtime-function-error-type"),
            Some("Runtime.StreamError")
        );
        assert_eq!(post.body.len(), sizes.iter().sum::<usize>());

        let streamed = post.streamed().expect("a streamed response");
        assert_eq!(streamed.status(), Some(201));
        assert_eq!(streamed.header("Content-Type"), Some("text/plain"));
        assert_eq!(streamed.header("x-repeated"), None, "two values");
        assert_eq!(
            streamed.prelude["headers"]["x-repeated"],
            serde_json::json!(["1", "2"])
        );
        assert_eq!(streamed.cookies(), ["a=1", "b=2"]);
        assert_eq!(streamed.text(), "first abcdefghijklmnopqrstuvwxyz");
        let pieces: Vec<&[u8]> = streamed.chunks.iter().map(|c| &c.data[..]).collect();
        assert_eq!(pieces, [&b"first "[..], &b"abcdefghijklmnopqrstuvwxyz"[..]]);
        assert_eq!(streamed.chunks[0].extensions, " name=value;flag");
        let gaps = streamed.gaps();
        assert!(gaps[0] >= Duration::from_millis(100), "{gaps:?}");
        let error = streamed.error.as_ref().expect("the trailers' error");
        assert_eq!(
            *error,
            StreamError {
                error_type: "Runtime.StreamError".to_owned(),
                body: "aXQgYnJva2U=".to_owned(),
                delivery: ErrorDelivery::Trailers,
            }
        );
        assert_eq!(error.message().as_deref(), Some("it broke"));
    }

    #[tokio::test]
    async fn the_error_lambda_runtime_writes_into_the_body() {
        let mut api = RuntimeApi::start().await.expect("starts");
        let mut stream = connect(&api).await;
        let mut bytes = streamed_head("req-2").into_bytes();
        bytes.extend(chunk(
            br#"{"statusCode":200,"headers":{},"cookies":[]}"#,
            "",
        ));
        bytes.extend(chunk(&[0; 8], ""));
        bytes.extend(chunk(b"partial", ""));
        let inline = b"Lambda-Runtime-Function-Error-Type: Runtime.StreamError\r\n\
                       Lambda-Runtime-Function-Error-Body: c3RyZWFtIGJyb2tl\r\n";
        bytes.extend(chunk(inline, ""));
        bytes.extend_from_slice(b"0\r\n\r\n");
        stream.write_all(&bytes).await.expect("writes");
        assert_eq!(response(&mut stream).await.expect("answered").0, 202);
        let post = post(&mut api).await;
        assert!(post.chunked.as_ref().expect("chunked").trailers.is_empty());
        let streamed = post.streamed().expect("streamed");
        let error = streamed.error.clone().expect("the inline error");
        assert_eq!(error.delivery, ErrorDelivery::InBody);
        assert_eq!(error.error_type, "Runtime.StreamError");
        assert_eq!(error.message().as_deref(), Some("stream broke"));
        let mut body = b"partial".to_vec();
        body.extend_from_slice(inline);
        assert_eq!(streamed.body, body, "the text stays in the body, as sent");
        assert_eq!(streamed.chunks.len(), 2);
    }

    #[tokio::test]
    async fn chunked_and_content_length_posts_pipelined_on_one_connection() {
        let mut api = RuntimeApi::start().await.expect("starts");
        let mut stream = connect(&api).await;
        let mut bytes = "POST /2018-06-01/runtime/invocation/a/response HTTP/1.1\r\n\
                         Transfer-Encoding: chunked\r\n\r\n"
            .as_bytes()
            .to_vec();
        bytes.extend(chunk(br#"{"statusCode":"#, ""));
        bytes.extend(chunk(b"200}", ""));
        bytes.extend_from_slice(b"0\r\n\r\n");
        let error = br#"{"errorType":"E","errorMessage":"m"}"#;
        bytes.extend_from_slice(
            format!(
                "POST /2018-06-01/runtime/invocation/b/error HTTP/1.1\r\nContent-Length: {}\r\n\r\n",
                error.len()
            )
            .as_bytes(),
        );
        bytes.extend_from_slice(error);
        stream.write_all(&bytes).await.expect("writes");
        assert_eq!(response(&mut stream).await.expect("first").0, 202);
        assert_eq!(response(&mut stream).await.expect("second").0, 202);

        let first = post(&mut api).await;
        assert_eq!(first.request_id.as_deref(), Some("a"));
        assert_eq!(
            first.json().expect("JSON"),
            serde_json::json!({"statusCode": 200})
        );
        assert_eq!(first.chunked.as_ref().map(|c| c.chunks.len()), Some(2));
        assert!(!first.is_streamed());
        assert!(first.streamed().is_err(), "no streaming mode header");

        let second = post(&mut api).await;
        assert_eq!(second.endpoint, Endpoint::Error);
        assert_eq!(second.request_id.as_deref(), Some("b"));
        assert!(second.chunked.is_none());
        assert_eq!(second.body, error);
        assert_eq!(second.trailer("anything"), None);
    }

    #[tokio::test]
    async fn a_streamed_post_framed_by_content_length() {
        let mut api = RuntimeApi::start().await.expect("starts");
        let mut stream = connect(&api).await;
        let mut body = br#"{"statusCode":204}"#.to_vec();
        body.extend_from_slice(&[0; 8]);
        body.extend_from_slice(b"tail");
        let mut bytes = format!(
            "POST /2018-06-01/runtime/invocation/c/response HTTP/1.1\r\n\
             Lambda-Runtime-Function-Response-Mode: streaming\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        bytes.extend_from_slice(&body);
        stream.write_all(&bytes).await.expect("writes");
        assert_eq!(response(&mut stream).await.expect("answered").0, 202);
        let streamed = post(&mut api).await.streamed().expect("streamed");
        assert_eq!(streamed.status(), Some(204));
        assert_eq!(streamed.text(), "tail");
        assert_eq!(streamed.chunks.len(), 1);
        assert!(streamed.error.is_none());
    }

    #[tokio::test]
    async fn malformed_chunked_bodies_are_refused_at_once() {
        let mut api = RuntimeApi::start().await.expect("starts");
        let head = streamed_head("bad");
        let cases: [(&str, &str); 9] = [
            ("zz\r\nabc\r\n0\r\n\r\n", "malformed chunk size line \"zz\""),
            ("\r\n", "malformed chunk size line \"\""),
            ("-1\r\n", "malformed chunk size line"),
            (" 5\r\nabcde\r\n", "malformed chunk size line"),
            ("0x5\r\nabcde\r\n", "malformed chunk size line"),
            (
                "3\r\nabcX\r\n",
                "a chunk of 3 bytes is not followed by CRLF",
            ),
            ("3\nabc\r\n", "bare LF"),
            ("fffffffffffffffffffff\r\n", "too large"),
            ("800001\r\n", "too large"),
        ];
        for (body, expected) in cases {
            refused(&mut api, format!("{head}{body}").as_bytes(), expected).await;
        }
        let long = format!("{head}1;{}\r\n", "x".repeat(MAX_CHUNK_LINE));
        refused(&mut api, long.as_bytes(), "longer than").await;
        let bad_trailer = format!("{head}0\r\n no-name\r\n\r\n");
        refused(&mut api, bad_trailer.as_bytes(), "in the trailers").await;
        let both = "POST /2018-06-01/runtime/invocation/x/response HTTP/1.1\r\n\
                    Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\nabc";
        refused(
            &mut api,
            both.as_bytes(),
            "both Transfer-Encoding and Content-Length",
        )
        .await;
        let gzip = "POST /2018-06-01/runtime/invocation/x/response HTTP/1.1\r\n\
                    Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n";
        refused(&mut api, gzip.as_bytes(), "is not supported").await;
    }

    #[tokio::test]
    async fn a_body_cut_short_is_an_error_not_a_hang() {
        let mut api = RuntimeApi::start_reading_within(Duration::from_millis(300))
            .await
            .expect("starts");
        // The rest never comes: refused once the read timeout is over.
        let stalled = format!("{}5\r\nab", streamed_head("slow"));
        refused(&mut api, stalled.as_bytes(), "did not come in time").await;
        // A trailer section that never ends.
        let stalled = format!("{}0\r\nx-trailer: 1\r\n", streamed_head("slow"));
        refused(&mut api, stalled.as_bytes(), "did not come in time").await;
        // The connection closes in the middle of a chunk.
        let mut stream = connect(&api).await;
        let cut = format!("{}5\r\nab", streamed_head("cut"));
        stream.write_all(cut.as_bytes()).await.expect("writes");
        stream.shutdown().await.expect("shuts down");
        let (status, _) = response(&mut stream).await.expect("a response");
        assert_eq!(status, 400);
        let problem = api
            .next_post(Duration::from_secs(5))
            .await
            .expect_err("refused");
        assert!(problem.contains("the connection closed"), "{problem}");
    }

    #[test]
    fn base64_decodes_what_lambda_runtime_encodes() {
        assert_eq!(base64_decode("aXQgYnJva2U="), Some(b"it broke".to_vec()));
        assert_eq!(
            base64_decode("c3RyZWFtIGJyb2tl"),
            Some(b"stream broke".to_vec())
        );
        assert_eq!(base64_decode("YQ"), Some(b"a".to_vec()));
        assert_eq!(base64_decode(""), Some(Vec::new()));
        assert_eq!(base64_decode("not base64!"), None);
    }

    /// The throwaway streaming function: `lambda_http::run_with_streaming_response` with a body
    /// whose pieces come 150 ms apart (and, for a path ending in `/fail`, `Sender::abort` after them: an error in mid-stream).
    const PROBE_MANIFEST: &str = r#"[package]
name = "cors-tests-streaming-probe"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
lambda_http = "1.3"
tokio = { version = "1", features = ["macros", "rt-multi-thread", "time"] }

[workspace]
"#;

    const PROBE_MAIN: &str = r#"use std::time::Duration;

use lambda_http::lambda_runtime::streaming::{channel, Body};
use lambda_http::{run_with_streaming_response, service_fn, Error, Request, Response};

#[tokio::main]
async fn main() -> Result<(), Error> {
    run_with_streaming_response(service_fn(handler)).await
}

async fn handler(request: Request) -> Result<Response<Body>, Error> {
    let fail = request.uri().path().ends_with("/fail");
    let (mut sender, body) = channel();
    tokio::spawn(async move {
        // A pause before the first piece too: the runtime may start sending the body late.
        for piece in ["one\n", "two\n", "three\n"] {
            tokio::time::sleep(Duration::from_millis(150)).await;
            if sender.send_data(piece.into()).await.is_err() {
                return;
            }
        }
        if fail {
            sender.abort();
        }
    });
    Ok(Response::builder()
        .status(200)
        .header("content-type", "text/plain")
        .header("x-repeated", "1")
        .header("x-repeated", "2")
        .header("set-cookie", "a=1")
        .body(body)?)
}
"#;

    /// Writes the probe crate under the temporary directory (only what changed, so that cargo
    /// rebuilds nothing the next time), its `Cargo.lock` seeded from the workspace's for the same
    /// versions (again whenever the workspace's changes: cargo trims the copy), and builds it
    /// into a target directory of its own there.
    fn build_probe() -> Result<PathBuf, String> {
        let root = std::env::temp_dir().join("cors-tests-streaming-probe");
        let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
        let lock = std::fs::read_to_string(&lock)
            .map_err(|e| format!("cannot read {}: {e}", lock.display()))?;
        let write = |path: &str, text: &str| -> Result<bool, String> {
            let path = root.join(path);
            if std::fs::read_to_string(&path).ok().as_deref() == Some(text) {
                return Ok(false);
            }
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            }
            std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
            Ok(true)
        };
        write("Cargo.toml", PROBE_MANIFEST)?;
        write("src/main.rs", PROBE_MAIN)?;
        if write("workspace.lock", &lock)? || !root.join("Cargo.lock").exists() {
            write("Cargo.lock", &lock)?;
        }
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut command = Command::new(cargo);
        command
            .args(["build", "--bins"])
            .env("CARGO_TARGET_DIR", root.join("target"))
            .current_dir(&root);
        let binaries = cargo_build(
            command,
            "cargo build of the streaming probe",
            Duration::from_secs(900),
        )?;
        binaries
            .get("cors-tests-streaming-probe")
            .cloned()
            .ok_or_else(|| format!("the probe build made no binary: {binaries:?}"))
    }

    /// A function URL request for `path`.
    fn function_url_event(path: &str) -> Value {
        let file = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/events/lambda_function_url_request.json");
        let text = std::fs::read_to_string(&file).expect("the fixture");
        let mut event: Value = serde_json::from_str(&text).expect("JSON");
        event["rawPath"] = Value::from(path);
        event["requestContext"]["http"]["path"] = Value::from(path);
        event
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_real_streaming_lambda_binary() {
        let probe = tokio::task::spawn_blocking(build_probe)
            .await
            .expect("the build thread")
            .unwrap_or_else(|problem| panic!("{problem}"));
        let mut function = Function::start(&probe, &[]).await.expect("starts");

        let (post, streamed) = function
            .invoke_streamed(&function_url_event("/stream"))
            .await
            .unwrap_or_else(|problem| panic!("{problem}"));
        assert_eq!(post.header("transfer-encoding"), Some("chunked"));
        assert_eq!(
            post.header("content-type"),
            Some("application/vnd.awslambda.http-integration-response")
        );
        let declared: Vec<&str> = post
            .headers
            .iter()
            .filter(|(name, _)| name == "trailer")
            .map(|(_, value)| value.as_str())
            .collect();
        assert_eq!(
            declared,
            [
                "Lambda-Runtime-Function-Error-Type",
                "Lambda-Runtime-Function-Error-Body"
            ]
        );
        assert_eq!(streamed.status(), Some(200));
        assert_eq!(streamed.header("content-type"), Some("text/plain"));
        assert_eq!(
            streamed.prelude["headers"]["x-repeated"],
            serde_json::json!(["1", "2"])
        );
        assert_eq!(streamed.cookies(), ["a=1"]);
        assert!(
            streamed.prelude.get("multiValueHeaders").is_none(),
            "{}",
            streamed.prelude
        );
        assert_eq!(streamed.text(), "one\ntwo\nthree\n");
        let pieces: Vec<String> = streamed
            .chunks
            .iter()
            .map(|c| String::from_utf8_lossy(&c.data).into_owned())
            .collect();
        assert_eq!(
            pieces,
            ["one\n", "two\n", "three\n"],
            "one HTTP chunk per piece"
        );
        let gaps = streamed.gaps();
        assert!(
            gaps.iter().all(|gap| *gap >= Duration::from_millis(100)),
            "the pieces came {gaps:?} apart"
        );
        // The prelude and the NULs are chunks of their own, sent before the first piece.
        let chunked = post.chunked.as_ref().expect("chunked");
        assert_eq!(chunked.chunks.len(), 5, "{:?}", chunked.chunks);
        assert_eq!(chunked.chunks[1].data, [0; 8]);
        assert!(streamed.error.is_none());
        assert!(chunked.trailers.is_empty());

        // A failure after the pieces: lambda_runtime 1.5 writes it as body data, not trailers.
        let (post, streamed) = function
            .invoke_streamed(&function_url_event("/fail"))
            .await
            .unwrap_or_else(|problem| panic!("{problem}"));
        let error = streamed.error.clone().expect("a mid-stream error");
        assert_eq!(error.delivery, ErrorDelivery::InBody, "{streamed:?}");
        assert_eq!(error.error_type, "Runtime.StreamError");
        assert_eq!(error.message().as_deref(), Some("user body write aborted"));
        assert!(post.chunked.as_ref().expect("chunked").trailers.is_empty());
        assert!(
            streamed
                .text()
                .starts_with("one\ntwo\nthree\nLambda-Runtime-Function-Error-Type: ")
        );
    }
}
