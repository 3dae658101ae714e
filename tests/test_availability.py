"""Tests for deflectkit.core.availability: open now, next opening and closing, DST both ways."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deflectkit.core.availability import HORIZON, closes_at, is_open, next_opening
from deflectkit.core.hours import WeeklyHours, parse_hours
from deflectkit.core.localtime import zone

DENVER = zone("America/Denver")
PHOENIX = zone("America/Phoenix")
LONDON = zone("Europe/London")
UTC = dt.UTC

# Daylight-saving changes in 2026 (UTC instants), where the interesting cases are.
TRANSITIONS = {
    "America/Denver": [
        dt.datetime(2026, 3, 8, 9, 0, tzinfo=UTC),  # 02:00 MST -> 03:00 MDT
        dt.datetime(2026, 11, 1, 8, 0, tzinfo=UTC),  # 02:00 MDT -> 01:00 MST
    ],
    "America/Phoenix": [dt.datetime(2026, 3, 8, 9, 0, tzinfo=UTC)],  # no DST: a control
    "Europe/London": [
        dt.datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # 01:00 GMT -> 02:00 BST
        dt.datetime(2026, 10, 25, 1, 0, tzinfo=UTC),  # 02:00 BST -> 01:00 GMT
    ],
}


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    """In UTC: Python's ``==`` calls any two instants unequal when one is an ambiguous local
    time in another zone (PEP 495), so comparisons go through UTC."""
    return None if moment is None else moment.astimezone(UTC)


# --- the oracle: a minute-by-minute simulation of the module's rule ------------------------


def _oracle(
    hours: WeeklyHours, tz: ZoneInfo, at: dt.datetime
) -> Iterator[tuple[dt.datetime, bool]]:
    """Yield ``(instant, open)`` for ``at`` and then every UTC minute after it, up to HORIZON.

    The rule, stated without any cleverness: open when the highest wall-clock reading shown
    so far lies in a span. Readings are simulated from three hours before ``at``, which
    covers any repeated hour.
    """
    at = at.astimezone(UTC)
    first = at.replace(second=0, microsecond=0) - dt.timedelta(hours=3)
    highest: dt.datetime | None = None

    def step(moment: dt.datetime) -> bool:
        nonlocal highest
        wall = moment.astimezone(tz).replace(tzinfo=None, fold=0)
        highest = wall if highest is None else max(highest, wall)
        return hours.is_open_local(highest.weekday(), highest.hour * 60 + highest.minute)

    moment = first
    while moment < at:
        step(moment)
        moment += dt.timedelta(minutes=1)
    yield at, step(at)
    while moment <= at + HORIZON:
        if moment > at:
            yield moment, step(moment)
        moment += dt.timedelta(minutes=1)


def _oracle_next_opening(hours: WeeklyHours, tz: ZoneInfo, at: dt.datetime) -> dt.datetime | None:
    return next((moment for moment, is_open_ in _oracle(hours, tz, at) if is_open_), None)


def _oracle_closes_at(hours: WeeklyHours, tz: ZoneInfo, at: dt.datetime) -> dt.datetime | None:
    states = _oracle(hours, tz, at)
    _, open_now = next(states)
    if not open_now:
        return None
    return next((moment for moment, is_open_ in states if not is_open_), None)


# --- strategies -----------------------------------------------------------------------------

# Minutes biased towards the small hours, where clocks change, but covering the whole day.
_minutes = st.one_of(
    st.integers(0, 24 * 4).map(lambda q: q * 15),
    st.integers(0, 4 * 4).map(lambda q: q * 15),
    st.integers(0, 4 * 4).map(lambda q: q * 15),
)


def _span_text(start: int, end: int) -> str:
    return f"{start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"


@st.composite
def weekly_hours(draw: st.DrawFn) -> WeeklyHours:
    """Hours as contributors write them: 24/7, or days with one to three spans (some overnight)."""
    if draw(st.integers(0, 9)) == 0:
        return parse_hours("24/7")
    shorthand: dict[str, Any] = {}
    for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"):
        if draw(st.booleans()):
            continue
        spans = []
        for _ in range(draw(st.integers(1, 3))):
            start = draw(_minutes.filter(lambda m: m < 24 * 60))
            end = draw(_minutes.filter(lambda m: m != start))  # noqa: B023 - drawn at once
            spans.append(_span_text(start, end))
        shorthand[day] = spans
    return parse_hours(shorthand)


@st.composite
def instants(draw: st.DrawFn, zone_name: str) -> dt.datetime:
    """An instant, to the second: often within hours of a DST change, sometimes anywhere."""
    roll = draw(st.integers(0, 9))
    if roll < 2:
        base = dt.datetime(2026, 1, 1, tzinfo=UTC)
        seconds = draw(st.integers(0, 365 * 24 * 3600))
    else:
        base = draw(st.sampled_from(TRANSITIONS[zone_name]))
        # Most draws land within three hours of the change, where the repeat and the gap are.
        reach = 3 * 3600 if roll < 7 else 3 * 24 * 3600
        seconds = draw(st.integers(-reach, reach // 3 if roll >= 7 else reach))
        if draw(st.booleans()):
            seconds = seconds // 60 * 60  # on a minute boundary, where spans begin and end
    return base + dt.timedelta(seconds=seconds)


zones = st.sampled_from(sorted(TRANSITIONS))


# --- property tests ---------------------------------------------------------------------------


class TestAgainstOracle:
    """Every function agrees with the minute-by-minute simulation, in three zones."""

    @given(data=st.data(), hours=weekly_hours(), zone_name=zones)
    def test_is_open(self, data: st.DataObject, hours: WeeklyHours, zone_name: str) -> None:
        """is_open matches the oracle at any instant."""
        tz = zone(zone_name)
        at = data.draw(instants(zone_name))

        expected = next(_oracle(hours, tz, at))[1]

        assert expected == is_open(hours, tz, at)

    @given(data=st.data(), hours=weekly_hours(), zone_name=zones)
    def test_next_opening(self, data: st.DataObject, hours: WeeklyHours, zone_name: str) -> None:
        """next_opening is the oracle's first open instant (``at`` itself when open)."""
        tz = zone(zone_name)
        at = data.draw(instants(zone_name))

        expected = _oracle_next_opening(hours, tz, at)

        assert _utc(expected) == _utc(next_opening(hours, tz, at))

    @given(data=st.data(), hours=weekly_hours(), zone_name=zones)
    def test_closes_at(self, data: st.DataObject, hours: WeeklyHours, zone_name: str) -> None:
        """closes_at is the oracle's first closed instant after an open ``at``."""
        tz = zone(zone_name)
        at = data.draw(instants(zone_name))

        expected = _oracle_closes_at(hours, tz, at)

        assert _utc(expected) == _utc(closes_at(hours, tz, at))

    @given(data=st.data(), hours=weekly_hours(), zone_name=zones)
    def test_results_are_local(
        self, data: st.DataObject, hours: WeeklyHours, zone_name: str
    ) -> None:
        """Returned instants carry the provider's zone, for display in local time."""
        tz = zone(zone_name)
        at = data.draw(instants(zone_name))

        opening = next_opening(hours, tz, at)

        assert opening is None or tz == opening.tzinfo


