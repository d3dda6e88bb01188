resource "aws_autoscaling_group" "this" {
  name                = var.name
  vpc_zone_identifier = var.app_subnet_ids
  min_size            = var.min_size
  max_size            = var.max_size
  desired_capacity    = var.min_size
  capacity_rebalance  = true
  target_group_arns   = [var.target_group_arn]

  # ELB health checks on the replica-local /healthz: an instance whose web or
  # api process dies is replaced, but a database outage replaces nothing.
  health_check_type         = "ELB"
  health_check_grace_period = var.health_check_grace_period
  default_instance_warmup   = var.health_check_grace_period

  enabled_metrics = [
    "GroupDesiredCapacity",
    "GroupInServiceInstances",
    "GroupMaxSize",
    "GroupMinSize",
    "GroupTotalInstances",
  ]

  # Spot only: no On-Demand base and 0 % On-Demand above it.
  mixed_instances_policy {
    instances_distribution {
      on_demand_base_capacity                  = 0
      on_demand_percentage_above_base_capacity = 0
      spot_allocation_strategy                 = "price-capacity-optimized"
    }

    launch_template {
      launch_template_specification {
        launch_template_id = aws_launch_template.this.id
        # A concrete version, not $Latest, so that a new launch template
        # version (a new image tag) starts an instance refresh.
        version = aws_launch_template.this.latest_version
      }

      dynamic "override" {
        for_each = var.instance_types

        content {
          instance_type = override.value
        }
      }
    }
  }

  instance_refresh {
    strategy = "Rolling"

    preferences {
      min_healthy_percentage = 50
      max_healthy_percentage = 200
      instance_warmup        = var.health_check_grace_period
      auto_rollback          = true
    }
  }

  tag {
    key                 = "Name"
    value               = var.name
    propagate_at_launch = true
  }

  lifecycle {
    # The scaling policies change the desired count; Terraform must not set
    # it back to min_size on the next apply.
    ignore_changes = [desired_capacity]
  }
}
