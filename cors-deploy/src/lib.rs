//! The deployment side of a [`cors_runtime`] CORS policy, rendered from the same [`CorsConfig`]
//! the functions use, so that the deployment cannot say something else than the code.
//!
//! Who answers preflights decides what is rendered:
//!
//! | front door | preflights answered by | CORS headers of actual responses written by | rendered here |
//! | --- | --- | --- | --- |
//! | REST API, Lambda proxy integration | the function (`ANY` routes `OPTIONS` to it), or a MOCK `OPTIONS` integration | the function | [`GatewayResponses`] (the errors API Gateway sends itself), [`RestPreflightMock`] (the MOCK) |
//! | HTTP API with a CORS configuration | API Gateway | API Gateway (the function writes none: `front_door = true`) | [`HttpApiCors`] |
//! | Lambda function URL with `Cors` | Lambda | Lambda (the function writes none: `front_door = true`) | [`FunctionUrlCors`] |
//!
//! Each renders as Terraform (`to_terraform`), as the matching part of a SAM template
//! (`to_sam_yaml`), and as JSON for an AWS CDK app (`to_cdk_json`: the props of the CDK's
//! constructs, which the app reads from a generated file). The policy is read through
//! `cors-runtime`'s typed views ([`CorsConfig::allowed_origins`],
//! [`CorsConfig::method_names`], ...): nothing is parsed back from header text.
//!
//! Each renderer's `from_config` refuses, with an explanation ([`GatewayResponseError`],
//! [`FrontDoorError`]), a policy its front door cannot express: origins read from the environment
//! or decided in code, origin forms a static list cannot hold, limits of the service, and a split
//! of the headers between the function and the front door that would send them twice or not at
//! all.
//!
//! This crate is for build scripts, tests and small generator binaries: it is not linked into
//! the Lambda functions, which depend on `cors-runtime` alone.
//!
//! [`CorsConfig`]: cors_runtime::CorsConfig
//! [`CorsConfig::allowed_origins`]: cors_runtime::CorsConfig::allowed_origins
//! [`CorsConfig::method_names`]: cors_runtime::CorsConfig::method_names
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod error;
mod front_door;
mod gateway;
mod render;
mod rest_mock;

pub use error::{FrontDoor, FrontDoorError, OriginForm};
pub use front_door::{FunctionUrlCors, HttpApiCors};
pub use gateway::{GatewayResponseError, GatewayResponses};
pub use rest_mock::RestPreflightMock;
