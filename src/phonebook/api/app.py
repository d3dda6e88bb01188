"""The back-end application: routes of the JSON API and their error handling."""

from __future__ import annotations

import logging
import os
import time
import warnings
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import ASGIApp

from phonebook.api import contract, metrics
from phonebook.api.contract import OperationType, failure, operation_for_path, success
from phonebook.api.database import create_engine
from phonebook.api.fields import BadRequest, json_kind, read_fields
from phonebook.api.middleware import BodyTooLarge, RequestMiddleware, too_large
from phonebook.api.store import (
    DatabaseUnavailable,
    EntryNotFound,
    PhoneTaken,
    UserStore,
)
from phonebook.api.validation import (
    FieldError,
    Name,
    Phone,
    parse_name,
    parse_phone,
    parse_user_id,
)
from phonebook.logs import configure_logging
from phonebook.settings import ApiSettings

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 16 * 1024
LIST_MAX_LIMIT = 1000
# The largest offset that both SQLite and MySQL accept: a signed 64-bit integer.
LIST_MAX_OFFSET = 2**63 - 1
SEARCH_MAX_LENGTH = 100
# Seconds a client should wait before retrying after a 503.
RETRY_AFTER_SECONDS = "5"
# Database outages are logged at most this often, with the number of failures between.
OUTAGE_LOG_INTERVAL_SECONDS = 10.0

OPERATION_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"model": contract.OperationResult, "description": "Done."},
    400: {
        "model": contract.OperationResult,
        "description": "Malformed or invalid input.",
    },
    404: {"model": contract.OperationResult, "description": "Unknown user_id."},
    405: {"model": contract.OperationResult, "description": "Method not allowed."},
    409: {
        "model": contract.OperationResult,
        "description": "Phone number already taken.",
    },
    413: {"model": contract.OperationResult, "description": "Body over 16 KiB."},
    415: {"model": contract.OperationResult, "description": "Unsupported body type."},
    503: {"model": contract.OperationResult, "description": "Database unavailable."},
}


def request_body_doc(*names: str, required: tuple[str, ...] = ()) -> dict[str, Any]:
    """Describe the accepted bodies and query parameters for the OpenAPI document."""
    properties: dict[str, Any] = {
        "user_id": {"type": "string", "description": "The entry's id."},
        "name": {"type": "string", "description": "1 to 100 characters."},
        "phone": {
            "anyOf": [{"type": "string"}, {"type": "integer", "minimum": 0}],
            "description": "3 to 15 digits with optional separators, + and extension.",
        },
    }
    schema = {
        "type": "object",
        "properties": {name: properties[name] for name in names},
        "required": list(required),
    }
    form_schema = {
        "type": "object",
        "properties": {name: {"type": "string"} for name in names},
        "required": list(required),
    }
    return {
        "requestBody": {
            "required": False,
            "content": {
                "application/json": {"schema": schema},
                "application/x-www-form-urlencoded": {"schema": form_schema},
                "multipart/form-data": {"schema": form_schema},
            },
        },
        "parameters": [
            {
                "name": name,
                "in": "query",
                "required": False,
                "schema": {"type": "string"},
            }
            for name in names
        ],
    }


def create_app(settings: ApiSettings | None = None) -> ASGIApp:
    """Build the back-end; without `settings`, read them from the environment."""
    if settings is None:
        configure_logging(
            os.environ.get("LOG_LEVEL", "info"), os.environ.get("LOG_FORMAT", "json")
        )
        settings = ApiSettings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(settings)
        app.state.store = UserStore(engine, settings.db_timeout)
        backend = settings.database_url.get_backend_name()
        if settings.is_sqlite:
            logger.warning(
                "using the embedded SQLite database, meant for local runs only",
                extra={"database": settings.database_url.database},
            )
        logger.info("back-end started", extra={"database_backend": backend})
        yield
        await engine.dispose()
        logger.info("back-end stopped")

    app = FastAPI(
        title="Phonebook API",
        version="1.0.0",
        description="Add, edit, delete and list phonebook entries.",
        lifespan=lifespan,
        redirect_slashes=False,
    )
    register_error_handlers(app)
    register_routes(app)
    app.openapi = lambda: openapi_document(app)  # type: ignore[method-assign]
    return RequestMiddleware(app, MAX_BODY_BYTES)


def openapi_document(app: FastAPI) -> dict[str, Any]:
    """Build the OpenAPI document once, with one operationId per method and path.

    A route that accepts several methods (edit: POST, PUT and PATCH) would
    otherwise give each of them the same operationId, which OpenAPI forbids.
    """
    if app.openapi_schema is None:
        with warnings.catch_warnings():
            # FastAPI warns about the duplicates that are renamed below.
            warnings.filterwarnings("ignore", "Duplicate Operation ID", UserWarning)
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
        for path, operations in schema["paths"].items():
            for method, operation in operations.items():
                operation["operationId"] = method + path.replace("/", "_")
        app.openapi_schema = schema
    return app.openapi_schema


