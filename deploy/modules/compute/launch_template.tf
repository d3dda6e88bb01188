data "aws_region" "current" {}

# Amazon Linux 2023, latest x86_64 image, from AWS's public SSM parameter.
data "aws_ssm_parameter" "al2023_ami" {
  name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
}

locals {
  registry_host = split("/", var.api_image)[0]

  user_data = templatefile("${path.module}/user_data.sh.tftpl", {
    api_image       = var.api_image
    db_host         = var.db_host
    db_name         = var.db_name
    db_port         = var.db_port
    db_secret_arn   = var.db_secret_arn
    log_group_name  = var.log_group_name
    region          = data.aws_region.current.region
    registry_host   = local.registry_host
    web_concurrency = var.web_concurrency
    web_image       = var.web_image
  })
}

resource "aws_launch_template" "this" {
  name_prefix            = "${var.name}-"
  description            = "Phonebook node: web and api containers on Amazon Linux 2023"
  image_id               = data.aws_ssm_parameter.al2023_ami.insecure_value
  update_default_version = true
  user_data              = base64encode(local.user_data)

  iam_instance_profile {
    arn = var.instance_profile_arn
  }

  # No key pair: operators connect with Session Manager.
  network_interfaces {
    associate_public_ip_address = false
    delete_on_termination       = true
    security_groups             = [var.security_group_id]
  }

  # IMDSv2 only, and a hop limit of 1 so the metadata response cannot cross
  # the Docker bridge: containers cannot read the instance role's credentials.
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
    instance_metadata_tags      = "disabled"
  }

  block_device_mappings {
    device_name = "/dev/xvda"

    ebs {
      volume_size           = var.root_volume_size
      volume_type           = "gp3"
      encrypted             = true
      delete_on_termination = true
    }
  }

  monitoring {
    enabled = false
  }

  tag_specifications {
    resource_type = "instance"

    tags = {
      Name = var.name
    }
  }

  tag_specifications {
    resource_type = "volume"

    tags = {
      Name = var.name
    }
  }
}
