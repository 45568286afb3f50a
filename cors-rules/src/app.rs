//! Origins of apps and browser extensions: a scheme other than `http`/`https`, `://`, a host;
//! matched exactly.
//!
//! Mobile and desktop shells serve their pages from a scheme of their own (`capacitor://localhost`,
//! `ionic://localhost`, `tauri://localhost`); extensions from theirs (`chrome-extension://<id>`,
//! `moz-extension://<uuid>`, `safari-web-extension://<UUID>`). Their hosts are opaque to the URL
//! parser, which keeps them as written: the configured value must be exactly what the browser or
//! the shell sends. Schemes whose pages send `Origin: null`, and schemes no page a browser loads
//! has, are refused with the reason.

use crate::Problem;
use crate::origin_parts::{OriginSpec, authority, label_error, refused};

/// Schemes written without `//` (`data:text/html,...`) or whose documents have an opaque origin,
/// which browsers serialize as `null`: allowing one would allow nothing, or every page that can
/// make one.
const OPAQUE: [(&str, &str); 6] = [
    ("file", "pages opened from `file:` send `Origin: null`"),
    ("data", "`data:` documents send `Origin: null`"),
    (
        "blob",
        "a `blob:` URL has the origin of the page that made it: allow that page's origin",
    ),
    (
        "javascript",
        "`javascript:` URLs run in the origin of the page they are in",
    ),
    (
        "about",
        "`about:` documents inherit their creator's origin or send `Origin: null`",
    ),
    (
        "filesystem",
        "a `filesystem:` URL has the origin of the page that made it: allow that page's origin",
    ),
];

/// Schemes a browser connects to but never loads a page from.
const NOT_PAGES: [(&str, &str); 3] = [
    ("ftp", "no page a browser loads has an `ftp:` origin"),
    (
        "ws",
        "no page has a `ws:` origin: a WebSocket's handshake carries the origin of the page that opened it",
    ),
    (
        "wss",
        "no page has a `wss:` origin: a WebSocket's handshake carries the origin of the page that opened it",
    ),
];

/// The refusal of a value whose scheme's pages send `Origin: null` (or have no origin of their
/// own), whether or not it is followed by `//`.
pub(crate) fn opaque_scheme(value: &str) -> Option<Problem> {
    let (scheme, _) = value.split_once(':')?;
    let scheme = scheme.to_ascii_lowercase();
    OPAQUE
        .iter()
        .find(|(name, _)| *name == scheme)
        .map(|(name, why)| refused(format!("`{name}:` cannot be an allowed origin: {why}")))
}

/// `scheme://host`, for a scheme other than `http` and `https` (already lower case).
pub(crate) fn parse_app_origin<'v>(
    value: &'v str,
    scheme: &str,
    rest: &str,
) -> Result<OriginSpec<'v>, Problem> {
    if let Some((name, why)) = NOT_PAGES.iter().find(|(name, _)| *name == scheme) {
        return Err(refused(format!(
            "`{name}:` cannot be an allowed origin: {why}"
        )));
    }
    let valid_scheme = scheme.starts_with(|c: char| c.is_ascii_lowercase())
        && scheme.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.')
        });
    if !valid_scheme {
        return Err(refused(format!(
            "`{scheme}` is not a URL scheme: a letter, then letters, digits, `+`, `-` or `.`"
        )));
    }
    let prefix = format!("{scheme}://");
    let host = authority(&prefix, rest)?;
    if host.contains('*') {
        return Err(refused(format!(
            "an origin of the `{scheme}:` scheme is matched exactly: wildcards are for `http` and \
             `https` origins"
        )));
    }
    if host.contains(':') {
        return Err(refused(format!(
            "an origin of the `{scheme}:` scheme has no port: write the scheme and the host, as \
             the app sends them"
        )));
    }
    if host.is_empty() {
        return Err(refused("origin has no host"));
    }
    match scheme {
        "chrome-extension" => chrome_extension(host)?,
        "moz-extension" => uuid(host, Case::Lower, "Firefox")?,
        "safari-web-extension" => uuid(host, Case::Upper, "Safari")?,
        _ => app_host(scheme, host)?,
    }
    Ok(OriginSpec::Exact(value))
}

