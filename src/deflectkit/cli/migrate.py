"""``deflectkit migrate [PATH…] [--write]``: bring policy and provider files to the current format.

A file names its format on its ``schema:`` line (``deflectkit/policy@1``,
``deflectkit/provider@1``). When a format changes, the old one keeps loading for a while
(docs/guide/versioning.md) and this command rewrites a file into the new one. Each step is a
migration from one version to the next, registered in :data:`MIGRATIONS`; steps chain, so a
file several versions behind is brought up in one run. Within the current version:

* a file that names no format gains its ``schema:`` line (providers and policies);
* a policy in the first format (no ``charge:``, no ``scope:``) gains ``scope: encounter`` on
  each criterion and exclusion, and ``effect: require`` becomes ``exclude``: how it was
  always read, so its decisions do not change (:mod:`deflectkit.files.migration`).

Migrations edit the text, not a re-dumped YAML tree, so comments, key order and quoting
survive; each edit must read back exactly as intended, and the result must load, before it
is written (through a temporary file and a rename: never half a file).

Besides rewriting, the command explains what a policy leaves to its defaults where the
default changed meaning for readers: a policy without ``charge:`` answers only the linkage
question (no decision says what happens to a charge). Which rules are about the charge is
the agency's call, so that part is explained, not guessed.

Without ``--write`` nothing is written: each file to change is shown with its diff and the
exit code is 1 (so CI can require current files).
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Final, Literal

import attrs

__all__ = ["HELP", "MIGRATIONS", "Migration", "Outcome", "add_arguments", "migrate_text", "run"]

HELP = "bring policy and provider files to the current format (dry run unless --write)"

Kind = Literal["policy", "provider", "policy_tests"]

_ANY_SCHEMA_LINE: Final = re.compile(r"^schema:.*$", re.MULTILINE)
#: Widest line of a file shown in a dry run's diff (the JSON report keeps lines whole).
_DIFF_WIDTH: Final = 240
#: A step of a diff, as difflib names them: (tag, old start, old end, new start, new end).
_Tag = Literal["replace", "delete", "insert", "equal"]
_Opcode = tuple[_Tag, int, int, int, int]
#: Kinds whose files name their format and can be migrated.
_VERSIONED: Final = ("policy", "provider")


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


#: (kind, version) -> the step from that version. ``deflectkit/policy@1`` and
#: ``deflectkit/provider@1`` are the first and current formats, so there is no step yet; a
#: new format adds its step here.
MIGRATIONS: dict[tuple[str, int], Migration] = {}


@attrs.frozen
class Outcome:
    """What migrating one file did or would do.

    Attributes:
        diff: the change as unified-diff lines (empty when nothing changes).
    """

    path: str
    kind: str
    status: Literal["current", "migrated", "would_migrate", "error"]
    changes: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    text: str | None = attrs.field(default=None, repr=False)
    diff: tuple[str, ...] = attrs.field(default=(), repr=False)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``PATH…`` and ``--write``."""
    parser.add_argument("paths", nargs="*", default=["data"], metavar="PATH",
                        help="files or folders (default: data/)")
    parser.add_argument("--write", action="store_true",
                        help="rewrite files in place (default: only show the changes)")


def current_version(kind: str) -> int:
    """The format version this deflectkit writes for ``kind``."""
    if kind == "policy":
        from deflectkit.core.policy.model import SCHEMA_VERSION

        return SCHEMA_VERSION
    from deflectkit.core.providers import PROVIDER_SCHEMA_VERSION

    return PROVIDER_SCHEMA_VERSION


