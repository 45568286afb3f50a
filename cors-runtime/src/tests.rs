use std::ops::ControlFlow;

use http::header::{ACCESS_CONTROL_ALLOW_ORIGIN, VARY};
use lambda_http::{Body, Request};

use super::*;
use crate::config::{AllowedOrigins, DEFAULT_HEADERS, DEFAULT_METHODS};
use crate::env::EnvConfig;

fn request(origin: Option<&str>) -> Request {
    let mut builder = http::Request::builder();
    if let Some(origin) = origin {
        builder = builder.header("origin", origin);
    }
    builder.body(Body::Empty).unwrap()
}

fn problems(builder: CorsConfigBuilder) -> Vec<String> {
    builder.build().unwrap_err().problems().to_vec()
}

#[test]
fn builder_defaults_match_the_console() {
    let cors = CorsConfig::builder()
        .allow_origin("https://myapp.com")
        .build()
        .unwrap();
    assert_eq!(
        cors.allow_methods_value(),
        "DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT"
    );
    assert_eq!(
        cors.allow_headers_value(),
        "Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token"
    );
    assert_eq!(cors.expose_headers_value(), None);
    assert_eq!(cors.max_age_value(), None);
    assert!(!cors.allows_credentials());
    assert!(cors.answers_preflight());
    assert!(!cors.varies_on_origin());
    assert_eq!(cors.origins(), ["https://myapp.com"]);
}

#[test]
fn builder_shapes_follow_the_origins() {
    let any = CorsConfig::builder().allow_origin("*").build().unwrap();
    assert!(matches!(any.origins, AllowedOrigins::Any));
    let list = CorsConfig::builder()
        .allow_origins(["https://a.com", "https://*.b.com:8443"])
        .build()
        .unwrap();
    assert!(list.varies_on_origin());
    assert_eq!(list.origins(), ["https://a.com", "https://*.b.com:8443"]);
    let wildcard = CorsConfig::builder()
        .allow_origin("https://*.b.com")
        .build()
        .unwrap();
    assert!(
        wildcard.varies_on_origin(),
        "a lone wildcard echoes, so it varies"
    );
}

#[test]
fn builder_reports_every_problem_at_once() {
    let found = problems(
        CorsConfig::builder()
            .allow_origins(["https://ok.com/", "*", "https://a.com", "https://a.com"])
            .allow_methods(["get", "*"])
            .allow_headers(Vec::<String>::new())
            .expose_headers(["x y"])
            .allow_credentials(true),
    );
    let all = found.join("\n");
    for expected in [
        "origin \"https://ok.com/\" is not a valid origin: origin must not end with `/`",
        "is listed twice",
        "origin \"*\" must stand alone",
        "method \"get\": methods are case-sensitive",
        "method \"*\" must stand alone",
        "the header list is empty",
        "expose_headers \"x y\": `x y` is not a valid header name",
    ] {
        assert!(all.contains(expected), "{expected:?} missing from:\n{all}");
    }
}

#[test]
fn builder_refuses_star_with_credentials() {
    for builder in [
        CorsConfig::builder().allow_origin("*"),
        CorsConfig::builder()
            .allow_origin("https://a.com")
            .allow_methods(["*"]),
        CorsConfig::builder()
            .allow_origin("https://a.com")
            .allow_headers(["*"]),
        CorsConfig::builder()
            .allow_origin("https://a.com")
            .expose_headers(["*"]),
    ] {
        let found = problems(builder.allow_credentials(true));
        assert!(found.iter().any(|p| p.contains("credentials")), "{found:?}");
    }
}

#[test]
fn builder_needs_exactly_one_source_of_origins() {
    assert_eq!(
        problems(CorsConfig::builder()),
        ["no allowed origin: set at least one"]
    );
    let both = problems(
        CorsConfig::builder()
            .allow_origin("https://a.com")
            .allow_origins_from_env("X"),
    );
    assert!(both[0].contains("not both"));
    let unset =
        problems(CorsConfig::builder().allow_origins_from_env("CORS_RUNTIME_TEST_UNSET_VAR"));
    assert_eq!(
        unset,
        ["environment variable CORS_RUNTIME_TEST_UNSET_VAR is not set"]
    );
}

fn env_config(credentials: bool) -> EnvConfig {
    EnvConfig::new(
        "ALLOWED_ORIGINS",
        CorsConfig::__from_parts(
            AllowedOrigins::Any,
            DEFAULT_METHODS,
            DEFAULT_HEADERS,
            None,
            credentials,
            None,
            true,
        ),
    )
}

