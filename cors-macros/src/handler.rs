//! Inspecting the annotated function: an `async fn` with a `Request` parameter returning a
//! `Result`.
//!
//! Only the signature is parsed; the body stays the tokens it was written as (as
//! `tracing-attributes` does). A syntax error in the body is then rustc's alone to report, the
//! wrapper still expands around it (so an editor keeps completing inside the body), and the body's
//! inner attributes (`#![allow(...)]`) stay the body's.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote};
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned;
use syn::{
    Attribute, FnArg, GenericArgument, Ident, Pat, PathArguments, ReturnType, Signature, Type,
    Visibility,
};

use crate::errors::Errors;

/// A function whose body is not parsed: its outer attributes, visibility, signature, and the
/// body's tokens (a brace-delimited group, inner attributes included).
pub struct MaybeItemFn {
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    pub sig: Signature,
    pub body: TokenStream,
}

impl Parse for MaybeItemFn {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis: Visibility = input.parse()?;
        let sig: Signature = input.parse()?;
        if !input.peek(syn::token::Brace) {
            return Err(input.error("expected the function's body"));
        }
        let body: TokenStream = input.parse()?;
        Ok(MaybeItemFn {
            attrs,
            vis,
            sig,
            body,
        })
    }
}

impl ToTokens for MaybeItemFn {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        for attr in &self.attrs {
            attr.to_tokens(tokens);
        }
        self.vis.to_tokens(tokens);
        self.sig.to_tokens(tokens);
        self.body.to_tokens(tokens);
    }
}

/// What the expansion needs to know of the handler.
pub struct Handler {
    /// The name the request is bound to in the rewritten signature.
    pub request: Ident,
    /// `let <pattern> = __cors_request;` when the parameter was a pattern, not a plain name.
    pub rebind: Option<TokenStream>,
    /// The return type with every `impl Trait` replaced by `_`, to pin the body's output type.
    pub output_hint: Type,
    /// The bounds of `Result<impl Bounds, _>`, which the `Ok` value is checked against (so the
    /// traits the user named stay checked, and used).
    pub ok_bounds: Option<TokenStream>,
    /// For a streamed handler, `B` of its `Result<Response<B>, E>`.
    pub stream_body: Option<Type>,
    /// For a handler of a typed event (`LambdaEvent<Req>`): `Req`, and `Resp` of its
    /// `Result<Resp, E>`.
    pub typed: Option<Typed>,
}

/// A `lambda_runtime` handler of an `aws_lambda_events` request.
pub struct Typed {
    /// `Req` of `LambdaEvent<Req>`.
    pub event: Type,
    /// `Resp` of `Result<Resp, E>`, the type the rewritten handler returns.
    pub response: Type,
}

