#!/usr/bin/env bash
# Validates the deployment templates under examples/deploy with real tools that need no cloud
# account, and checks their structure. Exits non-zero on any error.
#
#   SAM template: cfn-lint (pip), which also runs the SAM transform (aws-sam-translator).
#   Terraform:    HashiCorp's own HCL parser (hashicorp/hcl, compiled to WebAssembly, npm package
#                 @cdktf/hcl2json) and python-hcl2 (pip), then structural checks: the expected
#                 resources, the proxy routes, the gateway responses, and every reference to a
#                 resource, data source or variable resolving.
#
# Missing tools are installed: cfn-lint and python-hcl2 with pip, @cdktf/hcl2json with npm into
# $VALIDATE_DEPLOY_CACHE (default ~/.cache/cors-lambda/validate-deploy), never into the repo.
#
# That the generated gateway responses match the code is tests/deploy_drift.rs's job
# (cargo test -p cors-tests --test deploy_drift).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
deploy="$root/examples/deploy"
sam_template="$deploy/sam/template.yaml"
terraform_dir="$deploy/terraform"
cache="${VALIDATE_DEPLOY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cors-lambda/validate-deploy}"
hcl2json_version="0.21.0"
python="${PYTHON:-python3}"

step() { printf '\n== %s\n' "$*"; }
fail() { printf 'validate-deploy: %s\n' "$*" >&2; exit 1; }

step "tools"
command -v "$python" >/dev/null || fail "$python not found"
if ! command -v cfn-lint >/dev/null || ! "$python" -c 'import hcl2' 2>/dev/null; then
    "$python" -m pip install --quiet --disable-pip-version-check 'cfn-lint>=1.0,<2' 'python-hcl2>=7'
fi
command -v cfn-lint >/dev/null || fail "cfn-lint is not on PATH after installing it"
command -v node >/dev/null || fail "node not found (needed for HashiCorp's HCL parser, @cdktf/hcl2json)"
if [ ! -f "$cache/node_modules/@cdktf/hcl2json/package.json" ]; then
    command -v npm >/dev/null || fail "npm not found (needed to install @cdktf/hcl2json)"
    mkdir -p "$cache"
    npm install --prefix "$cache" --no-save --no-audit --no-fund --silent \
        "@cdktf/hcl2json@$hcl2json_version"
fi
printf 'cfn-lint %s\n' "$(cfn-lint --version | awk '{print $2}')"
printf 'aws-sam-translator %s\n' "$("$python" -c 'import samtranslator; print(samtranslator.__version__)')"
printf 'python-hcl2 %s\n' "$("$python" -c 'from importlib.metadata import version; print(version("python-hcl2"))')"
printf '@cdktf/hcl2json %s\n' "$(node -p "require('$cache/node_modules/@cdktf/hcl2json/package.json').version")"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

step "cfn-lint $sam_template"
cfn-lint --format parseable -- "$sam_template"
echo "ok"

step "SAM transform (aws-sam-translator, as sam deploy and CloudFormation run it), then cfn-lint on its output"
AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}" "$python" - "$sam_template" "$work/transformed.json" <<'EOF'
import copy
import json
import sys

import yaml
from samtranslator.parser.parser import Parser
from samtranslator.translator.translator import Translator


class CfnLoader(yaml.SafeLoader):
    pass


def cfn_tag(loader, suffix, node):
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {name: value}


CfnLoader.add_multi_constructor("!", cfn_tag)
source, out = sys.argv[1], sys.argv[2]
with open(source) as f:
    template = yaml.load(f, Loader=CfnLoader)
packaged = copy.deepcopy(template)
# What `sam package` does to a local CodeUri.
for resource in packaged["Resources"].values():
    if resource.get("Type") == "AWS::Serverless::Function":
        resource["Properties"]["CodeUri"] = "s3://example-bucket/bootstrap.zip"
