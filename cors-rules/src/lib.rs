//! The rules of a CORS configuration, shared by compile time and run time.
//!
//! `cors-macros` applies these rules to the literals of `#[cors_handler(...)]` and turns a
//! refusal into a compile error on the offending literal; `cors-runtime` applies the very same
//! rules to `origin_env` values at cold start and to its builder. Keeping them in one small crate
//! without dependencies is what makes "validated at compile time" and "validated at cold start"
//! mean the same thing.
//!
//! This crate is an implementation detail of `cors-runtime`; its API may change in any release.
//!
//! ```
//! use cors_rules::{parse_origin, OriginSpec};
//!
//! assert_eq!(parse_origin("https://myapp.com").unwrap(), OriginSpec::Exact("https://myapp.com"));
//! let err = parse_origin("https://myapp.com/").unwrap_err();
//! assert_eq!(err.hint.as_deref(), Some("did you mean \"https://myapp.com\"?"));
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

/// A refused configuration value: what is wrong, and how to put it right where that is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    /// What is wrong, in rustc's voice: lower case, no trailing period.
    pub message: String,
    /// A suggestion such as `did you mean "https://myapp.com"?`.
    pub hint: Option<String>,
}

impl RuleError {
    fn new(message: impl Into<String>) -> Self {
        RuleError {
            message: message.into(),
            hint: None,
        }
    }

    fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    fn did_you_mean(self, value: &str) -> Self {
        self.hint(format!("did you mean \"{value}\"?"))
    }
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " ({hint})")?;
        }
        Ok(())
    }
}

impl std::error::Error for RuleError {}

/// The scheme of an allowed origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// `http`
    Http,
    /// `https`
    Https,
}

impl Scheme {
    /// The scheme with its `://`, as an origin starts.
    pub const fn prefix(self) -> &'static str {
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OriginSpec<'a> {
    /// `"*"`: any origin.
    Any,
    /// One serialized origin, exactly as a browser sends it: `https://myapp.com`.
    Exact(&'a str),
    /// `https://*.myapp.com[:port]`: any origin of the scheme whose host is one or more DNS labels
    /// followed by `suffix`, with the same port.
    Subdomain {
        /// The scheme every matching origin has.
        scheme: Scheme,
        /// What follows the wildcard, dot included: `.myapp.com` or `.myapp.com:8443`.
        suffix: &'a str,
    },
}

/// Parses and validates one configured origin (`"*"`, a serialized origin, or a subdomain
/// wildcard) by the rules of the contract.
///
/// The input must be exactly what a browser sends in `Origin`: `http` or `https`, `://`, a
/// lower-case ASCII host and a port only where it is not the scheme's default. Every other form is
/// refused with a [`RuleError`] saying why, and with a corrected value as hint where one exists.
pub fn parse_origin(value: &str) -> Result<OriginSpec<'_>, RuleError> {
    if value.is_empty() {
        return Err(RuleError::new("origin must not be empty")
            .hint("write a serialized origin such as \"https://myapp.com\""));
    }
    if value == "*" {
        return Ok(OriginSpec::Any);
    }
    if let Some(bad) = value.chars().find(|c| c.is_whitespace() || c.is_control()) {
        let err = RuleError::new(format!(
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
        return Err(RuleError::new(
            "`null` must never be an allowed origin: sandboxed iframes, data: URLs and redirected \
             requests all send it, so allowing it allows any page",
        ));
    }

    let Some((scheme_text, rest)) = value.split_once("://") else {
        let bare = value.trim_start_matches('/');
        return Err(
            RuleError::new("origin is missing its scheme").did_you_mean(&format!("https://{bare}"))
        );
    };
    let scheme = match scheme_text {
        "https" => Scheme::Https,
        "http" => Scheme::Http,
        other if other.eq_ignore_ascii_case("https") || other.eq_ignore_ascii_case("http") => {
            return Err(
                RuleError::new("origin scheme must be lower case: a browser sends it so")
                    .did_you_mean(&format!("{}://{rest}", other.to_ascii_lowercase())),
            );
        }
        other => {
            return Err(RuleError::new(format!(
                "origin scheme must be `http` or `https`, not `{other}`"
            )));
        }
    };

    // Everything after the authority is refused: a browser's `Origin` never has it.
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let clean = format!("{}{authority}", scheme.prefix());
    if !tail.is_empty() {
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
            RuleError::new(format!("origin {what}: a browser sends `{clean}`"))
                .did_you_mean(&clean),
        );
    }
    if let Some((_, host_part)) = authority.rsplit_once('@') {
        return Err(
            RuleError::new("origin must not contain user information (`user@`)")
                .did_you_mean(&format!("{}{host_part}", scheme.prefix())),
        );
    }

    let (host, port) = split_port(authority)?;
    if let Some(port) = port {
        check_port(scheme, host, port)?;
    }
    let host_and_port = authority;

    if host.is_empty() {
        return Err(RuleError::new("origin has no host"));
    }
    if let Some(domain) = host.strip_prefix("*.") {
        check_wildcard_domain(scheme, domain, port)?;
        let suffix = &host_and_port[1..];
        return Ok(OriginSpec::Subdomain { scheme, suffix });
    }
    if host.contains('*') {
        return Err(RuleError::new(
            "a wildcard must be a whole leading label, as in `https://*.myapp.com`",
        ));
    }
    check_host(scheme, host, port)?;
    Ok(OriginSpec::Exact(value))
}

/// Splits `host[:port]`, minding bracketed IPv6 literals.
fn split_port(authority: &str) -> Result<(&str, Option<&str>), RuleError> {
    if authority.starts_with('[') {
        return match authority.find(']') {
            Some(end) => {
                let (host, after) = authority.split_at(end + 1);
                match after {
                    "" => Ok((host, None)),
                    _ => match after.strip_prefix(':') {
                        Some(port) => Ok((host, Some(port))),
                        None => Err(RuleError::new(
                            "unexpected characters after the IPv6 address",
                        )),
                    },
                }
            }
            None => Err(RuleError::new("IPv6 address is missing its closing `]`")),
        };
    }
    Ok(match authority.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    })
}

