//! The rules of a CORS policy, shared by compile time and run time.
//!
//! [`validate`] checks a whole configuration ([`Settings`]) and returns the validated
//! [`Policy`], or every [`Problem`] found, each tied to the key or list item it is about
//! ([`Location`]). `cors-macros` calls it on the literals of `#[cors_handler(...)]` and
//! `cors_config!(...)` and turns each problem into a compile error on its literal;
//! `cors-runtime` calls it from `CorsConfigBuilder::build` and, through [`validate_env`], on the
//! value of an `origin_env` variable, and turns each problem into a sentence. No rule is written
//! anywhere else, so "checked at compile time" and "checked at run time" mean the same thing.
//!
//! The modules form a one-way stack, listed here top layer first: each uses only modules below
//! it, never one above (`tests/module_layers.rs` in the repository checks it).
//!
//! - the policy: `policy` (a whole configuration: [`validate`], [`validate_env`]);
//! - one origin: `origin` ([`parse_origin`], which hands each form to the modules below it),
//!   [`wildcard`] (where a `*` may stand, and the public-suffix rule), `app` (origins of apps and
//!   extensions), `origin_parts` (the scheme, authority, port and host of any origin, and
//!   [`OriginSpec`]);
//! - small rules: `punycode` (a hint), `matching` (a request's `Origin` against a wildcard, per
//!   request), `token` (methods and header names), `list` (comma-separated header lists);
//! - data: `problem` (what is wrong, where: [`Problem`], [`Location`], and [`Key::from_name`],
//!   which refuses with one), [`key`](Key) (the settings' names).
//!
//! This crate is an implementation detail of `cors-runtime`; its API may change in any release.
//!
//! ```
//! use cors_rules::{parse_origin, OriginSpec};
//!
//! assert_eq!(parse_origin("https://myapp.com").unwrap(), OriginSpec::Exact("https://myapp.com"));
//! let err = parse_origin("https://myapp.com/").unwrap_err();
//! assert_eq!(err.hint.as_deref(), Some("did you mean \"https://myapp.com\"?"));
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod app;
mod key;
mod list;
mod matching;
mod origin;
mod origin_parts;
mod policy;
mod problem;
mod punycode;
mod token;
pub mod wildcard;

pub use key::{Csrf, Key};
pub use list::{list_items, list_items_bytes};
pub use matching::{is_label_wildcard, is_plausible_origin, matches_pattern, matches_wildcard};
pub use origin::{is_exact_origin, parse_origin};
pub use origin_parts::OriginSpec;
pub use policy::{
    DEFAULT_HEADERS, DEFAULT_METHODS, EnvOrigins, Names, Origins, Policy, Settings, env_entries,
    validate, validate_env,
};
pub use problem::{Location, Problem};
pub use token::{check_header_name, check_method, is_tchar, is_token, is_token_bytes};
