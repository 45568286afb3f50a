//! `CorsLayer` on a real axum `Router` (and on plain tower services), through
//! `tower::ServiceExt::oneshot`: every response carries the policy's headers, preflights are
//! answered before routing, errors and panics become `500`s with the headers.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use cors_runtime::{CorsConfig, CorsLayer, cors_config};
use http::{Method, Request, Response, StatusCode};
use http_body_util::BodyExt;
use tower::{Layer, Service, ServiceExt, service_fn};

static API_CORS: CorsConfig = cors_config!(
    origin = ["https://myapp.com", "https://*.preview.myapp.com"],
    methods = ["GET", "PUT", "POST"],
    headers = ["content-type"],
    expose_headers = ["x-request-id"],
    credentials = true,
    max_age = 600,
);
static PASSING: CorsConfig = cors_config!(origin = ["https://myapp.com"], preflight = false);

const ALLOWED: &str = "https://myapp.com";

#[derive(Clone)]
struct AppState {
    greeting: &'static str,
}

#[derive(serde::Deserialize)]
struct NewItem {
    name: String,
}

async fn get_item(Path(id): Path<u32>, State(state): State<AppState>) -> String {
    format!("{} item {id}", state.greeting)
}

async fn create(Json(item): Json<NewItem>) -> (StatusCode, String) {
    (StatusCode::CREATED, item.name)
}

async fn meddling() -> Response<Body> {
    Response::builder()
        .header("access-control-allow-origin", "*")
        .header("access-control-allow-credentials", "true")
        .header("vary", "accept-encoding")
        .body(Body::from("meddling"))
        .unwrap()
}

async fn panics() -> &'static str {
    panic!("the route panics on purpose")
}

async fn slow() -> &'static str {
    tokio::time::sleep(Duration::from_secs(5)).await;
    "too late"
}

fn router(policy: &'static CorsConfig) -> Router {
    Router::new()
        .route("/items/{id}", get(get_item))
        .route("/items", post(create))
        .route("/meddling", get(meddling))
        .route("/panic", get(panics))
        .route(
            "/slow",
            get(slow).layer(tower_http::timeout::TimeoutLayer::with_status_code(
                StatusCode::REQUEST_TIMEOUT,
                Duration::from_millis(20),
            )),
        )
        .with_state(AppState { greeting: "the" })
        .layer(CorsLayer::new(policy))
}

fn request(method: Method, path: &str, headers: &[(&str, &str)], body: &str) -> Request<Body> {
    let mut builder = Request::builder().method(method).uri(path);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(Body::from(body.to_owned())).unwrap()
}

fn get_from(path: &str, origin: &str) -> Request<Body> {
    request(Method::GET, path, &[("origin", origin)], "")
}

fn preflight(path: &str, origin: &str, method: &str) -> Request<Body> {
    request(
        Method::OPTIONS,
        path,
        &[
            ("origin", origin),
            ("access-control-request-method", method),
            ("access-control-request-headers", "content-type"),
        ],
        "",
    )
}

fn all<'r>(response: &'r Response<Body>, name: &str) -> Vec<&'r str> {
    response
        .headers()
        .get_all(name)
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect()
}

/// One `Access-Control-Allow-Origin` naming `origin`, credentials, the exposed header, one `Vary`
/// listing `Origin`.
fn assert_granted(response: &Response<Body>, origin: &str) {
    assert_eq!(
        all(response, "access-control-allow-origin"),
        [origin],
        "{response:?}"
    );
    assert_eq!(all(response, "access-control-allow-credentials"), ["true"]);
    let vary = all(response, "vary");
    assert_eq!(vary.len(), 1, "one Vary: {vary:?}");
    assert!(vary[0].split(',').any(|t| t.trim() == "Origin"), "{vary:?}");
}

fn assert_not_granted(response: &Response<Body>) {
    for name in [
        "access-control-allow-origin",
        "access-control-allow-credentials",
        "access-control-expose-headers",
    ] {
        assert!(all(response, name).is_empty(), "{name}: {response:?}");
    }
    assert_eq!(all(response, "vary"), ["Origin"]);
}

async fn body(response: Response<Body>) -> String {
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    String::from_utf8(bytes.to_vec()).unwrap()
}

async fn send(policy: &'static CorsConfig, request: Request<Body>) -> Response<Body> {
    router(policy).oneshot(request).await.unwrap()
}