@st.composite
def small_hours_sunday(draw: st.DrawFn) -> WeeklyHours:
    """Saturday-night and Sunday spans with ends in 00:00-04:00, where every change falls."""
    early = st.integers(0, 16).map(lambda q: q * 15)
    shorthand: dict[str, Any] = {}
    if draw(st.booleans()):
        shorthand["sat"] = _span_text(draw(st.sampled_from([1200, 1320, 1410])), draw(early))
    spans = []
    for _ in range(draw(st.integers(1, 2))):
        start = draw(early)
        end = draw(st.one_of(early, st.just(300)).filter(lambda m: m != start))  # noqa: B023
        spans.append(_span_text(start, end))
    shorthand["sun"] = spans
    return parse_hours(shorthand)


class TestAroundClockChanges:
    """The same properties, concentrated on the hours around each DST change (all Sundays)."""

    @given(
        data=st.data(),
        hours=small_hours_sunday(),
        zone_name=st.sampled_from(["America/Denver", "Europe/London"]),
    )
    def test_all_three_agree(self, data: st.DataObject, hours: WeeklyHours, zone_name: str) -> None:
        """is_open, next_opening and closes_at all match the oracle near a change."""
        tz = zone(zone_name)
        change = data.draw(st.sampled_from(TRANSITIONS[zone_name]))
        at = change + dt.timedelta(seconds=data.draw(st.integers(-3 * 3600, 3 * 3600)))

        expected = (
            next(_oracle(hours, tz, at))[1],
            _utc(_oracle_next_opening(hours, tz, at)),
            _utc(_oracle_closes_at(hours, tz, at)),
        )

        assert expected == (
            is_open(hours, tz, at),
            _utc(next_opening(hours, tz, at)),
            _utc(closes_at(hours, tz, at)),
        )


# --- examples -----------------------------------------------------------------------------


