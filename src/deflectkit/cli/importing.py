"""``deflectkit import samhsa CSV --out DIR`` and ``deflectkit import hsds PATH --out DIR``.

Reads another system's directory, checks every provider exactly as ``validate`` will, and
writes one YAML file per provider, all at once (nothing is half-written). Existing files
are never overwritten without ``--update``; with it, each changed file is listed with the
fields that changed. ``--dry-run`` reports the same counts and changes and writes nothing.
Records that cannot be imported are listed as ``path:line: error: …``, gaps worked around
as ``path:line: warning: …``; exit 1 when any record was not imported.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from deflectkit.cli._arguments import iso_date
from deflectkit.errors import DataError, Problem, cap_per_file, printable
from deflectkit.files.provider_writer import (
    WriteReport,
    existing_slugs,
    existing_source_ids,
    existing_sources,
    write_providers,
)
from deflectkit.interop.records import ImportResult, check_imported
from deflectkit.spelling import counted

__all__ = ["HELP", "add_arguments", "run"]

HELP = "import providers from SAMHSA's FindTreatment.gov export or Open Referral HSDS data"


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", required=True, type=Path, metavar="DIR",
                        help="provider folder to write (e.g. data/providers)")
    parser.add_argument("--update", action="store_true",
                        help="overwrite existing files that differ, listing what changed")
    parser.add_argument("--dry-run", action="store_true",
                        help="report what would be written, write nothing")
    # Repeated here so that "--format json" may also follow the sub-command's arguments.
    parser.add_argument("--format", choices=("text", "json"), default=argparse.SUPPRESS,
                        help="output format")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``samhsa`` and ``hsds`` sub-forms."""
    sub = parser.add_subparsers(dest="source", metavar="SOURCE", required=True)
    samhsa = sub.add_parser(
        "samhsa", help="FindTreatment.gov facility export (CSV)",
        description="Import a FindTreatment.gov facility listing (CSV).",
    )
    samhsa.add_argument("path", type=Path, metavar="CSV")
    samhsa.add_argument(
        "--date", type=iso_date, metavar="YYYY-MM-DD",
        help="the day the export was downloaded (default: read from the file name)",
    )
    _common(samhsa)
    hsds = sub.add_parser(
        "hsds", help="Open Referral HSDS 3.0 JSON or an HSDS 1.x data package",
        description="Import HSDS 3.0 JSON (a file or folder) or an HSDS 1.x datapackage.",
    )
    hsds.add_argument("path", type=Path, metavar="PATH")
    _common(hsds)


@contextmanager
def _progress(enabled: bool, what: str) -> Iterator[Callable[[int], None] | None]:
    """A tqdm bar on an interactive terminal; nothing otherwise (pipes, CI, JSON)."""
    if not enabled:
        yield None
        return
    from tqdm import tqdm

    bar = tqdm(desc=what, unit=" records", file=sys.stderr, leave=False)
    try:
        def step(count: int) -> None:
            bar.update(count - bar.n)

        yield step
    finally:
        bar.close()


def _source_name(source: str) -> str:
    if source == "samhsa":
        from deflectkit.interop.samhsa import SOURCE_NAME

        return SOURCE_NAME
    from deflectkit.interop.hsds_mapping import SOURCE_NAME as HSDS

    return HSDS


def _read(
    args: argparse.Namespace,
    today: dt.date,
    sources: dict[str, Any],
    progress: Callable[[int], None] | None,
) -> ImportResult:
    existing = existing_source_ids(args.out, _source_name(args.source), sources)
    reserved = existing_slugs(args.out) - set(existing.values())
    if args.source == "samhsa":
        from deflectkit.interop.samhsa import export_date_from_name, read_samhsa

        date = args.date or export_date_from_name(args.path)
        if date is None:
            raise _UsageError(
                f"cannot tell the export date from the file name {args.path.name!r}; "
                "pass --date YYYY-MM-DD (the day the file was downloaded)"
            )
        return read_samhsa(
            args.path, export_date=date, today=today, progress=progress, existing=existing,
            reserved=reserved,
        )
    from deflectkit.interop.hsds_import import read_hsds

    return read_hsds(args.path, progress=progress, existing=existing, reserved=reserved,
                     taken_sources=sources)


def _gone(args: argparse.Namespace, existing: dict[str, str], found: set[str]) -> list[Problem]:
    """Files imported earlier from this source whose record is no longer in it."""
    what = "SAMHSA export" if args.source == "samhsa" else "HSDS data"
    return [
        Problem(
            str(args.out / f"{slug}.yaml"), None, None, "",
            f"not in this {what} any more: has the provider closed or moved? "
            "The file is left as it is; check it and delete it if so",
            "warning",
        )
        for slug in sorted(set(existing.values()) - found)
    ]


