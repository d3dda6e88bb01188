module "load_balancer" {
  source = "./modules/load_balancer"

  name              = local.name
  vpc_id            = module.network.vpc_id
  subnet_ids        = module.network.public_subnet_ids
  security_group_id = module.network.alb_security_group_id
  certificate_arn   = var.certificate_arn
  health_check_path = "/healthz"
}
