//! Every origin form a front end has, through the attribute and `cors_config!`, with checks in
//! code, synchronous and `async`.
use cors_runtime::{CorsConfig, cors_config, cors_handler};
use lambda_http::{Body, Error, Request, Response};

pub static PREVIEWS: CorsConfig = cors_config!(
    origin = [
        "https://myapp.com",
        "https://pr-*.preview.myapp.com",
        "https://feature-*.myapp.com",
        "https://*.myapp.co.uk",
        "http://localhost:*",
        "http://127.0.0.1:*",
        "http://[::1]:*",
    ],
    credentials = true,
);

pub static APPS: CorsConfig = cors_config!(origin = [
    "capacitor://localhost",
    "ionic://localhost",
    "tauri://localhost",
    "chrome-extension://cciilamhchpmbdnniabclekddabkifhb",
    "moz-extension://c0b8a9f2-5d1e-4c3b-9a7f-1e2d3c4b5a69",
    "safari-web-extension://140BB581-A2C0-422A-9DD3-6982A5ABEE5E",
]);

pub static TENANTS: CorsConfig = cors_config!(
    origin = "https://myapp.com",
    origin_fn = async crate::tenants::allowed,
    credentials = true,
);

mod tenants {
    pub async fn allowed(origin: &str) -> Result<bool, std::io::Error> {
        Ok(origin.ends_with(".tenant.example"))
    }

    pub fn known(origin: &str) -> bool {
        origin == "https://acme.example"
    }
}

#[cors_handler(config = PREVIEWS)]
async fn previews(event: Request) -> Result<Response<Body>, Error> {
    let _ = event;
    Ok(Response::new(Body::Empty))
}

#[cors_handler(origin_fn = tenants::known)]
async fn by_check(event: Request) -> Result<Response<Body>, Error> {
    let _ = event;
    Ok(Response::new(Body::Empty))
}

#[cors_handler(config = TENANTS)]
async fn by_async_check(event: Request) -> Result<Response<Body>, Error> {
    let _ = event;
    Ok(Response::new(Body::Empty))
}

fn main() {
    let _ = lambda_http::service_fn(previews);
    let _ = lambda_http::service_fn(by_check);
    let _ = lambda_http::service_fn(by_async_check);
    assert!(APPS.origins().len() == 6);
}
