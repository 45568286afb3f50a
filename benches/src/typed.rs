//! Typed events: a `lambda_runtime` handler of `ApiGatewayProxyRequest` (a REST API's event, both
//! header maps filled as API Gateway sends them), with CORS written by hand ([`floor`]) and with
//! `#[cors_handler]` ([`annotated`]), on the list-of-three policy (`Config::List3`): three
//! origins, credentials, a max age.
//!
//! The floor reads `Origin` from `headers` and writes the grant into the response's `headers`;
//! nothing else: no panic caught, a `Vary` of the handler's own left beside its own, an `Err` a bare
//! `500`, `multiValueHeaders` never read (a test event with `Origin` only there is refused, two
//! `Origin`s look like the last). What the attribute costs above it is the price of those.

use std::convert::Infallible;

use http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_MAX_AGE, ACCESS_CONTROL_REQUEST_METHOD,
    CONTENT_TYPE, ORIGIN, VARY,
};
use http::{HeaderMap, HeaderValue, Method};
use lambda_http::Error;
use lambda_http::aws_lambda_events::apigw::{ApiGatewayProxyRequest, ApiGatewayProxyResponse};
use lambda_http::aws_lambda_events::encodings::Body;
use lambda_http::lambda_runtime::{Context, LambdaEvent};

use crate::Case;

const LIST3: [HeaderValue; 3] = [
    HeaderValue::from_static("https://myapp.com"),
    HeaderValue::from_static("https://staging.myapp.com"),
    HeaderValue::from_static("http://localhost:5173"),
];
const TRUE: HeaderValue = HeaderValue::from_static("true");
const VARY_ORIGIN: HeaderValue = HeaderValue::from_static("Origin");
const MAX_AGE: HeaderValue = HeaderValue::from_static("600");
const METHODS: HeaderValue = HeaderValue::from_static("DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT");
const HEADERS: HeaderValue = HeaderValue::from_static(
    "Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token",
);
const TEXT_PLAIN: HeaderValue = HeaderValue::from_static("text/plain; charset=utf-8");
const APPLICATION_JSON: HeaderValue = HeaderValue::from_static("application/json");
const INTERNAL_SERVER_ERROR: &str = r#"{"message":"Internal Server Error"}"#;

/// The cases the typed variants answer (all with `Config::List3`).
pub const CASES: [Case; 4] = [Case::List, Case::Disallowed, Case::Preflight, Case::Error];

/// The ways of adding CORS to the typed handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypedVariant {
    /// The typed handler alone.
    Bare,
    /// Hand-written CORS.
    Floor,
    /// `#[cors_handler]`.
    Macro,
}

impl TypedVariant {
    /// Every variant.
    pub const ALL: [TypedVariant; 3] =
        [TypedVariant::Bare, TypedVariant::Floor, TypedVariant::Macro];

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            TypedVariant::Bare => "typed-bare",
            TypedVariant::Floor => "typed-floor",
            TypedVariant::Macro => "typed-macro",
        }
    }

    /// The variant called `name`.
    pub fn from_name(name: &str) -> Option<TypedVariant> {
        TypedVariant::ALL.into_iter().find(|v| v.name() == name)
    }
}

/// The REST API event of `case`: [`Case::request`]'s method, path and headers, each header in
/// `headers` and in `multiValueHeaders`, as API Gateway sends them.
pub fn event(case: Case) -> LambdaEvent<ApiGatewayProxyRequest> {
    let (parts, _) = case.request().into_parts();
    let mut request = ApiGatewayProxyRequest::default();
    request.http_method = parts.method;
    request.path = Some(parts.uri.path().to_owned());
    let mut single = HeaderMap::new();
    for (name, value) in &parts.headers {
        single.insert(name.clone(), value.clone());
    }
    request.headers = single;
    request.multi_value_headers = parts.headers;
    LambdaEvent::new(request, Context::default())
}

