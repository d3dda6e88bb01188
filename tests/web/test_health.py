"""Health checks, and the page when the back-end is down."""

from __future__ import annotations

import httpx

from .helpers import NODE_HOSTNAME, csrf_token, unique_name, unique_phone

UNAVAILABLE_TEXT = "The phonebook is unavailable right now."


def test_status_with_backend_up_returns_200(client: httpx.Client) -> None:
    response = client.get("/status")

    assert response.status_code == 200
    assert response.content == b""


def test_healthz_with_backend_up_returns_200(client: httpx.Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b""


def test_status_head_with_backend_up_returns_200(client: httpx.Client) -> None:
    response = client.head("/status")

    assert response.status_code == 200


def test_status_with_backend_down_returns_503(down_client: httpx.Client) -> None:
    response = down_client.get("/status")

    assert response.status_code == 503
    assert response.content == b""


def test_healthz_with_backend_down_returns_503(down_client: httpx.Client) -> None:
    response = down_client.get("/healthz")

    assert response.status_code == 503
    assert response.content == b""


def test_index_with_backend_down_returns_503(down_client: httpx.Client) -> None:
    response = down_client.get("/")

    assert response.status_code == 503
    assert UNAVAILABLE_TEXT in response.text
    assert "The back-end cannot be reached." in response.text
    assert f'data-testid="node-hostname">{NODE_HOSTNAME}<' in response.text
    assert "The phonebook is empty." not in response.text


def test_add_with_backend_down_keeps_typed_values(
    down_client: httpx.Client,
) -> None:
    name = unique_name("Waiting")
    phone = unique_phone()
    token = csrf_token(down_client)

    response = down_client.post(
        "/entries/add", data={"csrf_token": token, "name": name, "phone": phone}
    )

    assert response.status_code == 503
    assert UNAVAILABLE_TEXT in response.text
    assert f'value="{name}"' in response.text
    assert f'value="{phone}"' in response.text


def test_delete_with_backend_down_returns_503(down_client: httpx.Client) -> None:
    token = csrf_token(down_client)

    response = down_client.post(
        "/entries/delete", data={"csrf_token": token, "user_id": "x", "name": "A"}
    )

    assert response.status_code == 503
    assert UNAVAILABLE_TEXT in response.text


def test_favicon_returns_204_without_body(client: httpx.Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 204
    assert response.content == b""
    assert response.headers["x-content-type-options"] == "nosniff"
