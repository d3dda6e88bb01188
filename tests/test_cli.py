"""The `phonebook` command: settings errors, the local run and its shutdown."""

from __future__ import annotations

import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from phonebook.settings import ApiSettings, ConfigError, ServerSettings, WebSettings
from tests.support import PHONEBOOK, free_port, service_env


@pytest.mark.parametrize(
    ("command", "env", "named"),
    [
        (
            ["api"],
            {"DB_HOST": "db", "DB_PORT": "abc"},
            "DB_PORT='abc' is not an integer",
        ),
        (["api"], {"PORT": "70000"}, "PORT=70000 is out of range"),
        (["api"], {"DATABASE_URL": "postgresql://x@y/z"}, "DATABASE_URL uses the"),
        (
            ["api"],
            {"DATABASE_URL": "mysql+pymysql://x@y/z"},
            "names the 'pymysql' driver",
        ),
        (["api"], {"DB_TLS": "maybe"}, "DB_TLS='maybe' is invalid"),
        (
            ["api"],
            {"DB_HOST": "db", "DB_PASSWORD_FILE": "/nonexistent/pw"},
            "DB_PASSWORD_FILE",
        ),
        (
            ["api"],
            {"AUTO_MIGRATE": "sometimes"},
            "AUTO_MIGRATE='sometimes' is not a boolean",
        ),
        (
            ["web"],
            {"API_URL": "ftp://api"},
            "API_URL='ftp://api' is not an http(s) URL",
        ),
        (["web"], {"LOG_FORMAT": "xml"}, "LOG_FORMAT='xml' is invalid"),
    ],
)
def test_invalid_setting_stops_with_one_line(
    command: list[str], env: dict[str, str], named: str
) -> None:
    result = subprocess.run(
        [*PHONEBOOK, *command],
        env=service_env(env),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("phonebook: configuration error: ")
    assert named in lines[0]


def test_database_url_defaults_to_sqlite_file() -> None:
    url = ApiSettings.from_env({}).database_url
    assert url.drivername == "sqlite+aiosqlite"
    assert url.database == "phonebook.db"


def test_db_variables_build_mysql_url(tmp_path: Path) -> None:
    password_file = tmp_path / "password"
    password_file.write_text("s3cret\n")
    settings = ApiSettings.from_env(
        {
            "DB_HOST": "db.internal",
            "DB_PORT": "3307",
            "DB_NAME": "book",
            "DB_USER": "app",
            "DB_PASSWORD_FILE": str(password_file),
        }
    )
    url = settings.database_url
    assert (url.drivername, url.host, url.port) == (
        "mysql+asyncmy",
        "db.internal",
        3307,
    )
    assert (url.database, url.username, url.password) == ("book", "app", "s3cret")


def test_database_url_gets_async_driver() -> None:
    url = ApiSettings.from_env({"DATABASE_URL": "mysql://u:p@h/d"}).database_url
    assert url.drivername == "mysql+asyncmy"


def test_both_password_settings_are_rejected(tmp_path: Path) -> None:
    env = {"DB_HOST": "h", "DB_PASSWORD": "a", "DB_PASSWORD_FILE": str(tmp_path)}
    with pytest.raises(ConfigError, match="keep only one"):
        ApiSettings.from_env(env)


def test_server_settings_defaults() -> None:
    server = ServerSettings.from_env({}, 8000)
    assert (server.host, server.port, server.workers) == ("0.0.0.0", 8000, 1)
    assert server.log_format == "json"


def test_node_hostname_wins_over_machine_name() -> None:
    assert WebSettings.from_env({"NODE_HOSTNAME": "node-7"}).node_hostname == "node-7"
    assert WebSettings.from_env({}).node_hostname


def test_dev_serves_page_and_api_until_interrupted(tmp_path: Path) -> None:
    web_port, api_port = free_port(), free_port()
    process = subprocess.Popen(
        [*PHONEBOOK, "dev", "--port", str(web_port), "--api-port", str(api_port)],
        cwd=tmp_path,
        env=service_env({}),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        ready = False
        while time.monotonic() < deadline and not ready:
            try:
                ready = (
                    httpx.get(f"http://127.0.0.1:{web_port}/healthz").status_code == 200
                )
            except httpx.TransportError:
                time.sleep(0.2)
        assert ready
        added = httpx.post(
            f"http://127.0.0.1:{api_port}/user/add",
            json={"name": "Dev", "phone": "555-0100"},
        )
        assert added.status_code == 200
        page = httpx.get(f"http://127.0.0.1:{web_port}/")
        assert page.status_code == 200
        assert "555-0100" in page.text
        assert (tmp_path / "phonebook.db").is_file()
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    # uvicorn re-raises SIGINT after a clean shutdown, as a shell expects of Ctrl-C.
    assert process.returncode in (0, -signal.SIGINT)
    assert f"Phonebook is running at http://127.0.0.1:{web_port}/" in output


@pytest.mark.parametrize(
    ("database", "user", "expected"),
    [
        ("phonebook_no_such_database", "root", "the database does not exist"),
        ("test", "root:wrong-password", "the user name or password was rejected"),
    ],
)
def test_migrate_stops_at_once_on_permanent_database_error(
    database: str, user: str, expected: str
) -> None:
    started = time.monotonic()
    result = subprocess.run(
        [*PHONEBOOK, "migrate"],
        env=service_env({"DATABASE_URL": f"mysql://{user}@127.0.0.1:3306/{database}"}),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert time.monotonic() - started < 10
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("phonebook: database error: ")
    assert expected in last_line
    assert "Traceback" not in result.stderr
    assert "wrong-password" not in result.stderr


def test_dev_reports_port_in_use_in_one_line(tmp_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = subprocess.run(
            [*PHONEBOOK, "dev", "--port", str(port), "--api-port", str(free_port())],
            cwd=tmp_path,
            env=service_env({}),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"phonebook: configuration error: port {port} on 127.0.0.1 is in use: "
        "stop the program using it or choose another with --port."
    )
