//! Writing the CORS headers onto a response, and merging `Vary`.

use http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE, VARY,
};
use http::{HeaderMap, HeaderName, HeaderValue};

use crate::config::CorsConfig;
use crate::origin::{Grant, GrantedOrigin};

pub(crate) const ANY: HeaderValue = HeaderValue::from_static("*");
pub(crate) const TRUE: HeaderValue = HeaderValue::from_static("true");
pub(crate) const VARY_ORIGIN: HeaderValue = HeaderValue::from_static("Origin");

/// The CORS response headers a grant writes (or a denial, or the front door, removes).
const CORS_HEADERS: [HeaderName; 6] = [
    ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_ALLOW_CREDENTIALS,
    ACCESS_CONTROL_EXPOSE_HEADERS,
    ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_HEADERS,
    ACCESS_CONTROL_MAX_AGE,
];

/// Which of the headers [`apply`] writes the response carries already: the handler's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Own {
    /// One of [`CORS_HEADERS`].
    pub(crate) cors: bool,
    /// `Vary`.
    pub(crate) vary: bool,
}

impl Own {
    /// A response made here, which has none.
    pub(crate) const NONE: Own = Own {
        cors: false,
        vary: false,
    };

    /// One pass over the response's header names (a comparison of standard names each): a
    /// response has few, and nearly always none of these, which then are written without
    /// looking for the handler's own first.
    #[inline]
    pub(crate) fn of(headers: &HeaderMap) -> Own {
        let mut own = Own::NONE;
        for key in headers.keys() {
            if *key == VARY {
                own.vary = true;
            } else if CORS_HEADERS.contains(key) {
                own.cors = true;
            }
        }
        own
    }
}

/// [`CorsConfig::apply`].
#[inline]
pub(crate) fn apply(config: &CorsConfig, grant: Grant, headers: &mut HeaderMap) {
    let own = Own::of(headers);
    if config.front_door {
        // The front door writes them all: a handler's own would arrive twice.
        if own.cors {
            remove(headers, &CORS_HEADERS);
        }
        return;
    }
    write_grant(config, grant, headers, own);
    if config.varies_on_origin() {
        if own.vary {
            merge_vary(headers, "Origin", &VARY_ORIGIN);
        } else {
            headers.insert(VARY, VARY_ORIGIN);
        }
    }
}

/// [`apply`] without `Vary`, for a preflight answer too, which sets its own. `own`: which of the
/// headers the response has already; each written one replaces the handler's own, and of those it
/// does not write, a handler's own are removed.
#[inline]
pub(crate) fn write_grant(config: &CorsConfig, grant: Grant, headers: &mut HeaderMap, own: Own) {
    let origin = match grant.origin {
        GrantedOrigin::Denied => {
            if own.cors {
                remove(
                    headers,
                    &[
                        ACCESS_CONTROL_ALLOW_ORIGIN,
                        ACCESS_CONTROL_ALLOW_CREDENTIALS,
                        ACCESS_CONTROL_EXPOSE_HEADERS,
                    ],
                );
            }
            return;
        }
        GrantedOrigin::Any => ANY,
        GrantedOrigin::Origin(origin) => origin,
    };
    headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    if config.credentials {
        headers.insert(ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
    } else if own.cors {
        // Credentials are the policy's to allow, never the handler's: a handler's own header
        // would let cookies travel (or pair `true` with `*`).
        headers.remove(ACCESS_CONTROL_ALLOW_CREDENTIALS);
    }
    if grant.preflight {
        insert_preflight_grant(config, headers);
    } else if let Some(expose) = &config.expose_headers {
        headers.insert(ACCESS_CONTROL_EXPOSE_HEADERS, expose.clone());
    }
}

/// The headers only a preflight's answer carries: the lists and the max age.
pub(crate) fn insert_preflight_grant(config: &CorsConfig, headers: &mut HeaderMap) {
    headers.insert(
        ACCESS_CONTROL_ALLOW_METHODS,
        config.methods.methods_value().clone(),
    );
    headers.insert(
        ACCESS_CONTROL_ALLOW_HEADERS,
        config.headers.headers_value().clone(),
    );
    if let Some(max_age) = &config.max_age {
        headers.insert(ACCESS_CONTROL_MAX_AGE, max_age.clone());
    }
}

/// Removes every header named in `names`.
fn remove(headers: &mut HeaderMap, names: &[HeaderName]) {
    for name in names {
        headers.remove(name);
    }
}

/// Adds `token` to the response's `Vary`, keeping every token already there, as **one** header:
/// API Gateway HTTP APIs and function URLs keep only the first of repeated headers.
///
/// `value` is `token` prebuilt, used (without allocating) when the response has no `Vary` yet.
pub(crate) fn merge_vary(headers: &mut HeaderMap, token: &str, value: &HeaderValue) {
    let mut existing = headers.get_all(VARY).iter();
    let Some(first) = existing.next() else {
        headers.insert(VARY, value.clone());
        return;
    };
    let repeated = existing.next().is_some();
    let covered = headers.get_all(VARY).iter().any(|v| {
        v.to_str().is_ok_and(|v| {
            cors_rules::list_items(v).any(|t| t == "*" || t.eq_ignore_ascii_case(token))
        })
    });
    if covered && !repeated {
        return;
    }
    let mut joined = Vec::with_capacity(first.len() + token.len() + 2);
    join_values(headers, &VARY, &mut joined);
    if !covered {
        if !joined.is_empty() {
            joined.extend_from_slice(b", ");
        }
        joined.extend_from_slice(token.as_bytes());
    }
    let merged = HeaderValue::from_bytes(&joined)
        .expect("header values joined with \", \" are a valid header value");
    headers.insert(VARY, merged);
}

/// Appends every non-empty value of `name` to `joined`, separated by `, `: repeated headers as one
/// list (`Vary` here, any list header of a typed event's other map).
pub(crate) fn join_values(headers: &HeaderMap, name: &HeaderName, joined: &mut Vec<u8>) {
    for item in headers.get_all(name) {
        if item.is_empty() {
            continue;
        }
        if !joined.is_empty() {
            joined.extend_from_slice(b", ");
        }
        joined.extend_from_slice(item.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vary_after(existing: &[&str]) -> Vec<String> {
        let mut headers = HeaderMap::new();
        for v in existing {
            headers.append(VARY, HeaderValue::from_str(v).unwrap());
        }
        merge_vary(&mut headers, "Origin", &VARY_ORIGIN);
        headers
            .get_all(VARY)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn vary_is_one_header_with_every_token() {
        assert_eq!(vary_after(&[]), ["Origin"]);
        assert_eq!(
            vary_after(&["accept-encoding"]),
            ["accept-encoding, Origin"]
        );
        assert_eq!(vary_after(&["origin"]), ["origin"]);
        assert_eq!(vary_after(&["Accept, origin"]), ["Accept, origin"]);
        assert_eq!(vary_after(&["*"]), ["*"]);
        assert_eq!(
            vary_after(&["accept", "accept-encoding"]),
            ["accept, accept-encoding, Origin"]
        );
        assert_eq!(vary_after(&["accept", "Origin"]), ["accept, Origin"]);
        assert_eq!(vary_after(&["originator"]), ["originator, Origin"]);
    }
}
