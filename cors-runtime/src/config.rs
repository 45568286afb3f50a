//! [`CorsConfig`]: a validated policy, as data, and what can be read from it. What is done with
//! it (the request flow, the entry points) lives above, in the modules that use it.

use http::HeaderValue;

use crate::check::OriginFn;
use crate::env::EnvOrigins;
pub(crate) use crate::lists::{AllowList, OriginList};
use crate::lists::{header_str, header_text};

/// A validated CORS policy: which origins may read the responses, with which methods, headers and
/// credentials.
///
/// One type for every source: [`cors_config!`](crate::cors_config) builds it at compile time
/// (every header value prebuilt, usable in a `static` that several handlers share through
/// `#[cors_handler(config = ...)]`), `#[cors_handler(origin = ...)]` builds one of its own the
/// same way, and [`CorsConfig::builder`] builds one at run time with the same rules. A policy
/// whose origins come from `origin_env` reads and validates the variable once, on first use, and
/// every handler sharing it sees the same result.
///
/// ```
/// use cors_runtime::{cors_config, CorsConfig};
///
/// static API_CORS: CorsConfig = cors_config!(
///     origin = ["https://myapp.com", "https://admin.myapp.com"],
///     credentials = true,
///     max_age = 600,
/// );
///
/// let built = CorsConfig::builder()
///     .allow_origins(["https://myapp.com", "https://admin.myapp.com"])
///     .allow_credentials(true)
///     .max_age(600)
///     .build()
///     .expect("a valid CORS policy");
/// assert_eq!(API_CORS.origins(), built.origins());
/// assert_eq!(API_CORS.max_age(), Some(600));
/// ```
#[derive(Debug, Clone)]
pub struct CorsConfig {
    pub(crate) origins: Origins,
    pub(crate) methods: AllowList,
    pub(crate) headers: AllowList,
    pub(crate) expose_headers: Option<HeaderValue>,
    pub(crate) credentials: bool,
    pub(crate) max_age: Option<HeaderValue>,
    pub(crate) preflight: bool,
    /// `origin_fn`: asked about every origin the lists do not allow.
    pub(crate) check: Option<OriginFn>,
    /// `front_door`: the front door writes the CORS headers; the function writes none.
    pub(crate) front_door: bool,
    /// `csrf`: what happens to a write from an origin the policy does not allow.
    pub(crate) csrf: Csrf,
}

/// What happens to a cross-origin write (any method but `GET`, `HEAD` and `OPTIONS`) from an
/// origin the policy does not allow: the `csrf` key of `#[cors_handler]` and `cors_config!`, the
/// builder's [`csrf`](crate::CorsConfigBuilder::csrf).
///
/// CORS decides who may *read* a response; it does not stop the request. A page on any other
/// site can still send a form `POST`, a `fetch` in `no-cors` mode or a beacon, with the user's
/// cookies, and the handler runs. The policy that names who may call also names who may write:
/// a write whose Fetch metadata (`Sec-Fetch-Site`) or `Origin` shows another origin is refused
/// unless the policy grants that origin.
///
/// The default is [`Block`](Csrf::Block) with `credentials = true` (a forged write would carry the
/// user's cookies) and [`Off`](Csrf::Off) without; an explicit value wins.
///
/// ```
/// use cors_runtime::{cors_config, CorsConfig, Csrf};
///
/// static API: CorsConfig = cors_config!(origin = ["https://myapp.com"], credentials = true);
/// static PUBLIC: CorsConfig = cors_config!(origin = ["https://myapp.com"]);
/// static SIGN_IN_WITH_APPLE: CorsConfig =
///     cors_config!(origin = ["https://myapp.com"], credentials = true, csrf = "off");
/// assert_eq!(API.csrf(), Csrf::Block);
/// assert_eq!(PUBLIC.csrf(), Csrf::Off);
/// assert_eq!(SIGN_IN_WITH_APPLE.csrf(), Csrf::Off);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Csrf {
    /// `"block"`: answered `403 {"message":"Forbidden"}` before the handler runs, and logged.
    Block,
    /// `"report"`: the handler runs; the refusal it would have been is logged at `warn` (for
    /// rolling the guard out on a live API).
    Report,
    /// `"off"`: not checked.
    Off,
}

