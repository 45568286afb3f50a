//! The CORS configuration: what `#[cors_handler(...)]` builds at compile time and
//! [`CorsConfig::builder`] builds at run time.

use std::borrow::Cow;
use std::fmt;

use cors_rules::{OriginSpec, RuleError, Scheme};
use http::HeaderValue;

/// A validated CORS configuration.
///
/// `#[cors_handler(...)]` turns its attribute into a `static CorsConfig` at compile time, every
/// header value prebuilt. Code that does not use the attribute builds one with
/// [`CorsConfig::builder`], once (at cold start), and reuses it for every request:
///
/// ```
/// use cors_runtime::CorsConfig;
///
/// let cors = CorsConfig::builder()
///     .allow_origins(["https://myapp.com", "http://localhost:5173"])
///     .allow_credentials(true)
///     .max_age(600)
///     .build()
///     .expect("a valid CORS configuration");
/// # let _ = cors;
/// ```
#[derive(Debug, Clone)]
pub struct CorsConfig {
    pub(crate) origins: AllowedOrigins,
    pub(crate) methods: AllowList,
    pub(crate) headers: AllowList,
    pub(crate) expose_headers: Option<HeaderValue>,
    pub(crate) credentials: bool,
    pub(crate) max_age: Option<HeaderValue>,
    pub(crate) preflight: bool,
}

/// Which origins are allowed.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub enum AllowedOrigins {
    /// `"*"`: every response carries `Access-Control-Allow-Origin: *`.
    Any,
    /// One literal origin, sent as a static `Access-Control-Allow-Origin` on every response
    /// (the browser compares it with the page's origin); the response does not vary.
    Exact(HeaderValue),
    /// A list (exact origins and subdomain wildcards): the matching request origin is echoed and
    /// every response varies on `Origin`.
    List(Cow<'static, [OriginPattern]>),
}

/// One entry of an origin list.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub enum OriginPattern {
    /// An exact serialized origin; its prebuilt header value is what a grant sends.
    Exact(HeaderValue),
    /// `scheme://*.suffix`.
    Subdomain {
        /// The scheme matching origins have.
        scheme: Scheme,
        /// `.myapp.com[:port]`.
        suffix: Cow<'static, str>,
    },
}

/// `methods` or `headers`: `*`, or a list with its prebuilt header value.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub enum AllowList {
    /// `"*"`.
    Any,
    /// The names, and the header value that lists them.
    List {
        /// The names joined with `,`.
        value: HeaderValue,
        /// The names, for matching a preflight's request: methods as written (they compare
        /// case-sensitively), header names lower-cased (a request's are compared lower-cased).
        names: Names,
    },
}

/// A list of names, `'static` when the attribute built it.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub enum Names {
    /// Built at compile time.
    Static(&'static [&'static str]),
    /// Built by [`CorsConfigBuilder`].
    Owned(Vec<String>),
}

impl Names {
    /// Whether one of the names satisfies `f`: a loop over the one kind of list this is (it runs
    /// for a preflight's method and for each header it asks for).
    #[inline]
    pub(crate) fn any(&self, f: impl Fn(&str) -> bool) -> bool {
        match self {
            Names::Static(names) => names.iter().any(|name| f(name)),
            Names::Owned(names) => names.iter().any(|name| f(name)),
        }
    }
}

impl AllowList {
    pub(crate) fn header_value(&self) -> &HeaderValue {
        static ANY: HeaderValue = HeaderValue::from_static("*");
        match self {
            AllowList::Any => &ANY,
            AllowList::List { value, .. } => value,
        }
    }

    pub(crate) fn is_any(&self) -> bool {
        matches!(self, AllowList::Any)
    }

    fn from_names(names: Vec<String>, lower_case: bool) -> Self {
        if names.iter().any(|n| n == "*") {
            return AllowList::Any;
        }
        let value = HeaderValue::from_str(&names.join(","))
            .expect("validated names are tokens, so their join is a valid header value");
        let names = if lower_case {
            names.iter().map(|n| n.to_ascii_lowercase()).collect()
        } else {
            names
        };
        AllowList::List {
            value,
            names: Names::Owned(names),
        }
    }
}

