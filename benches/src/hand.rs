//! Careful hand-written CORS, the reference the attribute is measured against.
//!
//! What someone who knows the behaviour (README's tables) writes once for their functions
//! without the attribute (`handler` is the function; `scripts/build-cost.sh` reuses this file): header constants from `http::header`, values built with `HeaderValue::from_static`,
//! nothing parsed per request; the request's origin compared byte for byte (echoed for a list or
//! a wildcard, with `Vary: Origin` merged into the handler's `Vary`; the constant for a single
//! origin and for `*`); the handler's own CORS headers removed; preflights answered `204` with
//! the lists; `Err` and panics turned into a `500` that carries the same headers; a refused
//! origin logged; a credentialed list's writes guarded (`csrf = "block"`). Its responses are the attribute's, header for
//! header (`tests/allocations.rs` checks it).

use std::any::Any;
use std::convert::Infallible;
use std::future::{Future, poll_fn};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::pin;
use std::task::Poll;

use http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE,
    ACCESS_CONTROL_REQUEST_METHOD, CONTENT_TYPE, HOST, ORIGIN, VARY,
};
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use lambda_http::{Body, Error, Request, Response};

const SINGLE_ORIGIN: HeaderValue = HeaderValue::from_static("https://myapp.com");
const LIST2_ORIGINS: [HeaderValue; 2] = [
    HeaderValue::from_static("https://myapp.com"),
    HeaderValue::from_static("https://staging.myapp.com"),
];
const LIST_ORIGINS: [HeaderValue; 3] = [
    HeaderValue::from_static("https://myapp.com"),
    HeaderValue::from_static("https://staging.myapp.com"),
    HeaderValue::from_static("http://localhost:5173"),
];
const WILDCARD_SCHEME: &[u8] = b"https://";
const WILDCARD_SUFFIX: &[u8] = b".myapp.com";

const ANY: HeaderValue = HeaderValue::from_static("*");
const TRUE: HeaderValue = HeaderValue::from_static("true");
const VARY_ORIGIN: HeaderValue = HeaderValue::from_static("Origin");
const PREFLIGHT_VARY: HeaderValue = HeaderValue::from_static(
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
);
const MAX_AGE: HeaderValue = HeaderValue::from_static("600");
const METHODS_VALUE: HeaderValue =
    HeaderValue::from_static("DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT");
const HEADERS_VALUE: HeaderValue = HeaderValue::from_static(
    "Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token",
);
const APPLICATION_JSON: HeaderValue = HeaderValue::from_static("application/json");
const INTERNAL_SERVER_ERROR: &str = r#"{"message":"Internal Server Error"}"#;
const FORBIDDEN: &str = r#"{"message":"Forbidden"}"#;
const SEC_FETCH_SITE: HeaderName = HeaderName::from_static("sec-fetch-site");

/// `origin = "https://myapp.com"`: the origin is sent on every response (the browser compares
/// it); preflights compare it.
pub async fn single<F, Fut>(request: Request, handler: F) -> Result<Response<Body>, Infallible>
where
    F: FnOnce(Request) -> Fut,
    Fut: Future<Output = Result<Response<Body>, Error>>,
{
    if is_preflight(&request) {
        let granted = request_origin(request.headers())
            .filter(|origin| origin.as_bytes() == SINGLE_ORIGIN.as_bytes())
            .map(|_| SINGLE_ORIGIN);
        return Ok(preflight(granted, false, false));
    }
    // The origin is sent statically, and the browser compares it: compare it here too, so that a
    // refusal reaches the log.
    if let Some(origin) = request.headers().get(ORIGIN)
        && origin != SINGLE_ORIGIN
    {
        refused(origin);
    }
    let mut response = run(handler(request)).await;
    own_headers_out(response.headers_mut());
    response
        .headers_mut()
        .insert(ACCESS_CONTROL_ALLOW_ORIGIN, SINGLE_ORIGIN);
    Ok(response)
}

