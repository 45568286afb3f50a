use cors_runtime::cors_handler;
use lambda_http::{Body, Error, Request, Response};

#[cors_handler(origin = ["file:///home/me/index.html", "data:text/html,hi", "blob:https://myapp.com/1", "javascript:void(0)", "about:blank"])]
async fn handler(event: Request) -> Result<Response<Body>, Error> {
    let _ = event;
    Ok(Response::new(Body::Empty))
}

fn main() {}
