//! The parts of one configured origin, each checked on its own (its scheme, its authority, its
//! port, its host and the host's labels), and what a validated origin is ([`OriginSpec`]).
//!
//! The bottom of the origin rules: `app`, `wildcard` and `origin` build on these, and nothing
//! here knows about them.

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

pub(crate) fn check_port(scheme: Scheme, host: &str, port: &str) -> Result<(), Problem> {
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
