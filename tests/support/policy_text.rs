//! A configuration's text (`key = value, ...`, as `#[cors_handler(...)]` and `cors_config!(...)`
//! take it) read as the macros read it, and built again with `CorsConfig::builder()`: how the
//! tests put one written policy through every path (`one_validation.rs`, `shared_policy.rs`).

use cors_runtime::{CorsConfig, CorsConfigBuilder, Csrf};
use syn::{Expr, Lit};

#[derive(Debug, Clone)]
pub enum Value {
    Text(String),
    List(Vec<String>),
    Flag(bool),
    Number(u64),
    /// A path (`origin_fn = crate::tenants::allowed`, `config = API_CORS`).
    Path,
    /// `async` and a path (`origin_fn = async crate::tenants::allowed`).
    AsyncPath,
    /// Anything else: a value of the wrong type.
    Other,
}

/// One `key = value` pair, as the macros parse it (`async path` included).
struct Pair(Option<(String, Value)>);

impl syn::parse::Parse for Pair {
    fn parse(input: syn::parse::ParseStream) -> syn::Result<Self> {
        let key: syn::Ident = syn::ext::IdentExt::parse_any(input)?;
        if key == "streaming" && !input.peek(syn::Token![=]) {
            return Ok(Pair(Some((key.to_string(), Value::Flag(true)))));
        }
        if !input.peek(syn::Token![=]) {
            return Ok(Pair(None));
        }
        input.parse::<syn::Token![=]>()?;
        let value = if input.peek(syn::Token![async]) {
            input.parse::<syn::Token![async]>()?;
            input.parse::<syn::Path>()?;
            Value::AsyncPath
        } else {
            value(&input.parse()?)
        };
        Ok(Pair(Some((key.to_string(), value))))
    }
}

/// The `key = value` pairs of a configuration's tokens; `None` when they are not such pairs.
pub fn pairs(tokens: proc_macro2::TokenStream) -> Option<Vec<(String, Value)>> {
    let parser = syn::punctuated::Punctuated::<Pair, syn::Token![,]>::parse_terminated;
    let pairs = syn::parse::Parser::parse2(parser, tokens).ok()?;
    pairs.into_iter().map(|pair| pair.0).collect()
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
        Expr::Path(path) if path.qself.is_none() => Value::Path,
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
            ("front_door", Value::Flag(flag)) => builder.front_door(*flag),
            ("csrf", Value::Text(mode)) if mode == "block" => builder.csrf(Csrf::Block),
            ("csrf", Value::Text(mode)) if mode == "report" => builder.csrf(Csrf::Report),
            ("csrf", Value::Text(mode)) if mode == "off" => builder.csrf(Csrf::Off),
            // A flag of the handler (how it is run), not of the policy.
            ("streaming", Value::Flag(true)) => builder,
            // The check's verdict does not matter to the rules, only that there is one.
            ("origin_fn", Value::Path) => builder.allow_origin_fn(|_| false),
            ("origin_fn", Value::AsyncPath) => {
                builder.allow_origin_async_fn(|_| async { Ok::<bool, std::io::Error>(false) })
            }
            (key, value) => return Err(format!("`{key} = {value:?}` has no setter")),
        };
    }
    Ok(builder)
}
