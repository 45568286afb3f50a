use cors_runtime::cors_handler;
use lambda_http::Request;

#[cors_handler(origin = "https://myapp.com")]
async fn handler(event: Request) {
    let _ = event;
}

fn main() {}