/// `origin = [two origins]`, `credentials = true`: the matching origin is echoed, every response
/// varies on `Origin`.
pub async fn list2<F, Fut>(request: Request, handler: F) -> Result<Response<Body>, Infallible>
where
    F: FnOnce(Request) -> Fut,
    Fut: Future<Output = Result<Response<Body>, Error>>,
{
    let granted = request_origin(request.headers()).and_then(|origin| {
        LIST2_ORIGINS
            .into_iter()
            .find(|allowed| allowed.as_bytes() == origin.as_bytes())
    });
    if is_preflight(&request) {
        return Ok(preflight(granted, true, false));
    }
    if refuses_write(&request, granted.is_some()) {
        return Ok(forbidden());
    }
    let mut response = run(handler(request)).await;
    let headers = response.headers_mut();
    own_headers_out(headers);
    if let Some(origin) = granted {
        headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        headers.insert(ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
    }
    vary_on_origin(headers);
    Ok(response)
}

/// `origin = [three origins]`, `credentials = true`, `max_age = 600`: the matching origin is
/// echoed, every response varies on `Origin`.
pub async fn list<F, Fut>(request: Request, handler: F) -> Result<Response<Body>, Infallible>
where
    F: FnOnce(Request) -> Fut,
    Fut: Future<Output = Result<Response<Body>, Error>>,
{
    let granted = request_origin(request.headers()).and_then(|origin| {
        LIST_ORIGINS
            .into_iter()
            .find(|allowed| allowed.as_bytes() == origin.as_bytes())
    });
    if is_preflight(&request) {
        return Ok(preflight(granted, true, true));
    }
    if refuses_write(&request, granted.is_some()) {
        return Ok(forbidden());
    }
    if granted.is_none()
        && let Some(origin) = request_origin(request.headers())
    {
        refused(origin);
    }
    let mut response = run(handler(request)).await;
    let headers = response.headers_mut();
    own_headers_out(headers);
    if let Some(origin) = granted {
        headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        headers.insert(ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
    }
    vary_on_origin(headers);
    Ok(response)
}

/// `origin = "https://*.myapp.com"`: a matching origin is echoed, every response varies on
/// `Origin`.
pub async fn wildcard<F, Fut>(request: Request, handler: F) -> Result<Response<Body>, Infallible>
where
    F: FnOnce(Request) -> Fut,
    Fut: Future<Output = Result<Response<Body>, Error>>,
{
    let granted = request_origin(request.headers())
        .filter(|origin| matches_wildcard(origin.as_bytes()))
        .cloned();
    if is_preflight(&request) {
        return Ok(preflight(granted, false, false));
    }
    let mut response = run(handler(request)).await;
    let headers = response.headers_mut();
    own_headers_out(headers);
    if let Some(origin) = granted {
        headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    }
    vary_on_origin(headers);
    Ok(response)
}

/// `origin = "*"`: `Access-Control-Allow-Origin: *` on every response.
pub async fn any<F, Fut>(request: Request, handler: F) -> Result<Response<Body>, Infallible>
where
    F: FnOnce(Request) -> Fut,
    Fut: Future<Output = Result<Response<Body>, Error>>,
{
    if is_preflight(&request) {
        return Ok(preflight(Some(ANY), false, false));
    }
    let mut response = run(handler(request)).await;
    own_headers_out(response.headers_mut());
    response
        .headers_mut()
        .insert(ACCESS_CONTROL_ALLOW_ORIGIN, ANY);
    Ok(response)
}

/// A refused origin, logged (the attribute logs each distinct one once; this logs every one).
#[cold]
fn refused(origin: &HeaderValue) {
    tracing::warn!(origin = ?origin, "CORS: the policy does not allow this origin");
}

/// The cross-origin write guard of a credentialed policy (`csrf = "block"`): a write (not `GET`,
/// `HEAD`, `OPTIONS`) that the browser says another site or origin sent (`Sec-Fetch-Site` other
/// than `same-origin` and `none`), or that carries an `Origin` without Fetch metadata that is not
/// the request's own `Host`, is refused unless its one origin is `granted`.
fn refuses_write(request: &Request, granted: bool) -> bool {
    if granted
        || matches!(
            *request.method(),
            Method::GET | Method::HEAD | Method::OPTIONS
        )
    {
        return false;
    }
    let headers = request.headers();
    match headers.get(SEC_FETCH_SITE) {
        Some(site) => site != "same-origin" && site != "none",
        None => headers
            .get(ORIGIN)
            .is_some_and(|origin| !names_host(origin.as_bytes(), headers.get(HOST))),
    }
}

/// Whether `origin`'s host and port are `host` (default ports aside).
fn names_host(origin: &[u8], host: Option<&HeaderValue>) -> bool {
    let (Some(host), Some(authority)) = (
        host,
        origin
            .strip_prefix(b"https://")
            .or_else(|| origin.strip_prefix(b"http://")),
    ) else {
        return false;
    };
    let host = host.as_bytes();
    let bare = |text: &'_ [u8]| -> usize {
        match text.iter().rposition(|&b| b == b':') {
            Some(at) if matches!(&text[at..], b":443" | b":80") => at,
            _ => text.len(),
        }
    };
    authority[..bare(authority)].eq_ignore_ascii_case(&host[..bare(host)])
}

/// A refused write: `403`, no grant, `Vary: Origin`.
fn forbidden() -> Response<Body> {
    let mut response = Response::new(Body::Text(FORBIDDEN.to_owned()));
    *response.status_mut() = StatusCode::FORBIDDEN;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, APPLICATION_JSON);
    headers.insert(VARY, VARY_ORIGIN);
    response
}

/// `OPTIONS` with `Origin` and `Access-Control-Request-Method`.
fn is_preflight(request: &Request) -> bool {
    request.method() == Method::OPTIONS
        && request.headers().contains_key(ORIGIN)
        && request
            .headers()
            .contains_key(ACCESS_CONTROL_REQUEST_METHOD)
}

