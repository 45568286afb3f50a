//! `cors_rules::parse_origin` on arbitrary text: it never panics, whatever it accepts is a
//! browser's serialization that round-trips, the builder agrees with it, and an accepted origin
//! without a wildcard is granted when a request sends exactly it.
#![no_main]

use cors_fuzz::{block_on, reference_label, single, vary_lists};
use cors_rules::{OriginSpec, matches_wildcard, parse_origin};
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
    let builder_result = CorsConfig::builder().allow_origin(text).build();
    match parse_origin(text) {
        Err(error) => {
            assert!(!error.message.is_empty(), "an empty refusal for {text:?}");
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
            check_serialized(text, None);
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
            assert!(suffix.starts_with('.'), "suffix {suffix:?}");
            check_serialized(text, Some(suffix));
            let config = builder_result.expect("the builder refused an accepted wildcard");
            assert_eq!(config.origins(), [text]);
            let sample = format!("{prefix}a{suffix}");
            assert!(matches_wildcard(sample.as_bytes(), prefix, suffix));
            let bare = format!("{prefix}{}", &suffix[1..]);
            assert!(!matches_wildcard(bare.as_bytes(), prefix, suffix));
            assert_granted(&config, &sample);
            assert_not_granted(&config, &bare);
        }
    }
}

/// What every accepted origin is: visible ASCII, `http(s)://`, no path, query, fragment or
/// userinfo, lower-case host labels (or an IP literal), and a port without leading zeros.
fn check_serialized(text: &str, wildcard_suffix: Option<&str>) {
    assert!(
        text.bytes().all(|b| (0x21..=0x7e).contains(&b)),
        "accepted {text:?} is not visible ASCII"
    );
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
        .unwrap_or_else(|| panic!("accepted {text:?} has another scheme"));
    assert!(
        !rest.contains(['/', '?', '#', '@', '\\', ',', ';', '%']),
        "accepted {text:?} has more than an authority"
    );
    let (host, port) = if rest.starts_with('[') {
        let end = rest.find(']').expect("an IPv6 literal is closed");
        (&rest[..=end], rest[end + 1..].strip_prefix(':'))
    } else {
        match rest.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (rest, None),
        }
    };
    if let Some(port) = port {
        assert!(!port.starts_with('0'), "port of {text:?}");
        let number: u16 = port.parse().expect("a port is a number up to 65535");
        assert!(number > 0);
        let default = if text.starts_with("https") { 443 } else { 80 };
        assert_ne!(number, default, "{text:?} names the default port");
    }
    if host.starts_with('[') {
        assert!(wildcard_suffix.is_none(), "a wildcard over an IPv6 literal");
        return;
    }
    let host = match wildcard_suffix {
        Some(_) => host
            .strip_prefix("*.")
            .expect("a wildcard is the leading label"),
        None => host,
    };
    assert!(host.len() <= 253, "host of {text:?} is too long");
    for label in host.split('.') {
        assert!(
            reference_label(label),
            "label {label:?} of accepted {text:?} is no DNS label"
        );
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
