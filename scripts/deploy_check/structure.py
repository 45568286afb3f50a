"""The deployments' structure, and their generated parts agreeing between SAM and Terraform.

Each `check_*_deployments` returns the CORS parts of its SAM deployment, which the CDK's are then
compared with (`cdk.py`).
"""

import json
import re
from dataclasses import dataclass, field

from .cfn import load_sam
from .policy import CFN_KEYS, HTTP_API_KEYS, check_policy, sam_cors_region
from .regions import generated_regions, list_item_region
from .report import check
from .shared import (
    DEPLOY,
    FRONT_DOOR_BINARY,
    FUNCTION_BINARY,
    GATEWAY_RESPONSE_TEMPLATES,
    GATEWAY_RESPONSE_TYPES,
    MOCK_REQUEST_TEMPLATES,
)
from .terraform import Terraform, terraform_cors

#: The front-door modes' function: the front-door binary when the front door answers CORS.
SWITCHED_BINARY = {"Fn::If": ["CorsByFrontDoor", FRONT_DOOR_BINARY, FUNCTION_BINARY]}

MOCK_KINDS = [
    "aws_api_gateway_method",
    "aws_api_gateway_integration",
    "aws_api_gateway_method_response",
    "aws_api_gateway_integration_response",
]
REST_RESOURCE_IDS = [
    ("proxy", "${aws_api_gateway_resource.proxy.id}"),
    ("root", "${aws_api_gateway_rest_api.api.root_resource_id}"),
]


@dataclass
class RestParts:
    """The REST deployment's CORS parts, as SAM deploys them."""

    #: Response type -> header -> static value (in single quotes).
    gateway_headers: dict = field(default_factory=dict)
    #: The MOCK's `method.response.header.*` -> static value (in single quotes).
    mock_values: dict = field(default_factory=dict)


def check_sam_function(name, template, binary):
    function = template.get("Resources", {}).get("Function", {})
    metadata = function.get("Metadata", {})
    check(
        function.get("Type") == "AWS::Serverless::Function",
        f"{name}: resource Function must be an AWS::Serverless::Function",
    )
    check(metadata.get("BuildMethod") == "rust-cargolambda", f"{name}: Function must build with rust-cargolambda")
    built = metadata.get("BuildProperties", {}).get("Binary")
    check(built == binary, f"{name}: Function must build the binary {binary!r}, builds {built!r}")
    properties = function.get("Properties", {})
    check(properties.get("Runtime") == "provided.al2023", f"{name}: Function runtime must be provided.al2023")
    check(properties.get("Handler") == "bootstrap", f"{name}: Function handler must be bootstrap")
    check(properties.get("Architectures") == ["arm64"], f"{name}: Function must be arm64")
    return properties


