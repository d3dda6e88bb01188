"""Route handlers of the front-end: the page, its form posts and the health checks.

Form posts follow POST-redirect-GET: a success redirects with 303 back to the page
with a flash message, and a failure renders the page again with the back-end's status,
its reason and the values the user typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.datastructures import QueryParams
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.templating import Jinja2Templates

from phonebook.settings import WebSettings
from phonebook.web import csrf, flash
from phonebook.web.client import (
    ApiClient,
    BackendRejectedError,
    BackendUnavailableError,
    Entry,
    OperationResult,
)
from phonebook.web.flash import Notice, clear_flash, read_flash, set_flash

# Form bodies above this size are rejected with 413; the back-end has the same cap.
MAX_FORM_BYTES = 16 * 1024
# The forms have at most seven fields, so a body with many more is not from them.
MAX_FORM_FIELDS = 20
MAX_PAGE = 1_000_000
MAX_QUERY_LENGTH = 100

CSRF_FAILED_MESSAGE = (
    "The form could not be checked because its security token is missing or "
    "out of date. Reload the page and try again."
)
FOREIGN_ORIGIN_MESSAGE = (
    "The form was sent from another site, so it was rejected. Open the phonebook "
    "page, reload it and try again."
)
ENTRY_GONE_MESSAGE = (
    "This entry no longer exists; it may have been deleted in another tab or by "
    "someone else. The list below is current."
)
ERROR_HEADINGS = {
    400: "Bad request",
    403: "Forbidden",
    404: "Page not found",
    405: "Method not allowed",
    413: "Form too large",
    415: "Unsupported form encoding",
}
ERROR_MESSAGES = {
    404: "There is no page at this address.",
    405: "This address does not accept that method.",
}


@dataclass(frozen=True)
class ViewState:
    """Position on the page: the search text, the page number and the open edit form."""

    query: str = ""
    page: int = 1
    edit_id: str = ""

    def url(self, page: int | None = None, edit: str = "") -> str:
        """Return the page's URL for this search, at `page`, with `edit` opened."""
        params: dict[str, str | int] = {}
        if self.query:
            params["q"] = self.query
        target_page = self.page if page is None else page
        if target_page > 1:
            params["page"] = target_page
        if edit:
            params["edit"] = edit
        return "/?" + urlencode(params) if params else "/"


@dataclass(frozen=True)
class EntryForm:
    """Values typed into the add or edit form, kept so that a failure loses nothing."""

    user_id: str = ""
    name: str = ""
    phone: str = ""


def read_view_state(params: QueryParams | dict[str, str]) -> ViewState:
    """Build the view state from query or form parameters, ignoring invalid values."""
    query = params.get("q", "").strip()[:MAX_QUERY_LENGTH]
    page_text = params.get("page", "").strip()
    page = int(page_text) if page_text.isdecimal() else 1
    page = min(max(page, 1), MAX_PAGE)
    return ViewState(query=query, page=page, edit_id=params.get("edit", "").strip())


def get_settings(request: Request) -> WebSettings:
    settings: WebSettings = request.app.state.settings
    return settings


def get_api(request: Request) -> ApiClient:
    api: ApiClient = request.app.state.api
    return api


def get_templates(request: Request) -> Jinja2Templates:
    templates: Jinja2Templates = request.app.state.templates
    return templates


async def show_index(request: Request) -> Response:
    """Render the phonebook page: search box, entries, add form and messages."""
    view = read_view_state(request.query_params)
    return await render_index(request, view, notice=read_flash(request))


async def add_entry(request: Request) -> Response:
    """Add an entry from the add form, then redirect back to the page."""
    form = await read_checked_form(request)
    view = read_view_state(form)
    typed = EntryForm(name=form.get("name", ""), phone=form.get("phone", ""))
    try:
        result = await get_api(request).add_entry(typed.name, typed.phone)
    except BackendUnavailableError as error:
        return await render_index(
            request, view, unavailable=error.reason, add_form=typed
        )
    if result.succeeded:
        return redirect_with_notice(request, view, f"Added {tidy(typed.name)}.")
    return await render_failure(request, view, result, add_form=typed)


