//! Parsing `key = value, ...` (the arguments of `#[cors_handler(...)]` and `cors_config!(...)`)
//! into `cors_rules::Settings`, keeping the span of every key, value and list item.
//!
//! Only the syntax is checked here: that each argument is `key = value`, that the key exists and
//! appears once, and that the value is a literal of the key's type. What the values mean is
//! `cors_rules::validate`'s job.

use std::collections::HashMap;

use cors_rules::{Key, Settings};
use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Expr, Ident, Lit, Token};

use crate::errors::Errors;

/// One `key = value` pair as written.
struct Arg {
    key: Ident,
    value: ArgValue,
}

/// A value: an expression, `async path` (an `async` check in code, `origin_fn`), or none (a
/// flag of the handler, `streaming`).
enum ArgValue {
    Expr(Expr),
    Async(Token![async], syn::Path),
    Flag,
}

impl ArgValue {
    fn span(&self) -> Span {
        match self {
            ArgValue::Expr(expr) => expr.span(),
            ArgValue::Async(token, path) => token.span.join(path.span()).unwrap_or(token.span),
            ArgValue::Flag => Span::call_site(),
        }
    }
}

impl Parse for Arg {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let key = Ident::parse_any(input)?;
        if key == "streaming" && !input.peek(Token![=]) {
            return Ok(Arg {
                key,
                value: ArgValue::Flag,
            });
        }
        if !input.peek(Token![=]) {
            return Err(syn::Error::new(
                key.span(),
                format!("expected `{key} = ...`: every setting is a `key = value` pair"),
            ));
        }
        input.parse::<Token![=]>()?;
        let value = if input.peek(Token![async]) {
            ArgValue::Async(input.parse()?, input.parse()?)
        } else {
            ArgValue::Expr(input.parse()?)
        };
        Ok(Arg { key, value })
    }
}

/// Every pair, as written.
pub struct Args {
    args: Punctuated<Arg, Token![,]>,
}

impl Parse for Args {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        Ok(Args {
            args: Punctuated::parse_terminated(input)?,
        })
    }
}

/// A value as the rules see it: text, a list of texts, a flag or a number.
enum Value {
    Text(String),
    List(Vec<String>),
    Flag(bool),
    Number(u64),
}

/// The arguments, read: the policy's settings with the span of everything they hold, or the path
/// of a policy defined elsewhere (`config = PATH`).
pub struct Read {
    values: Vec<(Key, Value)>,
    unreadable: Vec<Key>,
    pub spans: Spans,
    /// `config = PATH`, with the key's span.
    pub config: Option<(Span, syn::Path)>,
    /// The other keys written next to `config`.
    others: Vec<(Key, Span)>,
    /// `origin_fn = [async] PATH`.
    pub origin_fn: Option<OriginFn>,
    /// `streaming`: the handler's body is streamed (`lambda_http::run_with_streaming_response`).
    pub streaming: bool,
}

/// A check in code: the function's path, and whether it is `async`.
pub struct OriginFn {
    pub path: syn::Path,
    pub is_async: bool,
}

/// Where each part of the settings is written.
#[derive(Default)]
pub struct Spans {
    pub keys: HashMap<Key, Span>,
    pub values: HashMap<Key, Span>,
    pub items: HashMap<Key, Vec<Span>>,
}

/// What the attribute is for: its own policy, or `cors_config!`'s (which has no `config` key).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Site {
    Attribute,
    ConfigMacro,
}

impl Args {
    /// Reads every pair; every syntax error goes to `errors`, and the pair it is about is left out
    /// (marked unreadable, so that no rule reports it missing).
    pub fn read(&self, site: Site, errors: &mut Errors) -> Read {
        let mut read = Read {
            values: Vec::new(),
            unreadable: Vec::new(),
            spans: Spans::default(),
            config: None,
            others: Vec::new(),
            origin_fn: None,
            streaming: false,
        };
        let mut seen: Vec<String> = Vec::new();
        for arg in &self.args {
            let name = arg.key.to_string();
            if seen.contains(&name) {
                errors.at(
                    arg.key.span(),
                    format!("duplicate key `{name}`: each setting may appear once"),
                );
                continue;
            }
            seen.push(name.clone());
            if name == "streaming" {
                match (site, &arg.value) {
                    (Site::Attribute, ArgValue::Flag) => read.streaming = true,
                    (Site::Attribute, _) => errors.at(
                        arg.key.span(),
                        "`streaming` is a flag of the handler: write it alone, as in `#[cors_handler(config = API_CORS, streaming)]`",
                    ),
                    (Site::ConfigMacro, _) => errors.at(
                        arg.key.span(),
                        "`streaming` describes a handler, not a policy: write it in `#[cors_handler(...)]`",
                    ),
                }
                continue;
            }
            if name == "config" {
                // Whatever its value, `config` was meant to name the policy: no rule reports the
                // origin missing.
                read.unreadable.push(Key::Origin);
                match (site, &arg.value) {
                    (Site::Attribute, ArgValue::Expr(Expr::Path(path))) if path.qself.is_none() => {
                        read.config = Some((arg.key.span(), path.path.clone()));
                    }
                    (Site::Attribute, value) => errors.at(
                        value.span(),
                        "`config` expects the path of a `static CorsConfig`, such as `crate::cors::API_CORS`",
                    ),
                    (Site::ConfigMacro, _) => errors.at(
                        arg.key.span(),
                        "`config` names a policy from `#[cors_handler(config = ...)]`: `cors_config!` defines one with the keys themselves",
                    ),
                }
                continue;
            }
            let key = match Key::from_name(&name) {
                Ok(key) => key,
                Err(problem) => {
                    errors.problem(arg.key.span(), &problem);
                    continue;
                }
            };
            read.others.push((key, arg.key.span()));
            read.spans.keys.insert(key, arg.key.span());
            read.spans.values.insert(key, arg.value.span());
            if key == Key::OriginFn {
                match &arg.value {
                    ArgValue::Expr(Expr::Path(path)) if path.qself.is_none() => {
                        read.origin_fn = Some(OriginFn {
                            path: path.path.clone(),
                            is_async: false,
                        });
                    }
                    ArgValue::Async(_, path) => {
                        read.origin_fn = Some(OriginFn {
                            path: path.clone(),
                            is_async: true,
                        });
                    }
                    other => {
                        errors.at(other.span(), format!("`{key}` expects {}", key.expects()));
                        read.unreadable.push(key);
                    }
                }
                continue;
            }
            // (Only `streaming` is written without a value, and it was read above.)
            let ArgValue::Expr(expr) = &arg.value else {
                errors.at(
                    arg.value.span(),
                    format!(
                        "`async` belongs to `origin_fn`: `{key}` expects {}",
                        key.expects()
                    ),
                );
                read.unreadable.push(key);
                continue;
            };
            match value(key, expr, errors) {
                Some((value, items)) => {
                    read.spans.items.insert(key, items);
                    read.values.push((key, value));
                }
                None => read.unreadable.push(key),
            }
        }
        read
    }
}

impl Read {
    /// The keys written next to `config = PATH`: each is an error, since the policy is defined
    /// where `PATH` is.
    pub fn check_config_alone(&self, errors: &mut Errors) {
        let Some((_, path)) = &self.config else {
            return;
        };
        let name = path
            .segments
            .last()
            .map_or_else(|| "the policy".to_owned(), |s| format!("`{}`", s.ident));
        for (key, span) in &self.others {
            errors.at(
                *span,
                format!("`config` names the whole policy; set `{key}` where {name} is defined"),
            );
        }
    }

    /// The settings, borrowing the texts read.
    pub fn settings(&self) -> Settings<'_> {
        let mut settings = Settings {
            unreadable: self.unreadable.clone(),
            origin_fn: self.origin_fn.is_some(),
            ..Settings::default()
        };
        for (key, value) in &self.values {
            let list = || match value {
                Value::Text(text) => vec![text.as_str()],
                Value::List(items) => items.iter().map(String::as_str).collect(),
                _ => unreachable!("a list key holds texts"),
            };
            match (key, value) {
                (Key::Origin, _) => {
                    settings.origin = Some(list());
                    settings.origin_is_list = matches!(value, Value::List(_));
                }
                (Key::OriginEnv, Value::Text(var)) => settings.origin_env = Some(var),
                (Key::Csrf, Value::Text(mode)) => settings.csrf = Some(mode),
                (Key::Methods, _) => settings.methods = Some(list()),
                (Key::Headers, _) => settings.headers = Some(list()),
                (Key::ExposeHeaders, _) => settings.expose_headers = Some(list()),
                (Key::Credentials, Value::Flag(flag)) => settings.credentials = Some(*flag),
                (Key::Preflight, Value::Flag(flag)) => settings.preflight = Some(*flag),
                (Key::FrontDoor, Value::Flag(flag)) => settings.front_door = Some(*flag),
                (Key::MaxAge, Value::Number(seconds)) => settings.max_age = Some(*seconds),
                _ => unreachable!("`value` reads each key as its type"),
            }
        }
        settings
    }
}

/// The value of `key` if it has the key's type, with the span of each item; else its error.
fn value(key: Key, value: &Expr, errors: &mut Errors) -> Option<(Value, Vec<Span>)> {
    let wrong_type = |errors: &mut Errors| {
        let message = format!("`{key}` expects {}", key.expects());
        match value {
            // `max_age = -1`: the whole `-1`, not the `-` alone (`value.span()` is the first
            // token's span on stable Rust, where spans cannot be joined).
            Expr::Unary(_) => errors.push(syn::Error::new_spanned(value, message)),
            _ => errors.at(value.span(), message),
        }
    };
    let lit = match value {
        Expr::Lit(lit) => Some(&lit.lit),
        _ => None,
    };
    match (key, lit, value) {
        (Key::OriginEnv | Key::Csrf, Some(Lit::Str(text)), _) => {
            Some((Value::Text(text.value()), vec![text.span()]))
        }
        (Key::Credentials | Key::Preflight | Key::FrontDoor, Some(Lit::Bool(flag)), _) => {
            Some((Value::Flag(flag.value), vec![flag.span()]))
        }
        (Key::MaxAge, Some(Lit::Int(number)), _) => {
            // Beyond `u64` reads as `u64::MAX`: out of range either way, as the rules say.
            let seconds = number.base10_parse::<u64>().unwrap_or(u64::MAX);
            Some((Value::Number(seconds), vec![number.span()]))
        }
        (key, Some(Lit::Str(text)), _) if key.is_list() => {
            Some((Value::Text(text.value()), vec![text.span()]))
        }
        (key, _, Expr::Array(array)) if key.is_list() => {
            let mut items = Vec::new();
            let mut spans = Vec::new();
            let mut ok = true;
            for elem in &array.elems {
                match elem {
                    Expr::Lit(syn::ExprLit {
                        lit: Lit::Str(text),
                        ..
                    }) => {
                        items.push(text.value());
                        spans.push(text.span());
                    }
                    other => {
                        errors.at(other.span(), format!("`{key}` lists string literals"));
                        ok = false;
                    }
                }
            }
            ok.then_some((Value::List(items), spans))
        }
        _ => {
            wrong_type(errors);
            None
        }
    }
}