#[test]
fn env_values_are_validated_like_literals_and_named_in_errors() {
    let env = env_config(false);
    let ok = env
        .resolve_value(" https://a.com ,https://*.b.com")
        .unwrap();
    assert_eq!(ok.origins(), ["https://a.com", "https://*.b.com"]);
    assert!(ok.varies_on_origin(), "env origins always echo");
    let single = env.resolve_value("https://a.com").unwrap();
    assert!(single.varies_on_origin());

    let cases = [
        ("", "environment variable ALLOWED_ORIGINS is empty"),
        (
            "https://a.com,,https://b.com",
            "environment variable ALLOWED_ORIGINS: entry 2 is empty",
        ),
        (
            "https://a.com,https://b.com/",
            "environment variable ALLOWED_ORIGINS: entry \"https://b.com/\" is not a valid origin: origin must not end with `/`",
        ),
        (
            "https://a.com,*",
            "environment variable ALLOWED_ORIGINS: \"*\" must stand alone",
        ),
        (
            "https://a.com\r\nx-injected: 1",
            "entry \"https://a.com\\r\\nx-injected: 1\" is not a valid origin",
        ),
        ("null", "entry \"null\" is not a valid origin"),
    ];
    for (value, expected) in cases {
        let err = env.resolve_value(value).unwrap_err().to_string();
        assert!(err.contains(expected), "{value:?}: {err}");
    }
    let star = env_config(true).resolve_value("*").unwrap_err().to_string();
    assert!(star.contains("allows credentials"), "{star}");
}

#[test]
fn grant_and_apply_by_shape() {
    let list = CorsConfig::builder()
        .allow_origins(["https://a.com", "https://*.b.com"])
        .allow_credentials(true)
        .build()
        .unwrap();
    let cases = [
        (Some("https://a.com"), Some("https://a.com")),
        (Some("https://x.b.com"), Some("https://x.b.com")),
        (Some("https://b.com"), None),
        (Some("null"), None),
        (Some("https://a.com "), None),
        (None, None),
    ];
    for (origin, expected) in cases {
        let grant = list.grant(&request(origin));
        assert_eq!(grant.is_granted(), expected.is_some(), "{origin:?}");
        let mut response = http::Response::new(Body::Empty);
        list.apply(grant, &mut response);
        assert_eq!(
            response
                .headers()
                .get(ACCESS_CONTROL_ALLOW_ORIGIN)
                .map(|v| v.to_str().unwrap()),
            expected,
            "{origin:?}"
        );
        assert_eq!(response.headers()[VARY], "Origin");
    }
}

#[test]
fn begin_answers_preflights_only_when_configured_to() {
    let preflight = || {
        http::Request::builder()
            .method("OPTIONS")
            .header("origin", "https://a.com")
            .header("access-control-request-method", "DELETE")
            .body(Body::Empty)
            .unwrap()
    };
    let answering = CorsConfig::builder()
        .allow_origin("https://a.com")
        .build()
        .unwrap();
    assert!(matches!(answering.begin(&preflight()), ControlFlow::Break(r) if r.status() == 204));
    let passing = CorsConfig::builder()
        .allow_origin("https://a.com")
        .answer_preflight(false)
        .build()
        .unwrap();
    assert!(matches!(passing.begin(&preflight()), ControlFlow::Continue(g) if g.is_granted()));
    assert!(is_preflight(&preflight()));
    assert!(!is_preflight(&request(Some("https://a.com"))));
}

#[test]
fn request_headers_lists_tolerate_odd_spacing_and_case() {
    let cors = CorsConfig::builder()
        .allow_origin("https://a.com")
        .allow_headers(["Content-Type", "x-api-key"])
        .build()
        .unwrap();
    assert!(cors.request_headers_allowed(b""));
    assert!(cors.request_headers_allowed(b"content-type"));
    assert!(cors.request_headers_allowed(b" CONTENT-TYPE,\tX-Api-Key , ,"));
    assert!(!cors.request_headers_allowed(b"content-type,x-other"));
    assert!(!cors.request_headers_allowed(b"content type"));
    assert!(!cors.request_headers_allowed(b"content-type\xff"));
    assert!(cors.method_allowed(b"GET"));
    assert!(cors.method_allowed(b"PATCH"));
    assert!(!cors.method_allowed(b"patch"));
    assert!(!cors.method_allowed(b"PROPFIND"));
}

#[test]
fn error_responses_keep_the_error_text_out() {
    #[derive(Debug)]
    struct Boom;
    impl std::fmt::Display for Boom {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("secret")
        }
    }
    impl ErrorResponse for Boom {}
    let response = Boom.error_response();
    assert_eq!(response.status(), 500);
    let Body::Text(text) = response.body() else {
        panic!("a text body")
    };
    assert_eq!(text, r#"{"message":"Internal Server Error"}"#);
    let boxed: lambda_http::Error = "secret".into();
    let Body::Text(text) = boxed.error_response().into_body() else {
        panic!("a text body")
    };
    assert!(!text.contains("secret"));
}

#[test]
fn panic_messages_are_extracted_for_the_log() {
    let payload = std::panic::catch_unwind(|| panic!("boom {}", 1)).unwrap_err();
    assert_eq!(error::panic_message(&*payload), "boom 1");
    let payload = std::panic::catch_unwind(|| std::panic::panic_any(7u8)).unwrap_err();
    assert_eq!(error::panic_message(&*payload), "Box<dyn Any>");
}
