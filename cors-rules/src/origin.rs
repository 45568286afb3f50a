//! One configured origin: parsed, validated, and turned into what a request's `Origin` is
//! compared with.

use std::net::{Ipv4Addr, Ipv6Addr};

use crate::{Location, Problem};

/// The scheme of an allowed web origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Scheme {
    /// `http`
    Http,
    /// `https`
    Https,
}

impl Scheme {
    /// The scheme with its `://`, as an origin starts.
    pub(crate) const fn prefix(self) -> &'static str {
        match self {
            Scheme::Http => "http://",
            Scheme::Https => "https://",
        }
    }

    const fn default_port(self) -> &'static str {
        match self {
            Scheme::Http => "80",
            Scheme::Https => "443",
        }
    }
}

/// A configured origin, validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OriginSpec<'a> {
    /// `"*"`: any origin.
    Any,
    /// One serialized origin, exactly as a browser sends it: `https://myapp.com`.
    Exact(&'a str),
    /// An origin with one `*`: a request's `Origin` matches when it is `prefix`, then what the
    /// `*` stands for, then `suffix` ([`matches_wildcard`](crate::matches_wildcard)).
    /// `https://*.myapp.com:8443` is `prefix` `https://`, `suffix` `.myapp.com:8443`.
    Wildcard {
        /// Everything before the `*`.
        prefix: &'a str,
        /// Everything after it.
        suffix: &'a str,
    },
}

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

/// The authority of `rest` (what follows `scheme://`), refusing a path, a query, a fragment and
/// user information, which a browser's `Origin` never has.
pub(crate) fn authority<'v>(prefix: &str, rest: &'v str) -> Result<&'v str, Problem> {
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    if !tail.is_empty() {
        let clean = format!("{prefix}{authority}");
        let what = if tail == "/" {
            "must not end with `/`"
        } else if tail.starts_with('?') {
            "must not have a query"
        } else if tail.starts_with('#') {
            "must not have a fragment"
        } else {
            "must not have a path"
        };
        return Err(
            refused(format!("origin {what}: a browser sends `{clean}`")).did_you_mean(&clean)
        );
    }
    if let Some((_, host_part)) = authority.rsplit_once('@') {
        return Err(
            refused("origin must not contain user information (`user@`)")
                .did_you_mean(&format!("{prefix}{host_part}")),
        );
    }
    Ok(authority)
}

/// A refusal of one origin; the caller says which item it is about.
pub(crate) fn refused(message: impl Into<String>) -> Problem {
    Problem::new(Location::Whole, message)
}

/// Splits `host[:port]`, minding bracketed IPv6 literals.
pub(crate) fn split_port(authority: &str) -> Result<(&str, Option<&str>), Problem> {
    if authority.starts_with('[') {
        return match authority.find(']') {
            Some(end) => {
                let (host, after) = authority.split_at(end + 1);
                match after {
                    "" => Ok((host, None)),
                    _ => match after.strip_prefix(':') {
                        Some(port) => Ok((host, Some(port))),
                        None => Err(refused("unexpected characters after the IPv6 address")),
                    },
                }
            }
            None => Err(refused("IPv6 address is missing its closing `]`")),
        };
    }
    Ok(match authority.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    })
}

fn check_port(scheme: Scheme, host: &str, port: &str) -> Result<(), Problem> {
    let without = || format!("{}{host}", scheme.prefix());
    if port.is_empty() {
        return Err(refused("origin port is empty").did_you_mean(&without()));
    }
    if !port.bytes().all(|b| b.is_ascii_digit()) {
        return Err(refused(format!("origin port `{port}` is not a number")));
    }
    let number: u32 = port.parse().unwrap_or(u32::MAX);
    if number == 0 || number > 65535 {
        return Err(refused(format!(
            "origin port `{port}` is out of range (1 to 65535)"
        )));
    }
    if port.starts_with('0') {
        return Err(refused(format!(
            "origin port `{port}` has leading zeros: a browser sends `{number}`"
        ))
        .did_you_mean(&format!("{}:{number}", without())));
    }
    if port == scheme.default_port() {
        return Err(refused(format!(
            "origin must not name the default port {port} of `{}`: a browser leaves it out",
            scheme.prefix().trim_end_matches("://")
        ))
        .did_you_mean(&without()));
    }
    Ok(())
}

pub(crate) fn rebuild(scheme: Scheme, host: &str, port: Option<&str>) -> String {
    match port {
        Some(port) => format!("{}{host}:{port}", scheme.prefix()),
        None => format!("{}{host}", scheme.prefix()),
    }
}

pub(crate) fn check_host(scheme: Scheme, host: &str, port: Option<&str>) -> Result<(), Problem> {
    if let Some(inner) = host.strip_prefix('[') {
        let inner = inner.strip_suffix(']').unwrap_or(inner);
        return match inner.parse::<Ipv6Addr>() {
            Ok(addr) => {
                let canonical = addr.to_string();
                if canonical == inner {
                    Ok(())
                } else {
                    Err(refused(format!(
                        "IPv6 address is not in the form a browser sends (`[{canonical}]`)"
                    ))
                    .did_you_mean(&rebuild(
                        scheme,
                        &format!("[{canonical}]"),
                        port,
                    )))
                }
            }
            Err(_) => Err(refused(format!("`{inner}` is not a valid IPv6 address"))),
        };
    }
    if !host.is_ascii() {
        let err = refused(
            "origin host must be ASCII: a browser sends an international domain name in punycode",
        );
        return Err(match crate::punycode::to_ascii_host(host) {
            Some(ascii) => err.did_you_mean(&rebuild(scheme, &ascii, port)),
            None => err.with_hint("write the host in its punycode form (`xn--...`)"),
        });
    }
    if host.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(
            refused("origin host must be lower case: a browser sends it so")
                .did_you_mean(&rebuild(scheme, &host.to_ascii_lowercase(), port)),
        );
    }
    if host.ends_with('.') {
        return Err(
            refused("origin host must not end with `.`").did_you_mean(&rebuild(
                scheme,
                host.trim_end_matches('.'),
                port,
            )),
        );
    }
    let last_label = host.rsplit('.').next().unwrap_or(host);
    if !last_label.is_empty() && last_label.bytes().all(|b| b.is_ascii_digit()) {
        return match host.parse::<Ipv4Addr>() {
            Ok(addr) if addr.to_string() == host => Ok(()),
            Ok(addr) => Err(refused(format!(
                "IPv4 address is not in the form a browser sends (`{addr}`)"
            ))
            .did_you_mean(&rebuild(scheme, &addr.to_string(), port))),
            Err(_) => Err(refused(format!("`{host}` is not a valid IPv4 address"))),
        };
    }
    check_domain(host)
}

pub(crate) fn check_domain(domain: &str) -> Result<(), Problem> {
    if domain.len() > 253 {
        return Err(refused("origin host is longer than 253 characters"));
    }
    for label in domain.split('.') {
        if let Some(err) = label_error(label) {
            return Err(refused(format!("invalid host label `{label}`: {err}")));
        }
    }
    Ok(())
}

pub(crate) fn label_error(label: &str) -> Option<&'static str> {
    if label.is_empty() {
        return Some("labels must not be empty");
    }
    if label.len() > 63 {
        return Some("labels are at most 63 characters");
    }
    if !label
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Some("only lower-case letters, digits and `-` are allowed");
    }
    if label.starts_with('-') || label.ends_with('-') {
        return Some("a label must not start or end with `-`");
    }
    None
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
