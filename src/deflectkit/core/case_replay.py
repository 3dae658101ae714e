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
from deflectkit.core.localtime import add_local_days, utc
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
        self.extras: list[_Slot] = []
        if case.pathway == "naloxone_plus":
            due = ref + dt.timedelta(hours=self.plan.overdose_outreach_hours)
            self.extras.append(self._slot("outreach", "outreach", due, ref))
        self.initiation_last_day = self.ref_local.date() + dt.timedelta(
            days=self.plan.initiation_days
        )
        self.handoff_at: dt.datetime | None = None
        self.intake_at: dt.datetime | None = None
        self.missed_at: dt.datetime | None = None
        self.treatment: list[dt.datetime] = []
        self.closed_at: dt.datetime | None = None
        self.closed_as: str | None = None

    def _slot(self, kind: str, id_: str, due: dt.datetime, created: dt.datetime) -> _Slot:
        return _Slot(kind, id_, due, due + self.window, created)

    def _count(self, kind: str) -> int:
        return sum(1 for s in self.extras if s.kind == kind)

    def run(self, now: dt.datetime) -> CaseState:
        now = utc(now)
        for event in self.case.events:
            at = utc(event.at)
            if at > now or self.closed_at is not None:
                break
            self._expire(at)
            if self.closed_at is None:
                self._handle(event, at)
        if self.closed_at is None:
            self._expire(now)
        return self._state(now)

    def _expire(self, t: dt.datetime) -> None:
        """Close every attempt window that ended before ``t``, in time order."""
        open_slots = sorted(
            (s for s in self.checkpoints + self.extras if s.status == "pending"),
            key=lambda s: s.until,
        )
        for slot in open_slots:
            if slot.until >= t or self.closed_at is not None:
                break
            self._unable(slot, slot.until)

    def _unable(self, slot: _Slot, at: dt.datetime) -> None:
        slot.status, slot.changed_at = "unable_to_contact", at
        if slot.kind != "checkpoint":
            return
        run = 0
        for cp in self.checkpoints:
            run = run + 1 if cp.status == "unable_to_contact" else 0
            if run >= self.plan.lost_after_unreached:
                self._close(at, "lost_to_contact")
                return

    def _close(self, at: dt.datetime, status: str) -> None:
        self.closed_at, self.closed_as = at, status
        for slot in self.checkpoints + self.extras:
            if slot.status == "pending":
                slot.status, slot.changed_at = "skipped", at

    def _handle(self, event: CaseEvent, at: dt.datetime) -> None:
        if event.type in {"intake", "treatment_contact"}:
            self._in_care(at)
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
            self._close(at, "closed")

    def _in_care(self, at: dt.datetime) -> None:
        """A provider saw the person: a checkpoint whose window is open has its contact."""
        for slot in self.checkpoints:
            if slot.status == "pending" and slot.due <= at <= slot.until:
                slot.status, slot.changed_at = "reached", at

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
                self._unable(slot, at)
        if event.reached and self.closed_at is None:
            # Reaching the person answers every extra contact already scheduled.
            for extra in self.extras:
                if extra.status == "pending" and extra.created <= at:
                    extra.status, extra.changed_at = "reached", at

    def _local_date(self, moment: dt.datetime) -> dt.date:
        return moment.astimezone(self.tz).date()

    def _initiated(self) -> bool:
        return (
            self.intake_at is not None
            and self._local_date(self.intake_at) <= self.initiation_last_day
        )

    def _engaged_at(self) -> dt.datetime | None:
        if self.intake_at is None or not self._initiated():
            return None
        start = self._local_date(self.intake_at)
        last = start + dt.timedelta(days=self.plan.engagement_days)
        counted = [t for t in self.treatment if start < self._local_date(t) <= last]
        if len(counted) < self.plan.engagement_contacts:
            return None
        return counted[self.plan.engagement_contacts - 1]

    def _state(self, now: dt.datetime) -> CaseState:
        initiated = self._initiated()
        engaged_at = self._engaged_at()
        if self.closed_as is not None:
            status = self.closed_as
        elif engaged_at is not None:
            status = "engaged"
        elif initiated:
            status = "initiated"
        elif self._local_date(now) > self.initiation_last_day:
            status = "not_initiated"
        elif self.missed_at is not None:
            status = "intake_missed"
        else:
            status = "referred"
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
            closed_at=local(self.closed_at),
        )
