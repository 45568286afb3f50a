//! Typed events: `#[cors_handler]` on a `lambda_runtime` handler of an `aws_lambda_events`
//! request, `async fn(event: LambdaEvent<Req>) -> Result<Resp, E>`.
//!
//! The request flow is the one of `lambda_http` handlers ([`begin_parts`](crate::wrapper) and
//! [`apply`](crate::headers::apply)); what this module adds is each event's wire format: where the
//! request's method and headers are, and which of the response's header maps the integration reads.
//!
//! - A REST API event carries every header in `multiValueHeaders` and the last value of each in
//!   `headers`; a test event may carry only one of them. The decision reads `multiValueHeaders`
//!   (two `Origin`s stay two), plus any name only `headers` has.
//! - An ALB target group with multi-value headers on sends `multiValueHeaders` and reads only the
//!   response's `multiValueHeaders`; with them off, `headers` both ways. The CORS headers are
//!   written into the map the load balancer reads, never into both.
//! - `headers` of every response type is serialized with one value per name (the first): a
//!   response answered there gets each CORS header once and `Vary` as one value.

use std::borrow::Cow;
use std::convert::Infallible;
use std::future::Future;
use std::ops::ControlFlow;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use aws_lambda_events::alb::{AlbTargetGroupRequest, AlbTargetGroupResponse};
use aws_lambda_events::apigw::{
    ApiGatewayProxyRequest, ApiGatewayProxyResponse, ApiGatewayV2httpRequest,
    ApiGatewayV2httpResponse,
};
use aws_lambda_events::lambda_function_urls::{
    LambdaFunctionUrlRequest, LambdaFunctionUrlResponse,
};
use http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE, ORIGIN,
    SET_COOKIE, VARY,
};
use http::{HeaderMap, HeaderName, HeaderValue, Method};
use lambda_http::Body;

use crate::check::PendingVerdict;
use crate::config::CorsConfig;
use crate::origin::Grant;
use crate::wrapper::{Answer, Concluding, Start};

mod sealed {
    pub trait Sealed {}
}

/// A request type of `aws_lambda_events` that `#[cors_handler]` takes as
/// `LambdaEvent<Self>`, with the response type its integration expects.
///
/// | integration | request | [`Response`](CorsEvent::Response) |
/// | --- | --- | --- |
/// | API Gateway REST API (proxy) | `ApiGatewayProxyRequest` | `ApiGatewayProxyResponse` |
/// | API Gateway HTTP API (payload 2.0) | `ApiGatewayV2httpRequest` | `ApiGatewayV2httpResponse` |
/// | ALB target group | `AlbTargetGroupRequest` | `AlbTargetGroupResponse` |
/// | Lambda function URL | `LambdaFunctionUrlRequest` | `LambdaFunctionUrlResponse` |
///
/// Sealed: the attribute knows each format's wire traps (REST APIs' `multiValueHeaders`, ALB's
/// multi-value mode), and no other type can be added.
///
/// ```no_run
/// use aws_lambda_events::apigw::{ApiGatewayProxyRequest, ApiGatewayProxyResponse};
/// use cors_runtime::cors_handler;
/// use lambda_runtime::{Error, LambdaEvent, run, service_fn};
///
/// #[cors_handler(origin = "https://myapp.com", credentials = true)]
/// async fn handler(
///     event: LambdaEvent<ApiGatewayProxyRequest>,
/// ) -> Result<ApiGatewayProxyResponse, Error> {
///     let name = event.payload.path_parameters.get("name").ok_or("no name")?; // Err: a 500 with CORS
///     let mut response = ApiGatewayProxyResponse::default();
///     response.status_code = 200;
///     response.body = Some(format!("hello {name}").into());
///     Ok(response)
/// }
///
/// #[tokio::main]
/// async fn main() -> Result<(), Error> {
///     run(service_fn(handler)).await
/// }
/// ```
///
/// The rewritten handler's future outputs `Result<Resp, Infallible>`: every error and panic is a
/// response, with the grant, in the event's own type. (A handler whose parameters borrow nothing
/// becomes a `fn` returning `impl Future`: its body's future then holds the event, in one place.)
///
/// ```
/// use aws_lambda_events::lambda_function_urls::{LambdaFunctionUrlRequest, LambdaFunctionUrlResponse};
/// use cors_runtime::cors_handler;
/// use lambda_runtime::{Context, Error, LambdaEvent};
///
/// #[cors_handler(origin = ["https://myapp.com", "https://admin.myapp.com"])]
/// async fn handler(
///     event: LambdaEvent<LambdaFunctionUrlRequest>,
/// ) -> Result<LambdaFunctionUrlResponse, Error> {
///     let _ = event;
///     Err("the database is down".into())
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let mut request = LambdaFunctionUrlRequest::default();
/// request.request_context.http.method = Some("GET".to_owned());
/// request.headers.insert("origin", "https://admin.myapp.com".parse().unwrap());
/// let Ok(response) = handler(LambdaEvent::new(request, Context::default())).await;
/// assert_eq!(response.status_code, 500);
/// assert_eq!(response.body.as_deref(), Some(r#"{"message":"Internal Server Error"}"#));
/// assert_eq!(response.headers["access-control-allow-origin"], "https://admin.myapp.com");
/// assert_eq!(response.headers["vary"], "Origin");
/// # }
/// ```
#[diagnostic::on_unimplemented(
    message = "`#[cors_handler]` does not handle `{Self}` events",
    label = "not an HTTP event of `aws_lambda_events` that `#[cors_handler]` handles",
    note = "the supported events, each with the response it returns: `ApiGatewayProxyRequest` -> `ApiGatewayProxyResponse` (REST API), `ApiGatewayV2httpRequest` -> `ApiGatewayV2httpResponse` (HTTP API), `AlbTargetGroupRequest` -> `AlbTargetGroupResponse` (ALB), `LambdaFunctionUrlRequest` -> `LambdaFunctionUrlResponse` (function URL)",
    note = "a `lambda_http` handler takes `event: Request` instead"
)]
pub trait CorsEvent: sealed::Sealed {
    /// The response type of the event's integration.
    type Response: EventResponse<Self>;

