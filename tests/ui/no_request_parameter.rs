use cors_runtime::cors_handler;
use lambda_http::{Body, Error, Response};

#[cors_handler(origin = "https://myapp.com")]
async fn handler(name: String) -> Result<Response<Body>, Error> {
    Ok(Response::new(Body::from(name)))
}

fn main() {}
