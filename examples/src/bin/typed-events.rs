//! The demo API's routes as a `lambda_runtime` function of typed events (`aws_lambda_events`),
//! without `lambda_http`: `#[cors_handler]` on `async fn(event: LambdaEvent<Req>) -> Result<Resp,
//! E>`, with the demo's policy (`cors_examples::cors::DEMO_CORS`), so that every answer is the one
//! `demo-api` gives.
//!
//! One handler per event type, each reading its request and building its response the way its
//! integration expects; `TYPED_EVENT` picks the one `main` runs: `function-url` (the default, the
//! events `cargo lambda watch` sends), `rest` (`ApiGatewayProxyRequest`), `http`
//! (`ApiGatewayV2httpRequest`) or `alb` (`AlbTargetGroupRequest`, either multi-value mode).
//!
//! ```sh
//! echo 'DEMO_ALLOWED_ORIGINS=http://127.0.0.1:8080' > demo.env
//! cargo lambda watch --disable-cors -A 127.0.0.1 -P 9000 --env-file demo.env
//! curl -i -H 'Origin: http://127.0.0.1:8080' http://127.0.0.1:9000/lambda-url/typed-events/hello
//! ```
//!
//! | route | answer |
//! | --- | --- |
//! | `GET /hello` | `200` text (the tail expression) |
//! | `POST /echo` | `200`, the JSON body sent back |
//! | `PUT /items/{id}` | `200` JSON with the `x-demo-token` request header |
//! | `GET /items/0` | `404` through an early `return` |
//! | `GET /items/{not a number}` | `500` through `?` |
//! | `GET /fail` | `500` through an explicit `Err` |
//! | `GET /panic` | `500`: the handler panics |
//! | `GET /headers` | `x-request-id` (exposed) and `x-internal-trace` (not exposed) |
//! | anything else | `404` |
use aws_lambda_events::alb::{AlbTargetGroupRequest, AlbTargetGroupResponse};
use aws_lambda_events::apigw::{
    ApiGatewayProxyRequest, ApiGatewayProxyResponse, ApiGatewayV2httpRequest,
    ApiGatewayV2httpResponse,
};
use aws_lambda_events::encodings::Body;
use aws_lambda_events::lambda_function_urls::{
    LambdaFunctionUrlRequest, LambdaFunctionUrlResponse,
};
use base64::Engine as _;
use cors_runtime::cors_handler;
use http::{HeaderMap, HeaderName, HeaderValue};
use lambda_runtime::{Error, LambdaEvent, run, service_fn};

/// What a route answers, before it is written in the event's response type.
struct Reply {
    status: u16,
    headers: HeaderMap,
    body: String,
}

impl Reply {
    fn text(status: u16, body: impl Into<String>) -> Reply {
        Reply {
            status,
            headers: HeaderMap::new(),
            body: body.into(),
        }
    }

    fn json(status: u16, value: &serde_json::Value) -> Reply {
        let mut reply = Reply::text(status, value.to_string());
        reply.headers.insert(
            http::header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        reply
    }
}

/// The request as the routes read it.
struct Asked<'a> {
    method: &'a str,
    path: &'a str,
    headers: &'a HeaderMap,
    body: Option<String>,
    request_id: &'a str,
}

/// The request body, decoded when the integration sent it as base64.
fn body_text(body: Option<&str>, base64: bool) -> Result<Option<String>, Error> {
    match body {
        Some(body) if base64 => Ok(Some(String::from_utf8(
            base64::engine::general_purpose::STANDARD.decode(body)?,
        )?)),
        body => Ok(body.map(str::to_owned)),
    }
}

/// Every route of the demo. An error (`?`, an explicit `Err`) and a panic leave through the
/// handler that called it, which `#[cors_handler]` turns into the logged `500` with the headers.
fn route(asked: &Asked<'_>) -> Result<Reply, Error> {
    // `cargo lambda watch` keeps the function URL prefix in the path.
    let path = asked
        .path
        .strip_prefix("/lambda-url/typed-events")
        .unwrap_or(asked.path);
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match (asked.method, segments.as_slice()) {
        ("GET", ["hello"]) => Ok(Reply::text(200, "hello from typed-events")),
        ("POST", ["echo"]) => {
            let sent: serde_json::Value =
                serde_json::from_str(asked.body.as_deref().unwrap_or_default())?;
            Ok(Reply::json(200, &serde_json::json!({ "echo": sent })))
        }
        ("PUT", ["items", id]) => {
            let id: u32 = id.parse()?;
            let token = asked
                .headers
                .get("x-demo-token")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            Ok(Reply::json(
                200,
                &serde_json::json!({ "id": id, "token": token }),
            ))
        }
        ("GET", ["items", id]) => {
            let id: u32 = id.parse()?; // `abc`: the error becomes a 500 with the CORS headers
            if id == 0 {
                return Ok(Reply::text(404, "no item 0"));
            }
            Ok(Reply::json(200, &serde_json::json!({ "id": id })))
        }
        ("GET", ["fail"]) => Err("the database is down (10.0.3.7:5432)".into()),
        ("GET", ["panic"]) => panic!("the demo handler panics on purpose"),
        ("GET", ["headers"]) => {
            let mut reply = Reply::text(200, "two headers: one exposed, one not");
            reply.headers.insert(
                HeaderName::from_static("x-request-id"),
                HeaderValue::from_str(asked.request_id)?,
            );
            reply.headers.insert(
                HeaderName::from_static("x-internal-trace"),
                HeaderValue::from_static("node-7/shard-3"),
            );
            Ok(reply)
        }
        (method, _) => Ok(Reply::text(404, format!("no route {method} {path}"))),
    }
}

