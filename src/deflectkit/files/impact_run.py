"""An impact analysis of an encounter file, on every core: ``impact_file``.

``dk.impact`` decides a stream of encounters in one process. A year of a large city's
encounters is millions of rows and two decisions each; this edge splits the file into
byte ranges of whole lines (:func:`deflectkit.files.encounters.split_file`), counts each
range in its own process with :func:`deflectkit.core.impact.count` (each process loads the
two policies from their files) and adds the tallies up before summarising once. The result
is the same :class:`~deflectkit.core.impact.Impact` as ``dk.impact`` over the whole file:
counts add, and the examples kept are those of the earliest lines.

Problems found by the parts are gathered and raised together, as one reader would.
"""

from __future__ import annotations

import datetime as dt
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Literal

from deflectkit.core.impact import DEFAULT_EXAMPLES, Impact, Tally, count, summarise
from deflectkit.core.policy.model import Policy
from deflectkit.errors import DataError, PolicyError, Problem, sort_problems
from deflectkit.files.encounters import Part, read_encounters, split_file
from deflectkit.files.events import MAX_LISTED
from deflectkit.spelling import counted

__all__ = ["impact_file"]

_Outcome = tuple[Literal["ok"], Tally] | tuple[Literal["data", "policy"], list[Problem]]


def _count_part(  # noqa: PLR0917 - one private call site, in a worker process
    old_source: str, new_source: str, path: str, part: Part,
    old_as_of: dt.date | None, new_as_of: dt.date | None, examples: int,
) -> _Outcome:
    """Count one part of the file; problems come back as values (they cross processes)."""
    from deflectkit.files.policy import load_policy

    old = load_policy(old_source)
    new = old if new_source == old_source else load_policy(new_source)
    try:
        return "ok", count(old, new, read_encounters(path, [old, new], part=part),
                           old_as_of=old_as_of, new_as_of=new_as_of, examples=examples,
                           source=path)
    except DataError as exc:
        return "data", list(exc.problems)
    except PolicyError as exc:
        return "policy", list(exc.problems)


def _workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def impact_file(
    old: Policy,
    new: Policy,
    path: str | Path,
    *,
    old_as_of: dt.date | None = None,
    new_as_of: dt.date | None = None,
    examples: int = DEFAULT_EXAMPLES,
    workers: int | None = None,
) -> Impact:
    """``dk.impact`` over an encounter file, counted in parts side by side.

    Args:
        old: the policy in force; it must have been loaded from a file (workers reload it).
        new: the proposed policy, likewise.
        path: the encounter file (CSV or JSON Lines).
        old_as_of: decide the old side on this day (default: each contact date).
        new_as_of: the same for the new side.
        examples: examples kept per transition.
        workers: processes to use (default: the cores this process may run on). Small files,
            CSV files with quotes and policies not loaded from files are read in one part.

    Raises:
        DataError: the file has problems (every one, with line and column).
        PolicyError: an encounter cannot be decided.
    """
    name = str(path)
    parts = [Part(0, 0, 0)]
    if old.source and new.source and Path(name).is_file():
        parts = split_file(name, workers or _workers())
    if len(parts) == 1:
        tally = count(old, new, read_encounters(name, [old, new]), old_as_of=old_as_of,
                      new_as_of=new_as_of, examples=examples, source=name)
        return summarise(tally, old, new, old_as_of=old_as_of, new_as_of=new_as_of)
    old_source, new_source = str(old.source), str(new.source)
    # The header (personal-data columns above all) is refused before any process starts.
    next(read_encounters(name, [old, new], part=Part(parts[0].start, parts[0].start, 0)), None)
    with ProcessPoolExecutor(max_workers=len(parts)) as pool:
        outcomes = list(pool.map(
            _count_part, *zip(*[(old_source, new_source, name, p, old_as_of, new_as_of,
                                 examples) for p in parts], strict=True),
        ))
    return _combine(outcomes, old, new, old_as_of, new_as_of, name)


def _combine(  # noqa: PLR0917 - one private call site
    outcomes: list[_Outcome], old: Policy, new: Policy, old_as_of: dt.date | None,
    new_as_of: dt.date | None, name: str,
) -> Impact:
    problems: dict[str, list[Problem]] = {"data": [], "policy": []}
    total: Tally | None = None
    for kind, value in outcomes:
        if isinstance(value, Tally):
            if total is None:
                total = value
            else:
                total.merge(value)
        else:
            problems[kind] += value
    for kind, error in (("data", DataError), ("policy", PolicyError)):
        found = sort_problems(problems[kind])
        if found:
            listed = found[:MAX_LISTED]
            if len(found) > MAX_LISTED:
                more = len(found) - MAX_LISTED
                listed.append(
                    Problem(name, None, None, "", f"… and {counted(more, 'more problem')}"))
            raise error(listed, f"{counted(len(found), 'problem')} in encounter file {name}")
    assert total is not None
    return summarise(total, old, new, old_as_of=old_as_of, new_as_of=new_as_of)
