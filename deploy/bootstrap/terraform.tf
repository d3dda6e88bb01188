# Creates the S3 bucket that holds the main configuration's state. This
# configuration keeps its own tiny state locally (terraform.tfstate here,
# ignored by git), because the bucket cannot store the state of its own
# creation.
terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Application = "phonebook"
      ManagedBy   = "terraform"
      Purpose     = "terraform-state"
    }
  }
}
