"""The boot script (user data): rendering, shellcheck and the secret fetch.

The template uses only `${name}` placeholders and `$${` escapes, so the tests
render it with a small Python function that implements that subset of
Terraform's templatefile() and rejects anything else.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.deploy.conftest import tool_path
from tests.deploy.hcl import MODULES_DIR, Config

TEMPLATE = MODULES_DIR / "compute" / "user_data.sh.tftpl"
PLACEHOLDER = re.compile(r"(?<!\$)\$\{([^}]*)\}")

REGISTRY = "123456789012.dkr.ecr.us-east-1.amazonaws.com"
TEST_VALUES = {
    "api_image": f"{REGISTRY}/phonebook-prod/api:abc1234",
    "db_host": "phonebook-prod.abcdefghij.us-east-1.rds.amazonaws.com",
    "db_name": "phonebook",
    "db_port": "3306",
    "db_secret_arn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1",
    "log_group_name": "/phonebook/prod",
    "region": "us-east-1",
    "registry_host": REGISTRY,
    "web_concurrency": "2",
    "web_image": f"{REGISTRY}/phonebook-prod/web:abc1234",
}


def render(template: str, values: dict[str, str]) -> str:
    """Render `${name}` placeholders and `$${` escapes like templatefile()."""
    assert "%{" not in template.replace("%%{", ""), (
        "template directives are not supported"
    )
    names = set(PLACEHOLDER.findall(template))
    missing = names - set(values)
    assert not missing, f"no value for placeholders {sorted(missing)}"
    rendered = PLACEHOLDER.sub(lambda match: values[match.group(1)], template)
    return rendered.replace("$${", "${").replace("%%{", "%{")


@pytest.fixture(scope="module")
def script(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("user-data") / "user-data.sh"
    path.write_text(render(TEMPLATE.read_text(), TEST_VALUES))
    return path


def test_user_data_placeholders_match_templatefile_call(compute: Config) -> None:
    call = compute.locals["user_data"]
    passed = set(re.findall(r"\b([a-z_]+)\s*=", call))
    used = set(PLACEHOLDER.findall(TEMPLATE.read_text()))
    assert used == passed
    assert used == set(TEST_VALUES)


def test_user_data_passes_shellcheck(script: Path) -> None:
    shellcheck = tool_path("shellcheck")
    result = subprocess.run(
        [str(shellcheck), "--shell=bash", "--severity=style", str(script)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout


def test_user_data_runs_migration_once_before_api(script: Path) -> None:
    text = script.read_text()
    boot = text[text.index("boot() {") :]
    assert boot.index("run_migration") < boot.index("start_containers")
    assert '--entrypoint phonebook "$API_IMAGE" migrate' in text
    assert text.count('--env "AUTO_MIGRATE=false"') == 2


def test_api_container_publishes_no_host_port(script: Path) -> None:
    text = script.read_text()
    assert text.count("--publish") == 1
    web = text[text.index("--name web") :]
    assert "--publish 80:80" in web
    assert '--env "API_URL=http://api:80"' in web
    assert 'docker network create "$NETWORK"' in text


def test_user_data_sets_node_hostname(script: Path) -> None:
    text = script.read_text()
    assert 'hostname="$(hostname)"' in text
    assert '--env "NODE_HOSTNAME=$hostname"' in text


def test_user_data_uses_awslogs_and_restart_policy(script: Path) -> None:
    text = script.read_text()
    assert text.count("--restart unless-stopped") == 2
    assert text.count("--log-driver awslogs") == 2
    assert 'readonly LOG_GROUP="/phonebook/prod"' in text


def test_user_data_passes_password_as_file(script: Path) -> None:
    text = script.read_text()
    assert "DB_PASSWORD_FILE=/run/secrets/db-password" in text
    assert "db-password:/run/secrets/db-password:ro" in text
    assert "DB_PASSWORD=" not in text


def test_user_data_verifies_rds_tls(script: Path) -> None:
    text = script.read_text()
    assert '--env "DB_TLS=verify"' in text
    assert "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem" in text
    assert "DB_TLS_CA=/run/certs/rds-global-bundle.pem" in text


def test_user_data_logs_in_to_ecr(script: Path) -> None:
    text = script.read_text()
    assert "aws ecr get-login-password" in text
    assert 'docker login --username AWS --password-stdin "$REGISTRY_HOST"' in text


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    server = tool_path("moto_server", ".venv-moto")
    port = free_port()
    process = subprocess.Popen(
        [str(server), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail(f"moto_server did not start on {endpoint}")
                time.sleep(0.2)
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=10)


def aws_environment(endpoint: str) -> dict[str, str]:
    aws_cli = tool_path("aws", ".venv-moto")
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("AWS_")
    }
    environment.update(
        {
            "PATH": f"{aws_cli.parent}:{environment.get('PATH', '/usr/bin:/bin')}",
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_CONFIG_FILE": "/dev/null",
            "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        }
    )
    return environment


def test_fetch_db_credentials_against_moto(
    script: Path, moto_endpoint: str, tmp_path: Path
) -> None:
    environment = aws_environment(moto_endpoint)
    aws_cli = tool_path("aws", ".venv-moto")
    secret = {"username": "phonebook", "password": "p@ss w0rd'\"$x"}
    created = subprocess.run(
        [
            str(aws_cli),
            "secretsmanager",
            "create-secret",
            "--name",
            "rds!db-test",
            "--secret-string",
            json.dumps(secret),
            "--query",
            "ARN",
            "--output",
            "text",
        ],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    secret_arn = created.stdout.strip()
    secrets_dir = tmp_path / "secrets"

    # Source the script (main does not run) and call the one function.
    result = subprocess.run(
        [
            "bash",
            "-c",
            'source "$1" && fetch_db_credentials "$2" "$3"',
            "bash",
            str(script),
            secret_arn,
            str(secrets_dir),
        ],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert (secrets_dir / "db-password").read_text() == secret["password"]
    assert (secrets_dir / "db-user").read_text() == secret["username"]
    assert secrets_dir.stat().st_mode & 0o777 == 0o700
    assert (secrets_dir / "db-password").stat().st_mode & 0o777 == 0o444
    assert not list(secrets_dir.glob("*.new"))


def test_fetch_db_credentials_fails_for_unknown_secret(
    script: Path, moto_endpoint: str, tmp_path: Path
) -> None:
    environment = aws_environment(moto_endpoint)
    secrets_dir = tmp_path / "secrets"
    result = subprocess.run(
        [
            "bash",
            "-c",
            'source "$1" && fetch_db_credentials "$2" "$3"',
            "bash",
            str(script),
            "rds!does-not-exist",
            str(secrets_dir),
        ],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "ResourceNotFoundException" in result.stderr
    assert not (secrets_dir / "db-password").exists()
