"""Build tests/deploy/aws_schema.json.gz from the cdktn-provider-aws jsii assembly.

The PyPI package cdktn-provider-aws 25.8.1 is generated from the schema of the
Terraform AWS provider 6.69.1 and ships it as a jsii assembly. For every
resource and data source the assembly has a config struct whose properties are
the arguments, with nested structs for nested blocks. This script keeps only
what the schema test needs (argument names, which are required, nested block
names) so CI does not have to install the 70 MB package.

Usage:
    python -m pip download --no-deps -d /tmp/cdktn cdktn-provider-aws==25.8.1
    python tests/deploy/build_aws_schema.py \
        /tmp/cdktn/cdktn_provider_aws-25.8.1-py3-none-any.whl
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import re
import tarfile
import zipfile
from pathlib import Path
from typing import Any

OUTPUT = Path(__file__).with_name("aws_schema.json.gz")

# "Represents a {@link https://registry.../docs/resources/lb aws_lb}."
REPRESENTS = re.compile(r"\{@link (\S+/docs/(resources|data-sources)/\S+) (\S+)\}")
# "... {@link https://registry.../docs/resources/lb#name Lb#name}"
ANCHOR = re.compile(r"/docs/(?:resources|data-sources)/[^#\s]+#([a-z0-9_]+)\s")
META_INTERFACE = "cdktn.TerraformMetaArguments"


def read_assembly(wheel: Path) -> dict[str, Any]:
    """Return the parsed .jsii file from the wheel's embedded tarball."""
    with zipfile.ZipFile(wheel) as archive:
        names = [n for n in archive.namelist() if n.endswith(".jsii.tgz")]
        if len(names) != 1:
            raise SystemExit(f"expected one .jsii.tgz in {wheel}, found {names}")
        tarball = archive.read(names[0])
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as tar:
        member = tar.extractfile("package/.jsii")
        if member is None:
            raise SystemExit("package/.jsii not found in the jsii tarball")
        assembly: dict[str, Any] = json.load(member)
    return assembly


def snake_case(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def argument_name(prop: dict[str, Any]) -> str:
    """Return the Terraform name, preferring the registry anchor in the docs."""
    docs = prop.get("docs", {})
    text = f"{docs.get('summary', '')} {docs.get('remarks', '')} "
    match = ANCHOR.search(text)
    return match.group(1) if match else snake_case(prop["name"])


def block_struct(prop_type: dict[str, Any], types: dict[str, Any]) -> str | None:
    """Return the struct fqn when a property is a nested block, else None.

    A block is a struct, a list of structs, or a union of either with
    cdktn.IResolvable.
    """
    candidates = prop_type["union"]["types"] if "union" in prop_type else [prop_type]
    for candidate in candidates:
        if "collection" in candidate:
            candidate = candidate["collection"]["elementtype"]
        fqn = candidate.get("fqn")
        if fqn and types.get(fqn, {}).get("datatype"):
            return str(fqn)
    return None


def struct_schema(
    fqn: str, types: dict[str, Any], path: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Return {"args": {name: required}, "blocks": {name: schema}} for a struct.

    A few schemas are recursive (a WAFv2 rule statement contains statements).
    A struct that is already on the path is cut off with "unchecked": true.
    """
    if fqn in path:
        return {"args": {}, "blocks": {}, "unchecked": True}
    path = (*path, fqn)
    struct = types[fqn]
    args: dict[str, bool] = {}
    blocks: dict[str, Any] = {}
    for parent in struct.get("interfaces", []):
        if parent != META_INTERFACE and parent in types:
            inherited = struct_schema(parent, types, path)
            args.update(inherited["args"])
            blocks.update(inherited["blocks"])
    for prop in struct.get("properties", []):
        name = argument_name(prop)
        nested = block_struct(prop["type"], types)
        # The generator documents a nested block as "<name> block." and a
        # nested object attribute (written `name = {...}`) without it.
        is_block = prop.get("docs", {}).get("summary", "").endswith(" block.")
        if nested is None or not is_block:
            args[name] = not prop.get("optional", False)
        else:
            schema = struct_schema(nested, types, path)
            schema["required"] = not prop.get("optional", False)
            blocks[name] = schema
    return {"args": args, "blocks": blocks}


def build(assembly: dict[str, Any]) -> dict[str, Any]:
    types: dict[str, Any] = assembly["types"]
    schema: dict[str, Any] = {
        "provider_version": None,
        "resource": {},
        "data": {},
    }
    for klass in types.values():
        if klass.get("kind") != "class":
            continue
        if klass.get("base") not in (
            "cdktn.TerraformResource",
            "cdktn.TerraformDataSource",
        ):
            continue
        match = REPRESENTS.search(klass.get("docs", {}).get("summary", ""))
        if match is None:
            continue
        url, kind, type_name = match.groups()
        version = re.search(r"/hashicorp/aws/([0-9.]+)/", url)
        if version:
            schema["provider_version"] = version.group(1)
        params = klass.get("initializer", {}).get("parameters", [])
        config = [p for p in params if p["name"] == "config"]
        if not config:
            continue
        section = "resource" if kind == "resources" else "data"
        type_name = type_name.removeprefix("data.")
        schema[section][type_name] = struct_schema(config[0]["type"]["fqn"], types)
    return schema


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheel", type=Path, help="cdktn_provider_aws wheel file")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="gzip JSON output")
    options = parser.parse_args()
    schema = build(read_assembly(options.wheel))
    payload = json.dumps(schema, sort_keys=True, separators=(",", ":")).encode()
    # mtime=0 keeps the file byte-identical across rebuilds of the same input.
    with (
        options.output.open("wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=9) as out,
    ):
        out.write(payload)
    print(  # noqa: T201 (command-line script reporting its result)
        f"wrote {options.output}: provider {schema['provider_version']}, "
        f"{len(schema['resource'])} resources, {len(schema['data'])} data sources"
    )


if __name__ == "__main__":
    main()
