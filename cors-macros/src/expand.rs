//! Generating code: a policy as a `const`-evaluable expression (`cors_config!`, and the policy of
//! an attribute with its own keys), and the wrapper that routes every exit of a handler's body
//! through the policy's headers. The generated code only wires: every decision is a function of
//! `cors_runtime`, named by absolute path.

use cors_rules::{Csrf, Names, OriginSpec, Origins, Policy};
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use crate::attr::{Args, OriginFn, Site};
use crate::errors::Errors;
use crate::handler::{self, Handler, MaybeItemFn};
use crate::valid;

#[path = "expand_typed.rs"]
mod typed;

/// `#[cors_handler(...)]`.
pub fn cors_handler(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut function: MaybeItemFn = match syn::parse2(item.clone()) {
        Ok(function) => function,
        Err(_) => {
            let error = syn::Error::new_spanned(
                first_tokens(&item),
                "`#[cors_handler]` applies to an `async fn` lambda_http handler",
            );
            return fallback(error, item);
        }
    };
    let mut errors = Errors::default();
    let mut streaming = false;
    let source = match syn::parse2::<Args>(args) {
        Ok(args) => {
            let read = args.read(Site::Attribute, &mut errors);
            streaming = read.streaming;
            match &read.config {
                Some((_, path)) => {
                    read.check_config_alone(&mut errors);
                    Some(PolicySource::Named(path.clone()))
                }
                // A problem about the whole configuration (a missing origin) points at the
                // attribute: `call_site` is the attribute's span.
                None => valid::validate(&read, Span::call_site(), &mut errors).map(|policy| {
                    PolicySource::Inline(policy_expr(&policy, read.origin_fn.as_ref()))
                }),
            }
        }
        Err(error) => {
            errors.push(error);
            None
        }
    };
    let handler = handler::inspect(&mut function, streaming)
        .map_err(|e| errors.push(e))
        .ok();
    match (source, handler, errors.finish(())) {
        (Some(source), Some(handler), Ok(())) => match &handler.typed {
            Some(event) => typed::wrap(function, &source, &handler, event),
            None => wrap(function, &source, &handler),
        },
        (_, _, Err(error)) => fallback(error, item),
        _ => unreachable!("a missing part always comes with an error"),
    }
}

/// `cors_config!(...)`.
pub fn cors_config(input: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let policy = match syn::parse2::<Args>(input) {
        Ok(args) => {
            let read = args.read(Site::ConfigMacro, &mut errors);
            // `call_site`: the whole `cors_config!(...)` invocation.
            valid::validate(&read, Span::call_site(), &mut errors)
                .map(|policy| policy_expr(&policy, read.origin_fn.as_ref()))
        }
        Err(error) => {
            errors.push(error);
            None
        }
    };
    match (policy, errors.finish(())) {
        (Some(policy), Ok(())) => policy,
        (_, Err(error)) => {
            // The errors, and a policy of the right type, so that the `static` it initializes
            // raises no error of its own.
            let error = error.into_compile_error();
            quote! {{
                #error
                ::cors_runtime::__private::Spec::new().any_origin().build()
            }}
        }
        _ => unreachable!("a missing policy always comes with an error"),
    }
}

/// Where the wrapper's policy comes from.
enum PolicySource {
    /// The attribute's own keys: the policy's expression.
    Inline(TokenStream),
    /// `config = PATH`.
    Named(syn::Path),
}

