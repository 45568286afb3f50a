//! [`CorsConfigBuilder`]: a policy made at run time, validated by `cors_rules::validate` like the
//! attribute's literals (its problems in words: [`ConfigError`](crate::ConfigError)).

use std::fmt::{Debug, Display};
use std::future::Future;

use cors_rules::{Names, Origins as PolicyOrigins, Policy};
use http::HeaderValue;

use crate::check::OriginFn;
use crate::config::{CorsConfig, Csrf, Origins};
use crate::env::EnvOrigins;
use crate::lists::{AllowList, Strs, header, origin_list};
use crate::problem::ConfigError;

/// Builds a [`CorsConfig`] at run time with the rules the attribute applies at compile time.
///
/// Every setter records its value (a second call replaces the first, except
/// [`allow_origin`](Self::allow_origin), which adds one); [`build`](Self::build) validates them
/// all and reports every problem at once. Each setter is the builder's name for a key of
/// `#[cors_handler(...)]`:
///
/// | key | setter |
/// | --- | --- |
/// | `origin` | [`allow_origin`](Self::allow_origin), [`allow_origins`](Self::allow_origins) |
/// | `origin_env` | [`allow_origins_from_env`](Self::allow_origins_from_env) |
/// | `methods` | [`allow_methods`](Self::allow_methods) |
/// | `headers` | [`allow_headers`](Self::allow_headers) |
/// | `expose_headers` | [`expose_headers`](Self::expose_headers) |
/// | `credentials` | [`allow_credentials`](Self::allow_credentials) |
/// | `max_age` | [`max_age`](Self::max_age) |
/// | `preflight` | [`answer_preflight`](Self::answer_preflight) |
/// | `front_door` | [`front_door`](Self::front_door) |
/// | `csrf` | [`csrf`](Self::csrf) |
/// | `origin_fn` | [`allow_origin_fn`](Self::allow_origin_fn), [`allow_origin_async_fn`](Self::allow_origin_async_fn) |
///
/// ```
/// use cors_runtime::CorsConfig;
///
/// let err = CorsConfig::builder()
///     .allow_origins(["https://myapp.com/", "*"])
///     .allow_methods(["get"])
///     .build()
///     .unwrap_err();
/// let messages: Vec<&str> = err.problems().iter().map(|p| p.message()).collect();
/// assert_eq!(
///     messages,
///     [
///         "origin must not end with `/`: a browser sends `https://myapp.com`",
///         "`\"*\"` allows every origin and must stand alone, not in a list",
///         "methods are case-sensitive and browsers send `GET`",
///     ]
/// );
/// assert_eq!(err.problems()[0].hint(), Some("did you mean \"https://myapp.com\"?"));
/// ```
#[derive(Debug, Clone, Default)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct CorsConfigBuilder {
    origins: Option<Vec<String>>,
    /// `allow_origins` was called: the origins are a list, even of one.
    origins_are_list: bool,
    env_var: Option<String>,
    methods: Option<Vec<String>>,
    headers: Option<Vec<String>>,
    expose_headers: Option<Vec<String>>,
    credentials: bool,
    max_age: Option<u64>,
    preflight: Option<bool>,
    front_door: Option<bool>,
    csrf: Option<Csrf>,
    origin_fn: Option<OriginFn>,
}

fn strings<I, S>(items: I) -> Vec<String>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    items.into_iter().map(Into::into).collect()
}

impl CorsConfig {
    /// A builder for a policy made at run time, with the defaults of the attribute: the console's
    /// methods and headers, no exposed headers, no credentials, no max age, preflights answered.
    /// An origin is required.
    pub fn builder() -> CorsConfigBuilder {
        CorsConfigBuilder::default()
    }
}

impl CorsConfigBuilder {
    /// Allows one more origin (`origin`): a serialized origin, `"*"` or a wildcard.
    ///
    /// The two setters give two shapes of response. One origin allowed with `allow_origin` is
    /// **sent statically**, as `origin = "https://myapp.com"` is: every response carries it in
    /// `Access-Control-Allow-Origin` without comparing (the browser compares) and varies on
    /// nothing. With a second origin, or with [`allow_origins`](Self::allow_origins) (even of
    /// one, as `origin = ["https://myapp.com"]`), the policy is a **list**: a matching request
    /// origin is echoed and every response carries `Vary: Origin`.
    ///
    /// ```
    /// use cors_runtime::CorsConfig;
    ///
    /// let statically = CorsConfig::builder().allow_origin("https://myapp.com").build()?;
    /// let echoed = CorsConfig::builder().allow_origins(["https://myapp.com"]).build()?;
    /// assert!(!statically.varies_on_origin());
    /// assert!(echoed.varies_on_origin());
    /// # Ok::<(), cors_runtime::ConfigError>(())
    /// ```
    pub fn allow_origin(mut self, origin: impl Into<String>) -> Self {
        self.origins
            .get_or_insert_with(Vec::new)
            .push(origin.into());
        self
    }

