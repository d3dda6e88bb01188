"""Custom checkov policies for the Phonebook Terraform configuration."""
