//! The cross-origin write guard (`csrf`): whether a write may reach the handler.
//!
//! CORS decides who may read a response; it does not stop the request. A page on another site can
//! send a form `POST`, a `no-cors` `fetch` or a beacon with the user's cookies, and the handler
//! runs. The guard refuses such a write before the handler runs, from the request's Fetch
//! metadata (`Sec-Fetch-Site`) and its `Origin`, with the policy as the list of trusted origins:
//!
//! - `GET`, `HEAD` and `OPTIONS` are never refused (they are not writes);
//! - `Sec-Fetch-Site: same-origin` or `none` (the user typed the address, or a bookmark): allowed;
//! - any other `Sec-Fetch-Site` (`same-site`, `cross-site`): allowed only when the policy grants
//!   the request's one `Origin` (never `null`, never two of them, never none);
//! - no `Sec-Fetch-Site` (an older browser, or not a browser): no `Origin` is allowed (curl, a
//!   webhook, a server); an `Origin` the policy grants is allowed, and so is one whose host and
//!   port are the request's `Host` (a same-origin request from a browser without Fetch metadata);
//!   any other `Origin` is refused.
//!
//! Every function here decides; the wrapper answers, and the log says why.

use http::header::HOST;
use http::{HeaderMap, HeaderName, HeaderValue, Method};

use crate::config::{CorsConfig, Origins};
use crate::origin::{Decision, GrantedOrigin};

/// `Sec-Fetch-Site`: where the request comes from, as the browser saw it.
pub(crate) const SEC_FETCH_SITE: HeaderName = HeaderName::from_static("sec-fetch-site");

/// Why a write is refused: a stable name each, for the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Why {
    /// The browser says another site sent it, and it names no origin.
    NoOrigin,
    /// `Origin: null` (a sandboxed frame, a `data:` or `file:` page, a redirect across sites).
    NullOrigin,
    /// Two `Origin` headers: no browser sends them.
    SeveralOrigins,
    /// An origin the policy does not grant.
    NotAllowed,
}

impl Why {
    /// The name in the log's `why` field.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Why::NoOrigin => "cross-site without Origin",
            Why::NullOrigin => "Origin is null",
            Why::SeveralOrigins => "several Origin headers",
            Why::NotAllowed => "origin not allowed by the policy",
        }
    }
}

/// What the guard says of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Write {
    /// Not a write the guard refuses.
    Allowed,
    /// Refused, and why.
    Refused(Why),
    /// Allowed only if the check in code (`origin_fn`), still to answer, grants the origin.
    IfGranted,
}

