//! The demo's public API: `origin = "*"`, so any page may read it, but never with credentials
//! (the browser refuses `Access-Control-Allow-Origin: *` on a credentialed request, and the
//! attribute refuses `credentials = true` next to `"*"` at compile time).
//!
//! ```sh
//! cargo lambda watch --disable-cors -A 127.0.0.1 -P 9000   # then:
//! curl -i -H 'Origin: https://anyone.example' http://127.0.0.1:9000/lambda-url/demo-public/hello
//! ```
use cors_runtime::cors_handler;
use lambda_http::{Body, Error, Request, Response, run, service_fn};

/// `GET /hello`: a greeting anyone may read; an `x-request-id` header the page may read too.
#[cors_handler(origin = "*", methods = ["GET"], expose_headers = ["x-request-id"])]
pub async fn handler(event: Request) -> Result<Response<Body>, Error> {
    let path = event.uri().path();
    let body = serde_json::json!({ "public": true, "path": path });
    Ok(Response::builder()
        .header("content-type", "application/json")
        .header("x-request-id", "public-1")
        .body(body.to_string().into())?)
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    tracing_subscriber::fmt().json().without_time().init();
    run(service_fn(handler)).await
}
