"""Helpers for the front-end tests: unique test data and form posts."""

from __future__ import annotations

import itertools
import random
import re
import string
import time
from pathlib import Path
from typing import Any

import httpx
import markupsafe

from tests.support import Service, web_service

NODE_HOSTNAME = "web-test-node-7"
PAGE_SIZE = 5
CSRF_FIELD_PATTERN = re.compile(r'name="csrf_token" value="([^"]+)"')
_phone_counter = itertools.count(1)
LOG_WAIT_SECONDS = 5.0


def unique_name(label: str = "Person") -> str:
    """Return a name no other test uses, so that a search finds only its rows.

    The suffix has letters only: the back-end also matches the digits of a search
    against phone numbers, so a digit in the name would match other rows.
    """
    suffix = "".join(random.choices(string.ascii_lowercase, k=12))
    return f"{label} {suffix}"


def unique_phone() -> str:
    """Return a phone number no other test in this session uses."""
    # The counter keeps numbers distinct within a session, and the random part
    # keeps them apart from rows left by an earlier run on the same database.
    return f"555 {next(_phone_counter):04d} {random.randint(1000, 9999)}"


def csrf_token(client: httpx.Client, path: str = "/") -> str:
    """Load a page, which sets the CSRF cookie, and return its form token."""
    response = client.get(path)
    match = CSRF_FIELD_PATTERN.search(response.text)
    assert match is not None, f"no CSRF field on {path}: {response.text[:500]}"
    return match.group(1)


def post_form(
    client: httpx.Client, path: str, fields: dict[str, str], **kwargs: Any
) -> httpx.Response:
    """POST `fields` with a fresh CSRF token, as the page's own form would."""
    token = csrf_token(client)
    return client.post(path, data={"csrf_token": token, **fields}, **kwargs)


def add_entry(client: httpx.Client, name: str, phone: str) -> httpx.Response:
    return post_form(client, "/entries/add", {"name": name, "phone": phone})


def find_entry(api: httpx.Client, name: str) -> dict[str, str]:
    """Return the back-end's row for `name`, which must be unique."""
    rows = api.get("/user/list", params={"q": name}).json()
    matches = [row for row in rows if row["name"] == name]
    assert len(matches) == 1, f"expected one row named {name!r}, got {rows}"
    return dict(matches[0])


def api_error(response: httpx.Response) -> str:
    """Return the back-end's `error` sentence escaped as the page's template does."""
    message = response.json()["error"]
    assert isinstance(message, str)
    return str(markupsafe.escape(message))


def start_web(log_directory: Path, api_url: str) -> Service:
    """Start a front-end that calls `api_url` and wait until it serves files.

    The ready check fetches a static file because `/healthz` returns 503 while
    the back-end is down. The small page size lets a test reach page 2 with a
    handful of rows.
    """
    service = web_service(
        log_directory,
        api_url,
        NODE_HOSTNAME=NODE_HOSTNAME,
        PAGE_SIZE=str(PAGE_SIZE),
        API_TIMEOUT="2",
    )
    return service.start(ready_path="/static/style.css")


def wait_for_log(server: Service, text: str) -> str:
    """Return the server's log once it contains `text`, or fail after a few seconds.

    The access log line is written after the response is sent, so a test that
    reads the log right after its request can otherwise run ahead of it.
    """
    deadline = time.monotonic() + LOG_WAIT_SECONDS
    while True:
        log = server.logs()
        if text in log or time.monotonic() > deadline:
            return log
        time.sleep(0.05)


def set_cookie_headers(response: httpx.Response, name: str) -> list[str]:
    """Return the Set-Cookie headers of `response` for cookie `name`."""
    return [
        header
        for header in response.headers.get_list("set-cookie")
        if header.split("=", 1)[0].strip() == name
    ]
