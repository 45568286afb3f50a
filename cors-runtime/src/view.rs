//! Typed, read-only views of a [`CorsConfig`]: its origins by kind, its methods and headers as
//! lists of names, for code that renders a policy elsewhere (a deployment's front door, a
//! report) and should not read it back from header text.
//!
//! Each view borrows the policy: nothing is parsed, and each name and origin is the one the
//! policy was built from, as written.

use std::fmt;

use crate::config::{AllowList, CorsConfig, Origins};

/// The allowed origins of a policy, by how they are given: [`CorsConfig::allowed_origins`].
///
/// ```
/// use cors_runtime::{AllowedOrigins, CorsConfig, OriginEntry};
///
/// let one = CorsConfig::builder().allow_origin("https://myapp.com").build()?;
/// assert_eq!(one.allowed_origins(), AllowedOrigins::One("https://myapp.com"));
///
/// let star = CorsConfig::builder().allow_origin("*").build()?;
/// assert_eq!(star.allowed_origins(), AllowedOrigins::Any);
///
/// let list = CorsConfig::builder()
///     .allow_origins(["http://localhost:*", "https://*.myapp.com", "https://myapp.com"])
///     .build()?;
/// let AllowedOrigins::List(entries) = list.allowed_origins() else { unreachable!() };
/// assert_eq!(
///     entries,
///     [
///         OriginEntry::Exact("https://myapp.com"),
///         OriginEntry::Subdomains { scheme: "https://", suffix: ".myapp.com" },
///         OriginEntry::AnyPort { prefix: "http://localhost:" },
///     ]
/// );
/// # Ok::<(), cors_runtime::ConfigError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AllowedOrigins<'a> {
    /// `origin = "*"`: every response carries `Access-Control-Allow-Origin: *`.
    Any,
    /// One exact origin (`origin = "https://myapp.com"`, an app's or extension's origin too),
    /// sent as a static `Access-Control-Allow-Origin` on every response: the responses do not
    /// vary on `Origin`.
    One(&'a str),
    /// A list (even of one) or a wildcard: the entry matching a request's `Origin` is echoed, and
    /// every response varies on `Origin`. Grouped by kind, as [`CorsConfig::origins`] lists them:
    /// the exact origins, then the whole-label wildcards, then the other wildcards, each group in
    /// the order written.
    List(Vec<OriginEntry<'a>>),
    /// `origin_env`: the name of the environment variable the origins are read from when the
    /// function starts ([`CorsConfig::origins`] lists what it held, once read).
    FromEnv(&'a str),
}

/// One entry of an origin list, by kind. Its [`Display`](fmt::Display) is the entry as written.
///
/// ```
/// use cors_runtime::{AllowedOrigins, CorsConfig, OriginEntry};
///
/// let cors = CorsConfig::builder()
///     .allow_origins(["https://pr-*.preview.myapp.com", "capacitor://localhost"])
///     .build()?;
/// let AllowedOrigins::List(entries) = cors.allowed_origins() else { unreachable!() };
/// assert_eq!(entries[0], OriginEntry::Exact("capacitor://localhost"));
/// assert!(!entries[0].is_wildcard());
/// assert_eq!(
///     entries[1],
///     OriginEntry::InLabel { prefix: "https://pr-", suffix: ".preview.myapp.com" }
/// );
/// assert_eq!(entries[1].to_string(), "https://pr-*.preview.myapp.com");
/// assert_eq!(entries.iter().map(ToString::to_string).collect::<Vec<_>>(), cors.origins());
/// # Ok::<(), cors_runtime::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OriginEntry<'a> {
    /// One serialized origin, compared exactly: `https://myapp.com`, `capacitor://localhost`.
    Exact(&'a str),
    /// A wildcard over whole labels of the host, `https://*.myapp.com`: one or more labels in
    /// front of `suffix`.
    Subdomains {
        /// The scheme and `://`: `https://`.
        scheme: &'a str,
        /// What follows the `*`: `.myapp.com` (with the port, if any: `.myapp.com:8443`).
        suffix: &'a str,
    },
    /// A wildcard inside the host's first label, `https://pr-*.preview.myapp.com`: one or more of
    /// `a-z`, `0-9`, `-` between `prefix` and `suffix`.
    InLabel {
        /// What precedes the `*`: `https://pr-`.
        prefix: &'a str,
        /// What follows it: `.preview.myapp.com`.
        suffix: &'a str,
    },
    /// Any port of a loopback host, `http://localhost:*`.
    AnyPort {
        /// What precedes the `*`: `http://localhost:`.
        prefix: &'a str,
    },
}

impl OriginEntry<'_> {
    /// Whether the entry matches more than one origin (every kind but [`Exact`](Self::Exact)).
    pub fn is_wildcard(&self) -> bool {
        !matches!(self, OriginEntry::Exact(_))
    }
}

impl fmt::Display for OriginEntry<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OriginEntry::Exact(origin) => f.write_str(origin),
            OriginEntry::Subdomains { scheme, suffix } => write!(f, "{scheme}*{suffix}"),
            OriginEntry::InLabel { prefix, suffix } => write!(f, "{prefix}*{suffix}"),
            OriginEntry::AnyPort { prefix } => write!(f, "{prefix}*"),
        }
    }
}

