use cors_runtime::cors_handler;
use lambda_http::{Body, Error, Request, Response};

#[cors_handler(origin = "https://myapp.com", origin_fn = crate::allowed, front_door = true)]
async fn handler(event: Request) -> Result<Response<Body>, Error> {
    let _ = event;
    Ok(Response::new(Body::Empty))
}

fn allowed(origin: &str) -> bool {
    origin.ends_with(".tenant.example")
}

fn main() {}
