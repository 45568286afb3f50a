//! `minimal` behind a front door that handles CORS: its policy
//! (`cors_examples::cors::FRONT_DOOR_CORS`) has `front_door = true`, so the function writes no
//! CORS header — the HTTP API's or function URL's CORS configuration, rendered from the same
//! policy (`examples/deploy/*-http-api`, `*-function-url` with `cors_by_front_door`), answers
//! preflights and adds the headers — and errors and panics are still `500`s.
//!
//! ```sh
//! cargo lambda watch --disable-cors   # then (no CORS header: the front door would add them):
//! curl -i -H 'Origin: https://myapp.com' http://localhost:9000/lambda-url/front-door/42
//! ```
use cors_runtime::cors_handler;
use lambda_http::{Body, Error, Request, Response, run, service_fn};

/// `GET /{id}`: `item {id}`; `/0` is a 404, a non-number a 500.
#[cors_handler(config = cors_examples::cors::FRONT_DOOR_CORS)]
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
