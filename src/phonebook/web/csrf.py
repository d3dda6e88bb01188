"""Cross-site request forgery protection for the page's form posts.

Two independent checks guard every POST:

- Double-submit token: a random token lives in an HttpOnly, SameSite=Strict cookie
  and is repeated in a hidden form field. A forged cross-site form cannot read the
  cookie, so it cannot send the matching field.
- Origin check: browsers send `Origin` on every cross-site POST, and a page
  cannot choose its value. When the header is present it must name this site.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response

from phonebook.settings import WebSettings

FORM_FIELD = "csrf_token"
# 32 random bytes, URL-safe base64: 43 characters.
TOKEN_BYTES = 32
TOKEN_LENGTH = 43
DEFAULT_PORTS = {"http": 80, "https": 443}


def cookie_name(settings: WebSettings) -> str:
    """Return the token cookie's name.

    Browsers accept a `__Host-` cookie only when it is Secure, has Path=/ and no
    Domain, so a sibling subdomain cannot plant a token of its own.
    """
    return "__Host-csrftoken" if settings.cookie_secure else "csrftoken"


def read_cookie_token(request: Request, settings: WebSettings) -> str | None:
    """Return the token from the request's cookie when it is well formed."""
    token = request.cookies.get(cookie_name(settings), "")
    if len(token) == TOKEN_LENGTH and token.isascii():
        return token
    return None


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def set_token_cookie(response: Response, token: str, settings: WebSettings) -> None:
    # A session cookie: the token lasts as long as the browser session.
    # NOTE: browsers do not send a SameSite=Strict cookie on a navigation from
    # another site, so such a visit gets a new token, and forms in tabs opened
    # earlier then fail with 403 until they are reloaded.
    response.set_cookie(
        cookie_name(settings),
        token,
        path="/",
        secure=settings.cookie_secure,
        httponly=True,
        samesite="strict",
    )


def tokens_match(cookie_token: str | None, form_token: str | None) -> bool:
    """Return whether both tokens are present and equal, compared in constant time."""
    if not cookie_token or not form_token:
        return False
    return hmac.compare_digest(cookie_token.encode(), form_token.encode())


def origin_allowed(request: Request) -> bool:
    """Return whether the request's `Origin` header, if any, names this site.

    A request without `Origin` passes this check and relies on the token alone.
    The expected scheme comes from `X-Forwarded-Proto` when a TLS-terminating load
    balancer set it, because the app then receives plain HTTP while the
    browser's origin is https. A cross-site form cannot set that header, so
    trusting it here does not weaken the check.
    """
    origin = request.headers.get("origin")
    if origin is None:
        return True
    host = request.headers.get("host")
    if not host:
        return False

    forwarded_proto = request.headers.get("x-forwarded-proto", "")
    scheme = forwarded_proto.split(",")[0].strip().lower() or request.url.scheme
    expected = normalize_origin(f"{scheme}://{host}")
    actual = normalize_origin(origin)
    return actual is not None and actual == expected


def normalize_origin(origin: str) -> tuple[str, str, int] | None:
    """Split an origin into (scheme, host, port) with the default port filled in.

    Returns None for `null`, for schemes other than http(s) and for anything
    that carries a path, query or credentials.
    """
    try:
        parts = urlsplit(origin.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    if parts.path not in {"", "/"} or parts.query or parts.fragment:
        return None
    if parts.username is not None or parts.password is not None:
        return None
    return scheme, parts.hostname.lower(), port or DEFAULT_PORTS[scheme]
