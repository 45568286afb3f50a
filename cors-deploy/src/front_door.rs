//! The CORS settings of a front door that answers preflights *and* writes the CORS headers of
//! every response: an HTTP API's CORS configuration ([`HttpApiCors`]) and a Lambda function URL's
//! `Cors` ([`FunctionUrlCors`]).
//!
//! Such a front door is the one place for CORS: the function must write no CORS header (its
//! policy has `front_door = true`, [`CorsConfig::answered_by_front_door`]), and the front door's
//! settings are rendered from that same policy, so that they cannot say something else.

use std::fmt::Write as _;

use cors_runtime::{AllowedNames, AllowedOrigins, CorsConfig, OriginEntry};

use crate::error::{FrontDoor, FrontDoorError, OriginForm};
use crate::render::{Json, hcl_list, write_hcl_attributes, yaml_scalar};

/// The six settings both front doors take, in the order they are rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Settings {
    allow_origins: Vec<String>,
    allow_methods: Vec<String>,
    allow_headers: Vec<String>,
    expose_headers: Vec<String>,
    allow_credentials: bool,
    max_age: Option<u32>,
}

/// The names a front door gives the six settings, in [`Settings`]' order.
type Names = [&'static str; 6];

/// The Terraform attribute names (`cors_configuration` and `cors` blocks alike).
const TERRAFORM_NAMES: Names = [
    "allow_origins",
    "allow_methods",
    "allow_headers",
    "expose_headers",
    "allow_credentials",
    "max_age",
];

/// A list of names of the policy as a front door's list: `*` alone, or the names.
fn items(names: AllowedNames<'_>) -> Vec<String> {
    names.names().map(str::to_owned).collect()
}

/// What both front doors refuse, checked in this order: origins from the environment, a check in
/// code, origins whose form a static list cannot hold; then the policy's own settings.
fn settings(config: &CorsConfig, front_door: FrontDoor) -> Result<Settings, FrontDoorError> {
    if let Some(var) = config.origin_env() {
        return Err(FrontDoorError::OriginEnv {
            front_door,
            var: var.to_owned(),
        });
    }
    if config.checks_origins_in_code() {
        return Err(FrontDoorError::OriginFn { front_door });
    }
    let allow_origins = match config.allowed_origins() {
        AllowedOrigins::List(entries) => {
            if let Some((entry, form)) = entries
                .iter()
                .find_map(|entry| unlistable_form(entry).map(|form| (entry, form)))
            {
                return Err(FrontDoorError::UnsupportedOrigin {
                    front_door,
                    origin: entry.to_string(),
                    form,
                });
            }
            entries.iter().map(ToString::to_string).collect()
        }
        AllowedOrigins::Any => vec!["*".to_owned()],
        AllowedOrigins::One(origin) => vec![origin.to_owned()],
        // `origin_env`, refused above.
        _ => config.origins(),
    };
    Ok(Settings {
        allow_origins,
        allow_methods: items(config.method_names()),
        allow_headers: items(config.header_names()),
        expose_headers: items(config.exposed_header_names()),
        allow_credentials: config.allows_credentials(),
        max_age: config.max_age(),
    })
}

/// The form of an origin list's entry that neither front door's list documents: every
/// wildcard of the policy. Exact origins (web, app and extension origins alike, compared as
/// written) are listable.
fn unlistable_form(entry: &OriginEntry<'_>) -> Option<OriginForm> {
    match entry {
        OriginEntry::Subdomains { .. } => Some(OriginForm::LabelWildcard),
        OriginEntry::InLabel { .. } => Some(OriginForm::InLabelWildcard),
        OriginEntry::AnyPort { .. } => Some(OriginForm::AnyLoopbackPort),
        // Exact: listed as written.
        _ => None,
    }
}

/// The front door writes the headers only if the function writes none.
fn require_front_door(config: &CorsConfig, front_door: FrontDoor) -> Result<(), FrontDoorError> {
    if config.answered_by_front_door() {
        Ok(())
    } else {
        Err(FrontDoorError::FunctionWritesHeaders { front_door })
    }
}

fn check_max_age(
    settings: &Settings,
    front_door: FrontDoor,
    max: u32,
) -> Result<(), FrontDoorError> {
    match settings.max_age {
        Some(max_age) if max_age > max => Err(FrontDoorError::MaxAgeTooLarge {
            front_door,
            max_age,
            max,
        }),
        _ => Ok(()),
    }
}

fn check_list(
    list: &[String],
    front_door: FrontDoor,
    setting: &'static str,
    max_items: usize,
    max_len: usize,
) -> Result<(), FrontDoorError> {
    if list.len() > max_items {
        return Err(FrontDoorError::TooMany {
            front_door,
            setting,
            count: list.len(),
            max: max_items,
        });
    }
    check_lengths(list, front_door, setting, max_len)
}

fn check_lengths(
    list: &[String],
    front_door: FrontDoor,
    setting: &'static str,
    max_len: usize,
) -> Result<(), FrontDoorError> {
    match list.iter().find(|item| item.chars().count() > max_len) {
        Some(value) => Err(FrontDoorError::TooLong {
            front_door,
            setting,
            value: value.clone(),
            max: max_len,
        }),
        None => Ok(()),
    }
}

impl Settings {
    /// `locals { <local_name> = { ... } }`: the six keys always present, as `terraform fmt`
    /// formats them.
    fn to_terraform(&self, local_name: &str) -> String {
        let [origins, methods, headers, expose, credentials, max_age] = TERRAFORM_NAMES;
        let mut out = format!("locals {{\n  {local_name} = {{\n");
        write_hcl_attributes(
            &mut out,
            4,
            &[
                (origins, hcl_list(&self.allow_origins)),
                (methods, hcl_list(&self.allow_methods)),
                (headers, hcl_list(&self.allow_headers)),
                (expose, hcl_list(&self.expose_headers)),
                (credentials, self.allow_credentials.to_string()),
                (
                    max_age,
                    self.max_age
                        .map_or_else(|| "null".to_owned(), |s| s.to_string()),
                ),
            ],
        );
        out.push_str("  }\n}\n");
        out
    }

    /// One YAML list item (the true branch of an `!If`) whose first line, `- <first key>:`, is
    /// indented by `indent` spaces: the other keys two spaces further in, each list value on a
    /// line of its own two more, a key left out when it has no value.
    fn to_sam_yaml(&self, indent: usize, names: Names) -> String {
        let [origins, methods, headers, expose, credentials, max_age] = names;
        let mut lines: Vec<String> = Vec::new();
        for (name, list) in [
            (origins, &self.allow_origins),
            (methods, &self.allow_methods),
            (headers, &self.allow_headers),
            (expose, &self.expose_headers),
        ] {
            if list.is_empty() {
                continue;
            }
            lines.push(format!("{name}:"));
            lines.extend(list.iter().map(|item| format!("  - {}", yaml_scalar(item))));
        }
        if self.allow_credentials {
            lines.push(format!("{credentials}: true"));
        }
        if let Some(seconds) = self.max_age {
            lines.push(format!("{max_age}: {seconds}"));
        }
        let mut out = String::new();
        for (i, line) in lines.iter().enumerate() {
            let marker = if i == 0 { "- " } else { "  " };
            let _ = writeln!(out, "{}{marker}{line}", " ".repeat(indent));
        }
        out
    }

    /// A JSON object of the CDK construct's props, keys as [`to_sam_yaml`](Self::to_sam_yaml)
    /// leaves them out: a list when it has entries, the credentials when allowed, the max age
    /// (in seconds) when set.
    fn to_cdk_json(&self, names: Names) -> String {
        let [origins, methods, headers, expose, credentials, max_age] = names;
        let mut entries = Vec::new();
        for (name, list) in [
            (origins, &self.allow_origins),
            (methods, &self.allow_methods),
            (headers, &self.allow_headers),
            (expose, &self.expose_headers),
        ] {
            if !list.is_empty() {
                entries.push((name.to_owned(), Json::strings(list)));
            }
        }
        if self.allow_credentials {
            entries.push((credentials.to_owned(), Json::Bool(true)));
        }
        if let Some(seconds) = self.max_age {
            entries.push((max_age.to_owned(), Json::Num(seconds)));
        }
        Json::Obj(entries).pretty()
    }
}

/// An API Gateway HTTP API's CORS configuration (`cors_configuration` of `aws_apigatewayv2_api`,
/// the `x-amazon-apigateway-cors` extension of a SAM `AWS::Serverless::HttpApi`'s definition),
/// rendered from the policy of the function behind it.
///
/// With a CORS configuration, API Gateway answers every preflight itself (the function never
/// sees one) and adds the configured headers to every response of the function, ignoring the
/// function's own
/// ([API Gateway developer guide, "Configure CORS for HTTP APIs"](https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html)).
/// So the function's policy must have `front_door = true`: it then writes no CORS header, and
/// this configuration is the one place for CORS.
///
/// # What is refused
///
/// [`from_config`](Self::from_config) checks, in this order:
///
/// | the policy | why | error |
/// | --- | --- | --- |
/// | `origin_env` | read by the function at cold start; the configuration is rendered at build time | [`FrontDoorError::OriginEnv`] |
/// | `origin_fn` | a check in code runs in the function only | [`FrontDoorError::OriginFn`] |
/// | `https://*.myapp.com`, `https://pr-*.preview.myapp.com`, `http://localhost:*` | `allowOrigins` documents exact origins, `*`, and `https://*` / `http://*` (every origin of a scheme) only[^cors] | [`FrontDoorError::UnsupportedOrigin`] |
/// | a method longer than 64 characters | `allowMethods` items are 1 to 64 characters[^model] | [`FrontDoorError::TooLong`] |
/// | `max_age` over 86400 | `maxAge` is -1 to 86400[^model] | [`FrontDoorError::MaxAgeTooLarge`] |
/// | no `front_door = true` | the function would write headers API Gateway ignores: two policies, one silently replaced | [`FrontDoorError::FunctionWritesHeaders`] |
///
/// Exact origins pass as written: web origins, and apps' and extensions' origins
/// (`capacitor://localhost`), which the documentation's examples do not show. `*` with
/// credentials cannot reach the renderer: the policy itself refuses it (the Fetch standard
/// refuses `*` with credentials).
///
/// [^cors]: <https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html>
/// [^model]: the `Cors` shape of the API Gateway V2 API: `CorsMethodList` of
///     `StringWithLengthBetween1And64`, `maxAge` an `IntegerWithLengthBetweenMinus1And86400`
///     (<https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid.html>; the
///     service model: <https://github.com/boto/botocore/blob/develop/botocore/data/apigatewayv2/2018-11-29/service-2.json>)
///
/// # Example
///
/// ```
/// use cors_deploy::{FrontDoorError, HttpApiCors};
/// use cors_runtime::CorsConfig;
///
/// let policy = CorsConfig::builder()
///     .allow_origins(["https://myapp.com", "https://admin.myapp.com"])
///     .allow_methods(["GET", "PUT"])
///     .allow_credentials(true)
///     .max_age(600)
///     .front_door(true)
///     .build()?;
/// let cors = HttpApiCors::from_config(&policy)?;
/// assert_eq!(cors.allow_origins(), ["https://myapp.com", "https://admin.myapp.com"]);
///
/// assert_eq!(
///     cors.to_terraform("cors"),
///     r#"locals {
///   cors = {
///     allow_origins     = ["https://myapp.com", "https://admin.myapp.com"]
///     allow_methods     = ["GET", "PUT"]
///     allow_headers     = ["Content-Type", "X-Amz-Date", "Authorization", "X-Api-Key", "X-Amz-Security-Token"]
///     expose_headers    = []
///     allow_credentials = true
///     max_age           = 600
///   }
/// }
/// "#
/// );
/// let sam = cors.to_sam_yaml(0);
/// assert!(sam.starts_with("- allowOrigins:\n    - https://myapp.com\n"));
/// assert!(sam.ends_with("  allowCredentials: true\n  maxAge: 600\n"));
///
/// // Without `front_door = true` the function writes its own headers: refused.
/// let function_answers = CorsConfig::builder().allow_origin("https://myapp.com").build()?;
/// let err = HttpApiCors::from_config(&function_answers).unwrap_err();
/// assert!(matches!(err, FrontDoorError::FunctionWritesHeaders { .. }));
/// assert!(err.to_string().contains("front_door = true"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpApiCors {
    settings: Settings,
}

