//! The policy's entry points for code without the attribute: [`CorsConfig::handle`] (the whole
//! wrapper as a function) and its parts, [`CorsConfig::preflight_response`],
//! [`CorsConfig::grant`] and [`CorsConfig::apply`], and [`CorsConfig::lists_allow`]. The top of
//! the crate: each hands the work to the request flow below.

use std::fmt::{Debug, Display};
use std::future::Future;

use http::{HeaderValue, Request, Response};
use lambda_http::{Body, IntoResponse};

use crate::config::CorsConfig;
use crate::error::ErrorResponse;
use crate::origin::Grant;

impl CorsConfig {
    /// The wrapper `#[cors_handler]` generates, as a function: answers a preflight without
    /// calling `handler`, or calls it, turns its error or panic into a response, and applies the
    /// CORS headers.
    ///
    /// `handler`'s error is any `Display + Debug` type (`lambda_http::Error`, `anyhow::Error`,
    /// `std::io::Error`, ...): it is logged and answered with the default
    /// `500 {"message":"Internal Server Error"}`. For an error type that chooses its own response,
    /// use [`handle_typed`](Self::handle_typed).
    ///
    /// ```
    /// use cors_runtime::CorsConfig;
    /// use lambda_http::{http::Request, Body, Response};
    /// use std::sync::LazyLock;
    ///
    /// static CORS: LazyLock<CorsConfig> = LazyLock::new(|| {
    ///     CorsConfig::builder().allow_origin("https://myapp.com").build().unwrap()
    /// });
    ///
    /// async fn handler(_: lambda_http::Request) -> Result<Response<Body>, std::io::Error> {
    ///     Err(std::io::Error::other("database down"))
    /// }
    ///
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let request = Request::builder().header("origin", "https://myapp.com").body(Body::Empty).unwrap();
    /// let response = CORS.handle(request, handler).await;
    /// assert_eq!(response.status(), 500);
    /// assert_eq!(response.headers()["access-control-allow-origin"], "https://myapp.com");
    /// # });
    /// ```
    pub async fn handle<F, Fut, R, E>(
        &self,
        request: lambda_http::Request,
        handler: F,
    ) -> Response<Body>
    where
        F: FnOnce(lambda_http::Request) -> Fut,
        Fut: Future<Output = Result<R, E>>,
        R: IntoResponse,
        E: Display + Debug,
    {
        crate::wrapper::handle(self, request, handler, crate::error::default_error_response).await
    }

    /// [`handle`](Self::handle) for a handler whose error type implements [`ErrorResponse`]: the
    /// error's own response (logged) instead of the default `500`.
    ///
    /// ```
    /// use cors_runtime::{CorsConfig, ErrorResponse, StatusCode};
    /// use lambda_http::{http::Request, Body, Response};
    ///
    /// #[derive(Debug)]
    /// struct NotFound;
    /// impl std::fmt::Display for NotFound {
    ///     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    ///         f.write_str("no such item")
    ///     }
    /// }
    /// impl ErrorResponse for NotFound {
    ///     fn status(&self) -> StatusCode {
    ///         StatusCode::NOT_FOUND
    ///     }
    /// }
    ///
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let cors = CorsConfig::builder().allow_origin("https://myapp.com").build().unwrap();
    /// let request = Request::builder().header("origin", "https://myapp.com").body(Body::Empty).unwrap();
    /// let response = cors
    ///     .handle_typed(request, |_| async { Err::<Response<Body>, _>(NotFound) })
    ///     .await;
    /// assert_eq!(response.status(), 404);
    /// assert_eq!(response.headers()["access-control-allow-origin"], "https://myapp.com");
    /// # });
    /// ```
    pub async fn handle_typed<F, Fut, R, E>(
        &self,
        request: lambda_http::Request,
        handler: F,
    ) -> Response<Body>
    where
        F: FnOnce(lambda_http::Request) -> Fut,
        Fut: Future<Output = Result<R, E>>,
        R: IntoResponse,
        E: ErrorResponse + Display + Debug,
    {
        crate::wrapper::handle(self, request, handler, crate::error::typed_error_response).await
    }

