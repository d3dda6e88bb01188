"""Static checks of docker/api, docker/web and docker/db, one test per rule.

The db image (FROM mysql:8.4.x) is checked only here: no container registry
is reachable from CI, so its base image cannot be pulled and it is never
built. Its init script runs for real in test_db_init.py.
"""

from __future__ import annotations

import re
import subprocess

import pytest

from tests.docker.dockerfiles import (
    DOCKER_DIR,
    REPO,
    SETUP_SCRIPT,
    Dockerfile,
    Instruction,
    dockerfile,
    hadolint_binary,
    is_excluded_from_context,
)

APP_SERVICES = ["api", "web"]
ALL_SERVICES = ["api", "web", "db"]

# python:3.11.<patch>-slim-bookworm, optionally with a digest.
PYTHON_BASE = re.compile(r"^python:3\.11\.\d+-slim-bookworm(@sha256:[0-9a-f]{64})?$")
MYSQL_BASE = re.compile(r"^mysql:8\.4\.\d+(@sha256:[0-9a-f]{64})?$")
SECRET_NAME = re.compile(
    r"PASSWORD|SECRET|TOKEN|PRIVATE|CREDENTIAL|API_KEY", re.IGNORECASE
)


def base_images(file: Dockerfile) -> list[str]:
    return [instruction.arguments.split()[0] for instruction in file.all("FROM")]


def copy_sources(copy: Instruction) -> list[str]:
    """Return the source paths of a COPY or ADD, without its flags."""
    tokens = copy.arguments.split()[:-1]
    return [token for token in tokens if not token.startswith("--")]


def variable_names(file: Dockerfile, keyword: str) -> list[str]:
    """Return the names that ENV or ARG instructions set."""
    names = []
    for instruction in file.all(keyword):
        for token in instruction.arguments.split():
            names.append(token.split("=", 1)[0])
    return names


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_base_image_exact_tag(service: str) -> None:
    images = base_images(dockerfile(service))
    assert images, f"docker/{service}/Dockerfile has no FROM"
    for image in images:
        assert PYTHON_BASE.match(image), f"{image!r} is not python:3.11.N-slim-bookworm"


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_build_is_multi_stage(service: str) -> None:
    file = dockerfile(service)
    assert len(file.stages()) >= 2
    copies_from_build = [
        instruction
        for instruction in file.final_stage()
        if instruction.keyword == "COPY" and "--from=build" in instruction.arguments
    ]
    assert copies_from_build, "the runtime stage copies nothing from the build stage"


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_lock_installed_before_source(service: str) -> None:
    file = dockerfile(service)
    copy_lock = file.index_of("COPY", r"requirements/app\.txt")
    install_lock = file.index_of("RUN", r"pip install .*-r /tmp/requirements/app\.txt")
    copy_source = file.index_of("COPY", r"^src ")
    install_project = file.index_of("RUN", r"pip install --no-deps /build")
    assert copy_lock < install_lock
    assert install_lock < copy_source
    assert copy_source < install_project


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_lock_install_requires_hashes(service: str) -> None:
    file = dockerfile(service)
    install = file.instructions[file.index_of("RUN", r"-r /tmp/requirements/app\.txt")]
    assert "--require-hashes" in install.arguments
    assert "--no-deps" in install.arguments
    assert "--only-binary=:all:" in install.arguments


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_runs_as_non_root(service: str) -> None:
    users = [
        instruction
        for instruction in dockerfile(service).final_stage()
        if instruction.keyword == "USER"
    ]
    assert users, "the runtime stage sets no USER"
    user = users[-1].arguments.split(":")[0]
    assert user not in {"root", "0"}


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_start_command_exec_form(service: str) -> None:
    file = dockerfile(service)
    entrypoint = file.all("ENTRYPOINT")[-1].exec_form()
    command = file.all("CMD")[-1].exec_form()
    assert entrypoint is not None, "ENTRYPOINT is in shell form"
    assert command is not None, "CMD is in shell form"
    assert entrypoint + command == ["phonebook", service]


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_listens_on_port_80(service: str) -> None:
    file = dockerfile(service)
    env = " ".join(
        instruction.arguments
        for instruction in file.final_stage()
        if instruction.keyword == "ENV"
    )
    assert re.search(r"(^|\s)PORT=80(\s|$)", env), (
        "the runtime stage does not set PORT=80"
    )
    assert [instruction.arguments for instruction in file.all("EXPOSE")] == ["80"]


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_port_80_comment_names_sysctl(service: str) -> None:
    user = dockerfile(service).all("USER")[-1]
    comment = " ".join(user.comment)
    assert "ip_unprivileged_port_start" in comment


@pytest.mark.parametrize("service", ALL_SERVICES)
def test_healthcheck_needs_no_curl(service: str) -> None:
    file = dockerfile(service)
    checks = file.all("HEALTHCHECK")
    assert len(checks) == 1
    command = checks[0].exec_form()
    assert command is not None, "HEALTHCHECK CMD is in shell form"
    assert "curl" not in checks[0].arguments
    assert "wget" not in checks[0].arguments
    if service == "db":
        assert command[0] == "mysqladmin"
    else:
        assert command[:2] == ["python", "-c"]
        assert "urllib.request" in command[2]
        assert "http://127.0.0.1:" in command[2]
        assert "/healthz" in command[2]


@pytest.mark.parametrize("service", ALL_SERVICES)
def test_stop_signal_is_sigterm(service: str) -> None:
    signals = [
        instruction.arguments for instruction in dockerfile(service).all("STOPSIGNAL")
    ]
    assert signals == ["SIGTERM"]


