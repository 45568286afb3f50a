//! A streamed handler, with its own keys and with a shared policy: its rewritten return type
//! serves `lambda_http::run_with_streaming_response`.
use cors_runtime::{CorsConfig, cors_config, cors_handler};
use lambda_http::lambda_runtime::streaming::{Body, channel};
use lambda_http::{Error, Request, Response};

static API_CORS: CorsConfig = cors_config!(origin = ["https://myapp.com"], credentials = true);

#[cors_handler(config = API_CORS, streaming)]
async fn shared(event: Request) -> Result<Response<Body>, Error> {
    let _ = event;
    let (_sender, body) = channel();
    Ok(Response::new(body))
}

#[cors_handler(origin = "https://myapp.com", streaming)]
async fn inline(event: Request) -> Result<Response<axum::body::Body>, std::io::Error> {
    let _ = event;
    Ok(Response::new(axum::body::Body::from("one piece")))
}

fn main() {
    let _ = lambda_http::run_with_streaming_response(lambda_http::service_fn(shared));
    let _ = lambda_http::run_with_streaming_response(lambda_http::service_fn(inline));
}
