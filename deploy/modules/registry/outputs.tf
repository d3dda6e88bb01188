output "repository_arns" {
  description = "ARNs of the repositories, keyed by component (api, web)."
  value       = { for component, repository in aws_ecr_repository.component : component => repository.arn }
}

output "repository_urls" {
  description = "URLs of the repositories, keyed by component (api, web)."
  value       = { for component, repository in aws_ecr_repository.component : component => repository.repository_url }
}
