//! The demo's API as an axum `Router` served by `lambda_http::run`, under `CorsLayer` with the
//! very policy `demo-api` names in its attribute (`cors_examples::cors::DEMO_CORS`): the demo page
//! runs every case against both, and the browser and Runtime-API suites check that they answer
//! alike.
//!
//! ```sh
//! echo 'DEMO_ALLOWED_ORIGINS=http://127.0.0.1:8080' > demo.env
//! cargo lambda watch --disable-cors -A 127.0.0.1 -P 9000 --env-file demo.env   # then:
//! curl -i -H 'Origin: http://127.0.0.1:8080' http://127.0.0.1:9000/lambda-url/axum-api/hello
//! ```
//!
//! Behind a REST API, set `AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH=true` so that the router sees
//! `/hello`, not `/<stage>/hello`.
//!
//! | route | answer |
//! | --- | --- |
//! | `GET /hello` | `200` text, with the shared state's greeting |
//! | `POST /echo` | `200`, the JSON body sent back (`Json` extractor; a bad body is its rejection) |
//! | `PUT /items/{id}` | `200` JSON with the `x-demo-token` request header |
//! | `GET /items/0` | `404` |
//! | `GET /items/{not a number}` | `500`: the route returns `Err` through `?` |
//! | `GET /fail` | `500`: the route returns `Err` |
//! | `GET /panic` | `500`: the route panics (`CorsLayer` catches it) |
//! | `POST /login`, `GET /me` | sets a session cookie; reads it back |
//! | `GET /headers` | `x-request-id` (exposed) and `x-internal-trace` (not exposed) |
//! | `DELETE /items/{id}` | `200` if it ran: the browser never lets it (not in `methods`) |
//! | `POST /writes` | counts one write (JSON: the count, the session cookie's user) |
//! | `GET /writes` | the count of writes that ran in this process |
//! | anything else | the router's `404` (a wrong method on a route: its `405`) |
//!
//! A write from a page the policy does not allow never reaches the router: `CorsLayer` answers it
//! `403` (the policy has credentials, so its `csrf` is `"block"`), and the count does not move.
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Extension, Json, Router};
use cors_examples::cors::DEMO_CORS;
use cors_runtime::CorsLayer;
use serde_json::{Value, json};

/// What every route shares.
struct AppState {
    greeting: &'static str,
    /// The writes that ran (`POST /writes`) since this process started.
    writes: AtomicUsize,
}

/// A route's failure: logged, answered with a JSON 500 that keeps the error's text out.
#[derive(Debug)]
enum AppError {
    BadId(std::num::ParseIntError),
    Store(&'static str),
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AppError::BadId(error) => write!(f, "not an item id: {error}"),
            AppError::Store(error) => write!(f, "the store failed: {error}"),
        }
    }
}

impl From<std::num::ParseIntError> for AppError {
    fn from(error: std::num::ParseIntError) -> Self {
        AppError::BadId(error)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        tracing::error!(error = %self, status = 500u16, "route returned an error");
        let body = json!({ "message": "Internal Server Error" }).to_string();
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response()
    }
}

async fn hello(State(state): State<Arc<AppState>>) -> String {
    format!("{} from axum-api", state.greeting)
}

async fn echo(Json(sent): Json<Value>) -> Json<Value> {
    Json(json!({ "echo": sent }))
}

async fn put_item(Path(id): Path<u32>, headers: HeaderMap) -> Json<Value> {
    let token = headers
        .get("x-demo-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    Json(json!({ "id": id, "token": token }))
}

async fn get_item(Path(id): Path<String>) -> Result<Response, AppError> {
    let id: u32 = id.parse()?;
    if id == 0 {
        return Ok((StatusCode::NOT_FOUND, "no item 0").into_response());
    }
    Ok(Json(json!({ "id": id })).into_response())
}

async fn delete_item(Path(id): Path<String>) -> Json<Value> {
    Json(json!({ "deleted": id }))
}

async fn fail() -> Result<String, AppError> {
    Err(AppError::Store("the database is down (10.0.3.7:5432)"))
}

async fn panics() -> &'static str {
    panic!("the axum route panics on purpose")
}

async fn login() -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (
                header::SET_COOKIE,
                "demo_session=alice; Path=/; SameSite=Lax",
            ),
        ],
        json!({ "logged_in": "alice" }).to_string(),
    )
        .into_response()
}

/// The user of the session cookie `POST /login` sets.
fn session_user(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .find_map(|pair| pair.trim().strip_prefix("demo_session="))
        .map(str::to_owned)
}

async fn me(headers: HeaderMap) -> Json<Value> {
    Json(json!({ "user": session_user(&headers) }))
}

/// `POST /writes`: one more write ran, by the user of the session cookie (if any).
async fn write(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Json<Value> {
    let writes = state.writes.fetch_add(1, Ordering::SeqCst) + 1;
    Json(json!({ "writes": writes, "user": session_user(&headers) }))
}

/// `GET /writes`: how many writes ran.
async fn writes(State(state): State<Arc<AppState>>) -> Json<Value> {
    Json(json!({ "writes": state.writes.load(Ordering::SeqCst) }))
}

async fn with_headers(context: Option<Extension<lambda_http::Context>>) -> Response {
    let request_id = context.map(|c| c.request_id.clone()).unwrap_or_default();
    (
        [
            ("x-request-id", request_id.as_str()),
            ("x-internal-trace", "node-7/shard-3"),
        ],
        "two headers: one exposed, one not",
    )
        .into_response()
}

/// The routes, under the shared policy. `CorsLayer` is added last: it is the outermost layer,
/// so that it answers preflights before routing and puts its headers on every response.
fn app() -> Router {
    let routes = Router::new()
        .route("/hello", get(hello))
        .route("/echo", post(echo))
        .route(
            "/items/{id}",
            put(put_item).get(get_item).delete(delete_item),
        )
        .route("/fail", get(fail))
        .route("/panic", get(panics))
        .route("/login", post(login))
        .route("/me", get(me))
        .route("/headers", get(with_headers))
        .route("/writes", post(write).get(writes))
        .with_state(Arc::new(AppState {
            greeting: "hello",
            writes: AtomicUsize::new(0),
        }));
    // The same routes at `/` (deployed) and under the prefix `cargo lambda watch` keeps.
    Router::new()
        .nest("/lambda-url/axum-api", routes.clone())
        .merge(routes)
        .layer(CorsLayer::new(&DEMO_CORS))
}

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    tracing_subscriber::fmt().json().without_time().init();
    lambda_http::run(app()).await
}
