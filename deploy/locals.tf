locals {
  name = "${var.project}-${var.environment}"

  # deploy.sh passes the git SHA that both images were pushed with.
  api_image = "${module.registry.repository_urls["api"]}:${var.image_tag}"
  web_image = "${module.registry.repository_urls["web"]}:${var.image_tag}"
}
