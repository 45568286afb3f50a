//! Recognising and answering CORS preflight requests.

use std::hash::Hasher;

use http::header::{ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, ORIGIN, VARY};
use http::{HeaderMap, HeaderValue, Method, Response, StatusCode};

use crate::check::PendingVerdict;
use crate::config::CorsConfig;
use crate::headers::Own;
use crate::lists::AllowList;
use crate::origin::{Decision, Grant, GrantedOrigin};

/// `Vary` on every preflight answer: the answer depends on all three request headers.
const PREFLIGHT_VARY: HeaderValue = HeaderValue::from_static(
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
);

/// Whether a request is a CORS preflight: `OPTIONS` with `Origin` and
/// `Access-Control-Request-Method`. An `OPTIONS` request without them is an ordinary request.
pub(crate) fn is_preflight(method: &Method, headers: &HeaderMap) -> bool {
    method == Method::OPTIONS
        && headers.contains_key(ORIGIN)
        && headers.contains_key(ACCESS_CONTROL_REQUEST_METHOD)
}

/// A preflight's start: its origin decided (the answer is [`respond`]'s), or the `async` check to
/// ask first, about `origin`, with the preflight's request headers (for the log of what it asks
/// beyond the policy).
pub(crate) enum PreflightStart {
    Answer(GrantedOrigin),
    Ask {
        verdict: PendingVerdict,
        origin: HeaderValue,
        method: HeaderValue,
        requested: Option<HeaderValue>,
    },
}

/// Answers a preflight (`None` for every other request), or says which check to ask first.
///
/// Every preflight is answered `204 No Content`: from an allowed origin with the grant and the
/// policy's lists (the browser compares them with what it asked for, and its console names a
/// method or header that is missing), from any other origin with no grant at all.
pub(crate) fn start(
    config: &CorsConfig,
    method: &Method,
    headers: &HeaderMap,
) -> Option<PreflightStart> {
    // `is_preflight`, with each header looked up once for everything below.
    if method != Method::OPTIONS {
        return None;
    }
    let method = headers.get(ACCESS_CONTROL_REQUEST_METHOD)?;
    let origin = crate::origin::origin_header(headers)?;
    Some(
        match crate::origin::decide_request_origin(config, origin, true) {
            Decision::Granted(granted) => {
                match (&granted, origin) {
                    (GrantedOrigin::Denied, Some(origin)) => {
                        crate::report::refused_origin(config, origin, None, true);
                    }
                    (GrantedOrigin::Denied, None) => {}
                    _ => {
                        let requested = || headers.get_all(ACCESS_CONTROL_REQUEST_HEADERS).iter();
                        check_lists(config, origin, method, requested);
                    }
                }
                crate::report::count(crate::report::Decision::Preflight);
                PreflightStart::Answer(granted)
            }
            Decision::Ask(verdict, origin) => PreflightStart::Ask {
                verdict,
                origin,
                method: method.clone(),
                requested: headers.get(ACCESS_CONTROL_REQUEST_HEADERS).cloned(),
            },
        },
    )
}

/// The answer to a preflight whose origin is decided: `204`, the grant (if any), one `Vary`.
pub(crate) fn respond<R: Default>(config: &CorsConfig, granted: GrantedOrigin) -> Response<R> {
    let mut response = Response::new(R::default());
    *response.status_mut() = StatusCode::NO_CONTENT;
    let grant = Grant {
        origin: granted,
        preflight: true,
    };
    // `write_grant`, not `apply`: the `Vary` below replaces the one `apply` merges.
    crate::headers::write_grant(config, grant, response.headers_mut(), Own::NONE);
    response.headers_mut().insert(VARY, PREFLIGHT_VARY);
    response
}

thread_local! {
    /// The last preflight found within its policy's lists on this thread: the policy's address
    /// and a hash of what the preflight asked for.
    static LAST_WITHIN_LISTS: std::cell::Cell<(usize, u64)> = const { std::cell::Cell::new((0, 0)) };
}

/// Logs, once, what a preflight from an allowed origin asks for that the policy's lists lack: its
/// method, its request headers. The browser enforces the lists; this says why it will. The
/// happy path compares, and allocates nothing.
#[inline]
pub(crate) fn check_lists<'h, I>(
    config: &CorsConfig,
    origin: Option<&HeaderValue>,
    method: &HeaderValue,
    requested: impl Fn() -> I,
) where
    I: Iterator<Item = &'h HeaderValue>,
{
    // A browser sends the same few preflights again and again: the last one found within the
    // lists, on this thread, is not checked again (a hash of its method and request headers, and
    // the policy's address; a collision only leaves one shortfall unlogged).
    let mut hash = crate::report::Fnv::default();
    hash.write(method.as_bytes());
    for value in requested() {
        hash.write(b"\n");
        hash.write(value.as_bytes());
    }
    let key = (std::ptr::from_ref(config).addr(), hash.finish());
    if LAST_WITHIN_LISTS.with(|last| last.get() == key) {
        return;
    }
    let method_ok = method_allowed(config, method.as_bytes());
    let headers_ok = requested().all(|value| request_headers_allowed(config, value.as_bytes()));
    if method_ok && headers_ok {
        LAST_WITHIN_LISTS.with(|last| last.set(key));
        return;
    }
    let refused: Vec<&[u8]> = requested()
        .flat_map(|value| cors_rules::list_items_bytes(value.as_bytes()))
        .filter(|name| !request_headers_allowed(config, name))
        .collect();
    crate::report::preflight_not_in_lists(origin, (!method_ok).then_some(method), &refused);
}

