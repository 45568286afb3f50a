//! Catching a panic inside the handler's future.
//!
//! `lambda_runtime` catches a handler's panic itself and posts it to the Runtime API's `/error`,
//! which API Gateway answers with a `502` that has no CORS headers. Catching it here, inside the
//! handler's future, turns it into a `500` that keeps them.

use std::any::Any;
use std::future::{Future, poll_fn};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::pin;
use std::task::Poll;

/// Runs `future` to completion, or returns the payload of the panic that one of its polls raised.
///
/// No allocation and no `unsafe`: the future is pinned on this future's own state.
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
