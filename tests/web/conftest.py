"""Fixtures: one real back-end and front-end pair per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support import Service, api_service, free_port

from .helpers import start_web


@pytest.fixture(scope="session")
def api_server(service_logs: Path) -> Iterator[Service]:
    """A back-end on its own SQLite file, apart from the back-end suite's database."""
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


@pytest.fixture
def client(web_server: Service) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=web_server.url, follow_redirects=False) as http:
        yield http


@pytest.fixture
def down_client(down_web_server: Service) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=down_web_server.url, follow_redirects=False) as http:
        yield http


@pytest.fixture
def api(api_server: Service) -> Iterator[httpx.Client]:
    """A client for the back-end itself, to set up rows and read expected errors."""
    with httpx.Client(base_url=api_server.url) as http:
        yield http
