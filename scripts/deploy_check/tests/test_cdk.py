import copy
import tempfile
import unittest
from pathlib import Path

from deploy_check import cdk, report
from deploy_check.structure import RestParts

HASH = "ab" * 32
ORIGIN = "'https://myapp.com'"
MOCK = {
    "method.response.header.Access-Control-Allow-Origin": ORIGIN,
    "method.response.header.Access-Control-Allow-Methods": "'GET,PUT'",
}
SAM_REST = RestParts(
    gateway_headers={t: {"Access-Control-Allow-Origin": ORIGIN} for t in ["DEFAULT_4XX", "DEFAULT_5XX"]},
    mock_values=MOCK,
)
SAM_CORS = {"allow_origins": ["https://myapp.com"], "allow_methods": ["GET", "PUT"], "max_age": 600}
CFN_CORS = {"AllowOrigins": ["https://myapp.com"], "AllowMethods": ["GET", "PUT"], "MaxAge": 600}


def function(binary):
    return {
        "Fn": {
            "Type": "AWS::Lambda::Function",
            "Properties": {
                "Runtime": "provided.al2023",
                "Handler": "bootstrap",
                "Architectures": ["arm64"],
                "Description": f"The {binary} example of cors-lambda",
                "Code": {"S3Bucket": "b", "S3Key": f"{HASH}.zip"},
            },
        }
    }


def method(resource, verb, integration, **extra):
    properties = {"ResourceId": resource, "HttpMethod": verb, "Integration": integration, **extra}
    return {"Type": "AWS::ApiGateway::Method", "Properties": properties}


def rest_stack(front_door):
    proxy = {"Type": "AWS_PROXY", "IntegrationHttpMethod": "POST", "Uri": {"Fn::GetAtt": ["Fn", "Arn"]}}
    root, child = {"Fn::GetAtt": ["Api", "RootResourceId"]}, {"Ref": "Proxy"}
    resources = {
        **function("minimal"),
        "Api": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"EndpointConfiguration": {"Types": ["REGIONAL"]}}},
        "Proxy": {"Type": "AWS::ApiGateway::Resource", "Properties": {"PathPart": "{proxy+}"}},
        "RootAny": method(root, "ANY", proxy),
        "ProxyAny": method(child, "ANY", proxy),
        "Stage": {"Type": "AWS::ApiGateway::Stage", "Properties": {"StageName": "prod"}},
        "Permission": {"Type": "AWS::Lambda::Permission", "Properties": {"Principal": "apigateway.amazonaws.com"}},
    }
    for response_type in ["DEFAULT_4XX", "DEFAULT_5XX"]:
        resources[response_type] = {
            "Type": "AWS::ApiGateway::GatewayResponse",
            "Properties": {
                "ResponseType": response_type,
                "ResponseParameters": {"gatewayresponse.header.Access-Control-Allow-Origin": ORIGIN},
                "ResponseTemplates": {"application/json": '{"message":$context.error.messageString}'},
            },
        }
    if front_door:
        mock = {
            "Type": "MOCK",
            "RequestTemplates": {"application/json": '{"statusCode": 200}'},
            "IntegrationResponses": [{"StatusCode": "200", "ResponseParameters": MOCK}],
        }
        declared = [{"StatusCode": "200", "ResponseParameters": {k: False for k in MOCK}}]
        for name, resource in [("RootOptions", root), ("ProxyOptions", child)]:
            resources[name] = method(resource, "OPTIONS", mock, AuthorizationType="NONE", MethodResponses=declared)
    return resources


def http_api_stack(front_door):
    api = {"ProtocolType": "HTTP", **({"CorsConfiguration": CFN_CORS} if front_door else {})}
    return {
        **function("front-door" if front_door else "minimal"),
        "Api": {"Type": "AWS::ApiGatewayV2::Api", "Properties": api},
        "Integration": {
            "Type": "AWS::ApiGatewayV2::Integration",
            "Properties": {
                "IntegrationType": "AWS_PROXY",
                "PayloadFormatVersion": "2.0",
                "IntegrationUri": {"Fn::GetAtt": ["Fn", "Arn"]},
            },
        },
        "Route": {
            "Type": "AWS::ApiGatewayV2::Route",
            "Properties": {
                "RouteKey": "$default",
                "Target": {"Fn::Join": ["", ["integrations/", {"Ref": "Integration"}]]},
            },
        },
        "Stage": {"Type": "AWS::ApiGatewayV2::Stage", "Properties": {"StageName": "$default", "AutoDeploy": True}},
        "Permission": {
            "Type": "AWS::Lambda::Permission",
            "Properties": {"Principal": "apigateway.amazonaws.com", "Action": "lambda:InvokeFunction"},
        },
    }


