"""ASGI middleware of the back-end: request ids, access log, metrics, body limit.

Written as plain ASGI rather than with BaseHTTPMiddleware, which costs a task and
a memory stream per request on the hot path.
"""

from __future__ import annotations

import logging
import time

from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from phonebook.api import metrics
from phonebook.api.contract import OperationType, failure, operation_for_path
from phonebook.logs import REQUEST_ID_HEADER, new_request_id, request_id_var

logger = logging.getLogger("phonebook.api.access")
error_logger = logging.getLogger("phonebook.api.errors")


class BodyTooLarge(Exception):
    """The request body grew past the limit while it was being read."""


class RequestMiddleware:
    """Add a request id, body limit, log line, metrics and last-resort 500."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        started = time.perf_counter()
        headers = Headers(scope=scope)
        request_id = new_request_id(headers.get(REQUEST_ID_HEADER))
        token = request_id_var.set(request_id)
        status_code = 500
        response_started = False
        received = 0

        async def send_with_id(message: Message) -> None:
            nonlocal status_code, response_started
            if message["type"] == "http.response.start":
                status_code = message["status"]
                response_started = True
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", request_id.encode()),
                ]
            await send(message)

        async def receive_limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise BodyTooLarge
            return message

        operation = operation_for_path(scope["path"])
        try:
            declared = headers.get("content-length")
            if (
                declared is not None
                and declared.isdigit()
                and int(declared) > self.max_body_bytes
            ):
                # Respond before reading, so that an oversized body is never read.
                response = too_large(operation, self.max_body_bytes)
                await response(scope, receive, send_with_id)
            else:
                await self.app(scope, receive_limited, send_with_id)
        except Exception:
            error_logger.exception(
                "unhandled error",
                extra={"method": scope["method"], "path": scope["path"]},
            )
            if not response_started:
                response = failure(
                    operation, 500, "An unexpected error occurred; it has been logged."
                )
                await response(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = scope.get("route")
            route_label = getattr(route, "path", "unmatched")
            metrics.REQUESTS.labels(route_label, scope["method"], status_code).inc()
            metrics.LATENCY.labels(route_label).observe(elapsed)
            fields = {
                "method": scope["method"],
                "path": scope["path"],
                "status": status_code,
                "duration_ms": round(elapsed * 1000, 2),
            }
            # A route that worked on one entry names it (its validated id, never
            # the raw input) in this single line per request.
            entry_id = scope.get("state", {}).get("entry_id")
            if entry_id is not None:
                fields["user_id"] = entry_id
            logger.info("request", extra=fields)
            request_id_var.reset(token)


def too_large(operation: OperationType | None, max_body_bytes: int) -> Response:
    return failure(
        operation,
        413,
        f"The request body is larger than {max_body_bytes // 1024} KiB: "
        "send only name, phone and user_id.",
        headers={"Connection": "close"},
    )
