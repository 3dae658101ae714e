"""``deflectkit migrate [PATH…] [--write]``: bring policy files to the current format.

A policy file names its format on its ``schema:`` line (``deflectkit/policy@1``). When a
format changes, the old one keeps loading for a while (docs/guide/versioning.md) and this
command rewrites a file into the new one. Each step is a migration from one version to
the next, registered in :data:`MIGRATIONS`; steps chain, so a file several versions behind
is brought up in one run. Migrations edit the text, not a re-dumped YAML tree, so comments,
key order and quoting survive, and the result is checked with the loader before it is
written (through a temporary file and a rename: never half a file).

Besides rewriting, the command explains what a policy in the current format leaves to its
defaults where the default changed meaning for readers: a policy without ``charge:``
answers only the linkage question (every rule is about the encounter and no decision says
what happens to a charge).

Without ``--write`` nothing is written: each file is reported and the exit code is 1 when
any file would change (so CI can require current files). Provider files have one format so
far (no ``schema:`` line); they are reported as current.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Final, Literal

import attrs

__all__ = ["HELP", "MIGRATIONS", "Migration", "Outcome", "add_arguments", "migrate_text", "run"]

HELP = "bring policy files to the current format (dry run unless --write)"

Kind = Literal["policy", "provider", "policy_tests"]

_SCHEMA_LINE: Final = re.compile(r"^schema:[ \t]*['\"]?deflectkit/(\w+)@(\d+)['\"]?[ \t]*(#.*)?$",
                                 re.MULTILINE)
_ANY_SCHEMA_LINE: Final = re.compile(r"^schema:.*$", re.MULTILINE)
_TOP_KEY: Final = re.compile(r"^[A-Za-z_][\w-]*:", re.MULTILINE)


@attrs.frozen
class Migration:
    """One step from a format version to the next.

    Attributes:
        to: the version the step produces.
        summary: what the step changes, in a line a policy author understands.
        apply: the text of a file in the old version -> the text in the new one.
    """

    to: int
    summary: str
    apply: Callable[[str], str]


#: (kind, version) -> the step from that version. ``deflectkit/policy@1`` is the first
#: and current policy format, so there is no step yet; a new format adds its step here.
MIGRATIONS: dict[tuple[str, int], Migration] = {}


@attrs.frozen
class Outcome:
    """What migrating one file did or would do."""

    path: str
    kind: str
    status: Literal["current", "migrated", "would_migrate", "error"]
    changes: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    text: str | None = attrs.field(default=None, repr=False)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``PATH…`` and ``--write``."""
    parser.add_argument("paths", nargs="*", default=["data"], metavar="PATH",
                        help="files or folders (default: data/)")
    parser.add_argument("--write", action="store_true",
                        help="rewrite files in place (default: only report)")


def current_version(kind: str) -> int:
    """The format version this deflectkit writes for ``kind``."""
    if kind == "policy":
        from deflectkit.core.policy.model import SCHEMA

        return int(SCHEMA.rsplit("@", 1)[1])
    return 1


def migrate_text(text: str, kind: str, name: str = "<text>") -> Outcome:
    """Bring one file's text to the current format (text in, text out: no file is touched).

    Returns:
        ``current`` (nothing to do), ``would_migrate`` with the new text and the steps
        taken, or ``error`` with the reason in ``notes``.
    """
    if kind != "policy":
        return Outcome(name, kind, "current")
    latest = current_version(kind)
    declared = _declared_version(text)
    if isinstance(declared, str):
        return Outcome(name, kind, "error", notes=(declared,))
    changes: list[str] = []
    if declared is None:
        text = _stamp(text, f"deflectkit/policy@{latest}")
        changes.append(f"added `schema: deflectkit/policy@{latest}` (the file named no format)")
        declared = latest
    if declared > latest:
        return Outcome(name, kind, "error", notes=(
            f"written for a newer deflectkit (policy@{declared}; this one reads up to "
            f"@{latest}): upgrade with `pip install -U deflectkit`",))
    while declared < latest:
        step = MIGRATIONS.get((kind, declared))
        if step is None:
            return Outcome(name, kind, "error", notes=(
                f"no migration from policy@{declared}; migrate it by hand "
                "(docs/guide/versioning.md lists each format's changes)",))
        text = _set_schema(step.apply(text), f"deflectkit/policy@{step.to}")
        changes.append(f"policy@{declared} -> @{step.to}: {step.summary}")
        declared = step.to
    status: Literal["current", "would_migrate"] = "would_migrate" if changes else "current"
    return Outcome(name, kind, status, tuple(changes), _policy_notes(text), text)


def _declared_version(text: str) -> int | str | None:
    """The declared policy version, ``None`` when no ``schema:`` line, or why it is bad."""
    line = _ANY_SCHEMA_LINE.search(text)
    if line is None:
        return None
    match = _SCHEMA_LINE.fullmatch(line.group(0))
    if match is None or match.group(1) != "policy":
        found = line.group(0).strip()
        return f"{found!r} does not name a policy format such as deflectkit/policy@1"
    return int(match.group(2))


