//! Running a handler under a policy: what happens before it runs (a preflight answered, an
//! unusable `origin_env` variable answered, the grant decided), around it (its panic caught) and
//! after it (the grant applied). `#[cors_handler]`'s expansion, [`CorsConfig::handle`] and the
//! tower layer all go through these functions.

use std::future::Future;
use std::ops::ControlFlow;

use http::{HeaderMap, HeaderValue, Method, Request, Response};
use lambda_http::{Body, IntoResponse};

use crate::check::PendingVerdict;
use crate::config::{CorsConfig, Csrf, Origins};
use crate::guard::{Why, Write};
use crate::origin::{Decision, Grant, GrantedOrigin};
use crate::preflight::PreflightStart;

/// What happens before the handler.
#[doc(hidden)]
pub enum Start {
    /// The request is answered without the handler: a preflight (when the policy answers
    /// preflights), a write the guard refuses (`csrf`), or every request while an `origin_env`
    /// variable is unusable.
    Answer(Answer),
    /// The handler runs; this is what its response will be granted.
    Run(Grant),
    /// An `async` check in code must answer first.
    Ask(Asking),
}

/// A request answered without the handler, decided: its response is made by [`Answer::respond`]
/// where it is returned, rather than made early and moved through the wrapper.
#[doc(hidden)]
pub struct Answer(Answering);

enum Answering {
    /// A preflight, with what its origin is granted.
    Preflight(GrantedOrigin),
    /// An `origin_env` variable is unusable (logged already).
    Unusable,
    /// A write from an origin the policy does not allow (logged already).
    Refused,
}

impl Answer {
    #[inline]
    pub fn respond<R: Default + From<&'static str>>(self, config: &CorsConfig) -> Response<R> {
        match self.0 {
            Answering::Preflight(granted) => crate::preflight::respond(config, granted),
            Answering::Unusable => crate::env::unusable_response(),
            Answering::Refused => refused_write(config),
        }
    }
}

/// The answer to a refused write: `403 {"message":"Forbidden"}`, no grant, `Vary` as on every
/// response of the policy.
fn refused_write<R: From<&'static str>>(config: &CorsConfig) -> Response<R> {
    let mut response = crate::error::forbidden();
    let denied = Grant {
        origin: GrantedOrigin::Denied,
        preflight: false,
    };
    crate::headers::apply(config, denied, response.headers_mut());
    response
}

/// An `async` `origin_fn`'s answer to come, and what to do with it.
#[doc(hidden)]
pub struct Asking {
    /// The check's answer (its failures and panics already `false`).
    pub(crate) verdict: PendingVerdict,
    origin: HeaderValue,
    then: Then,
}

pub(crate) enum Then {
    /// Answer the preflight (the values of its request headers, for the log of what it asks
    /// beyond the policy's lists).
    Preflight {
        method: HeaderValue,
        requested: Option<HeaderValue>,
    },
    /// Let the handler run; `preflight`: the request is a preflight the handler answers.
    /// `write`: the request is a write the guard lets through only if the check grants its
    /// origin.
    Run {
        preflight: bool,
        write: Option<PendingWrite>,
    },
}

/// A write waiting for the check: what the guard's log says of it if the check refuses.
pub(crate) struct PendingWrite {
    method: Method,
    site: Option<HeaderValue>,
}

impl Asking {
    pub(crate) fn preflight(
        verdict: PendingVerdict,
        origin: HeaderValue,
        method: HeaderValue,
        requested: Option<HeaderValue>,
    ) -> Self {
        Asking {
            verdict,
            origin,
            then: Then::Preflight { method, requested },
        }
    }

    /// Whether the answer is a preflight's, given without the handler.
    pub(crate) fn answers(&self) -> bool {
        matches!(self.then, Then::Preflight { .. })
    }

    /// Whether the check's answer decides if the handler may run at all: a write the guard lets
    /// through only if the check grants its origin.
    pub(crate) fn decides_write(&self) -> bool {
        matches!(self.then, Then::Run { write: Some(_), .. })
    }

