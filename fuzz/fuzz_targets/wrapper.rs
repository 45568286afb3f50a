//! The whole wrapper, `CorsConfig::handle`, on arbitrary requests (method, header names and
//! values, non-UTF-8 included) and arbitrary handler outcomes (a response with arbitrary headers,
//! an error, a typed error, a panic), under configurations of every origin form and with a
//! check in code (synchronous or `async`; it panics, fails or answers). It never panics, and
//! every response keeps the contract's invariants: every answered preflight is `204`, a grant
//! only for what the configuration allows, the check asked only about a request's single,
//! serialized origin the lists do not allow.
#![no_main]

use std::borrow::Cow;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicBool, Ordering};

use cors_fuzz::{
    PANIC_MARKER, YieldOnce, block_on, let_marked_panics_through, reference_entry_allows,
    reference_serialized_origin, single, take_asked, tenant_check, tenant_grants, values,
    vary_lists,
};
use cors_runtime::{CorsConfig, Csrf, ErrorResponse, StatusCode};
use http::{HeaderMap, HeaderName, HeaderValue, Method, Request, Response};
use lambda_http::Body;
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    config: u8,
    method: MethodChoice,
    request_headers: Vec<(NameChoice, ValueChoice)>,
    outcome: Outcome,
    response_headers: Vec<(NameChoice, ValueChoice)>,
}

#[derive(Arbitrary, Debug)]
enum MethodChoice {
    Options,
    Get,
    Post,
    Raw(Vec<u8>),
}

#[derive(Arbitrary, Debug)]
enum NameChoice {
    Known(u8),
    Raw(Vec<u8>),
}

#[derive(Arbitrary, Debug)]
enum ValueChoice {
    Known(u8),
    /// A known value with arbitrary bytes after it: near-misses such as `https://myapp.com.evil`.
    KnownThen(u8, Vec<u8>),
    /// Arbitrary bytes, then a known value: `https://evilmyapp.com`-like.
    ThenKnown(Vec<u8>, u8),
    Raw(Vec<u8>),
}

#[derive(Arbitrary, Debug)]
enum Outcome {
    Ok(u16),
    Err,
    /// An error that chooses its response, under `handle_typed`.
    Typed(u16),
    /// The same error under `handle`, which answers every error with the default `500`.
    TypedUnderHandle(u16),
    Panic,
}

const NAMES: &[&str] = &[
    "origin",
    "access-control-request-method",
    "access-control-request-headers",
    "vary",
    "content-type",
    "access-control-allow-origin",
    "access-control-allow-credentials",
    "access-control-expose-headers",
    "access-control-allow-methods",
    "x-request-id",
    "cookie",
    "sec-fetch-site",
    "host",
];

const VALUES: &[&str] = &[
    "https://myapp.com",
    "http://localhost:5173",
    "https://a.myapp.com",
    "https://a.b.myapp.com",
    "https://evil.net",
    "https://pr-1.preview.myapp.com",
    "http://localhost:3000",
    "http://[::1]:8080",
    "capacitor://localhost",
    "chrome-extension://cciilamhchpmbdnniabclekddabkifhb",
    "https://acme.tenant.example",
    "https://boom.tenant.example",
    "https://down.tenant.example",
    "null",
    "*",
    "PUT",
    "GET",
    "content-type, x-api-key",
    "Authorization",
    "accept-encoding",
    "Origin",
    "true",
    "",
    "cross-site",
    "same-origin",
    "same-site",
    "none",
    "myapp.com",
    "localhost:5173",
];

const LITERAL: &str = "https://myapp.com";
const LIST: &[&str] = &[
    "https://myapp.com",
    "http://localhost:5173",
    "https://*.myapp.com",
];

/// The new forms: a wildcard inside a label, any port on loopback hosts, apps and extensions.
const FORMS: &[&str] = &[
    "https://pr-*.preview.myapp.com",
    "http://localhost:*",
    "http://[::1]:*",
    "capacitor://localhost",
    "chrome-extension://cciilamhchpmbdnniabclekddabkifhb",
];

