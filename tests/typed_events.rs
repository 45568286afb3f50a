//! `#[cors_handler]` on `lambda_runtime` handlers of the typed events of `aws_lambda_events`:
//! `async fn(event: LambdaEvent<Req>) -> Result<Resp, E>` for every request/response pair (REST
//! APIs, HTTP APIs, ALB target groups in both multi-value modes, function URLs).
//!
//! Two halves:
//! - handlers defined here, called directly with real events (the fixtures of
//!   `fixtures/events`, edited with `serde_json`), their responses serialized as `lambda_runtime`
//!   posts them and read the way each integration reads them: every return path, preflights,
//!   `ErrorResponse`, `Vary`, the handler's own headers in either map, `front_door`;
//! - the `typed-events` example binary under a Lambda Runtime API on loopback
//!   (`support/runtime_api.rs`), one process per event type, asserting the exact JSON it posts.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use aws_lambda_events::alb::{AlbTargetGroupRequest, AlbTargetGroupResponse};
use aws_lambda_events::apigw::{
    ApiGatewayProxyRequest, ApiGatewayProxyResponse, ApiGatewayV2httpRequest,
    ApiGatewayV2httpResponse,
};
use aws_lambda_events::encodings::Body;
use aws_lambda_events::lambda_function_urls::{
    LambdaFunctionUrlRequest, LambdaFunctionUrlResponse,
};
use cors_runtime::{CorsConfig, ErrorResponse, StatusCode, cors_config, cors_handler};
use cors_tests::events::{FORMATS, Format, object};
use cors_tests::runtime_api::{Endpoint, Function, build_binaries};
use http::{HeaderMap, HeaderName, HeaderValue};
use lambda_runtime::{Context, Error, LambdaEvent};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

const MYAPP: &str = "https://myapp.com";
const PREVIEW: &str = "https://pr-1.myapp.com";
const EVIL: &str = "https://evil.example";
const INTERNAL_SERVER_ERROR: &str = r#"{"message":"Internal Server Error"}"#;
const PREFLIGHT_VARY: &str =
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";

/// A list with a wildcard, credentials, exposed headers and a max age: every header a grant has.
static LIST: CorsConfig = cors_config!(
    origin = ["https://myapp.com", "https://*.myapp.com"],
    methods = ["GET", "PUT"],
    headers = ["content-type", "x-request-id"],
    expose_headers = ["x-request-id"],
    credentials = true,
    max_age = 600,
);

/// `TYPED_EVENT` of the `typed-events` example: which handler answers `format`'s events.
fn typed_event(format: Format) -> &'static str {
    match format {
        Format::RestApi => "rest",
        Format::HttpApi => "http",
        Format::FunctionUrl => "function-url",
        Format::Alb | Format::AlbMultiValue => "alb",
    }
}

/// The CORS headers and `Vary`: what must be written exactly once, in the map that is read.
fn is_cors(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.starts_with("access-control-") || name == "vary"
}

/// A response as the integration hands it to the browser.
#[derive(Debug)]
struct Delivered {
    format: Format,
    status: u64,
    /// Every header line the browser receives, names lower-case.
    headers: Vec<(String, String)>,
    body: String,
}

