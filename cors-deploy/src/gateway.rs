//! API Gateway *gateway responses*: the CORS headers of the errors the function never sees.
//!
//! With the Lambda proxy integration the function answers every request that reaches it, and
//! `#[cors_handler]` puts the CORS headers on each of those answers. Some requests never reach it:
//! API Gateway itself answers them when it throttles (`429`), times out (`504`), fails to invoke
//! the function or gets an invalid response from it (`502`), when an authorizer or an API key
//! refuses the request (`401`/`403`), or when no route matches (`403 Missing Authentication
//! Token`). Those answers are the REST API's *gateway responses*, and unless they are configured
//! they carry no CORS header: the browser hides them from the page, which sees only "CORS error".
//!
//! [`GatewayResponses`] renders the `DEFAULT_4XX` and `DEFAULT_5XX` gateway responses from the
//! same [`CorsConfig`] the function uses, as Terraform ([`GatewayResponses::to_terraform`]) or as
//! the `GatewayResponses` property of an `AWS::Serverless::Api` ([`GatewayResponses::to_sam_yaml`]),
//! so that the deployment cannot say something else than the code.

use std::fmt::{self, Write as _};

use cors_runtime::{AllowedOrigins, CorsConfig};

use crate::render::{Json, hcl_string, write_hcl_map, yaml_string};