/// The request's `Origin`, if it has exactly one.
fn request_origin(headers: &HeaderMap) -> Option<&HeaderValue> {
    let mut values = headers.get_all(ORIGIN).iter();
    let origin = values.next()?;
    values.next().is_none().then_some(origin)
}

/// `https://` + one or more DNS labels + `.myapp.com` (also the tower-http predicate).
pub fn matches_wildcard(origin: &[u8]) -> bool {
    let Some(labels) = origin
        .strip_prefix(WILDCARD_SCHEME)
        .and_then(|rest| rest.strip_suffix(WILDCARD_SUFFIX))
    else {
        return false;
    };
    !labels.is_empty()
        && labels.split(|&b| b == b'.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .iter()
                    .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && label[0] != b'-'
                && label[label.len() - 1] != b'-'
        })
}

/// The answer to a preflight: `204`, with the grant and the lists when the origin is allowed
/// (the browser compares the lists), without any when not. `credentials` and `max_age` are what
/// the list configurations add.
fn preflight(granted: Option<HeaderValue>, credentials: bool, max_age: bool) -> Response<Body> {
    let mut response = Response::new(Body::Empty);
    *response.status_mut() = StatusCode::NO_CONTENT;
    let headers = response.headers_mut();
    if let Some(origin) = granted {
        headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        if credentials {
            headers.insert(ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
        }
        headers.insert(ACCESS_CONTROL_ALLOW_METHODS, METHODS_VALUE);
        headers.insert(ACCESS_CONTROL_ALLOW_HEADERS, HEADERS_VALUE);
        if max_age {
            headers.insert(ACCESS_CONTROL_MAX_AGE, MAX_AGE);
        }
    }
    headers.insert(VARY, PREFLIGHT_VARY);
    response
}

/// The handler's own CORS headers give way to the policy's: removed before the grant is written
/// (one pass over the names, as the attribute does).
fn own_headers_out(headers: &mut HeaderMap) {
    const OWN: [HeaderName; 3] = [
        ACCESS_CONTROL_ALLOW_ORIGIN,
        ACCESS_CONTROL_ALLOW_CREDENTIALS,
        ACCESS_CONTROL_EXPOSE_HEADERS,
    ];
    if headers.keys().any(|name| OWN.contains(name)) {
        for name in &OWN {
            headers.remove(name);
        }
    }
}

/// Adds `Origin` to the response's `Vary` as one header (API Gateway HTTP APIs keep only the
/// first of repeated headers). Allocates only when the handler set a `Vary` of its own.
fn vary_on_origin(headers: &mut HeaderMap) {
    let mut values = headers.get_all(VARY).iter();
    let Some(first) = values.next() else {
        headers.insert(VARY, VARY_ORIGIN);
        return;
    };
    let repeated = values.next().is_some();
    let covered = headers.get_all(VARY).iter().any(|value| {
        value
            .as_bytes()
            .split(|&b| b == b',')
            .map(|token| token.trim_ascii())
            .any(|token| token == b"*" || token.eq_ignore_ascii_case(b"origin"))
    });
    if covered && !repeated {
        return;
    }
    let mut joined = Vec::with_capacity(first.len() + 8);
    for value in headers.get_all(VARY) {
        if !value.is_empty() {
            if !joined.is_empty() {
                joined.extend_from_slice(b", ");
            }
            joined.extend_from_slice(value.as_bytes());
        }
    }
    if !covered {
        if !joined.is_empty() {
            joined.extend_from_slice(b", ");
        }
        joined.extend_from_slice(b"Origin");
    }
    let merged = HeaderValue::from_bytes(&joined).expect("joined header values");
    headers.insert(VARY, merged);
}

/// Runs the handler; its `Err` or panic becomes `500 {"message":"Internal Server Error"}`,
/// logged, never shown to the client.
async fn run<F: Future<Output = Result<Response<Body>, Error>>>(future: F) -> Response<Body> {
    match catch_panic(future).await {
        Ok(Ok(response)) => response,
        Ok(Err(error)) => {
            tracing::error!(error = %error, error.debug = ?error, status = 500u16, "handler returned an error");
            internal_server_error()
        }
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .copied()
                .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
                .unwrap_or("Box<dyn Any>");
            tracing::error!(panic = message, status = 500u16, "handler panicked");
            internal_server_error()
        }
    }
}

async fn catch_panic<F: Future>(future: F) -> Result<F::Output, Box<dyn Any + Send>> {
    let mut future = pin!(future);
    poll_fn(
        move |cx| match catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(cx))) {
            Ok(Poll::Ready(output)) => Poll::Ready(Ok(output)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(payload) => Poll::Ready(Err(payload)),
        },
    )
    .await
}

fn internal_server_error() -> Response<Body> {
    let mut response = Response::new(Body::Text(INTERNAL_SERVER_ERROR.to_owned()));
    *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, APPLICATION_JSON);
    response
}
