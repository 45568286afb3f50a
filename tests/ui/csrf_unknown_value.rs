use cors_runtime::{CorsConfig, cors_config, cors_handler};
use lambda_http::{Body, Error, Request, Response};

#[cors_handler(origin = ["https://myapp.com"], credentials = true, csrf = "Block")]
async fn handler(event: Request) -> Result<Response<Body>, Error> {
    let _ = event;
    Ok(Response::new(Body::Empty))
}

static NO_HINT: CorsConfig = cors_config!(origin = ["https://myapp.com"], csrf = "maybe");
static NOT_A_STRING: CorsConfig = cors_config!(origin = ["https://myapp.com"], csrf = true);

fn main() {}
