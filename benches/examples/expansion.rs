//! What the parts of `#[cors_handler]`'s expansion cost: its current shape (since `b7f0316`, a
//! `Response` returned by the body is used without an `.await`), the shape before (the response
//! went through `.await` on a `Ready`), and the current one without `catch_panic` (to size it).
//! Each function below is the expansion of `#[cors_handler(origin = "https://myapp.com")]` around
//! `cors_bench::app`, written out
//! (`RUSTC_BOOTSTRAP=1 cargo rustc -p cors-bench --lib -- -Zunpretty=expanded`), then edited.
//!
//! ```sh
//! cargo build --release -p cors-bench --example expansion
//! for v in current before without_catch_panic; do
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

use std::ops::ControlFlow;

use cors_bench::{Case, app, block_on};
use cors_runtime::__private as p;
use lambda_http::{Body, Error, Request, Response};

static CONFIG: cors_runtime::CorsConfig = cors_runtime::cors_config!(origin = "https://myapp.com");

/// The expansion as it is: `match kind.into_response(value) { Ready(r) => r, Future(f) =>
/// f.await }`; for a `Response` the `Future` arm (of the uninhabited `NoFuture`) compiles away.
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
            match kind.into_response(value) {
                p::Converted::Ready(response) => response,
                p::Converted::Future(future) => future.await,
            }
        }
        Ok(Err(error)) => {
            use p::{DefaultErrorKind as _, TypedErrorKind as _};
            (&error).__cors_error_kind().error_response(&error)
        }
        Err(panic) => p::panic_response(panic),
    };
    Ok(p::finish(config, grant, response))
}

/// The expansion before `b7f0316`: `DirectTag::into_response` returned a `Ready`, and the
/// response was moved into it, kept in the future's state across the `.await`, and out again.
pub async fn before(request: Request) -> Result<p::Response, p::Infallible> {
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
        Ok(Ok(value)) => std::future::ready(value.map(Into::into)).await,
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
            match kind.into_response(value) {
                p::Converted::Ready(response) => response,
                p::Converted::Future(future) => future.await,
            }
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
        "before" => block_on(before(request)),
        "without_catch_panic" => block_on(without_catch_panic(request)),
        _ => {
            eprintln!("usage: expansion <current|before|without_catch_panic> <n>");
            std::process::exit(2)
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(which), Some(Ok(n))) = (args.get(1), args.get(2).map(|n| n.parse::<u32>())) else {
        eprintln!("usage: expansion <current|before|without_catch_panic> <n>");
        std::process::exit(2)
    };
    for _ in 0..n {
        let request = Case::Single.request();
        let response = measured(std::hint::black_box(which), std::hint::black_box(request));
        drop(std::hint::black_box(response));
    }
}
