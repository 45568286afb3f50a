// The CORS settings of the three deployments, as cors-deploy renders them from the policies in
// code (lib/cors.generated.json, written by tests/deploy_drift.rs and compared there byte for
// byte), turned into the props of the CDK's constructs. Nothing here chooses a value: a change
// of policy is a change in the Rust code, then `UPDATE_DEPLOY=1 cargo test -p cors-tests --test
// deploy_drift`.

import { Duration } from "aws-cdk-lib";
import * as apigateway from "aws-cdk-lib/aws-apigateway";
import * as apigwv2 from "aws-cdk-lib/aws-apigatewayv2";
import * as lambda from "aws-cdk-lib/aws-lambda";

import generated from "./cors.generated.json";

/** One of `values` (an enum's), or an error naming what the policy asked for. */
function member<T extends string>(values: Record<string, T>, value: string, what: string): T {
  const found = Object.values(values).find((v) => v === value);
  if (found === undefined) {
    throw new Error(`${what}: ${JSON.stringify(value)} is not one of ${Object.values(values).join(", ")}`);
  }
  return found;
}

/** The REST API's gateway responses (`DEFAULT_4XX`, `DEFAULT_5XX`): header values in single quotes. */
export function gatewayResponses(): (apigateway.GatewayResponseOptions & { id: string })[] {
  return generated.restApi.gatewayResponses.map((response) => ({
    id: `Cors${response.type.replace("DEFAULT_", "Default")}`,
    type: apigateway.ResponseType.of(response.type),
    responseHeaders: response.responseHeaders,
    templates: response.templates,
  }));
}

/** The optional preflight MOCK: its integration and the OPTIONS method's responses. */
export function preflightMock(): { integration: apigateway.MockIntegration; methodResponses: apigateway.MethodResponse[] } {
  const mock = generated.restApi.preflightMock;
  return {
    integration: new apigateway.MockIntegration(mock.integration),
    methodResponses: mock.methodResponses,
  };
}

/** The HTTP API's `corsPreflight`: plain values. */
export function httpApiCorsPreflight(): apigwv2.CorsPreflightOptions {
  const cors: Record<string, unknown> = generated.httpApi.corsPreflight;
  const { allowOrigins, allowMethods, allowHeaders, exposeHeaders, allowCredentials, maxAge } = cors as {
    allowOrigins: string[];
    allowMethods: string[];
    allowHeaders?: string[];
    exposeHeaders?: string[];
    allowCredentials?: boolean;
    maxAge?: number;
  };
  return {
    allowOrigins,
    allowMethods: allowMethods.map((m) => member(apigwv2.CorsHttpMethod, m, "httpApi.corsPreflight.allowMethods")),
    allowHeaders,
    exposeHeaders,
    allowCredentials,
    maxAge: maxAge === undefined ? undefined : Duration.seconds(maxAge),
  };
}

/** The function URL's `cors`: plain values. */
export function functionUrlCors(): lambda.FunctionUrlCorsOptions {
  const cors: Record<string, unknown> = generated.functionUrl.cors;
  const { allowedOrigins, allowedMethods, allowedHeaders, exposedHeaders, allowCredentials, maxAge } = cors as {
    allowedOrigins: string[];
    allowedMethods: string[];
    allowedHeaders?: string[];
    exposedHeaders?: string[];
    allowCredentials?: boolean;
    maxAge?: number;
  };
  return {
    allowedOrigins,
    allowedMethods: allowedMethods.map((m) => member(lambda.HttpMethod, m, "functionUrl.cors.allowedMethods")),
    allowedHeaders,
    exposedHeaders,
    allowCredentials,
    maxAge: maxAge === undefined ? undefined : Duration.seconds(maxAge),
  };
}

/** Where each part comes from, for the stacks' descriptions. */
export const policies = {
  restApi: generated.restApi.policy,
  frontDoor: generated.httpApi.policy,
};
