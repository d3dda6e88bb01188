"""Build the api and web images with podman, run them against the host's
MariaDB server, and stop them the way `docker stop` does.

CI has no Docker engine and reaches no container registry, so:

- podman builds and runs the images, with the runc runtime and explicit
  ulimits because crun and podman's default limits fail on some hosts;
- the python:3.11.x-slim-bookworm base is a stand-in that
  scripts/setup-container-tools.sh builds with debootstrap from Debian 12
  and its python3 (3.11, the same minor version as the real base), tagged
  with the name the Dockerfiles use, so the build runs with --pull=never;
- pip inside the build reads a package index served from 127.0.0.1 that
  holds the locked wheels, downloaded beforehand with --require-hashes. The
  Dockerfiles take it through the PIP_INDEX_URL build argument, whose
  default is PyPI, so a normal Docker build is unchanged.

The containers use slirp4netns, whose address 10.0.2.2 reaches the host's
loopback interface (MariaDB), and publish their port 80 on 127.0.0.1 only.
Docker sets net.ipv4.ip_unprivileged_port_start=0 in every container by
default, so the unprivileged user can listen on port 80. Podman 4.3 does
not, so these tests pass the same sysctl themselves.
"""

from __future__ import annotations

import hashlib
import html
import logging
import re
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from http.server import (
    BaseHTTPRequestHandler,
    SimpleHTTPRequestHandler,
    ThreadingHTTPServer,
)
from pathlib import Path

import httpx
import pytest

from tests.docker.dockerfiles import REPO, SETUP_SCRIPT, dockerfile
from tests.docker.mariadb import (
    MYSQL_HOST,
    MYSQL_PORT,
    create_database,
    drop_database_and_user,
    new_app_user,
    run_init_script,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("podman") is None,
        reason=f"podman is not installed: run {SETUP_SCRIPT}",
    ),
]

logger = logging.getLogger(__name__)

PODMAN = ["podman", "--runtime", "runc"]
LIMITS = ["--ulimit", "nofile=1024:1024", "--ulimit", "nproc=4096:4096"]
# slirp4netns maps this address inside the container to the host's 127.0.0.1.
HOST_LOOPBACK_FROM_CONTAINER = "10.0.2.2"
NODE_HOSTNAME = "docker-test-node"
STARTUP_TIMEOUT_SECONDS = 90.0
# `docker stop` waits 10 seconds before SIGKILL; a clean stop takes far less.
MAX_STOP_SECONDS = 10.0
# Podman waits this long before SIGKILL, so a slow stop shows up as slow
# rather than as exit code 137.
STOP_TIMEOUT_SECONDS = 30
CLEAN_EXIT_CODES = {0, 143}


def podman(*arguments: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*PODMAN, *arguments],
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def write_simple_index(wheels: Path, root: Path) -> None:
    """Lay out downloaded wheels as a PEP 503 simple index under root."""
    for wheel in sorted(wheels.glob("*.whl")):
        project = re.sub(r"[-_.]+", "-", wheel.name.split("-")[0]).lower()
        folder = root / project
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy2(wheel, folder / wheel.name)
    for folder in root.iterdir():
        links = []
        for wheel in sorted(folder.glob("*.whl")):
            digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
            name = html.escape(wheel.name)
            links.append(f'<a href="{name}#sha256={digest}">{name}</a><br>')
        body = "\n".join(links)
        (folder / "index.html").write_text(
            f"<!DOCTYPE html>\n<html><body>\n{body}\n</body></html>\n"
        )


def pip_download(target: Path, *arguments: str) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--only-binary=:all:",
            "--dest",
            str(target),
            *arguments,
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, f"pip download failed:\n{result.stderr[-3000:]}"


