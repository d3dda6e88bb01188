data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

module "iam" {
  source = "./modules/iam"

  name              = local.name
  repository_arns   = values(module.registry.repository_arns)
  log_group_arn     = aws_cloudwatch_log_group.app.arn
  db_secret_arn     = module.database.master_user_secret_arn
  github_repository = var.github_repository
  # The same policy that the README gives for whoever runs Terraform.
  deployer_policy_json = templatefile("${path.module}/policies/terraform-deployer.json.tftpl", {
    account_id   = data.aws_caller_identity.current.account_id
    partition    = data.aws_partition.current.partition
    region       = var.region
    state_bucket = var.state_bucket
  })
}
