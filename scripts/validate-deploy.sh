#!/usr/bin/env bash
# Validates the deployment templates under examples/deploy with real tools that need no cloud
# account, and checks their structure. Exits non-zero on any error.
#
#   Deployments: REST API (sam/, terraform/), HTTP API (sam-http-api/, terraform-http-api/),
#                Lambda function URL (sam-function-url/, terraform-function-url/).
#   SAM templates: cfn-lint (pip), which also runs the SAM transform (aws-sam-translator); then the
#                 transform itself, structural checks of its output with each mode's condition
#                 evaluated either way (REST: PreflightByFrontDoor, no OPTIONS operation or the
#                 generated MOCK on both paths; HTTP API and function URL: CorsByFrontDoor, no CORS
#                 settings and the `minimal` binary, or the generated settings and the `front-door`
#                 binary), and cfn-lint on that output.
#   Terraform:    HashiCorp's own HCL parser (hashicorp/hcl, compiled to WebAssembly, npm package
#                 @cdktf/hcl2json) and python-hcl2 (pip), `terraform fmt -check` when terraform is
#                 on PATH, then structural checks: the expected resources, routes, permissions and
#                 variables, the counted preflight MOCK and its redeployment triggers, the package
#                 of each mode's binary, the generated parts, and every reference to a resource,
#                 data source, variable or local value resolving.
#   Generated parts: the SAM regions between their BEGIN and END markers and the Terraform files
#                 that hold them (gateway_responses.tf, cors_preflight.tf, cors.tf) are present,
#                 delimited, shaped as the code renders them, used by the templates, and the same in
#                 SAM and Terraform; cors.tf names FRONT_DOOR_CORS as examples/src/cors.rs defines it.
#
# Missing tools are installed: cfn-lint and python-hcl2 with pip, @cdktf/hcl2json with npm into
# $VALIDATE_DEPLOY_CACHE (default ~/.cache/cors-lambda/validate-deploy), never into the repo.
#
# That the generated parts match the code is tests/deploy_drift.rs's job
# (cargo test -p cors-tests --test deploy_drift).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
deploy="$root/examples/deploy"
sam_dirs=(sam sam-http-api sam-function-url)
terraform_dirs=(terraform terraform-http-api terraform-function-url)
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

for dir in "${sam_dirs[@]}"; do
    step "cfn-lint $deploy/$dir/template.yaml"
    cfn-lint --format parseable -- "$deploy/$dir/template.yaml"
    echo "ok"
done

step "SAM transform (aws-sam-translator, as sam deploy and CloudFormation run it) and checks of its output"
AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}" "$python" - "$deploy" "$work" "${sam_dirs[@]}" <<'EOF'
import copy
import json
import sys
from pathlib import Path

import yaml
from samtranslator.parser.parser import Parser
from samtranslator.translator.translator import Translator

deploy, work, dirs = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
errors = []


def check(condition, message):
    if not condition:
        errors.append(message)
    return condition


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

NO_VALUE = object()


def evaluate_if(value, conditions):
    """`value` with every Fn::If resolved as CloudFormation would, for the given conditions."""
    if isinstance(value, dict):
        if set(value) == {"Fn::If"}:
            name, if_true, if_false = value["Fn::If"]
            return evaluate_if(if_true if conditions[name] else if_false, conditions)
        if value == {"Ref": "AWS::NoValue"}:
            return NO_VALUE
        resolved = {k: evaluate_if(v, conditions) for k, v in value.items()}
        return {k: v for k, v in resolved.items() if v is not NO_VALUE}
    if isinstance(value, list):
        return [v for v in (evaluate_if(v, conditions) for v in value) if v is not NO_VALUE]
    return value


def by_type(resources, kind):
    return {name: r for name, r in resources.items() if r["Type"] == kind}


def check_mode_switch(where, template, name="CorsByFrontDoor"):
    """A mode parameter (default false) and its condition of the same name."""
    parameter = template.get("Parameters", {}).get(name, {})
    check(parameter.get("Default") == "false" and sorted(parameter.get("AllowedValues", [])) == ["false", "true"],
          f"{where}: parameter {name} must allow false and true and default to false")
    check(template.get("Conditions", {}).get(name) == {"Fn::Equals": [{"Ref": name}, "true"]},
          f"{where}: condition {name} must be !Equals [!Ref {name}, \"true\"]")


def check_binary(where, resources, expected):
    """The function's build metadata (passed through by the transform) names the binary of the mode."""
    function = resources.get("Function", {})
    binary = function.get("Metadata", {}).get("BuildProperties", {}).get("Binary")
    check(binary == expected, f"{where}: Function builds {binary!r}, expected the {expected!r} binary")


def check_rest(where, resources, mock, front_door):
    apis = list(by_type(resources, "AWS::ApiGateway::RestApi").values())
    if not check(len(apis) == 1, f"{where}: expected one AWS::ApiGateway::RestApi, found {len(apis)}"):
        return
    body = apis[0]["Properties"].get("Body", {})
    responses = body.get("x-amazon-apigateway-gateway-responses", {})
    for response_type in ["DEFAULT_4XX", "DEFAULT_5XX"]:
        parameters = responses.get(response_type, {}).get("responseParameters", {})
        check("gatewayresponse.header.Access-Control-Allow-Origin" in parameters,
              f"{where}: the deployed API has no {response_type} with Access-Control-Allow-Origin")
    check(set(body.get("paths", {})) == {"/{proxy+}", "/"},
          f"{where}: the deployed API must have exactly the paths /{{proxy+}} and /, has {sorted(body.get('paths', {}))}")
    for path in ["/{proxy+}", "/"]:
        methods = body.get("paths", {}).get(path, {})
        integration = methods.get("x-amazon-apigateway-any-method", {}).get("x-amazon-apigateway-integration", {})
        check(integration.get("type") == "aws_proxy" and integration.get("httpMethod") == "POST"
              and "${Function.Arn}" in json.dumps(integration.get("uri")),
              f"{where}: the deployed API has no AWS_PROXY ANY integration to Function on {path}")
        check(set(methods) <= {"x-amazon-apigateway-any-method", "options"},
              f"{where}: unexpected operations on {path}: {sorted(methods)}")
        if front_door:
            options = methods.get("options", {})
            check(options == mock, f"{where}: OPTIONS on {path} is {options!r}, expected the generated MOCK")
            integration = options.get("x-amazon-apigateway-integration", {})
            check(integration.get("type") == "mock"
                  and integration.get("requestTemplates") == {"application/json": '{"statusCode": 200}'},
                  f"{where}: OPTIONS on {path} must be a MOCK integration selecting status 200")
            check("security" not in options, f"{where}: the preflight MOCK on {path} must need no authorization")
        else:
            check("options" not in methods,
                  f"{where}: the deployed API has its own OPTIONS method on {path}: preflights must reach the function")
    check(any(r["Type"] == "AWS::Lambda::Permission" for r in resources.values()),
          f"{where}: the transform produced no AWS::Lambda::Permission for API Gateway")


