//! Nothing leaks: an error's or a panic's text reaches the logs and never the client, and no
//! configured value (builder or `origin_env`) can smuggle a header, a second origin or a log
//! line in.

use std::borrow::Cow;
use std::fmt;
use std::sync::Once;

use cors_runtime::{CorsConfig, ErrorResponse, StatusCode, cors_handler};
use cors_tests::log_capture::Capture;
use lambda_http::http::{HeaderValue, Request as HttpRequest};
use lambda_http::{Body, Error, Request, Response};

/// What every error and panic below carries; it must reach the log and nothing else.
const SECRET: &str = "no-leaks-secret: password=hunter2 at db.internal:5432";
const SECRET_DEBUG: &str = "no-leaks-debug-detail";
const DEFAULT_BODY: &str = r#"{"message":"Internal Server Error"}"#;
const ALLOWED: &str = "https://myapp.com";

/// Runs `future` on a fresh current-thread runtime with a subscriber that writes every event
/// into a buffer; returns the output and the captured log.
fn logged<F: std::future::Future>(future: F) -> (F::Output, String) {
    logged_at(tracing::Level::TRACE, future)
}

/// [`logged`], with the subscriber taking events up to `level`.
fn logged_at<F: std::future::Future>(level: tracing::Level, future: F) -> (F::Output, String) {
    quiet_secret_panics();
    let capture = Capture::default();
    let output = capture.with(level, || {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(future)
    });
    (output, capture.text())
}

/// The deliberate panics below carry the secret; the default hook would print them to stderr,
/// which is noise here (the wrapper's own log is what is checked).
fn quiet_secret_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let payload = info.payload();
            let text = payload
                .downcast_ref::<&str>()
                .copied()
                .or_else(|| payload.downcast_ref::<String>().map(String::as_str));
            if !text.is_some_and(|t| t.contains("no-leaks-secret")) {
                default_hook(info);
            }
        }));
    });
}

fn request(path: &str) -> Request {
    HttpRequest::builder()
        .uri(path)
        .header("origin", ALLOWED)
        .body(Body::Empty)
        .unwrap()
}

fn body(response: &Response<Body>) -> String {
    match response.body() {
        Body::Empty => String::new(),
        Body::Text(text) => text.clone(),
        Body::Binary(bytes) => String::from_utf8_lossy(bytes).into_owned(),
        _ => unreachable!("no other body kind is built"),
    }
}

/// The parts of the secret that must not appear anywhere in a response.
const FRAGMENTS: &[&str] = &[
    "no-leaks",
    "hunter2",
    "db.internal",
    SECRET_DEBUG,
    "invalid digit",
];

fn assert_no_leak(what: &str, response: &Response<Body>, status: StatusCode, expected_body: &str) {
    assert_eq!(response.status(), status, "{what}");
    assert_eq!(
        body(response),
        expected_body,
        "{what}: the body is not the default"
    );
    assert_eq!(
        response.headers()["content-type"],
        "application/json",
        "{what}"
    );
    assert_eq!(
        response.headers()["access-control-allow-origin"],
        ALLOWED,
        "{what}: the error response lost its CORS headers"
    );
    for (name, value) in response.headers() {
        let value = String::from_utf8_lossy(value.as_bytes());
        for fragment in FRAGMENTS {
            assert!(
                !value.contains(fragment) && !name.as_str().contains(fragment),
                "{what}: header {name}: {value} carries {fragment:?}"
            );
        }
    }
}

fn assert_logged(what: &str, log: &str, expected: &[&str]) {
    for text in expected {
        assert!(log.contains(text), "{what}: the log lacks {text:?}:\n{log}");
    }
    assert!(
        log.contains("ERROR"),
        "{what}: not logged at error level:\n{log}"
    );
}

/// An error type with no `ErrorResponse` of its own: the attribute answers the default 500.
struct Plain;

impl fmt::Display for Plain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(SECRET)
    }
}

