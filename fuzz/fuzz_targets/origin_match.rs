//! `cors_rules::matches_wildcard` against the independent reference matcher, and the wrapper's
//! grant for a wildcard configuration against the same reference.
//!
//! Input: the first byte picks a wildcard (and its scheme) from a table; the rest is the request's
//! `Origin`. When the rest holds a `|`, what comes before it is tried as a configured wildcard too.
#![no_main]

use std::sync::LazyLock;

use cors_fuzz::{block_on, reference_wildcard, single};
use cors_rules::{OriginSpec, matches_wildcard, parse_origin};
use cors_runtime::CorsConfig;
use http::{HeaderValue, Request};
use lambda_http::Body;
use libfuzzer_sys::fuzz_target;

const WILDCARDS: &[&str] = &[
    "https://*.myapp.com",
    "http://*.myapp.com",
    "https://*.myapp.com:8443",
    "http://*.localhost.test:5173",
    "https://*.a.b.c",
    "https://*.x-y.z9",
    "https://*.preview.myapp.com",
    "https://*.xn--mnchen-3ya.de",
];

static CONFIGS: LazyLock<Vec<CorsConfig>> = LazyLock::new(|| {
    WILDCARDS
        .iter()
        .map(|w| {
            CorsConfig::builder()
                .allow_origin(*w)
                .allow_credentials(true)
                .build()
                .expect("a valid wildcard")
        })
        .collect()
});

fuzz_target!(|data: &[u8]| {
    let Some((&pick, origin)) = data.split_first() else {
        return;
    };
    let index = usize::from(pick) % WILDCARDS.len();
    check(WILDCARDS[index], origin, Some(&CONFIGS[index]));
    if let Some(bar) = origin.iter().position(|&b| b == b'|')
        && let Ok(wildcard) = std::str::from_utf8(&origin[..bar])
        && matches!(parse_origin(wildcard), Ok(OriginSpec::Wildcard { .. }))
    {
        check(wildcard, &origin[bar + 1..], None);
    }
});

/// Splits a configured wildcard the reference's way: scheme, domain after `*.`, port.
fn parts(wildcard: &str) -> (&str, &str, Option<&str>) {
    let (scheme, rest) = wildcard.split_once("://").expect("a scheme");
    let rest = rest.strip_prefix("*.").expect("a leading wildcard");
    match rest.split_once(':') {
        Some((domain, port)) => (scheme, domain, Some(port)),
        None => (scheme, rest, None),
    }
}

fn check(wildcard: &str, origin: &[u8], config: Option<&CorsConfig>) {
    let Ok(OriginSpec::Wildcard { prefix, suffix }) = parse_origin(wildcard) else {
        panic!("{wildcard:?} is a wildcard");
    };
    let (scheme_text, domain, port) = parts(wildcard);
    assert_eq!(prefix, format!("{scheme_text}://"));
    let expected = reference_wildcard(origin, scheme_text, domain, port);
    let actual = matches_wildcard(origin, prefix, suffix);
    assert_eq!(
        actual,
        expected,
        "matches_wildcard({:?}, {wildcard:?})",
        String::from_utf8_lossy(origin)
    );

    let Some(config) = config else { return };
    let Ok(value) = HeaderValue::from_bytes(origin) else {
        return;
    };
    let request = Request::builder()
        .header("origin", value)
        .body(Body::Empty)
        .expect("a valid request");
    let response = block_on(config.handle(request, |_| async {
        Ok::<_, lambda_http::Error>("handled")
    }));
    let acao = single(response.headers(), "access-control-allow-origin");
    if expected {
        assert_eq!(acao.map(HeaderValue::as_bytes), Some(origin));
        assert_eq!(
            single(response.headers(), "access-control-allow-credentials")
                .map(HeaderValue::as_bytes),
            Some(&b"true"[..])
        );
    } else {
        assert_eq!(
            acao,
            None,
            "{:?} granted by {wildcard:?}",
            String::from_utf8_lossy(origin)
        );
        assert_eq!(
            single(response.headers(), "access-control-allow-credentials"),
            None
        );
    }
}
