#![allow(dead_code)]
use cors_runtime::{CorsConfig, cors_config};

static API_CORS: CorsConfig = cors_config!(origin = "https://myapp.com");
static COPY: CorsConfig = cors_config!(config = API_CORS);

fn main() {}
