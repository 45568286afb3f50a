"""A front door's CORS settings, compared across SAM, Terraform and the CDK in one shape."""

from .regions import generated_regions, list_item_region
from .report import check

#: The six settings, in Terraform's names: the shape every deployment's settings are compared in.
SNAKE = ["allow_origins", "allow_methods", "allow_headers", "expose_headers", "allow_credentials", "max_age"]

#: The names each format gives the six settings, in SNAKE's order.
#: The x-amazon-apigateway-cors extension's (sam-http-api).
HTTP_API_KEYS = ["allowOrigins", "allowMethods", "allowHeaders", "exposeHeaders", "allowCredentials", "maxAge"]
#: CloudFormation's: AWS::Lambda::Url's Cors (SAM's FunctionUrlConfig.Cors too) and
#: AWS::ApiGatewayV2::Api's CorsConfiguration.
CFN_KEYS = ["AllowOrigins", "AllowMethods", "AllowHeaders", "ExposeHeaders", "AllowCredentials", "MaxAge"]


def normalize(cors, keys):
    """A CORS policy as {snake_case: value}, unset values (empty list, false, null) left out."""
    out = {}
    for key, snake in zip(keys, SNAKE, strict=True):
        value = cors.get(key)
        if value not in (None, [], False):
            out[snake] = value
    return out


def check_policy(where, policy, front_door):
    """What the front door itself accepts."""
    origins, methods = policy.get("allow_origins", []), policy.get("allow_methods", [])
    check(
        "*" not in origins or not policy.get("allow_credentials"),
        f"{where}: credentials cannot be allowed with the origin *",
    )
    if front_door == "function-url":
        # Lambda API reference, Cors: at most 6 methods of at most 6 characters, at most 100 origins.
        check(
            len(methods) <= 6 and set(methods) <= {"GET", "PUT", "HEAD", "POST", "PATCH", "DELETE", "*"},
            f"{where}: a function URL allows at most 6 methods among GET, PUT, HEAD, POST, PATCH, DELETE, * "
            f"(no OPTIONS: the URL answers preflights itself), got {methods}",
        )
        check(len(origins) <= 100, f"{where}: a function URL allows at most 100 origins")
        check(0 <= policy.get("max_age", 0) <= 86400, f"{where}: a function URL's MaxAge is 0 to 86400")
    else:
        check(
            set(methods) <= {"GET", "PUT", "HEAD", "POST", "PATCH", "DELETE", "OPTIONS", "*"},
            f"{where}: unexpected methods {methods}",
        )


def sam_cors_region(name, text, template, path, keys):
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
    check(
        node == {"Fn::If": ["CorsByFrontDoor", cors, {"Ref": "AWS::NoValue"}]},
        f"{where}: {'.'.join(path[1:])} must be !If [CorsByFrontDoor, <the generated region>, !Ref AWS::NoValue]",
    )
    check(
        set(cors) <= set(keys) and {keys[0], keys[1], keys[2]} <= set(cors),
        f"{where}: generated keys {sorted(cors)}; expected {keys[:3]} and optionally {keys[3:]}",
    )
    for key in keys[:3] + keys[3:4]:
        if key in cors:
            check(
                isinstance(cors[key], list) and cors[key] and all(isinstance(v, str) for v in cors[key]),
                f"{where}: generated {key} must be a non-empty list of strings (leave it out when empty)",
            )
    check(cors.get(keys[4], True) is True, f"{where}: generated {keys[4]} is written only when true")
    check(isinstance(cors.get(keys[5], 0), int), f"{where}: generated {keys[5]} must be an integer when written")
    return normalize(cors, keys)
