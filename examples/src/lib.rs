//! What the example functions share: the CORS policies of the `orders` and `accounts` functions
//! ([`cors`]). In a workspace of Lambda functions this is the small crate (or module) every
//! function depends on, so that a policy change is one edit.
pub mod cors;

/// The request's path as the client sent it (a REST API's stage left out), without the function
/// URL prefix `cargo lambda watch` keeps (`/lambda-url/<function>`): the routes read the same
/// locally and behind every front door.
pub fn route(event: &lambda_http::Request, function: &str) -> String {
    use lambda_http::RequestExt;
    let path = event.raw_http_path();
    let prefix = format!("/lambda-url/{function}");
    let path = path.strip_prefix(&prefix).unwrap_or(path);
    if path.is_empty() {
        "/".to_owned()
    } else {
        path.to_owned()
    }
}

/// A JSON response with `status`.
pub fn json(
    status: u16,
    value: serde_json::Value,
) -> Result<lambda_http::Response<lambda_http::Body>, lambda_http::Error> {
    Ok(lambda_http::Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(value.to_string().into())?)
}
