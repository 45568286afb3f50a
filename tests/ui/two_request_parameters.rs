use cors_runtime::cors_handler;
use lambda_http::{Body, Error, Request, Response};

#[cors_handler(origin = "https://myapp.com")]
async fn handler(a: Request, b: Request) -> Result<Response<Body>, Error> {
    let _ = (a, b);
    Ok(Response::new(Body::Empty))
}

fn main() {}