    /// Answers a preflight request: `Some(response)` when `request` is one (`OPTIONS` with
    /// `Origin` and `Access-Control-Request-Method`), `None` for every other request, and for every
    /// request under a `front_door` policy (the front door answers its preflights).
    ///
    /// A preflight from an allowed origin gets `204 No Content` with `Access-Control-Allow-Origin`,
    /// the policy's `-Allow-Methods` and `-Allow-Headers`, `-Max-Age` and `-Allow-Credentials` as
    /// configured: the browser compares the lists with what it asked for, and its console names a
    /// method or header that is missing. A preflight from any other origin gets `204` and no grant.
    /// Both vary on the three request headers. This is what `#[cors_handler]` does before the
    /// handler runs.
    ///
    /// It is `async` for a policy whose `origin_fn` is: its check is awaited here.
    ///
    /// ```
    /// use cors_runtime::CorsConfig;
    /// use lambda_http::{http::Request, Body};
    ///
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let cors = CorsConfig::builder().allow_origin("https://myapp.com").build().unwrap();
    /// let preflight = Request::builder()
    ///     .method("OPTIONS")
    ///     .header("origin", "https://myapp.com")
    ///     .header("access-control-request-method", "PUT")
    ///     .header("access-control-request-headers", "content-type, x-api-key")
    ///     .body(Body::Empty)
    ///     .unwrap();
    /// let response = cors.preflight_response(&preflight).await.expect("a preflight");
    /// assert_eq!(response.status(), 204);
    /// assert_eq!(response.headers()["access-control-allow-origin"], "https://myapp.com");
    /// assert_eq!(response.headers()["access-control-allow-methods"], "DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT");
    /// # });
    /// ```
    pub async fn preflight_response<B>(&self, request: &Request<B>) -> Option<Response<Body>> {
        // The front door answers preflights: the function never sees one to answer.
        if self.front_door {
            return None;
        }
        match crate::preflight::start(self, request.method(), request.headers())? {
            crate::preflight::PreflightStart::Answer(granted) => {
                Some(crate::preflight::respond(self, granted))
            }
            crate::preflight::PreflightStart::Ask {
                verdict,
                origin,
                method,
                requested,
            } => match crate::wrapper::Asking::preflight(verdict, origin, method, requested)
                .finish(self)
                .await
            {
                std::ops::ControlFlow::Break(response) => Some(response),
                std::ops::ControlFlow::Continue(_) => None,
            },
        }
    }

    /// Decides what the response to `request` is granted: the `Access-Control-Allow-Origin` it
    /// gets, if any. Take it before the handler consumes the request; spend it with
    /// [`apply`](Self::apply).
    ///
    /// It is `async` for a policy whose `origin_fn` is: its check is awaited here.
    pub async fn grant<B>(&self, request: &Request<B>) -> Grant {
        let preflight = crate::preflight::is_preflight(request.method(), request.headers());
        match crate::origin::decide(self, request.headers(), false) {
            crate::origin::Decision::Granted(origin) => Grant { origin, preflight },
            crate::origin::Decision::Ask(verdict, origin) => Grant {
                origin: match verdict.await {
                    true => crate::origin::GrantedOrigin::Origin(origin),
                    false => crate::origin::GrantedOrigin::Denied,
                },
                preflight,
            },
        }
    }

    /// Writes the CORS headers that `grant` earns onto `response`.
    ///
    /// The policy owns the CORS headers: a granted origin replaces any
    /// `Access-Control-Allow-Origin` the handler set, and a refused one removes the handler's
    /// `Access-Control-Allow-Origin`, `-Allow-Credentials` and `-Expose-Headers` (the headers that
    /// grant an actual response), so that no code path grants what the policy does not.
    /// `Vary: Origin` is merged into the handler's own `Vary` as one header.
    ///
    /// ```
    /// use cors_runtime::CorsConfig;
    /// use lambda_http::{Body, Response};
    ///
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let cors = CorsConfig::builder().allow_origin("https://*.myapp.com").build().unwrap();
    /// let request = lambda_http::http::Request::builder()
    ///     .header("origin", "https://admin.myapp.com")
    ///     .body(Body::Empty)
    ///     .unwrap();
    /// let grant = cors.grant(&request).await;
    /// let mut response = Response::builder().header("vary", "accept-encoding").body(Body::Empty).unwrap();
    /// cors.apply(grant, &mut response);
    /// assert_eq!(response.headers()["access-control-allow-origin"], "https://admin.myapp.com");
    /// assert_eq!(response.headers()["vary"], "accept-encoding, Origin");
    /// # });
    /// ```
    pub fn apply<B>(&self, grant: Grant, response: &mut Response<B>) {
        crate::headers::apply(self, grant, response.headers_mut());
    }

    /// Whether the policy's lists allow `origin` (a request's `Origin` value), leaving out a check
    /// in code (`origin_fn`), which is asked per request: what a deployment's static rendering
    /// can rely on.
    ///
    /// ```
    /// use cors_runtime::cors_config;
    ///
    /// static CORS: cors_runtime::CorsConfig = cors_config!(origin = ["https://myapp.com", "https://pr-*.preview.myapp.com"]);
    /// assert!(CORS.lists_allow("https://pr-7.preview.myapp.com"));
    /// assert!(!CORS.lists_allow("https://preview.myapp.com"));
    /// ```
    pub fn lists_allow(&self, origin: &str) -> bool {
        let Ok(value) = HeaderValue::from_str(origin) else {
            return false;
        };
        let granted = crate::origin::grant_request_origin(self, Some(&value), true);
        !matches!(granted, crate::origin::GrantedOrigin::Denied)
    }
}
