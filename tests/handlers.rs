//! Annotated handlers called with real `lambda_http` requests: every row of the contract's
//! response table, every return path, every configuration shape.

use std::borrow::Cow;

use cors_runtime::{ErrorResponse, StatusCode, cors_handler};
use lambda_http::http::{Method, Request as HttpRequest};
use lambda_http::{Body, Error, IntoResponse, Request, Response, service_fn};

fn request(method: &str, path: &str, headers: &[(&str, &str)]) -> Request {
    let mut builder = HttpRequest::builder()
        .method(Method::from_bytes(method.as_bytes()).unwrap())
        .uri(path);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(Body::Empty).unwrap()
}

fn get(path: &str, origin: &str) -> Request {
    request("GET", path, &[("origin", origin)])
}

fn preflight(origin: &str, method: &str, headers: Option<&str>) -> Request {
    let mut list = vec![
        ("origin", origin),
        ("access-control-request-method", method),
    ];
    if let Some(headers) = headers {
        list.push(("access-control-request-headers", headers));
    }
    request("OPTIONS", "/", &list)
}

fn header<'r>(response: &'r Response<Body>, name: &str) -> Option<&'r str> {
    let mut values = response.headers().get_all(name).iter();
    let first = values.next().map(|v| v.to_str().unwrap());
    assert!(values.next().is_none(), "{name} appears more than once");
    first
}

fn body(response: &Response<Body>) -> &str {
    match response.body() {
        Body::Text(text) => text,
        Body::Empty => "",
        Body::Binary(bytes) => std::str::from_utf8(bytes).unwrap(),
        _ => unreachable!(),
    }
}

const DEFAULT_500: &str = r#"{"message":"Internal Server Error"}"#;

// ---------------------------------------------------------------------------------------------
// Every return path