async def edit_entry(request: Request) -> Response:
    """Change an entry's name and phone from its edit form, then redirect back."""
    form = await read_checked_form(request)
    view = read_view_state(form)
    typed = EntryForm(
        user_id=form.get("user_id", ""),
        name=form.get("name", ""),
        phone=form.get("phone", ""),
    )
    try:
        result = await get_api(request).edit_entry(
            typed.user_id, typed.name, typed.phone
        )
    except BackendUnavailableError as error:
        return await render_index(
            request, view, unavailable=error.reason, edit_form=typed
        )
    if result.succeeded:
        return redirect_with_notice(request, view, f"Saved {tidy(typed.name)}.")
    return await render_failure(request, view, result, edit_form=typed)


async def delete_entry(request: Request) -> Response:
    """Delete the entry of a row's delete form, then redirect back."""
    form = await read_checked_form(request)
    view = read_view_state(form)
    name = tidy(form.get("name", "")) or "the entry"
    try:
        result = await get_api(request).delete_entry(form.get("user_id", ""))
    except BackendUnavailableError as error:
        return await render_index(request, view, unavailable=error.reason)
    if result.succeeded:
        return redirect_with_notice(request, view, f"Deleted {name}.")
    return await render_failure(request, view, result)


async def show_status(request: Request) -> Response:
    """Return 200 when the back-end's deep status check passes, else 503."""
    # The wait is API_TIMEOUT (3 s by default), longer than the back-end's own
    # database timeout (DB_TIMEOUT, 2 s by default), so that its 503 arrives here.
    ready = await get_api(request).is_ready()
    return empty_response(200 if ready else 503)


async def show_health(request: Request) -> Response:
    """Return 200 while this process and its own back-end process are alive."""
    alive = await get_api(request).is_alive()
    return empty_response(200 if alive else 503)


async def render_http_error(request: Request, exc: Exception) -> Response:
    """Render an HTTP error (403, 404, 405, 413...) as a page with the site header."""
    if not isinstance(exc, HTTPException):
        raise exc
    status = exc.status_code
    message = exc.detail
    if message == HTTPStatus(status).phrase:
        # Starlette's default detail is a bare phrase such as "Not Found".
        message = ERROR_MESSAGES.get(status, "The request failed.")
    context = {
        "hostname": get_settings(request).node_hostname,
        "heading": ERROR_HEADINGS.get(status, "Error"),
        "message": message,
    }
    response = get_templates(request).TemplateResponse(
        request, "error.html", context, status_code=status, headers=exc.headers
    )
    response.headers["Cache-Control"] = "no-store"
    return response


async def render_failure(
    request: Request,
    view: ViewState,
    result: OperationResult,
    add_form: EntryForm | None = None,
    edit_form: EntryForm | None = None,
) -> Response:
    """Render the page again with the back-end's status and reason for a failure."""
    notice = Notice("error", result.error or "The back-end rejected the request.")
    if result.status_code == 404:
        # The entry is gone, so there is no row left to edit. The back-end's
        # reason points API users at /user/list, which means nothing here.
        notice = Notice("error", ENTRY_GONE_MESSAGE)
        edit_form = None
    return await render_index(
        request,
        view,
        status_code=result.status_code,
        notice=notice,
        add_form=add_form,
        edit_form=edit_form,
    )


