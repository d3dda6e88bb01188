"""Fixtures of the reliability suite: a private MariaDB, services, measured figures.

Every service that these tests start writes its log into one directory, which
the log scan in test_web_security.py reads at the end of the run.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import Service, api_service, web_service

from .mariadb import PrivateMariaDB

# Measured figures, printed at the end of the run for docs/reliability.md.
FIGURES: dict[str, str] = {}
# The log scan runs after every other test, so that it reads every log line.
LOG_SCAN_MARKER = "log_scan"


def record_figure(name: str, value: object) -> None:
    FIGURES[name] = str(value)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{LOG_SCAN_MARKER}: scans the service logs; runs last"
    )


def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    last = [item for item in items if item.get_closest_marker(LOG_SCAN_MARKER)]
    items[:] = [item for item in items if item not in last] + last


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not FIGURES:
        return
    terminalreporter.section("reliability figures")
    for name, value in FIGURES.items():
        terminalreporter.write_line(f"{name}: {value}")


@pytest.fixture(scope="session")
def reliability_logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The directory that contains the log of every service this suite starts."""
    return tmp_path_factory.mktemp("reliability-logs")


@pytest.fixture(scope="session")
def private_mariadb_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[PrivateMariaDB]:
    server = PrivateMariaDB(tmp_path_factory.mktemp("mariadb"))
    server.install()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def private_mariadb(private_mariadb_server: PrivateMariaDB) -> PrivateMariaDB:
    """The private server, running: a test before may have stopped it."""
    private_mariadb_server.start()
    return private_mariadb_server


@pytest.fixture
def app_database(private_mariadb: PrivateMariaDB) -> Iterator[str]:
    """A fresh database on the private server, dropped after the test."""
    name = f"reliability_{secrets.token_hex(4)}"
    private_mariadb.create_app_database(name)
    yield name
    private_mariadb.start()
    private_mariadb.execute(f"DROP DATABASE IF EXISTS `{name}`")


def start_api(
    logs: Path, server: PrivateMariaDB, database: str, **extra: str
) -> Service:
    """Start `phonebook api` on the private server through the DB_* settings."""
    env = {**server.app_env(database), **extra}
    return api_service(logs, "", **env).start()


def start_web(logs: Path, api: Service, **extra: str) -> Service:
    return web_service(logs, api.url, API_TIMEOUT="3", **extra).start()


@pytest.fixture
def api(
    reliability_logs: Path, private_mariadb: PrivateMariaDB, app_database: str
) -> Iterator[Service]:
    """A back-end with two workers on a fresh database of the private server."""
    service = start_api(
        reliability_logs, private_mariadb, app_database, WEB_CONCURRENCY="2"
    )
    yield service
    service.stop()
