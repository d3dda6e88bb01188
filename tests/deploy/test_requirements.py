"""One test per requirement of the AWS deployment, read from the HCL."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.deploy.hcl import DEPLOY_DIR, Config, all_config_dirs, block, clean

ALL_DIRS = all_config_dirs()
DIR_IDS = [str(d.relative_to(DEPLOY_DIR)) for d in ALL_DIRS]


def statements(config: Config, document: str) -> list[dict[str, Any]]:
    body = config.data["aws_iam_policy_document"][document]
    found: list[dict[str, Any]] = body["statement"]
    return found


def statement_by_sid(config: Config, document: str, sid: str) -> dict[str, Any]:
    matches = [s for s in statements(config, document) if s.get("sid") == sid]
    assert len(matches) == 1, f"expected one statement {sid} in {document}"
    return matches[0]


# Layout, versions and state


@pytest.mark.parametrize("directory", ALL_DIRS, ids=DIR_IDS)
def test_terraform_requires_1_10_or_later(directory: Any) -> None:
    terraform = clean(Config(directory).raw["terraform"][0])
    assert terraform["required_version"] == ">= 1.10"


@pytest.mark.parametrize("directory", ALL_DIRS, ids=DIR_IDS)
def test_aws_provider_pinned_to_6(directory: Any) -> None:
    terraform = clean(Config(directory).raw["terraform"][0])
    aws = terraform["required_providers"][0]["aws"]
    assert aws["source"] == "hashicorp/aws"
    assert aws["version"] == "~> 6.0"


def test_backend_is_s3_with_lockfile(root: Config) -> None:
    backend = root.raw["terraform"][0]["backend"][0]['"s3"']
    assert backend["use_lockfile"] is True
    assert backend["encrypt"] is True


def test_provider_sets_default_tags(root: Config, bootstrap: Config) -> None:
    for config in (root, bootstrap):
        provider = config.raw["provider"][0]['"aws"']
        tags = provider["default_tags"][0]["tags"]
        assert '"Application"' in tags or "Application" in tags


def test_modules_are_local(root: Config) -> None:
    expected = {"network", "load_balancer", "compute", "database", "registry", "iam"}
    sources = {name: body["source"] for name, body in root.modules.items()}
    assert set(sources) == expected
    for name, source in sources.items():
        assert source == f"./modules/{name}"


@pytest.mark.parametrize("directory", ALL_DIRS, ids=DIR_IDS)
def test_every_variable_is_typed_and_described(directory: Any) -> None:
    for name, spec in Config(directory).variables.items():
        assert "type" in spec, f"variable {name} has no type"
        assert len(spec.get("description", "")) >= 20, (
            f"variable {name} has no description"
        )


@pytest.mark.parametrize("directory", ALL_DIRS, ids=DIR_IDS)
def test_numeric_variables_are_validated(directory: Any) -> None:
    for name, spec in Config(directory).variables.items():
        if spec["type"] == "number":
            assert spec.get("validation"), f"number variable {name} has no validation"


@pytest.mark.parametrize("directory", ALL_DIRS, ids=DIR_IDS)
def test_variables_and_outputs_are_alphabetical(directory: Any) -> None:
    config = Config(directory)
    for kind in ("variable", "output"):
        names = [
            name.strip('"') for block_ in config.raw.get(kind, []) for name in block_
        ]
        assert names == sorted(names), f"{kind} blocks of {directory} are not sorted"


def test_outputs_cover_url_ecr_asg_and_log_group(root: Config) -> None:
    assert {
        "url",
        "ecr_repository_urls",
        "autoscaling_group_name",
        "log_group_name",
    } <= set(root.outputs)


@pytest.mark.parametrize("directory", ALL_DIRS, ids=DIR_IDS)
def test_this_names_only_singletons(directory: Any) -> None:
    for type_name, instances in Config(directory).resources.items():
        body = instances.get("this")
        if body is not None:
            assert "count" not in body, f"{type_name}.this uses count"
            assert "for_each" not in body, f"{type_name}.this uses for_each"


# Network


def test_vpc_spans_at_least_two_azs(root: Config, network: Config) -> None:
    assert root.variables["az_count"]["default"] >= 2
    condition = network.variables["az_count"]["validation"][0]["condition"]
    assert "var.az_count >= 2" in condition


def test_subnet_tiers_exist_in_every_az(network: Config) -> None:
    for tier in ("public", "app", "db"):
        assert network.resource("aws_subnet", tier)["count"] == "${var.az_count}"


def test_db_subnets_have_no_internet_route(network: Config) -> None:
    route_table = network.resource("aws_route_table", "db")
    assert "route" not in route_table
    for name, route in network.resources["aws_route"].items():
        assert "aws_route_table.db" not in route["route_table_id"], (
            f"route {name} targets db"
        )
    association = network.resource("aws_route_table_association", "db")
    assert association["route_table_id"] == "${aws_route_table.db.id}"
    assert association["subnet_id"] == "${aws_subnet.db[count.index].id}"


def test_app_subnets_route_through_nat(network: Config) -> None:
    route = network.resource("aws_route", "app_internet")
    assert "nat_gateway_id" in route
    assert "gateway_id" not in route
    association = network.resource("aws_route_table_association", "app")
    assert association["subnet_id"] == "${aws_subnet.app[count.index].id}"


def test_public_subnets_route_through_internet_gateway(network: Config) -> None:
    route = network.resource("aws_route", "public_internet")
    assert route["gateway_id"] == "${aws_internet_gateway.this.id}"
    assert route["destination_cidr_block"] == "0.0.0.0/0"


def test_one_nat_gateway_by_default_per_az_by_variable(
    root: Config, network: Config
) -> None:
    assert root.variables["nat_gateway_per_az"]["default"] is False
    assert (
        network.locals["nat_gateway_count"]
        == "${var.nat_gateway_per_az ? var.az_count : 1}"
    )
    assert (
        network.resource("aws_nat_gateway", "zone")["count"]
        == "${local.nat_gateway_count}"
    )


def test_public_subnets_do_not_assign_public_ips(network: Config) -> None:
    assert network.resource("aws_subnet", "public")["map_public_ip_on_launch"] is False


def test_default_security_group_has_no_rules(network: Config) -> None:
    default = network.resource("aws_default_security_group", "this")
    assert "ingress" not in default
    assert "egress" not in default


# Entry and security groups


def test_alb_is_public_and_drops_invalid_headers(load_balancer: Config) -> None:
    alb = load_balancer.resource("aws_lb", "this")
    assert alb["internal"] is False
    assert alb["load_balancer_type"] == "application"
    assert alb["drop_invalid_header_fields"] is True


def test_alb_listens_on_80_and_443_with_certificate(
    load_balancer: Config, root: Config
) -> None:
    http = load_balancer.resource("aws_lb_listener", "http")
    assert http["port"] == 80
    https = load_balancer.resource("aws_lb_listener", "https")
    assert https["port"] == 443
    assert https["count"] == "${local.https_enabled ? 1 : 0}"
    assert load_balancer.locals["https_enabled"] == "${var.certificate_arn != null}"
    assert root.variables["certificate_arn"]["default"] is None


def test_only_alb_accepts_internet_traffic(network: Config) -> None:
    internet_rules = {
        name
        for name, rule in network.resources[
            "aws_vpc_security_group_ingress_rule"
        ].items()
        if rule.get("cidr_ipv4") == "0.0.0.0/0" or "cidr_ipv6" in rule
    }
    assert internet_rules == {"alb_listener"}
    listener = network.resource("aws_vpc_security_group_ingress_rule", "alb_listener")
    assert listener["security_group_id"] == "${aws_security_group.alb.id}"
    for security_group in network.resources["aws_security_group"].values():
        assert "ingress" not in security_group


def test_listener_ports_limited_to_80_and_443(network: Config, root: Config) -> None:
    condition = network.variables["listener_ports"]["validation"][0]["condition"]
    assert "contains([80, 443], port)" in condition
    assert root.modules["network"]["listener_ports"] == (
        "${var.certificate_arn == null ? [80] : [80, 443]}"
    )


def test_instances_accept_http_only_from_alb(network: Config) -> None:
    rule = network.resource("aws_vpc_security_group_ingress_rule", "app_from_alb")
    assert rule["security_group_id"] == "${aws_security_group.app.id}"
    assert rule["referenced_security_group_id"] == "${aws_security_group.alb.id}"
    assert (rule["from_port"], rule["to_port"]) == (80, 80)


def test_db_accepts_3306_only_from_instances(network: Config) -> None:
    rules = [
        rule
        for rule in network.resources["aws_vpc_security_group_ingress_rule"].values()
        if rule["security_group_id"] == "${aws_security_group.db.id}"
    ]
    assert len(rules) == 1
    assert rules[0]["referenced_security_group_id"] == "${aws_security_group.app.id}"
    assert (rules[0]["from_port"], rules[0]["to_port"]) == (3306, 3306)
    assert rules[0]["ip_protocol"] == "tcp"


def test_db_security_group_has_no_egress(network: Config) -> None:
    for rule in network.resources["aws_vpc_security_group_egress_rule"].values():
        assert rule["security_group_id"] != "${aws_security_group.db.id}"


# Compute


def asg(compute: Config) -> dict[str, Any]:
    return compute.resource("aws_autoscaling_group", "this")


def test_asg_uses_spot_only(compute: Config) -> None:
    distribution = block(
        asg(compute), "mixed_instances_policy", "instances_distribution"
    )
    assert distribution["on_demand_base_capacity"] == 0
    assert distribution["on_demand_percentage_above_base_capacity"] == 0
    assert "launch_template" not in asg(compute)


def test_asg_uses_price_capacity_optimized(compute: Config) -> None:
    distribution = block(
        asg(compute), "mixed_instances_policy", "instances_distribution"
    )
    assert distribution["spot_allocation_strategy"] == "price-capacity-optimized"


def test_asg_has_at_least_three_instance_types(compute: Config, root: Config) -> None:
    template = block(asg(compute), "mixed_instances_policy", "launch_template")
    override = template["dynamic"][0]["override"]
    assert override["for_each"] == "${var.instance_types}"
    assert len(set(root.variables["instance_types"]["default"])) >= 3
    condition = compute.variables["instance_types"]["validation"][0]["condition"]
    assert ">= 3" in condition


def test_asg_has_capacity_rebalance(compute: Config) -> None:
    assert asg(compute)["capacity_rebalance"] is True


def test_asg_size_is_min_2_max_10_desired_2(compute: Config, root: Config) -> None:
    group = asg(compute)
    assert group["min_size"] == "${var.min_size}"
    assert group["max_size"] == "${var.max_size}"
    assert group["desired_capacity"] == "${var.min_size}"
    assert root.variables["asg_min_size"]["default"] == 2
    assert root.variables["asg_max_size"]["default"] == 10
    assert root.modules["compute"]["min_size"] == "${var.asg_min_size}"
    assert root.modules["compute"]["max_size"] == "${var.asg_max_size}"


def test_asg_ignores_desired_capacity_changes(compute: Config) -> None:
    lifecycle = block(asg(compute), "lifecycle")
    assert lifecycle["ignore_changes"] == ["${desired_capacity}"] or lifecycle[
        "ignore_changes"
    ] == ["desired_capacity"]


def test_asg_spreads_over_private_app_subnets(compute: Config, root: Config) -> None:
    assert asg(compute)["vpc_zone_identifier"] == "${var.app_subnet_ids}"
    assert (
        root.modules["compute"]["app_subnet_ids"] == "${module.network.app_subnet_ids}"
    )


def test_asg_uses_elb_health_check_on_healthz(
    compute: Config, root: Config, load_balancer: Config
) -> None:
    group = asg(compute)
    assert group["health_check_type"] == "ELB"
    assert group["target_group_arns"] == ["${var.target_group_arn}"]
    assert root.modules["load_balancer"]["health_check_path"] == "/healthz"
    health_check = block(
        load_balancer.resource("aws_lb_target_group", "web"), "health_check"
    )
    assert health_check["path"] == "${var.health_check_path}"


def test_health_check_grace_period_covers_boot(compute: Config, root: Config) -> None:
    assert (
        asg(compute)["health_check_grace_period"] == "${var.health_check_grace_period}"
    )
    assert root.variables["health_check_grace_period"]["default"] >= 240


def test_new_image_tag_rolls_out_by_instance_refresh(
    compute: Config, root: Config
) -> None:
    group = asg(compute)
    refresh = block(group, "instance_refresh")
    assert refresh["strategy"] == "Rolling"
    specification = block(
        group,
        "mixed_instances_policy",
        "launch_template",
        "launch_template_specification",
    )
    # $Latest would not start a refresh; a concrete version does.
    assert specification["version"] == "${aws_launch_template.this.latest_version}"
    assert "${var.image_tag}" in root.locals["api_image"]
    assert "${var.image_tag}" in root.locals["web_image"]


def test_launch_template_requires_imdsv2_hop_limit_1(compute: Config) -> None:
    metadata = block(
        compute.resource("aws_launch_template", "this"), "metadata_options"
    )
    assert metadata["http_tokens"] == "required"
    assert metadata["http_put_response_hop_limit"] == 1
    assert metadata["http_endpoint"] == "enabled"


def test_launch_template_root_volume_encrypted(compute: Config) -> None:
    mapping = block(
        compute.resource("aws_launch_template", "this"), "block_device_mappings"
    )
    assert mapping["device_name"] == "/dev/xvda"
    ebs = block(mapping, "ebs")
    assert ebs["encrypted"] is True
    assert ebs["volume_type"] == "gp3"


def test_launch_template_has_no_key_pair_or_public_ip(compute: Config) -> None:
    template = compute.resource("aws_launch_template", "this")
    assert "key_name" not in template
    interface = block(template, "network_interfaces")
    assert interface["associate_public_ip_address"] is False


def test_launch_template_uses_al2023_ssm_parameter(compute: Config) -> None:
    parameter = compute.data["aws_ssm_parameter"]["al2023_ami"]
    assert parameter["name"].startswith(
        "/aws/service/ami-amazon-linux-latest/al2023-ami-"
    )
    template = compute.resource("aws_launch_template", "this")
    assert "data.aws_ssm_parameter.al2023_ami" in template["image_id"]


def test_launch_template_uses_instance_profile(compute: Config) -> None:
    profile = block(
        compute.resource("aws_launch_template", "this"), "iam_instance_profile"
    )
    assert profile["arn"] == "${var.instance_profile_arn}"


def test_logs_go_to_cloudwatch_with_retention(root: Config) -> None:
    group = root.resource("aws_cloudwatch_log_group", "app")
    assert group["retention_in_days"] == "${var.log_retention_days}"
    assert (
        root.modules["compute"]["log_group_name"]
        == "${aws_cloudwatch_log_group.app.name}"
    )


# Scaling


def alarm(compute: Config, name: str) -> dict[str, Any]:
    return compute.resource("aws_cloudwatch_metric_alarm", name)


@pytest.mark.parametrize("name", ["requests_high", "requests_low"])
def test_alarms_use_request_count_sum_60s_one_period(
    compute: Config, name: str
) -> None:
    body = alarm(compute, name)
    assert body["namespace"] == "AWS/ApplicationELB"
    assert body["metric_name"] == "RequestCount"
    assert body["statistic"] == "Sum"
    assert body["period"] == 60
    assert body["evaluation_periods"] == 1


@pytest.mark.parametrize("name", ["requests_high", "requests_low"])
def test_alarms_use_alb_arn_suffix_dimension(
    compute: Config, root: Config, name: str
) -> None:
    assert alarm(compute, name)["dimensions"] == "${local.request_count_dimensions}"
    assert compute.locals["request_count_dimensions"] == {
        "LoadBalancer": "${var.alb_arn_suffix}"
    }
    assert (
        root.modules["compute"]["alb_arn_suffix"]
        == "${module.load_balancer.arn_suffix}"
    )


def test_high_alarm_adds_one_instance_above_30(compute: Config, root: Config) -> None:
    body = alarm(compute, "requests_high")
    assert body["comparison_operator"] == "GreaterThanThreshold"
    assert body["threshold"] == "${var.requests_high_threshold}"
    assert root.variables["scale_out_requests_per_minute"]["default"] == 30
    assert body["alarm_actions"] == ["${aws_autoscaling_policy.scale_out.arn}"]
    policy = compute.resource("aws_autoscaling_policy", "scale_out")
    assert policy["policy_type"] == "StepScaling"
    assert policy["adjustment_type"] == "ChangeInCapacity"
    step = block(policy, "step_adjustment")
    assert step["scaling_adjustment"] == 1
    assert step["metric_interval_lower_bound"] == 0


def test_low_alarm_removes_one_instance_below_10(compute: Config, root: Config) -> None:
    body = alarm(compute, "requests_low")
    assert body["comparison_operator"] == "LessThanThreshold"
    assert body["threshold"] == "${var.requests_low_threshold}"
    assert root.variables["scale_in_requests_per_minute"]["default"] == 10
    assert body["alarm_actions"] == ["${aws_autoscaling_policy.scale_in.arn}"]
    policy = compute.resource("aws_autoscaling_policy", "scale_in")
    assert policy["policy_type"] == "StepScaling"
    step = block(policy, "step_adjustment")
    assert step["scaling_adjustment"] == -1
    assert step["metric_interval_upper_bound"] == 0


def test_low_alarm_treats_missing_data_as_breaching(compute: Config) -> None:
    assert alarm(compute, "requests_low")["treat_missing_data"] == "breaching"


def test_high_alarm_treats_missing_data_as_not_breaching(compute: Config) -> None:
    assert alarm(compute, "requests_high")["treat_missing_data"] == "notBreaching"


# Database


def db(database: Config) -> dict[str, Any]:
    return database.resource("aws_db_instance", "this")


def test_db_is_mysql_8_4_single_instance(database: Config, root: Config) -> None:
    assert db(database)["engine"] == "mysql"
    assert db(database)["engine_version"] == "8.4"
    assert db(database)["multi_az"] == "${var.multi_az}"
    assert root.variables["db_multi_az"]["default"] is False
    assert "count" not in db(database)


def test_db_is_not_publicly_accessible(database: Config) -> None:
    assert db(database)["publicly_accessible"] is False
    group = database.resource("aws_db_subnet_group", "this")
    assert group["subnet_ids"] == "${var.subnet_ids}"


def test_db_uses_private_db_subnets(root: Config) -> None:
    assert root.modules["database"]["subnet_ids"] == "${module.network.db_subnet_ids}"


def test_db_storage_is_encrypted(database: Config) -> None:
    assert db(database)["storage_encrypted"] is True


def test_db_password_is_managed_by_rds(database: Config) -> None:
    assert db(database)["manage_master_user_password"] is True
    for argument in ("password", "password_wo"):
        assert argument not in db(database)


@pytest.mark.parametrize("directory", ALL_DIRS, ids=DIR_IDS)
def test_no_password_in_variables_or_arguments(directory: Any) -> None:
    config = Config(directory)
    assert not [name for name in config.variables if "password" in name]
    assert not re.search(r"^\s*password(_wo)?\s*=", config.text(), re.MULTILINE)


def test_db_has_automated_backups(database: Config, root: Config) -> None:
    assert db(database)["backup_retention_period"] == "${var.backup_retention_days}"
    assert root.variables["db_backup_retention_days"]["default"] >= 1
    condition = database.variables["backup_retention_days"]["validation"][0][
        "condition"
    ]
    assert ">= 1" in condition


def test_db_requires_tls_and_utf8mb4(database: Config) -> None:
    group = database.resource("aws_db_parameter_group", "this")
    assert group["family"] == "mysql8.4"
    parameters = {p["name"]: p["value"] for p in group["parameter"]}
    assert parameters["require_secure_transport"] == "1"
    assert parameters["character_set_server"] == "utf8mb4"
    assert parameters["collation_server"].startswith("utf8mb4_")
    assert db(database)["parameter_group_name"] == "${aws_db_parameter_group.this.name}"


def test_db_allows_migrations_to_create_triggers(database: Config) -> None:
    group = database.resource("aws_db_parameter_group", "this")
    parameters = {p["name"]: p["value"] for p in group["parameter"]}
    # Binary logging, on with automated backups, otherwise forbids CREATE TRIGGER.
    assert parameters["log_bin_trust_function_creators"] == "1"


def test_db_deletion_protection_and_final_snapshot_by_variable(
    database: Config,
) -> None:
    body = db(database)
    assert body["deletion_protection"] == "${var.deletion_protection}"
    assert body["skip_final_snapshot"] == "${!var.final_snapshot}"


# Registry


def test_ecr_tags_are_immutable_and_scanned(registry: Config) -> None:
    repository = registry.resource("aws_ecr_repository", "component")
    assert repository["image_tag_mutability"] == "IMMUTABLE"
    assert block(repository, "image_scanning_configuration")["scan_on_push"] is True
    assert registry.locals["components"] == '${toset(["api", "web"])}'


def test_ecr_has_lifecycle_policy(registry: Config) -> None:
    policy = registry.resource("aws_ecr_lifecycle_policy", "component")
    assert policy["for_each"] == "${local.components}"
    assert "imageCountMoreThan" in policy["policy"]


# IAM


def all_instance_statements(iam: Config) -> list[dict[str, Any]]:
    return statements(iam, "instance")


def test_instance_role_has_no_wildcard_actions(iam: Config) -> None:
    for statement in all_instance_statements(iam):
        for action in statement["actions"]:
            assert "*" not in action, f"wildcard action {action}"


def test_instance_role_star_resources_are_unscoped_actions(iam: Config) -> None:
    unscoped = {
        "ecr:GetAuthorizationToken",
        "ssmmessages:CreateControlChannel",
        "ssmmessages:CreateDataChannel",
        "ssmmessages:OpenControlChannel",
        "ssmmessages:OpenDataChannel",
    }
    for statement in all_instance_statements(iam):
        if "*" in statement["resources"]:
            assert set(statement["actions"]) <= unscoped


def test_ecr_authorization_star_is_commented(iam: Config) -> None:
    text = (iam.directory / "instance_role.tf").read_text()
    before, _, _ = text.partition('sid       = "EcrLogin"')
    comment = "\n".join(before.splitlines()[-6:])
    assert "ecr:GetAuthorizationToken" in comment
    assert 'Resource "*"' in comment


def test_instance_role_pulls_only_two_repositories(iam: Config, root: Config) -> None:
    statement = statement_by_sid(iam, "instance", "EcrPullApplicationImages")
    assert statement["resources"] == "${var.repository_arns}"
    assert (
        root.modules["iam"]["repository_arns"]
        == "${values(module.registry.repository_arns)}"
    )
    assert not [a for a in statement["actions"] if not a.startswith("ecr:")]


def test_instance_role_writes_only_its_log_group(iam: Config, root: Config) -> None:
    statement = statement_by_sid(iam, "instance", "WriteApplicationLogs")
    assert set(statement["actions"]) == {"logs:CreateLogStream", "logs:PutLogEvents"}
    assert statement["resources"] == [
        "${var.log_group_arn}",
        "${var.log_group_arn}:log-stream:*",
    ]
    assert root.modules["iam"]["log_group_arn"] == "${aws_cloudwatch_log_group.app.arn}"


def test_instance_role_reads_only_db_secret(iam: Config, root: Config) -> None:
    statement = statement_by_sid(iam, "instance", "ReadDatabaseSecret")
    assert statement["actions"] == ["secretsmanager:GetSecretValue"]
    assert statement["resources"] == ["${var.db_secret_arn}"]
    secret_arn = root.modules["iam"]["db_secret_arn"]
    assert secret_arn == "${module.database.master_user_secret_arn}"  # noqa: S105


def test_instance_role_allows_session_manager(iam: Config) -> None:
    channels = statement_by_sid(iam, "instance", "SessionManagerChannels")
    assert "ssmmessages:OpenDataChannel" in channels["actions"]
    register = statement_by_sid(iam, "instance", "SessionManagerRegister")
    assert register["actions"] == ["ssm:UpdateInstanceInformation"]


def test_instance_role_has_no_managed_policies(iam: Config) -> None:
    for attachment in iam.resources.get("aws_iam_role_policy_attachment", {}).values():
        assert "aws_iam_role.instance" not in attachment["role"]
    assert "managed_policy_arns" not in iam.resource("aws_iam_role", "instance")


def test_github_role_trusts_only_main_branch(iam: Config) -> None:
    statement = statements(iam, "github_assume_role")[0]
    assert statement["actions"] == ["sts:AssumeRoleWithWebIdentity"]
    conditions = {c["variable"]: c for c in statement["condition"]}
    subject = conditions["${local.github_issuer}:sub"]
    assert subject["test"] == "StringEquals"
    assert subject["values"] == ["repo:${var.github_repository}:ref:refs/heads/main"]
    assert conditions["${local.github_issuer}:aud"]["values"] == ["sts.amazonaws.com"]


def test_deployer_policy_has_no_admin_access() -> None:
    text = (DEPLOY_DIR / "policies" / "terraform-deployer.json.tftpl").read_text()
    placeholders = {
        "account_id": "123456789012",
        "partition": "aws",
        "region": "us-east-1",
    }
    placeholders["state_bucket"] = "phonebook-tfstate-123456789012"
    for key, value in placeholders.items():
        text = text.replace("${" + key + "}", value)
    policy = json.loads(text)
    for statement in policy["Statement"]:
        actions = statement["Action"]
        assert "*" not in actions
        assert not [a for a in actions if a.endswith(":*")], (
            f"service wildcard in {actions}"
        )
        assert statement["Effect"] == "Allow"
    iam_resources = [
        s["Resource"]
        for s in policy["Statement"]
        if any(a.startswith("iam:") for a in s["Action"])
    ]
    for resource in iam_resources:
        if resource != "*":
            for arn in resource if isinstance(resource, list) else [resource]:
                assert (
                    "phonebook" in arn or "token.actions.githubusercontent.com" in arn
                )


# State bootstrap


def test_state_bucket_is_versioned_encrypted_private(bootstrap: Config) -> None:
    versioning = bootstrap.resource("aws_s3_bucket_versioning", "state")
    assert block(versioning, "versioning_configuration")["status"] == "Enabled"
    encryption = bootstrap.resource(
        "aws_s3_bucket_server_side_encryption_configuration", "state"
    )
    default = block(encryption, "rule", "apply_server_side_encryption_by_default")
    assert default["sse_algorithm"] in {"AES256", "aws:kms"}
    public_access = bootstrap.resource("aws_s3_bucket_public_access_block", "state")
    for flag in (
        "block_public_acls",
        "block_public_policy",
        "ignore_public_acls",
        "restrict_public_buckets",
    ):
        assert public_access[flag] is True, flag
