//! [`CorsLayer`]: a policy as a [tower `Layer`](tower_layer::Layer), for an axum `Router` handed
//! to `lambda_http::run` (or any tower stack), with the attribute's guarantees.

use std::convert::Infallible;
use std::fmt::{self, Debug, Display};
use std::future::Future;
use std::ops::{ControlFlow, Deref};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use http::{Request, Response};
use tower_layer::Layer;
use tower_service::Service;

use crate::CorsConfig;
use crate::check::PendingVerdict;
use crate::origin::Grant;
use crate::wrapper::{Answer, Asking, Concluding, Start};

/// A CORS policy as a [tower `Layer`](tower_layer::Layer): every response of the service below
/// carries the policy's
/// headers — its own, a router's `404` and `405`, an extractor's rejection, a timeout's `408` —
/// preflights are answered before routing, and the service's `Err` or panic becomes a logged
/// `500` with the headers instead of an invocation error (which API Gateway answers with a `502`
/// without CORS).
///
/// ```
/// use axum::{Router, routing::get};
/// use cors_runtime::{CorsConfig, CorsLayer, cors_config};
///
/// static API_CORS: CorsConfig = cors_config!(origin = ["https://myapp.com"], credentials = true);
///
/// async fn get_item() -> &'static str {
///     "item"
/// }
///
/// let app: Router = Router::new()
///     .route("/items/{id}", get(get_item))
///     .layer(CorsLayer::new(&API_CORS)); // last: the outermost layer
/// # let _ = app;
/// // lambda_http::run(app).await
/// ```
///
/// # Where it sits
///
/// Outermost: add it with the last `.layer(...)` call (or wrap the whole `Router`), above every
/// error-handling, timeout and authentication layer. Whatever answers above it (a timeout layer's
/// `408`, an authorizer's `401`) would answer without the CORS headers, and a preflight would reach
/// layers that refuse it (a preflight carries no credentials). With `Router::layer`, axum runs the
/// layer for every route and for the fallback, before the method is matched, so an `OPTIONS` to a
/// `GET`-only route gets the preflight answer, not a `405`.
///
/// # The service below
///
/// Any `tower::Service<http::Request<B>>` answering `http::Response<R>`, for any request body `B`
/// and any response body `R` that has an empty value (`Default`, for a preflight's answer) and
/// takes a `&'static str` (the `500`'s JSON body): axum's `Body`, `lambda_http::Body`,
/// `http_body_util::Full<Bytes>`, ... Its error is any `Display + Debug` type (axum's routers
/// never fail; `lambda_http::Error`, `std::io::Error` ...); the layer's own error type is
/// [`Infallible`], which `lambda_http::run` accepts whatever the service below returns.
///
/// A response whose body is streamed gets its headers in its head, as any other; a failure after
/// the body has started can only end the stream, and is reported by the body itself.
#[derive(Clone)]
pub struct CorsLayer {
    policy: PolicyRef,
}

/// A policy the layer holds: `'static` (a `cors_config!` static), or shared (built at run time).
#[derive(Clone)]
enum PolicyRef {
    Static(&'static CorsConfig),
    Shared(Arc<CorsConfig>),
}

impl Deref for PolicyRef {
    type Target = CorsConfig;

    #[inline]
    fn deref(&self) -> &CorsConfig {
        match self {
            PolicyRef::Static(config) => config,
            PolicyRef::Shared(config) => config,
        }
    }
}

impl CorsLayer {
    /// The layer of a `'static` policy, such as one made by [`cors_config!`](crate::cors_config),
    /// which `#[cors_handler(config = ...)]` handlers may name too.
    pub fn new(config: &'static CorsConfig) -> Self {
        CorsLayer {
            policy: PolicyRef::Static(config),
        }
    }

    /// The layer of a policy built at run time with [`CorsConfig::builder`].
    ///
    /// ```
    /// use std::sync::Arc;
    /// use cors_runtime::{CorsConfig, CorsLayer};
    ///
    /// let policy = CorsConfig::builder().allow_origin("https://myapp.com").build()?;
    /// let layer = CorsLayer::from_arc(Arc::new(policy));
    /// # let _ = layer;
    /// # Ok::<(), cors_runtime::ConfigError>(())
    /// ```
    pub fn from_arc(config: Arc<CorsConfig>) -> Self {
        CorsLayer {
            policy: PolicyRef::Shared(config),
        }
    }
}

impl From<&'static CorsConfig> for CorsLayer {
    /// [`CorsLayer::new`].
    fn from(config: &'static CorsConfig) -> Self {
        CorsLayer::new(config)
    }
}

