"""One event of a follow-up case (docs/design/formats.md#follow-up-events): what happened, and when.

The event words are those of :data:`deflectkit.vocabulary.EVENT_TYPES` that a case accepts;
the program-wide event log (docs/design/formats.md#event-log) uses the same words.
"""

from __future__ import annotations

import datetime as dt

import attrs

from deflectkit.core.localtime import is_aware
from deflectkit.spelling import hint
from deflectkit.vocabulary import EVENT_TYPES

__all__ = ["CASE_EVENT_TYPES", "CaseEvent", "event_errors"]

#: The event types a follow-up case accepts, a subset of ``EVENT_TYPES``
#: (docs/design/formats.md#follow-up-events).
CASE_EVENT_TYPES: tuple[str, ...] = tuple(
    w
    for w in EVENT_TYPES.words
    if w
    in {
        "handoff_completed",
        "intake",
        "intake_missed",
        "treatment_contact",
        "return_to_use",
        "followup_attempt",
        "closed",
    }
)

def event_errors(
    at: object, type_: object, checkpoint: object = None, reached: object = None
) -> list[tuple[str, str]]:
    """Why an event's own fields are invalid, as ``(field, message)`` pairs (empty if valid).

    Shared by :class:`CaseEvent` and the events-file reader, so both say the same thing.
    """
    errors: list[tuple[str, str]] = []
    if isinstance(at, dt.date) and not isinstance(at, dt.datetime):
        msg = f"{at.isoformat()} is a date; give the time too, like {at.isoformat()}T10:00:00-07:00"
        errors.append(("at", msg))
    elif not isinstance(at, dt.datetime):
        errors.append(("at", f"expected a date and time with offset, got {at!r}"))
    elif not is_aware(at):
        errors.append(
            ("at", f"{at.isoformat()} has no UTC offset; write it like 2025-03-04T10:00:00-07:00")
        )
    if type_ not in CASE_EVENT_TYPES:
        guess = EVENT_TYPES.suggest(type_) if isinstance(type_, str) else None
        if type_ in EVENT_TYPES:
            msg = f"event type {type_!r} belongs in the program log, not a case's events"
        else:
            msg = f"unknown event type {type_!r}"
        near = guess if guess in CASE_EVENT_TYPES and guess != type_ else None
        msg += hint(near, otherwise=f"; expected one of: {', '.join(CASE_EVENT_TYPES)}")
        errors.append(("type", msg))
    if type_ == "followup_attempt":
        if not isinstance(reached, bool):
            msg = "a followup_attempt needs 'reached: true' or 'reached: false'"
            errors.append(("reached", msg))
    elif reached is not None and type_ in CASE_EVENT_TYPES:  # a misspelt type says enough
        errors.append(("reached", "only a followup_attempt has 'reached'"))
    if checkpoint is not None:
        if not isinstance(checkpoint, str) or not checkpoint:
            msg = f"expected a contact id such as 'day-7', got {checkpoint!r}"
            errors.append(("checkpoint", msg))
        elif type_ != "followup_attempt" and type_ in CASE_EVENT_TYPES:
            errors.append(("checkpoint", "only a followup_attempt names a checkpoint"))
    return errors


@attrs.frozen
class CaseEvent:
    """Something that happened in a case.

    Attributes:
        at: when, with its UTC offset. For ``intake_missed``, the missed appointment's time.
        type: one of :data:`CASE_EVENT_TYPES`.
        checkpoint: for ``followup_attempt``: the contact it was for (``day-7``,
            ``re_engagement-1``, ``outreach``); by default the latest checkpoint due.
        reached: for ``followup_attempt``: whether the person was reached.
        note: free text for the navigator; never shown in ``repr`` (it may name people).

    Raises:
        ValueError: a field is invalid (see :func:`event_errors`).

    Example:
        >>> import datetime as dt
        >>> at = dt.datetime(2025, 3, 4, 14, 30, tzinfo=dt.timezone(dt.timedelta(hours=-7)))
        >>> CaseEvent(at, "followup_attempt", checkpoint="day-1", reached=True).type
        'followup_attempt'
        >>> CaseEvent(at, "intake_mised")
        Traceback (most recent call last):
        ...
        ValueError: type: unknown event type 'intake_mised'; did you mean 'intake_missed'?
    """

    at: dt.datetime
    type: str
    checkpoint: str | None = None
    reached: bool | None = None
    note: str | None = attrs.field(default=None, repr=False)

    def __attrs_post_init__(self) -> None:
        errors = event_errors(self.at, self.type, self.checkpoint, self.reached)
        if errors:
            raise ValueError("; ".join(f"{field}: {msg}" for field, msg in errors))