def mock_branches(template):
    """The true branches of `options: !If [PreflightByFrontDoor, <MOCK>, !Ref AWS::NoValue]` on both paths."""
    paths = (template.get("Resources", {}).get("Api", {}).get("Properties", {})
             .get("DefinitionBody", {}).get("paths", {}))
    found = []
    for path in ["/{proxy+}", "/"]:
        branches = paths.get(path, {}).get("options", {}).get("Fn::If")
        if check(isinstance(branches, list) and len(branches) == 3 and branches[0] == "PreflightByFrontDoor"
                 and branches[2] == {"Ref": "AWS::NoValue"},
                 f"sam/template.yaml: {path} must have options: !If [PreflightByFrontDoor, <generated MOCK>, !Ref AWS::NoValue]"):
            found.append(branches[1])
    if check(len(found) == 2 and found[0] == found[1], "sam/template.yaml: the two MOCKs (/{proxy+}, /) must be the same"):
        return found[0]
    return None


def check_http_api(where, resources, cors, front_door):
    apis = list(by_type(resources, "AWS::ApiGatewayV2::Api").values())
    if not check(len(apis) == 1, f"{where}: expected one AWS::ApiGatewayV2::Api, found {len(apis)}"):
        return
    body = apis[0]["Properties"].get("Body", {})
    default = body.get("paths", {}).get("$default", {}).get("x-amazon-apigateway-any-method", {})
    integration = default.get("x-amazon-apigateway-integration", {})
    check(default.get("isDefaultRoute") is True, f"{where}: the deployed API has no $default route")
    check(integration.get("type") == "aws_proxy" and integration.get("httpMethod") == "POST",
          f"{where}: the $default route has no AWS_PROXY integration")
    check(integration.get("payloadFormatVersion") == "2.0", f"{where}: the $default integration must use payload format 2.0")
    check("${Function.Arn}" in json.dumps(integration.get("uri")), f"{where}: the $default integration must invoke Function")
    for path, methods in body.get("paths", {}).items():
        check("options" not in methods or path == "/{proxy+}",
              f"{where}: OPTIONS on {path}: only the unauthenticated OPTIONS /{{proxy+}} route is expected")
    stages = list(by_type(resources, "AWS::ApiGatewayV2::Stage").values())
    check(any(s["Properties"].get("StageName") == "$default" and s["Properties"].get("AutoDeploy") is True for s in stages),
          f"{where}: expected the auto-deployed $default stage")
    permissions = by_type(resources, "AWS::Lambda::Permission").values()
    check(any(p["Properties"].get("Principal") == "apigateway.amazonaws.com"
              and p["Properties"].get("Action") == "lambda:InvokeFunction" for p in permissions),
          f"{where}: no lambda:InvokeFunction permission for apigateway.amazonaws.com")
    deployed = body.get("x-amazon-apigateway-cors")
    if front_door:
        check(deployed == cors, f"{where}: x-amazon-apigateway-cors is {deployed!r}, expected the generated {cors!r}")
    else:
        check(deployed is None, f"{where}: the function answers, yet the API has a CORS configuration {deployed!r}")


def check_function_url(where, resources, cors, front_door):
    urls = list(by_type(resources, "AWS::Lambda::Url").values())
    if not check(len(urls) == 1, f"{where}: expected one AWS::Lambda::Url, found {len(urls)}"):
        return
    url = urls[0]["Properties"]
    check(url.get("AuthType") == "NONE", f"{where}: the function URL's AuthType must be NONE")
    check(url.get("TargetFunctionArn") == {"Ref": "Function"}, f"{where}: the function URL must target Function")
    check(url.get("InvokeMode") == {"Ref": "InvokeMode"}, f"{where}: the function URL's InvokeMode must be the InvokeMode parameter")
    permissions = [p["Properties"] for p in by_type(resources, "AWS::Lambda::Permission").values()]
    check(any(p.get("Action") == "lambda:InvokeFunctionUrl" and p.get("Principal") == "*"
              and p.get("FunctionUrlAuthType") == "NONE" for p in permissions),
          f"{where}: no public lambda:InvokeFunctionUrl permission with FunctionUrlAuthType NONE")
    check(any(p.get("Action") == "lambda:InvokeFunction" and p.get("Principal") == "*"
              and p.get("InvokedViaFunctionUrl") is True for p in permissions),
          f"{where}: no public lambda:InvokeFunction permission with InvokedViaFunctionUrl (required for new function URLs)")
    check(not any(p.get("Action") == "lambda:InvokeFunction" and p.get("Principal") == "*"
                  and p.get("InvokedViaFunctionUrl") is not True for p in permissions),
          f"{where}: a public lambda:InvokeFunction permission must be limited to the function URL (InvokedViaFunctionUrl)")
    deployed = url.get("Cors")
    if front_door:
        check(deployed == cors, f"{where}: the URL's Cors is {deployed!r}, expected the generated {cors!r}")
    else:
        check(deployed is None, f"{where}: the function answers, yet the URL has Cors settings {deployed!r}")


def cors_branch(template, path):
    """The `!If [CorsByFrontDoor, <generated>, !Ref AWS::NoValue]` at `path`, or None."""
    value = template
    for key in path:
        value = value.get(key, {}) if isinstance(value, dict) else {}
    branches = value.get("Fn::If") if isinstance(value, dict) else None
    if not isinstance(branches, list) or len(branches) != 3:
        return None
    name, if_true, if_false = branches
    if name != "CorsByFrontDoor" or if_false != {"Ref": "AWS::NoValue"}:
        return None
    return if_true


KINDS = {
    "sam": ("rest", None),
    "sam-http-api": ("http-api", ["Resources", "HttpApi", "Properties", "DefinitionBody", "x-amazon-apigateway-cors"]),
    "sam-function-url": ("function-url", ["Resources", "Function", "Properties", "FunctionUrlConfig", "Cors"]),
}

