variable "region" {
  description = "AWS region to deploy to."
  type        = string
  default     = "eu-west-1"
}

variable "name" {
  description = "Name of the Lambda function."
  type        = string
  default     = "cors-minimal-function-url"
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
  description = "false: the `minimal` function answers preflights and sends the CORS headers (no `cors` block on the URL). true: the URL's `cors` block (cors.tf, rendered from FRONT_DOOR_CORS) answers preflights and adds the CORS headers to every response of the `front-door` function, which sends none."
  type        = bool
  default     = false
}

variable "invoke_mode" {
  description = "BUFFERED: Lambda returns the response when the function has finished (up to 6 MB). RESPONSE_STREAM: the function streams it (lambda_http::run_with_streaming_response); a function built with lambda_http::run, like `minimal` and `front-door`, needs BUFFERED."
  type        = string
  default     = "BUFFERED"

  validation {
    condition     = contains(["BUFFERED", "RESPONSE_STREAM"], var.invoke_mode)
    error_message = "The invoke mode must be BUFFERED or RESPONSE_STREAM."
  }
}
