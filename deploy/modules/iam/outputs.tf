output "github_deploy_role_arn" {
  description = "ARN of the role that GitHub Actions assumes, or null when github_repository is empty."
  value       = local.github_enabled ? aws_iam_role.github_deploy[0].arn : null
}

output "instance_profile_arn" {
  description = "ARN of the instance profile for the launch template."
  value       = aws_iam_instance_profile.instance.arn
}

output "instance_role_name" {
  description = "Name of the instances' IAM role."
  value       = aws_iam_role.instance.name
}
