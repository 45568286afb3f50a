//! Hostile `Origin` values against every kind of configuration.
//!
//! Each row of [`cases`] is one request origin from a known class of CORS misconfiguration
//! (reflected origin, `null`, prefix and suffix tricks, unescaped dots, scheme downgrade, ports,
//! trailing dot or slash, case, percent-encoding and special characters, userinfo, backslashes,
//! non-UTF-8 bytes, very long values), with the configurations that really allow it. Every row
//! is sent to every configuration (attribute and builder alike), as a simple request whose
//! handler succeeds, fails or panics, and as two preflights; multiple and missing `Origin`
//! headers have their own test.
//!
//! *Granted* means the response's `Access-Control-Allow-Origin` names the request's origin (or is
//! `*`, for the `*` configuration only). A single literal origin may instead send itself as a
//! static ACAO on every response that is not a preflight answer: the browser compares it.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Once};

use cors_runtime::{CorsConfig, cors_handler};
use lambda_http::http::{HeaderValue, Method, Request as HttpRequest, StatusCode};
use lambda_http::{Body, Error, Request, Response};

const ALLOWED: &str = "https://myapp.com";
const LOCAL: &str = "http://localhost:5173";
const WILDCARD: &str = "https://*.myapp.com";

/// The variables the `origin_env` handlers read, each used by one handler only (a variable is
/// read once per process).
const ENV_LIST: &str = "CORS_ADVERSARIAL_ENV_LIST";
const ENV_SINGLE: &str = "CORS_ADVERSARIAL_ENV_SINGLE";
const ENV_BUILDER: &str = "CORS_ADVERSARIAL_ENV_BUILDER";
const ENV_STAR: &str = "CORS_ADVERSARIAL_ENV_STAR_WITH_CREDENTIALS";
const ENV_LIST_VALUE: &str = "https://myapp.com, http://localhost:5173,https://*.myapp.com";

const PANIC_MARKER: &str = "adversarial handler panics on purpose";

/// Sets the variables once, before any handler reads them.
fn set_env() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // SAFETY: std serializes `set_var` with every `std::env::var` through its environment
        // lock, and nothing in this test binary reads the environment from C code.
        unsafe {
            std::env::set_var(ENV_LIST, ENV_LIST_VALUE);
            std::env::set_var(ENV_SINGLE, ALLOWED);
            std::env::set_var(ENV_BUILDER, ENV_LIST_VALUE);
            std::env::set_var(ENV_STAR, "*");
        }
        // The handler's deliberate panics are expected; every other panic (a failed assertion)
        // is reported as usual.
        let default_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if info.payload().downcast_ref::<&str>() != Some(&PANIC_MARKER) {
                default_hook(info);
            }
        }));
    });
}

/// What every handler does: `/err` fails, `/panic` panics, anything else succeeds with a `Vary`
/// of its own.
async fn behaviour(event: Request) -> Result<Response<Body>, Error> {
    match event.uri().path() {
        "/err" => Err("database password is hunter2".into()),
        "/panic" => std::panic::panic_any(PANIC_MARKER),
        _ => Ok(Response::builder()
            .header("vary", "accept-encoding")
            .body("handled".into())?),
    }
}

#[cors_handler(origin = "https://myapp.com", credentials = true)]
async fn literal(event: Request) -> Result<Response<Body>, Error> {
    behaviour(event).await
}

#[cors_handler(origin = ["https://myapp.com", "http://localhost:5173"], credentials = true)]
async fn list(event: Request) -> Result<Response<Body>, Error> {
    behaviour(event).await
}

#[cors_handler(origin = "https://*.myapp.com", credentials = true)]
async fn wildcard(event: Request) -> Result<Response<Body>, Error> {
    behaviour(event).await
}

#[cors_handler(origin = "*")]
async fn any(event: Request) -> Result<Response<Body>, Error> {
    behaviour(event).await
}

#[cors_handler(origin_env = "CORS_ADVERSARIAL_ENV_LIST", credentials = true)]
async fn env_list(event: Request) -> Result<Response<Body>, Error> {
    behaviour(event).await
}

