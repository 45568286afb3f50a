//! The reference model of a serialized origin, written from the behaviour the README states and
//! independently of `cors-rules`: what a browser or an app may send in `Origin`, and so what a
//! check in code may be asked about. The adversarial suite, the property tests and the fuzz
//! targets (which include this file by path) hold the library to it; one copy, so that a fix to
//! the model reaches all three.
//!
//! Only the standard library: the fuzz crate builds it without this crate's dependencies.

use std::net::{Ipv4Addr, Ipv6Addr};

/// One DNS label as a browser serializes a host: 1 to 63 of `a-z`, `0-9`, `-`, not starting or
/// ending with `-`.
pub fn dns_label(label: &str) -> bool {
    (1..=63).contains(&label.len())
        && label
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !label.starts_with('-')
        && !label.ends_with('-')
}

/// A port as a browser writes it: 1 to 65535, decimal, no leading zero.
pub fn browser_port(port: &str) -> bool {
    !port.is_empty()
        && port.len() <= 5
        && port.bytes().all(|b| b.is_ascii_digit())
        && !port.starts_with('0')
        && port.parse::<u32>().is_ok_and(|n| n <= 65535)
}

/// A web origin's host as a browser serializes it: a lower-case DNS name of at most 253
/// characters, or an IPv4 address in dotted-decimal (an IPv6 address is bracketed, see
/// [`serialized_origin`]).
pub fn web_host(host: &str) -> bool {
    let last = host.rsplit('.').next().unwrap_or_default();
    if !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()) {
        // A host ending in a number is an IPv4 address, or nothing.
        return host
            .parse::<Ipv4Addr>()
            .is_ok_and(|a| a.to_string() == host);
    }
    host.len() <= 253 && host.split('.').all(dns_label)
}

/// An app's or an extension's origin after its `scheme`: a lower-case scheme whose pages have an
/// origin of their own (not `file`, `data`, `blob`, `javascript`, `about`, `filesystem`, `ftp`,
/// `ws`, `wss`), and a host without a port (an extension's id or UUID in the form its browser
/// sends it).
pub fn app_origin(scheme: &str, host: &str) -> bool {
    const NO_ORIGIN_OF_THEIR_OWN: [&str; 9] = [
        "file",
        "data",
        "blob",
        "javascript",
        "about",
        "filesystem",
        "ftp",
        "ws",
        "wss",
    ];
    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_lowercase())
        && scheme.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.')
        })
        && !NO_ORIGIN_OF_THEIR_OWN.contains(&scheme);
    let uuid = |upper: bool| {
        let groups: Vec<&str> = host.split('-').collect();
        groups.len() == 5
            && groups.iter().zip([8, 4, 4, 4, 12]).all(|(group, len)| {
                group.len() == len
                    && group.bytes().all(|b| {
                        b.is_ascii_digit()
                            || if upper {
                                (b'A'..=b'F').contains(&b)
                            } else {
                                (b'a'..=b'f').contains(&b)
                            }
                    })
            })
    };
    scheme_ok
        && match scheme {
            "chrome-extension" => {
                host.len() == 32 && host.bytes().all(|b| (b'a'..=b'p').contains(&b))
            }
            "moz-extension" => uuid(false),
            "safari-web-extension" => uuid(true),
            _ => host.split('.').all(dns_label),
        }
}

/// Whether a request's `Origin` value is one serialized origin as a browser or an app writes it:
/// visible ASCII; `http` or `https`, `://`, a [`web_host`] or a bracketed IPv6 address in its
/// shortest form, and a [`browser_port`] only where it is not the scheme's default; or an
/// [`app_origin`].
pub fn serialized_origin(origin: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(origin) else {
        return false;
    };
    if text.is_empty() || !text.bytes().all(|b| (0x21..=0x7e).contains(&b)) {
        return false;
    }
    let Some((scheme, rest)) = text.split_once("://") else {
        return false;
    };
    let default_port = match scheme {
        "http" => "80",
        "https" => "443",
        _ => return app_origin(scheme, rest),
    };
    let (host_ok, port) = match rest.strip_prefix('[') {
        Some(v6) => {
            let Some((address, after)) = v6.split_once(']') else {
                return false;
            };
            let port = match after {
                "" => None,
                _ => match after.strip_prefix(':') {
                    Some(port) => Some(port),
                    None => return false,
                },
            };
            let shortest = address
                .parse::<Ipv6Addr>()
                .is_ok_and(|a| a.to_string() == address);
            (shortest, port)
        }
        None => match rest.rsplit_once(':') {
            Some((host, port)) => (web_host(host), Some(port)),
            None => (web_host(rest), None),
        },
    };
    host_ok && port.is_none_or(|port| browser_port(port) && port != default_port)
}

/// An HTTP token (RFC 9110 `tchar`), written out again.
pub fn is_token(bytes: &[u8]) -> bool {
    !bytes.is_empty()
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(b))
}
