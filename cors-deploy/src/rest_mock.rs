//! A REST API's MOCK `OPTIONS` integration: API Gateway answers preflights with static headers,
//! and the function, which never sees them, still writes the CORS headers of every actual
//! response.

use std::fmt::Write as _;

use cors_runtime::{AllowedOrigins, CorsConfig};

use crate::error::{FrontDoor, FrontDoorError};
use crate::render::{Json, hcl_string, write_hcl_attributes, write_hcl_map, yaml_string};

/// The `OPTIONS` method and MOCK integration that answer a REST API's preflights, on `{proxy+}`
/// and `/`, with the static CORS headers of the function's policy.
///
/// A REST API does nothing for CORS by itself: with the Lambda proxy integration the function
/// adds the headers to its responses, and `OPTIONS` goes wherever it is routed
/// ([API Gateway developer guide, "CORS for REST APIs"](https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-cors.html)).
/// By default the deployments route it to the function (`ANY`), which answers preflights from
/// the same policy. This renders the other choice: an explicit `OPTIONS` method, which takes
/// `OPTIONS` from `ANY` (`ANY` catches only the methods not declared,
/// [`x-amazon-apigateway-any-method`](https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-any-method.html)),
/// with a MOCK integration
/// ([mock integrations](https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-mock-integration.html))
/// whose `200` carries `Access-Control-Allow-Origin`, `-Allow-Methods`, `-Allow-Headers`, and
/// `-Allow-Credentials` and `-Max-Age` when the policy sets them. Preflights then cost no
/// invocation, and the method has no authorizer (a preflight carries no credentials).
///
/// The function still writes the headers of its actual responses: REST adds none. So the policy
/// needs no flag, and must not have `front_door = true`.
///
/// # What a MOCK can render
///
/// A MOCK's response headers are static values in single quotes, the same for every request. So:
///
/// | the policy | [`from_config`](Self::from_config) |
/// | --- | --- |
/// | one origin, `origin = "https://myapp.com"` (an app's origin too) | `Access-Control-Allow-Origin: 'https://myapp.com'` |
/// | `origin = "*"` | `Access-Control-Allow-Origin: '*'` |
/// | a list (even of one), a wildcard, a port wildcard | [`FrontDoorError::NotOneOrigin`]: the function echoes the origin it matches; let it answer preflights |
/// | `origin_env` | [`FrontDoorError::OriginEnv`]: read at cold start, rendered at build time |
/// | `origin_fn` | [`FrontDoorError::OriginFn`]: a check in code runs in the function only |
/// | `front_door = true` | [`FrontDoorError::FunctionWritesNoHeaders`]: actual responses would carry no CORS header |
/// | a method or header name with a `'` | [`FrontDoorError::UnquotableValue`] |
///
/// A MOCK answers every `OPTIONS` on its resources, a preflight from an origin the policy does
/// not allow included (the browser then compares the static origin with its own and refuses), and
/// an `OPTIONS` that is not a preflight too.
///
/// # Example
///
/// ```
/// use cors_deploy::{FrontDoorError, RestPreflightMock};
/// use cors_runtime::CorsConfig;
///
/// let policy = CorsConfig::builder()
///     .allow_origin("https://myapp.com")
///     .allow_methods(["GET", "PUT"])
///     .max_age(600)
///     .build()?;
/// let mock = RestPreflightMock::from_config(&policy)?;
/// assert_eq!(
///     mock.headers().collect::<Vec<_>>(),
///     [
///         ("Access-Control-Allow-Origin", "https://myapp.com"),
///         ("Access-Control-Allow-Methods", "GET,PUT"),
///         ("Access-Control-Allow-Headers", "Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token"),
///         ("Access-Control-Max-Age", "600"),
///     ]
/// );
///
/// let terraform = mock.to_terraform(
///     "aws_api_gateway_rest_api.api.id",
///     &[("proxy", "aws_api_gateway_resource.proxy.id")],
///     Some("var.preflight_by_front_door"),
/// );
/// assert!(terraform.contains("resource \"aws_api_gateway_integration\" \"cors_preflight_proxy\" {\n  count = var.preflight_by_front_door ? 1 : 0\n"));
/// assert!(terraform.contains(r#""method.response.header.Access-Control-Max-Age"       = "'600'""#));
///
/// let sam = mock.to_sam_yaml(0);
/// assert!(sam.starts_with("- summary: CORS preflight, answered by API Gateway (MOCK)\n"));
/// assert!(sam.contains(r#"method.response.header.Access-Control-Allow-Origin: "'https://myapp.com'""#));
///
/// // A list is matched per request by the function: a MOCK cannot.
/// let list = CorsConfig::builder()
///     .allow_origins(["https://myapp.com", "http://localhost:5173"])
///     .build()?;
/// assert!(matches!(RestPreflightMock::from_config(&list), Err(FrontDoorError::NotOneOrigin { .. })));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestPreflightMock {
    /// Header name and value (without the single quotes), in the order rendered.
    headers: Vec<(&'static str, String)>,
}