thread_local! {
    /// Runs of `item` on this thread: each `#[tokio::test]` runs its handlers on its own thread,
    /// so the count is the test's own, whatever runs beside it.
    static ITEM_RUNS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

fn item_runs() -> usize {
    ITEM_RUNS.with(std::cell::Cell::get)
}

/// The issue's example, plus a panic and an explicit `Err`.
#[cors_handler(origin = "https://myapp.com")]
async fn item(event: Request) -> Result<Response<Body>, Error> {
    ITEM_RUNS.with(|runs| runs.set(runs.get() + 1));
    let id: u32 = event.uri().path().trim_start_matches('/').parse()?;
    if id == 0 {
        return Ok(Response::builder()
            .status(404)
            .body("no such item".into())?);
    }
    if id == 13 {
        panic!("unlucky");
    }
    if id == 99 {
        return Err("explicit failure".into());
    }
    Ok(Response::new(format!("item {id}").into()))
}

#[tokio::test]
async fn every_return_path_carries_the_headers() {
    for (path, status, text) in [
        ("/7", 200, "item 7"),       // tail expression
        ("/0", 404, "no such item"), // early return
        ("/abc", 500, DEFAULT_500),  // `?`
        ("/99", 500, DEFAULT_500),   // explicit `Err`
        ("/13", 500, DEFAULT_500),   // panic
    ] {
        // Every origin: a single literal origin is a static grant the browser compares.
        for origin in ["https://myapp.com", "https://evil.example"] {
            let response = item(get(path, origin)).await.unwrap();
            assert_eq!(response.status(), status, "{path}");
            assert_eq!(body(&response), text, "{path}");
            assert_eq!(
                header(&response, "access-control-allow-origin"),
                Some("https://myapp.com"),
                "{path}"
            );
            assert_eq!(
                header(&response, "vary"),
                None,
                "a static grant does not vary"
            );
            if status == 500 {
                assert_eq!(header(&response, "content-type"), Some("application/json"));
            }
        }
    }
}

#[tokio::test]
async fn the_rewritten_handler_fits_lambda_http_run() {
    fn assert_send<T: Send>(_: &T) {}
    let future = item(get("/1", "https://myapp.com"));
    assert_send(&future);
    assert_eq!(future.await.unwrap().status(), 200);
    // `run` needs `Service<Request>` with an error that converts into a Diagnostic: the rewritten
    // handler's error type is `Infallible`. This only has to type-check.
    #[allow(dead_code)]
    async fn serve() -> Result<(), Error> {
        lambda_http::run(service_fn(item)).await
    }
}

// ---------------------------------------------------------------------------------------------
// Preflight

#[tokio::test]
async fn preflight_is_answered_without_running_the_handler() {
    let before = item_runs();
    let response = item(preflight(
        "https://myapp.com",
        "PUT",
        Some("Content-Type,x-api-key"),
    ))
    .await
    .unwrap();
    assert_eq!(item_runs(), before, "the handler ran");
    assert_eq!(response.status(), 204);
    assert_eq!(body(&response), "");
    assert_eq!(
        header(&response, "access-control-allow-origin"),
        Some("https://myapp.com")
    );
    assert_eq!(
        header(&response, "access-control-allow-methods"),
        Some("DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT")
    );
    assert_eq!(
        header(&response, "access-control-allow-headers"),
        Some("Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token")
    );
    assert_eq!(header(&response, "access-control-max-age"), None);
    assert_eq!(header(&response, "access-control-allow-credentials"), None);
    assert_eq!(
        header(&response, "vary"),
        Some("Origin, Access-Control-Request-Method, Access-Control-Request-Headers")
    );
}

#[tokio::test]
async fn a_strangers_preflight_grants_nothing() {
    let before = item_runs();
    let response = item(preflight("https://evil.example", "PUT", None))
        .await
        .unwrap();
    assert_eq!(item_runs(), before, "the handler ran");
    assert_eq!(response.status(), 204);
    for name in [
        "access-control-allow-origin",
        "access-control-allow-methods",
        "access-control-allow-headers",
        "access-control-allow-credentials",
        "access-control-max-age",
    ] {
        assert_eq!(header(&response, name), None, "{name}");
    }
}

/// A preflight from an allowed origin that asks for more than the policy gets the policy's
/// lists, nothing more: the browser compares them and refuses, naming what is missing.
#[tokio::test]
async fn a_preflight_asking_for_more_gets_the_policys_lists() {
    for request in [
        preflight("https://myapp.com", "PROPFIND", None),
        preflight("https://myapp.com", "PUT", Some("content-type, x-secret")),
    ] {
        let before = item_runs();
        let response = item(request).await.unwrap();
        assert_eq!(item_runs(), before, "the handler ran");
        assert_eq!(response.status(), 204);
        assert_eq!(
            header(&response, "access-control-allow-origin"),
            Some("https://myapp.com")
        );
        assert_eq!(
            header(&response, "access-control-allow-methods"),
            Some("DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT")
        );
        assert_eq!(
            header(&response, "access-control-allow-headers"),
            Some("Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token")
        );
    }
}

#[tokio::test]
async fn options_without_request_method_is_an_ordinary_request() {
    let before = item_runs();
    let response = item(request("OPTIONS", "/5", &[("origin", "https://myapp.com")]))
        .await
        .unwrap();
    assert_eq!(item_runs(), before + 1);
    assert_eq!(body(&response), "item 5");
    assert_eq!(header(&response, "access-control-allow-methods"), None);
}

#[cors_handler(origin = "https://myapp.com", preflight = false, max_age = 60)]
async fn own_preflight(event: Request) -> Result<Response<Body>, Error> {
    let status = if event.method() == Method::OPTIONS {
        200
    } else {
        201
    };
    Ok(Response::builder().status(status).body("handled".into())?)
}

#[tokio::test]
async fn preflight_false_passes_preflights_to_the_handler() {
    let response = own_preflight(preflight("https://myapp.com", "PUT", None))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(body(&response), "handled");
    assert_eq!(
        header(&response, "access-control-allow-origin"),
        Some("https://myapp.com")
    );
    assert_eq!(
        header(&response, "access-control-allow-methods"),
        Some("DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT")
    );
    assert_eq!(header(&response, "access-control-max-age"), Some("60"));
}

// ---------------------------------------------------------------------------------------------
// Origin lists, wildcards, `*`

#[cors_handler(
    origin = ["https://myapp.com", "http://localhost:5173", "https://*.preview.myapp.com"],
    methods = ["GET", "PUT"],
    headers = ["content-type", "X-Api-Key"],
    expose_headers = ["x-request-id"],
    credentials = true,
    max_age = 600,
)]
async fn listed(event: Request) -> Result<Response<Body>, Error> {
    let _ = event;
    Ok(Response::builder()
        .header("vary", "accept-encoding")
        .header("x-request-id", "r-1")
        .body("listed".into())?)
}

