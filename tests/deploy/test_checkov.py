"""Checkov on deploy/, offline, with the custom launch template policy."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.deploy.conftest import tool_path
from tests.deploy.hcl import DEPLOY_DIR

CUSTOM_CHECKS = DEPLOY_DIR / "checkov"
SKIP_COMMENT = re.compile(r"#\s*checkov:skip=([A-Z0-9_]+)(?::(.*))?")


def run_checkov(directory: Path) -> list[dict[str, Any]]:
    checkov = tool_path("checkov", ".venv-checkov")
    result = subprocess.run(
        [
            str(checkov),
            "--directory",
            str(directory),
            "--framework",
            "terraform",
            "--skip-download",
            "--external-checks-dir",
            str(CUSTOM_CHECKS),
            "--output",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    # Exit code 1 means failed checks, anything else above 0 a crash.
    assert result.returncode in (0, 1), result.stderr
    reports = json.loads(result.stdout)
    return reports if isinstance(reports, list) else [reports]


@pytest.fixture(scope="module")
def deploy_report() -> list[dict[str, Any]]:
    return run_checkov(DEPLOY_DIR)


def test_checkov_finds_no_failed_checks(deploy_report: list[dict[str, Any]]) -> None:
    failed = [
        f"{check['check_id']} {check['resource']} ({check['file_path']})"
        for report in deploy_report
        for check in report.get("results", {}).get("failed_checks", [])
    ]
    assert failed == []


def test_checkov_ran_custom_check(deploy_report: list[dict[str, Any]]) -> None:
    passed = [
        check["resource"]
        for report in deploy_report
        for check in report["results"]["passed_checks"]
        if check["check_id"] == "CKV_PHONEBOOK_1"
    ]
    assert passed == ["module.compute.aws_launch_template.this"]


def test_checkov_skips_are_justified() -> None:
    for path in sorted(DEPLOY_DIR.rglob("*.tf")):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            match = SKIP_COMMENT.search(line)
            if match is None:
                continue
            reason = (match.group(2) or "").strip()
            assert len(reason) >= 30, (
                f"{path}:{number}: skip of {match.group(1)} has no reason"
            )


UNENCRYPTED_TEMPLATE = """
resource "aws_launch_template" "unencrypted" {
  name_prefix = "test-"

  block_device_mappings {
    device_name = "/dev/xvda"

    ebs {
      volume_size = 20
      encrypted   = false
    }
  }
}

resource "aws_launch_template" "no_mappings" {
  name_prefix = "test-"
}
"""


def test_custom_check_flags_unencrypted_launch_template(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(UNENCRYPTED_TEMPLATE)
    reports = run_checkov(tmp_path)
    failed = {
        check["resource"]
        for report in reports
        for check in report["results"]["failed_checks"]
        if check["check_id"] == "CKV_PHONEBOOK_1"
    }
    assert failed == {
        "aws_launch_template.unencrypted",
        "aws_launch_template.no_mappings",
    }
