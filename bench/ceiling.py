"""ASGI apps that measure ceilings: what bounds a figure when nothing else runs.

- `body_app`: returns a fixed body as large as the whole book's JSON at 10k
  entries (BODY_BYTES), with no work per request: the transport's ceiling for a
  full list.
- `starlette_app` and `fastapi_app`: a POST route that returns the contract's
  success body without touching a database, in plain Starlette and in FastAPI:
  the framework's share of an add.

Run each with 2 uvicorn workers and wrk, as docs/benchmarks.md shows.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

# Size of the list-all body at 10,000 seeded entries, measured in a full run.
BODY_BYTES = 923 * 1024
BODY = b"[" + b" " * (BODY_BYTES - 2) + b"]"
SUCCESS = (
    b'{"user_id":"019ae5c4-0000-7000-8000-000000000000",'
    b'"operation_type":"add","operation_status":"success"}'
)


async def body_app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] != "http":
        return
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": BODY})


async def starlette_add(request: Request) -> Response:
    await request.body()
    return Response(SUCCESS, media_type="application/json")


starlette_app = Starlette(routes=[Route("/user/add", starlette_add, methods=["POST"])])
fastapi_app = FastAPI()


@fastapi_app.post("/user/add")
async def fastapi_add(request: Request) -> Response:
    """Return the success body without a database."""
    await request.body()
    return Response(SUCCESS, media_type="application/json")
