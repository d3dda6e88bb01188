variable "asg_max_size" {
  description = "Maximum number of instances the Auto Scaling group may scale out to (count, from asg_min_size to 100)."
  type        = number
  default     = 10

  validation {
    condition     = var.asg_max_size >= var.asg_min_size && var.asg_max_size <= 100
    error_message = "asg_max_size must be at least asg_min_size and at most 100."
  }
}

variable "asg_min_size" {
  description = "Minimum number of instances, also the desired count at creation (count, 2 to 100; 2 keeps one replica in each of two zones)."
  type        = number
  default     = 2

  validation {
    condition     = var.asg_min_size >= 2 && var.asg_min_size <= 100
    error_message = "asg_min_size must be between 2 and 100, because one instance is a single point of failure."
  }
}

variable "az_count" {
  description = "Number of availability zones for the subnets and instances (count, 2 to 6)."
  type        = number
  default     = 2

  validation {
    condition     = var.az_count >= 2 && var.az_count <= 6
    error_message = "az_count must be between 2 and 6."
  }
}

variable "certificate_arn" {
  description = "ARN of an ACM certificate in the same region; when set, the load balancer serves HTTPS on 443 and redirects port 80 to it."
  type        = string
  default     = null

  validation {
    condition     = var.certificate_arn == null || can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/.+$", var.certificate_arn))
    error_message = "certificate_arn must be null or an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/ID)."
  }
}

variable "db_allocated_storage" {
  description = "Initial database storage in GiB (20 to 16384)."
  type        = number
  default     = 20

  validation {
    condition     = var.db_allocated_storage >= 20 && var.db_allocated_storage <= 16384
    error_message = "db_allocated_storage must be between 20 and 16384 GiB."
  }
}

variable "db_backup_retention_days" {
  description = "Number of days RDS keeps automated backups (1 to 35)."
  type        = number
  default     = 7

  validation {
    condition     = var.db_backup_retention_days >= 1 && var.db_backup_retention_days <= 35
    error_message = "db_backup_retention_days must be between 1 and 35; 0 would turn automated backups off."
  }
}

variable "db_deletion_protection" {
  description = "Protect the database instance from deletion; set to false (and apply) before destroying."
  type        = bool
  default     = false
}

variable "db_final_snapshot" {
  description = "Take a final snapshot when the database is destroyed (the snapshot is billed until you delete it)."
  type        = bool
  default     = false
}

variable "db_instance_class" {
  description = "RDS instance class of the database."
  type        = string
  default     = "db.t4g.micro"

  validation {
    condition     = startswith(var.db_instance_class, "db.")
    error_message = "db_instance_class must be an RDS instance class starting with db., such as db.t4g.micro."
  }
}

variable "db_max_allocated_storage" {
  description = "Upper limit for database storage autoscaling in GiB (from db_allocated_storage to 16384)."
  type        = number
  default     = 100

  validation {
    condition     = var.db_max_allocated_storage >= var.db_allocated_storage && var.db_max_allocated_storage <= 16384
    error_message = "db_max_allocated_storage must be at least db_allocated_storage and at most 16384 GiB."
  }
}

variable "db_multi_az" {
  description = "Run a standby database in a second availability zone (doubles the database cost)."
  type        = bool
  default     = false
}

variable "ecr_keep_image_count" {
  description = "Number of most recent images to keep in each ECR repository (count, 1 to 1000)."
  type        = number
  default     = 20

  validation {
    condition     = var.ecr_keep_image_count >= 1 && var.ecr_keep_image_count <= 1000
    error_message = "ecr_keep_image_count must be between 1 and 1000."
  }
}

variable "environment" {
  description = "Environment name, part of every resource name and the Environment tag."
  type        = string
  default     = "prod"

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,9}$", var.environment))
    error_message = "environment must be 2 to 10 lowercase letters or digits, starting with a letter."
  }
}

variable "github_repository" {
  description = "GitHub repository (OWNER/NAME) whose main branch may deploy through OIDC; empty creates no OIDC provider or deploy role."
  type        = string
  default     = ""

  validation {
    condition     = var.github_repository == "" || can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "github_repository must be empty or OWNER/NAME, such as example-org/phonebook."
  }
}

