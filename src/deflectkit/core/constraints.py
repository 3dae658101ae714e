"""The hard constraints of a match query, and the candidates that pass them, scored.

:mod:`deflectkit.core.matching` runs the search; this module says what a query asks
(:class:`Query`, with every word checked against its vocabulary) and whether one provider
meets it (:func:`admissible`, :func:`candidate`), or in plain words why not
(:func:`failed_filters`). Hours are checked in the provider's own zone
(:mod:`deflectkit.core.availability`); the score comes from :mod:`deflectkit.core.ranking`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable

import attrs

from deflectkit.core.availability import is_open, next_opening
from deflectkit.core.geo import parse_near
from deflectkit.core.match_index import Entry, ZipLookup, default_zip_lookup
from deflectkit.core.providers import Coordinates, Provider
from deflectkit.core.ranking import Weights, penalty_km
from deflectkit.vocabulary import LANGUAGES, MEDICATIONS, NEEDS, PAYMENT, Vocabulary

__all__ = [
    "Candidate",
    "Query",
    "admissible",
    "ages_text",
    "call_ahead_text",
    "candidate",
    "failed_filters",
    "near_point",
    "need_words",
    "vocabulary_word",
    "when_text",
]


@attrs.frozen
class Query:
    """A match query, every word checked: what the person needs, where, when, and filters."""

    needs: tuple[str, ...]
    at: dt.datetime
    near: Coordinates | None
    near_label: str | None
    dropoff: bool
    payment: str | None
    language: str | None
    medication: str | None
    age: int | None
    include_closed: bool
    weights: Weights


@attrs.frozen
class Candidate:
    """A provider that passed every hard constraint, scored; described only if returned."""

    score: float
    distance: float | None
    position: int
    open_now: bool | None
    opens: dt.datetime | None

    @property
    def key(self) -> tuple[float, float, int]:
        """Sort key: score, then distance, then directory order (stable ties)."""
        return (
            self.score,
            self.distance if self.distance is not None else math.inf,
            self.position,
        )


def vocabulary_word(value: str | None, vocabulary: Vocabulary, what: str) -> str | None:
    """``value`` as a word of ``vocabulary``; ``ValueError`` with a did-you-mean if unknown."""
    if value is None:
        return None
    word = value.strip().lower()
    if word not in vocabulary:
        hint = vocabulary.suggest(value)
        msg = f"unknown {what} {value!r}" + (f"; did you mean {hint!r}?" if hint else "")
        raise ValueError(msg)
    return word


def need_words(needs: Iterable[str] | str) -> tuple[str, ...]:
    """Need words from a list, a tuple (``decision.referral.need``) or ``"a,b"``; checked."""
    items = needs.split(",") if isinstance(needs, str) else list(needs)
    words: list[str] = []
    for item in items:
        word = vocabulary_word(item, NEEDS, "need")
        if word and word not in words:
            words.append(word)
    if not words:
        msg = f"name at least one need: {', '.join(NEEDS.words)}"
        raise ValueError(msg)
    return tuple(words)


def near_point(
    near: Coordinates | tuple[float, float] | str | None, lookup: ZipLookup | None
) -> tuple[Coordinates | None, str | None]:
    """The point ``near`` names and a label for reasons (``None, None`` without ``near``)."""
    if near is None:
        return None, None
    if isinstance(near, Coordinates):
        return near, f"{near.lat:.4f},{near.lon:.4f}"
    if isinstance(near, tuple):
        point = Coordinates(float(near[0]), float(near[1]))
        return point, f"{point.lat:.4f},{point.lon:.4f}"
    return parse_near(near, lookup or default_zip_lookup())


def ages_text(p: Provider) -> str:
    """The ages a provider serves, in words ("18 and over")."""
    low, high = p.ages.min, p.ages.max
    if low is not None and high is not None:
        return f"{low} to {high}"
    return f"{low} and over" if low is not None else f"up to {high}"


def when_text(moment: dt.datetime) -> str:
    """A local time as officers read it: ``Wed 2026-03-04 08:00 MST``."""
    return moment.strftime("%a %Y-%m-%d %H:%M %Z")


def call_ahead_text(p: Provider) -> str:
    """The call-ahead advice for unknown hours, with the number to call when known."""
    call = p.intake.call_ahead or (p.phones[0].number if p.phones else None)
    return "intake hours unknown: call ahead" + (f" ({call})" if call else "")


def admissible(entry: Entry, q: Query) -> bool:
    """The fast form of :func:`failed_filters`: every constraint but hours holds."""
    p = entry.provider
    return (
        all(n in entry.needs for n in q.needs)
        and (q.age is None or p.ages.admits(q.age))
        and (not q.dropoff or p.intake.first_responder_dropoff)
        and (q.payment is None or q.payment in p.payment or "free" in p.payment)
        and (q.language is None or q.language in (p.languages or ("en",)))
        and (q.medication is None or q.medication in p.medications)
    )


def failed_filters(entry: Entry, q: Query) -> list[str]:
    """Every hard constraint other than hours that ``entry`` fails, in plain words."""
    p = entry.provider
    failed: list[str] = []
    missing = [n for n in q.needs if n not in entry.needs]
    if missing:
        failed.append("does not serve " + ", ".join(NEEDS.label(n).lower() for n in missing))
    if q.age is not None and not p.ages.admits(q.age):
        failed.append(f"serves ages {ages_text(p)}, not {q.age}")
    if q.dropoff and not p.intake.first_responder_dropoff:
        failed.append("takes no police drop-offs")
    if q.payment is not None and q.payment not in p.payment and "free" not in p.payment:
        failed.append(f"does not list {PAYMENT.label(q.payment)}")
    if q.language is not None and q.language not in (p.languages or ("en",)):
        failed.append(f"does not list {LANGUAGES.label(q.language)}")
    if q.medication is not None and q.medication not in p.medications:
        failed.append(f"does not offer {MEDICATIONS.label(q.medication).lower()}")
    return failed


def candidate(
    entry: Entry, position: int, q: Query, distance: float | None, *, checked: bool = False
) -> Candidate | None:
    """Score ``entry`` if it passes every hard constraint at ``q.at``; else ``None``.

    ``checked=True`` says :func:`admissible` has already been asked (and said yes).
    """
    if not checked and not admissible(entry, q):
        return None
    hours = entry.provider.intake_hours
    open_now: bool | None = None
    opens = None
    if hours is None or entry.tz is None:
        if not q.include_closed:
            return None
    else:
        open_now = is_open(hours, entry.tz, q.at)
        if not open_now:
            if not q.include_closed:
                return None
            opens = next_opening(hours, entry.tz, q.at)
    penalty = penalty_km(entry.provider, at=q.at, open_now=open_now, opens=opens, weights=q.weights)
    return Candidate(round((distance or 0.0) + penalty, 3), distance, position, open_now, opens)
