variable "region" {
  description = "AWS region to deploy to."
  type        = string
  default     = "eu-west-1"
}

variable "name" {
  description = "Name of the Lambda function and of the REST API."
  type        = string
  default     = "cors-minimal"
}

variable "stage_name" {
  description = "API Gateway stage: the first path segment of the invoke URL."
  type        = string
  default     = "prod"
}

variable "lambda_zip" {
  description = "The function's package, built by `cargo lambda build --release --arm64 --output-format zip --bin minimal` at the workspace root."
  type        = string
  default     = "../../../target/lambda/minimal/bootstrap.zip"
}

variable "architecture" {
  description = "arm64 (build with --arm64) or x86_64 (build without it)."
  type        = string
  default     = "arm64"

  validation {
    condition     = contains(["arm64", "x86_64"], var.architecture)
    error_message = "The architecture must be arm64 or x86_64."
  }
}

variable "preflight_by_front_door" {
  description = "false: OPTIONS preflights reach the function through ANY and it answers them. true: an OPTIONS method with a MOCK integration on /{proxy+} and / (cors_preflight.tf, generated from the function's attribute) answers them with static headers, without invoking the function; the function still adds the CORS headers to every actual response."
  type        = bool
  default     = false
}