#[cors_handler(origin_env = "CORS_ADVERSARIAL_ENV_SINGLE", credentials = true)]
async fn env_single(event: Request) -> Result<Response<Body>, Error> {
    behaviour(event).await
}

#[cors_handler(
    origin_env = "CORS_ADVERSARIAL_ENV_STAR_WITH_CREDENTIALS",
    credentials = true
)]
async fn env_star_with_credentials(event: Request) -> Result<Response<Body>, Error> {
    behaviour(event).await
}

/// What a configuration allows, for the expectations of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `https://myapp.com` alone.
    Literal,
    /// `https://myapp.com`, `http://localhost:5173`.
    List,
    /// `https://*.myapp.com`.
    Wildcard,
    /// `*`.
    Any,
    /// The list and the wildcard, from the environment.
    Env,
    /// `https://myapp.com` alone, from the environment (echoed, not static).
    EnvSingle,
}

use Kind::*;

const NOBODY: &[Kind] = &[];
const EXACT: &[Kind] = &[Literal, List, Env, EnvSingle];
const LOCALHOST: &[Kind] = &[List, Env];
const SUBDOMAIN: &[Kind] = &[Wildcard, Env];

/// One request origin, its class, and the configurations that allow it (`*` allows everyone and
/// is not listed).
struct Case {
    class: &'static str,
    origin: Vec<u8>,
    allowed_by: &'static [Kind],
}

fn case(class: &'static str, origin: impl AsRef<[u8]>, allowed_by: &'static [Kind]) -> Case {
    Case {
        class,
        origin: origin.as_ref().to_vec(),
        allowed_by,
    }
}

