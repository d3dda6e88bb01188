variable "alb_arn_suffix" {
  description = "ARN suffix of the load balancer, the LoadBalancer dimension of the RequestCount metric."
  type        = string
}

variable "api_image" {
  description = "Full URI (REPOSITORY:TAG) of the api container image."
  type        = string

  validation {
    condition     = can(regex("^[^:@]+:[A-Za-z0-9_.-]+$", var.api_image))
    error_message = "api_image must be REPOSITORY:TAG."
  }
}

variable "app_subnet_ids" {
  description = "IDs of the private subnets the instances run in (at least two zones)."
  type        = list(string)

  validation {
    condition     = length(var.app_subnet_ids) >= 2
    error_message = "app_subnet_ids must list at least two subnets in different availability zones."
  }
}

variable "db_host" {
  description = "Host name of the database endpoint."
  type        = string
}

variable "db_name" {
  description = "Name of the application schema."
  type        = string
}

variable "db_port" {
  description = "TCP port of the database endpoint."
  type        = number

  validation {
    condition     = var.db_port >= 1 && var.db_port <= 65535
    error_message = "db_port must be a TCP port between 1 and 65535."
  }
}

variable "db_secret_arn" {
  description = "ARN of the Secrets Manager secret (JSON with username and password) that the boot script reads."
  type        = string
}

variable "health_check_grace_period" {
  description = "Seconds after launch before failed load balancer health checks count against an instance; must cover boot, Docker install and image pull (60 to 1800)."
  type        = number

  validation {
    condition     = var.health_check_grace_period >= 60 && var.health_check_grace_period <= 1800
    error_message = "health_check_grace_period must be between 60 and 1800 seconds."
  }
}

variable "instance_profile_arn" {
  description = "ARN of the IAM instance profile of the instances."
  type        = string
}

variable "instance_types" {
  description = "EC2 instance types the Spot capacity may come from (at least three, all x86_64 to match the AMI)."
  type        = list(string)

  validation {
    condition     = length(distinct(var.instance_types)) >= 3
    error_message = "instance_types must list at least three distinct instance types, so Spot capacity has several pools to draw from."
  }
}

variable "log_group_name" {
  description = "Name of the CloudWatch Logs log group the containers send their logs to."
  type        = string
}

variable "max_size" {
  description = "Maximum number of instances (count, 1 to 100)."
  type        = number

  validation {
    condition     = var.max_size >= 1 && var.max_size <= 100
    error_message = "max_size must be between 1 and 100."
  }
}

variable "min_size" {
  description = "Minimum number of instances, also the desired count when the group is created (count, 1 to 100)."
  type        = number

  validation {
    condition     = var.min_size >= 1 && var.min_size <= 100
    error_message = "min_size must be between 1 and 100."
  }
}

variable "name" {
  description = "Name of the Auto Scaling group and prefix of the launch template, policies and alarms."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be 2 to 31 characters: lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "requests_high_threshold" {
  description = "Load balancer requests per minute above which one instance is added (requests per 60 s)."
  type        = number

  validation {
    condition     = var.requests_high_threshold > 0
    error_message = "requests_high_threshold must be greater than 0."
  }
}

variable "requests_low_threshold" {
  description = "Load balancer requests per minute below which one instance is removed (requests per 60 s)."
  type        = number

  validation {
    condition     = var.requests_low_threshold >= 0
    error_message = "requests_low_threshold must be 0 or greater."
  }
}

variable "root_volume_size" {
  description = "Size of the encrypted gp3 root volume in GiB (8 to 100); the images and Docker's layers live there."
  type        = number

  validation {
    condition     = var.root_volume_size >= 8 && var.root_volume_size <= 100
    error_message = "root_volume_size must be between 8 and 100 GiB."
  }
}

variable "security_group_id" {
  description = "ID of the instances' security group."
  type        = string
}

variable "target_group_arn" {
  description = "ARN of the load balancer target group that the instances register in."
  type        = string
}

variable "web_concurrency" {
  description = "Number of worker processes of each container (WEB_CONCURRENCY, 1 to 16)."
  type        = number

  validation {
    condition     = var.web_concurrency >= 1 && var.web_concurrency <= 16
    error_message = "web_concurrency must be between 1 and 16."
  }
}

variable "web_image" {
  description = "Full URI (REPOSITORY:TAG) of the web container image."
  type        = string

  validation {
    condition     = can(regex("^[^:@]+:[A-Za-z0-9_.-]+$", var.web_image))
    error_message = "web_image must be REPOSITORY:TAG."
  }
}
