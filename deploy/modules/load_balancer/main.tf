locals {
  https_enabled = var.certificate_arn != null
}

resource "aws_lb" "this" {
  #checkov:skip=CKV_AWS_91:Access logs need an S3 bucket with a bucket policy for the ELB account; add one when request logs are needed, since the containers already log each request to CloudWatch.
  #checkov:skip=CKV_AWS_150:Deletion protection would make the one-command teardown fail; the load balancer holds no data.
  #checkov:skip=CKV2_AWS_28:AWS WAF costs at least 5 USD a month plus per-request fees, which is out of scope for this deployment.
  name                       = var.name
  internal                   = false
  load_balancer_type         = "application"
  security_groups            = [var.security_group_id]
  subnets                    = var.subnet_ids
  drop_invalid_header_fields = true
  enable_deletion_protection = false
}

resource "aws_lb_target_group" "web" {
  #checkov:skip=CKV_AWS_378:TLS ends at the load balancer; the hop to the instances stays inside the VPC, where only the load balancer's security group can reach port 80.
  name_prefix          = "web-"
  port                 = 80
  protocol             = "HTTP"
  target_type          = "instance"
  vpc_id               = var.vpc_id
  deregistration_delay = 30

  # Replica-local check: the web process and its own api process are alive.
  # A deep check that reaches the database would mark every replica
  # unhealthy at once during a database blip.
  health_check {
    enabled             = true
    path                = var.health_check_path
    protocol            = "HTTP"
    port                = "traffic-port"
    matcher             = "200"
    interval            = 15
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_lb_listener" "http" {
  #checkov:skip=CKV_AWS_2:Port 80 serves HTTP when no certificate is given; with certificate_arn set it only redirects to HTTPS.
  #checkov:skip=CKV_AWS_103:This listener is plain HTTP, so it has no TLS policy; the HTTPS listener sets one.
  #checkov:skip=CKV2_AWS_20:The redirect to HTTPS is conditional on certificate_arn, which checkov does not evaluate.
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type             = local.https_enabled ? "redirect" : "forward"
    target_group_arn = local.https_enabled ? null : aws_lb_target_group.web.arn

    dynamic "redirect" {
      for_each = local.https_enabled ? [1] : []

      content {
        port        = "443"
        protocol    = "HTTPS"
        status_code = "HTTP_301"
      }
    }
  }
}

resource "aws_lb_listener" "https" {
  count = local.https_enabled ? 1 : 0

  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
}
