// The `minimal` handler behind an API Gateway HTTP API (payload format 2.0) with one `$default`
// route. CORS in one place: the function (`minimal`, the default), or the API's `corsPreflight`
// (`corsByFrontDoor`: the `front-door` binary, which writes no CORS header, and the settings
// cors-deploy renders from its policy).

import { CfnOutput, Stack, StackProps } from "aws-cdk-lib";
import * as apigwv2 from "aws-cdk-lib/aws-apigatewayv2";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import { Construct } from "constructs";

import { httpApiCorsPreflight, policies } from "./cors";
import { ExampleFunction } from "./function";

export interface HttpApiStackProps extends StackProps {
  /** Whether the API answers CORS (the `front-door` binary) or the function does (`minimal`). */
  readonly corsByFrontDoor: boolean;
  /**
   * An `OPTIONS /{proxy+}` route without authorization, for when an authorizer guards
   * `$default`: a browser's preflight carries no credentials.
   */
  readonly unauthenticatedPreflightRoute: boolean;
  /** cargo lambda's output directory. */
  readonly lambdaDir: string;
}

export class HttpApiStack extends Stack {
  constructor(scope: Construct, id: string, props: HttpApiStackProps) {
    const binary = props.corsByFrontDoor ? "front-door" : "minimal";
    super(scope, id, {
      description: `The ${binary} example behind an HTTP API; CORS answered by ${
        props.corsByFrontDoor ? `the API (${policies.frontDoor})` : "the function"
      }`,
      ...props,
    });
    const { function: fn } = new ExampleFunction(this, "Handler", { binary, lambdaDir: props.lambdaDir });
    const integration = new HttpLambdaIntegration("HandlerIntegration", fn, {
      payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_2_0,
    });
    // The `$default` route: every method and path, OPTIONS included.
    const api = new apigwv2.HttpApi(this, "HttpApi", {
      apiName: this.stackName,
      defaultIntegration: integration,
      corsPreflight: props.corsByFrontDoor ? httpApiCorsPreflight() : undefined,
    });
    if (props.unauthenticatedPreflightRoute) {
      // Has priority over `$default`; does not match `/` (add `OPTIONS /` the same way if pages
      // send preflights there).
      api.addRoutes({
        path: "/{proxy+}",
        methods: [apigwv2.HttpMethod.OPTIONS],
        integration,
        authorizer: new apigwv2.HttpNoneAuthorizer(),
      });
    }
    new CfnOutput(this, "InvokeUrl", {
      description: "Base URL of the API ($default stage); append any path, e.g. 42.",
      value: api.url ?? api.apiEndpoint,
    });
  }
}
