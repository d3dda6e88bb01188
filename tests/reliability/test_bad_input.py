"""Hostile input: each malformed request gets its documented 4xx and stores nothing.

tests/api/test_endpoints.py checks many of these one by one. This file keeps
them in one table, run on SQLite and on MariaDB, and adds the body-size,
SQL-looking and markup cases.
"""

from __future__ import annotations

import socket
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import Book

from .conftest import record_figure, start_web
from .helpers import assert_contract_failure, new_name, new_phone, record_sensitive

UNKNOWN_ID = "019ae5c4-0000-7000-8000-000000000000"
FIVE_MEGABYTES = 5 * 1024 * 1024


def case(
    case_id: str,
    method: str,
    path: str,
    status: int,
    operation: str | None,
    **request: Any,
) -> Any:
    return pytest.param(method, path, status, operation, request, id=case_id)


def text_body(body: bytes | str, content_type: str = "application/json") -> Any:
    return {"content": body, "headers": {"content-type": content_type}}


def add_case(case_id: str, status: int, **fields: Any) -> Any:
    """Return a case that posts `fields` as a JSON object to /user/add."""
    return case(case_id, "POST", "/user/add", status, "add", json=fields)


def body_case(
    case_id: str, status: int, body: bytes | str, content_type: str = "application/json"
) -> Any:
    """Return a case that posts a raw body to /user/add."""
    return case(
        case_id, "POST", "/user/add", status, "add", **text_body(body, content_type)
    )


NAME = "Ada Lovelace"
PHONE = record_sensitive("020 7946 0958")

