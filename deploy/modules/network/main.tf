data "aws_availability_zones" "available" {
  #checkov:skip=CKV_AWS_394:The subnets take the first az_count zones of the sorted list of default zones; a zone added later sorts after the existing ones and is not used.
  state = "available"

  filter {
    name   = "opt-in-status"
    values = ["opt-in-not-required"]
  }
}

locals {
  azs = slice(data.aws_availability_zones.available.names, 0, var.az_count)

  # One /24 per subnet: public 0-9, application 10-19, database 20-29.
  public_cidrs = [for index in range(var.az_count) : cidrsubnet(var.cidr_block, 8, index)]
  app_cidrs    = [for index in range(var.az_count) : cidrsubnet(var.cidr_block, 8, 10 + index)]
  db_cidrs     = [for index in range(var.az_count) : cidrsubnet(var.cidr_block, 8, 20 + index)]

  nat_gateway_count = var.nat_gateway_per_az ? var.az_count : 1
}

resource "aws_vpc" "this" {
  #checkov:skip=CKV2_AWS_11:Flow logs cost money per GB ingested; enable them with an aws_flow_log when an audit trail of network traffic is needed.
  cidr_block           = var.cidr_block
  enable_dns_hostnames = true
  enable_dns_support   = true

  tags = {
    Name = var.name
  }
}

# Remove every rule from the VPC's default security group, so a resource
# created without an explicit group gets no network access.
resource "aws_default_security_group" "this" {
  vpc_id = aws_vpc.this.id

  tags = {
    Name = "${var.name}-default-unused"
  }
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id

  tags = {
    Name = var.name
  }
}

resource "aws_subnet" "public" {
  count = var.az_count

  vpc_id                  = aws_vpc.this.id
  availability_zone       = local.azs[count.index]
  cidr_block              = local.public_cidrs[count.index]
  map_public_ip_on_launch = false

  tags = {
    Name = "${var.name}-public-${local.azs[count.index]}"
    Tier = "public"
  }
}

resource "aws_subnet" "app" {
  count = var.az_count

  vpc_id            = aws_vpc.this.id
  availability_zone = local.azs[count.index]
  cidr_block        = local.app_cidrs[count.index]

  tags = {
    Name = "${var.name}-app-${local.azs[count.index]}"
    Tier = "app"
  }
}

resource "aws_subnet" "db" {
  count = var.az_count

  vpc_id            = aws_vpc.this.id
  availability_zone = local.azs[count.index]
  cidr_block        = local.db_cidrs[count.index]

  tags = {
    Name = "${var.name}-db-${local.azs[count.index]}"
    Tier = "db"
  }
}

resource "aws_eip" "nat" {
  count = local.nat_gateway_count

  domain = "vpc"

  tags = {
    Name = "${var.name}-nat-${local.azs[count.index]}"
  }

  depends_on = [aws_internet_gateway.this]
}

resource "aws_nat_gateway" "zone" {
  count = local.nat_gateway_count

  allocation_id = aws_eip.nat[count.index].id
  subnet_id     = aws_subnet.public[count.index].id

  tags = {
    Name = "${var.name}-${local.azs[count.index]}"
  }

  depends_on = [aws_internet_gateway.this]
}
