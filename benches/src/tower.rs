//! The same handler as a tower service under `tower_http::cors::CorsLayer`, the usual way to add
//! CORS to a `lambda_http` function (`run(ServiceBuilder::new().layer(cors).service(service_fn(h)))`).

use std::future::Future;
use std::time::Duration;

use http::request::Parts;
use http::{HeaderName, HeaderValue, Method};
use lambda_http::{Body, Error, Request, Response, service_fn};
use tower::{Layer, Service, ServiceExt};
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::{Config, app};

/// The service type: `Cors<ServiceFn<..>>` around [`app`].
pub trait AppService:
    Service<
        Request,
        Response = Response<Body>,
        Error = Error,
        Future: Future<Output = Result<Response<Body>, Error>>,
    >
{
}

impl<S> AppService for S where
    S: Service<
            Request,
            Response = Response<Body>,
            Error = Error,
            Future: Future<Output = Result<Response<Body>, Error>>,
        >
{
}

/// One service per configuration.
pub struct Services<S> {
    single: S,
    list2: S,
    list: S,
    wildcard: S,
    any: S,
}

impl<S> Services<S> {
    /// One service per configuration, made by `make`.
    pub fn new(mut make: impl FnMut(Config) -> S) -> Self {
        Services {
            single: make(Config::Single),
            list2: make(Config::List2),
            list: make(Config::List3),
            wildcard: make(Config::Wildcard),
            any: make(Config::Any),
        }
    }

    /// The service for `config`.
    pub fn get(&mut self, config: Config) -> &mut S {
        match config {
            Config::Single => &mut self.single,
            Config::List2 => &mut self.list2,
            Config::List3 => &mut self.list,
            Config::Wildcard => &mut self.wildcard,
            Config::Any => &mut self.any,
        }
    }
}

/// The services, built once.
pub fn services() -> Services<impl AppService> {
    Services::new(service)
}

/// Waits until the service is ready and calls it, as `lambda_runtime` does.
pub async fn call<S: AppService>(
    service: &mut S,
    request: Request,
) -> Result<Response<Body>, Error> {
    service.ready().await?.call(request).await
}

fn service(config: Config) -> impl AppService {
    layer(config).layer(service_fn(app))
}

/// The configuration of [`crate::hand`] and [`crate::annotated`], as a `CorsLayer`.
pub fn layer(config: Config) -> CorsLayer {
    let methods = [
        Method::DELETE,
        Method::GET,
        Method::HEAD,
        Method::OPTIONS,
        Method::PATCH,
        Method::POST,
        Method::PUT,
    ];
    let headers = [
        "content-type",
        "x-amz-date",
        "authorization",
        "x-api-key",
        "x-amz-security-token",
    ]
    .map(HeaderName::from_static);
    let cors = CorsLayer::new()
        .allow_methods(methods)
        .allow_headers(headers);
    match config {
        Config::Single => cors.allow_origin(HeaderValue::from_static("https://myapp.com")),
        Config::List2 => cors
            .allow_origin([
                HeaderValue::from_static("https://myapp.com"),
                HeaderValue::from_static("https://staging.myapp.com"),
            ])
            .allow_credentials(true),
        Config::List3 => cors
            .allow_origin([
                HeaderValue::from_static("https://myapp.com"),
                HeaderValue::from_static("https://staging.myapp.com"),
                HeaderValue::from_static("http://localhost:5173"),
            ])
            .allow_credentials(true)
            .max_age(Duration::from_secs(600)),
        Config::Wildcard => {
            cors.allow_origin(AllowOrigin::predicate(|origin: &HeaderValue, _: &Parts| {
                crate::hand::matches_wildcard(origin.as_bytes())
            }))
        }
        Config::Any => cors.allow_origin(AllowOrigin::any()),
    }
}
