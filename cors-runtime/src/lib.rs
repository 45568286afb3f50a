//! CORS for AWS Lambda HTTP handlers, correct on every return path.
//!
//! A browser blocks every cross-origin response that lacks the right CORS headers, error
//! responses included. With the Lambda proxy integration the function itself must add them to
//! every response, answer `OPTIONS` preflights, and keep them when it fails. One attribute does all
//! three:
//!
//! ```no_run
//! use cors_runtime::cors_handler;
//! use lambda_http::{run, service_fn, Body, Error, Request, Response};
//!
//! #[cors_handler(origin = "https://myapp.com")]
//! async fn handler(event: Request) -> Result<Response<Body>, Error> {
//!     // The path's last segment: `/42`, or `/prod/42` behind a REST API's stage.
//!     let id = event.uri().path().rsplit('/').next().unwrap_or_default();
//!     let id: u32 = id.parse()?; // Err: still has CORS
//!     if id == 0 {
//!         return Ok(Response::builder().status(404).body("no such item".into())?);
//!     }
//!     Ok(Response::new(format!("item {id}").into()))
//! }
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Error> {
//!     lambda_http::tracing::init_default_subscriber(); // errors, panics and refusals are logged
//!     run(service_fn(handler)).await
//! }
//! ```
//!
//! The log lines reach CloudWatch Logs on Lambda and the terminal of `cargo lambda watch`
//! (run it with `--disable-cors`, or cargo-lambda adds CORS headers of its own); without a
//! `tracing` subscriber nothing is logged.
//!
//! - [`cors_config!`]: a named, `'static` policy validated at compile time, shared by every
//!   handler of a workspace through `#[cors_handler(config = ...)]`.
//! - [`cors_handler`]: the attribute, with its own keys or `config = PATH`; see its
//!   documentation for every key.
//! - [`CorsLayer`]: the same policy as a tower layer, for an axum `Router` handed to
//!   `lambda_http::run`, with the same guarantees.
//! - [`StreamBody`]: the body of a streamed handler (`#[cors_handler(..., streaming)]`, under
//!   `lambda_http::run_with_streaming_response`).
//! - [`ErrorResponse`]: lets an error type choose its HTTP response.
//! - [`CorsEvent`]: the typed events of `aws_lambda_events` the attribute also takes, for
//!   `lambda_runtime` handlers without `lambda_http` (`LambdaEvent<ApiGatewayProxyRequest>`, ...).
//! - [`CorsConfig`]: the policy; [`CorsConfig::builder`] makes one at run time with the same
//!   rules (a check in code included: [`CorsConfigBuilder::allow_origin_fn`]),
//!   [`CorsConfig::handle`] is the whole wrapper as a function, and
//!   [`CorsConfig::preflight_response`], [`CorsConfig::grant`] and [`CorsConfig::apply`] are its
//!   parts, for code that does not use the attribute.
//!
//! Origins: exact (`https://myapp.com`, `capacitor://localhost`, `chrome-extension://<id>`), `*`,
//! subdomains (`https://*.myapp.com`), a label's part (`https://pr-*.preview.myapp.com`), any port
//! of a loopback host (`http://localhost:*`), from the environment (`origin_env`), and a check in
//! code (`origin_fn`). A wildcard must stay inside a registrable domain (the Public Suffix List).
//!
//! A policy with credentials also refuses writes from origins it does not grant
//! ([`Csrf`]): CORS alone only hides the response of a forged form `POST`, it does not stop it.
//! Every refusal is logged at `warn`, once, with the near miss that explains it.
//!
//! What the function cannot answer itself (throttling, timeouts, authorizers: API Gateway's own
//! responses) needs gateway responses with the same headers: the `cors-deploy` crate renders
//! them, and the HTTP API's and function URL's CORS settings, from the same policy, for
//! Terraform, SAM and the CDK (the repository's `docs/deploying.md`).
//!
//! Panics are caught inside the handler's future: build with `panic = "unwind"` (the default),
//! not `panic = "abort"`.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

// The modules form a one-way stack, listed here bottom layer first: each uses only modules
// this map lists before it (`tests/module_layers.rs` checks it).
//
// - data and small rules: `panic` (a future's panic caught), `problem` (`ConfigError`),
//   `error` (`ErrorResponse`, the 500s), `check` (`origin_fn`), `lists` (origin, method and
//   header lists), `env` (`origin_env`), `config` (`CorsConfig`, the policy as data),
//   `literal` (a policy built at compile time), `view` (typed read-only views);
// - decisions, per request: `origin` (what a request's origin is granted), `guard` (whether a
//   write may reach the handler: `csrf`), `hint` (a refused origin's near miss), `report`
//   (refusals in the log, once each; the `metrics` counters), `headers` (writing them, merging
//   `Vary`), `preflight` (recognising and answering preflights);
// - the request flow: `wrapper` (before and after a handler), `dispatch` (a handler's `Ok` and
//   `Err` as responses), `stream` (`StreamBody`), `event` (typed events: their wire formats,
//   `EventFlow`);
// - entry points: `handle` (`CorsConfig::handle` and its parts), `builder`, `layer`
//   (`CorsLayer`), `__private` (what the macros' expansions name).
mod builder;
// What the expansions name through `__private` is hidden, and documented where it helps the
// maintainer, not to satisfy `missing_docs`.
#[allow(missing_docs)]
mod check;
mod config;
#[allow(missing_docs)]
mod dispatch;
mod env;
mod error;
mod event;
mod guard;
mod handle;
mod headers;
mod hint;
pub mod layer;
mod lists;
#[allow(missing_docs)]
mod literal;
mod origin;
mod panic;
mod preflight;
mod problem;
mod report;
mod stream;
mod view;
#[allow(missing_docs)]
mod wrapper;

#[doc(hidden)]
#[allow(missing_docs)]
#[path = "private.rs"]
pub mod __private;

pub use builder::CorsConfigBuilder;
pub use config::{CorsConfig, Csrf};
pub use error::{ErrorResponse, json_message};
pub use event::{CorsEvent, EventResponse};
pub use http::{Response, StatusCode};
pub use layer::CorsLayer;
pub use origin::Grant;
pub use problem::{ConfigError, ConfigProblem};
pub use stream::StreamBody;
pub use view::{AllowedNames, AllowedOrigins, Names, OriginEntry};

/// Makes a `lambda_http` handler's CORS behaviour complete: the headers on every return path
/// (tail, `return`, `?`, `Err`, panic), preflights answered, errors turned into HTTP responses.
///
/// In a project of several functions, define the policy once with [`cors_config!`] and name it
/// in every handler:
///
/// ```no_run
/// // src/cors.rs, declared by `mod cors;` in src/main.rs (from src/bin/*.rs: `pub mod cors;` in
/// // src/lib.rs and `my_api::cors::API_CORS`, as the README shows)
/// mod cors {
///     use cors_runtime::{cors_config, CorsConfig};
///
///     pub static API_CORS: CorsConfig = cors_config!(
///         origin = ["https://myapp.com", "https://admin.myapp.com"],
///         credentials = true,
///         expose_headers = ["x-request-id"],
///         max_age = 600,
///     );
/// }
///
/// use cors_runtime::cors_handler;
/// use lambda_http::{Body, Error, Request, Response};
///
/// #[cors_handler(config = crate::cors::API_CORS)]
/// async fn get_item(event: Request) -> Result<Response<Body>, Error> {
///     Ok(Response::new(Body::from("item")))
/// }
/// # fn main() {}
/// ```
///
/// `config = PATH` names any `static CorsConfig` (this module, another module, another crate of
/// the workspace) and behaves exactly as the same keys written inline. It stands alone: the
/// policy's keys are set where it is defined. A function with a policy of its own writes the keys
/// in the attribute:
///
/// ```no_run
/// use cors_runtime::cors_handler;
/// use lambda_http::{Body, Error, Request, Response};
///
/// #[cors_handler(
///     origin = ["https://myapp.com", "https://*.preview.myapp.com"],
///     methods = ["GET", "PUT"],
///     headers = ["content-type", "authorization"],
///     expose_headers = ["x-request-id"],
///     credentials = true,
///     max_age = 600,
/// )]
/// pub async fn handler(event: Request) -> Result<Response<Body>, Error> {
///     Ok(Response::new(Body::from("hello")))
/// }
/// ```
///
/// | key | value | default |
/// | --- | --- | --- |
/// | `config` | the path of a `static CorsConfig` (alone: no other key but `streaming`) | |
/// | `origin` | `"https://myapp.com"`, a list, `"*"`, `"https://*.myapp.com"`, `"https://pr-*.preview.myapp.com"`, `"http://localhost:*"`, an app's or extension's origin | required (or `origin_env`) |
/// | `origin_env` | name of a variable holding comma-separated origins, read once per cold start, on first use | |
/// | `origin_fn` | `path` to `fn(&str) -> bool` (or `Result<bool, E>`), or `async path`; asked about origins the lists do not allow; an `Err` or panic grants nothing | none |
/// | `methods` | list of methods, or `["*"]` | `DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT` |
/// | `headers` | list of request headers, or `["*"]` (answered `*,Authorization`) | `Content-Type, X-Amz-Date, Authorization, X-Api-Key, X-Amz-Security-Token` |
/// | `expose_headers` | list of response headers the page may read | none |
/// | `credentials` | `true` / `false` | `false` |
/// | `max_age` | seconds a preflight answer may be cached | no header |
/// | `preflight` | `false` passes preflights to the handler | `true` |
/// | `front_door` | `true`: the HTTP API or function URL answers preflights and writes the headers; the function writes none | `false` |
/// | `csrf` | `"block"`, `"report"` or `"off"`: a write from an origin the policy does not grant is refused `403` before the handler, logged, or let through ([`Csrf`]) | `"block"` with credentials, else `"off"` |
/// | `streaming` | a flag (no value): the body is streamed, the response a `Response<StreamBody<B>>` | |
///
/// Every preflight is answered `204` without running the handler: from an allowed origin with the
/// grant and the policy's lists (the browser compares them), from another origin with no grant.
///
/// The handler is an `async fn` with a parameter of type `Request` (among others, if it likes)
/// returning `Result<R, E>`, `R: lambda_http::IntoResponse`, `E: Display + Debug` (or, for a
/// `lambda_runtime` handler of a typed event, `LambdaEvent<Req>` returning `Result<Resp, E>`:
/// see [`CorsEvent`]). It keeps its
/// name, visibility, attributes and parameters; its return type becomes
/// `Result<Response<Body>, Infallible>`, since every error is now an HTTP response. An error
/// type that implements [`ErrorResponse`] chooses that response; every other error answers
/// `500 {"message":"Internal Server Error"}`. Errors and panics are logged with
/// `tracing::error!`, never sent to the client.
///
/// Every value is checked at compile time, and a mistake is an error on the offending literal:
///
/// ```compile_fail
/// #[cors_runtime::cors_handler(origin = "https://myapp.com/")] // origin must not end with `/`
/// async fn handler(event: lambda_http::Request) -> Result<&'static str, lambda_http::Error> {
///     Ok("hi")
/// }
/// ```
#[doc(inline)]
pub use cors_macros::cors_handler;

/// A named CORS policy, validated at compile time: the keys, defaults and diagnostics of
/// [`cors_handler`], as a `const`-evaluable [`CorsConfig`] for a `static` that every handler of a
/// workspace shares through `#[cors_handler(config = ...)]`.
///
/// ```
/// use cors_runtime::{cors_config, CorsConfig};
///
/// pub static API_CORS: CorsConfig = cors_config!(
///     origin = ["https://myapp.com", "https://admin.myapp.com"],
///     credentials = true,
///     expose_headers = ["x-request-id"],
///     max_age = 600,
/// );
///
/// pub static PUBLIC_CORS: CorsConfig = cors_config!(origin = "*");
/// pub static ENV_CORS: CorsConfig = cors_config!(origin_env = "ALLOWED_ORIGINS", credentials = true);
///
/// assert!(API_CORS.allows_credentials());
/// assert_eq!(PUBLIC_CORS.origins(), ["*"]);
/// assert_eq!(ENV_CORS.origin_env(), Some("ALLOWED_ORIGINS"));
/// ```
///
/// Every header value is built when the crate compiles. A policy with `origin_env` reads and
/// validates its variable once per cold start, on its first use, with the rules of `origin`; every
/// handler naming the policy sees the same result (while the variable is unusable, each request
/// is answered `500` and logged).
///
/// A mistake is a compile error on the offending literal, exactly as in the attribute:
///
/// ```compile_fail
/// static CORS: cors_runtime::CorsConfig = cors_runtime::cors_config!(origin = "https://*.com");
/// ```
#[doc(inline)]
pub use cors_macros::cors_config;
