//! A request's `Origin` against a configured wildcard: what runs per request.
//!
//! Exact origins need no rule of their own (byte equality with the validated configuration); the
//! rules here say what the `*` of a validated wildcard may stand for.

/// Whether a request's `Origin` matches a validated whole-label wildcard
/// ([`OriginSpec::Wildcard`] whose `*` is the host's whole first label, [`is_label_wildcard`]): it
/// is `prefix`, then one or more whole DNS labels joined by `.`, then `suffix` (which starts with
/// `.`), and its host is at most 253 characters.
///
/// ```
/// use cors_rules::matches_wildcard;
///
/// let m = |origin: &str| matches_wildcard(origin.as_bytes(), "https://", ".myapp.com");
/// assert!(m("https://a.b.myapp.com"));
/// assert!(!m("https://myapp.com"));
/// assert!(!m("https://evil.com/.myapp.com"));
/// ```
///
/// [`OriginSpec::Wildcard`]: crate::OriginSpec::Wildcard
#[inline]
pub fn matches_wildcard(origin: &[u8], prefix: &str, suffix: &str) -> bool {
    let Some(rest) = origin.strip_prefix(prefix.as_bytes()) else {
        return false;
    };
    let Some(labels) = rest.strip_suffix(suffix.as_bytes()) else {
        return false;
    };
    // A host is at most 253 characters: the labels and the suffix's domain together (the
    // suffix's port, if any, is counted only when the whole is near the limit).
    let fits = labels.len() + suffix.len() <= 253 || {
        let suffix_host = suffix
            .bytes()
            .position(|b| b == b':')
            .unwrap_or(suffix.len());
        labels.len() + suffix_host <= 253
    };
    fits && are_dns_labels(labels)
}

/// Whether `labels` is one or more DNS labels of a request origin's host as a browser serializes
/// them (each 1 to 63 lower-case letters, digits and `-`, neither first nor last a `-`), joined by
/// `.`: in one pass over the bytes.
#[inline]
fn are_dns_labels(labels: &[u8]) -> bool {
    // The byte before the current one (`.` at the start, so that a label cannot start with `-`
    // or be empty), and the current label's length so far.
    let mut previous = b'.';
    let mut length = 0usize;
    for &b in labels {
        match b {
            b'a'..=b'z' | b'0'..=b'9' => length += 1,
            b'-' if previous != b'.' => length += 1,
            b'.' if previous != b'.' && previous != b'-' => length = 0,
            _ => return false,
        }
        if length > 63 {
            return false;
        }
        previous = b;
    }
    previous != b'.' && previous != b'-'
}

/// Whether a validated wildcard's `*` is a whole label (`https://*.myapp.com`, matched by
/// [`matches_wildcard`]), rather than inside one (`https://pr-*.myapp.com`) or the port
/// (`http://localhost:*`), both matched by [`matches_pattern`].
pub fn is_label_wildcard(prefix: &str, suffix: &str) -> bool {
    prefix.ends_with("://") && suffix.starts_with('.')
}

/// Whether a request's `Origin` matches a validated wildcard whose `*` is inside the host's first
/// label or is the port:
///
/// - inside a label (`suffix` not empty): `prefix`, then one or more of `a-z`, `0-9`, `-` (never a
///   `.`), then `suffix`; the label at most 63 characters, the host at most 253;
/// - the port (`suffix` empty, `prefix` ends with `:`): `prefix`, then a port as a browser writes
///   it, 1 to 65535 without leading zeros.
///
/// ```
/// use cors_rules::matches_pattern;
///
/// let preview = |origin: &str| matches_pattern(origin.as_bytes(), "https://pr-", ".preview.myapp.com");
/// assert!(preview("https://pr-42.preview.myapp.com"));
/// assert!(!preview("https://pr-.preview.myapp.com"));
/// assert!(!preview("https://pr-1.x.preview.myapp.com"));
/// let local = |origin: &str| matches_pattern(origin.as_bytes(), "http://localhost:", "");
/// assert!(local("http://localhost:5173"));
/// assert!(!local("http://localhost:080") && !local("http://localhost"));
/// ```
#[inline]
pub fn matches_pattern(origin: &[u8], prefix: &str, suffix: &str) -> bool {
    let Some(rest) = origin.strip_prefix(prefix.as_bytes()) else {
        return false;
    };
    if suffix.is_empty() {
        return is_port(rest);
    }
    let Some(middle) = rest.strip_suffix(suffix.as_bytes()) else {
        return false;
    };
    // The label: what of `prefix` follows `://` or its last `.`, the middle, and what of `suffix`
    // precedes its first `.`; the host: the label and the rest of `suffix` up to a port.
    let label_start = prefix
        .rfind(['.', '/'])
        .map_or(prefix.len(), |i| prefix.len() - i - 1);
    let label_end = suffix.find(['.', ':']).unwrap_or(suffix.len());
    let host_before = prefix.len() - prefix.find("://").map_or(0, |i| i + 3);
    let host_after = suffix.find(':').unwrap_or(suffix.len());
    !middle.is_empty()
        && middle
            .iter()
            .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && label_start + middle.len() + label_end <= 63
        && host_before + middle.len() + host_after <= 253
}

/// A port as a browser serializes it: 1 to 65535, decimal, no leading zero.
fn is_port(text: &[u8]) -> bool {
    if text.is_empty() || text.len() > 5 || text[0] == b'0' || !text.iter().all(u8::is_ascii_digit)
    {
        return false;
    }
    text.iter().fold(0u32, |n, &d| n * 10 + u32::from(d - b'0')) <= 65535
}

