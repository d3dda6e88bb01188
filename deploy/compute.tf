module "compute" {
  source = "./modules/compute"

  name                      = local.name
  app_subnet_ids            = module.network.app_subnet_ids
  security_group_id         = module.network.app_security_group_id
  instance_profile_arn      = module.iam.instance_profile_arn
  instance_types            = var.instance_types
  root_volume_size          = var.root_volume_size
  min_size                  = var.asg_min_size
  max_size                  = var.asg_max_size
  health_check_grace_period = var.health_check_grace_period
  target_group_arn          = module.load_balancer.target_group_arn
  alb_arn_suffix            = module.load_balancer.arn_suffix
  requests_high_threshold   = var.scale_out_requests_per_minute
  requests_low_threshold    = var.scale_in_requests_per_minute
  api_image                 = local.api_image
  web_image                 = local.web_image
  web_concurrency           = var.web_concurrency
  log_group_name            = aws_cloudwatch_log_group.app.name
  db_host                   = module.database.address
  db_port                   = module.database.port
  db_name                   = module.database.db_name
  db_secret_arn             = module.database.master_user_secret_arn
}
