use super::*;

fn refused(value: &str) -> RuleError {
    match parse_origin(value) {
        Ok(spec) => panic!("{value:?} was accepted as {spec:?}"),
        Err(err) => err,
    }
}

fn hint(value: &str) -> Option<String> {
    refused(value).hint
}

#[test]
fn accepts_serialized_origins() {
    for origin in [
        "https://myapp.com",
        "http://localhost:5173",
        "http://127.0.0.1:8080",
        "http://[::1]:3000",
        "https://xn--mnchen-3ya.de",
        "https://a-b.c0.example",
        "http://localhost",
    ] {
        assert_eq!(
            parse_origin(origin),
            Ok(OriginSpec::Exact(origin)),
            "{origin}"
        );
    }
    assert_eq!(parse_origin("*"), Ok(OriginSpec::Any));
}

#[test]
fn accepts_subdomain_wildcards() {
    assert_eq!(
        parse_origin("https://*.myapp.com"),
        Ok(OriginSpec::Subdomain {
            scheme: Scheme::Https,
            suffix: ".myapp.com"
        })
    );
    assert_eq!(
        parse_origin("http://*.dev.myapp.com:8443"),
        Ok(OriginSpec::Subdomain {
            scheme: Scheme::Http,
            suffix: ".dev.myapp.com:8443"
        })
    );
}

#[test]
fn refuses_each_malformed_origin_with_a_reason() {
    let cases: &[(&str, &str)] = &[
        ("", "must not be empty"),
        ("myapp.com", "missing its scheme"),
        ("//myapp.com", "missing its scheme"),
        ("ftp://myapp.com", "must be `http` or `https`"),
        ("HTTPS://myapp.com", "scheme must be lower case"),
        ("https://myapp.com/", "must not end with `/`"),
        ("https://myapp.com/api", "must not have a path"),
        ("https://myapp.com?x=1", "must not have a query"),
        ("https://myapp.com#top", "must not have a fragment"),
        ("https://user@myapp.com", "user information"),
        ("https://myapp.com:", "port is empty"),
        ("https://myapp.com:abc", "not a number"),
        ("https://myapp.com:70000", "out of range"),
        ("https://myapp.com:0", "out of range"),
        ("https://myapp.com:0443", "leading zeros"),
        ("https://myapp.com:443", "default port 443"),
        ("http://myapp.com:80", "default port 80"),
        ("https://MyApp.com", "must be lower case"),
        ("https://münchen.de", "must be ASCII"),
        ("https://my app.com", "spaces or control characters"),
        (" https://myapp.com", "spaces or control characters"),
        ("https://myapp.com\n", "spaces or control characters"),
        ("null", "`null` must never be"),
        ("NULL", "`null` must never be"),
        ("https://a*.myapp.com", "whole leading label"),
        ("https://*x.myapp.com", "whole leading label"),
        ("https://x.*.myapp.com", "whole leading label"),
        ("https://*.*.myapp.com", "only one wildcard"),
        ("https://*.com", "top-level domain"),
        ("https://*.127.0.0.1", "not an IP address"),
        ("https://myapp.com.", "must not end with `.`"),
        ("https://my_app.com", "only lower-case letters"),
        ("https://-myapp.com", "must not start or end with `-`"),
        ("https://my..app.com", "must not be empty"),
        ("http://1.2.3", "not a valid IPv4"),
        ("http://127.000.0.1", "not a valid IPv4"),
        ("http://[::1", "closing `]`"),
        (
            "http://[0:0:0:0:0:0:0:1]",
            "not in the form a browser sends",
        ),
        ("http://[zz::1]", "not a valid IPv6"),
        ("https://", "has no host"),
        (
            // A domain of 252 characters: valid, but no subdomain of it fits in 253.
            &format!("https://*.{}com", "abcdefghi.".repeat(24) + "abcdefgh."),
            "matches no host",
        ),
    ];
    for (value, expected) in cases {
        let err = refused(value);
        assert!(
            err.message.contains(expected),
            "{value:?}: expected {expected:?} in {:?}",
            err.message
        );
    }
}

#[test]
fn hints_give_the_corrected_origin() {
    let did_you_mean = |v: &str| Some(format!("did you mean \"{v}\"?"));
    assert_eq!(hint("myapp.com"), did_you_mean("https://myapp.com"));
    assert_eq!(
        hint("https://myapp.com/"),
        did_you_mean("https://myapp.com")
    );
    assert_eq!(
        hint("https://myapp.com/a/b?c"),
        did_you_mean("https://myapp.com")
    );
    assert_eq!(
        hint("https://myapp.com:443"),
        did_you_mean("https://myapp.com")
    );
    assert_eq!(
        hint("https://MyApp.com:8443"),
        did_you_mean("https://myapp.com:8443")
    );
    assert_eq!(hint("HTTPS://myapp.com"), did_you_mean("https://myapp.com"));
    assert_eq!(
        hint("https://u:p@myapp.com"),
        did_you_mean("https://myapp.com")
    );
    assert_eq!(
        hint(" https://myapp.com "),
        did_you_mean("https://myapp.com")
    );
    assert_eq!(hint("http://[0::1]"), did_you_mean("http://[::1]"));
    assert_eq!(
        hint("https://münchen.de"),
        did_you_mean("https://xn--mnchen-3ya.de")
    );
    assert_eq!(
        hint("https://Bücher.example:8443"),
        did_you_mean("https://xn--bcher-kva.example:8443")
    );
    assert_eq!(
        hint("http://例え.テスト"),
        did_you_mean("http://xn--r8jz45g.xn--zckzah")
    );
    assert!(hint("https://a☃b.com").is_some());
}

#[test]
fn methods_are_tokens_and_case_matters() {
    for ok in ["GET", "PROPFIND", "*", "M-SEARCH"] {
        assert_eq!(check_method(ok), Ok(()), "{ok}");
    }
    assert_eq!(
        check_method("get").unwrap_err().hint.as_deref(),
        Some("did you mean \"GET\"?")
    );
    assert!(
        check_method("GE T")
            .unwrap_err()
            .message
            .contains("not a valid HTTP method")
    );
    assert!(
        check_method("TRACE")
            .unwrap_err()
            .message
            .contains("forbidden")
    );
    assert!(check_method("").is_err());
}

#[test]
fn header_names_are_tokens() {
    for ok in ["content-type", "X-Api-Key", "*"] {
        assert_eq!(check_header_name(ok), Ok(()), "{ok}");
    }
    assert!(check_header_name("x api").is_err());
    assert!(check_header_name("x:y").is_err());
    assert!(check_header_name("").is_err());
    assert_eq!(
        check_header_name(" x-id").unwrap_err().hint.as_deref(),
        Some("did you mean \"x-id\"?")
    );
}

#[test]
fn subdomain_matching_is_exact_about_labels() {
    let m = |o: &str| matches_subdomain(o.as_bytes(), Scheme::Https, ".myapp.com");
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
}

#[test]
fn list_items_trim_and_skip_empties() {
    let items: Vec<_> = list_items(" Content-Type ,x-api-key,,\tX-Id\t, ").collect();
    assert_eq!(items, ["Content-Type", "x-api-key", "X-Id"]);
}

#[test]
fn plausible_origins_are_visible_ascii() {
    assert!(is_plausible_origin(b"https://a.com"));
    assert!(!is_plausible_origin(b""));
    assert!(!is_plausible_origin(b"https://a.com "));
    assert!(!is_plausible_origin(b"https://\xc3\xa9.com"));
}