    /// The request's method.
    #[doc(hidden)]
    fn cors_method(&self) -> Method;

    /// The request's headers, as the decision reads them: one map with every value of every name.
    #[doc(hidden)]
    fn cors_headers(&self) -> Cow<'_, HeaderMap>;

    /// Which of the response's header maps the integration reads.
    #[doc(hidden)]
    fn cors_fields(&self) -> Fields;
}

/// The response type of the request `Q`'s integration (see [`CorsEvent`]): what a
/// `#[cors_handler]` handler of `LambdaEvent<Q>` returns. A preflight's answer, an error's and a
/// panic's are made in this type too, and the grant is written into the header map the
/// integration reads. Sealed, implemented for the four pairs of [`CorsEvent`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not the response to `{Q}` events",
    label = "the response type of this handler",
    note = "each event has its own response type: `ApiGatewayProxyRequest` -> `ApiGatewayProxyResponse` (REST API), `ApiGatewayV2httpRequest` -> `ApiGatewayV2httpResponse` (HTTP API), `AlbTargetGroupRequest` -> `AlbTargetGroupResponse` (ALB), `LambdaFunctionUrlRequest` -> `LambdaFunctionUrlResponse` (function URL)"
)]
pub trait EventResponse<Q: CorsEvent + ?Sized>: sealed::Sealed + Sized {
    /// A response made by the flow (a preflight's `204`, an error's or a panic's `500`, an
    /// [`ErrorResponse`](crate::ErrorResponse)), in this type.
    #[doc(hidden)]
    fn from_http(response: http::Response<Body>, fields: Fields) -> Self;

    /// The map the CORS headers are written into, after moving the handler's own `Vary` and
    /// `Access-Control-*` headers there from the other map.
    #[doc(hidden)]
    fn answer_map(&mut self, fields: Fields) -> &mut HeaderMap;
}

/// Which of a response's header maps the integration reads.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fields {
    /// `headers`, one value per name.
    Single,
    /// `multiValueHeaders` (an ALB target group with multi-value headers on).
    Multi,
}

/// What the expansion keeps of the request for its response: which map answers it, and how a
/// response of type `S` is made and granted, chosen where `S` was checked against the request type
/// (so that a wrong `S` is one error, there).
#[doc(hidden)]
pub struct Reply<S> {
    fields: Fields,
    made: fn(http::Response<Body>, Fields) -> S,
    granted: fn(&CorsConfig, Grant, Fields, &mut S),
}

