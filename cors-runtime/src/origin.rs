//! Deciding what a request's response is granted: its `Origin` against the policy.

use http::header::ORIGIN;
use http::{HeaderMap, HeaderValue};

use crate::check::{PendingVerdict, Verdict};
use crate::config::{CorsConfig, Origins};
use crate::env::Resolved;
use crate::lists::OriginList;

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

/// What a request's origin is granted: decided by the policy's lists (and a synchronous
/// check), or to be decided by an `async` check.
pub(crate) enum Decision {
    Granted(GrantedOrigin),
    /// The check's answer to come, about this origin.
    Ask(PendingVerdict, HeaderValue),
}

/// The request's `Origin` value, if it has exactly one.
///
/// Its bytes are not checked here: only a value equal to a configured (validated) origin, or one
/// that a wildcard's matcher accepts (`cors_rules::matches_wildcard`, `matches_pattern`: the
/// validated prefix and suffix around what the `*` may stand for), or one a check in code said
/// yes to (after [`askable`](crate::check::askable)), is ever granted; each is visible ASCII, as
/// the debug assertion in `match_list` re-checks.
#[inline]
pub(crate) fn request_origin(headers: &HeaderMap) -> Option<&HeaderValue> {
    origin_header(headers).flatten()
}

/// The request's `Origin` headers: `None` without any, `Some(None)` with several (a request that
/// is never granted), `Some(Some(value))` with exactly one.
#[inline]
pub(crate) fn origin_header(headers: &HeaderMap) -> Option<Option<&HeaderValue>> {
    let mut values = headers.get_all(ORIGIN).iter();
    let first = values.next()?;
    Some(values.next().is_none().then_some(first))
}

/// What the request's response is granted.
///
/// `strict` is for preflights: a single literal origin is then compared too, where an actual
/// request's response carries it statically.
#[inline]
pub(crate) fn decide(config: &CorsConfig, headers: &HeaderMap, strict: bool) -> Decision {
    match &config.origins {
        // Neither needs the request's `Origin`: don't look it up (a single literal origin never
        // has a check beside it: with one, it is a list).
        Origins::Any => Decision::Granted(GrantedOrigin::Any),
        Origins::Exact(allowed) if !strict => {
            Decision::Granted(GrantedOrigin::Origin(allowed.clone()))
        }
        _ => decide_request_origin(config, request_origin(headers), strict),
    }
}

/// [`decide`] for the request's single `Origin`, already looked up: the lists first, then the
/// check in code, if any, for an origin they do not allow.
#[inline(always)]
pub(crate) fn decide_request_origin(
    config: &CorsConfig,
    origin: Option<&HeaderValue>,
    strict: bool,
) -> Decision {
    let granted = grant_request_origin(config, origin, strict);
    match (&granted, &config.check, origin) {
        // The check's own `ready` or `pending` asks it only about an askable origin.
        (GrantedOrigin::Denied, Some(check), Some(origin)) => match check.ask(origin) {
            Verdict::Ready(true) => Decision::Granted(GrantedOrigin::Origin(origin.clone())),
            Verdict::Ready(false) => Decision::Granted(GrantedOrigin::Denied),
            Verdict::Pending(verdict) => Decision::Ask(verdict, origin.clone()),
        },
        _ => Decision::Granted(granted),
    }
}

/// The lists' answer alone.
#[inline(always)]
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
        (Origins::Env(env), Some(origin)) => match env.get() {
            Ok(Resolved::Any) => GrantedOrigin::Any,
            Ok(Resolved::List(list)) => match_list(list, origin),
            Err(_) => GrantedOrigin::Denied,
        },
        (Origins::Env(env), None) => match env.get() {
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
    let matched = list
        .wildcards
        .any(|prefix, suffix| cors_rules::matches_wildcard(bytes, prefix, suffix))
        || list
            .patterns
            .any(|prefix, suffix| cors_rules::matches_pattern(bytes, prefix, suffix));
    if matched {
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

    #[tokio::test]
    async fn grant_and_apply_by_shape() {
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
            let grant = list.grant(&request(origin)).await;
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
        assert!(!list.grant(&two).await.is_granted(), "two Origin headers");
    }

    #[tokio::test]
    async fn an_unusable_environment_grants_nothing() {
        let env = CorsConfig::builder();
        let _ = env;
        static UNSET: CorsConfig = crate::literal::Spec::new()
            .origin_env("CORS_RUNTIME_TEST_UNSET_VAR")
            .build();
        assert!(
            !UNSET
                .grant(&request(Some("https://a.com")))
                .await
                .is_granted()
        );
        assert!(UNSET.varies_on_origin());
    }
}