#[rustfmt::skip]
fn cases() -> Vec<Case> {
    let mut cases = vec![
        // What is allowed is granted: the controls that make every denial below meaningful.
        case("control", ALLOWED, EXACT),
        case("control", LOCAL, LOCALHOST),
        case("control", "https://a.myapp.com", SUBDOMAIN),
        case("control", "https://a.b.myapp.com", SUBDOMAIN),
        case("control", "https://pr-17.preview.myapp.com", SUBDOMAIN),
        case("control", "https://xn--mnchen-3ya.myapp.com", SUBDOMAIN),
        case("control", "https://evil.net.myapp.com", SUBDOMAIN),
        case("control", "https://myapp.com.myapp.com", SUBDOMAIN),
        case("control", "https://0.myapp.com", SUBDOMAIN),

        case("reflected origin", "https://evil.net", NOBODY),
        case("reflected origin", "https://attacker.example", NOBODY),
        case("reflected origin", "http://evil.net", NOBODY),
        case("reflected origin", "http://127.0.0.1:5173", NOBODY),
        case("reflected origin", "http://[::1]:5173", NOBODY),

        case("null", "null", NOBODY),
        case("null", "NULL", NOBODY),
        case("null", "Null", NOBODY),
        case("null", "null ", NOBODY),
        case("null", "nul", NOBODY),

        case("prefix trick", "https://myapp.com.evil.net", NOBODY),
        case("prefix trick", "https://myapp.com-evil.net", NOBODY),
        case("prefix trick", "https://myapp.comevil.net", NOBODY),
        case("prefix trick", "https://myapp.com.evil.net:443", NOBODY),
        case("prefix trick", "http://localhost:5173.evil.net", NOBODY),
        case("prefix trick", "http://localhost:51730", NOBODY),
        case("prefix trick", "https://a.myapp.com.evil.net", NOBODY),
        case("prefix trick", "https://myapp.community", NOBODY),

        case("suffix trick", "https://evilmyapp.com", NOBODY),
        case("suffix trick", "https://evil-myapp.com", NOBODY),
        case("suffix trick", "https://evil.netmyapp.com", NOBODY),
        case("suffix trick", "https://xmyapp.com", NOBODY),
        case("suffix trick", "https://.myapp.com", NOBODY),
        case("suffix trick", "https://..myapp.com", NOBODY),
        case("suffix trick", "https://a..myapp.com", NOBODY),
        case("suffix trick", "http://evillocalhost:5173", NOBODY),
        case("suffix trick", "https://evil.com/.myapp.com", NOBODY),
        case("suffix trick", "https://evil.com?.myapp.com", NOBODY),
        case("suffix trick", "https://evil.com#.myapp.com", NOBODY),
        case("suffix trick", "https://evil.com:.myapp.com", NOBODY),
        case("suffix trick", "https://evil.com,.myapp.com", NOBODY),
        case("suffix trick", "https://evil.com=.myapp.com", NOBODY),

        case("unescaped dot", "https://myappxcom", NOBODY),
        case("unescaped dot", "https://myapp-com.evil", NOBODY),
        case("unescaped dot", "https://myapp_com", NOBODY),
        case("unescaped dot", "https://wwwxmyapp.com", NOBODY),
        case("unescaped dot", "https://a-myapp.com", NOBODY),
        case("unescaped dot", "http://localhostx5173", NOBODY),
        case("unescaped dot", "https://myapp.co", NOBODY),
        case("unescaped dot", "https://myapp.com.co", NOBODY),

        case("scheme downgrade", "http://myapp.com", NOBODY),
        case("scheme downgrade", "http://a.myapp.com", NOBODY),
        case("scheme downgrade", "https://localhost:5173", NOBODY),
        case("scheme", "HTTPS://myapp.com", NOBODY),
        case("scheme", "Https://myapp.com", NOBODY),
        case("scheme", "https:/myapp.com", NOBODY),
        case("scheme", "https:myapp.com", NOBODY),
        case("scheme", "https//myapp.com", NOBODY),
        case("scheme", "//myapp.com", NOBODY),
        case("scheme", "myapp.com", NOBODY),
        case("scheme", "wss://myapp.com", NOBODY),
        case("scheme", "ftp://myapp.com", NOBODY),
        case("scheme", "file://", NOBODY),
        case("scheme", "chrome-extension://myapp.com", NOBODY),
        case("scheme", "https://https://myapp.com", NOBODY),
        case("scheme", "https ://myapp.com", NOBODY),

        case("other port", "https://myapp.com:443", NOBODY),
        case("other port", "https://myapp.com:8443", NOBODY),
        case("other port", "https://myapp.com:", NOBODY),
        case("other port", "https://myapp.com:0", NOBODY),
        case("other port", "https://myapp.com:0443", NOBODY),
        case("other port", "https://myapp.com:65536", NOBODY),
        case("other port", "http://localhost:5174", NOBODY),
        case("other port", "http://localhost", NOBODY),
        case("other port", "http://localhost:80", NOBODY),
        case("other port", "http://localhost:05173", NOBODY),
        case("other port", "http://localhost:5173:5173", NOBODY),
        case("other port", "https://a.myapp.com:443", NOBODY),
        case("other port", "https://a.myapp.com:8443", NOBODY),
        case("other port", "https://a.myapp.com:", NOBODY),

        case("trailing dot or slash", "https://myapp.com.", NOBODY),
        case("trailing dot or slash", "https://myapp.com/", NOBODY),
        case("trailing dot or slash", "https://myapp.com//", NOBODY),
        case("trailing dot or slash", "https://myapp.com/path", NOBODY),
        case("trailing dot or slash", "https://myapp.com?", NOBODY),
        case("trailing dot or slash", "https://myapp.com?x=1", NOBODY),
        case("trailing dot or slash", "https://myapp.com#", NOBODY),
        case("trailing dot or slash", "http://localhost:5173/", NOBODY),
        case("trailing dot or slash", "https://a.myapp.com.", NOBODY),
        case("trailing dot or slash", "https://a.myapp.com/", NOBODY),

        case("upper case", "https://MyApp.com", NOBODY),
        case("upper case", "https://MYAPP.COM", NOBODY),
        case("upper case", "HTTPS://MYAPP.COM", NOBODY),
        case("upper case", "https://myapp.Com", NOBODY),
        case("upper case", "https://A.myapp.com", NOBODY),
        case("upper case", "https://a.MyApp.com", NOBODY),
        case("upper case", "HTTP://localhost:5173", NOBODY),
        case("upper case", "http://LOCALHOST:5173", NOBODY),

        case("percent-encoding", "https://myapp%2ecom", NOBODY),
        case("percent-encoding", "https://myapp.com%2f", NOBODY),
        case("percent-encoding", "https://%6dyapp.com", NOBODY),
        case("percent-encoding", "https://myapp.com%00", NOBODY),
        case("percent-encoding", "https://a%2emyapp.com", NOBODY),
        case("percent-encoding", "https://evil.com%2f.myapp.com", NOBODY),
        case("percent-encoding", "https://myapp.com%0d%0aSet-Cookie:%20x=1", NOBODY),
        case("special characters", "", NOBODY),
        case("special characters", "*", NOBODY),
        case("special characters", "https://*.myapp.com", NOBODY),
        case("special characters", "https://*", NOBODY),
        case("special characters", "https://a*.myapp.com", NOBODY),
        case("special characters", "https://myapp.com;", NOBODY),
        case("special characters", "https://myapp.com,https://evil.net", NOBODY),
        case("special characters", "https://evil.net,https://myapp.com", NOBODY),
        case("special characters", "https://myapp.com, https://myapp.com", NOBODY),
        case("special characters", "https://myapp.com https://evil.net", NOBODY),
        case("special characters", " https://myapp.com", NOBODY),
        case("special characters", "https://myapp.com ", NOBODY),
        case("special characters", "\thttps://myapp.com", NOBODY),
        case("special characters", "https://myapp.com\t", NOBODY),
        case("special characters", "https://a.myapp.com\t", NOBODY),
        case("special characters", "https://a_b.myapp.com", NOBODY),
        case("special characters", "https://-a.myapp.com", NOBODY),
        case("special characters", "https://a-.myapp.com", NOBODY),
        case("special characters", "https://a.myapp.com\"", NOBODY),
        case("special characters", "https://myapp.com'", NOBODY),
        case("special characters", "https://myapp.com<script>", NOBODY),
        case("special characters", "https://a~b.myapp.com", NOBODY),
        case("special characters", "https://a!.myapp.com", NOBODY),

        case("userinfo", "https://myapp.com@evil.net", NOBODY),
        case("userinfo", "https://evil.net@myapp.com", NOBODY),
        case("userinfo", "https://user:pass@myapp.com", NOBODY),
        case("userinfo", "https://a.myapp.com@evil.net", NOBODY),
        case("userinfo", "https://evil.net@a.myapp.com", NOBODY),
        case("userinfo", "https://myapp.com:443@evil.net", NOBODY),
        case("userinfo", "http://localhost:5173@evil.net", NOBODY),
        case("userinfo", "https://@myapp.com", NOBODY),

        case("backslash", "https://myapp.com\\evil.net", NOBODY),
        case("backslash", "https://evil.net\\.myapp.com", NOBODY),
        case("backslash", "https:\\\\myapp.com", NOBODY),
        case("backslash", "https://evil.net\\@myapp.com", NOBODY),
        case("backslash", "https://myapp.com\\", NOBODY),
        case("backslash", "https://a\\.myapp.com", NOBODY),

        case("non-UTF-8", b"https://myapp.com\xff", NOBODY),
        case("non-UTF-8", b"\xffhttps://myapp.com", NOBODY),
        case("non-UTF-8", b"https://myapp.c\xf6m", NOBODY),
        case("non-UTF-8", b"https://myapp.com\x80", NOBODY),
        case("non-UTF-8", b"https://a.myapp.com\xff", NOBODY),
        case("non-UTF-8", b"https://\xe9vil.myapp.com", NOBODY),
        case("non-ASCII", "https://my\u{e4}pp.com", NOBODY),
        case("non-ASCII", "https://\u{e9}vil.myapp.com", NOBODY),
        case("non-ASCII", "https://m\u{443}app.com", NOBODY),
        case("non-ASCII", "https://myapp\u{3002}com", NOBODY),
        case("non-ASCII", "https://a.myapp.com\u{200b}", NOBODY),
    ];
    let long_label = "a".repeat(64);
    let longest_label = "a".repeat(63);
    cases.extend([
        case("very long", format!("https://{}.myapp.com", "a".repeat(100_000)), NOBODY),
        case("very long", format!("https://myapp.com{}", "a".repeat(100_000)), NOBODY),
        case("very long", format!("https://myapp.com{}", "/".repeat(10_000)), NOBODY),
        case("very long", format!("https://myapp.com:{}", "1".repeat(10_000)), NOBODY),
        case("very long", format!("{}https://myapp.com", "x".repeat(10_000)), NOBODY),
        case("very long", format!("https://{long_label}.myapp.com"), NOBODY),
        case("very long", format!("https://a.{long_label}.myapp.com"), NOBODY),
        case("control", format!("https://{longest_label}.myapp.com"), SUBDOMAIN),
        case("control", format!("https://{}myapp.com", "a.".repeat(100)), SUBDOMAIN),
    ]);
    cases
}

