"""HTTP client for the back-end's JSON API, used by the front-end's routes.

Every call sends the current request id, so that one user action can be followed
through the logs of both services. Callers get typed results: an `OperationResult`
for add, edit and delete, a list of `Entry` for a listing, and
`BackendUnavailableError` when the back-end cannot serve the request at all.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Literal

import httpx

from phonebook.logs import REQUEST_ID_HEADER, request_id_var

logger = logging.getLogger(__name__)

Operation = Literal["add", "edit", "delete"]

# Statuses the back-end's contract uses for a failed request, each with a JSON body
# that carries an `error` sentence. 503 is handled apart as "unavailable".
CONTRACT_FAILURE_STATUSES = frozenset({400, 404, 405, 409, 413, 415, 500})

# Reasons shown under the page's "unavailable" notice.
UNREACHABLE_REASON = "The back-end cannot be reached."
INVALID_RESPONSE_REASON = "The back-end sent a response the front-end cannot read."
UNAVAILABLE_REASON = "The back-end reported that it is unavailable."


@dataclass(frozen=True)
class Entry:
    """One phonebook entry as the back-end lists it."""

    user_id: str
    name: str
    phone: str


@dataclass(frozen=True)
class OperationResult:
    """Outcome of an add, edit or delete that the back-end responded to."""

    status_code: int
    succeeded: bool
    user_id: str | None
    error: str | None


class BackendUnavailableError(Exception):
    """The back-end was unreachable, timed out, or returned 503 or an invalid body."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class BackendRejectedError(Exception):
    """The back-end rejected a listing request with a contract failure status."""

    def __init__(self, status_code: int, message: str) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.message = message


class ApiClient:
    """Typed calls to the back-end over one pooled `httpx.AsyncClient`."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def list_entries(self, query: str, limit: int, offset: int) -> list[Entry]:
        """Return up to `limit` entries whose name or phone digits contain `query`."""
        params: dict[str, str | int] = {"limit": limit, "offset": offset}
        if query:
            params["q"] = query
        response = await self._send("GET", "/user/list", params=params)
        if response.status_code == 200:
            return parse_entries(response)
        message = read_error_message(response)
        if response.status_code in CONTRACT_FAILURE_STATUSES and message:
            raise BackendRejectedError(response.status_code, message)
        raise unavailable_error(response, message, "list")

    async def add_entry(self, name: str, phone: str) -> OperationResult:
        """Ask the back-end to add an entry and return its verdict."""
        response = await self._send(
            "POST", "/user/add", json={"name": name, "phone": phone}
        )
        return parse_operation(response, "add")

    async def edit_entry(self, user_id: str, name: str, phone: str) -> OperationResult:
        """Ask the back-end to change an entry's name and phone."""
        response = await self._send(
            "POST",
            "/user/edit",
            json={"user_id": user_id, "name": name, "phone": phone},
        )
        return parse_operation(response, "edit")

    async def delete_entry(self, user_id: str) -> OperationResult:
        """Ask the back-end to delete an entry."""
        response = await self._send("POST", "/user/delete", json={"user_id": user_id})
        return parse_operation(response, "delete")

    async def is_ready(self) -> bool:
        """Return whether the back-end's deep `/status` check returns 200."""
        return await self._probe("/status")

    async def is_alive(self) -> bool:
        """Return whether the back-end process passes its `/healthz` liveness check."""
        return await self._probe("/healthz")

    async def _probe(self, path: str) -> bool:
        try:
            response = await self._send("GET", path)
        except BackendUnavailableError:
            return False
        return response.status_code == 200

    async def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {REQUEST_ID_HEADER: request_id_var.get()}
        try:
            return await self.http.request(method, path, headers=headers, **kwargs)
        except httpx.TransportError as error:
            # The path has no query string, so this line contains no user data.
            logger.warning(
                "back-end request failed",
                extra={
                    "method": method,
                    "api_path": path,
                    "error": type(error).__name__,
                },
            )
            raise BackendUnavailableError(UNREACHABLE_REASON) from error


def parse_entries(response: httpx.Response) -> list[Entry]:
    """Read a `/user/list` body; raise BackendUnavailableError if it is malformed."""
    body = read_json(response)
    if not isinstance(body, list):
        raise unavailable_error(response, None, "list")
    entries: list[Entry] = []
    for item in body:
        if not isinstance(item, dict):
            raise unavailable_error(response, None, "list")
        user_id, name, phone = item.get("user_id"), item.get("name"), item.get("phone")
        if not (
            isinstance(user_id, str)
            and isinstance(name, str)
            and isinstance(phone, str)
        ):
            raise unavailable_error(response, None, "list")
        entries.append(Entry(user_id=user_id, name=name, phone=phone))
    return entries


def parse_operation(response: httpx.Response, operation: Operation) -> OperationResult:
    """Read an add, edit or delete response in the back-end's contract shape."""
    body = read_json(response)
    if not isinstance(body, dict) or body.get("operation_type") != operation:
        raise unavailable_error(response, None, operation)

    status = body.get("operation_status")
    user_id = body.get("user_id")
    if user_id is not None and not isinstance(user_id, str):
        raise unavailable_error(response, None, operation)

    if response.status_code == 200 and status == "success":
        return OperationResult(200, succeeded=True, user_id=user_id, error=None)

    message = read_error_message(response)
    if (
        response.status_code in CONTRACT_FAILURE_STATUSES
        and status == "fail"
        and message
    ):
        return OperationResult(
            response.status_code, succeeded=False, user_id=user_id, error=message
        )
    raise unavailable_error(response, message, operation)


def read_json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def read_error_message(response: httpx.Response) -> str | None:
    """Return the contract body's `error` sentence, or None when there is none."""
    body = read_json(response)
    if isinstance(body, dict):
        message = body.get("error")
        if isinstance(message, str) and message.strip():
            return message.strip()
    return None


def unavailable_error(
    response: httpx.Response, message: str | None, operation: str
) -> BackendUnavailableError:
    """Build the error for a 503 or a response outside the contract, and log it."""
    logger.warning(
        "back-end could not serve the request",
        extra={"operation": operation, "api_status": response.status_code},
    )
    if response.status_code == 503:
        return BackendUnavailableError(message or UNAVAILABLE_REASON)
    return BackendUnavailableError(INVALID_RESPONSE_REASON)
