variable "certificate_arn" {
  description = "ARN of an ACM certificate for HTTPS on port 443; null serves plain HTTP on port 80 only."
  type        = string
  default     = null

  validation {
    condition     = var.certificate_arn == null || can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/.+$", var.certificate_arn))
    error_message = "certificate_arn must be null or an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/ID)."
  }
}

variable "health_check_path" {
  description = "HTTP path that the target group probes on each instance; must be the replica-local check, not one that touches the database."
  type        = string

  validation {
    condition     = startswith(var.health_check_path, "/")
    error_message = "health_check_path must start with a slash, such as /healthz."
  }
}

variable "name" {
  description = "Name of the load balancer and prefix of its target group (at most 26 characters, because AWS caps both at 32)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,25}$", var.name))
    error_message = "name must be 2 to 26 characters: lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "security_group_id" {
  description = "ID of the security group attached to the load balancer."
  type        = string
}

variable "subnet_ids" {
  description = "IDs of the public subnets the load balancer is placed in (at least two zones)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "subnet_ids must list at least two subnets in different availability zones."
  }
}

variable "vpc_id" {
  description = "ID of the VPC that holds the target group."
  type        = string
}