impl RestPreflightMock {
    /// The status of the MOCK's answer, as the API Gateway console's "Enable CORS" answers.
    pub const STATUS_CODE: &'static str = "200";

    /// The MOCK integration's `application/json` request template, which selects its status.
    pub const REQUEST_TEMPLATE: &'static str = r#"{"statusCode": 200}"#;

    /// The `summary` of the rendered OpenAPI operation.
    pub const SUMMARY: &'static str = "CORS preflight, answered by API Gateway (MOCK)";

    /// Renders the MOCK of a policy whose preflight answer does not vary on `Origin`: one
    /// literal origin or `*`, from a policy whose function writes the headers of actual
    /// responses (see [the table above](Self#what-a-mock-can-render)).
    pub fn from_config(config: &CorsConfig) -> Result<Self, FrontDoorError> {
        let front_door = FrontDoor::RestMock;
        if let Some(var) = config.origin_env() {
            return Err(FrontDoorError::OriginEnv {
                front_door,
                var: var.to_owned(),
            });
        }
        if config.checks_origins_in_code() {
            return Err(FrontDoorError::OriginFn { front_door });
        }
        let origin = match config.allowed_origins() {
            AllowedOrigins::Any => "*".to_owned(),
            AllowedOrigins::One(origin) => origin.to_owned(),
            _ => {
                return Err(FrontDoorError::NotOneOrigin {
                    origins: config.origins(),
                });
            }
        };
        if config.answered_by_front_door() {
            return Err(FrontDoorError::FunctionWritesNoHeaders);
        }
        let mut headers = vec![
            ("Access-Control-Allow-Origin", origin),
            (
                "Access-Control-Allow-Methods",
                config.method_names().to_string(),
            ),
            (
                "Access-Control-Allow-Headers",
                config.header_names().to_string(),
            ),
        ];
        if config.allows_credentials() {
            headers.push(("Access-Control-Allow-Credentials", "true".to_owned()));
        }
        if let Some(seconds) = config.max_age() {
            headers.push(("Access-Control-Max-Age", seconds.to_string()));
        }
        if let Some((header, value)) = headers.iter().find(|(_, value)| value.contains('\'')) {
            return Err(FrontDoorError::UnquotableValue {
                header,
                value: value.clone(),
            });
        }
        Ok(RestPreflightMock { headers })
    }

    /// The headers of the MOCK's answer: name and value (the value without the single quotes
    /// that make it static in API Gateway's syntax).
    pub fn headers(&self) -> impl Iterator<Item = (&str, &str)> {
        self.headers
            .iter()
            .map(|(name, value)| (*name, value.as_str()))
    }

