//! What the parts of `#[cors_handler]`'s expansion cost, measured on its current shape and on
//! the change proposed in BENCHMARKS.md (no `.await` when the handler's `Ok` value is already a
//! `Response`). Each function below is the expansion of
//! `#[cors_handler(origin = "https://myapp.com")]` around `cors_bench::app`, written out
//! (`RUSTC_BOOTSTRAP=1 cargo rustc -p cors-bench --lib -- -Zunpretty=expanded`), then edited.
//!
//! ```sh
//! cargo build --release -p cors-bench --example expansion
//! for v in current ready_without_await without_catch_panic; do
//!   for n in 200 1200; do
//!     valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!       --toggle-collect='expansion::measured*' target/release/examples/expansion $v $n 2>&1 |
//!       grep Collected
//!   done
//! done   # instructions per request = (second - first) / 1000
//! ```

// As in the expansion: both traits of each autoref dispatch are imported (one is used per type),
// `(&value)` is the autoref, `output` only pins the body's type.
#![allow(unused_imports, unused_variables, clippy::needless_borrow)]

use std::future::Future;
use std::ops::ControlFlow;
use std::pin::Pin;
use std::task::{Context, Poll};

use cors_bench::{Case, app, block_on};
use cors_runtime::__private as p;
use lambda_http::{Body, Error, Request, Response};

static CONFIG: p::CorsConfig = p::CorsConfig::__from_parts(
    p::AllowedOrigins::Exact(p::HeaderValue::from_static("https://myapp.com")),
    p::DEFAULT_METHODS,
    p::DEFAULT_HEADERS,
    None,
    false,
    None,
    true,
);

/// The expansion as it is: the `Ok` value goes through `DirectTag::into_response(..).await`,
/// which moves the response into a `Ready` kept in the future's state, and out again.
pub async fn current(request: Request) -> Result<p::Response, p::Infallible> {
    let config = &CONFIG;
    let grant = match p::begin(config, &request) {
        ControlFlow::Break(preflight) => return Ok(preflight),
        ControlFlow::Continue(grant) => grant,
    };
    let outcome = p::catch_panic(async move {
        #[allow(unreachable_code, clippy::diverging_sub_expression, clippy::empty_loop)]
        if false {
            let output: Result<Response<Body>, Error> = loop {};
            return output;
        }
        app(request).await
    })
    .await;
    let response = match outcome {
        Ok(Ok(value)) => {
            use p::{ConvertKind as _, DirectKind as _};
            let kind = (&value).__cors_response_kind();
            kind.into_response(value).await
        }
        Ok(Err(error)) => {
            use p::{DefaultErrorKind as _, TypedErrorKind as _};
            (&error).__cors_error_kind().error_response(&error)
        }
        Err(panic) => p::panic_response(panic),
    };
    Ok(p::finish(config, grant, response))
}

/// What `DirectTag` / `ConvertTag::into_response` would return in the proposal: the response
/// itself when there is nothing to wait for, else the conversion's future.
pub enum Converted<F> {
    /// A `Response<B>`, used as it is.
    Ready(p::Response),
    /// `IntoResponse::into_response`'s future.
    Future(F),
}

/// The future type of `Converted::Ready` (never built).
pub enum NoFuture {}

impl Future for NoFuture {
    type Output = p::Response;
    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<p::Response> {
        match *self {}
    }
}

/// The proposal: `match kind.into_response(value) { Ready(r) => r, Future(f) => f.await }`.
/// For a `Response`, the `Future` arm has an uninhabited type and compiles away.
pub async fn ready_without_await(request: Request) -> Result<p::Response, p::Infallible> {
    let config = &CONFIG;
    let grant = match p::begin(config, &request) {
        ControlFlow::Break(preflight) => return Ok(preflight),
        ControlFlow::Continue(grant) => grant,
    };
    let outcome = p::catch_panic(async move {
        #[allow(unreachable_code, clippy::diverging_sub_expression, clippy::empty_loop)]
        if false {
            let output: Result<Response<Body>, Error> = loop {};
            return output;
        }
        app(request).await
    })
    .await;
    let response = match outcome {
        Ok(Ok(value)) => match Converted::<NoFuture>::Ready(value) {
            Converted::Ready(response) => response,
            Converted::Future(future) => future.await,
        },
        Ok(Err(error)) => {
            use p::{DefaultErrorKind as _, TypedErrorKind as _};
            (&error).__cors_error_kind().error_response(&error)
        }
        Err(panic) => p::panic_response(panic),
    };
    Ok(p::finish(config, grant, response))
}

/// The current expansion without `catch_panic`, to size it (not a proposal: the contract
/// requires the panic to be caught).
pub async fn without_catch_panic(request: Request) -> Result<p::Response, p::Infallible> {
    let config = &CONFIG;
    let grant = match p::begin(config, &request) {
        ControlFlow::Break(preflight) => return Ok(preflight),
        ControlFlow::Continue(grant) => grant,
    };
    let outcome: Result<_, Box<dyn std::any::Any + Send>> = Ok(async move {
        #[allow(unreachable_code, clippy::diverging_sub_expression, clippy::empty_loop)]
        if false {
            let output: Result<Response<Body>, Error> = loop {};
            return output;
        }
        app(request).await
    }
    .await);
    let response = match outcome {
        Ok(Ok(value)) => {
            use p::{ConvertKind as _, DirectKind as _};
            let kind = (&value).__cors_response_kind();
            kind.into_response(value).await
        }
        Ok(Err(error)) => {
            use p::{DefaultErrorKind as _, TypedErrorKind as _};
            (&error).__cors_error_kind().error_response(&error)
        }
        Err(panic) => p::panic_response(panic),
    };
    Ok(p::finish(config, grant, response))
}

#[inline(never)]
fn measured(which: &str, request: Request) -> Result<p::Response, p::Infallible> {
    match which {
        "current" => block_on(current(request)),
        "ready_without_await" => block_on(ready_without_await(request)),
        "without_catch_panic" => block_on(without_catch_panic(request)),
        _ => {
            eprintln!("usage: expansion <current|ready_without_await|without_catch_panic> <n>");
            std::process::exit(2)
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(which), Some(Ok(n))) = (args.get(1), args.get(2).map(|n| n.parse::<u32>())) else {
        eprintln!("usage: expansion <current|ready_without_await|without_catch_panic> <n>");
        std::process::exit(2)
    };
    for _ in 0..n {
        let request = Case::Single.request();
        let response = measured(std::hint::black_box(which), std::hint::black_box(request));
        drop(std::hint::black_box(response));
    }
}