impl HttpApiCors {
    /// The key names of the `x-amazon-apigateway-cors` extension, in the order rendered.
    pub const SAM_KEYS: [&'static str; 6] = [
        "allowOrigins",
        "allowMethods",
        "allowHeaders",
        "exposeHeaders",
        "allowCredentials",
        "maxAge",
    ];

    /// `maxAge`'s maximum, in seconds (API Gateway V2 API reference, `Cors`).
    pub const MAX_AGE_LIMIT: u32 = 86_400;

    /// The longest method `allowMethods` holds, in characters.
    pub const METHOD_LENGTH_LIMIT: usize = 64;

    /// Renders the CORS configuration of a policy with `front_door = true`, or says why it
    /// cannot be one (see [the table above](Self#what-is-refused)).
    pub fn from_config(config: &CorsConfig) -> Result<Self, FrontDoorError> {
        let front_door = FrontDoor::HttpApi;
        let settings = settings(config, front_door)?;
        check_lengths(
            &settings.allow_methods,
            front_door,
            "allowMethods",
            Self::METHOD_LENGTH_LIMIT,
        )?;
        check_max_age(&settings, front_door, Self::MAX_AGE_LIMIT)?;
        require_front_door(config, front_door)?;
        Ok(HttpApiCors { settings })
    }

