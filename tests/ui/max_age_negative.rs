use cors_runtime::cors_handler;
use lambda_http::{Body, Error, Request, Response};

#[cors_handler(origin = "https://myapp.com", max_age = -1)]
async fn handler(event: Request) -> Result<Response<Body>, Error> {
    let _ = event;
    Ok(Response::new(Body::Empty))
}

fn main() {}
