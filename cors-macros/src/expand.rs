//! Generating the wrapper: a `'static` configuration and a body that routes every exit of the
//! original body through the CORS headers.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::ItemFn;
use syn::spanned::Spanned;

use crate::attr::Args;
use crate::handler::{self, Handler};
use crate::valid::{self, Config, Errors, Names, Origins, Pattern};

/// The attribute's entry point.
pub fn cors_handler(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut function: ItemFn = match syn::parse2(item.clone()) {
        Ok(function) => function,
        Err(_) => {
            let error = syn::Error::new_spanned(
                first_tokens(&item),
                "`#[cors_handler]` applies to an `async fn` lambda_http handler",
            );
            return fallback(error, item);
        }
    };
    let attr_span = args
        .clone()
        .into_iter()
        .next()
        .map_or_else(Span::call_site, |t| t.span());
    let mut errors = Errors::default();
    let config = match syn::parse2::<Args>(args) {
        Ok(args) => valid::validate(&args, attr_span)
            .map_err(|e| errors.push(e))
            .ok(),
        Err(error) => {
            errors.push(error);
            None
        }
    };
    let handler = handler::inspect(&mut function)
        .map_err(|e| errors.push(e))
        .ok();
    match (config, handler, errors.finish(())) {
        (Some(config), Some(handler), Ok(())) => wrap(function, &config, &handler),
        (_, _, Err(error)) => fallback(error, item),
        _ => unreachable!("a missing part always comes with an error"),
    }
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

fn wrap(function: ItemFn, config: &Config, handler: &Handler) -> TokenStream {
    let ItemFn {
        attrs,
        vis,
        mut sig,
        block,
        ..
    } = function;
    sig.output = syn::parse_quote! {
        -> ::core::result::Result<::cors_runtime::__private::Response, ::cors_runtime::__private::Infallible>
    };
    let request = &handler.request;
    let rebind = &handler.rebind;
    let output_hint = &handler.output_hint;
    let (config_item, resolve) = config_tokens(config);
    let p = quote!(::cors_runtime::__private);
    // Type errors about the handler's `Ok` or `Err` type point at its return type.
    let output_span = output_hint.span();
    let ok_bound_check = handler.ok_bounds.as_ref().map(|bounds| {
        quote_spanned! {output_span=>
            fn __cors_check_bounds<T: #bounds>(_: &T) {}
            __cors_check_bounds(&__cors_value);
        }
    });
    let ok_kind = quote_spanned! {output_span=>
        (&__cors_value).__cors_response_kind()
    };
    let ok_response = quote_spanned! {output_span=>
        match __cors_kind.into_response(__cors_value) {
            #p::Converted::Ready(__cors_response) => __cors_response,
            #p::Converted::Future(__cors_future) => __cors_future.await,
        }
    };
    let err_response = quote_spanned! {output_span=>
        (&__cors_error).__cors_error_kind().error_response(&__cors_error)
    };

    quote! {
        #(#attrs)*
        #vis #sig {
            #config_item
            #resolve
            let __cors_grant = match ::cors_runtime::__private::begin(__cors_config, &#request) {
                ::core::ops::ControlFlow::Break(__cors_preflight) => {
                    return ::core::result::Result::Ok(__cors_preflight);
                }
                ::core::ops::ControlFlow::Continue(__cors_grant) => __cors_grant,
            };
            let __cors_outcome = ::cors_runtime::__private::catch_panic(async move {
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
                #block
            })
            .await;
            let __cors_response = match __cors_outcome {
                ::core::result::Result::Ok(::core::result::Result::Ok(__cors_value)) => {
                    use ::cors_runtime::__private::{ConvertKind as _, DirectKind as _};
                    #ok_bound_check
                    let __cors_kind = #ok_kind;
                    #ok_response
                }
                ::core::result::Result::Ok(::core::result::Result::Err(__cors_error)) => {
                    use ::cors_runtime::__private::{DefaultErrorKind as _, TypedErrorKind as _};
                    #err_response
                }
                ::core::result::Result::Err(__cors_panic) => {
                    ::cors_runtime::__private::panic_response(__cors_panic)
                }
            };
            ::core::result::Result::Ok(::cors_runtime::__private::finish(
                __cors_config,
                __cors_grant,
                __cors_response,
            ))
        }
    }
}

