"""The follow-up plan a policy sets (its ``follow_up`` section), with the defaults of DESIGN §9."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

import attrs

__all__ = ["LIMITS", "FollowUpPlan"]

#: The largest value each setting may take. Beyond these a plan is a typo, and a schedule's
#: date arithmetic would overflow (``checkpoints_days: [1000000000]`` did): ten years of
#: days, a year of hours, a hundred of anything counted.
LIMITS: Final[dict[str, int]] = {
    "checkpoints_days": 3650,
    "attempts": 100,
    "attempt_window_hours": 8760,
    "lost_after_unreached": 100,
    "initiation_days": 3650,
    "engagement_days": 3650,
    "engagement_contacts": 100,
    "re_engagement_hours": 8760,
    "re_contact_hours": 8760,
    "overdose_outreach_hours": 8760,
}


def _days(value: Iterable[int]) -> tuple[int, ...]:
    return tuple(value)


def _positive_days(
    _inst: object, _attr: attrs.Attribute[tuple[int, ...]], value: tuple[int, ...]
) -> None:
    if not value or any(d <= 0 for d in value) or list(value) != sorted(set(value)):
        msg = "checkpoints_days must be increasing whole days after the referral, e.g. [1, 7, 30]"
        raise ValueError(msg)
    if value[-1] > LIMITS["checkpoints_days"]:
        most = LIMITS["checkpoints_days"]
        msg = f"checkpoints_days must be at most {most} days after the referral"
        raise ValueError(msg)


def _in_limits(_inst: object, attr: attrs.Attribute[Any], value: int) -> None:
    if not 1 <= value <= LIMITS[attr.name]:
        msg = f"{attr.name} must be a whole number from 1 to {LIMITS[attr.name]}"
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
    attempts: int = attrs.field(default=3, validator=_in_limits)
    attempt_window_hours: int = attrs.field(default=72, validator=_in_limits)
    lost_after_unreached: int = attrs.field(default=2, validator=_in_limits)
    initiation_days: int = attrs.field(default=14, validator=_in_limits)
    engagement_days: int = attrs.field(default=34, validator=_in_limits)
    engagement_contacts: int = attrs.field(default=2, validator=_in_limits)
    re_engagement_hours: int = attrs.field(default=24, validator=_in_limits)
    re_contact_hours: int = attrs.field(default=24, validator=_in_limits)
    overdose_outreach_hours: int = attrs.field(default=72, validator=_in_limits)