def store_of(request: Request) -> UserStore:
    store: UserStore = request.app.state.store
    return store


def register_routes(app: FastAPI) -> None:
    @app.post(
        "/user/add",
        responses=OPERATION_RESPONSES,
        openapi_extra=request_body_doc("name", "phone", required=("name", "phone")),
    )
    async def add_user(request: Request) -> Response:
        """Add an entry with a name and a phone number that no other entry has."""
        fields = await read_fields(request)
        name = parse_name(required_text(fields, "name"))
        phone = parse_phone(required_phone(fields))
        user_id = await store_of(request).add(name, phone)
        request.state.entry_id = user_id
        return success("add", user_id)

    @app.api_route(
        "/user/edit",
        methods=["POST", "PUT", "PATCH"],
        responses=OPERATION_RESPONSES,
        openapi_extra=request_body_doc(
            "user_id", "name", "phone", required=("user_id",)
        ),
    )
    async def edit_user(request: Request) -> Response:
        """Change the name, the phone number or both of an existing entry."""
        fields = await read_fields(request)
        raw_id = read_user_id(request, fields)
        name_text = optional_text(fields, "name")
        phone_text = optional_phone(fields)
        if name_text is None and phone_text is None:
            raise FieldError(
                "name", "Nothing to change: send a new name, phone or both."
            )
        name: Name | None = parse_name(name_text) if name_text is not None else None
        phone: Phone | None = (
            parse_phone(phone_text) if phone_text is not None else None
        )
        user_id = parse_user_id(raw_id)
        if user_id is None:
            raise EntryNotFound(raw_id)
        request.state.entry_id = user_id
        await store_of(request).edit(user_id, name, phone)
        return success("edit", raw_id)

    @app.api_route(
        "/user/delete",
        methods=["POST", "DELETE"],
        responses=OPERATION_RESPONSES,
        openapi_extra=request_body_doc("user_id", required=("user_id",)),
    )
    async def delete_user(request: Request) -> Response:
        """Delete the entry with the given user id."""
        fields = await read_fields(request)
        raw_id = read_user_id(request, fields)
        user_id = parse_user_id(raw_id)
        if user_id is None:
            raise EntryNotFound(raw_id)
        request.state.entry_id = user_id
        await store_of(request).delete(user_id)
        return success("delete", raw_id)

    @app.api_route(
        "/user/list",
        methods=["GET", "HEAD"],
        response_model=list[contract.Entry],
        responses={
            304: {"description": "Not modified since the ETag sent in If-None-Match."},
            400: {
                "model": contract.OperationResult,
                "description": "Invalid parameter.",
            },
            405: {
                "model": contract.OperationResult,
                "description": "Method not allowed.",
            },
            503: {
                "model": contract.OperationResult,
                "description": "Database unavailable.",
            },
        },
    )
    async def list_users(
        request: Request,
        q: Annotated[
            str | None,
            Query(
                max_length=SEARCH_MAX_LENGTH,
                description="Substring of the name, or of the phone number's digits.",
            ),
        ] = None,
        limit: Annotated[int | None, Query(ge=1, le=LIST_MAX_LIMIT)] = None,
        offset: Annotated[int, Query(ge=0, le=LIST_MAX_OFFSET)] = 0,
    ) -> Response:
        """List entries ordered by name, case-insensitively; all of them by default."""
        snapshot = await store_of(request).list_entries(
            q.strip() or None if q else None, limit, offset
        )
        headers = {"ETag": snapshot.etag, "Cache-Control": "no-cache"}
        if snapshot.etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
        return Response(snapshot.body, media_type="application/json", headers=headers)

    @app.api_route(
        "/status",
        methods=["GET", "HEAD"],
        response_model=contract.Status,
        responses={
            503: {"model": contract.Status, "description": "Database unreachable."}
        },
    )
    async def status(request: Request) -> Response:
        """Report whether the back-end can run a query on the database in time."""
        try:
            await store_of(request).ping()
        except DatabaseUnavailable as error:
            log_outage(request, error)
            return contract.json_response({"status": "FAIL"}, status_code=503)
        return contract.json_response({"status": "OK"})

    @app.api_route("/healthz", methods=["GET", "HEAD"], response_model=contract.Status)
    async def healthz() -> Response:
        """Report that this process serves requests; never touches the database."""
        return contract.json_response({"status": "OK"})

    @app.get("/metrics", include_in_schema=False)
    async def prometheus_metrics() -> Response:
        body, content_type = metrics.render_metrics()
        return Response(body, media_type=content_type)


def read_user_id(request: Request, fields: dict[str, Any]) -> str:
    """Return the user_id field as sent and remember it for the error response."""
    raw_id = required_text(fields, "user_id")
    request.state.user_id = raw_id
    return raw_id


