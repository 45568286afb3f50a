use cors_runtime::cors_handler;
use lambda_http::{Body, Error, Request, Response};

// An `async fn` named without `async`: the check's type is refused where it is named.
#[cors_handler(origin_fn = crate::tenants::allowed)]
async fn handler(event: Request) -> Result<Response<Body>, Error> {
    let _ = event;
    Ok(Response::new(Body::Empty))
}

mod tenants {
    pub async fn allowed(origin: &str) -> Result<bool, std::io::Error> {
        Ok(origin.ends_with(".tenant.example"))
    }
}

fn main() {}