def check_terraform_rest(rest):
    """terraform/: the routes, the function, the gateway responses and the counted MOCK; returns the
    gateway responses' headers and the MOCK's values."""
    api_id = "${aws_api_gateway_rest_api.api.id}"
    rest.resource("aws_api_gateway_rest_api", "api")
    proxy = rest.resource("aws_api_gateway_resource", "proxy")
    rest.expect(proxy, "path_part", "{proxy+}", "aws_api_gateway_resource.proxy")
    rest.expect(
        proxy, "parent_id", "${aws_api_gateway_rest_api.api.root_resource_id}", "aws_api_gateway_resource.proxy"
    )
    for path, resource_id in REST_RESOURCE_IDS:
        route = f"{path}_any"
        method = rest.resource("aws_api_gateway_method", route)
        rest.expect(method, "http_method", "ANY", f"aws_api_gateway_method.{route}")
        rest.expect(method, "resource_id", resource_id, f"aws_api_gateway_method.{route}")
        rest.expect(method, "authorization", "NONE", f"aws_api_gateway_method.{route}")
        integration = rest.resource("aws_api_gateway_integration", route)
        where = f"aws_api_gateway_integration.{route}"
        rest.expect(integration, "type", "AWS_PROXY", where)
        rest.expect(integration, "integration_http_method", "POST", where)
        rest.expect(integration, "uri", "${aws_lambda_function.api.invoke_arn}", where)
        rest.expect(integration, "resource_id", resource_id, where)
    rest.check_function([FUNCTION_BINARY])
    permission = rest.resource("aws_lambda_permission", "api_gateway")
    rest.expect(permission, "principal", "apigateway.amazonaws.com", "aws_lambda_permission.api_gateway")
    rest.expect(permission, "action", "lambda:InvokeFunction", "aws_lambda_permission.api_gateway")
    deployment = rest.resource("aws_api_gateway_deployment", "api")
    triggers = json.dumps(deployment.get("triggers", {}))
    depends_on = json.dumps(deployment.get("depends_on", []))
    stage = rest.resource("aws_api_gateway_stage", "api")
    rest.expect(stage, "deployment_id", "${aws_api_gateway_deployment.api.id}", "aws_api_gateway_stage.api")

    parts = RestParts()
    for response_type in GATEWAY_RESPONSE_TYPES:
        name = f"cors_{response_type.lower()}"
        response = rest.resource("aws_api_gateway_gateway_response", name)
        where = f"aws_api_gateway_gateway_response.{name}"
        rest.expect(response, "response_type", response_type, where)
        rest.expect(response, "rest_api_id", api_id, where)
        parameters = response.get("response_parameters", {})
        origin = parameters.get("gatewayresponse.header.Access-Control-Allow-Origin")
        if check(origin is not None, f"terraform: {where} has no Access-Control-Allow-Origin"):
            check(
                re.fullmatch(r"'(\*|https?://[^'/]+)'", origin) is not None,
                f"terraform: {where}: Access-Control-Allow-Origin {origin!r} is not one quoted origin or '*'",
            )
        rest.expect(response, "response_templates", GATEWAY_RESPONSE_TEMPLATES, where)
        parts.gateway_headers[response_type] = {
            k.removeprefix("gatewayresponse.header."): v for k, v in parameters.items()
        }
        check(
            f"{where}.response_parameters" in triggers,
            f"terraform: the deployment's triggers must include {where}.response_parameters",
        )
    check(
        (rest.dir / "gateway_responses.tf")
        .read_text()
        .startswith("# Generated by cors-deploy (GatewayResponses::to_terraform)"),
        "terraform/gateway_responses.tf must start with its generated header",
    )

    # The optional preflight MOCK (cors_preflight.tf): an OPTIONS method without authorization and a
    # MOCK integration on both resources, each resource counted by var.preflight_by_front_door.
    switch = rest.variables.get("preflight_by_front_door", {})
    check(
        switch.get("type") == "${bool}" and switch.get("default") is False,
        "terraform: variable preflight_by_front_door must be a bool defaulting to false (the function answers)",
    )
    check(
        (rest.dir / "cors_preflight.tf")
        .read_text()
        .startswith("# Generated by cors-deploy (RestPreflightMock::to_terraform)"),
        "terraform/cors_preflight.tf must start with its generated header",
    )
    preflight_doc = rest.files.get("cors_preflight.tf", {})
    check(
        set(preflight_doc) == {"resource"}
        and set(preflight_doc["resource"]) == set(MOCK_KINDS)
        and all(
            set(preflight_doc["resource"][k]) == {"cors_preflight_proxy", "cors_preflight_root"} for k in MOCK_KINDS
        ),
        "terraform/cors_preflight.tf must hold exactly the OPTIONS method, integration, method response and "
        "integration response of cors_preflight_proxy and cors_preflight_root",
    )
    counted = "${var.preflight_by_front_door ? 1 : 0}"
    mocks = {}
    for path, resource_id in REST_RESOURCE_IDS:
        name = f"cors_preflight_{path}"
        method_ref = f"${{aws_api_gateway_method.{name}[0].http_method}}"
        blocks = {kind: rest.resource(kind, name) for kind in MOCK_KINDS}
        for kind, block in blocks.items():
            where = f"{kind}.{name}"
            rest.expect(block, "count", counted, where)
            rest.expect(block, "rest_api_id", api_id, where)
            rest.expect(block, "resource_id", resource_id, where)
            if kind != "aws_api_gateway_method":
                rest.expect(block, "http_method", method_ref, where)
        method, integration = blocks["aws_api_gateway_method"], blocks["aws_api_gateway_integration"]
        method_response = blocks["aws_api_gateway_method_response"]
        integration_response = blocks["aws_api_gateway_integration_response"]
        rest.expect(method, "http_method", "OPTIONS", f"aws_api_gateway_method.{name}")
        rest.expect(method, "authorization", "NONE", f"aws_api_gateway_method.{name}")
        rest.expect(integration, "type", "MOCK", f"aws_api_gateway_integration.{name}")
        rest.expect(integration, "request_templates", MOCK_REQUEST_TEMPLATES, f"aws_api_gateway_integration.{name}")
        rest.expect(method_response, "status_code", "200", f"aws_api_gateway_method_response.{name}")
        rest.expect(
            integration_response,
            "status_code",
            f"${{aws_api_gateway_method_response.{name}[0].status_code}}",
            f"aws_api_gateway_integration_response.{name}",
        )
        values = integration_response.get("response_parameters", {})
        declared = method_response.get("response_parameters", {})
        check(
            set(values) == set(declared),
            f"terraform: {name}: the integration response sets {sorted(values)}, "
            f"the method response declares {sorted(declared)}",
        )
        for header in ["Access-Control-Allow-Origin", "Access-Control-Allow-Methods", "Access-Control-Allow-Headers"]:
            value = values.get(f"method.response.header.{header}")
            check(
                isinstance(value, str) and re.fullmatch(r"'[^']+'", value) is not None,
                f"terraform: {name}: {header} must be one static value in single quotes, is {value!r}",
            )
        origin = values.get("method.response.header.Access-Control-Allow-Origin", "")
        check(
            re.fullmatch(r"'(\*|[a-z][a-z0-9+.-]*://[^'/]+)'", origin) is not None,
            f"terraform: {name}: Access-Control-Allow-Origin {origin!r} is not one quoted origin or '*'",
        )
        check(
            origin == parts.gateway_headers.get("DEFAULT_4XX", {}).get("Access-Control-Allow-Origin"),
            f"terraform: {name} and the gateway responses must grant the same origin",
        )
        mocks[path] = values
        check(
            f"aws_api_gateway_integration_response.{name}[*].response_parameters" in triggers
            and f"aws_api_gateway_integration.{name}[*].id" in triggers,
            f"terraform: the deployment's triggers must include {name}'s integration and integration response",
        )
        check(
            f"aws_api_gateway_integration_response.{name}" in depends_on,
            f"terraform: the deployment must depend on aws_api_gateway_integration_response.{name}",
        )
    check(mocks.get("proxy") == mocks.get("root"), "terraform: the two preflight MOCKs must answer alike")
    check(
        not any(
            r.get("type") == "MOCK"
            for (k, n), r in rest.resources.items()
            if k == "aws_api_gateway_integration" and not n.startswith("cors_preflight_")
        ),
        "terraform: a MOCK integration outside cors_preflight.tf would answer preflights instead of the function",
    )
    rest.check_references()
    parts.mock_values = mocks.get("proxy", {})
    return parts


