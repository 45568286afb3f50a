//! What the CORS benchmarks (and `tests/allocations.rs`) run: one handler, several ways of adding
//! CORS to it, and the requests they answer.
//!
//! - [`Variant::Bare`]: the handler alone, no CORS (the baseline);
//! - [`Variant::Floor`]: the least code that sends the right headers on the happy path, without
//!   any of the guarantees ([`floor`]);
//! - [`Variant::Hand`]: careful hand-written CORS with the attribute's guarantees ([`hand`]):
//!   header constants, no parsing;
//! - [`Variant::Macro`]: `#[cors_handler]` with the keys inline ([`annotated`]);
//! - [`Variant::Shared`]: `#[cors_handler(config = ...)]` naming a `cors_config!` static
//!   ([`annotated::shared`]);
//! - [`Variant::Layer`]: this project's `CorsLayer` around `lambda_http::service_fn` ([`layer`]);
//! - [`Variant::Tower`]: `tower_http::cors::CorsLayer` around `lambda_http::service_fn` ([`tower`]).
//!
//! The handlers never wait, so [`block_on`] drives them with a no-op waker: what is measured is
//! the CORS work, not an async runtime.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use http::HeaderValue;
use http::header::CONTENT_TYPE;
use lambda_http::http::{Method, Request as HttpRequest};
use lambda_http::{Body, Error, Request, Response};

pub mod annotated;
pub mod floor;
pub mod hand;
pub mod layer;
pub mod tower;
pub mod typed;

/// Polls `future` once with a no-op waker and returns its output.
///
/// # Panics
/// If the future is pending: every handler here completes on its first poll.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("the benchmarked handlers never wait"),
    }
}

const TEXT_PLAIN: HeaderValue = HeaderValue::from_static("text/plain; charset=utf-8");

/// The one handler every variant wraps: a small text response, or an error on `/fail`.
pub async fn app(request: Request) -> Result<Response<Body>, Error> {
    if request.uri().path() == "/fail" {
        return Err("the database is down".into());
    }
    let mut response = Response::new(Body::from("hello"));
    response.headers_mut().insert(CONTENT_TYPE, TEXT_PLAIN);
    Ok(response)
}

/// The CORS configurations, written the same way in every variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Config {
    /// `origin = "https://myapp.com"`.
    Single,
    /// `origin = ["https://myapp.com", "https://staging.myapp.com"]`, `credentials = true`.
    List2,
    /// `origin = ["https://myapp.com", "https://staging.myapp.com", "http://localhost:5173"]`,
    /// `credentials = true`, `max_age = 600`.
    List3,
    /// `origin = "https://*.myapp.com"`.
    Wildcard,
    /// `origin = "*"`.
    Any,
}

/// The requests measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// `GET` from the single configured origin.
    Single,
    /// `GET` from the second origin of a list of two, with credentials.
    List2,
    /// `GET` from the third origin of a list of three.
    List,
    /// `GET` from a subdomain matching `https://*.myapp.com`.
    Wildcard,
    /// `GET` with `origin = "*"`.
    Any,
    /// `GET` from an origin the list does not allow.
    Disallowed,
    /// A preflight (`OPTIONS`, `Origin`, `Access-Control-Request-Method` and `-Headers`) from
    /// an origin of the list of three.
    Preflight,
    /// The same preflight, to the list of two.
    Preflight2,
    /// `GET /fail` from an origin of the list: the handler returns `Err`.
    Error,
    /// A credentialed write: `POST` with `Sec-Fetch-Site: cross-site` from the second origin of
    /// the list of two, which the cross-origin write guard (`csrf = "block"`, the default with
    /// credentials) lets through.
    Write,
}

impl Case {
    /// Every case, in report order.
    pub const ALL: [Case; 10] = [
        Case::Single,
        Case::List2,
        Case::List,
        Case::Wildcard,
        Case::Any,
        Case::Disallowed,
        Case::Preflight,
        Case::Preflight2,
        Case::Error,
        Case::Write,
    ];

    /// The name used in benchmark ids and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Case::Single => "single",
            Case::List2 => "list2",
            Case::List => "list3",
            Case::Wildcard => "wildcard",
            Case::Any => "any",
            Case::Disallowed => "disallowed",
            Case::Preflight => "preflight",
            Case::Preflight2 => "preflight2",
            Case::Error => "error",
            Case::Write => "write",
        }
    }

    /// The case called `name`.
    pub fn from_name(name: &str) -> Option<Case> {
        Case::ALL.into_iter().find(|case| case.name() == name)
    }

    /// The configuration the case is answered with.
    pub fn config(self) -> Config {
        match self {
            Case::Single => Config::Single,
            Case::Wildcard => Config::Wildcard,
            Case::Any => Config::Any,
            Case::List2 | Case::Preflight2 | Case::Write => Config::List2,
            Case::List | Case::Disallowed | Case::Preflight | Case::Error => Config::List3,
        }
    }

    /// A fresh request for this case, with the headers an API Gateway request usually carries.
    pub fn request(self) -> Request {
        let (method, path, origin) = match self {
            Case::Single => ("GET", "/items/7", "https://myapp.com"),
            Case::List2 => ("GET", "/items/7", "https://staging.myapp.com"),
            Case::List => ("GET", "/items/7", "http://localhost:5173"),
            Case::Wildcard => ("GET", "/items/7", "https://admin.myapp.com"),
            Case::Any => ("GET", "/items/7", "https://somewhere.example"),
            Case::Disallowed => ("GET", "/items/7", "https://evil.example"),
            Case::Preflight => ("OPTIONS", "/items/7", "http://localhost:5173"),
            Case::Preflight2 => ("OPTIONS", "/items/7", "https://staging.myapp.com"),
            Case::Error => ("GET", "/fail", "http://localhost:5173"),
            Case::Write => ("POST", "/items/7", "https://staging.myapp.com"),
        };
        let mut builder = HttpRequest::builder()
            .method(Method::from_bytes(method.as_bytes()).expect("a method"))
            .uri(path)
            .header("host", "abc123.execute-api.eu-west-1.amazonaws.com")
            .header("accept", "application/json")
            .header("accept-encoding", "gzip, deflate, br")
            .header(
                "user-agent",
                "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0",
            )
            .header("x-forwarded-for", "203.0.113.7")
            .header("origin", origin);
        if matches!(self, Case::Preflight | Case::Preflight2) {
            builder = builder
                .header("access-control-request-method", "PUT")
                .header("access-control-request-headers", "content-type,x-api-key");
        }
        if self == Case::Write {
            builder = builder.header("sec-fetch-site", "cross-site");
        }
        builder.body(Body::Empty).expect("a valid request")
    }
}