variable "health_check_grace_period" {
  description = "Seconds after an instance starts before failed health checks count; covers boot, Docker install, image pull and migration (60 to 1800)."
  type        = number
  default     = 300

  validation {
    condition     = var.health_check_grace_period >= 60 && var.health_check_grace_period <= 1800
    error_message = "health_check_grace_period must be between 60 and 1800 seconds."
  }
}

variable "image_tag" {
  description = "Tag of the api and web images to run, the git commit SHA that deploy.sh pushed; a new tag rolls out by instance refresh."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.image_tag))
    error_message = "image_tag must be a valid Docker tag (letters, digits, _ . -, at most 128 characters), such as a git SHA."
  }
}

variable "instance_types" {
  description = "x86_64 instance types that Spot capacity may come from (at least three)."
  type        = list(string)
  default     = ["t3.small", "t3a.small", "t3.medium", "t3a.medium"]

  validation {
    condition     = length(distinct(var.instance_types)) >= 3
    error_message = "instance_types must list at least three distinct instance types."
  }
}

variable "log_retention_days" {
  description = "Days CloudWatch Logs keeps the container logs; one of the values CloudWatch accepts, such as 7, 30 or 365."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention that CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653."
  }
}

variable "nat_gateway_per_az" {
  description = "Create one NAT gateway per availability zone (survives a zone outage) instead of one shared NAT gateway (cheaper)."
  type        = bool
  default     = false
}

variable "project" {
  description = "Project name, the first part of every resource name."
  type        = string
  default     = "phonebook"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,14}$", var.project))
    error_message = "project must be 2 to 15 characters: lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "region" {
  description = "AWS region to deploy to."
  type        = string
  default     = "us-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must be an AWS region code, such as us-east-1."
  }
}

variable "root_volume_size" {
  description = "Size of each instance's encrypted gp3 root volume in GiB (8 to 100)."
  type        = number
  default     = 20

  validation {
    condition     = var.root_volume_size >= 8 && var.root_volume_size <= 100
    error_message = "root_volume_size must be between 8 and 100 GiB."
  }
}

variable "scale_in_requests_per_minute" {
  description = "Requests per minute through the load balancer below which one instance is removed (requests per 60 s)."
  type        = number
  default     = 10

  validation {
    condition     = var.scale_in_requests_per_minute >= 0
    error_message = "scale_in_requests_per_minute must be 0 or greater."
  }
}

variable "scale_out_requests_per_minute" {
  description = "Requests per minute through the load balancer above which one instance is added (requests per 60 s)."
  type        = number
  default     = 30

  validation {
    condition     = var.scale_out_requests_per_minute > var.scale_in_requests_per_minute
    error_message = "scale_out_requests_per_minute must be greater than scale_in_requests_per_minute, or the group would scale out and in at once."
  }
}

variable "state_bucket" {
  description = "Name of the S3 bucket with the Terraform state (deploy/bootstrap's output); scopes the GitHub deploy role's S3 access, so it is required with github_repository."
  type        = string
  default     = ""

  validation {
    condition     = var.github_repository == "" || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.state_bucket))
    error_message = "state_bucket must be the name of the state bucket when github_repository is set."
  }
}

variable "vpc_cidr" {
  description = "IPv4 CIDR block of the VPC, a /16 (each subnet takes a /24)."
  type        = string
  default     = "10.20.0.0/16"

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && endswith(var.vpc_cidr, "/16")
    error_message = "vpc_cidr must be a valid IPv4 /16 CIDR block, such as 10.20.0.0/16."
  }
}

variable "web_concurrency" {
  description = "Worker processes per container (WEB_CONCURRENCY, 1 to 16); 2 suits the default 2-vCPU instance types."
  type        = number
  default     = 2

  validation {
    condition     = var.web_concurrency >= 1 && var.web_concurrency <= 16
    error_message = "web_concurrency must be between 1 and 16."
  }
}