def _stamp(text: str, schema: str) -> str:
    """Insert ``schema:`` before the first top-level key, after the leading comments."""
    first = _TOP_KEY.search(text)
    at = first.start() if first else len(text)
    return f"{text[:at]}schema: {schema}\n{text[at:]}"


def _set_schema(text: str, schema: str) -> str:
    return _ANY_SCHEMA_LINE.sub(f"schema: {schema}", text, count=1)


def _policy_notes(text: str) -> tuple[str, ...]:
    """What a current-format policy leaves to defaults that readers should know about."""
    from deflectkit.core.policy.build import TOP_KEYS

    if "charge" in TOP_KEYS and not re.search(r"^charge:", text, re.MULTILINE):
        return ("no `charge:`: every rule is about the encounter and decisions say nothing "
                "about a charge; add `charge: {in_play: ...}` and `scope: charge` on the "
                "rules about the offense to answer that question too",)
    return ()


def _check(outcome: Outcome) -> Outcome:
    """The migrated text must load; a migration that breaks a file is an error, not a write."""
    from deflectkit.errors import DataError
    from deflectkit.files.policy import policy_problems
    from deflectkit.files.yamlio import parse_yaml

    if outcome.text is None or outcome.status != "would_migrate":
        return outcome
    try:
        _, problems = policy_problems(parse_yaml(outcome.text, outcome.path))
    except DataError as exc:
        problems = list(exc.problems)
    errors = [p for p in problems if p.is_error]
    if errors:
        return attrs.evolve(outcome, status="error", notes=(
            *outcome.notes, f"after migrating, it does not load: {errors[0].format()}"))
    return outcome


def run(args: argparse.Namespace) -> int:
    """Report (or, with ``--write``, apply) the migration of every policy under the paths."""
    from deflectkit.files.atomic import write_file_atomically
    from deflectkit.files.validation import NO_SUCH_PATH, find_files

    found, walk_problems = find_files(args.paths)
    missing = [p for p in walk_problems if p.message == NO_SUCH_PATH]
    if missing:
        print(f"deflectkit migrate: error: {missing[0].path}: {NO_SUCH_PATH}", file=sys.stderr)
        return 2
    outcomes = [Outcome(p.path, "file", "error", notes=(p.format(),))
                for p in walk_problems if p.is_error]
    for path, kind in found:
        unreadable = _unreadable(path, kind)
        if unreadable is not None:
            outcomes.append(unreadable)
            continue
        outcome = _check(migrate_text(path.read_text(encoding="utf-8"), kind, str(path)))
        if args.write and outcome.status == "would_migrate" and outcome.text is not None:
            write_file_atomically(path, outcome.text)
            outcome = attrs.evolve(outcome, status="migrated")
        outcomes.append(outcome)
    _report(outcomes, args.format)
    if any(o.status == "error" for o in outcomes):
        return 1
    return 1 if any(o.status == "would_migrate" for o in outcomes) else 0


def _unreadable(path: Path, kind: str) -> Outcome | None:
    """An error outcome for a file that must not be migrated, before its text is read raw.

    Migration edits text, so a policy is first read with every guard the YAML reader has
    (regular files only, size, encoding, nesting, tags); what it then lacks (a ``schema:``
    line, say) is what migration is for. Other files have no migration: they are reported
    as errors when the validator refuses them, so nothing broken is called "current".
    """
    from deflectkit.errors import DataError
    from deflectkit.files.validation import validate
    from deflectkit.files.yamlio import read_yaml

    if kind == "policy":
        try:
            read_yaml(path)
        except DataError as exc:
            errors = [p for p in exc.problems if p.is_error]
        else:
            return None
    else:
        errors = [p for p in validate([path]) if p.is_error]
    if not errors:
        return None
    notes = tuple(p.format() for p in errors[:3])
    more = len(errors) - len(notes)
    if more > 0:
        notes = (*notes, f"… and {more} more: run `deflectkit validate {path}`")
    return Outcome(str(path), "file", "error", notes=notes)


def _report(outcomes: list[Outcome], form: str) -> None:
    from deflectkit.errors import printable

    if form == "json":
        keys = ("path", "kind", "status", "changes", "notes")
        print(json.dumps([{k: _plain(getattr(o, k)) for k in keys} for o in outcomes]))
        return
    counts: Mapping[str, int] = {s: sum(o.status == s for o in outcomes)
                                 for s in ("current", "migrated", "would_migrate", "error")}
    for o in outcomes:
        if o.kind != "policy" and o.status != "error":
            continue
        print(f"{printable(o.path)}: {o.status.replace('_', ' ')}")
        for line in (*o.changes, *o.notes):
            print(f"  {printable(line)}")
    print(f"{len(outcomes)} files: {counts['current']} current, {counts['migrated']} migrated, "
          f"{counts['would_migrate']} to migrate (run with --write), {counts['error']} errors")


def _plain(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value

