//! Running a handler under a policy: what happens before it runs (a preflight answered, an
//! unusable `origin_env` variable answered, the grant decided), around it (its panic caught) and
//! after it (the grant applied). `#[cors_handler]`'s expansion, [`CorsConfig::handle`] and the
//! tower layer all go through these functions.

use std::any::Any;
use std::future::{Future, poll_fn};
use std::ops::ControlFlow;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::pin;
use std::task::Poll;

use http::{Request, Response};
use lambda_http::{Body, IntoResponse};

use crate::config::{CorsConfig, Origins};
use crate::origin::Grant;

/// Before the handler: `Break(response)` answers the request without it (a preflight, when the
/// policy answers preflights; every request while an `origin_env` variable is unusable),
/// `Continue(grant)` lets it run and holds what its response will be granted.
#[inline]
pub(crate) fn begin<B, R>(config: &CorsConfig, request: &Request<B>) -> ControlFlow<Response<R>, Grant>
where
    R: Default + From<&'static str>,
{
    if let Origins::Env(env) = &config.origins
        && let Err(error) = env.get(config.credentials)
    {
        return ControlFlow::Break(crate::env::unusable_response(error));
    }
    if config.preflight
        && let Some(response) = crate::preflight::answer(config, request)
    {
        return ControlFlow::Break(response);
    }
    ControlFlow::Continue(crate::origin::grant(config, request))
}

/// After the handler: its response with the grant applied.
#[inline]
pub(crate) fn finish<B>(config: &CorsConfig, grant: Grant, mut response: Response<B>) -> Response<B> {
    crate::headers::apply(config, grant, response.headers_mut());
    response
}

/// The whole wrapper as a function: [`CorsConfig::handle`], with the error's answer chosen by
/// `error_response`.
pub(crate) async fn handle<F, Fut, R, E>(
    config: &CorsConfig,
    request: lambda_http::Request,
    handler: F,
    error_response: fn(&E) -> Response<Body>,
) -> Response<Body>
where
    F: FnOnce(lambda_http::Request) -> Fut,
    Fut: Future<Output = Result<R, E>>,
    R: IntoResponse,
{
    let grant = match begin(config, &request) {
        ControlFlow::Break(answer) => return answer,
        ControlFlow::Continue(grant) => grant,
    };
    let response = match catch_panic(handler(request)).await {
        Ok(Ok(value)) => value.into_response().await,
        Ok(Err(error)) => error_response(&error),
        Err(payload) => panic_response(payload),
    };
    finish(config, grant, response)
}

/// Runs `future` to completion, or returns the payload of the panic that one of its polls raised.
///
/// `lambda_runtime` catches a handler's panic itself and posts it to the Runtime API's `/error`,
/// which API Gateway answers with a `502` that has no CORS headers. Catching it here, inside the
/// handler's future, turns it into a `500` that keeps them. No allocation and no `unsafe`: the
/// future is pinned on this future's own state.
pub async fn catch_panic<F: Future>(future: F) -> Result<F::Output, Box<dyn Any + Send>> {
    let mut future = pin!(future);
    poll_fn(
        move |cx| match catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(cx))) {
            Ok(Poll::Ready(output)) => Poll::Ready(Ok(output)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(payload) => Poll::Ready(Err(payload)),
        },
    )
    .await
}

/// The text of a panic's payload, when it has one.
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> &str {
    if let Some(message) = payload.downcast_ref::<&'static str>() {
        message
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message
    } else {
        "Box<dyn Any>"
    }
}

/// Logs a handler's panic and answers `500`.
pub(crate) fn panic_response<B: From<&'static str>>(payload: Box<dyn Any + Send>) -> Response<B> {
    tracing::error!(
        panic = panic_message(&*payload),
        status = 500u16,
        "handler panicked"
    );
    crate::error::internal_server_error()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn preflight() -> Request<Body> {
        Request::builder()
            .method("OPTIONS")
            .header("origin", "https://a.com")
            .header("access-control-request-method", "DELETE")
            .body(Body::Empty)
            .unwrap()
    }

    #[test]
    fn begin_answers_preflights_only_when_configured_to() {
        let answering = CorsConfig::builder()
            .allow_origin("https://a.com")
            .build()
            .unwrap();
        assert!(
            matches!(begin::<_, Body>(&answering, &preflight()), ControlFlow::Break(r) if r.status() == 204)
        );
        let passing = CorsConfig::builder()
            .allow_origin("https://a.com")
            .answer_preflight(false)
            .build()
            .unwrap();
        assert!(
            matches!(begin::<_, Body>(&passing, &preflight()), ControlFlow::Continue(g) if g.is_granted())
        );
    }

    #[test]
    fn an_unusable_environment_answers_500() {
        static UNSET: CorsConfig = crate::literal::Spec::new()
            .origin_env("CORS_RUNTIME_TEST_UNSET_VAR")
            .build();
        let ControlFlow::Break(answer) = begin::<_, Body>(&UNSET, &preflight()) else {
            panic!("answered without the handler")
        };
        assert_eq!(answer.status(), 500);
        assert_eq!(answer.headers()["vary"], "Origin");
        assert!(!answer.headers().contains_key("access-control-allow-origin"));
    }

    #[test]
    fn panic_messages_are_extracted_for_the_log() {
        let payload = std::panic::catch_unwind(|| panic!("boom {}", 1)).unwrap_err();
        assert_eq!(panic_message(&*payload), "boom 1");
        let payload = std::panic::catch_unwind(|| std::panic::panic_any(7u8)).unwrap_err();
        assert_eq!(panic_message(&*payload), "Box<dyn Any>");
    }
}
