"""Load the Terraform configuration under deploy/ with python-hcl2."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import hcl2

REPO_ROOT = Path(__file__).resolve().parents[2]
DEPLOY_DIR = REPO_ROOT / "deploy"
MODULES_DIR = DEPLOY_DIR / "modules"
BOOTSTRAP_DIR = DEPLOY_DIR / "bootstrap"

# python-hcl2 marks these keys itself; they are not Terraform arguments.
PARSER_KEYS = {"__is_block__", "__comments__", "__inline_comments__"}


def unquote(text: str) -> str:
    if len(text) >= 2 and text.startswith('"') and text.endswith('"'):
        return text[1:-1]
    return text


def clean(value: Any) -> Any:
    """Strip python-hcl2's quotes and markers so values compare as plain data."""
    if isinstance(value, dict):
        return {unquote(k): clean(v) for k, v in value.items() if k not in PARSER_KEYS}
    if isinstance(value, list):
        return [clean(item) for item in value]
    if isinstance(value, str):
        return unquote(value)
    return value


def parse_file(path: Path) -> dict[str, Any]:
    with path.open() as handle:
        parsed: dict[str, Any] = hcl2.load(handle)
    return parsed


def load_raw(directory: Path) -> dict[str, list[dict[str, Any]]]:
    """Return the parsed top-level blocks of every .tf file in a directory."""
    merged: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(directory.glob("*.tf")):
        for key, blocks in parse_file(path).items():
            merged.setdefault(key, []).extend(blocks)
    return merged


class Config:
    """One Terraform module: its resources, data sources, variables and more."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.raw = load_raw(directory)
        self.resources = self._labelled("resource")
        self.data = self._labelled("data")
        self.variables = self._named("variable")
        self.outputs = self._named("output")
        self.modules = self._named("module")
        self.locals: dict[str, Any] = {}
        for block in self.raw.get("locals", []):
            self.locals.update(clean(block))

    def _labelled(self, key: str) -> dict[str, dict[str, Any]]:
        result: dict[str, dict[str, Any]] = {}
        for block in self.raw.get(key, []):
            for type_name, instances in clean(block).items():
                result.setdefault(type_name, {}).update(instances)
        return result

    def _named(self, key: str) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for block in self.raw.get(key, []):
            result.update(clean(block))
        return result

    def resource(self, type_name: str, name: str) -> dict[str, Any]:
        body: dict[str, Any] = self.resources[type_name][name]
        return body

    def text(self) -> str:
        return "\n".join(p.read_text() for p in sorted(self.directory.glob("*.tf")))


def config(module: str | None = None) -> Config:
    """Return the root configuration, or the local module of that name."""
    return Config(DEPLOY_DIR if module is None else MODULES_DIR / module)


def all_config_dirs() -> list[Path]:
    """Return every directory with .tf files: root, bootstrap and each module."""
    dirs = [DEPLOY_DIR, BOOTSTRAP_DIR]
    dirs += sorted(p for p in MODULES_DIR.iterdir() if p.is_dir())
    return dirs


def block(body: dict[str, Any], *path: str) -> dict[str, Any]:
    """Return the single nested block at path, such as ("ebs",) in a mapping."""
    current: Any = body
    for name in path:
        items = current[name]
        assert isinstance(items, list), f"{name} is not a block"
        assert len(items) == 1, f"expected one {name} block, found {len(items)}"
        current = items[0]
    assert isinstance(current, dict)
    return current
