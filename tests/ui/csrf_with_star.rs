use cors_runtime::cors_handler;
use lambda_http::{Body, Error, Request, Response};

// `"*"` lets every origin write: the guard could refuse nothing.
#[cors_handler(origin = "*", csrf = "block")]
async fn handler(event: Request) -> Result<Response<Body>, Error> {
    let _ = event;
    Ok(Response::new(Body::Empty))
}

fn main() {}
