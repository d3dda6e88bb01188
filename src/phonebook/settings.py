"""Settings for both services, read once from the environment at start-up.

Every reader raises :class:`ConfigError` with one line that names the variable, the
value it found and what it expects, so that a misconfigured container stops with a
message an operator can act on.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypeVar
from urllib.parse import urlsplit

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

LogFormat = Literal["json", "console"]
TlsMode = Literal["disabled", "required", "verify"]
T = TypeVar("T", bound=str)

DEFAULT_SQLITE_PATH = "phonebook.db"
# Drivers the back-end runs on: both are asyncio drivers, picked by the URL's backend.
ASYNC_DRIVERS = {"mysql": "asyncmy", "mariadb": "asyncmy", "sqlite": "aiosqlite"}


class ConfigError(Exception):
    """A setting is missing or invalid; the message names the variable."""


class StartupError(Exception):
    """A service cannot start because of something outside its settings."""


def read_int(
    env: Mapping[str, str], name: str, default: int, low: int, high: int
) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(
            f"{name}={raw!r} is not an integer: set a whole number "
            f"from {low} to {high}."
        ) from None
    if not low <= value <= high:
        raise ConfigError(f"{name}={value} is out of range: set {low} to {high}.")
    return value


def read_float(
    env: Mapping[str, str], name: str, default: float, low: float, high: float
) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(
            f"{name}={raw!r} is not a number: set seconds from {low} to {high}."
        ) from None
    if not low <= value <= high:
        raise ConfigError(f"{name}={value} is out of range: set {low} to {high}.")
    return value


def read_bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name}={raw!r} is not a boolean: set true or false.")


def read_choice(
    env: Mapping[str, str], name: str, default: T, choices: tuple[T, ...]
) -> T:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    for choice in choices:
        if raw == choice:
            return choice
    raise ConfigError(f"{name}={raw!r} is invalid: set one of {', '.join(choices)}.")


@dataclass(frozen=True)
class ServerSettings:
    """Listening and logging settings of one service, shared by `api` and `web`."""

    host: str
    port: int
    workers: int
    log_level: str
    log_format: LogFormat

    @classmethod
    def from_env(
        cls,
        env: Mapping[str, str],
        default_port: int,
        # Containers must listen on every interface to be reachable at all.
        default_host: str = "0.0.0.0",  # noqa: S104
    ) -> ServerSettings:
        log_level = read_choice(
            env, "LOG_LEVEL", "info", ("debug", "info", "warning", "error")
        )
        return cls(
            host=env.get("HOST", "").strip() or default_host,
            port=read_int(env, "PORT", default_port, 1, 65535),
            workers=read_int(env, "WEB_CONCURRENCY", 1, 1, 64),
            log_level=log_level,
            log_format=read_choice(env, "LOG_FORMAT", "json", ("json", "console")),
        )


@dataclass(frozen=True)
class ApiSettings:
    """Database and behaviour settings of the back-end."""

    database_url: URL
    db_timeout: float
    db_pool_size: int
    db_tls: TlsMode
    db_tls_ca: Path | None
    auto_migrate: bool

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.get_backend_name() == "sqlite"

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> ApiSettings:
        db_tls: TlsMode = read_choice(
            env, "DB_TLS", "disabled", ("disabled", "required", "verify")
        )
        ca_raw = env.get("DB_TLS_CA", "").strip()
        db_tls_ca = Path(ca_raw) if ca_raw else None
        if db_tls_ca is not None and not db_tls_ca.is_file():
            raise ConfigError(
                f"DB_TLS_CA={ca_raw!r} is not a readable file: "
                "point it at the CA bundle in PEM format."
            )
        return cls(
            database_url=read_database_url(env),
            db_timeout=read_float(env, "DB_TIMEOUT", 2.0, 0.1, 60.0),
            db_pool_size=read_int(env, "DB_POOL_SIZE", 5, 1, 100),
            db_tls=db_tls,
            db_tls_ca=db_tls_ca,
            auto_migrate=read_bool(env, "AUTO_MIGRATE", True),
        )


def read_database_url(env: Mapping[str, str]) -> URL:
    """Build the SQLAlchemy URL from DATABASE_URL, the DB_* variables or the default.

    DATABASE_URL wins when set. Without it, DB_HOST selects MySQL; without either, the
    back-end uses an SQLite file in the working directory so that a local run needs
    no settings.
    """
    raw_url = env.get("DATABASE_URL", "").strip()
    if raw_url:
        try:
            url = make_url(raw_url)
        except ArgumentError:
            raise ConfigError(
                "DATABASE_URL is not a valid URL: use the form "
                "mysql://USER:PASSWORD@HOST:3306/NAME or sqlite:///PATH."
            ) from None
        return with_async_driver(url)

    host = env.get("DB_HOST", "").strip()
    if not host:
        return URL.create("sqlite+aiosqlite", database=DEFAULT_SQLITE_PATH)

    return URL.create(
        "mysql+asyncmy",
        username=env.get("DB_USER", "").strip() or "phonebook",
        password=read_db_password(env),
        host=host,
        port=read_int(env, "DB_PORT", 3306, 1, 65535),
        database=env.get("DB_NAME", "").strip() or "phonebook",
    )


def read_db_password(env: Mapping[str, str]) -> str | None:
    password_file = env.get("DB_PASSWORD_FILE", "").strip()
    if password_file and env.get("DB_PASSWORD"):
        raise ConfigError(
            "DB_PASSWORD and DB_PASSWORD_FILE are both set: keep only one of them."
        )
    if password_file:
        try:
            return Path(password_file).read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as error:
            raise ConfigError(
                f"DB_PASSWORD_FILE={password_file!r} cannot be read "
                f"({error.strerror}): mount the secret file at that path."
            ) from None
    return env.get("DB_PASSWORD") or None


def with_async_driver(url: URL) -> URL:
    """Return `url` with the asyncio driver this project uses for its backend."""
    backend = url.get_backend_name()
    driver = ASYNC_DRIVERS.get(backend)
    if driver is None:
        raise ConfigError(
            f"DATABASE_URL uses the {backend!r} backend: use mysql:// or sqlite://."
        )
    given_driver = url.get_driver_name()
    if "+" in url.drivername and given_driver != driver:
        raise ConfigError(
            f"DATABASE_URL names the {given_driver!r} driver: "
            f"use {backend}+{driver}:// or leave the driver out."
        )
    return url.set(drivername=f"{'mysql' if driver == 'asyncmy' else backend}+{driver}")


@dataclass(frozen=True)
class WebSettings:
    """Settings of the front-end: where the back-end is and how to show the page."""

    api_url: str
    api_timeout: float
    node_hostname: str
    page_size: int
    cookie_secure: bool

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> WebSettings:
        api_url = env.get("API_URL", "").strip() or "http://127.0.0.1:8000"
        parts = urlsplit(api_url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise ConfigError(
                f"API_URL={api_url!r} is not an http(s) URL: "
                "set it to the back-end's base URL, such as http://api:80."
            )
        return cls(
            api_url=api_url.rstrip("/"),
            api_timeout=read_float(env, "API_TIMEOUT", 3.0, 0.1, 60.0),
            node_hostname=env.get("NODE_HOSTNAME", "").strip() or socket.gethostname(),
            page_size=read_int(env, "PAGE_SIZE", 50, 5, 1000),
            cookie_secure=read_bool(env, "COOKIE_SECURE", False),
        )
