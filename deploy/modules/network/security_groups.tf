# Security groups are chained: Internet -> load balancer -> instances ->
# database. Only the load balancer accepts traffic from 0.0.0.0/0, and only on
# its listener ports.

resource "aws_security_group" "alb" {
  #checkov:skip=CKV2_AWS_5:The group is attached in another module (load balancer, launch template or database), which this graph check does not follow.
  name        = "${var.name}-alb"
  description = "Load balancer: HTTP(S) from the Internet, HTTP to the instances"
  vpc_id      = aws_vpc.this.id

  tags = {
    Name = "${var.name}-alb"
  }
}

resource "aws_vpc_security_group_ingress_rule" "alb_listener" {
  #checkov:skip=CKV_AWS_260:The public load balancer must accept HTTP on port 80 from the Internet; with a certificate it redirects to HTTPS.
  for_each = toset([for port in var.listener_ports : tostring(port)])

  security_group_id = aws_security_group.alb.id
  description       = "Listener port ${each.value} from the Internet"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = tonumber(each.value)
  to_port           = tonumber(each.value)
}

resource "aws_vpc_security_group_egress_rule" "alb_to_app" {
  security_group_id            = aws_security_group.alb.id
  description                  = "HTTP to the web containers on the instances"
  referenced_security_group_id = aws_security_group.app.id
  ip_protocol                  = "tcp"
  from_port                    = 80
  to_port                      = 80
}

resource "aws_security_group" "app" {
  #checkov:skip=CKV2_AWS_5:The group is attached in another module (load balancer, launch template or database), which this graph check does not follow.
  name        = "${var.name}-app"
  description = "Instances: HTTP from the load balancer only"
  vpc_id      = aws_vpc.this.id

  tags = {
    Name = "${var.name}-app"
  }
}

resource "aws_vpc_security_group_ingress_rule" "app_from_alb" {
  #checkov:skip=CKV_AWS_260:The source is the load balancer's security group, not 0.0.0.0/0; checkov flags every port 80 rule of this resource type.
  security_group_id            = aws_security_group.app.id
  description                  = "HTTP from the load balancer"
  referenced_security_group_id = aws_security_group.alb.id
  ip_protocol                  = "tcp"
  from_port                    = 80
  to_port                      = 80
}

# HTTPS out through the NAT gateway reaches ECR, S3 (image layers and dnf
# repositories), CloudWatch Logs, Secrets Manager, Session Manager and the RDS
# CA bundle.
resource "aws_vpc_security_group_egress_rule" "app_https" {
  security_group_id = aws_security_group.app.id
  description       = "HTTPS to AWS APIs, ECR and package repositories"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_security_group_egress_rule" "app_to_db" {
  security_group_id            = aws_security_group.app.id
  description                  = "MySQL to the database"
  referenced_security_group_id = aws_security_group.db.id
  ip_protocol                  = "tcp"
  from_port                    = 3306
  to_port                      = 3306
}

# No egress rule: the database only answers connections.
resource "aws_security_group" "db" {
  #checkov:skip=CKV2_AWS_5:The group is attached in another module (load balancer, launch template or database), which this graph check does not follow.
  name        = "${var.name}-db"
  description = "Database: MySQL from the instances only"
  vpc_id      = aws_vpc.this.id

  tags = {
    Name = "${var.name}-db"
  }
}

resource "aws_vpc_security_group_ingress_rule" "db_from_app" {
  security_group_id            = aws_security_group.db.id
  description                  = "MySQL from the instances"
  referenced_security_group_id = aws_security_group.app.id
  ip_protocol                  = "tcp"
  from_port                    = 3306
  to_port                      = 3306
}