/// The configurations, and which origins the reference allows for each.
enum Allowed {
    Any,
    Literal,
    List(&'static [&'static str]),
    /// The list, then the check in code ([`tenant_check`]).
    Checked(&'static [&'static str]),
}

static CONFIGS: LazyLock<Vec<(CorsConfig, Allowed)>> = LazyLock::new(|| {
    let b = CorsConfig::builder;
    let configs = vec![
        (
            b().allow_origin(LITERAL).allow_credentials(true).build(),
            Allowed::Literal,
        ),
        (
            b().allow_origins(LIST.iter().copied())
                .allow_credentials(true)
                .expose_headers(["x-request-id"])
                .max_age(60)
                .build(),
            Allowed::List(LIST),
        ),
        (
            b().allow_origin("https://*.myapp.com").build(),
            Allowed::List(&["https://*.myapp.com"]),
        ),
        (
            b().allow_origin("*")
                .allow_methods(["*"])
                .allow_headers(["*"])
                .build(),
            Allowed::Any,
        ),
        (
            b().allow_origin(LITERAL).answer_preflight(false).build(),
            Allowed::Literal,
        ),
        (
            b().allow_origins(LIST.iter().copied())
                .allow_credentials(true)
                .answer_preflight(false)
                .build(),
            Allowed::List(LIST),
        ),
        (
            b().allow_origin("*").answer_preflight(false).build(),
            Allowed::Any,
        ),
        (
            b().allow_origins(FORMS.iter().copied())
                .allow_credentials(true)
                .expose_headers(["x-request-id"])
                .build(),
            Allowed::List(FORMS),
        ),
        (
            b().allow_origin("http://localhost:*")
                .answer_preflight(false)
                .build(),
            Allowed::List(&["http://localhost:*"]),
        ),
        (
            b().allow_origin(LITERAL)
                .allow_origin_fn(|origin: &str| tenant_check(origin).unwrap_or(false))
                .allow_credentials(true)
                .build(),
            Allowed::Checked(&[LITERAL]),
        ),
        (
            b().allow_origin_async_fn(|origin: String| async move {
                YieldOnce::default().await;
                tenant_check(&origin)
            })
            .allow_credentials(true)
            .build(),
            Allowed::Checked(&[]),
        ),
        (
            b().allow_origins(["https://*.myapp.com", "http://localhost:*"])
                .allow_origin_async_fn(|origin: String| async move {
                    YieldOnce::default().await;
                    tenant_check(&origin)
                })
                .answer_preflight(false)
                .build(),
            Allowed::Checked(&["https://*.myapp.com", "http://localhost:*"]),
        ),
    ];
    configs
        .into_iter()
        .map(|(config, allowed)| (config.expect("a valid configuration"), allowed))
        .collect()
});

#[derive(Debug)]
struct Typed(StatusCode);

impl std::fmt::Display for Typed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "typed failure with secret text {}", self.0)
    }
}

impl ErrorResponse for Typed {
    fn status(&self) -> StatusCode {
        self.0
    }

    fn message(&self) -> Cow<'static, str> {
        "typed".into()
    }
}

fn name(choice: &NameChoice) -> Option<HeaderName> {
    match choice {
        NameChoice::Known(i) => Some(HeaderName::from_static(
            NAMES[usize::from(*i) % NAMES.len()],
        )),
        NameChoice::Raw(bytes) => HeaderName::from_bytes(bytes).ok(),
    }
}

fn value(choice: &ValueChoice) -> Option<HeaderValue> {
    let known = |i: &u8| VALUES[usize::from(*i) % VALUES.len()].as_bytes();
    let bytes = match choice {
        ValueChoice::Known(i) => known(i).to_vec(),
        ValueChoice::KnownThen(i, tail) => [known(i), tail].concat(),
        ValueChoice::ThenKnown(head, i) => [head, known(i)].concat(),
        ValueChoice::Raw(bytes) => bytes.clone(),
    };
    HeaderValue::from_bytes(&bytes).ok()
}