#[tokio::test]
async fn a_list_echoes_the_matching_origin_and_varies() {
    for origin in [
        "https://myapp.com",
        "http://localhost:5173",
        "https://pr-7.preview.myapp.com",
        "https://a.b.preview.myapp.com",
    ] {
        let response = listed(get("/", origin)).await.unwrap();
        assert_eq!(
            header(&response, "access-control-allow-origin"),
            Some(origin)
        );
        assert_eq!(
            header(&response, "access-control-allow-credentials"),
            Some("true")
        );
        assert_eq!(
            header(&response, "access-control-expose-headers"),
            Some("x-request-id")
        );
        assert_eq!(header(&response, "vary"), Some("accept-encoding, Origin"));
        assert_eq!(header(&response, "x-request-id"), Some("r-1"));
    }
}

#[tokio::test]
async fn a_list_never_grants_another_origin() {
    let mut requests: Vec<Request> = [
        "https://preview.myapp.com",
        "http://pr-7.preview.myapp.com",
        "https://pr-7.preview.myapp.com:8443",
        "https://myapp.com.evil.net",
        "https://evilmyapp.com",
        "http://localhost:5174",
        "null",
    ]
    .into_iter()
    .map(|origin| get("/", origin))
    .collect();
    requests.push(request("GET", "/", &[]));
    requests.push(request(
        "GET",
        "/",
        &[
            ("origin", "https://myapp.com"),
            ("origin", "https://myapp.com"),
        ],
    ));
    for request in requests {
        let origin = format!(
            "{:?}",
            request
                .headers()
                .get_all("origin")
                .iter()
                .collect::<Vec<_>>()
        );
        let response = listed(request).await.unwrap();
        assert_eq!(body(&response), "listed", "{origin}");
        assert_eq!(
            header(&response, "access-control-allow-origin"),
            None,
            "{origin}"
        );
        assert_eq!(
            header(&response, "access-control-allow-credentials"),
            None,
            "{origin}"
        );
        assert_eq!(
            header(&response, "access-control-expose-headers"),
            None,
            "{origin}"
        );
        assert_eq!(
            header(&response, "vary"),
            Some("accept-encoding, Origin"),
            "{origin}"
        );
    }
}

#[tokio::test]
async fn a_list_preflight_checks_method_and_headers_case_insensitively() {
    let response = listed(preflight(
        "https://pr-1.preview.myapp.com",
        "PUT",
        Some(" Content-Type ,x-api-key,,"),
    ))
    .await
    .unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(
        header(&response, "access-control-allow-origin"),
        Some("https://pr-1.preview.myapp.com")
    );
    assert_eq!(
        header(&response, "access-control-allow-methods"),
        Some("GET,PUT")
    );
    assert_eq!(
        header(&response, "access-control-allow-headers"),
        Some("content-type,X-Api-Key")
    );
    assert_eq!(
        header(&response, "access-control-allow-credentials"),
        Some("true")
    );
    assert_eq!(header(&response, "access-control-max-age"), Some("600"));

    // POST is a CORS-safelisted method: never needs listing.
    let post = listed(preflight("https://myapp.com", "POST", None))
        .await
        .unwrap();
    assert_eq!(post.status(), 204);
    // DELETE is not in `methods`, and methods compare case-sensitively: the answer is the same
    // lists, which the browser compares (and refuses).
    for method in ["DELETE", "put"] {
        let more = listed(preflight("https://myapp.com", method, None))
            .await
            .unwrap();
        assert_eq!(more.status(), 204, "{method}");
        assert_eq!(
            header(&more, "access-control-allow-methods"),
            Some("GET,PUT")
        );
    }
}

