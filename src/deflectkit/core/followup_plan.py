"""The follow-up plan a policy sets (its ``follow_up`` section), with its defaults.

See docs/design/formats.md#policy-files.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

__all__ = ["FollowUpPlan"]


def _days(value: Iterable[int]) -> tuple[int, ...]:
    return tuple(value)


def _positive_days(
    _inst: object, _attr: attrs.Attribute[tuple[int, ...]], value: tuple[int, ...]
) -> None:
    if not value or any(d <= 0 for d in value) or list(value) != sorted(set(value)):
        msg = "checkpoints_days must be increasing whole days after the referral, e.g. [1, 7, 30]"
        raise ValueError(msg)


@attrs.frozen
class FollowUpPlan:
    """When to contact a person after a referral, and when to give up or re-engage.

    Attributes:
        checkpoints_days: days after the referral on which a check-in is due (``day-N``).
        attempts: contact attempts allowed per checkpoint.
        attempt_window_hours: how long after its due time a checkpoint's attempts may run.
        lost_after_unreached: consecutive unreached checkpoints that close a case as
            ``lost_to_contact``.
        initiation_days: an intake within this many days of referral is an initiation.
        engagement_days: days after the initiation date in which treatment contacts count.
        engagement_contacts: treatment contacts needed in that window for engagement.
        re_engagement_hours: a return to use schedules a contact this many hours later.
        re_contact_hours: a missed intake schedules a contact this many hours later.
        overdose_outreach_hours: a naloxone-plus case gets first outreach this soon.

    Example:
        >>> FollowUpPlan().checkpoints_days
        (1, 7, 30, 90, 180)
    """

    checkpoints_days: tuple[int, ...] = attrs.field(
        default=(1, 7, 30, 90, 180), converter=_days, validator=_positive_days
    )
    attempts: int = 3
    attempt_window_hours: int = 72
    lost_after_unreached: int = 2
    initiation_days: int = 14
    engagement_days: int = 34
    engagement_contacts: int = 2
    re_engagement_hours: int = 24
    re_contact_hours: int = 24
    overdose_outreach_hours: int = 72
