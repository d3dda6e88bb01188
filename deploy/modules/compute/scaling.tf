# Step scaling on the load balancer's RequestCount (Sum over 60 s):
# above the high threshold add one instance, below the low one remove one.

locals {
  request_count_dimensions = {
    LoadBalancer = var.alb_arn_suffix
  }
}

resource "aws_autoscaling_policy" "scale_out" {
  name                      = "${var.name}-scale-out"
  autoscaling_group_name    = aws_autoscaling_group.this.name
  policy_type               = "StepScaling"
  adjustment_type           = "ChangeInCapacity"
  estimated_instance_warmup = var.health_check_grace_period

  # The bounds are relative to the alarm threshold: any value above it.
  step_adjustment {
    metric_interval_lower_bound = 0
    scaling_adjustment          = 1
  }
}

resource "aws_autoscaling_policy" "scale_in" {
  name                   = "${var.name}-scale-in"
  autoscaling_group_name = aws_autoscaling_group.this.name
  policy_type            = "StepScaling"
  adjustment_type        = "ChangeInCapacity"

  # The bounds are relative to the alarm threshold: any value below it.
  step_adjustment {
    metric_interval_upper_bound = 0
    scaling_adjustment          = -1
  }
}

resource "aws_cloudwatch_metric_alarm" "requests_high" {
  alarm_name          = "${var.name}-requests-high"
  alarm_description   = "More than ${var.requests_high_threshold} requests per minute through the load balancer: add one instance."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "RequestCount"
  dimensions          = local.request_count_dimensions
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.requests_high_threshold
  # No datapoint means no requests, which is not high load.
  treat_missing_data = "notBreaching"
  alarm_actions      = [aws_autoscaling_policy.scale_out.arn]
}

resource "aws_cloudwatch_metric_alarm" "requests_low" {
  alarm_name          = "${var.name}-requests-low"
  alarm_description   = "Fewer than ${var.requests_low_threshold} requests per minute through the load balancer: remove one instance."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "RequestCount"
  dimensions          = local.request_count_dimensions
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  comparison_operator = "LessThanThreshold"
  threshold           = var.requests_low_threshold
  # A minute without requests publishes no datapoint. Counting it as
  # breaching lets the group scale in when traffic stops completely.
  treat_missing_data = "breaching"
  alarm_actions      = [aws_autoscaling_policy.scale_in.arn]
}
