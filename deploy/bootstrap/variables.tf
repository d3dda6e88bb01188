variable "bucket_prefix" {
  description = "Start of the state bucket's name; the account ID is appended so the name is globally unique."
  type        = string
  default     = "phonebook-tfstate"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{2,49}$", var.bucket_prefix))
    error_message = "bucket_prefix must be 3 to 50 lowercase letters, digits or hyphens."
  }
}

variable "noncurrent_version_days" {
  description = "Days to keep old versions of the state file before they expire (1 to 3650)."
  type        = number
  default     = 90

  validation {
    condition     = var.noncurrent_version_days >= 1 && var.noncurrent_version_days <= 3650
    error_message = "noncurrent_version_days must be between 1 and 3650."
  }
}

variable "region" {
  description = "AWS region of the state bucket."
  type        = string
  default     = "us-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must be an AWS region code, such as us-east-1."
  }
}
