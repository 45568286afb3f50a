//! Validating the attribute's values into a [`Config`]: every problem of one attribute is
//! reported, each on the literal (or key) it is about.

use cors_rules::{OriginSpec, RuleError, Scheme};
use proc_macro2::Span;
use syn::{Ident, LitStr};

use crate::attr::{self, Args, KEYS, StrOrList};

/// The validated configuration.
pub struct Config {
    pub origins: Origins,
    pub methods: Names,
    pub headers: Names,
    pub expose_headers: Vec<String>,
    pub credentials: bool,
    pub max_age: Option<u32>,
    pub preflight: bool,
}

pub enum Origins {
    Any,
    Exact(String),
    List(Vec<Pattern>),
    Env(String),
}

pub enum Pattern {
    Exact(String),
    Subdomain { https: bool, suffix: String },
}

pub enum Names {
    Default,
    Any,
    List(Vec<String>),
}

/// Collects errors so that one build shows all of them.
#[derive(Default)]
pub struct Errors(Option<syn::Error>);

impl Errors {
    pub fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(errors) => errors.combine(error),
            None => self.0 = Some(error),
        }
    }

    pub fn at(&mut self, span: Span, message: impl std::fmt::Display) {
        self.push(syn::Error::new(span, message));
    }

    pub fn finish<T>(self, value: T) -> syn::Result<T> {
        match self.0 {
            Some(errors) => Err(errors),
            None => Ok(value),
        }
    }
}

fn rule_message(err: &RuleError) -> String {
    let message = &err.message;
    match &err.hint {
        Some(hint) => format!("{message}\nhelp: {hint}"),
        None => message.clone(),
    }
}

/// Validates every pair; `attr_span` is where an error about the whole attribute points.
pub fn validate(args: &Args, attr_span: Span) -> syn::Result<Config> {
    let mut errors = Errors::default();
    let mut seen: Vec<&Ident> = Vec::new();
    let mut origin = None;
    let mut origin_env = None;
    let mut methods = None;
    let mut headers = None;
    let mut expose = None;
    let mut credentials = None;
    let mut max_age = None;
    let mut preflight = None;
    // Keys present but with a refused value: their own error is enough, no "missing" on top.
    let mut origin_given = false;

    for arg in &args.args {
        let key = &arg.key;
        let name = key.to_string();
        if seen.contains(&key) {
            errors.at(
                key.span(),
                format!("duplicate key `{name}`: each setting may appear once"),
            );
            continue;
        }
        seen.push(key);
        origin_given |= name == "origin" || name == "origin_env";
        let value = &arg.value;
        let result = match name.as_str() {
            "origin" => attr::str_or_list(key, value).map(|v| origin = Some((key, v))),
            "origin_env" => attr::lit_str(key, value).map(|v| origin_env = Some((key, v))),
            "methods" => attr::str_or_list(key, value).map(|v| methods = Some(v)),
            "headers" => attr::str_or_list(key, value).map(|v| headers = Some(v)),
            "expose_headers" => attr::str_or_list(key, value).map(|v| expose = Some(v)),
            "credentials" => attr::lit_bool(key, value).map(|v| credentials = Some(v)),
            "max_age" => attr::lit_int(key, value).map(|v| max_age = Some(v)),
            "preflight" => attr::lit_bool(key, value).map(|v| preflight = Some(v)),
            _ => {
                let mut message =
                    format!("unknown key `{name}`: expected one of {}", KEYS.join(", "));
                if let Some(close) = closest(&name) {
                    message = format!("unknown key `{name}`\nhelp: did you mean `{close}`?");
                }
                Err(syn::Error::new(key.span(), message))
            }
        };
        if let Err(error) = result {
            errors.push(error);
        }
    }

    let credentials_on = credentials.is_some_and(|b| b.value);
    let origins = match (origin, origin_env) {
        (Some(_), Some((env_key, _))) => {
            errors.at(
                env_key.span(),
                "use either `origin` or `origin_env`, not both",
            );
            None
        }
        (None, None) if origin_given => None,
        (None, None) => {
            errors.at(
                attr_span,
                "missing `origin`: name the allowed origin, as in `#[cors_handler(origin = \"https://myapp.com\")]`, or use `origin_env`",
            );
            None
        }
        (Some((_, value)), None) => origins(&value, credentials_on, &mut errors),
        (None, Some((_, var))) => {
            check_env_name(var, &mut errors);
            Some(Origins::Env(var.value()))
        }
    };

    let methods = names(
        methods.as_ref(),
        "methods",
        cors_rules::check_method,
        false,
        credentials_on,
        &mut errors,
    );
    let headers = names(
        headers.as_ref(),
        "headers",
        cors_rules::check_header_name,
        true,
        credentials_on,
        &mut errors,
    );
    let expose_headers = match names(
        expose.as_ref(),
        "expose_headers",
        cors_rules::check_header_name,
        true,
        credentials_on,
        &mut errors,
    ) {
        Names::Default => Vec::new(),
        Names::Any => vec!["*".to_owned()],
        Names::List(list) => list,
    };
    let max_age = max_age.and_then(|lit| match lit.base10_parse::<u32>() {
        Ok(seconds) => Some(seconds),
        Err(_) => {
            errors.at(
                lit.span(),
                "`max_age` is a number of seconds from 0 to 4294967295",
            );
            None
        }
    });

    let config = Config {
        origins: origins.unwrap_or(Origins::Any),
        methods,
        headers,
        expose_headers,
        credentials: credentials_on,
        max_age,
        preflight: preflight.is_none_or(|b| b.value),
    };
    errors.finish(config)
}

