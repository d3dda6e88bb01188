"""Prometheus metrics of the back-end.

With several worker processes, prometheus-client keeps its values in files under
PROMETHEUS_MULTIPROC_DIR (the `phonebook` command sets it) and /metrics adds them up.
"""

from __future__ import annotations

import os
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from sqlalchemy import Engine, event

REQUESTS = Counter(
    "phonebook_api_requests_total",
    "HTTP requests answered, by route template, method and status code.",
    ["route", "method", "status"],
)
LATENCY = Histogram(
    "phonebook_api_request_duration_seconds",
    "Time from receiving a request to sending the last byte of its response.",
    ["route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
POOL_IN_USE = Gauge(
    "phonebook_api_db_connections_in_use",
    "Database connections checked out of the pool.",
    multiprocess_mode="livesum",
)
POOL_OPEN = Gauge(
    "phonebook_api_db_connections_open",
    "Database connections the pool holds open, idle or in use.",
    multiprocess_mode="livesum",
)


def watch_pool(engine: Engine) -> None:
    """Keep the pool gauges up to date from the engine's pool events."""

    def on_connect(*_args: Any) -> None:
        POOL_OPEN.inc()

    def on_close(*_args: Any) -> None:
        POOL_OPEN.dec()

    def on_checkout(*_args: Any) -> None:
        POOL_IN_USE.inc()

    def on_checkin(*_args: Any) -> None:
        POOL_IN_USE.dec()

    event.listen(engine, "connect", on_connect)
    event.listen(engine, "close", on_close)
    event.listen(engine, "close_detached", on_close)
    event.listen(engine, "checkout", on_checkout)
    event.listen(engine, "checkin", on_checkin)


def render_metrics() -> tuple[bytes, str]:
    """Return the exposition text and its content type, across all workers."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST
