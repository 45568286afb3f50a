//! The example Lambda binaries, unmodified, run against a Lambda Runtime API on loopback and fed
//! real event JSON of every integration `lambda_http` serves: API Gateway REST APIs (payload v1),
//! HTTP APIs (payload v2), function URLs and ALB target groups (with and without multi-value
//! headers). The assertions read the JSON each function posts back, the way each integration
//! reads it: REST APIs every value of `multiValueHeaders` (merged with `headers`), HTTP APIs and
//! function URLs the single value per name of `headers` (and `cookies`), ALB one of the two maps
//! as the target group is configured.
//!
//! The fixtures in `fixtures/events` are copied from `aws_lambda_events` and `lambda_http`; the
//! method, path and headers of each case are written into them with `serde_json`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use cors_tests::events::{FORMATS, Format};
use cors_tests::runtime_api::{Endpoint, Function, INVOKE_TIMEOUT, Post, build_binaries};
use serde_json::{Map, Value, json};

/// A response as the integration hands it to the client.
#[derive(Debug)]
struct Answer {
    format: Format,
    status: u64,
    /// Every header the client receives, names lower-case, in order.
    headers: Vec<(String, String)>,
    /// `Set-Cookie` values (HTTP APIs and function URLs carry them in `cookies`).
    set_cookies: Vec<String>,
    body: String,
    /// The invocation's request id, which `lambda_http` puts in the request's context.
    request_id: String,
}

/// Reads the `/response` post of `format`, failing the test for an `/error` post or for a response
/// the integration would not read as intended.
fn answer(format: Format, post: &Post) -> Answer {
    let json = post.json().unwrap();
    assert_eq!(
        post.endpoint,
        Endpoint::Response,
        "{format:?}: the function posted to {:?} instead of /response: {json}",
        post.endpoint
    );
    let map = |key: &str| -> Map<String, Value> {
        match &json[key] {
            Value::Null => Map::new(),
            Value::Object(map) => map.clone(),
            other => panic!("{format:?}: {key} is not a map: {other}"),
        }
    };
    let single = |map: Map<String, Value>| -> Vec<(String, String)> {
        map.into_iter()
            .map(|(name, value)| {
                let value = value.as_str().unwrap_or_else(|| {
                    panic!("{format:?}: header {name} is not a string: {value}")
                });
                (name.to_ascii_lowercase(), value.to_owned())
            })
            .collect()
    };
    let multi = |map: Map<String, Value>| -> Vec<(String, String)> {
        let mut headers = Vec::new();
        for (name, values) in map {
            let values = values.as_array().unwrap_or_else(|| {
                panic!("{format:?}: multi-value header {name} is not an array: {values}")
            });
            for value in values {
                let value = value.as_str().unwrap_or_else(|| {
                    panic!("{format:?}: header {name} has a non-string value: {value}")
                });
                headers.push((name.to_ascii_lowercase(), value.to_owned()));
            }
        }
        headers
    };
    let mut set_cookies = Vec::new();
    let headers = match format {
        Format::RestApi => {
            // API Gateway merges `headers` into `multiValueHeaders`: anything in both would repeat.
            let mut headers = multi(map("multiValueHeaders"));
            headers.extend(single(map("headers")));
            headers
        }
        Format::HttpApi | Format::FunctionUrl => {
            assert!(
                map("multiValueHeaders").is_empty(),
                "{format:?}: multiValueHeaders is ignored by this integration: {json}"
            );
            if let Some(cookies) = json["cookies"].as_array() {
                set_cookies.extend(cookies.iter().map(|c| c.as_str().unwrap().to_owned()));
            }
            single(map("headers"))
        }
        Format::Alb | Format::AlbMultiValue => {
            let status = json["statusCode"].as_u64().unwrap();
            let description = json["statusDescription"].as_str().unwrap_or_default();
            assert!(
                description.starts_with(&format!("{status} ")),
                "{format:?}: statusDescription {description:?} for status {status}"
            );
            // `lambda_http` fills both maps, whichever the request came with: the single-value map
            // must hold the first value of each name of the multi-value one.
            let singles = single(map("headers"));
            let multis = multi(map("multiValueHeaders"));
            let mut firsts: Vec<(String, String)> = Vec::new();
            for (name, value) in &multis {
                if !firsts.iter().any(|(n, _)| n == name) {
                    firsts.push((name.clone(), value.clone()));
                }
            }
            let (mut a, mut b) = (singles.clone(), firsts);
            a.sort();
            b.sort();
            assert_eq!(a, b, "{format:?}: the two header maps disagree: {json}");
            if format == Format::Alb {
                singles
            } else {
                multis
            }
        }
    };
    if format != Format::HttpApi && format != Format::FunctionUrl {
        set_cookies.extend(
            headers
                .iter()
                .filter(|(n, _)| n == "set-cookie")
                .map(|(_, v)| v.clone()),
        );
    }
    assert_eq!(
        json["isBase64Encoded"],
        json!(false),
        "{format:?}: a text body is sent as text: {json}"
    );
    let body = match &json["body"] {
        Value::Null => String::new(),
        Value::String(body) => body.clone(),
        other => panic!("{format:?}: body is not a string: {other}"),
    };
    Answer {
        format,
        status: json["statusCode"].as_u64().expect("a numeric statusCode"),
        headers,
        set_cookies,
        body,
        request_id: post.request_id.clone().unwrap_or_default(),
    }
}

impl Answer {
    fn all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The header's value, asserting that the client receives it at most once.
    fn one(&self, name: &str) -> Option<&str> {
        let values = self.all(name);
        assert!(
            values.len() <= 1,
            "{:?}: {name} is sent {} times: {values:?}",
            self.format,
            values.len()
        );
        values.first().copied()
    }

    /// Exactly one `Access-Control-Allow-Origin`, naming `origin`.
    fn assert_granted(&self, origin: &str) {
        assert_eq!(
            self.all("access-control-allow-origin"),
            [origin],
            "{:?}: {self:#?}",
            self.format
        );
    }

    /// No `Access-Control-Allow-Origin`, no `-Credentials`, no `-Expose-Headers`.
    fn assert_not_granted(&self) {
        for name in [
            "access-control-allow-origin",
            "access-control-allow-credentials",
            "access-control-expose-headers",
        ] {
            assert_eq!(
                self.all(name),
                [""; 0],
                "{:?}: {name} in {self:#?}",
                self.format
            );
        }
    }

    /// One `Vary` header whose value is exactly `value`.
    fn assert_vary(&self, value: &str) {
        assert_eq!(self.all("vary"), [value], "{:?}: {self:#?}", self.format);
    }

