//! [`StreamBody`]: the body of a streamed handler's responses (`#[cors_handler(streaming)]`, for
//! `lambda_http::run_with_streaming_response`): the handler's own body, streamed as it comes, or
//! an answer the wrapper made itself (a preflight's, an error's `500`).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Body as HttpBody, Frame, SizeHint};

pin_project_lite::pin_project! {
    /// The body of a streamed handler's responses.
    ///
    /// The response's head — status and headers, the CORS headers among them — goes out before
    /// the first byte of the body. A body that fails (or panics) after that can only end the
    /// stream: the failure is logged with `tracing::error!` and reported to `lambda_runtime`,
    /// which ends the response with the function's stream error.
    pub struct StreamBody<B> {
        #[pin]
        inner: Inner<B>,
    }
}

pin_project_lite::pin_project! {
    #[project = InnerProj]
    enum Inner<B> {
        // The handler's body.
        Stream {
            #[pin]
            body: B,
        },
        // The wrapper's own answer, in one piece.
        Full {
            data: Option<Bytes>,
        },
    }
}

impl<B> StreamBody<B> {
    /// The handler's body.
    #[inline]
    pub fn stream(body: B) -> Self {
        StreamBody {
            inner: Inner::Stream { body },
        }
    }

    fn full(data: Bytes) -> Self {
        StreamBody {
            inner: Inner::Full {
                data: (!data.is_empty()).then_some(data),
            },
        }
    }
}

impl<B> std::fmt::Debug for StreamBody<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.inner {
            Inner::Stream { .. } => f.write_str("StreamBody::Stream"),
            Inner::Full { data } => f.debug_tuple("StreamBody::Full").field(data).finish(),
        }
    }
}

impl<B> Default for StreamBody<B> {
    fn default() -> Self {
        StreamBody::full(Bytes::new())
    }
}

impl<B> From<&'static str> for StreamBody<B> {
    fn from(text: &'static str) -> Self {
        StreamBody::full(Bytes::from_static(text.as_bytes()))
    }
}

/// An answer made as a buffered `lambda_http` response (an error's own response).
impl<B> From<lambda_http::Body> for StreamBody<B> {
    fn from(body: lambda_http::Body) -> Self {
        StreamBody::full(match body {
            lambda_http::Body::Empty => Bytes::new(),
            lambda_http::Body::Text(text) => Bytes::from(text),
            lambda_http::Body::Binary(bytes) => Bytes::from(bytes),
            _ => Bytes::new(),
        })
    }
}

impl<B> HttpBody for StreamBody<B>
where
    B: HttpBody,
    B::Data: Into<Bytes>,
    B::Error: Into<lambda_http::Error>,
{
    type Data = Bytes;
    type Error = lambda_http::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, lambda_http::Error>>> {
        match self.project().inner.project() {
            InnerProj::Full { data } => Poll::Ready(data.take().map(|data| Ok(Frame::data(data)))),
            InnerProj::Stream { body } => {
                match catch_unwind(AssertUnwindSafe(|| body.poll_frame(cx))) {
                    Ok(Poll::Ready(Some(Ok(frame)))) => {
                        Poll::Ready(Some(Ok(frame.map_data(Into::into))))
                    }
                    Ok(Poll::Ready(Some(Err(error)))) => {
                        let error = error.into();
                        tracing::error!(
                            error = %error,
                            error.debug = ?error,
                            "the streamed body failed after the response began: the stream ends"
                        );
                        Poll::Ready(Some(Err(error)))
                    }
                    Ok(Poll::Ready(None)) => Poll::Ready(None),
                    Ok(Poll::Pending) => Poll::Pending,
                    Err(payload) => {
                        tracing::error!(
                            panic = crate::panic::panic_message(&*payload),
                            "the streamed body panicked after the response began: the stream ends"
                        );
                        Poll::Ready(Some(Err("the streamed body panicked".into())))
                    }
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        match &self.inner {
            Inner::Stream { body } => body.is_end_stream(),
            Inner::Full { data } => data.is_none(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match &self.inner {
            Inner::Stream { body } => body.size_hint(),
            Inner::Full { data } => {
                SizeHint::with_exact(data.as_ref().map_or(0, |d| d.len() as u64))
            }
        }
    }
}
