output "bucket" {
  description = "Name of the state bucket, the bucket value in deploy/backend.hcl."
  value       = aws_s3_bucket.state.bucket
}

output "region" {
  description = "Region of the state bucket, the region value in deploy/backend.hcl."
  value       = var.region
}
