"""The response shapes of the API contract, as JSON responses and as OpenAPI models."""

from __future__ import annotations

from typing import Literal

import orjson
from pydantic import BaseModel, Field
from starlette.responses import Response

OperationType = Literal["add", "edit", "delete", "list", "status"]


class OperationResult(BaseModel):
    """The outcome of add, edit or delete; `error` is present only on failure."""

    user_id: str | None = Field(description="The entry's id; null when there is none.")
    operation_type: OperationType | None
    operation_status: Literal["success", "fail"]
    error: str | None = Field(
        default=None, description="On failure: what was wrong, in one sentence."
    )


class Entry(BaseModel):
    """One phonebook entry as /user/list returns it."""

    user_id: str
    name: str
    phone: str


class Status(BaseModel):
    """The result of a health check."""

    status: Literal["OK", "FAIL"]


def json_response(
    content: object, status_code: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return Response(
        orjson.dumps(content),
        status_code=status_code,
        headers=headers,
        media_type="application/json",
    )


def success(operation: OperationType, user_id: str | None) -> Response:
    return json_response(
        {"user_id": user_id, "operation_type": operation, "operation_status": "success"}
    )


def failure(
    operation: OperationType | None,
    status_code: int,
    error: str,
    user_id: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    return json_response(
        {
            "user_id": user_id,
            "operation_type": operation,
            "operation_status": "fail",
            "error": error,
        },
        status_code=status_code,
        headers=headers,
    )


def operation_for_path(path: str) -> OperationType | None:
    """Return the operation a path names, for error bodies outside a route."""
    operations: dict[str, OperationType] = {
        "/user/add": "add",
        "/user/edit": "edit",
        "/user/delete": "delete",
        "/user/list": "list",
        "/status": "status",
    }
    return operations.get(path)
