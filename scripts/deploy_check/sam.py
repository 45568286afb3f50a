"""The SAM templates after the transform (aws-sam-translator, as `sam deploy` and CloudFormation run
it), with each mode's condition evaluated either way."""

import copy
import json
from pathlib import Path

from .cfn import by_type, evaluate_if, load_yaml
from .report import check
from .shared import DEPLOY, FRONT_DOOR_BINARY, FUNCTION_BINARY, GATEWAY_RESPONSE_TYPES, MOCK_REQUEST_TEMPLATES


def check_mode_switch(where, template, name="CorsByFrontDoor"):
    """A mode parameter (default false) and its condition of the same name."""
    parameter = template.get("Parameters", {}).get(name, {})
    check(
        parameter.get("Default") == "false" and sorted(parameter.get("AllowedValues", [])) == ["false", "true"],
        f"{where}: parameter {name} must allow false and true and default to false",
    )
    check(
        template.get("Conditions", {}).get(name) == {"Fn::Equals": [{"Ref": name}, "true"]},
        f'{where}: condition {name} must be !Equals [!Ref {name}, "true"]',
    )


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
    for response_type in GATEWAY_RESPONSE_TYPES:
        parameters = responses.get(response_type, {}).get("responseParameters", {})
        check(
            "gatewayresponse.header.Access-Control-Allow-Origin" in parameters,
            f"{where}: the deployed API has no {response_type} with Access-Control-Allow-Origin",
        )
    paths = body.get("paths", {})
    check(
        set(paths) == {"/{proxy+}", "/"},
        f"{where}: the deployed API must have exactly the paths /{{proxy+}} and /, has {sorted(paths)}",
    )
    for path in ["/{proxy+}", "/"]:
        methods = paths.get(path, {})
        integration = methods.get("x-amazon-apigateway-any-method", {}).get("x-amazon-apigateway-integration", {})
        check(
            integration.get("type") == "aws_proxy"
            and integration.get("httpMethod") == "POST"
            and "${Function.Arn}" in json.dumps(integration.get("uri")),
            f"{where}: the deployed API has no AWS_PROXY ANY integration to Function on {path}",
        )
        check(
            set(methods) <= {"x-amazon-apigateway-any-method", "options"},
            f"{where}: unexpected operations on {path}: {sorted(methods)}",
        )
        if front_door:
            options = methods.get("options", {})
            check(options == mock, f"{where}: OPTIONS on {path} is {options!r}, expected the generated MOCK")
            integration = options.get("x-amazon-apigateway-integration", {})
            check(
                integration.get("type") == "mock" and integration.get("requestTemplates") == MOCK_REQUEST_TEMPLATES,
                f"{where}: OPTIONS on {path} must be a MOCK integration selecting status 200",
            )
            check("security" not in options, f"{where}: the preflight MOCK on {path} must need no authorization")
        else:
            check(
                "options" not in methods,
                f"{where}: the deployed API has its own OPTIONS method on {path}: preflights must reach the function",
            )
    check(
        any(r["Type"] == "AWS::Lambda::Permission" for r in resources.values()),
        f"{where}: the transform produced no AWS::Lambda::Permission for API Gateway",
    )


def mock_branches(template):
    """The true branches of `options: !If [PreflightByFrontDoor, <MOCK>, !Ref AWS::NoValue]` on both paths."""
    paths = (
        template.get("Resources", {}).get("Api", {}).get("Properties", {}).get("DefinitionBody", {}).get("paths", {})
    )
    found = []
    for path in ["/{proxy+}", "/"]:
        branches = paths.get(path, {}).get("options", {}).get("Fn::If")
        if check(
            isinstance(branches, list)
            and len(branches) == 3
            and branches[0] == "PreflightByFrontDoor"
            and branches[2] == {"Ref": "AWS::NoValue"},
            f"sam/template.yaml: {path} must have options: "
            "!If [PreflightByFrontDoor, <generated MOCK>, !Ref AWS::NoValue]",
        ):
            found.append(branches[1])
    if check(
        len(found) == 2 and found[0] == found[1],
        "sam/template.yaml: the two MOCKs (/{proxy+}, /) must be the same",
    ):
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
    check(
        integration.get("type") == "aws_proxy" and integration.get("httpMethod") == "POST",
        f"{where}: the $default route has no AWS_PROXY integration",
    )
    check(
        integration.get("payloadFormatVersion") == "2.0",
        f"{where}: the $default integration must use payload format 2.0",
    )
    check(
        "${Function.Arn}" in json.dumps(integration.get("uri")),
        f"{where}: the $default integration must invoke Function",
    )
    for path, methods in body.get("paths", {}).items():
        check(
            "options" not in methods or path == "/{proxy+}",
            f"{where}: OPTIONS on {path}: only the unauthenticated OPTIONS /{{proxy+}} route is expected",
        )
    stages = list(by_type(resources, "AWS::ApiGatewayV2::Stage").values())
    check(
        any(
            s["Properties"].get("StageName") == "$default" and s["Properties"].get("AutoDeploy") is True for s in stages
        ),
        f"{where}: expected the auto-deployed $default stage",
    )
    permissions = by_type(resources, "AWS::Lambda::Permission").values()
    check(
        any(
            p["Properties"].get("Principal") == "apigateway.amazonaws.com"
            and p["Properties"].get("Action") == "lambda:InvokeFunction"
            for p in permissions
        ),
        f"{where}: no lambda:InvokeFunction permission for apigateway.amazonaws.com",
    )
    deployed = body.get("x-amazon-apigateway-cors")
    if front_door:
        check(deployed == cors, f"{where}: x-amazon-apigateway-cors is {deployed!r}, expected the generated {cors!r}")
    else:
        check(deployed is None, f"{where}: the function answers, yet the API has a CORS configuration {deployed!r}")