fn check_port(scheme: Scheme, host: &str, port: &str) -> Result<(), RuleError> {
    let without = format!("{}{host}", scheme.prefix());
    if port.is_empty() {
        return Err(RuleError::new("origin port is empty").did_you_mean(&without));
    }
    if !port.bytes().all(|b| b.is_ascii_digit()) {
        return Err(RuleError::new(format!(
            "origin port `{port}` is not a number"
        )));
    }
    let number: u32 = port.parse().unwrap_or(u32::MAX);
    if number == 0 || number > 65535 {
        return Err(RuleError::new(format!(
            "origin port `{port}` is out of range (1 to 65535)"
        )));
    }
    if port.starts_with('0') {
        return Err(RuleError::new(format!(
            "origin port `{port}` has leading zeros: a browser sends `{number}`"
        ))
        .did_you_mean(&format!("{without}:{number}")));
    }
    if port == scheme.default_port() {
        return Err(RuleError::new(format!(
            "origin must not name the default port {port} of `{}`: a browser leaves it out",
            scheme.prefix().trim_end_matches("://")
        ))
        .did_you_mean(&without));
    }
    Ok(())
}

fn rebuild(scheme: Scheme, host: &str, port: Option<&str>) -> String {
    match port {
        Some(port) => format!("{}{host}:{port}", scheme.prefix()),
        None => format!("{}{host}", scheme.prefix()),
    }
}

