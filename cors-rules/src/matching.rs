//! A request's `Origin` against a configured wildcard: what runs per request.
//!
//! Exact origins need no rule of their own (byte equality with the validated configuration); the
//! rules here say what the `*` of a validated wildcard may stand for.

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

/// Whether a request's `Origin` matches a validated wildcard ([`OriginSpec::Wildcard`]): it is
/// `prefix`, then one or more whole DNS labels joined by `.`, then `suffix` (which starts with
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
    fn plausible_origins_are_visible_ascii() {
        assert!(is_plausible_origin(b"https://a.com"));
        assert!(!is_plausible_origin(b""));
        assert!(!is_plausible_origin(b"https://a.com "));
        assert!(!is_plausible_origin(b"https://\xc3\xa9.com"));
    }
}