impl<S> Reply<S> {
    /// A response the flow made without the handler (a preflight's `204`, an unusable
    /// configuration's `500`), in the event's response type.
    #[inline]
    pub fn answer(&self, response: http::Response<Body>) -> S {
        (self.made)(response, self.fields)
    }

    /// The answer to the handler's error or panic, with the grant, in the event's response type.
    #[inline]
    pub fn error(
        &self,
        config: &CorsConfig,
        grant: Grant,
        mut response: http::Response<Body>,
    ) -> S {
        crate::headers::apply(config, grant, response.headers_mut());
        (self.made)(response, self.fields)
    }

    /// The grant written onto the handler's own response, in place, in the map its integration
    /// reads.
    #[inline]
    pub fn grant(&self, config: &CorsConfig, grant: Grant, response: &mut S) {
        (self.granted)(config, grant, self.fields, response);
    }
}

pin_project_lite::pin_project! {
    /// A typed handler's future: the flow's answer without the body (a preflight, a refused
    /// write, an unusable configuration), or the body's response, error or panic with the grant,
    /// in the event's response type `S`.
    ///
    /// The body's future is stored once, here, and polled in place (a panic in a poll caught):
    /// a typed event is large (a REST API's is over a kilobyte), and nothing moves it again.
    #[doc(hidden)]
    #[must_use = "futures do nothing unless polled"]
    pub struct EventFlow<F, G, S> {
        config: &'static CorsConfig,
        reply: Reply<S>,
        step: Step,
        on_error: Option<G>,
        #[pin]
        body: F,
    }
}

/// Where an [`EventFlow`] is.
enum Step {
    /// Answered without the body.
    Answer(Option<Answer>),
    /// An `async` check's answer first.
    Ask(PendingVerdict, Option<Concluding>),
    /// The body runs; its response gets this grant.
    Run(Option<Grant>),
}

impl<F, G, S, E> EventFlow<F, G, S>
where
    F: Future<Output = Result<S, E>>,
    G: FnOnce(E) -> http::Response<Body>,
{
    /// The flow from its start: `body` is the handler's body, `on_error` the answer to its error
    /// (chosen by the expansion at the error's type: its `ErrorResponse`, or the logged `500`).
    #[inline]
    pub fn new(
        config: &'static CorsConfig,
        start: Start,
        reply: Reply<S>,
        body: F,
        on_error: G,
    ) -> Self {
        let step = match start {
            Start::Answer(answer) => Step::Answer(Some(answer)),
            Start::Run(grant) => Step::Run(Some(grant)),
            Start::Ask(asking) => {
                let (verdict, concluding) = asking.into_parts();
                Step::Ask(verdict, Some(concluding))
            }
        };
        EventFlow {
            config,
            reply,
            step,
            on_error: Some(on_error),
            body,
        }
    }
}

impl<F, G, S, E> Future for EventFlow<F, G, S>
where
    F: Future<Output = Result<S, E>>,
    G: FnOnce(E) -> http::Response<Body>,
{
    type Output = Result<S, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        const DONE: &str = "a typed handler's future polled after it completed";
        let mut this = self.project();
        let config: &CorsConfig = this.config;
        loop {
            match this.step {
                Step::Answer(answer) => {
                    let answer = answer.take().expect(DONE);
                    return Poll::Ready(Ok(this.reply.answer(answer.respond(config))));
                }
                Step::Ask(verdict, concluding) => {
                    let allowed = ready!(verdict.as_mut().poll(cx));
                    match concluding.take().expect(DONE).conclude(config, allowed) {
                        ControlFlow::Break(answer) => {
                            return Poll::Ready(Ok(this.reply.answer(answer)));
                        }
                        ControlFlow::Continue(grant) => *this.step = Step::Run(Some(grant)),
                    }
                }
                Step::Run(grant) => {
                    let body = this.body.as_mut();
                    let response = match catch_unwind(AssertUnwindSafe(|| body.poll(cx))) {
                        Ok(Poll::Pending) => return Poll::Pending,
                        Ok(Poll::Ready(Ok(mut response))) => {
                            this.reply
                                .grant(config, grant.take().expect(DONE), &mut response);
                            response
                        }
                        Ok(Poll::Ready(Err(error))) => {
                            let answer = (this.on_error.take().expect(DONE))(error);
                            this.reply.error(config, grant.take().expect(DONE), answer)
                        }
                        Err(payload) => this.reply.error(
                            config,
                            grant.take().expect(DONE),
                            crate::error::panic_response(payload),
                        ),
                    };
                    return Poll::Ready(Ok(response));
                }
            }
        }
    }
}

