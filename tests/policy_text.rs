#![allow(dead_code)] // each test that includes this module uses a part of it
//! A configuration's text (`key = value, ...`, as `#[cors_handler(...)]` and `cors_config!(...)`
//! take it) read as the macros read it, and built again with `CorsConfig::builder()`: how the
//! tests put one written policy through every path.

use cors_runtime::{CorsConfig, CorsConfigBuilder};
use syn::{Expr, Lit};

#[derive(Debug, Clone)]
pub enum Value {
    Text(String),
    List(Vec<String>),
    Flag(bool),
    Number(u64),
    /// Anything else: a value of the wrong type, a path.
    Other,
}

/// The `key = value` pairs of a configuration's tokens; `None` when they are not such pairs.
pub fn pairs(tokens: proc_macro2::TokenStream) -> Option<Vec<(String, Value)>> {
    let parser = syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated;
    let exprs = syn::parse::Parser::parse2(parser, tokens).ok()?;
    exprs
        .into_iter()
        .map(|expr| match expr {
            Expr::Assign(assign) => match &*assign.left {
                Expr::Path(key) => Some((key.path.get_ident()?.to_string(), value(&assign.right))),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// [`pairs`] of a configuration's text.
pub fn pairs_of_text(text: &str) -> Option<Vec<(String, Value)>> {
    pairs(text.parse().ok()?)
}

pub fn value(expr: &Expr) -> Value {
    match expr {
        Expr::Lit(lit) => match &lit.lit {
            Lit::Str(text) => Value::Text(text.value()),
            Lit::Bool(flag) => Value::Flag(flag.value),
            // Beyond `u64` is `u64::MAX`, as the macros read it.
            Lit::Int(number) => Value::Number(number.base10_parse().unwrap_or(u64::MAX)),
            _ => Value::Other,
        },
        Expr::Array(array) => {
            let items: Option<Vec<String>> = array
                .elems
                .iter()
                .map(|elem| match elem {
                    Expr::Lit(syn::ExprLit {
                        lit: Lit::Str(text),
                        ..
                    }) => Some(text.value()),
                    _ => None,
                })
                .collect();
            items.map_or(Value::Other, Value::List)
        }
        _ => Value::Other,
    }
}

/// The builder that sets what `pairs` set, or why the builder cannot express them.
pub fn builder(pairs: &[(String, Value)]) -> Result<CorsConfigBuilder, String> {
    let mut builder = CorsConfig::builder();
    let mut seen = Vec::new();
    for (key, value) in pairs {
        if seen.contains(key) {
            return Err(format!("`{key}` twice"));
        }
        seen.push(key.clone());
        let list = |value: &Value| match value {
            Value::Text(text) => Ok(vec![text.clone()]),
            Value::List(items) => Ok(items.clone()),
            _ => Err(format!("`{key}` is not a string or a list of strings")),
        };
        builder = match (key.as_str(), value) {
            ("origin", Value::Text(text)) => builder.allow_origin(text),
            ("origin", Value::List(items)) => builder.allow_origins(items),
            ("origin_env", Value::Text(var)) => builder.allow_origins_from_env(var),
            ("methods", value) => builder.allow_methods(list(value)?),
            ("headers", value) => builder.allow_headers(list(value)?),
            ("expose_headers", value) => builder.expose_headers(list(value)?),
            ("credentials", Value::Flag(flag)) => builder.allow_credentials(*flag),
            ("max_age", Value::Number(seconds)) => builder.max_age(*seconds),
            ("preflight", Value::Flag(flag)) => builder.answer_preflight(*flag),
            (key, value) => return Err(format!("`{key} = {value:?}` has no setter")),
        };
    }
    Ok(builder)
}