fn headers(list: &[(NameChoice, ValueChoice)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (n, v) in list {
        if let (Some(n), Some(v)) = (name(n), value(v)) {
            map.append(n, v);
        }
    }
    map
}

fuzz_target!(|input: Input| {
    let_marked_panics_through();
    let (config, allowed) = &CONFIGS[usize::from(input.config) % CONFIGS.len()];
    let method = match &input.method {
        MethodChoice::Options => Method::OPTIONS,
        MethodChoice::Get => Method::GET,
        MethodChoice::Post => Method::POST,
        MethodChoice::Raw(bytes) => Method::from_bytes(bytes).unwrap_or(Method::PATCH),
    };
    let request_headers = headers(&input.request_headers);
    let handler_headers = headers(&input.response_headers);
    let mut request = Request::builder()
        .method(method.clone())
        .body(Body::Empty)
        .expect("a valid request");
    *request.headers_mut() = request_headers.clone();

    take_asked();
    let ran = AtomicBool::new(false);
    let respond = |status: u16| {
        let mut response = Response::new(Body::from("handled"));
        *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
        *response.headers_mut() = handler_headers.clone();
        response
    };
    let response = match &input.outcome {
        Outcome::Ok(status) => block_on(config.handle(request, |_| async {
            ran.store(true, Ordering::SeqCst);
            Ok::<_, lambda_http::Error>(respond(*status))
        })),
        Outcome::Err => block_on(config.handle(request, |_| async {
            ran.store(true, Ordering::SeqCst);
            Err::<Response<Body>, lambda_http::Error>("secret database text".into())
        })),
        Outcome::Typed(status) => block_on(config.handle_typed(request, |_| async {
            ran.store(true, Ordering::SeqCst);
            let status = StatusCode::from_u16(*status).unwrap_or(StatusCode::BAD_REQUEST);
            Err::<Response<Body>, _>(Typed(status))
        })),
        Outcome::TypedUnderHandle(status) => block_on(config.handle(request, |_| async {
            ran.store(true, Ordering::SeqCst);
            let status = StatusCode::from_u16(*status).unwrap_or(StatusCode::BAD_REQUEST);
            Err::<Response<Body>, _>(Typed(status))
        })),
        Outcome::Panic => block_on(config.handle(request, |_| async {
            ran.store(true, Ordering::SeqCst);
            if PANIC_MARKER.len() > 1 {
                std::panic::panic_any(PANIC_MARKER);
            }
            Ok::<_, lambda_http::Error>(respond(200))
        })),
    };
    let ran = ran.load(Ordering::SeqCst);
    let asked = take_asked();
    check_asked(allowed, &request_headers, &asked);
    check(
        config,
        allowed,
        &method,
        &request_headers,
        &handler_headers,
        &input.outcome,
        ran,
        &response,
    );
});

/// The request's one `Origin` that a browser could have sent, if it has exactly one.
fn browser_origin(headers: &HeaderMap) -> Option<&[u8]> {
    match values(headers, "origin").as_slice() {
        [one] if !one.is_empty() && one.as_bytes().iter().all(|b| (0x21..=0x7e).contains(b)) => {
            Some(one.as_bytes())
        }
        _ => None,
    }
}

fn lists_allow(list: &[&str], origin: &[u8]) -> bool {
    list.iter()
        .any(|entry| reference_entry_allows(entry, origin))
}

/// The request's one `Origin`, when a check is asked about it: a serialized origin the lists do
/// not allow.
fn askable<'h>(allowed: &Allowed, request: &'h HeaderMap) -> Option<&'h [u8]> {
    let Allowed::Checked(list) = allowed else {
        return None;
    };
    match values(request, "origin").as_slice() {
        [one]
            if reference_serialized_origin(one.as_bytes())
                && !lists_allow(list, one.as_bytes()) =>
        {
            Some(one.as_bytes())
        }
        _ => None,
    }
}