/// The methods the API Gateway console's "Enable CORS" allows.
#[doc(hidden)]
pub const DEFAULT_METHODS: AllowList = AllowList::List {
    value: HeaderValue::from_static("DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT"),
    names: Names::Static(&["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]),
};

/// The request headers the API Gateway console's "Enable CORS" allows.
#[doc(hidden)]
pub const DEFAULT_HEADERS: AllowList = AllowList::List {
    value: HeaderValue::from_static(
        "Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token",
    ),
    names: Names::Static(&[
        "content-type",
        "x-amz-date",
        "authorization",
        "x-api-key",
        "x-amz-security-token",
    ]),
};

impl CorsConfig {
    /// Builds the configuration from its parts; the attribute's expansion calls this in a `static`.
    #[doc(hidden)]
    pub const fn __from_parts(
        origins: AllowedOrigins,
        methods: AllowList,
        headers: AllowList,
        expose_headers: Option<HeaderValue>,
        credentials: bool,
        max_age: Option<HeaderValue>,
        preflight: bool,
    ) -> Self {
        CorsConfig {
            origins,
            methods,
            headers,
            expose_headers,
            credentials,
            max_age,
            preflight,
        }
    }

    /// A builder with the contract's defaults: the console's methods and headers, no exposed
    /// headers, no credentials, no max age, preflights answered. An origin is required.
    pub fn builder() -> CorsConfigBuilder {
        CorsConfigBuilder::default()
    }

    /// Whether responses depend on the request's `Origin` (and so carry `Vary: Origin`).
    pub fn varies_on_origin(&self) -> bool {
        matches!(self.origins, AllowedOrigins::List(_))
    }

    /// Whether `Access-Control-Allow-Credentials: true` is sent with every grant.
    pub fn allows_credentials(&self) -> bool {
        self.credentials
    }

    /// Whether the wrapper answers preflight requests itself.
    pub fn answers_preflight(&self) -> bool {
        self.preflight
    }

    /// The configured origins as written: `["*"]`, one origin, or the list (wildcards as
    /// `https://*.myapp.com`).
    pub fn origins(&self) -> Vec<String> {
        match &self.origins {
            AllowedOrigins::Any => vec!["*".to_owned()],
            AllowedOrigins::Exact(value) => vec![header_text(value)],
            AllowedOrigins::List(patterns) => patterns
                .iter()
                .map(|pattern| match pattern {
                    OriginPattern::Exact(value) => header_text(value),
                    OriginPattern::Subdomain { scheme, suffix } => {
                        format!("{}*{suffix}", scheme.prefix())
                    }
                })
                .collect(),
        }
    }

    /// The value of `Access-Control-Allow-Methods` on a granted preflight.
    pub fn allow_methods_value(&self) -> &HeaderValue {
        self.methods.header_value()
    }

    /// The value of `Access-Control-Allow-Headers` on a granted preflight.
    pub fn allow_headers_value(&self) -> &HeaderValue {
        self.headers.header_value()
    }

    /// The value of `Access-Control-Expose-Headers`, if any are exposed.
    pub fn expose_headers_value(&self) -> Option<&HeaderValue> {
        self.expose_headers.as_ref()
    }

    /// The value of `Access-Control-Max-Age`, if configured.
    pub fn max_age_value(&self) -> Option<&HeaderValue> {
        self.max_age.as_ref()
    }
}

fn header_text(value: &HeaderValue) -> String {
    String::from_utf8_lossy(value.as_bytes()).into_owned()
}

/// A configuration that could not be built: every problem found, each with the value it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub(crate) problems: Vec<String>,
}

impl ConfigError {
    pub(crate) fn new(problem: impl Into<String>) -> Self {
        ConfigError {
            problems: vec![problem.into()],
        }
    }

    /// Each problem, one sentence each.
    pub fn problems(&self) -> &[String] {
        &self.problems
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid CORS configuration: ")?;
        f.write_str(&self.problems.join("; "))
    }
}

impl std::error::Error for ConfigError {}

/// Builds a [`CorsConfig`] at run time with the same rules the attribute applies at compile time.
///
/// Every setter records its value; [`build`](CorsConfigBuilder::build) validates them all and
/// reports every problem at once.
#[derive(Debug, Clone)]
pub struct CorsConfigBuilder {
    origins: Vec<(String, Option<&'static str>)>,
    env_var: Option<String>,
    methods: Option<Vec<String>>,
    headers: Option<Vec<String>>,
    expose_headers: Vec<String>,
    credentials: bool,
    max_age: Option<u32>,
    preflight: bool,
}

impl Default for CorsConfigBuilder {
    fn default() -> Self {
        CorsConfigBuilder {
            origins: Vec::new(),
            env_var: None,
            methods: None,
            headers: None,
            expose_headers: Vec::new(),
            credentials: false,
            max_age: None,
            preflight: true,
        }
    }
}

impl CorsConfigBuilder {
    /// Allows one more origin: a serialized origin, `"*"` or a subdomain wildcard.
    pub fn allow_origin(mut self, origin: impl Into<String>) -> Self {
        self.origins.push((origin.into(), None));
        self
    }

    /// Allows each of `origins`.
    pub fn allow_origins<I, S>(mut self, origins: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.origins
            .extend(origins.into_iter().map(|o| (o.into(), None)));
        self
    }

    /// Reads the allowed origins from the environment variable `var` (comma-separated) when
    /// [`build`](Self::build) runs.
    pub fn allow_origins_from_env(mut self, var: impl Into<String>) -> Self {
        self.env_var = Some(var.into());
        self
    }

    /// The methods a preflight may ask for (default: the console's seven).
    pub fn allow_methods<I, S>(mut self, methods: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.methods = Some(methods.into_iter().map(Into::into).collect());
        self
    }

    /// The request headers a preflight may ask for (default: the console's five).
    pub fn allow_headers<I, S>(mut self, headers: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.headers = Some(headers.into_iter().map(Into::into).collect());
        self
    }

    /// The response headers the page may read besides the safelisted ones.
    pub fn expose_headers<I, S>(mut self, headers: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.expose_headers = headers.into_iter().map(Into::into).collect();
        self
    }

    /// Sends `Access-Control-Allow-Credentials: true` with every grant.
    pub fn allow_credentials(mut self, credentials: bool) -> Self {
        self.credentials = credentials;
        self
    }

    /// How long (seconds) a browser may cache a preflight's answer.
    pub fn max_age(mut self, seconds: u32) -> Self {
        self.max_age = Some(seconds);
        self
    }

    /// Whether the wrapper answers preflights (default) or passes them to the handler.
    pub fn answer_preflight(mut self, answer: bool) -> Self {
        self.preflight = answer;
        self
    }

    /// Validates everything and builds the configuration, or reports every problem found.
    pub fn build(self) -> Result<CorsConfig, ConfigError> {
        let mut problems = Vec::new();
        let mut origins = self.origins;
        let env_value;
        match (&self.env_var, origins.is_empty()) {
            (Some(_), false) => problems
                .push("set either allowed origins or an environment variable, not both".to_owned()),
            (None, true) => problems.push("no allowed origin: set at least one".to_owned()),
            (Some(var), true) => match std::env::var(var) {
                Ok(value) => {
                    env_value = value;
                    match env_entries(var, &env_value) {
                        Ok(entries) => {
                            origins = entries.into_iter().map(|e| (e.to_owned(), None)).collect()
                        }
                        Err(problem) => problems.push(problem),
                    }
                }
                Err(std::env::VarError::NotPresent) => {
                    problems.push(format!("environment variable {var} is not set"))
                }
                Err(std::env::VarError::NotUnicode(_)) => {
                    problems.push(format!("environment variable {var} is not valid UTF-8"))
                }
            },
            (None, false) => {}
        }
        let source = self.env_var.as_deref();
        let allowed = match origins_from(origins.iter().map(|(o, _)| o.as_str()), source) {
            Ok(allowed) => Some(allowed),
            Err(mut found) => {
                problems.append(&mut found);
                None
            }
        };
        let methods = names_or_default(
            self.methods,
            DEFAULT_METHODS,
            "method",
            cors_rules::check_method,
            false,
            &mut problems,
        );
        let headers = names_or_default(
            self.headers,
            DEFAULT_HEADERS,
            "header",
            cors_rules::check_header_name,
            true,
            &mut problems,
        );
        let mut expose = Vec::new();
        for name in self.expose_headers {
            match cors_rules::check_header_name(&name) {
                Ok(()) => expose.push(name),
                Err(err) => problems.push(format!("expose_headers {name:?}: {err}")),
            }
        }
        if self.credentials {
            if matches!(allowed, Some(AllowedOrigins::Any)) {
                problems.push("credentials cannot be allowed for origin \"*\": the Fetch standard refuses `*` with credentials".to_owned());
            }
            if methods.is_any() {
                problems.push(
                    "methods \"*\" cannot be combined with credentials: list the methods"
                        .to_owned(),
                );
            }
            if headers.is_any() {
                problems.push(
                    "headers \"*\" cannot be combined with credentials: list the headers"
                        .to_owned(),
                );
            }
            if expose.iter().any(|h| h == "*") {
                problems.push(
                    "expose_headers \"*\" cannot be combined with credentials: list the headers"
                        .to_owned(),
                );
            }
        }
        if expose.len() > 1 && expose.iter().any(|h| h == "*") {
            problems.push("expose_headers: \"*\" must stand alone".to_owned());
        }
        if !problems.is_empty() {
            return Err(ConfigError { problems });
        }
        let expose_headers = (!expose.is_empty())
            .then(|| HeaderValue::from_str(&expose.join(",")).expect("validated header names"));
        Ok(CorsConfig {
            origins: allowed.expect("no problems means origins were built"),
            methods,
            headers,
            expose_headers,
            credentials: self.credentials,
            max_age: self.max_age.map(HeaderValue::from),
            preflight: self.preflight,
        })
    }
}

fn names_or_default(
    names: Option<Vec<String>>,
    default: AllowList,
    what: &str,
    check: fn(&str) -> Result<(), RuleError>,
    lower_case: bool,
    problems: &mut Vec<String>,
) -> AllowList {
    let Some(names) = names else {
        return default;
    };
    let before = problems.len();
    if names.is_empty() {
        problems.push(format!("the {what} list is empty"));
    }
    for (i, name) in names.iter().enumerate() {
        if let Err(err) = check(name) {
            problems.push(format!("{what} {name:?}: {err}"));
        } else if names[..i].iter().any(|n| n.eq_ignore_ascii_case(name)) {
            problems.push(format!("duplicate {what} {name:?}"));
        }
    }
    if names.len() > 1 && names.iter().any(|n| n == "*") {
        problems.push(format!("{what} \"*\" must stand alone, not in a list"));
    }
    if problems.len() > before {
        return default; // never used: the problems fail the build
    }
    AllowList::from_names(names, lower_case)
}

/// Splits an `origin_env` value into its entries, refusing empty ones.
pub(crate) fn env_entries<'v>(var: &str, value: &'v str) -> Result<Vec<&'v str>, String> {
    if value.trim().is_empty() {
        return Err(format!(
            "environment variable {var} is empty: list the allowed origins, comma-separated"
        ));
    }
    value
        .split(',')
        .enumerate()
        .map(|(i, entry)| {
            let entry = entry.trim_matches([' ', '\t']);
            if entry.is_empty() {
                Err(format!(
                    "environment variable {var}: entry {} is empty",
                    i + 1
                ))
            } else {
                Ok(entry)
            }
        })
        .collect()
}