/// The methods, request headers or exposed headers of a policy: `*`, or the names as written.
/// Its [`Display`](fmt::Display) is the header value that lists them (`*`, or the names joined
/// with `,`; nothing for an empty list).
///
/// ```
/// use cors_runtime::{AllowedNames, CorsConfig};
///
/// let cors = CorsConfig::builder()
///     .allow_origin("https://myapp.com")
///     .allow_methods(["GET", "PUT"])
///     .allow_headers(["*"])
///     .build()?;
/// assert_eq!(cors.method_names().names().collect::<Vec<_>>(), ["GET", "PUT"]);
/// assert_eq!(cors.method_names().to_string(), "GET,PUT");
/// assert_eq!(cors.header_names(), AllowedNames::Any);
/// assert_eq!(cors.header_names().names().collect::<Vec<_>>(), ["*"]);
/// assert!(cors.exposed_header_names().is_empty());
/// # Ok::<(), cors_runtime::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AllowedNames<'a> {
    /// `["*"]`.
    Any,
    /// The names, in the order written (header names in the case written), possibly none.
    List(Names<'a>),
}

impl<'a> AllowedNames<'a> {
    /// The entries as a front door's list takes them: `*` alone for [`Any`](Self::Any), the
    /// names otherwise.
    pub fn names(&self) -> Names<'a> {
        match self {
            AllowedNames::Any => Names { rest: "*" },
            AllowedNames::List(names) => *names,
        }
    }

    /// Whether there is no entry at all (no `*` and no name).
    pub fn is_empty(&self) -> bool {
        matches!(self, AllowedNames::List(names) if names.rest.is_empty())
    }
}

impl fmt::Display for AllowedNames<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.names().rest)
    }
}

/// The names of an [`AllowedNames`], in order: an iterator of `&str`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Names<'a> {
    /// The names not yet returned, joined with `,` (validated names hold no `,`).
    rest: &'a str,
}

impl<'a> Iterator for Names<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.rest.is_empty() {
            return None;
        }
        let (name, rest) = self.rest.split_once(',').unwrap_or((self.rest, ""));
        self.rest = rest;
        Some(name)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let count = match self.rest.is_empty() {
            true => 0,
            false => self.rest.matches(',').count() + 1,
        };
        (count, Some(count))
    }
}

impl ExactSizeIterator for Names<'_> {}

impl std::iter::FusedIterator for Names<'_> {}

/// The text of a header value the policy built from validated (visible ASCII) parts.
fn text(value: &http::HeaderValue) -> &str {
    value
        .to_str()
        .expect("the policy's header values are built from visible ASCII")
}

fn names(list: &AllowList) -> AllowedNames<'_> {
    match list {
        AllowList::Any => AllowedNames::Any,
        // The value is the names as written, joined with `,`.
        AllowList::List { value, .. } => AllowedNames::List(Names { rest: text(value) }),
    }
}

