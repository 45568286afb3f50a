//! `origin_env`: allowed origins read from the environment once per cold start, on first use,
//! and validated by the rules of `origin` (`cors_rules::validate_env`).

use std::borrow::Cow;
use std::sync::OnceLock;

use http::Response;
use http::header::VARY;

use crate::lists::OriginList;
use crate::problem::ConfigError;

const VARY_ORIGIN: http::HeaderValue = http::HeaderValue::from_static("Origin");

/// The origins of a policy made with `origin_env`: the variable's name, and what it held when it
/// was first read. A `static` policy shares one of these between every handler that names it, so
/// all of them see the same result.
#[derive(Debug, Clone)]
pub(crate) struct EnvOrigins {
    var: Cow<'static, str>,
    read: OnceLock<Result<Resolved, ConfigError>>,
    /// The policy's `credentials` (`*` is refused with it) and whether it has a check in code
    /// (`*` is refused beside one): the rules the value is read with, fixed with the policy.
    credentials: bool,
    with_check: bool,
    /// [`resolve`], named only where an `origin_env` policy is built: a binary whose policies are
    /// all literal does not link the validation rules.
    resolve: Resolve,
}

/// The variable's name and value, whether the policy allows credentials, whether it has a check
/// in code.
type Resolve =
    fn(&str, Result<String, std::env::VarError>, bool, bool) -> Result<Resolved, ConfigError>;

/// What the variable allows.
#[derive(Debug, Clone)]
pub(crate) enum Resolved {
    /// `*`.
    Any,
    /// A list (a single origin read from the environment is echoed too).
    List(OriginList),
}

impl EnvOrigins {
    /// Not read yet: what the attribute and `cors_config!` build at compile time.
    pub(crate) const fn new(var: &'static str, credentials: bool, with_check: bool) -> Self {
        EnvOrigins {
            var: Cow::Borrowed(var),
            read: OnceLock::new(),
            credentials,
            with_check,
            resolve,
        }
    }

    /// What the builder builds (it reads the variable at once, with [`get`](Self::get)).
    pub(crate) fn owned(var: &str, credentials: bool, with_check: bool) -> Self {
        EnvOrigins {
            var: Cow::Owned(var.to_owned()),
            read: OnceLock::new(),
            credentials,
            with_check,
            resolve,
        }
    }

    pub(crate) fn var(&self) -> &str {
        &self.var
    }

    /// The allowed origins, or why the variable is unusable; read and validated on the first call
    /// with the policy's rules, given when it was built.
    #[inline]
    pub(crate) fn get(&self) -> Result<&Resolved, &ConfigError> {
        self.read
            .get_or_init(|| {
                (self.resolve)(
                    &self.var,
                    std::env::var(&*self.var),
                    self.credentials,
                    self.with_check,
                )
            })
            .as_ref()
    }

    /// The origins as written, once read successfully; none before or while unusable.
    pub(crate) fn read_origins(&self) -> Vec<String> {
        match self.read.get() {
            Some(Ok(Resolved::Any)) => vec!["*".to_owned()],
            Some(Ok(Resolved::List(list))) => list.written(),
            _ => Vec::new(),
        }
    }
}

/// The variable's value, validated.
pub(crate) fn resolve(
    var: &str,
    value: Result<String, std::env::VarError>,
    credentials: bool,
    with_check: bool,
) -> Result<Resolved, ConfigError> {
    let value = match value {
        Ok(value) => value,
        Err(std::env::VarError::NotPresent) => {
            return Err(ConfigError::unreadable_env(
                var,
                "the variable is not set: list the allowed origins, comma-separated".to_owned(),
            ));
        }
        Err(std::env::VarError::NotUnicode(_)) => {
            return Err(ConfigError::unreadable_env(
                var,
                "the variable is not valid UTF-8".to_owned(),
            ));
        }
    };
    match cors_rules::validate_env(&value, credentials, with_check) {
        Ok(cors_rules::EnvOrigins::Any) => Ok(Resolved::Any),
        Ok(cors_rules::EnvOrigins::List(specs)) => {
            Ok(Resolved::List(crate::lists::origin_list(&specs)))
        }
        Err(problems) => Err(ConfigError::from_env(var, &value, problems)),
    }
}

/// Logs why every request is answered [`unusable_response`].
pub(crate) fn log_unusable(error: &ConfigError) {
    tracing::error!(error = %error, status = 500u16, "CORS policy from the environment is unusable");
}

/// The answer to every request while the variable is unusable ([`log_unusable`]): `500`, and no
/// origin granted since none is known.
pub(crate) fn unusable_response<B: From<&'static str>>() -> Response<B> {
    let mut response = crate::error::internal_server_error();
    response.headers_mut().insert(VARY, VARY_ORIGIN);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(value: &str, credentials: bool) -> Result<Resolved, String> {
        resolve("ALLOWED_ORIGINS", Ok(value.to_owned()), credentials, false)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn values_are_validated_like_literals_and_named_in_errors() {
        let Ok(Resolved::List(list)) = read(" https://a.com ,https://*.b.com", false) else {
            panic!("a list")
        };
        assert_eq!(list.written(), ["https://a.com", "https://*.b.com"]);
        assert!(matches!(
            read("https://a.com", false),
            Ok(Resolved::List(_))
        ));
        assert!(matches!(read("*", false), Ok(Resolved::Any)));

        let cases = [
            (
                "",
                "environment variable ALLOWED_ORIGINS: the variable is empty",
            ),
            (
                "https://a.com,,https://b.com",
                "environment variable ALLOWED_ORIGINS, entry 2 \"\": origin must not be empty",
            ),
            (
                "https://a.com,https://b.com/",
                "environment variable ALLOWED_ORIGINS, entry 2 \"https://b.com/\": origin must not end with `/`",
            ),
            (
                "https://a.com,*",
                "environment variable ALLOWED_ORIGINS, entry 2 \"*\": `\"*\"` allows every origin and must stand alone",
            ),
            (
                "https://a.com\r\nx-injected: 1",
                "entry 1 \"https://a.com\\r\\nx-injected: 1\": origin must not contain spaces or control characters",
            ),
            (
                "null",
                "entry 1 \"null\": `null` must never be an allowed origin",
            ),
        ];
        for (value, expected) in cases {
            let err = read(value, false).unwrap_err();
            assert!(err.contains(expected), "{value:?}: {err}");
        }
        let star = read("*", true).unwrap_err();
        assert!(
            star.contains("cannot be combined with `credentials = true`"),
            "{star}"
        );
    }

    #[test]
    fn read_once_on_first_use() {
        let env = EnvOrigins::new("CORS_RUNTIME_TEST_UNSET_VAR", false, false);
        assert!(
            env.read.get().is_none(),
            "nothing is read before the first use"
        );
        let first: *const ConfigError = env.get().unwrap_err();
        let second: *const ConfigError = env.get().unwrap_err();
        assert!(
            std::ptr::eq(first, second),
            "the first read's result is kept"
        );
        assert_eq!(env.read_origins(), Vec::<String>::new());
        let shared = &env;
        assert!(std::ptr::eq(shared.get().unwrap_err(), first));
    }
}
