//! What the fuzz targets share: a tiny executor, reference matchers and validators written
//! independently of `cors-rules`, a check in code (`origin_fn`) that records what it is asked,
//! and helpers that read CORS headers off a response.
//!
//! The references follow the behaviour the README states as plainly as possible: parse the
//! request's `Origin` (or the configured origin) into its parts, then compare the parts. They
//! never call the functions they check; the public-suffix rule of wildcards consults the Public
//! Suffix List's data (`psl`), which defines it.

use std::future::Future;
use std::pin::pin;
use std::sync::{Mutex, Once};
use std::task::{Context, Poll, Waker};

use http::{HeaderMap, HeaderValue};

// The serialized-origin model the test suites share (one copy: a fix reaches all of them).
#[path = "../../tests/support/reference.rs"]
mod reference;
pub use reference::{
    browser_port as reference_port, dns_label as reference_label,
    is_token as reference_token, serialized_origin as reference_serialized_origin,
};

/// Drives a future that never waits on I/O (everything the wrapper does is synchronous once the
/// handler is) to completion with a no-op waker.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    for _ in 0..1_000 {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
    }
    panic!("the wrapper's future is still pending after 1000 polls with nothing to wait for");
}

/// Whether `origin` matches the wildcard `scheme://*.domain[:port]`: it parses as `scheme://`,
/// a host of at least one more label than `domain` whose last labels are `domain` and whose first
/// ones are DNS labels, at most 253 characters in all, and exactly the same port (or none).
pub fn reference_wildcard(origin: &[u8], scheme: &str, domain: &str, port: Option<&str>) -> bool {
    let Ok(origin) = std::str::from_utf8(origin) else {
        return false;
    };
    let Some(rest) = origin
        .strip_prefix(scheme)
        .and_then(|rest| rest.strip_prefix("://"))
    else {
        return false;
    };
    let (host, origin_port) = match rest.rfind(':') {
        Some(colon) => (&rest[..colon], Some(&rest[colon + 1..])),
        None => (rest, None),
    };
    // A DNS name is at most 253 characters; longer hosts are never granted.
    if origin_port != port || host.len() > 253 {
        return false;
    }
    let labels: Vec<&str> = host.split('.').collect();
    let wanted: Vec<&str> = domain.split('.').collect();
    if labels.len() <= wanted.len() {
        return false;
    }
    let (sub, tail) = labels.split_at(labels.len() - wanted.len());
    tail == wanted.as_slice() && sub.iter().all(|label| reference_label(label))
}

/// Whether `origin` matches the wildcard `scheme://{before}*{after}.domain[:port]`: it parses as
/// `scheme://`, a first label that is `before`, one or more of `a-z`, `0-9`, `-`, then `after`
/// (63 characters at most), then `.domain`, at most 253 characters in all, and exactly the same
/// port (or none).
pub fn reference_in_label(
    origin: &[u8],
    scheme: &str,
    before: &str,
    after: &str,
    domain: &str,
    port: Option<&str>,
) -> bool {
    let Some((origin_scheme, host, origin_port)) = origin_parts(origin) else {
        return false;
    };
    if origin_scheme != scheme || origin_port != port || host.len() > 253 {
        return false;
    }
    let Some((label, origin_domain)) = host.split_once('.') else {
        return false;
    };
    origin_domain == domain
        && label.len() <= 63
        && label.len() > before.len() + after.len()
        && label.starts_with(before)
        && label.ends_with(after)
        && label[before.len()..label.len() - after.len()]
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Whether `origin` is `scheme://host:port` for a port as a browser writes it.
pub fn reference_any_port(origin: &[u8], scheme: &str, host: &str) -> bool {
    origin_parts(origin).is_some_and(|(origin_scheme, origin_host, port)| {
        origin_scheme == scheme && origin_host == host && port.is_some_and(reference_port)
    })
}

/// A request origin in parts: scheme, host, port (the text after the host's last `:`).
fn origin_parts(origin: &[u8]) -> Option<(&str, &str, Option<&str>)> {
    let origin = std::str::from_utf8(origin).ok()?;
    let (scheme, authority) = origin.split_once("://")?;
    Some(match authority.rsplit_once(':') {
        Some((host, port)) => (scheme, host, Some(port)),
        None => (scheme, authority, None),
    })
}

/// The hosts whose every port may be allowed.
pub const LOOPBACK_HOSTS: [&str; 3] = ["localhost", "127.0.0.1", "[::1]"];

/// A configured wildcard, split the reference's way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefWildcard<'a> {
    /// `scheme://*.domain[:port]`: one or more whole labels.
    Labels {
        scheme: &'a str,
        domain: &'a str,
        port: Option<&'a str>,
    },
    /// `scheme://{before}*{after}.domain[:port]`: inside the first label.
    InLabel {
        scheme: &'a str,
        before: &'a str,
        after: &'a str,
        domain: &'a str,
        port: Option<&'a str>,
    },
    /// `scheme://host:*`: any port.
    AnyPort { scheme: &'a str, host: &'a str },
}

