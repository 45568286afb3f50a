//! `origin_env`: allowed origins read from the environment once per cold start.

use std::sync::OnceLock;

use http::Response;
use http::header::VARY;
use lambda_http::Body;

use crate::config::{AllowedOrigins, ConfigError, CorsConfig, env_entries, origins_from};
use crate::headers::VARY_ORIGIN;

/// A configuration whose origins come from an environment variable, read and validated on first
/// use (the first request of a cold start) with the same rules as the attribute's literals.
///
/// This is what `#[cors_handler(origin_env = "...")]` expands to; everything but the origins is
/// fixed at compile time.
#[doc(hidden)]
#[derive(Debug)]
pub struct EnvConfig {
    var: &'static str,
    template: CorsConfig,
    resolved: OnceLock<Result<CorsConfig, ConfigError>>,
}

impl EnvConfig {
    /// `template` is the configuration with any `origins`; they are replaced by the variable's.
    pub const fn new(var: &'static str, template: CorsConfig) -> Self {
        EnvConfig {
            var,
            template,
            resolved: OnceLock::new(),
        }
    }

    /// The configuration, or why the variable is unusable.
    pub fn get(&self) -> Result<&CorsConfig, &ConfigError> {
        self.resolved
            .get_or_init(|| self.resolve(std::env::var(self.var)))
            .as_ref()
    }

    fn resolve(
        &self,
        value: Result<String, std::env::VarError>,
    ) -> Result<CorsConfig, ConfigError> {
        let var = self.var;
        let value = match value {
            Ok(value) => value,
            Err(std::env::VarError::NotPresent) => {
                return Err(ConfigError::new(format!(
                    "environment variable {var} is not set: list the allowed origins, comma-separated"
                )));
            }
            Err(std::env::VarError::NotUnicode(_)) => {
                return Err(ConfigError::new(format!(
                    "environment variable {var} is not valid UTF-8"
                )));
            }
        };
        let entries = env_entries(var, &value).map_err(ConfigError::new)?;
        let origins = origins_from(entries.into_iter(), Some(var))
            .map_err(|problems| ConfigError { problems })?;
        if self.template.credentials && matches!(origins, AllowedOrigins::Any) {
            return Err(ConfigError::new(format!(
                "environment variable {var} is \"*\", but the handler allows credentials: the Fetch standard refuses `*` with credentials"
            )));
        }
        Ok(CorsConfig {
            origins,
            ..self.template.clone()
        })
    }

    #[cfg(test)]
    pub(crate) fn resolve_value(&self, value: &str) -> Result<CorsConfig, ConfigError> {
        self.resolve(Ok(value.to_owned()))
    }
}

/// The answer to every request while the variable is unusable: logged, `500`, and no origin
/// granted since none is known.
pub(crate) fn unusable_config_response(error: &ConfigError) -> Response<Body> {
    tracing::error!(error = %error, status = 500u16, "CORS configuration from the environment is unusable");
    let mut response = crate::error::internal_server_error();
    response.headers_mut().insert(VARY, VARY_ORIGIN);
    response
}