transformed = Translator(managed_policy_map={}, sam_parser=Parser()).translate(
    sam_template=packaged, parameter_values={}
)
resources = transformed["Resources"]
errors = []
apis = [r for r in resources.values() if r["Type"] == "AWS::ApiGateway::RestApi"]
if len(apis) != 1:
    errors.append(f"expected one AWS::ApiGateway::RestApi, found {len(apis)}")
body = apis[0]["Properties"].get("Body", {}) if apis else {}
responses = body.get("x-amazon-apigateway-gateway-responses", {})
for response_type in ["DEFAULT_4XX", "DEFAULT_5XX"]:
    parameters = responses.get(response_type, {}).get("responseParameters", {})
    if "gatewayresponse.header.Access-Control-Allow-Origin" not in parameters:
        errors.append(f"the deployed API has no {response_type} with Access-Control-Allow-Origin")
for path in ["/{proxy+}", "/"]:
    methods = body.get("paths", {}).get(path, {})
    integration = methods.get("x-amazon-apigateway-any-method", {}).get("x-amazon-apigateway-integration", {})
    if integration.get("type") != "aws_proxy" or integration.get("httpMethod") != "POST":
        errors.append(f"the deployed API has no AWS_PROXY ANY integration on {path}")
    if "options" in methods:
        errors.append(f"the deployed API has its own OPTIONS method on {path}: preflights must reach the function")
if not any(r["Type"] == "AWS::Lambda::Permission" for r in resources.values()):
    errors.append("the transform produced no AWS::Lambda::Permission for API Gateway")
if errors:
    print("\n".join(errors), file=sys.stderr)
    sys.exit(1)
with open(out, "w") as f:
    json.dump(transformed, f, indent=1)
print("transformed: " + ", ".join(sorted({r["Type"] for r in resources.values()})))
EOF
cfn-lint --format parseable -- "$work/transformed.json"
echo "ok"

step "HashiCorp HCL parser (@cdktf/hcl2json): $terraform_dir/*.tf"
NODE_PATH="$cache/node_modules" node - "$terraform_dir" "$work/terraform.json" <<'EOF'
const fs = require("fs");
const path = require("path");
const { parse } = require("@cdktf/hcl2json");
const [dir, out] = process.argv.slice(2);
(async () => {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".tf")).sort();
  if (files.length === 0) throw new Error(`no .tf file in ${dir}`);
  const parsed = {};
  for (const file of files) {
    const full = path.join(dir, file);
    parsed[file] = await parse(full, fs.readFileSync(full, "utf8"));
    console.log(`parsed ${file}`);
  }
  fs.writeFileSync(out, JSON.stringify(parsed));
})().catch((err) => {
  console.error(String(err));
  process.exit(1);
});
EOF

step "python-hcl2 and structural checks"
"$python" - "$terraform_dir" "$work/terraform.json" "$sam_template" <<'EOF'
import json
import re
import sys
from pathlib import Path

import hcl2
import yaml

terraform_dir, terraform_json, sam_template = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
errors = []


def check(condition, message):
    if not condition:
        errors.append(message)
    return condition


# --- Terraform -------------------------------------------------------------------------------
for tf in sorted(terraform_dir.glob("*.tf")):
    with tf.open() as f:
        hcl2.load(f)  # raises on a syntax error
    print(f"python-hcl2 parsed {tf.name}")

# HashiCorp's parser's output, in Terraform's JSON syntax, merged over the files.
resources, data, variables, outputs = {}, {}, {}, {}
for name, doc in json.loads(terraform_json.read_text()).items():
    for kind, by_name in doc.get("resource", {}).items():
        for rname, blocks in by_name.items():
            check((kind, rname) not in resources, f"resource {kind}.{rname} is declared twice")
            resources[(kind, rname)] = blocks[0]
    for kind, by_name in doc.get("data", {}).items():
        for dname, blocks in by_name.items():
            data[(kind, dname)] = blocks[0]
    for vname, blocks in doc.get("variable", {}).items():
        variables[vname] = blocks[0]
    for oname, blocks in doc.get("output", {}).items():
        outputs[oname] = blocks[0]


