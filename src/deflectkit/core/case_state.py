"""What a follow-up case looks like at a moment: its contacts and status (DESIGN §9).

:class:`CaseState` converts with ``dk.to_json`` to the JSON of ``deflectkit followup``.
"""

from __future__ import annotations

import datetime as dt

import attrs

from deflectkit.core.localtime import utc
from deflectkit.vocabulary import CONTACT_KINDS

__all__ = ["CaseState", "Contact", "Due", "contact_label", "contact_order"]

@attrs.frozen
class Contact:
    """One follow-up contact of a case, as of a moment.

    Attributes:
        kind: a word of ``CONTACT_KINDS`` (``checkpoint``, ``re_engagement`` …).
        id: ``day-N`` for checkpoints; ``outreach``; ``re_engagement-K`` / ``re_contact-K``.
        due: when it is due, in the program's zone.
        until: the end of its attempt window.
        status: a word of ``CONTACT_STATES``.
        attempts: attempts counted for it so far.
    """

    kind: str
    id: str
    due: dt.datetime
    until: dt.datetime
    status: str
    attempts: int


@attrs.frozen
class Due:
    """A contact that is due now: pending, its due time passed, its window still open.

    Attributes:
        kind: as :attr:`Contact.kind`.
        id: as :attr:`Contact.id`.
        due: when it became due.
        until: the last moment an attempt counts.
        attempts: attempts made so far.
        attempts_left: attempts still allowed.
    """

    kind: str
    id: str
    due: dt.datetime
    until: dt.datetime
    attempts: int
    attempts_left: int

    @property
    def label(self) -> str:
        """What to do, for people: ``day-7 follow-up call``."""
        return contact_label(self.kind, self.id)


@attrs.frozen
class CaseState:
    """A case as of a moment: the JSON of ``deflectkit followup`` (DESIGN §9) and more.

    Attributes:
        referral_at: the referral, in the program's zone.
        timezone: the program's IANA zone.
        status: a word of ``CASE_STATUSES``.
        initiated: an intake within the initiation window.
        engaged: initiated and enough treatment contacts within the engagement window.
        reopened: when contact after ``lost_to_contact`` reopened the case (nobody is
            closed out), oldest first.
        checkpoints: the ``day-N`` contacts, in order.
        extra_contacts: outreach, re-engagement and re-contact contacts, by due time.
        next_due: the earliest pending contact, or ``None`` (case closed or all done).
        as_of: the moment this state describes.
        referral_id: the referral's id.
        pathway: the deflection pathway, if known.
        linked_to: ids of earlier referrals of the same person.
        handoff_at: the completed hand-off, if any.
        intake_at: the first intake, if any (may be after the initiation window).
        engaged_at: when the engagement count was reached.
        lost_at: when the case became ``lost_to_contact``, while it is.
        closed_at: when a ``closed`` event ended the case (the only thing that ends one).
        uncounted_attempts: follow-up attempts recorded that counted for no contact: the
            contact they were for was already reached (by an intake, say), had used all
            its attempts, or its window had ended. They stay in the case's events.
    """

    referral_at: dt.datetime
    timezone: str
    status: str
    initiated: bool
    engaged: bool
    reopened: tuple[dt.datetime, ...]
    checkpoints: tuple[Contact, ...]
    extra_contacts: tuple[Contact, ...]
    next_due: Contact | None
    as_of: dt.datetime
    referral_id: str
    pathway: str | None
    linked_to: tuple[str, ...]
    handoff_at: dt.datetime | None
    intake_at: dt.datetime | None
    engaged_at: dt.datetime | None
    lost_at: dt.datetime | None
    closed_at: dt.datetime | None
    uncounted_attempts: int = 0

    @property
    def contacts(self) -> tuple[Contact, ...]:
        """Checkpoints and extra contacts together, by due time."""
        return tuple(sorted(self.checkpoints + self.extra_contacts, key=contact_order))

    def due(self, attempts_allowed: int) -> list[Due]:
        """Contacts pending at :attr:`as_of` whose due time has come, earliest first.

        Args:
            attempts_allowed: the plan's attempts per contact, to say how many are left.
        """
        return [
            Due(c.kind, c.id, c.due, c.until, c.attempts, max(0, attempts_allowed - c.attempts))
            for c in self.contacts
            if c.status == "pending" and utc(c.due) <= utc(self.as_of)
        ]


def contact_label(kind: str, contact_id: str) -> str:
    """A contact described for people: ``day-7 follow-up call``, ``Post-overdose outreach``."""
    if kind == "checkpoint":
        return f"{contact_id} follow-up call"
    return CONTACT_KINDS.label(kind)


def contact_order(c: Contact) -> tuple[dt.datetime, int, str]:
    """Sort key: due time, then kind in vocabulary order, then id."""
    return (utc(c.due), CONTACT_KINDS.words.index(c.kind), c.id)