    /// `allowOrigins`: `["*"]` or the origins, as the policy writes them.
    pub fn allow_origins(&self) -> &[String] {
        &self.settings.allow_origins
    }

    /// `allowMethods`: the policy's methods (`OPTIONS` included when it lists it), or `["*"]`.
    pub fn allow_methods(&self) -> &[String] {
        &self.settings.allow_methods
    }

    /// `allowHeaders`: the policy's request headers, or `["*"]`.
    pub fn allow_headers(&self) -> &[String] {
        &self.settings.allow_headers
    }

    /// `exposeHeaders`: the policy's exposed headers, possibly none.
    pub fn expose_headers(&self) -> &[String] {
        &self.settings.expose_headers
    }

    /// `allowCredentials`.
    pub fn allow_credentials(&self) -> bool {
        self.settings.allow_credentials
    }

    /// `maxAge`, in seconds, when the policy sets one.
    pub fn max_age(&self) -> Option<u32> {
        self.settings.max_age
    }

    /// `locals { <local_name> = { allow_origins = [...] ... max_age = ... } }`, the six keys of
    /// `aws_apigatewayv2_api`'s `cors_configuration` always present (`[]`, `false`, `null` when
    /// unset), formatted as `terraform fmt` formats them. Read it in a `dynamic
    /// "cors_configuration"` block, `for_each = condition ? [local.<local_name>] : []`, to make it
    /// switchable.
    pub fn to_terraform(&self, local_name: &str) -> String {
        self.settings.to_terraform(local_name)
    }