/// The ways of adding CORS that are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// The handler alone.
    Bare,
    /// The least code on the happy path.
    Floor,
    /// Hand-written CORS.
    Hand,
    /// `#[cors_handler]`, keys inline.
    Macro,
    /// `#[cors_handler(config = ...)]`, a shared `cors_config!` policy.
    Shared,
    /// The handler alone as a tower service (`service_fn`), called as `lambda_runtime` calls one:
    /// what the two layers are measured from.
    Service,
    /// `cors_runtime::CorsLayer`.
    Layer,
    /// `tower_http::cors::CorsLayer`.
    Tower,
}

impl Variant {
    /// Every variant, in report order.
    pub const ALL: [Variant; 8] = [
        Variant::Bare,
        Variant::Floor,
        Variant::Hand,
        Variant::Macro,
        Variant::Shared,
        Variant::Service,
        Variant::Layer,
        Variant::Tower,
    ];

    /// The name used in benchmark ids and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Variant::Bare => "bare",
            Variant::Floor => "floor",
            Variant::Hand => "hand",
            Variant::Macro => "macro",
            Variant::Shared => "shared",
            Variant::Service => "service",
            Variant::Layer => "layer",
            Variant::Tower => "tower",
        }
    }

    /// The variant called `name`.
    pub fn from_name(name: &str) -> Option<Variant> {
        Variant::ALL.into_iter().find(|v| v.name() == name)
    }
}

/// Runs every variant on every case; holds the tower services, built once as at a cold start.
pub struct Harness<S, L, A> {
    tower: tower::Services<S>,
    layer: tower::Services<L>,
    service: A,
}

/// What a variant answers. The bare handler and tower-http return the handler's `Err` as it is
/// (and `lambda_runtime` then reports it, with no CORS headers); the other two never return `Err`.
pub type Outcome = Result<Response<Body>, Error>;

/// A harness with its tower services built.
pub fn harness() -> Harness<impl tower::AppService, impl layer::LayerService, impl tower::AppService>
{
    Harness {
        tower: tower::services(),
        layer: layer::services(),
        service: lambda_http::service_fn(app),
    }
}

impl<S: tower::AppService, L: layer::LayerService, A: tower::AppService> Harness<S, L, A> {
    /// Answers `request` (made by [`Case::request`] for `case`) with `variant`.
    #[inline]
    pub fn run(&mut self, variant: Variant, case: Case, request: Request) -> Outcome {
        let config = case.config();
        match variant {
            Variant::Bare => block_on(app(request)),
            Variant::Floor => Ok(infallible(block_on(floor::cors(config, request, app)))),
            Variant::Hand => Ok(infallible(match config {
                Config::Single => block_on(hand::single(request, app)),
                Config::List2 => block_on(hand::list2(request, app)),
                Config::List3 => block_on(hand::list(request, app)),
                Config::Wildcard => block_on(hand::wildcard(request, app)),
                Config::Any => block_on(hand::any(request, app)),
            })),
            Variant::Macro => Ok(infallible(match config {
                Config::Single => block_on(annotated::single(request)),
                Config::List2 => block_on(annotated::list2(request)),
                Config::List3 => block_on(annotated::list(request)),
                Config::Wildcard => block_on(annotated::wildcard(request)),
                Config::Any => block_on(annotated::any(request)),
            })),
            Variant::Shared => Ok(infallible(match config {
                Config::Single => block_on(annotated::shared::single(request)),
                Config::List2 => block_on(annotated::shared::list2(request)),
                Config::List3 => block_on(annotated::shared::list(request)),
                Config::Wildcard => block_on(annotated::shared::wildcard(request)),
                Config::Any => block_on(annotated::shared::any(request)),
            })),
            Variant::Service => block_on(tower::call(&mut self.service, request)),
            Variant::Layer => Ok(block_on(layer::call(self.layer.get(config), request))),
            Variant::Tower => block_on(tower::call(self.tower.get(config), request)),
        }
    }
}

fn infallible<T>(result: Result<T, std::convert::Infallible>) -> T {
    match result {
        Ok(value) => value,
        Err(never) => match never {},
    }
}