for name in dirs:
    source = deploy / name / "template.yaml"
    kind, cors_path = KINDS[name]
    template = yaml.load(source.read_text(), Loader=CfnLoader)
    packaged = copy.deepcopy(template)
    # What `sam package` does to a local CodeUri.
    for resource in packaged["Resources"].values():
        if resource.get("Type") == "AWS::Serverless::Function":
            resource["Properties"]["CodeUri"] = "s3://example-bucket/bootstrap.zip"
    transformed = Translator(managed_policy_map={}, sam_parser=Parser()).translate(
        sam_template=packaged, parameter_values={}
    )
    resources = transformed["Resources"]
    where = f"{name}/template.yaml"
    if kind == "rest":
        check_mode_switch(where, template, "PreflightByFrontDoor")
        check(template["Resources"].get("Api", {}).get("Properties", {}).get("AlwaysDeploy") is True,
              f"{where}: Api needs AlwaysDeploy: true (the deployment's hash does not see the !If resolved)")
        check_binary(where, resources, "minimal")
        mock = mock_branches(template)
        if mock is not None:
            for front_door in (False, True):
                mode = "PreflightByFrontDoor=" + str(front_door).lower()
                deployed = evaluate_if(resources, {"PreflightByFrontDoor": front_door})
                check_rest(f"{where} ({mode})", deployed, mock, front_door)
    else:
        check_mode_switch(where, template)
        cors = cors_branch(template, cors_path)
        if check(cors is not None, f"{where}: {'.'.join(cors_path[1:])} must be !If [CorsByFrontDoor, <generated>, !Ref AWS::NoValue]"):
            for front_door in (False, True):
                mode = "CorsByFrontDoor=" + str(front_door).lower()
                deployed = evaluate_if(resources, {"CorsByFrontDoor": front_door})
                checker = check_http_api if kind == "http-api" else check_function_url
                checker(f"{where} ({mode})", deployed, cors, front_door)
                # One place for CORS: the binary that writes no CORS header when the front door does.
                check_binary(f"{where} ({mode})", deployed, "front-door" if front_door else "minimal")
        if kind == "function-url":
            parameter = template.get("Parameters", {}).get("InvokeMode", {})
            check(parameter.get("Default") == "BUFFERED"
                  and sorted(parameter.get("AllowedValues", [])) == ["BUFFERED", "RESPONSE_STREAM"],
                  f"{where}: parameter InvokeMode must allow BUFFERED and RESPONSE_STREAM and default to BUFFERED")
    out = work / f"{name}.transformed.json"
    with out.open("w") as f:
        json.dump(transformed, f, indent=1)
    print(f"{name}: " + ", ".join(sorted({r["Type"] for r in resources.values()})))

if errors:
    print("\n".join(errors), file=sys.stderr)
    sys.exit(1)
EOF
for dir in "${sam_dirs[@]}"; do
    step "cfn-lint on the transformed $dir/template.yaml"
    cfn-lint --format parseable -- "$work/$dir.transformed.json"
    echo "ok"
done

step "HashiCorp HCL parser (@cdktf/hcl2json): ${terraform_dirs[*]}"
NODE_PATH="$cache/node_modules" node - "$deploy" "$work/terraform.json" "${terraform_dirs[@]}" <<'EOF'
const fs = require("fs");
const path = require("path");
const { parse } = require("@cdktf/hcl2json");
const [deploy, out, ...dirs] = process.argv.slice(2);
(async () => {
  const parsed = {};
  for (const dir of dirs) {
    const files = fs.readdirSync(path.join(deploy, dir)).filter((f) => f.endsWith(".tf")).sort();
    if (files.length === 0) throw new Error(`no .tf file in ${dir}`);
    parsed[dir] = {};
    for (const file of files) {
      const full = path.join(deploy, dir, file);
      parsed[dir][file] = await parse(full, fs.readFileSync(full, "utf8"));
      console.log(`parsed ${dir}/${file}`);
    }
  }
  fs.writeFileSync(out, JSON.stringify(parsed));
})().catch((err) => {
  console.error(String(err));
  process.exit(1);
});
EOF

step "terraform fmt -check"
if command -v terraform >/dev/null; then
    for dir in "${terraform_dirs[@]}"; do
        TF_CLI_CONFIG_FILE=/dev/null terraform fmt -check -diff -- "$deploy/$dir" \
            || fail "$dir: not in terraform fmt's canonical format (the generated files must be too)"
        echo "ok $dir"
    done
else
    echo "skipped: terraform is not on PATH"
fi

step "python-hcl2, structural checks and generated parts"
"$python" - "$root" "$work/terraform.json" <<'EOF'
import json
import re
import sys
from pathlib import Path

import hcl2
import yaml

root, terraform_json = Path(sys.argv[1]), Path(sys.argv[2])
deploy = root / "examples" / "deploy"
errors = []


def check(condition, message):
    if not condition:
        errors.append(message)
    return condition


parsed_by_dir = json.loads(terraform_json.read_text())


