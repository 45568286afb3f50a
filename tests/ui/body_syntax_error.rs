use cors_runtime::cors_handler;
use lambda_http::{Body, Error, Request, Response};

// Only rustc's error, on the missing `;`: the attribute parses the signature alone.
#[cors_handler(origin = "https://myapp.com")]
async fn handler(event: Request) -> Result<Response<Body>, Error> {
    let id = event.uri().path().len()
    Ok(Response::new(Body::from(id.to_string())))
}

fn main() {}