def check_rest_deployments(parsed):
    """REST API (sam/, terraform/): the same gateway responses and MOCK in both; returns SAM's."""
    terraform = check_terraform_rest(Terraform("terraform", parsed["terraform"]))

    sam_text, template = load_sam_checked("sam")
    generated_regions("sam/template.yaml", sam_text, "GatewayResponses")
    api = template.get("Resources", {}).get("Api", {})
    check(api.get("Type") == "AWS::Serverless::Api", "sam: resource Api must be an AWS::Serverless::Api")
    api_properties = api.get("Properties", {})
    check("Cors" not in api_properties, "sam: Api must not set Cors (it would always add MOCK OPTIONS methods)")
    sam = RestParts()
    responses = api_properties.get("GatewayResponses", {})
    for response_type in GATEWAY_RESPONSE_TYPES:
        response = responses.get(response_type)
        if check(response is not None, f"sam: GatewayResponses has no {response_type}"):
            headers = response.get("ResponseParameters", {}).get("Headers", {})
            check("Access-Control-Allow-Origin" in headers, f"sam: {response_type} has no Access-Control-Allow-Origin")
            check(
                response.get("ResponseTemplates") == GATEWAY_RESPONSE_TEMPLATES,
                f"sam: {response_type} must keep API Gateway's JSON body template",
            )
            sam.gateway_headers[response_type] = headers
    check(
        sam.gateway_headers == terraform.gateway_headers,
        f"sam and terraform gateway responses differ: {sam.gateway_headers} != {terraform.gateway_headers}",
    )

    # The MOCK regions: one list item each, the true branch of `options: !If [PreflightByFrontDoor, ...]`.
    paths = api_properties.get("DefinitionBody", {}).get("paths", {})
    mock_regions = generated_regions("sam/template.yaml", sam_text, "RestPreflightMock", count=2)
    sam_mocks = [list_item_region("sam/template.yaml", region) for _, region in mock_regions]
    for path, mock in zip(["/{proxy+}", "/"], sam_mocks, strict=False):
        if mock is None:
            continue
        check(
            paths.get(path, {}).get("options") == {"Fn::If": ["PreflightByFrontDoor", mock, {"Ref": "AWS::NoValue"}]},
            f"sam: the generated MOCK region under {path} must be its "
            "options: !If [PreflightByFrontDoor, <region>, !Ref AWS::NoValue]",
        )
        integration = mock.get("x-amazon-apigateway-integration", {})
        check(
            integration.get("type") == "mock" and integration.get("requestTemplates") == MOCK_REQUEST_TEMPLATES,
            f"sam: the MOCK under {path} must be a mock integration selecting status 200",
        )
        answer = integration.get("responses", {}).get("default", {})
        check(answer.get("statusCode") == "200", f"sam: the MOCK under {path} must answer 200 by default")
        declared = {f"method.response.header.{h}" for h in mock.get("responses", {}).get("200", {}).get("headers", {})}
        values = answer.get("responseParameters", {})
        check(
            set(values) == declared,
            f"sam: the MOCK under {path} sets {sorted(values)} but its 200 declares {sorted(declared)}",
        )
        check(
            values == terraform.mock_values,
            f"sam and terraform preflight MOCKs differ: {values} != {terraform.mock_values}",
        )
        check(
            set(paths.get(path, {})) == {"x-amazon-apigateway-any-method", "options"},
            f"sam: {path} must have the ANY integration and the optional options, has {sorted(paths.get(path, {}))}",
        )
        sam.mock_values = values
    check(
        set(paths) == {"/{proxy+}", "/"}, f"sam: the definition's paths must be /{{proxy+}} and /, are {sorted(paths)}"
    )

    properties = check_sam_function("sam", template, FUNCTION_BINARY)
    routes = {
        (e.get("Properties", {}).get("Path"), e.get("Properties", {}).get("Method"))
        for e in properties.get("Events", {}).values()
        if e.get("Type") == "Api" and e.get("Properties", {}).get("RestApiId") == {"Ref": "Api"}
    }
    for route in [("/{proxy+}", "ANY"), ("/", "ANY")]:
        check(route in routes, f"sam: Function has no Api event {route[1]} {route[0]} on Api")
    return sam