impl fmt::Debug for Plain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Plain({SECRET_DEBUG})")
    }
}

/// An error type that keeps the defaults of `ErrorResponse` (an empty `impl`).
#[derive(Debug)]
struct Defaulted(&'static str);

impl fmt::Display for Defaulted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl ErrorResponse for Defaulted {}

/// An error type that picks a status but keeps the default, reason-phrase message.
#[derive(Debug)]
struct NotFound;

impl fmt::Display for NotFound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(SECRET)
    }
}

impl ErrorResponse for NotFound {
    fn status(&self) -> StatusCode {
        StatusCode::NOT_FOUND
    }
}

/// An error type that picks its public message: only that message is sent.
#[derive(Debug)]
struct Public;

impl fmt::Display for Public {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(SECRET)
    }
}

impl ErrorResponse for Public {
    fn status(&self) -> StatusCode {
        StatusCode::SERVICE_UNAVAILABLE
    }

    fn message(&self) -> Cow<'static, str> {
        "try again later".into()
    }
}

#[cors_handler(origin = "https://myapp.com")]
async fn boxed(event: Request) -> Result<Response<Body>, Error> {
    match event.uri().path() {
        "/err" => Err(SECRET.into()),
        "/question-mark" => {
            let id: u32 = "12x".parse()?;
            Ok(Response::new(format!("{id}").into()))
        }
        "/panic-str" => std::panic::panic_any("no-leaks-secret: static panic text"),
        "/panic-string" => panic!("{SECRET}"),
        _ => Ok(Response::new("fine".into())),
    }
}

#[cors_handler(origin = "https://myapp.com")]
async fn plain(_: Request) -> Result<&'static str, Plain> {
    Err(Plain)
}

#[cors_handler(origin = "https://myapp.com")]
async fn defaulted(_: Request) -> Result<&'static str, Defaulted> {
    Err(Defaulted(SECRET))
}

#[cors_handler(origin = "https://myapp.com")]
async fn not_found(_: Request) -> Result<&'static str, NotFound> {
    Err(NotFound)
}

#[cors_handler(origin = "https://myapp.com")]
async fn public(_: Request) -> Result<&'static str, Public> {
    Err(Public)
}

#[test]
fn an_errors_text_reaches_the_log_and_never_the_client() {
    // (what, the handler's response and log, what the log must hold)
    let cases = [
        (
            "Err(lambda_http::Error)",
            logged(boxed(request("/err"))),
            vec![SECRET],
        ),
        (
            "`?` on a ParseIntError",
            logged(boxed(request("/question-mark"))),
            vec!["invalid digit found in string"],
        ),
        (
            "an error without ErrorResponse",
            logged(plain(request("/"))),
            vec![SECRET, SECRET_DEBUG],
        ),
        (
            "an empty ErrorResponse impl",
            logged(defaulted(request("/"))),
            vec![SECRET],
        ),
        (
            "a panic with a &str",
            logged(boxed(request("/panic-str"))),
            vec!["no-leaks-secret: static panic text"],
        ),
        (
            "a panic with a String",
            logged(boxed(request("/panic-string"))),
            vec![SECRET],
        ),
    ];
    for (what, (response, log), expected_log) in cases {
        let response = response.expect("the rewritten handler never returns Err");
        assert_no_leak(
            what,
            &response,
            StatusCode::INTERNAL_SERVER_ERROR,
            DEFAULT_BODY,
        );
        assert_logged(what, &log, &expected_log);
    }
}

#[test]
fn a_chosen_status_keeps_the_reason_phrase_or_the_chosen_message() {
    let (response, log) = logged(not_found(request("/")));
    assert_no_leak(
        "status 404",
        &response.unwrap(),
        StatusCode::NOT_FOUND,
        r#"{"message":"Not Found"}"#,
    );
    assert!(log.contains(SECRET), "{log}");
    assert!(log.contains("WARN"), "a 4xx is logged as a warning: {log}");

    let (response, log) = logged(public(request("/")));
    assert_no_leak(
        "a chosen message",
        &response.unwrap(),
        StatusCode::SERVICE_UNAVAILABLE,
        r#"{"message":"try again later"}"#,
    );
    assert_logged("a chosen message", &log, &[SECRET]);
}