/// The `DEFAULT_4XX` and `DEFAULT_5XX` gateway responses of a REST API, with the CORS headers of a
/// [`CorsConfig`].
///
/// # What a gateway response can express
///
/// A gateway response's header is a *mapping*, not code. Its value is either a static string in
/// single quotes (`'https://myapp.com'`), or a value copied from the request or its context
/// (`method.request.header.Origin`, `stageVariables.name`, `context.requestId`), copied
/// **unconditionally**. So it can send:
///
/// - one fixed origin: `Access-Control-Allow-Origin: 'https://myapp.com'`;
/// - `'*'`;
/// - whatever `Origin` the request carried, from every site on the web.
///
/// It cannot *match*: there is no way to send the request's origin only when it is in a list, or
/// only when it matches `https://*.myapp.com`.
///
/// # What is rendered, per origin form
///
/// | the function's policy | [`from_config`](Self::from_config) renders |
/// | --- | --- |
/// | one exact origin, `origin = "https://myapp.com"` (an app's or extension's too, `origin = "capacitor://localhost"`) | `Access-Control-Allow-Origin: 'https://myapp.com'`, as the function sends it on every response |
/// | `origin = "*"` | `Access-Control-Allow-Origin: '*'` |
/// | a list, even of one, even of exact origins only (apps' and extensions' origins among them) | refused, [`GatewayResponseError::VariesOnOrigin`]: the function echoes the entry that matches the request |
/// | a wildcard, `https://*.myapp.com` or `https://pr-*.preview.myapp.com` | refused, [`GatewayResponseError::VariesOnOrigin`]: it matches many origins, and the function echoes the one that asked |
/// | any port on a loopback host, `http://localhost:*` | refused, [`GatewayResponseError::VariesOnOrigin`]: the function echoes the port that asked |
/// | `origin_env` | refused, [`GatewayResponseError::VariesOnOrigin`] with `origin_env`: read by the function at cold start, even when it holds one origin; the templates are rendered at build time and could differ from it |
/// | `origin_fn` | refused, [`GatewayResponseError::VariesOnOrigin`] with `origin_fn`: a check in code decides per request, which a mapping cannot run |
///
/// For every refused form, [`for_origin`](Self::for_origin) renders the one allowed origin you
/// choose (see below).
///
/// With every rendered origin come the other headers the function sends with a grant:
/// `Access-Control-Allow-Credentials: 'true'` when credentials are allowed, and
/// `Access-Control-Expose-Headers` when headers are exposed. `Access-Control-Allow-Methods`,
/// `-Allow-Headers` and `-Max-Age` are left out: they only matter on a preflight's answer, and a
/// preflight answered with an error status fails in the browser whatever its headers say.
///
/// Both responses also get the response template `{"message":$context.error.messageString}` for
/// `application/json`, the body API Gateway sends by default. (The template has to be written out:
/// a customized gateway response without one answers with an empty body.)
///
/// ## Why a list is refused instead of echoing the request's origin
///
/// The one mapping that could serve a list, `method.request.header.Origin`, copies *any* origin:
/// every site on the web would be granted read access to the API's gateway errors, with cookies
/// when credentials are allowed, and a cache in front of the API would see an origin-specific
/// answer that is not keyed as one. The function never grants an origin its configuration does not
/// allow; the gateway responses must not either. So [`from_config`](Self::from_config) refuses,
/// and its error says what to do instead:
///
/// - choose the one origin whose pages should see gateway errors (usually production) with
///   [`for_origin`](Self::for_origin), which checks that the configuration allows it and adds
///   `Vary: Origin`; pages on the other allowed origins then see a plain CORS failure for gateway
///   errors only (their own requests are unaffected);
/// - or serve the API under the site's own origin (a CloudFront behaviour for `/api/*`), so that
///   no CORS is involved at all.
///
/// # Example
///
/// ```
/// use cors_deploy::{GatewayResponseError, GatewayResponses};
/// use cors_runtime::CorsConfig;
///
/// let cors = CorsConfig::builder().allow_origin("https://myapp.com").build()?;
/// let responses = GatewayResponses::from_config(&cors)?;
/// assert_eq!(
///     responses.headers().collect::<Vec<_>>(),
///     [("Access-Control-Allow-Origin", "https://myapp.com")],
/// );
///
/// let terraform = responses.to_terraform("aws_api_gateway_rest_api.api.id");
/// assert!(terraform.contains(r#"response_type = "DEFAULT_5XX""#));
/// assert!(terraform.contains(
///     r#""gatewayresponse.header.Access-Control-Allow-Origin" = "'https://myapp.com'""#
/// ));
///
/// let sam = responses.to_sam_yaml(6);
/// assert!(sam.starts_with("      GatewayResponses:\n        DEFAULT_4XX:\n"));
/// assert!(sam.contains(r#"Access-Control-Allow-Origin: "'https://myapp.com'""#));
///
/// // A list cannot be matched by a gateway response: refused, with what to do instead.
/// let list = CorsConfig::builder()
///     .allow_origins(["https://myapp.com", "http://localhost:5173"])
///     .build()?;
/// let err = GatewayResponses::from_config(&list).unwrap_err();
/// assert!(matches!(err, GatewayResponseError::VariesOnOrigin { .. }));
/// assert!(err.to_string().contains("GatewayResponses::for_origin"));
///
/// // Choosing one of the allowed origins is explicit, checked, and varies on `Origin`.
/// let responses = GatewayResponses::for_origin(&list, "https://myapp.com")?;
/// assert_eq!(
///     responses.headers().collect::<Vec<_>>(),
///     [("Access-Control-Allow-Origin", "https://myapp.com"), ("Vary", "Origin")],
/// );
/// assert!(GatewayResponses::for_origin(&list, "https://evil.example").is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayResponses {
    /// Header name and value (without the gateway's single quotes), in the order rendered.
    headers: Vec<(&'static str, String)>,
}

/// Why [`GatewayResponses`] could not be rendered from a configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum GatewayResponseError {
    /// The policy is a list, a wildcard, any loopback port, `origin_env` or `origin_fn`: the
    /// function echoes the request's origin when it matches, which a gateway response cannot do.
    VariesOnOrigin {
        /// The configured origins, as written (for `origin_env`, those read so far).
        origins: Vec<String>,
        /// The environment variable the origins come from, for `origin_env`.
        origin_env: Option<String>,
        /// Whether a check in code (`origin_fn`) decides the origins the lists do not allow.
        origin_fn: bool,
    },
    /// [`GatewayResponses::for_origin`] was given an origin the configuration does not allow.
    OriginNotAllowed {
        /// The origin given.
        origin: String,
        /// The configured origins, as written.
        origins: Vec<String>,
    },
    /// [`GatewayResponses::for_origin`] was given something other than one serialized origin.
    InvalidOrigin {
        /// The value given.
        origin: String,
        /// Why it is not a serialized origin.
        reason: String,
    },
    /// A header value contains a `'`, which a gateway response's static value cannot carry.
    UnquotableValue {
        /// The header.
        header: &'static str,
        /// Its value.
        value: String,
    },
}