    /// What the check's `allowed` decides: the preflight's answer, a refused write's, or the
    /// handler's grant.
    pub(crate) fn conclude<R: Default + From<&'static str>>(
        origin: HeaderValue,
        then: Then,
        config: &CorsConfig,
        allowed: bool,
    ) -> ControlFlow<Response<R>, Grant> {
        if !allowed {
            let preflight = matches!(then, Then::Preflight { .. });
            crate::report::refused_origin(config, &origin, None, preflight);
            // A write only the check could let through: refused (or reported) now.
            if let Then::Run {
                write: Some(write), ..
            } = &then
            {
                let blocked = config.csrf == Csrf::Block;
                let origins = std::iter::once(&origin);
                let site = write.site.as_ref();
                crate::report::refused_write(
                    &write.method,
                    origins,
                    site,
                    Why::NotAllowed,
                    blocked,
                );
                if blocked {
                    return ControlFlow::Break(refused_write(config));
                }
            }
        } else if let Then::Preflight { method, requested } = &then {
            crate::preflight::check_lists(config, Some(&origin), method, || requested.iter());
        }
        let granted = match allowed {
            true => GrantedOrigin::Origin(origin),
            false => GrantedOrigin::Denied,
        };
        match then {
            Then::Preflight { .. } => {
                ControlFlow::Break(crate::preflight::respond(config, granted))
            }
            Then::Run { preflight, .. } => ControlFlow::Continue(Grant {
                origin: granted,
                preflight,
            }),
        }
    }

    /// Awaits the check, then [`conclude`](Self::conclude)s.
    pub async fn finish<R: Default + From<&'static str>>(
        self,
        config: &CorsConfig,
    ) -> ControlFlow<Response<R>, Grant> {
        let Asking {
            verdict,
            origin,
            then,
        } = self;
        let allowed = verdict.await;
        Self::conclude(origin, then, config, allowed)
    }

    /// The pieces, for a future that polls the verdict itself (the tower layer's).
    pub(crate) fn into_parts(self) -> (PendingVerdict, Concluding) {
        (
            self.verdict,
            Concluding {
                origin: self.origin,
                then: self.then,
            },
        )
    }
}

/// What an [`Asking`] does once its verdict is in.
pub(crate) struct Concluding {
    origin: HeaderValue,
    then: Then,
}

impl Concluding {
    pub(crate) fn conclude<R: Default + From<&'static str>>(
        self,
        config: &CorsConfig,
        allowed: bool,
    ) -> ControlFlow<Response<R>, Grant> {
        Asking::conclude(self.origin, self.then, config, allowed)
    }
}

/// Before the handler: answer the request, let the handler run, or ask the check first.
#[inline]
pub(crate) fn begin<B>(config: &CorsConfig, request: &Request<B>) -> Start {
    begin_parts(config, request.method(), request.headers())
}

/// [`begin`] from the request's method and headers alone: what an event type that is not an
/// `http::Request` (`aws_lambda_events`' typed events) has.
#[inline]
pub(crate) fn begin_parts(config: &CorsConfig, method: &Method, headers: &HeaderMap) -> Start {
    // The front door answers preflights and writes the headers: the handler runs, unfettered but
    // for the guard, which no front door has (a front-door policy has no check in code).
    if config.front_door {
        if config.csrf != Csrf::Off
            && crate::guard::is_write(method)
            && let Write::Refused(why) = crate::guard::check(
                config,
                headers,
                crate::origin::origin_header(headers),
                &crate::origin::decide(config, headers, false),
            )
            && refuse_write(config, method, headers, why)
        {
            return Start::Answer(Answer(Answering::Refused));
        }
        return Start::Run(Grant {
            origin: GrantedOrigin::Denied,
            preflight: false,
        });
    }
    if let Origins::Env(env) = &config.origins
        && let Err(error) = env.get()
    {
        crate::env::log_unusable(error);
        return Start::Answer(Answer(Answering::Unusable));
    }
    // Only an `OPTIONS` request can be a preflight: the others do not call `start`.
    if config.preflight
        && method == Method::OPTIONS
        && let Some(start) = crate::preflight::start(config, method, headers)
    {
        return match start {
            PreflightStart::Answer(granted) => Start::Answer(Answer(Answering::Preflight(granted))),
            PreflightStart::Ask {
                verdict,
                origin,
                method,
                requested,
            } => Start::Ask(Asking::preflight(verdict, origin, method, requested)),
        };
    }
    let preflight = crate::preflight::is_preflight(method, headers);
    // The request's `Origin` headers, looked up once for the grant, the guard and the log; a `*`
    // policy needs them only for a guarded write.
    let sent = match config.origins {
        Origins::Any => None,
        _ => Some(crate::origin::origin_header(headers)),
    };
    let single = sent.flatten().flatten();
    let decision = match &config.origins {
        Origins::Any => Decision::Granted(GrantedOrigin::Any),
        Origins::Exact(allowed) => Decision::Granted(GrantedOrigin::Origin(allowed.clone())),
        _ => crate::origin::decide_request_origin(config, single, false),
    };
    // A write is the guard's first (rare beside reads: kept off the path of every other request).
    if config.csrf != Csrf::Off && crate::guard::is_write(method) {
        return guarded(config, method, headers, sent, decision, preflight);
    }
    start_run(config, headers, single, decision, preflight, None)
}

