"""Parsing of back-end responses by the front-end's API client.

These narrow tests get their responses from a small fake ASGI app, so that
malformed and unusual responses the real back-end never sends are checked too.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from phonebook.logs import request_id_var
from phonebook.web.client import (
    INVALID_RESPONSE_REASON,
    UNAVAILABLE_REASON,
    UNREACHABLE_REASON,
    ApiClient,
    BackendRejectedError,
    BackendUnavailableError,
    Entry,
)
from phonebook.web.csrf import normalize_origin
from tests.support import free_port


def fake_api(respond: Callable[[Request], Response]) -> ApiClient:
    """Return a client whose every response comes from `respond`."""

    async def endpoint(request: Request) -> Response:
        # Read the body here, so that `respond` can stay synchronous.
        request.state.body = await request.body()
        return respond(request)

    app = Starlette(
        routes=[
            Route("/{path:path}", endpoint, methods=["GET", "POST"]),
        ]
    )
    transport = httpx.ASGITransport(app=app)
    return ApiClient(httpx.AsyncClient(transport=transport, base_url="http://api"))


def failure(operation: str, status: int, error: str) -> Response:
    body = {
        "user_id": None,
        "operation_type": operation,
        "operation_status": "fail",
        "error": error,
    }
    return JSONResponse(body, status_code=status)


async def test_list_entries_parses_rows() -> None:
    row = {"user_id": "u1", "name": "Ada", "phone": "555 0100"}
    client = fake_api(lambda request: JSONResponse([row]))

    entries = await client.list_entries("ad", limit=6, offset=5)

    assert entries == [Entry(user_id="u1", name="Ada", phone="555 0100")]


async def test_list_entries_sends_query_parameters() -> None:
    seen: dict[str, str] = {}

    def respond(request: Request) -> Response:
        seen.update(request.query_params)
        return JSONResponse([])

    await fake_api(respond).list_entries("ada", limit=6, offset=10)

    assert seen == {"q": "ada", "limit": "6", "offset": "10"}


async def test_list_entries_omits_empty_query() -> None:
    seen: dict[str, str] = {}

    def respond(request: Request) -> Response:
        seen.update(request.query_params)
        return JSONResponse([])

    await fake_api(respond).list_entries("", limit=6, offset=0)

    assert "q" not in seen


@pytest.mark.parametrize(
    "body",
    [{"rows": []}, [{"user_id": 1, "name": "Ada", "phone": "1"}], ["Ada"]],
)
async def test_list_entries_malformed_body_is_unavailable(body: object) -> None:
    client = fake_api(lambda request: JSONResponse(body))

    with pytest.raises(BackendUnavailableError) as raised:
        await client.list_entries("", limit=6, offset=0)

    assert raised.value.reason == INVALID_RESPONSE_REASON


async def test_list_entries_400_raises_rejected() -> None:
    client = fake_api(lambda request: failure("list", 400, "q is too long."))

    with pytest.raises(BackendRejectedError) as raised:
        await client.list_entries("x" * 500, limit=6, offset=0)

    assert raised.value.status_code == 400
    assert raised.value.message == "q is too long."


async def test_add_entry_success_returns_id() -> None:
    body = {"user_id": "u9", "operation_type": "add", "operation_status": "success"}
    client = fake_api(lambda request: JSONResponse(body))

    result = await client.add_entry("Ada", "555 0100")

    assert result.succeeded
    assert result.status_code == 200
    assert result.user_id == "u9"
    assert result.error is None


@pytest.mark.parametrize("status", [400, 404, 409, 413, 415, 500])
async def test_add_entry_failure_keeps_status_and_error(status: int) -> None:
    client = fake_api(lambda request: failure("add", status, "phone is invalid."))

    result = await client.add_entry("Ada", "x")

    assert not result.succeeded
    assert result.status_code == status
    assert result.error == "phone is invalid."


async def test_add_entry_posts_json_body() -> None:
    seen: list[tuple[str, str, object]] = []

    def respond(request: Request) -> Response:
        body = json.loads(request.state.body)
        seen.append((request.method, request.url.path, body))
        return failure("add", 400, "name is missing.")

    await fake_api(respond).add_entry("Ada", "555 0100")

    assert seen == [("POST", "/user/add", {"name": "Ada", "phone": "555 0100"})]


async def test_operation_503_is_unavailable_with_reason() -> None:
    client = fake_api(lambda request: failure("delete", 503, "The database is down."))

    with pytest.raises(BackendUnavailableError) as raised:
        await client.delete_entry("u1")

    assert raised.value.reason == "The database is down."


async def test_operation_503_without_body_is_unavailable() -> None:
    client = fake_api(lambda request: PlainTextResponse("", status_code=503))

    with pytest.raises(BackendUnavailableError) as raised:
        await client.edit_entry("u1", "Ada", "555 0100")

    assert raised.value.reason == UNAVAILABLE_REASON


@pytest.mark.parametrize(
    "response",
    [
        PlainTextResponse("Bad Gateway", status_code=502),
        PlainTextResponse("<html>proxy</html>", status_code=200),
        JSONResponse({"operation_type": "edit", "operation_status": "fail"}, 409),
        failure("add", 418, "teapot"),
    ],
)
async def test_operation_outside_contract_is_unavailable(response: Response) -> None:
    client = fake_api(lambda request: response)

    with pytest.raises(BackendUnavailableError) as raised:
        await client.add_entry("Ada", "555 0100")

    assert raised.value.reason == INVALID_RESPONSE_REASON


async def test_request_id_header_is_sent() -> None:
    seen: list[str | None] = []

    def respond(request: Request) -> Response:
        seen.append(request.headers.get("x-request-id"))
        return JSONResponse([])

    token = request_id_var.set("client-test-id")
    try:
        await fake_api(respond).list_entries("", limit=6, offset=0)
    finally:
        request_id_var.reset(token)

    assert seen == ["client-test-id"]


async def test_closed_port_is_unreachable() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    async with httpx.AsyncClient(base_url=url, timeout=2) as http:
        client = ApiClient(http)

        with pytest.raises(BackendUnavailableError) as raised:
            await client.add_entry("Ada", "555 0100")
        ready = await client.is_ready()
        alive = await client.is_alive()

    assert raised.value.reason == UNREACHABLE_REASON
    assert not ready
    assert not alive


@pytest.mark.parametrize(
    ("origin", "expected"),
    [
        ("http://example.com", ("http", "example.com", 80)),
        ("https://Example.com", ("https", "example.com", 443)),
        ("http://127.0.0.1:8080", ("http", "127.0.0.1", 8080)),
        ("null", None),
        ("ftp://example.com", None),
        ("http://example.com/path", None),
        ("http://user@example.com", None),
        ("http://example.com:99999", None),
    ],
)
def test_normalize_origin_cases(
    origin: str, expected: tuple[str, str, int] | None
) -> None:
    assert normalize_origin(origin) == expected
