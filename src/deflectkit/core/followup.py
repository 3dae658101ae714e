"""Follow-up after the hand-off: a pure state machine over a case's events.

Events: docs/design/formats.md#follow-up-events; why a case never closes out:
docs/design/domain.md#no-closing-out.

A :class:`Case` is a referral's time, zone, follow-up plan and the events recorded so far.
Everything else (checkpoint states, extra contacts, status, what is due) is *derived* by
replaying those events up to a moment you give, so the same case and moment always give the
same answer and nothing here reads the clock.

Rules, as implemented (the plan's numbers are :class:`FollowUpPlan` defaults):

* **Checkpoints** ``day-N`` fall at the referral's local wall-clock time N calendar days later
  in the program's IANA zone (:mod:`deflectkit.core.localtime` says how DST gaps and repeats
  resolve). Hour-based intervals (attempt window, re-engagement, re-contact, outreach) are
  real elapsed hours.
* **Contact** is a reached ``followup_attempt``, or any ``intake``, ``treatment_contact`` or
  ``return_to_use`` (the person was seen). A contact inside a pending checkpoint's window
  (due time to due + ``attempt_window_hours``) makes it ``reached`` at once; a checkpoint
  whose window ends with a contact since the previous checkpoint's due time (the referral,
  for the first) is ``reached`` too; with none it is ``unable_to_contact`` and the next one
  stays scheduled. A contact also answers every pending extra contact scheduled before it.
* **Attempts.** A ``followup_attempt`` counts for the contact it names (``checkpoint: day-7``,
  or an extra contact's id such as ``re_engagement-1``); otherwise for the latest checkpoint
  due at or before it (before day 1 is due: day 1). It counts while the contact is pending,
  fewer than ``attempts`` were made and it falls no later than the window's end; when the
  last allowed attempt fails, the window ends then. An attempt that counts for nothing is
  kept in the history and counted in ``uncounted_attempts``, so it never vanishes.
* **Lost to contact.** ``lost_after_unreached`` consecutive checkpoints unable to contact make
  the case ``lost_to_contact``, but never before the initiation window has ended (the
  midnight after day 13): a person who starts treatment on day 12 was never lost. Pending
  contacts are then set aside (``skipped``).
* **Nobody is closed out.** Any contact after ``lost_to_contact`` reopens the case: the
  moment is listed in ``reopened``, the status is worked out again from the events, and
  the checkpoints due after it are pending again, as scheduled.
* **Return to use** schedules ``re_engagement-K`` due ``re_engagement_hours`` after the report;
  it is a contact (the person was seen) and never closes a case.
* **Missed intake** (the event's ``at`` is the missed appointment) schedules ``re_contact-K``
  ``re_contact_hours`` later and makes the status ``intake_missed`` until an intake. An intake
  marks pending re-contacts ``skipped``. The initiation window keeps counting from the referral.
* **Initiation and engagement** are those of :mod:`deflectkit.core.treatment_window`, the
  same functions the program measures use, in calendar days of the program's zone: an intake
  on days 0-13 initiates; with none by the end of day 13 the status is ``not_initiated`` and
  the case stays open; an intake after that is ``started_late`` (the person is in treatment;
  ``initiated`` stays false).
* **Naloxone-plus** cases get ``outreach`` due ``overdose_outreach_hours`` after the referral
  (the overdose).
* **Closing**: only a ``closed`` event ends a case. Pending contacts become ``skipped``;
  events after it are kept but ignored (the events-file reader reports each as a warning).
  A new deflection of the same person is a new referral, linked with ``linked_to``.

Example:
    >>> import datetime as dt
    >>> from deflectkit.core.followup_plan import FollowUpPlan
    >>> from deflectkit.core.localtime import zone
    >>> at = dt.datetime(2025, 3, 3, 14, 30, tzinfo=zone("America/Phoenix"))
    >>> case = open_case(None, FollowUpPlan(), referral_at=at, referral_id="ref-1")
    >>> case = case.apply(CaseEvent(at + dt.timedelta(hours=20), "intake"))
    >>> case.status, case.at(at + dt.timedelta(days=5)).next_due.id
    ('initiated', 'day-7')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Final, Protocol
from zoneinfo import ZoneInfo

import attrs

from deflectkit.core.case_event import CASE_EVENT_TYPES, CaseEvent, event_errors
from deflectkit.core.case_replay import replay
from deflectkit.core.case_state import CaseState, Contact, Due, contact_label
from deflectkit.core.followup_plan import FollowUpPlan
from deflectkit.core.localtime import is_aware, utc, zone
from deflectkit.core.referral import IdFactory, fresh_id
from deflectkit.spelling import aside, closest, hint
from deflectkit.vocabulary import PATHWAYS

__all__ = [
    "CASE_EVENT_TYPES",
    "Case",
    "CaseEvent",
    "CaseState",
    "Contact",
    "Due",
    "PathwaySource",
    "contact_label",
    "event_errors",
    "open_case",
]

class PathwaySource(Protocol):
    """Anything a case can be opened from: a ``Decision`` or a ``Referral`` (duck-typed).

    Only ``pathway`` is read; a ``referral_id`` / ``id`` string and ``prior_referral_ids`` are
    used when present.
    """

    @property
    def pathway(self) -> str | None:
        """The deflection pathway (a word of ``PATHWAYS``), or ``None``."""


def _links(value: Iterable[object]) -> tuple[str, ...]:
    items = tuple(value)
    links = tuple(v for v in items if isinstance(v, str) and v)
    if len(links) != len(items):
        msg = "linked_to holds referral ids (non-empty strings)"
        raise ValueError(msg)
    return links


def _events(value: Iterable[CaseEvent]) -> tuple[CaseEvent, ...]:
    return tuple(value)


def _check_pathway(value: str | None) -> None:
    if value is not None and value not in PATHWAYS:
        msg = f"unknown pathway {value!r}" + hint(PATHWAYS.suggest(value))
        raise ValueError(msg)


#: A referral's time is the person's: the message says what is missing without quoting it.
_NAIVE_REFERRAL_AT: Final = (
    "referral_at needs a UTC offset (it was given as a local time without one), e.g."
    " 2025-03-03T14:30:00-07:00"
)


@attrs.frozen
class Case:
    """A referral's follow-up: its schedule and the events so far. Immutable.

    Build one with :func:`open_case`; add events with :meth:`apply`; ask with :meth:`at`,
    :meth:`due`, :attr:`status` and :meth:`status_at`. A case holds no person data.

    Attributes:
        referral_id: the referral's id (a fresh random one when none is given).
        referral_at: when the referral (for naloxone-plus, the overdose) happened.
        timezone: the program's IANA zone; due times follow its wall clock.
        plan: the follow-up plan from the policy.
        pathway: the deflection pathway, if known.
        linked_to: ids of earlier referrals of the same person.
        events: the events applied, in time order.

    Example:
        >>> import datetime as dt
        >>> import deflectkit as dk
        >>> at = dt.datetime(2025, 3, 3, 14, 30, tzinfo=dt.timezone(dt.timedelta(hours=-7)))
        >>> case = dk.open_case(None, dk.FollowUpPlan(), referral_at=at, timezone="America/Phoenix")
        >>> case = case.apply(dk.CaseEvent(at + dt.timedelta(days=2), "intake"))
        >>> case.status, [c.id for c in case.due(at + dt.timedelta(days=8))]
        ('initiated', ['day-7'])
    """

    referral_id: str
    referral_at: dt.datetime
    timezone: str
    plan: FollowUpPlan = attrs.field(factory=FollowUpPlan)
    pathway: str | None = None
    linked_to: tuple[str, ...] = attrs.field(default=(), converter=_links)
    events: tuple[CaseEvent, ...] = attrs.field(default=(), converter=_events)

    def __attrs_post_init__(self) -> None:
        if not is_aware(self.referral_at):
            msg = _NAIVE_REFERRAL_AT
            raise ValueError(msg)
        zone(self.timezone)
        _check_pathway(self.pathway)

    @property
    def zone(self) -> ZoneInfo:
        """The program's zone as a ``ZoneInfo``."""
        return zone(self.timezone)

    @property
    def status(self) -> str:
        """The status as of the last event (or the referral): a word of ``CASE_STATUSES``.

        Elapsed-time statuses (``not_initiated``, an expired window) need a moment:
        use :meth:`status_at`.
        """
        last = self.events[-1].at if self.events else self.referral_at
        return self.at(last).status

    def status_at(self, now: dt.datetime) -> str:
        """The status at ``now``, counting time that passed since the last event."""
        return self.at(now).status

    def due(self, now: dt.datetime) -> list[Due]:
        """Contacts due at ``now`` (pending, due time passed), earliest first."""
        return self.at(now).due(self.plan.attempts)

    def check(self, event: CaseEvent) -> list[tuple[str, str]]:
        """Why ``event`` cannot be applied to this case, as ``(field, message)`` pairs."""
        errors: list[tuple[str, str]] = []
        if utc(event.at) < utc(self.referral_at):
            ref = self.referral_at.astimezone(self.zone).isoformat()
            errors.append(("at", f"{event.at.isoformat()} is before the referral ({ref})"))
            return errors
        if self.events and utc(event.at) < utc(self.events[-1].at):
            prev = self.events[-1].at.isoformat()
            errors.append(
                ("at", f"{event.at.isoformat()} is out of time order: the previous event is {prev}")
            )
            return errors
        name = event.checkpoint
        if name is None or name in {f"day-{n}" for n in self.plan.checkpoints_days}:
            return errors  # nothing more to check: no replay needed (apply stays cheap)
        state = self.at(event.at)
        ids = [c.id for c in state.checkpoints + state.extra_contacts]
        if name not in ids:
            errors.append(("checkpoint", _unknown_contact(name, ids)))
        return errors

    def closed_before(self, event: CaseEvent) -> dt.datetime | None:
        """When a ``closed`` event ended this case before ``event``, else ``None``.

        Such an event is kept in the history but changes nothing: report it as a warning.
        """
        for earlier in self.events:
            if earlier.type == "closed" and utc(earlier.at) <= utc(event.at):
                return earlier.at.astimezone(self.zone)
        return None

    def apply(self, event: CaseEvent) -> Case:
        """A new case with ``event`` added; this one is unchanged.

        Raises:
            ValueError: the event is before the referral or the previous event, or names an
                unknown contact. An event after a ``closed`` event is kept and ignored.
        """
        errors = self.check(event)
        if errors:
            raise ValueError("; ".join(f"{field}: {msg}" for field, msg in errors))
        return attrs.evolve(self, events=(*self.events, event))

    def apply_all(self, events: Iterable[CaseEvent]) -> Case:
        """:meth:`apply` each event in turn."""
        case = self
        for event in events:
            case = case.apply(event)
        return case

    def at(self, now: dt.datetime) -> CaseState:
        """The case as of ``now``: events after ``now`` are ignored, elapsed time counts.

        Raises:
            ValueError: ``now`` has no UTC offset.
        """
        if not is_aware(now):
            msg = f"'now' needs a UTC offset, got {now!r}"
            raise ValueError(msg)
        return replay(self, now)