# --- Terraform: loading and generic checks ----------------------------------------------------
class Terraform:
    """HashiCorp's parser's output for one directory, in Terraform's JSON syntax, merged over its files."""

    def __init__(self, name):
        self.name = name
        self.dir = deploy / name
        self.files = parsed_by_dir[name]
        self.resources, self.data, self.variables, self.outputs, self.locals = {}, {}, {}, {}, {}
        for tf in sorted(self.dir.glob("*.tf")):
            with tf.open() as f:
                hcl2.load(f)  # raises on a syntax error
            print(f"python-hcl2 parsed {name}/{tf.name}")
        for file, doc in self.files.items():
            for kind, by_name in doc.get("resource", {}).items():
                for rname, blocks in by_name.items():
                    check((kind, rname) not in self.resources, f"{name}: resource {kind}.{rname} is declared twice")
                    self.resources[(kind, rname)] = blocks[0]
            for kind, by_name in doc.get("data", {}).items():
                for dname, blocks in by_name.items():
                    self.data[(kind, dname)] = blocks[0]
            for vname, blocks in doc.get("variable", {}).items():
                self.variables[vname] = blocks[0]
            for oname, blocks in doc.get("output", {}).items():
                self.outputs[oname] = blocks[0]
            for block in doc.get("locals", []):
                for lname, value in block.items():
                    check(lname not in self.locals, f"{name}: local value {lname} is declared twice")
                    self.locals[lname] = value

    def resource(self, kind, rname):
        found = self.resources.get((kind, rname))
        check(found is not None, f"{self.name}: missing resource {kind}.{rname}")
        return found or {}

    def expect(self, block, attribute, value, where):
        check(block.get(attribute) == value,
              f"{self.name}: {where}.{attribute} is {block.get(attribute)!r}, expected {value!r}")

    def check_function(self, binaries):
        """The function: runtime, handler, architecture, and the package of the binary of each mode."""
        function = self.resource("aws_lambda_function", "api")
        self.expect(function, "runtime", "provided.al2023", "aws_lambda_function.api")
        self.expect(function, "handler", "bootstrap", "aws_lambda_function.api")
        self.expect(function, "architectures", ["${var.architecture}"], "aws_lambda_function.api")
        check(self.variables.get("architecture", {}).get("default") == "arm64",
              f"{self.name}: variable architecture must default to arm64 (cargo lambda build --arm64)")
        for binary in binaries:
            check((root / "examples" / "src" / "bin" / f"{binary}.rs").is_file(),
                  f"{self.name}: there is no examples/src/bin/{binary}.rs to build the {binary} binary from")
        if binaries == ["minimal"]:
            self.expect(function, "filename", "${var.lambda_zip}", "aws_lambda_function.api")
            check("target/lambda/minimal/bootstrap.zip" in str(self.variables.get("lambda_zip", {}).get("default", "")),
                  f"{self.name}: variable lambda_zip must default to cargo lambda's target/lambda/minimal/bootstrap.zip")
            return
        # The front-door modes: `minimal` writes the CORS headers, `front-door` writes none.
        self.expect(function, "filename", "${local.lambda_zip}", "aws_lambda_function.api")
        self.expect(function, "source_code_hash", "${filebase64sha256(local.lambda_zip)}", "aws_lambda_function.api")
        check(self.locals.get("function_binary") == '${var.cors_by_front_door ? "front-door" : "minimal"}',
              f"{self.name}: local.function_binary must be var.cors_by_front_door ? \"front-door\" : \"minimal\", "
              f"is {self.locals.get('function_binary')!r}")
        check(self.locals.get("lambda_zip")
              == '${coalesce(var.lambda_zip, "../../../target/lambda/${local.function_binary}/bootstrap.zip")}',
              f"{self.name}: local.lambda_zip must default to target/lambda/<local.function_binary>/bootstrap.zip, "
              f"is {self.locals.get('lambda_zip')!r}")
        lambda_zip = self.variables.get("lambda_zip", {})
        check("default" in lambda_zip and lambda_zip["default"] is None,
              f"{self.name}: variable lambda_zip must default to null (the package of the mode's binary)")

    def check_references(self):
        """Every reference resolves (what `terraform validate` would say first)."""
        everything = (list(self.resources.values()) + list(self.data.values()) + list(self.outputs.values())
                      + list(self.locals.values()))
        for text in (s for block in everything for s in strings(block)):
            for expression in re.findall(r"\$\{([^}]*)\}", text) or ([text] if re.fullmatch(r"[a-z_.]+", text) else []):
                for kind, rname in re.findall(r"(?<![\w.])(aws_[a-z0-9_]+)\.([a-z0-9_]+)", expression):
                    if not re.search(rf"data\.{kind}\.{rname}", expression):
                        check((kind, rname) in self.resources,
                              f"{self.name}: reference to undeclared resource {kind}.{rname}")
                for kind, dname in re.findall(r"(?<![\w.])data\.(aws_[a-z0-9_]+)\.([a-z0-9_]+)", expression):
                    check((kind, dname) in self.data, f"{self.name}: reference to undeclared data source {kind}.{dname}")
                for vname in re.findall(r"(?<![\w.])var\.([a-z0-9_]+)", expression):
                    check(vname in self.variables, f"{self.name}: reference to undeclared variable {vname}")
                for lname in re.findall(r"(?<![\w.])local\.([a-z0-9_]+)", expression):
                    check(lname in self.locals, f"{self.name}: reference to undeclared local value {lname}")


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


# --- SAM: loading and the generated region ---------------------------------------------------
class CfnLoader(yaml.SafeLoader):
    pass


def cfn_tag(loader, suffix, node):
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {name: value}


CfnLoader.add_multi_constructor("!", cfn_tag)


def load_sam(name):
    path = deploy / name / "template.yaml"
    text = path.read_text()
    template = yaml.load(text, Loader=CfnLoader)
    check(template.get("Transform") == "AWS::Serverless-2016-10-31",
          f"{name}: Transform must be AWS::Serverless-2016-10-31")
    return text, template


BEGIN = "# BEGIN generated by cors-deploy: do not edit"
END = "# END generated by cors-deploy"


def generated_regions(where, text, label=None, count=1):
    """The regions strictly between the (trimmed) lines `# BEGIN ... do not edit[ (label)]` and
    `# END ...[ (label)]`, each as (indent, lines without it), checked to be delimited, `count` of them."""
    begin = BEGIN + (f" ({label})" if label else "")
    end = END + (f" ({label})" if label else "")
    lines = text.split("\n")
    begins = [i for i, line in enumerate(lines) if line.strip() == begin]
    ends = [i for i, line in enumerate(lines) if line.strip() == end]
    if not check(len(begins) == count and len(ends) == count,
                 f"{where}: expected {count} `{begin}` and {count} `{end}` line(s), found {len(begins)} and {len(ends)}"):
        return []
    regions = []
    for first, last in zip(begins, ends):
        if not check(first < last - 1 and not any(first < b < last for b in begins),
                     f"{where}: each `{begin}` must be followed by a non-empty region and its `{end}`"):
            continue
        indent = len(lines[first]) - len(lines[first].lstrip())
        check(len(lines[last]) - len(lines[last].lstrip()) == indent,
              f"{where}: the BEGIN and END markers must be indented alike")
        region = lines[first + 1:last]
        for line in region:
            check(line.startswith(" " * indent) and not line.lstrip().startswith("#"),
                  f"{where}: generated line {line!r} is not indented under its BEGIN marker, or is a comment")
        regions.append((indent, [line[indent:] for line in region]))
    return regions


def list_item_region(where, region):
    """A region holding one YAML list item (an !If's true branch): its mapping."""
    check(region[0].startswith("- ") and all(l.startswith("  ") for l in region[1:]),
          f"{where}: the generated region must be one YAML list item (the !If's true branch)")
    value = yaml.load("\n".join(region), Loader=CfnLoader)
    if check(isinstance(value, list) and len(value) == 1 and isinstance(value[0], dict),
             f"{where}: the generated region must hold one mapping"):
        return value[0]
    return None


def sam_cors_region(name, text, template, path, keys, method_limit=None):
    """The region of the CORS settings: one YAML list item, the !If's true branch at `path`."""
    where = f"{name}/template.yaml"
    found = generated_regions(where, text)
    if not found:
        return None
    cors = list_item_region(where, found[0][1])
    if cors is None:
        return None
    node = template
    for key in path:
        node = node.get(key, {}) if isinstance(node, dict) else {}
    check(node == {"Fn::If": ["CorsByFrontDoor", cors, {"Ref": "AWS::NoValue"}]},
          f"{where}: {'.'.join(path[1:])} must be !If [CorsByFrontDoor, <the generated region>, !Ref AWS::NoValue]")
    check(set(cors) <= set(keys) and {keys[0], keys[1], keys[2]} <= set(cors),
          f"{where}: generated keys {sorted(cors)}; expected {keys[:3]} and optionally {keys[3:]}")
    for key in keys[:3] + keys[3:4]:
        if key in cors:
            check(isinstance(cors[key], list) and cors[key] and all(isinstance(v, str) for v in cors[key]),
                  f"{where}: generated {key} must be a non-empty list of strings (leave it out when empty)")
    check(cors.get(keys[4], True) is True, f"{where}: generated {keys[4]} is written only when true")
    check(isinstance(cors.get(keys[5], 0), int), f"{where}: generated {keys[5]} must be an integer when written")
    return normalize(cors, keys)