@pytest.fixture(scope="module")
def package_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the locked wheels, plus the project's build backend, on 127.0.0.1."""
    wheels = tmp_path_factory.mktemp("wheels")
    pip_download(
        wheels, "--require-hashes", "-r", str(REPO / "requirements" / "app.txt")
    )
    build_requires = tomllib.loads((REPO / "pyproject.toml").read_text())[
        "build-system"
    ]["requires"]
    pip_download(wheels, *build_requires)

    root = tmp_path_factory.mktemp("index")
    write_simple_index(wheels, root / "simple")
    handler = partial(QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/simple"
    server.shutdown()
    server.server_close()


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves the index without logging each request to stderr."""

    def log_message(self, *args: object) -> None:
        pass


@dataclass
class Image:
    service: str
    tag: str
    build_seconds: float
    size_bytes: int


def stand_in_base() -> str:
    image = dockerfile("api").all("FROM")[0].arguments.split()[0]
    return f"docker.io/library/{image}"


@pytest.fixture(scope="module")
def images(package_index: str) -> Iterator[dict[str, Image]]:
    base = stand_in_base()
    if podman("image", "exists", base).returncode != 0:
        pytest.fail(f"the stand-in base image {base} is missing: run {SETUP_SCRIPT}")
    if not (REPO / "README.md").is_file():
        pytest.fail("README.md is missing: pyproject.toml names it, so the build fails")

    built = {}
    for service in ("api", "web"):
        tag = f"localhost/phonebook-{service}:docker-test"
        started = time.monotonic()
        result = podman(
            "build", "--pull=never", "--format", "docker", *LIMITS,
            "--network", "host",
            "--build-arg", f"PIP_INDEX_URL={package_index}",
            "--file", str(REPO / "docker" / service / "Dockerfile"),
            "--tag", tag,
            str(REPO),
            timeout=900,
        )  # fmt: skip
        seconds = time.monotonic() - started
        output = result.stdout[-4000:] + result.stderr[-4000:]
        assert result.returncode == 0, f"podman build of {service} failed:\n{output}"
        size = int(
            podman("image", "inspect", "--format", "{{.Size}}", tag).stdout.strip()
        )
        logger.info("built %s in %.1f s, %.0f MB", tag, seconds, size / 1e6)
        built[service] = Image(service, tag, seconds, size)
    yield built

    # Each source change leaves a new venv layer of about 190 MB behind, so
    # the images and the untagged layers of their builds are removed. The
    # stand-in base keeps its tag and stays.
    for image in built.values():
        podman("rmi", "--force", image.tag)
    podman("image", "prune", "--force")


@pytest.fixture(scope="module")
def app_database(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, str, Path]]:
    """Create a database and its least-privilege user with the db init script."""
    name = create_database()
    user, password = new_app_user()
    folder = tmp_path_factory.mktemp("secrets")
    secret = folder / "db_password"
    secret.write_text(password + "\n")
    # The api's user (uid 10001) must read the file, as with Compose secrets.
    secret.chmod(0o644)
    try:
        result = run_init_script(name, user, secret)
        assert result.returncode == 0, result.stderr
        yield name, user, secret
    finally:
        drop_database_and_user(name, user)


@dataclass
class Container:
    name: str
    url: str


def run_container(image: Image, environment: dict[str, str], *extra: str) -> Container:
    name = f"phonebook-{image.service}-test-{secrets.token_hex(3)}"
    port = free_port()
    options = [
        "run", "--detach", "--pull=never", "--name", name, *LIMITS,
        "--network", "slirp4netns:allow_host_loopback=true",
        "--sysctl", "net.ipv4.ip_unprivileged_port_start=0",
        "--publish", f"127.0.0.1:{port}:80",
        # The same restrictions as in compose.yaml.
        "--read-only", "--tmpfs", "/tmp", "--cap-drop", "ALL",  # noqa: S108
        "--security-opt", "no-new-privileges",
    ]  # fmt: skip
    for key, value in environment.items():
        options += ["--env", f"{key}={value}"]
    result = podman(*options, *extra, image.tag)
    assert result.returncode == 0, result.stderr
    return Container(name, f"http://127.0.0.1:{port}")


def wait_until_live(container: Container) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{container.url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        state = podman("inspect", "--format", "{{.State.Status}}", container.name)
        if state.stdout.strip() == "exited":
            break
        time.sleep(0.5)
    logs = podman("logs", container.name)
    output = logs.stdout[-3000:] + logs.stderr[-3000:]
    pytest.fail(f"{container.name} did not answer /healthz:\n{output}")


def remove_container(container: Container) -> None:
    podman("rm", "--force", "--time", "0", container.name)


def container_host(host: str) -> str:
    return HOST_LOOPBACK_FROM_CONTAINER if host in {"127.0.0.1", "localhost"} else host


@pytest.fixture(scope="module")
def api(
    images: dict[str, Image], app_database: tuple[str, str, Path]
) -> Iterator[Container]:
    name, user, secret = app_database
    environment = {
        "DB_HOST": container_host(MYSQL_HOST),
        "DB_PORT": str(MYSQL_PORT),
        "DB_NAME": name,
        "DB_USER": user,
        "DB_PASSWORD_FILE": "/run/secrets/db_password",
        "LOG_FORMAT": "json",
    }
    container = run_container(
        images["api"], environment, "--volume", f"{secret}:/run/secrets/db_password:ro"
    )
    try:
        wait_until_live(container)
        yield container
    finally:
        remove_container(container)


@pytest.fixture(scope="module")
def web(images: dict[str, Image], api: Container) -> Iterator[Container]:
    api_port = api.url.rsplit(":", 1)[1]
    environment = {
        "API_URL": f"http://{HOST_LOOPBACK_FROM_CONTAINER}:{api_port}",
        "NODE_HOSTNAME": NODE_HOSTNAME,
        "LOG_FORMAT": "json",
    }
    container = run_container(images["web"], environment)
    try:
        wait_until_live(container)
        yield container
    finally:
        remove_container(container)


def test_api_status_reaches_database(api: Container) -> None:
    response = httpx.get(f"{api.url}/status", timeout=5)
    assert response.status_code == 200
    assert response.json() == {"status": "OK"}


def test_api_healthz_returns_200(api: Container) -> None:
    assert httpx.get(f"{api.url}/healthz", timeout=5).status_code == 200


def test_web_page_shows_node_hostname(web: Container) -> None:
    response = httpx.get(f"{web.url}/", timeout=5)
    assert response.status_code == 200
    assert "text/html" in response.headers["content-type"]
    assert NODE_HOSTNAME in response.text


def test_web_status_and_healthz(web: Container) -> None:
    assert httpx.get(f"{web.url}/status", timeout=5).status_code == 200
    assert httpx.get(f"{web.url}/healthz", timeout=5).status_code == 200


@pytest.mark.parametrize("service", ["api", "web"])
def test_image_healthcheck_passes(api: Container, web: Container, service: str) -> None:
    container = api if service == "api" else web
    result = podman("healthcheck", "run", container.name)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("service", ["api", "web"])
def test_server_runs_as_uid_10001(api: Container, web: Container, service: str) -> None:
    container = api if service == "api" else web
    result = podman("top", container.name, "user", "args")
    assert result.returncode == 0, result.stderr
    rows = result.stdout.splitlines()[1:]
    servers = [row for row in rows if "phonebook" in row]
    assert servers, result.stdout
    for row in servers:
        assert row.split()[0] == "phonebook"
    uid = podman("exec", container.name, "id", "-u", "phonebook")
    assert uid.stdout.strip() == "10001", uid.stderr


@pytest.mark.parametrize("service", ["api", "web"])
def test_image_leaves_build_inputs_behind(
    images: dict[str, Image], service: str
) -> None:
    paths = "('/build', '/tmp/requirements', '/root/.cache/pip')"
    probe = f"import os; print([p for p in {paths} if os.path.exists(p)])"
    result = podman(
        "run", "--rm", "--pull=never", *LIMITS, "--network", "none",
        "--entrypoint", "python", images[service].tag, "-c", probe,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("service", ["api", "web"])
def test_image_config_has_no_secret(images: dict[str, Image], service: str) -> None:
    result = podman(
        "image", "inspect", "--format", "{{json .Config.Env}}", images[service].tag
    )
    assert result.returncode == 0, result.stderr
    assert not re.search(r"PASSWORD|SECRET|TOKEN", result.stdout)
    history = podman(
        "history", "--no-trunc", "--format", "{{.CreatedBy}}", images[service].tag
    )
    assert not re.search(r"PASSWORD=|SECRET=|TOKEN=", history.stdout)


def stop_container(container: Container) -> tuple[int, float]:
    """Stop as `docker stop` does (SIGTERM) and return the exit code and seconds."""
    started = time.monotonic()
    result = podman(
        "stop", "--time", str(STOP_TIMEOUT_SECONDS), container.name, timeout=60
    )
    seconds = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    code = podman("inspect", "--format", "{{.State.ExitCode}}", container.name)
    return int(code.stdout.strip()), seconds


# Seconds the stand-in back-end below delays each /user/list response.
SLOW_LIST_SECONDS = 3.0


class SlowBackendHandler(BaseHTTPRequestHandler):
    """A back-end that returns no entries from /user/list, slowly.

    The front-end's page waits on that request, which keeps a request in
    flight while the test stops the front-end's container.
    """

    list_requested: threading.Event

    def do_GET(self) -> None:
        if self.path.startswith("/user/list"):
            self.list_requested.set()
            time.sleep(SLOW_LIST_SECONDS)
            body = b"[]"
        else:
            body = b'{"status":"OK"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_web_finishes_request_in_flight(images: dict[str, Image]) -> None:
    list_requested = threading.Event()
    handler = type("Handler", (SlowBackendHandler,), {"list_requested": list_requested})
    backend = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=backend.serve_forever, daemon=True).start()
    environment = {
        "API_URL": f"http://{HOST_LOOPBACK_FROM_CONTAINER}:{backend.server_address[1]}",
        "API_TIMEOUT": str(SLOW_LIST_SECONDS * 3),
        "NODE_HOSTNAME": NODE_HOSTNAME,
    }
    container = run_container(images["web"], environment)
    responses: list[httpx.Response | Exception] = []

    def fetch_page() -> None:
        try:
            responses.append(httpx.get(f"{container.url}/", timeout=30))
        except httpx.HTTPError as error:
            responses.append(error)

    try:
        wait_until_live(container)
        client = threading.Thread(target=fetch_page)
        client.start()
        assert list_requested.wait(timeout=10), "the page never called /user/list"
        exit_code, seconds = stop_container(container)
        client.join(timeout=30)
    finally:
        remove_container(container)
        backend.shutdown()
        backend.server_close()

    logger.info(
        "web stopped with a request in flight in %.2f s, exit code %d",
        seconds,
        exit_code,
    )
    assert len(responses) == 1
    response = responses[0]
    assert isinstance(response, httpx.Response), (
        f"request in flight failed: {response!r}"
    )
    assert response.status_code == 200
    assert NODE_HOSTNAME in response.text
    assert exit_code in CLEAN_EXIT_CODES
    # The server waited for the slow request rather than dropping it.
    assert seconds > SLOW_LIST_SECONDS / 2
    assert seconds < MAX_STOP_SECONDS + SLOW_LIST_SECONDS


# The stop tests come last: the fixtures' containers are not restarted.
def test_web_stops_cleanly_on_sigterm(web: Container) -> None:
    exit_code, seconds = stop_container(web)
    logger.info("web stopped in %.2f s with exit code %d", seconds, exit_code)
    assert exit_code in CLEAN_EXIT_CODES
    assert seconds < MAX_STOP_SECONDS


def test_api_stops_cleanly_on_sigterm(api: Container) -> None:
    exit_code, seconds = stop_container(api)
    logger.info("api stopped in %.2f s with exit code %d", seconds, exit_code)
    assert exit_code in CLEAN_EXIT_CODES
    assert seconds < MAX_STOP_SECONDS