def _unknown_contact(name: str, ids: list[str]) -> str:
    near = closest(name, ids, cutoff=0.6)
    day = name.removeprefix("day-")
    if day.isdigit():  # "day-8" means a day number: suggest the nearest checkpoint day
        days = [int(i[4:]) for i in ids if i.startswith("day-")]
        if days:
            near = f"day-{min(days, key=lambda d: abs(d - int(day)))}"
    msg = f"unknown checkpoint {name!r}; this case has {', '.join(ids)} at that time"
    return msg + aside(near)


def open_case(
    decision_or_referral: PathwaySource | None,
    plan: FollowUpPlan,
    *,
    referral_at: dt.datetime,
    timezone: str | None = None,
    pathway: str | None = None,
    linked_to: Iterable[str | Case] = (),
    referral_id: str | None = None,
    new_id: IdFactory | None = None,
) -> Case:
    """Open the follow-up case of a referral.

    Args:
        decision_or_referral: a ``Decision`` or ``Referral`` (its ``pathway`` is used, and a
            referral's id and prior referral ids when it has them), or ``None``.
        plan: the policy's follow-up plan (``policy.follow_up``).
        referral_at: the referral's moment with its offset (for naloxone-plus: the overdose).
        timezone: the program's IANA zone (``policy.timezone``); defaults to the source's
            ``timezone`` (a ``Referral`` has one), else ``referral_at``'s own ``ZoneInfo``.
        pathway: overrides the pathway of ``decision_or_referral``.
        linked_to: earlier referrals of the same person: ids, or their ``Case`` (whose own
            links are carried over).
        referral_id: this referral's id; by default the source's, else one drawn from
            ``new_id``. Give one to get the same id, calendar UIDs and case reference on
            every run.
        new_id: where a fresh id comes from when neither ``referral_id`` nor the source has
            one. The core draws no random numbers: ``deflectkit.open_case`` passes
            ``deflectkit.new_referral_id`` (random, so two people referred in the same minute
            on the same pathway never share an id); ``TypeError`` when an id is needed and
            there is none.

    Raises:
        ValueError: a naive ``referral_at``, an unknown zone or pathway, or no zone at all.

    Example:
        >>> import datetime as dt
        >>> at = dt.datetime(2025, 3, 3, 14, 30, tzinfo=dt.timezone(dt.timedelta(hours=-7)))
        >>> import deflectkit as dk
        >>> case = dk.open_case(None, FollowUpPlan(), referral_at=at, timezone="America/Phoenix")
        >>> case.at(at).next_due.due.isoformat()
        '2025-03-04T14:30:00-07:00'
    """
    source = decision_or_referral
    if pathway is None and source is not None:
        pathway = getattr(source, "pathway", None)
    if timezone is None and isinstance(getattr(source, "timezone", None), str):
        timezone = getattr(source, "timezone", None)  # a Referral carries the program's zone
    # A naive time is said to be one first: "has a fixed offset" would be wrong about it.
    if not is_aware(referral_at):
        msg = _NAIVE_REFERRAL_AT
        raise ValueError(msg)
    if timezone is None:
        if not isinstance(referral_at.tzinfo, ZoneInfo):
            msg = "give the program's IANA time zone (timezone=...); referral_at has a fixed offset"
            raise ValueError(msg)
        timezone = referral_at.tzinfo.key
    tz = zone(timezone)
    if referral_id is None and source is not None:
        for name in ("referral_id", "id"):
            value = getattr(source, name, None)
            if isinstance(value, str) and value:
                referral_id = value
                break
    referral_id = fresh_id(referral_id, new_id, caller="open_case")
    links: list[str] = []
    prior = getattr(source, "prior_referral_ids", ()) if source is not None else ()
    for item in (*prior, *linked_to):
        ids = [item.referral_id, *item.linked_to] if isinstance(item, Case) else [item]
        links.extend(i for i in ids if i not in links)
    if referral_id in links:
        msg = f"a referral cannot be linked to itself ({referral_id!r})"
        raise ValueError(msg)
    return Case(
        referral_id=referral_id,
        referral_at=referral_at.astimezone(tz),
        timezone=timezone,
        plan=plan,
        pathway=pathway,
        linked_to=tuple(links),
    )
