variable "db_secret_arn" {
  description = "ARN of the Secrets Manager secret with the database credentials, the only secret the instances may read."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:secretsmanager:", var.db_secret_arn))
    error_message = "db_secret_arn must be a Secrets Manager secret ARN."
  }
}

variable "deployer_policy_json" {
  description = "IAM policy document (JSON) granted to the GitHub Actions deploy role."
  type        = string

  validation {
    condition     = can(jsondecode(var.deployer_policy_json).Statement)
    error_message = "deployer_policy_json must be a JSON IAM policy document with a Statement list."
  }
}

variable "github_repository" {
  description = "GitHub repository (OWNER/NAME) whose main branch may assume the deploy role; an empty string creates no OIDC provider or role."
  type        = string

  validation {
    condition     = var.github_repository == "" || can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "github_repository must be empty or OWNER/NAME, such as example-org/phonebook."
  }
}

variable "log_group_arn" {
  description = "ARN of the CloudWatch Logs log group, the only one the instances may write to."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:logs:", var.log_group_arn)) && !endswith(var.log_group_arn, ":*")
    error_message = "log_group_arn must be a CloudWatch Logs log group ARN without the trailing :*."
  }
}

variable "name" {
  description = "Prefix of the IAM role, policy and instance profile names."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be 2 to 31 characters: lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "repository_arns" {
  description = "ARNs of the ECR repositories the instances may pull from."
  type        = list(string)

  validation {
    condition     = length(var.repository_arns) > 0 && alltrue([for arn in var.repository_arns : can(regex("^arn:aws[a-z-]*:ecr:", arn))])
    error_message = "repository_arns must be a non-empty list of ECR repository ARNs."
  }
}