    /// The `x-amazon-apigateway-cors` object as one YAML list item whose `- ` is indented by
    /// `indent` spaces: the true branch of `!If [Condition, <this>, !Ref AWS::NoValue]`. Keys
    /// in the order of [`SAM_KEYS`](Self::SAM_KEYS), each left out when it has no value.
    pub fn to_sam_yaml(&self, indent: usize) -> String {
        self.settings.to_sam_yaml(indent, Self::SAM_KEYS)
    }

    /// The `corsPreflight` props of the AWS CDK's `HttpApi` (`aws-cdk-lib/aws-apigatewayv2`) as a
    /// JSON object, keys as [`to_sam_yaml`](Self::to_sam_yaml) leaves them out; the CDK's names
    /// are [`SAM_KEYS`](Self::SAM_KEYS). The app casts each method to `CorsHttpMethod` and
    /// passes `maxAge` (seconds) as `Duration.seconds(maxAge)`.
    ///
    /// ```
    /// use cors_deploy::HttpApiCors;
    ///
    /// let policy = cors_runtime::CorsConfig::builder()
    ///     .allow_origin("https://myapp.com")
    ///     .allow_methods(["GET"])
    ///     .allow_headers(["content-type"])
    ///     .max_age(600)
    ///     .front_door(true)
    ///     .build()?;
    /// assert_eq!(
    ///     HttpApiCors::from_config(&policy)?.to_cdk_json(),
    ///     r#"{
    ///   "allowOrigins": [
    ///     "https://myapp.com"
    ///   ],
    ///   "allowMethods": [
    ///     "GET"
    ///   ],
    ///   "allowHeaders": [
    ///     "content-type"
    ///   ],
    ///   "maxAge": 600
    /// }"#
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_cdk_json(&self) -> String {
        self.settings.to_cdk_json(Self::SAM_KEYS)
    }
}

/// A Lambda function URL's `Cors` settings (the `cors` block of `aws_lambda_function_url`,
/// `FunctionUrlConfig.Cors` of a SAM `AWS::Serverless::Function`), rendered from the policy of
/// the function.
///
/// With `Cors`, Lambda answers preflights without invoking the function and adds the configured
/// headers to every response
/// ([Lambda developer guide, CORS](https://docs.aws.amazon.com/lambda/latest/dg/urls-configuration.html#urls-cors)).
/// The guide says they take precedence over the function's, but users report both sets on
/// ordinary responses, `Access-Control-Allow-Origin` twice, which browsers refuse
/// ([aws-powertools/powertools-lambda-python#4163](https://github.com/aws-powertools/powertools-lambda-python/issues/4163)).
/// So the function's policy must have `front_door = true`: it then writes no CORS header.
///
/// # What is refused
///
/// [`from_config`](Self::from_config) checks, in this order (limits from the
/// [Lambda API reference, `Cors`](https://docs.aws.amazon.com/lambda/latest/api/API_Cors.html)
/// and CloudFormation's
/// [`AWS::Lambda::Url` `Cors`](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-lambda-url-cors.html)):
///
/// | the policy | why | error |
/// | --- | --- | --- |
/// | `origin_env` | read by the function at cold start; the settings are rendered at build time | [`FrontDoorError::OriginEnv`] |
/// | `origin_fn` | a check in code runs in the function only | [`FrontDoorError::OriginFn`] |
/// | `https://*.myapp.com`, `https://pr-*.preview.myapp.com`, `http://localhost:*` | `AllowOrigins` takes specific origins or `*` | [`FrontDoorError::UnsupportedOrigin`] |
/// | more than 100 origins, an origin over 253 characters | `AllowOrigins`: at most 100 items of 1 to 253 characters | [`FrontDoorError::TooMany`], [`FrontDoorError::TooLong`] |
/// | a method other than GET, PUT, HEAD, POST, PATCH, DELETE, `*` (OPTIONS aside) | `AllowMethods`' allowed values, at most 6 | [`FrontDoorError::UnsupportedMethod`] |
/// | only `OPTIONS` | nothing left to list | [`FrontDoorError::UnsupportedMethod`] |
/// | more than 100 request or exposed headers, one over 1024 characters | `AllowHeaders`, `ExposeHeaders`: at most 100 items of at most 1024 characters | [`FrontDoorError::TooMany`], [`FrontDoorError::TooLong`] |
/// | `max_age` over 86400 | `MaxAge` is 0 to 86400 | [`FrontDoorError::MaxAgeTooLarge`] |
/// | no `front_door = true` | the function would write headers Lambda adds again | [`FrontDoorError::FunctionWritesHeaders`] |
///
/// `OPTIONS` is left out of the methods: the URL answers preflights itself, and
/// `AllowMethods` cannot list it. The policy's default methods (the API Gateway console's seven)
/// become the six without it. Exact origins pass as written, apps' and extensions' origins
/// included. `*` with credentials cannot reach the renderer: the policy refuses it.
///
/// # Example
///
/// ```
/// use cors_deploy::{FrontDoorError, FunctionUrlCors};
/// use cors_runtime::cors_config;
///
/// static FRONT_DOOR: cors_runtime::CorsConfig =
///     cors_config!(origin = "https://myapp.com", front_door = true);
/// let cors = FunctionUrlCors::from_config(&FRONT_DOOR)?;
/// assert_eq!(cors.allow_methods(), ["DELETE", "GET", "HEAD", "PATCH", "POST", "PUT"]);
/// assert_eq!(
///     cors.to_sam_yaml(2),
///     "  - AllowOrigins:\n      - https://myapp.com\n    AllowMethods:\n      - DELETE\n      - GET\n      \
///      - HEAD\n      - PATCH\n      - POST\n      - PUT\n    AllowHeaders:\n      - Content-Type\n      \
///      - X-Amz-Date\n      - Authorization\n      - X-Api-Key\n      - X-Amz-Security-Token\n"
/// );
///
/// // A function URL cannot hold a port wildcard.
/// static LOCAL: cors_runtime::CorsConfig =
///     cors_config!(origin = ["https://myapp.com", "http://localhost:*"], front_door = true);
/// assert!(matches!(
///     FunctionUrlCors::from_config(&LOCAL),
///     Err(FrontDoorError::UnsupportedOrigin { .. })
/// ));
/// # Ok::<(), FrontDoorError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionUrlCors {
    settings: Settings,
}

