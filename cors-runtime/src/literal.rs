//! A policy built at compile time: the `const fn`s that the expansion of `cors_config!` and
//! `#[cors_handler(origin = ...)]` calls with the validated literals. Their shape is private to
//! this crate and `cors-macros` (pinned to the same version), and may change in any release.

use std::borrow::Cow;

use http::HeaderValue;

use crate::check::{OriginFn, Verdict};
use crate::config::{CorsConfig, Csrf, Origins};
use crate::env::EnvOrigins;
use crate::lists::{AllowList, OriginList, Strs};

/// A policy's parts as `'static` literals; [`build`](Spec::build) makes the [`CorsConfig`], every
/// header value built at compile time (`HeaderValue::from_static` is a `const fn`).
///
/// Every part was validated by `cors_rules::validate` when the macro expanded: this type does not
/// validate again.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
#[must_use]
pub struct Spec {
    origins: SpecOrigins,
    methods: SpecNames,
    headers: SpecNames,
    expose_headers: Option<&'static str>,
    credentials: bool,
    max_age: Option<&'static str>,
    preflight: bool,
    check: Option<fn(&HeaderValue) -> Verdict>,
    front_door: bool,
    csrf: Csrf,
}

#[derive(Debug, Clone, Copy)]
enum SpecOrigins {
    Unset,
    Any,
    Exact(&'static str),
    List(&'static [HeaderValue], &'static [Pair], &'static [Pair]),
    Env(&'static str),
}

/// A wildcard's `(prefix, suffix)`.
type Pair = (&'static str, &'static str);

#[derive(Debug, Clone, Copy)]
enum SpecNames {
    Default,
    Any,
    /// The header value (names joined with `,`) and the names as compared.
    List(&'static str, &'static [&'static str]),
}

impl Spec {
    /// The defaults: the console's methods and headers, nothing exposed, no credentials, no max
    /// age, preflights answered. Origins must be set.
    pub const fn new() -> Spec {
        Spec {
            origins: SpecOrigins::Unset,
            methods: SpecNames::Default,
            headers: SpecNames::Default,
            expose_headers: None,
            credentials: false,
            max_age: None,
            preflight: true,
            check: None,
            front_door: false,
            csrf: Csrf::Off,
        }
    }

    /// `origin = "*"`.
    pub const fn any_origin(mut self) -> Spec {
        self.origins = SpecOrigins::Any;
        self
    }

    /// One exact origin, sent statically.
    pub const fn exact_origin(mut self, origin: &'static str) -> Spec {
        self.origins = SpecOrigins::Exact(origin);
        self
    }

    /// A list: its exact origins, prebuilt; its whole-label wildcards and its other wildcards
    /// (inside a label, the port) as `(prefix, suffix)`.
    pub const fn origin_list(
        mut self,
        exact: &'static [HeaderValue],
        wildcards: &'static [Pair],
        patterns: &'static [Pair],
    ) -> Spec {
        self.origins = SpecOrigins::List(exact, wildcards, patterns);
        self
    }

    /// `origin_fn = ...`: the generated shim that asks the user's check.
    pub const fn origin_fn(mut self, check: fn(&HeaderValue) -> Verdict) -> Spec {
        self.check = Some(check);
        self
    }

    /// `origin_env = var`.
    pub const fn origin_env(mut self, var: &'static str) -> Spec {
        self.origins = SpecOrigins::Env(var);
        self
    }

    /// `methods = [...]`: the names joined with `,`, and the names.
    pub const fn methods(mut self, value: &'static str, names: &'static [&'static str]) -> Spec {
        self.methods = SpecNames::List(value, names);
        self
    }

    /// `methods = ["*"]`.
    pub const fn any_method(mut self) -> Spec {
        self.methods = SpecNames::Any;
        self
    }

    /// `headers = [...]`: the names joined with `,` as written, and the names lower-cased.
    pub const fn headers(mut self, value: &'static str, names: &'static [&'static str]) -> Spec {
        self.headers = SpecNames::List(value, names);
        self
    }

    /// `headers = ["*"]`.
    pub const fn any_header(mut self) -> Spec {
        self.headers = SpecNames::Any;
        self
    }

    /// `expose_headers = [...]`: the names joined with `,` (or `*`).
    pub const fn expose_headers(mut self, value: &'static str) -> Spec {
        self.expose_headers = Some(value);
        self
    }

    /// `credentials = ...`.
    pub const fn credentials(mut self, credentials: bool) -> Spec {
        self.credentials = credentials;
        self
    }

    /// `max_age = ...`, as its decimal text.
    pub const fn max_age(mut self, seconds: &'static str) -> Spec {
        self.max_age = Some(seconds);
        self
    }

    /// `preflight = ...`.
    pub const fn preflight(mut self, preflight: bool) -> Spec {
        self.preflight = preflight;
        self
    }

    /// `front_door = ...`.
    pub const fn front_door(mut self, front_door: bool) -> Spec {
        self.front_door = front_door;
        self
    }

    /// `csrf = ...`, with its default from `credentials` resolved by the validation.
    pub const fn csrf(mut self, csrf: Csrf) -> Spec {
        self.csrf = csrf;
        self
    }

    pub const fn build(self) -> CorsConfig {
        CorsConfig {
            origins: match self.origins {
                SpecOrigins::Unset => panic!("a policy names its origins"),
                SpecOrigins::Any => Origins::Any,
                SpecOrigins::Exact(origin) => Origins::Exact(HeaderValue::from_static(origin)),
                SpecOrigins::List(exact, wildcards, patterns) => Origins::List(OriginList {
                    exact: Cow::Borrowed(exact),
                    wildcards: Strs::Static(wildcards),
                    patterns: Strs::Static(patterns),
                }),
                SpecOrigins::Env(var) => {
                    Origins::Env(EnvOrigins::new(var, self.credentials, self.check.is_some()))
                }
            },
            methods: match self.methods {
                SpecNames::Default => AllowList::DEFAULT_METHODS,
                SpecNames::Any => AllowList::Any,
                SpecNames::List(value, names) => allow_list(value, names),
            },
            headers: match self.headers {
                SpecNames::Default => AllowList::DEFAULT_HEADERS,
                SpecNames::Any => AllowList::Any,
                SpecNames::List(value, names) => allow_list(value, names),
            },
            expose_headers: match self.expose_headers {
                Some(value) => Some(HeaderValue::from_static(value)),
                None => None,
            },
            credentials: self.credentials,
            max_age: match self.max_age {
                Some(value) => Some(HeaderValue::from_static(value)),
                None => None,
            },
            preflight: self.preflight,
            check: match self.check {
                Some(check) => Some(OriginFn::Static(check)),
                None => None,
            },
            front_door: self.front_door,
            csrf: self.csrf,
        }
    }
}

impl Default for Spec {
    fn default() -> Self {
        Spec::new()
    }
}

const fn allow_list(value: &'static str, names: &'static [&'static str]) -> AllowList {
    AllowList::List {
        value: HeaderValue::from_static(value),
        names: Strs::Static(names),
    }
}