/// Before the handler: the flow's start from the event's method and headers, and what the response
/// must know of the request.
#[inline]
pub(crate) fn begin<Q: CorsEvent, S: EventResponse<Q>>(
    config: &CorsConfig,
    event: &Q,
) -> (Start, Reply<S>) {
    let headers = event.cors_headers();
    let start = crate::wrapper::begin_parts(config, &event.cors_method(), &headers);
    let reply = Reply {
        fields: event.cors_fields(),
        made: S::from_http,
        granted: granted::<Q, S>,
    };
    (start, reply)
}

/// The grant on a handler's response of type `S`.
fn granted<Q: CorsEvent, S: EventResponse<Q>>(
    config: &CorsConfig,
    grant: Grant,
    fields: Fields,
    response: &mut S,
) {
    let headers = response.answer_map(fields);
    crate::headers::apply(config, grant, headers);
    if !config.varies_on_origin() {
        // `apply` merged a repeated `Vary` of the handler's own only when it added `Origin`.
        join_repeated(headers, &VARY);
    }
}

/// The headers a REST API or ALB event's decision reads. API Gateway sends every header in both
/// maps, `multiValueHeaders` with every value; an ALB target group sends one of them. So:
/// `multi` when it is not empty, `single` when it is; both merged when `Origin` is only in
/// `single` (a hand-made test event).
fn both_maps<'a>(single: &'a HeaderMap, multi: &'a HeaderMap) -> Cow<'a, HeaderMap> {
    if multi.is_empty() {
        return Cow::Borrowed(single);
    }
    if multi.contains_key(ORIGIN) || !single.contains_key(ORIGIN) {
        return Cow::Borrowed(multi);
    }
    let mut merged = multi.clone();
    for name in single.keys() {
        if !multi.contains_key(name) {
            for value in single.get_all(name) {
                merged.append(name.clone(), value.clone());
            }
        }
    }
    Cow::Owned(merged)
}

/// The response headers a grant writes or removes, and `Vary`.
const CORS_RESPONSE_HEADERS: [HeaderName; 7] = [
    VARY,
    ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_ALLOW_CREDENTIALS,
    ACCESS_CONTROL_EXPOSE_HEADERS,
    ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_HEADERS,
    ACCESS_CONTROL_MAX_AGE,
];

/// The map `fields` names, after moving the handler's own CORS headers and `Vary` into it from the
/// other one: each is then written (or removed) once, in the map the integration reads (the grant
/// merges a repeated `Vary` into one value).
fn answer_in<'a>(
    fields: Fields,
    headers: &'a mut HeaderMap,
    multi_value_headers: &'a mut HeaderMap,
) -> &'a mut HeaderMap {
    let (answer, other) = match fields {
        Fields::Single => (headers, multi_value_headers),
        Fields::Multi => (multi_value_headers, headers),
    };
    if !other.is_empty() {
        for name in &CORS_RESPONSE_HEADERS {
            if let http::header::Entry::Occupied(entry) = other.entry(name) {
                let (name, values) = entry.remove_entry_mult();
                for value in values {
                    answer.append(name.clone(), value);
                }
            }
        }
    }
    answer
}

/// `name`'s values as one, joined with `, `, when it has several.
fn join_repeated(headers: &mut HeaderMap, name: &HeaderName) {
    let mut values = headers.get_all(name).iter();
    if values.next().is_none() || values.next().is_none() {
        return;
    }
    let mut joined = Vec::new();
    crate::headers::join_values(headers, name, &mut joined);
    let joined =
        HeaderValue::from_bytes(&joined).expect("header values joined with \", \" are a value");
    headers.insert(name.clone(), joined);
}

