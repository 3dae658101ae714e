"""Replaying a follow-up case's events up to a moment (the engine behind ``Case.at``).

The rules are documented once, in :mod:`deflectkit.core.followup`. The replay keeps mutable
scratch state for one pass only; what leaves this module is a frozen :class:`CaseState`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import attrs

from deflectkit.core.case_event import CaseEvent
from deflectkit.core.case_state import CaseState, Contact, contact_order
from deflectkit.core.localtime import add_local_days, localize, utc
from deflectkit.core.treatment_window import (
    initiation_day,
    initiation_last_day,
    local_day,
    reached_engagement,
)
from deflectkit.vocabulary import CASE_STATUSES

if TYPE_CHECKING:
    from deflectkit.core.followup import Case

__all__ = ["replay"]


def replay(case: Case, now: dt.datetime) -> CaseState:
    """The state of ``case`` at ``now`` (events after ``now`` ignored)."""
    return _Replay(case).run(now)


@attrs.define
class _Slot:
    """A contact being replayed (mutable scratch, never leaves this module)."""

    kind: str
    id: str
    due: dt.datetime
    until: dt.datetime
    created: dt.datetime
    status: str = "pending"
    attempts: int = 0
    changed_at: dt.datetime | None = None

    def freeze(self, tz: ZoneInfo) -> Contact:
        return Contact(
            self.kind,
            self.id,
            self.due.astimezone(tz),
            self.until.astimezone(tz),
            self.status,
            self.attempts,
        )


# The events that show the person was seen: each is a contact for follow-up.
_SEEN = frozenset({"intake", "treatment_contact", "return_to_use"})


class _Replay:
    """One pass over a case's events up to a moment; produces a :class:`CaseState`."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self.plan = case.plan
        self.tz = case.zone
        self.window = dt.timedelta(hours=case.plan.attempt_window_hours)
        # Every moment is kept in UTC: Python adds a timedelta to an aware datetime on its
        # wall clock and compares two times in the same zone ignoring ``fold``, both wrong
        # across a DST change. Only day counts use the local clock; output is converted back.
        self.ref_local = case.referral_at.astimezone(self.tz)
        ref = utc(case.referral_at)
        self.checkpoints = [
            self._slot("checkpoint", f"day-{n}", utc(add_local_days(self.ref_local, n)), ref)
            for n in self.plan.checkpoints_days
        ]
        # A checkpoint's contact may come any time after the previous checkpoint was due.
        self.since = {
            slot.id: (self.checkpoints[i - 1].due if i else ref)
            for i, slot in enumerate(self.checkpoints)
        }
        self.extras: list[_Slot] = []
        if case.pathway == "naloxone_plus":
            due = ref + dt.timedelta(hours=self.plan.overdose_outreach_hours)
            self.extras.append(self._slot("outreach", "outreach", due, ref))
        self.referral_day = self.ref_local.date()
        last_day = initiation_last_day(self.referral_day, self.plan.initiation_days)
        # Lost to contact never before the initiation window has ended (midnight after day 13).
        self.initiation_end = utc(
            localize(dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time()), self.tz)
        )
        self.handoff_at: dt.datetime | None = None
        self.intake_at: dt.datetime | None = None
        self.missed_at: dt.datetime | None = None
        self.treatment: list[dt.datetime] = []
        self.last_contact: dt.datetime | None = None
        self.unreached_run = 0
        self.lost_due: dt.datetime | None = None  # when the case becomes lost, if no contact
        self.lost_at: dt.datetime | None = None
        self.lost_skipped: list[_Slot] = []
        self.reopened: list[dt.datetime] = []
        self.closed_at: dt.datetime | None = None
        self.uncounted_attempts = 0

    def _slot(self, kind: str, id_: str, due: dt.datetime, created: dt.datetime) -> _Slot:
        return _Slot(kind, id_, due, due + self.window, created)

    def _count(self, kind: str) -> int:
        return sum(1 for s in self.extras if s.kind == kind)

    def run(self, now: dt.datetime) -> CaseState:
        now = utc(now)
        for event in self.case.events:
            at = utc(event.at)
            if at > now or self.closed_at is not None:
                break  # events after an explicit close are ignored (the reader warns)
            self._expire(at)
            self._handle(event, at)
        if self.closed_at is None:
            self._expire(now)
        return self._state(now)

    def _expire(self, t: dt.datetime) -> None:
        """Close every attempt window that ended before ``t``, in time order.

        The case becomes lost to contact on the way when that time has come.
        """
        while True:
            open_slots = [s for s in self.checkpoints + self.extras if s.status == "pending"]
            slot = min(open_slots, key=lambda s: s.until, default=None)
            lost = self.lost_due
            if lost is not None and lost < t and (slot is None or lost <= slot.until):
                self._lose(lost)
            elif slot is not None and slot.until < t:
                self._window_ended(slot)
            else:
                return

    def _window_ended(self, slot: _Slot) -> None:
        """A contact whose attempt window ended: reached if the person was seen, else not."""
        since = self.since.get(slot.id, slot.created)
        if self.last_contact is not None and self.last_contact > since:
            slot.status, slot.changed_at = "reached", self.last_contact
            return
        slot.status, slot.changed_at = "unable_to_contact", slot.until
        if slot.kind == "checkpoint":
            self._unreached(slot.until)

    def _unreached(self, at: dt.datetime) -> None:
        self.unreached_run += 1
        run_long = self.unreached_run >= self.plan.lost_after_unreached
        if run_long and self.lost_at is None and self.lost_due is None:
            self.lost_due = max(at, self.initiation_end)

    def _lose(self, at: dt.datetime) -> None:
        self.lost_due, self.lost_at = None, at
        for slot in self.checkpoints + self.extras:
            if slot.status == "pending":
                slot.status, slot.changed_at = "skipped", at
                self.lost_skipped.append(slot)

    def _contact(self, at: dt.datetime) -> None:
        """The person was seen or reached at ``at``: it counts for every open contact."""
        self.last_contact = at
        self.unreached_run = 0
        self.lost_due = None
        if self.lost_at is not None:  # nobody is closed out: contact reopens the case
            self.reopened.append(at)
            self.lost_at = None
            for slot in self.lost_skipped:
                if slot.due > at:
                    slot.status, slot.changed_at = "pending", at
            self.lost_skipped = []
        for slot in self.checkpoints:
            if slot.status == "pending" and slot.due <= at <= slot.until:
                slot.status, slot.changed_at = "reached", at
        for extra in self.extras:
            if extra.status == "pending" and extra.created < at:
                extra.status, extra.changed_at = "reached", at

    def _handle(self, event: CaseEvent, at: dt.datetime) -> None:
        self._record(event, at)
        if event.type in _SEEN:  # after: the re-contact an intake makes unneeded is skipped
            self._contact(at)

    def _record(self, event: CaseEvent, at: dt.datetime) -> None:
        if event.type == "handoff_completed":
            self.handoff_at = self.handoff_at or at
        elif event.type == "intake":
            self.intake_at = self.intake_at or at
            for slot in self.extras:
                if slot.kind == "re_contact" and slot.status == "pending":
                    slot.status, slot.changed_at = "skipped", at
        elif event.type == "intake_missed":
            self.missed_at = at
            due = at + dt.timedelta(hours=self.plan.re_contact_hours)
            n = self._count("re_contact") + 1
            self.extras.append(self._slot("re_contact", f"re_contact-{n}", due, at))
        elif event.type == "return_to_use":
            due = at + dt.timedelta(hours=self.plan.re_engagement_hours)
            n = self._count("re_engagement") + 1
            self.extras.append(self._slot("re_engagement", f"re_engagement-{n}", due, at))
        elif event.type == "treatment_contact":
            self.treatment.append(at)
        elif event.type == "followup_attempt":
            self._attempt(event, at)
        elif event.type == "closed":
            self._close(at)

    def _close(self, at: dt.datetime) -> None:
        self.closed_at = at
        for slot in self.checkpoints + self.extras:
            if slot.status == "pending":
                slot.status, slot.changed_at = "skipped", at

    def _target(self, event: CaseEvent, at: dt.datetime) -> _Slot | None:
        if event.checkpoint is not None:
            return next(
                (s for s in self.checkpoints + self.extras if s.id == event.checkpoint), None
            )
        due_before = [s for s in self.checkpoints if s.due <= at]
        return due_before[-1] if due_before else self.checkpoints[0]

    def _attempt(self, event: CaseEvent, at: dt.datetime) -> None:
        slot = self._target(event, at)
        counts = (
            slot is not None
            and slot.status == "pending"
            and slot.attempts < self.plan.attempts
            and at <= slot.until
        )
        if slot is not None and counts:
            slot.attempts += 1
            if event.reached:
                slot.status, slot.changed_at = "reached", at
            elif slot.attempts >= self.plan.attempts:
                self._window_ended_early(slot, at)
        else:
            # Recorded in the state, though it counts for no contact: the contact it was for
            # was already reached (an intake, say), closed, or its attempts were used up.
            self.uncounted_attempts += 1
        if event.reached:
            self._contact(at)

    def _window_ended_early(self, slot: _Slot, at: dt.datetime) -> None:
        """The last allowed attempt failed: unable to contact now, unless seen since."""
        since = self.since.get(slot.id, slot.created)
        if self.last_contact is not None and self.last_contact > since:
            slot.status, slot.changed_at = "reached", self.last_contact
            return
        slot.status, slot.changed_at = "unable_to_contact", at
        if slot.kind == "checkpoint":
            self._unreached(at)

    def _local_date(self, moment: dt.datetime) -> dt.date:
        return local_day(moment, self.tz)

    def _initiated(self) -> bool:
        return self.intake_at is not None and initiation_day(
            self.referral_day, self._local_date(self.intake_at), self.plan.initiation_days
        )

    def _engaged_at(self) -> dt.datetime | None:
        if self.intake_at is None or not self._initiated():
            return None
        index = reached_engagement(
            self._local_date(self.intake_at),
            (self._local_date(t) for t in self.treatment),
            days=self.plan.engagement_days,
            contacts=self.plan.engagement_contacts,
        )
        return None if index is None else self.treatment[index]

    def _status(self, now: dt.datetime, initiated: bool, engaged: bool) -> str:
        if self.closed_at is not None:
            return "closed"
        if self.lost_at is not None:
            return "lost_to_contact"
        if engaged:
            return "engaged"
        if initiated:
            return "initiated"
        if self.intake_at is not None:
            return "started_late"  # in treatment; too late to count as initiation
        if now >= self.initiation_end:
            return "not_initiated"
        if self.missed_at is not None:
            return "intake_missed"
        return "referred"

    def _state(self, now: dt.datetime) -> CaseState:
        initiated = self._initiated()
        engaged_at = self._engaged_at()
        status = self._status(now, initiated, engaged_at is not None)
        assert status in CASE_STATUSES
        tz = self.tz
        checkpoints = tuple(s.freeze(tz) for s in self.checkpoints)
        extras = tuple(sorted((s.freeze(tz) for s in self.extras), key=contact_order))
        pending = [c for c in checkpoints + extras if c.status == "pending"]
        next_due = min(pending, key=contact_order) if pending else None

        def local(t: dt.datetime | None) -> dt.datetime | None:
            return None if t is None else t.astimezone(tz)

        return CaseState(
            referral_at=self.ref_local,
            timezone=self.case.timezone,
            status=status,
            initiated=initiated,
            engaged=engaged_at is not None,
            reopened=tuple(t.astimezone(tz) for t in self.reopened),
            checkpoints=checkpoints,
            extra_contacts=extras,
            next_due=next_due,
            as_of=now.astimezone(tz),
            referral_id=self.case.referral_id,
            pathway=self.case.pathway,
            linked_to=self.case.linked_to,
            handoff_at=local(self.handoff_at),
            intake_at=local(self.intake_at),
            engaged_at=local(engaged_at),
            lost_at=local(self.lost_at),
            closed_at=local(self.closed_at),
            uncounted_attempts=self.uncounted_attempts,
        )
