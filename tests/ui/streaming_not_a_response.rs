use cors_runtime::cors_handler;
use lambda_http::{Error, Request};

#[cors_handler(origin = "https://myapp.com", streaming)]
async fn handler(event: Request) -> Result<String, Error> {
    let _ = event;
    Ok("streamed?".to_owned())
}

fn main() {}
