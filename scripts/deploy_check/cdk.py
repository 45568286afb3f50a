"""The CDK app (examples/deploy/cdk): installed from its lock file, type-checked, synthesized offline
in both modes, linted, and its CORS parts compared with the SAM deployment's."""

import json
import os
import re
import subprocess
from pathlib import Path

from .cfn import by_type
from .policy import CFN_KEYS, check_policy, normalize
from .report import check
from .sam import check_url_permissions
from .shared import (
    DEPLOY,
    FRONT_DOOR_BINARY,
    FUNCTION_BINARY,
    GATEWAY_RESPONSE_TEMPLATES,
    GATEWAY_RESPONSE_TYPES,
    MOCK_REQUEST_TEMPLATES,
)

APP = DEPLOY / "cdk"
STACKS = ["CorsRestApi", "CorsHttpApi", "CorsFunctionUrl"]
#: Both modes at once: the MOCK on the REST API, the front door's CORS on the HTTP API and the URL.
FRONT_DOOR_CONTEXT = {"preflightByFrontDoor": True, "corsByFrontDoor": True}
#: The CDK makes a function depend on its role explicitly although its properties' GetAtt of the
#: role does already: a redundant DependsOn, which cfn-lint reports as W3005.
CFN_LINT_IGNORED = ["W3005"]


def npm(*args, env=None):
    subprocess.run(["npm", *args], cwd=APP, check=True, env=env)


def install_and_synth(work: Path):
    """`npm ci`, `tsc --noEmit`, and the synth of each mode: {front_door: the cdk.out directory}."""
    npm("ci", "--no-audit", "--no-fund", "--loglevel=error")
    npm("run", "--silent", "typecheck")
    outdirs = {False: APP / "cdk.out", True: work / "cdk.front-door"}
    for front_door, outdir in outdirs.items():
        env = dict(os.environ, CDK_OUTDIR=str(outdir))
        env.pop("CDK_CONTEXT_JSON", None)
        if front_door:
            env["CDK_CONTEXT_JSON"] = json.dumps(FRONT_DOOR_CONTEXT)
        npm("run", "--silent", "synth", env=env)
        print(f"synthesized {', '.join(STACKS)} into {outdir} ({mode(front_door)})")
    return outdirs


def check_refuses_without_build(work: Path):
    """Outside `npm run synth`, a binary not built stops the app with the command that builds it:
    `cdk deploy` never ships the placeholder."""
    empty = work / "no-build"
    empty.mkdir()
    env = dict(
        os.environ, CDK_OUTDIR=str(work / "cdk.no-build"), CDK_CONTEXT_JSON=json.dumps({"lambdaDir": str(empty)})
    )
    env.pop("CORS_CDK_PLACEHOLDER_ASSET", None)
    result = subprocess.run(["npx", "tsx", "bin/app.ts"], cwd=APP, env=env, capture_output=True, text=True)
    build = f"cargo lambda build --release --arm64 --bin {FUNCTION_BINARY}"
    if check(
        result.returncode != 0 and build in result.stderr,
        f"cdk: without the built binary and outside npm run synth, the app must stop and name `{build}`; "
        f"it exited {result.returncode}",
    ):
        print(f"without a build, the app stops: run `{build}`")


def mode(front_door):
    return "the front door answers CORS" if front_door else "the function answers CORS"


def templates(outdirs):
    """Every synthesized template, by mode and stack."""
    found = {}
    for front_door, outdir in outdirs.items():
        for stack in STACKS:
            path = outdir / f"{stack}.template.json"
            if check(path.is_file(), f"cdk: the synth wrote no {path}"):
                found[(front_door, stack)] = path
    return found


def check_app_files():
    """Pinned versions, a lock file, and nothing generated committed."""
    package = json.loads((APP / "package.json").read_text())
    versions = {**package.get("dependencies", {}), **package.get("devDependencies", {})}
    for name in ["aws-cdk-lib", "constructs", "aws-cdk", "tsx", "typescript"]:
        check(
            re.fullmatch(r"\d+\.\d+\.\d+", versions.get(name, "")) is not None,
            f"cdk/package.json: {name} must be pinned to one version, is {versions.get(name)!r}",
        )
    check(versions.get("typescript", "").startswith("5."), "cdk/package.json: TypeScript 5.x (ts-node and tsx need it)")
    check(package.get("scripts", {}).get("synth", "").endswith("tsx bin/app.ts"), "cdk: npm run synth runs the app")
    lock = json.loads((APP / "package-lock.json").read_text())
    locked = lock.get("packages", {}).get("node_modules/aws-cdk-lib", {}).get("version")
    check(locked == versions.get("aws-cdk-lib"), f"cdk/package-lock.json locks aws-cdk-lib {locked!r}")
    ignored = (APP / ".gitignore").read_text().split()
    check({"node_modules/", "cdk.out/"} <= set(ignored), "cdk/.gitignore must ignore node_modules/ and cdk.out/")


