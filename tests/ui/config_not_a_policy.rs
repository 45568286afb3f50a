use cors_runtime::cors_handler;
use lambda_http::{Body, Error, Request, Response};

static ALLOWED_ORIGIN: &str = "https://myapp.com";

#[cors_handler(config = ALLOWED_ORIGIN)]
async fn handler(event: Request) -> Result<Response<Body>, Error> {
    let _ = event;
    Ok(Response::new(Body::Empty))
}

fn main() {}
