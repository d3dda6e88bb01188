"""The phonebook page: hostname, empty states, search, paging and escaping."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support import api_service

from .helpers import (
    NODE_HOSTNAME,
    add_entry,
    find_entry,
    start_web,
    unique_name,
    unique_phone,
)


@pytest.fixture
def empty_book_client(tmp_path: Path) -> Iterator[httpx.Client]:
    """A client for a front-end whose back-end has a new, empty database."""
    api_server = api_service(tmp_path, f"sqlite:///{tmp_path / 'empty.db'}").start()
    web_server = start_web(tmp_path, api_server.url)
    try:
        with httpx.Client(base_url=web_server.url) as http:
            yield http
    finally:
        web_server.stop()
        api_server.stop()


def test_index_renders_title_and_hostname(client: httpx.Client) -> None:
    response = client.get("/")

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "<title>Phonebook</title>" in response.text
    assert f'data-testid="node-hostname">{NODE_HOSTNAME}<' in response.text


def test_index_empty_book_shows_empty_state(
    empty_book_client: httpx.Client,
) -> None:
    response = empty_book_client.get("/")

    assert response.status_code == 200
    assert "The phonebook is empty." in response.text
    assert 'data-testid="entries"' not in response.text


def test_search_without_match_shows_no_match(client: httpx.Client) -> None:
    missing = unique_name("Nobody")

    response = client.get("/", params={"q": missing})

    assert response.status_code == 200
    assert f"No entries match “{missing}”." in response.text
    assert "The phonebook is empty." not in response.text


def test_search_finds_name_and_phone_digits(client: httpx.Client) -> None:
    name = unique_name("Searchable")
    phone = unique_phone()
    other = unique_name("Other")
    add_entry(client, name, phone)
    add_entry(client, other, unique_phone())

    by_name = client.get("/", params={"q": name.split()[1]})
    by_digits = client.get("/", params={"q": phone.replace(" ", "")[-8:]})

    assert by_name.status_code == 200
    assert f"<td>{name}</td>" in by_name.text
    assert f"<td>{other}</td>" not in by_name.text
    assert by_digits.status_code == 200
    assert f"<td>{name}</td>" in by_digits.text


def test_search_keeps_query_in_box(client: httpx.Client) -> None:
    query = unique_name("Kept")

    response = client.get("/", params={"q": query})

    assert f'name="q" type="search" value="{query}"' in response.text


def test_paging_shows_next_and_previous(client: httpx.Client) -> None:
    label = unique_name("Paged")
    names = [f"{label} {index}" for index in range(6)]
    for name in names:
        assert add_entry(client, name, unique_phone()).status_code == 303

    first = client.get("/", params={"q": label})
    second = client.get("/", params={"q": label, "page": "2"})

    assert first.status_code == 200
    assert first.text.count('data-testid="entry-row"') == 5
    assert 'rel="next"' in first.text
    assert 'rel="prev"' not in first.text
    assert second.status_code == 200
    assert second.text.count('data-testid="entry-row"') == 1
    assert f"<td>{names[5]}</td>" in second.text
    assert 'rel="prev"' in second.text
    assert 'rel="next"' not in second.text


def test_page_past_end_shows_empty_page(client: httpx.Client) -> None:
    response = client.get("/", params={"page": "999999"})

    assert response.status_code == 200
    assert "Page 999999 has no entries." in response.text
    assert 'rel="prev"' in response.text


def test_invalid_page_number_falls_back_to_first(client: httpx.Client) -> None:
    response = client.get("/", params={"page": "-3"})

    assert response.status_code == 200
    assert 'name="page" value="1"' in response.text


def test_script_name_is_escaped(client: httpx.Client) -> None:
    name = f"<script>alert('{unique_name('xss')}')</script>"
    assert add_entry(client, name, unique_phone()).status_code == 303

    response = client.get("/", params={"q": name})

    assert response.status_code == 200
    assert "<script>alert(" not in response.text
    assert "&lt;script&gt;alert(" in response.text


def test_edit_link_opens_inline_form(client: httpx.Client, api: httpx.Client) -> None:
    name = unique_name("Editable")
    phone = unique_phone()
    add_entry(client, name, phone)
    user_id = find_entry(api, name)["user_id"]

    response = client.get("/", params={"q": name, "edit": user_id})

    assert response.status_code == 200
    assert 'data-testid="edit-form"' in response.text
    name_field = re.search(r'id="edit-name" name="name" value="([^"]*)"', response.text)
    phone_field = re.search(r'id="edit-phone" [^>]*value="([^"]*)"', response.text)
    assert name_field is not None
    assert name_field.group(1) == name
    assert phone_field is not None
    assert phone_field.group(1) == phone


def test_static_files_are_served(client: httpx.Client) -> None:
    script = client.get("/static/app.js")
    style = client.get("/static/style.css")

    assert script.status_code == 200
    assert "javascript" in script.headers["content-type"]
    assert style.status_code == 200
    assert style.headers["content-type"].startswith("text/css")