    /// For each `(name, resource_id)` of `resources`, four resources named `cors_preflight_<name>`:
    /// the `OPTIONS` `aws_api_gateway_method` (no authorization), its MOCK
    /// `aws_api_gateway_integration`, the `aws_api_gateway_method_response` declaring the headers
    /// and the `aws_api_gateway_integration_response` giving their static values, formatted as
    /// `terraform fmt` formats them. `rest_api_id` and each `resource_id` are HCL expressions
    /// (`aws_api_gateway_rest_api.api.id`, `aws_api_gateway_resource.proxy.id`). With `enabled`,
    /// an HCL condition such as `var.preflight_by_front_door`, every resource has
    /// `count = <enabled> ? 1 : 0`.
    ///
    /// They take effect with the next deployment: let the deployment's `triggers` depend on them.
    pub fn to_terraform(
        &self,
        rest_api_id: &str,
        resources: &[(&str, &str)],
        enabled: Option<&str>,
    ) -> String {
        let mut out = String::new();
        let index = if enabled.is_some() { "[0]" } else { "" };
        let mut first = true;
        for &(name, resource_id) in resources {
            let name = format!("cors_preflight_{name}");
            let method = format!("aws_api_gateway_method.{name}{index}.http_method");
            let mut resource =
                |kind: &str, attributes: &[(&str, String)], tail: &dyn Fn(&mut String)| {
                    if !first {
                        out.push('\n');
                    }
                    first = false;
                    let _ = writeln!(out, "resource \"{kind}\" \"{name}\" {{");
                    if let Some(enabled) = enabled {
                        let _ = writeln!(out, "  count = {enabled} ? 1 : 0\n");
                    }
                    let mut all = vec![
                        ("rest_api_id", rest_api_id.to_owned()),
                        ("resource_id", resource_id.to_owned()),
                    ];
                    all.extend(attributes.iter().cloned());
                    write_hcl_attributes(&mut out, 2, &all);
                    tail(&mut out);
                    out.push_str("}\n");
                };
            resource(
                "aws_api_gateway_method",
                &[
                    ("http_method", hcl_string("OPTIONS")),
                    ("authorization", hcl_string("NONE")),
                ],
                &|_| {},
            );
            resource(
                "aws_api_gateway_integration",
                &[
                    ("http_method", method.clone()),
                    ("type", hcl_string("MOCK")),
                ],
                &|out| {
                    write_hcl_map(
                        out,
                        "request_templates",
                        &[(
                            hcl_string("application/json"),
                            hcl_string(Self::REQUEST_TEMPLATE),
                        )],
                    )
                },
            );
            let declared: Vec<(String, String)> = self
                .headers
                .iter()
                .map(|(header, _)| {
                    (
                        hcl_string(&format!("method.response.header.{header}")),
                        "false".to_owned(),
                    )
                })
                .collect();
            resource(
                "aws_api_gateway_method_response",
                &[
                    ("http_method", method.clone()),
                    ("status_code", hcl_string(Self::STATUS_CODE)),
                ],
                &|out| write_hcl_map(out, "response_parameters", &declared),
            );
            let values: Vec<(String, String)> = self
                .headers
                .iter()
                .map(|(header, value)| {
                    (
                        hcl_string(&format!("method.response.header.{header}")),
                        hcl_string(&format!("'{value}'")),
                    )
                })
                .collect();
            let integration = format!("aws_api_gateway_integration.{name}");
            resource(
                "aws_api_gateway_integration_response",
                &[
                    ("http_method", method.clone()),
                    (
                        "status_code",
                        format!("aws_api_gateway_method_response.{name}{index}.status_code"),
                    ),
                ],
                &|out| {
                    write_hcl_map(out, "response_parameters", &values);
                    let _ = writeln!(out, "\n  depends_on = [{integration}]");
                },
            );
        }
        out
    }

