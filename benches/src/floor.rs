//! The floor: the least code that gives a browser what the policy says on the happy path, and
//! nothing of the attribute's guarantees. Match `Origin` against the list, insert
//! `Access-Control-Allow-Origin` (and `-Credentials`), append `Vary: Origin`; answer a preflight
//! with the static lists. No panic is caught, a handler's own CORS headers stay, a `Vary` of its
//! own becomes a second `Vary` (which HTTP APIs and function URLs drop), an `Err` becomes a bare
//! `500`. What the attribute costs above this is the price of its guarantees.

use std::convert::Infallible;
use std::future::Future;

use http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_MAX_AGE, ACCESS_CONTROL_REQUEST_METHOD,
    CONTENT_TYPE, ORIGIN, VARY,
};
use http::{HeaderValue, Method, StatusCode};
use lambda_http::{Body, Error, Request, Response};

use crate::Config;

const SINGLE: HeaderValue = HeaderValue::from_static("https://myapp.com");
const LIST2: [HeaderValue; 2] = [
    HeaderValue::from_static("https://myapp.com"),
    HeaderValue::from_static("https://staging.myapp.com"),
];
const LIST3: [HeaderValue; 3] = [
    HeaderValue::from_static("https://myapp.com"),
    HeaderValue::from_static("https://staging.myapp.com"),
    HeaderValue::from_static("http://localhost:5173"),
];
const ANY: HeaderValue = HeaderValue::from_static("*");
const TRUE: HeaderValue = HeaderValue::from_static("true");
const VARY_ORIGIN: HeaderValue = HeaderValue::from_static("Origin");
const MAX_AGE: HeaderValue = HeaderValue::from_static("600");
const METHODS: HeaderValue = HeaderValue::from_static("DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT");
const HEADERS: HeaderValue = HeaderValue::from_static(
    "Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token",
);
const APPLICATION_JSON: HeaderValue = HeaderValue::from_static("application/json");
const INTERNAL_SERVER_ERROR: &str = r#"{"message":"Internal Server Error"}"#;
const FORBIDDEN: &str = r#"{"message":"Forbidden"}"#;
const SEC_FETCH_SITE: http::HeaderName = http::HeaderName::from_static("sec-fetch-site");

/// The floor for `config`.
pub async fn cors<F, Fut>(
    config: Config,
    request: Request,
    handler: F,
) -> Result<Response<Body>, Infallible>
where
    F: FnOnce(Request) -> Fut,
    Fut: Future<Output = Result<Response<Body>, Error>>,
{
    let origin = request.headers().get(ORIGIN);
    let (granted, credentials, varies) = match config {
        Config::Single => (Some(SINGLE), false, false),
        Config::Any => (Some(ANY), false, false),
        Config::List2 => (find(&LIST2, origin), true, true),
        Config::List3 => (find(&LIST3, origin), true, true),
        Config::Wildcard => (
            origin
                .filter(|origin| crate::hand::matches_wildcard(origin.as_bytes()))
                .cloned(),
            false,
            true,
        ),
    };
    // The least guard: a credentialed policy refuses a write that another site sent (its Fetch
    // metadata, or an `Origin` without it) from an origin it does not grant.
    let write = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if credentials && write && granted.is_none() {
        let foreign = match request.headers().get(SEC_FETCH_SITE) {
            Some(site) => site != "same-origin" && site != "none",
            None => request.headers().contains_key(ORIGIN),
        };
        if foreign {
            let mut response = Response::new(Body::Text(FORBIDDEN.to_owned()));
            *response.status_mut() = StatusCode::FORBIDDEN;
            return Ok(response);
        }
    }
    if request.method() == Method::OPTIONS
        && request
            .headers()
            .contains_key(ACCESS_CONTROL_REQUEST_METHOD)
    {
        let mut response = Response::new(Body::Empty);
        *response.status_mut() = StatusCode::NO_CONTENT;
        let headers = response.headers_mut();
        if let Some(origin) = granted {
            headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            if credentials {
                headers.insert(ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
            }
            headers.insert(ACCESS_CONTROL_ALLOW_METHODS, METHODS);
            headers.insert(ACCESS_CONTROL_ALLOW_HEADERS, HEADERS);
            if config == Config::List3 {
                headers.insert(ACCESS_CONTROL_MAX_AGE, MAX_AGE);
            }
        }
        headers.append(VARY, VARY_ORIGIN);
        return Ok(response);
    }
    let mut response = match handler(request).await {
        Ok(response) => response,
        // The same `500` as the attribute's, unlogged.
        Err(_) => {
            let mut response = Response::new(Body::Text(INTERNAL_SERVER_ERROR.to_owned()));
            *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            response
                .headers_mut()
                .insert(CONTENT_TYPE, APPLICATION_JSON);
            response
        }
    };
    let headers = response.headers_mut();
    if let Some(origin) = granted {
        headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        if credentials {
            headers.insert(ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
        }
    }
    if varies {
        headers.append(VARY, VARY_ORIGIN);
    }
    Ok(response)
}

fn find(list: &[HeaderValue], origin: Option<&HeaderValue>) -> Option<HeaderValue> {
    let origin = origin?;
    list.iter()
        .find(|allowed| allowed.as_bytes() == origin.as_bytes())
        .cloned()
}
