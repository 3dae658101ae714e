"""The ``deflectkit`` command line: a thin edge over the library (DESIGN §3).

Each command lives in its own module under :mod:`deflectkit.cli` and is imported only
when it runs. A command module provides ``HELP`` (one line), ``add_arguments(parser)`` and
``run(args) -> int``. Exit codes: 0 ok, 1 findings (invalid data, failed tests),
2 usage error. Errors go to stderr, one line each; bad input never shows a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn, Protocol

from deflectkit.errors import DeflectkitError, printable

__all__ = ["COMMANDS", "main"]

#: command name -> module. Order is the order ``deflectkit --help`` lists them.
COMMANDS: dict[str, str] = {
    "validate": "deflectkit.cli.validate",
    "schema": "deflectkit.cli.schema",
    "assess": "deflectkit.cli.assess",
    "test": "deflectkit.cli.policy_test",
    "lint": "deflectkit.cli.lint",
    "diff": "deflectkit.cli.diff",
    "match": "deflectkit.cli.match",
    "followup": "deflectkit.cli.followup",
    "measures": "deflectkit.cli.measures",
    "impact": "deflectkit.cli.impact",
    "import": "deflectkit.cli.importing",
    "export": "deflectkit.cli.exporting",
    "init": "deflectkit.cli.init",
    "migrate": "deflectkit.cli.migrate",
}


class _Command(Protocol):
    HELP: str

    def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, args: argparse.Namespace) -> int: ...


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors exit with 2 and a one-line message."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def _version() -> str:
    from importlib.metadata import version

    return version("deflectkit")


def build_parser(only: str | None = None) -> tuple[argparse.ArgumentParser, dict[str, _Command]]:
    """The top-level parser; with ``only``, import just that command's module."""
    parser = _Parser(
        prog="deflectkit",
        description="Rules, provider data and measures for deflection programs.",
    )
    parser.add_argument("--version", action="version", version=f"deflectkit {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    loaded: dict[str, _Command] = {}
    for name, module_name in COMMANDS.items():
        if only is not None and name != only:
            sub.add_parser(name)
            continue
        try:
            module: _Command = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue  # a command still being built is simply not offered
        command = sub.add_parser(name, help=module.HELP, description=module.HELP)
        command.add_argument(
            "--format", choices=("text", "json"), default="text", help="output format"
        )
        module.add_arguments(command)
        loaded[name] = module
    return parser, loaded


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (also the entry point's)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    first = next((a for a in args_list if not a.startswith("-")), None)
    parser, commands = build_parser(first if first in COMMANDS else None)
    args = parser.parse_args(args_list)
    if args.command is None or args.command not in commands:
        parser.print_help(sys.stderr)
        return 2
    try:
        return commands[args.command].run(args)
    except DeflectkitError as exc:
        # Problems are escaped as they are formatted; other messages may quote anything.
        problems = getattr(exc, "problems", None)
        text = str(exc) if problems is not None else printable(str(exc))
        print(f"deflectkit {args.command}: error: {text}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (``deflectkit … | head``): not an error of ours. Point stdout
        # at devnull so the interpreter's final flush does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