#[test]
fn the_builders_wrapper_leaks_nothing_either() {
    let cors = CorsConfig::builder()
        .allow_origins([ALLOWED, "https://*.myapp.com"])
        .build()
        .unwrap();
    let (response, log) = logged(cors.handle(request("/"), |_| async {
        Err::<&str, Error>(SECRET.into())
    }));
    assert_no_leak(
        "handle: Err",
        &response,
        StatusCode::INTERNAL_SERVER_ERROR,
        DEFAULT_BODY,
    );
    assert_logged("handle: Err", &log, &[SECRET]);

    let (response, log) = logged(cors.handle(request("/"), |_| async {
        if SECRET.is_empty() {
            return Ok("never");
        }
        panic!("{SECRET}");
        #[allow(unreachable_code)]
        Err::<&str, Error>("unreachable".into())
    }));
    assert_no_leak(
        "handle: panic",
        &response,
        StatusCode::INTERNAL_SERVER_ERROR,
        DEFAULT_BODY,
    );
    assert_logged("handle: panic", &log, &[SECRET]);
}

// ---------------------------------------------------------------------------------------------
// Configured values.

/// Values that would inject a header, a second origin or a log line if they got through.
const HOSTILE_ORIGINS: &[&str] = &[
    "https://myapp.com\r\nSet-Cookie: session=stolen",
    "https://myapp.com\r\n",
    "https://myapp.com\n",
    "https://myapp.com\r",
    "https://myapp.com,https://evil.net",
    "https://myapp.com, https://evil.net",
    "https://myapp.com;",
    "https://myapp.com; evil",
    "https://my app.com",
    " https://myapp.com",
    "https://myapp.com ",
    "https://myapp.com\t",
    "https://myapp.com\0",
    "https://myapp.com\0evil",
    "https://myapp.com\u{b}",
    "https://myapp.com\u{7f}",
    "https://myapp.com\u{85}",
    "https://myapp.com\u{2028}",
];

const HOSTILE_NAMES: &[&str] = &[
    "x-api-key\r\nSet-Cookie: session=stolen",
    "x-api-key\r\n",
    "x-api-key\n",
    "x-api-key,authorization",
    "x-api-key;",
    "x-api-key authorization",
    " x-api-key",
    "x-api-key\0",
    "x-api-key\t",
    "x-api-key:",
    "",
];

const HOSTILE_METHODS: &[&str] = &[
    "PUT\r\nSet-Cookie: session=stolen",
    "PUT\r\n",
    "PUT,DELETE",
    "PUT;",
    "PUT DELETE",
    " PUT",
    "PUT\0",
    "",
];

/// Whether one of the error's problems names `entry`, escaped (`{:?}`) or as written (an empty
/// entry is named as empty).
fn names_entry(error: &cors_runtime::ConfigError, entry: &str) -> bool {
    let escaped = format!("{entry:?}");
    error.problems().iter().any(|p| {
        let p = p.to_string();
        if entry.is_empty() {
            p.contains(&escaped) || p.contains("empty")
        } else {
            p.contains(&escaped) || p.contains(entry)
        }
    })
}

