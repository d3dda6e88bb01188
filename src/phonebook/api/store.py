"""All database work of the back-end: the phonebook's entries and the list cache."""

from __future__ import annotations

import asyncio
import logging
import re
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import (
    ColumnElement,
    Executable,
    Select,
    Update,
    bindparam,
    func,
    select,
    text,
)
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from uuid6 import uuid7

from phonebook.api.database import mysql_error_code
from phonebook.api.tables import changes, users
from phonebook.api.validation import Name, Phone

logger = logging.getLogger(__name__)

# A search that is digits with phone separators also matches phone numbers.
PHONE_QUERY_PATTERN = re.compile(r"[0-9 ().+-]*[0-9][0-9 ().+-]*", re.ASCII)
# The change log keeps at least this many newest rows; older ones are pruned. Each
# list request counts the rows, so the log is kept short. A write's change row is
# committed within the same statement, milliseconds after its id is taken, far
# less time than this many other writes need.
CHANGES_KEPT = 256
# Each process prunes after every this many of its writes, so it costs little.
PRUNE_EVERY = 64
# List responses kept per process: the whole book plus recent pages and searches.
LIST_CACHE_ENTRIES = 128
# MySQL error codes after which a write is retried: deadlock, and a lock wait that
# timed out. Both roll the statement back, so a retry is safe.
RETRYABLE_MYSQL_ERRORS = frozenset({1213, 1205})
WRITE_ATTEMPTS = 3


class EntryNotFound(LookupError):
    """No entry has the requested user id."""


class PhoneTaken(ValueError):
    """Another entry already has this phone number."""


class DatabaseUnavailable(RuntimeError):
    """The database is unreachable, or did not respond within the timeout."""


# Write statements, built once: each request only binds its values.
INSERT_USER = users.insert()
DELETE_USER = users.delete().where(users.c.user_id == bindparam("target_id"))


def update_statement(name: bool, phone: bool) -> Update:
    values: dict[str, Any] = {"updated_at": func.now()}
    columns = (["name", "name_key"] if name else []) + (
        ["phone", "phone_key"] if phone else []
    )
    for column in columns:
        values[column] = bindparam(column)
    return (
        users.update().where(users.c.user_id == bindparam("target_id")).values(values)
    )


READ_MARKER = select(
    func.min(changes.c.change_id), func.max(changes.c.change_id), func.count()
).select_from(changes)

# Keyed by (name changes, phone changes).
UPDATE_USER = {
    (True, False): update_statement(name=True, phone=False),
    (False, True): update_statement(name=False, phone=True),
    (True, True): update_statement(name=True, phone=True),
}


@dataclass(frozen=True, slots=True)
class ListSnapshot:
    """Entries as a JSON array, and the change-log state they were read at."""

    marker: tuple[Any, ...]
    body: bytes
    etag: str


@dataclass(frozen=True, slots=True)
class ListKey:
    """The parameters of one list request, which select the rows and their order."""

    query: str | None
    limit: int | None
    offset: int

    @property
    def is_whole_book(self) -> bool:
        return self.query is None and self.limit is None and self.offset == 0

    def statement(self) -> Select[str, str, str]:
        statement = select(users.c.user_id, users.c.name, users.c.phone).order_by(
            users.c.name_key, users.c.user_id
        )
        if self.query:
            pattern = "%" + escape_like(self.query.casefold()) + "%"
            condition: ColumnElement[bool] = users.c.name_key.like(pattern, escape="\\")
            # Phone digits are matched only for a query that looks like a number, so
            # that a name search such as "Room 101" does not match every phone with 1.
            if PHONE_QUERY_PATTERN.fullmatch(self.query):
                digits = re.sub(r"[^0-9]", "", self.query)
                condition = condition | users.c.phone_key.like(f"%{digits}%")
            statement = statement.where(condition)
        if self.limit is not None:
            statement = statement.limit(self.limit)
        if self.offset:
            statement = statement.offset(self.offset)
        return statement