def load_sam_checked(name):
    return load_sam(DEPLOY, name)


def check_http_api_deployments(parsed):
    """HTTP API (sam-http-api/, terraform-http-api/): the same CORS settings; returns SAM's."""
    http = Terraform("terraform-http-api", parsed["terraform-http-api"])
    http.check_function([FUNCTION_BINARY, FRONT_DOOR_BINARY])
    api = http.resource("aws_apigatewayv2_api", "api")
    http.expect(api, "protocol_type", "HTTP", "aws_apigatewayv2_api.api")
    integration = http.resource("aws_apigatewayv2_integration", "api")
    for attribute, value in [
        ("api_id", "${aws_apigatewayv2_api.api.id}"),
        ("integration_type", "AWS_PROXY"),
        ("integration_method", "POST"),
        ("integration_uri", "${aws_lambda_function.api.invoke_arn}"),
        ("payload_format_version", "2.0"),
    ]:
        http.expect(integration, attribute, value, "aws_apigatewayv2_integration.api")
    target = "integrations/${aws_apigatewayv2_integration.api.id}"
    route = http.resource("aws_apigatewayv2_route", "default")
    http.expect(route, "route_key", "$default", "aws_apigatewayv2_route.default")
    http.expect(route, "target", target, "aws_apigatewayv2_route.default")
    check(
        "authorization_type" not in route or route["authorization_type"] == "NONE",
        "terraform-http-api: the example's $default route has no authorizer",
    )
    preflight = http.resource("aws_apigatewayv2_route", "preflight")
    http.expect(preflight, "route_key", "OPTIONS /{proxy+}", "aws_apigatewayv2_route.preflight")
    http.expect(preflight, "authorization_type", "NONE", "aws_apigatewayv2_route.preflight")
    http.expect(preflight, "target", target, "aws_apigatewayv2_route.preflight")
    http.expect(
        preflight, "count", "${var.unauthenticated_preflight_route ? 1 : 0}", "aws_apigatewayv2_route.preflight"
    )
    check(
        http.variables.get("unauthenticated_preflight_route", {}).get("default") is False,
        "terraform-http-api: variable unauthenticated_preflight_route must default to false",
    )
    check(
        not any(
            k == "aws_apigatewayv2_route" and r.get("route_key", "").startswith("OPTIONS ") and n != "preflight"
            for (k, n), r in http.resources.items()
        ),
        "terraform-http-api: only the optional preflight route may take OPTIONS from $default",
    )
    stage = http.resource("aws_apigatewayv2_stage", "default")
    http.expect(stage, "name", "$default", "aws_apigatewayv2_stage.default")
    http.expect(stage, "auto_deploy", True, "aws_apigatewayv2_stage.default")
    permission = http.resource("aws_lambda_permission", "api_gateway")
    http.expect(permission, "principal", "apigateway.amazonaws.com", "aws_lambda_permission.api_gateway")
    http.expect(permission, "action", "lambda:InvokeFunction", "aws_lambda_permission.api_gateway")
    http.expect(
        permission, "source_arn", "${aws_apigatewayv2_api.api.execution_arn}/*", "aws_lambda_permission.api_gateway"
    )
    terraform = terraform_cors(http, api, "cors_configuration")
    check_policy("terraform-http-api/cors.tf", terraform, "http-api")
    http.check_references()

    text, template = load_sam_checked("sam-http-api")
    properties = check_sam_function("sam-http-api", template, SWITCHED_BINARY)
    http_api = template["Resources"].get("HttpApi", {})
    check(
        http_api.get("Type") == "AWS::Serverless::HttpApi",
        "sam-http-api: resource HttpApi must be an AWS::Serverless::HttpApi",
    )
    check(
        "CorsConfiguration" not in http_api.get("Properties", {}),
        "sam-http-api: the CORS settings belong in the generated region, not in CorsConfiguration",
    )
    events = [e.get("Properties", {}) for e in properties.get("Events", {}).values() if e.get("Type") == "HttpApi"]
    check(
        any(
            e.get("ApiId") == {"Ref": "HttpApi"}
            and "Path" not in e
            and "Method" not in e
            and e.get("PayloadFormatVersion", "2.0") == "2.0"
            for e in events
        ),
        "sam-http-api: Function needs an HttpApi event on HttpApi with no Path and no Method "
        "(the $default route), payload 2.0",
    )
    check(
        "# Preflight:" in text
        and "#     Path: /{proxy+}" in text
        and "#     Method: OPTIONS" in text
        and "#       Authorizer: NONE" in text,
        "sam-http-api: the template must document the unauthenticated OPTIONS /{proxy+} event for authorizers",
    )
    sam = sam_cors_region(
        "sam-http-api",
        text,
        template,
        ["Resources", "HttpApi", "Properties", "DefinitionBody", "x-amazon-apigateway-cors"],
        HTTP_API_KEYS,
    )
    if sam is not None:
        check_policy("sam-http-api/template.yaml", sam, "http-api")
        check(
            sam == terraform,
            f"sam-http-api and terraform-http-api CORS settings differ: {sam} != {terraform}",
        )
    return sam


