//! One configured origin: parsed, validated, and turned into what a request's `Origin` is
//! compared with.
//!
//! The top of the origin rules: [`parse_origin`] reads the scheme and hands each form to the
//! module that knows it (`app` for apps' and extensions' schemes, `wildcard` for a `*`, and
//! `origin_parts` for the host and port of an exact web origin).

use crate::Problem;
use crate::origin_parts::{
    OriginSpec, Scheme, authority, check_host, check_port, refused, split_port,
};

/// Parses and validates one configured origin by the rules of a policy.
///
/// The forms, each exactly what a browser sends in `Origin` where it matches:
///
/// - `"*"`: any origin;
/// - a web origin: `http` or `https`, `://`, a lower-case ASCII host and a port only where it is
///   not the scheme's default (`https://myapp.com`, `http://localhost:5173`);
/// - a wildcard in the first label of a web origin's host: a whole label (`https://*.myapp.com`,
///   one or more labels) or inside one (`https://pr-*.preview.myapp.com`, one or more of `a-z`,
///   `0-9`, `-`), always under a domain its owner controls (the public-suffix rule, see
///   [`wildcard`](crate::wildcard));
/// - any port on a loopback host: `http://localhost:*`, `http://127.0.0.1:*`, `http://[::1]:*`;
/// - an app's or an extension's origin, matched exactly: `capacitor://localhost`,
///   `tauri://localhost`, `chrome-extension://<id>`, `moz-extension://<uuid>`,
///   `safari-web-extension://<UUID>`.
///
/// Every other form is refused with a [`Problem`] saying why, and with a corrected value as hint
/// where one exists.
pub fn parse_origin(value: &str) -> Result<OriginSpec<'_>, Problem> {
    parse(value, |value, scheme, host, port| match port {
        Some("*") => crate::wildcard::any_port(value, scheme, host),
        _ => crate::wildcard::in_host(value, scheme, host, port),
    })
}

/// Whether `value` is one exact origin, by the rules [`parse_origin`] applies to one: what a
/// request's `Origin` must be before a check in code is asked about it.
///
/// A `*` anywhere makes it no exact origin, and the wildcards' rules (and the Public Suffix List
/// they consult) are not reached: code that checks requests' origins with this links neither.
///
/// ```
/// use cors_rules::is_exact_origin;
///
/// assert!(is_exact_origin("https://tenant.example") && is_exact_origin("capacitor://localhost"));
/// assert!(!is_exact_origin("https://*.myapp.com") && !is_exact_origin("null") && !is_exact_origin("*"));
/// assert!(!is_exact_origin("https://tenant.example/") && !is_exact_origin("HTTPS://tenant.example"));
/// ```
pub fn is_exact_origin(value: &str) -> bool {
    matches!(
        parse(value, |_, _, _, _| Err(refused(
            "a wildcard is no exact origin"
        ))),
        Ok(OriginSpec::Exact(_))
    )
}