/// Whether a preflight may ask for `method` (`Access-Control-Request-Method`, compared
/// case-sensitively as the Fetch standard does). `GET`, `HEAD` and `POST` are always allowed:
/// a browser never needs them listed.
pub fn method_allowed(config: &CorsConfig, method: &[u8]) -> bool {
    if matches!(method, b"GET" | b"HEAD" | b"POST") {
        return true;
    }
    match &config.methods {
        AllowList::Any => cors_rules::is_token_bytes(method),
        AllowList::List { names, .. } => names.any(|m| m.as_bytes() == method),
    }
}

/// Whether every header named in an `Access-Control-Request-Headers` value is allowed
/// (compared case-insensitively; spaces, tabs and empty items between commas are ignored).
///
/// With `headers = ["*"]`, every header is allowed: the answer names `Authorization` beside `*`
/// (`*,Authorization`), since the Fetch standard never lets `*` cover it.
pub fn request_headers_allowed(config: &CorsConfig, value: &[u8]) -> bool {
    cors_rules::list_items_bytes(value).all(|name| match &config.headers {
        AllowList::Any => cors_rules::is_token_bytes(name),
        // The listed names are validated tokens, stored lower-cased: a name equal to
        // one (ignoring ASCII case) is a token too.
        AllowList::List { names, .. } => {
            names.any(|allowed| equals_lower_cased(allowed.as_bytes(), name))
        }
    })
}

/// Whether `name`, lower-cased, equals `lower` (already lower case). Browsers send the names of
/// `Access-Control-Request-Headers` lower-cased, so the byte comparison decides most cases.
#[inline]
fn equals_lower_cased(lower: &[u8], name: &[u8]) -> bool {
    lower.len() == name.len()
        && (lower == name
            || lower
                .iter()
                .zip(name)
                .all(|(l, n)| *l == n.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use http::Request;
    use lambda_http::Body;

    use super::*;

    fn preflight(method: &str) -> Request<Body> {
        Request::builder()
            .method("OPTIONS")
            .header("origin", "https://a.com")
            .header("access-control-request-method", method)
            .body(Body::Empty)
            .unwrap()
    }

    #[test]
    fn preflights_are_recognised_by_their_headers() {
        let is_preflight = |r: &Request<Body>| is_preflight(r.method(), r.headers());
        assert!(is_preflight(&preflight("DELETE")));
        let plain = Request::builder()
            .method("OPTIONS")
            .header("origin", "https://a.com")
            .body(Body::Empty)
            .unwrap();
        assert!(!is_preflight(&plain));
        let cors = CorsConfig::builder()
            .allow_origin("https://a.com")
            .build()
            .unwrap();
        let status =
            |request: &Request<Body>| match start(&cors, request.method(), request.headers()) {
                Some(PreflightStart::Answer(granted)) => {
                    Some(respond::<Body>(&cors, granted).status())
                }
                Some(PreflightStart::Ask { .. }) => panic!("no check to ask"),
                None => None,
            };
        assert_eq!(status(&plain), None);
        assert_eq!(status(&preflight("DELETE")), Some(StatusCode::NO_CONTENT));
        assert_eq!(
            status(&preflight("PROPFIND")),
            Some(StatusCode::NO_CONTENT),
            "the browser compares the lists"
        );
    }

    #[test]
    fn request_headers_lists_tolerate_odd_spacing_and_case() {
        let cors = CorsConfig::builder()
            .allow_origin("https://a.com")
            .allow_headers(["Content-Type", "x-api-key"])
            .build()
            .unwrap();
        let allowed = |value: &[u8]| request_headers_allowed(&cors, value);
        assert!(allowed(b""));
        assert!(allowed(b"content-type"));
        assert!(allowed(b" CONTENT-TYPE,\tX-Api-Key , ,"));
        assert!(!allowed(b"content-type,x-other"));
        assert!(!allowed(b"content type"));
        assert!(!allowed(b"content-type\xff"));
        assert!(method_allowed(&cors, b"GET"));
        assert!(method_allowed(&cors, b"PATCH"));
        assert!(!method_allowed(&cors, b"patch"));
        assert!(!method_allowed(&cors, b"PROPFIND"));
    }
}