class UserStore:
    """Read and write phonebook entries; each database step is bounded by `timeout`."""

    def __init__(self, engine: AsyncEngine, timeout: float) -> None:
        self.engine = engine
        self.timeout = timeout
        self._snapshots: OrderedDict[ListKey, ListSnapshot] = OrderedDict()
        self._whole_book_lock = asyncio.Lock()
        self._writes = 0

    @asynccontextmanager
    async def _connect(self) -> AsyncIterator[AsyncConnection]:
        """Check out a connection, translating outages and timeouts to one error."""
        try:
            async with (
                asyncio.timeout(self.timeout),
                self.engine.connect() as connection,
            ):
                yield connection
        except (TimeoutError, PoolTimeoutError) as error:
            raise DatabaseUnavailable("timed out") from error
        except IntegrityError:
            raise
        except DBAPIError as error:
            if error.connection_invalidated or is_connection_error(error):
                raise DatabaseUnavailable(str(error.orig)) from error
            raise
        except OSError as error:
            raise DatabaseUnavailable(str(error)) from error

    async def _write(self, statement: Executable, parameters: dict[str, Any]) -> int:
        """Run one write statement and return the number of rows it matched.

        A deadlock or lock wait timeout rolls the statement back, so it is retried.
        """
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                async with self._connect() as connection:
                    result = await connection.execute(statement, parameters)
                break
            except IntegrityError:
                # The only unique index besides the random primary key is the phone's.
                raise PhoneTaken from None
            except DBAPIError as error:
                code = mysql_error_code(error)
                if attempt == WRITE_ATTEMPTS or code not in RETRYABLE_MYSQL_ERRORS:
                    raise
                logger.warning(
                    "write rolled back by the database, retrying",
                    extra={"mysql_error": code, "attempt": attempt},
                )
        self._writes += 1
        if self._writes % PRUNE_EVERY == 0:
            await self._prune_changes()
        rowcount: int = result.rowcount
        return rowcount

    async def _prune_changes(self) -> None:
        try:
            async with self._connect() as connection:
                newest = await connection.scalar(select(func.max(changes.c.change_id)))
                if newest is not None:
                    await connection.execute(
                        changes.delete().where(
                            changes.c.change_id <= newest - CHANGES_KEPT
                        )
                    )
        except (DatabaseUnavailable, SQLAlchemyError) as error:
            # The write itself is done; pruning runs again after later writes.
            logger.warning("pruning the change log failed", extra={"error": str(error)})

    async def add(self, name: Name, phone: Phone) -> str:
        """Insert an entry and return its new user id."""
        user_id = str(uuid7())
        await self._write(
            INSERT_USER,
            {
                "user_id": user_id,
                "name": name.text,
                "name_key": name.key,
                "phone": phone.text,
                "phone_key": phone.key,
            },
        )
        return user_id

    async def edit(self, user_id: str, name: Name | None, phone: Phone | None) -> None:
        """Change the name, the phone or both of an existing entry."""
        parameters = {"target_id": user_id}
        if name is not None:
            parameters.update(name=name.text, name_key=name.key)
        if phone is not None:
            parameters.update(phone=phone.text, phone_key=phone.key)
        statement = UPDATE_USER[(name is not None, phone is not None)]
        # Matched rows, not changed rows: the MySQL dialect sets CLIENT_FOUND_ROWS,
        # so an edit to the current values still counts one row.
        if await self._write(statement, parameters) == 0:
            raise EntryNotFound(user_id)

    async def delete(self, user_id: str) -> None:
        """Delete an entry."""
        if await self._write(DELETE_USER, {"target_id": user_id}) == 0:
            raise EntryNotFound(user_id)

    async def list_entries(
        self, query: str | None = None, limit: int | None = None, offset: int = 0
    ) -> ListSnapshot:
        """Return entries as a JSON array, rebuilt only when the book has changed."""
        key = ListKey(query, limit, offset)
        async with self._connect() as connection:
            marker = await read_marker(connection)
        snapshot = self._snapshots.get(key)
        if snapshot is not None and snapshot.marker == marker:
            self._snapshots.move_to_end(key)
            return snapshot
        if key.is_whole_book:
            # One rebuild of the whole book at a time per process: a burst of lists
            # after a write would otherwise build the same large array per request.
            async with self._whole_book_lock:
                snapshot = self._snapshots.get(key)
                if snapshot is not None and snapshot.marker == marker:
                    return snapshot
                return await self._rebuild(key)
        return await self._rebuild(key)

    async def _rebuild(self, key: ListKey) -> ListSnapshot:
        async with self._connect() as connection:
            # The marker is read before the rows, so the rows are at least as new
            # as the marker. If a write lands in between, the next request reads a
            # newer marker and rebuilds, so a snapshot is never older than its marker.
            marker = await read_marker(connection)
            rows = await connection.execute(key.statement())
            body = orjson.dumps(
                [{"user_id": row[0], "name": row[1], "phone": row[2]} for row in rows]
            )
        snapshot = ListSnapshot(
            marker=marker, body=body, etag='"{}-{}-{}"'.format(*marker)
        )
        self._snapshots[key] = snapshot
        self._snapshots.move_to_end(key)
        while len(self._snapshots) > LIST_CACHE_ENTRIES:
            self._snapshots.popitem(last=False)
        return snapshot

    async def ping(self) -> None:
        """Run SELECT 1, raising DatabaseUnavailable when it fails or is too slow."""
        try:
            async with self._connect() as connection:
                await connection.execute(text("SELECT 1"))
        except DBAPIError as error:
            raise DatabaseUnavailable(str(error.orig)) from error


async def read_marker(connection: AsyncConnection) -> tuple[Any, ...]:
    """Return (min id, max id, row count) of the change log.

    A write that commits after a later-numbered one raises the count; pruning only
    removes the oldest rows, which raises the minimum. So any committed change moves
    at least one of the three values.
    """
    row = (await connection.execute(READ_MARKER)).one()
    return (row[0] or 0, row[1] or 0, row[2])


def escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def is_connection_error(error: DBAPIError) -> bool:
    """Return True for errors that mean the server is gone or unreachable."""
    code = mysql_error_code(error)
    # 2002-2013: client errors for a refused, lost or closed connection. 1040: too
    # many connections. 1053: server shutting down.
    if code is not None and (2002 <= code <= 2013 or code in {1040, 1053}):
        return True
    return type(error.orig).__name__ in {"OperationalError", "InterfaceError"}
