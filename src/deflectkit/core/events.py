"""One row of a de-identified program event log, as a frozen value.

The format: docs/design/formats.md#event-log.

The log says *what happened to a referral, and when*; it never says who the person is.
``referral_id`` and ``officer_hash`` are opaque tokens chosen by the program, ``at`` is a
timezone-aware moment, and ``type`` is a word of :data:`deflectkit.vocabulary.EVENT_TYPES`.
Reading and checking a log file is the job of :mod:`deflectkit.files.events`.
"""

from __future__ import annotations

import datetime as dt

import attrs

__all__ = ["PROVIDER_EVENT_TYPES", "Event", "consent_end", "consent_end_problem"]

#: Events a treatment provider tells the program. 42 CFR Part 2 (42 CFR 2.31, 2.35) lets a
#: provider disclose them only under the person's written consent, so measures count them
#: only inside a consent span (``consent_recorded`` to ``consent_revoked`` or its end date).
PROVIDER_EVENT_TYPES: frozenset[str] = frozenset(
    {"intake", "intake_missed", "treatment_contact", "return_to_use"}
)


@attrs.frozen
class Event:
    """One event of one referral.

    Attributes:
        event_id: unique id of this row in the log.
        at: when it happened, with its UTC offset (local wall-clock time of the program).
        referral_id: opaque id grouping the events of one encounter and its referral.
        type: a word of ``EVENT_TYPES`` (``offered``, ``referred``, ``intake`` …).
        pathway: a word of ``PATHWAYS``; required on ``referred`` events.
        officer_hash: opaque token for the officer (never a name or badge number).
        provider_id: the provider's slug, when the event concerns one.
        detail: free text kept short and de-identified by the program. On
            ``consent_recorded``: the consent's end date (``2025-09-30``), or empty for
            "until revoked".
        minutes: on ``handoff_completed``, the officer minutes the hand-off took, when the
            program records them (finite, 0 or more).
        line: where the event was read (a file's line), for warnings; not part of equality.

    Example:
        >>> import datetime as dt
        >>> at = dt.datetime(2025, 3, 3, 14, 30, tzinfo=dt.timezone(dt.timedelta(hours=-7)))
        >>> Event("e1", at, "r1", "referred", pathway="officer_intervention").type
        'referred'
    """

    event_id: str
    at: dt.datetime
    referral_id: str
    type: str
    pathway: str | None = None
    officer_hash: str | None = None
    provider_id: str | None = None
    detail: str | None = attrs.field(default=None, repr=False)  # free text: kept out of logs
    minutes: float | None = None
    line: int | None = attrs.field(default=None, eq=False)


def consent_end_problem(detail: str | None) -> str | None:
    """Why ``detail`` is not a ``consent_recorded`` end date (``None`` when it is one).

    The event reader reports this as a row error; :func:`consent_end` raises it.
    """
    if not detail:
        return None
    try:
        dt.date.fromisoformat(detail)
    except ValueError:
        return (
            "a consent_recorded event's detail is the consent's end date, such as 2025-09-30, "
            "or empty for until revoked"
        )
    return None


def consent_end(event: Event) -> dt.date | None:
    """The last day a ``consent_recorded`` event's consent covers; ``None``: until revoked.

    Raises:
        ValueError: the detail is neither empty nor an ISO date.
    """
    problem = consent_end_problem(event.detail)
    if problem is not None:
        raise ValueError(f"event {event.event_id!r}: {problem}")
    return dt.date.fromisoformat(event.detail) if event.detail else None
