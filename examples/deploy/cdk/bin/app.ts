// The three deployments of the `minimal` example, each with its CORS switch (context values,
// defaults in cdk.json):
//
//   CorsRestApi      REST API, Lambda proxy integration; -c preflightByFrontDoor=true adds the
//                    preflight MOCK
//   CorsHttpApi      HTTP API;      -c corsByFrontDoor=true: corsPreflight, `front-door` binary
//   CorsFunctionUrl  function URL;  -c corsByFrontDoor=true: cors, `front-door` binary
//
// `npm run synth` writes every stack to cdk.out/ with no AWS account, no Docker and no network;
// `npx cdk deploy <stack>` deploys one (see README.md).

import { App } from "aws-cdk-lib";
import * as lambda from "aws-cdk-lib/aws-lambda";

import { FunctionUrlStack } from "../lib/function-url-stack";
import { HttpApiStack } from "../lib/http-api-stack";
import { RestApiStack } from "../lib/rest-api-stack";

// Under the CDK CLI, CDK_OUTDIR says where to write; run directly (npm run synth), cdk.out/.
const app = new App({ outdir: process.env.CDK_OUTDIR ?? "cdk.out" });

/** A context value: `true`/`false` from cdk.json, `"true"`/`"false"` from `-c key=value`. */
function flag(key: string): boolean {
  const value: unknown = app.node.tryGetContext(key) ?? false;
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  throw new Error(`context ${key} must be true or false, is ${JSON.stringify(value)}`);
}

function text(key: string, fallback: string): string {
  const value: unknown = app.node.tryGetContext(key) ?? fallback;
  if (typeof value !== "string" || value === "") {
    throw new Error(`context ${key} must be a non-empty string, is ${JSON.stringify(value)}`);
  }
  return value;
}

const lambdaDir = text("lambdaDir", "../../../target/lambda");
const invokeModes: Record<string, lambda.InvokeMode> = {
  BUFFERED: lambda.InvokeMode.BUFFERED,
  RESPONSE_STREAM: lambda.InvokeMode.RESPONSE_STREAM,
};
const invokeMode = invokeModes[text("invokeMode", "BUFFERED")];
if (invokeMode === undefined) {
  throw new Error("context invokeMode must be BUFFERED or RESPONSE_STREAM");
}

new RestApiStack(app, "CorsRestApi", {
  preflightByFrontDoor: flag("preflightByFrontDoor"),
  stageName: text("stageName", "prod"),
  lambdaDir,
});
new HttpApiStack(app, "CorsHttpApi", {
  corsByFrontDoor: flag("corsByFrontDoor"),
  unauthenticatedPreflightRoute: flag("unauthenticatedPreflightRoute"),
  lambdaDir,
});
new FunctionUrlStack(app, "CorsFunctionUrl", {
  corsByFrontDoor: flag("corsByFrontDoor"),
  invokeMode,
  lambdaDir,
});

app.synth();
