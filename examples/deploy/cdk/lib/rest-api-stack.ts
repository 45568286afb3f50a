// The `minimal` function behind a REST API with the Lambda proxy integration: `ANY` on `/` and
// `/{proxy+}`. The function adds the CORS headers and answers preflights; the generated gateway
// responses add the headers to the errors API Gateway sends itself; with `preflightByFrontDoor`,
// an OPTIONS method with the generated MOCK answers preflights instead, without invoking the
// function (which still writes the headers of every actual response).

import { CfnOutput, Stack, StackProps } from "aws-cdk-lib";
import * as apigateway from "aws-cdk-lib/aws-apigateway";
import { Construct } from "constructs";

import { gatewayResponses, policies, preflightMock } from "./cors";
import { ExampleFunction } from "./function";

export interface RestApiStackProps extends StackProps {
  /** Whether a MOCK OPTIONS integration answers preflights (default: the function does). */
  readonly preflightByFrontDoor: boolean;
  /** The stage, the first path segment of the invoke URL. */
  readonly stageName: string;
  /** cargo lambda's output directory. */
  readonly lambdaDir: string;
}

export class RestApiStack extends Stack {
  constructor(scope: Construct, id: string, props: RestApiStackProps) {
    super(scope, id, {
      description: `The minimal example (${policies.restApi}) behind a REST API with the Lambda proxy integration`,
      ...props,
    });
    const { function: fn } = new ExampleFunction(this, "Minimal", {
      binary: "minimal",
      lambdaDir: props.lambdaDir,
    });

    const api = new apigateway.RestApi(this, "Api", {
      restApiName: this.stackName,
      endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
      deployOptions: { stageName: props.stageName },
      // No account-wide CloudWatch role for an example.
      cloudWatchRole: false,
      // No defaultCorsPreflightOptions: it would always add OPTIONS methods of its own.
    });
    // ANY catches every method no other method of the resource declares: OPTIONS too, unless
    // the MOCK is added.
    const integration = new apigateway.LambdaIntegration(fn, { proxy: true, allowTestInvoke: false });
    const proxy = api.root.addResource("{proxy+}");
    for (const resource of [api.root, proxy]) {
      resource.addMethod("ANY", integration);
    }

    for (const { id: responseId, ...response } of gatewayResponses()) {
      api.addGatewayResponse(responseId, response);
    }

    if (props.preflightByFrontDoor) {
      const mock = preflightMock();
      for (const resource of [api.root, proxy]) {
        resource.addMethod("OPTIONS", mock.integration, {
          authorizationType: apigateway.AuthorizationType.NONE,
          methodResponses: mock.methodResponses,
        });
      }
    }

    new CfnOutput(this, "InvokeUrl", {
      description: "Base URL of the API; append any path, e.g. 42.",
      value: api.url,
    });
  }
}