#[cors_handler(origin = "*", expose_headers = ["x-total"])]
async fn public(event: Request) -> Result<&'static str, Error> {
    let _ = event;
    Ok("public")
}

#[tokio::test]
async fn star_grants_star_to_everyone_and_never_credentials() {
    for request in [
        get("/", "https://anyone.example"),
        get("/", "null"),
        request("GET", "/", &[]),
    ] {
        let response = public(request).await.unwrap();
        assert_eq!(body(&response), "public");
        assert_eq!(header(&response, "access-control-allow-origin"), Some("*"));
        assert_eq!(
            header(&response, "access-control-expose-headers"),
            Some("x-total")
        );
        assert_eq!(header(&response, "access-control-allow-credentials"), None);
        assert_eq!(header(&response, "vary"), None);
    }
    let response = public(preflight(
        "https://anyone.example",
        "PATCH",
        Some("x-api-key"),
    ))
    .await
    .unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(header(&response, "access-control-allow-origin"), Some("*"));
}

#[cors_handler(origin = ["https://a.example"], methods = ["*"], headers = ["*"])]
async fn any_method(event: Request) -> Result<String, Error> {
    let _ = event;
    Ok(String::from("ok"))
}

#[tokio::test]
async fn star_methods_and_headers_allow_all_authorization_included() {
    let ok = any_method(preflight(
        "https://a.example",
        "PROPFIND",
        Some("x-anything"),
    ))
    .await
    .unwrap();
    assert_eq!(ok.status(), 204);
    assert_eq!(header(&ok, "access-control-allow-methods"), Some("*"));
    assert_eq!(
        header(&ok, "access-control-allow-headers"),
        Some("*,Authorization")
    );
    let auth = any_method(preflight("https://a.example", "GET", Some("authorization")))
        .await
        .unwrap();
    // The Fetch standard never covers `Authorization` with `*`: the answer names it beside `*`,
    // so that a page sending a bearer token passes its preflight.
    assert_eq!(auth.status(), 204);
    assert_eq!(
        header(&auth, "access-control-allow-headers"),
        Some("*,Authorization")
    );
}

// ---------------------------------------------------------------------------------------------
// The handler's own CORS headers never outrank the configuration

#[cors_handler(origin = ["https://myapp.com"])]
async fn meddling(event: Request) -> Result<Response<Body>, Error> {
    let _ = event;
    Ok(Response::builder()
        .header("access-control-allow-origin", "*")
        .header("access-control-allow-credentials", "true")
        .header("vary", "accept")
        .header("vary", "accept-language")
        .body(Body::Empty)?)
}

#[tokio::test]
async fn the_configuration_owns_the_cors_headers() {
    let denied = meddling(get("/", "https://evil.example")).await.unwrap();
    assert_eq!(header(&denied, "access-control-allow-origin"), None);
    assert_eq!(header(&denied, "access-control-allow-credentials"), None);
    assert_eq!(
        header(&denied, "vary"),
        Some("accept, accept-language, Origin")
    );
    let granted = meddling(get("/", "https://myapp.com")).await.unwrap();
    assert_eq!(
        header(&granted, "access-control-allow-origin"),
        Some("https://myapp.com")
    );
}

// ---------------------------------------------------------------------------------------------
// Typed errors and other `Ok` types

#[derive(Debug)]
enum ApiError {
    NotFound,
    Secret(&'static str),
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiError::NotFound => f.write_str("not found"),
            ApiError::Secret(s) => write!(f, "secret detail {s}"),
        }
    }
}

impl ErrorResponse for ApiError {
    fn status(&self) -> StatusCode {
        match self {
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Secret(_) => StatusCode::BAD_GATEWAY,
        }
    }