#[test]
fn hostile_builder_values_are_refused_and_named() {
    for origin in HOSTILE_ORIGINS {
        let error = CorsConfig::builder()
            .allow_origin(*origin)
            .build()
            .expect_err(origin);
        assert!(
            names_entry(&error, origin),
            "{origin:?}: the error does not name it: {error}"
        );
        // In a list too, beside a valid origin.
        let error = CorsConfig::builder()
            .allow_origins([ALLOWED, origin])
            .build()
            .expect_err(origin);
        assert!(names_entry(&error, origin), "{origin:?} in a list: {error}");
    }
    for name in HOSTILE_NAMES {
        let error = CorsConfig::builder()
            .allow_origin(ALLOWED)
            .allow_headers(["content-type", name])
            .build()
            .expect_err(name);
        assert!(names_entry(&error, name), "header {name:?}: {error}");
        let error = CorsConfig::builder()
            .allow_origin(ALLOWED)
            .expose_headers([*name])
            .build()
            .expect_err(name);
        assert!(
            names_entry(&error, name) && error.to_string().contains("expose_headers"),
            "expose header {name:?}: {error}"
        );
    }
    for method in HOSTILE_METHODS {
        let error = CorsConfig::builder()
            .allow_origin(ALLOWED)
            .allow_methods(["GET", method])
            .build()
            .expect_err(method);
        assert!(names_entry(&error, method), "method {method:?}: {error}");
    }
}

/// Each `origin_env` case reads its own variable: a variable is read once per process.
fn set_env(var: &str, value: &str) {
    // SAFETY: std serializes `set_var` with every `std::env::var` through its environment lock,
    // nothing in this test binary reads the environment from C code, and each variable is
    // written once, before it is read.
    unsafe { std::env::set_var(var, value) };
}

/// Values of an `origin_env` variable that must be refused at cold start (a NUL byte cannot be
/// in the environment at all).
const HOSTILE_ENV_VALUES: &[(&str, Option<&str>)] = &[
    (
        "https://myapp.com\r\nSet-Cookie: session=stolen",
        Some("https://myapp.com\r\nSet-Cookie: session=stolen"),
    ),
    // A `.env` file written on Windows.
    ("https://myapp.com\r\n", Some("https://myapp.com\r\n")),
    ("https://myapp.com\n", Some("https://myapp.com\n")),
    (
        "https://myapp.com;https://evil.net",
        Some("https://myapp.com;https://evil.net"),
    ),
    (
        "https://myapp.com https://evil.net",
        Some("https://myapp.com https://evil.net"),
    ),
    (
        "https://myapp.com,https://evil .net",
        Some("https://evil .net"),
    ),
    ("https://myapp.com,null", Some("null")),
    ("https://myapp.com,*", None),
    (
        "https://myapp.com,,https://b.com",
        Some("entry 2 \"\": origin must not be empty"),
    ),
    (
        "https://myapp.com,",
        Some("entry 2 \"\": origin must not be empty"),
    ),
    ("", None),
    (" ", None),
    ("https://myapp.com/", Some("https://myapp.com/")),
    ("https://myapp.com\u{b}", Some("https://myapp.com\u{b}")),
];

#[test]
fn hostile_environment_values_are_refused_and_named_by_the_builder() {
    for (i, (value, entry)) in HOSTILE_ENV_VALUES.iter().enumerate() {
        let var = format!("CORS_NO_LEAKS_BUILDER_{i}");
        set_env(&var, value);
        let error = CorsConfig::builder()
            .allow_origins_from_env(&var)
            .build()
            .expect_err(value);
        let text = error.to_string();
        assert!(
            text.contains(&var),
            "{value:?}: the error does not name {var}: {text}"
        );
        if let Some(entry) = entry {
            assert!(
                names_entry(&error, entry),
                "{value:?}: the error does not name the entry {entry:?}: {text}"
            );
        }
        assert!(
            !text.contains(['\r', '\n', '\0', '\u{b}']),
            "{value:?}: the error carries a raw control character: {text:?}"
        );
    }
}

#[cors_handler(origin_env = "CORS_NO_LEAKS_ENV_INJECTED")]
async fn env_injected(_: Request) -> Result<&'static str, Error> {
    Ok("the handler must not run while the configuration is unusable")
}

#[cors_handler(origin_env = "CORS_NO_LEAKS_ENV_SEMICOLON", credentials = true)]
async fn env_semicolon(_: Request) -> Result<&'static str, Error> {
    Ok("the handler must not run while the configuration is unusable")
}