/// Reads the JSON of a response (as `lambda_runtime` posts it) the way `format`'s integration
/// does, failing for a CORS header in a map the integration ignores, or in both maps.
fn delivered(format: Format, json: Value) -> Delivered {
    let single = |key: &str| -> Vec<(String, String)> {
        json[key]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(name, value)| {
                let value = value.as_str().unwrap_or_else(|| panic!("{name}: {value}"));
                (name.to_ascii_lowercase(), value.to_owned())
            })
            .collect()
    };
    let multi = |key: &str| -> Vec<(String, String)> {
        let mut lines = Vec::new();
        for (name, values) in json[key].as_object().into_iter().flatten() {
            for value in values
                .as_array()
                .unwrap_or_else(|| panic!("{name}: {values}"))
            {
                lines.push((
                    name.to_ascii_lowercase(),
                    value.as_str().unwrap().to_owned(),
                ));
            }
        }
        lines
    };
    let no_cors = |lines: &[(String, String)], map: &str| {
        let cors: Vec<_> = lines.iter().filter(|(name, _)| is_cors(name)).collect();
        assert!(
            cors.is_empty(),
            "{format:?}: CORS headers in {map}, which is not where they are read: {json:#}"
        );
    };
    let headers = match format {
        Format::RestApi => {
            // API Gateway merges the maps: a CORS header must be in one of them only.
            let (s, m) = (single("headers"), multi("multiValueHeaders"));
            for (name, _) in s.iter().filter(|(name, _)| is_cors(name)) {
                assert!(
                    !m.iter().any(|(n, _)| n == name),
                    "{format:?}: {name} in both maps: {json:#}"
                );
            }
            m.into_iter().chain(s).collect()
        }
        Format::HttpApi | Format::FunctionUrl => {
            no_cors(&multi("multiValueHeaders"), "multiValueHeaders");
            single("headers")
        }
        Format::Alb => {
            no_cors(&multi("multiValueHeaders"), "multiValueHeaders");
            single("headers")
        }
        Format::AlbMultiValue => {
            no_cors(&single("headers"), "headers");
            multi("multiValueHeaders")
        }
    };
    if matches!(format, Format::Alb | Format::AlbMultiValue) {
        let status = json["statusCode"].as_u64().unwrap();
        let description = json["statusDescription"].as_str().unwrap_or_default();
        assert!(
            description.starts_with(&format!("{status} ")),
            "{format:?}: statusDescription {description:?}"
        );
    }
    let body = match &json["body"] {
        Value::Null => String::new(),
        Value::String(body) => body.clone(),
        other => panic!("{format:?}: body {other}"),
    };
    Delivered {
        format,
        status: json["statusCode"].as_u64().unwrap(),
        headers,
        body,
    }
}

impl Delivered {
    /// Every value of `name` the browser receives.
    fn all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The header's one value, failing if it is sent twice.
    fn one(&self, name: &str) -> Option<&str> {
        let all = self.all(name);
        assert!(
            all.len() <= 1,
            "{:?}: {name} sent twice: {self:#?}",
            self.format
        );
        all.first().copied()
    }

    fn assert_granted(&self, origin: &str) {
        assert_eq!(
            self.all("access-control-allow-origin"),
            [origin],
            "{self:#?}"
        );
        assert_eq!(
            self.one("access-control-allow-credentials"),
            Some("true"),
            "{self:#?}"
        );
    }

    fn assert_not_granted(&self) {
        for name in [
            "access-control-allow-origin",
            "access-control-allow-credentials",
            "access-control-expose-headers",
            "access-control-allow-methods",
            "access-control-allow-headers",
        ] {
            assert_eq!(
                self.all(name),
                [""; 0],
                "{:?}: {name}: {self:#?}",
                self.format
            );
        }
    }

    fn assert_no_cors_at_all(&self) {
        let cors: Vec<_> = self
            .headers
            .iter()
            .filter(|(name, _)| name.starts_with("access-control-"))
            .collect();
        assert!(cors.is_empty(), "{:?}: {cors:?}", self.format);
    }
}

/// The handlers' error with a response of its own.
#[derive(Debug)]
struct NotFound;

impl std::fmt::Display for NotFound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("no such item")
    }
}

impl ErrorResponse for NotFound {
    fn status(&self) -> StatusCode {
        StatusCode::NOT_FOUND
    }
}

/// What the handlers of one event type need to know of it: the path, and how to answer in its
/// response type, in the map its integration reads (`other`: in the map it does not read, or for a
/// REST API the second of the two it merges).
trait Case {
    type Response;
    fn path(&self) -> String;
    fn answer(
        &self,
        status: u16,
        body: &str,
        headers: &[(&str, &str)],
        other: &[(&str, &str)],
    ) -> Self::Response;
}