    /// Allows each of `origins` (`origin = [...]`), after any allowed before: a list, whose
    /// matching origin is echoed with `Vary: Origin` (even a list of one; see
    /// [`allow_origin`](Self::allow_origin) for the static shape).
    pub fn allow_origins<I, S>(mut self, origins: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.origins_are_list = true;
        self.origins
            .get_or_insert_with(Vec::new)
            .extend(strings(origins));
        self
    }

    /// Reads the allowed origins from the environment variable `var`, comma-separated
    /// (`origin_env`). [`build`](Self::build) reads and validates it, so that a bad value is an
    /// error at cold start.
    pub fn allow_origins_from_env(mut self, var: impl Into<String>) -> Self {
        self.env_var = Some(var.into());
        self
    }

    /// The methods a preflight may ask for (`methods`; default: the console's seven).
    pub fn allow_methods<I, S>(mut self, methods: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.methods = Some(strings(methods));
        self
    }

    /// The request headers a preflight may ask for (`headers`; default: the console's five).
    pub fn allow_headers<I, S>(mut self, headers: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.headers = Some(strings(headers));
        self
    }

    /// The response headers the page may read besides the safelisted ones (`expose_headers`;
    /// default: none).
    pub fn expose_headers<I, S>(mut self, headers: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.expose_headers = Some(strings(headers));
        self
    }

    /// Sends `Access-Control-Allow-Credentials: true` with every grant (`credentials`).
    pub fn allow_credentials(mut self, credentials: bool) -> Self {
        self.credentials = credentials;
        self
    }

    /// How long (seconds) a browser may cache a preflight's answer (`max_age`; at most
    /// 4294967295).
    pub fn max_age(mut self, seconds: u64) -> Self {
        self.max_age = Some(seconds);
        self
    }

    /// Whether the wrapper answers preflights (default) or passes them to the handler
    /// (`preflight`).
    pub fn answer_preflight(mut self, answer: bool) -> Self {
        self.preflight = Some(answer);
        self
    }

    /// Whether the front door (an HTTP API's or a function URL's CORS configuration, rendered
    /// from this policy by `cors-deploy`) answers preflights and writes the CORS headers
    /// (`front_door`): the function then writes none.
    pub fn front_door(mut self, front_door: bool) -> Self {
        self.front_door = Some(front_door);
        self
    }

    /// What happens to a cross-origin write from an origin the policy does not allow (`csrf`):
    /// [`Csrf::Block`] by default with credentials, [`Csrf::Off`] without.
    ///
    /// ```
    /// use cors_runtime::{CorsConfig, Csrf};
    ///
    /// let policy = CorsConfig::builder()
    ///     .allow_origins(["https://myapp.com"])
    ///     .allow_credentials(true)
    ///     .csrf(Csrf::Report)
    ///     .build()?;
    /// assert_eq!(policy.csrf(), Csrf::Report);
    /// # Ok::<(), cors_runtime::ConfigError>(())
    /// ```
    pub fn csrf(mut self, csrf: Csrf) -> Self {
        self.csrf = Some(csrf);
        self
    }

    /// A check in code (`origin_fn`), asked about every origin the lists do not allow: its
    /// `true` grants that exact origin, `false` or a panic (logged) nothing. It is called only
    /// with a request's single, well-formed serialized origin, never `null`; every response then
    /// varies on `Origin`.
    ///
    /// ```
    /// use cors_runtime::CorsConfig;
    ///
    /// let tenants = ["https://acme.example", "https://globex.example"];
    /// let policy = CorsConfig::builder()
    ///     .allow_origin("https://myapp.com")
    ///     .allow_origin_fn(move |origin| tenants.contains(&origin))
    ///     .allow_credentials(true)
    ///     .build()?;
    /// assert!(policy.checks_origins_in_code());
    /// # Ok::<(), cors_runtime::ConfigError>(())
    /// ```
    pub fn allow_origin_fn<F>(mut self, check: F) -> Self
    where
        F: Fn(&str) -> bool + Send + Sync + 'static,
    {
        self.origin_fn = Some(crate::check::shared(check));
        self
    }

    /// An `async` check in code (`origin_fn = async ...`), given the origin as a `String`: its
    /// `Ok(true)` grants that exact origin; `Ok(false)`, an `Err` (logged) or a panic (logged)
    /// nothing. A preflight is answered once it has answered; an actual request runs meanwhile.
    pub fn allow_origin_async_fn<F, Fut, E>(mut self, check: F) -> Self
    where
        F: Fn(String) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<bool, E>> + Send + 'static,
        E: Display + Debug,
    {
        self.origin_fn = Some(crate::check::shared_async(check));
        self
    }