    /// The `options` operation of an OpenAPI 2.0 (Swagger) path, for a SAM
    /// `AWS::Serverless::Api`'s inline `DefinitionBody`, as one YAML list item whose `- ` is
    /// indented by `indent` spaces: the true branch of
    /// `options: !If [Condition, <this>, !Ref AWS::NoValue]`. Its `responses` declare the headers,
    /// its `x-amazon-apigateway-integration` is the MOCK with their static values.
    pub fn to_sam_yaml(&self, indent: usize) -> String {
        let mut lines = vec![
            format!("summary: {}", Self::SUMMARY),
            "responses:".to_owned(),
            format!("  \"{}\":", Self::STATUS_CODE),
            "    description: The preflight's answer, with the policy's CORS headers".to_owned(),
            "    headers:".to_owned(),
        ];
        for (header, _) in &self.headers {
            lines.push(format!("      {header}:"));
            lines.push("        type: string".to_owned());
        }
        lines.extend([
            "x-amazon-apigateway-integration:".to_owned(),
            "  type: mock".to_owned(),
            "  requestTemplates:".to_owned(),
            format!(
                "    application/json: {}",
                yaml_string(Self::REQUEST_TEMPLATE)
            ),
            "  responses:".to_owned(),
            "    default:".to_owned(),
            format!("      statusCode: \"{}\"", Self::STATUS_CODE),
            "      responseParameters:".to_owned(),
        ]);
        for (header, value) in &self.headers {
            lines.push(format!(
                "        method.response.header.{header}: {}",
                yaml_string(&format!("'{value}'"))
            ));
        }
        let mut out = String::new();
        for (i, line) in lines.iter().enumerate() {
            let marker = if i == 0 { "- " } else { "  " };
            let _ = writeln!(out, "{}{marker}{line}", " ".repeat(indent));
        }
        out
    }

    /// The MOCK as a JSON object for the AWS CDK: `integration`, the props of a
    /// `MockIntegration` (its request template and one integration response with the headers'
    /// static values, in single quotes), and `methodResponses`, the `OPTIONS` method's (the
    /// headers declared, not required), for `resource.addMethod("OPTIONS", new
    /// MockIntegration(integration), { methodResponses, authorizationType: NONE })`.
    ///
    /// ```
    /// use cors_deploy::RestPreflightMock;
    ///
    /// let policy = cors_runtime::CorsConfig::builder().allow_origin("*").build()?;
    /// let json = RestPreflightMock::from_config(&policy)?.to_cdk_json();
    /// assert!(json.contains(r#""method.response.header.Access-Control-Allow-Origin": "'*'""#));
    /// assert!(json.contains(r#""method.response.header.Access-Control-Allow-Origin": false"#));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_cdk_json(&self) -> String {
        let parameter = |header: &str| format!("method.response.header.{header}");
        let values: Vec<(String, String)> = self
            .headers
            .iter()
            .map(|(header, value)| (parameter(header), format!("'{value}'")))
            .collect();
        let declared = self
            .headers
            .iter()
            .map(|(header, _)| (parameter(header), Json::Bool(false)))
            .collect();
        let status = || {
            (
                "statusCode".to_owned(),
                Json::Str(Self::STATUS_CODE.to_owned()),
            )
        };
        Json::Obj(vec![
            (
                "integration".to_owned(),
                Json::Obj(vec![
                    (
                        "requestTemplates".to_owned(),
                        Json::string_map(&[("application/json", Self::REQUEST_TEMPLATE)]),
                    ),
                    (
                        "integrationResponses".to_owned(),
                        Json::Arr(vec![Json::Obj(vec![
                            status(),
                            ("responseParameters".to_owned(), Json::string_map(&values)),
                        ])]),
                    ),
                ]),
            ),
            (
                "methodResponses".to_owned(),
                Json::Arr(vec![Json::Obj(vec![
                    status(),
                    ("responseParameters".to_owned(), Json::Obj(declared)),
                ])]),
            ),
        ])
        .pretty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cors_runtime::cors_config;

    static MINIMAL: CorsConfig = cors_config!(origin = "https://myapp.com");

    fn headers(mock: &RestPreflightMock) -> Vec<(&str, &str)> {
        mock.headers().collect()
    }

