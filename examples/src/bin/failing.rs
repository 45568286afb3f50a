//! Every way a handler can fail, behind one attribute: an error through `?`, an explicit `Err` and
//! a panic (before or after an `.await`) each answer `500 {"message":"Internal Server Error"}` with
//! the same CORS headers as a success, and the function keeps serving. `no-macro.rs` is the same
//! handler without the attribute, for contrast.
//!
//! ```sh
//! cargo lambda watch --disable-cors   # then:
//! curl -i -H 'Origin: https://myapp.com' http://localhost:9000/lambda-url/failing/panic
//! curl -i -H 'Origin: https://pr-3.myapp.dev' http://localhost:9000/lambda-url/failing/ok
//! ```
use cors_runtime::cors_handler;
use lambda_http::{Body, Error, Request, Response, run, service_fn};

/// `GET /ok` answers `ok` (and varies on `Accept-Encoding` itself); `/question-mark`, `/err`,
/// `/panic` and `/panic-after-await` fail, each in its own way; anything else is a 404.
#[cors_handler(
    origin = ["https://myapp.com", "https://*.myapp.dev"],
    expose_headers = ["x-request-id"],
)]
async fn handler(event: Request) -> Result<Response<Body>, Error> {
    let route = event
        .uri()
        .path()
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_owned();
    match route.as_str() {
        "ok" => Ok(Response::builder()
            .header("content-type", "text/plain")
            .header("vary", "accept-encoding")
            .header("x-request-id", "ok-1")
            .body("ok".into())?),
        "question-mark" => {
            let settings: serde_json::Value = serde_json::from_str("{\"retries\": 3,")?;
            Ok(Response::new(settings.to_string().into()))
        }
        "err" => Err("the upstream service refused the request".into()),
        "panic" => panic!("invariant violated: the cart is empty"),
        "panic-after-await" => {
            tokio::task::yield_now().await;
            panic!("invariant violated after an await");
        }
        _ => Ok(Response::builder()
            .status(404)
            .body("no such route".into())?),
    }
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    tracing_subscriber::fmt().json().without_time().init();
    run(service_fn(handler)).await
}
