"""ASGI middleware of the front-end: request ids, access log and security headers."""

from __future__ import annotations

import logging
import time

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from phonebook.logs import REQUEST_ID_HEADER, new_request_id, request_id_var

logger = logging.getLogger(__name__)

# Only this app's own files may load; no inline script or style, no plugins, no
# framing, and forms may post only back to this site.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; base-uri 'none'; object-src 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}

INTERNAL_ERROR_PAGE = (
    b'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
    b"<title>Error - Phonebook</title></head><body><h1>Internal error</h1>"
    b"<p>The page failed because of an internal error. Reload to try again."
    b"</p></body></html>\n"
)


class RequestContextMiddleware:
    """Set the request id, add security headers and log one line per request.

    Pure ASGI rather than BaseHTTPMiddleware, so that the request id context
    variable is visible to the route and responses are not buffered. It also
    responds to an unhandled exception with a plain 500 page that still carries the
    security headers, which Starlette's outer error middleware would not add.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        request_id = new_request_id(Headers(scope=scope).get(REQUEST_ID_HEADER))
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status_code = 500
        response_started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal status_code, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status_code = message["status"]
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
                headers[REQUEST_ID_HEADER] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            logger.exception(
                "unhandled error",
                extra={"method": scope["method"], "path": scope["path"]},
            )
            if response_started:
                raise
            await send_internal_error(send_with_headers)
        finally:
            # Only the path: the query string can carry a searched name or number.
            logger.info(
                "request",
                extra={
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            request_id_var.reset(token)


async def send_internal_error(send: Send) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 500,
            "headers": [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"content-length", str(len(INTERNAL_ERROR_PAGE)).encode()),
                (b"cache-control", b"no-store"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": INTERNAL_ERROR_PAGE})