def migrate_text(text: str, kind: str, name: str = "<text>") -> Outcome:
    """Bring one file's text to the current format (text in, text out: no file is touched).

    Returns:
        ``current`` (nothing to do), ``would_migrate`` with the new text, its diff and the
        steps taken, or ``error`` with the reason in ``notes``.
    """
    from deflectkit.errors import DataError
    from deflectkit.files.migration import MigrationError, migrate_first_format

    if kind not in _VERSIONED:
        return Outcome(name, kind, "current")
    try:
        new, changes = _to_current_version(text, kind, name)
        if kind == "policy":
            new, more = migrate_first_format(new, name)
            changes = (*changes, *more)
    except MigrationError as exc:
        return Outcome(name, kind, "error", notes=(str(exc),))
    except DataError as exc:
        return Outcome(name, kind, "error", notes=tuple(p.format() for p in exc.problems[:1]))
    notes = _policy_notes(new) if kind == "policy" else ()
    if not changes:
        return Outcome(name, kind, "current", notes=notes, text=new)
    diff = unified_diff(text.splitlines(keepends=True), new.splitlines(keepends=True), name)
    return Outcome(name, kind, "would_migrate", changes, notes, new,
                   tuple(line.rstrip("\r\n") for line in diff))


def unified_diff(old: list[str], new: list[str], name: str, context: int = 1) -> Iterator[str]:
    r"""The unified diff of two versions of a file, found in one pass over their lines.

    Migrations insert lines and change lines in place, and for such edits one pass finds
    the same change difflib does; difflib's search is quadratic in the number of edits (a
    policy of 3,500 rules: 13 s for the diff alone). Any other change still gives a
    correct diff, at worst a longer one.

    Example:
        >>> list(unified_diff(["a\n", "b\n"], ["a\n", "x\n", "b\n"], "f"))
        ['--- f\n', '+++ f\n', '@@ -1,2 +1,3 @@\n', ' a\n', '+x\n', ' b\n']
    """
    matcher = _OnePassMatcher(_line_opcodes(old, new))
    for index, group in enumerate(matcher.get_grouped_opcodes(context)):
        if index == 0:
            yield f"--- {name}\n"
            yield f"+++ {name}\n"
        first, last = group[0], group[-1]
        yield f"@@ -{_span(first[1], last[2])} +{_span(first[3], last[4])} @@\n"
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                yield from (f" {line}" for line in old[i1:i2])
                continue
            yield from (f"-{line}" for line in old[i1:i2])
            yield from (f"+{line}" for line in new[j1:j2])


class _OnePassMatcher(difflib.SequenceMatcher[str]):
    """difflib's hunk grouping over opcodes found elsewhere."""

    def __init__(self, opcodes: list[_Opcode]) -> None:
        super().__init__(None, [], [])
        self._found = opcodes

    def get_opcodes(self) -> list[_Opcode]:
        return self._found


def _line_opcodes(old: list[str], new: list[str]) -> list[_Opcode]:
    """Opcodes in one pass.

    Each line is equal, inserted (the next new line is the old one) or replaced; what is
    left at the end is deleted or inserted.
    """
    steps: list[_Opcode] = []
    i = j = 0
    while i < len(old) or j < len(new):
        tag, di, dj = _step(old, new, i, j)
        if steps and steps[-1][0] == tag:  # the same kind of step as before: one longer step
            _, i1, _, j1, _ = steps[-1]
            steps[-1] = (tag, i1, i + di, j1, j + dj)
        else:
            steps.append((tag, i, i + di, j, j + dj))
        i, j = i + di, j + dj
    return steps


def _step(old: list[str], new: list[str], i: int, j: int) -> tuple[_Tag, int, int]:
    """What happened to old line ``i`` / new line ``j``, and how many of each it takes."""
    if i < len(old) and j < len(new) and old[i] == new[j]:
        return "equal", 1, 1
    if j < len(new) and (i == len(old) or (j + 1 < len(new) and old[i] == new[j + 1])):
        return "insert", 0, 1
    if j == len(new):
        return "delete", 1, 0
    return "replace", 1, 1


