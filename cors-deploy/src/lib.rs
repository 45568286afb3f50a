//! The deployment side of a [`cors_runtime`] CORS policy, rendered from the same [`CorsConfig`]
//! the functions use, so that the deployment cannot say something else than the code.
//!
//! - [`GatewayResponses`]: an API Gateway REST API's `DEFAULT_4XX` and `DEFAULT_5XX` gateway
//!   responses (the CORS headers of the errors the function never sees), as Terraform or SAM.
//!
//! This crate is for build scripts, tests and small generator binaries: it is not linked into
//! the Lambda functions, which depend on `cors-runtime` alone.
//!
//! [`CorsConfig`]: cors_runtime::CorsConfig
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod gateway;

pub use gateway::{GatewayResponseError, GatewayResponses};
