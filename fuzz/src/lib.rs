//! What the fuzz targets share: a tiny executor, reference matchers written independently of
//! `cors-rules`, and helpers that read CORS headers off a response.
//!
//! The reference matchers follow the contract (shared/CONTRACT.md) as plainly as possible: parse
//! the request's `Origin` into its parts, then compare the parts. They never call the functions
//! they check.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use http::{HeaderMap, HeaderValue};

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

/// One DNS label as a browser serializes a host: 1 to 63 of `a-z`, `0-9`, `-`, not starting or
/// ending with `-`.
pub fn reference_label(label: &str) -> bool {
    (1..=63).contains(&label.len())
        && label
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !label.starts_with('-')
        && !label.ends_with('-')
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

/// An HTTP token (RFC 9110 `tchar`), written out again.
pub fn reference_token(bytes: &[u8]) -> bool {
    const EXTRA: &[u8] = b"!#$%&'*+-.^_`|~";
    !bytes.is_empty()
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || EXTRA.contains(b))
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
}
