"""Pooled connections that the server closed: after wait_timeout and a restart."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support import Service

from .conftest import record_figure, start_api
from .helpers import add_body, new_phone
from .mariadb import PrivateMariaDB

WAIT_TIMEOUT_SECONDS = 3
DEFAULT_WAIT_TIMEOUT_SECONDS = 28800
CALLS = 24


@pytest.fixture
def short_wait_timeout(private_mariadb: PrivateMariaDB) -> Iterator[None]:
    """Make the server close connections that idle for a few seconds."""
    private_mariadb.execute(f"SET GLOBAL wait_timeout = {WAIT_TIMEOUT_SECONDS}")
    yield
    if private_mariadb.is_running():
        private_mariadb.execute(
            f"SET GLOBAL wait_timeout = {DEFAULT_WAIT_TIMEOUT_SECONDS}"
        )


async def fill_pool(client: httpx.AsyncClient) -> str:
    """Open several pooled connections in each worker and return one entry's id."""
    responses = await asyncio.gather(
        *(client.post("/user/add", json=add_body()) for _ in range(10)),
        *(client.get("/user/list") for _ in range(10)),
    )
    assert [response.status_code for response in responses] == [200] * 20
    return str(responses[0].json()["user_id"])


async def mixed_calls(client: httpx.AsyncClient, user_id: str) -> list[int]:
    """Run adds, edits, lists, searches and status checks and return the statuses."""
    statuses = []
    for number in range(CALLS):
        match number % 5:
            case 0:
                response = await client.get("/user/list")
            case 1:
                response = await client.post("/user/add", json=add_body())
            case 2:
                response = await client.post(
                    "/user/edit", json={"user_id": user_id, "phone": new_phone()}
                )
            case 3:
                response = await client.get("/user/list", params={"q": "Person"})
            case _:
                response = await client.get("/status")
        statuses.append(response.status_code)
    return statuses


@pytest.mark.usefixtures("short_wait_timeout")
async def test_calls_after_wait_timeout_succeed(
    private_mariadb: PrivateMariaDB, app_database: str, reliability_logs: Path
) -> None:
    api: Service = start_api(
        reliability_logs, private_mariadb, app_database, WEB_CONCURRENCY="2"
    )
    try:
        async with httpx.AsyncClient(base_url=api.url, timeout=15) as client:
            user_id = await fill_pool(client)
            for _ in range(2):
                await asyncio.sleep(WAIT_TIMEOUT_SECONDS + 2)
                assert await mixed_calls(client, user_id) == [200] * CALLS
                await asyncio.sleep(WAIT_TIMEOUT_SECONDS + 2)
                concurrent = await asyncio.gather(
                    *(client.get("/user/list") for _ in range(10)),
                    *(client.post("/user/add", json=add_body()) for _ in range(10)),
                )
                assert [response.status_code for response in concurrent] == [200] * 20
    finally:
        api.stop()
    record_figure(
        "stale connections after wait_timeout",
        f"{2 * (CALLS + 20)} of {2 * (CALLS + 20)} calls succeeded after idling "
        f"{WAIT_TIMEOUT_SECONDS + 2} s past wait_timeout={WAIT_TIMEOUT_SECONDS} s",
    )


async def test_calls_after_database_restart_succeed(
    api: Service, private_mariadb: PrivateMariaDB
) -> None:
    async with httpx.AsyncClient(base_url=api.url, timeout=15) as client:
        user_id = await fill_pool(client)
        await asyncio.to_thread(private_mariadb.restart)
        assert await mixed_calls(client, user_id) == [200] * CALLS

        await asyncio.to_thread(private_mariadb.restart)
        concurrent = await asyncio.gather(
            *(client.get("/user/list") for _ in range(10)),
            *(client.post("/user/add", json=add_body()) for _ in range(10)),
        )
        assert [response.status_code for response in concurrent] == [200] * 20
    record_figure(
        "stale connections after restart",
        f"{CALLS + 20} of {CALLS + 20} calls succeeded after two server restarts",
    )
