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

/// The demo's policy, shared by `demo-api` (`#[cors_handler(config = ...)]`) and `axum-api`
/// (`CorsLayer`): origins from `DEMO_ALLOWED_ORIGINS`, so that the demo page may be served on any
/// port; three methods, two request headers, an exposed response header, credentials.
pub static DEMO_CORS: CorsConfig = cors_config!(
    origin_env = "DEMO_ALLOWED_ORIGINS",
    methods = ["GET", "POST", "PUT"],
    headers = ["content-type", "x-demo-token"],
    expose_headers = ["x-request-id"],
    credentials = true,
    max_age = 600,
);

/// `minimal`'s policy with the front door answering: an HTTP API's or a function URL's CORS
/// configuration, rendered from this policy by `cors-deploy` (the `front-door` function and the
/// front-door mode of `examples/deploy/*-http-api` and `*-function-url`), answers preflights and
/// writes the headers; the function writes none.
pub static FRONT_DOOR_CORS: CorsConfig =
    cors_config!(origin = "https://myapp.com", front_door = true);

/// The streamed answers' policy: the production site, and any port of a dev server on this
/// machine (`http://localhost:*`, `http://127.0.0.1:*`), so that the page works wherever the dev
/// server runs; a port wildcard is only ever allowed on a loopback host.
pub static STREAM_CORS: CorsConfig = cors_config!(
    origin = [
        "https://myapp.com",
        "http://localhost:*",
        "http://127.0.0.1:*"
    ],
    methods = ["GET", "POST"],
    credentials = true,
);