/// Function URLs: what `cargo lambda watch` sends.
#[cors_handler(config = cors_examples::cors::DEMO_CORS)]
async fn function_url(
    event: LambdaEvent<LambdaFunctionUrlRequest>,
) -> Result<LambdaFunctionUrlResponse, Error> {
    let request = &event.payload;
    let reply = route(&Asked {
        method: request
            .request_context
            .http
            .method
            .as_deref()
            .unwrap_or("GET"),
        path: request.raw_path.as_deref().unwrap_or("/"),
        headers: &request.headers,
        body: body_text(request.body.as_deref(), request.is_base64_encoded)?,
        request_id: &event.context.request_id,
    })?;
    let mut response = LambdaFunctionUrlResponse::default();
    response.status_code = reply.status.into();
    response.headers = reply.headers;
    response.body = Some(reply.body);
    Ok(response)
}

/// REST APIs (Lambda proxy integration).
#[cors_handler(config = cors_examples::cors::DEMO_CORS)]
async fn rest(
    event: LambdaEvent<ApiGatewayProxyRequest>,
) -> Result<ApiGatewayProxyResponse, Error> {
    let request = &event.payload;
    // Every value is in `multiValueHeaders`; a test event may carry only `headers`.
    let headers = match request.multi_value_headers.is_empty() {
        true => &request.headers,
        false => &request.multi_value_headers,
    };
    let reply = route(&Asked {
        method: request.http_method.as_str(),
        path: request.path.as_deref().unwrap_or("/"),
        headers,
        body: body_text(request.body.as_deref(), request.is_base64_encoded)?,
        request_id: &event.context.request_id,
    })?;
    let mut response = ApiGatewayProxyResponse::default();
    response.status_code = reply.status.into();
    response.headers = reply.headers;
    response.body = Some(Body::Text(reply.body));
    Ok(response)
}

/// HTTP APIs (payload 2.0).
#[cors_handler(config = cors_examples::cors::DEMO_CORS)]
async fn http_api(
    event: LambdaEvent<ApiGatewayV2httpRequest>,
) -> Result<ApiGatewayV2httpResponse, Error> {
    let request = &event.payload;
    let reply = route(&Asked {
        method: request.request_context.http.method.as_str(),
        path: request.raw_path.as_deref().unwrap_or("/"),
        headers: &request.headers,
        body: body_text(request.body.as_deref(), request.is_base64_encoded)?,
        request_id: &event.context.request_id,
    })?;
    let mut response = ApiGatewayV2httpResponse::default();
    response.status_code = reply.status.into();
    response.headers = reply.headers;
    response.body = Some(Body::Text(reply.body));
    Ok(response)
}

/// ALB target groups: the response's headers go in the map the target group reads.
#[cors_handler(config = cors_examples::cors::DEMO_CORS)]
async fn alb(event: LambdaEvent<AlbTargetGroupRequest>) -> Result<AlbTargetGroupResponse, Error> {
    let request = &event.payload;
    let multi_value = !request.multi_value_headers.is_empty();
    let reply = route(&Asked {
        method: request.http_method.as_str(),
        path: request.path.as_deref().unwrap_or("/"),
        headers: match multi_value {
            true => &request.multi_value_headers,
            false => &request.headers,
        },
        body: body_text(request.body.as_deref(), request.is_base64_encoded)?,
        request_id: &event.context.request_id,
    })?;
    let status = http::StatusCode::from_u16(reply.status)?;
    let mut response = AlbTargetGroupResponse::default();
    response.status_code = reply.status.into();
    response.status_description = Some(format!(
        "{} {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or_default()
    ));
    match multi_value {
        true => response.multi_value_headers = reply.headers,
        false => response.headers = reply.headers,
    }
    response.body = Some(Body::Text(reply.body));
    Ok(response)
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    tracing_subscriber::fmt().json().without_time().init();
    match std::env::var("TYPED_EVENT").as_deref() {
        Ok("rest") => run(service_fn(rest)).await,
        Ok("http") => run(service_fn(http_api)).await,
        Ok("alb") => run(service_fn(alb)).await,
        Ok("function-url") | Err(_) => run(service_fn(function_url)).await,
        Ok(other) => Err(format!("TYPED_EVENT={other}: rest, http, alb or function-url").into()),
    }
}
