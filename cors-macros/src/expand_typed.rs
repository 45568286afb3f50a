//! The wrapper of a `lambda_runtime` handler of a typed event,
//! `async fn(event: LambdaEvent<Req>) -> Result<Resp, E>`: the flow of the `lambda_http` wrapper,
//! with the event's method and headers read by `Req`'s `CorsEvent` implementation and every
//! answer made in `Resp`.
//!
//! Each type is checked once, in `begin_event`: `Req` on the parameter's type, `Resp` against `Req`
//! on the return type. What `begin_event` returns makes every answer in `Resp` without a bound of
//! its own, so that nothing else repeats the error.
//!
//! The flow runs in `EventFlow`, a future of the runtime that holds the body's future and polls it
//! in place. A handler whose parameters borrow nothing becomes a plain `fn` returning that future
//! (`-> impl Future<Output = Result<Resp, Infallible>>`): an `async fn` would keep the event it
//! takes beside the body that owns it, and a typed event is large (a REST API's is over a
//! kilobyte). One with a reference, a lifetime or an `impl Trait` parameter stays an `async fn`
//! awaiting the flow, so that no lifetime has to be named in its return type, and so does one with
//! another attribute macro below this one, which then sees the `async fn` it expects.

use proc_macro2::{TokenStream, TokenTree};
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Attribute, FnArg, GenericParam, Signature};

use super::PolicySource;
use crate::handler::{Handler, MaybeItemFn, Typed};

pub(super) fn wrap(
    function: MaybeItemFn,
    source: &PolicySource,
    handler: &Handler,
    typed: &Typed,
) -> TokenStream {
    let MaybeItemFn {
        attrs,
        vis,
        mut sig,
        body,
    } = function;
    let p = quote!(::cors_runtime::__private);
    let response = &typed.response;
    let config = super::config_binding(source);
    let request = &handler.request;
    let rebind = &handler.rebind;
    let output_hint = &handler.output_hint;
    let output_span = output_hint.span();
    // `Req: CorsEvent` is checked on the event type, `Resp: EventResponse<Req>` on the response
    // type; the reply then makes every answer without a bound of its own.
    let event = &typed.event;
    let event = quote_spanned!(event.span()=> #event);
    let begin = quote_spanned! {response.span()=>
        #p::begin_event::<#event, #response>(__cors_config, &#request.payload)
    };
    // Chosen here, at the error's concrete type: its `ErrorResponse`, or the logged `500`.
    let dispatch = quote_spanned! {output_span=>
        (&__cors_error).__cors_error_kind().error_response(&__cors_error)
    };
    let on_error = quote! {
        |__cors_error| {
            use #p::{DefaultErrorKind as _, TypedErrorKind as _};
            #dispatch
        }
    };
    let body_future = super::body_future(rebind.as_ref(), output_hint, &body);
    let flow = quote! {
        #p::EventFlow::new(
            __cors_config,
            __cors_start,
            __cors_reply,
            #body_future,
            #on_error,
        )
    };
    // `Result<Resp, Infallible>`: what `lambda_runtime::run(service_fn(handler))` takes, every
    // error now a response.
    let result = quote!(::core::result::Result<#response, #p::Infallible>);
    let flow = if borrows_nothing(&sig) && attrs.iter().all(keeps_its_meaning) {
        sig.asyncness = None;
        sig.output = syn::parse_quote! {
            -> impl ::core::future::Future<Output = #result>
        };
        flow
    } else {
        sig.output = syn::parse_quote!(-> #result);
        quote!(#flow.await)
    };

    quote! {
        #(#attrs)*
        #vis #sig {
            #config
            let (__cors_start, __cors_reply) = #begin;
            #flow
        }
    }
}

/// Whether the function has no receiver, no lifetime parameter, and no parameter whose type has a
/// reference, a lifetime or an `impl Trait`: its future may then be returned as
/// `impl Future` in any edition, capturing nothing it would have to name.
fn borrows_nothing(sig: &Signature) -> bool {
    let lifetimes = sig
        .generics
        .params
        .iter()
        .any(|param| matches!(param, GenericParam::Lifetime(_)));
    !lifetimes
        && sig.inputs.iter().all(|input| match input {
            FnArg::Receiver(_) => false,
            FnArg::Typed(param) => !borrows(param.ty.to_token_stream()),
        })
}

/// Whether an attribute means the same on a `fn` returning a future as on an `async fn`: a doc
/// comment, a lint level, `cfg`, `must_use`. Another attribute macro below this one (such as
/// `#[tracing::instrument]`) sees an `async fn`, as written.
fn keeps_its_meaning(attr: &Attribute) -> bool {
    [
        "doc", "allow", "warn", "deny", "expect", "forbid", "cfg", "must_use",
    ]
    .iter()
    .any(|name| attr.path().is_ident(name))
}

/// Whether the tokens of a type have `&`, a lifetime (`'a`, `'_`) or `impl`.
fn borrows(tokens: TokenStream) -> bool {
    tokens.into_iter().any(|token| match token {
        TokenTree::Punct(punct) => punct.as_char() == '&' || punct.as_char() == '\'',
        TokenTree::Ident(ident) => ident == "impl",
        TokenTree::Group(group) => borrows(group.stream()),
        TokenTree::Literal(_) => false,
    })
}
