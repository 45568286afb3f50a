//! Recognising and answering CORS preflight requests.

use http::header::{ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, ORIGIN, VARY};
use http::{HeaderMap, HeaderValue, Method, Request, Response, StatusCode};

use crate::config::{AllowList, CorsConfig};
use crate::origin::{Grant, GrantedOrigin};

/// `Vary` on every preflight answer: the answer depends on all three request headers.
const PREFLIGHT_VARY: HeaderValue = HeaderValue::from_static(
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
);

/// Whether a request is a CORS preflight: `OPTIONS` with `Origin` and
/// `Access-Control-Request-Method`. An `OPTIONS` request without them is an ordinary request.
pub(crate) fn is_preflight<B>(request: &Request<B>) -> bool {
    request.method() == Method::OPTIONS
        && request.headers().contains_key(ORIGIN)
        && request
            .headers()
            .contains_key(ACCESS_CONTROL_REQUEST_METHOD)
}

/// Why a preflight was refused; logged at `debug` level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    Origin,
    Method,
    Headers,
}

/// [`CorsConfig::preflight_response`].
pub(crate) fn answer<B, R: Default>(config: &CorsConfig, request: &Request<B>) -> Option<Response<R>> {
    // `is_preflight`, with each header looked up once for all the checks below.
    if request.method() != Method::OPTIONS {
        return None;
    }
    let headers = request.headers();
    let method = headers.get(ACCESS_CONTROL_REQUEST_METHOD)?;
    let mut origins = headers.get_all(ORIGIN).iter();
    let first = origins.next()?;
    let origin = origins.next().is_none().then_some(first);
    let granted = crate::origin::grant_request_origin(config, origin, true);
    let mut response = Response::new(R::default());
    match refusal(config, headers, method, &granted) {
        None => {
            *response.status_mut() = StatusCode::NO_CONTENT;
            // `write_grant`, not `apply`: the `Vary` below replaces the one `apply` merges.
            crate::headers::write_grant(
                config,
                Grant {
                    origin: granted,
                    preflight: true,
                },
                response.headers_mut(),
            );
        }
        Some(refusal) => {
            *response.status_mut() = StatusCode::FORBIDDEN;
            tracing::debug!(
                origin = ?headers.get(ORIGIN),
                method = ?headers.get(ACCESS_CONTROL_REQUEST_METHOD),
                headers = ?headers.get(ACCESS_CONTROL_REQUEST_HEADERS),
                refused = ?refusal,
                "CORS preflight refused"
            );
        }
    }
    response.headers_mut().insert(VARY, PREFLIGHT_VARY);
    Some(response)
}

fn refusal(
    config: &CorsConfig,
    headers: &HeaderMap,
    method: &HeaderValue,
    granted: &GrantedOrigin,
) -> Option<Refusal> {
    if matches!(granted, GrantedOrigin::Denied) {
        return Some(Refusal::Origin);
    }
    if !method_allowed(config, method.as_bytes()) {
        return Some(Refusal::Method);
    }
    let mut values = headers.get_all(ACCESS_CONTROL_REQUEST_HEADERS).iter();
    if !values.all(|value| request_headers_allowed(config, value.as_bytes())) {
        return Some(Refusal::Headers);
    }
    None
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
/// With `headers = "*"`, every header is allowed but `Authorization`, which the Fetch standard
/// never covers with a wildcard and which therefore must be listed by name.
pub fn request_headers_allowed(config: &CorsConfig, value: &[u8]) -> bool {
    cors_rules::list_items_bytes(value).all(|name| match &config.headers {
        AllowList::Any => {
            cors_rules::is_token_bytes(name) && !name.eq_ignore_ascii_case(b"authorization")
        }
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
        assert_eq!(answer::<_, Body>(&cors, &plain).map(|r| r.status()), None);
        assert_eq!(
            answer::<_, Body>(&cors, &preflight("DELETE")).map(|r| r.status()),
            Some(StatusCode::NO_CONTENT)
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
