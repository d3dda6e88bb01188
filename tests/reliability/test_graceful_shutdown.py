"""SIGTERM under load: requests in flight finish, then the process exits cleanly."""

from __future__ import annotations

import asyncio
import signal
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.support import Service

from .conftest import record_figure, start_api
from .helpers import LoadResult, Outcome, add_body
from .mariadb import PrivateMariaDB

# uvicorn's graceful shutdown limit, set by GRACEFUL_SHUTDOWN_SECONDS in cli.py.
GRACEFUL_SHUTDOWN_SECONDS = 20
DB_TIMEOUT = 5.0
BLOCKED_ADDS = 20
BLOCKED_SEARCHES = 10
LOCK_HOLD_SECONDS = 1.5
SIGNAL_AFTER_SECONDS = 0.5
# 143 is 128 + SIGTERM: uvicorn's multi-worker supervisor re-raises the signal
# after a graceful shutdown.
CLEAN_EXIT_CODES = {0, 143, -signal.SIGTERM}


def hold_users_lock(
    server: PrivateMariaDB, database: str, locked: threading.Event
) -> None:
    """Lock the users table for LOCK_HOLD_SECONDS, so that writes wait in flight."""
    with server.root_connection(database) as connection, connection.cursor() as cur:
        cur.execute("LOCK TABLES users WRITE")
        locked.set()
        time.sleep(LOCK_HOLD_SECONDS)
        cur.execute("UNLOCK TABLES")


async def background_lists(
    client: httpx.AsyncClient, stop: asyncio.Event, result: LoadResult
) -> None:
    async def loop() -> None:
        while not stop.is_set():
            started = time.monotonic()
            try:
                response = await client.get("/user/list")
            except httpx.HTTPError as error:
                result.outcomes.append(
                    Outcome("list", started, 0.0, None, type(error).__name__)
                )
                await asyncio.sleep(0.05)
                continue
            result.outcomes.append(
                Outcome(
                    "list", started, time.monotonic() - started, response.status_code
                )
            )

    await asyncio.gather(*(loop() for _ in range(5)))


@pytest.mark.parametrize("workers", ["1", "2"])
async def test_sigterm_lets_accepted_requests_finish(
    workers: str,
    private_mariadb: PrivateMariaDB,
    app_database: str,
    reliability_logs: Path,
) -> None:
    api: Service = start_api(
        reliability_logs,
        private_mariadb,
        app_database,
        WEB_CONCURRENCY=workers,
        DB_TIMEOUT=str(DB_TIMEOUT),
    )
    assert api.process is not None
    load = LoadResult()
    stop_load = asyncio.Event()
    try:
        async with (
            httpx.AsyncClient(base_url=api.url, timeout=30) as client,
            httpx.AsyncClient(base_url=api.url, timeout=30) as lister,
        ):
            warm = await client.post("/user/add", json=add_body())
            assert warm.status_code == 200
            load_task = asyncio.create_task(background_lists(lister, stop_load, load))

            locked = threading.Event()
            holder = threading.Thread(
                target=hold_users_lock,
                args=(private_mariadb, app_database, locked),
            )
            holder.start()
            assert await asyncio.to_thread(locked.wait, 5)
            bodies = [add_body() for _ in range(BLOCKED_ADDS)]
            in_flight = [
                asyncio.create_task(client.post("/user/add", json=body))
                for body in bodies
            ] + [
                asyncio.create_task(
                    client.get("/user/list", params={"q": "Person", "limit": 10})
                )
                for _ in range(BLOCKED_SEARCHES)
            ]
            await asyncio.sleep(SIGNAL_AFTER_SECONDS)
            assert not any(task.done() for task in in_flight)

            signalled = time.monotonic()
            api.process.send_signal(signal.SIGTERM)
            responses = await asyncio.gather(*in_flight, return_exceptions=True)
            exit_code = await asyncio.to_thread(
                api.process.wait, GRACEFUL_SHUTDOWN_SECONDS + 10
            )
            exit_seconds = time.monotonic() - signalled
            stop_load.set()
            await load_task
            holder.join()
    finally:
        stop_load.set()
        api.stop()

    failures = [r for r in responses if isinstance(r, BaseException)]
    assert not failures, failures
    assert [r.status_code for r in responses] == [200] * len(responses)
    assert exit_code in CLEAN_EXIT_CODES
    assert exit_seconds < GRACEFUL_SHUTDOWN_SECONDS

    stored = {
        row[0]
        for row in private_mariadb.execute("SELECT phone FROM users", app_database)
    }
    assert {body["phone"] for body in bodies} <= stored

    # A request sent before the signal got a response. After the signal the
    # listening socket is closed, so later requests are refused.
    early_errors = [
        outcome
        for outcome in load.outcomes
        if outcome.error is not None and outcome.started < signalled
    ]
    assert not early_errors, early_errors
    assert not load.server_errors()

    record_figure(
        f"SIGTERM with {workers} worker(s)",
        f"{len(responses)} in-flight requests answered 200, exit code {exit_code} "
        f"after {exit_seconds:.2f} s, {len(load.outcomes)} background lists, "
        f"errors after the signal {dict(load.errors())}",
    )
