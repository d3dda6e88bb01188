module "database" {
  source = "./modules/database"

  name                  = local.name
  subnet_ids            = module.network.db_subnet_ids
  security_group_id     = module.network.db_security_group_id
  instance_class        = var.db_instance_class
  allocated_storage     = var.db_allocated_storage
  max_allocated_storage = var.db_max_allocated_storage
  db_name               = "phonebook"
  master_username       = "phonebook"
  multi_az              = var.db_multi_az
  backup_retention_days = var.db_backup_retention_days
  deletion_protection   = var.db_deletion_protection
  final_snapshot        = var.db_final_snapshot
}
