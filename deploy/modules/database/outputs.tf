output "address" {
  description = "Host name of the database endpoint."
  value       = aws_db_instance.this.address
}

output "db_name" {
  description = "Name of the application schema."
  value       = aws_db_instance.this.db_name
}

output "master_user_secret_arn" {
  description = "ARN of the Secrets Manager secret (JSON with username and password) that RDS manages for the master user."
  value       = aws_db_instance.this.master_user_secret[0].secret_arn
}

output "port" {
  description = "TCP port of the database endpoint."
  value       = aws_db_instance.this.port
}

output "username" {
  description = "User name of the RDS master user, which the application connects as."
  value       = aws_db_instance.this.username
}