/// Whether `method` is one the guard looks at: anything but `GET`, `HEAD` and `OPTIONS`.
#[inline]
pub(crate) fn is_write(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The guard's verdict on a write, given the request's `Origin` headers (`sent`, as
/// [`origin_header`](crate::origin::origin_header) reads them) and what the policy decided about
/// them (`decision`, made for the response's grant: asked once, used twice).
#[inline]
pub(crate) fn check(
    config: &CorsConfig,
    headers: &HeaderMap,
    sent: Option<Option<&HeaderValue>>,
    decision: &Decision,
) -> Write {
    match headers.get(SEC_FETCH_SITE).map(HeaderValue::as_bytes) {
        Some(b"same-origin" | b"none") => Write::Allowed,
        // `same-site`, `cross-site`, and any value a later browser may send: the origin decides.
        Some(_) => by_origin(config, headers, sent, decision, true),
        None => by_origin(config, headers, sent, decision, false),
    }
}

fn by_origin(
    config: &CorsConfig,
    headers: &HeaderMap,
    sent: Option<Option<&HeaderValue>>,
    decision: &Decision,
    metadata: bool,
) -> Write {
    let origin = match sent {
        // Not from a browser's page: a server, a webhook, curl.
        None if !metadata => return Write::Allowed,
        None => return Write::Refused(Why::NoOrigin),
        Some(None) => return Write::Refused(Why::SeveralOrigins),
        Some(Some(origin)) => origin,
    };
    if origin.as_bytes() == b"null" {
        return Write::Refused(Why::NullOrigin);
    }
    if !metadata && same_host(origin, headers) {
        return Write::Allowed;
    }
    match granted(config, origin, decision) {
        Some(true) => Write::Allowed,
        Some(false) => Write::Refused(Why::NotAllowed),
        None => Write::IfGranted,
    }
}

/// Whether the policy grants `origin`: by its lists (compared exactly, a single literal origin
/// too, which an actual request's response carries without comparing), or by the check in code
/// (`None`: its answer is still to come).
fn granted(config: &CorsConfig, origin: &HeaderValue, decision: &Decision) -> Option<bool> {
    match (&config.origins, decision) {
        (Origins::Exact(allowed), _) => Some(allowed.as_bytes() == origin.as_bytes()),
        (_, Decision::Granted(GrantedOrigin::Denied)) => Some(false),
        (_, Decision::Granted(_)) => Some(true),
        (_, Decision::Ask(..)) => None,
    }
}

/// Whether `origin`'s host and port are the request's `Host` (a default port written on either
/// side or neither): a same-origin request.
pub(crate) fn same_host(origin: &HeaderValue, headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(HOST) else {
        return false;
    };
    let origin = origin.as_bytes();
    let Some(at) = origin.iter().position(|&b| b == b':') else {
        return false;
    };
    if origin.get(at + 1..at + 3) != Some(b"//") {
        return false;
    }
    let (scheme, authority) = (&origin[..at], &origin[at + 3..]);
    let default_port: &[u8] = match scheme {
        b"https" => b":443",
        b"http" => b":80",
        _ => b"",
    };
    let strip = |value: &'_ [u8]| -> usize {
        match !default_port.is_empty() && value.ends_with(default_port) {
            true => value.len() - default_port.len(),
            false => value.len(),
        }
    };
    let host = host.as_bytes();
    let (authority, host) = (&authority[..strip(authority)], &host[..strip(host)]);
    !authority.is_empty() && authority.eq_ignore_ascii_case(host)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CorsConfig;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        map
    }

    fn verdict(config: &CorsConfig, pairs: &[(&str, &str)]) -> Write {
        let headers = headers(pairs);
        let decision = crate::origin::decide(config, &headers, false);
        check(
            config,
            &headers,
            crate::origin::origin_header(&headers),
            &decision,
        )
    }

    #[test]
    fn the_decision_table() {
        let list = CorsConfig::builder()
            .allow_origins(["https://myapp.com", "https://*.myapp.com"])
            .allow_credentials(true)
            .build()
            .unwrap();
        let single = CorsConfig::builder()
            .allow_origin("https://myapp.com")
            .build()
            .unwrap();
        use Write::*;
        // The request's headers, and the verdict under the list, and under the single origin.
        type Case = (&'static [(&'static str, &'static str)], Write, Write);
        let cases: &[Case] = &[
            (&[("sec-fetch-site", "same-origin")], Allowed, Allowed),
            (&[("sec-fetch-site", "none")], Allowed, Allowed),
            (
                &[
                    ("sec-fetch-site", "cross-site"),
                    ("origin", "https://myapp.com"),
                ],
                Allowed,
                Allowed,
            ),
            (
                &[
                    ("sec-fetch-site", "same-site"),
                    ("origin", "https://a.myapp.com"),
                ],
                Allowed,
                Refused(Why::NotAllowed),
            ),
            (
                &[
                    ("sec-fetch-site", "cross-site"),
                    ("origin", "https://evil.example"),
                ],
                Refused(Why::NotAllowed),
                Refused(Why::NotAllowed),
            ),
            (
                &[("sec-fetch-site", "cross-site")],
                Refused(Why::NoOrigin),
                Refused(Why::NoOrigin),
            ),
            (
                &[("sec-fetch-site", "cross-site"), ("origin", "null")],
                Refused(Why::NullOrigin),
                Refused(Why::NullOrigin),
            ),
            (
                &[
                    ("sec-fetch-site", "cross-site"),
                    ("origin", "https://myapp.com"),
                    ("origin", "https://myapp.com"),
                ],
                Refused(Why::SeveralOrigins),
                Refused(Why::SeveralOrigins),
            ),
            (
                &[
                    ("sec-fetch-site", "same-origin"),
                    ("origin", "https://evil.example"),
                ],
                Allowed,
                Allowed,
            ),
            // Without Fetch metadata.
            (&[], Allowed, Allowed),
            (&[("origin", "https://myapp.com")], Allowed, Allowed),
            (
                &[("origin", "https://evil.example")],
                Refused(Why::NotAllowed),
                Refused(Why::NotAllowed),
            ),
            (
                &[
                    ("origin", "https://api.myapp.com"),
                    ("host", "api.myapp.com"),
                ],
                Allowed,
                Allowed,
            ),
            (
                &[
                    ("origin", "https://api.myapp.com"),
                    ("host", "api.myapp.com:443"),
                ],
                Allowed,
                Allowed,
            ),
            (
                &[
                    ("origin", "http://api.myapp.com:8080"),
                    ("host", "api.myapp.com"),
                ],
                Refused(Why::NotAllowed),
                Refused(Why::NotAllowed),
            ),
            (
                &[("origin", "null")],
                Refused(Why::NullOrigin),
                Refused(Why::NullOrigin),
            ),
        ];
        for (pairs, with_list, with_single) in cases {
            assert_eq!(verdict(&list, pairs), *with_list, "list: {pairs:?}");
            assert_eq!(verdict(&single, pairs), *with_single, "single: {pairs:?}");
        }
    }

    #[test]
    fn a_pending_check_decides() {
        let checked = CorsConfig::builder()
            .allow_origins(["https://myapp.com"])
            .allow_origin_async_fn(|_| async { Ok::<_, std::io::Error>(true) })
            .build()
            .unwrap();
        let pairs = [
            ("sec-fetch-site", "cross-site"),
            ("origin", "https://tenant.example"),
        ];
        assert_eq!(verdict(&checked, &pairs), Write::IfGranted);
        let pairs = [
            ("sec-fetch-site", "cross-site"),
            ("origin", "https://myapp.com"),
        ];
        assert_eq!(
            verdict(&checked, &pairs),
            Write::Allowed,
            "the lists grant it"
        );
    }

    #[test]
    fn writes_are_every_method_but_get_head_options() {
        for method in [Method::GET, Method::HEAD, Method::OPTIONS] {
            assert!(!is_write(&method));
        }
        for method in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
            assert!(is_write(&method));
        }
        assert!(is_write(&Method::from_bytes(b"PROPFIND").unwrap()));
    }

    #[test]
    fn same_host_compares_authority_and_default_ports() {
        let same = |origin: &str, host: &str| {
            same_host(
                &HeaderValue::from_str(origin).unwrap(),
                &headers(&[("host", host)]),
            )
        };
        assert!(same("https://api.myapp.com", "api.myapp.com"));
        assert!(same("https://api.myapp.com", "API.myapp.com"));
        assert!(same("http://127.0.0.1:9000", "127.0.0.1:9000"));
        assert!(same("http://[::1]:9000", "[::1]:9000"));
        assert!(same("http://localhost", "localhost:80"));
        assert!(!same("http://127.0.0.1:8080", "127.0.0.1:9000"));
        assert!(!same("https://api.myapp.com", "api.myapp.com.evil.example"));
        assert!(!same("https://evil.example", "api.myapp.com"));
        assert!(!same("null", "null"));
        assert!(!same_host(
            &HeaderValue::from_static("https://api.myapp.com"),
            &HeaderMap::new()
        ));
    }
}
