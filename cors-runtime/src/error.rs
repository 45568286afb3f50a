//! Turning a handler's error, or its panic, into an HTTP response (which then gets the CORS
//! headers like any other).

use std::any::Any;
use std::borrow::Cow;
use std::fmt::{Debug, Display};

use http::header::CONTENT_TYPE;
use http::{HeaderValue, Response, StatusCode};
use lambda_http::Body;

const APPLICATION_JSON: HeaderValue = HeaderValue::from_static("application/json");
const INTERNAL_SERVER_ERROR_BODY: &str = r#"{"message":"Internal Server Error"}"#;

/// How an error type answers the client when a `#[cors_handler]` handler returns it.
///
/// Without an implementation, every error becomes `500 {"message":"Internal Server Error"}`. With
/// one, the type picks the status and the public message (or the whole response). Either way the
/// response gets the CORS headers and the error is logged (Display and Debug), never sent to the
/// client unless [`message`](ErrorResponse::message) says so.
///
/// ```
/// use cors_runtime::{ErrorResponse, StatusCode};
/// use std::borrow::Cow;
///
/// #[derive(Debug)]
/// enum ApiError {
///     NotFound(u32),
///     Database(String),
/// }
///
/// impl std::fmt::Display for ApiError {
///     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
///         match self {
///             ApiError::NotFound(id) => write!(f, "item {id} not found"),
///             ApiError::Database(e) => write!(f, "database: {e}"),
///         }
///     }
/// }
///
/// impl ErrorResponse for ApiError {
///     fn status(&self) -> StatusCode {
///         match self {
///             ApiError::NotFound(_) => StatusCode::NOT_FOUND,
///             ApiError::Database(_) => StatusCode::SERVICE_UNAVAILABLE,
///         }
///     }
///
///     fn message(&self) -> Cow<'static, str> {
///         match self {
///             ApiError::NotFound(id) => format!("no item {id}").into(),
///             // The database's text stays in the logs.
///             ApiError::Database(_) => "try again later".into(),
///         }
///     }
/// }
///
/// let response = ApiError::NotFound(7).error_response();
/// assert_eq!(response.status(), 404);
/// assert_eq!(response.headers()["content-type"], "application/json");
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not choose an HTTP error response",
    label = "implement `cors_runtime::ErrorResponse` for `{Self}` (an empty `impl` keeps the 500 default)"
)]
pub trait ErrorResponse {
    /// The status of the response (default: `500 Internal Server Error`).
    fn status(&self) -> StatusCode {
        StatusCode::INTERNAL_SERVER_ERROR
    }

    /// The public message, sent as `{"message": ...}` (default: the status's reason phrase, so
    /// that nothing of the error's own text reaches the client).
    fn message(&self) -> Cow<'static, str> {
        Cow::Borrowed(self.status().canonical_reason().unwrap_or("Error"))
    }

    /// The whole response; override it for another body or extra headers.
    fn error_response(&self) -> Response<Body> {
        json_message(self.status(), &self.message())
    }
}

/// `lambda_http::Error` (a boxed error) answers the default `500`.
impl ErrorResponse for lambda_http::Error {
    fn error_response(&self) -> Response<Body> {
        internal_server_error()
    }
}

/// A JSON response `{"message": message}` with `status`.
///
/// ```
/// let response = cors_runtime::json_message(cors_runtime::StatusCode::CONFLICT, "already \"taken\"");
/// assert_eq!(response.status(), 409);
/// # let lambda_http::Body::Text(body) = response.body() else { panic!() };
/// assert_eq!(body, r#"{"message":"already \"taken\""}"#);
/// ```
pub fn json_message(status: StatusCode, message: &str) -> Response<Body> {
    let escaped = serde_json::to_string(message).expect("a string always serializes");
    json_response(status, Body::Text(format!(r#"{{"message":{escaped}}}"#)))
}

fn json_response<B>(status: StatusCode, body: B) -> Response<B> {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, APPLICATION_JSON);
    response
}

/// `500 {"message":"Internal Server Error"}`: what an error without [`ErrorResponse`], a panic, or
/// an unusable configuration answers, in any body type that takes a `&'static str`.
pub(crate) fn internal_server_error<B: From<&'static str>>() -> Response<B> {
    json_response(
        StatusCode::INTERNAL_SERVER_ERROR,
        B::from(INTERNAL_SERVER_ERROR_BODY),
    )
}

/// The default answer to a handler's error: logged, then `500 {"message":"Internal Server Error"}`.
pub(crate) fn default_error_response<E, B>(error: &E) -> Response<B>
where
    E: Display + Debug + ?Sized,
    B: From<&'static str>,
{
    let response = internal_server_error();
    log_error(error, &response);
    response
}

/// The answer an [`ErrorResponse`] chooses, logged.
pub(crate) fn typed_error_response<E: ErrorResponse + Display + Debug + ?Sized>(
    error: &E,
) -> Response<Body> {
    let response = error.error_response();
    log_error(error, &response);
    response
}

/// Logs an error a handler returned, with its Display and Debug text, at the level the status of
/// its answer calls for: `error!` for a 5xx, `warn!` otherwise.
fn log_error<E: Display + Debug + ?Sized, B>(error: &E, response: &Response<B>) {
    log_failure(
        error,
        response.status().as_u16(),
        "handler returned an error",
    );
}

/// Logs `error` (Display and Debug) with `what` happened, at the level `status` calls for.
pub(crate) fn log_failure<E: Display + Debug + ?Sized>(error: &E, status: u16, what: &str) {
    if status >= 500 {
        tracing::error!(error = %error, error.debug = ?error, status, "{what}");
    } else {
        tracing::warn!(error = %error, error.debug = ?error, status, "{what}");
    }
}

/// `403 {"message":"Forbidden"}`: a write the cross-origin write guard refused.
pub(crate) fn forbidden<B: From<&'static str>>() -> Response<B> {
    json_response(StatusCode::FORBIDDEN, B::from(r#"{"message":"Forbidden"}"#))
}

/// Logs a handler's panic and answers `500`.
pub(crate) fn panic_response<B: From<&'static str>>(payload: Box<dyn Any + Send>) -> Response<B> {
    tracing::error!(
        panic = crate::panic::panic_message(&*payload),
        status = 500u16,
        "handler panicked"
    );
    crate::error::internal_server_error()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_responses_keep_the_error_text_out() {
        #[derive(Debug)]
        struct Boom;
        impl std::fmt::Display for Boom {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("secret")
            }
        }
        impl ErrorResponse for Boom {}
        let response = Boom.error_response();
        assert_eq!(response.status(), 500);
        let Body::Text(text) = response.body() else {
            panic!("a text body")
        };
        assert_eq!(text, r#"{"message":"Internal Server Error"}"#);
        let boxed: lambda_http::Error = "secret".into();
        let Body::Text(text) = boxed.error_response().into_body() else {
            panic!("a text body")
        };
        assert!(!text.contains("secret"));
        let Body::Text(text) =
            default_error_response::<_, Body>(&std::io::Error::other("secret")).into_body()
        else {
            panic!("a text body")
        };
        assert!(!text.contains("secret"));
    }
}