HOSTILE_REQUESTS = [
    # Bodies that are not a JSON object.
    body_case("malformed-json", 400, "{name:"),
    body_case("truncated-json", 400, '{"name"'),
    body_case("empty-array", 400, "[]"),
    body_case("null-body", 400, "null"),
    body_case("number-body", 400, "42"),
    body_case("string-body", 400, '"Ada"'),
    body_case("nan", 400, '{"phone": NaN}'),
    body_case("deep-nesting", 400, "[" * 5000 + "]" * 5000),
    body_case("lone-surrogate", 400, '{"name": "\\ud800", "phone": "020 7946 0958"}'),
    body_case(
        "invalid-utf8-json", 400, b'{"name": "\xff\xfe", "phone": "020 7946 0958"}'
    ),
    body_case(
        "invalid-utf8-form",
        400,
        b"name=\xff&phone=0207946",
        "application/x-www-form-urlencoded",
    ),
    body_case(
        "broken-multipart", 400, b"--x\r\nno headers", "multipart/form-data; boundary=x"
    ),
    # Wrong types where strings belong.
    add_case("name-number", 400, name=42, phone=PHONE),
    add_case("name-list", 400, name=[NAME], phone=PHONE),
    add_case("name-object", 400, name={}, phone=PHONE),
    add_case("name-null", 400, name=None, phone=PHONE),
    add_case("name-bool", 400, name=True, phone=PHONE),
    add_case("phone-list", 400, name=NAME, phone=[PHONE]),
    add_case("phone-float", 400, name=NAME, phone=2079.5),
    add_case("phone-negative", 400, name=NAME, phone=-2079460958),
    add_case("phone-bool", 400, name=NAME, phone=True),
    case("id-number", "POST", "/user/delete", 400, "delete", json={"user_id": 7}),
    case(
        "id-list",
        "POST",
        "/user/edit",
        400,
        "edit",
        json={"user_id": [UNKNOWN_ID], "name": NAME},
    ),
    # Wrong content types.
    body_case("text-plain", 415, f"name={NAME}", "text/plain"),
    body_case("xml", 415, "<user/>", "application/xml"),
    case(
        "no-content-type", "POST", "/user/add", 415, "add", content=b'{"name": "Ada"}'
    ),
    # Values that break the rules.
    add_case("missing-fields", 400),
    add_case("missing-phone", 400, name=NAME),
    add_case("empty-name", 400, name="", phone=PHONE),
    add_case("whitespace-name", 400, name=" \t\u00a0\u3000 ", phone=PHONE),
    add_case("long-name", 400, name="A" * 101, phone=PHONE),
    add_case("huge-name", 400, name="A" * 10_000, phone=PHONE),
    add_case("control-in-name", 400, name="Ada\x00Lovelace", phone=PHONE),
    add_case("escape-in-name", 400, name="Ada\x1b[31m", phone=PHONE),
    add_case("phone-64-digits", 400, name=NAME, phone="1" * 64),
    add_case("phone-16-digits", 400, name=NAME, phone="1" * 16),
    add_case("phone-64-digit-number", 400, name=NAME, phone=10**63),
    add_case("phone-two-digits", 400, name=NAME, phone="12"),
    add_case("phone-letters", 400, name=NAME, phone="CALL-ME-NOW"),
    add_case("phone-arabic-digits", 400, name=NAME, phone="٠٢٠٧٩٤٦٠٩٥٨"),
    add_case("phone-invalid-plus", 400, name=NAME, phone="+999 123"),
    add_case("sql-in-phone", 400, name=NAME, phone="1'; DROP TABLE users;--"),
    case(
        "edit-nothing", "POST", "/user/edit", 400, "edit", json={"user_id": UNKNOWN_ID}
    ),
    case(
        "edit-unknown-id",
        "POST",
        "/user/edit",
        404,
        "edit",
        json={"user_id": UNKNOWN_ID, "name": NAME},
    ),
    case(
        "delete-unknown-id",
        "DELETE",
        "/user/delete",
        404,
        "delete",
        params={"user_id": UNKNOWN_ID},
    ),
    case(
        "delete-malformed-id",
        "POST",
        "/user/delete",
        404,
        "delete",
        json={"user_id": "' OR 1=1 --"},
    ),
    case("delete-missing-id", "POST", "/user/delete", 400, "delete", json={}),
    # Paths and methods.
    case(
        "add-trailing-slash",
        "POST",
        "/user/add/",
        404,
        None,
        json={"name": NAME, "phone": PHONE},
    ),
    case("list-trailing-slash", "GET", "/user/list/", 404, None),
    case("status-trailing-slash", "GET", "/status/", 404, None),
    case("unknown-path", "GET", "/user/dump", 404, None),
    case(
        "get-add", "GET", "/user/add", 405, "add", params={"name": NAME, "phone": PHONE}
    ),
    case(
        "put-add", "PUT", "/user/add", 405, "add", json={"name": NAME, "phone": PHONE}
    ),
    case(
        "get-delete",
        "GET",
        "/user/delete",
        405,
        "delete",
        params={"user_id": UNKNOWN_ID},
    ),
    case(
        "post-list",
        "POST",
        "/user/list",
        405,
        "list",
        json={"name": NAME, "phone": PHONE},
    ),
    # List parameters.
    case("limit-zero", "GET", "/user/list", 400, "list", params={"limit": 0}),
    case("limit-huge", "GET", "/user/list", 400, "list", params={"limit": 10**6}),
    case("limit-text", "GET", "/user/list", 400, "list", params={"limit": "ten"}),
    case("offset-negative", "GET", "/user/list", 400, "list", params={"offset": -1}),
    case("offset-huge", "GET", "/user/list", 400, "list", params={"offset": 10**21}),
    case(
        "offset-over-int64", "GET", "/user/list", 400, "list", params={"offset": 2**63}
    ),
    case("search-too-long", "GET", "/user/list", 400, "list", params={"q": "a" * 101}),
    # A body over 16 KiB that declares its length.
    add_case("body-17-kib", 413, name=NAME, phone=PHONE, pad="x" * 17_000),
]


@pytest.mark.parametrize(
    ("method", "path", "status", "operation", "request_kwargs"), HOSTILE_REQUESTS
)
def test_hostile_request_is_rejected(
    book: Book,
    method: str,
    path: str,
    status: int,
    operation: str | None,
    request_kwargs: dict[str, Any],
) -> None:
    response = book.client.request(method, path, **request_kwargs)

    assert_contract_failure(response, status, operation)
    if status == 405:
        assert response.headers["allow"]
    assert book.rows() == []


