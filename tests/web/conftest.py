"""Fixtures: HTTP clients for the servers that tests/conftest.py starts."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.support import Service


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
