//! The CORS policies of every function of the API, defined once, validated when this crate
//! compiles, and named by each handler with `#[cors_handler(config = ...)]`.

use cors_runtime::{CorsConfig, cors_config};

/// The single-page app and its admin console: credentials (the session cookie), the request id
/// readable by the page, preflights cached for ten minutes.
pub static API_CORS: CorsConfig = cors_config!(
    origin = ["https://myapp.com", "https://admin.myapp.com"],
    methods = ["GET", "PUT", "DELETE"],
    headers = ["content-type", "x-request-id"],
    expose_headers = ["x-request-id"],
    credentials = true,
    max_age = 600,
);

/// Partners' sites, which change per deployment: listed in `PARTNER_ORIGINS` (comma-separated),
/// read and validated once per cold start, on first use, and shared by every handler naming it.
pub static PARTNER_CORS: CorsConfig =
    cors_config!(origin_env = "PARTNER_ORIGINS", credentials = true);
