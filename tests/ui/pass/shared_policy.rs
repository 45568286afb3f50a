//! One policy, defined once, named by handlers in other modules; a policy of its own inline;
//! the former drift case `methods = ["PURGE", "purge"]` (two methods) accepted.
mod cors {
    use cors_runtime::{CorsConfig, cors_config};

    pub static API_CORS: CorsConfig = cors_config!(
        origin = ["https://myapp.com", "https://admin.myapp.com"],
        credentials = true,
        expose_headers = ["x-request-id"],
        max_age = 600,
    );
    pub static PUBLIC_CORS: CorsConfig = cors_config!(origin = "*");
    pub static ENV_CORS: CorsConfig =
        cors_config!(origin_env = "ALLOWED_ORIGINS", credentials = true);
    pub static PURGE_CORS: CorsConfig =
        cors_config!(origin = "https://myapp.com", methods = ["PURGE", "purge"]);
}

mod items {
    use cors_runtime::cors_handler;
    use lambda_http::{Body, Error, Request, Response};

    #[cors_handler(config = crate::cors::API_CORS)]
    pub async fn get_item(event: Request) -> Result<Response<Body>, Error> {
        let _ = event;
        Ok(Response::new(Body::Empty))
    }

    #[cors_handler(config = super::cors::ENV_CORS)]
    pub async fn put_item(event: Request) -> Result<&'static str, std::io::Error> {
        let _ = event;
        Ok("stored")
    }
}

mod public {
    use cors_runtime::cors_handler;
    use lambda_http::{Error, Request};

    use crate::cors::PUBLIC_CORS;

    #[cors_handler(config = PUBLIC_CORS)]
    pub async fn status(event: Request) -> Result<String, Error> {
        let _ = event;
        Ok("up".to_owned())
    }

    #[cors_handler(config = crate::cors::PURGE_CORS)]
    pub async fn purge(event: Request) -> Result<String, Error> {
        let _ = event;
        Ok("purged".to_owned())
    }
}

fn main() {
    let _ = lambda_http::service_fn(items::get_item);
    let _ = lambda_http::service_fn(items::put_item);
    let _ = lambda_http::service_fn(public::status);
    let _ = lambda_http::service_fn(public::purge);
}
