"""The host's MariaDB server for the docker tests, and a runner for the db
image's init script outside the mysql image."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pymysql

from tests.docker.dockerfiles import DOCKER_DIR

INIT_SCRIPT = DOCKER_DIR / "db" / "initdb" / "10-create-app-user.sh"

# Same variable and default as the other suites: root with no password.
_URL = urlsplit(os.environ.get("MYSQL_TEST_URL", "mysql://root@127.0.0.1:3306"))
MYSQL_HOST = _URL.hostname or "127.0.0.1"
MYSQL_PORT = _URL.port or 3306
MYSQL_ROOT_USER = _URL.username or "root"
MYSQL_ROOT_PASSWORD = _URL.password or ""

# Stand-ins for the helpers that the mysql image's docker-entrypoint.sh
# defines before it sources the init script. docker_process_sql sends its
# standard input to the server as root, like the entrypoint's does.
ENTRYPOINT_STUBS = """
set -eo pipefail
mysql_note() { echo "[Note] $*"; }
mysql_error() { echo "[ERROR] $*" >&2; exit 1; }
docker_process_sql() { "$STUB_PYTHON" -c "$STUB_SQL_RUNNER"; }
. "$INIT_SCRIPT"
"""

SQL_RUNNER = """
import os, sys, pymysql
from pymysql.constants import CLIENT
connection = pymysql.connect(
    host=os.environ["STUB_HOST"], port=int(os.environ["STUB_PORT"]),
    user=os.environ["STUB_USER"], password=os.environ["STUB_PASSWORD"],
    client_flag=CLIENT.MULTI_STATEMENTS, autocommit=True,
)
with connection.cursor() as cursor:
    cursor.execute(sys.stdin.read())
    while cursor.nextset():
        pass
"""


def root_connection(database: str | None = None) -> pymysql.Connection:
    return pymysql.connect(
        host=MYSQL_HOST,
        port=MYSQL_PORT,
        user=MYSQL_ROOT_USER,
        password=MYSQL_ROOT_PASSWORD,
        database=database,
        autocommit=True,
    )


def create_database() -> str:
    name = f"phonebook_docker_test_{secrets.token_hex(4)}"
    with root_connection() as connection, connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
    return name


def drop_database_and_user(database: str, user: str | None) -> None:
    with root_connection() as connection, connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS `{database}`")
        if user:
            cursor.execute(f"DROP USER IF EXISTS '{user}'@'%'")


def run_init_script(
    database: str, user: str, password_file: Path | None, **extra: str
) -> subprocess.CompletedProcess[str]:
    """Source the db image's init script as its entrypoint would."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "INIT_SCRIPT": str(INIT_SCRIPT),
        "STUB_PYTHON": sys.executable,
        "STUB_SQL_RUNNER": SQL_RUNNER,
        "STUB_HOST": MYSQL_HOST,
        "STUB_PORT": str(MYSQL_PORT),
        "STUB_USER": MYSQL_ROOT_USER,
        "STUB_PASSWORD": MYSQL_ROOT_PASSWORD,
        "MYSQL_DATABASE": database,
        "PHONEBOOK_DB_USER": user,
        **extra,
    }
    if password_file is not None:
        env["PHONEBOOK_DB_PASSWORD_FILE"] = str(password_file)
    return subprocess.run(
        ["bash", "-c", ENTRYPOINT_STUBS],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def new_app_user() -> tuple[str, str]:
    """Return a unique user name and a password with characters SQL must escape."""
    return f"pb_{secrets.token_hex(4)}", f"pw'\\\"{secrets.token_hex(8)}"
