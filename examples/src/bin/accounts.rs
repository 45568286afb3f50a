//! The second function sharing the policies of `cors_examples::cors` (the first is `orders`):
//! `/partner/...` under `PARTNER_CORS`, everything else under `API_CORS`.
//!
//! ```sh
//! echo 'PARTNER_ORIGINS=https://partner.example' > partner.env
//! cargo lambda watch --disable-cors --env-file partner.env   # then:
//! curl -i -H 'Origin: https://admin.myapp.com' http://localhost:9000/lambda-url/accounts/accounts/me
//! ```
//!
//! | route | answer |
//! | --- | --- |
//! | `GET /accounts/me` | `200` JSON with the `x-request-id` response header (exposed) |
//! | `GET /accounts/{id}` | `200` JSON; `500` (through `?`) for a non-number |
//! | `DELETE /accounts/{id}` | `200` JSON |
//! | `GET /fail`, `GET /panic` | `500`: an `Err`, a panic |
//! | `GET /partner/accounts` | `200` JSON, under `PARTNER_CORS` |
use std::convert::Infallible;

use cors_examples::{json, route};
use cors_runtime::cors_handler;
use lambda_http::{Body, Error, Request, RequestExt, Response, run, service_fn};

#[cors_handler(config = cors_examples::cors::API_CORS)]
async fn api(event: Request) -> Result<Response<Body>, Error> {
    let route = route(&event, "accounts");
    let segments: Vec<&str> = route.trim_matches('/').split('/').collect();
    match (event.method().as_str(), segments.as_slice()) {
        ("GET", ["accounts", "me"]) => {
            let request_id = event
                .lambda_context_ref()
                .map(|context| context.request_id.clone())
                .unwrap_or_default();
            Ok(Response::builder()
                .header("content-type", "application/json")
                .header("x-request-id", request_id)
                .body(serde_json::json!({ "account": "alice" }).to_string().into())?)
        }
        ("GET", ["accounts", id]) => {
            json(200, serde_json::json!({ "account": id.parse::<u32>()? }))
        }
        ("DELETE", ["accounts", id]) => {
            json(200, serde_json::json!({ "deleted": id.parse::<u32>()? }))
        }
        ("GET", ["fail"]) => Err("the accounts table is unreachable".into()),
        ("GET", ["panic"]) => panic!("accounts panics on purpose"),
        _ => json(
            404,
            serde_json::json!({ "message": format!("no route {route}") }),
        ),
    }
}

#[cors_handler(config = cors_examples::cors::PARTNER_CORS)]
async fn partner(event: Request) -> Result<Response<Body>, Error> {
    let _ = event;
    json(200, serde_json::json!({ "accounts": ["alice"] }))
}

async fn function(event: Request) -> Result<Response<Body>, Infallible> {
    if route(&event, "accounts").starts_with("/partner/") {
        partner(event).await
    } else {
        api(event).await
    }
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    tracing_subscriber::fmt().json().without_time().init();
    run(service_fn(function)).await
}
