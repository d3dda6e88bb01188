"""Start real `phonebook api` and `phonebook web` processes on loopback ports.

Each process writes its log to a file, and a start-up failure raises with the end
of that log, so that a broken server explains itself in the test report.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

START_TIMEOUT_SECONDS = 30.0
STOP_TIMEOUT_SECONDS = 10.0
LOG_TAIL_CHARACTERS = 4000


@dataclass
class Server:
    """A running server process and the base URL it listens on."""

    process: subprocess.Popen[bytes]
    url: str
    log_path: Path

    def log_tail(self) -> str:
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return text[-LOG_TAIL_CHARACTERS:]

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(STOP_TIMEOUT_SECONDS)


def free_port() -> int:
    """Return a loopback TCP port that was free a moment ago."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def closed_port_url() -> str:
    """Return a loopback URL on which nothing listens, for a back-end that is down."""
    return f"http://127.0.0.1:{free_port()}"


def base_environment(port: int) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("API_URL", "DATABASE_URL", "DB_HOST", "PROMETHEUS_MULTIPROC_DIR"):
        env.pop(name, None)
    env.update(
        HOST="127.0.0.1",
        PORT=str(port),
        WEB_CONCURRENCY="1",
        LOG_FORMAT="console",
        LOG_LEVEL="info",
    )
    return env


def start_process(
    command: str, env: dict[str, str], port: int, log_path: Path, ready_path: str
) -> Server:
    """Run `python -m phonebook COMMAND` and wait until `ready_path` responds."""
    url = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "phonebook", command],
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    server = Server(process=process, url=url, log_path=log_path)

    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"phonebook {command} exited with status {process.returncode} "
                f"during start-up:\n{server.log_tail()}"
            )
        try:
            httpx.get(url + ready_path, timeout=1.0)
        except httpx.TransportError:
            time.sleep(0.1)
            continue
        return server

    server.stop()
    raise RuntimeError(
        f"phonebook {command} did not respond on {url} within "
        f"{START_TIMEOUT_SECONDS:.0f} s:\n{server.log_tail()}"
    )


def start_api(directory: Path) -> Server:
    """Start a back-end on a fresh SQLite file in `directory`."""
    port = free_port()
    env = base_environment(port)
    env["DATABASE_URL"] = f"sqlite:///{directory / 'pb.db'}"
    return start_process("api", env, port, directory / "api.log", "/healthz")


def start_web(
    api_url: str, node_hostname: str, directory: Path, page_size: int = 5
) -> Server:
    """Start a front-end that calls the back-end at `api_url`.

    The small default page size lets a test reach page 2 with a handful of rows.
    """
    port = free_port()
    env = base_environment(port)
    env.update(
        API_URL=api_url,
        NODE_HOSTNAME=node_hostname,
        API_TIMEOUT="2",
        PAGE_SIZE=str(page_size),
    )
    log_path = directory / f"web-{port}.log"
    return start_process("web", env, port, log_path, "/static/style.css")