/// A write under a policy whose guard is on: refused (logged), or run as any request, perhaps
/// once the check has granted its origin.
fn guarded(
    config: &CorsConfig,
    method: &Method,
    headers: &HeaderMap,
    sent: Option<Option<Option<&HeaderValue>>>,
    decision: Decision,
    preflight: bool,
) -> Start {
    let sent = sent.unwrap_or_else(|| crate::origin::origin_header(headers));
    let pending = match crate::guard::check(config, headers, sent, &decision) {
        Write::Allowed => None,
        Write::IfGranted => Some(PendingWrite {
            method: method.clone(),
            site: headers.get(crate::guard::SEC_FETCH_SITE).cloned(),
        }),
        Write::Refused(why) => {
            if refuse_write(config, method, headers, why) {
                return Start::Answer(Answer(Answering::Refused));
            }
            None
        }
    };
    start_run(
        config,
        headers,
        sent.flatten(),
        decision,
        preflight,
        pending,
    )
}

/// The handler runs, with what the decision grants (or once the check has answered).
#[inline(always)]
fn start_run(
    config: &CorsConfig,
    headers: &HeaderMap,
    single: Option<&HeaderValue>,
    decision: Decision,
    preflight: bool,
    write: Option<PendingWrite>,
) -> Start {
    match decision {
        Decision::Granted(origin) => {
            observe(config, headers, single, &origin);
            Start::Run(Grant { origin, preflight })
        }
        Decision::Ask(verdict, origin) => Start::Ask(Asking {
            verdict,
            origin,
            then: Then::Run { preflight, write },
        }),
    }
}

/// The guard's refusal, logged: `true` when the policy blocks it (`csrf = "block"`), `false`
/// when it only reports it.
#[cold]
fn refuse_write(config: &CorsConfig, method: &Method, headers: &HeaderMap, why: Why) -> bool {
    let blocked = config.csrf == Csrf::Block;
    let origins = headers.get_all(http::header::ORIGIN).iter();
    let site = headers.get(crate::guard::SEC_FETCH_SITE);
    crate::report::refused_write(method, origins, site, why, blocked);
    blocked
}

/// What the log and the counters see of an actual request's grant, given its one `Origin`:
/// nothing on the happy path (an allowed origin, a request without `Origin`); a refused origin,
/// logged once.
#[inline(always)]
fn observe(
    config: &CorsConfig,
    headers: &HeaderMap,
    origin: Option<&HeaderValue>,
    granted: &GrantedOrigin,
) {
    match granted {
        GrantedOrigin::Denied => {
            if let Some(origin) = origin {
                crate::report::refused_origin(config, origin, Some(headers), false);
            }
        }
        // A single literal origin is sent without comparing: compare it here, for the log.
        GrantedOrigin::Origin(allowed) if matches!(config.origins, Origins::Exact(_)) => {
            match origin {
                Some(origin) if origin != allowed => {
                    crate::report::refused_origin(config, origin, Some(headers), false);
                }
                _ => crate::report::count(crate::report::Decision::Granted),
            }
        }
        _ => crate::report::count(crate::report::Decision::Granted),
    }
}

/// [`begin`], with an `async` check awaited: `Break` answers, `Continue` runs the handler.
pub(crate) async fn start<B, R>(
    config: &CorsConfig,
    request: &Request<B>,
) -> ControlFlow<Response<R>, Grant>
where
    R: Default + From<&'static str>,
{
    match begin(config, request) {
        Start::Answer(answer) => ControlFlow::Break(answer.respond(config)),
        Start::Run(grant) => ControlFlow::Continue(grant),
        Start::Ask(asking) => asking.finish(config).await,
    }
}

/// After the handler: the grant applied to its response, in place.
#[inline]
pub(crate) fn finish<B>(config: &CorsConfig, grant: Grant, response: &mut Response<B>) {
    crate::headers::apply(config, grant, response.headers_mut());
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
    let grant = match start(config, &request).await {
        ControlFlow::Break(answer) => return answer,
        ControlFlow::Continue(grant) => grant,
    };
    let mut response = match crate::panic::catch_panic(handler(request)).await {
        Ok(Ok(value)) => value.into_response().await,
        Ok(Err(error)) => error_response(&error),
        Err(payload) => crate::error::panic_response(payload),
    };
    finish(config, grant, &mut response);
    response
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
        let Start::Answer(answer) = begin(&answering, &preflight()) else {
            panic!("a preflight answered")
        };
        assert_eq!(answer.respond::<Body>(&answering).status(), 204);
        let passing = CorsConfig::builder()
            .allow_origin("https://a.com")
            .answer_preflight(false)
            .build()
            .unwrap();
        assert!(matches!(begin(&passing, &preflight()), Start::Run(g) if g.is_granted()));
    }

    #[test]
    fn an_unusable_environment_answers_500() {
        static UNSET: CorsConfig = crate::literal::Spec::new()
            .origin_env("CORS_RUNTIME_TEST_UNSET_VAR")
            .build();
        let Start::Answer(answer) = begin(&UNSET, &preflight()) else {
            panic!("answered without the handler")
        };
        let answer = answer.respond::<Body>(&UNSET);
        assert_eq!(answer.status(), 500);
        assert_eq!(answer.headers()["vary"], "Origin");
        assert!(!answer.headers().contains_key("access-control-allow-origin"));
    }
}
