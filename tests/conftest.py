"""Fixtures shared by every suite: MariaDB test databases and running back-ends."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.support import (
    Service,
    api_service,
    create_mysql_database,
    drop_mysql_database,
    free_port,
    mysql_connect,
    mysql_database_url,
)
from tests.web.helpers import start_web


@pytest.fixture(scope="session")
def service_logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("service-logs")


@pytest.fixture(scope="session")
def mysql_database() -> Iterator[str]:
    """A fresh MariaDB database for this test run, dropped at the end."""
    name = create_mysql_database()
    yield name
    drop_mysql_database(name)


@pytest.fixture(scope="session")
def sqlite_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sqlite") / "phonebook.db"


@pytest.fixture(scope="session")
def api_on_sqlite(service_logs: Path, sqlite_path: Path) -> Iterator[Service]:
    service = api_service(service_logs, f"sqlite:///{sqlite_path}").start()
    yield service
    service.stop()


@pytest.fixture(scope="session")
def api_on_mysql(service_logs: Path, mysql_database: str) -> Iterator[Service]:
    service = api_service(
        service_logs, mysql_database_url(mysql_database), WEB_CONCURRENCY="2"
    ).start()
    yield service
    service.stop()


@dataclass
class Book:
    """A running back-end, an HTTP client for it, and direct access to its database."""

    backend: str
    service: Service
    client: httpx.Client
    database: str

    def clear(self) -> None:
        """Delete every entry behind the API's back, as an operator might."""
        # The delete triggers record the change, so the list cache notices it.
        if self.backend == "mysql":
            with mysql_connect(self.database) as connection, connection.cursor() as cur:
                cur.execute("DELETE FROM users")
        else:
            with sqlite3.connect(self.database) as connection:
                connection.execute("DELETE FROM users")

    def rows(self) -> list[tuple[str, str, str]]:
        """Return (user_id, name, phone) of every row, read with SQL."""
        query = "SELECT user_id, name, phone FROM users ORDER BY user_id"
        if self.backend == "mysql":
            with mysql_connect(self.database) as connection, connection.cursor() as cur:
                cur.execute(query)
                return list(cur.fetchall())
        with sqlite3.connect(self.database) as connection:
            return list(connection.execute(query).fetchall())


@pytest.fixture(scope="session", params=["sqlite", "mysql"])
def book_session(
    request: pytest.FixtureRequest, mysql_database: str, sqlite_path: Path
) -> Iterator[Book]:
    backend = request.param
    service: Service = request.getfixturevalue(f"api_on_{backend}")
    database = mysql_database if backend == "mysql" else str(sqlite_path)
    with httpx.Client(base_url=service.url, timeout=10) as client:
        yield Book(backend, service, client, database)


@pytest.fixture
def book(book_session: Book) -> Book:
    """An empty phonebook behind a running back-end, on SQLite and on MariaDB."""
    book_session.clear()
    return book_session


# The front-end and browser suites share one back-end and front-end pair; their
# tests use unique names, so they need no empty book.
@pytest.fixture(scope="session")
def api_server(service_logs: Path) -> Iterator[Service]:
    """A back-end for the front-end and browser suites, on its own SQLite file."""
    database = service_logs / f"web-tests-{free_port()}.db"
    server = api_service(service_logs, f"sqlite:///{database}").start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def web_server(api_server: Service, service_logs: Path) -> Iterator[Service]:
    server = start_web(service_logs, api_server.url)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def down_web_server(service_logs: Path) -> Iterator[Service]:
    """A front-end whose API_URL points at a loopback port where nothing listens."""
    server = start_web(service_logs, f"http://127.0.0.1:{free_port()}")
    yield server
    server.stop()
