//! An error type that chooses its own HTTP response: `404` and `409` with a public message,
//! `503` without one; the error's own text goes to the logs only.
//!
//! ```sh
//! cargo lambda watch --disable-cors   # then:
//! curl -i -H 'Origin: https://myapp.com' http://localhost:9000/lambda-url/typed-errors/items/7
//! ```
use std::borrow::Cow;
use std::fmt;

use cors_runtime::{ErrorResponse, StatusCode, cors_handler};
use lambda_http::{Error, Request, run, service_fn};

/// What can go wrong when looking up an item.
#[derive(Debug)]
pub enum ApiError {
    /// No item has this id.
    NotFound(String),
    /// The id is taken.
    Conflict(String),
    /// The store failed; its message is for the logs only.
    Store(String),
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::NotFound(id) => write!(f, "item {id} not found"),
            ApiError::Conflict(id) => write!(f, "item {id} already exists"),
            ApiError::Store(detail) => write!(f, "store failure: {detail}"),
        }
    }
}

impl std::error::Error for ApiError {}

impl ErrorResponse for ApiError {
    fn status(&self) -> StatusCode {
        match self {
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::Store(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    fn message(&self) -> Cow<'static, str> {
        match self {
            ApiError::Store(_) => "the store is unavailable, try again later".into(),
            public => public.to_string().into(),
        }
    }
}

/// `GET /items/{id}`: ids 1 to 9 exist, `0` conflicts, `500` fails in the store.
#[cors_handler(origin = "https://myapp.com", expose_headers = ["x-item-id"])]
async fn handler(event: Request) -> Result<(StatusCode, String), ApiError> {
    let id = event
        .uri()
        .path()
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_owned();
    match id.as_str() {
        "0" => Err(ApiError::Conflict(id)),
        "500" => Err(ApiError::Store(
            "connection reset by peer (10.0.3.7:5432)".into(),
        )),
        "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" => {
            Ok((StatusCode::OK, format!("{{\"id\":{id}}}")))
        }
        _ => Err(ApiError::NotFound(id)),
    }
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    tracing_subscriber::fmt().json().without_time().init();
    run(service_fn(handler)).await
}