class _UsageError(Exception):
    """A problem with the arguments rather than the data (exit 2)."""


def _owned(source: str) -> frozenset[str]:
    if source == "samhsa":
        from deflectkit.interop.samhsa import OWNED_KEYS

        return OWNED_KEYS
    from deflectkit.interop.hsds_import import OWNED_KEYS as HSDS_KEYS

    return HSDS_KEYS


def run(args: argparse.Namespace) -> int:
    """Import, report, and return 0 (all imported), 1 (some records not), or 2 (usage)."""
    fmt = getattr(args, "format", "text")
    today = dt.date.today()
    name = str(args.path)
    if not args.path.exists():
        print(f"deflectkit import: error: {printable(name)}: no such file or folder",
              file=sys.stderr)
        return 2
    sources = existing_sources(args.out)
    existing = existing_source_ids(args.out, _source_name(args.source), sources)
    try:
        with _progress(fmt == "text" and sys.stderr.isatty(), f"reading {args.path.name}") as bar:
            result = _read(args, today, sources, bar)
    except _UsageError as exc:
        print(f"deflectkit import: error: {printable(str(exc))}", file=sys.stderr)
        return 2
    except DataError as exc:
        for problem in cap_per_file(exc.problems):
            print(problem.format(), file=sys.stderr)
        return 1
    gone = _gone(args, existing, set(result.providers))
    result = check_imported(result, name, today=today)
    try:
        report = write_providers(
            args.out, result.providers, update=args.update, dry_run=args.dry_run,
            owned_keys=_owned(args.source), source_name=_source_name(args.source),
        )
    except DataError as exc:
        for problem in cap_per_file(exc.problems):
            print(problem.format(), file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"deflectkit import: error: cannot write {printable(str(args.out))}: {exc.strerror}",
              file=sys.stderr)
        return 1
    problems = [*result.problems, *report.problems, *gone]
    if fmt == "json":
        print(json.dumps(_as_json(args, result, report, problems), indent=2, ensure_ascii=False))
    else:
        for problem in problems:
            print(problem.format(), file=sys.stderr)
        _print_text(args, result, report)
    return 1 if any(p.is_error for p in problems) else 0


def _as_json(args: argparse.Namespace, result: ImportResult, report: WriteReport,
             problems: list[Problem]) -> dict[str, Any]:
    return {
        "source": args.source,
        "path": str(args.path),
        "out": str(args.out),
        "dry_run": args.dry_run,
        "records": result.records,
        "not_imported": result.skipped,
        "providers": len(result.providers),
        "files": report.counts,
        "changes": [
            {"path": str(f.path), "action": f.action, "fields": list(f.changes)}
            for f in report.files
            if f.action in {"create", "update", "kept"}
        ],
        "problems": [
            {"path": p.path, "line": p.line, "field": p.field, "severity": p.severity,
             "message": p.message}
            for p in problems
        ],
    }


def _print_text(args: argparse.Namespace, result: ImportResult, report: WriteReport) -> None:
    verb = "would be" if args.dry_run else "were"
    for change in report.files:
        if change.action == "update":
            print(f"{'would update' if args.dry_run else 'updated'} {printable(str(change.path))}:")
            for line in change.changes:
                print(f"  {printable(line)}")
    kept = [f for f in report.files if f.action == "kept"]
    for change in kept[:10]:
        print(f"kept {printable(str(change.path))}: differs from the import "
              f"({counted(len(change.changes), 'field')})")
    if len(kept) > 10:
        print(f"… and {len(kept) - 10} more kept")
    counts = report.counts
    print(
        f"{counted(result.records, 'record')} read, {counted(len(result.providers), 'provider')}: "
        f"{counts['create']} new, {counts['update']} updated, {counts['unchanged']} unchanged, "
        f"{counts['kept']} kept; {result.skipped} not imported"
        + (" (dry run: nothing written)" if args.dry_run else "")
    )
    if kept:
        print(
            f"{counted(len(kept), 'existing file')} {'differs' if len(kept) == 1 else 'differ'}"
            f" from the import and {verb} left alone; "
            "run again with --update to overwrite them and see what changes"
        )
    warnings = sum(1 for p in result.problems if not p.is_error)
    if warnings:
        print(f"{counted(warnings, 'warning')} above: imported with a gap worth a look")