def function_of(resources, where, binary, outdir):
    """The stack's one function, checked to run the binary of the mode as the SAM templates do, from
    an asset directory with its `bootstrap` (staged in the synth's output directory)."""
    functions = by_type(resources, "AWS::Lambda::Function")
    if not check(len(functions) == 1, f"{where}: expected one AWS::Lambda::Function, found {len(functions)}"):
        return None
    name, function = next(iter(functions.items()))
    properties = function["Properties"]
    check(properties.get("Runtime") == "provided.al2023", f"{where}: the function's runtime must be provided.al2023")
    check(properties.get("Handler") == "bootstrap", f"{where}: the function's handler must be bootstrap")
    check(properties.get("Architectures") == ["arm64"], f"{where}: the function must be arm64")
    description = properties.get("Description", "")
    check(
        description == f"The {binary} example of cors-lambda",
        f"{where}: the function must run the {binary} binary, is described as {description!r}",
    )
    key = properties.get("Code", {}).get("S3Key", "")
    asset = re.fullmatch(r"([0-9a-f]{64})\.zip", key)
    check(
        asset is not None and (outdir / f"asset.{asset.group(1)}" / "bootstrap").is_file(),
        f"{where}: the function's code must be an asset holding bootstrap (the directory cargo lambda builds), "
        f"is {key!r}",
    )
    return name


def refers_to(value, logical_id):
    return f'"{logical_id}"' in json.dumps(value)


def check_rest(where, resources, outdir, sam, front_door):
    function = function_of(resources, where, FUNCTION_BINARY, outdir)
    apis = by_type(resources, "AWS::ApiGateway::RestApi")
    if not check(len(apis) == 1, f"{where}: expected one AWS::ApiGateway::RestApi, found {len(apis)}"):
        return
    api = next(iter(apis))
    check(
        next(iter(apis.values()))["Properties"].get("EndpointConfiguration") == {"Types": ["REGIONAL"]},
        f"{where}: the REST API must be REGIONAL, as the SAM template's",
    )
    proxies = {
        name
        for name, r in by_type(resources, "AWS::ApiGateway::Resource").items()
        if r["Properties"].get("PathPart") == "{proxy+}"
    }
    check(len(proxies) == 1, f"{where}: expected one {{proxy+}} resource, found {len(proxies)}")
    methods = {}
    for method in by_type(resources, "AWS::ApiGateway::Method").values():
        properties = method["Properties"]
        resource = properties.get("ResourceId")
        path = (
            "/{proxy+}"
            if any(resource == {"Ref": p} for p in proxies)
            else "/"
            if resource == {"Fn::GetAtt": [api, "RootResourceId"]}
            else repr(resource)
        )
        methods[(path, properties.get("HttpMethod"))] = properties
    expected = {(path, verb) for path in ["/{proxy+}", "/"] for verb in (["ANY", "OPTIONS"] if front_door else ["ANY"])}
    check(set(methods) == expected, f"{where}: methods {sorted(methods)}, expected {sorted(expected)}")
    for path in ["/{proxy+}", "/"]:
        integration = methods.get((path, "ANY"), {}).get("Integration", {})
        check(
            integration.get("Type") == "AWS_PROXY"
            and integration.get("IntegrationHttpMethod") == "POST"
            and function is not None
            and refers_to(integration.get("Uri"), function),
            f"{where}: ANY {path} must be the Lambda proxy integration of the function",
        )
        if not front_door:
            continue
        options = methods.get((path, "OPTIONS"), {})
        integration = options.get("Integration", {})
        check(options.get("AuthorizationType") == "NONE", f"{where}: the MOCK on {path} must need no authorization")
        check(
            integration.get("Type") == "MOCK" and integration.get("RequestTemplates") == MOCK_REQUEST_TEMPLATES,
            f"{where}: OPTIONS {path} must be a MOCK integration selecting status 200",
        )
        answers = integration.get("IntegrationResponses", [])
        check(
            answers == [{"StatusCode": "200", "ResponseParameters": sam.mock_values}],
            f"{where}: the MOCK on {path} answers {answers!r}, the SAM deployment's {sam.mock_values!r}",
        )
        declared = options.get("MethodResponses", [])
        check(
            declared == [{"StatusCode": "200", "ResponseParameters": {k: False for k in sam.mock_values}}],
            f"{where}: the OPTIONS method on {path} must declare the MOCK's headers, declares {declared!r}",
        )
    responses = {
        r["Properties"].get("ResponseType"): r["Properties"]
        for r in by_type(resources, "AWS::ApiGateway::GatewayResponse").values()
    }
    check(
        set(responses) == set(GATEWAY_RESPONSE_TYPES),
        f"{where}: gateway responses {sorted(responses)}, expected {GATEWAY_RESPONSE_TYPES}",
    )
    for response_type, response in responses.items():
        headers = {
            k.removeprefix("gatewayresponse.header."): v for k, v in response.get("ResponseParameters", {}).items()
        }
        expected = sam.gateway_headers.get(response_type)
        check(headers == expected, f"{where}: {response_type} sends {headers!r}, the SAM deployment's {expected!r}")
        check(
            response.get("ResponseTemplates") == GATEWAY_RESPONSE_TEMPLATES,
            f"{where}: {response_type} must keep API Gateway's JSON body template",
        )
    stages = by_type(resources, "AWS::ApiGateway::Stage").values()
    check(
        [s["Properties"].get("StageName") for s in stages] == ["prod"],
        f"{where}: one stage, prod (the SAM template's default StageName)",
    )
    check(
        any(
            p["Properties"].get("Principal") == "apigateway.amazonaws.com"
            for p in by_type(resources, "AWS::Lambda::Permission").values()
        ),
        f"{where}: no permission for API Gateway to invoke the function",
    )


