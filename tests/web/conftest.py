"""Fixtures: one real back-end and front-end pair per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from .helpers import NODE_HOSTNAME
from .servers import Server, closed_port_url, start_api, start_web


@pytest.fixture(scope="session")
def server_directory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("servers")


@pytest.fixture(scope="session")
def api_server(server_directory: Path) -> Iterator[Server]:
    server = start_api(server_directory)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def web_server(api_server: Server, server_directory: Path) -> Iterator[Server]:
    server = start_web(api_server.url, NODE_HOSTNAME, server_directory)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def down_web_server(server_directory: Path) -> Iterator[Server]:
    """A front-end whose API_URL points at a loopback port where nothing listens."""
    server = start_web(closed_port_url(), NODE_HOSTNAME, server_directory)
    yield server
    server.stop()


@pytest.fixture
def client(web_server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=web_server.url, follow_redirects=False) as http:
        yield http


@pytest.fixture
def down_client(down_web_server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=down_web_server.url, follow_redirects=False) as http:
        yield http


@pytest.fixture
def api(api_server: Server) -> Iterator[httpx.Client]:
    """A client for the back-end itself, to set up rows and read expected errors."""
    with httpx.Client(base_url=api_server.url) as http:
        yield http
