"""One row of a de-identified program event log (DESIGN §8), as a frozen value.

The log says *what happened to a referral, and when*; it never says who the person is.
``referral_id`` and ``officer_hash`` are opaque tokens chosen by the program, ``at`` is a
timezone-aware moment, and ``type`` is a word of :data:`deflectkit.vocabulary.EVENT_TYPES`.
Reading and checking a log file is the job of :mod:`deflectkit.files.events`.
"""

from __future__ import annotations

import datetime as dt

import attrs

__all__ = ["Event"]


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
        detail: free text kept short and de-identified by the program.

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
    detail: str | None = None