type Handler = Box<dyn Fn(Request) -> Pin<Box<dyn Future<Output = Response<Body>>>>>;

/// An attribute-wrapped handler, whose error type is `Infallible`.
fn attribute<F, Fut>(handler: F) -> Handler
where
    F: Fn(Request) -> Fut + 'static,
    Fut: Future<Output = Result<Response<Body>, Infallible>> + 'static,
{
    Box::new(move |request| {
        let response = handler(request);
        Box::pin(async move {
            match response.await {
                Ok(response) => response,
                Err(never) => match never {},
            }
        })
    })
}

/// `behaviour` wrapped by `CorsConfig::handle`.
fn builder(config: Result<CorsConfig, cors_runtime::ConfigError>) -> Handler {
    let config = Arc::new(config.expect("a valid configuration"));
    Box::new(move |request| {
        let config = Arc::clone(&config);
        Box::pin(async move { config.handle(request, behaviour).await })
    })
}

/// Every configuration, by name: (name, kind, handler).
fn configurations() -> Vec<(&'static str, Kind, Handler)> {
    set_env();
    vec![
        ("literal (attribute)", Literal, attribute(literal)),
        (
            "literal (builder)",
            Literal,
            builder(
                CorsConfig::builder()
                    .allow_origin(ALLOWED)
                    .allow_credentials(true)
                    .build(),
            ),
        ),
        ("list (attribute)", List, attribute(list)),
        (
            "list (builder)",
            List,
            builder(
                CorsConfig::builder()
                    .allow_origins([ALLOWED, LOCAL])
                    .allow_credentials(true)
                    .build(),
            ),
        ),
        ("wildcard (attribute)", Wildcard, attribute(wildcard)),
        (
            "wildcard (builder)",
            Wildcard,
            builder(
                CorsConfig::builder()
                    .allow_origin(WILDCARD)
                    .allow_credentials(true)
                    .build(),
            ),
        ),
        ("* (attribute)", Any, attribute(any)),
        (
            "* (builder)",
            Any,
            builder(CorsConfig::builder().allow_origin("*").build()),
        ),
        ("env list (attribute)", Env, attribute(env_list)),
        ("env single (attribute)", EnvSingle, attribute(env_single)),
        (
            "env list (builder)",
            Env,
            builder(
                CorsConfig::builder()
                    .allow_origins_from_env(ENV_BUILDER)
                    .allow_credentials(true)
                    .build(),
            ),
        ),
    ]
}

