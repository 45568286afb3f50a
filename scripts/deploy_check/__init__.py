"""Validates the deployments under examples/deploy with real tools that need no cloud account.

Deployments: REST API (sam/, terraform/, cdk/ CorsRestApi), HTTP API (sam-http-api/,
terraform-http-api/, cdk/ CorsHttpApi), Lambda function URL (sam-function-url/,
terraform-function-url/, cdk/ CorsFunctionUrl).

- SAM templates (`sam`): cfn-lint, which also runs the SAM transform (aws-sam-translator); then
  the transform itself, structural checks of its output with each mode's condition evaluated
  either way, and cfn-lint on that output.
- Terraform (`terraform`): HashiCorp's own HCL parser (@cdktf/hcl2json, `hcl2json.mjs`) and
  python-hcl2, `terraform fmt -check` when terraform is on PATH, then structural checks: the
  expected resources, routes, permissions and variables, the counted preflight MOCK and its
  redeployment triggers, the package of each mode's binary, the generated parts, and every
  reference resolving.
- Generated parts (`structure`): the SAM regions between their BEGIN and END markers and the
  Terraform files that hold them are present, delimited, shaped as the code renders them, used
  by the templates, and the same in SAM and Terraform.
- CDK (`cdk`): `npm ci`, `tsc --noEmit`, the offline synth of every stack in both modes,
  cfn-lint on every synthesized template, and the synthesized CORS parts equal to SAM's.

That the generated parts match the code is tests/deploy_drift.rs's job; both read the names
they share from tests/fixtures/deploy.json.
"""
