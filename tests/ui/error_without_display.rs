use cors_runtime::cors_handler;
use lambda_http::{Body, Error, Request, Response};

#[derive(Debug)]
struct Opaque;

#[cors_handler(origin = "https://myapp.com")]
async fn handler(event: Request) -> Result<Response<Body>, Opaque> {
    let _ = event;
    Err(Opaque)
}

fn main() {
    let _ = std::marker::PhantomData::<Error>;
}