    fn message(&self) -> Cow<'static, str> {
        match self {
            ApiError::NotFound => "no such thing".into(),
            ApiError::Secret(_) => StatusCode::BAD_GATEWAY.canonical_reason().unwrap().into(),
        }
    }
}

#[cors_handler(origin = "https://*.myapp.com")]
async fn typed(event: Request) -> Result<serde_json::Value, ApiError> {
    match event.uri().path() {
        "/missing" => Err(ApiError::NotFound),
        "/secret" => Err(ApiError::Secret("db password is hunter2")),
        _ => Ok(serde_json::json!({ "ok": true })),
    }
}

#[tokio::test]
async fn typed_errors_choose_their_response_and_keep_the_headers() {
    let origin = "https://app.myapp.com";
    let ok = typed(get("/", origin)).await.unwrap();
    assert_eq!(ok.status(), 200);
    assert_eq!(body(&ok), r#"{"ok":true}"#);
    let missing = typed(get("/missing", origin)).await.unwrap();
    assert_eq!(missing.status(), 404);
    assert_eq!(body(&missing), r#"{"message":"no such thing"}"#);
    let secret = typed(get("/secret", origin)).await.unwrap();
    assert_eq!(secret.status(), 502);
    assert!(!body(&secret).contains("hunter2"));
    for response in [&ok, &missing, &secret] {
        assert_eq!(
            header(response, "access-control-allow-origin"),
            Some(origin)
        );
        assert_eq!(header(response, "vary"), Some("Origin"));
    }
}

#[cors_handler(origin = "https://myapp.com")]
async fn with_status(event: Request) -> Result<(StatusCode, String), std::io::Error> {
    if event.uri().path() == "/io" {
        return Err(std::io::Error::other("disk on fire"));
    }
    Ok((StatusCode::ACCEPTED, "queued".to_owned()))
}

#[cors_handler(origin = "https://myapp.com")]
async fn opaque(event: Request) -> Result<impl IntoResponse, Error> {
    let _ = event.uri().path().parse::<u8>()?;
    Ok("opaque")
}

#[tokio::test]
async fn any_into_response_and_any_error_type_work() {
    let accepted = with_status(get("/", "https://myapp.com")).await.unwrap();
    assert_eq!(accepted.status(), 202);
    assert_eq!(body(&accepted), "queued");
    let io = with_status(get("/io", "https://myapp.com")).await.unwrap();
    assert_eq!((io.status().as_u16(), body(&io)), (500, DEFAULT_500));
    let bad = opaque(get("/x", "https://myapp.com")).await.unwrap();
    assert_eq!(bad.status(), 500);
    assert_eq!(
        header(&bad, "access-control-allow-origin"),
        Some("https://myapp.com")
    );
}

// ---------------------------------------------------------------------------------------------
// Signatures: extra parameters, patterns, visibility, attributes

struct Client {
    greeting: &'static str,
}

mod api {
    use super::*;

    /// Documented, public, with state.
    #[cors_handler(origin = "https://myapp.com")]
    #[allow(clippy::needless_pass_by_value)]
    pub async fn stateful(client: &Client, mut event: Request) -> Result<String, Error> {
        event.headers_mut().insert("x-seen", "1".parse()?);
        Ok(format!("{} {}", client.greeting, event.headers().len()))
    }

    #[cors_handler(origin = "https://myapp.com")]
    pub(crate) async fn ignores(_: Request) -> Result<&'static str, Error> {
        Ok("ignored")
    }
}

#[tokio::test]
async fn extra_parameters_patterns_and_visibility_are_kept() {
    let client = Client { greeting: "hello" };
    let service = service_fn(|request| api::stateful(&client, request));
    let _ = service;
    let response = api::stateful(&client, get("/", "https://myapp.com"))
        .await
        .unwrap();
    assert_eq!(body(&response), "hello 2");
    assert_eq!(
        header(&response, "access-control-allow-origin"),
        Some("https://myapp.com")
    );
    let ignored = api::ignores(get("/", "https://myapp.com")).await.unwrap();
    assert_eq!(body(&ignored), "ignored");
}

// ---------------------------------------------------------------------------------------------
// origin_env

#[cors_handler(origin_env = "CORS_TEST_ORIGINS_GOOD", credentials = true)]
async fn from_env(event: Request) -> Result<&'static str, Error> {
    let _ = event;
    Ok("env")
}

