#![allow(dead_code)]
use cors_runtime::{CorsConfig, cors_config};

static STREAMED: CorsConfig = cors_config!(origin = "https://myapp.com", streaming);

fn main() {}