impl<'a> RefWildcard<'a> {
    /// Splits `text` as a wildcard of a web origin: `http(s)://`, then `host:*`, or a host whose
    /// first label holds the `*` and an optional port. `None` for any other shape (its parts are
    /// not checked here: see [`reference_wildcard_valid`]).
    pub fn parse(text: &'a str) -> Option<Self> {
        let (scheme, rest) = text.split_once("://")?;
        if scheme != "http" && scheme != "https" {
            return None;
        }
        if let Some(host) = rest.strip_suffix(":*") {
            return Some(RefWildcard::AnyPort { scheme, host });
        }
        let (host, port) = match rest.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (rest, None),
        };
        let (label, domain) = host.split_once('.')?;
        let (before, after) = label.split_once('*')?;
        Some(if before.is_empty() && after.is_empty() {
            RefWildcard::Labels {
                scheme,
                domain,
                port,
            }
        } else {
            RefWildcard::InLabel {
                scheme,
                before,
                after,
                domain,
                port,
            }
        })
    }

    /// Whether a request's `Origin` matches it.
    pub fn matches(&self, origin: &[u8]) -> bool {
        match *self {
            RefWildcard::Labels {
                scheme,
                domain,
                port,
            } => reference_wildcard(origin, scheme, domain, port),
            RefWildcard::InLabel {
                scheme,
                before,
                after,
                domain,
                port,
            } => reference_in_label(origin, scheme, before, after, domain, port),
            RefWildcard::AnyPort { scheme, host } => reference_any_port(origin, scheme, host),
        }
    }
}

/// Whether `text` is a wildcard the contract accepts: one `*`, in the first label of a web
/// origin's host (a whole label, or beside `a-z`, `0-9`, `-` in a label of at most 63
/// characters), over a lower-case DNS domain that contains a registrable domain by the Public
/// Suffix List, with room in 253 characters for what the `*` stands for, and a port only where it
/// is not the scheme's default; or `http(s)://host:*` for a loopback host.
pub fn reference_wildcard_valid(text: &str) -> bool {
    if text.matches('*').count() != 1 {
        return false;
    }
    let Some(wildcard) = RefWildcard::parse(text) else {
        return false;
    };
    let (scheme, before, after, domain, port, least) = match wildcard {
        RefWildcard::AnyPort { host, .. } => return LOOPBACK_HOSTS.contains(&host),
        RefWildcard::Labels {
            scheme,
            domain,
            port,
        } => (scheme, "", "", domain, port, 2),
        RefWildcard::InLabel {
            scheme,
            before,
            after,
            domain,
            port,
        } => (scheme, before, after, domain, port, 1),
    };
    let beside_the_star = |part: &str| {
        part.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    let default_port = if scheme == "https" { "443" } else { "80" };
    let last = domain.rsplit('.').next().unwrap_or_default();
    beside_the_star(before)
        && beside_the_star(after)
        && before.len() + after.len() < 63
        && port.is_none_or(|port| reference_port(port) && port != default_port)
        && domain.len() <= 253
        && domain.split('.').all(reference_label)
        && !last.bytes().all(|b| b.is_ascii_digit())
        && before.len() + after.len() + 1 + domain.len() + least <= 253
        && psl::domain(domain.as_bytes()).is_some()
}

/// Whether a configured origin allows a request's `Origin`: the same bytes for an exact origin,
/// the reference matchers for a wildcard.
pub fn reference_entry_allows(entry: &str, origin: &[u8]) -> bool {
    match RefWildcard::parse(entry) {
        Some(wildcard) if entry.contains('*') => wildcard.matches(origin),
        _ => entry.as_bytes() == origin,
    }
}

/// The panic a check in code or a handler raises on purpose.
pub const PANIC_MARKER: &str = "fuzzed code panics on purpose";

static QUIET_PANICS: Once = Once::new();

/// libFuzzer's panic hook aborts on every panic, even one that is caught; the deliberate panics
/// (of a handler, of a check) must reach the wrapper instead.
pub fn let_marked_panics_through() {
    QUIET_PANICS.call_once(|| {
        let fuzzer_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if info.payload().downcast_ref::<&str>() != Some(&PANIC_MARKER) {
                fuzzer_hook(info);
            }
        }));
    });
}

static ASKED: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// What the checks were asked since the last call.
pub fn take_asked() -> Vec<String> {
    std::mem::take(&mut *ASKED.lock().unwrap_or_else(|e| e.into_inner()))
}

/// The check in code of the fuzzed configurations, recording each call: an origin naming
/// `boom` panics, one naming `down` fails, one naming `tenant` is allowed. Generous on purpose:
/// a malformed value naming a tenant would be granted if it were ever put to the check.
pub fn tenant_check(origin: &str) -> Result<bool, &'static str> {
    ASKED
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(origin.to_owned());
    if origin.contains("boom") {
        std::panic::panic_any(PANIC_MARKER);
    }
    if origin.contains("down") {
        return Err("the tenant table is unreachable");
    }
    Ok(origin.contains("tenant"))
}