/// The ways one origin is sent.
#[derive(Debug, Clone, Copy)]
enum Probe {
    Ok,
    Err,
    Panic,
    /// `OPTIONS` asking for `PUT` and `content-type` (both allowed by the defaults).
    Preflight,
    /// `OPTIONS` asking for `GET`, no request headers.
    SimplePreflight,
}

const PROBES: [Probe; 5] = [
    Probe::Ok,
    Probe::Err,
    Probe::Panic,
    Probe::Preflight,
    Probe::SimplePreflight,
];

fn request(probe: Probe, origins: &[&[u8]]) -> Request {
    let (method, path) = match probe {
        Probe::Ok => (Method::GET, "/ok"),
        Probe::Err => (Method::POST, "/err"),
        Probe::Panic => (Method::GET, "/panic"),
        Probe::Preflight | Probe::SimplePreflight => (Method::OPTIONS, "/ok"),
    };
    let mut builder = HttpRequest::builder().method(method).uri(path);
    for origin in origins {
        let value = HeaderValue::from_bytes(origin).unwrap_or_else(|e| {
            panic!(
                "{:?} is no header value: {e}",
                String::from_utf8_lossy(origin)
            )
        });
        builder = builder.header("origin", value);
    }
    builder = match probe {
        Probe::Preflight => builder
            .header("access-control-request-method", "PUT")
            .header("access-control-request-headers", "content-type"),
        Probe::SimplePreflight => builder.header("access-control-request-method", "GET"),
        _ => builder,
    };
    builder.body(Body::Empty).expect("a valid request")
}

