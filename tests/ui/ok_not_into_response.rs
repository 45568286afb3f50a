use cors_runtime::cors_handler;
use lambda_http::{Error, Request};

struct Page;

#[cors_handler(origin = "https://myapp.com")]
async fn handler(event: Request) -> Result<Page, Error> {
    let _ = event;
    Ok(Page)
}

fn main() {}
