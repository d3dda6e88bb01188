"""Compare MySQL drivers and JSON encoders on the work that bounds a full list.

Seeds a scratch database with N entries, then times, alternating and repeated:
fetching every row through SQLAlchemy's asyncio engine with each driver, and
encoding the rows as the API's JSON array with orjson and with the standard
json module. Prints medians in milliseconds.

    .venv/bin/python -m bench.drivers [--rows 100000] [--repeats 5]

aiomysql (the asyncio wrapper of PyMySQL) is not a project dependency; install it
into the venv first to include it: `.venv/bin/pip install aiomysql`.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import statistics
import time
from collections.abc import Awaitable, Callable

import orjson
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from bench import data
from phonebook.api.tables import users

SERVER = f"{data.SERVER['host']}:{data.SERVER['port']}"


async def fetch_rows(driver: str, database: str) -> list[tuple[str, str, str]]:
    url = f"mysql+{driver}://root@{SERVER}/{database}?charset=utf8mb4"
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            result = await connection.execute(
                select(users.c.user_id, users.c.name, users.c.phone).order_by(
                    users.c.name_key, users.c.user_id
                )
            )
            return [(row[0], row[1], row[2]) for row in result]
    finally:
        await engine.dispose()


def as_entries(rows: list[tuple[str, str, str]]) -> list[dict[str, str]]:
    return [{"user_id": row[0], "name": row[1], "phone": row[2]} for row in rows]


async def time_async(work: Callable[[], Awaitable[object]]) -> float:
    started = time.perf_counter()
    await work()
    return (time.perf_counter() - started) * 1000


def time_sync(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return (time.perf_counter() - started) * 1000


async def compare(row_count: int, repeats: int) -> None:
    database = f"phonebook_drivers_{os.getpid()}"
    database_url = data.create_database(database)
    try:
        data.migrate(database_url, dict(os.environ))
        data.seed_to(database, row_count)
        drivers = ["asyncmy"]
        if importlib.util.find_spec("aiomysql") is not None:
            drivers.append("aiomysql")
        timings: dict[str, list[float]] = {name: [] for name in drivers}
        rows: list[tuple[str, str, str]] = []
        for _ in range(repeats):
            for driver in drivers:
                timings[driver].append(
                    await time_async(lambda d=driver: fetch_rows(d, database))
                )
        rows = await fetch_rows("asyncmy", database)
        encoders = {
            "orjson": lambda: orjson.dumps(as_entries(rows)),
            "json": lambda: json.dumps(as_entries(rows)).encode(),
        }
        for name in encoders:
            timings[name] = []
        for _ in range(repeats):
            for name, encode in encoders.items():
                timings[name].append(time_sync(encode))
    finally:
        data.drop_database(database)

    print(f"{len(rows):,} rows, median of {repeats} alternating runs")
    print("| step | implementation | median ms |")
    print("| --- | --- | ---: |")
    for name, values in timings.items():
        step = "encode JSON" if name in {"orjson", "json"} else "fetch rows"
        print(f"| {step} | {name} | {statistics.median(values):.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="entries to seed")
    parser.add_argument(
        "--repeats", type=int, default=5, help="runs per implementation"
    )
    args = parser.parse_args()
    asyncio.run(compare(args.rows, args.repeats))


if __name__ == "__main__":
    main()
