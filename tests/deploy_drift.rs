//! The deployment templates under `examples/deploy` say what the code renders.
//!
//! Every generated part of the six deployments is rendered by `cors-deploy` from the policy of
//! the binary it goes with, and compared byte for byte:
//!
//! | deployment | generated part | renderer | policy |
//! | --- | --- | --- | --- |
//! | `terraform` | `gateway_responses.tf` | [`GatewayResponses::to_terraform`] | `minimal`'s attribute |
//! | `terraform` | `cors_preflight.tf` (when `var.preflight_by_front_door`) | [`RestPreflightMock::to_terraform`] | `minimal`'s attribute |
//! | `sam` | the `GatewayResponses` region | [`GatewayResponses::to_sam_yaml`] | `minimal`'s attribute |
//! | `sam` | the two `RestPreflightMock` regions (`/{proxy+}`, `/`) | [`RestPreflightMock::to_sam_yaml`] | `minimal`'s attribute |
//! | `terraform-http-api` | `cors.tf` | [`HttpApiCors::to_terraform`] | `FRONT_DOOR_CORS` |
//! | `sam-http-api` | the `x-amazon-apigateway-cors` region | [`HttpApiCors::to_sam_yaml`] | `FRONT_DOOR_CORS` |
//! | `terraform-function-url` | `cors.tf` | [`FunctionUrlCors::to_terraform`] | `FRONT_DOOR_CORS` |
//! | `sam-function-url` | the `FunctionUrlConfig.Cors` region | [`FunctionUrlCors::to_sam_yaml`] | `FRONT_DOOR_CORS` |
//! | `cdk` | `lib/cors.generated.json`: `restApi` | [`GatewayResponses::to_cdk_json`], [`RestPreflightMock::to_cdk_json`] | `minimal`'s attribute |
//! | `cdk` | `lib/cors.generated.json`: `httpApi`, `functionUrl` | [`HttpApiCors::to_cdk_json`], [`FunctionUrlCors::to_cdk_json`] | `FRONT_DOOR_CORS` |
//!
//! The tests also fail when the examples' sources no longer say the policies built here
//! (`examples/src/bin/minimal.rs`'s attribute, `examples/src/cors.rs`'s `FRONT_DOOR_CORS`, the
//! `front-door` binary naming it), or when the deployments no longer deploy the binary of each
//! mode. `UPDATE_DEPLOY=1` rewrites the generated parts instead of comparing them.
//!
//! The names this file shares with the deployment checks of `scripts/validate-deploy.sh`
//! (`scripts/deploy_check`): the sources and binaries, the generated files, the markers of a
//! generated region, the update command, are read from one file, `tests/fixtures/deploy.json`.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use cors_deploy::{FunctionUrlCors, GatewayResponses, HttpApiCors, RestPreflightMock};
use cors_runtime::{CorsConfig, cors_config};

/// `minimal`'s attribute, exactly as written there; [`minimal_policy`] builds the same policy.
const ATTRIBUTE: &str = r#"#[cors_handler(origin = "https://myapp.com")]"#;
/// How the `front-door` binary serves `minimal`'s handler under `FRONT_DOOR_CORS`.
const FRONT_DOOR_ATTRIBUTE: &str = "#[cors_handler(config = cors_examples::cors::FRONT_DOOR_CORS)]";

const REST_API_ID: &str = "aws_api_gateway_rest_api.api.id";
/// The resources the MOCK goes on, as `cors_preflight_<name>`.
const REST_RESOURCES: [(&str, &str); 2] = [
    ("proxy", "aws_api_gateway_resource.proxy.id"),
    ("root", "aws_api_gateway_rest_api.api.root_resource_id"),
];
const REST_PREFLIGHT_SWITCH: &str = "var.preflight_by_front_door";

/// What this file and the deployment checks (`scripts/deploy_check`, run by
/// `scripts/validate-deploy.sh`) both rely on, written down once: the sources and binaries of the
/// two modes, the generated files, the markers of a generated region, the update command.
const SHARED: &str = "tests/fixtures/deploy.json";

