"""Coverage-guided fuzzing of the readers strangers' data goes through (run by hand).

Not part of the test suite: a run takes minutes. With atheris installed (``pip install
atheris``, or ``pip install --target DIR atheris`` and ``PYTHONPATH=DIR``)::

    python -m tests.hostile.fuzz yaml -max_total_time=60
    python -m tests.hostile.fuzz provider -max_total_time=60
    python -m tests.hostile.fuzz hsds -max_total_time=60
    python -m tests.hostile.fuzz hours -max_total_time=60
    python -m tests.hostile.fuzz events -max_total_time=60
    python -m tests.hostile.fuzz migrate -max_total_time=60 SEEDS/

(``SEEDS/``: a folder of policy and provider files to start from, such as a copy of
``data/policies`` and ``data/providers``.)

Each target feeds bytes to one reader and fails on anything but the reader's own error
type (a traceback a user would see). A crash is saved as ``crash-…`` to replay it.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import atheris  # installed by hand, for fuzzing only (not a dependency)

with atheris.instrument_imports(include=["deflectkit"]):
    from deflectkit.cli.migrate import migrate_text
    from deflectkit.errors import DataError, EventLogError
    from deflectkit.files.events import read_events
    from deflectkit.files.migration import MigrationError, migrate_first_format, stamp_schema
    from deflectkit.files.providers import check_provider_document
    from deflectkit.files.yamlio import parse_yaml
    from deflectkit.interop.hsds_hours import days_from_rows, read_free_text
    from deflectkit.interop.hsds_import import read_hsds

TODAY = dt.date(2026, 12, 1)
SCRATCH = Path(tempfile.mkdtemp(prefix="deflectkit-fuzz-"))


def fuzz_yaml(data: bytes) -> None:
    try:
        parse_yaml(data, "fuzz.yaml")
    except DataError as error:
        for problem in error.problems:
            problem.format(with_snippet=True)


def fuzz_provider(data: bytes) -> None:
    try:
        doc = parse_yaml(data, "example-fuzz.yaml")
    except DataError:
        return
    _provider, problems = check_provider_document(doc, today=TODAY)
    for problem in problems:
        problem.format(with_snippet=True)


def fuzz_hsds(data: bytes) -> None:
    file = SCRATCH / "feed.json"
    file.write_bytes(data)
    with contextlib.suppress(DataError):
        read_hsds(file)


def fuzz_hours(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    text = provider.ConsumeUnicodeNoSurrogates(4_000)
    read_free_text(text)
    days_from_rows([{"byday": text[:40], "opens_at": text[40:60], "closes_at": text[60:80]}])


def fuzz_events(data: bytes) -> None:
    suffix = ".jsonl" if data[:1] == b"{" else ".csv"
    file = SCRATCH / f"events{suffix}"
    file.write_bytes(data)
    with contextlib.suppress(EventLogError):
        for _event in read_events(file):
            pass


def fuzz_migrate(data: bytes) -> None:
    """Every edit reads back as the old data plus exactly the change, or is refused."""
    try:
        text = data.decode("utf-8")
        old = parse_yaml(text, "p.yaml").value
    except (UnicodeDecodeError, DataError):
        return
    for kind in ("policy", "provider"):
        migrate_text(text, kind, "p.yaml")  # any exception but its own outcome is a crash
    with contextlib.suppress(MigrationError):
        if isinstance(old, dict) and "schema" not in old:
            stamped = stamp_schema(text, "p.yaml", "deflectkit/provider@1")
            assert parse_yaml(stamped, "p.yaml").value == {**old, "schema": "deflectkit/provider@1"}
    with contextlib.suppress(MigrationError):
        new, changes = migrate_first_format(text, "p.yaml")
        assert changes or new == text
        if changes:  # the expected data, computed here rather than by the editor
            assert parse_yaml(new, "p.yaml").value == _scoped(old)


def _scoped(value: dict[str, object]) -> object:
    from deflectkit.files.migration import is_first_format, scoped_rules

    out = copy.deepcopy(value)
    first = is_first_format(value)
    for path, rule in list(scoped_rules(out)):
        if first:
            rule["scope"] = "encounter"  # type: ignore[index]
        if path[1] == "criteria" and rule.get("effect") == "require":
            rule["effect"] = "exclude"  # type: ignore[index]
    return out


TARGETS: dict[str, Callable[[bytes], None]] = {
    "yaml": fuzz_yaml,
    "provider": fuzz_provider,
    "hsds": fuzz_hsds,
    "hours": fuzz_hours,
    "events": fuzz_events,
    "migrate": fuzz_migrate,
}


def main() -> None:
    name = sys.argv[1]
    atheris.Setup([sys.argv[0], *sys.argv[2:]], TARGETS[name])
    atheris.Fuzz()


if __name__ == "__main__":
    main()
