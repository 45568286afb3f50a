//! What the expansions of `#[cors_handler]` and `cors_config!` name, by absolute path. Not public
//! API: it changes with `cors-macros`, which is pinned to this crate's exact version.
//!
//! Wiring only: every decision lives in an ordinary, tested function of this crate, re-exported
//! or called from here.

pub use core::convert::Infallible;
pub use http::{self, HeaderValue};
pub use lambda_http::{Body, Request};

pub use crate::check::{IntoVerdict, Verdict, origin_text, pending, ready, verdict};
pub use crate::config::Csrf;
pub use crate::dispatch::{
    ConvertKind, ConvertTag, Converted, DefaultErrorKind, DefaultErrorTag, DirectKind, DirectTag,
    HandlerError, NoFuture, Response, TypedErrorKind, TypedErrorTag,
};
pub use crate::literal::Spec;
pub use crate::panic::catch_panic;
pub use crate::wrapper::{Answer, Asking, Start};

use crate::{CorsConfig, Grant};

/// Before the body: answers a preflight (or an unusable `origin_env` policy), decides what the
/// response will be granted, or says which `async` check to await first
/// ([`Asking::finish`]). `R` is the response body: `Body`, or a streamed handler's `StreamBody`.
#[inline]
pub fn begin(config: &CorsConfig, request: &Request) -> Start {
    crate::wrapper::begin(config, request)
}

/// [`begin`] for a request that is not an `http::Request`: a typed event's method and headers
/// (`aws_lambda_events`), the `Origin` read from whichever header map carries it.
#[inline]
pub fn begin_parts(config: &CorsConfig, method: &http::Method, headers: &http::HeaderMap) -> Start {
    crate::wrapper::begin_parts(config, method, headers)
}

/// [`finish`] for a response that is not an `http::Response`: the grant written onto the header
/// map the typed response is answered in.
#[inline]
pub fn finish_headers(config: &CorsConfig, grant: Grant, headers: &mut http::HeaderMap) {
    crate::headers::apply(config, grant, headers);
}

/// After the body: writes the grant onto the response, in place (the response is not moved
/// through this call).
#[inline]
pub fn finish<R>(config: &CorsConfig, grant: Grant, response: &mut http::Response<R>) {
    crate::wrapper::finish(config, grant, response);
}

/// Before a typed handler (`LambdaEvent<Q>` returning `Result<S, E>`): the flow's start from the
/// event's method and headers, and how its response is made. An event type that is not a
/// [`CorsEvent`](crate::CorsEvent), or an `S` that is not its response, is an error here (spanned
/// by the expansion on the event type, or on the response type), and nowhere else.
#[inline]
pub fn begin_event<Q: crate::CorsEvent, S: crate::EventResponse<Q>>(
    config: &CorsConfig,
    event: &Q,
) -> (Start, crate::event::Reply<S>) {
    crate::event::begin(config, event)
}

pub use crate::event::EventFlow;

/// The answer to a panic.
#[inline]
pub fn panic_response<R: From<&'static str>>(
    payload: Box<dyn std::any::Any + Send>,
) -> http::Response<R> {
    crate::error::panic_response(payload)
}

/// A streamed handler's answer to its error, made buffered by the error's own means.
#[inline]
pub fn stream_error<B>(response: Response) -> http::Response<crate::StreamBody<B>> {
    response.map(crate::StreamBody::from)
}

/// A streamed handler's response.
#[inline]
pub fn stream_response<B>(response: http::Response<B>) -> http::Response<crate::StreamBody<B>> {
    response.map(crate::StreamBody::stream)
}

/// What `#[cors_handler(config = PATH)]` may name: a `static CorsConfig`.
#[diagnostic::on_unimplemented(
    message = "`config` must name a `static CorsConfig`, not `{Self}`",
    label = "not a `CorsConfig`",
    note = "define the policy once, as in `pub static API_CORS: CorsConfig = cors_config!(origin = \"https://myapp.com\");`, and name it: `#[cors_handler(config = crate::cors::API_CORS)]`"
)]
pub trait Policy {
    fn policy(&'static self) -> &'static CorsConfig;
}

impl Policy for CorsConfig {
    #[inline]
    fn policy(&'static self) -> &'static CorsConfig {
        self
    }
}

/// The policy `#[cors_handler(config = PATH)]` names; its type error points at `PATH`.
#[inline]
pub fn policy<P: Policy + ?Sized>(config: &'static P) -> &'static CorsConfig {
    config.policy()
}

/// For the fuzz targets and the property tests, which check the preflight's list matching
/// against reference models; not for users (a preflight's answer is
/// [`CorsConfig::preflight_response`]). Only with the `testing` feature, which they enable.
#[cfg(any(test, feature = "testing"))]
pub mod testing {
    pub use crate::preflight::{method_allowed, request_headers_allowed};
}