/// The `static` configuration, and the statement that binds `__cors_config` to it.
fn config_tokens(config: &Config) -> (TokenStream, TokenStream) {
    let p = quote!(::cors_runtime::__private);
    let header = |text: &str| quote!(#p::HeaderValue::from_static(#text));
    let methods = names(&config.methods, quote!(#p::DEFAULT_METHODS), false);
    let headers = names(&config.headers, quote!(#p::DEFAULT_HEADERS), true);
    let expose = match config.expose_headers.as_slice() {
        [] => quote!(::core::option::Option::None),
        list => {
            let value = header(&list.join(","));
            quote!(::core::option::Option::Some(#value))
        }
    };
    let credentials = config.credentials;
    let max_age = match config.max_age {
        Some(seconds) => {
            let value = header(&seconds.to_string());
            quote!(::core::option::Option::Some(#value))
        }
        None => quote!(::core::option::Option::None),
    };
    let preflight = config.preflight;
    let mut patterns = TokenStream::new();
    let origins = match &config.origins {
        Origins::Any | Origins::Env(_) => quote!(#p::AllowedOrigins::Any),
        Origins::Exact(origin) => {
            let value = header(origin);
            quote!(#p::AllowedOrigins::Exact(#value))
        }
        Origins::List(list) => {
            let count = list.len();
            let entries = list.iter().map(|pattern| match pattern {
                Pattern::Exact(origin) => {
                    let value = header(origin);
                    quote!(#p::OriginPattern::Exact(#value))
                }
                Pattern::Subdomain { https, suffix } => {
                    let scheme = if *https { quote!(Https) } else { quote!(Http) };
                    quote!(#p::OriginPattern::Subdomain {
                        scheme: #p::Scheme::#scheme,
                        suffix: #p::Cow::Borrowed(#suffix),
                    })
                }
            });
            patterns = quote! {
                static __CORS_ORIGINS: [#p::OriginPattern; #count] = [#(#entries),*];
            };
            quote!(#p::AllowedOrigins::List(#p::Cow::Borrowed(&__CORS_ORIGINS)))
        }
    };
    let parts = quote! {
        #p::CorsConfig::__from_parts(
            #origins,
            #methods,
            #headers,
            #expose,
            #credentials,
            #max_age,
            #preflight,
        )
    };
    match &config.origins {
        Origins::Env(var) => (
            quote! {
                static __CORS_CONFIG: #p::EnvConfig = #p::EnvConfig::new(#var, #parts);
            },
            quote! {
                let __cors_config = match __CORS_CONFIG.get() {
                    ::core::result::Result::Ok(__cors_config) => __cors_config,
                    ::core::result::Result::Err(__cors_unusable) => {
                        return ::core::result::Result::Ok(#p::unusable_config_response(__cors_unusable));
                    }
                };
            },
        ),
        _ => (
            quote! {
                #patterns
                static __CORS_CONFIG: #p::CorsConfig = #parts;
            },
            quote!(let __cors_config = &__CORS_CONFIG;),
        ),
    }
}

/// `methods` or `headers`: header names are matched lower-cased, so they are stored so (the
/// header value keeps them as written).
fn names(names: &Names, default: TokenStream, lower_case: bool) -> TokenStream {
    let p = quote!(::cors_runtime::__private);
    match names {
        Names::Default => default,
        Names::Any => quote!(#p::AllowList::Any),
        Names::List(list) => {
            let joined = list.join(",");
            let list: Vec<String> = if lower_case {
                list.iter().map(|n| n.to_ascii_lowercase()).collect()
            } else {
                list.clone()
            };
            quote! {
                #p::AllowList::List {
                    value: #p::HeaderValue::from_static(#joined),
                    names: #p::Names::Static(&[#(#list),*]),
                }
            }
        }
    }
}