impl From<Arc<CorsConfig>> for CorsLayer {
    /// [`CorsLayer::from_arc`].
    fn from(config: Arc<CorsConfig>) -> Self {
        CorsLayer::from_arc(config)
    }
}

impl Debug for CorsLayer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CorsLayer")
            .field("policy", &*self.policy)
            .finish()
    }
}

impl<S> Layer<S> for CorsLayer {
    type Service = Cors<S>;

    fn layer(&self, inner: S) -> Cors<S> {
        Cors {
            inner,
            policy: self.policy.clone(),
            not_ready: false,
        }
    }
}

/// The service [`CorsLayer`] wraps around the service below.
#[derive(Clone)]
pub struct Cors<S> {
    inner: S,
    policy: PolicyRef,
    /// The service below failed its last `poll_ready`: the next call answers the logged `500`.
    not_ready: bool,
}

impl<S> Cors<S> {
    /// The service below.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use cors_runtime::{CorsConfig, CorsLayer};
    /// use tower_layer::Layer;
    ///
    /// let policy = Arc::new(CorsConfig::builder().allow_origin("https://myapp.com").build()?);
    /// let layer = CorsLayer::from(policy); // or `CorsLayer::from(&API_CORS)` for a static
    /// let mut cors = layer.layer(String::from("the service below"));
    /// assert_eq!(cors.get_ref(), "the service below");
    /// cors.get_mut().push('!');
    /// assert_eq!(cors.into_inner(), "the service below!");
    /// # Ok::<(), cors_runtime::ConfigError>(())
    /// ```
    pub fn get_ref(&self) -> &S {
        &self.inner
    }

    /// The service below, mutably.
    pub fn get_mut(&mut self) -> &mut S {
        &mut self.inner
    }

    /// The service below, without the policy.
    pub fn into_inner(self) -> S {
        self.inner
    }
}

impl<S: Debug> Debug for Cors<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cors")
            .field("inner", &self.inner)
            .field("policy", &*self.policy)
            .finish()
    }
}

impl<S, B, R> Service<Request<B>> for Cors<S>
where
    S: Service<Request<B>, Response = Response<R>>,
    S::Error: Display + Debug,
    R: Default + From<&'static str>,
{
    type Response = Response<R>;
    type Error = Infallible;
    type Future = ResponseFuture<S::Future, R>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        match self.inner.poll_ready(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Ok(())) => {
                self.not_ready = false;
                Poll::Ready(Ok(()))
            }
            // Ready all the same: the call answers the error, with the headers.
            Poll::Ready(Err(error)) => {
                crate::error::log_failure(&error, 500, "the service is not ready");
                self.not_ready = true;
                Poll::Ready(Ok(()))
            }
        }
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let policy = &self.policy;
        let grant = match crate::wrapper::begin(policy, &request) {
            Start::Answer(answer) => return ResponseFuture::answer(answer, policy),
            Start::Run(grant) => GrantState::Decided(Some(grant)),
            // A preflight waits for the check, then is answered without the service below.
            Start::Ask(asking) if asking.answers() => {
                return ResponseFuture::new(None, None, GrantState::asking(asking), policy);
            }
            // A write whose origin only the check may grant: the service below is called, but its
            // future is not polled until the check has answered (and dropped unpolled if the
            // write is refused), so an axum handler's body never runs for a refused write.
            Start::Ask(asking) if asking.decides_write() => {
                let (verdict, concluding) = asking.into_parts();
                GrantState::Holding(verdict, Some(concluding))
            }
            // An actual request runs meanwhile: its response waits for the check's answer.
            Start::Ask(asking) => GrantState::asking(asking),
        };
        if self.not_ready {
            let answer = crate::error::internal_server_error();
            return ResponseFuture::new(None, Some(answer), grant, policy);
        }
        match catch_unwind(AssertUnwindSafe(|| self.inner.call(request))) {
            Ok(future) => ResponseFuture::new(Some(future), None, grant, policy),
            Err(payload) => {
                let answer = crate::error::panic_response(payload);
                ResponseFuture::new(None, Some(answer), grant, policy)
            }
        }
    }
}

