"""The benchmark database: creating, seeding and cleaning it with PyMySQL."""

from __future__ import annotations

import random
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pymysql
from uuid6 import uuid7

SERVER = {"host": "127.0.0.1", "port": 3306, "user": "root", "password": ""}
SEED_BATCH_ROWS = 2000

# Phone numbers by length, so that the three sets can never collide: seeded
# entries have 11 digits, entries added by the add scenario 12 (see
# lua/scenario.lua) and the rows pre-created for the delete scenario 13.
SEED_PHONE_DIGITS = 11
ADDED_PHONE_DIGITS = 12
DELETE_POOL_PHONE_DIGITS = 13

# Seeded names mix ASCII and accented letters, as a real book would.
FIRST_NAMES = [
    *("Ada", "Alan", "Anna", "Bruno", "Carla", "Chen", "Dmitri", "Elena", "Farah"),
    *("Grace", "Hiro", "Ines", "Jonas", "Kofi", "Lena", "Mario", "Nadia", "Omar"),
    *("Priya", "Quinn", "Rosa", "Sven", "Tariq", "Uma", "Vera", "Wen", "Xavier"),
    *("Yara", "Zoe", "Émile", "Søren", "Łucja"),
]
LAST_NAMES = [
    *("Abbott", "Becker", "Castro", "Dubois", "Eriksen", "Fischer", "García"),
    *("Hansen", "Ito", "Jensen", "Kowalski", "Lindqvist", "Moreau", "Nakamura"),
    *("Okafor", "Petrov", "Quispe", "Rossi", "Schmidt", "Tanaka", "Ueda"),
    *("Vargas", "Weber", "Xu", "Yilmaz", "Zhang", "Øster"),
]


def connect(database: str | None = None) -> pymysql.connections.Connection[Any]:
    return pymysql.connect(
        **SERVER, database=database, charset="utf8mb4", autocommit=True
    )


def create_database(name: str) -> str:
    """Create an empty database and return its SQLAlchemy URL for the API."""
    with connect() as connection, connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
        cursor.execute(
            f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
        )
    return f"mysql://{SERVER['user']}@{SERVER['host']}:{SERVER['port']}/{name}"


def drop_database(name: str) -> None:
    with connect() as connection, connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")


def migrate(database_url: str, env: dict[str, str]) -> None:
    """Create the schema with `phonebook migrate`, as the deployment does."""
    subprocess.run(
        [sys.executable, "-m", "phonebook", "migrate"],
        env={**env, "DATABASE_URL": database_url},
        check=True,
        capture_output=True,
    )


@contextmanager
def cursor_for(database: str) -> Iterator[pymysql.cursors.Cursor]:
    with connect(database) as connection, connection.cursor() as cursor:
        yield cursor


def count_rows(database: str) -> int:
    with cursor_for(database) as cursor:
        cursor.execute("SELECT COUNT(*) FROM users")
        (count,) = cursor.fetchone()
    return int(count)


def insert_rows(database: str, rows: Sequence[tuple[str, str, str, str, str]]) -> None:
    """Insert (user_id, name, name_key, phone, phone_key) rows in multi-row batches."""
    with cursor_for(database) as cursor:
        for start in range(0, len(rows), SEED_BATCH_ROWS):
            # PyMySQL turns executemany of an INSERT ... VALUES into multi-row INSERTs.
            cursor.executemany(
                "INSERT INTO users (user_id, name, name_key, phone, phone_key)"
                " VALUES (%s, %s, %s, %s, %s)",
                rows[start : start + SEED_BATCH_ROWS],
            )
        # The API's list cache compares the change log with its snapshot.
        cursor.execute("INSERT INTO changes () VALUES ()")


def seed_to(database: str, target_rows: int, seed: int = 1) -> None:
    """Add seeded entries until the table has `target_rows` seeded entries."""
    with cursor_for(database) as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM users WHERE LENGTH(phone_key) = %s",
            (SEED_PHONE_DIGITS,),
        )
        (existing,) = cursor.fetchone()
    generator = random.Random(seed + int(existing))
    rows = []
    for index in range(int(existing), target_rows):
        name = f"{generator.choice(FIRST_NAMES)} {generator.choice(LAST_NAMES)}"
        phone = "1" + f"{index:0{SEED_PHONE_DIGITS - 1}d}"
        rows.append((str(uuid7()), name, name.casefold(), phone, phone))
    insert_rows(database, rows)


def create_delete_pool(database: str, count: int, first_index: int) -> list[str]:
    """Insert `count` rows for the delete scenario and return their user ids."""
    rows = []
    for index in range(first_index, first_index + count):
        phone = "9" + f"{index:0{DELETE_POOL_PHONE_DIGITS - 1}d}"
        name = f"Bench delete {index}"
        rows.append((str(uuid7()), name, name.casefold(), phone, phone))
    insert_rows(database, rows)
    return [row[0] for row in rows]


def seeded_ids(database: str, limit: int) -> list[str]:
    with cursor_for(database) as cursor:
        cursor.execute(
            "SELECT user_id FROM users WHERE LENGTH(phone_key) = %s LIMIT %s",
            (SEED_PHONE_DIGITS, limit),
        )
        return [row[0] for row in cursor.fetchall()]


def remove_benchmark_rows(database: str) -> int:
    """Delete the rows that write scenarios added, so each run starts alike."""
    with cursor_for(database) as cursor:
        removed = cursor.execute(
            "DELETE FROM users WHERE LENGTH(phone_key) IN (%s, %s)",
            (ADDED_PHONE_DIGITS, DELETE_POOL_PHONE_DIGITS),
        )
        cursor.execute("INSERT INTO changes () VALUES ()")
    return int(removed)


def server_version() -> str:
    with connect() as connection, connection.cursor() as cursor:
        cursor.execute("SELECT VERSION()")
        (version,) = cursor.fetchone()
    return str(version)