SNAKE = ["allow_origins", "allow_methods", "allow_headers", "expose_headers", "allow_credentials", "max_age"]


def normalize(cors, keys):
    """A CORS policy as {snake_case: value}, unset values (empty list, false, null) left out."""
    out = {}
    for key, snake in zip(keys, SNAKE):
        value = cors.get(key)
        if value not in (None, [], False):
            out[snake] = value
    return out


def check_policy(where, policy, front_door):
    origins, methods = policy.get("allow_origins", []), policy.get("allow_methods", [])
    check("*" not in origins or not policy.get("allow_credentials"),
          f"{where}: credentials cannot be allowed with the origin *")
    if front_door == "function-url":
        # Lambda API reference, Cors: at most 6 methods of at most 6 characters, at most 100 origins.
        check(len(methods) <= 6 and set(methods) <= {"GET", "PUT", "HEAD", "POST", "PATCH", "DELETE", "*"},
              f"{where}: a function URL allows at most 6 methods among GET, PUT, HEAD, POST, PATCH, DELETE, * "
              f"(no OPTIONS: the URL answers preflights itself), got {methods}")
        check(len(origins) <= 100, f"{where}: a function URL allows at most 100 origins")
        check(0 <= policy.get("max_age", 0) <= 86400, f"{where}: a function URL's MaxAge is 0 to 86400")
    else:
        check(set(methods) <= {"GET", "PUT", "HEAD", "POST", "PATCH", "DELETE", "OPTIONS", "*"},
              f"{where}: unexpected methods {methods}")


def terraform_cors(tf, block, for_each_attribute_name):
    """cors.tf's local.cors, checked to be the generated file, and its use by main.tf's dynamic block."""
    where = f"{tf.name}/cors.tf"
    text = (tf.dir / "cors.tf").read_text()
    header = text.split("\n")[:3]
    prefix = "# examples/src/cors.rs: FRONT_DOOR_CORS = "
    check(header[0] == "# Generated by cors-deploy from the CORS configuration of"
          and header[1].startswith(prefix + "cors_config!(")
          and header[2].startswith("# DO NOT EDIT."),
          f"{where}: must start with the generated header (\"# Generated by cors-deploy from ...\", "
          f"then \"{prefix}cors_config!(...)\")")
    # The policy named in the header is the one examples/src/cors.rs defines, and it lets the front door answer.
    squeeze = lambda t: re.sub(r"\s+", "", t)
    definition = squeeze(header[1].removeprefix(prefix))
    policies = squeeze((root / "examples/src/cors.rs").read_text())
    check(f"pubstaticFRONT_DOOR_CORS:CorsConfig={definition};" in policies,
          f"{where}: the header's policy {header[1].removeprefix(prefix)!r} is not FRONT_DOOR_CORS in examples/src/cors.rs")
    check("front_door=true" in definition, f"{where}: the front door's policy must have front_door = true")
    check("config=cors_examples::cors::FRONT_DOOR_CORS" in squeeze((root / "examples/src/bin/front-door.rs").read_text()),
          f"{where}: the front-door binary must serve FRONT_DOOR_CORS")
    doc = tf.files.get("cors.tf", {})
    check(set(doc) == {"locals"} and len(doc["locals"]) == 1 and set(doc["locals"][0]) == {"cors"},
          f"{where}: must hold exactly one `locals {{ cors = {{...}} }}` and nothing else")
    cors = tf.locals.get("cors", {})
    if not check(isinstance(cors, dict) and set(cors) == set(SNAKE),
                 f"{where}: local.cors must have exactly the keys {SNAKE}"):
        return {}
    for key in SNAKE[:4]:
        check(isinstance(cors[key], list) and all(isinstance(v, str) for v in cors[key]),
              f"{where}: local.cors.{key} must be a list of strings ([] when empty)")
    check(isinstance(cors["allow_credentials"], bool), f"{where}: local.cors.allow_credentials must be true or false")
    check(cors["max_age"] is None or isinstance(cors["max_age"], int), f"{where}: local.cors.max_age must be a number or null")
    # main.tf: the block exists only when the front door answers, and takes every key from local.cors.
    dynamic = block.get("dynamic", {}).get(for_each_attribute_name, [{}])[0]
    check(dynamic.get("for_each") == "${var.cors_by_front_door ? [local.cors] : []}",
          f"{tf.name}: dynamic \"{for_each_attribute_name}\" must have for_each = var.cors_by_front_door ? [local.cors] : []")
    content = (dynamic.get("content") or [{}])[0]
    check(content == {k: f"${{{for_each_attribute_name}.value.{k}}}" for k in SNAKE},
          f"{tf.name}: dynamic \"{for_each_attribute_name}\" must set each of {SNAKE} from {for_each_attribute_name}.value")
    check(not any(k == for_each_attribute_name for k in block), f"{tf.name}: a static {for_each_attribute_name} block too")
    variable = tf.variables.get("cors_by_front_door", {})
    check(variable.get("type") == "${bool}" and variable.get("default") is False,
          f"{tf.name}: variable cors_by_front_door must be a bool defaulting to false (the function answers)")
    return normalize(cors, SNAKE)


# --- REST API (sam/, terraform/) -------------------------------------------------------------
rest = Terraform("terraform")
api_id = "${aws_api_gateway_rest_api.api.id}"
rest.resource("aws_api_gateway_rest_api", "api")
proxy = rest.resource("aws_api_gateway_resource", "proxy")
rest.expect(proxy, "path_part", "{proxy+}", "aws_api_gateway_resource.proxy")
rest.expect(proxy, "parent_id", "${aws_api_gateway_rest_api.api.root_resource_id}", "aws_api_gateway_resource.proxy")
REST_RESOURCE_IDS = [("proxy", "${aws_api_gateway_resource.proxy.id}"),
                     ("root", "${aws_api_gateway_rest_api.api.root_resource_id}")]
for path, resource_id in REST_RESOURCE_IDS:
    route = f"{path}_any"
    method = rest.resource("aws_api_gateway_method", route)
    rest.expect(method, "http_method", "ANY", f"aws_api_gateway_method.{route}")
    rest.expect(method, "resource_id", resource_id, f"aws_api_gateway_method.{route}")
    rest.expect(method, "authorization", "NONE", f"aws_api_gateway_method.{route}")
    integration = rest.resource("aws_api_gateway_integration", route)
    rest.expect(integration, "type", "AWS_PROXY", f"aws_api_gateway_integration.{route}")
    rest.expect(integration, "integration_http_method", "POST", f"aws_api_gateway_integration.{route}")
    rest.expect(integration, "uri", "${aws_lambda_function.api.invoke_arn}", f"aws_api_gateway_integration.{route}")
    rest.expect(integration, "resource_id", resource_id, f"aws_api_gateway_integration.{route}")