impl FunctionUrlCors {
    /// The property names of `AWS::Lambda::Url`'s `Cors`, in the order rendered.
    pub const SAM_KEYS: [&'static str; 6] = [
        "AllowOrigins",
        "AllowMethods",
        "AllowHeaders",
        "ExposeHeaders",
        "AllowCredentials",
        "MaxAge",
    ];

    /// The names of the AWS CDK's `FunctionUrlCorsOptions`, in the order rendered.
    pub const CDK_KEYS: [&'static str; 6] = [
        "allowedOrigins",
        "allowedMethods",
        "allowedHeaders",
        "exposedHeaders",
        "allowCredentials",
        "maxAge",
    ];

    /// The methods `AllowMethods` may list, `*` aside.
    pub const METHODS: [&'static str; 6] = ["GET", "PUT", "HEAD", "POST", "PATCH", "DELETE"];

    /// `MaxAge`'s maximum, in seconds.
    pub const MAX_AGE_LIMIT: u32 = 86_400;

    /// The most items `AllowOrigins`, `AllowHeaders` and `ExposeHeaders` each hold.
    pub const LIST_LIMIT: usize = 100;

    /// The longest origin `AllowOrigins` holds, in characters.
    pub const ORIGIN_LENGTH_LIMIT: usize = 253;

    /// The longest header name `AllowHeaders` and `ExposeHeaders` hold, in characters.
    pub const HEADER_LENGTH_LIMIT: usize = 1024;

    /// Renders the `Cors` settings of a policy with `front_door = true`, or says why they cannot
    /// be (see [the table above](Self#what-is-refused)).
    pub fn from_config(config: &CorsConfig) -> Result<Self, FrontDoorError> {
        let front_door = FrontDoor::FunctionUrl;
        let mut settings = settings(config, front_door)?;
        check_list(
            &settings.allow_origins,
            front_door,
            "AllowOrigins",
            Self::LIST_LIMIT,
            Self::ORIGIN_LENGTH_LIMIT,
        )?;
        let listed = settings.allow_methods.len();
        settings.allow_methods.retain(|method| method != "OPTIONS");
        if let Some(method) = settings
            .allow_methods
            .iter()
            .find(|method| *method != "*" && !Self::METHODS.contains(&method.as_str()))
        {
            return Err(FrontDoorError::UnsupportedMethod {
                front_door,
                method: method.clone(),
            });
        }
        if settings.allow_methods.is_empty() && listed > 0 {
            return Err(FrontDoorError::UnsupportedMethod {
                front_door,
                method: "OPTIONS".to_owned(),
            });
        }
        for (list, setting) in [
            (&settings.allow_headers, "AllowHeaders"),
            (&settings.expose_headers, "ExposeHeaders"),
        ] {
            check_list(
                list,
                front_door,
                setting,
                Self::LIST_LIMIT,
                Self::HEADER_LENGTH_LIMIT,
            )?;
        }
        check_max_age(&settings, front_door, Self::MAX_AGE_LIMIT)?;
        require_front_door(config, front_door)?;
        Ok(FunctionUrlCors { settings })
    }

    /// `AllowOrigins`: `["*"]` or the origins, as the policy writes them.
    pub fn allow_origins(&self) -> &[String] {
        &self.settings.allow_origins
    }

    /// `AllowMethods`: the policy's methods without `OPTIONS`, or `["*"]`.
    pub fn allow_methods(&self) -> &[String] {
        &self.settings.allow_methods
    }

    /// `AllowHeaders`: the policy's request headers, or `["*"]`.
    pub fn allow_headers(&self) -> &[String] {
        &self.settings.allow_headers
    }

    /// `ExposeHeaders`: the policy's exposed headers, possibly none.
    pub fn expose_headers(&self) -> &[String] {
        &self.settings.expose_headers
    }

    /// `AllowCredentials`.
    pub fn allow_credentials(&self) -> bool {
        self.settings.allow_credentials
    }

    /// `MaxAge`, in seconds, when the policy sets one (a function URL's default is 0).
    pub fn max_age(&self) -> Option<u32> {
        self.settings.max_age
    }

    /// `locals { <local_name> = { allow_origins = [...] ... max_age = ... } }`, the six
    /// attributes of `aws_lambda_function_url`'s `cors` block always present (`[]`, `false`,
    /// `null` when unset), formatted as `terraform fmt` formats them. Read it in a `dynamic
    /// "cors"` block, `for_each = condition ? [local.<local_name>] : []`, to make it switchable.
    pub fn to_terraform(&self, local_name: &str) -> String {
        self.settings.to_terraform(local_name)
    }

    /// `FunctionUrlConfig.Cors` as one YAML list item whose `- ` is indented by `indent` spaces:
    /// the true branch of `!If [Condition, <this>, !Ref AWS::NoValue]`. Keys in the order of
    /// [`SAM_KEYS`](Self::SAM_KEYS), each left out when it has no value.
    pub fn to_sam_yaml(&self, indent: usize) -> String {
        self.settings.to_sam_yaml(indent, Self::SAM_KEYS)
    }

    /// The `cors` props of the AWS CDK's `FunctionUrl` (`aws-cdk-lib/aws-lambda`,
    /// `FunctionUrlCorsOptions`) as a JSON object, keys in the order of
    /// [`CDK_KEYS`](Self::CDK_KEYS), each left out when it has no value. The app casts each
    /// method to `lambda.HttpMethod` and passes `maxAge` (seconds) as `Duration.seconds(maxAge)`.
    ///
    /// ```
    /// use cors_deploy::FunctionUrlCors;
    ///
    /// static POLICY: cors_runtime::CorsConfig = cors_runtime::cors_config!(
    ///     origin = "https://myapp.com",
    ///     methods = ["GET", "OPTIONS"],
    ///     credentials = true,
    ///     front_door = true,
    /// );
    /// let json = FunctionUrlCors::from_config(&POLICY)?.to_cdk_json();
    /// assert!(json.starts_with("{\n  \"allowedOrigins\": [\n    \"https://myapp.com\"\n  ],\n"));
    /// assert!(json.contains("\"allowedMethods\": [\n    \"GET\"\n  ],"));
    /// assert!(json.ends_with("\"allowCredentials\": true\n}"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_cdk_json(&self) -> String {
        self.settings.to_cdk_json(Self::CDK_KEYS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cors_runtime::cors_config;

    static FRONT_DOOR: CorsConfig = cors_config!(origin = "https://myapp.com", front_door = true);

    fn front_door() -> cors_runtime::CorsConfigBuilder {
        CorsConfig::builder().front_door(true)
    }

    fn both(config: &CorsConfig) -> [Result<(), FrontDoorError>; 2] {
        [
            HttpApiCors::from_config(config).map(drop),
            FunctionUrlCors::from_config(config).map(drop),
        ]
    }

    #[test]
    fn the_front_door_policy_renders_exactly() {
        let http = HttpApiCors::from_config(&FRONT_DOOR).expect("renders");
        assert_eq!(
            http.to_terraform("cors"),
            r#"locals {
  cors = {
    allow_origins     = ["https://myapp.com"]
    allow_methods     = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]
    allow_headers     = ["Content-Type", "X-Amz-Date", "Authorization", "X-Api-Key", "X-Amz-Security-Token"]
    expose_headers    = []
    allow_credentials = false
    max_age           = null
  }
}
"#
        );
        assert_eq!(
            http.to_sam_yaml(10),
            "          - allowOrigins:
              - https://myapp.com
            allowMethods:
              - DELETE
              - GET
              - HEAD
              - OPTIONS
              - PATCH
              - POST
              - PUT
            allowHeaders:
              - Content-Type
              - X-Amz-Date
              - Authorization
              - X-Api-Key
              - X-Amz-Security-Token
"
        );
        let url = FunctionUrlCors::from_config(&FRONT_DOOR).expect("renders");
        assert_eq!(
            url.to_terraform("cors"),
            http.to_terraform("cors").replace(r#""OPTIONS", "#, "")
        );
        assert_eq!(
            url.to_sam_yaml(10),
            http.to_sam_yaml(10)
                .replace("              - OPTIONS\n", "")
                .replace("- allow", "- Allow")
                .replace("  allow", "  Allow")
        );
    }

    #[test]
    fn every_setting_is_rendered_when_set() {
        let config = front_door()
            .allow_origins(["https://myapp.com", "capacitor://localhost"])
            .allow_methods(["GET", "OPTIONS"])
            .allow_headers(["content-type"])
            .expose_headers(["x-request-id", "etag"])
            .allow_credentials(true)
            .max_age(7200)
            .build()
            .expect("valid");
        let http = HttpApiCors::from_config(&config).expect("renders");
        assert_eq!(
            http.to_sam_yaml(0),
            "- allowOrigins:
    - https://myapp.com
    - capacitor://localhost
  allowMethods:
    - GET
    - OPTIONS
  allowHeaders:
    - content-type
  exposeHeaders:
    - x-request-id
    - etag
  allowCredentials: true
  maxAge: 7200
"
        );
        let url = FunctionUrlCors::from_config(&config).expect("renders");
        assert_eq!(
            url.to_terraform("url_cors"),
            r#"locals {
  url_cors = {
    allow_origins     = ["https://myapp.com", "capacitor://localhost"]
    allow_methods     = ["GET"]
    allow_headers     = ["content-type"]
    expose_headers    = ["x-request-id", "etag"]
    allow_credentials = true
    max_age           = 7200
  }
}
"#
        );
        assert!(url.allow_credentials());
        assert_eq!(url.max_age(), Some(7200));
        assert_eq!(url.expose_headers(), ["x-request-id", "etag"]);
    }

