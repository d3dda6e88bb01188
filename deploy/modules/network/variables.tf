variable "az_count" {
  description = "Number of availability zones to spread the subnets over (count, 2 to 6)."
  type        = number

  validation {
    condition     = var.az_count >= 2 && var.az_count <= 6
    error_message = "az_count must be between 2 and 6."
  }
}

variable "cidr_block" {
  description = "IPv4 CIDR block of the VPC; each subnet takes a /24 out of it, so use a /16."
  type        = string

  validation {
    condition     = can(cidrhost(var.cidr_block, 0)) && tonumber(split("/", var.cidr_block)[1]) <= 16
    error_message = "cidr_block must be a valid IPv4 CIDR block of size /16 or larger, such as 10.20.0.0/16."
  }
}

variable "listener_ports" {
  description = "TCP ports that the load balancer listens on and that the Internet may reach (port numbers)."
  type        = list(number)

  validation {
    condition     = length(var.listener_ports) > 0 && alltrue([for port in var.listener_ports : contains([80, 443], port)])
    error_message = "listener_ports must contain only 80 and 443."
  }
}

variable "name" {
  description = "Prefix for the names of the VPC, subnets and security groups."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be 2 to 31 characters: lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "nat_gateway_per_az" {
  description = "Create one NAT gateway per availability zone (true) or a single shared one (false)."
  type        = bool
}
