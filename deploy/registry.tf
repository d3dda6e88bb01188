# deploy.sh applies this module first (terraform apply -target=module.registry)
# so that the images can be pushed before any instance tries to pull them.
module "registry" {
  source = "./modules/registry"

  name             = local.name
  keep_image_count = var.ecr_keep_image_count
}
