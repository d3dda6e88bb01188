"""Concurrent adds, edits and a one-minute mixed load against real back-ends."""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import httpx
import pytest

from tests.conftest import Book
from tests.support import Service

from .conftest import record_figure
from .helpers import (
    LoadResult,
    add_body,
    assert_contract_failure,
    median_ms,
    new_name,
    new_phone,
    percentile_ms,
    run_clients,
)
from .mariadb import PrivateMariaDB

SAME_PHONE_ADDS = 50
CONCURRENT_EDITS = 30
SOAK_CLIENTS = 100
SOAK_SECONDS = 60.0
UNKNOWN_ID = "019ae5c4-0000-7000-8000-000000000000"


async def test_same_phone_adds_create_one_row(book: Book) -> None:
    phone = new_phone()
    async with httpx.AsyncClient(
        base_url=book.service.url,
        timeout=15,
        limits=httpx.Limits(max_connections=SAME_PHONE_ADDS),
    ) as client:
        responses = await asyncio.gather(
            *(
                client.post("/user/add", json={"name": new_name(), "phone": phone})
                for _ in range(SAME_PHONE_ADDS)
            )
        )
    statuses = Counter(response.status_code for response in responses)
    assert statuses == {200: 1, 409: SAME_PHONE_ADDS - 1}
    for response in responses:
        if response.status_code == 409:
            assert_contract_failure(response, 409, "add")
    winner = next(r.json() for r in responses if r.status_code == 200)
    rows = book.rows()
    assert len(rows) == 1
    assert rows[0][0] == winner["user_id"]
    assert rows[0][2] == phone


async def test_concurrent_edits_end_in_one_submitted_state(book: Book) -> None:
    async with httpx.AsyncClient(
        base_url=book.service.url,
        timeout=15,
        limits=httpx.Limits(max_connections=CONCURRENT_EDITS),
    ) as client:
        added = await client.post("/user/add", json=add_body())
        assert added.status_code == 200
        user_id = added.json()["user_id"]
        submitted = [(new_name("Edit"), new_phone()) for _ in range(CONCURRENT_EDITS)]
        responses = await asyncio.gather(
            *(
                client.post(
                    "/user/edit",
                    json={"user_id": user_id, "name": name, "phone": phone},
                )
                for name, phone in submitted
            )
        )
        listed = (await client.get("/user/list")).json()

    assert [response.status_code for response in responses] == [200] * len(responses)
    rows = book.rows()
    assert len(rows) == 1
    assert (rows[0][1], rows[0][2]) in submitted
    assert listed == [{"user_id": user_id, "name": rows[0][1], "phone": rows[0][2]}]


async def soak_step(
    client: httpx.AsyncClient, number: int, taken_phone: str
) -> tuple[str, httpx.Response]:
    """Run one request of the mixed load, chosen by `number`."""
    match number % 8:
        case 0 | 1:
            return "list", await client.get("/user/list")
        case 2:
            return "search", await client.get(
                "/user/list", params={"q": "Person", "limit": 20}
            )
        case 3 | 4:
            return "add", await client.post("/user/add", json=add_body())
        case 5:
            return "invalid", await client.post(
                "/user/add", json={"name": "Bad Phone", "phone": "12"}
            )
        case 6:
            return "unknown", await client.post(
                "/user/edit", json={"user_id": UNKNOWN_ID, "name": "Nobody"}
            )
        case _:
            return "duplicate", await client.post(
                "/user/add", json={"name": new_name(), "phone": taken_phone}
            )


EXPECTED_STATUS = {
    "list": 200,
    "search": 200,
    "add": 200,
    "invalid": 400,
    "unknown": 404,
    "duplicate": 409,
}


@pytest.mark.slow
async def test_mixed_load_leaves_no_open_transaction(
    api: Service, private_mariadb: PrivateMariaDB, app_database: str
) -> None:
    load = LoadResult()
    async with httpx.AsyncClient(
        base_url=api.url,
        timeout=30,
        limits=httpx.Limits(max_connections=SOAK_CLIENTS),
    ) as client:
        taken_phone = new_phone()
        added = await client.post(
            "/user/add", json={"name": "Taken", "phone": taken_phone}
        )
        assert added.status_code == 200

        async def step(
            client: httpx.AsyncClient, number: int
        ) -> tuple[str, httpx.Response]:
            return await soak_step(client, number, taken_phone)

        await run_clients(client, SOAK_CLIENTS, SOAK_SECONDS, step, load)

        started = time.monotonic()
        final = await client.get("/user/list")
        final_seconds = time.monotonic() - started

    unexpected = Counter(
        (outcome.kind, outcome.status)
        for outcome in load.outcomes
        if outcome.error is None and outcome.status != EXPECTED_STATUS[outcome.kind]
    )
    assert not unexpected, unexpected
    transport_errors = [
        (outcome.error, round(outcome.started - load.outcomes[0].started, 2))
        for outcome in load.outcomes
        if outcome.error is not None
    ]
    assert transport_errors == []
    assert final.status_code == 200
    assert final_seconds < 1.0
    assert private_mariadb.open_transactions(app_database) == []

    adds = [o.elapsed for o in load.outcomes if o.kind == "add"]
    lists = [o.elapsed for o in load.outcomes if o.kind == "list"]
    record_figure(
        "mixed load",
        f"{len(load.outcomes)} requests from {SOAK_CLIENTS} clients in "
        f"{SOAK_SECONDS:.0f} s, statuses {dict(load.statuses())}, "
        f"add p50 {median_ms(adds)} ms p99 {percentile_ms(adds, 0.99)} ms, "
        f"list p50 {median_ms(lists)} ms p99 {percentile_ms(lists, 0.99)} ms",
    )
    record_figure(
        "list after mixed load",
        f"{round(final_seconds * 1000, 1)} ms for {len(final.json())} entries, "
        "0 open transactions",
    )
