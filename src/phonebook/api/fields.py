"""Reading `name`, `phone` and `user_id` from a request.

A field may come from a JSON object body, a form body (urlencoded or multipart) or
the query string. The body wins over the query string; unknown fields are ignored.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

import orjson
from starlette.datastructures import UploadFile
from starlette.requests import Request


class BadRequest(ValueError):
    """The request as a whole cannot be read; `status_code` is 400 or 415."""

    def __init__(self, message: str, status_code: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


async def read_fields(request: Request) -> dict[str, Any]:
    """Merge the query string and the body into one mapping of field values."""
    fields: dict[str, Any] = dict(request.query_params)
    body = await request.body()
    if not body.strip():
        return fields
    kind = media_type(request)
    if kind == "application/json" or kind.endswith("+json"):
        fields.update(parse_json_object(body))
    elif kind == "application/x-www-form-urlencoded":
        try:
            fields.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        except UnicodeDecodeError:
            raise BadRequest(
                "The form body is not valid UTF-8: encode it as UTF-8."
            ) from None
    elif kind == "multipart/form-data":
        fields.update(await read_multipart(request))
    else:
        described_type = kind or "no Content-Type"
        raise BadRequest(
            f"The body has {described_type}: send application/json, "
            "application/x-www-form-urlencoded or multipart/form-data.",
            status_code=415,
        )
    return fields


def parse_json_object(body: bytes) -> dict[str, Any]:
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise BadRequest(
            f"The body is not valid JSON ({error}): send a JSON object."
        ) from None
    if not isinstance(data, dict):
        raise BadRequest(
            f"The JSON body is {json_kind(data)}: send an object such as "
            '{"name": "Ada", "phone": "+44 20 7946 0958"}.'
        )
    return data


async def read_multipart(request: Request) -> dict[str, Any]:
    try:
        form = await request.form()
    except Exception as error:  # python-multipart raises several unrelated types.
        raise BadRequest(f"The multipart body cannot be parsed ({error}).") from None
    values: dict[str, Any] = {}
    for key, value in form.multi_items():
        # A file part is not text; the field check below reports it by name.
        values[key] = value if not isinstance(value, UploadFile) else object()
    return values


def json_kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"
