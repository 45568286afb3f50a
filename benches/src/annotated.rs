//! The same handler under `#[cors_handler]`, once per configuration.

use cors_runtime::cors_handler;
use lambda_http::{Body, Error, Request, Response};

use crate::app;

/// `origin = "https://myapp.com"`.
#[cors_handler(origin = "https://myapp.com")]
pub async fn single(request: Request) -> Result<Response<Body>, Error> {
    app(request).await
}

/// Three origins, credentials, a max age.
#[cors_handler(
    origin = ["https://myapp.com", "https://staging.myapp.com", "http://localhost:5173"],
    credentials = true,
    max_age = 600,
)]
pub async fn list(request: Request) -> Result<Response<Body>, Error> {
    app(request).await
}

/// A subdomain wildcard.
#[cors_handler(origin = "https://*.myapp.com")]
pub async fn wildcard(request: Request) -> Result<Response<Body>, Error> {
    app(request).await
}

/// Any origin.
#[cors_handler(origin = "*")]
pub async fn any(request: Request) -> Result<Response<Body>, Error> {
    app(request).await
}
