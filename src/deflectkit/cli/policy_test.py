"""``deflectkit test``: run policy test files and report like pytest."""

from __future__ import annotations

import argparse
import json
import sys

from deflectkit.convert import to_json
from deflectkit.errors import DeflectkitError
from deflectkit.files.policy_tests import CaseOutcome, find_test_files, run_file
from deflectkit.spelling import counted

__all__ = ["HELP", "add_arguments", "run"]

HELP = "run policy test files (*.tests.yaml); ends with 'N passed, N failed'"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``PATH…`` (files or folders; default ``data/policies``)."""
    parser.add_argument("paths", nargs="*", default=["data/policies"], metavar="PATH",
                        help="test files or folders holding *.tests.yaml")


def run(args: argparse.Namespace) -> int:
    """Run every case of every file; exit 1 if any fails or a file cannot be loaded."""
    files = find_test_files(args.paths)
    if not files:
        print(f"deflectkit test: error: no *.tests.yaml under {' '.join(args.paths)}",
              file=sys.stderr)
        return 1
    outcomes: list[CaseOutcome] = []
    broken = 0
    for path in files:
        try:
            outcomes.extend(run_file(path))
        except DeflectkitError as exc:
            broken += 1
            for line in str(exc).splitlines():
                print(line, file=sys.stderr)
    passed = sum(o.passed for o in outcomes)
    failed = len(outcomes) - passed
    if args.format == "json":
        print(json.dumps({
            "passed": passed, "failed": failed, "errors": broken,
            "failures": [
                {"file": o.suite.path, "line": o.case.line, "name": o.case.name,
                 "differences": list(o.differences), "error": o.error,
                 "decision": to_json(o.decision) if o.decision else None}
                for o in outcomes if not o.passed
            ],
        }, indent=2, ensure_ascii=False))
    else:
        for o in outcomes:
            if not o.passed:
                print("FAILED " + o.report())
                print()
        if broken:
            print(f"{counted(broken, 'test file')} could not be loaded (see above)")
        print(f"{passed} passed, {failed} failed")
    return 1 if failed or broken else 0
