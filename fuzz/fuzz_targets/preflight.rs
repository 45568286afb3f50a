//! Preflight parsing on arbitrary bytes: `method_allowed`,
//! `request_headers_allowed` and `CorsConfig::preflight_response` against reference
//! decisions written from the contract. Every preflight is answered `204`: from an allowed
//! origin with the grant and the policy's lists (whatever it asked for: the browser compares
//! them), from any other origin with no grant at all. The configurations have every origin form,
//! and a check in code (synchronous, `async`, alone), asked only about a serialized origin the
//! lists do not allow.
//!
//! Input: the first byte picks a configuration; the rest is split on `\n` into the
//! `Access-Control-Request-Method` value, the `Access-Control-Request-Headers` value and, when
//! present, the `Origin` (else an allowed one).
#![no_main]

use std::sync::LazyLock;

use cors_fuzz::{
    YieldOnce, block_on, let_marked_panics_through, reference_entry_allows, reference_list_items,
    reference_serialized_origin, reference_token, single, take_asked, tenant_check, tenant_grants,
    vary_lists,
};
use cors_runtime::CorsConfig;
use http::{HeaderValue, Request, StatusCode};
use lambda_http::Body;
use libfuzzer_sys::fuzz_target;

const ALLOWED: &str = "https://myapp.com";

/// A configuration and what the reference knows of it: `None` is `*`.
struct Case {
    config: CorsConfig,
    origins: &'static [&'static str],
    check: Option<Check>,
    methods: Option<&'static [&'static str]>,
    headers: Option<&'static [&'static str]>,
}

#[derive(Clone, Copy)]
enum Check {
    Sync,
    Async,
}

const DEFAULT_METHODS: &[&str] = &["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"];
const DEFAULT_HEADERS: &[&str] = &[
    "Content-Type",
    "X-Amz-Date",
    "Authorization",
    "X-Api-Key",
    "X-Amz-Security-Token",
];

static CASES: LazyLock<Vec<Case>> = LazyLock::new(|| {
    let with = |origins: &'static [&'static str],
                methods: Option<&'static [&'static str]>,
                headers: Option<&'static [&'static str]>,
                credentials: bool,
                check: Option<Check>| {
        let mut builder = CorsConfig::builder()
            .allow_credentials(credentials)
            .max_age(600);
        if !origins.is_empty() {
            builder = builder.allow_origins(origins.iter().copied());
        }
        builder = match check {
            None => builder,
            Some(Check::Sync) => {
                builder.allow_origin_fn(|origin: &str| tenant_check(origin).unwrap_or(false))
            }
            Some(Check::Async) => builder.allow_origin_async_fn(|origin: String| async move {
                YieldOnce::default().await;
                tenant_check(&origin)
            }),
        };
        builder = builder.allow_methods(methods.unwrap_or(&["*"]).iter().copied());
        builder = builder.allow_headers(headers.unwrap_or(&["*"]).iter().copied());
        Case {
            config: builder.build().expect("a valid configuration"),
            origins,
            check,
            methods,
            headers,
        }
    };
    let case =
        |origins: &'static [&'static str],
         methods: Option<&'static [&'static str]>,
         headers: Option<&'static [&'static str]>,
         credentials: bool| with(origins, methods, headers, credentials, None);
    vec![
        case(
            &[ALLOWED],
            Some(DEFAULT_METHODS),
            Some(DEFAULT_HEADERS),
            false,
        ),
        case(
            &[ALLOWED, "https://*.myapp.com"],
            Some(&["GET", "PUT", "X-Custom"]),
            Some(&["content-type", "x-api-key", "X-Requested-With"]),
            true,
        ),
        case(&["*"], None, None, false),
        case(
            &[ALLOWED, "http://localhost:5173"],
            None,
            Some(&["authorization"]),
            false,
        ),
        case(
            &["https://*.myapp.com"],
            Some(&["purge", "PATCH"]),
            None,
            false,
        ),
        case(
            &[
                "https://pr-*.preview.myapp.com",
                "http://localhost:*",
                "http://[::1]:*",
                "capacitor://localhost",
                "chrome-extension://cciilamhchpmbdnniabclekddabkifhb",
                "safari-web-extension://140BB581-A2C0-422A-9DD3-6982A5ABEE5E",
            ],
            Some(DEFAULT_METHODS),
            Some(&["content-type"]),
            true,
        ),
        with(
            &[ALLOWED],
            Some(DEFAULT_METHODS),
            Some(DEFAULT_HEADERS),
            true,
            Some(Check::Sync),
        ),
        with(
            &["https://*-pr.myapp.com", "https://localhost:*"],
            None,
            Some(&["x-api-key"]),
            false,
            Some(Check::Async),
        ),
        with(
            &[],
            Some(&["PUT"]),
            Some(&["x-api-key"]),
            true,
            Some(Check::Async),
        ),
    ]
});

