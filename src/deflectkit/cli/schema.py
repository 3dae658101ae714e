"""``deflectkit schema --out DIR``: write the JSON Schemas editors use to check YAML as you type.

Writes ``provider.schema.json`` and, when the policy engine is installed,
``policy.schema.json`` and ``policy-tests.schema.json``. Each provider file's first line,
``# yaml-language-server: $schema=../../schemas/provider.schema.json``, points at the first.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from deflectkit.errors import printable
from deflectkit.files.schema import write_schemas

__all__ = ["HELP", "add_arguments", "run"]

HELP = "write JSON Schemas for provider, policy and policy-test files (for editors)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--out``."""
    parser.add_argument(
        "--out", type=Path, default=Path("schemas"), metavar="DIR",
        help="folder to write the schemas into (default: schemas/)",
    )


def run(args: argparse.Namespace) -> int:
    """Write the schemas and list the files written."""
    out: Path = args.out
    if out.exists() and not out.is_dir():
        print(f"deflectkit schema: error: {printable(str(out))} exists and is not a folder",
              file=sys.stderr)
        return 2
    try:
        written = write_schemas(out)
    except OSError as exc:
        print(f"deflectkit schema: error: cannot write to {printable(str(out))}: {exc.strerror}",
              file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps([str(p) for p in written]))
    else:
        for path in written:
            print(f"wrote {printable(str(path))}")
    return 0
