//! The `#[cors_handler]` attribute. Depend on [`cors-runtime`](https://docs.rs/cors-runtime),
//! which re-exports it with its documentation; the expansion names that crate's items.
//!
//! The pipeline, one module a step: [`attr`] parses the attribute's `key = value` pairs,
//! [`valid`] checks every value by the rules of `cors-rules` (all errors at once, each on its
//! literal), [`handler`] inspects the function, [`expand`] generates the wrapper. On any error the
//! function is emitted unchanged beside the errors, so the user sees them and nothing else.
#![forbid(unsafe_code)]

mod attr;
mod expand;
mod handler;
mod valid;

use proc_macro::TokenStream;

/// See `cors_runtime::cors_handler`.
#[proc_macro_attribute]
pub fn cors_handler(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::cors_handler(args.into(), item.into()).into()
}
