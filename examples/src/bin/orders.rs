//! One of two functions sharing the policies of `cors_examples::cors` (the other is `accounts`):
//! `/partner/...` is answered under `PARTNER_CORS`, everything else under `API_CORS`.
//!
//! ```sh
//! echo 'PARTNER_ORIGINS=https://partner.example' > partner.env
//! cargo lambda watch --disable-cors --env-file partner.env   # then:
//! curl -i -H 'Origin: https://myapp.com' http://localhost:9000/lambda-url/orders/orders/7
//! ```
//!
//! | route | answer |
//! | --- | --- |
//! | `GET /orders/{id}` | `200` JSON; `404` for `0`; `500` (through `?`) for a non-number |
//! | `PUT /orders/{id}` | `200` JSON with the request's body |
//! | `GET /fail`, `GET /panic` | `500`: an `Err`, a panic |
//! | `GET /partner/orders` | `200` JSON, under `PARTNER_CORS` |
use std::convert::Infallible;

use cors_examples::{json, route};
use cors_runtime::cors_handler;
use lambda_http::{Body, Error, Request, Response, run, service_fn};

#[cors_handler(config = cors_examples::cors::API_CORS)]
async fn api(event: Request) -> Result<Response<Body>, Error> {
    let route = route(&event, "orders");
    let segments: Vec<&str> = route.trim_matches('/').split('/').collect();
    match (event.method().as_str(), segments.as_slice()) {
        ("GET", ["orders", id]) => {
            let id: u32 = id.parse()?;
            if id == 0 {
                return json(404, serde_json::json!({ "message": "no order 0" }));
            }
            json(200, serde_json::json!({ "order": id }))
        }
        ("PUT", ["orders", id]) => {
            let id: u32 = id.parse()?;
            let sent: serde_json::Value = serde_json::from_slice(event.body().as_ref())?;
            json(200, serde_json::json!({ "order": id, "stored": sent }))
        }
        ("GET", ["fail"]) => Err("the orders table is unreachable".into()),
        ("GET", ["panic"]) => panic!("orders panics on purpose"),
        _ => json(
            404,
            serde_json::json!({ "message": format!("no route {route}") }),
        ),
    }
}

#[cors_handler(config = cors_examples::cors::PARTNER_CORS)]
async fn partner(event: Request) -> Result<Response<Body>, Error> {
    let _ = event;
    json(200, serde_json::json!({ "orders": [7, 8] }))
}

async fn function(event: Request) -> Result<Response<Body>, Infallible> {
    if route(&event, "orders").starts_with("/partner/") {
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
