"""The request middleware on its own: request ids and the fallback 500 page."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from phonebook.logs import request_id_var
from phonebook.web.middleware import SECURITY_HEADERS, RequestContextMiddleware


async def show_request_id(request: Request) -> Response:
    return PlainTextResponse(request_id_var.get())


async def fail(request: Request) -> Response:
    raise RuntimeError("route failed on purpose")


def wrapped_app() -> httpx.AsyncClient:
    app = Starlette(
        routes=[Route("/id", show_request_id), Route("/fail", fail)],
        middleware=[Middleware(RequestContextMiddleware)],
    )
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://web"
    )


async def test_route_sees_incoming_request_id() -> None:
    async with wrapped_app() as client:
        response = await client.get("/id", headers={"X-Request-ID": "abc-123"})

    assert response.text == "abc-123"
    assert response.headers["x-request-id"] == "abc-123"


async def test_malformed_request_id_is_replaced() -> None:
    async with wrapped_app() as client:
        response = await client.get("/id", headers={"X-Request-ID": "bad id\t<x>"})

    assert response.text != "bad id\t<x>"
    assert len(response.text) == 32
    assert response.headers["x-request-id"] == response.text


async def test_unhandled_error_returns_500_page_with_headers() -> None:
    async with wrapped_app() as client:
        response = await client.get("/fail")

    assert response.status_code == 500
    assert "Internal error" in response.text
    assert "route failed on purpose" not in response.text
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