    /// Validates everything and builds the policy, or reports every problem found.
    pub fn build(self) -> Result<CorsConfig, ConfigError> {
        fn list(items: &Option<Vec<String>>) -> Option<Vec<&str>> {
            items
                .as_ref()
                .map(|items| items.iter().map(String::as_str).collect())
        }
        let settings = cors_rules::Settings {
            origin: list(&self.origins),
            origin_is_list: self.origins_are_list
                || self
                    .origins
                    .as_ref()
                    .is_some_and(|origins| origins.len() > 1),
            origin_env: self.env_var.as_deref(),
            origin_fn: self.origin_fn.is_some(),
            methods: list(&self.methods),
            headers: list(&self.headers),
            expose_headers: list(&self.expose_headers),
            credentials: Some(self.credentials),
            max_age: self.max_age,
            preflight: self.preflight,
            front_door: self.front_door,
            csrf: self.csrf.map(|mode| match mode {
                Csrf::Block => "block",
                Csrf::Report => "report",
                Csrf::Off => "off",
            }),
            unreadable: Vec::new(),
        };
        let policy = cors_rules::validate(&settings)
            .map_err(|problems| ConfigError::from_settings(problems, &settings))?;
        from_policy(&policy, self.origin_fn)
    }
}

/// The runtime form of a validated policy. An `origin_env` variable is read here, once.
fn from_policy(policy: &Policy<'_>, check: Option<OriginFn>) -> Result<CorsConfig, ConfigError> {
    let origins = match &policy.origins {
        PolicyOrigins::Any => Origins::Any,
        PolicyOrigins::Exact(origin) => Origins::Exact(header(origin)),
        PolicyOrigins::List(specs) => Origins::List(origin_list(specs)),
        PolicyOrigins::Env(var) => {
            let env = EnvOrigins::owned(var, policy.credentials, policy.origin_fn);
            env.get().map_err(Clone::clone)?;
            Origins::Env(env)
        }
    };
    Ok(CorsConfig {
        origins,
        methods: allow_list(&policy.methods, AllowList::DEFAULT_METHODS, false),
        headers: allow_list(&policy.headers, AllowList::DEFAULT_HEADERS, true),
        expose_headers: match &policy.expose_headers {
            Names::Default => None,
            Names::Any => Some(HeaderValue::from_static("*")),
            Names::List(names) => Some(header(&names.join(","))),
        },
        credentials: policy.credentials,
        max_age: policy.max_age.map(HeaderValue::from),
        preflight: policy.preflight,
        check,
        front_door: policy.front_door,
        csrf: match policy.csrf {
            cors_rules::Csrf::Block => Csrf::Block,
            cors_rules::Csrf::Report => Csrf::Report,
            cors_rules::Csrf::Off => Csrf::Off,
        },
    })
}

