"""The front-end's ASGI application: a server-rendered page over the back-end's API.

The front-end never opens the database. Its form routes call the back-end over
HTTP on the server side, and it does not forward the back-end's `/user/*` API.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from phonebook.logs import configure_logging
from phonebook.settings import WebSettings, read_choice
from phonebook.web import views
from phonebook.web.client import ApiClient
from phonebook.web.middleware import RequestContextMiddleware

PACKAGE_DIR = Path(__file__).parent
# Idle connections kept open to the back-end per process. Under load the pool
# grows to MAX_CONNECTIONS. Beyond that, requests wait for a free connection for
# at most the API timeout.
KEEPALIVE_CONNECTIONS = 20
MAX_CONNECTIONS = 100


def create_app(settings: WebSettings | None = None) -> Starlette:
    """Build the front-end app; with no settings, read them and set up logging.

    uvicorn calls this factory in each worker process, so the worker configures
    its own logging from LOG_LEVEL and LOG_FORMAT.
    """
    if settings is None:
        configure_logging(
            read_choice(
                os.environ, "LOG_LEVEL", "info", ("debug", "info", "warning", "error")
            ),
            read_choice(os.environ, "LOG_FORMAT", "json", ("json", "console")),
        )
        settings = WebSettings.from_env()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # One pooled client per process. trust_env=False keeps proxy variables
        # meant for outbound traffic from routing back-end calls through a proxy.
        async with httpx.AsyncClient(
            base_url=settings.api_url,
            timeout=httpx.Timeout(settings.api_timeout),
            limits=httpx.Limits(
                max_connections=MAX_CONNECTIONS,
                max_keepalive_connections=KEEPALIVE_CONNECTIONS,
            ),
            follow_redirects=False,
            trust_env=False,
        ) as http:
            app.state.api = ApiClient(http)
            yield

    app = Starlette(
        routes=[
            Route("/", views.show_index, methods=["GET"]),
            Route("/entries/add", views.add_entry, methods=["POST"]),
            Route("/entries/edit", views.edit_entry, methods=["POST"]),
            Route("/entries/delete", views.delete_entry, methods=["POST"]),
            Route("/status", views.show_status, methods=["GET"]),
            Route("/healthz", views.show_health, methods=["GET"]),
            Route("/favicon.ico", views.no_favicon, methods=["GET"]),
            Mount(
                "/static",
                StaticFiles(directory=PACKAGE_DIR / "static"),
                name="static",
            ),
        ],
        middleware=[Middleware(RequestContextMiddleware)],
        exception_handlers={HTTPException: views.render_http_error},
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.templates = Jinja2Templates(env=build_template_environment())
    return app


def build_template_environment() -> jinja2.Environment:
    # Autoescape every template, whatever its file extension, so that names such
    # as "<script>" always render as text; StrictUndefined turns a misspelled
    # variable into an error instead of an empty string.
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(PACKAGE_DIR / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
