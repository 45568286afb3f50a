use cors_runtime::cors_handler;
use lambda_http::{Body, Error, Request, Response};

#[cors_handler(origin = "https://myapp.com")]
struct Handler;

fn main() {
    let _ = (Body::Empty, Response::new(()), std::marker::PhantomData::<(Error, Request)>);
}