/// Validates a list of origins and builds the matching [`AllowedOrigins`]. `env` names the
/// variable they came from, for the messages.
pub(crate) fn origins_from<'a>(
    origins: impl Iterator<Item = &'a str>,
    env: Option<&str>,
) -> Result<AllowedOrigins, Vec<String>> {
    let mut problems = Vec::new();
    let mut specs = Vec::new();
    let mut count = 0;
    for origin in origins {
        count += 1;
        match cors_rules::parse_origin(origin) {
            Ok(spec) => {
                if specs.contains(&spec) {
                    problems.push(describe(env, origin, "is listed twice"));
                }
                specs.push(spec);
            }
            Err(err) => problems.push(describe(
                env,
                origin,
                &format!("is not a valid origin: {err}"),
            )),
        }
    }
    if specs.contains(&OriginSpec::Any) && count > 1 {
        problems.push(match env {
            Some(var) => {
                format!("environment variable {var}: \"*\" must stand alone, not in a list")
            }
            None => "origin \"*\" must stand alone, not in a list".to_owned(),
        });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(match specs.as_slice() {
        [OriginSpec::Any] => AllowedOrigins::Any,
        // A single origin read from the environment is still echoed, so that changing the
        // variable never changes the shape of the responses.
        [OriginSpec::Exact(origin)] if env.is_none() => {
            AllowedOrigins::Exact(HeaderValue::from_str(origin).expect("validated origin"))
        }
        _ => AllowedOrigins::List(Cow::Owned(
            specs
                .into_iter()
                .map(|spec| match spec {
                    OriginSpec::Exact(origin) => OriginPattern::Exact(
                        HeaderValue::from_str(origin).expect("validated origin"),
                    ),
                    OriginSpec::Subdomain { scheme, suffix } => OriginPattern::Subdomain {
                        scheme,
                        suffix: Cow::Owned(suffix.to_owned()),
                    },
                    OriginSpec::Any => unreachable!("\"*\" alone is handled above"),
                })
                .collect(),
        )),
    })
}

fn describe(env: Option<&str>, origin: &str, what: &str) -> String {
    match env {
        Some(var) => format!("environment variable {var}: entry {origin:?} {what}"),
        None => format!("origin {origin:?} {what}"),
    }
}