#[cors_handler(origin_env = "CORS_TEST_ORIGINS_BAD")]
async fn from_bad_env(event: Request) -> Result<&'static str, Error> {
    let _ = event;
    Ok("never")
}

#[cors_handler(
    origin_env = "CORS_TEST_ORIGINS_STAR_WITH_CREDENTIALS",
    credentials = true
)]
async fn from_star_env(event: Request) -> Result<&'static str, Error> {
    let _ = event;
    Ok("never")
}

#[tokio::test]
async fn origin_env_is_validated_and_matched_like_literals() {
    // SAFETY: these variables are read by no other test, and set before the first call.
    unsafe {
        std::env::set_var(
            "CORS_TEST_ORIGINS_GOOD",
            "https://myapp.com, https://*.myapp.com",
        );
        std::env::set_var(
            "CORS_TEST_ORIGINS_BAD",
            "https://myapp.com,https://evil.example/",
        );
        std::env::set_var("CORS_TEST_ORIGINS_STAR_WITH_CREDENTIALS", "*");
    }
    let granted = from_env(get("/", "https://x.myapp.com")).await.unwrap();
    assert_eq!(
        header(&granted, "access-control-allow-origin"),
        Some("https://x.myapp.com")
    );
    assert_eq!(
        header(&granted, "access-control-allow-credentials"),
        Some("true")
    );
    assert_eq!(header(&granted, "vary"), Some("Origin"));
    let denied = from_env(get("/", "https://myapp.com.evil.net"))
        .await
        .unwrap();
    assert_eq!(header(&denied, "access-control-allow-origin"), None);

    for bad in [
        from_bad_env(get("/", "https://myapp.com")).await.unwrap(),
        from_star_env(get("/", "https://myapp.com")).await.unwrap(),
    ] {
        assert_eq!(bad.status(), 500);
        assert_eq!(body(&bad), DEFAULT_500);
        assert_eq!(header(&bad, "access-control-allow-origin"), None);
        assert_eq!(header(&bad, "vary"), Some("Origin"));
    }
}

// ---------------------------------------------------------------------------------------------
// `front_door = true`: the front door writes the CORS headers; the function writes none

#[cors_handler(origin = "https://myapp.com", front_door = true)]
async fn behind_the_front_door(event: Request) -> Result<Response<Body>, Error> {
    match event.uri().path() {
        "/fail" => Err("the store is down".into()),
        "/panic" => panic!("behind the front door, on purpose"),
        _ => Ok(Response::builder()
            .header("access-control-allow-origin", "*")
            .header("vary", "accept-encoding")
            .body("front door".into())?),
    }
}

#[tokio::test]
async fn behind_the_front_door_the_function_writes_no_cors_header() {
    let no_cors = |response: &Response<Body>| {
        assert!(
            !response
                .headers()
                .keys()
                .any(|name| name.as_str().starts_with("access-control-")),
            "{response:?}"
        );
    };
    let ok = behind_the_front_door(get("/", "https://myapp.com"))
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    no_cors(&ok);
    assert_eq!(
        header(&ok, "vary"),
        Some("accept-encoding"),
        "nothing merged into it"
    );
    for path in ["/fail", "/panic"] {
        let failed = behind_the_front_door(get(path, "https://myapp.com"))
            .await
            .unwrap();
        assert_eq!(
            failed.status(),
            500,
            "{path}: errors and panics are still 500s"
        );
        no_cors(&failed);
    }
    // A preflight that reaches the function is the handler's (the front door should answer it).
    let preflight = behind_the_front_door(preflight("https://myapp.com", "PUT", None))
        .await
        .unwrap();
    assert_eq!(preflight.status(), 200);
    no_cors(&preflight);
}
