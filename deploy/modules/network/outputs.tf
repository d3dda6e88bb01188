output "alb_security_group_id" {
  description = "ID of the load balancer's security group."
  value       = aws_security_group.alb.id
}

output "app_security_group_id" {
  description = "ID of the instances' security group."
  value       = aws_security_group.app.id
}

output "app_subnet_ids" {
  description = "IDs of the private application subnets, one per availability zone."
  value       = aws_subnet.app[*].id
}

output "db_security_group_id" {
  description = "ID of the database's security group."
  value       = aws_security_group.db.id
}

output "db_subnet_ids" {
  description = "IDs of the private database subnets, one per availability zone."
  value       = aws_subnet.db[*].id
}

output "public_subnet_ids" {
  description = "IDs of the public subnets, one per availability zone."
  value       = aws_subnet.public[*].id
}

output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}
