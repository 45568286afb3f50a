//! The wrapper of a `lambda_runtime` handler of a typed event,
//! `async fn(event: LambdaEvent<Req>) -> Result<Resp, E>`: the flow of the `lambda_http` wrapper,
//! with the event's method and headers read by `Req`'s `CorsEvent` implementation and every
//! answer made in `Resp`.
//!
//! Each type is checked once, in `begin_event`: `Req` on the parameter's type, `Resp` against `Req`
//! on the return type. What `begin_event` returns makes every answer in `Resp` without a bound of
//! its own, so that nothing else repeats the error.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

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
    // `Result<Resp, Infallible>`: what `lambda_runtime::run(service_fn(handler))` takes, every
    // error now a response.
    sig.output = syn::parse_quote! {
        -> ::core::result::Result<#response, #p::Infallible>
    };
    let config = match source {
        PolicySource::Inline(policy) => quote! {
            static __CORS_CONFIG: ::cors_runtime::CorsConfig = #policy;
            let __cors_config: &'static ::cors_runtime::CorsConfig = &__CORS_CONFIG;
        },
        PolicySource::Named(path) => {
            let policy = quote_spanned!(path.span()=> #p::policy(&#path));
            quote! {
                let __cors_config: &'static ::cors_runtime::CorsConfig = #policy;
            }
        }
    };
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
    let err_response = quote_spanned! {output_span=>
        (&__cors_error).__cors_error_kind().error_response(&__cors_error)
    };

    quote! {
        #(#attrs)*
        #vis #sig {
            #config
            let (__cors_start, __cors_reply) = #begin;
            let __cors_grant = match __cors_start {
                #p::Start::Answer(__cors_answer) => {
                    return ::core::result::Result::Ok(
                        __cors_reply.answer(__cors_answer.respond::<#p::Body>(__cors_config)),
                    );
                }
                #p::Start::Run(__cors_grant) => __cors_grant,
                #p::Start::Ask(__cors_asking) => {
                    match __cors_asking.finish::<#p::Body>(__cors_config).await {
                        ::core::ops::ControlFlow::Break(__cors_answer) => {
                            return ::core::result::Result::Ok(__cors_reply.answer(__cors_answer));
                        }
                        ::core::ops::ControlFlow::Continue(__cors_grant) => __cors_grant,
                    }
                }
            };
            let __cors_ran = #p::catch_panic(async move {
                #rebind
                #[allow(
                    unreachable_code,
                    clippy::diverging_sub_expression,
                    clippy::empty_loop,
                    clippy::needless_return
                )]
                if false {
                    let __cors_output_type: #output_hint = loop {};
                    return __cors_output_type;
                }
                #body
            })
            .await;
            ::core::result::Result::Ok(match __cors_ran {
                ::core::result::Result::Ok(::core::result::Result::Ok(mut __cors_response)) => {
                    __cors_reply.grant(__cors_config, __cors_grant, &mut __cors_response);
                    __cors_response
                }
                ::core::result::Result::Ok(::core::result::Result::Err(__cors_error)) => {
                    use #p::{DefaultErrorKind as _, TypedErrorKind as _};
                    __cors_reply.error(__cors_config, __cors_grant, #err_response)
                }
                ::core::result::Result::Err(__cors_panic) => {
                    __cors_reply.error(__cors_config, __cors_grant, #p::panic_response(__cors_panic))
                }
            })
        }
    }
}
