terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }

  # Partial configuration: pass the bucket and region at init time, for
  # example `terraform init -backend-config=backend.hcl` (see
  # backend.hcl.example). use_lockfile keeps a lock object next to the state
  # in S3, so no DynamoDB table is needed (Terraform 1.10 or later).
  backend "s3" {
    key          = "phonebook/terraform.tfstate"
    encrypt      = true
    use_lockfile = true
  }
}
