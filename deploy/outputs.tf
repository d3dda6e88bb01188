output "autoscaling_group_name" {
  description = "Name of the Auto Scaling group (used by load-test.sh)."
  value       = module.compute.autoscaling_group_name
}

output "ecr_repository_urls" {
  description = "URLs of the ECR repositories, keyed by component (api, web)."
  value       = module.registry.repository_urls
}

output "github_deploy_role_arn" {
  description = "ARN of the role for GitHub Actions (the AWS_DEPLOY_ROLE_ARN secret), or null without github_repository."
  value       = module.iam.github_deploy_role_arn
}

output "log_group_name" {
  description = "Name of the CloudWatch Logs log group with the container logs."
  value       = aws_cloudwatch_log_group.app.name
}

output "url" {
  description = "URL of the application through the load balancer."
  value       = module.load_balancer.url
}
