//! The event JSON of every integration, from the fixtures in `fixtures/events` (copied from
//! `aws_lambda_events` and `lambda_http`), with a case's method, path and headers written in: what
//! the Runtime-API suites feed the example binaries and the typed handlers.

use std::path::Path;

use serde_json::{Map, Value, json};

/// Every integration, each with its own event format and response format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// API Gateway REST API, Lambda proxy integration (payload v1): `headers` and
    /// `multiValueHeaders` in, either or both out.
    RestApi,
    /// API Gateway HTTP API (payload v2): `headers` (repeated values joined by commas) and
    /// `cookies`.
    HttpApi,
    /// Lambda function URL (payload v2, its own request context).
    FunctionUrl,
    /// ALB target group, multi-value headers off: reads the response's `headers`.
    Alb,
    /// ALB target group, multi-value headers on: reads the response's `multiValueHeaders`.
    AlbMultiValue,
}

/// Every format, in the order the suites report them.
pub const FORMATS: [Format; 5] = [
    Format::RestApi,
    Format::HttpApi,
    Format::FunctionUrl,
    Format::Alb,
    Format::AlbMultiValue,
];

impl Format {
    /// The fixture the format's events are made from.
    pub fn fixture(self) -> &'static str {
        match self {
            Format::RestApi => "example-apigw-request.json",
            Format::HttpApi => "example-apigw-v2-request-no-authorizer.json",
            Format::FunctionUrl => "lambda_function_url_request.json",
            Format::Alb => "example-alb-lambda-target-request-headers-only.json",
            Format::AlbMultiValue => "example-alb-lambda-target-request-multivalue-headers.json",
        }
    }

    /// The format's fixture, turned into a `method` request for `path` with `headers` (each
    /// `(name, value)` pair one header line: a name twice is a repeated header; a `cookie` header
    /// goes where the format carries cookies). Every header of the fixture that would change a
    /// case is removed first: `Origin`, `Access-Control-*`, `Sec-Fetch-*`, `Cookie`,
    /// `Content-Length`, and the case's own. Header names keep their case in REST API events; the
    /// other integrations lower-case them.
    pub fn event(self, method: &str, path: &str, headers: &[(&str, &str)]) -> Value {
        let headers: Vec<(String, &str)> = headers
            .iter()
            .map(|&(name, value)| match self {
                Format::RestApi => (name.to_owned(), value),
                _ => (name.to_ascii_lowercase(), value),
            })
            .collect();
        let file = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/events")
            .join(self.fixture());
        let text = std::fs::read_to_string(&file)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
        let mut event: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{} is not JSON: {e}", file.display()));
        let ours = |name: &str| {
            let lower = name.to_ascii_lowercase();
            lower.starts_with("origin")
                || lower.starts_with("access-control-")
                || lower.starts_with("sec-fetch-")
                || lower == "cookie"
                || lower == "content-length"
                || headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name))
        };
        match self {
            Format::RestApi | Format::Alb | Format::AlbMultiValue => {
                event["httpMethod"] = json!(method);
                event["path"] = json!(path);
                event["body"] = Value::Null;
                event["isBase64Encoded"] = json!(false);
                if self == Format::RestApi {
                    event["requestContext"]["httpMethod"] = json!(method);
                    event["requestContext"]["path"] = json!(path);
                }
                // REST APIs send both maps; ALB sends the one its target group is set to.
                let (single, multi) = match self {
                    Format::RestApi => (true, true),
                    Format::Alb => (true, false),
                    _ => (false, true),
                };
                if single {
                    let map = object(&mut event, "headers");
                    map.retain(|name, _| !ours(name));
                    for (name, value) in &headers {
                        // A repeated header keeps its last value in the single-value map.
                        map.insert(name.clone(), json!(value));
                    }
                }
                if multi {
                    let map = object(&mut event, "multiValueHeaders");
                    map.retain(|name, _| !ours(name));
                    for (name, value) in &headers {
                        let values = map.entry(name.as_str()).or_insert_with(|| json!([]));
                        values.as_array_mut().expect("an array").push(json!(value));
                    }
                }
            }
            Format::HttpApi | Format::FunctionUrl => {
                event["requestContext"]["http"]["method"] = json!(method);
                event["requestContext"]["http"]["path"] = json!(path);
                event["rawPath"] = json!(path);
                event["rawQueryString"] = json!("");
                event.as_object_mut().expect("an object").remove("cookies");
                let map = object(&mut event, "headers");
                map.retain(|name, _| !ours(name));
                let mut cookies = Vec::new();
                for (name, value) in &headers {
                    if name == "cookie" {
                        cookies.extend(value.split("; ").map(str::to_owned));
                        continue;
                    }
                    // Payload v2 joins a repeated header's values with commas.
                    let joined = match map.get(name).and_then(Value::as_str) {
                        Some(before) => format!("{before},{value}"),
                        None => (*value).to_owned(),
                    };
                    map.insert(name.clone(), json!(joined));
                }
                if !cookies.is_empty() {
                    event["cookies"] = json!(cookies);
                }
            }
        }
        event
    }
}

/// The object under `key` of `event`, made an empty one when absent or `null`.
pub fn object<'v>(event: &'v mut Value, key: &str) -> &'v mut Map<String, Value> {
    let root = event.as_object_mut().expect("an event is an object");
    let entry = root.entry(key).or_insert_with(|| json!({}));
    if entry.is_null() {
        *entry = json!({});
    }
    entry.as_object_mut().expect("a header map is an object")
}