/// [`SHARED`], as read.
struct Shared {
    /// The REST deployments' function (`minimal`), relative to the workspace root.
    function_source: &'static str,
    /// Its binary's name: what `cargo lambda build --bin` builds and the templates package.
    function_binary: &'static str,
    /// The binary of the front-door modes: `minimal`'s handler under `FRONT_DOOR_CORS`.
    front_door_source: &'static str,
    front_door_binary: &'static str,
    /// The shared policies, where `FRONT_DOOR_CORS` is defined.
    policies: &'static str,
    update_command: &'static str,
    /// The markers of a generated region of a SAM template (a label in parentheses follows each
    /// when a template has regions of several kinds).
    begin: &'static str,
    end: &'static str,
    rest_terraform_gateway: &'static str,
    rest_terraform_preflight: &'static str,
    rest_sam_path: &'static str,
    http_terraform: &'static str,
    http_sam: &'static str,
    url_terraform: &'static str,
    url_sam: &'static str,
    /// What the CDK app (`examples/deploy/cdk`) reads: every part, for the three stacks.
    cdk_json: &'static str,
}

fn shared() -> &'static Shared {
    static READ: LazyLock<Shared> = LazyLock::new(|| {
        let value: serde_json::Value =
            serde_json::from_str(&read(SHARED)).unwrap_or_else(|e| panic!("{SHARED}: {e}"));
        let text = |pointer: &str| -> &'static str {
            let text = value
                .pointer(pointer)
                .and_then(serde_json::Value::as_str)
                .unwrap_or_else(|| panic!("{SHARED} has no string at {pointer}"));
            String::leak(text.to_owned())
        };
        Shared {
            function_source: text("/sources/function"),
            function_binary: text("/binaries/function"),
            front_door_source: text("/sources/frontDoor"),
            front_door_binary: text("/binaries/frontDoor"),
            policies: text("/sources/policies"),
            update_command: text("/updateCommand"),
            begin: text("/markers/begin"),
            end: text("/markers/end"),
            rest_terraform_gateway: text("/generated/restTerraformGatewayResponses"),
            rest_terraform_preflight: text("/generated/restTerraformPreflightMock"),
            rest_sam_path: text("/generated/restSam"),
            http_terraform: text("/generated/httpApiTerraform"),
            http_sam: text("/generated/httpApiSam"),
            url_terraform: text("/generated/functionUrlTerraform"),
            url_sam: text("/generated/functionUrlSam"),
            cdk_json: text("/generated/cdk"),
        }
    });
    &READ
}

/// A generated region of a SAM template: the lines strictly between these two (trimmed) lines.
struct Region {
    begin: String,
    end: String,
}

/// The markers of the regions of one kind: `label`, in parentheses, tells kinds apart in a
/// template that holds several.
fn region(label: Option<&str>) -> Region {
    let suffix = label.map_or_else(String::new, |label| format!(" ({label})"));
    Region {
        begin: format!("{}{suffix}", shared().begin),
        end: format!("{}{suffix}", shared().end),
    }
}

/// The policy of [`ATTRIBUTE`], built at run time.
fn minimal_policy() -> CorsConfig {
    CorsConfig::builder()
        .allow_origin("https://myapp.com")
        .build()
        .expect("the deployed example's configuration is valid")
}

/// A policy's definition as Rust tokens, and the policy those tokens build.
struct NamedPolicy {
    text: &'static str,
    config: &'static CorsConfig,
}

/// `NAME = <tokens>`: the tokens as text, and a `static` built from them by `cors_config!`.
macro_rules! named_policy {
    ($($policy:tt)+) => {
        NamedPolicy {
            text: stringify!($($policy)+),
            config: {
                static POLICY: CorsConfig = $($policy)+;
                &POLICY
            },
        }
    };
}

/// `FRONT_DOOR_CORS`, as the policies' source (`examples/src/cors.rs`) must define it.
fn front_door_policy() -> NamedPolicy {
    named_policy!(cors_config!(
        origin = "https://myapp.com",
        front_door = true
    ))
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is inside the workspace")
        .to_path_buf()
}

