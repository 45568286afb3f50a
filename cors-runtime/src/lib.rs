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
//!     let id: u32 = event.uri().path().trim_start_matches('/').parse()?; // Err: still has CORS
//!     if id == 0 {
//!         return Ok(Response::builder().status(404).body("no such item".into())?);
//!     }
//!     Ok(Response::new(format!("item {id}").into()))
//! }
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Error> {
//!     run(service_fn(handler)).await
//! }
//! ```
//!
//! - [`cors_handler`]: the attribute. Its configuration is validated at compile time and becomes
//!   `'static` data; see its documentation for every key.
//! - [`ErrorResponse`]: lets an error type choose its HTTP response.
//! - [`CorsConfig`]: the same configuration built at run time, with [`CorsConfig::handle`] (the
//!   whole wrapper) and its parts ([`CorsConfig::preflight_response`], [`CorsConfig::grant`],
//!   [`CorsConfig::apply`]) for code that does not use the attribute.
//!
//! Panics are caught inside the handler's future: build with `panic = "unwind"` (the default),
//! not `panic = "abort"`.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod config;
mod env;
mod error;
mod gateway;
mod headers;
mod origin;
mod panic;
mod preflight;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

use std::fmt::{Debug, Display};
use std::future::Future;
use std::ops::ControlFlow;

use lambda_http::{Body, IntoResponse, Request};

pub use config::{ConfigError, CorsConfig, CorsConfigBuilder};
pub use error::{ErrorResponse, internal_server_error, json_message};
pub use gateway::{GatewayResponseError, GatewayResponses};
pub use http::{Response, StatusCode};
pub use origin::Grant;
pub use panic::catch_panic;
pub use preflight::is_preflight;

/// Makes a `lambda_http` handler's CORS behaviour complete: the headers on every return path
/// (tail, `return`, `?`, `Err`, panic), preflights answered, errors turned into HTTP responses.
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
/// | `origin` | `"https://myapp.com"`, a list, `"*"`, or `"https://*.myapp.com"` | required (or `origin_env`) |
/// | `origin_env` | name of a variable holding comma-separated origins, read once per cold start | |
/// | `methods` | list of methods, or `["*"]` | `DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT` |
/// | `headers` | list of request headers, or `["*"]` | `Content-Type, X-Amz-Date, Authorization, X-Api-Key, X-Amz-Security-Token` |
/// | `expose_headers` | list of response headers the page may read | none |
/// | `credentials` | `true` / `false` | `false` |
/// | `max_age` | seconds a preflight answer may be cached | no header |
/// | `preflight` | `false` passes preflights to the handler | `true` |
///
/// The handler is an `async fn` with a parameter of type `Request` (among others, if it likes)
/// returning `Result<R, E>`, `R: lambda_http::IntoResponse`, `E: Display + Debug`. It keeps its
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

impl CorsConfig {
    /// The wrapper `#[cors_handler]` generates, as a function: answers a preflight without
    /// calling `handler`, or calls it, turns its error or panic into a response, and applies the
    /// CORS headers.
    ///
    /// Errors must implement [`ErrorResponse`] here (an empty `impl` keeps the default `500`);
    /// `lambda_http::Error` does.
    ///
    /// ```
    /// use cors_runtime::CorsConfig;
    /// use lambda_http::{http::Request, Body, Error, Response};
    /// use std::sync::LazyLock;
    ///
    /// static CORS: LazyLock<CorsConfig> = LazyLock::new(|| {
    ///     CorsConfig::builder().allow_origin("https://myapp.com").build().unwrap()
    /// });
    ///
    /// async fn handler(_: lambda_http::Request) -> Result<Response<Body>, Error> {
    ///     Err("database down".into())
    /// }
    ///
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let request = Request::builder().header("origin", "https://myapp.com").body(Body::Empty).unwrap();
    /// let response = CORS.handle(request, handler).await;
    /// assert_eq!(response.status(), 500);
    /// assert_eq!(response.headers()["access-control-allow-origin"], "https://myapp.com");
    /// # });
    /// ```
    pub async fn handle<F, Fut, R, E>(&self, request: Request, handler: F) -> Response<Body>
    where
        F: FnOnce(Request) -> Fut,
        Fut: Future<Output = Result<R, E>>,
        R: IntoResponse,
        E: ErrorResponse + Display + Debug,
    {
        let grant = match self.begin(&request) {
            ControlFlow::Break(preflight) => return preflight,
            ControlFlow::Continue(grant) => grant,
        };
        let mut response = match catch_panic(handler(request)).await {
            Ok(Ok(value)) => value.into_response().await,
            Ok(Err(error)) => __private::TypedErrorTag.error_response(&error),
            Err(payload) => error::panic_response(payload),
        };
        self.apply(grant, &mut response);
        response
    }

    /// What happens before a handler runs: `Break(response)` answers a preflight (when the
    /// configuration answers preflights), `Continue(grant)` lets the handler run and holds what its
    /// response will be granted.
    pub fn begin<B>(&self, request: &http::Request<B>) -> ControlFlow<Response<Body>, Grant<'_>> {
        if self.preflight
            && let Some(response) = self.preflight_response(request)
        {
            return ControlFlow::Break(response);
        }
        ControlFlow::Continue(self.grant(request))
    }

    /// Decides what the response to `request` is granted: the `Access-Control-Allow-Origin` it
    /// gets, if any. Take it before the handler consumes the request; spend it with
    /// [`apply`](Self::apply).
    pub fn grant<B>(&self, request: &http::Request<B>) -> Grant<'_> {
        Grant {
            origin: self.grant_origin(request.headers(), false),
            preflight: is_preflight(request),
        }
    }
}

#[cfg(test)]
mod tests;