    #[test]
    fn the_minimal_policy_renders_exactly() {
        let mock = RestPreflightMock::from_config(&MINIMAL).expect("renders");
        assert_eq!(
            headers(&mock),
            [
                ("Access-Control-Allow-Origin", "https://myapp.com"),
                (
                    "Access-Control-Allow-Methods",
                    "DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT"
                ),
                (
                    "Access-Control-Allow-Headers",
                    "Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token"
                ),
            ]
        );
        let terraform = mock.to_terraform(
            "aws_api_gateway_rest_api.api.id",
            &[("root", "aws_api_gateway_rest_api.api.root_resource_id")],
            Some("var.preflight_by_front_door"),
        );
        assert_eq!(
            terraform,
            r#"resource "aws_api_gateway_method" "cors_preflight_root" {
  count = var.preflight_by_front_door ? 1 : 0

  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_rest_api.api.root_resource_id
  http_method   = "OPTIONS"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "cors_preflight_root" {
  count = var.preflight_by_front_door ? 1 : 0

  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = aws_api_gateway_rest_api.api.root_resource_id
  http_method = aws_api_gateway_method.cors_preflight_root[0].http_method
  type        = "MOCK"

  request_templates = {
    "application/json" = "{\"statusCode\": 200}"
  }
}

resource "aws_api_gateway_method_response" "cors_preflight_root" {
  count = var.preflight_by_front_door ? 1 : 0

  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = aws_api_gateway_rest_api.api.root_resource_id
  http_method = aws_api_gateway_method.cors_preflight_root[0].http_method
  status_code = "200"

  response_parameters = {
    "method.response.header.Access-Control-Allow-Origin"  = false
    "method.response.header.Access-Control-Allow-Methods" = false
    "method.response.header.Access-Control-Allow-Headers" = false
  }
}

resource "aws_api_gateway_integration_response" "cors_preflight_root" {
  count = var.preflight_by_front_door ? 1 : 0

  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = aws_api_gateway_rest_api.api.root_resource_id
  http_method = aws_api_gateway_method.cors_preflight_root[0].http_method
  status_code = aws_api_gateway_method_response.cors_preflight_root[0].status_code

  response_parameters = {
    "method.response.header.Access-Control-Allow-Origin"  = "'https://myapp.com'"
    "method.response.header.Access-Control-Allow-Methods" = "'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT'"
    "method.response.header.Access-Control-Allow-Headers" = "'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token'"
  }

  depends_on = [aws_api_gateway_integration.cors_preflight_root]
}
"#
        );
        assert_eq!(
            mock.to_sam_yaml(14),
            r#"              - summary: CORS preflight, answered by API Gateway (MOCK)
                responses:
                  "200":
                    description: The preflight's answer, with the policy's CORS headers
                    headers:
                      Access-Control-Allow-Origin:
                        type: string
                      Access-Control-Allow-Methods:
                        type: string
                      Access-Control-Allow-Headers:
                        type: string
                x-amazon-apigateway-integration:
                  type: mock
                  requestTemplates:
                    application/json: '{"statusCode": 200}'
                  responses:
                    default:
                      statusCode: "200"
                      responseParameters:
                        method.response.header.Access-Control-Allow-Origin: "'https://myapp.com'"
                        method.response.header.Access-Control-Allow-Methods: "'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT'"
                        method.response.header.Access-Control-Allow-Headers: "'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token'"
"#
        );
    }

    #[test]
    fn without_a_condition_nothing_is_counted() {
        let mock = RestPreflightMock::from_config(&MINIMAL).expect("renders");
        let terraform = mock.to_terraform(
            "aws_api_gateway_rest_api.api.id",
            &[
                ("proxy", "aws_api_gateway_resource.proxy.id"),
                ("root", "aws_api_gateway_rest_api.api.root_resource_id"),
            ],
            None,
        );
        assert!(!terraform.contains("count"));
        assert!(!terraform.contains("[0]"));
        assert_eq!(terraform.matches("resource \"").count(), 8);
        assert!(
            terraform.contains(
                "  http_method = aws_api_gateway_method.cors_preflight_proxy.http_method\n"
            )
        );
    }

