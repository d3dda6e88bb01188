variable "keep_image_count" {
  description = "Number of most recent tagged images to keep in each repository (count, 1 to 1000); older ones expire."
  type        = number

  validation {
    condition     = var.keep_image_count >= 1 && var.keep_image_count <= 1000
    error_message = "keep_image_count must be between 1 and 1000."
  }
}

variable "name" {
  description = "Prefix of the repository names; the repositories are NAME/api and NAME/web."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be 2 to 31 characters: lowercase letters, digits and hyphens, starting with a letter."
  }
}