#[tokio::test]
async fn every_response_of_the_router_carries_the_policy() {
    // The route's own response, with shared state.
    let ok = send(&API_CORS, get_from("/items/7", ALLOWED)).await;
    assert_eq!(ok.status(), 200);
    assert_granted(&ok, ALLOWED);
    assert_eq!(all(&ok, "access-control-expose-headers"), ["x-request-id"]);
    assert_eq!(body(ok).await, "the item 7");
    // A wildcard's match is echoed.
    let preview = "https://pr-3.preview.myapp.com";
    assert_granted(
        &send(&API_CORS, get_from("/items/7", preview)).await,
        preview,
    );
    // The router's 404 and 405.
    let not_found = send(&API_CORS, get_from("/nowhere", ALLOWED)).await;
    assert_eq!(not_found.status(), 404);
    assert_granted(&not_found, ALLOWED);
    let not_allowed = send(
        &API_CORS,
        request(Method::DELETE, "/items/7", &[("origin", ALLOWED)], ""),
    )
    .await;
    assert_eq!(not_allowed.status(), 405);
    assert_granted(&not_allowed, ALLOWED);
    // Extractors' rejections: a bad `Path`, a bad `Json` body, a missing content type.
    let bad_path = send(&API_CORS, get_from("/items/seven", ALLOWED)).await;
    assert_eq!(bad_path.status(), 400);
    assert_granted(&bad_path, ALLOWED);
    let json = [("origin", ALLOWED), ("content-type", "application/json")];
    let bad_json = send(
        &API_CORS,
        request(Method::POST, "/items", &json, "{\"name\":"),
    )
    .await;
    assert!(bad_json.status().is_client_error(), "{bad_json:?}");
    assert_granted(&bad_json, ALLOWED);
    let no_type = send(
        &API_CORS,
        request(Method::POST, "/items", &[("origin", ALLOWED)], "{}"),
    )
    .await;
    assert_eq!(no_type.status(), 415);
    assert_granted(&no_type, ALLOWED);
    let created = send(
        &API_CORS,
        request(Method::POST, "/items", &json, r#"{"name":"lamp"}"#),
    )
    .await;
    assert_eq!(created.status(), 201);
    assert_granted(&created, ALLOWED);
    // A timeout layer's 408 below the CORS layer.
    let timed_out = send(&API_CORS, get_from("/slow", ALLOWED)).await;
    assert_eq!(timed_out.status(), 408);
    assert_granted(&timed_out, ALLOWED);
}

#[tokio::test]
async fn the_policy_owns_the_cors_headers() {
    let granted = send(&API_CORS, get_from("/meddling", ALLOWED)).await;
    assert_granted(&granted, ALLOWED);
    assert_eq!(
        all(&granted, "vary"),
        ["accept-encoding, Origin"],
        "merged into one"
    );
    let stranger = send(&API_CORS, get_from("/meddling", "https://evil.example")).await;
    for name in [
        "access-control-allow-origin",
        "access-control-allow-credentials",
    ] {
        assert!(all(&stranger, name).is_empty(), "{name}: {stranger:?}");
    }
    assert_eq!(all(&stranger, "vary"), ["accept-encoding, Origin"]);
    assert_not_granted(&send(&API_CORS, get_from("/items/7", "https://evil.example")).await);
    assert_not_granted(&send(&API_CORS, get_from("/items/7", "null")).await);
    let mut two = get_from("/items/7", ALLOWED);
    two.headers_mut().append("origin", ALLOWED.parse().unwrap());
    assert_not_granted(&send(&API_CORS, two).await);
}

#[tokio::test]
async fn preflights_are_answered_before_routing() {
    // `/items/{id}` has only GET: the router would answer 405.
    let answer = send(&API_CORS, preflight("/items/7", ALLOWED, "PUT")).await;
    assert_eq!(answer.status(), 204);
    assert_eq!(all(&answer, "access-control-allow-origin"), [ALLOWED]);
    assert_eq!(
        all(&answer, "access-control-allow-methods"),
        ["GET,PUT,POST"]
    );
    assert_eq!(
        all(&answer, "access-control-allow-headers"),
        ["content-type"]
    );
    assert_eq!(all(&answer, "access-control-max-age"), ["600"]);
    assert_eq!(all(&answer, "access-control-allow-credentials"), ["true"]);
    assert_eq!(body(answer).await, "");
    // Even where no route is.
    assert_eq!(
        send(&API_CORS, preflight("/nowhere", ALLOWED, "GET"))
            .await
            .status(),
        204
    );
    // A stranger's preflight grants nothing.
    let stranger = send(
        &API_CORS,
        preflight("/items/7", "https://evil.example", "PUT"),
    )
    .await;
    assert!(all(&stranger, "access-control-allow-origin").is_empty());
    // `OPTIONS` without `Access-Control-Request-Method` reaches the router (here: its 405).
    let plain = send(
        &API_CORS,
        request(Method::OPTIONS, "/items/7", &[("origin", ALLOWED)], ""),
    )
    .await;
    assert_eq!(plain.status(), 405);
    assert_granted(&plain, ALLOWED);
    // `preflight = false`: the router answers preflights, and its answer gets the headers.
    let passed = send(&PASSING, preflight("/items/7", ALLOWED, "PUT")).await;
    assert_eq!(passed.status(), 405);
    assert_eq!(all(&passed, "access-control-allow-origin"), [ALLOWED]);
}

#[tokio::test]
async fn a_panic_in_a_route_is_a_500_with_the_headers() {
    quiet_expected_panics();
    let panicked = send(&API_CORS, get_from("/panic", ALLOWED)).await;
    assert_eq!(panicked.status(), 500);
    assert_granted(&panicked, ALLOWED);
    assert_eq!(all(&panicked, "content-type"), ["application/json"]);
    assert_eq!(
        body(panicked).await,
        r#"{"message":"Internal Server Error"}"#
    );
    // The router keeps serving.
    assert_eq!(
        send(&API_CORS, get_from("/items/1", ALLOWED))
            .await
            .status(),
        200
    );
}

fn quiet_expected_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let default_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .copied()
                .unwrap_or_default();
            if !message.contains("on purpose") {
                default_hook(info);
            }
        }));
    });
}

