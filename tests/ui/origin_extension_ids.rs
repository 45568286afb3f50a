use cors_runtime::cors_handler;
use lambda_http::{Body, Error, Request, Response};

#[cors_handler(origin = ["chrome-extension://abcdef", "moz-extension://C0B8A9F2-5D1E-4C3B-9A7F-1E2D3C4B5A69", "safari-web-extension://140bb581-a2c0-422a-9dd3-6982a5abee5e"])]
async fn handler(event: Request) -> Result<Response<Body>, Error> {
    let _ = event;
    Ok(Response::new(Body::Empty))
}

fn main() {}
