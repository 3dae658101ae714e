"""Read a follow-up case's events from a YAML or JSON file.

The format: docs/design/formats.md#follow-up-events.

The file is a list of ``{at, type, …}`` mappings::

    - {at: 2025-03-03T16:00:00-07:00, type: handoff_completed}
    - {at: 2025-03-04T15:10:00-07:00, type: followup_attempt, reached: false}
    - {at: 2025-03-05T09:00:00-07:00, type: intake}

Every problem is collected and reported with the file, line and the event's position
(``[3].type`` is the fourth event): unknown keys and event types (with "did you mean"),
times without a UTC offset, a ``followup_attempt`` without ``reached``, events out of time
order and, given the case, events before the referral and unknown checkpoint ids.

Events after a ``closed`` event are not errors: the case keeps them and ignores them, and
:func:`load_case_events` returns one warning for each (file, line), so a late report from a
provider never makes ``deflectkit followup`` fail.

Example:
    >>> from deflectkit.errors import EventLogError
    >>> try:
    ...     parse_case_events("- {at: 2025-03-04T10:00:00-07:00, type: intak}", "ev.yaml")
    ... except EventLogError as exc:
    ...     print(exc.problems[0])
    ev.yaml:1:41: error: [0].type: unknown event type 'intak'; did you mean 'intake'?
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs

from deflectkit.core.case_event import CaseEvent, event_errors
from deflectkit.core.followup import Case
from deflectkit.core.localtime import utc
from deflectkit.errors import DataError, EventLogError, Problem
from deflectkit.files.yamlio import YamlDocument, parse_yaml, read_yaml
from deflectkit.spelling import counted, did_you_mean

__all__ = [
    "EVENT_KEYS",
    "CaseEvents",
    "apply_case_events",
    "load_case_events",
    "parse_case_events",
    "read_case_events",
]

#: The keys an event may have.
EVENT_KEYS: tuple[str, ...] = ("at", "type", "checkpoint", "reached", "note")


@attrs.frozen
class CaseEvents:
    """The events of a file, and the warnings about them (events after the case closed)."""

    events: tuple[CaseEvent, ...]
    warnings: tuple[Problem, ...] = ()


def load_case_events(path: str | Path, *, case: Case | None = None) -> CaseEvents:
    """Read and check the events in ``path``; warnings come back, never raised.

    Args:
        path: a YAML or JSON file holding a list of events.
        case: when given, events are also checked against it (not before the referral,
            known checkpoint ids), by applying them in turn; an event after a ``closed``
            event is kept (the case ignores it) and named in a warning.

    Raises:
        EventLogError: listing every problem with file, line and the event's position.
    """
    try:
        doc = read_yaml(path)
    except DataError as exc:
        raise EventLogError(exc.problems) from None
    return _events(doc, case)


def read_case_events(path: str | Path, *, case: Case | None = None) -> tuple[CaseEvent, ...]:
    """The events of :func:`load_case_events` (its warnings are dropped)."""
    return load_case_events(path, case=case).events


def parse_case_events(
    data: str | bytes, name: str = "<events>", *, case: Case | None = None
) -> tuple[CaseEvent, ...]:
    """Like :func:`read_case_events`, from text already in memory (``name`` is for messages)."""
    try:
        doc = parse_yaml(data, name)
    except DataError as exc:
        raise EventLogError(exc.problems) from None
    return _events(doc, case).events


def apply_case_events(case: Case, path: str | Path) -> Case:
    """The case with every event of ``path`` applied; :class:`EventLogError` on any problem."""
    return case.apply_all(read_case_events(path, case=case))


def _events(doc: YamlDocument, case: Case | None) -> CaseEvents:
    if not isinstance(doc.value, list):
        found = type(doc.value).__name__
        raise EventLogError(
            [doc.problem((), f"expected a list of events like '- {{at: …, type: …}}', got {found}")]
        )
    problems: list[Problem] = []
    events: list[tuple[int, CaseEvent]] = []
    previous: dt.datetime | None = None
    for index, item in enumerate(doc.value):
        event = _event(doc, index, item, problems)
        if event is None:
            continue
        if previous is not None and utc(event.at) < utc(previous):
            problems.append(
                doc.problem(
                    (index, "at"),
                    f"{event.at.isoformat()} is out of time order: the event before it is at "
                    f"{previous.isoformat()}; list events oldest first",
                )
            )
            continue
        previous = event.at
        events.append((index, event))
    warnings: list[Problem] = []
    if case is not None and not problems:
        # Case-level checks need the events before each one applied, so run them in order.
        for index, event in events:
            errors = case.check(event)
            if errors:
                problems.extend(doc.problem((index, field), msg) for field, msg in errors)
                break  # later events would be judged against a wrong history
            closed = case.closed_before(event)
            if closed is not None:
                message = (
                    f"the case was closed at {closed.isoformat()}; this {event.type} event is "
                    "kept but ignored (a new deflection is a new referral linked to this one)"
                )
                warnings.append(doc.problem((index, "type"), message, severity="warning"))
            case = case.apply(event)
    if problems:
        raise EventLogError(problems, f"{counted(len(problems), 'problem')} in {doc.path}")
    return CaseEvents(tuple(event for _, event in events), tuple(warnings))


def _event(doc: YamlDocument, index: int, item: Any, problems: list[Problem]) -> CaseEvent | None:
    if not isinstance(item, dict):
        problems.append(doc.problem((index,), "expected a mapping like {at: …, type: …}"))
        return None
    ok = True
    for key in item:
        if key not in EVENT_KEYS:
            hint = did_you_mean(str(key), EVENT_KEYS, cutoff=0.6,
                                otherwise=f"; expected {', '.join(EVENT_KEYS)}")
            problems.append(doc.problem((index, key), f"unknown key {key!r}{hint}", key=True))
            ok = False
    for key in ("at", "type"):
        if key not in item:
            problems.append(doc.problem((index,), f"the event has no {key!r}"))
            ok = False
    if not ok:
        return None
    at = _moment(item["at"])
    note = item.get("note")
    if note is not None and not isinstance(note, str):
        problems.append(doc.problem((index, "note"), "a note is text"))
        ok = False
    errors = event_errors(at, item["type"], item.get("checkpoint"), item.get("reached"))
    for field, msg in errors:
        problems.append(doc.problem((index, field), msg))
    if errors or not ok:
        return None
    assert isinstance(at, dt.datetime)  # event_errors said so
    return CaseEvent(at, item["type"], item.get("checkpoint"), item.get("reached"), note)


def _moment(value: object) -> object:
    """A datetime from YAML's own timestamp or an ISO 8601 string (as JSON files hold)."""
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return value
    return value
