//! The `#[cors_handler]` attribute and the `cors_config!` macro. Depend on
//! [`cors-runtime`](https://docs.rs/cors-runtime), which re-exports both with their documentation;
//! the expansions name that crate's items.
//!
//! The pipeline, one module a step: [`attr`] parses the `key = value` pairs into
//! `cors_rules::Settings`, keeping every span; [`valid`] validates them with
//! `cors_rules::validate` and puts each problem on its literal (all errors at once); [`handler`]
//! inspects the function's signature (its body stays tokens); [`expand`] generates the policy and
//! the wrapper. On any error the function is emitted unchanged beside the errors, so the user sees
//! them and nothing else.
#![forbid(unsafe_code)]

// The modules form a one-way stack; bottom layer first, each uses only the ones before it
// (`tests/module_layers.rs` checks it): `errors` collects diagnostics, `attr` parses the
// arguments, `valid` applies `cors_rules::validate` and places each problem, `handler` inspects
// the signature, `expand` generates.
mod attr;
mod errors;
mod expand;
mod handler;
mod valid;

use proc_macro::TokenStream;

/// See `cors_runtime::cors_handler`.
#[proc_macro_attribute]
pub fn cors_handler(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::cors_handler(args.into(), item.into()).into()
}

/// See `cors_runtime::cors_config`.
#[proc_macro]
pub fn cors_config(input: TokenStream) -> TokenStream {
    expand::cors_config(input.into()).into()
}