impl fmt::Display for GatewayResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GatewayResponseError::VariesOnOrigin {
                origins,
                origin_env,
                origin_fn,
            } => write!(
                f,
                "the CORS policy {} and echoes the request's origin when it matches, but an API \
                 Gateway gateway response cannot match: it sends one static value, or \
                 copies the request's Origin unconditionally (method.request.header.Origin), which \
                 would grant every site read access to the API's errors. Choose the one allowed \
                 origin whose pages should read gateway errors with \
                 GatewayResponses::for_origin(&config, \"https://...\") (the other origins then get \
                 a CORS failure for gateway errors only), or serve the API under the site's own \
                 origin (CloudFront) so that no CORS is needed",
                what_varies(origins, origin_env.as_deref(), *origin_fn)
            ),
            GatewayResponseError::OriginNotAllowed { origin, origins } => write!(
                f,
                "{origin:?} is not allowed by the CORS configuration ({}): a gateway response must \
                 not grant an origin the function refuses; pass one of the allowed origins",
                describe_origins(origins)
            ),
            GatewayResponseError::InvalidOrigin { origin, reason } => write!(
                f,
                "{origin:?} is not one serialized origin ({reason}): a gateway response names \
                 exactly one origin, such as \"https://myapp.com\""
            ),
            GatewayResponseError::UnquotableValue { header, value } => write!(
                f,
                "the {header} value {value:?} contains a single quote, which an API Gateway static \
                 header value (written in single quotes) cannot carry"
            ),
        }
    }
}

impl std::error::Error for GatewayResponseError {}

/// What makes a policy's responses vary on `Origin`, for [`GatewayResponseError::VariesOnOrigin`].
fn what_varies(origins: &[String], origin_env: Option<&str>, origin_fn: bool) -> String {
    if let Some(var) = origin_env {
        return format!(
            "reads its origins from the environment variable {var} when the function starts \
             (even a single one: the templates are rendered at build time and could differ from \
             it)"
        );
    }
    if origin_fn {
        return match origins {
            [] => "decides the origins in code (`origin_fn`), per request".to_owned(),
            _ => format!(
                "decides origins beyond {} in code (`origin_fn`), per request",
                describe_origins(origins)
            ),
        };
    }
    // The origins are the policy's, as written: a `*` in one is a wildcard's (`*` alone never
    // varies), and a port wildcard ends with it.
    if let [origin] = origins {
        if origin.ends_with(":*") {
            return format!("allows {origin:?}, any port of a loopback host");
        }
        if origin.contains('*') {
            return format!("allows the wildcard {origin:?}, which matches many origins");
        }
    }
    format!("allows the list {}", describe_origins(origins))
}

pub(crate) fn describe_origins(origins: &[String]) -> String {
    let quoted: Vec<String> = origins.iter().map(|o| format!("{o:?}")).collect();
    quoted.join(", ")
}

