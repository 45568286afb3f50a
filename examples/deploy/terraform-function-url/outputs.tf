output "function_url" {
  description = "The function URL (ends with /): append any path, e.g. 42."
  value       = aws_lambda_function_url.api.function_url
}

output "function_name" {
  description = "Name of the Lambda function."
  value       = aws_lambda_function.api.function_name
}
