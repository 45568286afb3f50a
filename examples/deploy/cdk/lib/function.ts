// The function of every stack: a binary of the `cors-examples` package, as `cargo lambda build`
// leaves it (target/lambda/<binary>/bootstrap), deployed with `Code.fromAsset`.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { Annotations, CfnOutput, Duration } from "aws-cdk-lib";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { Construct } from "constructs";

/** Set by `npm run synth` only: synthesize with a placeholder when a binary is not built. */
export const PLACEHOLDER_ENV = "CORS_CDK_PLACEHOLDER_ASSET";

export interface ExampleFunctionProps {
  /** The binary: `minimal` (writes the CORS headers) or `front-door` (writes none). */
  readonly binary: string;
  /** cargo lambda's output directory, holding `<binary>/bootstrap`. */
  readonly lambdaDir: string;
}

/**
 * The directory `Code.fromAsset` packages: `<lambdaDir>/<binary>`, which must hold `bootstrap`.
 *
 * When it does not and `CORS_CDK_PLACEHOLDER_ASSET=1` (the offline `npm run synth`), a directory
 * with a placeholder `bootstrap` that only fails, so that the templates synthesize with no Rust
 * build, no Docker and no AWS account. `cdk synth` and `cdk deploy` never set it: without the
 * binary they stop with the command that builds it.
 */
function assetDir(scope: Construct, props: ExampleFunctionProps): string {
  const built = path.resolve(props.lambdaDir, props.binary);
  if (fs.existsSync(path.join(built, "bootstrap"))) {
    return built;
  }
  const build = `cargo lambda build --release --arm64 --bin ${props.binary}`;
  if (process.env[PLACEHOLDER_ENV] !== "1") {
    throw new Error(
      `${path.join(built, "bootstrap")} does not exist: run \`${build}\` at the workspace root ` +
        "(or pass -c lambdaDir=<cargo lambda's output directory>)",
    );
  }
  const dir = path.join(os.tmpdir(), "cors-lambda-cdk-placeholder", props.binary);
  fs.mkdirSync(dir, { recursive: true });
  const script = [
    "#!/bin/sh",
    `# Placeholder of the offline synth: ${props.binary} was not built (${build}).`,
    `echo "placeholder: deploy the ${props.binary} binary built by cargo lambda" >&2`,
    "exit 1",
    "",
  ].join("\n");
  fs.writeFileSync(path.join(dir, "bootstrap"), script, { mode: 0o755 });
  Annotations.of(scope).addWarningV2(
    "cors-lambda:placeholder-asset",
    `${props.binary} is not built: synthesized with a placeholder bootstrap; run \`${build}\` before deploying`,
  );
  return dir;
}

/** A `provided.al2023` arm64 function running a cargo lambda binary, as the SAM templates declare it. */
export class ExampleFunction extends Construct {
  readonly function: lambda.Function;

  constructor(scope: Construct, id: string, props: ExampleFunctionProps) {
    super(scope, id);
    this.function = new lambda.Function(this, "Function", {
      code: lambda.Code.fromAsset(assetDir(this, props)),
      handler: "bootstrap",
      runtime: lambda.Runtime.PROVIDED_AL2023,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 128,
      timeout: Duration.seconds(10),
      description: `The ${props.binary} example of cors-lambda`,
    });
    new CfnOutput(scope, "FunctionName", {
      description: "Name of the Lambda function.",
      value: this.function.functionName,
    });
  }
}