impl GatewayResponses {
    /// The gateway response types rendered. Every more specific type (`THROTTLED`,
    /// `INTEGRATION_TIMEOUT`, `UNAUTHORIZED`, `ACCESS_DENIED`, `MISSING_AUTHENTICATION_TOKEN`, ...)
    /// that is not customized itself inherits from one of them.
    pub const RESPONSE_TYPES: [&'static str; 2] = ["DEFAULT_4XX", "DEFAULT_5XX"];

    /// The `application/json` response template of both responses: API Gateway's own default
    /// body (`messageString` is already a quoted JSON string).
    pub const BODY_TEMPLATE: &'static str = r#"{"message":$context.error.messageString}"#;

    /// Renders the gateway responses of a configuration whose responses do not vary on `Origin`:
    /// a single literal origin, or `"*"`. A list, a wildcard, any loopback port, `origin_env` or
    /// `origin_fn` ([per form](GatewayResponses#what-is-rendered-per-origin-form)) is refused with
    /// [`GatewayResponseError::VariesOnOrigin`], whose message says what to do (see the
    /// [type's documentation](GatewayResponses#why-a-list-is-refused-instead-of-echoing-the-requests-origin)).
    pub fn from_config(config: &CorsConfig) -> Result<Self, GatewayResponseError> {
        let origins = config.origins();
        let varies = |origins| GatewayResponseError::VariesOnOrigin {
            origins,
            origin_env: config.origin_env().map(str::to_owned),
            origin_fn: config.checks_origins_in_code(),
        };
        if config.varies_on_origin() {
            return Err(varies(origins));
        }
        let [origin] = origins.as_slice() else {
            // A configuration that does not vary has exactly one entry: the origin or `*`.
            return Err(varies(origins));
        };
        Self::with_origin(config, origin.clone())
    }

    /// Renders the gateway responses granting `origin`, which `config` must allow (for a list,
    /// one of its entries or an origin matching one of its wildcards), with `Vary: Origin` when
    /// the function's responses vary on it.
    ///
    /// For a list, pages on the other allowed origins cannot read the gateway's errors (the
    /// browser reports a CORS failure for those alone); every other response is the function's
    /// and grants them as usual.
    pub fn for_origin(config: &CorsConfig, origin: &str) -> Result<Self, GatewayResponseError> {
        // One origin is what a policy of that origin alone sends statically.
        let reason = match CorsConfig::builder().allow_origin(origin).build() {
            Ok(alone) => match alone.allowed_origins() {
                AllowedOrigins::One(_) => None,
                _ => Some("`*` and wildcards match many origins".to_owned()),
            },
            Err(err) => Some(match err.problems() {
                [problem, ..] => match problem.hint() {
                    Some(hint) => format!("{} ({hint})", problem.message()),
                    None => problem.message().to_owned(),
                },
                [] => err.to_string(),
            }),
        };
        if let Some(reason) = reason {
            return Err(GatewayResponseError::InvalidOrigin {
                origin: origin.to_owned(),
                reason,
            });
        }
        let origins = config.origins();
        let allowed = if config.varies_on_origin() {
            config.lists_allow(origin)
        } else {
            origins.iter().any(|o| o == "*" || o == origin)
        };
        if !allowed {
            return Err(GatewayResponseError::OriginNotAllowed {
                origin: origin.to_owned(),
                origins,
            });
        }
        Self::with_origin(config, origin.to_owned())
    }

    fn with_origin(config: &CorsConfig, origin: String) -> Result<Self, GatewayResponseError> {
        let mut headers = vec![("Access-Control-Allow-Origin", origin)];
        if config.varies_on_origin() {
            headers.push(("Vary", "Origin".to_owned()));
        }
        if config.allows_credentials() {
            headers.push(("Access-Control-Allow-Credentials", "true".to_owned()));
        }
        let expose = config.exposed_header_names();
        if !expose.is_empty() {
            headers.push(("Access-Control-Expose-Headers", expose.to_string()));
        }
        for &(header, ref value) in &headers {
            if value.contains('\'') {
                return Err(GatewayResponseError::UnquotableValue {
                    header,
                    value: value.clone(),
                });
            }
        }
        Ok(GatewayResponses { headers })
    }

    /// The headers both responses carry: name and value (the value without the single quotes
    /// that make it static in API Gateway's syntax).
    pub fn headers(&self) -> impl Iterator<Item = (&str, &str)> {
        self.headers
            .iter()
            .map(|(name, value)| (*name, value.as_str()))
    }

    /// Two `aws_api_gateway_gateway_response` resources, `cors_default_4xx` and
    /// `cors_default_5xx`, formatted as `terraform fmt` formats them. `rest_api_id` is the HCL
    /// expression of the REST API's id, such as `aws_api_gateway_rest_api.api.id`.
    ///
    /// Gateway responses take effect with the next deployment: let the deployment's `triggers`
    /// depend on these resources.
    pub fn to_terraform(&self, rest_api_id: &str) -> String {
        let mut out = String::new();
        for (i, response_type) in Self::RESPONSE_TYPES.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            let name = format!("cors_{}", response_type.to_ascii_lowercase());
            let parameters: Vec<(String, String)> = self
                .headers
                .iter()
                .map(|(header, value)| {
                    (
                        hcl_string(&format!("gatewayresponse.header.{header}")),
                        hcl_string(&format!("'{value}'")),
                    )
                })
                .collect();
            let templates = [(
                hcl_string("application/json"),
                hcl_string(Self::BODY_TEMPLATE),
            )];
            // `write!` to a `String` cannot fail.
            let _ = writeln!(
                out,
                "resource \"aws_api_gateway_gateway_response\" \"{name}\" {{"
            );
            let _ = writeln!(out, "  rest_api_id   = {rest_api_id}");
            let _ = writeln!(out, "  response_type = {}", hcl_string(response_type));
            write_hcl_map(&mut out, "response_parameters", &parameters);
            write_hcl_map(&mut out, "response_templates", &templates);
            out.push_str("}\n");
        }
        out
    }

