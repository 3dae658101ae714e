"""The hard constraints of a match query, and the candidates that pass them, scored.

:mod:`deflectkit.core.matching` runs the search; this module says what a query asks
(:class:`Query`, with every word checked against its vocabulary; :class:`ResolvedQuery`, the same
with ``near`` made a point) and whether one provider
meets it (:func:`admissible`, :func:`candidate`), or in plain words why not
(:func:`failed_filters`). Hours are checked in the provider's own zone
(:mod:`deflectkit.core.availability`); the score comes from :mod:`deflectkit.core.ranking`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable
from typing import Final

import attrs

from deflectkit.core.availability import is_open, next_opening
from deflectkit.core.geo import parse_near
from deflectkit.core.match_index import Entry, ZipLookup
from deflectkit.core.providers import Coordinates, Provider
from deflectkit.core.ranking import WEIGHTS, Weights, penalty_km
from deflectkit.spelling import hint
from deflectkit.vocabulary import LANGUAGES, MEDICATIONS, NEEDS, PAYMENT, Vocabulary

__all__ = [
    "CONSTRAINTS",
    "Candidate",
    "Constraint",
    "Query",
    "ResolvedQuery",
    "admissible",
    "ages_text",
    "call_ahead_text",
    "candidate",
    "closed_text",
    "failed_filters",
    "intake_excludes",
    "near_point",
    "need_words",
    "open_state",
    "opens_next",
    "vocabulary_word",
    "when_text",
]


@attrs.frozen
class ResolvedQuery:
    """A :class:`Query` ready to run: ``near`` resolved to a point and a label for reasons."""

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
        msg = f"unknown {what} {value!r}" + hint(vocabulary.suggest(value))
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
    return parse_near(near, lookup)


def _aware(_: object, __: object, at: dt.datetime) -> None:
    if at.tzinfo is None or at.utcoffset() is None:
        msg = f"{at.isoformat()} has no UTC offset; give the time with its offset"
        raise ValueError(msg)


def _positive_limit(_: object, __: object, limit: int) -> None:
    if limit < 1:
        msg = f"limit must be at least 1, not {limit}"
        raise ValueError(msg)


def _payment(value: str | None) -> str | None:
    return vocabulary_word(value, PAYMENT, "payment")


def _language(value: str | None) -> str | None:
    return vocabulary_word(value, LANGUAGES, "language")


def _medication(value: str | None) -> str | None:
    return vocabulary_word(value, MEDICATIONS, "medication")


@attrs.frozen
class Query:
    """What a referral match asks: who can take a person with ``needs`` at ``at``.

    Every word is checked when the query is made (``ValueError`` with a suggestion), so a
    query that exists can run. :func:`deflectkit.core.matching.match` and
    :func:`~deflectkit.core.matching.search` take one, or build one from their keywords.

    Attributes:
        needs: ``NEEDS`` words, e.g. ``["opioids"]``, a comma-separated string, or a
            decision's route (``decision.referral.need``). A provider must serve every one.
        at: the moment, an aware datetime (the core never reads the clock).
        near: a :class:`Coordinates`, a ``(lat, lon)`` pair, a US ZIP code or ``"LAT,LON"``.
        limit: at most this many matches.
        dropoff: only providers that take police drop-offs.
        payment: a ``PAYMENT`` word the provider must accept (free providers take any).
        language: an ISO 639-1 code the provider must list (no list: English only).
        medication: a ``MEDICATIONS`` word the provider must offer.
        age: the person's age in years, checked against the provider's ages.
        include_closed: keep providers closed for intake now (ranked by how long until they
            open) and those whose hours are unknown.
        weights: the ranking penalties.
        zip_centroid: ZIP lookup for providers without coordinates and a ZIP ``near``.
            ``None``: :func:`deflectkit.match` fills in the ZIP table shipped with
            deflectkit; the core functions alone know no ZIP codes.

    Example:
        >>> import datetime as dt
        >>> at = dt.datetime(2026, 3, 4, 3, 0, tzinfo=dt.timezone(dt.timedelta(hours=-7)))
        >>> Query("opioids,crisis", at, payment="Medicaid").needs
        ('opioids', 'crisis')
    """

    needs: tuple[str, ...] = attrs.field(converter=need_words)
    at: dt.datetime = attrs.field(validator=_aware)
    near: Coordinates | tuple[float, float] | str | None = None
    limit: int = attrs.field(default=10, validator=_positive_limit)
    dropoff: bool = False
    payment: str | None = attrs.field(default=None, converter=_payment)
    language: str | None = attrs.field(default=None, converter=_language)
    medication: str | None = attrs.field(default=None, converter=_medication)
    age: int | None = None
    include_closed: bool = False
    weights: Weights = WEIGHTS
    zip_centroid: ZipLookup | None = attrs.field(default=None, eq=False, repr=False)

    def resolve(self) -> ResolvedQuery:
        """The query with ``near`` made a point (``ValueError`` for a bad ``near``)."""
        point, label = near_point(self.near, self.zip_centroid)
        return ResolvedQuery(
            needs=self.needs, at=self.at, near=point, near_label=label, dropoff=self.dropoff,
            payment=self.payment, language=self.language, medication=self.medication,
            age=self.age, include_closed=self.include_closed, weights=self.weights,
        )


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


@attrs.frozen
class Constraint:
    """One hard constraint: whether a provider meets it, and in plain words why not.

    ``holds`` answers ``True`` when the query does not ask about it. :func:`admissible`
    (the fast path) and :func:`failed_filters` (the explaining path) both read
    :data:`CONSTRAINTS`, so a rule and its explanation cannot drift apart.
    """

    name: str
    holds: Callable[[Entry, ResolvedQuery], bool]
    explain: Callable[[Entry, ResolvedQuery], str]


def _missing_needs(entry: Entry, q: ResolvedQuery) -> str:
    missing = [n for n in q.needs if n not in entry.needs]
    return "does not serve " + ", ".join(NEEDS.label(n).lower() for n in missing)


def _languages(p: Provider) -> tuple[str, ...]:
    return p.languages or ("en",)  # a provider that lists no languages speaks English only


#: Every hard constraint but hours (see :func:`intake_excludes`), cheapest first.
CONSTRAINTS: Final[tuple[Constraint, ...]] = (
    Constraint("needs", lambda e, q: all(n in e.needs for n in q.needs), _missing_needs),
    Constraint("age", lambda e, q: q.age is None or e.provider.ages.admits(q.age),
               lambda e, q: f"serves ages {ages_text(e.provider)}, not {q.age}"),
    Constraint("dropoff", lambda e, q: not q.dropoff or e.provider.intake.first_responder_dropoff,
               lambda e, q: "takes no police drop-offs"),
    # A provider free of charge takes any payer.
    Constraint("payment", lambda e, q: q.payment is None or q.payment in e.provider.payment
               or "free" in e.provider.payment,
               lambda e, q: f"does not list {PAYMENT.label(q.payment or '')}"),
    Constraint("language",
               lambda e, q: q.language is None or q.language in _languages(e.provider),
               lambda e, q: f"does not list {LANGUAGES.label(q.language or '')}"),
    Constraint("medication",
               lambda e, q: q.medication is None or q.medication in e.provider.medications,
               lambda e, q: f"does not offer {MEDICATIONS.label(q.medication or '').lower()}"),
)


def admissible(entry: Entry, q: ResolvedQuery) -> bool:
    """The fast form of :func:`failed_filters`: every constraint but hours holds."""
    return all(c.holds(entry, q) for c in CONSTRAINTS)


def failed_filters(entry: Entry, q: ResolvedQuery) -> list[str]:
    """Every hard constraint other than hours that ``entry`` fails, in plain words."""
    return [c.explain(entry, q) for c in CONSTRAINTS if not c.holds(entry, q)]


def open_state(entry: Entry, at: dt.datetime) -> bool | None:
    """Whether ``entry`` is open for intake at ``at``; ``None`` when its hours are unknown."""
    hours = entry.provider.intake_hours
    if hours is None or entry.tz is None:
        return None
    return is_open(hours, entry.tz, at)


def intake_excludes(open_now: bool | None, q: ResolvedQuery) -> bool:
    """The hours constraint: closed or unknown hours exclude, unless ``include_closed``.

    Unknown hours mean "call ahead": an officer with a person at 3 a.m. must not drive to a
    locked door on a guess.
    """
    return open_now is not True and not q.include_closed


def opens_next(entry: Entry, at: dt.datetime) -> dt.datetime | None:
    """When a provider with known hours next opens for intake (within a week), else ``None``."""
    hours = entry.provider.intake_hours
    if hours is None or entry.tz is None:
        return None
    return next_opening(hours, entry.tz, at)


def closed_text(entry: Entry, q: ResolvedQuery, open_now: bool | None) -> str:
    """Why the hours constraint excludes ``entry``, in plain words."""
    if open_now is None:
        return call_ahead_text(entry.provider)
    opens = opens_next(entry, q.at)
    return "closed for intake now" + (
        f"; opens {when_text(opens)}" if opens else "; no intake hours in the next week"
    )


def candidate(
    entry: Entry, position: int, q: ResolvedQuery, distance: float | None, *, checked: bool = False
) -> Candidate | None:
    """Score ``entry`` if it passes every hard constraint at ``q.at``; else ``None``.

    ``checked=True`` says :func:`admissible` has already been asked (and said yes).
    """
    if not checked and not admissible(entry, q):
        return None
    open_now = open_state(entry, q.at)
    if intake_excludes(open_now, q):
        return None
    opens = opens_next(entry, q.at) if open_now is False else None
    penalty = penalty_km(entry.provider, at=q.at, open_now=open_now, opens=opens, weights=q.weights)
    return Candidate(round((distance or 0.0) + penalty, 3), distance, position, open_now, opens)