def _span(start: int, stop: int) -> str:
    """A hunk's range as unified diffs write it.

    difflib's rule: one line is its number alone; an empty range names the line before it.
    """
    length = stop - start
    if length == 1:
        return f"{start + 1}"
    return f"{start if length == 0 else start + 1},{length}"


def _to_current_version(text: str, kind: str, name: str) -> tuple[str, tuple[str, ...]]:
    """The text in the newest version of its format, and the steps taken.

    Raises:
        MigrationError: the file names another kind, a newer version, or a version with no
            step from it.
    """
    from deflectkit.core.formats import format_name, format_problem, parse_format
    from deflectkit.files.migration import MigrationError, stamp_schema
    from deflectkit.files.yamlio import parse_yaml

    latest = current_version(kind)
    value = parse_yaml(text, name).value
    if not isinstance(value, dict) or "schema" not in value:
        schema = format_name(kind, latest)
        stamped = stamp_schema(text, name, schema)
        return stamped, (f"added `schema: {schema}` (the file named no format)",)
    wrong = format_problem(value["schema"], kind, latest)
    parsed = parse_format(value["schema"])
    if wrong is not None or parsed is None:
        raise MigrationError(f"schema: {wrong}")
    declared, changes = parsed[1], []
    while declared < latest:
        step = MIGRATIONS.get((kind, declared))
        if step is None:
            raise MigrationError(f"no migration from {kind}@{declared}; migrate it by hand "
                                 "(docs/guide/versioning.md lists each format's changes)")
        text = _set_schema(step.apply(text), format_name(kind, step.to))
        changes.append(f"{kind}@{declared} -> @{step.to}: {step.summary}")
        declared = step.to
    return text, tuple(changes)


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
    from deflectkit.files.providers import check_provider_document
    from deflectkit.files.yamlio import parse_yaml

    if outcome.text is None or outcome.status != "would_migrate":
        return outcome
    try:
        doc = parse_yaml(outcome.text, outcome.path)
        if outcome.kind == "policy":
            problems = policy_problems(doc)[1]
        else:
            problems = check_provider_document(doc, today=None)[1]
    except DataError as exc:
        problems = list(exc.problems)
    errors = [p for p in problems if p.is_error]
    if errors:
        return attrs.evolve(outcome, status="error", notes=(
            *outcome.notes, f"after migrating, it does not load: {errors[0].format()}"))
    return outcome


def run(args: argparse.Namespace) -> int:
    """Report (or, with ``--write``, apply) the migration of every file under the paths."""
    from deflectkit.files.validation import NO_SUCH_PATH, find_files

    found, walk_problems = find_files(args.paths)
    missing = [p for p in walk_problems if p.message == NO_SUCH_PATH]
    if missing:
        print(f"deflectkit migrate: error: {missing[0].path}: {NO_SUCH_PATH}", file=sys.stderr)
        return 2
    outcomes = [Outcome(p.path, "file", "error", notes=(p.format(),))
                for p in walk_problems if p.is_error]
    outcomes += [_migrate_file(path, kind, write=args.write) for path, kind in found]
    _report(outcomes, args.format)
    if any(o.status == "error" for o in outcomes):
        return 1
    return 1 if any(o.status == "would_migrate" for o in outcomes) else 0


def _migrate_file(path: Path, kind: str, *, write: bool) -> Outcome:
    """What migrating one file does; with ``write``, the file rewritten when it changes."""
    unreadable = _unreadable(path, kind)
    if unreadable is not None:
        return unreadable
    data = _read_bytes(path)
    if isinstance(data, Outcome):
        return data
    # Bytes, decoded: reading as text would turn CRLF line ends into LF on the way back.
    outcome = _check(migrate_text(data.decode("utf-8"), kind, str(path)))
    if not write or outcome.status != "would_migrate" or outcome.text is None:
        return outcome
    refused = _not_to_write(path, data)
    if refused is not None:
        return attrs.evolve(outcome, status="error", notes=(*outcome.notes, refused))
    from deflectkit.files.atomic import write_file_atomically

    try:
        write_file_atomically(path, outcome.text)
    except OSError as exc:  # the temporary file is gone and the file is as it was
        note = f"not written ({exc.strerror or type(exc).__name__}); the file is unchanged"
        return attrs.evolve(outcome, status="error", notes=(*outcome.notes, note))
    return attrs.evolve(outcome, status="migrated")


