//! The body's inner attributes stay the body's.
use cors_runtime::cors_handler;
use lambda_http::{Body, Error, Request, Response};

#[cors_handler(origin = "https://myapp.com")]
async fn handler(event: Request) -> Result<Response<Body>, Error> {
    #![allow(unused_variables)]
    let unused = event.uri().path().len();
    Ok(Response::new(Body::Empty))
}

fn main() {
    let _ = lambda_http::service_fn(handler);
}