#[test]
fn hostile_environment_values_are_refused_at_cold_start_and_named_in_the_log() {
    let cases = [
        (
            "CORS_NO_LEAKS_ENV_INJECTED",
            "https://myapp.com\r\nSet-Cookie: session=stolen",
        ),
        (
            "CORS_NO_LEAKS_ENV_SEMICOLON",
            "https://myapp.com;https://evil.net",
        ),
    ];
    for (var, value) in cases {
        set_env(var, value);
    }
    for (i, (var, value)) in cases.iter().enumerate() {
        for origin in [ALLOWED, "https://evil.net"] {
            let request = HttpRequest::builder()
                .header("origin", HeaderValue::from_static(origin))
                .body(Body::Empty)
                .unwrap();
            let (response, log) = match i {
                0 => logged(env_injected(request)),
                _ => logged(env_semicolon(request)),
            };
            let response = response.unwrap();
            assert_eq!(
                response.status(),
                StatusCode::INTERNAL_SERVER_ERROR,
                "{var}"
            );
            assert_eq!(body(&response), DEFAULT_BODY, "{var}");
            let headers = response.headers();
            assert!(
                headers.get("access-control-allow-origin").is_none(),
                "{var}"
            );
            assert!(
                headers.get("access-control-allow-credentials").is_none(),
                "{var}"
            );
            assert!(
                headers.get("set-cookie").is_none(),
                "{var}: a header was injected"
            );
            for (name, v) in headers {
                let v = String::from_utf8_lossy(v.as_bytes());
                assert!(
                    !v.contains("stolen") && !v.contains("evil"),
                    "{var}: {name}: {v}"
                );
            }
            assert!(
                log.contains(var),
                "{var}: the log does not name the variable:\n{log}"
            );
            let escaped = format!("{value:?}");
            assert!(
                log.contains(&escaped),
                "{var}: the log does not name the entry {escaped}:\n{log}"
            );
            assert!(
                !log.contains('\r'),
                "{var}: a raw CR reached the log, which could forge a log line:\n{log:?}"
            );
        }
    }
}

#[cors_handler(origin = "https://myapp.com", methods = ["GET", "PUT"], headers = ["content-type"])]
async fn narrow(_: Request) -> Result<&'static str, Error> {
    Ok("narrow")
}

/// A preflight asking for more than the policy gets the policy's lists (the browser refuses it);
/// the log says, at `warn` and once, what was beyond: for the developer, never for the client.
#[test]
fn what_a_preflight_asks_beyond_the_policy_is_logged_never_sent() {
    let preflight = || {
        http::Request::builder()
            .method("OPTIONS")
            .header("origin", "https://myapp.com")
            .header("access-control-request-method", "PROPFIND")
            .header(
                "access-control-request-headers",
                "content-type, x-secret-header",
            )
            .body(Body::Empty)
            .unwrap()
    };
    let (response, log) = logged_at(tracing::Level::WARN, narrow(preflight()));
    let response = response.unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(
        response.headers()["access-control-allow-methods"],
        "GET,PUT"
    );
    assert!(
        !format!("{:?}", response.headers()).contains("x-secret-header"),
        "what the preflight asked is never echoed"
    );
    assert!(log.contains("reason=\"preflight_not_in_lists\""), "{log}");
    assert!(
        log.contains("method=\"PROPFIND\"") && log.contains("headers=\"x-secret-header\""),
        "{log}"
    );
    let (_, again) = logged_at(tracing::Level::WARN, narrow(preflight()));
    assert!(
        !again.contains("preflight_not_in_lists"),
        "logged once: {again}"
    );
    // A preflight within the policy logs nothing.
    let within = http::Request::builder()
        .method("OPTIONS")
        .header("origin", "https://myapp.com")
        .header("access-control-request-method", "PUT")
        .body(Body::Empty)
        .unwrap();
    let (_, nothing) = logged_at(tracing::Level::TRACE, narrow(within));
    assert!(!nothing.contains("cors_runtime"), "{nothing}");
}
