output "invoke_url" {
  description = "Base URL of the API: append any path, e.g. /42."
  value       = aws_apigatewayv2_stage.default.invoke_url
}

output "function_name" {
  description = "Name of the Lambda function."
  value       = aws_lambda_function.api.function_name
}
