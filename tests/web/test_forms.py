"""Add, edit and delete through the page's form routes, with POST-redirect-GET."""

from __future__ import annotations

import uuid

import httpx

from .helpers import (
    add_entry,
    api_error,
    find_entry,
    post_form,
    set_cookie_headers,
    unique_name,
    unique_phone,
)


def test_add_redirects_with_flash_once(client: httpx.Client) -> None:
    name = unique_name("Added")

    response = add_entry(client, name, unique_phone())
    page = client.get(response.headers["location"])
    again = client.get(response.headers["location"])

    assert response.status_code == 303
    assert response.headers["location"] == "/"
    assert f"Added {name}." in page.text
    assert 'data-testid="notice"' in page.text
    assert f"<td>{name}</td>" in client.get("/", params={"q": name}).text
    assert f"Added {name}." not in again.text


def test_add_redirect_keeps_search_and_page(client: httpx.Client) -> None:
    fields = {
        "name": unique_name("Kept"),
        "phone": unique_phone(),
        "q": "kept search",
        "page": "3",
    }

    response = post_form(client, "/entries/add", fields)

    assert response.status_code == 303
    assert response.headers["location"] == "/?q=kept+search&page=3"


def test_add_flash_cookie_is_short_lived(client: httpx.Client) -> None:
    response = add_entry(client, unique_name("Cookie"), unique_phone())

    [flash] = set_cookie_headers(response, "flash")
    attributes = [part.strip().lower() for part in flash.split(";")]
    assert "httponly" in attributes
    assert "samesite=lax" in attributes
    assert "max-age=60" in attributes
    assert "path=/" in attributes


def test_add_duplicate_phone_returns_409_with_reason(
    client: httpx.Client, api: httpx.Client
) -> None:
    phone = unique_phone()
    add_entry(client, unique_name("First"), phone)
    second_name = unique_name("Second")
    expected = api.post("/user/add", json={"name": second_name, "phone": phone})

    response = add_entry(client, second_name, phone)

    assert expected.status_code == 409
    assert response.status_code == 409
    assert api_error(expected) in response.text
    assert f'id="add-name" name="name" value="{second_name}"' in response.text
    assert f'id="add-phone" name="phone" type="tel" value="{phone}"' in response.text


def test_add_invalid_phone_returns_400_with_reason(
    client: httpx.Client, api: httpx.Client
) -> None:
    name = unique_name("Invalid")
    expected = api.post("/user/add", json={"name": name, "phone": "call me"})

    response = add_entry(client, name, "call me")

    assert expected.status_code == 400
    assert response.status_code == 400
    assert api_error(expected) in response.text
    assert 'role="alert"' in response.text
    assert f'value="{name}"' in response.text
    assert 'value="call me"' in response.text


def test_add_empty_name_returns_400(client: httpx.Client) -> None:
    response = add_entry(client, "   ", unique_phone())

    assert response.status_code == 400
    assert 'data-testid="notice"' in response.text


def test_edit_changes_name_and_phone(client: httpx.Client, api: httpx.Client) -> None:
    name = unique_name("Before")
    add_entry(client, name, unique_phone())
    entry = find_entry(api, name)
    new_name = unique_name("After")
    new_phone = unique_phone()

    response = post_form(
        client,
        "/entries/edit",
        {"user_id": entry["user_id"], "name": new_name, "phone": new_phone},
    )
    page = client.get(response.headers["location"])

    assert response.status_code == 303
    assert f"Saved {new_name}." in page.text
    edited = find_entry(api, new_name)
    assert edited["user_id"] == entry["user_id"]
    assert edited["phone"] == new_phone
    assert api.get("/user/list", params={"q": name}).json() == []


def test_edit_taken_phone_returns_409_and_keeps_form(
    client: httpx.Client, api: httpx.Client
) -> None:
    taken_phone = unique_phone()
    add_entry(client, unique_name("Owner"), taken_phone)
    name = unique_name("Editor")
    add_entry(client, name, unique_phone())
    entry = find_entry(api, name)
    typed_name = unique_name("Typed")
    fields = {"user_id": entry["user_id"], "name": typed_name, "phone": taken_phone}
    expected = api.post("/user/edit", json=fields)

    response = post_form(client, "/entries/edit", {**fields, "q": name})

    assert expected.status_code == 409
    assert response.status_code == 409
    assert api_error(expected) in response.text
    assert 'data-testid="edit-form"' in response.text
    assert f'id="edit-name" name="name" value="{typed_name}"' in response.text
    assert f'value="{taken_phone}"' in response.text
    assert find_entry(api, name)["phone"] == entry["phone"]


def test_edit_unknown_id_returns_404(client: httpx.Client, api: httpx.Client) -> None:
    fields = {
        "user_id": str(uuid.uuid4()),
        "name": unique_name("Ghost"),
        "phone": unique_phone(),
    }
    expected = api.post("/user/edit", json=fields)

    response = post_form(client, "/entries/edit", fields)

    assert expected.status_code == 404
    assert response.status_code == 404
    assert "This entry no longer exists" in response.text
    assert "GET /user/list" not in response.text


def test_delete_removes_entry(client: httpx.Client, api: httpx.Client) -> None:
    name = unique_name("Deleted")
    add_entry(client, name, unique_phone())
    entry = find_entry(api, name)

    response = post_form(
        client, "/entries/delete", {"user_id": entry["user_id"], "name": name}
    )
    page = client.get(response.headers["location"])

    assert response.status_code == 303
    assert f"Deleted {name}." in page.text
    assert api.get("/user/list", params={"q": name}).json() == []


def test_delete_unknown_id_returns_404(client: httpx.Client, api: httpx.Client) -> None:
    user_id = str(uuid.uuid4())
    expected = api.post("/user/delete", json={"user_id": user_id})

    response = post_form(
        client, "/entries/delete", {"user_id": user_id, "name": "Nobody"}
    )

    assert expected.status_code == 404
    assert response.status_code == 404
    assert "This entry no longer exists" in response.text
    assert "GET /user/list" not in response.text


def test_form_post_rejects_json_body(client: httpx.Client) -> None:
    response = client.post("/entries/add", json={"name": "A", "phone": "555 1234"})

    assert response.status_code == 415


def test_form_post_rejects_large_body(client: httpx.Client) -> None:
    response = post_form(
        client, "/entries/add", {"name": "A" * 20_000, "phone": unique_phone()}
    )

    assert response.status_code == 413
    assert "larger than 16 KiB" in response.text


def test_form_route_rejects_get(client: httpx.Client) -> None:
    response = client.get("/entries/add")

    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
