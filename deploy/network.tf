module "network" {
  source = "./modules/network"

  name               = local.name
  cidr_block         = var.vpc_cidr
  az_count           = var.az_count
  nat_gateway_per_az = var.nat_gateway_per_az
  listener_ports     = var.certificate_arn == null ? [80] : [80, 443]
}