/// What the response will be granted: decided, or waiting for an `async` check (`Holding`: and
/// the service's future waits for it too).
enum GrantState {
    Decided(Option<Grant>),
    Asking(PendingVerdict, Option<Concluding>),
    Holding(PendingVerdict, Option<Concluding>),
}

impl GrantState {
    fn asking(asking: Asking) -> Self {
        let (verdict, concluding) = asking.into_parts();
        GrantState::Asking(verdict, Some(concluding))
    }
}

pin_project_lite::pin_project! {
    /// The response future of [`Cors`]: the answer made before the service below ran (a
    /// preflight), or that service's future, whose response, error or panic gets the grant.
    pub struct ResponseFuture<F, R> {
        #[pin]
        state: State<F, R>,
    }
}

pin_project_lite::pin_project! {
    #[project = StateProj]
    enum State<F, R> {
        // Answered without the service below; the response is made when polled.
        Answer {
            answer: Option<Answer>,
            policy: PolicyRef,
        },
        Running {
            // The service below's future, until it has answered (`None`: it is not called).
            #[pin]
            future: Option<F>,
            response: Option<Response<R>>,
            grant: GrantState,
            policy: PolicyRef,
        },
    }
}

impl<F, R> ResponseFuture<F, R> {
    fn answer(answer: Answer, policy: &PolicyRef) -> Self {
        ResponseFuture {
            state: State::Answer {
                answer: Some(answer),
                policy: policy.clone(),
            },
        }
    }

    fn new(
        future: Option<F>,
        response: Option<Response<R>>,
        grant: GrantState,
        policy: &PolicyRef,
    ) -> Self {
        ResponseFuture {
            state: State::Running {
                future,
                response,
                grant,
                policy: policy.clone(),
            },
        }
    }
}

const DONE: &str = "a ResponseFuture is not polled after it completed";

impl<F, R, E> Future for ResponseFuture<F, R>
where
    F: Future<Output = Result<Response<R>, E>>,
    E: Display + Debug,
    R: Default + From<&'static str>,
{
    type Output = Result<Response<R>, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let (mut future, response, grant, policy) = match self.project().state.project() {
            StateProj::Answer { answer, policy } => {
                return Poll::Ready(Ok(answer.take().expect(DONE).respond(policy)));
            }
            StateProj::Running {
                future,
                response,
                grant,
                policy,
            } => (future, response, grant, policy),
        };
        // The check decides whether the service's future may run at all.
        if let GrantState::Holding(verdict, concluding) = grant {
            let Poll::Ready(allowed) = verdict.as_mut().poll(cx) else {
                return Poll::Pending;
            };
            match concluding.take().expect(DONE).conclude(policy, allowed) {
                ControlFlow::Break(answer) => {
                    future.set(None);
                    return Poll::Ready(Ok(answer));
                }
                ControlFlow::Continue(decided) => *grant = GrantState::Decided(Some(decided)),
            }
        }
        if let Some(inner) = future.as_mut().as_pin_mut() {
            let mut answered = match catch_unwind(AssertUnwindSafe(|| inner.poll(cx))) {
                Ok(Poll::Pending) => return Poll::Pending,
                Ok(Poll::Ready(Ok(answered))) => answered,
                Ok(Poll::Ready(Err(error))) => crate::error::default_error_response(&error),
                Err(payload) => crate::error::panic_response(payload),
            };
            future.set(None);
            // Nearly always: the grant is decided, and the response is answered where it is.
            if let GrantState::Decided(grant) = grant {
                let grant = grant.take().expect(DONE);
                crate::wrapper::finish(policy, grant, &mut answered);
                return Poll::Ready(Ok(answered));
            }
            *response = Some(answered);
        }
        let grant = match grant {
            GrantState::Decided(grant) => grant.take().expect(DONE),
            GrantState::Holding(..) => unreachable!("decided above"),
            GrantState::Asking(verdict, concluding) => {
                let Poll::Ready(allowed) = verdict.as_mut().poll(cx) else {
                    return Poll::Pending;
                };
                match concluding.take().expect(DONE).conclude(policy, allowed) {
                    ControlFlow::Break(answer) => return Poll::Ready(Ok(answer)),
                    ControlFlow::Continue(grant) => grant,
                }
            }
        };
        let mut response = response.take().expect(DONE);
        crate::wrapper::finish(policy, grant, &mut response);
        Poll::Ready(Ok(response))
    }
}

impl<F, R> Debug for ResponseFuture<F, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseFuture").finish_non_exhaustive()
    }
}
