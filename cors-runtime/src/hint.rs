//! Near misses: a refused origin that differs from an allowed entry in the way people get wrong
//! (the scheme, `www.`, the port, a trailing dot, the apex under a subdomain wildcard, another
//! name for this machine, letter case), named in the refusal's log line.
//!
//! A hint only names the allowed entry and how the refused origin differs from it. Each kind is a
//! structural relation with the same host (or the same machine), so a hint never points from a
//! stranger's domain to one of ours: `https://myapp.com.evil.example`, `https://evilmyapp.com` or
//! `https://myapp.co` get none.

/// An allowed entry of a policy: an exact origin, or a wildcard's prefix and suffix around its
/// `*` (`whole_labels`: the `*` stands for whole labels, as in `https://*.myapp.com`).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Entry<'a> {
    Exact(&'a str),
    Wildcard {
        prefix: &'a str,
        suffix: &'a str,
        whole_labels: bool,
    },
}

/// How a refused origin differs from an allowed entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Miss {
    Scheme,
    Www,
    Port,
    TrailingDot,
    Apex,
    Loopback,
    Case,
}

/// A serialized origin's parts: `scheme://host[:port]`. Split here, leniently, rather than by
/// `cors_rules`' parser of configured origins: what is split is an origin the policy refused,
/// which that parser would mostly reject with a reason, and a hint must not link the validation
/// rules into a binary whose policy was validated at compile time. It only proposes candidates;
/// whether one matches is the policy's own matchers' decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Parts<'a> {
    scheme: &'a str,
    host: &'a str,
    port: Option<&'a str>,
}

fn parts(origin: &str) -> Option<Parts<'_>> {
    let (scheme, authority) = origin.split_once("://")?;
    if authority.is_empty() || authority.contains(['/', '@', '?', '#', ' ']) {
        return None;
    }
    let (host, port) = if authority.starts_with('[') {
        let end = authority.find(']')?;
        match &authority[end + 1..] {
            "" => (&authority[..=end], None),
            rest => (&authority[..=end], Some(rest.strip_prefix(':')?)),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    let bad_port = |p: &str| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit());
    // One port at most: `localhost:5173:5173` is no origin.
    let bad_host = host.is_empty() || (!host.starts_with('[') && host.contains(':'));
    if bad_host || port.is_some_and(bad_port) {
        return None;
    }
    Some(Parts { scheme, host, port })
}

fn join(parts: Parts<'_>) -> String {
    match parts.port {
        Some(port) => format!("{}://{}:{}", parts.scheme, parts.host, port),
        None => format!("{}://{}", parts.scheme, parts.host),
    }
}

fn is_loopback(host: &str) -> bool {
    matches!(host, "localhost" | "127.0.0.1" | "[::1]")
}

/// How `origin` nearly matches `entry`, if it does.
pub(crate) fn near_miss(origin: &str, entry: Entry<'_>) -> Option<Miss> {
    let refused = parts(origin)?;
    let matches = |candidate: &str| match entry {
        Entry::Exact(allowed) => candidate == allowed,
        Entry::Wildcard {
            prefix,
            suffix,
            whole_labels: true,
        } => cors_rules::matches_wildcard(candidate.as_bytes(), prefix, suffix),
        Entry::Wildcard { prefix, suffix, .. } => {
            cors_rules::matches_pattern(candidate.as_bytes(), prefix, suffix)
        }
    };
    if let Entry::Wildcard {
        prefix,
        suffix,
        whole_labels: true,
    } = entry
        && let Some(apex) = suffix.strip_prefix('.')
        && origin.strip_prefix(prefix) == Some(apex)
    {
        return Some(Miss::Apex);
    }
    // Each kind changes one part of the refused origin; the first that then matches is the hint.
    let scheme_swapped = match refused.scheme {
        "https" => Some("http"),
        "http" => Some("https"),
        _ => None,
    };
    if let Some(scheme) = scheme_swapped
        && matches(&join(Parts { scheme, ..refused }))
    {
        return Some(Miss::Scheme);
    }
    if let Some(host) = refused.host.strip_suffix('.')
        && matches(&join(Parts { host, ..refused }))
    {
        return Some(Miss::TrailingDot);
    }
    let with_www = format!("www.{}", refused.host);
    let www = match refused.host.strip_prefix("www.") {
        Some(host) => host,
        None => &with_www,
    };
    if matches(&join(Parts {
        host: www,
        ..refused
    })) {
        return Some(Miss::Www);
    }
    if let Entry::Exact(allowed) = entry
        && let Some(allowed) = parts(allowed)
    {
        if allowed.scheme == refused.scheme && allowed.host == refused.host {
            return (allowed.port != refused.port).then_some(Miss::Port);
        }
        if allowed.scheme == refused.scheme
            && allowed.port == refused.port
            && is_loopback(allowed.host)
            && is_loopback(refused.host)
        {
            return Some(Miss::Loopback);
        }
    }
    if refused.port.is_some()
        && matches(&join(Parts {
            port: None,
            ..refused
        }))
    {
        return Some(Miss::Port);
    }
    let lower = origin.to_ascii_lowercase();
    if lower != origin && matches(&lower) {
        return Some(Miss::Case);
    }
    None
}