fn check_host(scheme: Scheme, host: &str, port: Option<&str>) -> Result<(), RuleError> {
    if let Some(inner) = host.strip_prefix('[') {
        let inner = inner.strip_suffix(']').unwrap_or(inner);
        return match inner.parse::<Ipv6Addr>() {
            Ok(addr) => {
                let canonical = addr.to_string();
                if canonical == inner {
                    Ok(())
                } else {
                    Err(RuleError::new(format!(
                        "IPv6 address is not in the form a browser sends (`[{canonical}]`)"
                    ))
                    .did_you_mean(&rebuild(
                        scheme,
                        &format!("[{canonical}]"),
                        port,
                    )))
                }
            }
            Err(_) => Err(RuleError::new(format!(
                "`{inner}` is not a valid IPv6 address"
            ))),
        };
    }
    if !host.is_ascii() {
        let err = RuleError::new(
            "origin host must be ASCII: a browser sends an international domain name in punycode",
        );
        return Err(match to_ascii_host(host) {
            Some(ascii) => err.did_you_mean(&rebuild(scheme, &ascii, port)),
            None => err.hint("write the host in its punycode form (`xn--...`)"),
        });
    }
    if host.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(
            RuleError::new("origin host must be lower case: a browser sends it so")
                .did_you_mean(&rebuild(scheme, &host.to_ascii_lowercase(), port)),
        );
    }
    if host.ends_with('.') {
        return Err(
            RuleError::new("origin host must not end with `.`").did_you_mean(&rebuild(
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
            Ok(addr) => Err(RuleError::new(format!(
                "IPv4 address is not in the form a browser sends (`{addr}`)"
            ))
            .did_you_mean(&rebuild(scheme, &addr.to_string(), port))),
            Err(_) => Err(RuleError::new(format!(
                "`{host}` is not a valid IPv4 address"
            ))),
        };
    }
    check_domain(host)
}

/// The host with each non-ASCII label lower-cased and punycode-encoded (RFC 3492), as a browser
/// serializes simple international domain names; `None` when a label has characters that need
/// IDNA mapping beyond lower-casing (the hint then stays generic).
fn to_ascii_host(host: &str) -> Option<String> {
    let labels: Option<Vec<String>> = host
        .split('.')
        .map(|label| {
            let label = label.to_lowercase();
            if label.is_ascii() {
                Some(label)
            } else if label.chars().all(|c| c.is_alphanumeric() || c == '-') {
                punycode(&label).map(|encoded| format!("xn--{encoded}"))
            } else {
                None
            }
        })
        .collect();
    labels.map(|labels| labels.join("."))
}

/// RFC 3492 punycode encoding of one label.
fn punycode(label: &str) -> Option<String> {
    const BASE: u32 = 36;
    const T_MIN: u32 = 1;
    const T_MAX: u32 = 26;
    fn adapt(mut delta: u32, points: u32, first: bool) -> u32 {
        delta /= if first { 700 } else { 2 };
        delta += delta / points;
        let mut k = 0;
        while delta > ((BASE - T_MIN) * T_MAX) / 2 {
            delta /= BASE - T_MIN;
            k += BASE;
        }
        k + (BASE - T_MIN + 1) * delta / (delta + 38)
    }
    fn digit(d: u32) -> char {
        char::from(if d < 26 {
            b'a' + d as u8
        } else {
            b'0' + (d - 26) as u8
        })
    }
    let input: Vec<u32> = label.chars().map(u32::from).collect();
    let mut output: String = label.chars().filter(char::is_ascii).collect();
    let basic = output.len() as u32;
    let mut handled = basic;
    if basic > 0 {
        output.push('-');
    }
    let (mut n, mut delta, mut bias) = (128u32, 0u32, 72u32);
    while (handled as usize) < input.len() {
        let m = *input.iter().filter(|&&c| c >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(handled + 1)?)?;
        n = m;
        for &c in &input {
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias {
                        T_MIN
                    } else if k >= bias + T_MAX {
                        T_MAX
                    } else {
                        k - bias
                    };
                    if q < t {
                        break;
                    }
                    output.push(digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                output.push(digit(q));
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta += 1;
        n += 1;
    }
    Some(output)
}

fn check_domain(domain: &str) -> Result<(), RuleError> {
    if domain.len() > 253 {
        return Err(RuleError::new("origin host is longer than 253 characters"));
    }
    for label in domain.split('.') {
        if let Some(err) = label_error(label) {
            return Err(RuleError::new(format!(
                "invalid host label `{label}`: {err}"
            )));
        }
    }
    Ok(())
}

fn label_error(label: &str) -> Option<&'static str> {
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

fn check_wildcard_domain(
    scheme: Scheme,
    domain: &str,
    port: Option<&str>,
) -> Result<(), RuleError> {
    if domain.contains('*') {
        return Err(RuleError::new(
            "only one wildcard is allowed, as the whole leading label: `https://*.myapp.com`",
        ));
    }
    check_host(scheme, domain, port)?;
    if domain.len() > 251 {
        return Err(RuleError::new(format!(
            "a wildcard over a domain of {} characters matches no host: a host is at most 253 \
             characters, and the wildcard adds at least two",
            domain.len()
        )));
    }
    if domain.starts_with('[') || domain.parse::<Ipv4Addr>().is_ok() {
        return Err(RuleError::new(
            "a wildcard needs a domain, not an IP address",
        ));
    }
    if !domain.contains('.') {
        return Err(RuleError::new(format!(
            "a wildcard over the top-level domain `{domain}` allows every site under it"
        ))
        .hint("name the registered domain: `https://*.myapp.com`"));
    }
    Ok(())
}

/// Whether `s` is an HTTP token (RFC 9110 `tchar`s, at least one).
pub fn is_token(s: &str) -> bool {
    is_token_bytes(s.as_bytes())
}

/// Whether `s` is an HTTP token, on bytes as a header value carries them.
pub fn is_token_bytes(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(|&b| is_tchar(b))
}

/// Whether `b` is an HTTP token character.
pub const fn is_tchar(b: u8) -> bool {
    matches!(b,
        b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+' | b'-' | b'.' | b'^' | b'_' | b'`'
        | b'|' | b'~' | b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z')
}

const STANDARD_METHODS: [&str; 7] = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"];

/// Validates one entry of `methods`: an HTTP token that a browser can send.
///
/// `"*"` is accepted here; whether it may stand where it stands (alone, without credentials) is
/// the caller's check.
pub fn check_method(method: &str) -> Result<(), RuleError> {
    if method.is_empty() {
        return Err(RuleError::new("method must not be empty"));
    }
    if method == "*" {
        return Ok(());
    }
    if !is_token(method) {
        return Err(RuleError::new(format!(
            "`{}` is not a valid HTTP method: a method is a token (letters, digits and !#$%&'*+-.^_`|~)",
            method.escape_debug()
        )));
    }
    let upper = method.to_ascii_uppercase();
    if ["CONNECT", "TRACE", "TRACK"].contains(&upper.as_str()) {
        return Err(RuleError::new(format!(
            "`{method}` is a forbidden method: browsers never send it"
        )));
    }
    if upper != method && STANDARD_METHODS.contains(&upper.as_str()) {
        return Err(RuleError::new(format!(
            "methods are case-sensitive and browsers send `{upper}`"
        ))
        .did_you_mean(&upper));
    }
    Ok(())
}

