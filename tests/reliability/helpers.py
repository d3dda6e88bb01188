"""Helpers of the reliability suite: test data, contract checks, load and timing."""

from __future__ import annotations

import asyncio
import secrets
import statistics
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

# Every phone number and password that the suite sends, for the log scan.
SENSITIVE_VALUES: set[str] = set()

UNAVAILABLE_MESSAGE = (
    "The database is unavailable or did not respond in time: try again shortly."
)
CONTRACT_KEYS = {"user_id", "operation_type", "operation_status", "error"}


def new_phone() -> str:
    """Return a fresh local number of 11 digits and record it for the log scan."""
    phone = "07" + "".join(secrets.choice("0123456789") for _ in range(9))
    SENSITIVE_VALUES.add(phone)
    return phone


def new_name(label: str = "Person") -> str:
    return f"{label} {secrets.token_hex(4)}"


def record_sensitive(value: str) -> str:
    SENSITIVE_VALUES.add(value)
    return value


def assert_contract_failure(
    response: httpx.Response, status: int, operation: str | None
) -> None:
    """Check a failure response: its status and the contract's JSON body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == CONTRACT_KEYS, body
    assert body["operation_type"] == operation, body
    assert body["operation_status"] == "fail", body
    assert isinstance(body["error"], str), body
    assert body["error"].strip(), body


def median_ms(seconds: list[float]) -> float:
    return round(statistics.median(seconds) * 1000, 1)


def percentile_ms(seconds: list[float], fraction: float) -> float:
    ordered = sorted(seconds)
    index = min(len(ordered) - 1, int(fraction * len(ordered)))
    return round(ordered[index] * 1000, 1)


async def timed(call: Awaitable[httpx.Response]) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = await call
    return response, time.monotonic() - started


@dataclass
class Outcome:
    """One request of a load run: what it was, when it ran and how it ended."""

    kind: str
    started: float
    elapsed: float
    status: int | None
    error: str | None = None


@dataclass
class LoadResult:
    """All outcomes of a load run, with counts for reports and assertions."""

    outcomes: list[Outcome] = field(default_factory=list)

    def statuses(self) -> Counter[int | None]:
        return Counter(outcome.status for outcome in self.outcomes)

    def errors(self) -> Counter[str]:
        return Counter(o.error for o in self.outcomes if o.error is not None)

    def server_errors(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status is not None and o.status >= 500]


Step = Callable[[httpx.AsyncClient, int], Awaitable[tuple[str, httpx.Response]]]


async def run_clients(
    client: httpx.AsyncClient,
    clients: int,
    duration: float,
    step: Step,
    result: LoadResult,
    pause: float = 0.0,
) -> None:
    """Run `clients` loops that call `step` until `duration` seconds have passed.

    Each loop records every outcome, including transport errors, in `result`.
    """
    deadline = time.monotonic() + duration

    async def loop(number: int) -> None:
        iteration = 0
        while time.monotonic() < deadline:
            started = time.monotonic()
            try:
                kind, response = await step(client, number * 1_000_000 + iteration)
            except httpx.HTTPError as error:
                result.outcomes.append(
                    Outcome(
                        "transport",
                        started,
                        time.monotonic() - started,
                        None,
                        type(error).__name__,
                    )
                )
            else:
                result.outcomes.append(
                    Outcome(
                        kind, started, time.monotonic() - started, response.status_code
                    )
                )
            iteration += 1
            if pause:
                await asyncio.sleep(pause)

    await asyncio.gather(*(loop(number) for number in range(clients)))


def add_body(name: str | None = None, phone: str | None = None) -> dict[str, Any]:
    return {"name": name or new_name(), "phone": phone or new_phone()}
