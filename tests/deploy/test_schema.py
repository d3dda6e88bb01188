"""Every resource, data source, argument and block exists in the AWS provider schema."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.deploy.hcl import DEPLOY_DIR, all_config_dirs
from tests.deploy.schema import check_directory, check_module_calls, provider_schema

CONFIG_DIRS = all_config_dirs()


def test_schema_matches_pinned_provider() -> None:
    schema = provider_schema()
    assert schema["provider_version"].startswith("6.")
    assert len(schema["resource"]) > 1500
    assert "aws_autoscaling_group" in schema["resource"]


@pytest.mark.parametrize(
    "directory", CONFIG_DIRS, ids=[str(d.relative_to(DEPLOY_DIR)) for d in CONFIG_DIRS]
)
def test_config_matches_provider_schema(directory: Path) -> None:
    errors = check_directory(directory)
    assert errors == []


@pytest.mark.parametrize("directory", [DEPLOY_DIR], ids=["deploy"])
def test_module_calls_match_module_variables(directory: Path) -> None:
    errors = check_module_calls(directory)
    assert errors == []


def write_config(tmp_path: Path, text: str) -> Path:
    (tmp_path / "main.tf").write_text(text)
    return tmp_path


def test_schema_check_catches_misspelt_argument(tmp_path: Path) -> None:
    directory = write_config(
        tmp_path,
        'resource "aws_cloudwatch_log_group" "app" {\n'
        '  name              = "/phonebook"\n'
        "  retention_in_dayz = 30\n"
        "}\n",
    )
    errors = check_directory(directory)
    assert errors == [
        f"{tmp_path.name}: resource aws_cloudwatch_log_group.app: "
        "unknown argument 'retention_in_dayz'"
    ]


def test_schema_check_catches_block_written_as_argument(tmp_path: Path) -> None:
    directory = write_config(
        tmp_path,
        'resource "aws_launch_template" "this" {\n'
        "  metadata_options = {\n"
        '    http_tokens = "required"\n'
        "  }\n"
        "}\n",
    )
    errors = check_directory(directory)
    assert len(errors) == 1
    assert "'metadata_options' is a block, written as an argument" in errors[0]


def test_schema_check_catches_misspelt_nested_argument(tmp_path: Path) -> None:
    directory = write_config(
        tmp_path,
        'resource "aws_launch_template" "this" {\n'
        "  metadata_options {\n"
        '    http_token = "required"\n'
        "  }\n"
        "}\n",
    )
    errors = check_directory(directory)
    assert len(errors) == 1
    assert "metadata_options: unknown argument 'http_token'" in errors[0]


def test_schema_check_catches_unknown_type(tmp_path: Path) -> None:
    directory = write_config(tmp_path, 'resource "aws_autoscale_group" "this" {}\n')
    errors = check_directory(directory)
    assert len(errors) == 1
    assert "unknown resource type 'aws_autoscale_group'" in errors[0]


def test_schema_check_catches_missing_required_argument(tmp_path: Path) -> None:
    directory = write_config(
        tmp_path, 'resource "aws_autoscaling_group" "this" {\n  max_size = 1\n}\n'
    )
    errors = check_directory(directory)
    assert len(errors) == 1
    assert "missing required argument 'min_size'" in errors[0]


def test_schema_check_catches_bad_lifecycle_argument(tmp_path: Path) -> None:
    directory = write_config(
        tmp_path,
        'resource "aws_eip" "this" {\n'
        "  lifecycle {\n"
        "    ignore_change = [tags]\n"
        "  }\n"
        "}\n",
    )
    errors = check_directory(directory)
    assert len(errors) == 1
    assert "lifecycle has no 'ignore_change'" in errors[0]


def test_schema_check_catches_dynamic_unknown_block(tmp_path: Path) -> None:
    directory = write_config(
        tmp_path,
        'resource "aws_autoscaling_group" "this" {\n'
        "  min_size = 1\n"
        "  max_size = 1\n"
        '  dynamic "tags" {\n'
        "    for_each = []\n"
        "    content {\n"
        '      key = "a"\n'
        "    }\n"
        "  }\n"
        "}\n",
    )
    errors = check_directory(directory)
    assert len(errors) == 1
    assert "dynamic block for unknown block 'tags'" in errors[0]


def test_schema_check_accepts_meta_arguments(tmp_path: Path) -> None:
    directory = write_config(
        tmp_path,
        'resource "aws_eip" "this" {\n'
        "  count      = 2\n"
        '  domain     = "vpc"\n'
        "  depends_on = []\n"
        "  provider   = aws\n"
        "  lifecycle {\n"
        "    create_before_destroy = true\n"
        "  }\n"
        "}\n",
    )
    assert check_directory(directory) == []