impl CorsConfig {
    /// The allowed origins by kind: `*`, one static origin, a list of exact origins and
    /// wildcards, or the environment variable they come from. A check in code (`origin_fn`) is
    /// apart: [`checks_origins_in_code`](Self::checks_origins_in_code).
    ///
    /// ```
    /// use cors_runtime::{cors_config, AllowedOrigins, CorsConfig};
    ///
    /// static FROM_ENV: CorsConfig = cors_config!(origin_env = "ALLOWED_ORIGINS");
    /// assert_eq!(FROM_ENV.allowed_origins(), AllowedOrigins::FromEnv("ALLOWED_ORIGINS"));
    /// ```
    pub fn allowed_origins(&self) -> AllowedOrigins<'_> {
        match &self.origins {
            Origins::Any => AllowedOrigins::Any,
            Origins::Exact(value) => AllowedOrigins::One(text(value)),
            Origins::Env(env) => AllowedOrigins::FromEnv(env.var()),
            Origins::List(list) => {
                let exact = list
                    .exact
                    .iter()
                    .map(|value| OriginEntry::Exact(text(value)));
                let subdomains = list
                    .wildcards
                    .pairs()
                    .into_iter()
                    .map(|(scheme, suffix)| OriginEntry::Subdomains { scheme, suffix });
                // The other wildcards: inside a label (something after the `*`), or the port.
                let patterns =
                    list.patterns
                        .pairs()
                        .into_iter()
                        .map(|(prefix, suffix)| match suffix {
                            "" => OriginEntry::AnyPort { prefix },
                            _ => OriginEntry::InLabel { prefix, suffix },
                        });
                AllowedOrigins::List(exact.chain(subdomains).chain(patterns).collect())
            }
        }
    }

    /// The methods a preflight may ask for: `*`, or the names as written.
    ///
    /// ```
    /// use cors_runtime::CorsConfig;
    ///
    /// let cors = CorsConfig::builder().allow_origin("https://myapp.com").build()?;
    /// assert_eq!(cors.method_names().names().len(), 7);
    /// assert_eq!(cors.method_names().to_string(), cors.allowed_methods());
    /// # Ok::<(), cors_runtime::ConfigError>(())
    /// ```
    pub fn method_names(&self) -> AllowedNames<'_> {
        names(&self.methods)
    }

    /// The request headers a preflight may ask for: `*`, or the names as written.
    ///
    /// ```
    /// use cors_runtime::CorsConfig;
    ///
    /// let cors = CorsConfig::builder()
    ///     .allow_origin("https://myapp.com")
    ///     .allow_headers(["Content-Type", "X-Request-Id"])
    ///     .build()?;
    /// assert_eq!(cors.header_names().names().collect::<Vec<_>>(), ["Content-Type", "X-Request-Id"]);
    /// # Ok::<(), cors_runtime::ConfigError>(())
    /// ```
    pub fn header_names(&self) -> AllowedNames<'_> {
        names(&self.headers)
    }

    /// The response headers a page may read: `*`, the names as written, or none (an empty
    /// [`AllowedNames::List`]).
    ///
    /// ```
    /// use cors_runtime::CorsConfig;
    ///
    /// let cors = CorsConfig::builder()
    ///     .allow_origin("https://myapp.com")
    ///     .expose_headers(["x-request-id", "etag"])
    ///     .build()?;
    /// assert_eq!(cors.exposed_header_names().names().collect::<Vec<_>>(), ["x-request-id", "etag"]);
    /// # Ok::<(), cors_runtime::ConfigError>(())
    /// ```
    pub fn exposed_header_names(&self) -> AllowedNames<'_> {
        match self.expose_headers.as_ref().map(text) {
            None => AllowedNames::List(Names { rest: "" }),
            Some("*") => AllowedNames::Any,
            Some(joined) => AllowedNames::List(Names { rest: joined }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_iterate_as_written() {
        let names = |rest| Names { rest };
        assert_eq!(names("").collect::<Vec<_>>(), Vec::<&str>::new());
        assert_eq!(names("").len(), 0);
        assert_eq!(names("GET").collect::<Vec<_>>(), ["GET"]);
        let mut two = names("GET,x-Y");
        assert_eq!(two.len(), 2);
        assert_eq!(two.next(), Some("GET"));
        assert_eq!(two.len(), 1);
        assert_eq!(two.next(), Some("x-Y"));
        assert_eq!((two.next(), two.next()), (None, None));
    }

    #[test]
    fn the_views_agree_with_the_header_values() {
        let cors = CorsConfig::builder()
            .allow_origins(["https://b.com", "http://[::1]:*", "https://*.a.com:8443"])
            .allow_methods(["*"])
            .expose_headers(["*"])
            .build()
            .expect("valid");
        assert_eq!(cors.method_names(), AllowedNames::Any);
        assert_eq!(cors.method_names().to_string(), cors.allowed_methods());
        assert_eq!(cors.exposed_header_names(), AllowedNames::Any);
        assert_eq!(
            cors.header_names().to_string(),
            cors.allowed_headers(),
            "the defaults, as written"
        );
        let AllowedOrigins::List(entries) = cors.allowed_origins() else {
            panic!("a list");
        };
        assert_eq!(
            entries,
            [
                OriginEntry::Exact("https://b.com"),
                OriginEntry::Subdomains {
                    scheme: "https://",
                    suffix: ".a.com:8443"
                },
                OriginEntry::AnyPort {
                    prefix: "http://[::1]:"
                },
            ]
        );
        let written: Vec<String> = entries.iter().map(ToString::to_string).collect();
        assert_eq!(written, cors.origins());
    }
}
