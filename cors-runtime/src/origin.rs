//! Matching a request's `Origin` against the configuration.

use http::header::ORIGIN;
use http::{HeaderMap, HeaderValue};

use crate::config::{AllowedOrigins, CorsConfig, OriginPattern};

/// What the configuration grants one request: the `Access-Control-Allow-Origin` it gets, if any.
///
/// Made by [`CorsConfig::grant`] from the request (before the handler runs, since the handler
/// consumes the request) and spent by [`CorsConfig::apply`] on the response.
#[derive(Debug, Clone)]
#[must_use = "a grant does nothing until it is applied to a response"]
pub struct Grant<'c> {
    pub(crate) origin: GrantedOrigin<'c>,
    /// The request was a preflight that the handler answers (`preflight = false`).
    pub(crate) preflight: bool,
}

#[derive(Debug, Clone)]
pub(crate) enum GrantedOrigin<'c> {
    /// No origin is granted.
    Denied,
    /// `Access-Control-Allow-Origin: *`.
    Any,
    /// A configured origin, prebuilt.
    Configured(&'c HeaderValue),
    /// The request's own origin, which matched a subdomain wildcard.
    Echo(HeaderValue),
}

impl Grant<'_> {
    /// Whether the request's origin may read the response.
    pub fn is_granted(&self) -> bool {
        !matches!(self.origin, GrantedOrigin::Denied)
    }
}

/// The request's `Origin` value, if it has exactly one.
///
/// Its bytes are not checked here: only a value equal to a configured (validated) origin, or one
/// that `matches_subdomain` accepts (scheme, DNS labels, validated suffix), is ever granted, and
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

impl CorsConfig {
    /// Decides which `Access-Control-Allow-Origin` (if any) the request's response gets.
    ///
    /// `strict` is for preflights: a single literal origin is then compared too, where an actual
    /// request's response carries it statically.
    pub(crate) fn grant_origin<'c>(
        &'c self,
        headers: &HeaderMap,
        strict: bool,
    ) -> GrantedOrigin<'c> {
        match &self.origins {
            // Neither needs the request's `Origin`: don't look it up.
            AllowedOrigins::Any => GrantedOrigin::Any,
            AllowedOrigins::Exact(allowed) if !strict => GrantedOrigin::Configured(allowed),
            _ => self.grant_request_origin(request_origin(headers), strict),
        }
    }

    /// [`grant_origin`](Self::grant_origin) for the request's single `Origin`, already looked up.
    pub(crate) fn grant_request_origin<'c>(
        &'c self,
        origin: Option<&HeaderValue>,
        strict: bool,
    ) -> GrantedOrigin<'c> {
        match (&self.origins, origin) {
            (AllowedOrigins::Any, _) => GrantedOrigin::Any,
            (AllowedOrigins::Exact(allowed), _) if !strict => GrantedOrigin::Configured(allowed),
            (AllowedOrigins::Exact(allowed), Some(origin))
                if origin.as_bytes() == allowed.as_bytes() =>
            {
                GrantedOrigin::Configured(allowed)
            }
            (AllowedOrigins::List(patterns), Some(origin)) => match_list(patterns, origin),
            _ => GrantedOrigin::Denied,
        }
    }
}

fn match_list<'c>(patterns: &'c [OriginPattern], origin: &HeaderValue) -> GrantedOrigin<'c> {
    let bytes = origin.as_bytes();
    for pattern in patterns {
        match pattern {
            OriginPattern::Exact(allowed) if allowed.as_bytes() == bytes => {
                return GrantedOrigin::Configured(allowed);
            }
            OriginPattern::Subdomain { scheme, suffix }
                if cors_rules::matches_subdomain(bytes, *scheme, suffix) =>
            {
                debug_assert!(cors_rules::is_plausible_origin(bytes));
                return GrantedOrigin::Echo(origin.clone());
            }
            _ => {}
        }
    }
    GrantedOrigin::Denied
}