fn allow_list(names: &Names<'_>, default: AllowList, lower_case: bool) -> AllowList {
    match names {
        Names::Default => default,
        Names::Any => AllowList::Any,
        Names::List(names) => AllowList::List {
            value: header(&names.join(",")),
            names: Strs::Owned(
                names
                    .iter()
                    .map(|name| match lower_case {
                        true => name.to_ascii_lowercase(),
                        false => (*name).to_owned(),
                    })
                    .collect(),
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(builder: CorsConfigBuilder) -> Vec<String> {
        let error = builder.build().unwrap_err();
        error.problems().iter().map(ToString::to_string).collect()
    }

    #[test]
    fn defaults_are_the_consoles() {
        let cors = CorsConfig::builder()
            .allow_origin("https://myapp.com")
            .build()
            .unwrap();
        assert_eq!(
            cors.allowed_methods(),
            "DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT"
        );
        assert_eq!(
            cors.allowed_headers(),
            "Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token"
        );
        assert_eq!(
            cors.allowed_methods(),
            cors_rules::DEFAULT_METHODS.join(","),
            "the prebuilt default is the rules' default"
        );
        assert_eq!(
            cors.allowed_headers(),
            cors_rules::DEFAULT_HEADERS.join(",")
        );
        assert_eq!(cors.exposed_headers(), None);
        assert_eq!(cors.max_age(), None);
        assert!(!cors.allows_credentials());
        assert!(cors.answers_preflight());
        assert!(!cors.varies_on_origin());
        assert_eq!(cors.origins(), ["https://myapp.com"]);
        assert_eq!(cors.origin_env(), None);
    }

    #[test]
    fn shapes_follow_the_origins() {
        let any = CorsConfig::builder().allow_origin("*").build().unwrap();
        assert!(matches!(any.origins, Origins::Any));
        let one = CorsConfig::builder()
            .allow_origin("https://a.com")
            .build()
            .unwrap();
        assert!(matches!(one.origins, Origins::Exact(_)));
        let list_of_one = CorsConfig::builder()
            .allow_origins(["https://a.com"])
            .build()
            .unwrap();
        assert!(
            list_of_one.varies_on_origin(),
            "`origin = [\"https://a.com\"]`"
        );
        let list = CorsConfig::builder()
            .allow_origins(["https://*.b.com:8443", "https://a.com"])
            .build()
            .unwrap();
        assert!(list.varies_on_origin());
        assert_eq!(list.origins(), ["https://a.com", "https://*.b.com:8443"]);
        let wildcard = CorsConfig::builder()
            .allow_origin("https://*.b.com")
            .build()
            .unwrap();
        assert!(
            wildcard.varies_on_origin(),
            "a lone wildcard echoes, so it varies"
        );
    }

    #[test]
    fn every_problem_at_once_named_by_setting_and_item() {
        let found = problems(
            CorsConfig::builder()
                .allow_origins(["https://ok.com/", "*", "https://a.com", "https://a.com"])
                .allow_methods(["get", "*"])
                .allow_headers(Vec::<String>::new())
                .expose_headers(["x y"])
                .max_age(u64::MAX)
                .allow_credentials(true),
        );
        assert_eq!(
            found,
            [
                "origin[0] \"https://ok.com/\": origin must not end with `/`: a browser sends `https://ok.com` (did you mean \"https://ok.com\"?)",
                "origin[1] \"*\": `\"*\"` allows every origin and must stand alone, not in a list",
                "origin[3] \"https://a.com\": origin `https://a.com` is listed twice",
                "methods[0] \"get\": methods are case-sensitive and browsers send `GET` (did you mean \"GET\"?)",
                "methods[1] \"*\": `\"*\"` in `methods` must stand alone, not in a list",
                "headers: the `headers` list is empty: leave `headers` out for the default",
                "expose_headers[0] \"x y\": `x y` is not a valid header name: a header name is a token (letters, digits and !#$%&'*+-.^_`|~)",
                "max_age: `max_age` is a number of seconds from 0 to 4294967295",
            ]
        );
    }

    #[test]
    fn star_with_credentials_is_refused_everywhere() {
        for builder in [
            CorsConfig::builder().allow_origin("*"),
            CorsConfig::builder()
                .allow_origin("https://a.com")
                .allow_methods(["*"]),
            CorsConfig::builder()
                .allow_origin("https://a.com")
                .allow_headers(["*"]),
            CorsConfig::builder()
                .allow_origin("https://a.com")
                .expose_headers(["*"]),
        ] {
            let found = problems(builder.allow_credentials(true));
            assert!(found[0].contains("`credentials = true`"), "{found:?}");
        }
    }

    #[test]
    fn exactly_one_source_of_origins() {
        let none = CorsConfig::builder().build().unwrap_err();
        assert_eq!(none.problems()[0].setting(), None);
        assert!(none.problems()[0].message().starts_with("missing `origin`"));
        let both = problems(
            CorsConfig::builder()
                .allow_origin("https://a.com")
                .allow_origins_from_env("X"),
        );
        assert_eq!(
            both,
            ["origin_env: use either `origin` or `origin_env`, not both"]
        );
        let unset =
            problems(CorsConfig::builder().allow_origins_from_env("CORS_RUNTIME_TEST_UNSET_VAR"));
        assert_eq!(
            unset,
            [
                "environment variable CORS_RUNTIME_TEST_UNSET_VAR: the variable is not set: list the allowed origins, comma-separated"
            ]
        );
        let bad_name = problems(CorsConfig::builder().allow_origins_from_env("ALLOWED-ORIGINS"));
        assert_eq!(
            bad_name,
            [
                "origin_env: `origin_env` names an environment variable: letters, digits and `_`, not starting with a digit"
            ]
        );
    }

    /// The former drift between the attribute and the builder.
    #[test]
    fn methods_compare_case_sensitively_and_empty_lists_are_refused() {
        let purge = CorsConfig::builder()
            .allow_origin("https://a.com")
            .allow_methods(["PURGE", "purge"])
            .build()
            .unwrap();
        assert_eq!(purge.allowed_methods(), "PURGE,purge");
        let empty = problems(
            CorsConfig::builder()
                .allow_origin("https://a.com")
                .expose_headers(Vec::<&str>::new()),
        );
        assert_eq!(
            empty,
            [
                "expose_headers: the `expose_headers` list is empty: leave `expose_headers` out for the default"
            ]
        );
    }
}