    /// The `GatewayResponses` property of an `AWS::Serverless::Api`, as YAML whose first line
    /// (`GatewayResponses:`) is indented by `indent` spaces, nested two spaces a level.
    pub fn to_sam_yaml(&self, indent: usize) -> String {
        let mut out = String::new();
        let pad = |level: usize| " ".repeat(indent + 2 * level);
        let _ = writeln!(out, "{}GatewayResponses:", pad(0));
        for response_type in Self::RESPONSE_TYPES {
            let _ = writeln!(out, "{}{response_type}:", pad(1));
            let _ = writeln!(out, "{}ResponseParameters:", pad(2));
            let _ = writeln!(out, "{}Headers:", pad(3));
            for (header, value) in &self.headers {
                let _ = writeln!(
                    out,
                    "{}{header}: {}",
                    pad(4),
                    yaml_string(&format!("'{value}'"))
                );
            }
            let _ = writeln!(out, "{}ResponseTemplates:", pad(2));
            let _ = writeln!(
                out,
                "{}application/json: {}",
                pad(3),
                yaml_string(Self::BODY_TEMPLATE)
            );
        }
        out
    }

    /// The gateway responses as a JSON list, one object per response type with the props of
    /// the AWS CDK's `RestApi.addGatewayResponse` (`type`, `responseHeaders`, `templates`).
    /// The CDK passes header values verbatim, so each carries its single quotes; the app turns
    /// `type` into `ResponseType.of(type)`.
    ///
    /// ```
    /// use cors_deploy::GatewayResponses;
    ///
    /// let policy = cors_runtime::CorsConfig::builder().allow_origin("https://myapp.com").build()?;
    /// let json = GatewayResponses::from_config(&policy)?.to_cdk_json();
    /// assert!(json.starts_with(r#"[
    ///   {
    ///     "type": "DEFAULT_4XX",
    ///     "responseHeaders": {
    ///       "Access-Control-Allow-Origin": "'https://myapp.com'"
    ///     },
    ///     "templates": {
    ///       "application/json": "{\"message\":$context.error.messageString}"
    ///     }
    ///   },"#));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_cdk_json(&self) -> String {
        let headers: Vec<(&str, String)> = self
            .headers
            .iter()
            .map(|(header, value)| (*header, format!("'{value}'")))
            .collect();
        let responses = Self::RESPONSE_TYPES
            .iter()
            .map(|response_type| {
                Json::Obj(vec![
                    ("type".to_owned(), Json::Str((*response_type).to_owned())),
                    ("responseHeaders".to_owned(), Json::string_map(&headers)),
                    (
                        "templates".to_owned(),
                        Json::string_map(&[("application/json", Self::BODY_TEMPLATE)]),
                    ),
                ])
            })
            .collect();
        Json::Arr(responses).pretty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(origins: &[&str], credentials: bool, expose: &[&str]) -> CorsConfig {
        // One origin as `origin = "..."` (sent statically), more as a list.
        let mut builder = match origins {
            [one] => CorsConfig::builder().allow_origin(*one),
            _ => CorsConfig::builder().allow_origins(origins.iter().copied()),
        }
        .allow_credentials(credentials);
        if !expose.is_empty() {
            builder = builder.expose_headers(expose.iter().copied());
        }
        builder.build().expect("valid configuration")
    }

    fn headers(responses: &GatewayResponses) -> Vec<(&str, &str)> {
        responses.headers().collect()
    }

    #[test]
    fn single_origin_is_sent_statically() {
        let responses = GatewayResponses::from_config(&build(&["https://myapp.com"], false, &[]))
            .expect("renders");
        assert_eq!(
            headers(&responses),
            [("Access-Control-Allow-Origin", "https://myapp.com")]
        );
    }