/// What [`tenant_check`] grants: its panic and its error grant nothing.
pub fn tenant_grants(origin: &[u8]) -> bool {
    let origin = String::from_utf8_lossy(origin);
    origin.contains("tenant") && !origin.contains("boom") && !origin.contains("down")
}

/// A future that is pending once, then ready: an `async` check that really waits.
#[derive(Default)]
pub struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();

    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            return Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// The items of an HTTP list value: split on `,`, spaces and tabs trimmed, empty items dropped.
pub fn reference_list_items(value: &[u8]) -> Vec<&[u8]> {
    let mut items = Vec::new();
    for item in value.split(|&b| b == b',') {
        let mut item = item;
        while let [b' ' | b'\t', rest @ ..] = item {
            item = rest;
        }
        while let [rest @ .., b' ' | b'\t'] = item {
            item = rest;
        }
        if !item.is_empty() {
            items.push(item);
        }
    }
    items
}

/// Every value of header `name`.
pub fn values<'h>(headers: &'h HeaderMap, name: &str) -> Vec<&'h HeaderValue> {
    headers.get_all(name).iter().collect()
}

/// The single value of header `name`, asserting it is not repeated.
pub fn single<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h HeaderValue> {
    let all = values(headers, name);
    assert!(
        all.len() <= 1,
        "{name} appears {} times: {all:?}",
        all.len()
    );
    all.first().copied()
}

/// Whether a `Vary` value lists `token` (case-insensitively) or is `*`.
pub fn vary_lists(value: &HeaderValue, token: &str) -> bool {
    reference_list_items(value.as_bytes())
        .iter()
        .any(|item| *item == b"*" || item.eq_ignore_ascii_case(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_wildcard_matches_what_the_contract_says() {
        let m = |o: &str| reference_wildcard(o.as_bytes(), "https", "myapp.com", None);
        assert!(m("https://a.myapp.com"));
        assert!(m("https://a.b.myapp.com"));
        assert!(!m("https://myapp.com"));
        assert!(!m("https://evilmyapp.com"));
        assert!(!m("http://a.myapp.com"));
        assert!(!m("https://a.myapp.com:8443"));
        assert!(!m("https://A.myapp.com"));
        assert!(!m("https://evil.com/.myapp.com"));
        assert!(reference_wildcard(
            b"https://a.myapp.com:8443",
            "https",
            "myapp.com",
            Some("8443")
        ));
    }

    #[test]
    fn the_other_forms_match_what_the_contract_says() {
        let preview = RefWildcard::parse("https://pr-*.preview.myapp.com").unwrap();
        assert!(matches!(
            preview,
            RefWildcard::InLabel {
                before: "pr-",
                after: "",
                ..
            }
        ));
        for (origin, expected) in [
            ("https://pr-1.preview.myapp.com", true),
            ("https://pr-a-b.preview.myapp.com", true),
            ("https://pr-.preview.myapp.com", false),
            ("https://pr-a.b.preview.myapp.com", false),
            ("https://pr-A.preview.myapp.com", false),
            ("https://pr-1.preview.myapp.com.evil.com", false),
            ("https://pr-1.preview.myapp.com:8443", false),
        ] {
            assert_eq!(preview.matches(origin.as_bytes()), expected, "{origin}");
        }
        let local = RefWildcard::parse("http://localhost:*").unwrap();
        for (origin, expected) in [
            ("http://localhost:1", true),
            ("http://localhost:65535", true),
            ("http://localhost", false),
            ("http://localhost:0", false),
            ("http://localhost:080", false),
            ("http://localhost:65536", false),
            ("http://localhost:3000.evil.com", false),
            ("https://localhost:3000", false),
        ] {
            assert_eq!(local.matches(origin.as_bytes()), expected, "{origin}");
        }
        for (text, expected) in [
            ("https://*.myapp.com", true),
            ("https://pr-*.preview.myapp.com", true),
            ("http://localhost:*", true),
            ("http://[::1]:*", true),
            ("https://*.vercel.app", false),
            ("https://myapp-git-*-team.vercel.app", false),
            ("https://*--mysite.netlify.app", false),
            ("https://*.co.uk", false),
            ("http://myapp.com:*", false),
            ("https://PR-*.myapp.com", false),
            ("https://x.*.myapp.com", false),
            ("https://*.*.myapp.com", false),
        ] {
            assert_eq!(reference_wildcard_valid(text), expected, "{text}");
        }
        for (text, expected) in [
            ("https://myapp.com", true),
            ("capacitor://localhost", true),
            ("chrome-extension://cciilamhchpmbdnniabclekddabkifhb", true),
            (
                "safari-web-extension://140BB581-A2C0-422A-9DD3-6982A5ABEE5E",
                true,
            ),
            (
                "safari-web-extension://140bb581-a2c0-422a-9dd3-6982a5abee5e",
                false,
            ),
            ("CAPACITOR://localhost", false),
            ("file://localhost", false),
            ("null", false),
            ("https://myapp.com:443", false),
        ] {
            assert_eq!(
                reference_serialized_origin(text.as_bytes()),
                expected,
                "{text}"
            );
        }
    }
}