rest.check_function(["minimal"])
permission = rest.resource("aws_lambda_permission", "api_gateway")
rest.expect(permission, "principal", "apigateway.amazonaws.com", "aws_lambda_permission.api_gateway")
rest.expect(permission, "action", "lambda:InvokeFunction", "aws_lambda_permission.api_gateway")
deployment = rest.resource("aws_api_gateway_deployment", "api")
triggers = json.dumps(deployment.get("triggers", {}))
depends_on = json.dumps(deployment.get("depends_on", []))
stage = rest.resource("aws_api_gateway_stage", "api")
rest.expect(stage, "deployment_id", "${aws_api_gateway_deployment.api.id}", "aws_api_gateway_stage.api")

terraform_headers = {}
for response_type in ["DEFAULT_4XX", "DEFAULT_5XX"]:
    name = f"cors_{response_type.lower()}"
    response = rest.resource("aws_api_gateway_gateway_response", name)
    where = f"aws_api_gateway_gateway_response.{name}"
    rest.expect(response, "response_type", response_type, where)
    rest.expect(response, "rest_api_id", api_id, where)
    parameters = response.get("response_parameters", {})
    origin = parameters.get("gatewayresponse.header.Access-Control-Allow-Origin")
    if check(origin is not None, f"terraform: {where} has no Access-Control-Allow-Origin"):
        check(re.fullmatch(r"'(\*|https?://[^'/]+)'", origin) is not None,
              f"terraform: {where}: Access-Control-Allow-Origin {origin!r} is not one quoted origin or '*'")
    rest.expect(response, "response_templates",
                {"application/json": '{"message":$context.error.messageString}'}, where)
    terraform_headers[response_type] = {
        k.removeprefix("gatewayresponse.header."): v for k, v in parameters.items()}
    check(f"{where}.response_parameters" in triggers,
          f"terraform: the deployment's triggers must include {where}.response_parameters")
check((rest.dir / "gateway_responses.tf").read_text().startswith(
          "# Generated by cors-deploy (GatewayResponses::to_terraform)"),
      "terraform/gateway_responses.tf must start with its generated header")

# The optional preflight MOCK (cors_preflight.tf): an OPTIONS method without authorization and a
# MOCK integration on both resources, each resource counted by var.preflight_by_front_door.
switch = rest.variables.get("preflight_by_front_door", {})
check(switch.get("type") == "${bool}" and switch.get("default") is False,
      "terraform: variable preflight_by_front_door must be a bool defaulting to false (the function answers)")
check((rest.dir / "cors_preflight.tf").read_text().startswith(
          "# Generated by cors-deploy (RestPreflightMock::to_terraform)"),
      "terraform/cors_preflight.tf must start with its generated header")
preflight_doc = rest.files.get("cors_preflight.tf", {})
KINDS_MOCK = ["aws_api_gateway_method", "aws_api_gateway_integration", "aws_api_gateway_method_response",
              "aws_api_gateway_integration_response"]
check(set(preflight_doc) == {"resource"} and set(preflight_doc["resource"]) == set(KINDS_MOCK)
      and all(set(preflight_doc["resource"][k]) == {"cors_preflight_proxy", "cors_preflight_root"} for k in KINDS_MOCK),
      "terraform/cors_preflight.tf must hold exactly the OPTIONS method, integration, method response and "
      "integration response of cors_preflight_proxy and cors_preflight_root")
counted = "${var.preflight_by_front_door ? 1 : 0}"
terraform_mock = {}
for path, resource_id in REST_RESOURCE_IDS:
    name = f"cors_preflight_{path}"
    method_ref = f"${{aws_api_gateway_method.{name}[0].http_method}}"
    blocks = {kind: rest.resource(kind, name) for kind in KINDS_MOCK}
    for kind, block in blocks.items():
        where = f"{kind}.{name}"
        rest.expect(block, "count", counted, where)
        rest.expect(block, "rest_api_id", api_id, where)
        rest.expect(block, "resource_id", resource_id, where)
        if kind != "aws_api_gateway_method":
            rest.expect(block, "http_method", method_ref, where)
    rest.expect(blocks["aws_api_gateway_method"], "http_method", "OPTIONS", f"aws_api_gateway_method.{name}")
    rest.expect(blocks["aws_api_gateway_method"], "authorization", "NONE", f"aws_api_gateway_method.{name}")
    rest.expect(blocks["aws_api_gateway_integration"], "type", "MOCK", f"aws_api_gateway_integration.{name}")
    rest.expect(blocks["aws_api_gateway_integration"], "request_templates",
                {"application/json": '{"statusCode": 200}'}, f"aws_api_gateway_integration.{name}")
    rest.expect(blocks["aws_api_gateway_method_response"], "status_code", "200", f"aws_api_gateway_method_response.{name}")
    rest.expect(blocks["aws_api_gateway_integration_response"], "status_code",
                f"${{aws_api_gateway_method_response.{name}[0].status_code}}", f"aws_api_gateway_integration_response.{name}")
    values = blocks["aws_api_gateway_integration_response"].get("response_parameters", {})
    declared = blocks["aws_api_gateway_method_response"].get("response_parameters", {})
    check(set(values) == set(declared),
          f"terraform: {name}: the integration response sets {sorted(values)}, the method response declares {sorted(declared)}")
    for header in ["Access-Control-Allow-Origin", "Access-Control-Allow-Methods", "Access-Control-Allow-Headers"]:
        value = values.get(f"method.response.header.{header}")
        check(isinstance(value, str) and re.fullmatch(r"'[^']+'", value) is not None,
              f"terraform: {name}: {header} must be one static value in single quotes, is {value!r}")
    origin = values.get("method.response.header.Access-Control-Allow-Origin", "")
    check(re.fullmatch(r"'(\*|[a-z][a-z0-9+.-]*://[^'/]+)'", origin) is not None,
          f"terraform: {name}: Access-Control-Allow-Origin {origin!r} is not one quoted origin or '*'")
    check(origin == terraform_headers.get("DEFAULT_4XX", {}).get("Access-Control-Allow-Origin"),
          f"terraform: {name} and the gateway responses must grant the same origin")
    terraform_mock[path] = values
    check(f"aws_api_gateway_integration_response.{name}[*].response_parameters" in triggers
          and f"aws_api_gateway_integration.{name}[*].id" in triggers,
          f"terraform: the deployment's triggers must include {name}'s integration and integration response")
    check(f"aws_api_gateway_integration_response.{name}" in depends_on,
          f"terraform: the deployment must depend on aws_api_gateway_integration_response.{name}")
