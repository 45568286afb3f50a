# The `minimal` example (examples/src/bin/minimal.rs, `#[cors_handler(origin = "https://myapp.com")]`)
# behind a Lambda function URL with auth type NONE (a public HTTPS endpoint, payload format 2.0).
#
# CORS is configured in exactly one place, chosen by var.cors_by_front_door:
#   false (default): the function answers. The URL has no `cors` block: OPTIONS preflights reach
#     the function, and its CORS headers are the only ones on its responses.
#   true: the front door answers. The URL's `cors` block, filled from local.cors in cors.tf
#     (generated from the same configuration as the function's attribute; do not edit it by hand),
#     makes Lambda answer preflights and add its CORS headers to every response. The function
#     must then send none of its own: on ordinary responses both sets are sent, and a browser
#     rejects the duplicated Access-Control-Allow-Origin. The `minimal` example does send its own,
#     so keep this false for it.
# var.invoke_mode selects BUFFERED (default) or RESPONSE_STREAM. See docs/deploying.md.

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

resource "aws_lambda_function_url" "api" {
  function_name      = aws_lambda_function.api.function_name
  authorization_type = "NONE"
  invoke_mode        = var.invoke_mode

  # Present only when the front door answers (var.cors_by_front_door); local.cors is in cors.tf.
  dynamic "cors" {
    for_each = var.cors_by_front_door ? [local.cors] : []

    content {
      allow_origins     = cors.value.allow_origins
      allow_methods     = cors.value.allow_methods
      allow_headers     = cors.value.allow_headers
      expose_headers    = cors.value.expose_headers
      allow_credentials = cors.value.allow_credentials
      max_age           = cors.value.max_age
    }
  }
}

# A public function URL needs two statements in the function's resource-based policy: since
# October 2025, new function URLs require both lambda:InvokeFunctionUrl and lambda:InvokeFunction
# (https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html). The provider also adds two such
# statements itself when it creates a URL with auth type NONE, outside Terraform's state; these
# two, with their own statement IDs, are in the state and go away with `terraform destroy`.
resource "aws_lambda_permission" "function_url" {
  statement_id           = "AllowPublicFunctionUrl"
  action                 = "lambda:InvokeFunctionUrl"
  function_name          = aws_lambda_function.api.function_name
  principal              = "*"
  function_url_auth_type = "NONE"
}

resource "aws_lambda_permission" "function_url_invoke" {
  statement_id             = "AllowInvokeViaFunctionUrl"
  action                   = "lambda:InvokeFunction"
  function_name            = aws_lambda_function.api.function_name
  principal                = "*"
  invoked_via_function_url = true
}
