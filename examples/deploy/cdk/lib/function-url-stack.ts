// The `minimal` handler behind a public Lambda function URL (auth type NONE). CORS in one place:
// the function (`minimal`, the default), or the URL's `cors` (`corsByFrontDoor`: the `front-door`
// binary, which writes no CORS header, and the settings cors-deploy renders from its policy; a
// function that wrote its own would send Access-Control-Allow-Origin twice).

import { CfnOutput, Stack, StackProps } from "aws-cdk-lib";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { Construct } from "constructs";

import { functionUrlCors, policies } from "./cors";
import { ExampleFunction } from "./function";

export interface FunctionUrlStackProps extends StackProps {
  /** Whether the URL answers CORS (the `front-door` binary) or the function does (`minimal`). */
  readonly corsByFrontDoor: boolean;
  /** BUFFERED, or RESPONSE_STREAM for a function built with run_with_streaming_response. */
  readonly invokeMode: lambda.InvokeMode;
  /** cargo lambda's output directory. */
  readonly lambdaDir: string;
}

export class FunctionUrlStack extends Stack {
  constructor(scope: Construct, id: string, props: FunctionUrlStackProps) {
    const binary = props.corsByFrontDoor ? "front-door" : "minimal";
    super(scope, id, {
      description: `The ${binary} example behind a function URL; CORS answered by ${
        props.corsByFrontDoor ? `the URL (${policies.frontDoor})` : "the function"
      }`,
      ...props,
    });
    const { function: fn } = new ExampleFunction(this, "Handler", { binary, lambdaDir: props.lambdaDir });
    // With AuthType NONE the CDK adds both statements a public URL needs:
    // lambda:InvokeFunctionUrl (FunctionUrlAuthType NONE) and lambda:InvokeFunction
    // (InvokedViaFunctionUrl).
    const url = fn.addFunctionUrl({
      authType: lambda.FunctionUrlAuthType.NONE,
      invokeMode: props.invokeMode,
      cors: props.corsByFrontDoor ? functionUrlCors() : undefined,
    });
    new CfnOutput(this, "FunctionUrl", {
      description: "The function URL (ends with /); append any path, e.g. 42.",
      value: url.url,
    });
  }
}
