"""One-time messages carried across a POST-redirect-GET in a short-lived cookie."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Literal

from starlette.requests import Request
from starlette.responses import Response

from phonebook.settings import WebSettings

COOKIE_NAME = "flash"
# Long enough to survive the redirect, short enough that a stale message never shows.
MAX_AGE_SECONDS = 60
# Longer cookie values are ignored rather than decoded.
MAX_COOKIE_LENGTH = 2048

NoticeKind = Literal["success", "error"]


@dataclass(frozen=True)
class Notice:
    """A message shown above the entries: a success, or a failure with its reason."""

    kind: NoticeKind
    text: str


def set_flash(response: Response, notice: Notice, settings: WebSettings) -> None:
    """Store `notice` for the next page view.

    The value is base64 JSON because cookie values cannot hold arbitrary text.
    It is not signed: a user can only change the message shown to themselves, and
    the page escapes it like every other string.
    """
    payload = json.dumps({"kind": notice.kind, "text": notice.text})
    value = base64.urlsafe_b64encode(payload.encode()).decode()
    response.set_cookie(
        COOKIE_NAME,
        value,
        max_age=MAX_AGE_SECONDS,
        path="/",
        secure=settings.cookie_secure,
        httponly=True,
        samesite="lax",
    )


def read_flash(request: Request) -> Notice | None:
    """Return the notice stored by the previous response, or None."""
    value = request.cookies.get(COOKIE_NAME)
    if not value or len(value) > MAX_COOKIE_LENGTH:
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(value.encode()))
    except (binascii.Error, ValueError):
        return None
    if not isinstance(payload, dict):
        return None
    kind, text = payload.get("kind"), payload.get("text")
    if kind not in ("success", "error") or not isinstance(text, str) or not text:
        return None
    return Notice(kind=kind, text=text)


def clear_flash(response: Response, settings: WebSettings) -> None:
    response.delete_cookie(
        COOKIE_NAME,
        path="/",
        secure=settings.cookie_secure,
        httponly=True,
        samesite="lax",
    )