/// A response's headers as one value per name (`set-cookie` into `cookies` when the format has
/// them, else its first value kept), and `multi`: names with several values, for a format that
/// reads both maps (REST APIs), instead of joined.
fn split_headers(
    headers: HeaderMap,
    mut cookies: Option<&mut Vec<String>>,
    keep_repeated: bool,
) -> (HeaderMap, HeaderMap) {
    // Nearly always: one value per name, and no cookie to move.
    if headers.len() == headers.keys_len()
        && (cookies.is_none() || !headers.contains_key(SET_COOKIE))
    {
        return (headers, HeaderMap::new());
    }
    let mut single = HeaderMap::with_capacity(headers.keys_len());
    let mut multi = HeaderMap::new();
    let mut current: Option<HeaderName> = None;
    for (name, value) in headers {
        let name = match name {
            Some(name) => {
                current = Some(name.clone());
                name
            }
            None => current.clone().expect("a header map names its first value"),
        };
        if name == SET_COOKIE
            && let Some(cookies) = cookies.as_deref_mut()
        {
            cookies.push(String::from_utf8_lossy(value.as_bytes()).into_owned());
            continue;
        }
        if keep_repeated {
            multi.append(name, value);
        } else {
            single.append(name, value);
        }
    }
    if keep_repeated {
        // Names with one value answer in `headers`, the repeated ones in `multiValueHeaders`.
        let names: Vec<HeaderName> = multi.keys().cloned().collect();
        for name in names {
            let mut values = multi.get_all(&name).iter();
            if let (Some(first), None) = (values.next(), values.next()) {
                let first = first.clone();
                multi.remove(&name);
                single.insert(name, first);
            }
        }
    } else {
        let names: Vec<HeaderName> = single.keys().cloned().collect();
        for name in names {
            if name == SET_COOKIE {
                // A format without `cookies` and with one value per name keeps the first cookie.
                let first = single.get(&name).cloned();
                if let Some(first) = first {
                    single.insert(name, first);
                }
            } else {
                join_repeated(&mut single, &name);
            }
        }
    }
    (single, multi)
}

/// The body of an API Gateway or ALB response.
fn event_body(body: Body) -> (Option<Body>, bool) {
    match body {
        Body::Empty => (None, false),
        body @ Body::Text(_) => (Some(body), false),
        // Binary data, serialized as base64.
        body => (Some(body), true),
    }
}

/// The body of a function URL response: text, or binary as base64.
fn text_body(body: Body) -> (Option<String>, bool) {
    match body {
        Body::Empty => (None, false),
        Body::Text(text) => (Some(text), false),
        binary => {
            // `Body` serializes binary data as base64: the encoding every response type uses.
            match serde_json::to_value(&binary) {
                Ok(serde_json::Value::String(encoded)) => (Some(encoded), true),
                _ => (None, false),
            }
        }
    }
}

fn status_code(response: &http::Response<Body>) -> i64 {
    i64::from(response.status().as_u16())
}

// --- REST API ---

impl sealed::Sealed for ApiGatewayProxyRequest {}
impl sealed::Sealed for ApiGatewayProxyResponse {}

impl CorsEvent for ApiGatewayProxyRequest {
    type Response = ApiGatewayProxyResponse;

    #[inline]
    fn cors_method(&self) -> Method {
        self.http_method.clone()
    }

    #[inline]
    fn cors_headers(&self) -> Cow<'_, HeaderMap> {
        both_maps(&self.headers, &self.multi_value_headers)
    }

    #[inline]
    fn cors_fields(&self) -> Fields {
        Fields::Single
    }
}

impl EventResponse<ApiGatewayProxyRequest> for ApiGatewayProxyResponse {
    fn from_http(response: http::Response<Body>, _: Fields) -> Self {
        let status_code = status_code(&response);
        let (parts, body) = response.into_parts();
        let (headers, multi_value_headers) = split_headers(parts.headers, None, true);
        let (body, is_base64_encoded) = event_body(body);
        let mut event = ApiGatewayProxyResponse::default();
        event.status_code = status_code;
        event.headers = headers;
        event.multi_value_headers = multi_value_headers;
        event.body = body;
        event.is_base64_encoded = is_base64_encoded;
        event
    }

    #[inline]
    fn answer_map(&mut self, fields: Fields) -> &mut HeaderMap {
        answer_in(fields, &mut self.headers, &mut self.multi_value_headers)
    }
}

// --- HTTP API ---

impl sealed::Sealed for ApiGatewayV2httpRequest {}
impl sealed::Sealed for ApiGatewayV2httpResponse {}

