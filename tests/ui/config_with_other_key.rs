use cors_runtime::{CorsConfig, cors_config, cors_handler};
use lambda_http::{Body, Error, Request, Response};

pub static API_CORS: CorsConfig = cors_config!(origin = "https://myapp.com");

#[cors_handler(config = crate::API_CORS, credentials = true, max_age = 600)]
async fn handler(event: Request) -> Result<Response<Body>, Error> {
    let _ = event;
    Ok(Response::new(Body::Empty))
}

fn main() {}