check(terraform_mock.get("proxy") == terraform_mock.get("root"),
      "terraform: the two preflight MOCKs must answer alike")
check(not any(r.get("type") == "MOCK" for (k, n), r in rest.resources.items()
              if k == "aws_api_gateway_integration" and not n.startswith("cors_preflight_")),
      "terraform: a MOCK integration outside cors_preflight.tf would answer preflights instead of the function")
rest.check_references()

sam_text, template = load_sam("sam")
generated_regions("sam/template.yaml", sam_text, "GatewayResponses")
sam_resources = template.get("Resources", {})
api = sam_resources.get("Api", {})
check(api.get("Type") == "AWS::Serverless::Api", "sam: resource Api must be an AWS::Serverless::Api")
api_properties = api.get("Properties", {})
check("Cors" not in api_properties, "sam: Api must not set Cors (it would always add MOCK OPTIONS methods)")
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

# The MOCK regions: one list item each, the true branch of `options: !If [PreflightByFrontDoor, ...]`.
paths = api_properties.get("DefinitionBody", {}).get("paths", {})
mock_regions = generated_regions("sam/template.yaml", sam_text, "RestPreflightMock", count=2)
sam_mocks = [list_item_region("sam/template.yaml", region) for _, region in mock_regions]
for path, mock in zip(["/{proxy+}", "/"], sam_mocks):
    if mock is None:
        continue
    check(paths.get(path, {}).get("options") == {"Fn::If": ["PreflightByFrontDoor", mock, {"Ref": "AWS::NoValue"}]},
          f"sam: the generated MOCK region under {path} must be its options: !If [PreflightByFrontDoor, <region>, !Ref AWS::NoValue]")
    integration = mock.get("x-amazon-apigateway-integration", {})
    check(integration.get("type") == "mock" and integration.get("requestTemplates") == {"application/json": '{"statusCode": 200}'},
          f"sam: the MOCK under {path} must be a mock integration selecting status 200")
    answer = integration.get("responses", {}).get("default", {})
    check(answer.get("statusCode") == "200", f"sam: the MOCK under {path} must answer 200 by default")
    declared = {f"method.response.header.{h}" for h in mock.get("responses", {}).get("200", {}).get("headers", {})}
    values = answer.get("responseParameters", {})
    check(set(values) == declared,
          f"sam: the MOCK under {path} sets {sorted(values)} but its 200 declares {sorted(declared)}")
    check(values == terraform_mock.get("proxy"),
          f"sam and terraform preflight MOCKs differ: {values} != {terraform_mock.get('proxy')}")
    check(set(paths.get(path, {})) == {"x-amazon-apigateway-any-method", "options"},
          f"sam: {path} must have the ANY integration and the optional options, has {sorted(paths.get(path, {}))}")
check(set(paths) == {"/{proxy+}", "/"}, f"sam: the definition's paths must be /{{proxy+}} and /, are {sorted(paths)}")


def check_sam_function(name, template, binary):
    function = template.get("Resources", {}).get("Function", {})
    check(function.get("Type") == "AWS::Serverless::Function", f"{name}: resource Function must be an AWS::Serverless::Function")
    check(function.get("Metadata", {}).get("BuildMethod") == "rust-cargolambda", f"{name}: Function must build with rust-cargolambda")
    check(function.get("Metadata", {}).get("BuildProperties", {}).get("Binary") == binary,
          f"{name}: Function must build the binary {binary!r}, "
          f"builds {function.get('Metadata', {}).get('BuildProperties', {}).get('Binary')!r}")
    properties = function.get("Properties", {})
    check(properties.get("Runtime") == "provided.al2023", f"{name}: Function runtime must be provided.al2023")
    check(properties.get("Handler") == "bootstrap", f"{name}: Function handler must be bootstrap")
    check(properties.get("Architectures") == ["arm64"], f"{name}: Function must be arm64")
    return properties


# `minimal` writes the CORS headers itself; `front-door` (FRONT_DOOR_CORS, front_door = true) writes none.
SWITCHED_BINARY = {"Fn::If": ["CorsByFrontDoor", "front-door", "minimal"]}
properties = check_sam_function("sam", template, "minimal")
routes = {(e.get("Properties", {}).get("Path"), e.get("Properties", {}).get("Method"))
          for e in properties.get("Events", {}).values()
          if e.get("Type") == "Api" and e.get("Properties", {}).get("RestApiId") == {"Ref": "Api"}}
for route in [("/{proxy+}", "ANY"), ("/", "ANY")]:
    check(route in routes, f"sam: Function has no Api event {route[1]} {route[0]} on Api")

# --- HTTP API (sam-http-api/, terraform-http-api/) -------------------------------------------
http = Terraform("terraform-http-api")
http.check_function(["minimal", "front-door"])
api = http.resource("aws_apigatewayv2_api", "api")
http.expect(api, "protocol_type", "HTTP", "aws_apigatewayv2_api.api")
integration = http.resource("aws_apigatewayv2_integration", "api")
for attribute, value in [("api_id", "${aws_apigatewayv2_api.api.id}"), ("integration_type", "AWS_PROXY"),
                         ("integration_method", "POST"), ("integration_uri", "${aws_lambda_function.api.invoke_arn}"),
                         ("payload_format_version", "2.0")]:
    http.expect(integration, attribute, value, "aws_apigatewayv2_integration.api")
target = "integrations/${aws_apigatewayv2_integration.api.id}"
route = http.resource("aws_apigatewayv2_route", "default")
http.expect(route, "route_key", "$default", "aws_apigatewayv2_route.default")
http.expect(route, "target", target, "aws_apigatewayv2_route.default")
check("authorization_type" not in route or route["authorization_type"] == "NONE",
      "terraform-http-api: the example's $default route has no authorizer")
preflight = http.resource("aws_apigatewayv2_route", "preflight")
http.expect(preflight, "route_key", "OPTIONS /{proxy+}", "aws_apigatewayv2_route.preflight")
http.expect(preflight, "authorization_type", "NONE", "aws_apigatewayv2_route.preflight")
http.expect(preflight, "target", target, "aws_apigatewayv2_route.preflight")
http.expect(preflight, "count", "${var.unauthenticated_preflight_route ? 1 : 0}", "aws_apigatewayv2_route.preflight")
check(http.variables.get("unauthenticated_preflight_route", {}).get("default") is False,
      "terraform-http-api: variable unauthenticated_preflight_route must default to false")
check(not any(k == "aws_apigatewayv2_route" and r.get("route_key", "").startswith("OPTIONS ") and n != "preflight"
              for (k, n), r in http.resources.items()),
      "terraform-http-api: only the optional preflight route may take OPTIONS from $default")
