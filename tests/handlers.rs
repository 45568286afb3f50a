//! Annotated handlers called with real `lambda_http` requests.

use cors_runtime::cors_handler;
use lambda_http::http::{Method, Request as HttpRequest};
use lambda_http::{Body, Error, Request, Response};

fn request(method: &str, path: &str, headers: &[(&str, &str)]) -> Request {
    let mut builder = HttpRequest::builder()
        .method(Method::from_bytes(method.as_bytes()).unwrap())
        .uri(path);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(Body::Empty).unwrap()
}

fn header<'r>(response: &'r Response<Body>, name: &str) -> Option<&'r str> {
    response.headers().get(name).map(|v| v.to_str().unwrap())
}

fn body(response: &Response<Body>) -> &str {
    match response.body() {
        Body::Text(text) => text,
        Body::Empty => "",
        Body::Binary(bytes) => std::str::from_utf8(bytes).unwrap(),
        _ => unreachable!(),
    }
}

#[cors_handler(origin = "https://myapp.com")]
async fn item(event: Request) -> Result<Response<Body>, Error> {
    let id: u32 = event.uri().path().trim_start_matches('/').parse()?;
    if id == 0 {
        return Ok(Response::builder()
            .status(404)
            .body("no such item".into())?);
    }
    if id == 13 {
        panic!("unlucky");
    }
    if id == 99 {
        return Err("explicit failure".into());
    }
    Ok(Response::new(format!("item {id}").into()))
}

#[tokio::test]
async fn every_return_path_carries_the_headers() {
    let origin = [("origin", "https://myapp.com")];
    for (path, status, text) in [
        ("/7", 200, "item 7"),
        ("/0", 404, "no such item"),
        ("/abc", 500, r#"{"message":"Internal Server Error"}"#),
        ("/99", 500, r#"{"message":"Internal Server Error"}"#),
        ("/13", 500, r#"{"message":"Internal Server Error"}"#),
    ] {
        let response = item(request("GET", path, &origin)).await.unwrap();
        assert_eq!(response.status(), status, "{path}");
        assert_eq!(body(&response), text, "{path}");
        assert_eq!(
            header(&response, "access-control-allow-origin"),
            Some("https://myapp.com"),
            "{path}"
        );
    }
}
