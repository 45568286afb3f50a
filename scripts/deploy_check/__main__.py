"""`python3 -m deploy_check --hcl2json-prefix DIR`: every check of the deployments, one report.

The tools are installed by scripts/validate-deploy.sh: cfn-lint and python-hcl2 (pip),
@cdktf/hcl2json (npm, under DIR), node and npm; terraform is used when it is on PATH.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

from . import cdk, report, sam, structure, terraform
from .shared import DEPLOY, SAM_DIRS, TERRAFORM_DIRS


def step(title):
    print(f"\n== {title}", flush=True)


def cfn_lint(paths, ignore=()):
    """cfn-lint on the templates (one run: it loads its schemas once); a finding is a problem."""
    paths = [str(path) for path in paths]
    command = ["cfn-lint", "--format", "parseable"]
    if ignore:
        command += ["--ignore-checks", *ignore]
    result = subprocess.run([*command, "--", *paths], capture_output=True, text=True)
    findings = (result.stdout + result.stderr).strip()
    if report.check(result.returncode == 0, f"cfn-lint:\n{findings}"):
        print("\n".join(f"ok {path}" for path in paths))


def terraform_fmt():
    if shutil.which("terraform") is None:
        print("skipped: terraform is not on PATH")
        return
    for name in TERRAFORM_DIRS:
        result = subprocess.run(
            ["terraform", "fmt", "-check", "-diff", "--", str(DEPLOY / name)],
            capture_output=True,
            text=True,
            env=dict(os.environ, TF_CLI_CONFIG_FILE="/dev/null"),
        )
        if report.check(
            result.returncode == 0,
            f"{name}: not in terraform fmt's canonical format (the generated files must be too):\n{result.stdout}",
        ):
            print(f"ok {name}")


def versions(hcl2json_prefix):
    cfn_lint_version = subprocess.run(["cfn-lint", "--version"], capture_output=True, text=True).stdout.split()[-1]
    hcl2json = hcl2json_prefix / "node_modules" / "@cdktf" / "hcl2json" / "package.json"
    print(f"cfn-lint {cfn_lint_version}")
    print(f"aws-sam-translator {version('aws-sam-translator')}")
    print(f"python-hcl2 {version('python-hcl2')}")
    print(f"@cdktf/hcl2json {json.loads(hcl2json.read_text())['version']}")
    print(f"node {subprocess.run(['node', '--version'], capture_output=True, text=True).stdout.strip()}")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m deploy_check", description=__doc__)
    parser.add_argument(
        "--hcl2json-prefix", type=Path, required=True, help="the npm prefix @cdktf/hcl2json is installed under"
    )
    args = parser.parse_args(argv)
    # The SAM transform needs a region, never an account.
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

    step("tools")
    versions(args.hcl2json_prefix)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        step("cfn-lint on the SAM templates (it runs the SAM transform too)")
        cfn_lint(DEPLOY / name / "template.yaml" for name in SAM_DIRS)

        step("SAM transform (aws-sam-translator) and checks of its output, each mode's condition either way")
        transformed = sam.check_sam_transforms(SAM_DIRS, work)
        step("cfn-lint on the transformed templates")
        cfn_lint(transformed)

        step(f"HashiCorp HCL parser (@cdktf/hcl2json): {' '.join(TERRAFORM_DIRS)}")
        parsed = terraform.parse_with_hcl2json(args.hcl2json_prefix, TERRAFORM_DIRS, work / "terraform.json")
        step("terraform fmt -check")
        terraform_fmt()

        step("python-hcl2, structural checks, and the generated parts the same in SAM and Terraform")
        rest = structure.check_rest_deployments(parsed)
        http_api_cors = structure.check_http_api_deployments(parsed)
        function_url_cors = structure.check_function_url_deployments(parsed)

        step("CDK: npm ci, tsc, the offline synth of every stack in both modes")
        cdk.check_app_files()
        found = cdk.templates(cdk.install_and_synth(work))
        cdk.check_refuses_without_build(work)
        step(f"cfn-lint on the synthesized templates (ignoring {', '.join(cdk.CFN_LINT_IGNORED)})")
        cfn_lint(found.values(), ignore=cdk.CFN_LINT_IGNORED)
        step("CDK: the synthesized CORS parts are the SAM deployment's")
        cdk.check_synthesized(found, rest, http_api_cors, function_url_cors)

    errors = report.errors()
    if errors:
        print("\n".join(errors), file=sys.stderr)
        print(f"validate-deploy: {len(errors)} problem(s)", file=sys.stderr)
        return 1
    print(
        "\nok: 3 SAM templates, 3 terraform configurations, 3 CDK stacks in 2 modes; REST gateway responses and "
        "preflight MOCKs, HTTP API and function URL CORS settings agree between SAM, Terraform and the CDK; "
        "the front-door modes deploy the front-door binary"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