@pytest.mark.parametrize("service", ALL_SERVICES)
def test_no_secret_in_any_layer(service: str) -> None:
    file = dockerfile(service)
    for keyword in ("ENV", "ARG"):
        for name in variable_names(file, keyword):
            assert not SECRET_NAME.search(name), (
                f"{keyword} {name} would store a secret"
            )
    for copy in file.all("COPY") + file.all("ADD"):
        for source in copy_sources(copy):
            assert ".env" not in source
            assert "secrets" not in source
    assert "--mount=type=secret" not in file.text


@pytest.mark.parametrize("service", ALL_SERVICES)
def test_every_step_has_why_comment(service: str) -> None:
    # Instructions directly below another one, with no blank line between,
    # share the comment above the first of them.
    for instruction in dockerfile(service).instructions:
        if instruction.starts_paragraph:
            assert instruction.comment, (
                f"docker/{service}/Dockerfile:{instruction.line}: "
                f"{instruction.keyword} has no comment above it"
            )


def test_hadolint_reports_nothing() -> None:
    hadolint = hadolint_binary()
    if hadolint is None:
        pytest.fail(f"hadolint is not installed: run {SETUP_SCRIPT}")
    paths = [str(DOCKER_DIR / service / "Dockerfile") for service in ALL_SERVICES]
    result = subprocess.run(
        [str(hadolint), "--failure-threshold", "warning", *paths],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "", "hadolint reported info-level findings"


def test_db_base_image_exact_tag() -> None:
    images = base_images(dockerfile("db"))
    assert len(images) == 1
    assert MYSQL_BASE.match(images[0]), f"{images[0]!r} is not mysql:8.4.N"


def test_db_runs_as_non_root() -> None:
    users = [instruction.arguments for instruction in dockerfile("db").all("USER")]
    assert users, "docker/db/Dockerfile sets no USER"
    assert users[-1].split(":")[0] not in {"root", "0"}


def test_db_server_defaults_utf8mb4() -> None:
    file = dockerfile("db")
    copy = file.instructions[file.index_of("COPY", r"/etc/mysql/conf\.d/")]
    source = copy.arguments.split()[-2]
    config = (REPO / source).read_text()
    assert re.search(r"^character-set-server\s*=\s*utf8mb4$", config, re.MULTILINE)
    assert re.search(r"^collation-server\s*=\s*utf8mb4_\w+$", config, re.MULTILINE)
    assert "--chmod=0644" in copy.arguments, "mysqld skips world-writable option files"


def test_db_allows_triggers_without_super() -> None:
    # The schema migrations create triggers as the application user.
    config = (DOCKER_DIR / "db" / "conf.d" / "phonebook.cnf").read_text()
    pattern = r"^log_bin_trust_function_creators\s*=\s*(ON|1)$"
    assert re.search(pattern, config, re.MULTILINE)


def test_db_init_script_least_privilege() -> None:
    file = dockerfile("db")
    copy = file.instructions[file.index_of("COPY", r"/docker-entrypoint-initdb\.d/")]
    script = (REPO / copy.arguments.split()[-2]).read_text()
    grant = re.search(r"GRANT (?P<rights>[A-Z, \n]+?)\s+ON (?P<scope>\S+)", script)
    assert grant, "the init script grants nothing"
    rights = {right.strip() for right in grant["rights"].split(",")}
    assert "ALL" not in rights
    assert not {"SUPER", "FILE", "PROCESS", "GRANT OPTION", "CREATE USER"} & rights
    assert grant["scope"] == r"\`$database\`.*", (
        "the grant is not limited to one database"
    )
    assert "WITH GRANT OPTION" not in script


def test_db_passwords_only_at_run_time() -> None:
    file = dockerfile("db")
    assert not file.all("ARG")
    assert "PASSWORD=" not in file.text
    script = (DOCKER_DIR / "db" / "initdb" / "10-create-app-user.sh").read_text()
    assert "PHONEBOOK_DB_PASSWORD_FILE" in script


@pytest.mark.parametrize(
    "path",
    [
        ".env",
        ".env.local",
        ".git/config",
        ".venv/bin/python",
        "docker/secrets/db_password",
        "phonebook.db",
        "requirements/test.txt",
        "src/phonebook/__pycache__/cli.cpython-311.pyc",
        "tests/conftest.py",
        "deploy/README.md",
    ],
)
def test_dockerignore_excludes(path: str) -> None:
    assert is_excluded_from_context(path)


@pytest.mark.parametrize(
    "path",
    [
        "pyproject.toml",
        "README.md",
        "requirements/app.txt",
        "src/phonebook/cli.py",
        "docker/db/conf.d/phonebook.cnf",
        "docker/db/initdb/10-create-app-user.sh",
    ],
)
def test_dockerignore_keeps_build_inputs(path: str) -> None:
    assert not is_excluded_from_context(path)


@pytest.mark.parametrize("service", ALL_SERVICES)
def test_copy_sources_in_build_context(service: str) -> None:
    file = dockerfile(service)
    for copy in file.all("COPY"):
        if "--from=" in copy.arguments:
            continue
        for source in copy_sources(copy):
            assert not is_excluded_from_context(source), f"{source} is in .dockerignore"


def test_healthcheck_script_is_valid_python() -> None:
    for service in APP_SERVICES:
        command = dockerfile(service).all("HEALTHCHECK")[0].exec_form()
        assert command is not None
        compile(command[2], f"docker/{service}/Dockerfile HEALTHCHECK", "exec")
