# The `minimal` example (examples/src/bin/minimal.rs, `#[cors_handler(origin = "https://myapp.com")]`)
# behind a REST API with the Lambda proxy integration.
#
# The article's three steps, and where each one happens here:
#   1. CORS headers on the function's responses: the function (`#[cors_handler]`).
#   2. Answering OPTIONS preflights, chosen by var.preflight_by_front_door:
#      false (default): the function too. `ANY` on `/{proxy+}` and on `/` sends OPTIONS to it like
#        any other method, and it answers from the same attribute.
#      true: API Gateway. cors_preflight.tf adds an OPTIONS method with a MOCK integration on both
#        resources (it takes OPTIONS from ANY), whose static headers are generated from the same
#        attribute by cors-deploy (`cors_deploy::RestPreflightMock::to_terraform`); preflights then
#        cost no invocation. The function still adds the headers to every actual response.
#   3. CORS headers on the errors API Gateway sends itself (throttling, timeouts, failed
#      invocations, authorizers): gateway_responses.tf, generated from the same configuration
#      by cors-deploy (`cors_deploy::GatewayResponses::to_terraform`).
# Neither generated file is edited by hand (tests/deploy_drift.rs).

data "aws_iam_policy_document" "lambda_assume_role" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "lambda" {
  name               = "${var.name}-lambda"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume_role.json
}

resource "aws_iam_role_policy_attachment" "lambda_logs" {
  role       = aws_iam_role.lambda.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

resource "aws_cloudwatch_log_group" "lambda" {
  name              = "/aws/lambda/${var.name}"
  retention_in_days = 14
}

resource "aws_lambda_function" "api" {
  function_name    = var.name
  role             = aws_iam_role.lambda.arn
  runtime          = "provided.al2023"
  handler          = "bootstrap"
  architectures    = [var.architecture]
  filename         = var.lambda_zip
  source_code_hash = filebase64sha256(var.lambda_zip)
  memory_size      = 128
  timeout          = 10

  depends_on = [
    aws_iam_role_policy_attachment.lambda_logs,
    aws_cloudwatch_log_group.lambda,
  ]
}

resource "aws_api_gateway_rest_api" "api" {
  name = var.name

  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

# Every path below the root...
resource "aws_api_gateway_resource" "proxy" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_rest_api.api.root_resource_id
  path_part   = "{proxy+}"
}

# ANY catches every method no other method of the resource declares: OPTIONS too, unless
# var.preflight_by_front_door adds cors_preflight.tf's OPTIONS methods.
resource "aws_api_gateway_method" "proxy_any" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.proxy.id
  http_method   = "ANY"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "proxy_any" {
  rest_api_id             = aws_api_gateway_rest_api.api.id
  resource_id             = aws_api_gateway_resource.proxy.id
  http_method             = aws_api_gateway_method.proxy_any.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = aws_lambda_function.api.invoke_arn
}

# ...and the root itself, which `{proxy+}` does not match.
resource "aws_api_gateway_method" "root_any" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_rest_api.api.root_resource_id
  http_method   = "ANY"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "root_any" {
  rest_api_id             = aws_api_gateway_rest_api.api.id
  resource_id             = aws_api_gateway_rest_api.api.root_resource_id
  http_method             = aws_api_gateway_method.root_any.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = aws_lambda_function.api.invoke_arn
}

resource "aws_lambda_permission" "api_gateway" {
  statement_id  = "AllowInvokeFromApiGateway"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.api.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.api.execution_arn}/*/*"
}

resource "aws_api_gateway_deployment" "api" {
  rest_api_id = aws_api_gateway_rest_api.api.id

  # Gateway responses, like methods and integrations, take effect only with a new deployment:
  # redeploy whenever any of them changes, the preflight MOCKs coming or going included.
  triggers = {
    redeployment = sha1(jsonencode([
      aws_api_gateway_resource.proxy.id,
      aws_api_gateway_method.proxy_any.id,
      aws_api_gateway_integration.proxy_any.id,
      aws_api_gateway_method.root_any.id,
      aws_api_gateway_integration.root_any.id,
      aws_api_gateway_integration.cors_preflight_proxy[*].id,
      aws_api_gateway_integration_response.cors_preflight_proxy[*].response_parameters,
      aws_api_gateway_integration.cors_preflight_root[*].id,
      aws_api_gateway_integration_response.cors_preflight_root[*].response_parameters,
      aws_api_gateway_gateway_response.cors_default_4xx.response_parameters,
      aws_api_gateway_gateway_response.cors_default_4xx.response_templates,
      aws_api_gateway_gateway_response.cors_default_5xx.response_parameters,
      aws_api_gateway_gateway_response.cors_default_5xx.response_templates,
    ]))
  }

  lifecycle {
    create_before_destroy = true
  }

  depends_on = [
    aws_api_gateway_integration.proxy_any,
    aws_api_gateway_integration.root_any,
    aws_api_gateway_integration_response.cors_preflight_proxy,
    aws_api_gateway_integration_response.cors_preflight_root,
    aws_api_gateway_gateway_response.cors_default_4xx,
    aws_api_gateway_gateway_response.cors_default_5xx,
  ]
}

resource "aws_api_gateway_stage" "api" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = aws_api_gateway_deployment.api.id
  stage_name    = var.stage_name
}
