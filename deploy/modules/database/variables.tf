variable "allocated_storage" {
  description = "Initial storage of the database in GiB (20 to 16384)."
  type        = number

  validation {
    condition     = var.allocated_storage >= 20 && var.allocated_storage <= 16384
    error_message = "allocated_storage must be between 20 and 16384 GiB."
  }
}

variable "backup_retention_days" {
  description = "Number of days RDS keeps automated backups (1 to 35)."
  type        = number

  validation {
    condition     = var.backup_retention_days >= 1 && var.backup_retention_days <= 35
    error_message = "backup_retention_days must be between 1 and 35, because 0 would turn automated backups off."
  }
}

variable "db_name" {
  description = "Name of the schema that the application uses."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9_]{0,63}$", var.db_name))
    error_message = "db_name must start with a letter and contain only letters, digits and underscores (at most 64 characters)."
  }
}

variable "deletion_protection" {
  description = "Refuse to delete the database instance until this is set back to false."
  type        = bool
}

variable "final_snapshot" {
  description = "Take a final snapshot when the database instance is destroyed (the snapshot is billed until deleted)."
  type        = bool
}

variable "instance_class" {
  description = "RDS instance class, such as db.t4g.micro."
  type        = string

  validation {
    condition     = startswith(var.instance_class, "db.")
    error_message = "instance_class must be an RDS instance class starting with db., such as db.t4g.micro."
  }
}

variable "master_username" {
  description = "User name of the RDS master user; RDS stores its password in Secrets Manager."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9_]{0,15}$", var.master_username)) && !contains(["admin", "root", "rdsadmin"], lower(var.master_username))
    error_message = "master_username must be 1 to 16 letters, digits or underscores starting with a letter, and not a reserved name (admin, root, rdsadmin)."
  }
}

variable "max_allocated_storage" {
  description = "Upper limit in GiB for storage autoscaling; equal to allocated_storage turns autoscaling off."
  type        = number

  validation {
    condition     = var.max_allocated_storage >= 20 && var.max_allocated_storage <= 16384
    error_message = "max_allocated_storage must be between 20 and 16384 GiB."
  }
}

variable "multi_az" {
  description = "Run a standby replica in a second availability zone (doubles the instance cost)."
  type        = bool
}

variable "name" {
  description = "Identifier of the database instance and prefix of its subnet and parameter groups."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,50}$", var.name))
    error_message = "name must be 2 to 51 characters: lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "security_group_id" {
  description = "ID of the database's security group."
  type        = string
}

variable "subnet_ids" {
  description = "IDs of the private database subnets (at least two zones, as RDS requires)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "subnet_ids must list at least two subnets in different availability zones."
  }
}