    /// One `Vary` header whose comma-separated tokens include `token` (case-insensitively).
    fn assert_varies_on(&self, token: &str) {
        let vary = self.one("vary").unwrap_or_else(|| {
            panic!("{:?}: no Vary in {self:#?}", self.format);
        });
        assert!(
            vary.split(',')
                .any(|t| t.trim().eq_ignore_ascii_case(token)),
            "{:?}: Vary {vary:?} lacks {token}",
            self.format
        );
    }

    /// The tokens of a comma-separated header, lower-cased and sorted.
    fn tokens(&self, name: &str) -> Vec<String> {
        let mut tokens: Vec<String> = self
            .one(name)
            .unwrap_or_else(|| panic!("{:?}: no {name} in {self:#?}", self.format))
            .split(',')
            .map(|t| t.trim().to_ascii_lowercase())
            .collect();
        tokens.sort();
        tokens
    }

    /// The default error response: `500`, JSON, no trace of the error itself.
    fn assert_internal_server_error(&self) {
        assert_eq!(self.status, 500, "{:?}: {self:#?}", self.format);
        assert_eq!(
            self.one("content-type"),
            Some("application/json"),
            "{:?}",
            self.format
        );
        assert_eq!(
            self.body, r#"{"message":"Internal Server Error"}"#,
            "{:?}",
            self.format
        );
    }
}