def required_text(fields: dict[str, Any], key: str) -> str:
    value = optional_text(fields, key)
    if value is None:
        raise FieldError(
            key,
            f"{key} is missing: send it in a JSON body, a form or the query string.",
        )
    return value


def optional_text(fields: dict[str, Any], key: str) -> str | None:
    value = fields.get(key)
    if value is None or isinstance(value, str):
        return value
    raise FieldError(key, f"{key} is {json_kind(value)}: send it as a string.")


def required_phone(fields: dict[str, Any]) -> str:
    value = optional_phone(fields)
    if value is None:
        raise FieldError(
            "phone",
            "phone is missing: send it in a JSON body, a form or the query string.",
        )
    return value


def optional_phone(fields: dict[str, Any]) -> str | None:
    """Return the phone as text; a JSON integer is read as its decimal digits."""
    value = fields.get("phone")
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return str(value)
    return optional_text(fields, "phone")


_last_outage_log = 0.0
_outages_since_log = 0


def log_outage(request: Request, error: DatabaseUnavailable) -> None:
    """Log a database failure, at most once per interval, with the count in between."""
    global _last_outage_log, _outages_since_log
    _outages_since_log += 1
    now = time.monotonic()
    if now - _last_outage_log >= OUTAGE_LOG_INTERVAL_SECONDS:
        logger.warning(
            "database unavailable",
            extra={
                "error": str(error),
                "path": request.url.path,
                "failures": _outages_since_log,
            },
        )
        _last_outage_log = now
        _outages_since_log = 0


def register_error_handlers(app: FastAPI) -> None:
    def operation(request: Request) -> OperationType | None:
        return operation_for_path(request.url.path)

    def echoed_id(request: Request) -> str | None:
        return getattr(request.state, "user_id", None)

    @app.exception_handler(FieldError)
    async def invalid_field(request: Request, error: FieldError) -> Response:
        return failure(operation(request), 400, error.message, echoed_id(request))

    @app.exception_handler(BadRequest)
    async def bad_request(request: Request, error: BadRequest) -> Response:
        return failure(
            operation(request), error.status_code, error.message, echoed_id(request)
        )

    @app.exception_handler(EntryNotFound)
    async def not_found(request: Request, error: EntryNotFound) -> Response:
        message = (
            f"No entry has user_id {echoed_id(request)!r}: "
            "GET /user/list shows the ids of all entries."
        )
        return failure(operation(request), 404, message, echoed_id(request))

    @app.exception_handler(PhoneTaken)
    async def phone_taken(request: Request, error: PhoneTaken) -> Response:
        message = (
            "phone is already in the phonebook under another entry: "
            "use a different number or edit that entry."
        )
        return failure(operation(request), 409, message, echoed_id(request))

    @app.exception_handler(DatabaseUnavailable)
    async def database_unavailable(
        request: Request, error: DatabaseUnavailable
    ) -> Response:
        log_outage(request, error)
        return failure(
            operation(request),
            503,
            # Not "nothing was changed": a write that timed out may still have
            # been committed, and a retried add then returns 409.
            "The database is unavailable or did not respond in time: "
            "try again shortly.",
            echoed_id(request),
            headers={"Retry-After": RETRY_AFTER_SECONDS},
        )

    @app.exception_handler(BodyTooLarge)
    async def body_too_large(request: Request, error: BodyTooLarge) -> Response:
        return too_large(operation(request), MAX_BODY_BYTES)

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, error: Exception) -> Response:
        # Starlette sends this response, then re-raises the error for
        # RequestMiddleware to log with the request id.
        return failure(
            operation(request), 500, "An unexpected error occurred; it has been logged."
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_parameter(
        request: Request, error: RequestValidationError
    ) -> Response:
        messages = {
            "q": f"q is longer than {SEARCH_MAX_LENGTH} characters: shorten it.",
            "limit": f"limit must be a whole number from 1 to {LIST_MAX_LIMIT}.",
            "offset": f"offset must be a whole number from 0 to {LIST_MAX_OFFSET}.",
        }
        first = error.errors()[0]
        field = str(first["loc"][-1])
        message = messages.get(field, f"{field} is invalid: {first['msg']}.")
        return failure(operation(request), 400, message)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        path = request.url.path
        if error.status_code == 405:
            allowed = (error.headers or {}).get("Allow", "")
            message = f"{request.method} is not allowed on {path}: use {allowed}."
        elif error.status_code == 404:
            message = f"There is no endpoint at {path}."
            if path.endswith("/") and operation_for_path(path.rstrip("/")):
                message += f" Leave out the trailing slash: {path.rstrip('/')}."
        else:
            message = str(error.detail)
        headers = dict(error.headers) if error.headers else None
        return failure(operation(request), error.status_code, message, headers=headers)
