resource "aws_cloudwatch_log_group" "app" {
  #checkov:skip=CKV_AWS_158:CloudWatch Logs encrypts log data at rest by default; a customer managed KMS key adds cost and a key policy to maintain.
  #checkov:skip=CKV_AWS_338:Retention is the log_retention_days variable; a year of logs is not needed for this application by default.
  name              = "/${var.project}/${var.environment}"
  retention_in_days = var.log_retention_days
}
