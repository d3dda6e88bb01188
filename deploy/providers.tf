provider "aws" {
  region = var.region

  # Tags on every resource that supports them. Instances launched by the
  # Auto Scaling group get theirs from the launch template and the group.
  default_tags {
    tags = {
      Application = "phonebook"
      Environment = var.environment
      ManagedBy   = "terraform"
      Repository  = var.github_repository == "" ? "unset" : var.github_repository
    }
  }
}
