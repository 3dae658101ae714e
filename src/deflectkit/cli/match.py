"""``deflectkit match``: which providers can take this person now, nearest first, with reasons.

Example::

    deflectkit match --need opioids --at 2026-03-04T03:00-07:00 --near 85701 --format json

JSON output is a list of rows (``id``, ``name``, ``distance_km``, ``open_now``, ``opens_at``,
``closes_at``, ``phones``, ``reasons``, ``lacks``, ``score``, ``located_by``). With
``--explain`` it is an object: ``{"matches": [rows], "excluded": [{"id", "name",
"distance_km", "excluded_because"}]}``. Bad arguments print one line and exit 2; invalid
provider files print every problem and exit 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from typing import Any

from deflectkit.api import search
from deflectkit.core.localtime import zone
from deflectkit.core.matching import MatchResult, exclusion_row, match_row
from deflectkit.core.providers import readable_phone
from deflectkit.errors import DataError, cap_per_file, printable
from deflectkit.vocabulary import NEEDS

__all__ = ["HELP", "add_arguments", "run"]

HELP = "providers that can take a person now for a need, nearest first, with reasons"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the query options."""
    parser.add_argument(
        "--directory",
        default="data/providers",
        metavar="DIR",
        help="provider files (default: data/providers)",
    )
    parser.add_argument(
        "--need",
        action="append",
        required=True,
        metavar="N[,N]",
        help=f"what the person needs (all must be served): {', '.join(NEEDS.words)}",
    )
    parser.add_argument(
        "--at",
        required=True,
        metavar="ISO",
        help="the moment, ISO 8601 with offset (2026-03-04T03:00-07:00), or 'now'; without "
        "an offset the time is read in the --near ZIP code's zone",
    )
    parser.add_argument("--near", metavar="ZIP|LAT,LON", help="where the person is")
    parser.add_argument("--limit", type=int, default=10, metavar="K", help="at most K (10)")
    parser.add_argument("--dropoff", action="store_true", help="only police drop-off providers")
    parser.add_argument("--payment", metavar="WORD", help="payment accepted, e.g. medicaid")
    parser.add_argument("--language", metavar="CODE", help="language spoken, e.g. es")
    parser.add_argument("--medication", metavar="WORD", help="medication offered, e.g. methadone")
    parser.add_argument("--age", type=int, metavar="YEARS", help="the person's age")
    parser.add_argument(
        "--include-closed",
        action="store_true",
        help="also list providers closed now (with their next opening) or with unknown hours",
    )
    parser.add_argument(
        "--explain",
        nargs="?",
        type=int,
        const=5,
        default=0,
        metavar="N",
        help="say why the N closest excluded providers were excluded (default 5)",
    )


class _UsageError(Exception):
    """A bad argument: reported in one line, exit 2."""


def _moment(text: str, near: str | None) -> dt.datetime:
    if text.strip().lower() == "now":
        return dt.datetime.now(dt.UTC)  # the edge may read the clock; the core never does
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        msg = f"--at {text!r} is not an ISO 8601 time; write e.g. 2026-03-04T03:00-07:00"
        raise _UsageError(msg) from None
    if moment.tzinfo is not None:
        return moment
    from deflectkit.files.zip_centroids import zip_timezone

    zone_name = zip_timezone(near) if near else None
    if zone_name is None and near and near.strip().isdigit():
        raise _UsageError(f"unknown ZIP code {near.strip()!r}: no centroid is known for it")
    if zone_name is None:
        msg = f"--at {text!r} has no UTC offset; add one (e.g. -07:00) or give --near as a ZIP"
        raise _UsageError(msg)
    return moment.replace(tzinfo=zone(zone_name))


def _needs(values: list[str]) -> list[str]:
    return [word.strip() for value in values for word in value.split(",") if word.strip()]


def run(args: argparse.Namespace) -> int:
    """Load the directory, match, print; exit 2 on bad arguments."""
    try:
        at = _moment(args.at, args.near)
        if args.limit < 1:
            raise _UsageError(f"--limit must be at least 1, not {args.limit}")
        from deflectkit.files.providers import load_directory

        if not os.path.lexists(args.directory):
            raise _UsageError(f"--directory {args.directory!r}: no such file or folder")
        directory = load_directory(args.directory)
        result = search(
            directory,
            _needs(args.need),
            at=at,
            near=args.near,
            limit=args.limit,
            dropoff=args.dropoff,
            payment=args.payment,
            language=args.language,
            medication=args.medication,
            age=args.age,
            include_closed=args.include_closed,
            explain=max(0, args.explain),
        )
    except DataError as exc:  # invalid provider files: every problem on its own line
        print(f"deflectkit match: error: {printable(str(args.directory))}: invalid provider "
              "files", file=sys.stderr)
        for problem in cap_per_file(exc.problems):
            if problem.is_error:
                print(problem.format(), file=sys.stderr)
        return 1
    except (_UsageError, ValueError) as exc:
        print(f"deflectkit match: error: {printable(str(exc))}", file=sys.stderr)
        return 2
    if args.format == "json":
        rows: Any = [match_row(m) for m in result.matches]
        if args.explain:
            rows = {"matches": rows, "excluded": [exclusion_row(e) for e in result.excluded]}
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        print(_text(result, args, at))
    return 0


def _text(result: MatchResult, args: argparse.Namespace, at: dt.datetime) -> str:
    needs = ", ".join(NEEDS.label(n).lower() for n in _needs(args.need) if n in NEEDS)
    where = f" near {args.near}" if args.near else ""
    lines = [f"Providers for {needs} at {at.isoformat(timespec='minutes')}{where}:"]
    if not result.matches:
        lines.append(
            "  none open for intake now"
            + ("" if args.include_closed else "; try --include-closed or --explain")
        )
    for rank, m in enumerate(result.matches, 1):
        distance = f"{m.distance_km:.1f} km, " if m.distance_km is not None else ""
        state = {True: "open now", False: "closed now", None: "hours unknown"}[m.open_now]
        lines.append(f"{rank:2d}. {m.provider.name}  ({distance}{state})  [{m.provider.slug}]")
        for phone in m.provider.phones:
            label = f" ({phone.label})" if phone.label else ""
            lines.append(f"    call {readable_phone(phone.number)}{label}")
        lines.extend(f"    + {reason}" for reason in m.reasons)
        lines.extend(f"    - {lack}" for lack in m.lacks)
    if result.excluded:
        lines.append("Closest excluded:")
        for e in result.excluded:
            distance = f" ({e.distance_km:.1f} km)" if e.distance_km is not None else ""
            lines.append(f"  x {e.provider.name}{distance}: {'; '.join(e.reasons)}")
    lines.append("Advice only: call ahead when unsure; the officer's discretion is final.")
    return "\n".join(lines)
