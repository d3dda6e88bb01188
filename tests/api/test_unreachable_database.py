"""The back-end responds in time, in the contract's shape, without a database."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support import Service, api_service, free_port

DB_TIMEOUT = 1.0


@pytest.fixture(scope="module")
def silent_listener() -> Iterator[int]:
    """A TCP port that accepts connections and never sends a byte, like a black hole."""
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    accepted: list[socket.socket] = []
    stopping = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stopping.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            accepted.append(connection)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield port
    stopping.set()
    thread.join()
    for connection in accepted:
        connection.close()
    server.close()


def start_api(tmp_path: Path, port: int) -> Service:
    return api_service(
        tmp_path,
        f"mysql://phonebook@127.0.0.1:{port}/phonebook",
        AUTO_MIGRATE="false",
        DB_TIMEOUT=str(DB_TIMEOUT),
    ).start()


@pytest.fixture(params=["silent", "closed"])
def api_without_database(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Service]:
    port = (
        request.getfixturevalue("silent_listener")
        if request.param == "silent"
        else free_port()
    )
    service = start_api(tmp_path, port)
    yield service
    service.stop()


def timed_request(
    method: str, url: str, **kwargs: object
) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = httpx.request(method, url, timeout=10, **kwargs)  # type: ignore[arg-type]
    return response, time.monotonic() - started


def test_status_returns_503_within_timeout(api_without_database: Service) -> None:
    response, elapsed = timed_request("GET", api_without_database.url + "/status")
    assert response.status_code == 503
    assert response.json() == {"status": "FAIL"}
    assert elapsed < DB_TIMEOUT + 1.0


def test_add_returns_503_contract_within_timeout(api_without_database: Service) -> None:
    response, elapsed = timed_request(
        "POST",
        api_without_database.url + "/user/add",
        json={"name": "Ada", "phone": "555-0100"},
    )
    assert response.status_code == 503
    assert response.json() == {
        "user_id": None,
        "operation_type": "add",
        "operation_status": "fail",
        "error": (
            "The database is unavailable or did not respond in time: try again shortly."
        ),
    }
    assert response.headers["retry-after"] == "5"
    assert elapsed < DB_TIMEOUT + 1.0


def test_list_returns_503_within_timeout(api_without_database: Service) -> None:
    response, elapsed = timed_request("GET", api_without_database.url + "/user/list")
    assert response.status_code == 503
    assert response.json()["operation_type"] == "list"
    assert elapsed < DB_TIMEOUT + 1.0


def test_healthz_stays_fast_while_status_waits(api_without_database: Service) -> None:
    status_call = threading.Thread(
        target=httpx.get, args=(api_without_database.url + "/status",), daemon=True
    )
    status_call.start()
    time.sleep(0.2)
    response, elapsed = timed_request("GET", api_without_database.url + "/healthz")
    status_call.join()
    assert response.status_code == 200
    assert elapsed < 0.5


def test_outage_log_has_no_password(tmp_path: Path, silent_listener: int) -> None:
    service = api_service(
        tmp_path,
        f"mysql://phonebook:s3cret-Passw0rd@127.0.0.1:{silent_listener}/phonebook",
        AUTO_MIGRATE="false",
        DB_TIMEOUT=str(DB_TIMEOUT),
    ).start()
    try:
        httpx.get(service.url + "/status", timeout=10)
    finally:
        service.stop()
    logs = service.logs()
    assert "database unavailable" in logs
    assert "s3cret-Passw0rd" not in logs