def _read_bytes(path: Path) -> bytes | Outcome:
    """The file's bytes, read once with the reader's guards (regular file, size, UTF-8).

    The checks before this read the file too; one that changed since (an editor saving
    it, say) is read here as it is now, never raw: a file swapped for a FIFO, a huge file
    or bytes that are not UTF-8 is an error, not a hang or a traceback.
    """
    from deflectkit.errors import DataError
    from deflectkit.files.yamlio import MAX_FILE_BYTES, read_regular_file

    try:
        data = read_regular_file(path, str(path), MAX_FILE_BYTES)
        data.decode("utf-8")
    except DataError as exc:
        return Outcome(str(path), "file", "error", notes=(exc.problems[0].format(),))
    except UnicodeDecodeError:
        return Outcome(str(path), "file", "error", notes=(
            "changed while it was being read (it is no longer UTF-8 text): run migrate again",))
    return data


def _not_to_write(path: Path, read: bytes) -> str | None:
    """Why the migrated text must not replace ``path`` now, or ``None``.

    A file that changed since it was read would lose that change; a read-only file says
    its owner does not want it edited (a rename would replace it all the same, even as
    root, so the mode is asked, not the rename).
    """
    from deflectkit.errors import DataError
    from deflectkit.files.yamlio import MAX_FILE_BYTES, read_regular_file

    try:
        now = read_regular_file(path, str(path), MAX_FILE_BYTES)
        mode = path.stat().st_mode
    except (DataError, OSError):
        now, mode = None, 0
    if now != read:
        return "not written: the file changed while it was being migrated; run migrate again"
    if not mode & 0o222 or not os.access(path, os.W_OK):
        return "not written: the file is read-only; make it writable to migrate it"
    return None


def _unreadable(path: Path, kind: str) -> Outcome | None:
    """An error outcome for a file that must not be migrated, before its text is read raw.

    Migration edits text, so a policy is first read with every guard the YAML reader has
    (regular files only, size, encoding, nesting, tags); what it then lacks (a ``schema:``
    line, say) is what migration is for. Provider and test files must pass the validator
    first (a provider's format has no older version a validator would refuse), so nothing
    broken is called "current" and no broken file is rewritten.
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
    from deflectkit.errors import MAX_MESSAGE_CHARS, printable, shorten
    from deflectkit.spelling import counted  # the same summary wording as validate's

    if form == "json":
        keys = ("path", "kind", "status", "changes", "notes", "diff")
        print(json.dumps([{k: _plain(getattr(o, k)) for k in keys} for o in outcomes]))
        return
    counts: Mapping[str, int] = {s: sum(o.status == s for o in outcomes)
                                 for s in ("current", "migrated", "would_migrate", "error")}
    for o in outcomes:
        if o.kind != "policy" and o.status == "current":
            continue  # a folder of current provider files: nothing to say about each
        print(f"{printable(o.path)}: {o.status.replace('_', ' ')}")
        for line in (*o.changes, *o.notes):
            print(f"  {printable(shorten(line, MAX_MESSAGE_CHARS))}")
        if o.status == "would_migrate":
            for line in o.diff:  # a line of the file may be a megabyte long: cut, not quoted
                print(f"    {printable(shorten(line, _DIFF_WIDTH))}")
    print(f"{counted(len(outcomes), 'file')}: {counts['current']} current, "
          f"{counts['migrated']} migrated, {counts['would_migrate']} to migrate (run with "
          f"--write), {counted(counts['error'], 'error')}")


def _plain(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value

