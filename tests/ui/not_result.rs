use cors_runtime::cors_handler;
use lambda_http::{Body, Request, Response};

#[cors_handler(origin = "https://myapp.com")]
async fn handler(event: Request) -> Response<Body> {
    let _ = event;
    Response::new(Body::Empty)
}

fn main() {}
