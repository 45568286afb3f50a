//! The smallest handler: one allowed origin, the contract's defaults for everything else.
//!
//! ```sh
//! cargo lambda watch --disable-cors   # then:
//! curl -i -H 'Origin: https://myapp.com' http://localhost:9000/lambda-url/minimal/42
//! ```
use cors_runtime::cors_handler;
use lambda_http::{Body, Error, Request, Response, run, service_fn};

/// `GET /{id}`: `item {id}`; `/0` is a 404, a non-number a 500, both with the CORS headers.
#[cors_handler(origin = "https://myapp.com")]
async fn handler(event: Request) -> Result<Response<Body>, Error> {
    let id: u32 = event
        .uri()
        .path()
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .parse()?;
    if id == 0 {
        return Ok(Response::builder()
            .status(404)
            .body("no such item".into())?);
    }
    Ok(Response::new(format!("item {id}").into()))
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    tracing_subscriber::fmt().json().without_time().init();
    run(service_fn(handler)).await
}