fn body(response: &Response<Body>) -> &[u8] {
    match response.body() {
        Body::Empty => b"",
        Body::Text(text) => text.as_bytes(),
        Body::Binary(bytes) => bytes,
        _ => unreachable!("no other body kind is built"),
    }
}

/// Checks one response. `grant` is what the request's origin may be granted: `Some(origin)`
/// when the configuration allows the request's single origin, `None` otherwise.
fn check(
    name: &str,
    kind: Kind,
    probe: Probe,
    grant: Option<&[u8]>,
    response: &Response<Body>,
    what: &str,
) {
    let headers = response.headers();
    let context = format!("{name}, {probe:?}, {what}");
    let acao: Vec<&[u8]> = headers
        .get_all("access-control-allow-origin")
        .iter()
        .map(HeaderValue::as_bytes)
        .collect();
    assert!(acao.len() <= 1, "{context}: several ACAO {acao:?}");
    let acao = acao.first().copied();
    let credentials = headers.get("access-control-allow-credentials");
    let preflight = matches!(probe, Probe::Preflight | Probe::SimplePreflight);

    // Who answered, with what.
    let expected_status = match (probe, kind, grant) {
        (Probe::Ok, ..) => StatusCode::OK,
        (Probe::Err | Probe::Panic, ..) => StatusCode::INTERNAL_SERVER_ERROR,
        // Every preflight is answered `204`, granted or not.
        _ => StatusCode::NO_CONTENT,
    };
    assert_eq!(response.status(), expected_status, "{context}");
    if preflight {
        assert_eq!(
            response.status(),
            StatusCode::NO_CONTENT,
            "{context}: a preflight reached the handler"
        );
        assert_eq!(
            body(response),
            b"",
            "{context}: a preflight answer has a body"
        );
    }

    // The grant.
    match kind {
        Any => {
            assert_eq!(acao, Some(&b"*"[..]), "{context}");
            assert!(credentials.is_none(), "{context}: `*` with credentials");
        }
        Literal if !preflight => {
            // The static ACAO: the configured origin, whatever the request's.
            assert_eq!(acao, Some(ALLOWED.as_bytes()), "{context}");
        }
        _ => assert_eq!(acao, grant, "{context}: wrong grant"),
    }
    if let Some(credentials) = credentials {
        assert_eq!(credentials, "true", "{context}");
        assert!(
            acao.is_some_and(|a| a != b"*"),
            "{context}: credentials without a named origin ({acao:?})"
        );
    } else if acao.is_some() && kind != Any {
        panic!("{context}: a grant without the configured credentials");
    }

    // Vary.
    let vary: Vec<&str> = headers
        .get_all("vary")
        .iter()
        .map(|v| v.to_str().expect("a Vary we wrote is ASCII"))
        .collect();
    if matches!(kind, List | Wildcard | Env | EnvSingle) || preflight {
        assert_eq!(vary.len(), 1, "{context}: Vary {vary:?}");
        assert!(
            vary[0]
                .split(',')
                .any(|t| t.trim().eq_ignore_ascii_case("origin")),
            "{context}: Vary {vary:?} lacks Origin"
        );
    }
    if matches!(probe, Probe::Ok) {
        assert!(
            vary.iter().any(|v| v.contains("accept-encoding")),
            "{context}: the handler's Vary was lost: {vary:?}"
        );
    }

    // Nothing of the error's text.
    if matches!(probe, Probe::Err | Probe::Panic) {
        assert_eq!(
            body(response),
            br#"{"message":"Internal Server Error"}"#,
            "{context}"
        );
    }
}

