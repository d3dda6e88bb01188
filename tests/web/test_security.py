"""CSRF protection, security headers, cookies and the unforwarded back-end API."""

from __future__ import annotations

import httpx
import pytest

from tests.support import Service

from .helpers import (
    csrf_token,
    post_form,
    set_cookie_headers,
    unique_name,
    unique_phone,
    wait_for_log,
)

EXPECTED_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; base-uri 'none'; object-src 'none'; "
        "frame-ancestors 'none'; form-action 'self'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
}


def new_entry_fields() -> dict[str, str]:
    return {"name": unique_name("Csrf"), "phone": unique_phone()}


def test_post_without_token_returns_403(client: httpx.Client) -> None:
    csrf_token(client)

    response = client.post("/entries/add", data=new_entry_fields())

    assert response.status_code == 403
    assert "Reload the page and try again." in response.text


def test_post_with_wrong_token_returns_403(client: httpx.Client) -> None:
    token = csrf_token(client)
    wrong = token[:-1] + ("A" if token[-1] != "A" else "B")

    response = client.post(
        "/entries/add", data={"csrf_token": wrong, **new_entry_fields()}
    )

    assert response.status_code == 403
    assert "Reload the page and try again." in response.text


def test_post_without_cookie_returns_403(client: httpx.Client) -> None:
    token = csrf_token(client)
    client.cookies.clear()

    response = client.post(
        "/entries/add", data={"csrf_token": token, **new_entry_fields()}
    )

    assert response.status_code == 403


def test_post_rejected_by_csrf_changes_nothing(
    client: httpx.Client, api: httpx.Client
) -> None:
    fields = new_entry_fields()

    client.post("/entries/add", data={"csrf_token": "forged", **fields})

    assert api.get("/user/list", params={"q": fields["name"]}).json() == []


@pytest.mark.parametrize(
    "origin",
    [
        "https://attacker.example",
        "null",
        "http://127.0.0.1:1",
        "http://localhost",
    ],
)
def test_post_foreign_origin_returns_403(client: httpx.Client, origin: str) -> None:
    response = post_form(
        client, "/entries/add", new_entry_fields(), headers={"Origin": origin}
    )

    assert response.status_code == 403
    assert "sent from another site" in response.text


def test_post_same_origin_is_accepted(
    client: httpx.Client, web_server: Service
) -> None:
    response = post_form(
        client,
        "/entries/add",
        new_entry_fields(),
        headers={"Origin": web_server.url},
    )

    assert response.status_code == 303


def test_post_forwarded_https_origin_is_accepted(
    client: httpx.Client, web_server: Service
) -> None:
    host = web_server.url.removeprefix("http://")

    response = post_form(
        client,
        "/entries/add",
        new_entry_fields(),
        headers={"Origin": f"https://{host}", "X-Forwarded-Proto": "https"},
    )

    assert response.status_code == 303


@pytest.mark.parametrize(
    "path",
    ["/", "/?q=x", "/no-such-page", "/static/style.css", "/static/app.js", "/status"],
)
def test_security_headers_on_every_response(client: httpx.Client, path: str) -> None:
    response = client.get(path)

    for name, value in EXPECTED_HEADERS.items():
        assert response.headers.get(name) == value, name


def test_security_headers_on_403_page(client: httpx.Client) -> None:
    response = client.post("/entries/add", data={"csrf_token": "x"})

    assert response.status_code == 403
    for name, value in EXPECTED_HEADERS.items():
        assert response.headers.get(name) == value, name


def test_unknown_page_returns_404_page(client: httpx.Client) -> None:
    response = client.get("/no-such-page")

    assert response.status_code == 404
    assert "There is no page at this address." in response.text
    assert "<title>Page not found - Phonebook</title>" in response.text


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/user/list"),
        ("POST", "/user/add"),
        ("POST", "/user/edit"),
        ("POST", "/user/delete"),
    ],
)
def test_backend_api_is_not_forwarded(
    client: httpx.Client, method: str, path: str
) -> None:
    response = client.request(method, path, json={"name": "A", "phone": "555 1234"})

    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")


def test_csrf_cookie_is_httponly_and_strict(client: httpx.Client) -> None:
    response = client.get("/")

    [cookie] = set_cookie_headers(response, "csrftoken")
    attributes = [part.strip().lower() for part in cookie.split(";")]
    assert "httponly" in attributes
    assert "samesite=strict" in attributes
    assert "path=/" in attributes


def test_csrf_cookie_is_kept_across_pages(client: httpx.Client) -> None:
    first = csrf_token(client)
    second = client.get("/")

    assert set_cookie_headers(second, "csrftoken") == []
    assert f'value="{first}"' in second.text


def test_pages_are_not_cached(client: httpx.Client) -> None:
    response = client.get("/")

    assert response.headers["cache-control"] == "no-store"


def test_request_id_is_echoed(client: httpx.Client) -> None:
    echoed = client.get("/", headers={"X-Request-ID": "web-test-echo-1"})
    generated = client.get("/")

    assert echoed.headers["x-request-id"] == "web-test-echo-1"
    assert len(generated.headers["x-request-id"]) == 32


def test_request_id_reaches_backend(client: httpx.Client, api_server: Service) -> None:
    client.get("/", headers={"X-Request-ID": "web-test-trace-42"})

    assert "web-test-trace-42" in wait_for_log(api_server, "web-test-trace-42")


def test_log_omits_query_and_names(client: httpx.Client, web_server: Service) -> None:
    secret = unique_name("Private")
    fields = {"name": secret, "phone": unique_phone()}
    post_form(client, "/entries/add", fields)
    client.get("/", params={"q": secret}, headers={"X-Request-ID": "web-test-log-9"})

    log = wait_for_log(web_server, "web-test-log-9")
    assert "web-test-log-9" in log
    assert secret.split()[1] not in log
    assert fields["phone"] not in log