fuzz_target!(|data: &[u8]| {
    let_marked_panics_through();
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let case = &CASES[usize::from(pick) % CASES.len()];
    let mut parts = rest.splitn(3, |&b| b == b'\n');
    let method = parts.next().unwrap_or_default();
    let request_headers = parts.next().unwrap_or_default();
    let origin = parts.next().unwrap_or(ALLOWED.as_bytes());

    let method_ok = reference_method(case, method);
    assert_eq!(
        cors_runtime::__private::testing::method_allowed(&case.config, method),
        method_ok,
        "method {method:?}"
    );
    let headers_ok = reference_headers(case, request_headers);
    assert_eq!(
        cors_runtime::__private::testing::request_headers_allowed(&case.config, request_headers),
        headers_ok,
        "request headers {:?}",
        String::from_utf8_lossy(request_headers)
    );

    let (Ok(method_value), Ok(headers_value), Ok(origin_value)) = (
        HeaderValue::from_bytes(method),
        HeaderValue::from_bytes(request_headers),
        HeaderValue::from_bytes(origin),
    ) else {
        return;
    };
    let mut builder = Request::builder()
        .method("OPTIONS")
        .header("origin", origin_value)
        .header("access-control-request-method", method_value);
    if !request_headers.is_empty() {
        builder = builder.header("access-control-request-headers", headers_value);
    }
    let request = builder.body(Body::Empty).expect("a valid request");
    take_asked();
    let response = block_on(case.config.preflight_response(&request))
        .expect("OPTIONS with Origin and Access-Control-Request-Method is a preflight");
    let asked = take_asked();
    let lists_ok = reference_lists(case, origin);
    let ask = case.check.is_some() && !lists_ok && reference_serialized_origin(origin);
    let expected_asked = if ask {
        vec![String::from_utf8_lossy(origin).into_owned()]
    } else {
        Vec::new()
    };
    assert_eq!(
        asked,
        expected_asked,
        "what the check was asked about {:?}",
        String::from_utf8_lossy(origin)
    );
    let origin_ok = lists_ok || (ask && tenant_grants(origin));
    let headers = response.headers();
    let acao = single(headers, "access-control-allow-origin");
    assert!(matches!(response.body(), Body::Empty));
    assert!(single(headers, "vary").is_some_and(|v| vary_lists(v, "origin")));
    // Every preflight is answered `204`, whatever it asks for.
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    if origin_ok {
        let expected: &[u8] = if case.config.origins() == ["*"] {
            b"*"
        } else {
            origin
        };
        assert_eq!(acao.map(HeaderValue::as_bytes), Some(expected));
        assert!(single(headers, "access-control-allow-methods").is_some());
        assert!(single(headers, "access-control-allow-headers").is_some());
        assert_eq!(
            single(headers, "access-control-max-age").map(HeaderValue::as_bytes),
            Some(&b"600"[..])
        );
        let credentials = single(headers, "access-control-allow-credentials");
        assert_eq!(credentials.is_some(), case.config.allows_credentials());
        assert!(!(credentials.is_some() && acao.is_some_and(|v| v == "*")));
    } else {
        assert_eq!(
            acao,
            None,
            "a preflight from {:?} was granted",
            String::from_utf8_lossy(origin)
        );
        assert_eq!(single(headers, "access-control-allow-credentials"), None);
        assert_eq!(single(headers, "access-control-allow-methods"), None);
        assert_eq!(single(headers, "access-control-allow-headers"), None);
    }
});

fn reference_method(case: &Case, method: &[u8]) -> bool {
    if [&b"GET"[..], b"HEAD", b"POST"].contains(&method) {
        return true;
    }
    match case.methods {
        None => reference_token(method),
        Some(list) => list.iter().any(|m| m.as_bytes() == method),
    }
}

fn reference_headers(case: &Case, value: &[u8]) -> bool {
    reference_list_items(value).into_iter().all(|name| {
        reference_token(name)
            && match case.headers {
                // `*,Authorization`: `Authorization` is named beside `*`.
                None => true,
                Some(list) => list.iter().any(|h| h.as_bytes().eq_ignore_ascii_case(name)),
            }
    })
}

/// Whether the configuration's lists allow `origin`, by the reference matchers.
fn reference_lists(case: &Case, origin: &[u8]) -> bool {
    case.origins == ["*"]
        || case
            .origins
            .iter()
            .any(|allowed| reference_entry_allows(allowed, origin))
}
