"""A database host that stops responding, under concurrent load, then heals.

tests/api/test_unreachable_database.py covers one worker and single requests.
These tests add two workers, concurrent clients, pooled connections that go
silent mid-use, and the recovery once the network forwards again.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support import Service

from .conftest import record_figure, start_api
from .helpers import add_body, assert_contract_failure, median_ms
from .mariadb import PrivateMariaDB
from .proxy import SwitchableProxy

DB_TIMEOUT = 1.0
# One database step is bounded by DB_TIMEOUT, and the rest is process overhead
# with 30 requests queued on two workers of a two-core machine.
REQUEST_BOUND = DB_TIMEOUT + 1.5
CONCURRENT = 30
RECOVERY_SECONDS = 10.0


@pytest.fixture
def proxy(private_mariadb: PrivateMariaDB) -> Iterator[SwitchableProxy]:
    with SwitchableProxy(private_mariadb.port, mode="forward") as running:
        yield running


@pytest.fixture
def api_behind_proxy(
    reliability_logs: Path,
    private_mariadb: PrivateMariaDB,
    app_database: str,
    proxy: SwitchableProxy,
) -> Iterator[Service]:
    service = start_api(
        reliability_logs,
        private_mariadb,
        app_database,
        DB_PORT=str(proxy.port),
        DB_TIMEOUT=str(DB_TIMEOUT),
        WEB_CONCURRENCY="2",
    )
    yield service
    service.stop()


async def silent_round(
    client: httpx.AsyncClient,
) -> tuple[list[tuple[str, httpx.Response, float]], float]:
    """Send CONCURRENT mixed requests and one /healthz while they wait."""

    async def call(kind: str) -> tuple[str, httpx.Response, float]:
        started = time.monotonic()
        if kind == "add":
            response = await client.post("/user/add", json=add_body())
        elif kind == "list":
            response = await client.get("/user/list")
        else:
            response = await client.get("/status")
        return kind, response, time.monotonic() - started

    kinds = ["add", "list", "status"] * (CONCURRENT // 3)
    tasks = [asyncio.create_task(call(kind)) for kind in kinds]
    await asyncio.sleep(0.3)
    started = time.monotonic()
    health = await client.get("/healthz")
    health_seconds = time.monotonic() - started
    assert health.status_code == 200
    return await asyncio.gather(*tasks), health_seconds


async def test_silent_database_returns_503_then_heals(
    api_behind_proxy: Service, proxy: SwitchableProxy
) -> None:
    async with httpx.AsyncClient(
        base_url=api_behind_proxy.url,
        timeout=15,
        limits=httpx.Limits(max_connections=CONCURRENT + 5),
    ) as client:
        warm = await asyncio.gather(
            *(client.get("/user/list") for _ in range(10)),
            *(client.post("/user/add", json=add_body()) for _ in range(10)),
        )
        assert [response.status_code for response in warm] == [200] * 20

        proxy.mode = "blackhole"
        times: list[float] = []
        health_times = []
        for _ in range(2):
            results, health_seconds = await silent_round(client)
            health_times.append(health_seconds)
            for kind, response, elapsed in results:
                times.append(elapsed)
                if kind == "status":
                    assert response.status_code == 503
                    assert response.json() == {"status": "FAIL"}
                else:
                    assert_contract_failure(response, 503, kind)
                    assert response.headers["retry-after"] == "5"
        assert max(times) < REQUEST_BOUND
        assert max(health_times) < 0.5

        proxy.mode = "forward"
        healed = time.monotonic()
        deadline = healed + RECOVERY_SECONDS
        while (await client.get("/status")).status_code != 200:
            assert time.monotonic() < deadline, "no recovery after the network healed"
            await asyncio.sleep(0.1)
        recovery_seconds = time.monotonic() - healed

        after = await asyncio.gather(
            *(client.get("/user/list") for _ in range(10)),
            *(client.post("/user/add", json=add_body()) for _ in range(10)),
            *(client.get("/status") for _ in range(10)),
        )
        assert [response.status_code for response in after] == [200] * 30

    record_figure(
        "silent database, /status and /user/* under 30 concurrent",
        f"503 in {median_ms(times)} ms median, {round(max(times) * 1000)} ms max "
        f"over {len(times)} (DB_TIMEOUT={DB_TIMEOUT} s)",
    )
    record_figure(
        "silent database, /healthz meanwhile",
        f"{round(max(health_times) * 1000, 1)} ms max",
    )
    record_figure(
        "silent database, recovery after the network heals",
        f"first /status 200 after {recovery_seconds:.2f} s",
    )