impl CorsEvent for ApiGatewayV2httpRequest {
    type Response = ApiGatewayV2httpResponse;

    #[inline]
    fn cors_method(&self) -> Method {
        self.request_context.http.method.clone()
    }

    #[inline]
    fn cors_headers(&self) -> Cow<'_, HeaderMap> {
        Cow::Borrowed(&self.headers)
    }

    #[inline]
    fn cors_fields(&self) -> Fields {
        Fields::Single
    }
}

impl EventResponse<ApiGatewayV2httpRequest> for ApiGatewayV2httpResponse {
    fn from_http(response: http::Response<Body>, _: Fields) -> Self {
        let mut event = ApiGatewayV2httpResponse::default();
        event.status_code = status_code(&response);
        let (parts, body) = response.into_parts();
        (event.headers, _) = split_headers(parts.headers, Some(&mut event.cookies), false);
        (event.body, event.is_base64_encoded) = event_body(body);
        event
    }

    #[inline]
    fn answer_map(&mut self, fields: Fields) -> &mut HeaderMap {
        answer_in(fields, &mut self.headers, &mut self.multi_value_headers)
    }
}

// --- ALB ---

impl sealed::Sealed for AlbTargetGroupRequest {}
impl sealed::Sealed for AlbTargetGroupResponse {}

impl CorsEvent for AlbTargetGroupRequest {
    type Response = AlbTargetGroupResponse;

    #[inline]
    fn cors_method(&self) -> Method {
        self.http_method.clone()
    }

    #[inline]
    fn cors_headers(&self) -> Cow<'_, HeaderMap> {
        both_maps(&self.headers, &self.multi_value_headers)
    }

    /// A target group with multi-value headers on sends them (and reads the response's).
    #[inline]
    fn cors_fields(&self) -> Fields {
        if self.multi_value_headers.is_empty() {
            Fields::Single
        } else {
            Fields::Multi
        }
    }
}

impl EventResponse<AlbTargetGroupRequest> for AlbTargetGroupResponse {
    fn from_http(response: http::Response<Body>, fields: Fields) -> Self {
        let status = response.status();
        let mut event = AlbTargetGroupResponse::default();
        event.status_code = i64::from(status.as_u16());
        event.status_description = Some(format!(
            "{} {}",
            status.as_u16(),
            status.canonical_reason().unwrap_or("")
        ));
        let (parts, body) = response.into_parts();
        match fields {
            Fields::Single => (event.headers, _) = split_headers(parts.headers, None, false),
            Fields::Multi => event.multi_value_headers = parts.headers,
        }
        (event.body, event.is_base64_encoded) = event_body(body);
        event
    }

    #[inline]
    fn answer_map(&mut self, fields: Fields) -> &mut HeaderMap {
        answer_in(fields, &mut self.headers, &mut self.multi_value_headers)
    }
}

// --- function URL ---

impl sealed::Sealed for LambdaFunctionUrlRequest {}
impl sealed::Sealed for LambdaFunctionUrlResponse {}

impl CorsEvent for LambdaFunctionUrlRequest {
    type Response = LambdaFunctionUrlResponse;

    /// The event's method; an event without a valid one (never from AWS) is decided as a write,
    /// the strictest case: it is not a preflight, and not a safe method.
    #[inline]
    fn cors_method(&self) -> Method {
        self.request_context
            .http
            .method
            .as_deref()
            .and_then(|method| Method::from_bytes(method.as_bytes()).ok())
            .unwrap_or(Method::POST)
    }

    #[inline]
    fn cors_headers(&self) -> Cow<'_, HeaderMap> {
        Cow::Borrowed(&self.headers)
    }

    #[inline]
    fn cors_fields(&self) -> Fields {
        Fields::Single
    }
}

impl EventResponse<LambdaFunctionUrlRequest> for LambdaFunctionUrlResponse {
    fn from_http(response: http::Response<Body>, _: Fields) -> Self {
        let mut event = LambdaFunctionUrlResponse::default();
        event.status_code = status_code(&response);
        let (parts, body) = response.into_parts();
        (event.headers, _) = split_headers(parts.headers, Some(&mut event.cookies), false);
        (event.body, event.is_base64_encoded) = text_body(body);
        event
    }

