"""Shared fixtures and tool lookup for the deployment tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.deploy.hcl import REPO_ROOT, Config, config

SETUP_HINT = "run `sudo bash scripts/setup-deploy-tools.sh` to install it"


def tool_path(name: str, venv: str | None = None) -> Path:
    """Return the path of a tool, from a venv under the repo or from PATH.

    Skips the calling test when the tool is not installed.
    """
    if venv is not None:
        candidate = REPO_ROOT / venv / "bin" / name
        if candidate.exists():
            return candidate
    found = shutil.which(name)
    if found is None:
        where = f"{venv}/bin or PATH" if venv else "PATH"
        pytest.skip(f"{name} not found in {where}; {SETUP_HINT}")
    return Path(found)


@pytest.fixture(scope="session")
def root() -> Config:
    return config()


@pytest.fixture(scope="session")
def network() -> Config:
    return config("network")


@pytest.fixture(scope="session")
def load_balancer() -> Config:
    return config("load_balancer")


@pytest.fixture(scope="session")
def compute() -> Config:
    return config("compute")


@pytest.fixture(scope="session")
def database() -> Config:
    return config("database")


@pytest.fixture(scope="session")
def registry() -> Config:
    return config("registry")


@pytest.fixture(scope="session")
def iam() -> Config:
    return config("iam")


@pytest.fixture(scope="session")
def bootstrap() -> Config:
    return Config(REPO_ROOT / "deploy" / "bootstrap")
