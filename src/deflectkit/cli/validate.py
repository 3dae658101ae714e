"""``deflectkit validate [PATH…]``: check provider, policy and policy-test files.

Prints one ``path:line:col: error: field: message`` line per problem (in text mode with
the offending line and a caret under the spot), then a summary. Exit 0 when there are no
errors (warnings never fail), 1 when there are, 2 when a path does not exist.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from deflectkit.cli._arguments import iso_date
from deflectkit.convert import dumps
from deflectkit.errors import printable
from deflectkit.files.validation import NO_SUCH_PATH, validate_counting
from deflectkit.spelling import counted

__all__ = ["HELP", "add_arguments", "run"]

HELP = "check provider, policy and policy-test YAML files (default: data/)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the paths and the options."""
    parser.add_argument(
        "paths", nargs="*", default=["data"], metavar="PATH",
        help="files or folders to check (default: data/)",
    )
    parser.add_argument(
        "--today", type=iso_date, metavar="YYYY-MM-DD",
        help="the date 'verified' is compared with (default: today)",
    )
    parser.add_argument(
        "--no-snippets", action="store_true",
        help="text output: do not quote the offending line under each problem",
    )
    parser.add_argument(
        "--errors-only", action="store_true", help="do not list warnings",
    )


def run(args: argparse.Namespace) -> int:
    """Validate and report; the exit code says whether the data may be published."""
    checked, problems = validate_counting(args.paths, today=args.today or dt.date.today())
    missing = [p for p in problems if p.line is None and p.message == NO_SUCH_PATH]
    problems = [p for p in problems if p not in missing]
    for problem in missing:
        where = printable(problem.path)
        print(f"deflectkit validate: error: {where}: {NO_SUCH_PATH}", file=sys.stderr)
    shown = [p for p in problems if p.is_error or not args.errors_only]
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    if args.format == "json":
        print(dumps(shown))
    else:
        for problem in shown:
            print(problem.format(with_snippet=not args.no_snippets))
        files_with_errors = len({p.path for p in problems if p.is_error})
        summary = (
            f"{counted(checked, 'file')} checked: {counted(errors, 'error')}"
            + (f" in {counted(files_with_errors, 'file')}" if errors else "")
            + f", {counted(warnings, 'warning')}"
        )
        print(summary)
    if missing:
        return 2
    return 1 if errors else 0