    #[test]
    fn single_origin_with_credentials_and_expose_headers() {
        let config = build(&["https://myapp.com"], true, &["x-request-id", "etag"]);
        let responses = GatewayResponses::from_config(&config).expect("renders");
        assert_eq!(
            headers(&responses),
            [
                ("Access-Control-Allow-Origin", "https://myapp.com"),
                ("Access-Control-Allow-Credentials", "true"),
                ("Access-Control-Expose-Headers", "x-request-id,etag"),
            ]
        );
    }

    #[test]
    fn star_is_sent_as_star_without_vary() {
        let responses = GatewayResponses::from_config(&build(&["*"], false, &[])).expect("renders");
        assert_eq!(headers(&responses), [("Access-Control-Allow-Origin", "*")]);
        let terraform = responses.to_terraform("aws_api_gateway_rest_api.api.id");
        assert!(
            terraform.contains(r#""gatewayresponse.header.Access-Control-Allow-Origin" = "'*'""#)
        );
    }

    #[test]
    fn lists_and_wildcards_are_refused_with_what_to_do() {
        for (origins, what) in [
            (
                &["https://myapp.com", "http://localhost:5173"][..],
                "allows the list",
            ),
            (&["https://*.myapp.com"][..], "the wildcard"),
            (&["https://pr-*.preview.myapp.com"][..], "the wildcard"),
            (&["http://localhost:*"][..], "any port of a loopback host"),
            (
                &["https://myapp.com", "https://*.preview.myapp.com"][..],
                "allows the list",
            ),
            (
                &["https://myapp.com", "capacitor://localhost"][..],
                "allows the list",
            ),
        ] {
            let config = match origins {
                [one] => CorsConfig::builder().allow_origin(*one),
                _ => CorsConfig::builder().allow_origins(origins.iter().copied()),
            }
            .build()
            .expect("valid configuration");
            let err = GatewayResponses::from_config(&config).unwrap_err();
            assert_eq!(
                err,
                GatewayResponseError::VariesOnOrigin {
                    origins: origins.iter().map(|o| o.to_string()).collect(),
                    origin_env: None,
                    origin_fn: false,
                }
            );
            let message = err.to_string();
            assert!(message.contains(what), "{message}");
            assert!(message.contains("for_origin"), "{message}");
            assert!(
                message.contains("method.request.header.Origin"),
                "{message}"
            );
        }
    }

    #[test]
    fn a_list_of_one_is_refused_an_app_origin_alone_is_not() {
        let list = CorsConfig::builder()
            .allow_origins(["https://myapp.com"])
            .build()
            .expect("valid");
        assert!(matches!(
            GatewayResponses::from_config(&list),
            Err(GatewayResponseError::VariesOnOrigin { .. })
        ));
        let app = build(&["capacitor://localhost"], false, &[]);
        let responses = GatewayResponses::from_config(&app).expect("renders");
        assert_eq!(
            headers(&responses),
            [("Access-Control-Allow-Origin", "capacitor://localhost")]
        );
    }

    #[test]
    fn origin_fn_is_refused() {
        let config = CorsConfig::builder()
            .allow_origin("https://myapp.com")
            .allow_origin_fn(|origin| origin.ends_with(".example"))
            .build()
            .expect("valid");
        let err = GatewayResponses::from_config(&config).unwrap_err();
        assert_eq!(
            err,
            GatewayResponseError::VariesOnOrigin {
                origins: vec!["https://myapp.com".to_owned()],
                origin_env: None,
                origin_fn: true,
            }
        );
        assert!(err.to_string().contains("in code (`origin_fn`)"), "{err}");
        // The chosen origin must be one the lists allow: the check in code is not asked.
        assert!(GatewayResponses::for_origin(&config, "https://myapp.com").is_ok());
        assert!(GatewayResponses::for_origin(&config, "https://a.example").is_err());
    }

    #[test]
    fn env_configuration_is_refused() {
        static ENV: CorsConfig = cors_runtime::cors_config!(origin_env = "CORS_DEPLOY_TEST_UNSET");
        let err = GatewayResponses::from_config(&ENV).unwrap_err();
        assert!(matches!(err, GatewayResponseError::VariesOnOrigin { .. }));
        assert!(err.to_string().contains("CORS_DEPLOY_TEST_UNSET"), "{err}");
        assert!(err.to_string().contains("build time"), "{err}");
    }

    #[test]
    fn for_origin_checks_the_configuration() {
        let config = build(
            &["https://myapp.com", "https://*.preview.myapp.com"],
            true,
            &["x-request-id"],
        );
        let responses =
            GatewayResponses::for_origin(&config, "https://pr-1.preview.myapp.com").expect("ok");
        assert_eq!(
            headers(&responses),
            [
                (
                    "Access-Control-Allow-Origin",
                    "https://pr-1.preview.myapp.com"
                ),
                ("Vary", "Origin"),
                ("Access-Control-Allow-Credentials", "true"),
                ("Access-Control-Expose-Headers", "x-request-id"),
            ]
        );
        for refused in [
            "https://evil.example",
            "https://preview.myapp.com",
            "http://myapp.com",
        ] {
            assert!(
                matches!(
                    GatewayResponses::for_origin(&config, refused),
                    Err(GatewayResponseError::OriginNotAllowed { .. })
                ),
                "{refused}"
            );
        }
        for invalid in ["*", "https://*.preview.myapp.com", "https://myapp.com/", ""] {
            assert!(
                matches!(
                    GatewayResponses::for_origin(&config, invalid),
                    Err(GatewayResponseError::InvalidOrigin { .. })
                ),
                "{invalid}"
            );
        }
        let single = build(&["https://myapp.com"], false, &[]);
        assert!(GatewayResponses::for_origin(&single, "https://myapp.com").is_ok());
        assert!(GatewayResponses::for_origin(&single, "https://other.com").is_err());
        let star = build(&["*"], false, &[]);
        let responses = GatewayResponses::for_origin(&star, "https://other.com").expect("ok");
        assert_eq!(
            headers(&responses),
            [("Access-Control-Allow-Origin", "https://other.com")]
        );
    }

    #[test]
    fn a_single_quote_cannot_be_carried() {
        let config = build(&["https://myapp.com"], false, &["x-it's"]);
        assert!(matches!(
            GatewayResponses::from_config(&config),
            Err(GatewayResponseError::UnquotableValue {
                header: "Access-Control-Expose-Headers",
                ..
            })
        ));
    }

    #[test]
    fn terraform_is_formatted_and_escaped() {
        let config = build(&["https://myapp.com"], true, &[]);
        let terraform = GatewayResponses::from_config(&config)
            .expect("renders")
            .to_terraform("aws_api_gateway_rest_api.api.id");
        let expected_4xx = r#"resource "aws_api_gateway_gateway_response" "cors_default_4xx" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  response_type = "DEFAULT_4XX"

  response_parameters = {
    "gatewayresponse.header.Access-Control-Allow-Origin"      = "'https://myapp.com'"
    "gatewayresponse.header.Access-Control-Allow-Credentials" = "'true'"
  }

  response_templates = {
    "application/json" = "{\"message\":$context.error.messageString}"
  }
}
"#;
        assert!(terraform.starts_with(expected_4xx), "{terraform}");
        assert!(terraform.contains(
            "\n\nresource \"aws_api_gateway_gateway_response\" \"cors_default_5xx\" {\n"
        ));
        assert!(terraform.contains("response_type = \"DEFAULT_5XX\""));
        assert_eq!(hcl_string("${x} %{y} $z"), r#""$${x} %%{y} $z""#);
        assert_eq!(hcl_string("a\"b\\c"), r#""a\"b\\c""#);
    }

    #[test]
    fn sam_yaml_is_indented_and_quoted() {
        let config = build(&["https://myapp.com"], false, &["x-request-id"]);
        let yaml = GatewayResponses::from_config(&config)
            .expect("renders")
            .to_sam_yaml(2);
        let block = r#"    DEFAULT_4XX:
      ResponseParameters:
        Headers:
          Access-Control-Allow-Origin: "'https://myapp.com'"
          Access-Control-Expose-Headers: "'x-request-id'"
      ResponseTemplates:
        application/json: '{"message":$context.error.messageString}'
"#;
        assert_eq!(
            yaml,
            format!(
                "  GatewayResponses:\n{block}{}",
                block.replace("DEFAULT_4XX", "DEFAULT_5XX")
            )
        );
        assert_eq!(yaml_string(r#"a"b\c'"#), r#""a\"b\\c'""#);
    }
}
