//! The same handler as a tower service under this project's `CorsLayer`, with the policies of
//! [`crate::annotated::shared`]: the same shape as [`crate::tower`], so that the two layers are
//! compared on the same service and requests.

use std::convert::Infallible;
use std::future::Future;

use cors_runtime::CorsLayer;
use lambda_http::{Body, Request, Response, service_fn};
use tower::{Layer, Service, ServiceExt};

use crate::Config;
use crate::annotated::shared;
use crate::tower::Services;

/// The service type: `Cors<ServiceFn<..>>` around [`crate::app`]; it never fails.
pub trait LayerService:
    Service<
        Request,
        Response = Response<Body>,
        Error = Infallible,
        Future: Future<Output = Result<Response<Body>, Infallible>>,
    >
{
}

impl<S> LayerService for S where
    S: Service<
            Request,
            Response = Response<Body>,
            Error = Infallible,
            Future: Future<Output = Result<Response<Body>, Infallible>>,
        >
{
}

/// One service per configuration, built once.
pub fn services() -> Services<impl LayerService> {
    Services::new(|config| {
        let policy = match config {
            Config::Single => &shared::SINGLE,
            Config::List2 => &shared::LIST2,
            Config::List3 => &shared::LIST,
            Config::Wildcard => &shared::WILDCARD,
            Config::Any => &shared::ANY,
        };
        CorsLayer::new(policy).layer(service_fn(crate::app))
    })
}

/// Waits until the service is ready and calls it, as `lambda_runtime` does.
pub async fn call<S: LayerService>(service: &mut S, request: Request) -> Response<Body> {
    match service.ready().await {
        Ok(ready) => match ready.call(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        },
        Err(never) => match never {},
    }
}
