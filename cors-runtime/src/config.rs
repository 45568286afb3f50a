//! [`CorsConfig`]: a validated policy, and the one place its public methods live. Each method
//! hands the work to the module whose job it is (`origin` decides the grant, `preflight` answers
//! preflights, `headers` writes them, `wrapper` runs a handler).

use std::borrow::Cow;
use std::fmt::{Debug, Display};
use std::future::Future;

use http::{HeaderValue, Request, Response};
use lambda_http::{Body, IntoResponse};

use crate::check::OriginFn;
use crate::env::EnvOrigins;
use crate::origin::Grant;
use crate::{CorsConfigBuilder, ErrorResponse};

/// A validated CORS policy: which origins may read the responses, with which methods, headers and
/// credentials.
///
/// One type for every source: [`cors_config!`](crate::cors_config) builds it at compile time
/// (every header value prebuilt, usable in a `static` that several handlers share through
/// `#[cors_handler(config = ...)]`), `#[cors_handler(origin = ...)]` builds one of its own the
/// same way, and [`CorsConfig::builder`] builds one at run time with the same rules. A policy
/// whose origins come from `origin_env` reads and validates the variable once, on first use, and
/// every handler sharing it sees the same result.
///
/// ```
/// use cors_runtime::{cors_config, CorsConfig};
///
/// static API_CORS: CorsConfig = cors_config!(
///     origin = ["https://myapp.com", "https://admin.myapp.com"],
///     credentials = true,
///     max_age = 600,
/// );
///
/// let built = CorsConfig::builder()
///     .allow_origins(["https://myapp.com", "https://admin.myapp.com"])
///     .allow_credentials(true)
///     .max_age(600)
///     .build()
///     .expect("a valid CORS policy");
/// assert_eq!(API_CORS.origins(), built.origins());
/// assert_eq!(API_CORS.max_age(), Some(600));
/// ```
#[derive(Debug, Clone)]
pub struct CorsConfig {
    pub(crate) origins: Origins,
    pub(crate) methods: AllowList,
    pub(crate) headers: AllowList,
    pub(crate) expose_headers: Option<HeaderValue>,
    pub(crate) credentials: bool,
    pub(crate) max_age: Option<HeaderValue>,
    pub(crate) preflight: bool,
    /// `origin_fn`: asked about every origin the lists do not allow.
    pub(crate) check: Option<OriginFn>,
    /// `front_door`: the front door writes the CORS headers; the function writes none.
    pub(crate) front_door: bool,
}

/// Which origins are allowed.
#[derive(Debug, Clone)]
pub(crate) enum Origins {
    /// `"*"`: every response carries `Access-Control-Allow-Origin: *`.
    Any,
    /// One literal origin, sent as a static `Access-Control-Allow-Origin` on every response
    /// (the browser compares it with the page's origin); the response does not vary.
    Exact(HeaderValue),
    /// Exact origins and wildcards: the matching request origin is echoed and every response
    /// varies on `Origin`.
    List(OriginList),
    /// Read from the environment on first use.
    Env(EnvOrigins),
}

/// The entries of an origin list, by kind: exact origins (prebuilt, what a grant sends),
/// whole-label wildcards (`https://*.myapp.com`) and the other wildcards (inside a label,
/// `https://pr-*.myapp.com`, or the port, `http://localhost:*`), each as the `prefix` and `suffix`
/// of [`cors_rules::OriginSpec::Wildcard`] (a grant echoes the request's origin). Kept apart, so
/// that each kind's matcher runs only on its own entries.
#[derive(Debug, Clone)]
pub(crate) struct OriginList {
    pub(crate) exact: Cow<'static, [HeaderValue]>,
    pub(crate) wildcards: Pairs,
    pub(crate) patterns: Pairs,
}

/// `(prefix, suffix)` pairs.
pub(crate) type Pairs = Strs<(&'static str, &'static str), (String, String)>;

/// `methods` or `headers`: `*`, or a list with its prebuilt header value.
#[derive(Debug, Clone)]
pub(crate) enum AllowList {
    /// `"*"`.
    Any,
    /// The names, and the header value that lists them.
    List {
        /// The names joined with `,`, as written.
        value: HeaderValue,
        /// The names, for comparing a preflight's request: methods as written (they compare
        /// case-sensitively), header names lower-cased.
        names: Strs<&'static str, String>,
    },
}

/// A list that is `'static` when built at compile time and owned when built at run time.
#[derive(Debug, Clone)]
pub(crate) enum Strs<S: 'static, O> {
    Static(&'static [S]),
    Owned(Vec<O>),
}

impl Strs<&'static str, String> {
    /// Whether one of the names satisfies `f`.
    #[inline]
    pub(crate) fn any(&self, f: impl Fn(&str) -> bool) -> bool {
        match self {
            Strs::Static(names) => names.iter().any(|name| f(name)),
            Strs::Owned(names) => names.iter().any(|name| f(name)),
        }
    }
}

impl Strs<(&'static str, &'static str), (String, String)> {
    /// Whether one of the `(prefix, suffix)` pairs satisfies `f`.
    #[inline]
    pub(crate) fn any(&self, f: impl Fn(&str, &str) -> bool) -> bool {
        match self {
            Strs::Static(pairs) => pairs.iter().any(|(p, s)| f(p, s)),
            Strs::Owned(pairs) => pairs.iter().any(|(p, s)| f(p, s)),
        }
    }

