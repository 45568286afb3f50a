# The `minimal` example (examples/src/bin/minimal.rs, `#[cors_handler(origin = "https://myapp.com")]`)
# behind an API Gateway HTTP API (payload format 2.0): one `$default` route to the function.
#
# CORS is configured in exactly one place, chosen by var.cors_by_front_door:
#   false (default): the function answers. The API has no cors_configuration, so OPTIONS
#     preflights reach the function through `$default` like any other request, and the function's
#     own CORS headers are passed through.
#   true: the front door answers. The API's cors_configuration, filled from local.cors in cors.tf
#     (generated from the same configuration as the function's attribute; do not edit it by hand),
#     makes API Gateway answer preflights itself and put its own CORS headers on the function's
#     responses; the function's are then ignored.
# See docs/deploying.md ("Front doors") for what each mode does to preflights and errors.

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

resource "aws_apigatewayv2_api" "api" {
  name          = var.name
  protocol_type = "HTTP"

  # Present only when the front door answers (var.cors_by_front_door); local.cors is in cors.tf.
  dynamic "cors_configuration" {
    for_each = var.cors_by_front_door ? [local.cors] : []

    content {
      allow_origins     = cors_configuration.value.allow_origins
      allow_methods     = cors_configuration.value.allow_methods
      allow_headers     = cors_configuration.value.allow_headers
      expose_headers    = cors_configuration.value.expose_headers
      allow_credentials = cors_configuration.value.allow_credentials
      max_age           = cors_configuration.value.max_age
    }
  }
}

resource "aws_apigatewayv2_integration" "api" {
  api_id                 = aws_apigatewayv2_api.api.id
  integration_type       = "AWS_PROXY"
  integration_method     = "POST"
  integration_uri        = aws_lambda_function.api.invoke_arn
  payload_format_version = "2.0"
}

# Every method and path, OPTIONS included: with no cors_configuration, preflights reach the
# function here.
resource "aws_apigatewayv2_route" "default" {
  api_id    = aws_apigatewayv2_api.api.id
  route_key = "$default"
  target    = "integrations/${aws_apigatewayv2_integration.api.id}"
}

# For when an authorizer is added to `$default`: a browser's preflight carries no credentials, so
# the authorizer would refuse it. `OPTIONS /{proxy+}` has priority over `$default` and needs no
# authorization, so preflights still reach the function (or, with cors_configuration, are answered
# by API Gateway). It does not match the root path `/`; add `OPTIONS /` the same way if pages send
# preflights there. Enable it with var.unauthenticated_preflight_route.
resource "aws_apigatewayv2_route" "preflight" {
  count = var.unauthenticated_preflight_route ? 1 : 0

  api_id             = aws_apigatewayv2_api.api.id
  route_key          = "OPTIONS /{proxy+}"
  authorization_type = "NONE"
  target             = "integrations/${aws_apigatewayv2_integration.api.id}"
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.api.id
  name        = "$default"
  auto_deploy = true
}

resource "aws_lambda_permission" "api_gateway" {
  statement_id  = "AllowInvokeFromHttpApi"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.api.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.api.execution_arn}/*"
}
