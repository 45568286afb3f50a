//! How the handler's `Ok` value and its `Err` become a response, chosen at the handler's concrete
//! types by method resolution ("autoref specialization"): what generic code cannot do, the
//! expansion of `#[cors_handler]` can, because it calls these at the types the handler names.

use std::fmt::{Debug, Display};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use lambda_http::{Body, IntoResponse};

use crate::ErrorResponse;

/// The response type of every rewritten handler.
pub type Response = http::Response<Body>;

// The handler's `Ok` value: a `Response<B>` is used as it is (no boxed future); anything else goes
// through `lambda_http::IntoResponse`. Method resolution picks the first that applies ("autoref
// specialization"), which works because the expansion calls it at the handler's concrete type.

/// Tag for `Ok` values that are already a `Response`.
pub struct DirectTag;
/// Tag for other `Ok` values.
pub struct ConvertTag;

/// Picks [`DirectTag`] for a `Response<B>`.
pub trait DirectKind {
    #[inline]
    fn __cors_response_kind(&self) -> DirectTag {
        DirectTag
    }
}
impl<B: Into<Body>> DirectKind for http::Response<B> {}

/// Picks [`ConvertTag`] for anything `IntoResponse`.
pub trait ConvertKind {
    #[inline]
    fn __cors_response_kind(&self) -> ConvertTag {
        ConvertTag
    }
}
impl<T: ?Sized> ConvertKind for &T {}

/// An `Ok` value turned into a response: at once (`Ready`), or through `IntoResponse`'s future.
///
/// A `Response` takes the `Ready` arm, and its `Future` arm (of the uninhabited [`NoFuture`]) is
/// dead code: no `.await`, so the response is not moved into and out of the handler's future.
pub enum Converted<F> {
    Ready(Response),
    /// The future that makes it.
    Future(F),
}

/// The future a `Response` never needs.
pub enum NoFuture {}

impl Future for NoFuture {
    type Output = Response;

    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Response> {
        match *self.get_mut() {}
    }
}

impl DirectTag {
    /// The response itself.
    #[inline]
    pub fn into_response<B: Into<Body>>(self, response: http::Response<B>) -> Converted<NoFuture> {
        Converted::Ready(response.map(Into::into))
    }
}

impl ConvertTag {
    /// `IntoResponse::into_response`.
    #[inline]
    pub fn into_response<T: IntoResponse>(
        self,
        value: T,
    ) -> Converted<impl Future<Output = Response> + Send> {
        Converted::Future(value.into_response())
    }
}

// The handler's `Err` value: its own `ErrorResponse` if it has one, the default 500 otherwise.

/// Tag for errors that implement [`ErrorResponse`].
pub struct TypedErrorTag;
/// Tag for every other error.
pub struct DefaultErrorTag;

/// Picks [`TypedErrorTag`].
pub trait TypedErrorKind {
    #[inline]
    fn __cors_error_kind(&self) -> TypedErrorTag {
        TypedErrorTag
    }
}
impl<E: ErrorResponse + ?Sized> TypedErrorKind for E {}

/// Picks [`DefaultErrorTag`].
pub trait DefaultErrorKind {
    #[inline]
    fn __cors_error_kind(&self) -> DefaultErrorTag {
        DefaultErrorTag
    }
}
impl<E: ?Sized> DefaultErrorKind for &E {}

/// What every handler error must be: loggable.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the error type of a `#[cors_handler]` handler",
    label = "the handler's error type must implement `Display` and `Debug`",
    note = "errors are logged with their Display and Debug text; implement both (or use `lambda_http::Error`)"
)]
pub trait HandlerError: Display + Debug {}
impl<E: Display + Debug + ?Sized> HandlerError for E {}

impl TypedErrorTag {
    /// The error's own response, logged.
    #[inline]
    pub fn error_response<E: ErrorResponse + Display + Debug + ?Sized>(
        self,
        error: &E,
    ) -> Response {
        crate::error::typed_error_response(error)
    }
}

impl DefaultErrorTag {
    /// The default 500, logged.
    #[inline]
    pub fn error_response<E: HandlerError + ?Sized>(self, error: &E) -> Response {
        crate::error::default_error_response(error)
    }
}