    #[inline]
    fn answer_map(&mut self, _: Fields) -> &mut HeaderMap {
        // One map: nothing to move.
        &mut self.headers
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.append(*name, HeaderValue::from_static(value));
        }
        headers
    }

    fn values<'a>(headers: &'a HeaderMap, name: &str) -> Vec<&'a str> {
        headers
            .get_all(name)
            .iter()
            .map(|v| v.to_str().unwrap())
            .collect()
    }

    #[test]
    fn the_decision_reads_every_value_of_either_map() {
        let single = map(&[("origin", "https://b.com"), ("host", "api.com")]);
        let multi = map(&[
            ("origin", "https://a.com"),
            ("origin", "https://b.com"),
            ("host", "api.com"),
        ]);
        let read = both_maps(&single, &multi);
        assert!(matches!(read, Cow::Borrowed(_)));
        assert_eq!(values(&read, "origin"), ["https://a.com", "https://b.com"]);
        let only_multi = map(&[("origin", "https://a.com")]);
        assert_eq!(
            values(&both_maps(&HeaderMap::new(), &only_multi), "origin"),
            ["https://a.com"]
        );
        let only_single = map(&[("origin", "https://a.com")]);
        assert_eq!(
            values(&both_maps(&only_single, &HeaderMap::new()), "origin"),
            ["https://a.com"]
        );
        // A hand-made event with `Origin` in `headers` only, beside other multi-value headers.
        let host_only = map(&[("host", "api.com")]);
        let mixed = both_maps(&only_single, &host_only);
        assert!(matches!(mixed, Cow::Owned(_)));
        assert_eq!(values(&mixed, "origin"), ["https://a.com"]);
        assert_eq!(values(&mixed, "host"), ["api.com"]);
    }

    #[test]
    fn the_answering_map_gathers_the_handlers_own_headers() {
        let mut headers = map(&[("vary", "accept"), ("x-one", "1")]);
        let mut multi = map(&[
            ("vary", "accept-encoding"),
            ("access-control-allow-origin", "*"),
            ("x-two", "2"),
        ]);
        let answer = answer_in(Fields::Single, &mut headers, &mut multi);
        assert_eq!(values(answer, "vary"), ["accept", "accept-encoding"]);
        assert_eq!(values(answer, "access-control-allow-origin"), ["*"]);
        assert_eq!(values(&multi, "x-two"), ["2"]);
        assert!(!multi.contains_key("vary"));
        assert!(!multi.contains_key("access-control-allow-origin"));

        let mut headers = map(&[("vary", "accept"), ("x-one", "1")]);
        let mut multi = map(&[("vary", "accept-encoding")]);
        let answer = answer_in(Fields::Multi, &mut headers, &mut multi);
        assert_eq!(values(answer, "vary"), ["accept-encoding", "accept"]);
        assert!(!headers.contains_key("vary"));
        assert_eq!(values(&headers, "x-one"), ["1"]);
    }

    #[test]
    fn made_responses_keep_repeated_headers_where_the_format_reads_them() {
        let headers = map(&[
            ("content-type", "application/json"),
            ("x-list", "a"),
            ("x-list", "b"),
            ("set-cookie", "a=1"),
            ("set-cookie", "b=2"),
        ]);
        let (single, multi) = split_headers(headers.clone(), None, true);
        assert_eq!(values(&single, "content-type"), ["application/json"]);
        assert_eq!(values(&multi, "x-list"), ["a", "b"]);
        assert_eq!(values(&multi, "set-cookie"), ["a=1", "b=2"]);
        let mut cookies = Vec::new();
        let (single, multi) = split_headers(headers.clone(), Some(&mut cookies), false);
        assert!(multi.is_empty());
        assert_eq!(values(&single, "x-list"), ["a, b"]);
        assert!(!single.contains_key("set-cookie"));
        assert_eq!(cookies, ["a=1", "b=2"]);
        let (single, _) = split_headers(headers, None, false);
        assert_eq!(values(&single, "set-cookie"), ["a=1"]);
    }

    #[test]
    fn binary_bodies_are_base64() {
        assert_eq!(
            text_body(Body::Binary(vec![0, 1, 2])),
            (Some("AAEC".to_owned()), true)
        );
        assert_eq!(text_body(Body::Empty), (None, false));
        assert_eq!(
            event_body(Body::Binary(vec![0])),
            (Some(Body::Binary(vec![0])), true)
        );
    }
}