/// Validates one entry of `headers` or `expose_headers`: an HTTP header name.
///
/// `"*"` is accepted here; the caller decides whether it may stand where it stands.
pub fn check_header_name(name: &str) -> Result<(), RuleError> {
    if name.is_empty() {
        return Err(RuleError::new("header name must not be empty"));
    }
    if name == "*" || is_token(name) {
        return Ok(());
    }
    let trimmed = name.trim();
    let err = RuleError::new(format!(
        "`{}` is not a valid header name: a header name is a token (letters, digits and !#$%&'*+-.^_`|~)",
        name.escape_debug()
    ));
    Err(if trimmed != name && is_token(trimmed) {
        err.did_you_mean(trimmed)
    } else {
        err
    })
}

/// Whether `label` is one DNS label of a request origin's host as a browser serializes it:
/// 1 to 63 lower-case letters, digits and `-`, neither first nor last a `-`.
pub fn is_dns_label(label: &[u8]) -> bool {
    !label.is_empty()
        && label.len() <= 63
        && label
            .iter()
            .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && label[0] != b'-'
        && label[label.len() - 1] != b'-'
}

/// Whether a request's `Origin` matches a subdomain wildcard: `scheme://` then one or more DNS
/// labels joined by `.`, then exactly `suffix` (which starts with `.`).
///
/// ```
/// use cors_rules::{matches_subdomain, Scheme};
///
/// assert!(matches_subdomain(b"https://a.b.myapp.com", Scheme::Https, ".myapp.com"));
/// assert!(!matches_subdomain(b"https://myapp.com", Scheme::Https, ".myapp.com"));
/// assert!(!matches_subdomain(b"https://evil.com/.myapp.com", Scheme::Https, ".myapp.com"));
/// ```
pub fn matches_subdomain(origin: &[u8], scheme: Scheme, suffix: &str) -> bool {
    let Some(rest) = origin.strip_prefix(scheme.prefix().as_bytes()) else {
        return false;
    };
    let Some(labels) = rest.strip_suffix(suffix.as_bytes()) else {
        return false;
    };
    // A host is at most 253 characters: the labels and the suffix's domain together.
    let suffix_host = suffix
        .bytes()
        .position(|b| b == b':')
        .unwrap_or(suffix.len());
    !labels.is_empty()
        && labels.len() + suffix_host <= 253
        && labels.split(|&b| b == b'.').all(is_dns_label)
}

/// Whether a request's `Origin` value could be a browser's serialization at all: visible ASCII
/// only (no spaces, no control characters, nothing above 0x7E) and not empty.
pub fn is_plausible_origin(origin: &[u8]) -> bool {
    !origin.is_empty() && origin.iter().all(|&b| (0x21..=0x7e).contains(&b))
}

/// Splits a comma-separated list the way HTTP lists are split (`Access-Control-Request-Headers`,
/// `Vary`, an `origin_env` value): on `,`, each item trimmed of spaces and tabs, empty items skipped.
pub fn list_items(value: &str) -> impl Iterator<Item = &str> {
    value
        .split(',')
        .map(|item| item.trim_matches([' ', '\t']))
        .filter(|item| !item.is_empty())
}

/// [`list_items`] on the bytes of a header value, which need not be UTF-8.
pub fn list_items_bytes(value: &[u8]) -> impl Iterator<Item = &[u8]> {
    value
        .split(|&b| b == b',')
        .map(trim_spaces_and_tabs)
        .filter(|item| !item.is_empty())
}

/// `item` without leading and trailing spaces and tabs (HTTP's optional whitespace).
#[inline]
fn trim_spaces_and_tabs(mut item: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = item {
        item = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = item {
        item = rest;
    }
    item
}

#[cfg(test)]
mod tests;