def resource(kind, name):
    found = resources.get((kind, name))
    check(found is not None, f"terraform: missing resource {kind}.{name}")
    return found or {}


def expect(block, attribute, value, where):
    check(block.get(attribute) == value,
          f"terraform: {where}.{attribute} is {block.get(attribute)!r}, expected {value!r}")


api_id = "${aws_api_gateway_rest_api.api.id}"
resource("aws_api_gateway_rest_api", "api")
proxy = resource("aws_api_gateway_resource", "proxy")
expect(proxy, "path_part", "{proxy+}", "aws_api_gateway_resource.proxy")
expect(proxy, "parent_id", "${aws_api_gateway_rest_api.api.root_resource_id}", "aws_api_gateway_resource.proxy")
for route, resource_id in [("proxy_any", "${aws_api_gateway_resource.proxy.id}"),
                           ("root_any", "${aws_api_gateway_rest_api.api.root_resource_id}")]:
    method = resource("aws_api_gateway_method", route)
    expect(method, "http_method", "ANY", f"aws_api_gateway_method.{route}")
    expect(method, "resource_id", resource_id, f"aws_api_gateway_method.{route}")
    expect(method, "authorization", "NONE", f"aws_api_gateway_method.{route}")
    integration = resource("aws_api_gateway_integration", route)
    expect(integration, "type", "AWS_PROXY", f"aws_api_gateway_integration.{route}")
    expect(integration, "integration_http_method", "POST", f"aws_api_gateway_integration.{route}")
    expect(integration, "uri", "${aws_lambda_function.api.invoke_arn}", f"aws_api_gateway_integration.{route}")
    expect(integration, "resource_id", resource_id, f"aws_api_gateway_integration.{route}")
check(not any(r.get("type") == "MOCK" for (k, _), r in resources.items() if k == "aws_api_gateway_integration"),
      "terraform: a MOCK integration would answer preflights instead of the function")

function = resource("aws_lambda_function", "api")
expect(function, "runtime", "provided.al2023", "aws_lambda_function.api")
expect(function, "handler", "bootstrap", "aws_lambda_function.api")
check("bootstrap.zip" in str(variables.get("lambda_zip", {}).get("default", "")),
      "terraform: variable lambda_zip must default to cargo lambda's bootstrap.zip")
permission = resource("aws_lambda_permission", "api_gateway")
expect(permission, "principal", "apigateway.amazonaws.com", "aws_lambda_permission.api_gateway")
expect(permission, "action", "lambda:InvokeFunction", "aws_lambda_permission.api_gateway")
deployment = resource("aws_api_gateway_deployment", "api")
triggers = json.dumps(deployment.get("triggers", {}))
stage = resource("aws_api_gateway_stage", "api")
expect(stage, "deployment_id", "${aws_api_gateway_deployment.api.id}", "aws_api_gateway_stage.api")

terraform_headers = {}
for response_type in ["DEFAULT_4XX", "DEFAULT_5XX"]:
    name = f"cors_{response_type.lower()}"
    response = resource("aws_api_gateway_gateway_response", name)
    where = f"aws_api_gateway_gateway_response.{name}"
    expect(response, "response_type", response_type, where)
    expect(response, "rest_api_id", api_id, where)
    parameters = response.get("response_parameters", {})
    origin = parameters.get("gatewayresponse.header.Access-Control-Allow-Origin")
    if check(origin is not None, f"terraform: {where} has no Access-Control-Allow-Origin"):
        check(re.fullmatch(r"'(\*|https?://[^'/]+)'", origin) is not None,
              f"terraform: {where}: Access-Control-Allow-Origin {origin!r} is not one quoted origin or '*'")
    expect(response, "response_templates",
           {"application/json": '{"message":$context.error.messageString}'}, where)
    terraform_headers[response_type] = {
        k.removeprefix("gatewayresponse.header."): v for k, v in parameters.items()}
    check(f"{where}.response_parameters" in triggers,
          f"terraform: the deployment's triggers must include {where}.response_parameters")

