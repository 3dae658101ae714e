"""``deflectkit export hsds DIR --out PATH`` and ``deflectkit export csv DIR --out PATH``.

Loads and checks the provider folder first (an invalid file stops the export, with every
problem listed as ``path:line:col: error: …``), then writes the output file atomically.
``hsds`` writes Open Referral HSDS 3.0 JSON (a list of organizations with their services
and locations; ids are UUIDv5 from the slugs, stable across exports); ``csv`` writes one
row per provider for spreadsheets.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from deflectkit.errors import DataError, cap_per_file, printable

__all__ = ["HELP", "add_arguments", "run"]

HELP = "export the provider directory as Open Referral HSDS 3.0 JSON or as CSV"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``hsds`` and ``csv`` sub-forms."""
    sub = parser.add_subparsers(dest="target", metavar="FORMAT", required=True)
    for name, what in (("hsds", "Open Referral HSDS 3.0 JSON"), ("csv", "CSV, one row each")):
        form = sub.add_parser(name, help=what, description=f"Export providers as {what}.")
        form.add_argument("directory", type=Path, metavar="DIR",
                          help="provider folder (e.g. data/providers)")
        form.add_argument("--out", required=True, type=Path, metavar="PATH",
                          help="file to write ('-' for standard output)")
        form.add_argument("--format", choices=("text", "json"), default=argparse.SUPPRESS,
                          help="output format")


def run(args: argparse.Namespace) -> int:
    """Export; 0 on success, 1 when the providers are invalid or the file cannot be written."""
    from deflectkit.files.provider_writer import write_file_atomically
    from deflectkit.files.providers import load_directory

    fmt = getattr(args, "format", "text")
    try:
        directory = load_directory(args.directory)
    except DataError as exc:
        for problem in cap_per_file(exc.problems):
            if problem.is_error:
                print(problem.format(), file=sys.stderr)
        return 1
    providers = list(directory)
    if args.target == "hsds":
        from deflectkit.interop.hsds_export import export_hsds

        organizations = export_hsds(providers)
        text = json.dumps(organizations, indent=2, ensure_ascii=False) + "\n"
        encoding = "utf-8"
        summary = f"{len(providers)} providers in {len(organizations)} organizations"
    else:
        from deflectkit.interop.csv_export import export_csv

        text = export_csv(providers)
        encoding = "utf-8-sig"  # the BOM tells spreadsheets the file is UTF-8
        summary = f"{len(providers)} providers"
    if str(args.out) == "-":  # the Unix convention: write the export itself to stdout
        sys.stdout.write(text)
        return 0
    try:
        write_file_atomically(args.out, text, encoding=encoding)
    except OSError as exc:
        print(f"deflectkit export: error: cannot write {printable(str(args.out))}: {exc.strerror}",
              file=sys.stderr)
        return 1
    if fmt == "json":
        print(json.dumps({"format": args.target, "out": str(args.out),
                          "providers": len(providers)}))
    else:
        print(f"wrote {printable(str(args.out))}: {summary}")
    return 0