/// The errors, and the function exactly as written: one precise error each, no cascade of
/// "cannot find function" where the handler is used.
fn fallback(error: syn::Error, item: TokenStream) -> TokenStream {
    let error = error.into_compile_error();
    quote!(#error #item)
}

fn first_tokens(item: &TokenStream) -> TokenStream {
    item.clone().into_iter().take(3).collect()
}

/// The policy as a `const`-evaluable block: `cors_runtime::__private::Spec`'s `const fn`s called
/// with the validated literals; an origin list's exact origins are a `static` array of prebuilt
/// header values.
fn policy_expr(policy: &Policy<'_>, origin_fn: Option<&OriginFn>) -> TokenStream {
    let p = quote!(::cors_runtime::__private);
    let mut items = TokenStream::new();
    let mut calls = TokenStream::new();
    match &policy.origins {
        Origins::Any => calls.extend(quote!(.any_origin())),
        Origins::Exact(origin) => calls.extend(quote!(.exact_origin(#origin))),
        Origins::List(specs) => {
            let exact: Vec<&str> = specs
                .iter()
                .filter_map(|spec| match spec {
                    OriginSpec::Exact(origin) => Some(*origin),
                    _ => None,
                })
                .collect();
            let wildcards = |labels: bool| -> TokenStream {
                let pairs = specs.iter().filter_map(|spec| match spec {
                    OriginSpec::Wildcard { prefix, suffix }
                        if cors_rules::is_label_wildcard(prefix, suffix) == labels =>
                    {
                        Some(quote!((#prefix, #suffix)))
                    }
                    _ => None,
                });
                quote!(&[#(#pairs),*])
            };
            let (labels, patterns) = (wildcards(true), wildcards(false));
            let count = exact.len();
            items.extend(quote! {
                static __CORS_EXACT: [#p::HeaderValue; #count] =
                    [#(#p::HeaderValue::from_static(#exact)),*];
            });
            calls.extend(quote! {
                .origin_list(&__CORS_EXACT, #labels, #patterns)
            });
        }
        Origins::Env(var) => calls.extend(quote!(.origin_env(#var))),
    }
    match &policy.methods {
        Names::Default => {}
        Names::Any => calls.extend(quote!(.any_method())),
        Names::List(names) => {
            let value = names.join(",");
            calls.extend(quote!(.methods(#value, &[#(#names),*])));
        }
    }
    match &policy.headers {
        Names::Default => {}
        Names::Any => calls.extend(quote!(.any_header())),
        Names::List(names) => {
            // Compared lower-cased; the header value keeps them as written.
            let value = names.join(",");
            let lower = names.iter().map(|name| name.to_ascii_lowercase());
            calls.extend(quote!(.headers(#value, &[#(#lower),*])));
        }
    }
    match &policy.expose_headers {
        Names::Default => {}
        Names::Any => calls.extend(quote!(.expose_headers("*"))),
        Names::List(names) => {
            let value = names.join(",");
            calls.extend(quote!(.expose_headers(#value)));
        }
    }
    if policy.credentials {
        calls.extend(quote!(.credentials(true)));
    }
    if let Some(seconds) = policy.max_age {
        let seconds = seconds.to_string();
        calls.extend(quote!(.max_age(#seconds)));
    }
    if !policy.preflight {
        calls.extend(quote!(.preflight(false)));
    }
    if policy.front_door {
        calls.extend(quote!(.front_door(true)));
    }
    match policy.csrf {
        Csrf::Off => {}
        Csrf::Block => calls.extend(quote!(.csrf(#p::Csrf::Block))),
        Csrf::Report => calls.extend(quote!(.csrf(#p::Csrf::Report))),
    }
    if let Some(check) = origin_fn {
        items.extend(origin_fn_shim(check));
        calls.extend(quote!(.origin_fn(__cors_origin_fn)));
    }
    quote! {{
        #items
        #p::Spec::new() #calls .build()
    }}
}

/// The function the policy stores for `origin_fn`: it asks the user's check about one origin, by
/// its path (a type error in the call points at the path).
fn origin_fn_shim(check: &OriginFn) -> TokenStream {
    let p = quote!(::cors_runtime::__private);
    let path = &check.path;
    let span = path.span();
    let verdict = if check.is_async {
        let answer =
            quote_spanned!(span=> #p::verdict(#path(#p::origin_text(&__cors_origin)).await));
        quote!(#p::pending(__cors_origin, |__cors_origin| async move { #answer }))
    } else {
        let answer = quote_spanned!(span=> #p::verdict(#path(__cors_text)));
        quote!(#p::ready(__cors_origin, |__cors_text| #answer))
    };
    quote! {
        fn __cors_origin_fn(__cors_origin: &#p::HeaderValue) -> #p::Verdict {
            #verdict
        }
    }
}

/// The handler's body as an `async move` block whose output is pinned to the handler's return
/// type (`output_hint`), so that `return` and `?` keep their meaning; the request parameter
/// rebound first when it was a pattern.
fn body_future(
    rebind: Option<&TokenStream>,
    output_hint: &syn::Type,
    body: &TokenStream,
) -> TokenStream {
    quote! {
        async move {
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
        }
    }
}

/// `let __cors_config: &'static CorsConfig = ...;`: the attribute's own policy in a `static` of the
/// function, or the one `config = PATH` names.
fn config_binding(source: &PolicySource) -> TokenStream {
    let p = quote!(::cors_runtime::__private);
    match source {
        PolicySource::Inline(policy) => quote! {
            static __CORS_CONFIG: ::cors_runtime::CorsConfig = #policy;
            let __cors_config: &'static ::cors_runtime::CorsConfig = &__CORS_CONFIG;
        },
        // A path to anything but a `static CorsConfig` is a type error on the path.
        PolicySource::Named(path) => {
            let policy = quote_spanned!(path.span()=> #p::policy(&#path));
            quote! {
                let __cors_config: &'static ::cors_runtime::CorsConfig = #policy;
            }
        }
    }
}

fn wrap(function: MaybeItemFn, source: &PolicySource, handler: &Handler) -> TokenStream {
    let MaybeItemFn {
        attrs,
        vis,
        mut sig,
        body,
    } = function;
    let p = quote!(::cors_runtime::__private);
    // The response's body: `lambda_http::Body`, or a streamed handler's own, as `StreamBody`.
    let response_body = match &handler.stream_body {
        Some(stream) => quote!(::cors_runtime::StreamBody<#stream>),
        None => quote!(#p::Body),
    };
    sig.output = syn::parse_quote! {
        -> ::core::result::Result<#p::http::Response<#response_body>, #p::Infallible>
    };
    let config = config_binding(source);
    let request = &handler.request;
    let rebind = &handler.rebind;
    let output_hint = &handler.output_hint;
    // Type errors about the handler's `Ok` or `Err` type point at its return type.
    let output_span = output_hint.span();
    let ok_bound_check = handler.ok_bounds.as_ref().map(|bounds| {
        quote_spanned! {output_span=>
            fn __cors_check_bounds<T: #bounds>(_: &T) {}
            __cors_check_bounds(&__cors_value);
        }
    });
    let ok_response = match handler.stream_body {
        Some(_) => quote_spanned! {output_span=>
            #p::stream_response(__cors_value)
        },
        None => quote_spanned! {output_span=>
            match (&__cors_value).__cors_response_kind().into_response(__cors_value) {
                #p::Converted::Ready(__cors_response) => __cors_response,
                #p::Converted::Future(__cors_future) => __cors_future.await,
            }
        },
    };
    let err_response = quote_spanned! {output_span=>
        (&__cors_error).__cors_error_kind().error_response(&__cors_error)
    };
    let err_response = match handler.stream_body {
        Some(_) => quote!(#p::stream_error(#err_response)),
        None => err_response,
    };

    let body_future = body_future(rebind.as_ref(), output_hint, &body);
    quote! {
        #(#attrs)*
        #vis #sig {
            #config
            let __cors_grant = match #p::begin(__cors_config, &#request) {
                #p::Start::Answer(__cors_answer) => {
                    return ::core::result::Result::Ok(
                        __cors_answer.respond::<#response_body>(__cors_config),
                    );
                }
                #p::Start::Run(__cors_grant) => __cors_grant,
                #p::Start::Ask(__cors_asking) => match __cors_asking.finish(__cors_config).await {
                    ::core::ops::ControlFlow::Break(__cors_answer) => {
                        return ::core::result::Result::Ok(__cors_answer);
                    }
                    ::core::ops::ControlFlow::Continue(__cors_grant) => __cors_grant,
                },
            };
            let __cors_outcome = #p::catch_panic(#body_future).await;
            let mut __cors_response = match __cors_outcome {
                ::core::result::Result::Ok(::core::result::Result::Ok(__cors_value)) => {
                    use #p::{ConvertKind as _, DirectKind as _};
                    #ok_bound_check
                    #ok_response
                }
                ::core::result::Result::Ok(::core::result::Result::Err(__cors_error)) => {
                    use #p::{DefaultErrorKind as _, TypedErrorKind as _};
                    #err_response
                }
                ::core::result::Result::Err(__cors_panic) => #p::panic_response(__cors_panic),
            };
            #p::finish(__cors_config, __cors_grant, &mut __cors_response);
            ::core::result::Result::Ok(__cors_response)
        }
    }
}