def check_function_url_deployments(parsed):
    """Lambda function URL (sam-function-url/, terraform-function-url/): the same CORS settings;
    returns SAM's."""
    url = Terraform("terraform-function-url", parsed["terraform-function-url"])
    url.check_function([FUNCTION_BINARY, FRONT_DOOR_BINARY])
    function_url = url.resource("aws_lambda_function_url", "api")
    url.expect(function_url, "function_name", "${aws_lambda_function.api.function_name}", "aws_lambda_function_url.api")
    url.expect(function_url, "authorization_type", "NONE", "aws_lambda_function_url.api")
    url.expect(function_url, "invoke_mode", "${var.invoke_mode}", "aws_lambda_function_url.api")
    invoke_mode = url.variables.get("invoke_mode", {})
    validation = json.dumps(invoke_mode.get("validation", [])).replace('\\"', '"')
    check(
        invoke_mode.get("default") == "BUFFERED"
        and 'contains(["BUFFERED", "RESPONSE_STREAM"], var.invoke_mode)' in validation,
        "terraform-function-url: variable invoke_mode must default to BUFFERED and accept only BUFFERED and "
        "RESPONSE_STREAM",
    )
    public = url.resource("aws_lambda_permission", "function_url")
    for attribute, value in [
        ("action", "lambda:InvokeFunctionUrl"),
        ("principal", "*"),
        ("function_url_auth_type", "NONE"),
        ("function_name", "${aws_lambda_function.api.function_name}"),
    ]:
        url.expect(public, attribute, value, "aws_lambda_permission.function_url")
    invoke = url.resource("aws_lambda_permission", "function_url_invoke")
    for attribute, value in [
        ("action", "lambda:InvokeFunction"),
        ("principal", "*"),
        ("invoked_via_function_url", True),
        ("function_name", "${aws_lambda_function.api.function_name}"),
    ]:
        url.expect(invoke, attribute, value, "aws_lambda_permission.function_url_invoke")
    reserved = ("FunctionURLAllowPublicAccess", "FunctionURLAllowInvokeAction")
    check(
        public.get("statement_id") not in reserved and invoke.get("statement_id") not in reserved,
        "terraform-function-url: the provider adds FunctionURLAllowPublicAccess and FunctionURLAllowInvokeAction "
        "itself; the permissions need other statement IDs",
    )
    versions = url.files.get("versions.tf", {}).get("terraform", [{}])[0]
    aws_version = versions.get("required_providers", [{}])[0].get("aws", {}).get("version", "")
    check(
        aws_version == ">= 6.28.0",
        f"terraform-function-url: the aws provider must be >= 6.28.0 (invoked_via_function_url), got {aws_version!r}",
    )
    terraform = terraform_cors(url, function_url, "cors")
    check_policy("terraform-function-url/cors.tf", terraform, "function-url")
    url.check_references()

    text, template = load_sam_checked("sam-function-url")
    properties = check_sam_function("sam-function-url", template, SWITCHED_BINARY)
    config = properties.get("FunctionUrlConfig", {})
    check(config.get("AuthType") == "NONE", "sam-function-url: FunctionUrlConfig.AuthType must be NONE")
    check(
        config.get("InvokeMode") == {"Ref": "InvokeMode"},
        "sam-function-url: FunctionUrlConfig.InvokeMode must be !Ref InvokeMode",
    )
    check(not properties.get("Events"), "sam-function-url: the function URL is the only front door (no events)")
    sam = sam_cors_region(
        "sam-function-url",
        text,
        template,
        ["Resources", "Function", "Properties", "FunctionUrlConfig", "Cors"],
        CFN_KEYS,
    )
    if sam is not None:
        check_policy("sam-function-url/template.yaml", sam, "function-url")
        check(
            sam == terraform,
            f"sam-function-url and terraform-function-url CORS settings differ: {sam} != {terraform}",
        )
    return sam
