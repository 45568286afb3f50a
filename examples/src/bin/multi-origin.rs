//! A list of origins (one a subdomain wildcard) with credentials: the page's own origin is echoed,
//! cookies may travel, and `Vary: Origin` keeps caches honest.
//!
//! ```sh
//! cargo lambda watch --disable-cors   # then:
//! curl -i -H 'Origin: https://pr-17.preview.myapp.com' http://localhost:9000/lambda-url/multi-origin/me
//! curl -i -X OPTIONS -H 'Origin: http://localhost:5173' -H 'Access-Control-Request-Method: PUT' \
//!      http://localhost:9000/lambda-url/multi-origin/me
//! ```
use cors_runtime::cors_handler;
use lambda_http::{Body, Error, Request, RequestExt, Response, run, service_fn};

/// Who is calling, judged by the session cookie the browser sent along.
#[cors_handler(
    origin = ["https://myapp.com", "https://*.preview.myapp.com", "http://localhost:5173"],
    methods = ["GET", "PUT", "DELETE"],
    headers = ["content-type", "x-csrf-token"],
    expose_headers = ["x-request-id"],
    credentials = true,
    max_age = 600,
)]
pub async fn handler(event: Request) -> Result<Response<Body>, Error> {
    let session = event
        .headers()
        .get("cookie")
        .and_then(|c| c.to_str().ok())
        .and_then(|c| c.split("; ").find_map(|kv| kv.strip_prefix("session=")))
        .map(str::to_owned);
    let request_id = event
        .lambda_context_ref()
        .map(|c| c.request_id.clone())
        .unwrap_or_default();
    let body = match session {
        Some(user) => serde_json::json!({ "user": user }),
        None => serde_json::json!({ "user": null }),
    };
    Ok(Response::builder()
        .header("content-type", "application/json")
        .header("x-request-id", request_id)
        .header(
            "set-cookie",
            "session=demo; SameSite=None; Secure; HttpOnly",
        )
        .body(body.to_string().into())?)
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    tracing_subscriber::fmt().json().without_time().init();
    run(service_fn(handler)).await
}