/// The check was asked exactly once about an askable origin, with its exact text, and never
/// about anything else.
fn check_asked(allowed: &Allowed, request: &HeaderMap, asked: &[String]) {
    let expected: Vec<String> = askable(allowed, request)
        .map(|origin| String::from_utf8_lossy(origin).into_owned())
        .into_iter()
        .collect();
    assert_eq!(asked, expected, "what the check was asked");
}

fn reference_allows(allowed: &Allowed, request: &HeaderMap) -> bool {
    let origin = browser_origin(request);
    if let Some(origin) = askable(allowed, request) {
        return tenant_grants(origin);
    }
    let Some(origin) = origin else { return false };
    match allowed {
        Allowed::Any => true,
        Allowed::Literal => origin == LITERAL.as_bytes(),
        Allowed::List(list) | Allowed::Checked(list) => lists_allow(list, origin),
    }
}

/// The cross-origin write guard, by its rule (`csrf`): a write (any method but `GET`, `HEAD`,
/// `OPTIONS`) under a blocking policy is refused when the first `Sec-Fetch-Site` is neither
/// `same-origin` nor `none` and the request has not exactly one `Origin`, not `null`, that the
/// policy allows; or, without `Sec-Fetch-Site`, when it has `Origin`s and not exactly one that is
/// not `null` and is allowed or names the `Host` (default ports and ASCII case aside).
fn reference_refuses_write(
    config: &CorsConfig,
    allowed: &Allowed,
    method: &Method,
    request: &HeaderMap,
) -> bool {
    if config.csrf() != Csrf::Block || [Method::GET, Method::HEAD, Method::OPTIONS].contains(method)
    {
        return false;
    }
    let origins = values(request, "origin");
    let one = match origins.as_slice() {
        [one] if one.as_bytes() != b"null" => Some(one.as_bytes()),
        _ => None,
    };
    let allows = one.is_some() && reference_allows(allowed, request);
    match request.get("sec-fetch-site").map(HeaderValue::as_bytes) {
        Some(b"same-origin" | b"none") => false,
        Some(_) => !allows,
        None if origins.is_empty() => false,
        None => !(allows || one.is_some_and(|origin| names_host(origin, request.get("host")))),
    }
}

fn names_host(origin: &[u8], host: Option<&HeaderValue>) -> bool {
    let Some(host) = host.map(HeaderValue::as_bytes) else {
        return false;
    };
    let Some(at) = origin.windows(3).position(|w| w == b"://") else {
        return false;
    };
    let default: &[u8] = match &origin[..at] {
        b"https" => b":443",
        b"http" => b":80",
        _ => b"",
    };
    let bare = |text: &'_ [u8]| -> Vec<u8> {
        let text = match default.is_empty() {
            false => text.strip_suffix(default).unwrap_or(text),
            true => text,
        };
        text.to_ascii_lowercase()
    };
    let authority = &origin[at + 3..];
    !authority.is_empty() && bare(authority) == bare(host)
}