class TestExamples:
    """Hand-checked cases, each a situation an officer could meet."""

    def test_weekday_three_am(self) -> None:
        """At 03:00 on a Wednesday a business-hours clinic is closed and opens at 08:00."""
        hours = parse_hours({"mon-fri": "08:00-17:00"})
        at = dt.datetime(2026, 3, 4, 3, 0, tzinfo=PHOENIX)

        assert (False, dt.datetime(2026, 3, 4, 8, 0, tzinfo=PHOENIX)) == (
            is_open(hours, PHOENIX, at),
            next_opening(hours, PHOENIX, at),
        )

    def test_overnight_span_open_after_midnight(self) -> None:
        """A Friday 20:00-08:00 span is open at 03:00 on Saturday and closes at 08:00."""
        hours = parse_hours({"fri": "20:00-08:00"})
        at = dt.datetime(2026, 3, 7, 3, 0, tzinfo=PHOENIX)

        assert dt.datetime(2026, 3, 7, 8, 0, tzinfo=PHOENIX) == closes_at(hours, PHOENIX, at)

    def test_spring_forward_span_in_gap_opens_at_jump(self) -> None:
        """A span starting at 02:30 on spring-forward day opens at 03:00 MDT (09:00 UTC)."""
        hours = parse_hours({"sun": "02:30-05:00"})
        at = dt.datetime(2026, 3, 8, 0, 0, tzinfo=DENVER)

        opening = next_opening(hours, DENVER, at)

        expected = "2026-03-08T03:00:00-06:00"

        assert expected == (opening.isoformat() if opening is not None else None)

    def test_spring_forward_span_inside_gap_never_happens(self) -> None:
        """A span wholly inside the skipped hour does not open that day; next week it does."""
        hours = parse_hours({"sun": "02:00-02:30"})
        at = dt.datetime(2026, 3, 8, 0, 0, tzinfo=DENVER)

        assert dt.datetime(2026, 3, 15, 2, 0, tzinfo=DENVER) == next_opening(hours, DENVER, at)

    def test_span_across_gap_is_one_hour_shorter(self) -> None:
        """01:00-04:00 on spring-forward day: from 01:59 MST it has 61 real minutes left."""
        hours = parse_hours({"sun": "01:00-04:00"})
        at = dt.datetime(2026, 3, 8, 8, 59, tzinfo=UTC)  # 01:59 MST

        closing = _utc(closes_at(hours, DENVER, at))

        assert dt.timedelta(minutes=61) == (closing - at if closing else None)

    def test_fall_back_closes_at_first_reading(self) -> None:
        """00:00-01:30 on fall-back night closes at 01:30 MDT and does not re-open at 01:00 MST."""
        hours = parse_hours({"sun": "00:00-01:30"})
        repeated_one_am = dt.datetime(2026, 11, 1, 8, 0, tzinfo=UTC)  # 01:00 MST, fold=1

        assert (False, dt.datetime(2026, 11, 1, 7, 30, tzinfo=UTC)) == (
            is_open(hours, DENVER, repeated_one_am),
            _utc(closes_at(hours, DENVER, dt.datetime(2026, 11, 1, 0, 10, tzinfo=DENVER))),
        )

    def test_fall_back_stays_open_through_repeat(self) -> None:
        """01:30-05:00 on fall-back night stays open through the repeated hour (4.5 real hours)."""
        hours = parse_hours({"sun": "01:30-05:00"})
        at = dt.datetime(2026, 11, 1, 7, 30, tzinfo=UTC)  # 01:30 MDT

        closing = closes_at(hours, DENVER, at)

        assert (True, dt.timedelta(hours=4, minutes=30)) == (
            is_open(hours, DENVER, dt.datetime(2026, 11, 1, 8, 15, tzinfo=UTC)),
            closing - at if closing else None,
        )

    def test_london_spring_forward(self) -> None:
        """In London 01:00-01:59 is skipped; a 01:00-03:00 span opens at 02:00 BST."""
        hours = parse_hours({"sun": "01:00-03:00"})
        at = dt.datetime(2026, 3, 28, 23, 0, tzinfo=UTC)

        assert dt.datetime(2026, 3, 29, 1, 0, tzinfo=UTC) == next_opening(hours, LONDON, at)

    def test_never_open(self) -> None:
        """Hours with every day closed never open, and never close."""
        hours = parse_hours({"mon-sun": "closed"})
        at = dt.datetime(2026, 3, 4, 12, 0, tzinfo=UTC)

        expected = (False, None, None)

        assert expected == (
            is_open(hours, DENVER, at),
            next_opening(hours, DENVER, at),
            closes_at(hours, DENVER, at),
        )

    def test_around_the_clock(self) -> None:
        """24/7 is open at any instant, opens now and has no closing time."""
        hours = parse_hours("24/7")
        at = dt.datetime(2026, 11, 1, 8, 30, tzinfo=UTC)

        assert (True, at, None) == (
            is_open(hours, DENVER, at),
            _utc(next_opening(hours, DENVER, at)),
            closes_at(hours, DENVER, at),
        )

    def test_naive_time_refused(self) -> None:
        """A time without an offset names no instant, so it is refused with a clear message."""
        with pytest.raises(ValueError, match="no UTC offset"):
            is_open(parse_hours("24/7"), DENVER, dt.datetime(2026, 3, 4, 3, 0))