/// The hint's words: how `origin` differs from the allowed `entry` (as written).
pub(crate) fn describe(miss: Miss, entry: &str) -> String {
    match miss {
        Miss::Scheme => format!("differs from the allowed `{entry}` only in its scheme"),
        Miss::Www => format!("differs from the allowed `{entry}` only by `www.`"),
        Miss::Port => format!("differs from the allowed `{entry}` only in its port"),
        Miss::TrailingDot => {
            format!("differs from the allowed `{entry}` only by a trailing dot")
        }
        Miss::Apex => format!(
            "`{entry}` covers subdomains only, never the domain itself: list the domain as an origin too"
        ),
        Miss::Loopback => format!(
            "is the allowed `{entry}` under another name for this machine: localhost, 127.0.0.1 and [::1] are different origins"
        ),
        Miss::Case => format!(
            "differs from the allowed `{entry}` only in letter case: origins compare byte for byte"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXACT: Entry<'static> = Entry::Exact("https://myapp.com");
    const ADMIN: Entry<'static> = Entry::Exact("https://admin.myapp.com");
    const SUBDOMAINS: Entry<'static> = Entry::Wildcard {
        prefix: "https://",
        suffix: ".myapp.com",
        whole_labels: true,
    };
    const PREVIEWS: Entry<'static> = Entry::Wildcard {
        prefix: "https://pr-",
        suffix: ".preview.myapp.com",
        whole_labels: false,
    };
    const DEV: Entry<'static> = Entry::Exact("http://localhost:5173");

    #[test]
    fn each_kind_of_near_miss() {
        let cases = [
            ("http://admin.myapp.com", ADMIN, Miss::Scheme),
            ("https://www.myapp.com", EXACT, Miss::Www),
            (
                "https://myapp.com",
                Entry::Exact("https://www.myapp.com"),
                Miss::Www,
            ),
            ("https://myapp.com:8443", EXACT, Miss::Port),
            ("http://localhost:5174", DEV, Miss::Port),
            ("https://myapp.com.", EXACT, Miss::TrailingDot),
            ("https://myapp.com", SUBDOMAINS, Miss::Apex),
            ("http://a.myapp.com", SUBDOMAINS, Miss::Scheme),
            ("https://a.myapp.com.", SUBDOMAINS, Miss::TrailingDot),
            ("https://a.myapp.com:8443", SUBDOMAINS, Miss::Port),
            ("http://pr-7.preview.myapp.com", PREVIEWS, Miss::Scheme),
            ("http://127.0.0.1:5173", DEV, Miss::Loopback),
            ("http://[::1]:5173", DEV, Miss::Loopback),
            ("https://MyApp.com", EXACT, Miss::Case),
        ];
        for (origin, entry, miss) in cases {
            assert_eq!(
                near_miss(origin, entry),
                Some(miss),
                "{origin} vs {entry:?}"
            );
        }
    }

    #[test]
    fn strangers_get_no_hint() {
        let hostile = [
            "https://myapp.com.evil.example",
            "https://evilmyapp.com",
            "https://myapp.co",
            "https://myapp.com.",
            "https://xmyapp.com",
            "https://myapp.com@evil.example",
            "https://evil.example/https://myapp.com",
            "null",
            "https://myapp.com%2eevil.example",
            "https://admin.myapp.com.evil.example",
            "https://a.myapp.co",
            "https://pr-7.preview.myapp.co",
            "http://localhost:5173.evil.example",
            "http://localhost:5173:5173",
            "file://",
            "",
        ];
        for origin in hostile {
            for entry in [ADMIN, SUBDOMAINS, PREVIEWS, DEV] {
                assert_eq!(near_miss(origin, entry), None, "{origin} vs {entry:?}");
            }
        }
        // The trailing dot is a near miss of the apex only.
        assert_eq!(near_miss("https://myapp.com.", ADMIN), None);
        assert_eq!(near_miss("https://other.example", EXACT), None);
        assert_eq!(near_miss("https://myapp.com", EXACT), None, "not a miss");
    }

    #[test]
    fn words_name_the_entry() {
        assert_eq!(
            describe(Miss::Www, "https://myapp.com"),
            "differs from the allowed `https://myapp.com` only by `www.`"
        );
        assert!(describe(Miss::Apex, "https://*.myapp.com").contains("never the domain itself"));
    }
}
