//! Deciding what a request's response is granted: its `Origin` against the policy.

use http::header::ORIGIN;
use http::{HeaderMap, HeaderValue, Request};

use crate::config::{CorsConfig, OriginList, Origins};
use crate::env::Resolved;

/// What the policy grants one request: the `Access-Control-Allow-Origin` it gets, if any.
///
/// Made by [`CorsConfig::grant`] from the request (before the handler runs, since the handler
/// consumes the request) and spent by [`CorsConfig::apply`] on the response.
/// It holds what it grants (no borrow of the policy), so that a response future can carry it.
#[derive(Debug, Clone)]
#[must_use = "a grant does nothing until it is applied to a response"]
pub struct Grant {
    pub(crate) origin: GrantedOrigin,
    /// The request was a preflight that the handler answers (`preflight = false`).
    pub(crate) preflight: bool,
}

#[derive(Debug, Clone)]
pub(crate) enum GrantedOrigin {
    /// No origin is granted.
    Denied,
    /// `Access-Control-Allow-Origin: *`.
    Any,
    /// This origin: a configured one (its prebuilt value, whose clone shares the bytes), or the
    /// request's own, which matched a wildcard.
    Origin(HeaderValue),
}

impl Grant {
    /// Whether the request's origin may read the response.
    pub fn is_granted(&self) -> bool {
        !matches!(self.origin, GrantedOrigin::Denied)
    }
}

/// [`CorsConfig::grant`].
pub(crate) fn grant<B>(config: &CorsConfig, request: &Request<B>) -> Grant {
    Grant {
        origin: grant_origin(config, request.headers(), false),
        preflight: crate::preflight::is_preflight(request),
    }
}

/// The request's `Origin` value, if it has exactly one.
///
/// Its bytes are not checked here: only a value equal to a configured (validated) origin, or one
/// that `matches_wildcard` accepts (prefix, DNS labels, validated suffix), is ever granted, and
/// either is visible ASCII (`cors_rules::is_plausible_origin`), as the debug assertion in
/// `match_list` re-checks.
pub(crate) fn request_origin(headers: &HeaderMap) -> Option<&HeaderValue> {
    let mut values = headers.get_all(ORIGIN).iter();
    let first = values.next()?;
    if values.next().is_some() {
        return None;
    }
    Some(first)
}

/// Which `Access-Control-Allow-Origin` (if any) the request's response gets.
///
/// `strict` is for preflights: a single literal origin is then compared too, where an actual
/// request's response carries it statically.
#[inline]
pub(crate) fn grant_origin(config: &CorsConfig, headers: &HeaderMap, strict: bool) -> GrantedOrigin {
    match &config.origins {
        // Neither needs the request's `Origin`: don't look it up.
        Origins::Any => GrantedOrigin::Any,
        Origins::Exact(allowed) if !strict => GrantedOrigin::Origin(allowed.clone()),
        _ => grant_request_origin(config, request_origin(headers), strict),
    }
}

/// [`grant_origin`] for the request's single `Origin`, already looked up.
pub(crate) fn grant_request_origin(
    config: &CorsConfig,
    origin: Option<&HeaderValue>,
    strict: bool,
) -> GrantedOrigin {
    match (&config.origins, origin) {
        (Origins::Any, _) => GrantedOrigin::Any,
        (Origins::Exact(allowed), _) if !strict => GrantedOrigin::Origin(allowed.clone()),
        (Origins::Exact(allowed), Some(origin)) if origin.as_bytes() == allowed.as_bytes() => {
            GrantedOrigin::Origin(allowed.clone())
        }
        (Origins::List(list), Some(origin)) => match_list(list, origin),
        (Origins::Env(env), Some(origin)) => match env.get(config.credentials) {
            Ok(Resolved::Any) => GrantedOrigin::Any,
            Ok(Resolved::List(list)) => match_list(list, origin),
            Err(_) => GrantedOrigin::Denied,
        },
        (Origins::Env(env), None) => match env.get(config.credentials) {
            Ok(Resolved::Any) => GrantedOrigin::Any,
            _ => GrantedOrigin::Denied,
        },
        _ => GrantedOrigin::Denied,
    }
}

fn match_list(list: &OriginList, origin: &HeaderValue) -> GrantedOrigin {
    let bytes = origin.as_bytes();
    if let Some(allowed) = list
        .exact
        .iter()
        .find(|allowed| allowed.as_bytes() == bytes)
    {
        return GrantedOrigin::Origin(allowed.clone());
    }
    if list
        .wildcards
        .any(|prefix, suffix| cors_rules::matches_wildcard(bytes, prefix, suffix))
    {
        debug_assert!(cors_rules::is_plausible_origin(bytes));
        return GrantedOrigin::Origin(origin.clone());
    }
    GrantedOrigin::Denied
}

#[cfg(test)]
mod tests {
    use http::header::{ACCESS_CONTROL_ALLOW_ORIGIN, VARY};
    use lambda_http::Body;

    use crate::CorsConfig;

    fn request(origin: Option<&str>) -> http::Request<Body> {
        let mut builder = http::Request::builder();
        if let Some(origin) = origin {
            builder = builder.header("origin", origin);
        }
        builder.body(Body::Empty).unwrap()
    }

    #[test]
    fn grant_and_apply_by_shape() {
        let list = CorsConfig::builder()
            .allow_origins(["https://a.com", "https://*.b.com"])
            .allow_credentials(true)
            .build()
            .unwrap();
        let cases = [
            (Some("https://a.com"), Some("https://a.com")),
            (Some("https://x.b.com"), Some("https://x.b.com")),
            (Some("https://b.com"), None),
            (Some("null"), None),
            (Some("https://a.com "), None),
            (None, None),
        ];
        for (origin, expected) in cases {
            let grant = list.grant(&request(origin));
            assert_eq!(grant.is_granted(), expected.is_some(), "{origin:?}");
            let mut response = http::Response::new(Body::Empty);
            list.apply(grant, &mut response);
            assert_eq!(
                response
                    .headers()
                    .get(ACCESS_CONTROL_ALLOW_ORIGIN)
                    .map(|v| v.to_str().unwrap()),
                expected,
                "{origin:?}"
            );
            assert_eq!(response.headers()[VARY], "Origin");
        }
        let mut two = request(Some("https://a.com"));
        two.headers_mut()
            .append("origin", "https://a.com".parse().unwrap());
        assert!(!list.grant(&two).is_granted(), "two Origin headers");
    }

    #[test]
    fn an_unusable_environment_grants_nothing() {
        let env = CorsConfig::builder();
        let _ = env;
        static UNSET: CorsConfig = crate::literal::Spec::new()
            .origin_env("CORS_RUNTIME_TEST_UNSET_VAR")
            .build();
        assert!(!UNSET.grant(&request(Some("https://a.com"))).is_granted());
        assert!(UNSET.varies_on_origin());
    }
}