/// Which origins are allowed.
#[derive(Debug, Clone)]
pub(crate) enum Origins {
    /// `"*"`: every response carries `Access-Control-Allow-Origin: *`.
    Any,
    /// One literal origin, sent as a static `Access-Control-Allow-Origin` on every response
    /// (the browser compares it with the page's origin); the response does not vary.
    Exact(HeaderValue),
    /// Exact origins and wildcards: the matching request origin is echoed and every response
    /// varies on `Origin`.
    List(OriginList),
    /// Read from the environment on first use.
    Env(EnvOrigins),
}

impl CorsConfig {
    /// The allowed origins as written: `["*"]`, one origin, or the list, grouped by kind: its
    /// exact origins, then its whole-label wildcards (`https://*.myapp.com`), then its other
    /// wildcards (`https://pr-*.preview.myapp.com`, `http://localhost:*`), each group in the order
    /// written. For a policy read from the environment, the origins it read (or none while the
    /// variable is unusable or not yet read); see [`origin_env`](Self::origin_env).
    pub fn origins(&self) -> Vec<String> {
        match &self.origins {
            Origins::Any => vec!["*".to_owned()],
            Origins::Exact(value) => vec![header_text(value)],
            Origins::List(list) => list.written(),
            Origins::Env(env) => env.read_origins(),
        }
    }

    /// The environment variable the allowed origins come from, for a policy made with
    /// `origin_env`.
    pub fn origin_env(&self) -> Option<&str> {
        match &self.origins {
            Origins::Env(env) => Some(env.var()),
            _ => None,
        }
    }

    /// Whether responses depend on the request's `Origin` (and so carry `Vary: Origin`): a list,
    /// a wildcard, `origin_env` or `origin_fn`.
    pub fn varies_on_origin(&self) -> bool {
        matches!(self.origins, Origins::List(_) | Origins::Env(_)) || self.check.is_some()
    }

    /// Whether a check in code (`origin_fn`) decides the origins the lists do not allow.
    pub fn checks_origins_in_code(&self) -> bool {
        self.check.is_some()
    }

    /// Whether `Access-Control-Allow-Credentials: true` is sent with every grant.
    pub fn allows_credentials(&self) -> bool {
        self.credentials
    }

    /// Whether the wrapper answers preflight requests itself.
    pub fn answers_preflight(&self) -> bool {
        self.preflight
    }

    /// What happens to a cross-origin write from an origin the policy does not allow
    /// (`csrf`).
    pub fn csrf(&self) -> Csrf {
        self.csrf
    }

    /// Whether the front door answers preflights and writes the CORS headers (`front_door =
    /// true`): the function then writes none, and keeps its `500`s for errors and panics. The
    /// front door's CORS configuration is rendered from this policy by `cors-deploy`.
    pub fn answered_by_front_door(&self) -> bool {
        self.front_door
    }

    /// `Access-Control-Allow-Methods` on a granted preflight: the methods joined with `,`, or `*`.
    pub fn allowed_methods(&self) -> &str {
        header_str(self.methods.methods_value())
    }

    /// `Access-Control-Allow-Headers` on a granted preflight: the names joined with `,`, or
    /// `*,Authorization` for `headers = ["*"]` (the Fetch standard never lets `*` cover
    /// `Authorization`, so it is named beside it).
    pub fn allowed_headers(&self) -> &str {
        header_str(self.headers.headers_value())
    }

    /// `Access-Control-Expose-Headers`, if any header is exposed.
    pub fn exposed_headers(&self) -> Option<&str> {
        self.expose_headers.as_ref().map(header_str)
    }

    /// `Access-Control-Max-Age` in seconds, if set.
    pub fn max_age(&self) -> Option<u32> {
        self.max_age
            .as_ref()
            .and_then(|value| header_str(value).parse().ok())
    }
}
