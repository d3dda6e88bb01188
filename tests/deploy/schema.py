"""Check Terraform configuration against the AWS provider schema.

The schema (tests/deploy/aws_schema.json.gz) lists, for every resource and
data source type of the AWS provider 6.69.1, its arguments, which of them are
required, and its nested blocks. build_aws_schema.py derives it from the
cdktn-provider-aws 25.8.1 jsii assembly.
"""

from __future__ import annotations

import gzip
import json
from functools import cache
from pathlib import Path
from typing import Any

from tests.deploy.hcl import load_raw, unquote

SCHEMA_PATH = Path(__file__).with_name("aws_schema.json.gz")

# Terraform's own meta-arguments, valid on every resource or data source.
RESOURCE_META_ARGUMENTS = {"count", "for_each", "depends_on", "provider"}
RESOURCE_META_BLOCKS = {"lifecycle", "provisioner", "connection"}
DATA_META_BLOCKS = {"lifecycle"}
LIFECYCLE_ARGUMENTS = {
    "create_before_destroy",
    "prevent_destroy",
    "ignore_changes",
    "replace_triggered_by",
}
LIFECYCLE_BLOCKS = {"precondition", "postcondition"}
DYNAMIC_ARGUMENTS = {"for_each", "iterator", "labels"}
MODULE_META_ARGUMENTS = {
    "source",
    "version",
    "count",
    "for_each",
    "depends_on",
    "providers",
}
MARKERS = {"__is_block__", "__comments__", "__inline_comments__"}


@cache
def provider_schema() -> dict[str, Any]:
    with gzip.open(SCHEMA_PATH) as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


def is_block(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) > 0
        and all(isinstance(item, dict) and item.get("__is_block__") for item in value)
    )


def check_lifecycle(where: str, body: dict[str, Any]) -> list[str]:
    errors = []
    for key, value in body.items():
        if key in MARKERS:
            continue
        if key in LIFECYCLE_BLOCKS and is_block(value):
            continue
        if key not in LIFECYCLE_ARGUMENTS or is_block(value):
            errors.append(f"{where}: lifecycle has no {key!r}")
    return errors


def check_body(
    where: str,
    body: dict[str, Any],
    schema: dict[str, Any],
    meta_arguments: set[str] = frozenset(),  # type: ignore[assignment]
    meta_blocks: set[str] = frozenset(),  # type: ignore[assignment]
) -> list[str]:
    """Return one message per unknown, misplaced or missing argument or block."""
    if schema.get("unchecked"):
        return []
    errors: list[str] = []
    arguments: dict[str, bool] = schema["args"]
    blocks: dict[str, Any] = schema["blocks"]
    seen: set[str] = set()

    for key, value in body.items():
        if key in MARKERS:
            continue
        seen.add(key)
        if key == "dynamic":
            errors += check_dynamic(where, value, blocks)
            continue
        if key in meta_arguments and not is_block(value):
            continue
        if key in meta_blocks and is_block(value):
            if key == "lifecycle":
                for item in value:
                    errors += check_lifecycle(where, item)
            continue
        if is_block(value):
            if key in blocks:
                for item in value:
                    errors += check_body(f"{where}.{key}", item, blocks[key])
            elif key in arguments:
                errors.append(f"{where}: {key!r} is an argument, written as a block")
            else:
                errors.append(f"{where}: unknown block {key!r}")
        elif key in arguments:
            continue
        elif key in blocks:
            errors.append(f"{where}: {key!r} is a block, written as an argument")
        else:
            errors.append(f"{where}: unknown argument {key!r}")

    for name, required in arguments.items():
        if required and name not in seen:
            errors.append(f"{where}: missing required argument {name!r}")
    dynamic_names = {
        unquote(label)
        for item in body.get("dynamic", [])
        for label in item
        if label not in MARKERS
    }
    for name, nested in blocks.items():
        if nested.get("required") and name not in seen and name not in dynamic_names:
            errors.append(f"{where}: missing required block {name!r}")
    return errors


def check_dynamic(
    where: str, items: list[dict[str, Any]], blocks: dict[str, Any]
) -> list[str]:
    errors: list[str] = []
    for item in items:
        for label, spec in item.items():
            if label in MARKERS:
                continue
            name = unquote(label)
            if name not in blocks:
                errors.append(f"{where}: dynamic block for unknown block {name!r}")
                continue
            for key in spec:
                if (
                    key not in MARKERS
                    and key != "content"
                    and key not in DYNAMIC_ARGUMENTS
                ):
                    errors.append(f"{where}: dynamic {name!r} has no argument {key!r}")
            contents = spec.get("content", [])
            if not is_block(contents):
                errors.append(f"{where}: dynamic {name!r} needs one content block")
                continue
            for content in contents:
                errors += check_body(f"{where}.{name}", content, blocks[name])
    return errors


def check_directory(directory: Path) -> list[str]:
    """Check every resource and data source in the .tf files of one directory."""
    schema = provider_schema()
    errors: list[str] = []
    raw = load_raw(directory)
    sections = [
        ("resource", schema["resource"], RESOURCE_META_BLOCKS),
        ("data", schema["data"], DATA_META_BLOCKS),
    ]
    for section, types, meta_blocks in sections:
        for declaration in raw.get(section, []):
            for quoted_type, instances in declaration.items():
                type_name = unquote(quoted_type)
                for quoted_name, body in instances.items():
                    if quoted_name in MARKERS:
                        continue
                    address = f"{type_name}.{unquote(quoted_name)}"
                    where = f"{directory.name}: {section} {address}"
                    if type_name not in types:
                        errors.append(f"{where}: unknown {section} type {type_name!r}")
                        continue
                    errors += check_body(
                        where,
                        body,
                        types[type_name],
                        RESOURCE_META_ARGUMENTS,
                        meta_blocks,
                    )
    return errors


def check_module_calls(directory: Path) -> list[str]:
    """Check that module calls pass only declared variables and all required ones."""
    errors: list[str] = []
    for declaration in load_raw(directory).get("module", []):
        for quoted_name, body in declaration.items():
            name = unquote(quoted_name)
            source = unquote(body["source"])
            module_dir = (directory / source).resolve()
            variables: dict[str, Any] = {}
            for variable_block in load_raw(module_dir).get("variable", []):
                for quoted, spec in variable_block.items():
                    variables[unquote(quoted)] = spec
            passed_arguments = {k for k in body if k not in MARKERS}
            for key in sorted(
                passed_arguments - MODULE_META_ARGUMENTS - set(variables)
            ):
                errors.append(f"module {name}: {source} has no variable {key!r}")
            for variable, spec in sorted(variables.items()):
                if "default" not in spec and variable not in passed_arguments:
                    errors.append(
                        f"module {name}: missing required variable {variable!r}"
                    )
    return errors
