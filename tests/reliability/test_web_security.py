"""Front-end security: CSRF and Origin checks, headers, cookies, and clean logs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support import Service, free_port, web_service
from tests.web.helpers import csrf_token, set_cookie_headers

from .conftest import record_figure, start_web
from .helpers import SENSITIVE_VALUES, new_name, new_phone, record_sensitive
from .mariadb import PrivateMariaDB

SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; base-uri 'none'; object-src 'none'; "
        "frame-ancestors 'none'; form-action 'self'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
}
FORM_ROUTES = ["/entries/add", "/entries/edit", "/entries/delete"]
FOREIGN_ORIGINS = [
    "https://evil.example",
    "null",
    "http://127.0.0.1:1",
    "http://localhost.evil.example",
]


@pytest.fixture
def web(api: Service, reliability_logs: Path) -> Iterator[Service]:
    service = start_web(reliability_logs, api, NODE_HOSTNAME="security-node")
    yield service
    service.stop()


@pytest.fixture
def browser(web: Service) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=web.url, timeout=10) as client:
        yield client


def form_fields(api_client: httpx.Client) -> dict[str, str]:
    """Return fields that every form route would accept, for an existing entry."""
    added = api_client.post(
        "/user/add", json={"name": new_name(), "phone": new_phone()}
    )
    assert added.status_code == 200
    return {
        "user_id": added.json()["user_id"],
        "name": new_name(),
        "phone": new_phone(),
    }


def row_count(server: PrivateMariaDB, database: str) -> int:
    return int(server.execute("SELECT COUNT(*) FROM users", database)[0][0])


@pytest.mark.parametrize("route", FORM_ROUTES)
def test_form_post_without_token_rejected(
    route: str,
    browser: httpx.Client,
    api: Service,
    private_mariadb: PrivateMariaDB,
    app_database: str,
) -> None:
    with httpx.Client(base_url=api.url, timeout=10) as api_client:
        fields = form_fields(api_client)
        before = api_client.get("/user/list").json()
    csrf_token(browser)

    missing = browser.post(route, data=fields)
    wrong = browser.post(route, data={**fields, "csrf_token": "A" * 43})

    assert missing.status_code == 403
    assert wrong.status_code == 403
    with httpx.Client(base_url=api.url, timeout=10) as api_client:
        assert api_client.get("/user/list").json() == before
    assert row_count(private_mariadb, app_database) == 1


@pytest.mark.parametrize("route", FORM_ROUTES)
@pytest.mark.parametrize("origin", FOREIGN_ORIGINS)
def test_form_post_from_foreign_origin_rejected(
    route: str, origin: str, browser: httpx.Client, api: Service
) -> None:
    with httpx.Client(base_url=api.url, timeout=10) as api_client:
        fields = form_fields(api_client)
        before = api_client.get("/user/list").json()
    token = csrf_token(browser)

    response = browser.post(
        route, data={**fields, "csrf_token": token}, headers={"Origin": origin}
    )

    assert response.status_code == 403
    assert "another site" in response.text
    with httpx.Client(base_url=api.url, timeout=10) as api_client:
        assert api_client.get("/user/list").json() == before


def test_form_post_from_same_origin_accepted(
    browser: httpx.Client,
    web: Service,
    private_mariadb: PrivateMariaDB,
    app_database: str,
) -> None:
    token = csrf_token(browser)

    response = browser.post(
        "/entries/add",
        data={"csrf_token": token, "name": new_name(), "phone": new_phone()},
        headers={"Origin": web.url},
    )

    assert response.status_code == 303
    assert row_count(private_mariadb, app_database) == 1


def assert_security_headers(response: httpx.Response) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, (response.url, name)


def test_security_headers_on_every_response(
    browser: httpx.Client, web: Service, reliability_logs: Path
) -> None:
    token = csrf_token(browser)
    responses = [
        browser.get("/"),
        browser.get("/", params={"q": "nobody", "page": "3"}),
        browser.get("/status"),
        browser.get("/healthz"),
        browser.get("/static/style.css"),
        browser.get("/static/app.js"),
        browser.get("/no/such/page"),
        browser.get("/entries/add"),
        browser.post("/entries/add", data={"name": "x"}),
        browser.post(
            "/entries/add",
            data={"csrf_token": token, "name": new_name(), "phone": new_phone()},
        ),
        browser.post(
            "/entries/add", data={"csrf_token": token, "name": "", "phone": "12"}
        ),
    ]
    statuses = sorted({response.status_code for response in responses})
    assert statuses == [200, 303, 400, 403, 404, 405]

    down = web_service(
        reliability_logs, f"http://127.0.0.1:{free_port()}", API_TIMEOUT="1"
    ).start(ready_path="/static/style.css")
    try:
        with httpx.Client(base_url=down.url, timeout=10) as client:
            unavailable = [client.get("/"), client.get("/status")]
    finally:
        down.stop()
    assert [response.status_code for response in unavailable] == [503, 503]

    for response in responses + unavailable:
        assert_security_headers(response)


def test_cookies_are_httponly_and_samesite(browser: httpx.Client) -> None:
    page = browser.get("/")
    token_cookies = set_cookie_headers(page, "csrftoken")
    token = csrf_token(browser)
    redirect = browser.post(
        "/entries/add",
        data={"csrf_token": token, "name": new_name(), "phone": new_phone()},
    )
    flash_cookies = set_cookie_headers(redirect, "flash")

    assert redirect.status_code == 303
    assert len(token_cookies) == 1
    assert len(flash_cookies) == 1
    for header in token_cookies + flash_cookies:
        attributes = {part.strip().lower() for part in header.split(";")}
        assert "httponly" in attributes, header
        assert "samesite=strict" in attributes or "samesite=lax" in attributes
        assert "path=/" in attributes, header


def test_secure_cookies_use_host_prefix(api: Service, reliability_logs: Path) -> None:
    web = start_web(reliability_logs, api, COOKIE_SECURE="true")
    try:
        page = httpx.get(web.url + "/", timeout=10)
    finally:
        web.stop()

    cookies = set_cookie_headers(page, "__Host-csrftoken")
    assert len(cookies) == 1
    attributes = {part.strip().lower() for part in cookies[0].split(";")}
    assert {"secure", "httponly", "samesite=strict", "path=/"} <= attributes
    assert not any(attribute.startswith("domain=") for attribute in attributes)


@pytest.mark.log_scan
def test_logs_contain_no_phone_or_password(
    reliability_logs: Path,
    service_logs: Path,
    private_mariadb_server: PrivateMariaDB,
) -> None:
    """Scan every service log of this run for each phone number and password."""
    record_sensitive(private_mariadb_server.app_password)
    logs = sorted(reliability_logs.glob("*.log")) + sorted(service_logs.glob("*.log"))
    assert logs
    text = "\n".join(path.read_text(errors="replace") for path in logs)
    assert "request" in text
    assert len(SENSITIVE_VALUES) > 10

    leaked = sorted(value for value in SENSITIVE_VALUES if value in text)

    assert leaked == []
    record_figure(
        "log scan",
        f"{len(SENSITIVE_VALUES)} phone numbers and passwords, "
        f"{len(logs)} log files, {len(text) // 1024} KiB, none found",
    )