/// A Chrome (or Edge, Brave, ...) extension's id: 32 letters from `a` to `p`.
fn chrome_extension(id: &str) -> Result<(), Problem> {
    let letters = id.bytes().all(|b| (b'a'..=b'p').contains(&b));
    if id.len() == 32 && letters {
        return Ok(());
    }
    let problem = refused(format!(
        "`{id}` is not a Chrome extension id: 32 lower-case letters from `a` to `p`, as \
         `chrome://extensions` shows it"
    ));
    let lower = id.to_ascii_lowercase();
    Err(
        if lower != id && lower.len() == 32 && lower.bytes().all(|b| (b'a'..=b'p').contains(&b)) {
            problem.did_you_mean(&format!("chrome-extension://{lower}"))
        } else {
            problem
        },
    )
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Case {
    Lower,
    Upper,
}

/// An extension's UUID (8-4-4-4-12 hexadecimal digits), in the case its browser sends: Firefox's
/// `moz-extension:` in lower case, Safari's `safari-web-extension:` in upper case.
fn uuid(host: &str, case: Case, browser: &str) -> Result<(), Problem> {
    let groups: Vec<&str> = host.split('-').collect();
    let shape = groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.bytes().all(|b| b.is_ascii_hexdigit()));
    let scheme = match case {
        Case::Lower => "moz-extension",
        Case::Upper => "safari-web-extension",
    };
    if !shape {
        return Err(refused(format!(
            "`{host}` is not the UUID {browser} gives an installed extension (8-4-4-4-12 \
             hexadecimal digits)"
        )));
    }
    let (wrong, right) = match case {
        Case::Lower => (
            host.bytes().any(|b| b.is_ascii_uppercase()),
            host.to_ascii_lowercase(),
        ),
        Case::Upper => (
            host.bytes().any(|b| b.is_ascii_lowercase()),
            host.to_ascii_uppercase(),
        ),
    };
    if wrong {
        let sent = match case {
            Case::Lower => "lower",
            Case::Upper => "upper",
        };
        return Err(refused(format!(
            "{browser} sends the extension's UUID in {sent} case: `{host}` would never match"
        ))
        .did_you_mean(&format!("{scheme}://{right}")));
    }
    Ok(())
}

/// The host of an app's scheme (`capacitor://localhost`): lower-case DNS labels.
fn app_host(scheme: &str, host: &str) -> Result<(), Problem> {
    if host.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(refused("origin host must be lower case: apps send it so")
            .did_you_mean(&format!("{scheme}://{}", host.to_ascii_lowercase())));
    }
    for label in host.split('.') {
        if let Some(err) = label_error(label) {
            return Err(refused(format!("invalid host label `{label}`: {err}")));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::{OriginSpec, parse_origin};

    fn refusal(value: &str) -> String {
        match parse_origin(value) {
            Err(problem) => problem.message,
            Ok(spec) => panic!("{value} was accepted as {spec:?}"),
        }
    }

    #[test]
    fn apps_and_extensions_are_exact_origins() {
        for value in [
            "capacitor://localhost",
            "ionic://localhost",
            "tauri://localhost",
            "chrome-extension://cciilamhchpmbdnniabclekddabkifhb",
            "moz-extension://c0b8a9f2-5d1e-4c3b-9a7f-1e2d3c4b5a69",
            "safari-web-extension://140BB581-A2C0-422A-9DD3-6982A5ABEE5E",
            "app://my-shell.local",
        ] {
            assert_eq!(parse_origin(value), Ok(OriginSpec::Exact(value)), "{value}");
        }
    }

    #[test]
    fn refused_with_the_reason() {
        for (value, expected) in [
            ("file:///home/me/index.html", "`Origin: null`"),
            ("file://", "`Origin: null`"),
            ("data:text/html,<b>x</b>", "`Origin: null`"),
            ("blob:https://myapp.com/1234", "allow that page's origin"),
            ("javascript:alert(1)", "`javascript:`"),
            ("about:blank", "`about:`"),
            ("ftp://files.myapp.com", "`ftp:`"),
            ("ws://myapp.com", "WebSocket"),
            ("wss://myapp.com", "WebSocket"),
            ("CAPACITOR://localhost", "scheme must be lower case"),
            ("Tauri://localhost", "scheme must be lower case"),
            ("capacitor://LocalHost", "must be lower case"),
            ("capacitor://localhost:8080", "has no port"),
            ("capacitor://*.localhost", "matched exactly"),
            ("capacitor://localhost/", "must not end with `/`"),
            ("capacitor://", "has no host"),
            ("chrome-extension://abc", "not a Chrome extension id"),
            (
                "chrome-extension://cciilamhchpmbdnniabclekddabkifhbx",
                "not a Chrome extension id",
            ),
            (
                "chrome-extension://zziilamhchpmbdnniabclekddabkifhb",
                "not a Chrome extension id",
            ),
            ("moz-extension://not-a-uuid", "not the UUID"),
            (
                "moz-extension://C0B8A9F2-5D1E-4C3B-9A7F-1E2D3C4B5A69",
                "lower case",
            ),
            (
                "safari-web-extension://140bb581-a2c0-422a-9dd3-6982a5abee5e",
                "upper case",
            ),
            ("1app://localhost", "not a URL scheme"),
        ] {
            let message = refusal(value);
            assert!(message.contains(expected), "{value}: {message}");
        }
        assert_eq!(
            parse_origin("chrome-extension://CCIILAMHCHPMBDNNIABCLEKDDABKIFHB")
                .unwrap_err()
                .hint
                .as_deref(),
            Some("did you mean \"chrome-extension://cciilamhchpmbdnniabclekddabkifhb\"?")
        );
    }
}
