"""The `phonebook` command: start the back-end, the front-end, or both locally."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import socket
import sys
import tempfile
from collections.abc import Sequence

import uvicorn

from phonebook.logs import configure_logging
from phonebook.settings import (
    ApiSettings,
    ConfigError,
    ServerSettings,
    StartupError,
    WebSettings,
)

logger = logging.getLogger(__name__)

API_DEFAULT_PORT = 8000
WEB_DEFAULT_PORT = 8080
# Seconds a stopping server waits for requests in flight before closing them.
GRACEFUL_SHUTDOWN_SECONDS = 20
# Seconds an idle keep-alive connection stays open. It must outlast the idle
# timeout of every client that reuses connections: the AWS load balancer keeps
# them 60 s by default and the front-end's httpx pool 5 s. Otherwise the server
# may close a connection just as the client sends on it, and the request fails.
KEEP_ALIVE_SECONDS = 75


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result: int = args.handler(args)
    except ConfigError as error:
        print(f"phonebook: configuration error: {error}", file=sys.stderr)  # noqa: T201
        return 2
    except StartupError as error:
        print(f"phonebook: database error: {error}", file=sys.stderr)  # noqa: T201
        return 1
    return result


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="phonebook",
        description="Run the phonebook's back-end, front-end or both.",
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    api = commands.add_parser("api", help="start the JSON API back-end")
    add_server_options(api, API_DEFAULT_PORT)
    api.add_argument(
        "--no-migrate",
        action="store_true",
        help="skip the schema upgrade at start-up (AUTO_MIGRATE=false does the same)",
    )
    api.set_defaults(handler=run_api)

    web = commands.add_parser("web", help="start the HTML front-end")
    add_server_options(web, WEB_DEFAULT_PORT)
    web.set_defaults(handler=run_web)

    migrate = commands.add_parser(
        "migrate", help="upgrade the database schema and exit"
    )
    migrate.set_defaults(handler=run_migrate)

    dev = commands.add_parser(
        "dev", help="start both services on localhost with an SQLite file"
    )
    dev.add_argument(
        "--port",
        type=int,
        default=WEB_DEFAULT_PORT,
        help=f"front-end port (default {WEB_DEFAULT_PORT})",
    )
    dev.add_argument(
        "--api-port",
        type=int,
        default=API_DEFAULT_PORT,
        help=f"back-end port (default {API_DEFAULT_PORT})",
    )
    dev.set_defaults(handler=run_dev)
    return parser


def add_server_options(parser: argparse.ArgumentParser, default_port: int) -> None:
    parser.add_argument(
        "--host", help="address to listen on (HOST; default 0.0.0.0, every interface)"
    )
    parser.add_argument(
        "--port", type=int, help=f"TCP port (PORT; default {default_port})"
    )
    parser.add_argument(
        "--workers", type=int, help="worker processes (WEB_CONCURRENCY; default 1)"
    )


def server_settings(args: argparse.Namespace, default_port: int) -> ServerSettings:
    env = dict(os.environ)
    for option, variable in (
        ("host", "HOST"),
        ("port", "PORT"),
        ("workers", "WEB_CONCURRENCY"),
    ):
        value = getattr(args, option)
        if value is not None:
            env[variable] = str(value)
    server = ServerSettings.from_env(env, default_port)
    # Worker processes read their settings from the environment, so pass the result on.
    os.environ.update(
        HOST=server.host,
        PORT=str(server.port),
        WEB_CONCURRENCY=str(server.workers),
        LOG_FORMAT=server.log_format,
        LOG_LEVEL=server.log_level,
    )
    return server


def serve(factory: str, server: ServerSettings) -> int:
    if server.workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Several workers share one /metrics view through files in this directory.
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(
            prefix="phonebook-metrics-"
        )
    uvicorn.run(
        factory,
        factory=True,
        host=server.host,
        port=server.port,
        workers=server.workers,
        log_config=None,
        access_log=False,
        server_header=False,
        # Neither service uses the client address, and the front-end reads
        # X-Forwarded-Proto itself, so uvicorn's rewriting from proxy headers is off.
        proxy_headers=False,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )
    return 0


def run_api(args: argparse.Namespace) -> int:
    server = server_settings(args, API_DEFAULT_PORT)
    configure_logging(server.log_level, server.log_format)
    settings = ApiSettings.from_env()
    if settings.auto_migrate and not args.no_migrate:
        from phonebook.api.migrate import upgrade_schema

        asyncio.run(upgrade_schema(settings))
    return serve("phonebook.api.app:create_app", server)


def run_web(args: argparse.Namespace) -> int:
    server = server_settings(args, WEB_DEFAULT_PORT)
    configure_logging(server.log_level, server.log_format)
    WebSettings.from_env()  # Fail here, once, rather than in every worker.
    return serve("phonebook.web.app:create_app", server)


def run_migrate(args: argparse.Namespace) -> int:
    from phonebook.api.migrate import upgrade_schema

    server = ServerSettings.from_env(os.environ, API_DEFAULT_PORT)
    configure_logging(server.log_level, server.log_format)
    asyncio.run(upgrade_schema(ApiSettings.from_env()))
    return 0


def run_dev(args: argparse.Namespace) -> int:
    """Serve back-end and front-end from one process on 127.0.0.1 until Ctrl-C."""
    from phonebook.api.app import create_app as create_api_app
    from phonebook.api.migrate import upgrade_schema
    from phonebook.web.app import create_app as create_web_app

    for option, port in (("--port", args.port), ("--api-port", args.api_port)):
        if not port_is_free(port):
            raise ConfigError(
                f"port {port} on 127.0.0.1 is in use: stop the program using it "
                f"or choose another with {option}."
            )
    configure_logging(os.environ.get("LOG_LEVEL", "info"), "console")
    api_settings = ApiSettings.from_env()
    asyncio.run(upgrade_schema(api_settings))
    web_env = dict(os.environ, API_URL=f"http://127.0.0.1:{args.api_port}")
    web_settings = WebSettings.from_env(web_env)

    api_server = uvicorn.Server(
        uvicorn.Config(
            create_api_app(api_settings),
            host="127.0.0.1",
            port=args.api_port,
            log_config=None,
            access_log=False,
        )
    )
    web_server = uvicorn.Server(
        uvicorn.Config(
            create_web_app(web_settings),
            host="127.0.0.1",
            port=args.port,
            log_config=None,
            access_log=False,
        )
    )

    async def serve_both() -> None:
        api_task = asyncio.create_task(api_server.serve())
        web_task = asyncio.create_task(web_server.serve())
        while not (api_server.started and web_server.started):
            if api_task.done() or web_task.done():
                break
            await asyncio.sleep(0.05)
        else:
            print(  # noqa: T201
                f"\nPhonebook is running at http://127.0.0.1:{args.port}/ "
                f"(API at http://127.0.0.1:{args.api_port}/docs). "
                "Press Ctrl-C to stop.\n",
                flush=True,
            )
        # Either server stopping (Ctrl-C, or a port already in use) stops the other.
        await asyncio.wait({api_task, web_task}, return_when=asyncio.FIRST_COMPLETED)
        api_server.should_exit = web_server.should_exit = True
        await asyncio.gather(api_task, web_task, return_exceptions=True)

    asyncio.run(serve_both())
    return 0


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


if __name__ == "__main__":
    sys.exit(main())
