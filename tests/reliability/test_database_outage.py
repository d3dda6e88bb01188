"""The database stops under traffic and comes back: 503s in time, then recovery."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx

from tests.support import Service

from .conftest import record_figure, start_web
from .helpers import (
    UNAVAILABLE_MESSAGE,
    LoadResult,
    Outcome,
    add_body,
    assert_contract_failure,
    median_ms,
    new_phone,
)
from .mariadb import PrivateMariaDB

DB_TIMEOUT = 2.0
# A request may run two database steps (the list's change-log check, then its
# rebuild), each with its own DB_TIMEOUT, plus process and scheduling overhead.
REQUEST_BOUND = 2 * DB_TIMEOUT + 1.0
STATUS_SAMPLES = 20
LOAD_CLIENTS = 10
UNKNOWN_ID = "019ae5c4-0000-7000-8000-000000000000"


async def drive_load(
    client: httpx.AsyncClient,
    stop: asyncio.Event,
    result: LoadResult,
    acknowledged: dict[str, dict[str, str]],
) -> None:
    """Run adds, lists and status checks from several clients until `stop` is set."""

    async def loop(number: int) -> None:
        iteration = 0
        while not stop.is_set():
            kind = ("add", "list", "status")[(number + iteration) % 3]
            started = time.monotonic()
            try:
                if kind == "add":
                    body = add_body()
                    response = await client.post("/user/add", json=body)
                    if response.status_code == 200:
                        acknowledged[response.json()["user_id"]] = body
                elif kind == "list":
                    response = await client.get("/user/list")
                else:
                    response = await client.get("/status")
            except httpx.HTTPError as error:
                result.outcomes.append(
                    Outcome(kind, started, 0.0, None, type(error).__name__)
                )
            else:
                elapsed = time.monotonic() - started
                result.outcomes.append(
                    Outcome(kind, started, elapsed, response.status_code)
                )
            iteration += 1
            await asyncio.sleep(0.02)

    await asyncio.gather(*(loop(number) for number in range(LOAD_CLIENTS)))


async def test_outage_returns_503_then_recovers(
    api: Service,
    private_mariadb: PrivateMariaDB,
    app_database: str,
    reliability_logs: Path,
) -> None:
    web = start_web(reliability_logs, api)
    acknowledged: dict[str, dict[str, str]] = {}
    load = LoadResult()
    stop_load = asyncio.Event()
    try:
        async with (
            httpx.AsyncClient(base_url=api.url, timeout=15) as client,
            httpx.AsyncClient(base_url=web.url, timeout=15) as browser,
        ):
            for _ in range(20):
                body = add_body()
                response = await client.post("/user/add", json=body)
                assert response.status_code == 200, response.text
                acknowledged[response.json()["user_id"]] = body
            some_id = next(iter(acknowledged))

            load_task = asyncio.create_task(
                drive_load(client, stop_load, load, acknowledged)
            )
            await asyncio.sleep(1.0)
            outage_started = time.monotonic()
            await asyncio.to_thread(private_mariadb.stop)

            status_times = []
            for _ in range(STATUS_SAMPLES):
                started = time.monotonic()
                response = await client.get("/status")
                status_times.append(time.monotonic() - started)
                assert response.status_code == 503
                assert response.json() == {"status": "FAIL"}
            assert max(status_times) < DB_TIMEOUT

            calls = [
                ("add", client.post("/user/add", json=add_body())),
                ("list", client.get("/user/list")),
                ("list", client.get("/user/list", params={"q": "a", "limit": 5})),
                (
                    "edit",
                    client.post(
                        "/user/edit", json={"user_id": some_id, "phone": new_phone()}
                    ),
                ),
                ("delete", client.request("DELETE", f"/user/delete?user_id={some_id}")),
                (
                    "delete",
                    client.post("/user/delete", json={"user_id": UNKNOWN_ID}),
                ),
            ]
            user_times = []
            for operation, call in calls:
                started = time.monotonic()
                response = await call
                user_times.append(time.monotonic() - started)
                assert_contract_failure(response, 503, operation)
                assert response.headers["retry-after"] == "5"
                assert response.json()["error"] == UNAVAILABLE_MESSAGE
            assert max(user_times) < REQUEST_BOUND

            page = await browser.get("/")
            assert page.status_code == 503
            assert "The phonebook is unavailable" in page.text
            assert 'data-testid="backend-unavailable"' in page.text
            web_status = await browser.get("/status")
            assert web_status.status_code == 503

            await asyncio.to_thread(private_mariadb.start)
            outage_seconds = time.monotonic() - outage_started
            first = await client.get("/user/list")
            assert first.status_code == 200, first.text
            # Both workers had pooled connections to the old server process.
            after = [await client.get("/status") for _ in range(10)]
            assert [response.status_code for response in after] == [200] * 10
            added = await client.post("/user/add", json=add_body())
            assert added.status_code == 200, added.text
            edited = await client.post(
                "/user/edit", json={"user_id": some_id, "name": "Back Again"}
            )
            assert edited.status_code == 200, edited.text
            acknowledged[some_id] = {**acknowledged[some_id], "name": "Back Again"}

            await asyncio.sleep(1.0)
            stop_load.set()
            await load_task

            page = await browser.get("/")
            assert page.status_code == 200
    finally:
        stop_load.set()
        web.stop()

    statuses = load.statuses()
    assert set(statuses) <= {200, 503}, statuses
    assert not load.errors(), load.errors()
    slowest = max(outcome.elapsed for outcome in load.outcomes)
    assert slowest < REQUEST_BOUND

    rows = {
        row[0]: (row[1], row[2])
        for row in private_mariadb.execute(
            "SELECT user_id, name, phone FROM users", app_database
        )
    }
    missing = [user_id for user_id in acknowledged if user_id not in rows]
    assert not missing
    for user_id, body in acknowledged.items():
        assert rows[user_id] == (body["name"], body["phone"])

    record_figure(
        "outage /status",
        f"503 in {median_ms(status_times)} ms median, "
        f"{round(max(status_times) * 1000, 1)} ms max over {STATUS_SAMPLES}",
    )
    record_figure(
        "outage /user/*",
        f"503 in {round(max(user_times) * 1000, 1)} ms max over {len(user_times)}",
    )
    record_figure(
        "outage load",
        f"{len(load.outcomes)} requests from {LOAD_CLIENTS} clients, statuses "
        f"{dict(statuses)}, slowest {round(slowest * 1000)} ms, "
        f"outage {outage_seconds:.1f} s, {len(acknowledged)} acknowledged adds kept",
    )
