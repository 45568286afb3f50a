//! `cors_rules::parse_origin` on arbitrary text against the reference validators: it never
//! panics, it accepts exactly what the contract accepts (an exact origin exactly when
//! `reference_serialized_origin` says so, a wildcard exactly when `reference_wildcard_valid`
//! does, `*` alone), what it accepts round-trips, the builder agrees with it, and an accepted
//! origin is granted when a request sends it (a wildcard: an instance of it, never what its `*`
//! may not stand for); `is_exact_origin` says yes exactly to its exact origins.
#![no_main]

use cors_fuzz::{
    RefWildcard, block_on, reference_serialized_origin, reference_wildcard_valid, single,
    vary_lists,
};
use cors_rules::{
    OriginSpec, is_exact_origin, is_label_wildcard, matches_pattern, matches_wildcard, parse_origin,
};
use cors_runtime::CorsConfig;
use http::{HeaderValue, Request};
use lambda_http::Body;
use libfuzzer_sys::fuzz_target;

/// Another origin, so that a list configuration (which echoes the request's origin) can be built.
const OTHER: &str = "https://other.example";

fuzz_target!(|data: &[u8]| {
    match std::str::from_utf8(data) {
        Ok(text) => check(text),
        Err(_) => check(&String::from_utf8_lossy(data)),
    }
});

fn check(text: &str) {
    let exact = reference_serialized_origin(text.as_bytes());
    let wildcard = reference_wildcard_valid(text);
    assert!(
        !(exact && wildcard),
        "{text:?} is both exact and a wildcard"
    );
    let builder_result = CorsConfig::builder().allow_origin(text).build();
    // The check in code's pre-check is `parse_origin`'s exact origins, without its wildcard code.
    assert_eq!(
        is_exact_origin(text),
        matches!(parse_origin(text), Ok(OriginSpec::Exact(_))),
        "is_exact_origin disagrees with parse_origin on {text:?}"
    );
    match parse_origin(text) {
        Err(error) => {
            assert!(!error.message.is_empty(), "an empty refusal for {text:?}");
            assert!(
                !exact && !wildcard && text != "*",
                "parse_origin refused {text:?}, which the contract accepts ({})",
                error.message
            );
            let built = builder_result.expect_err("the builder accepted what parse_origin refused");
            assert!(
                built
                    .problems()
                    .iter()
                    .any(|p| p.to_string().contains(&format!("{text:?}"))),
                "the builder's error does not name the value {text:?}: {built}"
            );
        }
        Ok(OriginSpec::Any) => {
            assert_eq!(text, "*");
            assert!(builder_result.is_ok());
        }
        Ok(OriginSpec::Exact(origin)) => {
            assert_eq!(
                origin, text,
                "an exact origin is the configured text itself"
            );
            assert!(
                exact,
                "parse_origin accepted {text:?} as an exact origin, which no browser or app sends"
            );
            let single_config = builder_result.expect("the builder refused an accepted origin");
            assert_eq!(single_config.origins(), [text]);
            assert_granted(&single_config, text);
            if text != OTHER {
                let list = CorsConfig::builder()
                    .allow_origins([text, OTHER])
                    .allow_credentials(true)
                    .build()
                    .expect("two distinct accepted origins make a list");
                assert_granted(&list, text);
            }
        }
        Ok(OriginSpec::Wildcard { prefix, suffix }) => {
            assert_eq!(format!("{prefix}*{suffix}"), text);
            assert!(
                wildcard,
                "parse_origin accepted the wildcard {text:?}, which the contract refuses"
            );
            let reference = RefWildcard::parse(text).expect("a valid wildcard splits");
            let labels = is_label_wildcard(prefix, suffix);
            assert_eq!(
                labels,
                matches!(reference, RefWildcard::Labels { .. }),
                "{text:?}: which matcher applies"
            );
            let matches = |origin: &str| match labels {
                true => matches_wildcard(origin.as_bytes(), prefix, suffix),
                false => matches_pattern(origin.as_bytes(), prefix, suffix),
            };
            let config = builder_result.expect("the builder refused an accepted wildcard");
            assert_eq!(config.origins(), [text]);
            // One instance of what the `*` stands for, and the value without it.
            let (sample, bare) = match reference {
                RefWildcard::AnyPort { .. } => (
                    format!("{prefix}1"),
                    prefix.trim_end_matches(':').to_owned(),
                ),
                RefWildcard::Labels { .. } => (
                    format!("{prefix}a{suffix}"),
                    format!("{prefix}{}", &suffix[1..]),
                ),
                RefWildcard::InLabel { .. } => {
                    (format!("{prefix}a{suffix}"), format!("{prefix}{suffix}"))
                }
            };
            assert!(
                reference.matches(sample.as_bytes()),
                "{sample:?} of {text:?}"
            );
            assert!(matches(&sample), "{sample:?} does not match {text:?}");
            assert!(!reference.matches(bare.as_bytes()), "{bare:?} of {text:?}");
            assert!(!matches(&bare), "{bare:?} matches {text:?}");
            assert_granted(&config, &sample);
            assert_not_granted(&config, &bare);
        }
    }
}

fn request(method: &str, origin: &str) -> Request<Body> {
    let mut builder = Request::builder().method(method).header(
        "origin",
        HeaderValue::from_str(origin).expect("visible ASCII"),
    );
    if method == "OPTIONS" {
        builder = builder.header("access-control-request-method", "PUT");
    }
    builder.body(Body::Empty).expect("a valid request")
}

fn assert_granted(config: &CorsConfig, origin: &str) {
    for method in ["GET", "OPTIONS"] {
        let response = block_on(config.handle(request(method, origin), |_| async {
            Ok::<_, lambda_http::Error>("handled")
        }));
        let acao = single(response.headers(), "access-control-allow-origin");
        assert_eq!(
            acao.map(HeaderValue::as_bytes),
            Some(origin.as_bytes()),
            "{method} from allowed {origin:?}"
        );
        if config.varies_on_origin() {
            let vary = single(response.headers(), "vary").expect("a Vary header");
            assert!(vary_lists(vary, "origin"));
        }
    }
}

fn assert_not_granted(config: &CorsConfig, origin: &str) {
    for method in ["GET", "OPTIONS"] {
        let response = block_on(config.handle(request(method, origin), |_| async {
            Ok::<_, lambda_http::Error>("handled")
        }));
        assert_eq!(
            single(response.headers(), "access-control-allow-origin"),
            None,
            "{method} from {origin:?} must not be granted"
        );
    }
}
