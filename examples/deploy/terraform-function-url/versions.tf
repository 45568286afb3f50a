terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 6.28.0 added `invoked_via_function_url` to aws_lambda_permission, which the second of the
      # two permissions a public function URL needs is written with (main.tf).
      version = ">= 6.28.0"
    }
  }
}

provider "aws" {
  region = var.region
}
