//! `cors_rules::matches_wildcard` and `matches_pattern` against the independent reference
//! matchers, and the wrapper's grant for a wildcard configuration against the same reference,
//! for every wildcard form: whole labels (`https://*.myapp.com`), inside a label
//! (`https://pr-*.preview.myapp.com`, the label at its 63 characters, hosts near their 253), any
//! port on a loopback host (`http://localhost:*`).
//!
//! Input: the first byte picks a wildcard (and its scheme) from a table; the rest is the request's
//! `Origin`. When the rest holds a `|`, what comes before it is tried as a configured wildcard too.
#![no_main]

use std::sync::LazyLock;

use cors_fuzz::{RefWildcard, block_on, single};
use cors_rules::{OriginSpec, is_label_wildcard, matches_pattern, matches_wildcard, parse_origin};
use cors_runtime::CorsConfig;
use http::{HeaderValue, Request};
use lambda_http::Body;
use libfuzzer_sys::fuzz_target;

static WILDCARDS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut wildcards: Vec<String> = [
        "https://*.myapp.com",
        "http://*.myapp.com",
        "https://*.myapp.com:8443",
        "http://*.localhost.test:5173",
        "https://*.a.b.c",
        "https://*.x-y.z9",
        "https://*.preview.myapp.com",
        "https://*.xn--mnchen-3ya.de",
        "https://pr-*.preview.myapp.com",
        "https://*-pr.myapp.com:8443",
        "http://feature-*-x.myapp.com",
        "https://a*.b.c",
        "https://-*.myapp.com",
        "http://localhost:*",
        "https://localhost:*",
        "http://127.0.0.1:*",
        "http://[::1]:*",
    ]
    .map(str::to_owned)
    .into();
    // A label at its limit (62 characters and the `*`), and a domain of 201 characters.
    wildcards.push(format!("https://{}*.myapp.com", "a".repeat(62)));
    let long = ["a", "b", "c"].map(|c| c.repeat(63)).join(".");
    wildcards.push(format!("https://pr-*.{long}.myapp.com"));
    wildcards.push(format!("https://*.{long}.myapp.com"));
    wildcards
});

static CONFIGS: LazyLock<Vec<CorsConfig>> = LazyLock::new(|| {
    WILDCARDS
        .iter()
        .map(|w| {
            CorsConfig::builder()
                .allow_origin(w.as_str())
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
    check(&WILDCARDS[index], origin, Some(&CONFIGS[index]));
    if let Some(bar) = origin.iter().position(|&b| b == b'|')
        && let Ok(wildcard) = std::str::from_utf8(&origin[..bar])
        && matches!(parse_origin(wildcard), Ok(OriginSpec::Wildcard { .. }))
    {
        check(wildcard, &origin[bar + 1..], None);
    }
});

fn check(wildcard: &str, origin: &[u8], config: Option<&CorsConfig>) {
    let Ok(OriginSpec::Wildcard { prefix, suffix }) = parse_origin(wildcard) else {
        panic!("{wildcard:?} is a wildcard");
    };
    let reference = RefWildcard::parse(wildcard).expect("a wildcard splits");
    let labels = is_label_wildcard(prefix, suffix);
    assert_eq!(
        labels,
        matches!(reference, RefWildcard::Labels { .. }),
        "{wildcard:?}: which matcher applies"
    );
    let expected = reference.matches(origin);
    let actual = match labels {
        true => matches_wildcard(origin, prefix, suffix),
        false => matches_pattern(origin, prefix, suffix),
    };
    assert_eq!(
        actual,
        expected,
        "{}({:?}, {wildcard:?})",
        if labels {
            "matches_wildcard"
        } else {
            "matches_pattern"
        },
        String::from_utf8_lossy(origin)
    );

    let Some(config) = config else { return };
    assert_eq!(
        config.lists_allow(&String::from_utf8_lossy(origin)),
        expected && std::str::from_utf8(origin).is_ok(),
        "lists_allow({:?}) of {wildcard:?}",
        String::from_utf8_lossy(origin)
    );
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