    pub(crate) fn pairs(&self) -> Vec<(&str, &str)> {
        match self {
            Strs::Static(pairs) => pairs.to_vec(),
            Strs::Owned(pairs) => pairs
                .iter()
                .map(|(p, s)| (p.as_str(), s.as_str()))
                .collect(),
        }
    }
}

impl AllowList {
    /// The methods the API Gateway console's "Enable CORS" allows ([`cors_rules::DEFAULT_METHODS`]).
    pub(crate) const DEFAULT_METHODS: AllowList = AllowList::List {
        value: HeaderValue::from_static("DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT"),
        names: Strs::Static(&["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]),
    };

    /// The request headers the console allows ([`cors_rules::DEFAULT_HEADERS`]), lower-cased for
    /// comparing.
    pub(crate) const DEFAULT_HEADERS: AllowList = AllowList::List {
        value: HeaderValue::from_static(
            "Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token",
        ),
        names: Strs::Static(&[
            "content-type",
            "x-amz-date",
            "authorization",
            "x-api-key",
            "x-amz-security-token",
        ]),
    };

    pub(crate) fn header_value(&self) -> &HeaderValue {
        static ANY: HeaderValue = HeaderValue::from_static("*");
        match self {
            AllowList::Any => &ANY,
            AllowList::List { value, .. } => value,
        }
    }
}

impl CorsConfig {
    /// A builder for a policy made at run time, with the defaults of the attribute: the console's
    /// methods and headers, no exposed headers, no credentials, no max age, preflights answered.
    /// An origin is required.
    pub fn builder() -> CorsConfigBuilder {
        CorsConfigBuilder::default()
    }

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
    /// `Origin` and `Access-Control-Request-Method`), `None` for every other request.
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
        match crate::preflight::start(self, request.method(), request.headers())? {
            crate::preflight::PreflightStart::Answer(granted) => {
                Some(crate::preflight::respond(self, granted))
            }
            crate::preflight::PreflightStart::Ask(asking) => match asking.finish(self).await {
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

    /// The allowed origins as written: `["*"]`, one origin, or the list, grouped by kind: its
    /// exact origins, then its whole-label wildcards (`https://*.myapp.com`), then its other
    /// wildcards (`https://pr-*.preview.myapp.com`, `http://localhost:*`), each group in the order
    /// written. For a policy read from the environment, the origins it read (or none while the
    /// variable is unusable or not yet read); see [`origin_env`](Self::origin_env).
    pub fn origins(&self) -> Vec<String> {
        match &self.origins {
            Origins::Any => vec!["*".to_owned()],
            Origins::Exact(value) => vec![header_text(value)],
            Origins::List(list) => list.written(),
            Origins::Env(env) => env.read_origins(),
        }
    }

    /// The environment variable the allowed origins come from, for a policy made with
    /// `origin_env`.
    pub fn origin_env(&self) -> Option<&str> {
        match &self.origins {
            Origins::Env(env) => Some(env.var()),
            _ => None,
        }
    }

    /// Whether responses depend on the request's `Origin` (and so carry `Vary: Origin`): a list,
    /// a wildcard, `origin_env` or `origin_fn`.
    pub fn varies_on_origin(&self) -> bool {
        matches!(self.origins, Origins::List(_) | Origins::Env(_)) || self.check.is_some()
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

    /// Whether a check in code (`origin_fn`) decides the origins the lists do not allow.
    pub fn checks_origins_in_code(&self) -> bool {
        self.check.is_some()
    }

    /// Whether `Access-Control-Allow-Credentials: true` is sent with every grant.
    pub fn allows_credentials(&self) -> bool {
        self.credentials
    }

    /// Whether the wrapper answers preflight requests itself.
    pub fn answers_preflight(&self) -> bool {
        self.preflight
    }

    /// Whether the front door answers preflights and writes the CORS headers (`front_door =
    /// true`): the function then writes none, and keeps its `500`s for errors and panics. The
    /// front door's CORS configuration is rendered from this policy by `cors-deploy`.
    pub fn answered_by_front_door(&self) -> bool {
        self.front_door
    }

    /// `Access-Control-Allow-Methods` on a granted preflight: the methods joined with `,`, or `*`.
    pub fn allowed_methods(&self) -> &str {
        header_str(self.methods.header_value())
    }

    /// `Access-Control-Allow-Headers` on a granted preflight: the names joined with `,`, or `*`.
    pub fn allowed_headers(&self) -> &str {
        header_str(self.headers.header_value())
    }

    /// `Access-Control-Expose-Headers`, if any header is exposed.
    pub fn exposed_headers(&self) -> Option<&str> {
        self.expose_headers.as_ref().map(header_str)
    }

    /// `Access-Control-Max-Age` in seconds, if set.
    pub fn max_age(&self) -> Option<u32> {
        self.max_age
            .as_ref()
            .and_then(|value| header_str(value).parse().ok())
    }
}

impl OriginList {
    /// The entries as written, exact origins first.
    pub(crate) fn written(&self) -> Vec<String> {
        let exact = self.exact.iter().map(header_text);
        let wildcards = self
            .wildcards
            .pairs()
            .into_iter()
            .chain(self.patterns.pairs());
        let wildcards = wildcards.map(|(prefix, suffix)| format!("{prefix}*{suffix}"));
        exact.chain(wildcards).collect()
    }
}

/// The text of a header value built from validated (visible ASCII) parts.
fn header_str(value: &HeaderValue) -> &str {
    value
        .to_str()
        .expect("the policy's header values are built from visible ASCII")
}

pub(crate) fn header_text(value: &HeaderValue) -> String {
    header_str(value).to_owned()
}