/// [`parse_origin`], with what a web origin with a `*` in its host or port is left to `wildcard`.
fn parse<'v>(
    value: &'v str,
    wildcard: impl FnOnce(&'v str, Scheme, &str, Option<&str>) -> Result<OriginSpec<'v>, Problem>,
) -> Result<OriginSpec<'v>, Problem> {
    if value.is_empty() {
        return Err(refused("origin must not be empty")
            .with_hint("write a serialized origin such as \"https://myapp.com\""));
    }
    if value == "*" {
        return Ok(OriginSpec::Any);
    }
    if let Some(bad) = value.chars().find(|c| c.is_whitespace() || c.is_control()) {
        let err = refused(format!(
            "origin must not contain spaces or control characters (found {bad:?})"
        ));
        let trimmed = value.trim();
        return Err(
            if trimmed != value && !trimmed.is_empty() && !trimmed.contains(char::is_whitespace) {
                err.did_you_mean(trimmed)
            } else {
                err
            },
        );
    }
    if value.eq_ignore_ascii_case("null") {
        return Err(refused(
            "`null` must never be an allowed origin: sandboxed iframes, data: URLs and redirected \
             requests all send it, so allowing it allows any page",
        ));
    }
    if let Some(problem) = crate::app::opaque_scheme(value) {
        return Err(problem);
    }

    let Some((scheme_text, rest)) = value.split_once("://") else {
        let bare = value.trim_start_matches('/');
        return Err(
            refused("origin is missing its scheme").did_you_mean(&format!("https://{bare}"))
        );
    };
    let scheme = match scheme_text {
        "https" => Scheme::Https,
        "http" => Scheme::Http,
        other if other.bytes().any(|b| b.is_ascii_uppercase()) => {
            return Err(
                refused("origin scheme must be lower case: a browser sends it so")
                    .did_you_mean(&format!("{}://{rest}", other.to_ascii_lowercase())),
            );
        }
        other => return crate::app::parse_app_origin(value, other, rest),
    };

    // Everything after the authority is refused: a browser's `Origin` never has it.
    let authority = authority(scheme.prefix(), rest)?;
    let (host, port) = split_port(authority)?;
    if host.is_empty() {
        return Err(refused("origin has no host"));
    }
    if value.matches('*').count() > 1 {
        return Err(refused(
            "only one wildcard is allowed in an origin, as in `https://*.myapp.com`",
        ));
    }
    if port == Some("*") {
        return wildcard(value, scheme, host, port);
    }
    if let Some(port) = port {
        check_port(scheme, host, port)?;
    }
    if host.contains('*') {
        return wildcard(value, scheme, host, port);
    }
    check_host(scheme, host, port)?;
    Ok(OriginSpec::Exact(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(value: &str) -> Problem {
        match parse_origin(value) {
            Ok(spec) => panic!("{value:?} was accepted as {spec:?}"),
            Err(err) => err,
        }
    }

    fn hint(value: &str) -> Option<String> {
        refused(value).hint
    }

    #[test]
    fn exact_origins_are_parse_origins_exact_ones() {
        for value in [
            "https://myapp.com",
            "http://localhost:5173",
            "http://[::1]:8080",
            "http://127.0.0.1",
            "capacitor://localhost",
            "chrome-extension://abcdefghijklmnopabcdefghijklmnop",
            "moz-extension://0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
            "*",
            "null",
            "",
            "https://*.myapp.com",
            "https://pr-*.preview.myapp.com",
            "http://localhost:*",
            "https://*.vercel.app",
            "https://myapp.com/",
            "HTTPS://myapp.com",
            "https://MyApp.com",
            "https://myapp.com:443",
            "file:///etc/passwd",
            "capacitor://local*host",
        ] {
            assert_eq!(
                is_exact_origin(value),
                matches!(parse_origin(value), Ok(OriginSpec::Exact(_))),
                "{value:?}"
            );
        }
    }

    #[test]
    fn accepts_serialized_origins() {
        for origin in [
            "https://myapp.com",
            "http://localhost:5173",
            "http://127.0.0.1:8080",
            "http://[::1]:3000",
            "https://xn--mnchen-3ya.de",
            "https://a-b.c0.example",
            "http://localhost",
        ] {
            assert_eq!(
                parse_origin(origin),
                Ok(OriginSpec::Exact(origin)),
                "{origin}"
            );
        }
        assert_eq!(parse_origin("*"), Ok(OriginSpec::Any));
    }

    #[test]
    fn accepts_subdomain_wildcards() {
        assert_eq!(
            parse_origin("https://*.myapp.com"),
            Ok(OriginSpec::Wildcard {
                prefix: "https://",
                suffix: ".myapp.com"
            })
        );
        assert_eq!(
            parse_origin("http://*.dev.myapp.com:8443"),
            Ok(OriginSpec::Wildcard {
                prefix: "http://",
                suffix: ".dev.myapp.com:8443"
            })
        );
    }

    #[test]
    fn refuses_each_malformed_origin_with_a_reason() {
        let cases: &[(&str, &str)] = &[
            ("", "must not be empty"),
            ("myapp.com", "missing its scheme"),
            ("//myapp.com", "missing its scheme"),
            ("ftp://myapp.com", "`ftp:` cannot be an allowed origin"),
            ("HTTPS://myapp.com", "scheme must be lower case"),
            ("https://myapp.com/", "must not end with `/`"),
            ("https://myapp.com/api", "must not have a path"),
            ("https://myapp.com?x=1", "must not have a query"),
            ("https://myapp.com#top", "must not have a fragment"),
            ("https://user@myapp.com", "user information"),
            ("https://myapp.com:", "port is empty"),
            ("https://myapp.com:abc", "not a number"),
            ("https://myapp.com:70000", "out of range"),
            ("https://myapp.com:0", "out of range"),
            ("https://myapp.com:0443", "leading zeros"),
            ("https://myapp.com:443", "default port 443"),
            ("http://myapp.com:80", "default port 80"),
            ("https://MyApp.com", "must be lower case"),
            ("https://münchen.de", "must be ASCII"),
            ("https://my app.com", "spaces or control characters"),
            (" https://myapp.com", "spaces or control characters"),
            ("https://myapp.com\n", "spaces or control characters"),
            ("null", "`null` must never be"),
            ("NULL", "`null` must never be"),
            ("https://x.*.myapp.com", "first label"),
            ("https://*.*.myapp.com", "only one wildcard"),
            ("https://*.com", "`com` is a public suffix"),
            ("https://*.127.0.0.1", "not an IP address"),
            ("https://myapp.com.", "must not end with `.`"),
            ("https://my_app.com", "only lower-case letters"),
            ("https://-myapp.com", "must not start or end with `-`"),
            ("https://my..app.com", "must not be empty"),
            ("http://1.2.3", "not a valid IPv4"),
            ("http://127.000.0.1", "not a valid IPv4"),
            ("http://[::1", "closing `]`"),
            (
                "http://[0:0:0:0:0:0:0:1]",
                "not in the form a browser sends",
            ),
            ("http://[zz::1]", "not a valid IPv6"),
            ("https://", "has no host"),
            (
                // A domain of 252 characters: valid, but no subdomain of it fits in 253.
                &format!("https://*.{}com", "abcdefghi.".repeat(24) + "abcdefgh."),
                "matches no host",
            ),
        ];
        for (value, expected) in cases {
            let err = refused(value);
            assert!(
                err.message.contains(expected),
                "{value:?}: expected {expected:?} in {:?}",
                err.message
            );
        }
    }

    #[test]
    fn hints_give_the_corrected_origin() {
        let did_you_mean = |v: &str| Some(format!("did you mean \"{v}\"?"));
        assert_eq!(hint("myapp.com"), did_you_mean("https://myapp.com"));
        assert_eq!(
            hint("https://myapp.com/"),
            did_you_mean("https://myapp.com")
        );
        assert_eq!(
            hint("https://myapp.com/a/b?c"),
            did_you_mean("https://myapp.com")
        );
        assert_eq!(
            hint("https://myapp.com:443"),
            did_you_mean("https://myapp.com")
        );
        assert_eq!(
            hint("https://MyApp.com:8443"),
            did_you_mean("https://myapp.com:8443")
        );
        assert_eq!(hint("HTTPS://myapp.com"), did_you_mean("https://myapp.com"));
        assert_eq!(
            hint("https://u:p@myapp.com"),
            did_you_mean("https://myapp.com")
        );
        assert_eq!(
            hint(" https://myapp.com "),
            did_you_mean("https://myapp.com")
        );
        assert_eq!(hint("http://[0::1]"), did_you_mean("http://[::1]"));
        assert_eq!(
            hint("https://münchen.de"),
            did_you_mean("https://xn--mnchen-3ya.de")
        );
        assert_eq!(
            hint("https://Bücher.example:8443"),
            did_you_mean("https://xn--bcher-kva.example:8443")
        );
        assert_eq!(
            hint("http://例え.テスト"),
            did_you_mean("http://xn--r8jz45g.xn--zckzah")
        );
        assert!(hint("https://a☃b.com").is_some());
    }
}