def check_url_permissions(where, permissions):
    """The two public statements a function URL with AuthType NONE needs, and no broader one."""
    check(
        any(
            p.get("Action") == "lambda:InvokeFunctionUrl"
            and p.get("Principal") == "*"
            and p.get("FunctionUrlAuthType") == "NONE"
            for p in permissions
        ),
        f"{where}: no public lambda:InvokeFunctionUrl permission with FunctionUrlAuthType NONE",
    )
    check(
        any(
            p.get("Action") == "lambda:InvokeFunction"
            and p.get("Principal") == "*"
            and p.get("InvokedViaFunctionUrl") is True
            for p in permissions
        ),
        f"{where}: no public lambda:InvokeFunction permission with InvokedViaFunctionUrl "
        "(required for new function URLs)",
    )
    check(
        not any(
            p.get("Action") == "lambda:InvokeFunction"
            and p.get("Principal") == "*"
            and p.get("InvokedViaFunctionUrl") is not True
            for p in permissions
        ),
        f"{where}: a public lambda:InvokeFunction permission must be limited to the function URL "
        "(InvokedViaFunctionUrl)",
    )


def check_function_url(where, resources, cors, front_door):
    urls = list(by_type(resources, "AWS::Lambda::Url").values())
    if not check(len(urls) == 1, f"{where}: expected one AWS::Lambda::Url, found {len(urls)}"):
        return
    url = urls[0]["Properties"]
    check(url.get("AuthType") == "NONE", f"{where}: the function URL's AuthType must be NONE")
    check(url.get("TargetFunctionArn") == {"Ref": "Function"}, f"{where}: the function URL must target Function")
    check(
        url.get("InvokeMode") == {"Ref": "InvokeMode"},
        f"{where}: the function URL's InvokeMode must be the InvokeMode parameter",
    )
    check_url_permissions(where, [p["Properties"] for p in by_type(resources, "AWS::Lambda::Permission").values()])
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


def transform(template):
    """What `sam package` and then CloudFormation's transform make of a template."""
    from samtranslator.parser.parser import Parser
    from samtranslator.translator.translator import Translator

    packaged = copy.deepcopy(template)
    # What `sam package` does to a local CodeUri.
    for resource in packaged["Resources"].values():
        if resource.get("Type") == "AWS::Serverless::Function":
            resource["Properties"]["CodeUri"] = "s3://example-bucket/bootstrap.zip"
    return Translator(managed_policy_map={}, sam_parser=Parser()).translate(sam_template=packaged, parameter_values={})


def check_transformed(name, template, resources):
    """One template's transformed resources, in both modes."""
    kind, cors_path = KINDS[name]
    where = f"{name}/template.yaml"
    if kind == "rest":
        check_mode_switch(where, template, "PreflightByFrontDoor")
        check(
            template["Resources"].get("Api", {}).get("Properties", {}).get("AlwaysDeploy") is True,
            f"{where}: Api needs AlwaysDeploy: true (the deployment's hash does not see the !If resolved)",
        )
        check_binary(where, resources, FUNCTION_BINARY)
        mock = mock_branches(template)
        if mock is not None:
            for front_door in (False, True):
                mode = "PreflightByFrontDoor=" + str(front_door).lower()
                deployed = evaluate_if(resources, {"PreflightByFrontDoor": front_door})
                check_rest(f"{where} ({mode})", deployed, mock, front_door)
        return
    check_mode_switch(where, template)
    cors = cors_branch(template, cors_path)
    if check(
        cors is not None,
        f"{where}: {'.'.join(cors_path[1:])} must be !If [CorsByFrontDoor, <generated>, !Ref AWS::NoValue]",
    ):
        for front_door in (False, True):
            mode = "CorsByFrontDoor=" + str(front_door).lower()
            deployed = evaluate_if(resources, {"CorsByFrontDoor": front_door})
            checker = check_http_api if kind == "http-api" else check_function_url
            checker(f"{where} ({mode})", deployed, cors, front_door)
            # One place for CORS: the binary that writes no CORS header when the front door does.
            check_binary(f"{where} ({mode})", deployed, FRONT_DOOR_BINARY if front_door else FUNCTION_BINARY)
    if kind == "function-url":
        parameter = template.get("Parameters", {}).get("InvokeMode", {})
        check(
            parameter.get("Default") == "BUFFERED"
            and sorted(parameter.get("AllowedValues", [])) == ["BUFFERED", "RESPONSE_STREAM"],
            f"{where}: parameter InvokeMode must allow BUFFERED and RESPONSE_STREAM and default to BUFFERED",
        )


def check_sam_transforms(dirs, work: Path):
    """Transforms and checks each template; writes `<work>/<name>.transformed.json` for cfn-lint."""
    written = []
    for name in dirs:
        template = load_yaml((DEPLOY / name / "template.yaml").read_text())
        transformed = transform(template)
        resources = transformed["Resources"]
        check_transformed(name, template, resources)
        out = work / f"{name}.transformed.json"
        out.write_text(json.dumps(transformed, indent=1))
        written.append(out)
        print(f"{name}: " + ", ".join(sorted({r["Type"] for r in resources.values()})))
    return written