def test_large_body_rejected_before_it_is_sent(book: Book) -> None:
    """Declare 5 MB, send 1 KiB: the 413 must come without waiting for the rest."""
    url = httpx.URL(book.service.url)
    head = (
        f"POST /user/add HTTP/1.1\r\nHost: {url.host}:{url.port}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {FIVE_MEGABYTES}\r\n\r\n"
    ).encode()
    started = time.monotonic()
    with socket.create_connection((url.host, url.port), timeout=5) as connection:
        connection.sendall(head + b'{"name": "' + b"x" * 1024)
        received = b""
        while b"\r\n\r\n" not in received:
            chunk = connection.recv(65536)
            assert chunk, "connection closed without a response"
            received += chunk
        elapsed = time.monotonic() - started
        header_block, _, body = received.partition(b"\r\n\r\n")
        length = int(
            next(
                line.split(b":", 1)[1]
                for line in header_block.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            )
        )
        while len(body) < length:
            chunk = connection.recv(65536)
            assert chunk
            body += chunk

    response = httpx.Response(
        int(header_block.split(b" ", 2)[1]),
        headers=[
            (name.strip(), value.strip())
            for name, value in (
                line.decode().split(":", 1) for line in header_block.split(b"\r\n")[1:]
            )
        ],
        content=body,
    )
    assert_contract_failure(response, 413, "add")
    assert response.headers["connection"] == "close"
    assert elapsed < 2.0
    assert book.rows() == []
    record_figure(
        f"5 MB declared body ({book.backend})",
        f"413 after {round(elapsed * 1000, 1)} ms with 1 KiB sent",
    )


def test_largest_offset_returns_empty_page(book: Book) -> None:
    added = book.client.post("/user/add", json={"name": NAME, "phone": new_phone()})
    assert added.status_code == 200

    response = book.client.get("/user/list", params={"offset": 2**63 - 1})

    assert response.status_code == 200
    assert response.json() == []


def test_head_status_returns_headers_only(book: Book) -> None:
    response = book.client.head("/status")

    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["content-type"].startswith("application/json")


SQL_LOOKING_NAMES = [
    "Robert'); DROP TABLE users;--",
    "' OR '1'='1",
    '" OR ""="',
    "1; DELETE FROM users WHERE 1=1; --",
    "admin'/*",
    "%_\\ LIKE wildcards",
    "UNION SELECT user_id, name, phone FROM users --",
]


def test_sql_looking_names_stored_verbatim(book: Book) -> None:
    sent = {}
    for name in SQL_LOOKING_NAMES:
        phone = new_phone()
        response = book.client.post("/user/add", json={"name": name, "phone": phone})
        assert response.status_code == 200, response.text
        sent[response.json()["user_id"]] = (name, phone)

    listed = {
        row["user_id"]: (row["name"], row["phone"])
        for row in book.client.get("/user/list").json()
    }
    assert listed == sent
    assert {row[0]: (row[1], row[2]) for row in book.rows()} == sent
    searched = book.client.get("/user/list", params={"q": "%_\\"}).json()
    assert [row["name"] for row in searched] == ["%_\\ LIKE wildcards"]


MARKUP_NAMES = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }} {% raw %}",
    "&lt;already escaped&gt; & more",
]


def test_markup_names_escaped_on_page(book: Book, reliability_logs: Path) -> None:
    web = start_web(reliability_logs, book.service)
    try:
        for name in MARKUP_NAMES:
            response = book.client.post(
                "/user/add", json={"name": name, "phone": new_phone()}
            )
            assert response.status_code == 200, response.text
        listed = [row["name"] for row in book.client.get("/user/list").json()]
        page = httpx.get(web.url + "/", timeout=10).text
    finally:
        web.stop()

    assert sorted(listed) == sorted(MARKUP_NAMES)
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    # Shown as typed, so the template engine did not evaluate it.
    assert "{{ 7*7 }} {% raw %}" in page
    assert "&amp;lt;already escaped&amp;gt; &amp; more" in page


def test_over_long_name_is_not_truncated(book: Book) -> None:
    name = new_name("N" * 95)
    response = book.client.post("/user/add", json={"name": name, "phone": new_phone()})

    assert_contract_failure(response, 400, "add")
    assert book.rows() == []
