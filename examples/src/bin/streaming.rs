//! A streamed answer (a function URL with `InvokeMode: RESPONSE_STREAM`, served by
//! `lambda_http::run_with_streaming_response`): the tokens of a long answer sent to the browser
//! as they come, under `cors_examples::cors::STREAM_CORS` (the site and any loopback dev port).
//! The CORS headers are
//! in the response's head, before the first token; preflights are answered; an `Err` or a panic
//! before the first byte is the `500` with the headers; a failure after the body has started can
//! only end the stream (logged).
//!
//! ```sh
//! cargo lambda watch --disable-cors -A 127.0.0.1 -P 9000   # then:
//! curl --no-buffer -i -H 'Origin: http://127.0.0.1:8080' http://127.0.0.1:9000/lambda-url/streaming/answer
//! ```
//!
//! | route | answer |
//! | --- | --- |
//! | `GET /answer` | `200`, eight tokens, 150 ms apart |
//! | `GET /fail` | `500` (an `Err` before the first byte) |
//! | `GET /panic` | `500` (a panic before the first byte) |
//! | `GET /break` | `200`, two tokens, then the body fails: the stream ends |
use std::time::Duration;

use cors_runtime::cors_handler;
use lambda_http::lambda_runtime::streaming::{Body, channel};
use lambda_http::{Error, Request, RequestExt, Response, run_with_streaming_response, service_fn};

const TOKENS: [&str; 8] = [
    "Streamed ",
    "answers ",
    "keep ",
    "their ",
    "CORS ",
    "headers ",
    "in ",
    "the head.",
];

#[cors_handler(config = cors_examples::cors::STREAM_CORS, streaming)]
async fn handler(event: Request) -> Result<Response<Body>, Error> {
    let path = event.raw_http_path();
    let route = path.strip_prefix("/lambda-url/streaming").unwrap_or(path);
    let tokens: &[&str] = match route {
        "/answer" => &TOKENS,
        "/break" => &TOKENS[..2],
        "/fail" => return Err("the model is unavailable".into()),
        "/panic" => panic!("the streaming handler panics on purpose"),
        _ => {
            return Ok(Response::builder()
                .status(404)
                .body(Body::from("no such route"))?);
        }
    };
    let broken = route == "/break";
    let (mut sender, body) = channel();
    tokio::spawn(async move {
        for token in tokens {
            tokio::time::sleep(Duration::from_millis(150)).await;
            if sender.send_data((*token).into()).await.is_err() {
                return;
            }
        }
        if broken {
            // The body fails: lambda_runtime ends the stream with a stream error.
            sender.abort();
        }
    });
    Ok(Response::builder()
        .header("content-type", "text/plain; charset=utf-8")
        .body(body)?)
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    tracing_subscriber::fmt().json().without_time().init();
    run_with_streaming_response(service_fn(handler)).await
}
