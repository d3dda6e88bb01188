# GitHub Actions authenticates with short-lived OIDC tokens instead of
# long-lived access keys. Only workflow runs on the main branch of one
# repository can assume the deploy role.

locals {
  github_enabled = var.github_repository != ""
  github_issuer  = "token.actions.githubusercontent.com"
}

resource "aws_iam_openid_connect_provider" "github" {
  count = local.github_enabled ? 1 : 0

  url            = "https://${local.github_issuer}"
  client_id_list = ["sts.amazonaws.com"]
}

data "aws_iam_policy_document" "github_assume_role" {
  count = local.github_enabled ? 1 : 0

  statement {
    sid     = "GitHubActionsMainBranch"
    effect  = "Allow"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.github[0].arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.github_issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.github_issuer}:sub"
      values   = ["repo:${var.github_repository}:ref:refs/heads/main"]
    }
  }
}

resource "aws_iam_role" "github_deploy" {
  count = local.github_enabled ? 1 : 0

  name                 = "${var.name}-github-deploy"
  description          = "Assumed by GitHub Actions on ${var.github_repository} main to build, push and apply"
  assume_role_policy   = data.aws_iam_policy_document.github_assume_role[0].json
  max_session_duration = 3600
}

resource "aws_iam_policy" "deployer" {
  count = local.github_enabled ? 1 : 0

  name        = "${var.name}-deployer"
  description = "Permissions to run Terraform for ${var.name} and push its images"
  policy      = var.deployer_policy_json
}

resource "aws_iam_role_policy_attachment" "github_deploy" {
  count = local.github_enabled ? 1 : 0

  role       = aws_iam_role.github_deploy[0].name
  policy_arn = aws_iam_policy.deployer[0].arn
}
