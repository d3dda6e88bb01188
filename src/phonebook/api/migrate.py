"""Bring the schema up to date, once, however many replicas start at the same time."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from phonebook.api.database import create_engine, mysql_error_code
from phonebook.settings import ApiSettings, StartupError

logger = logging.getLogger(__name__)

MIGRATION_LOCK_NAME = "phonebook.schema_migration"
MIGRATION_LOCK_TIMEOUT_SECONDS = 300
# How long start-up waits for a database that is still booting, as in compose or
# a fresh RDS instance, before it gives up.
CONNECT_WAIT_SECONDS = 60
# MySQL errors that waiting does not cure: access denied to the database, wrong
# user or password, unknown database. Start-up stops at once on these.
PERMANENT_CONNECT_ERRORS: dict[int | None, str] = {
    1044: "access to the database was denied: check DB_USER and its grants",
    1045: "the user name or password was rejected: check DB_USER and DB_PASSWORD",
    1049: "the database does not exist: check DB_NAME or create it",
}


class MigrationError(StartupError):
    """The schema could not be brought up to date."""


def alembic_config() -> Config:
    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("phonebook.api") / "migrations")
    )
    return config


async def upgrade_schema(settings: ApiSettings) -> None:
    """Upgrade the schema to the newest revision, waiting for the database to start."""
    engine = create_engine(settings, autocommit=False)
    try:
        connection = await connect_when_ready(engine)
        try:
            await connection.run_sync(upgrade_locked)
            await connection.commit()
        finally:
            await connection.close()
    finally:
        await engine.dispose()


async def connect_when_ready(engine: AsyncEngine) -> AsyncConnection:
    """Connect, retrying for up to CONNECT_WAIT_SECONDS while the server boots."""
    deadline = time.monotonic() + CONNECT_WAIT_SECONDS
    while True:
        try:
            return await engine.connect()
        except (DBAPIError, OSError) as error:
            reason = str(error.orig) if isinstance(error, DBAPIError) else str(error)
            advice = PERMANENT_CONNECT_ERRORS.get(mysql_error_code(error))
            if advice is not None:
                raise MigrationError(f"{advice} ({reason})") from None
            if time.monotonic() >= deadline:
                raise MigrationError(
                    f"no connection to the database within {CONNECT_WAIT_SECONDS} s "
                    f"({reason}): check DB_HOST and DB_PORT, and that it is running"
                ) from None
            logger.warning(
                "database not reachable yet, retrying in 2 s", extra={"error": reason}
            )
            await asyncio.sleep(2)


def upgrade_locked(connection: Connection) -> None:
    with migration_lock(connection):
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


@contextmanager
def migration_lock(connection: Connection) -> Iterator[None]:
    """Hold a MySQL named lock so that only one process migrates at a time.

    SQLite needs none: it is the embedded local default with a single back-end.
    """
    if connection.dialect.name != "mysql":
        yield
        return
    started = time.monotonic()
    acquired = connection.execute(
        text("SELECT GET_LOCK(:name, :timeout)"),
        {"name": MIGRATION_LOCK_NAME, "timeout": MIGRATION_LOCK_TIMEOUT_SECONDS},
    ).scalar()
    if acquired != 1:
        raise MigrationError(
            f"another process held the migration lock for "
            f"{MIGRATION_LOCK_TIMEOUT_SECONDS} s; check for a stuck `phonebook migrate`"
        )
    logger.info(
        "migration lock acquired",
        extra={"waited_ms": round((time.monotonic() - started) * 1000)},
    )
    try:
        yield
    finally:
        connection.execute(
            text("SELECT RELEASE_LOCK(:name)"), {"name": MIGRATION_LOCK_NAME}
        )