# Every reference resolves (what `terraform validate` would say first).
def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


everything = list(resources.values()) + list(data.values()) + list(outputs.values())
for text in (s for block in everything for s in strings(block)):
    for expression in re.findall(r"\$\{([^}]*)\}", text) or ([text] if re.fullmatch(r"[a-z_.]+", text) else []):
        for kind, name in re.findall(r"(?<![\w.])(aws_[a-z0-9_]+)\.([a-z0-9_]+)", expression):
            if not re.search(rf"data\.{kind}\.{name}", expression):
                check((kind, name) in resources, f"terraform: reference to undeclared resource {kind}.{name}")
        for kind, name in re.findall(r"(?<![\w.])data\.(aws_[a-z0-9_]+)\.([a-z0-9_]+)", expression):
            check((kind, name) in data, f"terraform: reference to undeclared data source {kind}.{name}")
        for name in re.findall(r"(?<![\w.])var\.([a-z0-9_]+)", expression):
            check(name in variables, f"terraform: reference to undeclared variable {name}")

# --- SAM -------------------------------------------------------------------------------------
class CfnLoader(yaml.SafeLoader):
    pass


def cfn_tag(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node)
    else:
        value = loader.construct_mapping(node)
    return {suffix: value}


CfnLoader.add_multi_constructor("!", cfn_tag)
template = yaml.load(sam_template.read_text(), Loader=CfnLoader)
check(template.get("Transform") == "AWS::Serverless-2016-10-31", "sam: Transform must be AWS::Serverless-2016-10-31")
sam_resources = template.get("Resources", {})
api = sam_resources.get("Api", {})
check(api.get("Type") == "AWS::Serverless::Api", "sam: resource Api must be an AWS::Serverless::Api")
api_properties = api.get("Properties", {})
check("Cors" not in api_properties, "sam: Api must not set Cors (MOCK OPTIONS methods would answer preflights)")
sam_headers = {}
responses = api_properties.get("GatewayResponses", {})
for response_type in ["DEFAULT_4XX", "DEFAULT_5XX"]:
    response = responses.get(response_type)
    if check(response is not None, f"sam: GatewayResponses has no {response_type}"):
        headers = response.get("ResponseParameters", {}).get("Headers", {})
        check("Access-Control-Allow-Origin" in headers, f"sam: {response_type} has no Access-Control-Allow-Origin")
        check(response.get("ResponseTemplates") == {"application/json": '{"message":$context.error.messageString}'},
              f"sam: {response_type} must keep API Gateway's JSON body template")
        sam_headers[response_type] = headers
check(sam_headers == terraform_headers,
      f"sam and terraform gateway responses differ: {sam_headers} != {terraform_headers}")

function = sam_resources.get("Function", {})
check(function.get("Type") == "AWS::Serverless::Function", "sam: resource Function must be an AWS::Serverless::Function")
check(function.get("Metadata", {}).get("BuildMethod") == "rust-cargolambda", "sam: Function must build with rust-cargolambda")
properties = function.get("Properties", {})
check(properties.get("Runtime") == "provided.al2023", "sam: Function runtime must be provided.al2023")
check(properties.get("Handler") == "bootstrap", "sam: Function handler must be bootstrap")
routes = {(e.get("Properties", {}).get("Path"), e.get("Properties", {}).get("Method"))
          for e in properties.get("Events", {}).values()
          if e.get("Type") == "Api" and e.get("Properties", {}).get("RestApiId") == {"Ref": "Api"}}
for route in [("/{proxy+}", "ANY"), ("/", "ANY")]:
    check(route in routes, f"sam: Function has no Api event {route[1]} {route[0]} on Api")

if errors:
    print("\n".join(errors), file=sys.stderr)
    sys.exit(1)
print(f"ok: {len(resources)} terraform resources, {len(sam_resources)} SAM resources, "
      f"gateway responses {sorted(terraform_headers)} agree")
EOF

step "all deployment templates are valid"