/// Checks the signature; on success, rewrites the request parameter's pattern in place when it
/// must be renamed.
pub fn inspect(item: &mut MaybeItemFn, streaming: bool) -> syn::Result<Handler> {
    let mut errors = Errors::default();
    let sig = &item.sig;
    if sig.asyncness.is_none() {
        errors.at(
            sig.fn_token.span(),
            "`#[cors_handler]` needs an `async fn`: lambda_http handlers return a future",
        );
    }
    let returns_result = match &sig.output {
        ReturnType::Type(_, ty) if is_result(ty) => true,
        ReturnType::Type(_, ty) => {
            errors.at(
                ty.span(),
                "a `#[cors_handler]` handler returns `Result<R, E>`: `R` is the response, `E` any error that implements Display",
            );
            false
        }
        ReturnType::Default => {
            errors.at(
                sig.ident.span(),
                "a `#[cors_handler]` handler returns `Result<R, E>`: add `-> Result<Response<Body>, Error>`",
            );
            false
        }
    };
    let mut requests = sig
        .inputs
        .iter()
        .enumerate()
        .filter_map(|(i, arg)| match arg {
            FnArg::Typed(pat) if is_request(&pat.ty) || lambda_event(&pat.ty).is_some() => {
                Some((i, pat))
            }
            _ => None,
        });
    let request = requests.next().map(|(i, _)| i);
    if let Some((_, second)) = requests.next() {
        errors.at(
            second.ty.span(),
            "only one parameter may be the `Request`: the wrapper reads its `Origin` before the body runs",
        );
    }
    if request.is_none() {
        let span = if sig.inputs.is_empty() {
            sig.paren_token.span.join()
        } else {
            sig.inputs.span()
        };
        errors.at(
            span,
            "a `#[cors_handler]` handler takes the request: add a parameter `event: Request` (lambda_http::Request)",
        );
    }
    // A typed event's handler is refused `streaming` below, with the reason.
    let typed_event = request.is_some_and(|i| is_lambda_event_param(&sig.inputs[i]));
    let stream_body = match (&sig.output, streaming) {
        (ReturnType::Type(_, ty), true) if returns_result && !typed_event => {
            match response_body(ty) {
                Some(body) => Some(body),
                None => {
                    errors.at(
                    ty.span(),
                    "a `streaming` handler returns `Result<Response<B>, E>`: `B` is the body it streams",
                );
                    None
                }
            }
        }
        _ => None,
    };
    let typed = match (request, &sig.output) {
        (Some(index), ReturnType::Type(_, output)) if returns_result => {
            typed_handler(&sig.inputs[index], output, streaming, &mut errors)
        }
        _ => None,
    };
    errors.finish(())?;
    let (Some(index), true) = (request, returns_result) else {
        unreachable!("errors were reported above");
    };
    // The signature's output is replaced by the expansion; the original type becomes the hint.
    let ReturnType::Type(_, mut output_hint) =
        std::mem::replace(&mut item.sig.output, ReturnType::Default)
    else {
        unreachable!("checked above");
    };
    let ok_bounds = impl_bounds_of_first_argument(&output_hint);
    erase_impl_trait(&mut output_hint);
    let Some(FnArg::Typed(param)) = item.sig.inputs.iter_mut().nth(index) else {
        unreachable!("the index came from a typed parameter");
    };
    let (request, rebind) = match &*param.pat {
        Pat::Ident(ident) if ident.by_ref.is_none() && ident.subpat.is_none() => {
            (ident.ident.clone(), None)
        }
        pattern => {
            let name = format_ident!("__cors_request", span = Span::mixed_site());
            let rebind = quote!(let #pattern = #name;);
            *param.pat = syn::parse_quote!(#name);
            (name, Some(rebind))
        }
    };
    Ok(Handler {
        request,
        rebind,
        output_hint: *output_hint,
        ok_bounds,
        stream_body,
        typed,
    })
}

/// The event and response types of a handler whose request parameter is `LambdaEvent<Req>`;
/// `None` for a `lambda_http` handler, or with an error reported.
fn typed_handler(
    param: &FnArg,
    output: &Type,
    streaming: bool,
    errors: &mut Errors,
) -> Option<Typed> {
    let FnArg::Typed(param) = param else {
        return None;
    };
    let event = lambda_event(&param.ty)?;
    if streaming {
        errors.at(
            param.ty.span(),
            "`streaming` is for `lambda_http` handlers under `run_with_streaming_response`: a typed event's response is one value; remove `streaming`",
        );
        return None;
    }
    match first_argument(output) {
        Some(Type::ImplTrait(_)) | None => {
            errors.at(
                output.span(),
                "a handler of `LambdaEvent<..>` returns `Result<Resp, E>` with `Resp` the event's response type, named: `Result<ApiGatewayProxyResponse, Error>`",
            );
            None
        }
        Some(response) => Some(Typed {
            event: event.clone(),
            response: response.clone(),
        }),
    }
}

fn is_lambda_event_param(param: &FnArg) -> bool {
    matches!(param, FnArg::Typed(param) if lambda_event(&param.ty).is_some())
}

/// `Req` when the type is `LambdaEvent<Req>` (any path: `lambda_runtime::LambdaEvent<..>`).
fn lambda_event(ty: &Type) -> Option<&Type> {
    let segment = last_segment(ty)?;
    if segment.ident != "LambdaEvent" {
        return None;
    }
    first_argument(ty)
}

/// The first type argument of the type's last segment: `T` of `Result<T, E>`.
fn first_argument(ty: &Type) -> Option<&Type> {
    let PathArguments::AngleBracketed(args) = &last_segment(ty)?.arguments else {
        return None;
    };
    match args.args.first()? {
        GenericArgument::Type(first) => Some(first),
        _ => None,
    }
}

fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ty {
        Type::Path(path) if path.qself.is_none() => path.path.segments.last(),
        Type::Group(group) => last_segment(&group.elem),
        Type::Paren(paren) => last_segment(&paren.elem),
        _ => None,
    }
}

/// `Request`, `lambda_http::Request`, `http::Request<Body>`, ... by its last segment.
fn is_request(ty: &Type) -> bool {
    last_segment(ty).is_some_and(|segment| segment.ident == "Request")
}

/// `Result<..>`, `std::result::Result<..>`, `lambda_http::Result<..>`, an alias named `Result`.
fn is_result(ty: &Type) -> bool {
    last_segment(ty).is_some_and(|segment| segment.ident == "Result")
}

/// `B` when the type is `Result<Response<B>, ..>` (any path to either).
fn response_body(ty: &Type) -> Option<Type> {
    let PathArguments::AngleBracketed(args) = &last_segment(ty)?.arguments else {
        return None;
    };
    let GenericArgument::Type(ok) = args.args.first()? else {
        return None;
    };
    let response = last_segment(ok)?;
    if response.ident != "Response" {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &response.arguments else {
        return None;
    };
    match args.args.first()? {
        GenericArgument::Type(Type::ImplTrait(_)) => None,
        GenericArgument::Type(body) if args.args.len() == 1 => Some(body.clone()),
        _ => None,
    }
}

/// `A + B` when the type is `Result<impl A + B, ..>`.
fn impl_bounds_of_first_argument(ty: &Type) -> Option<TokenStream> {
    let PathArguments::AngleBracketed(args) = &last_segment(ty)?.arguments else {
        return None;
    };
    match args.args.first()? {
        GenericArgument::Type(Type::ImplTrait(bounds)) => {
            let bounds = &bounds.bounds;
            Some(quote!(#bounds))
        }
        _ => None,
    }
}

/// Replaces every `impl Trait` in the type by `_`: a `let` may then name it, and it still pins
/// the error type that `?` converts into.
fn erase_impl_trait(ty: &mut Type) {
    match ty {
        Type::ImplTrait(_) => *ty = syn::parse_quote!(_),
        Type::Path(path) => {
            for segment in &mut path.path.segments {
                if let PathArguments::AngleBracketed(args) = &mut segment.arguments {
                    for arg in &mut args.args {
                        if let GenericArgument::Type(inner) = arg {
                            erase_impl_trait(inner);
                        }
                    }
                }
            }
        }
        _ => {}
    }
}