async def render_index(
    request: Request,
    view: ViewState,
    *,
    status_code: int = 200,
    notice: Notice | None = None,
    unavailable: str | None = None,
    add_form: EntryForm | None = None,
    edit_form: EntryForm | None = None,
) -> Response:
    """Fetch one page of entries and render the phonebook page.

    When `unavailable` is already set, the back-end has just failed, so the page
    skips the listing rather than wait for a second timeout.
    """
    settings = get_settings(request)
    entries: list[Entry] = []
    has_next_page = False
    if unavailable is None:
        try:
            entries = await get_api(request).list_entries(
                view.query,
                limit=settings.page_size + 1,
                offset=(view.page - 1) * settings.page_size,
            )
        except BackendUnavailableError as error:
            unavailable = error.reason
        except BackendRejectedError as error:
            status_code = error.status_code
            notice = Notice("error", error.message)
        has_next_page = len(entries) > settings.page_size
        entries = entries[: settings.page_size]
    if unavailable is not None:
        status_code = 503

    if edit_form is None and view.edit_id:
        edit_form = next(
            (
                EntryForm(entry.user_id, entry.name, entry.phone)
                for entry in entries
                if entry.user_id == view.edit_id
            ),
            None,
        )

    token = csrf.read_cookie_token(request, settings)
    context: dict[str, Any] = {
        "hostname": settings.node_hostname,
        "view": view,
        "entries": entries,
        "has_next_page": has_next_page,
        "notice": notice,
        "unavailable": unavailable,
        "add_form": add_form or EntryForm(),
        "edit_form": edit_form,
        "csrf_token": token or csrf.new_token(),
    }
    response = get_templates(request).TemplateResponse(
        request, "index.html", context, status_code=status_code
    )
    response.headers["Cache-Control"] = "no-store"
    if token is None:
        csrf.set_token_cookie(response, context["csrf_token"], settings)
    if request.cookies.get(flash.COOKIE_NAME) is not None:
        clear_flash(response, settings)
    return response


def redirect_with_notice(request: Request, view: ViewState, text: str) -> Response:
    response = RedirectResponse(view.url(), status_code=303)
    set_flash(response, Notice("success", text), get_settings(request))
    return response


def empty_response(status_code: int) -> Response:
    return Response(status_code=status_code, headers={"Cache-Control": "no-store"})


def tidy(text: str) -> str:
    """Collapse runs of whitespace, as the back-end does with names."""
    return " ".join(text.split())


async def read_checked_form(request: Request) -> dict[str, str]:
    """Read a URL-encoded form body after the Origin check and the CSRF token check.

    Raises HTTPException 403 for a foreign origin or a bad token, 413 for a body
    over MAX_FORM_BYTES, 415 for another encoding and 400 for a malformed body.
    """
    if not csrf.origin_allowed(request):
        raise HTTPException(403, FOREIGN_ORIGIN_MESSAGE)
    form = await read_form(request)
    cookie_token = csrf.read_cookie_token(request, get_settings(request))
    if not csrf.tokens_match(cookie_token, form.get(csrf.FORM_FIELD)):
        raise HTTPException(403, CSRF_FAILED_MESSAGE)
    return form


async def read_form(request: Request) -> dict[str, str]:
    """Read a URL-encoded body of at most MAX_FORM_BYTES into a dict."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip()
    if media_type.lower() != "application/x-www-form-urlencoded":
        raise HTTPException(
            415, "The form must be sent as application/x-www-form-urlencoded."
        )
    too_large = HTTPException(
        413, f"The form is larger than {MAX_FORM_BYTES // 1024} KiB: shorten it."
    )
    declared = request.headers.get("content-length", "")
    if declared.isdecimal() and int(declared) > MAX_FORM_BYTES:
        raise too_large

    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            raise too_large
    try:
        pairs = parse_qsl(
            body.decode("utf-8"),
            keep_blank_values=True,
            max_num_fields=MAX_FORM_FIELDS,
        )
    except (UnicodeDecodeError, ValueError):
        raise HTTPException(
            400, "The form body is malformed: reload the page and try again."
        ) from None
    return dict(pairs)


async def no_favicon(request: Request) -> Response:
    """Return 204 to the browser's automatic favicon request, which has no icon."""
    return Response(status_code=204, headers={"Cache-Control": "max-age=86400"})
