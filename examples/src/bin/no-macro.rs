//! The contrast: the handler of `failing.rs` without `#[cors_handler]`, its CORS headers written by
//! hand on the success path, as one does. An `Err` (explicit or through `?`) and a panic never
//! become a response: `lambda_runtime` posts them to the Runtime API's `/error` endpoint, API
//! Gateway answers `502 {"message":"Internal server error"}` without any CORS header, and the
//! browser reports a CORS failure instead of the error.
//!
//! ```sh
//! cargo lambda watch --disable-cors   # then:
//! curl -i -H 'Origin: https://myapp.com' http://localhost:9000/lambda-url/no-macro/ok
//! curl -i -H 'Origin: https://myapp.com' http://localhost:9000/lambda-url/no-macro/panic
//! ```
use lambda_http::{Body, Error, Request, Response, run, service_fn};

/// The one origin allowed to read the responses.
const ALLOWED_ORIGIN: &str = "https://myapp.com";

/// `GET /ok` answers `ok` with CORS headers; `/question-mark`, `/err`, `/panic` and
/// `/panic-after-await` fail, each in its own way; anything else is a 404.
async fn handler(event: Request) -> Result<Response<Body>, Error> {
    let allowed = event
        .headers()
        .get("origin")
        .is_some_and(|origin| origin == ALLOWED_ORIGIN);
    let cors = |builder: lambda_http::http::response::Builder| {
        let builder = builder.header("vary", "accept-encoding, Origin");
        if allowed {
            builder.header("access-control-allow-origin", ALLOWED_ORIGIN)
        } else {
            builder
        }
    };
    let route = event
        .uri()
        .path()
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_owned();
    match route.as_str() {
        "ok" => Ok(cors(Response::builder())
            .header("content-type", "text/plain")
            .body("ok".into())?),
        "question-mark" => {
            let settings: serde_json::Value = serde_json::from_str("{\"retries\": 3,")?;
            Ok(cors(Response::builder()).body(settings.to_string().into())?)
        }
        "err" => Err("the upstream service refused the request".into()),
        "panic" => panic!("invariant violated: the cart is empty"),
        "panic-after-await" => {
            tokio::task::yield_now().await;
            panic!("invariant violated after an await");
        }
        _ => Ok(cors(Response::builder())
            .status(404)
            .body("no such route".into())?),
    }
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    tracing_subscriber::fmt().json().without_time().init();
    run(service_fn(handler)).await
}