    #[test]
    fn star_credentials_and_max_age() {
        let star = CorsConfig::builder()
            .allow_origin("*")
            .max_age(7200)
            .build()
            .expect("valid");
        let mock = RestPreflightMock::from_config(&star).expect("renders");
        assert_eq!(headers(&mock)[0], ("Access-Control-Allow-Origin", "*"));
        assert_eq!(headers(&mock)[3], ("Access-Control-Max-Age", "7200"));
        let credentials = CorsConfig::builder()
            .allow_origin("capacitor://localhost")
            .allow_credentials(true)
            .build()
            .expect("valid");
        let mock = RestPreflightMock::from_config(&credentials).expect("renders");
        assert_eq!(
            headers(&mock)[0],
            ("Access-Control-Allow-Origin", "capacitor://localhost")
        );
        assert_eq!(
            headers(&mock)[3],
            ("Access-Control-Allow-Credentials", "true")
        );
        assert!(mock.to_sam_yaml(0).contains(
            "      method.response.header.Access-Control-Allow-Credentials: \"'true'\"\n"
        ));
    }

    #[test]
    fn lists_and_wildcards_are_refused() {
        for origins in [
            &["https://myapp.com", "http://localhost:5173"][..],
            &["https://myapp.com"][..],
            &["https://*.myapp.com"][..],
            &["http://localhost:*"][..],
            &["https://myapp.com", "capacitor://localhost"][..],
        ] {
            let config = CorsConfig::builder()
                .allow_origins(origins.iter().copied())
                .build()
                .expect("valid");
            let err = RestPreflightMock::from_config(&config).unwrap_err();
            assert_eq!(
                err,
                FrontDoorError::NotOneOrigin {
                    origins: origins.iter().map(|o| o.to_string()).collect()
                }
            );
            let message = err.to_string();
            assert!(message.contains("single quotes"), "{message}");
            assert!(message.contains("ANY routes OPTIONS"), "{message}");
        }
        let wildcard = CorsConfig::builder()
            .allow_origin("https://pr-*.preview.myapp.com")
            .build()
            .expect("valid");
        assert!(matches!(
            RestPreflightMock::from_config(&wildcard),
            Err(FrontDoorError::NotOneOrigin { .. })
        ));
    }

    #[test]
    fn env_check_and_front_door_are_refused() {
        static ENV: CorsConfig = cors_config!(origin_env = "CORS_DEPLOY_TEST_MOCK_UNSET");
        assert_eq!(
            RestPreflightMock::from_config(&ENV).unwrap_err(),
            FrontDoorError::OriginEnv {
                front_door: FrontDoor::RestMock,
                var: "CORS_DEPLOY_TEST_MOCK_UNSET".to_owned()
            }
        );
        let check = CorsConfig::builder()
            .allow_origin("https://myapp.com")
            .allow_origin_fn(|_| false)
            .build()
            .expect("valid");
        assert_eq!(
            RestPreflightMock::from_config(&check).unwrap_err(),
            FrontDoorError::OriginFn {
                front_door: FrontDoor::RestMock
            }
        );
        static FRONT_DOOR: CorsConfig =
            cors_config!(origin = "https://myapp.com", front_door = true);
        let err = RestPreflightMock::from_config(&FRONT_DOOR).unwrap_err();
        assert_eq!(err, FrontDoorError::FunctionWritesNoHeaders);
        assert!(err.to_string().contains("leave `front_door` out"), "{err}");
    }

    #[test]
    fn a_single_quote_cannot_be_carried() {
        let config = CorsConfig::builder()
            .allow_origin("https://myapp.com")
            .allow_headers(["x-it's"])
            .build()
            .expect("valid");
        assert_eq!(
            RestPreflightMock::from_config(&config).unwrap_err(),
            FrontDoorError::UnquotableValue {
                header: "Access-Control-Allow-Headers",
                value: "x-it's".to_owned()
            }
        );
    }
}