fn read(relative: &str) -> String {
    let path = workspace().join(relative);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

fn updating() -> bool {
    std::env::var_os("UPDATE_DEPLOY").is_some_and(|v| v == "1")
}

fn without_whitespace(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// `FRONT_DOOR_CORS`'s initializer in the policies' source, its whitespace collapsed to single
/// spaces.
fn front_door_definition() -> String {
    let Shared { policies, .. } = shared();
    let source = read(policies);
    let start = "pub static FRONT_DOOR_CORS: CorsConfig =";
    assert_eq!(
        source.matches(start).count(),
        1,
        "{policies} must define `{start} ...;` once"
    );
    let after = &source[source.find(start).expect("counted") + start.len()..];
    let definition = &after[..after.find(';').expect("the static ends with `;`")];
    definition.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Compares `relative` with `expected`, or rewrites it when `UPDATE_DEPLOY=1`.
fn check_or_update(relative: &str, expected: &str, policy: &str) {
    let Shared { update_command, .. } = shared();
    let actual = match fs::read_to_string(workspace().join(relative)) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && updating() => String::new(),
        _ => read(relative),
    };
    if actual == expected {
        return;
    }
    if updating() {
        let path = workspace().join(relative);
        fs::write(&path, expected).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
        eprintln!("rewrote {relative}");
        return;
    }
    let first_difference = actual
        .lines()
        .zip(expected.lines())
        .position(|(a, e)| a != e)
        .map_or_else(
            || actual.lines().count().min(expected.lines().count()) + 1,
            |i| i + 1,
        );
    panic!(
        "{relative} has drifted from what cors-deploy renders for {policy}; first difference at \
         line {first_difference}.\n\
         The generated parts are not edited by hand: change the policy in the code (and its copy \
         in tests/deploy_drift.rs), then run\n    {update_command}\n\
         to rewrite them, and review the diff.\n\
         --- expected ---\n{expected}\n--- actual ---\n{actual}"
    );
}

/// `template` with the lines between each of `region`'s markers (`count` of them) replaced by
/// `render(indent)`, the indentation of the `BEGIN` marker.
fn with_regions(
    where_: &str,
    template: &str,
    region: &Region,
    count: usize,
    render: impl Fn(usize) -> String,
) -> String {
    let lines: Vec<&str> = template.split_inclusive('\n').collect();
    let mut out = String::new();
    let mut found = 0;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        out.push_str(line);
        i += 1;
        if line.trim() == region.end {
            panic!("{where_}: `{}` without its `{}`", region.end, region.begin);
        }
        if line.trim() != region.begin {
            continue;
        }
        found += 1;
        let end = lines[i..]
            .iter()
            .position(|l| l.trim() == region.end)
            .map(|offset| i + offset)
            .unwrap_or_else(|| panic!("{where_}: `{}` has no `{}`", region.begin, region.end));
        assert!(
            !lines[i..end].iter().any(|l| l.trim() == region.begin),
            "{where_}: two `{}` lines without an `{}` between them",
            region.begin,
            region.end
        );
        out.push_str(&render(line.len() - line.trim_start().len()));
        out.push_str(lines[end]);
        i = end + 1;
    }
    assert_eq!(
        found, count,
        "{where_}: expected {count} region(s) between `{}` and `{}`",
        region.begin, region.end
    );
    out
}

fn gateway_responses() -> GatewayResponses {
    GatewayResponses::from_config(&minimal_policy())
        .expect("the deployed example's configuration renders as gateway responses")
}

fn preflight_mock() -> RestPreflightMock {
    RestPreflightMock::from_config(&minimal_policy())
        .expect("the deployed example's configuration renders as a MOCK OPTIONS integration")
}

fn http_api_cors() -> HttpApiCors {
    HttpApiCors::from_config(front_door_policy().config)
        .expect("FRONT_DOOR_CORS renders as an HTTP API CORS configuration")
}

fn function_url_cors() -> FunctionUrlCors {
    FunctionUrlCors::from_config(front_door_policy().config)
        .expect("FRONT_DOOR_CORS renders as a function URL's Cors")
}

fn minimal_described() -> String {
    let Shared {
        function_source, ..
    } = shared();
    format!("{function_source}: {ATTRIBUTE}")
}

fn front_door_described() -> String {
    let Shared { policies, .. } = shared();
    format!("{policies}: FRONT_DOOR_CORS = {}", front_door_definition())
}

fn rest_terraform_gateway() -> String {
    let Shared { update_command, .. } = shared();
    format!(
        "# Generated by cors-deploy (GatewayResponses::to_terraform) from the CORS configuration of\n\
         # {}\n\
         # DO NOT EDIT. Change that attribute (and tests/deploy_drift.rs), then run\n\
         #   {update_command}\n\
         \n{}",
        minimal_described(),
        gateway_responses().to_terraform(REST_API_ID)
    )
}

fn rest_terraform_preflight() -> String {
    let Shared { update_command, .. } = shared();
    format!(
        "# Generated by cors-deploy (RestPreflightMock::to_terraform) from the CORS configuration of\n\
         # {}\n\
         # DO NOT EDIT. Used only when {REST_PREFLIGHT_SWITCH} is true. Change that attribute (and\n\
         # tests/deploy_drift.rs), then run\n\
         #   {update_command}\n\
         \n{}",
        minimal_described(),
        preflight_mock().to_terraform(REST_API_ID, &REST_RESOURCES, Some(REST_PREFLIGHT_SWITCH))
    )
}

fn rest_sam(template: &str) -> String {
    let template = with_regions(
        shared().rest_sam_path,
        template,
        &region(Some("GatewayResponses")),
        1,
        |indent| gateway_responses().to_sam_yaml(indent),
    );
    with_regions(
        shared().rest_sam_path,
        &template,
        &region(Some("RestPreflightMock")),
        2,
        |indent| preflight_mock().to_sam_yaml(indent),
    )
}

/// `cors.tf`: three comment lines, a blank line, `locals { cors = {...} }`.
fn front_door_terraform(block: &str, locals: String) -> String {
    format!(
        "# Generated by cors-deploy from the CORS configuration of\n\
         # {}\n\
         # DO NOT EDIT. Used only when var.cors_by_front_door is true (main.tf, dynamic \"{block}\").\n\
         \n{locals}",
        front_door_described()
    )
}

/// A JSON string.
fn json_string(text: &str) -> String {
    serde_json::to_string(text).expect("a string serializes")
}

/// The CDK app's `lib/cors.generated.json`: a JSON object holding each part as `cors-deploy`
/// renders it (two spaces a level, as `JSON.stringify(value, null, 2)` writes), each deployment
/// with the policy it comes from.
fn cdk_json() -> String {
    let Shared { update_command, .. } = shared();
    // A rendered value nested `levels` deep.
    let nested =
        |json: String, levels: usize| json.replace('\n', &format!("\n{}", "  ".repeat(levels)));
    let comment = format!(
        "Generated by cors-deploy (to_cdk_json) from the policies in code. DO NOT EDIT. Change \
         the policies (and tests/deploy_drift.rs), then run {update_command}"
    );
    format!(
        "{{\n  \"comment\": {},\n  \"restApi\": {{\n    \"policy\": {},\n    \
         \"gatewayResponses\": {},\n    \"preflightMock\": {}\n  }},\n  \"httpApi\": {{\n    \
         \"policy\": {},\n    \"corsPreflight\": {}\n  }},\n  \"functionUrl\": {{\n    \
         \"policy\": {},\n    \"cors\": {}\n  }}\n}}\n",
        json_string(&comment),
        json_string(&minimal_described()),
        nested(gateway_responses().to_cdk_json(), 2),
        nested(preflight_mock().to_cdk_json(), 2),
        json_string(&front_door_described()),
        nested(http_api_cors().to_cdk_json(), 2),
        json_string(&front_door_described()),
        nested(function_url_cors().to_cdk_json(), 2),
    )
}

#[test]
fn the_examples_have_the_rendered_policies() {
    let Shared {
        front_door_source,
        function_source,
        policies,
        update_command,
        ..
    } = shared();
    let minimal = read(function_source);
    assert_eq!(
        minimal.matches(ATTRIBUTE).count(),
        1,
        "{function_source} no longer has the attribute `{ATTRIBUTE}` whose configuration the \
         REST deployments carry: update ATTRIBUTE and minimal_policy() in tests/deploy_drift.rs to \
         the new configuration, then run `{update_command}`"
    );
    assert_eq!(
        minimal.matches("#[cors_handler").count(),
        1,
        "{function_source} has more than one #[cors_handler]: the templates deploy one \
         configuration"
    );

    let policy = front_door_policy();
    assert_eq!(
        without_whitespace(&front_door_definition()),
        without_whitespace(policy.text),
        "{policies}'s FRONT_DOOR_CORS is no longer `{}`, the policy the front-door deployments \
         carry: update front_door_policy() in tests/deploy_drift.rs to the new definition, then \
         run `{update_command}`",
        policy.text
    );
    assert!(policy.config.answered_by_front_door());

    let front_door = read(front_door_source);
    assert_eq!(
        front_door.matches(FRONT_DOOR_ATTRIBUTE).count(),
        1,
        "{front_door_source} must serve its handler under `{FRONT_DOOR_ATTRIBUTE}`"
    );
    assert_eq!(front_door.matches("#[cors_handler").count(), 1);
    let handler = |source: &str| {
        let start = source
            .find("async fn handler")
            .expect("the example has an async fn handler");
        source[start..].to_owned()
    };
    assert_eq!(
        handler(&front_door),
        handler(&minimal),
        "{front_door_source} must be {function_source}'s handler (and main) under another policy, \
         so that the two modes of a deployment serve the same function"
    );
}

#[test]
fn the_built_policies_are_the_written_ones() {
    // The front-door policy built by naming the static, and by the builder, agree.
    let named = front_door_policy().config;
    let built = CorsConfig::builder()
        .allow_origin("https://myapp.com")
        .front_door(true)
        .build()
        .expect("valid");
    for policy in [named, &built] {
        assert_eq!(policy.origins(), ["https://myapp.com"]);
        assert!(policy.answered_by_front_door() && !policy.answers_preflight());
    }
    assert_eq!(named.allowed_methods(), built.allowed_methods());
    assert_eq!(named.allowed_headers(), built.allowed_headers());
    assert_eq!(
        HttpApiCors::from_config(named),
        HttpApiCors::from_config(&built)
    );
    static MINIMAL_NAMED: CorsConfig = cors_config!(origin = "https://myapp.com");
    assert_eq!(
        RestPreflightMock::from_config(&MINIMAL_NAMED),
        RestPreflightMock::from_config(&minimal_policy())
    );
    // Each policy renders only where it belongs.
    assert!(HttpApiCors::from_config(&minimal_policy()).is_err());
    assert!(FunctionUrlCors::from_config(&minimal_policy()).is_err());
    assert!(RestPreflightMock::from_config(named).is_err());
}

#[test]
fn rest_terraform_gateway_responses_are_rendered() {
    check_or_update(
        shared().rest_terraform_gateway,
        &rest_terraform_gateway(),
        &minimal_described(),
    );
}

#[test]
fn rest_terraform_preflight_mock_is_rendered() {
    check_or_update(
        shared().rest_terraform_preflight,
        &rest_terraform_preflight(),
        &minimal_described(),
    );
}

#[test]
fn rest_sam_regions_are_rendered() {
    let template = read(shared().rest_sam_path);
    check_or_update(
        shared().rest_sam_path,
        &rest_sam(&template),
        &minimal_described(),
    );
}

#[test]
fn http_api_cors_is_rendered() {
    let cors = http_api_cors();
    check_or_update(
        shared().http_terraform,
        &front_door_terraform("cors_configuration", cors.to_terraform("cors")),
        &front_door_described(),
    );
    let template = read(shared().http_sam);
    check_or_update(
        shared().http_sam,
        &with_regions(shared().http_sam, &template, &region(None), 1, |indent| {
            cors.to_sam_yaml(indent)
        }),
        &front_door_described(),
    );
}

#[test]
fn function_url_cors_is_rendered() {
    let cors = function_url_cors();
    check_or_update(
        shared().url_terraform,
        &front_door_terraform("cors", cors.to_terraform("cors")),
        &front_door_described(),
    );
    let template = read(shared().url_sam);
    check_or_update(
        shared().url_sam,
        &with_regions(shared().url_sam, &template, &region(None), 1, |indent| {
            cors.to_sam_yaml(indent)
        }),
        &front_door_described(),
    );
}

#[test]
fn cdk_settings_are_rendered() {
    let json = cdk_json();
    let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    // CDK passes a REST API's static header values verbatim: in single quotes. The HTTP API's
    // and the function URL's CORS values are plain.
    for response in value["restApi"]["gatewayResponses"]
        .as_array()
        .expect("a list")
    {
        assert_eq!(
            response["responseHeaders"]["Access-Control-Allow-Origin"],
            "'https://myapp.com'"
        );
    }
    let mock = &value["restApi"]["preflightMock"];
    assert_eq!(
        mock["integration"]["integrationResponses"][0]["responseParameters"]["method.response.header.Access-Control-Allow-Origin"],
        "'https://myapp.com'"
    );
    assert_eq!(
        value["httpApi"]["corsPreflight"]["allowOrigins"],
        serde_json::json!(["https://myapp.com"])
    );
    assert_eq!(
        value["functionUrl"]["cors"]["allowedOrigins"],
        serde_json::json!(["https://myapp.com"])
    );
    check_or_update(
        shared().cdk_json,
        &json,
        &format!("{} and {}", minimal_described(), front_door_described()),
    );
}

#[test]
fn the_rendered_parts_say_the_policies() {
    assert_eq!(
        gateway_responses().headers().collect::<Vec<_>>(),
        [("Access-Control-Allow-Origin", "https://myapp.com")]
    );
    let terraform = rest_terraform_gateway();
    let sam = rest_sam(&read(shared().rest_sam_path));
    for response_type in GatewayResponses::RESPONSE_TYPES {
        assert!(terraform.contains(&format!("response_type = \"{response_type}\"")));
        assert!(sam.contains(&format!("        {response_type}:\n")));
    }
    assert_eq!(
        terraform
            .matches(
                r#""gatewayresponse.header.Access-Control-Allow-Origin" = "'https://myapp.com'""#
            )
            .count(),
        2
    );
    // The gateway responses' two, and the two MOCKs'.
    assert_eq!(sam.matches(r#": "'https://myapp.com'""#).count(), 4);

    let preflight = rest_terraform_preflight();
    assert_eq!(preflight.matches(r#"http_method   = "OPTIONS""#).count(), 2);
    assert_eq!(preflight.matches(r#"type        = "MOCK""#).count(), 2);
    assert_eq!(
        preflight
            .matches("count = var.preflight_by_front_door ? 1 : 0")
            .count(),
        8
    );

    for (cors, methods) in [
        (http_api_cors().allow_methods().to_vec(), 7),
        (function_url_cors().allow_methods().to_vec(), 6),
    ] {
        assert_eq!(cors.len(), methods);
    }
    assert!(
        !function_url_cors()
            .allow_methods()
            .contains(&"OPTIONS".to_owned())
    );
    assert_eq!(http_api_cors().allow_origins(), ["https://myapp.com"]);
    assert_eq!(function_url_cors().allow_origins(), ["https://myapp.com"]);
}

#[test]
fn the_rest_deployments_deploy_minimal_with_an_optional_mock() {
    let Shared {
        function_binary,
        rest_sam_path,
        ..
    } = shared();
    let variables = read("examples/deploy/terraform/variables.tf");
    assert!(
        variables.contains(&format!("target/lambda/{function_binary}/bootstrap.zip")),
        "variables.tf must package the {function_binary} binary"
    );
    assert!(variables.contains("variable \"preflight_by_front_door\" {"));
    let main = read("examples/deploy/terraform/main.tf");
    for needle in [
        r#"path_part   = "{proxy+}""#,
        r#"http_method   = "ANY""#,
        r#"type                    = "AWS_PROXY""#,
        r#"runtime          = "provided.al2023""#,
        "aws_api_gateway_rest_api.api.id",
        "aws_api_gateway_integration_response.cors_preflight_proxy[*].response_parameters",
        "aws_api_gateway_integration_response.cors_preflight_root[*].response_parameters",
    ] {
        assert!(main.contains(needle), "main.tf lacks {needle}");
    }
    let sam = read(rest_sam_path);
    for needle in [
        &format!("Binary: {function_binary}\n"),
        "BuildMethod: rust-cargolambda\n",
        "Runtime: provided.al2023\n",
        "Path: /{proxy+}\n",
        "Path: /\n",
        "Method: ANY\n",
        "  PreflightByFrontDoor: !Equals [!Ref PreflightByFrontDoor, \"true\"]\n",
        "            options: !If\n              - PreflightByFrontDoor\n",
        "AlwaysDeploy: true\n",
    ] {
        assert!(sam.contains(needle), "{rest_sam_path} lacks {needle}");
    }
}

#[test]
fn the_front_door_deployments_switch_the_binary_with_the_mode() {
    let Shared {
        front_door_binary,
        function_binary,
        ..
    } = shared();
    assert!(
        workspace().join(shared().function_source).is_file()
            && workspace().join(shared().front_door_source).is_file()
    );
    for dir in ["terraform-http-api", "terraform-function-url"] {
        let main = read(&format!("examples/deploy/{dir}/main.tf"));
        for needle in [
            format!(
                "function_binary = var.cors_by_front_door ? \"{front_door_binary}\" : \"{function_binary}\"\n"
            ),
            "lambda_zip      = coalesce(var.lambda_zip, \"../../../target/lambda/${local.function_binary}/bootstrap.zip\")\n"
                .to_owned(),
            "  filename         = local.lambda_zip\n".to_owned(),
            "  source_code_hash = filebase64sha256(local.lambda_zip)\n".to_owned(),
        ] {
            assert!(main.contains(&needle), "{dir}/main.tf lacks {needle}");
        }
        let variables = read(&format!("examples/deploy/{dir}/variables.tf"));
        assert!(
            variables.contains("variable \"lambda_zip\" {")
                && variables.contains("  default     = null\n"),
            "{dir}/variables.tf: lambda_zip must default to null (the binary of the mode)"
        );
    }
    for template in [shared().http_sam, shared().url_sam] {
        let sam = read(template);
        let needle = format!(
            "        Binary: !If [CorsByFrontDoor, {front_door_binary}, {function_binary}]\n"
        );
        assert_eq!(
            sam.matches(&needle).count(),
            1,
            "{template} must build {front_door_binary} when CorsByFrontDoor and {function_binary} \
             otherwise"
        );
    }
    // The CDK app: the REST stack deploys the function binary; the others switch with
    // `corsByFrontDoor`. (scripts/validate-deploy.sh checks the synthesized templates of both
    // modes.)
    let rest = read("examples/deploy/cdk/lib/rest-api-stack.ts");
    assert!(
        rest.contains(&format!("binary: \"{function_binary}\",")),
        "the CDK's CorsRestApi must deploy {function_binary}"
    );
    for stack in ["http-api-stack.ts", "function-url-stack.ts"] {
        let source = read(&format!("examples/deploy/cdk/lib/{stack}"));
        let needle = format!(
            "const binary = props.corsByFrontDoor ? \"{front_door_binary}\" : \"{function_binary}\";"
        );
        assert_eq!(
            source.matches(&needle).count(),
            1,
            "examples/deploy/cdk/lib/{stack} must deploy {front_door_binary} when corsByFrontDoor \
             and {function_binary} otherwise"
        );
    }
    let cors = read("examples/deploy/cdk/lib/cors.ts");
    assert!(
        cors.contains("import generated from \"./cors.generated.json\";"),
        "the CDK app must read its CORS settings from {}",
        shared().cdk_json
    );
}