/// Asserts that `function` logged a JSON record at `level`, in the span of the invocation that
/// `answer` answers, with a field that contains `text`; and, unless `answer`'s body is the public
/// message that `text` also is, that `text` is in neither the body nor a header of `answer`.
async fn assert_logged(function: &Function, answer: &Answer, level: &str, text: &str) {
    let public = answer.body.contains(&format!(r#"{{"message":"{text}"}}"#));
    if !public {
        assert!(
            !answer.body.contains(text) && !answer.headers.iter().any(|(_, v)| v.contains(text)),
            "{:?}: {text:?} reached the client: {answer:#?}",
            answer.format
        );
    }
    let what = format!(
        "a {level} record of invocation {} with {text:?}",
        answer.request_id
    );
    function
        .output_line(&what, |line| {
            serde_json::from_str::<Value>(line).is_ok_and(|record| {
                record["level"] == level
                    && record["span"]["requestId"] == answer.request_id.as_str()
                    && record["fields"].as_object().is_some_and(|fields| {
                        fields
                            .values()
                            .any(|v| v.as_str().is_some_and(|v| v.contains(text)))
                    })
            })
        })
        .await
        .unwrap_or_else(|problem| panic!("{:?}: {problem}", answer.format));
}

/// The example binaries, built once per test process.
fn binary(name: &str) -> PathBuf {
    static BINARIES: OnceLock<Result<BTreeMap<String, PathBuf>, String>> = OnceLock::new();
    let binaries = BINARIES.get_or_init(|| {
        build_binaries(
            "cors-examples",
            Duration::from_secs(20 * 60),
            &Path::new(env!("CARGO_TARGET_TMPDIR")).join("runtime_api"),
        )
    });
    match binaries {
        Ok(binaries) => binaries
            .get(name)
            .unwrap_or_else(|| panic!("no binary {name} in {binaries:?}"))
            .clone(),
        Err(problem) => panic!("{problem}"),
    }
}

async fn start(name: &str) -> Function {
    let path = binary(name);
    Function::start(&path, &[])
        .await
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", path.display()))
}

/// Invokes `function` with the `format` event for `method path` with `headers`.
async fn invoke(
    function: &mut Function,
    format: Format,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> Post {
    let event = format.event(method, path, headers);
    function
        .invoke(&event)
        .await
        .unwrap_or_else(|problem| panic!("{format:?} {method} {path}: {problem}"))
}

async fn call(
    function: &mut Function,
    format: Format,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> Answer {
    answer(
        format,
        &invoke(function, format, method, path, headers).await,
    )
}

const MYAPP: &str = "https://myapp.com";

#[tokio::test]
async fn a_get_from_an_allowed_origin_gets_the_handlers_response_and_one_grant() {
    let mut minimal = start("minimal").await;
    let mut multi = start("multi-origin").await;
    for format in FORMATS {
        // One literal origin.
        let answer = call(
            &mut minimal,
            format,
            "GET",
            "/items/42",
            &[("Origin", MYAPP)],
        )
        .await;
        assert_eq!(answer.status, 200, "{format:?}");
        assert_eq!(answer.body, "item 42", "{format:?}");
        answer.assert_granted(MYAPP);
        // At most one `Vary` (a single literal origin may be sent statically, without one).
        answer.one("vary");
        assert_eq!(answer.all("access-control-allow-credentials"), [""; 0]);

        // A list with a subdomain wildcard and credentials: the page's origin is echoed.
        let preview = "https://pr-17.preview.myapp.com";
        let answer = call(
            &mut multi,
            format,
            "GET",
            "/me",
            &[("Origin", preview), ("Cookie", "theme=dark; session=alice")],
        )
        .await;
        assert_eq!(answer.status, 200, "{format:?}");
        assert_eq!(answer.body, r#"{"user":"alice"}"#, "{format:?}");
        assert_eq!(answer.one("content-type"), Some("application/json"));
        answer.assert_granted(preview);
        answer.assert_vary("Origin");
        assert_eq!(answer.one("access-control-allow-credentials"), Some("true"));
        assert_eq!(
            answer.one("access-control-expose-headers"),
            Some("x-request-id")
        );
        assert_eq!(
            answer.one("x-request-id"),
            Some(answer.request_id.as_str()),
            "{format:?}: the Lambda context reaches the handler"
        );
        assert_eq!(
            answer.set_cookies,
            ["session=demo; SameSite=None; Secure; HttpOnly"],
            "{format:?}"
        );
    }
}

#[tokio::test]
async fn a_disallowed_origin_is_granted_nothing_and_the_response_varies_on_origin() {
    let mut multi = start("multi-origin").await;
    let mut minimal = start("minimal").await;
    let refused: [&[(&str, &str)]; 6] = [
        &[("Origin", "https://evil.example")],
        &[("Origin", "https://preview.myapp.com")],
        &[("Origin", "http://localhost:5174")],
        &[("Origin", "null")],
        &[("Origin", "https://MYAPP.com")],
        &[],
    ];
    for format in FORMATS {
        for headers in refused {
            let answer = call(&mut multi, format, "GET", "/me", headers).await;
            assert_eq!(answer.status, 200, "{format:?} {headers:?}");
            assert_eq!(answer.body, r#"{"user":null}"#, "{format:?} {headers:?}");
            answer.assert_not_granted();
            answer.assert_vary("Origin");
        }
        // A request carrying two `Origin` values is never granted where the function sees both:
        // payload v2 joins them with a comma, ALB with multi-value headers passes the list on.
        // REST APIs pass both in `multiValueHeaders`, but `lambda_http` lets the single-value
        // `headers` (which holds the last value) replace them; ALB without multi-value headers
        // sends only the last value. There the function sees one allowed origin, and grants it.
        let two = [("Origin", MYAPP), ("Origin", "http://localhost:5173")];
        let answer = call(&mut multi, format, "GET", "/me", &two).await;
        match format {
            Format::RestApi | Format::Alb => answer.assert_granted("http://localhost:5173"),
            _ => answer.assert_not_granted(),
        }
        answer.assert_vary("Origin");

        // One literal origin: either no grant or the configured origin, never the caller's.
        let answer = call(
            &mut minimal,
            format,
            "GET",
            "/items/42",
            &[("Origin", "https://evil.example")],
        )
        .await;
        assert_eq!(answer.status, 200, "{format:?}");
        assert_eq!(answer.body, "item 42", "{format:?}");
        let granted = answer.one("access-control-allow-origin");
        assert!(
            granted.is_none() || granted == Some(MYAPP),
            "{format:?}: {granted:?}"
        );
    }
}

#[tokio::test]
async fn an_allowed_preflight_is_answered_without_running_the_handler() {
    let mut multi = start("multi-origin").await;
    let mut minimal = start("minimal").await;
    for format in FORMATS {
        let origin = "http://localhost:5173";
        let answer = call(
            &mut multi,
            format,
            "OPTIONS",
            "/me",
            &[
                ("Origin", origin),
                ("Access-Control-Request-Method", "PUT"),
                (
                    "Access-Control-Request-Headers",
                    "Content-Type, X-CSRF-Token",
                ),
                ("Cookie", "session=alice"),
            ],
        )
        .await;
        assert_eq!(answer.status, 204, "{format:?}: {answer:#?}");
        assert_eq!(answer.body, "", "{format:?}");
        answer.assert_granted(origin);
        assert_eq!(
            answer.tokens("access-control-allow-methods"),
            ["delete", "get", "put"]
        );
        assert_eq!(
            answer.tokens("access-control-allow-headers"),
            ["content-type", "x-csrf-token"]
        );
        assert_eq!(answer.one("access-control-max-age"), Some("600"));
        assert_eq!(answer.one("access-control-allow-credentials"), Some("true"));
        answer.assert_varies_on("Origin");
        // What the handler would have added.
        assert_eq!(
            answer.one("x-request-id"),
            None,
            "{format:?}: the handler ran"
        );
        assert_eq!(answer.set_cookies, [""; 0], "{format:?}: the handler ran");

        // The console's defaults, one literal origin, no credentials, no max age.
        let answer = call(
            &mut minimal,
            format,
            "OPTIONS",
            "/items/42",
            &[
                ("Origin", MYAPP),
                ("Access-Control-Request-Method", "DELETE"),
                ("Access-Control-Request-Headers", "authorization,x-api-key"),
            ],
        )
        .await;
        assert_eq!(answer.status, 204, "{format:?}: {answer:#?}");
        assert_eq!(answer.body, "", "{format:?}: the handler ran");
        answer.assert_granted(MYAPP);
        assert_eq!(
            answer.tokens("access-control-allow-methods"),
            ["delete", "get", "head", "options", "patch", "post", "put"]
        );
        assert_eq!(
            answer.tokens("access-control-allow-headers"),
            [
                "authorization",
                "content-type",
                "x-amz-date",
                "x-amz-security-token",
                "x-api-key",
            ]
        );
        assert_eq!(answer.one("access-control-max-age"), None, "{format:?}");
        assert_eq!(answer.one("access-control-allow-credentials"), None);

        // `OPTIONS` without `Access-Control-Request-Method` is an ordinary request.
        let answer = call(&mut multi, format, "OPTIONS", "/me", &[("Origin", origin)]).await;
        assert_eq!(answer.status, 200, "{format:?}");
        assert_eq!(answer.body, r#"{"user":null}"#, "{format:?}");
        assert_eq!(answer.one("x-request-id"), Some(answer.request_id.as_str()));
        answer.assert_granted(origin);
    }
}

#[tokio::test]
async fn a_disallowed_preflight_is_granted_nothing_and_skips_the_handler() {
    let mut multi = start("multi-origin").await;
    let mut minimal = start("minimal").await;
    for format in FORMATS {
        let refused = [
            ("https://evil.example", "PUT", "content-type"),
            ("https://myapp.com.evil.example", "GET", ""),
        ];
        for (origin, method, request_headers) in refused {
            let mut headers = vec![
                ("Origin", origin),
                ("Access-Control-Request-Method", method),
            ];
            if !request_headers.is_empty() {
                headers.push(("Access-Control-Request-Headers", request_headers));
            }
            let answer = call(&mut multi, format, "OPTIONS", "/me", &headers).await;
            assert_eq!(answer.status, 204, "{format:?} {headers:?}: {answer:#?}");
            assert_eq!(answer.body, "", "{format:?} {headers:?}");
            answer.assert_not_granted();
            assert_eq!(answer.one("access-control-allow-methods"), None);
            assert_eq!(
                answer.one("x-request-id"),
                None,
                "{format:?}: the handler ran"
            );
            answer.assert_varies_on("Origin");
        }
        // An allowed origin asking for a method or header that is not configured: the
        // policy's lists, which the browser compares (and refuses).
        for (method, request_headers) in [("PATCH", "content-type"), ("PUT", "x-api-key")] {
            let headers = [
                ("Origin", "http://localhost:5173"),
                ("Access-Control-Request-Method", method),
                ("Access-Control-Request-Headers", request_headers),
            ];
            let answer = call(&mut multi, format, "OPTIONS", "/me", &headers).await;
            assert_eq!(answer.status, 204, "{format:?} {headers:?}: {answer:#?}");
            answer.assert_granted("http://localhost:5173");
            assert_eq!(
                answer.tokens("access-control-allow-methods"),
                ["delete", "get", "put"]
            );
            assert_eq!(
                answer.one("x-request-id"),
                None,
                "{format:?}: the handler ran"
            );
        }

        let answer = call(
            &mut minimal,
            format,
            "OPTIONS",
            "/items/42",
            &[
                ("Origin", "https://evil.example"),
                ("Access-Control-Request-Method", "PUT"),
            ],
        )
        .await;
        assert_eq!(answer.status, 204, "{answer:#?}");
        assert_eq!(answer.body, "", "{format:?}: the handler ran");
        let granted = answer.one("access-control-allow-origin");
        assert!(
            granted.is_none() || granted == Some(MYAPP),
            "{format:?}: {granted:?}"
        );
    }
}

#[tokio::test]
async fn an_error_through_question_mark_is_a_500_with_the_cors_headers() {
    let mut minimal = start("minimal").await;
    let mut failing = start("failing").await;
    for format in FORMATS {
        let answer = call(
            &mut minimal,
            format,
            "GET",
            "/items/abc",
            &[("Origin", MYAPP)],
        )
        .await;
        answer.assert_internal_server_error();
        answer.assert_granted(MYAPP);
        assert_logged(&minimal, &answer, "ERROR", "invalid digit found in string").await;

        let origin = "https://pr-3.myapp.dev";
        let answer = call(
            &mut failing,
            format,
            "GET",
            "/question-mark",
            &[("Origin", origin)],
        )
        .await;
        answer.assert_internal_server_error();
        answer.assert_granted(origin);
        answer.assert_vary("Origin");
        assert_eq!(
            answer.one("access-control-expose-headers"),
            Some("x-request-id")
        );
        assert_logged(&failing, &answer, "ERROR", "EOF while parsing").await;
    }
}

#[tokio::test]
async fn an_explicit_err_is_a_500_with_the_cors_headers() {
    let mut failing = start("failing").await;
    for format in FORMATS {
        let answer = call(&mut failing, format, "GET", "/err", &[("Origin", MYAPP)]).await;
        answer.assert_internal_server_error();
        answer.assert_granted(MYAPP);
        answer.assert_vary("Origin");
        let refused = "the upstream service refused the request";
        assert_logged(&failing, &answer, "ERROR", refused).await;

        // From an origin that is not allowed: the same 500, without a grant.
        let answer = call(
            &mut failing,
            format,
            "GET",
            "/err",
            &[("Origin", "https://myapp.dev")],
        )
        .await;
        answer.assert_internal_server_error();
        answer.assert_not_granted();
        answer.assert_vary("Origin");
        assert_logged(&failing, &answer, "ERROR", refused).await;
    }
}

#[tokio::test]
async fn a_panic_is_a_500_with_the_cors_headers_and_the_function_keeps_serving() {
    let mut failing = start("failing").await;
    for format in FORMATS {
        for (path, message) in [
            ("/panic", "invariant violated: the cart is empty"),
            ("/panic-after-await", "invariant violated after an await"),
        ] {
            let answer = call(&mut failing, format, "GET", path, &[("Origin", MYAPP)]).await;
            answer.assert_internal_server_error();
            answer.assert_granted(MYAPP);
            answer.assert_vary("Origin");
            assert_eq!(
                answer.one("access-control-expose-headers"),
                Some("x-request-id")
            );
            assert_logged(&failing, &answer, "ERROR", message).await;
        }
        // The same process answers the next request.
        let answer = call(&mut failing, format, "GET", "/ok", &[("Origin", MYAPP)]).await;
        assert_eq!(answer.status, 200, "{format:?}");
        assert_eq!(answer.body, "ok", "{format:?}");
    }
}

#[tokio::test]
async fn typed_errors_keep_their_status_and_message_and_get_the_cors_headers() {
    let mut typed = start("typed-errors").await;
    for format in FORMATS {
        // The error's own text is logged (at ERROR from 500 on, WARN below), never sent unless
        // the error type makes it its public message.
        let cases = [
            ("/items/7", 200, r#"{"id":7}"#, None),
            (
                "/items/x",
                404,
                r#"{"message":"item x not found"}"#,
                Some(("WARN", "item x not found")),
            ),
            (
                "/items/0",
                409,
                r#"{"message":"item 0 already exists"}"#,
                Some(("WARN", "item 0 already exists")),
            ),
            (
                "/items/500",
                503,
                r#"{"message":"the store is unavailable, try again later"}"#,
                Some((
                    "ERROR",
                    "store failure: connection reset by peer (10.0.3.7:5432)",
                )),
            ),
        ];
        for (path, status, body, logged) in cases {
            let answer = call(&mut typed, format, "GET", path, &[("Origin", MYAPP)]).await;
            assert_eq!(answer.status, status, "{format:?} {path}");
            assert_eq!(answer.body, body, "{format:?} {path}");
            answer.assert_granted(MYAPP);
            assert_eq!(
                answer.one("access-control-expose-headers"),
                Some("x-item-id"),
                "{format:?} {path}"
            );
            if let Some((level, text)) = logged {
                assert_eq!(
                    answer.one("content-type"),
                    Some("application/json"),
                    "{format:?} {path}"
                );
                assert_logged(&typed, &answer, level, text).await;
            }
        }
    }
}

#[tokio::test]
async fn the_handlers_own_vary_is_merged_into_one_header() {
    let mut failing = start("failing").await;
    for format in FORMATS {
        for (origin, granted) in [
            ("https://myapp.com", true),
            ("https://a.b.myapp.dev", true),
            ("https://myapp.dev", false),
        ] {
            let answer = call(&mut failing, format, "GET", "/ok", &[("Origin", origin)]).await;
            assert_eq!(answer.status, 200, "{format:?}");
            assert_eq!(answer.body, "ok", "{format:?}");
            answer.assert_vary("accept-encoding, Origin");
            if granted {
                answer.assert_granted(origin);
                assert_eq!(answer.one("x-request-id"), Some("ok-1"));
            } else {
                answer.assert_not_granted();
            }
        }
    }
}

/// The contrast: without the attribute, an `Err` and a panic never become a response. They are
/// posted to `/error`, which API Gateway (and a function URL, and ALB) answers with a `502` of its
/// own: no CORS header can be on it, so the browser hides even the status from the page.
#[tokio::test]
async fn without_the_macro_errors_and_panics_go_to_the_error_endpoint() {
    let mut plain = start("no-macro").await;
    for format in FORMATS {
        let answer = call(&mut plain, format, "GET", "/ok", &[("Origin", MYAPP)]).await;
        assert_eq!(answer.status, 200, "{format:?}");
        answer.assert_granted(MYAPP);

        for (path, panicked, message) in [
            ("/question-mark", false, "EOF while parsing"),
            ("/err", false, "the upstream service refused the request"),
            ("/panic", true, "invariant violated: the cart is empty"),
            (
                "/panic-after-await",
                true,
                "invariant violated after an await",
            ),
        ] {
            let post = invoke(&mut plain, format, "GET", path, &[("Origin", MYAPP)]).await;
            let json = post.json().unwrap();
            assert_eq!(
                post.endpoint,
                Endpoint::Error,
                "{format:?} {path}: expected /error, got {json}"
            );
            assert_eq!(
                post.header("lambda-runtime-function-error-type"),
                Some("unhandled"),
                "{format:?} {path}"
            );
            let keys: Vec<&str> = json
                .as_object()
                .map(|o| o.keys().map(String::as_str).collect())
                .unwrap_or_default();
            assert_eq!(
                keys,
                ["errorMessage", "errorType"],
                "{format:?} {path}: {json}"
            );
            assert!(
                json["errorMessage"].as_str().unwrap().contains(message),
                "{format:?} {path}: {json}"
            );
            assert_eq!(
                json["errorMessage"]
                    .as_str()
                    .unwrap()
                    .starts_with("Lambda panicked: "),
                panicked,
                "{format:?} {path}: {json}"
            );
            assert!(
                json["errorType"].as_str().is_some_and(|t| !t.is_empty()),
                "{format:?} {path}: {json}"
            );
            // Nothing of an HTTP response: no status, no headers that could carry CORS.
            assert!(json.get("statusCode").is_none(), "{format:?} {path}");
        }
        // lambda_runtime survives the panics, too: the same process answers again.
        let answer = call(&mut plain, format, "GET", "/ok", &[("Origin", MYAPP)]).await;
        assert_eq!(answer.status, 200, "{format:?}");
    }
}

#[tokio::test]
async fn the_harness_reports_a_function_that_cannot_parse_the_event() {
    // A payload that is none of the formats: `lambda_http` cannot build a request and the
    // runtime posts to `/error`, which the harness hands back rather than waiting for a response.
    let mut minimal = start("minimal").await;
    let post = minimal
        .invoke(&json!({ "not": "an http event" }))
        .await
        .unwrap();
    assert_eq!(post.endpoint, Endpoint::Error, "{}", minimal.name());
}

#[tokio::test]
async fn the_harness_reports_a_function_that_dies_at_once_instead_of_waiting() {
    // `lambda_runtime` panics at start-up on a memory size that is not a number.
    let path = binary("minimal");
    let mut broken = Function::start(&path, &[("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "lots")])
        .await
        .unwrap();
    let started = Instant::now();
    let event = Format::HttpApi.event("GET", "/items/1", &[("Origin", MYAPP)]);
    let problem = broken.invoke(&event).await.unwrap_err();
    assert!(problem.contains("the process exited"), "{problem}");
    assert!(
        problem.contains("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"),
        "{problem}"
    );
    assert!(
        started.elapsed() < INVOKE_TIMEOUT / 2,
        "{:?}",
        started.elapsed()
    );
}

/// The CORS part of an answer: status, and every `Access-Control-*` and `Vary` header in order.
fn cors_part(answer: &Answer) -> (u64, Vec<(String, String)>) {
    let headers = answer
        .headers
        .iter()
        .filter(|(name, _)| name.starts_with("access-control-") || name == "vary")
        .cloned()
        .collect();
    (answer.status, headers)
}

/// `orders` and `accounts` share `cors_examples::cors` (`API_CORS`, a list with credentials, and
/// `PARTNER_CORS`, from `PARTNER_ORIGINS`): every request of the table gets the same status and
/// the same CORS headers from both, in every event format, and those headers are the policy's.
#[tokio::test]
async fn two_functions_sharing_a_policy_answer_identically() {
    let env = [(
        "PARTNER_ORIGINS",
        "https://partner.example,https://*.partner.example",
    )];
    let path = |function: &str| binary(function);
    let mut orders = Function::start(&path("orders"), &env).await.unwrap();
    let mut accounts = Function::start(&path("accounts"), &env).await.unwrap();
    let admin = "https://admin.myapp.com";
    let partner = "https://eu.partner.example";
    let preflight = |origin: &'static str, method: &'static str| {
        vec![
            ("Origin", origin),
            ("Access-Control-Request-Method", method),
            ("Access-Control-Request-Headers", "content-type"),
        ]
    };
    /// Method, orders' path, accounts' path, headers.
    type Row = (
        &'static str,
        &'static str,
        &'static str,
        Vec<(&'static str, &'static str)>,
    );
    let table: Vec<Row> = vec![
        ("GET", "/orders/7", "/accounts/me", vec![("Origin", MYAPP)]),
        ("GET", "/orders/7", "/accounts/me", vec![("Origin", admin)]),
        (
            "GET",
            "/orders/7",
            "/accounts/me",
            vec![("Origin", "https://evil.example")],
        ),
        ("GET", "/orders/7", "/accounts/me", vec![]),
        ("GET", "/fail", "/fail", vec![("Origin", MYAPP)]),
        ("GET", "/panic", "/panic", vec![("Origin", admin)]),
        ("GET", "/orders/x", "/accounts/x", vec![("Origin", MYAPP)]),
        (
            "OPTIONS",
            "/orders/7",
            "/accounts/7",
            preflight(MYAPP, "PUT"),
        ),
        (
            "OPTIONS",
            "/orders/7",
            "/accounts/7",
            preflight("https://evil.example", "PUT"),
        ),
        (
            "GET",
            "/partner/orders",
            "/partner/accounts",
            vec![("Origin", partner)],
        ),
        (
            "GET",
            "/partner/orders",
            "/partner/accounts",
            vec![("Origin", MYAPP)],
        ),
        (
            "OPTIONS",
            "/partner/orders",
            "/partner/accounts",
            preflight(partner, "GET"),
        ),
    ];
    for format in FORMATS {
        let mut answers = Vec::new();
        for (method, orders_path, accounts_path, headers) in &table {
            let a = call(&mut orders, format, method, orders_path, headers).await;
            let b = call(&mut accounts, format, method, accounts_path, headers).await;
            assert_eq!(
                cors_part(&a),
                cors_part(&b),
                "{format:?} {method} {orders_path} / {accounts_path} {headers:?}"
            );
            answers.push(a);
        }
        // And the shared answers are the policies'.
        answers[0].assert_granted(MYAPP);
        assert_eq!(
            answers[0].one("access-control-allow-credentials"),
            Some("true")
        );
        assert_eq!(
            answers[0].one("access-control-expose-headers"),
            Some("x-request-id")
        );
        answers[0].assert_varies_on("Origin");
        answers[1].assert_granted(admin);
        answers[2].assert_not_granted();
        answers[2].assert_varies_on("Origin");
        answers[3].assert_not_granted();
        answers[4].assert_internal_server_error();
        answers[4].assert_granted(MYAPP);
        answers[5].assert_internal_server_error();
        answers[5].assert_granted(admin);
        assert_eq!(answers[7].status, 204, "{format:?}");
        assert_eq!(
            answers[7].tokens("access-control-allow-methods"),
            ["delete", "get", "put"]
        );
        assert_eq!(answers[7].one("access-control-max-age"), Some("600"));
        answers[8].assert_not_granted();
        answers[9].assert_granted(partner);
        answers[10].assert_not_granted();
        assert_eq!(answers[11].status, 204, "{format:?}");
        answers[11].assert_granted(partner);
    }
}

/// `axum-api` (an axum `Router` under `CorsLayer`) and `demo-api` (`#[cors_handler(config =
/// ...)]`) name one policy, `cors_examples::cors::DEMO_CORS`: in every event format they give
/// every request the same CORS headers (and the same status where their routes agree), and the
/// router's own answers — its `404`, its `405`, an extractor's rejection, a panic — carry them.
#[tokio::test]
async fn the_layer_and_the_attribute_with_one_policy_answer_identically() {
    let env = [
        (
            "DEMO_ALLOWED_ORIGINS",
            "https://myapp.com,https://*.preview.myapp.com",
        ),
        // The routers route on the path as sent, without a REST API's stage.
        ("AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH", "true"),
    ];
    let mut axum = Function::start(&binary("axum-api"), &env).await.unwrap();
    let mut attribute = Function::start(&binary("demo-api"), &env).await.unwrap();
    let preview = "https://pr-1.preview.myapp.com";
    let acrm = |origin: &'static str, method: &'static str| {
        vec![
            ("Origin", origin),
            ("Access-Control-Request-Method", method),
            (
                "Access-Control-Request-Headers",
                "content-type, x-demo-token",
            ),
        ]
    };
    /// Method, path, headers, whether both answer the same status.
    type Row = (
        &'static str,
        &'static str,
        Vec<(&'static str, &'static str)>,
        bool,
    );
    let table: Vec<Row> = vec![
        ("GET", "/hello", vec![("Origin", MYAPP)], true),
        ("GET", "/hello", vec![("Origin", preview)], true),
        (
            "GET",
            "/hello",
            vec![("Origin", "https://evil.example")],
            true,
        ),
        ("GET", "/hello", vec![], true),
        ("GET", "/items/0", vec![("Origin", MYAPP)], true),
        ("GET", "/items/abc", vec![("Origin", MYAPP)], true),
        ("GET", "/fail", vec![("Origin", MYAPP)], true),
        ("GET", "/panic", vec![("Origin", MYAPP)], true),
        ("GET", "/nowhere", vec![("Origin", MYAPP)], true),
        // `/hello` has GET only: axum's answer is its 405, demo-api's its own 404.
        ("PATCH", "/hello", vec![("Origin", MYAPP)], false),
        ("OPTIONS", "/hello", acrm(MYAPP, "PUT"), true),
        ("OPTIONS", "/items/7", acrm(preview, "PUT"), true),
        (
            "OPTIONS",
            "/hello",
            acrm("https://evil.example", "GET"),
            true,
        ),
        ("OPTIONS", "/hello", vec![("Origin", MYAPP)], false),
    ];
    for format in FORMATS {
        let mut answers = Vec::new();
        for (method, path, headers, same_status) in &table {
            let by_layer = call(&mut axum, format, method, path, headers).await;
            let by_attribute = call(&mut attribute, format, method, path, headers).await;
            let (layer_status, layer_cors) = cors_part(&by_layer);
            let (attribute_status, attribute_cors) = cors_part(&by_attribute);
            let what = format!("{format:?} {method} {path} {headers:?}");
            assert_eq!(layer_cors, attribute_cors, "{what}");
            if *same_status {
                assert_eq!(layer_status, attribute_status, "{what}");
            }
            answers.push(by_layer);
        }
        assert_eq!(answers[0].body, "hello from axum-api", "{format:?}");
        answers[0].assert_granted(MYAPP);
        assert_eq!(
            answers[0].one("access-control-allow-credentials"),
            Some("true")
        );
        answers[0].assert_vary("Origin");
        answers[1].assert_granted(preview);
        answers[2].assert_not_granted();
        answers[3].assert_not_granted();
        assert_eq!(answers[4].status, 404, "{format:?}");
        for failed in &answers[5..=7] {
            failed.assert_internal_server_error();
            failed.assert_granted(MYAPP);
        }
        assert_eq!(answers[8].status, 404, "{format:?}: the router's fallback");
        answers[8].assert_granted(MYAPP);
        assert_eq!(answers[9].status, 405, "{format:?}: the router's 405");
        answers[9].assert_granted(MYAPP);
        assert_eq!(
            answers[10].status, 204,
            "{format:?}: a preflight to a GET-only route"
        );
        answers[10].assert_granted(MYAPP);
        assert_eq!(
            answers[10].tokens("access-control-allow-methods"),
            ["get", "post", "put"]
        );
        answers[11].assert_granted(preview);
        answers[12].assert_not_granted();
        assert_eq!(
            answers[13].status, 405,
            "{format:?}: OPTIONS without ACRM reaches the router"
        );
        answers[13].assert_granted(MYAPP);
    }
    // The panic is logged, in the invocation's span.
    let panicked = call(
        &mut axum,
        Format::HttpApi,
        "GET",
        "/panic",
        &[("Origin", MYAPP)],
    )
    .await;
    assert_logged(
        &axum,
        &panicked,
        "ERROR",
        "the axum route panics on purpose",
    )
    .await;
}

/// The `Host` the format's fixture carries: a page on `https://<host>` is the API's own origin.
fn fixture_host(format: Format) -> String {
    let event = format.event("GET", "/", &[]);
    ["headers", "multiValueHeaders"]
        .iter()
        .filter_map(|key| event[*key].as_object())
        .flatten()
        .find(|(name, _)| name.eq_ignore_ascii_case("host"))
        .and_then(|(_, value)| value.as_str().or_else(|| value[0].as_str()))
        .unwrap_or_else(|| panic!("{format:?}: the fixture has no Host"))
        .to_owned()
}

/// The function's count of the writes that ran (`GET /writes`, no `Origin`).
async fn writes_so_far(function: &mut Function, format: Format) -> u64 {
    let answer = call(function, format, "GET", "/writes", &[]).await;
    assert_eq!(answer.status, 200, "{format:?}: {answer:#?}");
    let body: Value = serde_json::from_str(&answer.body).expect("a JSON count");
    body["writes"].as_u64().expect("a count")
}

/// Cross-origin write protection in every event format (REST API, HTTP API, function URL, ALB
/// with and without multi-value headers), through the attribute (`demo-api`) and the layer
/// (`axum-api`), whose one policy has credentials and so `csrf = "block"`: a write from an origin
/// the policy does not allow is answered `403 {"message":"Forbidden"}` with no grant, before the
/// handler runs (the function's count of writes does not move), and logged at `warn`; a write from
/// the allowed origin, from the API's own origin (`Sec-Fetch-Site: same-origin`, or `Origin` equal
/// to `Host` without Fetch metadata), from the address bar (`none`) or from no browser at all (no
/// `Origin`) runs; a stranger's `GET` runs (reading is what CORS guards).
#[tokio::test]
async fn a_foreign_write_is_refused_before_the_handler_runs() {
    let env = [
        ("DEMO_ALLOWED_ORIGINS", MYAPP),
        ("AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH", "true"),
    ];
    let evil = "https://evil.example";
    let cookie = ("Cookie", "demo_session=alice");
    for name in ["demo-api", "axum-api"] {
        let mut function = Function::start(&binary(name), &env).await.unwrap();
        let mut first_refusal = None;
        for format in FORMATS {
            let own = format!("https://{}", fixture_host(format));
            // A sibling subdomain is `same-site`, and still not in the policy.
            let refused: [Vec<(&str, &str)>; 6] = [
                vec![("Sec-Fetch-Site", "cross-site"), ("Origin", evil), cookie],
                vec![
                    ("Sec-Fetch-Site", "same-site"),
                    ("Origin", "https://blog.myapp.com"),
                    cookie,
                ],
                vec![("Sec-Fetch-Site", "cross-site"), cookie],
                vec![("Sec-Fetch-Site", "cross-site"), ("Origin", "null"), cookie],
                // No Fetch metadata (an older browser): the `Origin` decides.
                vec![("Origin", evil), cookie],
                vec![("Origin", "http://localhost:5173"), cookie],
            ];
            for headers in &refused {
                for method in ["POST", "PUT", "DELETE", "PATCH"] {
                    let what = format!("{name} {format:?} {method} {headers:?}");
                    let before = writes_so_far(&mut function, format).await;
                    let answer = call(&mut function, format, method, "/writes", headers).await;
                    assert_eq!(answer.status, 403, "{what}: {answer:#?}");
                    assert_eq!(answer.body, r#"{"message":"Forbidden"}"#, "{what}");
                    assert_eq!(
                        answer.one("content-type"),
                        Some("application/json"),
                        "{what}"
                    );
                    let granted: Vec<&(String, String)> = answer
                        .headers
                        .iter()
                        .filter(|(n, _)| n.starts_with("access-control-"))
                        .collect();
                    assert!(
                        granted.is_empty(),
                        "{what}: a refusal grants nothing: {granted:?}"
                    );
                    answer.assert_vary("Origin");
                    assert_eq!(
                        writes_so_far(&mut function, format).await,
                        before,
                        "{what}: the handler ran"
                    );
                    if first_refusal.is_none() && headers.contains(&("Origin", evil)) {
                        first_refusal = Some(answer);
                    }
                }
            }

            let runs: [Vec<(&str, &str)>; 6] = [
                vec![("Sec-Fetch-Site", "same-site"), ("Origin", MYAPP), cookie],
                vec![("Sec-Fetch-Site", "cross-site"), ("Origin", MYAPP), cookie],
                vec![("Sec-Fetch-Site", "same-origin"), ("Origin", &own), cookie],
                vec![("Sec-Fetch-Site", "none"), cookie],
                // Without Fetch metadata: the API's own origin (it is the `Host`), and no
                // `Origin` at all (curl, a webhook, another server).
                vec![("Origin", &own), cookie],
                vec![cookie],
            ];
            for headers in &runs {
                let what = format!("{name} {format:?} POST {headers:?}");
                let before = writes_so_far(&mut function, format).await;
                let answer = call(&mut function, format, "POST", "/writes", headers).await;
                assert_eq!(answer.status, 200, "{what}: {answer:#?}");
                let body: Value = serde_json::from_str(&answer.body).expect("JSON");
                assert_eq!(
                    body,
                    json!({ "writes": before + 1, "user": "alice" }),
                    "{what}: the handler ran, once, with the cookie"
                );
                assert_eq!(
                    writes_so_far(&mut function, format).await,
                    before + 1,
                    "{what}"
                );
                match headers.iter().find(|(n, _)| *n == "Origin") {
                    Some((_, origin)) if *origin == MYAPP => {
                        answer.assert_granted(MYAPP);
                        assert_eq!(
                            answer.one("access-control-allow-credentials"),
                            Some("true"),
                            "{what}"
                        );
                    }
                    _ => answer.assert_not_granted(),
                }
            }

            // Reading is not writing: a stranger's GET runs, and is granted nothing.
            let what = format!("{name} {format:?} a stranger's GET");
            let before = writes_so_far(&mut function, format).await;
            let headers = [("Sec-Fetch-Site", "cross-site"), ("Origin", evil), cookie];
            let answer = call(&mut function, format, "GET", "/writes", &headers).await;
            assert_eq!(answer.status, 200, "{what}: {answer:#?}");
            assert_eq!(answer.body, format!(r#"{{"writes":{before}}}"#), "{what}");
            answer.assert_not_granted();
            answer.assert_vary("Origin");
        }
        // The first refusal of that origin is logged at `warn`, in its invocation's span.
        let refusal = first_refusal.expect("a refused write from evil.example");
        assert_logged(&function, &refusal, "WARN", evil).await;
    }
}

/// `demo-api`'s `/bearer`, under a policy of its own with `headers = ["*"]` (no credentials), in
/// every event format: a preflight asking for `Authorization` is answered `*,Authorization` (a bare
/// `*` never covers `Authorization`, and the browser would refuse the request), and the token
/// reaches the handler.
#[tokio::test]
async fn headers_star_lets_a_bearer_token_through() {
    let env = [("DEMO_ALLOWED_ORIGINS", MYAPP)];
    let mut function = Function::start(&binary("demo-api"), &env).await.unwrap();
    for format in FORMATS {
        let preflight = [
            ("Origin", MYAPP),
            ("Access-Control-Request-Method", "GET"),
            ("Access-Control-Request-Headers", "authorization,x-trace"),
        ];
        let answer = call(&mut function, format, "OPTIONS", "/bearer", &preflight).await;
        assert_eq!(answer.status, 204, "{format:?}: {answer:#?}");
        answer.assert_granted(MYAPP);
        assert_eq!(
            answer.tokens("access-control-allow-headers"),
            ["*", "authorization"],
            "{format:?}"
        );
        assert_eq!(
            answer.one("access-control-allow-credentials"),
            None,
            "{format:?}"
        );

        let headers = [("Origin", MYAPP), ("Authorization", "Bearer t")];
        let answer = call(&mut function, format, "GET", "/bearer", &headers).await;
        assert_eq!(answer.status, 200, "{format:?}: {answer:#?}");
        assert_eq!(answer.body, r#"{"bearer":"t"}"#, "{format:?}");
        answer.assert_granted(MYAPP);

        // The demo's other routes keep their own policy, which lists its headers.
        let preflight = [
            ("Origin", MYAPP),
            ("Access-Control-Request-Method", "GET"),
            ("Access-Control-Request-Headers", "authorization"),
        ];
        let answer = call(&mut function, format, "OPTIONS", "/hello", &preflight).await;
        assert_eq!(
            answer.tokens("access-control-allow-headers"),
            ["content-type", "x-demo-token"],
            "{format:?}"
        );
    }
}

/// `streaming` (`#[cors_handler(config = DEMO_CORS, streaming)]` under
/// `lambda_http::run_with_streaming_response`), in the Runtime API's streaming protocol (a JSON
/// prelude with status and headers, eight NULs, then the body): the CORS headers are in the
/// prelude, the tokens arrive as they are made, preflights are answered, an `Err` or a panic
/// before the first byte is the `500` with the headers, and a failure after it ends the stream.
#[tokio::test]
async fn a_streamed_response_keeps_its_headers_in_the_head() {
    let mut function = Function::start(&binary("streaming"), &[]).await.unwrap();
    // A function URL is what streams.
    let format = Format::FunctionUrl;
    let mut invoke = async |method: &str, path: &str, headers: &[(&str, &str)]| {
        let event = format.event(method, path, headers);
        let (post, streamed) = function
            .invoke_streamed(&event)
            .await
            .unwrap_or_else(|problem| panic!("{method} {path}: {problem}"));
        assert!(
            post.is_streamed(),
            "{method} {path}: not posted in streaming mode"
        );
        assert_eq!(post.endpoint, Endpoint::Response, "{method} {path}");
        streamed
    };

    let answer = invoke("GET", "/answer", &[("Origin", MYAPP)]).await;
    assert_eq!(answer.status(), Some(200));
    assert_eq!(answer.header("access-control-allow-origin"), Some(MYAPP));
    assert_eq!(
        answer.header("access-control-allow-credentials"),
        Some("true")
    );
    assert_eq!(answer.header("vary"), Some("Origin"));
    let dev = invoke("GET", "/answer", &[("Origin", "http://localhost:5173")]).await;
    assert_eq!(
        dev.header("access-control-allow-origin"),
        Some("http://localhost:5173")
    );
    assert_eq!(
        answer.text(),
        "Streamed answers keep their CORS headers in the head."
    );
    assert!(answer.error.is_none(), "{:?}", answer.error);
    let gaps = answer.gaps();
    assert!(
        answer.chunks.len() >= 8 && gaps.iter().filter(|gap| gap.as_millis() >= 100).count() >= 6,
        "the tokens arrived together: {} chunks, gaps {gaps:?}",
        answer.chunks.len()
    );

    let stranger = invoke("GET", "/answer", &[("Origin", "https://evil.example")]).await;
    assert_eq!(stranger.status(), Some(200));
    assert_eq!(stranger.header("access-control-allow-origin"), None);
    assert_eq!(stranger.header("vary"), Some("Origin"));

    let preflight = [
        ("Origin", MYAPP),
        ("Access-Control-Request-Method", "PUT"),
        ("Access-Control-Request-Headers", "content-type"),
    ];
    let answered = invoke("OPTIONS", "/answer", &preflight).await;
    assert_eq!(answered.status(), Some(204));
    assert_eq!(answered.header("access-control-allow-origin"), Some(MYAPP));
    assert_eq!(
        answered.header("access-control-allow-methods"),
        Some("GET,POST")
    );
    assert_eq!(answered.text(), "");

    for path in ["/fail", "/panic"] {
        let failed = invoke("GET", path, &[("Origin", MYAPP)]).await;
        assert_eq!(failed.status(), Some(500), "{path}");
        assert_eq!(
            failed.header("access-control-allow-origin"),
            Some(MYAPP),
            "{path}"
        );
        assert_eq!(
            failed.header("content-type"),
            Some("application/json"),
            "{path}"
        );
        assert_eq!(
            failed.text(),
            r#"{"message":"Internal Server Error"}"#,
            "{path}"
        );
    }

    let broken = invoke("GET", "/break", &[("Origin", MYAPP)]).await;
    assert_eq!(broken.status(), Some(200));
    assert_eq!(broken.header("access-control-allow-origin"), Some(MYAPP));
    let error = broken
        .error
        .as_ref()
        .expect("the stream ends with its error");
    assert_eq!(error.error_type, "Runtime.StreamError");
    assert!(
        broken.text().starts_with("Streamed answers "),
        "{}",
        broken.text()
    );
    // The failure after the head is logged.
    function
        .output_line("the log of the broken stream", |line| {
            line.contains("the streamed body failed after the response began")
        })
        .await
        .unwrap();
}

/// `tenants`: a static origin beside an `async` check in code behind a TTL cache, in every event
/// format: the list first, the check's `true` echoes that origin, its `false` (or a failed
/// lookup) grants nothing, and every response varies on `Origin`.
#[tokio::test]
async fn an_async_origin_check_grants_tenants_and_fails_closed() {
    let env = [(
        "TENANT_ORIGINS",
        "https://acme.example,https://globex.example",
    )];
    let mut tenants = Function::start(&binary("tenants"), &env).await.unwrap();
    let mut unreachable = Function::start(&binary("tenants"), &[]).await.unwrap();
    for format in FORMATS {
        for origin in [MYAPP, "https://acme.example", "https://globex.example"] {
            let answer = call(&mut tenants, format, "GET", "/hello", &[("Origin", origin)]).await;
            assert_eq!(answer.status, 200, "{format:?}");
            answer.assert_granted(origin);
            answer.assert_vary("Origin");
        }
        let stranger = call(
            &mut tenants,
            format,
            "GET",
            "/hello",
            &[("Origin", "https://evil.example")],
        )
        .await;
        stranger.assert_not_granted();
        let preflight = [
            ("Origin", "https://acme.example"),
            ("Access-Control-Request-Method", "PUT"),
        ];
        let answer = call(&mut tenants, format, "OPTIONS", "/hello", &preflight).await;
        assert_eq!(answer.status, 204, "{format:?}");
        answer.assert_granted("https://acme.example");
        // The table unreachable: the site still works, no tenant is granted.
        let down = call(
            &mut unreachable,
            format,
            "GET",
            "/hello",
            &[("Origin", "https://acme.example")],
        )
        .await;
        assert_eq!(down.status, 200, "{format:?}");
        down.assert_not_granted();
        call(
            &mut unreachable,
            format,
            "GET",
            "/hello",
            &[("Origin", MYAPP)],
        )
        .await
        .assert_granted(MYAPP);
    }
    let down = call(
        &mut unreachable,
        Format::HttpApi,
        "GET",
        "/hello",
        &[("Origin", "https://globex.example")],
    )
    .await;
    assert_logged(
        &unreachable,
        &down,
        "ERROR",
        "the tenant table (TENANT_ORIGINS) is unreachable",
    )
    .await;
}
