"""Behaviour that needs a real MySQL server: utf8mb4, unique index races, migrations."""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support import (
    PHONEBOOK,
    Service,
    create_mysql_database,
    drop_mysql_database,
    mysql_connect,
    mysql_database_url,
    service_env,
)

pytestmark = pytest.mark.mysql

NAMES = [
    "Zoë Brontë-Núñez",  # Latin with accents
    "山田 太郎",  # CJK
    "שלום עליכם",  # Hebrew, right to left
    "مرحبا بالعالم",  # Arabic, right to left
    "Grace 👩\u200d💻🚀",  # 4-byte emoji and a zero-width joiner sequence
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𠜎",  # supplementary planes: math letters and a CJK extension B ideograph
]


@pytest.fixture
def mysql_api(api_on_mysql: Service) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=api_on_mysql.url, timeout=10) as client:
        yield client


@pytest.mark.parametrize("name", NAMES)
def test_name_round_trips_byte_for_byte(
    mysql_api: httpx.Client, mysql_database: str, name: str
) -> None:
    phone = f"555-{abs(hash(name)) % 10_000_000:07d}"
    response = mysql_api.post("/user/add", json={"name": name, "phone": phone})
    assert response.status_code == 200, response.text
    user_id = response.json()["user_id"]

    listed = {
        entry["user_id"]: entry["name"] for entry in mysql_api.get("/user/list").json()
    }
    assert listed[user_id].encode() == name.encode()

    with mysql_connect(mysql_database) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT HEX(name) FROM users WHERE user_id = %s", (user_id,))
        (stored_hex,) = cursor.fetchone()
    assert bytes.fromhex(stored_hex) == name.encode("utf-8")


def test_concurrent_adds_of_one_phone_have_one_winner(
    api_on_mysql: Service, mysql_database: str
) -> None:
    phone = "+1 415 555 2671"

    async def add_all() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=api_on_mysql.url, timeout=10) as client:
            return await asyncio.gather(
                *(
                    client.post(
                        "/user/add", json={"name": f"Racer {index}", "phone": phone}
                    )
                    for index in range(10)
                )
            )

    responses = asyncio.run(add_all())
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200] + [409] * 9
    with mysql_connect(mysql_database) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM users WHERE phone_key = '+14155552671'")
        assert cursor.fetchone() == (1,)


def test_concurrent_migrations_do_not_race(tmp_path: Path) -> None:
    database = create_mysql_database("phonebook_migrate")
    try:
        env = service_env({"DATABASE_URL": mysql_database_url(database)})
        processes = [
            subprocess.Popen(
                [*PHONEBOOK, "migrate"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            )
            for _ in range(4)
        ]
        outputs = [
            process.communicate(timeout=120)[0].decode() for process in processes
        ]
        assert [process.returncode for process in processes] == [0] * 4, outputs
        assert sum("Running upgrade  -> 0001" in output for output in outputs) == 1
        assert sum("Running upgrade 0001 -> 0002" in output for output in outputs) == 1
        with mysql_connect(database) as connection, connection.cursor() as cursor:
            cursor.execute("SELECT version_num FROM alembic_version")
            assert cursor.fetchall() == (("0002",),)
    finally:
        drop_mysql_database(database)


def test_migration_downgrade_removes_tables() -> None:
    from alembic import command
    from sqlalchemy import create_engine, inspect

    from phonebook.api.migrate import alembic_config

    database = create_mysql_database("phonebook_downgrade")
    try:
        url = mysql_database_url(database).replace("mysql://", "mysql+pymysql://", 1)
        engine = create_engine(url)
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            assert {"users", "changes"} <= set(inspect(connection).get_table_names())
            triggers = connection.exec_driver_sql("SHOW TRIGGERS").fetchall()
            assert len(triggers) == 3
            command.downgrade(config, "base")
            assert set(inspect(connection).get_table_names()) == {"alembic_version"}
        engine.dispose()
    finally:
        drop_mysql_database(database)


def test_killed_connections_are_replaced_without_errors(
    mysql_api: httpx.Client, mysql_database: str
) -> None:
    for _ in range(5):
        assert mysql_api.get("/user/list").status_code == 200
    with mysql_connect() as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = %s",
            (mysql_database,),
        )
        ids = [row[0] for row in cursor.fetchall()]
        for connection_id in ids:
            cursor.execute(f"KILL {int(connection_id)}")
    assert ids
    # Well within the idle ping's one second: only the closed-connection check
    # at checkout can tell the back-end that its pooled connections are gone.
    statuses = [mysql_api.get("/user/list").status_code for _ in range(10)]
    assert statuses == [200] * 10
    response = mysql_api.post("/user/add", json={"name": "After", "phone": "555-0777"})
    assert response.status_code == 200