    #[test]
    fn stars_are_quoted_in_yaml() {
        let config = front_door()
            .allow_origin("*")
            .allow_methods(["*"])
            .allow_headers(["*"])
            .build()
            .expect("valid");
        let expected =
            "- AllowOrigins:\n    - '*'\n  AllowMethods:\n    - '*'\n  AllowHeaders:\n    - '*'\n";
        let url = FunctionUrlCors::from_config(&config).expect("renders");
        assert_eq!(url.to_sam_yaml(0), expected);
        assert_eq!(url.allow_methods(), ["*"]);
        let http = HttpApiCors::from_config(&config).expect("renders");
        assert_eq!(
            http.to_sam_yaml(0),
            expected
                .replace("- Allow", "- allow")
                .replace("  Allow", "  allow")
        );
    }

    #[test]
    fn a_policy_the_function_answers_is_refused() {
        let config = CorsConfig::builder()
            .allow_origin("https://myapp.com")
            .build()
            .expect("valid");
        for (front_door, result) in [FrontDoor::HttpApi, FrontDoor::FunctionUrl]
            .into_iter()
            .zip(both(&config))
        {
            let err = result.unwrap_err();
            assert_eq!(err, FrontDoorError::FunctionWritesHeaders { front_door });
            let message = err.to_string();
            assert!(message.contains("front_door = true"), "{message}");
            assert!(message.contains("Access-Control-Allow-Origin"), "{message}");
        }
        assert!(
            FunctionUrlCors::from_config(&config)
                .unwrap_err()
                .to_string()
                .contains("twice")
        );
        assert!(
            HttpApiCors::from_config(&config)
                .unwrap_err()
                .to_string()
                .contains("overridden")
        );
    }

