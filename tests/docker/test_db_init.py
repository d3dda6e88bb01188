"""The db image's init script, run against the host's MariaDB server.

The mysql:8.4 image cannot be pulled here, so the script is sourced by bash
with stand-ins for the entrypoint's helpers (tests/docker/mariadb.py). The
SQL it sends is the same that the image would run.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pymysql
import pytest

from tests.docker.mariadb import (
    MYSQL_HOST,
    MYSQL_PORT,
    create_database,
    drop_database_and_user,
    new_app_user,
    root_connection,
    run_init_script,
)

APP_RIGHTS = {
    "SELECT",
    "INSERT",
    "UPDATE",
    "DELETE",
    "CREATE",
    "ALTER",
    "INDEX",
    "DROP",
    "REFERENCES",
    "TRIGGER",
}


@pytest.fixture
def database() -> Iterator[tuple[str, str, str]]:
    """Yield a fresh database, a user name and a password, removed afterwards."""
    name = create_database()
    user, password = new_app_user()
    yield name, user, password
    drop_database_and_user(name, user)


def write_secret(tmp_path: Path, content: str) -> Path:
    path = tmp_path / "db_password"
    path.write_text(content)
    return path


def grants_of(user: str) -> list[str]:
    with root_connection() as connection, connection.cursor() as cursor:
        cursor.execute(f"SHOW GRANTS FOR '{user}'@'%'")
        return [row[0] for row in cursor.fetchall()]


def test_init_grants_only_app_rights(
    database: tuple[str, str, str], tmp_path: Path
) -> None:
    name, user, password = database
    result = run_init_script(name, user, write_secret(tmp_path, password + "\n"))
    assert result.returncode == 0, result.stderr

    grants = grants_of(user)
    assert len(grants) == 2, grants
    global_grant, database_grant = grants
    assert global_grant.startswith("GRANT USAGE ON *.*")
    assert f"ON `{name}`.*" in database_grant
    rights = database_grant.split(" ON ")[0].removeprefix("GRANT ").split(", ")
    assert set(rights) == APP_RIGHTS
    assert "WITH GRANT OPTION" not in database_grant


def test_init_password_from_file_works(
    database: tuple[str, str, str], tmp_path: Path
) -> None:
    name, user, password = database
    result = run_init_script(name, user, write_secret(tmp_path, password + "\n"))
    assert result.returncode == 0, result.stderr

    connection = pymysql.connect(
        host=MYSQL_HOST, port=MYSQL_PORT, user=user, password=password, database=name
    )
    with connection, connection.cursor() as cursor:
        cursor.execute("CREATE TABLE probe (id INT PRIMARY KEY)")
        cursor.execute("CREATE TABLE probe_log (id INT)")
        # The schema migrations keep a change log with triggers.
        cursor.execute(
            "CREATE TRIGGER probe_after_insert AFTER INSERT ON probe "
            "FOR EACH ROW INSERT INTO probe_log VALUES (NEW.id)"
        )
        cursor.execute("INSERT INTO probe VALUES (1)")
        cursor.execute("SELECT COUNT(*) FROM probe_log")
        assert cursor.fetchone() == (1,)
        cursor.execute("DROP TABLE probe")
        cursor.execute("DROP TABLE probe_log")


def test_init_user_denied_other_databases(
    database: tuple[str, str, str], tmp_path: Path
) -> None:
    name, user, password = database
    result = run_init_script(name, user, write_secret(tmp_path, password))
    assert result.returncode == 0, result.stderr

    connection = pymysql.connect(
        host=MYSQL_HOST, port=MYSQL_PORT, user=user, password=password
    )
    with connection, connection.cursor() as cursor:
        with pytest.raises(pymysql.err.OperationalError, match="denied"):
            cursor.execute("CREATE DATABASE phonebook_docker_denied")
        with pytest.raises(pymysql.err.OperationalError, match="denied"):
            cursor.execute("SELECT user FROM mysql.user")


def test_init_rejects_missing_password_file(
    database: tuple[str, str, str], tmp_path: Path
) -> None:
    name, user, _ = database
    result = run_init_script(name, user, tmp_path / "absent")
    assert result.returncode != 0
    assert "is missing or not readable" in result.stderr


def test_init_rejects_empty_password(
    database: tuple[str, str, str], tmp_path: Path
) -> None:
    name, user, _ = database
    result = run_init_script(name, user, write_secret(tmp_path, "\n"))
    assert result.returncode != 0
    assert "password is empty" in result.stderr


def test_init_rejects_both_password_forms(
    database: tuple[str, str, str], tmp_path: Path
) -> None:
    name, user, password = database
    result = run_init_script(
        name, user, write_secret(tmp_path, password), PHONEBOOK_DB_PASSWORD=password
    )
    assert result.returncode != 0
    assert "are both set" in result.stderr


@pytest.mark.parametrize("user", ["", "app-user", "app'user", "a" * 33])
def test_init_rejects_invalid_user_name(
    database: tuple[str, str, str], tmp_path: Path, user: str
) -> None:
    name, _, password = database
    result = run_init_script(name, user, write_secret(tmp_path, password))
    assert result.returncode != 0
    assert "PHONEBOOK_DB_USER=" in result.stderr
    assert "is invalid" in result.stderr