fn header_map(pairs: &[(&str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.append(
            HeaderName::from_bytes(name.as_bytes()).unwrap(),
            HeaderValue::from_str(value).unwrap(),
        );
    }
    map
}

impl Case for ApiGatewayProxyRequest {
    type Response = ApiGatewayProxyResponse;
    fn path(&self) -> String {
        self.path.clone().unwrap_or_default()
    }
    fn answer(
        &self,
        status: u16,
        body: &str,
        headers: &[(&str, &str)],
        other: &[(&str, &str)],
    ) -> Self::Response {
        let mut response = ApiGatewayProxyResponse::default();
        response.status_code = status.into();
        response.headers = header_map(headers);
        response.multi_value_headers = header_map(other);
        response.body = Some(Body::Text(body.to_owned()));
        response
    }
}

impl Case for ApiGatewayV2httpRequest {
    type Response = ApiGatewayV2httpResponse;
    fn path(&self) -> String {
        self.raw_path.clone().unwrap_or_default()
    }
    fn answer(
        &self,
        status: u16,
        body: &str,
        headers: &[(&str, &str)],
        other: &[(&str, &str)],
    ) -> Self::Response {
        let mut response = ApiGatewayV2httpResponse::default();
        response.status_code = status.into();
        response.headers = header_map(headers);
        response.multi_value_headers = header_map(other);
        response.body = Some(Body::Text(body.to_owned()));
        response
    }
}

impl Case for LambdaFunctionUrlRequest {
    type Response = LambdaFunctionUrlResponse;
    fn path(&self) -> String {
        self.raw_path.clone().unwrap_or_default()
    }
    /// One map only: `other` goes there too.
    fn answer(
        &self,
        status: u16,
        body: &str,
        headers: &[(&str, &str)],
        other: &[(&str, &str)],
    ) -> Self::Response {
        let mut response = LambdaFunctionUrlResponse::default();
        response.status_code = status.into();
        response.headers = header_map(&[headers, other].concat());
        response.body = Some(body.to_owned());
        response
    }
}

impl Case for AlbTargetGroupRequest {
    type Response = AlbTargetGroupResponse;
    fn path(&self) -> String {
        self.path.clone().unwrap_or_default()
    }
    fn answer(
        &self,
        status: u16,
        body: &str,
        headers: &[(&str, &str)],
        other: &[(&str, &str)],
    ) -> Self::Response {
        let mut response = AlbTargetGroupResponse::default();
        response.status_code = status.into();
        response.status_description = Some(format!("{status} OK"));
        let (read, ignored) = match self.multi_value_headers.is_empty() {
            true => (&mut response.headers, &mut response.multi_value_headers),
            false => (&mut response.multi_value_headers, &mut response.headers),
        };
        *read = header_map(headers);
        *ignored = header_map(other);
        response.body = Some(Body::Text(body.to_owned()));
        response
    }
}

/// The handlers of one event type: `handler` (every return path by its path), `typed` (an
/// `ErrorResponse` error), `front_door` (inline keys), `passing` (`preflight = false`).
macro_rules! handlers {
    ($module:ident, $request:ty, $response:ty) => {
        mod $module {
            use super::*;

            #[cors_handler(config = super::LIST)]
            pub async fn handler(event: LambdaEvent<$request>) -> Result<$response, Error> {
                let path = event.payload.path();
                match path.as_str() {
                    "/fail" => return Err("the database is down (10.0.3.7)".into()),
                    "/question" => {
                        let _: u32 = "abc".parse()?;
                    }
                    "/panic" => panic!("the handler panics"),
                    "/early" => return Ok(event.payload.answer(404, "no item 0", &[], &[])),
                    // Its own `Vary` in both maps, and its own CORS headers in the other map.
                    "/own" => {
                        return Ok(event.payload.answer(
                            200,
                            "own",
                            &[("vary", "Accept-Encoding"), ("x-request-id", "r-1")],
                            &[
                                ("vary", "Accept"),
                                ("access-control-allow-origin", "*"),
                                ("access-control-allow-credentials", "false"),
                            ],
                        ));
                    }
                    _ => {}
                }
                Ok(event
                    .payload
                    .answer(200, "tail", &[("content-type", "text/plain")], &[]))
            }

            #[cors_handler(config = super::LIST)]
            pub async fn typed(event: LambdaEvent<$request>) -> Result<$response, NotFound> {
                let _ = event;
                Err(NotFound)
            }

            #[cors_handler(origin = "https://myapp.com", front_door = true)]
            pub async fn front_door(event: LambdaEvent<$request>) -> Result<$response, Error> {
                if event.payload.path() == "/fail" {
                    return Err("failed behind the front door".into());
                }
                Ok(event.payload.answer(
                    200,
                    "front door",
                    &[("access-control-allow-origin", "*")],
                    &[],
                ))
            }

            #[cors_handler(origin = ["https://myapp.com"], preflight = false)]
            pub async fn passing(event: LambdaEvent<$request>) -> Result<$response, Error> {
                Ok(event.payload.answer(200, "the handler answered", &[], &[]))
            }
        }
    };
}

handlers!(rest, ApiGatewayProxyRequest, ApiGatewayProxyResponse);
handlers!(http_api, ApiGatewayV2httpRequest, ApiGatewayV2httpResponse);
handlers!(url, LambdaFunctionUrlRequest, LambdaFunctionUrlResponse);
handlers!(alb, AlbTargetGroupRequest, AlbTargetGroupResponse);

/// Which handler of a format's module.
#[derive(Debug, Clone, Copy)]
enum Which {
    Handler,
    Typed,
    FrontDoor,
    Passing,
}

async fn call<Q: DeserializeOwned, S: Serialize, F>(
    event: Value,
    handler: impl Fn(LambdaEvent<Q>) -> F,
) -> Value
where
    F: Future<Output = Result<S, std::convert::Infallible>>,
{
    let payload: Q = serde_json::from_value(event).expect("the fixture parses");
    let Ok(response) = handler(LambdaEvent::new(payload, Context::default())).await;
    serde_json::to_value(response).unwrap()
}

/// Calls `which` handler of `format` with the event, as `lambda_runtime` would; returns what the
/// browser would receive.
async fn send(
    format: Format,
    which: Which,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> Delivered {
    let event = format.event(method, path, headers);
    send_event(format, which, event).await
}

async fn send_event(format: Format, which: Which, event: Value) -> Delivered {
    macro_rules! dispatch {
        ($module:ident) => {
            match which {
                Which::Handler => call(event, $module::handler).await,
                Which::Typed => call(event, $module::typed).await,
                Which::FrontDoor => call(event, $module::front_door).await,
                Which::Passing => call(event, $module::passing).await,
            }
        };
    }
    let json = match format {
        Format::RestApi => dispatch!(rest),
        Format::HttpApi => dispatch!(http_api),
        Format::FunctionUrl => dispatch!(url),
        Format::Alb | Format::AlbMultiValue => dispatch!(alb),
    };
    delivered(format, json)
}

fn preflight(origin: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("Origin", origin),
        ("Access-Control-Request-Method", "PUT"),
        ("Access-Control-Request-Headers", "content-type"),
    ]
}

#[tokio::test]
async fn preflights_are_answered_204_in_the_events_own_response_type_without_the_handler() {
    for format in FORMATS {
        // `/panic`: the handler would answer 500 if it ran.
        let answer = send(
            format,
            Which::Handler,
            "OPTIONS",
            "/panic",
            &preflight(MYAPP),
        )
        .await;
        assert_eq!(answer.status, 204, "{answer:#?}");
        assert_eq!(answer.body, "", "{answer:#?}");
        assert_granted_preflight(&answer, MYAPP);

        let answer = send(
            format,
            Which::Handler,
            "OPTIONS",
            "/panic",
            &preflight(EVIL),
        )
        .await;
        assert_eq!(answer.status, 204, "{answer:#?}");
        answer.assert_not_granted();
        assert_eq!(answer.one("vary"), Some(PREFLIGHT_VARY), "{answer:#?}");
    }
}

fn assert_granted_preflight(answer: &Delivered, origin: &str) {
    answer.assert_granted(origin);
    assert_eq!(
        answer.one("access-control-allow-methods"),
        Some("GET,PUT"),
        "{answer:#?}"
    );
    assert_eq!(
        answer.one("access-control-allow-headers"),
        Some("content-type,x-request-id"),
        "{answer:#?}"
    );
    assert_eq!(
        answer.one("access-control-max-age"),
        Some("600"),
        "{answer:#?}"
    );
    assert_eq!(answer.one("vary"), Some(PREFLIGHT_VARY), "{answer:#?}");
    assert_eq!(
        answer.one("access-control-expose-headers"),
        None,
        "{answer:#?}"
    );
}

#[tokio::test]
async fn every_return_path_gets_the_grant() {
    for format in FORMATS {
        for (path, status, body) in [
            ("/tail", 200, "tail"),
            ("/early", 404, "no item 0"),
            ("/question", 500, INTERNAL_SERVER_ERROR),
            ("/fail", 500, INTERNAL_SERVER_ERROR),
            ("/panic", 500, INTERNAL_SERVER_ERROR),
        ] {
            for origin in [MYAPP, PREVIEW] {
                let answer = send(format, Which::Handler, "GET", path, &[("Origin", origin)]).await;
                assert_eq!(
                    (answer.status, answer.body.as_str()),
                    (status, body),
                    "{answer:#?}"
                );
                answer.assert_granted(origin);
                assert_eq!(
                    answer.one("access-control-expose-headers"),
                    Some("x-request-id")
                );
                assert_eq!(answer.one("vary"), Some("Origin"), "{answer:#?}");
                assert_eq!(answer.one("access-control-allow-methods"), None);
                if status == 500 {
                    assert_eq!(answer.one("content-type"), Some("application/json"));
                }
            }
            let answer = send(format, Which::Handler, "GET", path, &[("Origin", EVIL)]).await;
            assert_eq!(
                (answer.status, answer.body.as_str()),
                (status, body),
                "{answer:#?}"
            );
            answer.assert_not_granted();
            assert_eq!(answer.one("vary"), Some("Origin"), "{answer:#?}");
            let answer = send(format, Which::Handler, "GET", path, &[]).await;
            assert_eq!(answer.status, status, "{answer:#?}");
            answer.assert_not_granted();
        }
    }
}

#[tokio::test]
async fn a_typed_error_chooses_its_response_and_keeps_the_grant() {
    for format in FORMATS {
        let answer = send(format, Which::Typed, "GET", "/item", &[("Origin", MYAPP)]).await;
        assert_eq!(answer.status, 404, "{answer:#?}");
        assert_eq!(answer.body, r#"{"message":"Not Found"}"#, "{answer:#?}");
        assert_eq!(answer.one("content-type"), Some("application/json"));
        answer.assert_granted(MYAPP);
        assert_eq!(answer.one("vary"), Some("Origin"));
    }
}

#[tokio::test]
async fn the_handlers_own_headers_in_either_map_are_merged_or_replaced_once() {
    for format in FORMATS {
        let answer = send(format, Which::Handler, "GET", "/own", &[("Origin", MYAPP)]).await;
        assert_eq!(answer.status, 200, "{answer:#?}");
        answer.assert_granted(MYAPP);
        let vary = answer.one("vary").expect("one Vary");
        let tokens: Vec<&str> = vary.split(", ").collect();
        match format {
            // A map that is read and one that is not: the handler's token in the ignored map is
            // merged in too, and the ignored map keeps no CORS header (checked by `delivered`).
            Format::RestApi | Format::HttpApi | Format::Alb | Format::AlbMultiValue => {
                assert_eq!(tokens.len(), 3, "{answer:#?}");
                for token in ["Accept-Encoding", "Accept", "Origin"] {
                    assert!(tokens.contains(&token), "{token} in {vary}");
                }
            }
            Format::FunctionUrl => assert_eq!(vary, "Accept-Encoding, Accept, Origin"),
        }
        assert_eq!(answer.one("x-request-id"), Some("r-1"));
        // Refused: the handler's own grant is removed, in whichever map it was.
        let answer = send(format, Which::Handler, "GET", "/own", &[("Origin", EVIL)]).await;
        answer.assert_not_granted();
        assert_eq!(answer.all("vary").len(), 1, "{answer:#?}");
    }
}

#[tokio::test]
async fn front_door_removes_every_cors_header_and_lets_preflights_through() {
    for format in FORMATS {
        let answer = send(
            format,
            Which::FrontDoor,
            "GET",
            "/item",
            &[("Origin", MYAPP)],
        )
        .await;
        assert_eq!((answer.status, answer.body.as_str()), (200, "front door"));
        answer.assert_no_cors_at_all();
        let answer = send(
            format,
            Which::FrontDoor,
            "OPTIONS",
            "/item",
            &preflight(MYAPP),
        )
        .await;
        assert_eq!((answer.status, answer.body.as_str()), (200, "front door"));
        answer.assert_no_cors_at_all();
        let answer = send(
            format,
            Which::FrontDoor,
            "GET",
            "/fail",
            &[("Origin", MYAPP)],
        )
        .await;
        assert_eq!(
            (answer.status, answer.body.as_str()),
            (500, INTERNAL_SERVER_ERROR)
        );
        answer.assert_no_cors_at_all();
    }
}

#[tokio::test]
async fn with_preflight_false_the_handler_answers_with_the_preflight_grant() {
    for format in FORMATS {
        let answer = send(
            format,
            Which::Passing,
            "OPTIONS",
            "/item",
            &preflight(MYAPP),
        )
        .await;
        assert_eq!(
            (answer.status, answer.body.as_str()),
            (200, "the handler answered")
        );
        assert_eq!(answer.all("access-control-allow-origin"), [MYAPP]);
        assert!(
            answer.one("access-control-allow-methods").is_some(),
            "{answer:#?}"
        );
    }
}

#[tokio::test]
async fn a_rest_event_with_origin_only_in_multi_value_headers_is_decided_on_it() {
    let mut event = Format::RestApi.event("GET", "/tail", &[("Origin", MYAPP)]);
    object(&mut event, "headers").remove("Origin");
    let answer = send_event(Format::RestApi, Which::Handler, event.clone()).await;
    answer.assert_granted(MYAPP);
    // And a preflight whose request headers are only there.
    let mut event = Format::RestApi.event("OPTIONS", "/panic", &preflight(MYAPP));
    let headers = object(&mut event, "headers");
    headers.retain(|name, _| !is_cors(name) && name != "Origin");
    let answer = send_event(Format::RestApi, Which::Handler, event).await;
    assert_eq!(answer.status, 204);
    assert_granted_preflight(&answer, MYAPP);
    // A test event with `headers` only.
    let mut event = Format::RestApi.event("GET", "/tail", &[("Origin", MYAPP)]);
    event.as_object_mut().unwrap().remove("multiValueHeaders");
    send_event(Format::RestApi, Which::Handler, event)
        .await
        .assert_granted(MYAPP);
}

#[tokio::test]
async fn two_origins_stay_two_and_are_never_granted() {
    for format in [
        Format::RestApi,
        Format::AlbMultiValue,
        Format::HttpApi,
        Format::FunctionUrl,
    ] {
        let answer = send(
            format,
            Which::Handler,
            "GET",
            "/tail",
            &[("Origin", EVIL), ("Origin", MYAPP)],
        )
        .await;
        answer.assert_not_granted();
        assert_eq!(answer.one("vary"), Some("Origin"));
    }
}

#[tokio::test]
async fn a_cross_site_write_is_refused_403_in_the_events_type_before_the_handler() {
    // `LIST` allows credentials: the cross-origin write guard blocks by default.
    for format in FORMATS {
        // `/panic`: the handler would answer 500 if it ran.
        let refused = [("Origin", EVIL), ("Sec-Fetch-Site", "cross-site")];
        let answer = send(format, Which::Handler, "PUT", "/panic", &refused).await;
        assert_eq!(
            (answer.status, answer.body.as_str()),
            (403, r#"{"message":"Forbidden"}"#),
            "{answer:#?}"
        );
        answer.assert_not_granted();
        assert_eq!(answer.one("vary"), Some("Origin"), "{answer:#?}");
        // Without Fetch metadata, an `Origin` naming the request's own `Host` is same-origin.
        let fixture = format.event("PUT", "/tail", &[]);
        let host = ["headers", "multiValueHeaders"]
            .iter()
            .flat_map(|map| fixture[map].as_object().into_iter().flatten())
            .find(|(name, _)| name.eq_ignore_ascii_case("host"))
            .map(|(_, value)| match value {
                Value::Array(values) => values[0].as_str().unwrap().to_owned(),
                value => value.as_str().unwrap().to_owned(),
            })
            .expect("every fixture names its host");
        let event = format.event("PUT", "/tail", &[("Origin", &format!("https://{host}"))]);
        let answer = send_event(format, Which::Handler, event).await;
        assert_eq!(
            answer.status, 200,
            "{format:?} from its own host: {answer:#?}"
        );
        // An allowed origin's write runs, with the grant.
        let allowed = [("Origin", MYAPP), ("Sec-Fetch-Site", "same-site")];
        let answer = send(format, Which::Handler, "PUT", "/tail", &allowed).await;
        assert_eq!(answer.status, 200, "{answer:#?}");
        answer.assert_granted(MYAPP);
    }
}

/// A parameter that borrows (the handler stays an `async fn`) and a destructuring pattern.
#[cors_handler(config = LIST)]
async fn borrowing(
    greeting: &str,
    LambdaEvent { payload, .. }: LambdaEvent<LambdaFunctionUrlRequest>,
) -> Result<LambdaFunctionUrlResponse, Error> {
    match payload.raw_path.as_deref() {
        Some("/fail") => Err("failed".into()),
        Some("/panic") => panic!("the borrowing handler panics"),
        _ => Ok(payload.answer(200, greeting, &[], &[])),
    }
}

#[tokio::test]
async fn a_handler_with_borrowed_parameters_and_patterns_gets_the_same_flow() {
    let greeting = String::from("hello, borrowed");
    for (path, status, body) in [
        ("/tail", 200, greeting.as_str()),
        ("/fail", 500, INTERNAL_SERVER_ERROR),
        ("/panic", 500, INTERNAL_SERVER_ERROR),
    ] {
        let event = Format::FunctionUrl.event("GET", path, &[("Origin", PREVIEW)]);
        let json = call(event, |event| borrowing(&greeting, event)).await;
        let answer = delivered(Format::FunctionUrl, json);
        assert_eq!(
            (answer.status, answer.body.as_str()),
            (status, body),
            "{answer:#?}"
        );
        answer.assert_granted(PREVIEW);
    }
    let event = Format::FunctionUrl.event("OPTIONS", "/panic", &preflight(MYAPP));
    let answer = delivered(
        Format::FunctionUrl,
        call(event, |event| borrowing(&greeting, event)).await,
    );
    assert_eq!(answer.status, 204);
    assert_granted_preflight(&answer, MYAPP);
}

/// A tenant's site, asked about asynchronously (yielding once, as a lookup would).
async fn is_tenant(origin: &str) -> bool {
    tokio::task::yield_now().await;
    origin == "https://acme.example"
}

#[cors_handler(origin = "https://myapp.com", origin_fn = async crate::is_tenant, credentials = true)]
async fn tenants(
    event: LambdaEvent<ApiGatewayV2httpRequest>,
) -> Result<ApiGatewayV2httpResponse, Error> {
    if event.payload.raw_path.as_deref() == Some("/panic") {
        panic!("the tenants handler panics");
    }
    Ok(event.payload.answer(200, "hello, tenant", &[], &[]))
}

#[tokio::test]
async fn an_async_check_is_awaited_before_the_typed_handler() {
    let send = |method: &str, path: &str, headers: &[(&str, &str)]| {
        let event = Format::HttpApi.event(method, path, headers);
        async move { delivered(Format::HttpApi, call(event, tenants).await) }
    };
    let tenant = "https://acme.example";
    let answer = send("GET", "/hello", &[("Origin", tenant)]).await;
    assert_eq!(
        (answer.status, answer.body.as_str()),
        (200, "hello, tenant")
    );
    answer.assert_granted(tenant);
    assert_eq!(answer.one("vary"), Some("Origin"));
    let answer = send("GET", "/panic", &[("Origin", tenant)]).await;
    assert_eq!(
        (answer.status, answer.body.as_str()),
        (500, INTERNAL_SERVER_ERROR)
    );
    answer.assert_granted(tenant);
    let answer = send("GET", "/hello", &[("Origin", "https://initech.example")]).await;
    assert_eq!(answer.status, 200);
    answer.assert_not_granted();
    // A preflight waits for the check, then is answered without the handler.
    let asking = [("Origin", tenant), ("Access-Control-Request-Method", "PUT")];
    let answer = send("OPTIONS", "/panic", &asking).await;
    assert_eq!(answer.status, 204, "{answer:#?}");
    answer.assert_granted(tenant);
    // A cross-site write from an origin the check refuses never reaches the handler.
    let refused = [
        ("Origin", "https://initech.example"),
        ("Sec-Fetch-Site", "cross-site"),
    ];
    let answer = send("PUT", "/panic", &refused).await;
    assert_eq!(answer.status, 403, "{answer:#?}");
    answer.assert_not_granted();
}

// --- the typed-events example under a Runtime API ---

fn binary(name: &str) -> PathBuf {
    static BINARIES: OnceLock<Result<BTreeMap<String, PathBuf>, String>> = OnceLock::new();
    let binaries = BINARIES.get_or_init(|| {
        build_binaries(
            "cors-examples",
            Duration::from_secs(20 * 60),
            &Path::new(env!("CARGO_TARGET_TMPDIR")).join("typed_events"),
        )
    });
    match binaries {
        Ok(binaries) => binaries[name].clone(),
        Err(problem) => panic!("{problem}"),
    }
}

const PAGE: &str = "http://127.0.0.1:8080";

async fn typed_events(format: Format) -> Function {
    Function::start(
        &binary("typed-events"),
        &[
            ("TYPED_EVENT", typed_event(format)),
            (
                "DEMO_ALLOWED_ORIGINS",
                "http://127.0.0.1:8080,http://localhost:8080",
            ),
        ],
    )
    .await
    .unwrap()
}

/// The JSON `function` posts for the event, checked to be a `/response`.
async fn posted(function: &mut Function, event: &Value) -> Value {
    let post = function.invoke(event).await.unwrap();
    assert_eq!(post.endpoint, Endpoint::Response, "{}", function.output());
    post.json().unwrap()
}

/// The exact JSON of each format's response: `headers` (name, value) written in the map the
/// format answers in, `multi` in the other one (REST: repeated names).
fn expected(format: Format, status: u16, headers: &[(&str, &str)], body: Option<&str>) -> Value {
    let mut single = Map::new();
    let mut multi = Map::new();
    for (name, value) in headers {
        match format {
            Format::AlbMultiValue => {
                multi.insert(name.to_string(), json!([value]));
            }
            _ => {
                single.insert(name.to_string(), json!(value));
            }
        }
    }
    let mut response = json!({
        "statusCode": status,
        "headers": single,
        "isBase64Encoded": false,
    });
    match format {
        Format::RestApi | Format::HttpApi | Format::Alb | Format::AlbMultiValue => {
            response["multiValueHeaders"] = json!(multi);
        }
        Format::FunctionUrl => {}
    }
    match format {
        Format::HttpApi | Format::FunctionUrl => response["cookies"] = json!([]),
        Format::Alb | Format::AlbMultiValue => {
            let reason = StatusCode::from_u16(status)
                .unwrap()
                .canonical_reason()
                .unwrap();
            response["statusDescription"] = json!(format!("{status} {reason}"));
        }
        Format::RestApi => {}
    }
    match body {
        Some(body) => response["body"] = json!(body),
        None if format == Format::FunctionUrl => response["body"] = Value::Null,
        None => {}
    }
    response
}

#[tokio::test]
async fn the_typed_events_binary_posts_the_exact_json_of_each_integration() {
    for format in FORMATS {
        let mut function = typed_events(format).await;
        let origin = [("Origin", PAGE)];
        let grant = [
            ("access-control-allow-origin", PAGE),
            ("access-control-allow-credentials", "true"),
            ("access-control-expose-headers", "x-request-id"),
            ("vary", "Origin"),
        ];

        // A preflight: 204, no body, in the event's response type.
        let event = format.event(
            "OPTIONS",
            "/items/1",
            &[
                ("Origin", PAGE),
                ("Access-Control-Request-Method", "PUT"),
                ("Access-Control-Request-Headers", "x-demo-token"),
            ],
        );
        let json = posted(&mut function, &event).await;
        let want = expected(
            format,
            204,
            &[
                ("access-control-allow-origin", PAGE),
                ("access-control-allow-credentials", "true"),
                ("access-control-allow-methods", "GET,POST,PUT"),
                ("access-control-allow-headers", "content-type,x-demo-token"),
                ("access-control-max-age", "600"),
                ("vary", PREFLIGHT_VARY),
            ],
            None,
        );
        assert_eq!(json, want, "{format:?} preflight");

        // The tail expression.
        let json = posted(&mut function, &format.event("GET", "/hello", &origin)).await;
        assert_eq!(
            json,
            expected(format, 200, &grant, Some("hello from typed-events")),
            "{format:?} /hello"
        );

        // `?`, an explicit `Err`, a panic: the logged 500 with the grant.
        for path in ["/items/abc", "/fail", "/panic"] {
            let json = posted(&mut function, &format.event("GET", path, &origin)).await;
            let mut headers = vec![("content-type", "application/json")];
            headers.extend(grant);
            assert_eq!(
                json,
                expected(format, 500, &headers, Some(INTERNAL_SERVER_ERROR)),
                "{format:?} {path}"
            );
        }

        // An origin the policy refuses: the handler's answer, no grant, `Vary: Origin`.
        let json = posted(
            &mut function,
            &format.event("GET", "/items/0", &[("Origin", EVIL)]),
        )
        .await;
        assert_eq!(
            json,
            expected(format, 404, &[("vary", "Origin")], Some("no item 0")),
            "{format:?} refused"
        );
        // Both logged (the lines may reach the pipe after the response).
        for logged in ["the demo handler panics on purpose", "the database is down"] {
            function
                .output_line(logged, |line| line.contains(logged))
                .await
                .unwrap_or_else(|problem| panic!("{format:?}: {problem}"));
        }
    }
}

#[tokio::test]
async fn the_typed_events_binary_reads_a_rest_origin_from_multi_value_headers_only() {
    let mut function = typed_events(Format::RestApi).await;
    let mut event = Format::RestApi.event("GET", "/hello", &[("Origin", PAGE)]);
    object(&mut event, "headers").remove("Origin");
    let json = posted(&mut function, &event).await;
    assert_eq!(
        json,
        expected(
            Format::RestApi,
            200,
            &[
                ("access-control-allow-origin", PAGE),
                ("access-control-allow-credentials", "true"),
                ("access-control-expose-headers", "x-request-id"),
                ("vary", "Origin"),
            ],
            Some("hello from typed-events"),
        )
    );
}
