"""How matches are ranked: a distance-like score, with every weight in one readable place.

A provider's score is its distance from the person (km) plus a penalty, in kilometres, for
each thing it lacks. Reading a weight as distance makes it a policy anyone can argue with:
"we would rather drive 5 km further to a place that takes police drop-offs". Lower ranks
first. An agency may pass its own :class:`Weights` to ``dk.match``.

Penalties are never negative: that is what lets the nearby search stop early (a provider
further away than the radius searched cannot score better than one inside it).

The directory's browser script ranks its result cards with the same formula
(``penaltyKm`` in ``src/deflectkit/site/assets/deflectkit.js``), reading these weights from
the index the site generator writes (:func:`deflectkit.site.facets.ranking_data`): a change
here must be made there too, term by term.

Example:
    >>> WEIGHTS.no_dropoff_km
    5.0
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import attrs

from deflectkit.core.providers import Provider

__all__ = ["NEVER_OPENS_HOURS", "WEIGHTS", "Weights", "penalty_km"]


@attrs.frozen
class Weights:
    """Ranking penalties, in kilometres of extra distance.

    Attributes:
        not_24_7_km: intake is not around the clock (it may close before the person is seen).
        no_dropoff_km: officers may not bring people in directly.
        stale_km: not verified by a person within ``stale_after_days`` (or never).
        stale_after_days: how old a verification may be.
        per_handoff_minute_km: per typical minute an officer spends on the hand-off.
        handoff_minutes_cap: hand-off minutes beyond this add nothing more.
        unknown_handoff_minutes: assumed when a provider does not say.
        per_hour_closed_km: per hour until intake opens (only when closed providers are
            asked for).
        hours_unknown_km: intake hours unknown (only when closed providers are asked for).

    Example:
        >>> import deflectkit as dk
        >>> dropoff_matters = dk.Weights(no_dropoff_km=15.0)  # pass as dk.match(..., weights=)
        >>> dropoff_matters.no_dropoff_km, dropoff_matters.not_24_7_km
        (15.0, 2.0)
    """

    not_24_7_km: float = 2.0
    no_dropoff_km: float = 5.0
    stale_km: float = 3.0
    stale_after_days: int = 365
    per_handoff_minute_km: float = 0.1
    handoff_minutes_cap: int = 60
    unknown_handoff_minutes: int = 20
    per_hour_closed_km: float = 2.0
    hours_unknown_km: float = 20.0

    def __attrs_post_init__(self) -> None:
        for field in attrs.fields(type(self)):
            if getattr(self, field.name) < 0:
                msg = f"weight {field.name} must not be negative"
                raise ValueError(msg)

    def is_stale(self, verified: dt.date | None, at: dt.date) -> bool:
        """True when ``verified`` is missing or older than ``stale_after_days`` at ``at``."""
        return verified is None or (at - verified).days > self.stale_after_days


#: The default weights.
WEIGHTS: Final = Weights()

#: Waiting time charged when a provider will not open within the look-ahead (8 days).
NEVER_OPENS_HOURS: Final = 24 * 8


def penalty_km(
    provider: Provider,
    *,
    at: dt.datetime,
    open_now: bool | None,
    opens: dt.datetime | None,
    weights: Weights = WEIGHTS,
) -> float:
    """The sum of the penalties that apply to ``provider`` at ``at`` (km, never negative).

    Mirrored term by term by ``penaltyKm`` in ``src/deflectkit/site/assets/deflectkit.js``
    (the directory's result cards): change both together.

    Args:
        provider: the provider.
        at: the moment of the referral.
        open_now: whether intake is open (``None``: hours unknown).
        opens: when intake next opens, if closed.
        weights: the weights.
    """
    w = weights
    penalty = 0.0
    if open_now is None:
        penalty += w.not_24_7_km + w.hours_unknown_km
    elif not open_now:
        wait_hours = (opens - at).total_seconds() / 3600 if opens else NEVER_OPENS_HOURS
        penalty += w.not_24_7_km + w.per_hour_closed_km * wait_hours
    elif not provider.is_24_7:
        penalty += w.not_24_7_km
    if not provider.intake.first_responder_dropoff:
        penalty += w.no_dropoff_km
    minutes = provider.intake.officer_minutes
    penalty += w.per_handoff_minute_km * min(
        w.handoff_minutes_cap, minutes if minutes is not None else w.unknown_handoff_minutes
    )
    if w.is_stale(provider.verified, at.date()):
        penalty += w.stale_km
    return penalty
