variable "region" {
  description = "AWS region to deploy to."
  type        = string
  default     = "eu-west-1"
}

variable "name" {
  description = "Name of the Lambda function and of the HTTP API."
  type        = string
  default     = "cors-minimal-http-api"
}

variable "lambda_zip" {
  description = "The function's package. null (default): the one `cargo lambda build --release --arm64 --output-format zip --bin <binary>` builds at the workspace root for the mode, target/lambda/minimal/bootstrap.zip, or target/lambda/front-door/bootstrap.zip when cors_by_front_door is true."
  type        = string
  default     = null
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

variable "cors_by_front_door" {
  description = "false: the `minimal` function answers preflights and its CORS headers pass through (no cors_configuration). true: API Gateway answers preflights itself and adds the CORS headers of cors.tf (rendered from FRONT_DOOR_CORS) to every response of the `front-door` function, which writes none."
  type        = bool
  default     = false
}

variable "unauthenticated_preflight_route" {
  description = "Add an `OPTIONS /{proxy+}` route without authorization. Needed once an authorizer guards `$default`, which would otherwise refuse preflights (they carry no credentials)."
  type        = bool
  default     = false
}
