//! The same handler under `#[cors_handler]`, once per configuration: with the keys inline, and
//! naming a `static` policy made by `cors_config!` with the same keys ([`shared`]).

use cors_runtime::cors_handler;
use lambda_http::{Body, Error, Request, Response};

use crate::app;

/// `origin = "https://myapp.com"`.
#[cors_handler(origin = "https://myapp.com")]
pub async fn single(request: Request) -> Result<Response<Body>, Error> {
    app(request).await
}

/// Two origins, credentials.
#[cors_handler(origin = ["https://myapp.com", "https://staging.myapp.com"], credentials = true)]
pub async fn list2(request: Request) -> Result<Response<Body>, Error> {
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

/// The same four, each naming a shared `static` policy (`#[cors_handler(config = ...)]`).
pub mod shared {
    use cors_runtime::{CorsConfig, cors_config, cors_handler};
    use lambda_http::{Body, Error, Request, Response};

    use crate::app;

    /// `origin = "https://myapp.com"`.
    pub static SINGLE: CorsConfig = cors_config!(origin = "https://myapp.com");
    /// Two origins, credentials.
    pub static LIST2: CorsConfig = cors_config!(
        origin = ["https://myapp.com", "https://staging.myapp.com"],
        credentials = true,
    );
    /// Three origins, credentials, a max age.
    pub static LIST: CorsConfig = cors_config!(
        origin = [
            "https://myapp.com",
            "https://staging.myapp.com",
            "http://localhost:5173"
        ],
        credentials = true,
        max_age = 600,
    );
    /// A subdomain wildcard.
    pub static WILDCARD: CorsConfig = cors_config!(origin = "https://*.myapp.com");
    /// Any origin.
    pub static ANY: CorsConfig = cors_config!(origin = "*");

    /// [`SINGLE`].
    #[cors_handler(config = SINGLE)]
    pub async fn single(request: Request) -> Result<Response<Body>, Error> {
        app(request).await
    }

    /// [`LIST2`].
    #[cors_handler(config = LIST2)]
    pub async fn list2(request: Request) -> Result<Response<Body>, Error> {
        app(request).await
    }

    /// [`LIST`].
    #[cors_handler(config = LIST)]
    pub async fn list(request: Request) -> Result<Response<Body>, Error> {
        app(request).await
    }

    /// [`WILDCARD`].
    #[cors_handler(config = WILDCARD)]
    pub async fn wildcard(request: Request) -> Result<Response<Body>, Error> {
        app(request).await
    }

    /// [`ANY`].
    #[cors_handler(config = ANY)]
    pub async fn any(request: Request) -> Result<Response<Body>, Error> {
        app(request).await
    }
}