/// The handler every typed variant wraps: `app`'s answers, in the REST API's response type.
pub async fn app(
    event: LambdaEvent<ApiGatewayProxyRequest>,
) -> Result<ApiGatewayProxyResponse, Error> {
    if event.payload.path.as_deref() == Some("/fail") {
        return Err("the database is down".into());
    }
    let mut response = ApiGatewayProxyResponse::default();
    response.status_code = 200;
    response.headers.insert(CONTENT_TYPE, TEXT_PLAIN);
    response.body = Some(Body::from("hello"));
    Ok(response)
}

/// Hand-written CORS for the list of three.
pub async fn floor(
    event: LambdaEvent<ApiGatewayProxyRequest>,
) -> Result<ApiGatewayProxyResponse, Infallible> {
    let headers = &event.payload.headers;
    let granted = headers.get(ORIGIN).and_then(|origin| {
        LIST3
            .iter()
            .find(|allowed| allowed.as_bytes() == origin.as_bytes())
            .cloned()
    });
    if event.payload.http_method == Method::OPTIONS
        && headers.contains_key(ACCESS_CONTROL_REQUEST_METHOD)
    {
        let mut response = ApiGatewayProxyResponse::default();
        response.status_code = 204;
        let headers = &mut response.headers;
        if let Some(origin) = granted {
            headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            headers.insert(ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
            headers.insert(ACCESS_CONTROL_ALLOW_METHODS, METHODS);
            headers.insert(ACCESS_CONTROL_ALLOW_HEADERS, HEADERS);
            headers.insert(ACCESS_CONTROL_MAX_AGE, MAX_AGE);
        }
        headers.append(VARY, VARY_ORIGIN);
        return Ok(response);
    }
    let mut response = match app(event).await {
        Ok(response) => response,
        Err(_) => {
            let mut response = ApiGatewayProxyResponse::default();
            response.status_code = 500;
            response.headers.insert(CONTENT_TYPE, APPLICATION_JSON);
            response.body = Some(Body::from(INTERNAL_SERVER_ERROR));
            response
        }
    };
    let headers = &mut response.headers;
    if let Some(origin) = granted {
        headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        headers.insert(ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
    }
    headers.append(VARY, VARY_ORIGIN);
    Ok(response)
}

/// The same handler under `#[cors_handler]`, the list of three.
#[cors_runtime::cors_handler(
    origin = ["https://myapp.com", "https://staging.myapp.com", "http://localhost:5173"],
    credentials = true,
    max_age = 600,
)]
pub async fn annotated(
    event: LambdaEvent<ApiGatewayProxyRequest>,
) -> Result<ApiGatewayProxyResponse, Error> {
    app(event).await
}

/// Answers `event` (made by [`event`]) with `variant`. The bare handler's `Err` is returned as it
/// is.
#[inline]
pub fn run(
    variant: TypedVariant,
    event: LambdaEvent<ApiGatewayProxyRequest>,
) -> Result<ApiGatewayProxyResponse, Error> {
    match variant {
        TypedVariant::Bare => crate::block_on(app(event)),
        TypedVariant::Floor => Ok(crate::infallible(crate::block_on(floor(event)))),
        TypedVariant::Macro => Ok(crate::infallible(crate::block_on(annotated(event)))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The floor and the attribute answer every case alike (the attribute's `Vary` on a
    /// preflight names the request headers too).
    #[test]
    fn the_floor_and_the_attribute_agree() {
        for case in CASES {
            let floor = run(TypedVariant::Floor, event(case)).unwrap();
            let annotated = run(TypedVariant::Macro, event(case)).unwrap();
            assert_eq!(floor.status_code, annotated.status_code, "{case:?}");
            assert_eq!(floor.body, annotated.body, "{case:?}");
            for name in [
                ACCESS_CONTROL_ALLOW_ORIGIN,
                ACCESS_CONTROL_ALLOW_CREDENTIALS,
            ] {
                assert_eq!(
                    floor.headers.get(&name),
                    annotated.headers.get(&name),
                    "{case:?} {name}"
                );
            }
        }
        let granted = run(TypedVariant::Macro, event(Case::List)).unwrap();
        assert_eq!(
            granted.headers[ACCESS_CONTROL_ALLOW_ORIGIN],
            "http://localhost:5173"
        );
    }
}