    #[test]
    fn origin_env_and_origin_fn_are_refused() {
        static ENV: CorsConfig = cors_config!(origin_env = "CORS_DEPLOY_TEST_FRONT_DOOR_UNSET");
        for result in both(&ENV) {
            let err = result.unwrap_err();
            assert!(
                matches!(&err, FrontDoorError::OriginEnv { var, .. } if var == "CORS_DEPLOY_TEST_FRONT_DOOR_UNSET"),
                "{err:?}"
            );
            assert!(err.to_string().contains("build time"), "{err}");
        }
        let check = CorsConfig::builder()
            .allow_origin("https://myapp.com")
            .allow_origin_fn(|origin| origin.ends_with(".example"))
            .build()
            .expect("valid");
        for result in both(&check) {
            let err = result.unwrap_err();
            assert!(matches!(err, FrontDoorError::OriginFn { .. }), "{err:?}");
            assert!(err.to_string().contains("origin_fn"), "{err}");
        }
    }

    #[test]
    fn wildcards_and_port_wildcards_are_refused() {
        for (origin, form) in [
            ("https://*.myapp.com", OriginForm::LabelWildcard),
            (
                "https://pr-*.preview.myapp.com",
                OriginForm::InLabelWildcard,
            ),
            ("http://localhost:*", OriginForm::AnyLoopbackPort),
            ("http://127.0.0.1:*", OriginForm::AnyLoopbackPort),
        ] {
            let config = front_door()
                .allow_origins(["https://myapp.com", origin])
                .build()
                .expect("valid");
            for (front_door, result) in [FrontDoor::HttpApi, FrontDoor::FunctionUrl]
                .into_iter()
                .zip(both(&config))
            {
                let err = result.unwrap_err();
                assert_eq!(
                    err,
                    FrontDoorError::UnsupportedOrigin {
                        front_door,
                        origin: origin.to_owned(),
                        form,
                    }
                );
                assert!(err.to_string().contains(origin), "{err}");
            }
        }
        let http = HttpApiCors::from_config(
            &front_door()
                .allow_origin("https://*.myapp.com")
                .build()
                .expect("valid"),
        )
        .unwrap_err()
        .to_string();
        assert!(http.contains("`https://*` or `http://*`"), "{http}");
    }

