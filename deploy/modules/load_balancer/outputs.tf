output "arn_suffix" {
  description = "ARN suffix of the load balancer, the value of the LoadBalancer dimension of its CloudWatch metrics."
  value       = aws_lb.this.arn_suffix
}

output "dns_name" {
  description = "DNS name of the load balancer."
  value       = aws_lb.this.dns_name
}

output "target_group_arn" {
  description = "ARN of the target group that the Auto Scaling group registers instances in."
  value       = aws_lb_target_group.web.arn
}

output "url" {
  description = "URL of the application through the load balancer."
  value       = "${local.https_enabled ? "https" : "http"}://${aws_lb.this.dns_name}/"
}
