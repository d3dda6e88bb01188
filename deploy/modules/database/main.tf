resource "aws_db_subnet_group" "this" {
  name        = var.name
  description = "Private database subnets of ${var.name}"
  subnet_ids  = var.subnet_ids
}

resource "aws_db_parameter_group" "this" {
  name_prefix = "${var.name}-"
  description = "MySQL 8.4 settings of ${var.name}: TLS required, utf8mb4"
  family      = "mysql8.4"

  # Reject every connection that does not use TLS.
  parameter {
    name  = "require_secure_transport"
    value = "1"
  }

  parameter {
    name  = "character_set_server"
    value = "utf8mb4"
  }

  parameter {
    name  = "collation_server"
    value = "utf8mb4_0900_ai_ci"
  }

  # The schema keeps its change log with triggers. With automated backups RDS
  # turns binary logging on, and then creating a trigger needs this (the RDS
  # master user has no SUPER privilege).
  parameter {
    name  = "log_bin_trust_function_creators"
    value = "1"
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_db_instance" "this" {
  #checkov:skip=CKV_AWS_118:Enhanced monitoring needs an extra IAM role and costs per instance; the basic CloudWatch metrics cover this single small instance.
  #checkov:skip=CKV_AWS_157:Multi-AZ doubles the cost; it is the multi_az variable, off by default as the specification asks.
  #checkov:skip=CKV_AWS_161:The application authenticates with the password that RDS manages in Secrets Manager, so IAM database authentication stays off.
  #checkov:skip=CKV_AWS_293:Deletion protection is the deletion_protection variable, off by default so that teardown is one command.
  #checkov:skip=CKV_AWS_353:Performance Insights is not offered for the default db.t4g.micro class with MySQL.
  #checkov:skip=CKV_AWS_354:Performance Insights is off, so it has no KMS key to set.
  identifier     = var.name
  engine         = "mysql"
  engine_version = "8.4"
  instance_class = var.instance_class

  allocated_storage     = var.allocated_storage
  max_allocated_storage = var.max_allocated_storage
  storage_type          = "gp3"
  storage_encrypted     = true

  db_name  = var.db_name
  username = var.master_username
  # RDS generates the password, stores it in Secrets Manager and rotates it,
  # so it never appears in variables, state or user data.
  manage_master_user_password = true

  db_subnet_group_name   = aws_db_subnet_group.this.name
  parameter_group_name   = aws_db_parameter_group.this.name
  vpc_security_group_ids = [var.security_group_id]
  publicly_accessible    = false
  multi_az               = var.multi_az
  ca_cert_identifier     = "rds-ca-rsa2048-g1"

  backup_retention_period    = var.backup_retention_days
  backup_window              = "03:00-04:00"
  maintenance_window         = "sun:04:30-sun:05:30"
  copy_tags_to_snapshot      = true
  auto_minor_version_upgrade = true
  deletion_protection        = var.deletion_protection
  skip_final_snapshot        = !var.final_snapshot
  final_snapshot_identifier  = var.final_snapshot ? "${var.name}-final" : null
  delete_automated_backups   = true

  enabled_cloudwatch_logs_exports = ["error", "slowquery"]
}