#[allow(clippy::too_many_arguments)]
fn check(
    config: &CorsConfig,
    allowed: &Allowed,
    method: &Method,
    request: &HeaderMap,
    handler: &HeaderMap,
    outcome: &Outcome,
    ran: bool,
    response: &Response<Body>,
) {
    let headers = response.headers();
    let origin = browser_origin(request);
    let allows = reference_allows(allowed, request);
    let is_preflight = method == Method::OPTIONS
        && request.contains_key("origin")
        && request.contains_key("access-control-request-method");
    let answered = is_preflight && config.answers_preflight();
    let refused = reference_refuses_write(config, allowed, method, request);

    // Who answered.
    assert_eq!(
        ran,
        !answered && !refused,
        "the handler ran on an answered preflight or a refused write, or did not run"
    );
    if refused {
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "a refused write");
        assert!(!headers.contains_key("access-control-allow-origin"));
        assert!(!headers.contains_key("access-control-allow-credentials"));
        return;
    }
    if answered {
        // Every preflight is answered `204`, granted or not.
        assert_eq!(
            response.status(),
            StatusCode::NO_CONTENT,
            "preflight answered"
        );
        assert!(matches!(response.body(), Body::Empty));
    } else {
        let expected = match outcome {
            Outcome::Ok(status) => StatusCode::from_u16(*status).unwrap_or(StatusCode::OK),
            Outcome::Err | Outcome::Panic | Outcome::TypedUnderHandle(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
            Outcome::Typed(status) => {
                StatusCode::from_u16(*status).unwrap_or(StatusCode::BAD_REQUEST)
            }
        };
        assert_eq!(response.status(), expected);
    }
    if !matches!(outcome, Outcome::Ok(_)) && !answered {
        for value in headers.values() {
            assert!(
                !String::from_utf8_lossy(value.as_bytes()).contains("secret"),
                "an error's text leaked into a header: {value:?}"
            );
        }
    }

    // The grant.
    let acao = single(headers, "access-control-allow-origin").map(HeaderValue::as_bytes);
    match (allowed, acao) {
        (_, None) => assert!(
            !(answered && allows),
            "a preflight from allowed {:?} without Access-Control-Allow-Origin",
            origin.map(String::from_utf8_lossy)
        ),
        (Allowed::Any, Some(value)) => assert_eq!(value, b"*"),
        (Allowed::Literal, Some(value)) => {
            assert_eq!(value, LITERAL.as_bytes());
            if answered {
                assert!(
                    allows,
                    "a preflight from {origin:?} granted the literal origin"
                );
            }
        }
        (Allowed::List(_) | Allowed::Checked(_), Some(value)) => {
            assert!(allows, "{:?} granted", origin.map(String::from_utf8_lossy));
            assert_eq!(Some(value), origin);
        }
    }
    match allowed {
        Allowed::Any => assert_eq!(acao, Some(&b"*"[..])),
        Allowed::Literal if !answered => assert_eq!(acao, Some(LITERAL.as_bytes())),
        _ => {}
    }
    if allows && matches!(allowed, Allowed::List(_) | Allowed::Checked(_)) {
        assert_eq!(acao, origin, "an allowed origin was not granted");
    }
    let credentials = single(headers, "access-control-allow-credentials");
    if let Some(credentials) = credentials {
        assert_eq!(credentials, "true");
        assert!(
            acao.is_some_and(|v| v != b"*"),
            "credentials without a named origin: {acao:?}"
        );
    }
    if acao.is_some() {
        assert_eq!(credentials.is_some(), config.allows_credentials());
    }

    // Vary: one header; Origin in it when the response depends on the origin; the handler's
    // tokens kept.
    let vary = values(headers, "vary");
    if config.varies_on_origin() || answered {
        assert_eq!(vary.len(), 1, "Vary is not one header: {vary:?}");
        assert!(
            vary_lists(vary[0], "origin"),
            "Vary {:?} lacks Origin",
            vary[0]
        );
    }
    if !answered && matches!(outcome, Outcome::Ok(_)) {
        for own in handler.get_all("vary") {
            if own.is_empty() {
                continue;
            }
            let kept = vary
                .iter()
                .any(|v| v.as_bytes().windows(own.len()).any(|w| w == own.as_bytes()));
            assert!(kept, "the handler's Vary {own:?} was lost: {vary:?}");
        }
        // Every header of the handler's that is not a CORS header is kept as it was.
        for name in handler.keys() {
            if name.as_str().starts_with("access-control-") || name == "vary" {
                continue;
            }
            let before: Vec<_> = handler.get_all(name).iter().collect();
            let after: Vec<_> = headers.get_all(name).iter().collect();
            assert_eq!(before, after, "the handler's {name} changed");
        }
    }
}
