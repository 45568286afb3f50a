use cors_runtime::cors_handler;
use lambda_http::{Body, Error, Request, Response};

#[cors_handler(origin = ["capacitor://localhost:8080", "capacitor://*.localhost", "CAPACITOR://localhost", "ionic://LocalHost"])]
async fn handler(event: Request) -> Result<Response<Body>, Error> {
    let _ = event;
    Ok(Response::new(Body::Empty))
}

fn main() {}
