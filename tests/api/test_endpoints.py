"""The API contract over real HTTP, on SQLite and on MariaDB."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.conftest import Book

ADA = {"name": "Ada Lovelace", "phone": "+44 20 7946 0958"}


def add(book: Book, name: str, phone: str) -> str:
    response = book.client.post("/user/add", json={"name": name, "phone": phone})
    assert response.status_code == 200, response.text
    user_id: str = response.json()["user_id"]
    return user_id


def assert_failure(
    response: httpx.Response,
    status_code: int,
    operation: str | None,
    error_part: str,
    user_id: str | None = None,
) -> None:
    assert response.status_code == status_code, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"user_id", "operation_type", "operation_status", "error"}
    assert body["operation_status"] == "fail"
    assert body["operation_type"] == operation
    assert body["user_id"] == user_id
    assert error_part in body["error"]


# --- add -------------------------------------------------------------------------


def test_add_returns_contract_body(book: Book) -> None:
    response = book.client.post("/user/add", json=ADA)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"user_id", "operation_type", "operation_status"}
    assert body["operation_type"] == "add"
    assert body["operation_status"] == "success"
    assert len(body["user_id"]) == 36
    assert book.rows() == [(body["user_id"], "Ada Lovelace", "+44 20 7946 0958")]


def test_add_ids_are_unique_and_time_ordered(book: Book) -> None:
    ids = [add(book, f"Person {index}", f"555-01{index:02d}") for index in range(5)]
    assert len(set(ids)) == 5
    assert ids == sorted(ids)


@pytest.mark.parametrize(
    "send",
    [
        pytest.param({"data": {"name": "Bob", "phone": "555-0100"}}, id="urlencoded"),
        pytest.param(
            {"files": {"name": (None, "Bob"), "phone": (None, "555-0100")}},
            id="multipart",
        ),
        pytest.param({"params": {"name": "Bob", "phone": "555-0100"}}, id="query"),
        pytest.param({"json": {"name": "Bob", "phone": "555-0100"}}, id="json"),
    ],
)
def test_add_accepts_every_input_source(book: Book, send: dict[str, Any]) -> None:
    response = book.client.post("/user/add", **send)
    assert response.status_code == 200, response.text
    assert [(name, phone) for _, name, phone in book.rows()] == [("Bob", "555-0100")]


def test_add_body_wins_over_query_string(book: Book) -> None:
    response = book.client.post(
        "/user/add",
        params={"name": "From Query", "phone": "555-0199"},
        json={"name": "From Body"},
    )
    assert response.status_code == 200
    assert [(name, phone) for _, name, phone in book.rows()] == [
        ("From Body", "555-0199")
    ]


def test_add_reads_json_number_phone_as_digits(book: Book) -> None:
    response = book.client.post("/user/add", json={"name": "Num", "phone": 4155552671})
    assert response.status_code == 200
    assert book.rows()[0][2] == "4155552671"


def test_add_ignores_unknown_fields(book: Book) -> None:
    response = book.client.post("/user/add", json={**ADA, "email": "ada@example.org"})
    assert response.status_code == 200


def test_add_duplicate_phone_returns_409(book: Book) -> None:
    add(book, "Ada", "+44 20 7946 0958")
    response = book.client.post(
        "/user/add", json={"name": "Other", "phone": "+44 (20) 79460958"}
    )
    assert_failure(response, 409, "add", "already in the phonebook")
    assert len(book.rows()) == 1


@pytest.mark.parametrize(
    ("payload", "error_part"),
    [
        ({"phone": "555-0100"}, "name is missing"),
        ({"name": "Ada"}, "phone is missing"),
        ({"name": "   ", "phone": "555-0100"}, "name is empty"),
        ({"name": "x" * 101, "phone": "555-0100"}, "101 characters"),
        ({"name": "Ada", "phone": "12"}, "2 digits"),
        ({"name": "Ada", "phone": "9" * 64}, "64 digits"),
        ({"name": "Ada", "phone": "call me"}, "characters other than digits"),
        ({"name": 42, "phone": "555-0100"}, "name is a number"),
        ({"name": ["Ada"], "phone": "555-0100"}, "name is an array"),
        ({"name": "Ada", "phone": True}, "phone is a boolean"),
        ({"name": "Ada", "phone": 55.5}, "phone is a number"),
        ({"name": "Ada", "phone": -5550100}, "phone is a number"),
    ],
)
def test_add_invalid_field_returns_400(
    book: Book, payload: dict[str, Any], error_part: str
) -> None:
    response = book.client.post("/user/add", json=payload)
    assert_failure(response, 400, "add", error_part)
    assert book.rows() == []


def test_add_malformed_json_returns_400(book: Book) -> None:
    response = book.client.post(
        "/user/add",
        content=b'{"name": "Ada",',
        headers={"content-type": "application/json"},
    )
    assert_failure(response, 400, "add", "not valid JSON")


@pytest.mark.parametrize(
    ("body", "kind"), [(b"[]", "an array"), (b"null", "null"), (b'"Ada"', "a string")]
)
def test_add_non_object_json_returns_400(book: Book, body: bytes, kind: str) -> None:
    response = book.client.post(
        "/user/add", content=body, headers={"content-type": "application/json"}
    )
    assert_failure(response, 400, "add", f"The JSON body is {kind}")


def test_add_unsupported_content_type_returns_415(book: Book) -> None:
    response = book.client.post(
        "/user/add", content=b"name=Ada", headers={"content-type": "text/plain"}
    )
    assert_failure(response, 415, "add", "text/plain")


def test_add_body_over_16_kib_returns_413(book: Book) -> None:
    payload = json.dumps({"name": "Ada", "phone": "555-0100", "pad": "x" * 17000})
    response = book.client.post(
        "/user/add", content=payload, headers={"content-type": "application/json"}
    )
    assert_failure(response, 413, "add", "larger than 16 KiB")
    assert book.rows() == []


def test_add_chunked_body_over_limit_returns_413(book: Book) -> None:
    def chunks() -> Any:
        for _ in range(40):
            yield b"x" * 1024

    response = book.client.post(
        "/user/add", content=chunks(), headers={"content-type": "application/json"}
    )
    assert_failure(response, 413, "add", "larger than 16 KiB")


def test_add_wrong_method_returns_405_with_allow(book: Book) -> None:
    response = book.client.get("/user/add")
    assert_failure(response, 405, "add", "GET is not allowed")
    assert response.headers["allow"] == "POST"


# --- edit ------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH"])
def test_edit_changes_name_and_phone(book: Book, method: str) -> None:
    user_id = add(book, "Ada", "555-0100")
    response = book.client.request(
        method,
        "/user/edit",
        json={"user_id": user_id, "name": "Grace", "phone": "555-0101"},
    )
    assert response.json() == {
        "user_id": user_id,
        "operation_type": "edit",
        "operation_status": "success",
    }
    assert book.rows() == [(user_id, "Grace", "555-0101")]


def test_edit_name_only_keeps_phone(book: Book) -> None:
    user_id = add(book, "Ada", "555-0100")
    response = book.client.post(
        "/user/edit", data={"user_id": user_id, "name": "Grace"}
    )
    assert response.status_code == 200
    assert book.rows() == [(user_id, "Grace", "555-0100")]


def test_edit_to_current_values_succeeds(book: Book) -> None:
    user_id = add(book, "Ada", "555-0100")
    for _ in range(2):
        response = book.client.post(
            "/user/edit", json={"user_id": user_id, "name": "Ada", "phone": "555-0100"}
        )
        assert response.status_code == 200, response.text


def test_edit_unknown_id_returns_404(book: Book) -> None:
    unknown = "01a241e0-6908-7546-81ea-b3e6014130df"
    response = book.client.post("/user/edit", json={"user_id": unknown, "name": "X"})
    assert_failure(response, 404, "edit", "No entry has user_id", user_id=unknown)


def test_edit_malformed_id_returns_404(book: Book) -> None:
    response = book.client.post("/user/edit", json={"user_id": "nope", "name": "X"})
    assert_failure(response, 404, "edit", "No entry has user_id", user_id="nope")


def test_edit_phone_of_another_entry_returns_409(book: Book) -> None:
    add(book, "Ada", "555-0100")
    user_id = add(book, "Grace", "555-0101")
    response = book.client.post(
        "/user/edit", json={"user_id": user_id, "phone": "5550100"}
    )
    assert_failure(response, 409, "edit", "already in the phonebook", user_id=user_id)
    assert sorted(phone for _, _, phone in book.rows()) == ["555-0100", "555-0101"]


def test_edit_without_changes_returns_400(book: Book) -> None:
    user_id = add(book, "Ada", "555-0100")
    response = book.client.post("/user/edit", json={"user_id": user_id})
    assert_failure(response, 400, "edit", "Nothing to change", user_id=user_id)


def test_edit_without_id_returns_400(book: Book) -> None:
    response = book.client.post("/user/edit", json={"name": "Ada"})
    assert_failure(response, 400, "edit", "user_id is missing")


def test_edit_invalid_name_keeps_entry(book: Book) -> None:
    user_id = add(book, "Ada", "555-0100")
    response = book.client.post("/user/edit", json={"user_id": user_id, "name": ""})
    assert_failure(response, 400, "edit", "name is empty", user_id=user_id)
    assert book.rows() == [(user_id, "Ada", "555-0100")]


# --- delete ----------------------------------------------------------------------


@pytest.mark.parametrize("method", ["POST", "DELETE"])
def test_delete_removes_entry(book: Book, method: str) -> None:
    user_id = add(book, "Ada", "555-0100")
    response = book.client.request(method, "/user/delete", params={"user_id": user_id})
    assert response.json() == {
        "user_id": user_id,
        "operation_type": "delete",
        "operation_status": "success",
    }
    assert book.rows() == []


def test_delete_twice_returns_404(book: Book) -> None:
    user_id = add(book, "Ada", "555-0100")
    assert (
        book.client.post("/user/delete", json={"user_id": user_id}).status_code == 200
    )
    response = book.client.post("/user/delete", json={"user_id": user_id})
    assert_failure(response, 404, "delete", "No entry has user_id", user_id=user_id)


def test_delete_frees_phone_for_reuse(book: Book) -> None:
    user_id = add(book, "Ada", "555-0100")
    book.client.post("/user/delete", json={"user_id": user_id})
    add(book, "Grace", "555-0100")


def test_delete_wrong_method_returns_405(book: Book) -> None:
    response = book.client.put("/user/delete", json={"user_id": "x"})
    assert_failure(response, 405, "delete", "PUT is not allowed")
    assert set(response.headers["allow"].split(", ")) == {"POST", "DELETE"}


# --- list ------------------------------------------------------------------------


def test_list_empty_book_returns_empty_array(book: Book) -> None:
    response = book.client.get("/user/list")
    assert response.status_code == 200
    assert response.json() == []


def test_list_orders_by_name_case_insensitively(book: Book) -> None:
    for name, phone in [
        ("bob", "555-0101"),
        ("Alice", "555-0102"),
        ("alan", "555-0103"),
    ]:
        add(book, name, phone)
    names = [entry["name"] for entry in book.client.get("/user/list").json()]
    assert names == ["alan", "Alice", "bob"]


def test_list_entries_have_contract_keys(book: Book) -> None:
    user_id = add(book, "Ada", "555-0100")
    assert book.client.get("/user/list").json() == [
        {"user_id": user_id, "name": "Ada", "phone": "555-0100"}
    ]


def test_list_sees_each_write_at_once(book: Book) -> None:
    assert book.client.get("/user/list").json() == []
    user_id = add(book, "Ada", "555-0100")
    assert len(book.client.get("/user/list").json()) == 1
    book.client.post("/user/edit", json={"user_id": user_id, "name": "Grace"})
    assert book.client.get("/user/list").json()[0]["name"] == "Grace"
    book.client.post("/user/delete", json={"user_id": user_id})
    assert book.client.get("/user/list").json() == []


def test_list_sees_rows_changed_with_sql(book: Book) -> None:
    add(book, "Ada", "555-0100")
    assert len(book.client.get("/user/list").json()) == 1
    book.clear()
    assert book.client.get("/user/list").json() == []


def test_list_etag_returns_304_until_a_write(book: Book) -> None:
    add(book, "Ada", "555-0100")
    first = book.client.get("/user/list")
    etag = first.headers["etag"]
    again = book.client.get("/user/list", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    add(book, "Grace", "555-0101")
    changed = book.client.get("/user/list", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag


def test_list_search_matches_name_or_digits(book: Book) -> None:
    add(book, "Ada Lovelace", "+44 20 7946 0958")
    add(book, "Grace Hopper", "555-0100")
    by_name = book.client.get("/user/list", params={"q": "LOVE"}).json()
    assert [entry["name"] for entry in by_name] == ["Ada Lovelace"]
    by_digits = book.client.get("/user/list", params={"q": "5-01"}).json()
    assert [entry["name"] for entry in by_digits] == ["Grace Hopper"]
    assert book.client.get("/user/list", params={"q": "zzz"}).json() == []


def test_list_search_with_letters_ignores_phone_digits(book: Book) -> None:
    add(book, "Ada", "555-0100")
    add(book, "Room 101", "555-0199")
    names = [entry["name"] for entry in book.client.get("/user/list?q=Room 1").json()]
    assert names == ["Room 101"]


def test_list_search_treats_wildcards_literally(book: Book) -> None:
    add(book, "100% Ada", "555-0100")
    add(book, "Grace", "555-0101")
    names = [entry["name"] for entry in book.client.get("/user/list?q=%25").json()]
    assert names == ["100% Ada"]


def test_list_limit_and_offset_page_through(book: Book) -> None:
    for index in range(5):
        add(book, f"Name {index}", f"555-010{index}")
    page = book.client.get("/user/list", params={"limit": 2, "offset": 2}).json()
    assert [entry["name"] for entry in page] == ["Name 2", "Name 3"]


@pytest.mark.parametrize(
    ("params", "error_part"),
    [
        ({"limit": 0}, "limit must be"),
        ({"limit": 1001}, "limit must be"),
        ({"limit": "ten"}, "limit must be"),
        ({"offset": -1}, "offset must be"),
        ({"q": "x" * 101}, "q is longer"),
    ],
)
def test_list_out_of_range_parameter_returns_400(
    book: Book, params: dict[str, Any], error_part: str
) -> None:
    assert_failure(
        book.client.get("/user/list", params=params), 400, "list", error_part
    )


def test_list_head_has_no_body(book: Book) -> None:
    add(book, "Ada", "555-0100")
    response = book.client.head("/user/list")
    assert response.status_code == 200
    assert response.content == b""


def test_list_wrong_method_returns_405(book: Book) -> None:
    response = book.client.post("/user/list")
    assert_failure(response, 405, "list", "POST is not allowed")
    assert set(response.headers["allow"].split(", ")) == {"GET", "HEAD"}


# --- health, metrics, routing ----------------------------------------------------


def test_status_returns_ok(book: Book) -> None:
    response = book.client.get("/status")
    assert response.status_code == 200
    assert response.json() == {"status": "OK"}
    assert book.client.head("/status").status_code == 200


def test_healthz_returns_ok(book: Book) -> None:
    assert book.client.get("/healthz").json() == {"status": "OK"}


def test_metrics_count_requests_by_route(book: Book) -> None:
    book.client.get("/user/list")
    text = book.client.get("/metrics").text
    assert (
        'phonebook_api_requests_total{method="GET",route="/user/list",status="200"}'
        in text
    )
    assert "phonebook_api_request_duration_seconds_bucket" in text
    assert "phonebook_api_db_connections_in_use" in text


def test_trailing_slash_returns_404_with_hint(book: Book) -> None:
    response = book.client.post("/user/add/", json=ADA)
    assert_failure(response, 404, None, "Leave out the trailing slash")
    assert book.rows() == []


def test_unknown_path_returns_404_contract(book: Book) -> None:
    assert_failure(book.client.get("/nowhere"), 404, None, "no endpoint at /nowhere")


def test_request_id_is_echoed(book: Book) -> None:
    response = book.client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"
    generated = book.client.get("/healthz", headers={"X-Request-ID": "bad id!"})
    assert generated.headers["x-request-id"] != "bad id!"


def test_openapi_documents_every_endpoint(book: Book) -> None:
    paths = book.client.get("/openapi.json").json()["paths"]
    for path in ["/user/add", "/user/edit", "/user/delete", "/user/list", "/status"]:
        assert path in paths
    assert set(paths["/user/edit"]) == {"post", "put", "patch"}


def test_openapi_operation_ids_are_unique(book: Book) -> None:
    paths = book.client.get("/openapi.json").json()["paths"]
    ids = [
        operation["operationId"]
        for path in paths.values()
        for operation in path.values()
    ]
    assert len(ids) == len(set(ids))
    assert "put_user_edit" in ids
