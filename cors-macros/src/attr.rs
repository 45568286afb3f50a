//! Parsing `#[cors_handler(key = value, ...)]` into its pairs, keeping every span.

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Expr, ExprArray, Ident, Lit, LitBool, LitInt, LitStr, Token};

/// The keys the attribute knows, in the order the reference lists them.
pub const KEYS: &[&str] = &[
    "origin",
    "origin_env",
    "methods",
    "headers",
    "expose_headers",
    "credentials",
    "max_age",
    "preflight",
];

/// One `key = value` pair as written.
pub struct Arg {
    pub key: Ident,
    pub value: Expr,
}

impl Parse for Arg {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let key = Ident::parse_any(input)?;
        if !input.peek(Token![=]) {
            return Err(syn::Error::new(
                key.span(),
                format!("expected `{key} = ...`: every setting is a `key = value` pair"),
            ));
        }
        input.parse::<Token![=]>()?;
        let value = input.parse()?;
        Ok(Arg { key, value })
    }
}

/// Every pair of the attribute.
pub struct Args {
    pub args: Punctuated<Arg, Token![,]>,
}

impl Parse for Args {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        Ok(Args {
            args: Punctuated::parse_terminated(input)?,
        })
    }
}

/// A value that is a string or a list of strings: `"a"` or `["a", "b"]`.
pub enum StrOrList<'a> {
    One(&'a LitStr),
    List(&'a ExprArray, Vec<&'a LitStr>),
}

impl StrOrList<'_> {
    pub fn items(&self) -> Vec<&LitStr> {
        match self {
            StrOrList::One(lit) => vec![lit],
            StrOrList::List(_, items) => items.clone(),
        }
    }

    pub fn span(&self) -> Span {
        match self {
            StrOrList::One(lit) => lit.span(),
            StrOrList::List(array, _) => array.span(),
        }
    }
}

fn wrong_type(value: &Expr, key: &Ident, expected: &str) -> syn::Error {
    syn::Error::new_spanned(value, format!("`{key}` expects {expected}"))
}

/// `"..."`.
pub fn lit_str<'a>(key: &Ident, value: &'a Expr) -> syn::Result<&'a LitStr> {
    match value {
        Expr::Lit(lit) => match &lit.lit {
            Lit::Str(s) => Ok(s),
            _ => Err(wrong_type(value, key, "a string literal")),
        },
        _ => Err(wrong_type(value, key, "a string literal")),
    }
}

/// `"..."` or `["...", ...]`; the errors of every bad element at once.
pub fn str_or_list<'a>(key: &Ident, value: &'a Expr) -> syn::Result<StrOrList<'a>> {
    let expected = "a string literal or a list of them, such as `[\"a\", \"b\"]`";
    match value {
        Expr::Array(array) => {
            let mut items = Vec::new();
            let mut errors: Option<syn::Error> = None;
            for elem in &array.elems {
                match elem {
                    Expr::Lit(lit) if matches!(lit.lit, Lit::Str(_)) => {
                        let Lit::Str(s) = &lit.lit else {
                            unreachable!()
                        };
                        items.push(s);
                    }
                    other => {
                        let err = syn::Error::new_spanned(
                            other,
                            format!("`{key}` lists string literals"),
                        );
                        match &mut errors {
                            Some(errors) => errors.combine(err),
                            None => errors = Some(err),
                        }
                    }
                }
            }
            match errors {
                Some(errors) => Err(errors),
                None => Ok(StrOrList::List(array, items)),
            }
        }
        Expr::Lit(lit) => match &lit.lit {
            Lit::Str(s) => Ok(StrOrList::One(s)),
            _ => Err(wrong_type(value, key, expected)),
        },
        _ => Err(wrong_type(value, key, expected)),
    }
}

/// `true` or `false`.
pub fn lit_bool<'a>(key: &Ident, value: &'a Expr) -> syn::Result<&'a LitBool> {
    match value {
        Expr::Lit(lit) => match &lit.lit {
            Lit::Bool(b) => Ok(b),
            _ => Err(wrong_type(value, key, "`true` or `false`")),
        },
        _ => Err(wrong_type(value, key, "`true` or `false`")),
    }
}

/// An integer literal.
pub fn lit_int<'a>(key: &Ident, value: &'a Expr) -> syn::Result<&'a LitInt> {
    match value {
        Expr::Lit(lit) => match &lit.lit {
            Lit::Int(i) => Ok(i),
            _ => Err(wrong_type(value, key, "a number of seconds, such as `600`")),
        },
        _ => Err(wrong_type(value, key, "a number of seconds, such as `600`")),
    }
}