def check_http_api(where, resources, outdir, sam_cors, front_door):
    function = function_of(resources, where, FRONT_DOOR_BINARY if front_door else FUNCTION_BINARY, outdir)
    apis = by_type(resources, "AWS::ApiGatewayV2::Api")
    if not check(len(apis) == 1, f"{where}: expected one AWS::ApiGatewayV2::Api, found {len(apis)}"):
        return
    api = next(iter(apis.values()))["Properties"]
    check(api.get("ProtocolType") == "HTTP", f"{where}: the API must be an HTTP API")
    integrations = by_type(resources, "AWS::ApiGatewayV2::Integration")
    check(
        len(integrations) == 1
        and all(
            i["Properties"].get("IntegrationType") == "AWS_PROXY"
            and i["Properties"].get("PayloadFormatVersion") == "2.0"
            and function is not None
            and refers_to(i["Properties"].get("IntegrationUri"), function)
            for i in integrations.values()
        ),
        f"{where}: one AWS_PROXY integration of the function, payload format 2.0",
    )
    routes = [r["Properties"] for r in by_type(resources, "AWS::ApiGatewayV2::Route").values()]
    check(
        [r.get("RouteKey") for r in routes] == ["$default"]
        and all(refers_to(r.get("Target"), next(iter(integrations), "")) for r in routes),
        f"{where}: one route, $default, to the integration; has {[r.get('RouteKey') for r in routes]}",
    )
    stages = [s["Properties"] for s in by_type(resources, "AWS::ApiGatewayV2::Stage").values()]
    check(
        any(s.get("StageName") == "$default" and s.get("AutoDeploy") is True for s in stages),
        f"{where}: expected the auto-deployed $default stage",
    )
    check(
        any(
            p["Properties"].get("Principal") == "apigateway.amazonaws.com"
            and p["Properties"].get("Action") == "lambda:InvokeFunction"
            for p in by_type(resources, "AWS::Lambda::Permission").values()
        ),
        f"{where}: no lambda:InvokeFunction permission for apigateway.amazonaws.com",
    )
    deployed = api.get("CorsConfiguration")
    if front_door:
        cors = normalize(deployed or {}, CFN_KEYS)
        check_policy(where, cors, "http-api")
        check(cors == sam_cors, f"{where}: CorsConfiguration is {cors!r}, the SAM deployment's {sam_cors!r}")
    else:
        check(deployed is None, f"{where}: the function answers, yet the API has a CORS configuration {deployed!r}")


def check_function_url(where, resources, outdir, sam_cors, front_door):
    function = function_of(resources, where, FRONT_DOOR_BINARY if front_door else FUNCTION_BINARY, outdir)
    urls = list(by_type(resources, "AWS::Lambda::Url").values())
    if not check(len(urls) == 1, f"{where}: expected one AWS::Lambda::Url, found {len(urls)}"):
        return
    url = urls[0]["Properties"]
    check(url.get("AuthType") == "NONE", f"{where}: the function URL's AuthType must be NONE")
    check(url.get("InvokeMode") == "BUFFERED", f"{where}: the function URL's InvokeMode must default to BUFFERED")
    check(
        function is not None and refers_to(url.get("TargetFunctionArn"), function),
        f"{where}: the function URL must target the function",
    )
    check_url_permissions(where, [p["Properties"] for p in by_type(resources, "AWS::Lambda::Permission").values()])
    deployed = url.get("Cors")
    if front_door:
        cors = normalize(deployed or {}, CFN_KEYS)
        check_policy(where, cors, "function-url")
        check(cors == sam_cors, f"{where}: the URL's Cors is {cors!r}, the SAM deployment's {sam_cors!r}")
    else:
        check(deployed is None, f"{where}: the function answers, yet the URL has Cors settings {deployed!r}")


def check_synthesized(found, rest, http_api_cors, function_url_cors):
    """Each synthesized stack, in each mode, against the SAM deployment's CORS parts."""
    checkers = {
        "CorsRestApi": (check_rest, rest),
        "CorsHttpApi": (check_http_api, http_api_cors),
        "CorsFunctionUrl": (check_function_url, function_url_cors),
    }
    for (front_door, stack), path in sorted(found.items()):
        resources = json.loads(path.read_text()).get("Resources", {})
        checker, sam = checkers[stack]
        checker(f"cdk {stack} ({mode(front_door)})", resources, path.parent, sam, front_door)