stage = http.resource("aws_apigatewayv2_stage", "default")
http.expect(stage, "name", "$default", "aws_apigatewayv2_stage.default")
http.expect(stage, "auto_deploy", True, "aws_apigatewayv2_stage.default")
permission = http.resource("aws_lambda_permission", "api_gateway")
http.expect(permission, "principal", "apigateway.amazonaws.com", "aws_lambda_permission.api_gateway")
http.expect(permission, "action", "lambda:InvokeFunction", "aws_lambda_permission.api_gateway")
http.expect(permission, "source_arn", "${aws_apigatewayv2_api.api.execution_arn}/*", "aws_lambda_permission.api_gateway")
http_terraform_cors = terraform_cors(http, api, "cors_configuration")
check_policy("terraform-http-api/cors.tf", http_terraform_cors, "http-api")
http.check_references()

text, template = load_sam("sam-http-api")
properties = check_sam_function("sam-http-api", template, SWITCHED_BINARY)
check(template["Resources"].get("HttpApi", {}).get("Type") == "AWS::Serverless::HttpApi",
      "sam-http-api: resource HttpApi must be an AWS::Serverless::HttpApi")
check("CorsConfiguration" not in template["Resources"].get("HttpApi", {}).get("Properties", {}),
      "sam-http-api: the CORS settings belong in the generated region, not in CorsConfiguration")
events = [e.get("Properties", {}) for e in properties.get("Events", {}).values() if e.get("Type") == "HttpApi"]
check(any(e.get("ApiId") == {"Ref": "HttpApi"} and "Path" not in e and "Method" not in e
          and e.get("PayloadFormatVersion", "2.0") == "2.0" for e in events),
      "sam-http-api: Function needs an HttpApi event on HttpApi with no Path and no Method (the $default route), payload 2.0")
check("# Preflight:" in text and "#     Path: /{proxy+}" in text and "#     Method: OPTIONS" in text
      and "#       Authorizer: NONE" in text,
      "sam-http-api: the template must document the unauthenticated OPTIONS /{proxy+} event for authorizers")
http_sam_cors = sam_cors_region("sam-http-api", text, template,
                                ["Resources", "HttpApi", "Properties", "DefinitionBody", "x-amazon-apigateway-cors"],
                                ["allowOrigins", "allowMethods", "allowHeaders", "exposeHeaders", "allowCredentials", "maxAge"])
if http_sam_cors is not None:
    check_policy("sam-http-api/template.yaml", http_sam_cors, "http-api")
    check(http_sam_cors == http_terraform_cors,
          f"sam-http-api and terraform-http-api CORS settings differ: {http_sam_cors} != {http_terraform_cors}")

# --- Lambda function URL (sam-function-url/, terraform-function-url/) ------------------------
url = Terraform("terraform-function-url")
url.check_function(["minimal", "front-door"])
function_url = url.resource("aws_lambda_function_url", "api")
url.expect(function_url, "function_name", "${aws_lambda_function.api.function_name}", "aws_lambda_function_url.api")
url.expect(function_url, "authorization_type", "NONE", "aws_lambda_function_url.api")
url.expect(function_url, "invoke_mode", "${var.invoke_mode}", "aws_lambda_function_url.api")
invoke_mode = url.variables.get("invoke_mode", {})
check(invoke_mode.get("default") == "BUFFERED"
      and 'contains(["BUFFERED", "RESPONSE_STREAM"], var.invoke_mode)' in json.dumps(invoke_mode.get("validation", [])).replace('\\"', '"'),
      "terraform-function-url: variable invoke_mode must default to BUFFERED and accept only BUFFERED and RESPONSE_STREAM")
public = url.resource("aws_lambda_permission", "function_url")
for attribute, value in [("action", "lambda:InvokeFunctionUrl"), ("principal", "*"), ("function_url_auth_type", "NONE"),
                         ("function_name", "${aws_lambda_function.api.function_name}")]:
    url.expect(public, attribute, value, "aws_lambda_permission.function_url")
invoke = url.resource("aws_lambda_permission", "function_url_invoke")
for attribute, value in [("action", "lambda:InvokeFunction"), ("principal", "*"), ("invoked_via_function_url", True),
                         ("function_name", "${aws_lambda_function.api.function_name}")]:
    url.expect(invoke, attribute, value, "aws_lambda_permission.function_url_invoke")
check(public.get("statement_id") not in ("FunctionURLAllowPublicAccess", "FunctionURLAllowInvokeAction")
      and invoke.get("statement_id") not in ("FunctionURLAllowPublicAccess", "FunctionURLAllowInvokeAction"),
      "terraform-function-url: the provider adds FunctionURLAllowPublicAccess and FunctionURLAllowInvokeAction itself; "
      "the permissions need other statement IDs")
aws_version = url.files.get("versions.tf", {}).get("terraform", [{}])[0].get("required_providers", [{}])[0].get("aws", {}).get("version", "")
check(aws_version == ">= 6.28.0",
      f"terraform-function-url: the aws provider must be >= 6.28.0 (invoked_via_function_url), got {aws_version!r}")
url_terraform_cors = terraform_cors(url, function_url, "cors")
check_policy("terraform-function-url/cors.tf", url_terraform_cors, "function-url")
url.check_references()

text, template = load_sam("sam-function-url")
properties = check_sam_function("sam-function-url", template, SWITCHED_BINARY)
config = properties.get("FunctionUrlConfig", {})
check(config.get("AuthType") == "NONE", "sam-function-url: FunctionUrlConfig.AuthType must be NONE")
check(config.get("InvokeMode") == {"Ref": "InvokeMode"}, "sam-function-url: FunctionUrlConfig.InvokeMode must be !Ref InvokeMode")
check(not properties.get("Events"), "sam-function-url: the function URL is the only front door (no events)")
url_sam_cors = sam_cors_region("sam-function-url", text, template,
                               ["Resources", "Function", "Properties", "FunctionUrlConfig", "Cors"],
                               ["AllowOrigins", "AllowMethods", "AllowHeaders", "ExposeHeaders", "AllowCredentials", "MaxAge"])
if url_sam_cors is not None:
    check_policy("sam-function-url/template.yaml", url_sam_cors, "function-url")
    check(url_sam_cors == url_terraform_cors,
          f"sam-function-url and terraform-function-url CORS settings differ: {url_sam_cors} != {url_terraform_cors}")

if errors:
    print("\n".join(errors), file=sys.stderr)
    sys.exit(1)
print(f"ok: {sum(len(t.resources) for t in (rest, http, url))} terraform resources in 3 configurations, "
      "3 SAM templates; REST gateway responses and preflight MOCKs, HTTP API and function URL CORS settings "
      "agree between SAM and Terraform; the front-door modes deploy the front-door binary")
EOF

step "all deployment templates are valid"