    #[test]
    fn a_max_age_over_a_day_is_refused() {
        let config = front_door()
            .allow_origin("https://myapp.com")
            .max_age(86_401)
            .build()
            .expect("valid");
        for (front_door, result) in [FrontDoor::HttpApi, FrontDoor::FunctionUrl]
            .into_iter()
            .zip(both(&config))
        {
            let err = result.unwrap_err();
            assert_eq!(
                err,
                FrontDoorError::MaxAgeTooLarge {
                    front_door,
                    max_age: 86_401,
                    max: 86_400
                }
            );
            assert!(err.to_string().contains("Chromium at 7200"), "{err}");
        }
        let day = front_door()
            .allow_origin("https://myapp.com")
            .max_age(86_400)
            .build()
            .expect("valid");
        assert!(both(&day).iter().all(Result::is_ok));
    }

    #[test]
    fn function_url_methods() {
        for method in ["PURGE", "PROPFIND", "QUERY"] {
            let config = front_door()
                .allow_origin("https://myapp.com")
                .allow_methods(["GET", method])
                .build()
                .expect("valid");
            let err = FunctionUrlCors::from_config(&config).unwrap_err();
            assert_eq!(
                err,
                FrontDoorError::UnsupportedMethod {
                    front_door: FrontDoor::FunctionUrl,
                    method: method.to_owned()
                }
            );
            assert!(err.to_string().contains("OPTIONS is left out"), "{err}");
            // An HTTP API lists any method.
            assert!(HttpApiCors::from_config(&config).is_ok());
        }
        let only_options = front_door()
            .allow_origin("https://myapp.com")
            .allow_methods(["OPTIONS"])
            .build()
            .expect("valid");
        let err = FunctionUrlCors::from_config(&only_options).unwrap_err();
        assert!(matches!(
            &err,
            FrontDoorError::UnsupportedMethod { method, .. } if method == "OPTIONS"
        ));
        assert!(err.to_string().contains("only OPTIONS"), "{err}");
        let long = "X".repeat(65);
        let config = front_door()
            .allow_origin("https://myapp.com")
            .allow_methods(["GET", long.as_str()])
            .build()
            .expect("valid");
        assert_eq!(
            HttpApiCors::from_config(&config).unwrap_err(),
            FrontDoorError::TooLong {
                front_door: FrontDoor::HttpApi,
                setting: "allowMethods",
                value: long.clone(),
                max: 64
            }
        );
    }

    #[test]
    fn function_url_list_limits() {
        let origins: Vec<String> = (0..101)
            .map(|i| format!("https://a{i}.myapp.com"))
            .collect();
        let config = front_door().allow_origins(&origins).build().expect("valid");
        assert_eq!(
            FunctionUrlCors::from_config(&config).unwrap_err(),
            FrontDoorError::TooMany {
                front_door: FrontDoor::FunctionUrl,
                setting: "AllowOrigins",
                count: 101,
                max: 100
            }
        );
        assert!(HttpApiCors::from_config(&config).is_ok());
        let hundred = front_door()
            .allow_origins(&origins[..100])
            .build()
            .expect("valid");
        assert!(FunctionUrlCors::from_config(&hundred).is_ok());

        // A host of 250 characters (a host is at most 253), an origin of 258: too long for
        // AllowOrigins.
        let label = "a".repeat(63);
        let long = format!("https://{label}.{label}.{label}.{}.com", "b".repeat(54));
        let config = front_door()
            .allow_origin(long.as_str())
            .build()
            .expect("valid");
        let err = FunctionUrlCors::from_config(&config).unwrap_err();
        assert_eq!(
            err,
            FrontDoorError::TooLong {
                front_door: FrontDoor::FunctionUrl,
                setting: "AllowOrigins",
                value: long.clone(),
                max: 253
            }
        );
        assert!(err.to_string().contains("has 258"), "{err}");

        let headers: Vec<String> = (0..101).map(|i| format!("x-h{i}")).collect();
        for (config, setting) in [
            (
                front_door()
                    .allow_origin("https://myapp.com")
                    .allow_headers(&headers)
                    .build(),
                "AllowHeaders",
            ),
            (
                front_door()
                    .allow_origin("https://myapp.com")
                    .expose_headers(&headers)
                    .build(),
                "ExposeHeaders",
            ),
        ] {
            let err = FunctionUrlCors::from_config(&config.expect("valid")).unwrap_err();
            assert_eq!(
                err,
                FrontDoorError::TooMany {
                    front_door: FrontDoor::FunctionUrl,
                    setting,
                    count: 101,
                    max: 100
                }
            );
        }
        let long_header = "x".repeat(1025);
        let config = front_door()
            .allow_origin("https://myapp.com")
            .allow_headers([long_header.as_str()])
            .build()
            .expect("valid");
        assert!(matches!(
            FunctionUrlCors::from_config(&config).unwrap_err(),
            FrontDoorError::TooLong {
                setting: "AllowHeaders",
                max: 1024,
                ..
            }
        ));
    }
}