def function_url_stack(front_door):
    url = {"AuthType": "NONE", "InvokeMode": "BUFFERED", "TargetFunctionArn": {"Fn::GetAtt": ["Fn", "Arn"]}}
    if front_door:
        url["Cors"] = CFN_CORS
    public = {"Action": "lambda:InvokeFunctionUrl", "Principal": "*", "FunctionUrlAuthType": "NONE"}
    invoke = {"Action": "lambda:InvokeFunction", "Principal": "*", "InvokedViaFunctionUrl": True}
    return {
        **function("front-door" if front_door else "minimal"),
        "Url": {"Type": "AWS::Lambda::Url", "Properties": url},
        "Public": {"Type": "AWS::Lambda::Permission", "Properties": public},
        "Invoke": {"Type": "AWS::Lambda::Permission", "Properties": invoke},
    }


class SynthesizedTest(unittest.TestCase):
    def setUp(self):
        report.reset()
        self.tmp = tempfile.TemporaryDirectory()
        self.outdir = Path(self.tmp.name)
        (self.outdir / f"asset.{HASH}").mkdir()
        (self.outdir / f"asset.{HASH}" / "bootstrap").write_text("#!/bin/sh\n")

    def tearDown(self):
        self.tmp.cleanup()

    def run_all(self, mutate=None):
        for front_door in (False, True):
            stacks = [
                (cdk.check_rest, rest_stack(front_door), SAM_REST),
                (cdk.check_http_api, http_api_stack(front_door), SAM_CORS),
                (cdk.check_function_url, function_url_stack(front_door), SAM_CORS),
            ]
            for checker, resources, sam in stacks:
                resources = copy.deepcopy(resources)
                if mutate:
                    mutate(checker, front_door, resources)
                checker("stack", resources, self.outdir, sam, front_door)
        return report.errors()

    def test_stacks_like_the_sam_deployment_pass(self):
        self.assertEqual(self.run_all(), [])

    def test_a_different_origin_is_reported(self):
        def mutate(checker, front_door, resources):
            if checker is cdk.check_http_api and front_door:
                resources["Api"]["Properties"]["CorsConfiguration"]["AllowOrigins"] = ["https://other.com"]
            if checker is cdk.check_rest:
                parameters = resources["DEFAULT_5XX"]["Properties"]["ResponseParameters"]
                parameters["gatewayresponse.header.Access-Control-Allow-Origin"] = "https://myapp.com"

        errors = self.run_all(mutate)
        self.assertEqual(sum("CorsConfiguration is" in e for e in errors), 1, errors)
        self.assertEqual(sum("DEFAULT_5XX sends" in e for e in errors), 2, errors)

    def test_cors_in_both_places_or_the_wrong_binary_is_reported(self):
        def mutate(checker, front_door, resources):
            if checker is cdk.check_function_url and not front_door:
                resources["Url"]["Properties"]["Cors"] = CFN_CORS
            if checker is cdk.check_http_api and front_door:
                resources["Fn"]["Properties"]["Description"] = "The minimal example of cors-lambda"

        errors = self.run_all(mutate)
        self.assertTrue(any("the function answers, yet the URL has Cors settings" in e for e in errors), errors)
        self.assertTrue(any("must run the front-door binary" in e for e in errors), errors)
        self.assertEqual(len(errors), 2, errors)

    def test_a_missing_or_changed_mock_is_reported(self):
        def mutate(checker, front_door, resources):
            if checker is cdk.check_rest and front_door:
                del resources["RootOptions"]
                answers = resources["ProxyOptions"]["Properties"]["Integration"]["IntegrationResponses"]
                answers[0]["ResponseParameters"] = {**MOCK, "method.response.header.Access-Control-Max-Age": "'600'"}

        errors = self.run_all(mutate)
        self.assertTrue(any("methods [" in e for e in errors), errors)
        self.assertTrue(any("the MOCK on /{proxy+} answers" in e for e in errors), errors)

    def test_a_function_without_its_asset_is_reported(self):
        (self.outdir / f"asset.{HASH}" / "bootstrap").unlink()
        errors = self.run_all()
        self.assertEqual(len(errors), 6, errors)
        self.assertTrue(all("asset holding bootstrap" in e for e in errors))

    def test_a_public_invoke_without_the_function_url_condition_is_reported(self):
        def mutate(checker, front_door, resources):
            if checker is cdk.check_function_url:
                resources["Invoke"]["Properties"].pop("InvokedViaFunctionUrl")

        errors = self.run_all(mutate)
        self.assertEqual(len(errors), 4, errors)


if __name__ == "__main__":
    unittest.main()
