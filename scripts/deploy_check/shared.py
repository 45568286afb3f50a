"""Paths, and what tests/deploy_drift.rs shares with these checks (tests/fixtures/deploy.json)."""

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "examples" / "deploy"
SHARED = json.loads((ROOT / "tests" / "fixtures" / "deploy.json").read_text())

#: The binary that writes the CORS headers itself, and the one that writes none (front_door = true).
FUNCTION_BINARY = SHARED["binaries"]["function"]
FRONT_DOOR_BINARY = SHARED["binaries"]["frontDoor"]
#: The policies' source (FRONT_DOOR_CORS), and the front-door binary's, relative to ROOT.
POLICIES = SHARED["sources"]["policies"]
FRONT_DOOR_SOURCE = SHARED["sources"]["frontDoor"]
BEGIN = SHARED["markers"]["begin"]
END = SHARED["markers"]["end"]
GATEWAY_RESPONSE_TYPES = SHARED["gatewayResponseTypes"]
GATEWAY_RESPONSE_TEMPLATES = {"application/json": SHARED["gatewayResponseTemplate"]}
MOCK_REQUEST_TEMPLATES = {"application/json": SHARED["preflightMockRequestTemplate"]}
CDK_JSON = ROOT / SHARED["generated"]["cdk"]

SAM_DIRS = ["sam", "sam-http-api", "sam-function-url"]
TERRAFORM_DIRS = ["terraform", "terraform-http-api", "terraform-function-url"]