/// A plain tower service below the layer: `lambda_http`'s own types, and an error of its own.
#[tokio::test]
async fn a_services_err_is_a_500_with_the_headers_never_an_err() {
    let failing = service_fn(|request: lambda_http::Request| async move {
        if request.uri().path() == "/fail" {
            Err(std::io::Error::other("the store is down"))
        } else {
            Ok(lambda_http::Response::new(lambda_http::Body::from("fine")))
        }
    });
    let mut cors = CorsLayer::new(&API_CORS).layer(failing);
    let lambda_request = |path: &str| {
        http::Request::builder()
            .uri(path)
            .header("origin", ALLOWED)
            .body(lambda_http::Body::Empty)
            .unwrap()
    };
    let failed: Result<_, Infallible> = cors
        .ready()
        .await
        .unwrap()
        .call(lambda_request("/fail"))
        .await;
    let failed = failed.unwrap();
    assert_eq!(failed.status(), 500);
    assert_eq!(failed.headers()["access-control-allow-origin"], ALLOWED);
    assert_eq!(
        failed.body(),
        &lambda_http::Body::from(r#"{"message":"Internal Server Error"}"#)
    );
    let fine = cors
        .ready()
        .await
        .unwrap()
        .call(lambda_request("/"))
        .await
        .unwrap();
    assert_eq!(fine.status(), 200);
    // A panic while the service below makes its future.
    quiet_expected_panics();
    let mut eager =
        CorsLayer::new(&API_CORS).layer(service_fn(
            |_: lambda_http::Request| -> std::future::Ready<
                Result<lambda_http::Response<lambda_http::Body>, Infallible>,
            > { panic!("call panics on purpose") },
        ));
    let panicked = eager
        .ready()
        .await
        .unwrap()
        .call(lambda_request("/"))
        .await
        .unwrap();
    assert_eq!(panicked.status(), 500);
    assert_eq!(panicked.headers()["access-control-allow-origin"], ALLOWED);
}

/// A service whose `poll_ready` fails: the call is answered with the `500`, with the headers.
#[derive(Clone)]
struct NeverReady;

impl Service<Request<Body>> for NeverReady {
    type Response = Response<Body>;
    type Error = std::io::Error;
    type Future = std::future::Ready<Result<Response<Body>, std::io::Error>>;

    fn poll_ready(
        &mut self,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        std::task::Poll::Ready(Err(std::io::Error::other("the pool is exhausted")))
    }

    fn call(&mut self, _: Request<Body>) -> Self::Future {
        unreachable!("never called after a failed poll_ready")
    }
}

#[tokio::test]
async fn a_failed_poll_ready_is_a_500_with_the_headers() {
    let response = CorsLayer::new(&API_CORS)
        .layer(NeverReady)
        .oneshot(get_from("/", ALLOWED))
        .await
        .unwrap();
    assert_eq!(response.status(), 500);
    assert_granted(&response, ALLOWED);
}

/// Bodies: axum's, lambda_http's, `http_body_util::Full`; and a policy built at run time.
#[tokio::test]
async fn generic_over_bodies_and_policies() {
    let policy = CorsConfig::builder().allow_origin(ALLOWED).build().unwrap();
    let layer = CorsLayer::from_arc(Arc::new(policy));
    let full = service_fn(|_: Request<String>| async {
        Ok::<_, Infallible>(Response::new(http_body_util::Full::new(bytes_of("full"))))
    });
    let response = layer
        .layer(full)
        .oneshot(
            Request::builder()
                .header("origin", ALLOWED)
                .body(String::new())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.headers()["access-control-allow-origin"], ALLOWED);
    let preflight = layer
        .layer(service_fn(|_: Request<String>| async {
            Ok::<_, Infallible>(Response::new(http_body_util::Full::new(bytes_of("never"))))
        }))
        .oneshot(
            Request::builder()
                .method("OPTIONS")
                .header("origin", ALLOWED)
                .header("access-control-request-method", "GET")
                .body(String::new())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(preflight.status(), 204);
    let bytes = preflight.into_body().collect().await.unwrap().to_bytes();
    assert!(bytes.is_empty());
}

fn bytes_of(text: &'static str) -> axum::body::Bytes {
    axum::body::Bytes::from_static(text.as_bytes())
}

/// A streamed body below the layer: the headers are in the head, the frames pass as they come.
#[tokio::test]
async fn a_streamed_body_passes_through_with_the_headers_in_the_head() {
    struct Tokens(Vec<&'static str>);
    impl http_body::Body for Tokens {
        type Data = axum::body::Bytes;
        type Error = std::convert::Infallible;
        fn poll_frame(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
            let next = (!self.0.is_empty()).then(|| self.0.remove(0));
            std::task::Poll::Ready(next.map(|token| Ok(http_body::Frame::data(bytes_of(token)))))
        }
    }
    let streaming = tower::service_fn(|_: Request<Body>| async {
        Ok::<_, Infallible>(Response::new(Body::new(Tokens(vec![
            "one ", "two ", "three",
        ]))))
    });
    let response = CorsLayer::new(&API_CORS)
        .layer(streaming)
        .oneshot(get_from("/", ALLOWED))
        .await
        .unwrap();
    assert_granted(&response, ALLOWED);
    let mut body = response.into_body();
    let mut frames = Vec::new();
    while let Some(frame) = body.frame().await {
        frames.push(frame.unwrap().into_data().unwrap());
    }
    assert_eq!(frames, ["one ", "two ", "three"], "frame by frame");
}

/// `front_door = true` under the layer: the HTTP API or function URL writes the CORS headers, so
/// no response of the router carries one (a route's own are removed, `Vary` left as the route
/// set it), a preflight reaches the router (the front door answers real ones before the
/// function), and a panic is still the logged `500`.
#[tokio::test]
async fn a_front_door_policy_writes_no_cors_header() {
    static FRONT_DOOR: CorsConfig = cors_config!(origin = "https://myapp.com", front_door = true);
    quiet_expected_panics();
    let no_cors = |response: &Response<Body>| {
        for name in [
            "access-control-allow-origin",
            "access-control-allow-credentials",
            "access-control-allow-methods",
            "access-control-allow-headers",
            "access-control-expose-headers",
            "access-control-max-age",
        ] {
            assert!(all(response, name).is_empty(), "{name}: {response:?}");
        }
    };
    let ok = send(&FRONT_DOOR, get_from("/items/7", ALLOWED)).await;
    assert_eq!(ok.status(), 200);
    no_cors(&ok);
    assert!(all(&ok, "vary").is_empty(), "the front door varies its own");
    let meddling = send(&FRONT_DOOR, get_from("/meddling", ALLOWED)).await;
    no_cors(&meddling);
    assert_eq!(all(&meddling, "vary"), ["accept-encoding"]);
    // Not answered here: the router's own answer to `OPTIONS` on a `GET` route.
    let passed = send(&FRONT_DOOR, preflight("/items/7", ALLOWED, "PUT")).await;
    assert_eq!(passed.status(), 405);
    no_cors(&passed);
    let panicked = send(&FRONT_DOOR, get_from("/panic", ALLOWED)).await;
    assert_eq!(panicked.status(), 500);
    no_cors(&panicked);
    let missing = send(&FRONT_DOOR, get_from("/nowhere", ALLOWED)).await;
    assert_eq!(missing.status(), 404);
    no_cors(&missing);
}
