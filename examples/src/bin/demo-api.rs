//! The demo's API: one handler whose routes walk every path a response can take (tail, `return`,
//! `?`, `Err`, panic), with a list of origins, credentials, a custom request header and an exposed
//! response header. `demo/index.html` calls each route from a browser; `tests/browser.rs` asserts
//! what the browser lets the page read.
//!
//! Its policy is `cors_examples::cors::DEMO_CORS`, shared with `axum-api`: the allowed origins
//! come from `DEMO_ALLOWED_ORIGINS` (comma-separated), so that the page may be served on any port
//! (the browser test picks free ones); everything else is fixed at compile time. Pass the list with `--env-file`: `cargo lambda watch --env-var` splits its value on
//! commas and refuses `http://localhost:8080` as a variable of its own.
//!
//! ```sh
//! bash scripts/demo.sh   # or by hand:
//! echo 'DEMO_ALLOWED_ORIGINS=http://127.0.0.1:8080,http://localhost:8080' > demo.env
//! cargo lambda watch --disable-cors -A 127.0.0.1 -P 9000 --env-file demo.env
//! curl -i -H 'Origin: http://127.0.0.1:8080' http://127.0.0.1:9000/lambda-url/demo-api/hello
//! ```
//!
//! | route | answer |
//! | --- | --- |
//! | `GET /hello` | `200` text (the tail expression) |
//! | `POST /echo` | `200`, the JSON body sent back |
//! | `PUT /items/{id}` | `200` JSON with the `x-demo-token` request header |
//! | `GET /items/0` | `404` through an early `return` |
//! | `GET /items/{not a number}` | `500` through `?` |
//! | `GET /fail` | `500` through an explicit `Err` |
//! | `GET /panic` | `500`: the handler panics |
//! | `POST /login`, `GET /me` | sets a session cookie; reads it back |
//! | `GET /headers` | `x-request-id` (exposed) and `x-internal-trace` (not exposed) |
//! | `DELETE /items/{id}` | `200` if it ran: the browser never lets it (not in `methods`) |
//! | `POST /writes` | counts one write (JSON: the count, the session cookie's user) |
//! | `GET /writes` | the count of writes that ran in this process |
//! | `GET /bearer` | the bearer token of `Authorization`, under a policy of its own: [`bearer`] |
//! | anything else | `404` |
//!
//! `POST /writes` is what a cross-site request forgery aims at: a write that carries the user's
//! cookie. The policy has `credentials = true`, so its `csrf` is `"block"`: a write from a page the
//! policy does not allow (a form `POST`, a `no-cors` `fetch`, a beacon) is answered `403` before
//! the handler runs, and the count does not move; the demo page and `tests/browser.rs` read it.
use std::sync::atomic::{AtomicUsize, Ordering};

use cors_runtime::cors_handler;
use lambda_http::{Body, Error, Request, RequestExt, Response, run, service_fn};

/// The writes that ran (`POST /writes`) since this process started: `cargo lambda watch` and
/// Lambda keep a function's process between invocations.
static WRITES: AtomicUsize = AtomicUsize::new(0);

/// The route: the request path as the client sent it (a REST API's stage left out), without the
/// function URL prefix `cargo lambda watch` keeps.
fn route(event: &Request) -> String {
    cors_examples::route(event, "demo-api")
}

fn json(status: u16, value: &serde_json::Value) -> Result<Response<Body>, Error> {
    Ok(Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(value.to_string().into())?)
}

fn cookie(event: &Request, name: &str) -> Option<String> {
    event
        .headers()
        .get_all("cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(name)?.strip_prefix('='))
        .map(str::to_owned)
}

/// Every route of the demo, behind the demo's policy (`cors_examples::cors::DEMO_CORS`, which
/// `axum-api` serves through `CorsLayer`).
#[cors_handler(config = cors_examples::cors::DEMO_CORS)]
pub async fn handler(event: Request) -> Result<Response<Body>, Error> {
    let method = event.method().as_str().to_owned();
    let route = route(&event);
    let segments: Vec<&str> = route.trim_matches('/').split('/').collect();
    match (method.as_str(), segments.as_slice()) {
        ("GET", ["hello"]) => {}
        ("POST", ["echo"]) => {
            let sent: serde_json::Value = serde_json::from_slice(event.body().as_ref())?;
            return json(200, &serde_json::json!({ "echo": sent }));
        }
        ("PUT", ["items", id]) => {
            let id: u32 = id.parse()?;
            let token = event
                .headers()
                .get("x-demo-token")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            return json(200, &serde_json::json!({ "id": id, "token": token }));
        }
        ("GET", ["items", id]) => {
            let id: u32 = id.parse()?; // `abc`: the error becomes a 500 with the CORS headers
            if id == 0 {
                return Ok(Response::builder().status(404).body("no item 0".into())?);
            }
            return json(200, &serde_json::json!({ "id": id }));
        }
        ("DELETE", ["items", id]) => {
            return json(200, &serde_json::json!({ "deleted": id }));
        }
        ("POST", ["writes"]) => {
            let writes = WRITES.fetch_add(1, Ordering::SeqCst) + 1;
            let user = cookie(&event, "demo_session");
            return json(200, &serde_json::json!({ "writes": writes, "user": user }));
        }
        ("GET", ["writes"]) => {
            let writes = WRITES.load(Ordering::SeqCst);
            return json(200, &serde_json::json!({ "writes": writes }));
        }
        ("GET", ["fail"]) => return Err("the database is down (10.0.3.7:5432)".into()),
        ("GET", ["panic"]) => panic!("the demo handler panics on purpose"),
        ("POST", ["login"]) => {
            return Ok(Response::builder()
                .header("content-type", "application/json")
                .header("set-cookie", "demo_session=alice; Path=/; SameSite=Lax")
                .body(
                    serde_json::json!({ "logged_in": "alice" })
                        .to_string()
                        .into(),
                )?);
        }
        ("GET", ["me"]) => {
            return json(
                200,
                &serde_json::json!({ "user": cookie(&event, "demo_session") }),
            );
        }
        ("GET", ["headers"]) => {
            let request_id = event
                .lambda_context_ref()
                .map(|c| c.request_id.clone())
                .unwrap_or_default();
            return Ok(Response::builder()
                .header("x-request-id", request_id)
                .header("x-internal-trace", "node-7/shard-3")
                .body("two headers: one exposed, one not".into())?);
        }
        _ => {
            return Ok(Response::builder()
                .status(404)
                .body(format!("no route {method} {route}").into())?);
        }
    }
    Ok(Response::new("hello from demo-api".into()))
}

/// `GET /bearer`: the token a page sent in `Authorization: Bearer ...`, read back. Its own policy:
/// the demo's origins without credentials (a bearer token needs no cookie) and `headers = ["*"]`,
/// which answers a preflight with `Access-Control-Allow-Headers: *,Authorization`: the Fetch
/// standard never lets `*` alone cover `Authorization`, so a bare `*` would fail every
/// bearer-token `fetch`.
#[cors_handler(origin_env = "DEMO_ALLOWED_ORIGINS", methods = ["GET"], headers = ["*"])]
pub async fn bearer(event: Request) -> Result<Response<Body>, Error> {
    let token = event
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    json(200, &serde_json::json!({ "bearer": token }))
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    tracing_subscriber::fmt().json().without_time().init();
    // One function, two policies: `/bearer` under its own, every other route under `DEMO_CORS`.
    run(service_fn(|event: Request| async move {
        if route(&event) == "/bearer" {
            bearer(event).await
        } else {
            handler(event).await
        }
    }))
    .await
}
