"""Reference servers that the phonebook's throughput is compared with.

`create_app` is the plainest Starlette + PyMySQL code for the same table and the
same routes as the API: one SQL statement per request, JSON encoded with the
standard library. Each uvicorn worker process opens one PyMySQL connection on its
first request and reuses it, in autocommit mode. The handlers are `async def`
and call the blocking driver directly, so a worker serves one query at a time.

`hello` is a bare ASGI callable that responds to every request with a fixed body: the
ceiling for any endpoint served by uvicorn on this machine.

Run them as the harness does, from the repository root:

    BENCH_DATABASE=phonebook_bench \
        uvicorn --factory --workers 2 bench.reference:create_app
    uvicorn --workers 2 --lifespan off bench.reference:hello
"""

from __future__ import annotations

import json
import os
from typing import Any

import pymysql
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send
from uuid6 import uuid7

_connection: pymysql.connections.Connection[Any] | None = None


def connection() -> pymysql.connections.Connection[Any]:
    """Return this worker's connection, opening it on first use."""
    global _connection
    if _connection is None:
        _connection = pymysql.connect(
            host=os.environ.get("BENCH_DB_HOST", "127.0.0.1"),
            port=int(os.environ.get("BENCH_DB_PORT", "3306")),
            user=os.environ.get("BENCH_DB_USER", "root"),
            password=os.environ.get("BENCH_DB_PASSWORD", ""),
            database=os.environ["BENCH_DATABASE"],
            charset="utf8mb4",
            autocommit=True,
        )
    return _connection


def json_response(content: Any, status_code: int = 200) -> Response:
    return Response(
        json.dumps(content), status_code=status_code, media_type="application/json"
    )


async def list_users(request: Request) -> Response:
    with connection().cursor() as cursor:
        cursor.execute(
            "SELECT user_id, name, phone FROM users ORDER BY name_key, user_id"
        )
        rows = cursor.fetchall()
    return json_response(
        [{"user_id": row[0], "name": row[1], "phone": row[2]} for row in rows]
    )


async def add_user(request: Request) -> Response:
    fields = await request.json()
    name = fields["name"]
    phone = fields["phone"]
    phone_key = "".join(character for character in phone if character.isdigit())
    user_id = str(uuid7())
    with connection().cursor() as cursor:
        cursor.execute(
            "INSERT INTO users (user_id, name, name_key, phone, phone_key)"
            " VALUES (%s, %s, %s, %s, %s)",
            (user_id, name, name.casefold(), phone, phone_key),
        )
    return json_response({"status": "ok", "user_id": user_id})


async def edit_user(request: Request) -> Response:
    fields = await request.json()
    name = fields["name"]
    with connection().cursor() as cursor:
        matched = cursor.execute(
            "UPDATE users SET name = %s, name_key = %s, updated_at = NOW()"
            " WHERE user_id = %s",
            (name, name.casefold(), fields["user_id"]),
        )
    if matched == 0:
        return json_response({"status": "not found"}, status_code=404)
    return json_response({"status": "ok", "user_id": fields["user_id"]})


async def delete_user(request: Request) -> Response:
    fields = await request.json()
    with connection().cursor() as cursor:
        deleted = cursor.execute(
            "DELETE FROM users WHERE user_id = %s", (fields["user_id"],)
        )
    if deleted == 0:
        return json_response({"status": "not found"}, status_code=404)
    return json_response({"status": "ok", "user_id": fields["user_id"]})


def create_app() -> Starlette:
    """Build the reference app; BENCH_DATABASE names the database to use."""
    return Starlette(
        routes=[
            Route("/user/list", list_users, methods=["GET"]),
            Route("/user/add", add_user, methods=["POST"]),
            Route("/user/edit", edit_user, methods=["POST"]),
            Route("/user/delete", delete_user, methods=["POST"]),
        ]
    )


async def hello(scope: Scope, receive: Receive, send: Send) -> None:
    """Respond to every HTTP request with a fixed 13-byte text body."""
    if scope["type"] != "http":
        return
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"text/plain"), (b"content-length", b"13")],
        }
    )
    await send({"type": "http.response.body", "body": b"Hello, world!"})