/// Sends every case to the configurations whose name starts with `prefix`.
async fn run_cases(prefix: &str) {
    let configurations = configurations();
    let selected: Vec<_> = configurations
        .iter()
        .filter(|(name, ..)| name.starts_with(prefix))
        .collect();
    assert!(!selected.is_empty(), "no configuration named {prefix}");
    for (name, kind, handler) in selected {
        let mut granted = 0;
        for case in cases() {
            let origin = case.origin.as_slice();
            let what = format!(
                "{}: {:?}",
                case.class,
                String::from_utf8_lossy(&origin[..origin.len().min(80)])
            );
            let grant = case.allowed_by.contains(kind).then_some(origin);
            for probe in PROBES {
                let response = handler(request(probe, &[origin])).await;
                check(name, *kind, probe, grant, &response, &what);
            }
            granted += usize::from(grant.is_some());
        }
        if *kind != Any {
            assert!(granted > 0, "{name}: the controls granted nothing");
        }
    }
}

#[tokio::test]
async fn a_single_literal_origin_is_never_granted_to_another() {
    run_cases("literal").await;
}

#[tokio::test]
async fn a_list_grants_exactly_its_members() {
    run_cases("list").await;
}

#[tokio::test]
async fn a_wildcard_grants_exactly_its_subdomains() {
    run_cases("wildcard").await;
}

#[tokio::test]
async fn star_grants_star_and_never_a_named_origin_or_credentials() {
    run_cases("*").await;
}

#[tokio::test]
async fn origins_from_the_environment_grant_exactly_their_members() {
    run_cases("env").await;
}

#[tokio::test]
async fn several_origin_headers_or_none_are_never_granted() {
    let evil: &[u8] = b"https://evil.net";
    let allowed: &[u8] = ALLOWED.as_bytes();
    let sub: &[u8] = b"https://a.myapp.com";
    let sets: [&[&[u8]]; 6] = [
        &[],
        &[allowed, allowed],
        &[allowed, evil],
        &[evil, allowed],
        &[sub, sub],
        &[allowed, sub, evil],
    ];
    for (name, kind, handler) in configurations() {
        for origins in sets {
            for probe in PROBES {
                let response = handler(request(probe, origins)).await;
                let what = format!("Origin headers {origins:?}");
                if origins.is_empty() && matches!(probe, Probe::Preflight | Probe::SimplePreflight)
                {
                    // Without `Origin`, an OPTIONS request is no preflight: the handler answers.
                    assert_eq!(response.status(), StatusCode::OK, "{name}: {what}");
                    assert_eq!(body(&response), b"handled", "{name}: {what}");
                    let acao = response.headers().get("access-control-allow-origin");
                    match kind {
                        Any => assert_eq!(acao.unwrap(), "*"),
                        Literal => assert_eq!(acao.unwrap(), ALLOWED),
                        _ => assert_eq!(acao, None, "{name}: {what}"),
                    }
                    continue;
                }
                check(name, kind, probe, None, &response, &what);
            }
        }
    }
}

#[test]
fn star_with_credentials_cannot_be_built() {
    let error = CorsConfig::builder()
        .allow_origin("*")
        .allow_credentials(true)
        .build()
        .expect_err("`*` with credentials");
    assert!(
        error
            .problems()
            .iter()
            .any(|p| p.message().contains("credentials") && p.message().contains('*')),
        "{error}"
    );
    set_env();
    let error = CorsConfig::builder()
        .allow_origins_from_env(ENV_STAR)
        .allow_credentials(true)
        .build()
        .expect_err("`*` from the environment with credentials");
    assert!(error.to_string().contains("credentials"), "{error}");
}

#[tokio::test]
async fn star_from_the_environment_with_credentials_is_refused_at_cold_start() {
    set_env();
    for probe in PROBES {
        let response = env_star_with_credentials(request(probe, &[ALLOWED.as_bytes()]))
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::INTERNAL_SERVER_ERROR,
            "{probe:?}"
        );
        assert!(
            response
                .headers()
                .get("access-control-allow-origin")
                .is_none()
        );
        assert!(
            response
                .headers()
                .get("access-control-allow-credentials")
                .is_none()
        );
        assert_eq!(body(&response), br#"{"message":"Internal Server Error"}"#);
    }
}

