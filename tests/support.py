"""Helpers shared by the test suites: free ports, service processes, test databases."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pymysql

# The MySQL or MariaDB server that tests create their databases in.
MYSQL_TEST_URL = os.environ.get("MYSQL_TEST_URL", "mysql://root@127.0.0.1:3306")
PHONEBOOK = [sys.executable, "-m", "phonebook"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Service:
    """A `phonebook api` or `phonebook web` process listening on loopback."""

    command: list[str]
    env: dict[str, str]
    port: int
    log_path: Path
    process: subprocess.Popen[bytes] | None = None
    log_file: object = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, ready_path: str = "/healthz", timeout: float = 30.0) -> Service:
        log = self.log_path.open("ab")
        self.log_file = log
        self.process = subprocess.Popen(
            self.command, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{' '.join(self.command)} exited with {self.process.returncode}:\n"
                    + self.log_path.read_text(errors="replace")[-3000:]
                )
            try:
                if httpx.get(self.url + ready_path, timeout=1).status_code < 500:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{' '.join(self.command)} did not answer in {timeout} s")

    def stop(self, timeout: float = 15.0) -> int | None:
        """Send SIGTERM, wait for the exit and return the exit status."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if hasattr(self.log_file, "close"):
            self.log_file.close()
        return self.process.returncode

    def logs(self) -> str:
        return self.log_path.read_text(errors="replace")


def service_env(extra: Mapping[str, str]) -> dict[str, str]:
    """Return a clean environment for a service: no inherited phonebook settings."""
    inherited = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DB_", "DATABASE_", "API_", "NODE_", "PROMETHEUS_"))
        and key not in {"PORT", "HOST", "WEB_CONCURRENCY", "LOG_FORMAT", "AUTO_MIGRATE"}
    }
    return {**inherited, "LOG_FORMAT": "json", **extra}


def api_service(tmp_dir: Path, database_url: str, **extra: str) -> Service:
    port = free_port()
    env = service_env({"DATABASE_URL": database_url, "PORT": str(port), **extra})
    return Service(
        [*PHONEBOOK, "api", "--host", "127.0.0.1"],
        env,
        port,
        tmp_dir / f"api-{port}.log",
    )


def web_service(tmp_dir: Path, api_url: str, **extra: str) -> Service:
    port = free_port()
    env = service_env({"API_URL": api_url, "PORT": str(port), **extra})
    return Service(
        [*PHONEBOOK, "web", "--host", "127.0.0.1"],
        env,
        port,
        tmp_dir / f"web-{port}.log",
    )


def mysql_connect(database: str | None = None) -> pymysql.connections.Connection:
    url = httpx.URL(MYSQL_TEST_URL.replace("mysql://", "http://", 1))
    return pymysql.connect(
        host=url.host,
        port=url.port or 3306,
        user=url.username or "root",
        password=url.password or "",
        database=database,
        charset="utf8mb4",
        autocommit=True,
    )


def create_mysql_database(prefix: str = "phonebook_test") -> str:
    """Create a fresh, uniquely named database and return its name."""
    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(3)}"
    with mysql_connect() as connection, connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
    return name


def drop_mysql_database(name: str) -> None:
    with mysql_connect() as connection, connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")


def mysql_database_url(name: str) -> str:
    return f"{MYSQL_TEST_URL.rstrip('/')}/{name}"
