"""``deflectkit lint POLICY``: review aids for a policy (see :mod:`deflectkit.core.policy.lint`)."""

from __future__ import annotations

import argparse
import json

from deflectkit.convert import to_json
from deflectkit.errors import cap_per_file, printable
from deflectkit.files.policy import lint_file
from deflectkit.spelling import counted

__all__ = ["HELP", "add_arguments", "run"]

HELP = ("review a policy: unreachable pathways and routes, unused parameters, gaps,"
        " untested rules, TODO citations")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``POLICY [--tests FILE]``."""
    parser.add_argument("policy", metavar="POLICY", help="the policy YAML file")
    parser.add_argument("--tests", metavar="FILE",
                        help="its test file (default: POLICY's name with .tests.yaml)")


def run(args: argparse.Namespace) -> int:
    """Print every finding as ``file:line:col: warning: …``; exit 1 if there is any."""
    problems = lint_file(args.policy, tests=args.tests)
    if args.format == "json":
        print(json.dumps([to_json(p) for p in problems], indent=2, ensure_ascii=False))
    else:
        for p in cap_per_file(problems):  # a hostile policy can hold 30,000 findings
            print(p.format(with_snippet=p.is_error))
        policy = printable(args.policy)  # a file name may hold an escape sequence
        print(f"{counted(len(problems), 'finding')} in {policy}" if problems
              else f"{policy}: no findings")
    return 1 if problems else 0
