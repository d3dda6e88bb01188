"""The async SQLAlchemy engine: driver options, TLS, timeouts and pool metrics."""

from __future__ import annotations

import ssl
import time
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from phonebook.api import metrics
from phonebook.settings import ApiSettings

# Connections older than this are replaced, well before MySQL's default
# wait_timeout of 8 hours.
POOL_RECYCLE_SECONDS = 1800
# A pooled connection idle for longer than this is pinged before use, which finds
# the ones the server closed (wait_timeout, a restart) before a request does. A
# connection in steady use is not pinged, which saves a round trip per request.
IDLE_PING_SECONDS = 1.0


def create_engine(settings: ApiSettings, autocommit: bool = True) -> AsyncEngine:
    """Create the engine for `settings.database_url` with pool and timeout options.

    The service runs every statement in autocommit mode: each write is a single
    statement (the change log is kept by triggers), so it needs no transaction,
    and each read that must be consistent is ordered to be safe without one.
    Migrations pass `autocommit=False`.
    """
    options: dict[str, Any] = {}
    if autocommit:
        # With autocommit no transaction is ever left open, so the ROLLBACK sent
        # when a connection is closed or checked in would only cost a round trip.
        options = {"isolation_level": "AUTOCOMMIT", "skip_autocommit_rollback": True}
    if settings.is_sqlite:
        engine = create_async_engine(
            settings.database_url,
            **options,
            connect_args={"timeout": settings.db_timeout},
        )
        event.listen(engine.sync_engine, "connect", configure_sqlite_connection)
    else:
        engine = create_async_engine(
            settings.database_url,
            **options,
            pool_size=settings.db_pool_size,
            max_overflow=settings.db_pool_size,
            pool_timeout=settings.db_timeout,
            pool_recycle=POOL_RECYCLE_SECONDS,
            connect_args=mysql_connect_args(settings),
        )
        ping_idle_connections(engine.sync_engine)
    metrics.watch_pool(engine.sync_engine)
    return engine


def ping_idle_connections(engine: Engine) -> None:
    """Ping a connection at checkout when it has been idle for IDLE_PING_SECONDS."""

    def mark_idle(_dbapi_connection: Any, record: Any, *_args: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    def ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if closed_by_server(dbapi_connection):
            # A restart closes every pooled connection at once, maybe within
            # IDLE_PING_SECONDS; the pool replaces this one without a round trip.
            raise DisconnectionError("the server closed the connection")
        idle_since = record.info.get("idle_since", 0.0)
        if time.monotonic() - idle_since < IDLE_PING_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:
            # The pool discards this connection and checks out or opens another.
            raise DisconnectionError(str(error)) from error

    event.listen(engine, "connect", mark_idle)
    event.listen(engine, "checkin", mark_idle)
    event.listen(engine, "checkout", ping_if_idle)


def closed_by_server(dbapi_connection: Any) -> bool:
    """Return True when the server has closed the connection while it was idle.

    The event loop receives the server's FIN (a restart, a KILL, wait_timeout) as soon
    as it arrives and marks the transport as closing.
    """
    # NOTE: asyncmy keeps its asyncio transport in the private `_transport`
    # attribute. If a release renames it, this returns False and only the idle
    # ping finds closed connections.
    transport = getattr(dbapi_connection.driver_connection, "_transport", None)
    is_closing = getattr(transport, "is_closing", None)
    return bool(is_closing()) if callable(is_closing) else False


def mysql_error_code(error: BaseException) -> int | None:
    """Return the MySQL error number of a wrapped driver error, or None."""
    args = getattr(getattr(error, "orig", None), "args", ())
    return args[0] if args and isinstance(args[0], int) else None


def mysql_connect_args(settings: ApiSettings) -> dict[str, Any]:
    args: dict[str, Any] = {
        "charset": "utf8mb4",
        "connect_timeout": settings.db_timeout,
    }
    if settings.db_tls != "disabled":
        args["ssl"] = tls_context(settings)
    return args


def tls_context(settings: ApiSettings) -> ssl.SSLContext:
    """Return the TLS context: always encrypted, and verified in `verify` mode."""
    cafile = str(settings.db_tls_ca) if settings.db_tls_ca else None
    context = ssl.create_default_context(cafile=cafile)
    if settings.db_tls == "required":
        # Encrypted but unauthenticated, like MySQL's ssl-mode=REQUIRED.
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers and one writer work at once; the local run has both.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