fn closest(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase().replace('-', "_");
    let aliases: &[(&str, &str)] = &[
        ("origins", "origin"),
        ("allow_origin", "origin"),
        ("allowed_origins", "origin"),
        ("allow_origins", "origin"),
        ("origins_env", "origin_env"),
        ("env", "origin_env"),
        ("allow_methods", "methods"),
        ("method", "methods"),
        ("allow_headers", "headers"),
        ("header", "headers"),
        ("expose", "expose_headers"),
        ("exposed_headers", "expose_headers"),
        ("expose_header", "expose_headers"),
        ("allow_credentials", "credentials"),
        ("credential", "credentials"),
        ("maxage", "max_age"),
        ("max_age_secs", "max_age"),
        ("preflights", "preflight"),
    ];
    if let Some((_, key)) = aliases.iter().find(|(alias, _)| *alias == lower) {
        return Some(key);
    }
    KEYS.iter().copied().find(|key| *key == lower)
}

fn origins(value: &StrOrList<'_>, credentials: bool, errors: &mut Errors) -> Option<Origins> {
    let items = value.items();
    if items.is_empty() {
        errors.at(
            value.span(),
            "the `origin` list is empty: allow at least one origin",
        );
        return None;
    }
    let mut specs: Vec<(OriginSpec<'_>, &LitStr)> = Vec::new();
    let texts: Vec<String> = items.iter().map(|lit| lit.value()).collect();
    let mut ok = true;
    for (lit, text) in items.iter().zip(&texts) {
        match cors_rules::parse_origin(text) {
            Ok(spec) => {
                if specs.iter().any(|(seen, _)| *seen == spec) {
                    errors.at(lit.span(), format!("origin `{text}` is listed twice"));
                    ok = false;
                }
                specs.push((spec, lit));
            }
            Err(err) => {
                errors.at(lit.span(), rule_message(&err));
                ok = false;
            }
        }
    }
    if let Some((_, star)) = specs.iter().find(|(spec, _)| *spec == OriginSpec::Any) {
        if items.len() > 1 {
            errors.at(
                star.span(),
                "`\"*\"` allows every origin and must stand alone, not in a list",
            );
            ok = false;
        } else if credentials {
            errors.at(
                star.span(),
                "origin `\"*\"` cannot be combined with `credentials = true`: the Fetch standard refuses `*` with credentials\nhelp: list the origins that may send credentials",
            );
            ok = false;
        }
    }
    if !ok {
        return None;
    }
    Some(match (value, specs.as_slice()) {
        (_, [(OriginSpec::Any, _)]) => Origins::Any,
        (StrOrList::One(_), [(OriginSpec::Exact(origin), _)]) => {
            Origins::Exact((*origin).to_owned())
        }
        _ => Origins::List(
            specs
                .iter()
                .map(|(spec, _)| match spec {
                    OriginSpec::Exact(origin) => Pattern::Exact((*origin).to_owned()),
                    OriginSpec::Subdomain { scheme, suffix } => Pattern::Subdomain {
                        https: *scheme == Scheme::Https,
                        suffix: (*suffix).to_owned(),
                    },
                    OriginSpec::Any => unreachable!("\"*\" alone is handled above"),
                })
                .collect(),
        ),
    })
}

fn names(
    value: Option<&StrOrList<'_>>,
    key: &str,
    check: fn(&str) -> Result<(), RuleError>,
    case_insensitive: bool,
    credentials: bool,
    errors: &mut Errors,
) -> Names {
    let Some(value) = value else {
        return Names::Default;
    };
    let items = value.items();
    if items.is_empty() {
        errors.at(
            value.span(),
            format!("the `{key}` list is empty: leave `{key}` out for the default"),
        );
        return Names::Default;
    }
    let mut names: Vec<String> = Vec::new();
    let mut ok = true;
    for lit in &items {
        let text = lit.value();
        if let Err(err) = check(&text) {
            errors.at(lit.span(), rule_message(&err));
            ok = false;
            continue;
        }
        let duplicate = names.iter().any(|seen| {
            if case_insensitive {
                seen.eq_ignore_ascii_case(&text)
            } else {
                *seen == text
            }
        });
        if duplicate {
            errors.at(lit.span(), format!("`{key}` lists `{text}` twice"));
            ok = false;
        }
        if text == "*" {
            if items.len() > 1 {
                errors.at(
                    lit.span(),
                    format!("`\"*\"` in `{key}` must stand alone, not in a list"),
                );
                ok = false;
            } else if credentials {
                errors.at(
                    lit.span(),
                    format!("`{key} = [\"*\"]` cannot be combined with `credentials = true`: the Fetch standard treats `*` literally with credentials\nhelp: list the names"),
                );
                ok = false;
            }
        }
        names.push(text);
    }
    if !ok {
        return Names::Default;
    }
    if names.len() == 1 && names[0] == "*" {
        Names::Any
    } else {
        Names::List(names)
    }
}

fn check_env_name(var: &LitStr, errors: &mut Errors) {
    let name = var.value();
    let valid = !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if !valid {
        errors.at(
            var.span(),
            "`origin_env` names an environment variable: letters, digits and `_`, not starting with a digit",
        );
    }
}