/// Whether a request's `Origin` value could be a browser's serialization at all: visible ASCII
/// only (no spaces, no control characters, nothing above 0x7E) and not empty.
pub fn is_plausible_origin(origin: &[u8]) -> bool {
    !origin.is_empty() && origin.iter().all(|&b| (0x21..=0x7e).contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_wildcard_is_exact_about_labels() {
        let m = |o: &str| matches_wildcard(o.as_bytes(), "https://", ".myapp.com");
        assert!(m("https://a.myapp.com"));
        assert!(m("https://a-1.b2.myapp.com"));
        assert!(
            m(&format!("https://{}myapp.com", "a.".repeat(121))),
            "a 251-character host"
        );
        for no in [
            "https://myapp.com",
            "https://.myapp.com",
            "https://evilmyapp.com",
            "http://a.myapp.com",
            "https://a.myapp.com:8443",
            "https://a.myapp.com.evil.net",
            "https://A.myapp.com",
            "https://a..myapp.com",
            "https://-a.myapp.com",
            "https://a_b.myapp.com",
            "https://evil.com/.myapp.com",
            "https://evil.com@a.myapp.com",
            "https://evil.com:1.myapp.com",
            "https://a b.myapp.com",
            "https://a,b.myapp.com",
            &format!("https://{}myapp.com", "a.".repeat(123)),
        ] {
            assert!(!m(no), "{no} matched");
        }
        let port = |o: &str| matches_wildcard(o.as_bytes(), "https://", ".myapp.com:8443");
        assert!(port("https://a.myapp.com:8443"));
        assert!(!port("https://a.myapp.com"));
    }

    #[test]
    fn one_pass_labels_agree_with_label_by_label() {
        // Label by label, as the rule is written.
        let is_dns_label = |label: &[u8]| {
            (1..=63).contains(&label.len())
                && label
                    .iter()
                    .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && label[0] != b'-'
                && label[label.len() - 1] != b'-'
        };
        let reference = |labels: &[u8]| labels.split(|&b| b == b'.').all(is_dns_label);
        // Every string of up to 7 bytes over an alphabet with each class the pass tells apart.
        let alphabet = b"a0-.A_";
        let mut checked = 0;
        for len in 0..=7u32 {
            for mut n in 0..alphabet.len().pow(len) {
                let mut labels = Vec::with_capacity(len as usize);
                for _ in 0..len {
                    labels.push(alphabet[n % alphabet.len()]);
                    n /= alphabet.len();
                }
                assert_eq!(
                    are_dns_labels(&labels),
                    reference(&labels),
                    "{:?}",
                    String::from_utf8_lossy(&labels)
                );
                checked += 1;
            }
        }
        assert_eq!(checked, 335_923);
        for len in [62, 63, 64] {
            let label = "a".repeat(len);
            for labels in [label.clone(), format!("b.{label}"), format!("{label}.b")] {
                assert_eq!(are_dns_labels(labels.as_bytes()), len <= 63, "{labels}");
            }
        }
    }

    #[test]
    fn label_and_port_patterns() {
        assert!(is_label_wildcard("https://", ".myapp.com"));
        assert!(!is_label_wildcard("https://pr-", ".myapp.com"));
        assert!(!is_label_wildcard("https://", "-x.myapp.com"));
        assert!(!is_label_wildcard("http://localhost:", ""));
        let m = |o: &str| matches_pattern(o.as_bytes(), "https://pr-", ".preview.myapp.com");
        assert!(m("https://pr-1.preview.myapp.com"));
        assert!(m("https://pr-feature-x.preview.myapp.com"));
        assert!(m(&format!(
            "https://pr-{}.preview.myapp.com",
            "a".repeat(60)
        )));
        for no in [
            "https://pr-.preview.myapp.com",
            "https://pr-A.preview.myapp.com",
            "https://pr-a.b.preview.myapp.com",
            "https://pr-1.preview.myapp.com.evil.com",
            "https://pr-1.preview.myapp.com:8443",
            "http://pr-1.preview.myapp.com",
            "https://xpr-1.preview.myapp.com",
            "https://pr-a_b.preview.myapp.com",
            "https://pr-a/b.preview.myapp.com",
            &format!("https://pr-{}.preview.myapp.com", "a".repeat(61)),
        ] {
            assert!(!m(no), "{no} matched");
        }
        let end = |o: &str| matches_pattern(o.as_bytes(), "https://", "-pr.myapp.com:8443");
        assert!(end("https://a-pr.myapp.com:8443"));
        assert!(!end("https://a-pr.myapp.com"));
        let port = |o: &str| matches_pattern(o.as_bytes(), "http://localhost:", "");
        for ok in [
            "http://localhost:1",
            "http://localhost:3000",
            "http://localhost:65535",
        ] {
            assert!(port(ok), "{ok}");
        }
        for no in [
            "http://localhost",
            "http://localhost:",
            "http://localhost:0",
            "http://localhost:080",
            "http://localhost:65536",
            "http://localhost:99999",
            "http://localhost:3000.evil.com",
            "http://localhost:3000/",
            "http://localhost:+80",
            "https://localhost:3000",
        ] {
            assert!(!port(no), "{no} matched");
        }
    }

    #[test]
    fn plausible_origins_are_visible_ascii() {
        assert!(is_plausible_origin(b"https://a.com"));
        assert!(!is_plausible_origin(b""));
        assert!(!is_plausible_origin(b"https://a.com "));
        assert!(!is_plausible_origin(b"https://\xc3\xa9.com"));
    }
}