/// A handler that still sets CORS headers of its own (left over from hand-written CORS, or
/// copied from a tutorial).
async fn legacy_cors(_: Request) -> Result<Response<Body>, Error> {
    Ok(Response::builder()
        .header("access-control-allow-origin", "https://evil.net")
        .header("access-control-allow-credentials", "true")
        .body("handled".into())?)
}

#[cors_handler(origin = "*")]
async fn any_with_legacy_cors(event: Request) -> Result<Response<Body>, Error> {
    legacy_cors(event).await
}

#[cors_handler(origin = ["https://myapp.com", "http://localhost:5173"])]
async fn list_with_legacy_cors(event: Request) -> Result<Response<Body>, Error> {
    legacy_cors(event).await
}

/// Regression (found by properties.rs): the configuration alone grants. A handler's own
/// `Access-Control-Allow-Origin` is replaced, and its `Access-Control-Allow-Credentials` must not
/// survive where the configuration does not allow credentials: with `*` that makes the
/// forbidden pair `*` + credentials, with a list it lets every allowed origin read credentialed
/// responses the configuration never allowed.
#[tokio::test]
async fn a_handlers_own_cors_headers_never_grant_more_than_the_configuration() {
    set_env();
    let configs: Vec<(&str, &str, Handler)> = vec![
        ("* (attribute)", "*", attribute(any_with_legacy_cors)),
        (
            "* (builder)",
            "*",
            legacy_builder(CorsConfig::builder().allow_origin("*").build()),
        ),
        (
            "list without credentials (attribute)",
            ALLOWED,
            attribute(list_with_legacy_cors),
        ),
        (
            "list without credentials (builder)",
            ALLOWED,
            legacy_builder(
                CorsConfig::builder()
                    .allow_origins([ALLOWED, LOCAL])
                    .build(),
            ),
        ),
        (
            "literal without credentials (builder)",
            ALLOWED,
            legacy_builder(CorsConfig::builder().allow_origin(ALLOWED).build()),
        ),
    ];
    for (name, acao, handler) in configs {
        let response = handler(request(Probe::Ok, &[ALLOWED.as_bytes()])).await;
        let headers = response.headers();
        assert_eq!(
            headers.get("access-control-allow-origin").unwrap(),
            acao,
            "{name}"
        );
        assert_eq!(
            headers.get("access-control-allow-credentials"),
            None,
            "{name}: the handler's `Access-Control-Allow-Credentials: true` survived next to \
             ACAO {acao:?}, although the configuration does not allow credentials"
        );
    }
}

fn legacy_builder(config: Result<CorsConfig, cors_runtime::ConfigError>) -> Handler {
    let config = Arc::new(config.expect("a valid configuration"));
    Box::new(move |request| {
        let config = Arc::clone(&config);
        Box::pin(async move { config.handle(request, legacy_cors).await })
    })
}

/// Regression (fuzz target `wrapper`, crash-b2e38f36c78756e4259bcc34f729f85dee5f0b44): `OPTIONS`
/// without `Origin` to a `*` configuration that passes preflights to the handler, whose response
/// carries `Access-Control-Allow-Credentials: https://myapp.com`. The response paired it with
/// `Access-Control-Allow-Origin: *`.
#[tokio::test]
async fn regression_fuzz_wrapper_star_keeps_the_handlers_credentials_header() {
    let config = CorsConfig::builder()
        .allow_origin("*")
        .allow_methods(["*"])
        .allow_headers(["*"])
        .answer_preflight(false)
        .build()
        .unwrap();
    let request = HttpRequest::builder()
        .method(Method::OPTIONS)
        .body(Body::Empty)
        .unwrap();
    let response = config
        .handle(request, |_| async {
            Ok::<_, Error>(
                Response::builder()
                    .header("access-control-allow-credentials", "https://myapp.com")
                    .body(Body::Empty)?,
            )
        })
        .await;
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
    assert_eq!(
        response.headers().get("access-control-allow-credentials"),
        None,
        "`*` next to the handler's Access-Control-Allow-Credentials"
    );
}
