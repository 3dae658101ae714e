"""Tests for deflectkit.core.measures: every DESIGN §8 measure on small hand-computed logs."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from typing import Any

import attrs
from hypothesis import given
from hypothesis import strategies as st

from deflectkit.convert import to_json
from deflectkit.core.events import Event
from deflectkit.core.measures import Measures, Period, measures

MST = dt.timezone(dt.timedelta(hours=-7))
DAY0 = dt.datetime(2025, 3, 1, 23, 0, tzinfo=MST)  # late evening: calendar days, not hours

_ids = itertools.count()


def ev(kind: str, at: dt.datetime, referral: str = "r1", **fields: Any) -> Event:
    """One event with a fresh id."""
    return Event(f"e{next(_ids)}", at, referral, kind, **fields)


def day(n: float, hour: int = 10) -> dt.datetime:
    """Calendar day ``n`` after DAY0's date, at ``hour`` o'clock."""
    return dt.datetime.combine(DAY0.date() + dt.timedelta(days=n), dt.time(hour), MST)


def referral(
    rid: str = "r1", at: dt.datetime = DAY0, pathway: str = "officer_intervention",
    officer: str = "k3x9", *, offered: bool = True, consent: bool = True,
) -> list[Event]:  # fmt: skip
    """The offer (optional), the referral and the person's Part 2 consent (until revoked)."""
    head = [ev("offered", at - dt.timedelta(minutes=5), rid, pathway=pathway)] if offered else []
    tail = [ev("consent_recorded", at + dt.timedelta(minutes=1), rid)] if consent else []
    return [*head, ev("referred", at, rid, pathway=pathway, officer_hash=officer), *tail]


class TestFunnel:
    def test_counts_and_rates(self) -> None:
        """Offers, declines, referrals, hand-offs and acceptance on a three-encounter log."""
        log = [
            *referral("r1"),
            ev("handoff_completed", DAY0 + dt.timedelta(hours=1), "r1"),
            *referral("r2", officer="zz01"),
            ev("offered", DAY0, "r3"),
            ev("declined", DAY0 + dt.timedelta(minutes=3), "r3"),
            ev("encounter_assessed", DAY0, "r4"),
        ]

        m = measures(log)

        assert (2, 3, 1, 2 / 3, 1, 2) == (
            m.referrals, m.offers, m.declined, m.acceptance_rate, m.handoffs_completed,
            m.officers_referring,
        )  # fmt: skip

    def test_referral_without_offer_is_not_an_accepted_offer(self) -> None:
        """A self-referral with no offer counts as a referral but keeps acceptance ≤ 1."""
        log = [*referral("r1"), *referral("r2", pathway="self_referral", offered=False)]

        m = measures(log)

        assert (2, 1, 1.0) == (m.referrals, m.offers, m.acceptance_rate)

    def test_empty_log(self) -> None:
        """No events: zero counts and rates that are None, not a division by zero."""
        m = measures([])

        assert (0, None, None, None, (), Period(None, None)) == (
            m.referrals, m.acceptance_rate, m.initiation_rate, m.engagement_rate,
            m.milestones, m.period,
        )  # fmt: skip


class TestInitiationAndEngagement:
    def test_intake_on_day_13_initiates(self) -> None:
        """An intake 13 calendar days after the referral day counts (late-evening referral):
        HEDIS IET counts the episode day and the 13 days after it."""
        m = measures([*referral(), ev("intake", day(13, 8))])

        assert (1, 1.0) == (m.initiated_14d, m.initiation_rate)

    def test_intake_on_day_14_does_not(self) -> None:
        """An intake on day 14 is too late for initiation."""
        m = measures([*referral(), ev("intake", day(14, 8))])

        assert (0, 0.0) == (m.initiated_14d, m.initiation_rate)

    def test_engagement_window_includes_day_34(self) -> None:
        """Two contacts after the intake, the second on day 34 after the intake day: engaged."""
        log = [*referral(), ev("intake", day(2)), ev("treatment_contact", day(3)),
               ev("treatment_contact", day(2 + 34, 17))]  # fmt: skip

        assert 1 == measures(log).engaged_34d

    def test_engagement_window_excludes_day_35(self) -> None:
        """A second contact on day 35 after the intake day is too late."""
        log = [*referral(), ev("intake", day(2)), ev("treatment_contact", day(3)),
               ev("treatment_contact", day(2 + 35, 8))]  # fmt: skip

        assert 0 == measures(log).engaged_34d

    def test_contacts_on_the_intake_day_do_not_count(self) -> None:
        """The window starts the day after the intake day, as the follow-up case counts it."""
        log = [*referral(), ev("intake", day(2)), ev("treatment_contact", day(2, 15)),
               ev("treatment_contact", day(3))]  # fmt: skip

        assert 0 == measures(log).engaged_34d

    def test_contacts_before_intake_do_not_count(self) -> None:
        """Only contacts after the intake count toward engagement."""
        log = [*referral(), ev("treatment_contact", day(1)), ev("intake", day(2)),
               ev("treatment_contact", day(3))]  # fmt: skip

        assert (1, 0) == (measures(log).initiated_14d, measures(log).engaged_34d)

    def test_engagement_needs_initiation(self) -> None:
        """Contacts after a late (day-20) intake do not make engagement."""
        log = [*referral(), ev("intake", day(20)), ev("treatment_contact", day(21)),
               ev("treatment_contact", day(22))]  # fmt: skip

        m = measures(log)

        assert (0, 0, 0.0) == (m.initiated_14d, m.engaged_34d, m.engagement_rate)


class TestActive:
    def test_active_thresholds(self) -> None:
        """In touch on or after day N: day 29 is not day 30; day 90 counts for 30 and 90."""
        log = [
            *referral("a"), ev("followup_reached", day(29), "a"),
            *referral("b"), ev("treatment_contact", day(30), "b"),
            *referral("c"), ev("followup_reached", day(90), "c"),
            *referral("d"), ev("intake", day(181), "d"),
            *referral("e"), ev("followup_attempt", day(200), "e"),
        ]  # fmt: skip

        m = measures(log)

        assert (3, 2, 1) == (m.active_30d, m.active_90d, m.active_180d)


class TestPeriod:
    def test_period_selects_referrals_by_their_date(self) -> None:
        """Referrals outside the period are left out; their outcomes after `to` still count."""
        inside = [*referral("in", at=day(0)), ev("intake", day(40), "in")]  # after `to`
        outside = [*referral("out", at=day(60))]
        period = Period(day(0).date(), day(30).date())

        m = measures([*inside, *outside], period=period)

        assert (1, 1, 1, {"2025-03": 1}) == (m.referrals, m.offers, m.active_30d, dict(m.by_month))

    def test_reported_period_defaults_to_the_log(self) -> None:
        """With no period, from/to are the first and last event dates."""
        m = measures([*referral(at=day(0)), ev("closed", day(45))])

        assert Period(day(0).date(), day(45).date()) == m.period

    def test_open_ended_period(self) -> None:
        """A period with only a start keeps everything after it."""
        log = [*referral("a", at=day(0)), *referral("b", at=day(5))]

        assert 1 == measures(log, period=Period(day(3).date(), None)).referrals

    def test_period_as_a_pair(self) -> None:
        """A (from, to) pair of dates works like a Period."""
        log = [*referral("a", at=day(0)), *referral("b", at=day(5))]

        assert 1 == measures(log, period=(None, day(2).date())).referrals


class TestMilestonesAndCosts:
    def test_milestones(self) -> None:
        """First deflection, naloxone-plus follow-up, first engaged (2nd contact) and each 100."""
        log: list[Event] = []
        for i in range(250):
            log += referral(f"r{i}", at=DAY0 + dt.timedelta(hours=i), officer=f"o{i % 7}")
        log += [ev("intake", day(1), "r5"), ev("treatment_contact", day(2), "r5"),
                ev("treatment_contact", day(3), "r5")]  # fmt: skip
        log += [*referral("nx", at=day(20), pathway="naloxone_plus"),
                ev("followup_reached", day(22), "nx")]  # fmt: skip

        m = measures(log)

        assert [
            ("first_deflection", DAY0),
            ("first_person_engaged", day(3)),
            ("deflections_100", DAY0 + dt.timedelta(hours=99)),
            ("deflections_200", DAY0 + dt.timedelta(hours=199)),
            ("first_naloxone_plus_followup_reached", day(22)),
        ] == [(x.name, x.at) for x in m.milestones]

    def test_hours_costs_and_participation(self) -> None:
        """Hours = referrals × (arrest − deflection minutes) / 60; costs = referrals × cost."""
        log = [*referral("a"), *referral("b", officer="o2"), *referral("c", officer="o2")]

        m = measures(log, sworn=40, minutes_arrest=150, minutes_deflection=30, booking_cost=200)

        assert (6.0, 600.0, 2, 0.05) == (
            m.officer_hours_saved, m.booking_costs_avoided, m.officers_referring,
            m.officer_participation,
        )  # fmt: skip

    def test_default_assumptions(self) -> None:
        """Defaults: 180 − 60 minutes (model) and $356 a booking (Tucson FY2019); no sworn."""
        m = measures(referral())

        assert (2.0, 356.0, None) == (
            m.officer_hours_saved, m.booking_costs_avoided, m.officer_participation,
        )  # fmt: skip

    def test_monthly_series(self) -> None:
        """The chart series: every month in the range, pathways, officers, cumulative hours
        (the self-referral in May saves no officer hours: no charge was deflected)."""
        log = [*referral("a", at=day(0)), *referral("b", at=day(62), pathway="self_referral",
                                                    officer="o2")]  # fmt: skip

        rows = measures(log).monthly

        assert [("2025-03", 1, 1, 2.0), ("2025-04", 0, 0, 2.0), ("2025-05", 1, 1, 2.0)] == [
            (r.month, r.referrals, r.officers_referring, r.officer_hours_saved_cumulative)
            for r in rows
        ]
        assert 1 == rows[2].by_pathway["self_referral"]


DENVER = "America/Denver"
MT = dt.timezone(dt.timedelta(hours=-7))  # Denver's winter offset, as a local log writes it
MDT = dt.timezone(dt.timedelta(hours=-6))


class TestDenverAcrossDst:
    """Days 0-13 in Denver's calendar across the spring change (2025-03-09)."""

    REF = dt.datetime(2025, 2, 28, 23, 30, tzinfo=MT)  # day 0: Feb 28; day 13: Mar 13

    def _intake(self, at: dt.datetime, timezone: str | None = DENVER) -> int:
        log = [*referral(at=self.REF), ev("intake", at)]
        return measures(log, timezone=timezone).initiated_14d

    def test_day_13_counts_and_day_14_does_not(self) -> None:
        """23:59 on day 13 (MDT by then) initiates; 00:00 on day 14 does not."""
        assert 1 == self._intake(dt.datetime(2025, 3, 13, 23, 59, tzinfo=MDT))
        assert 0 == self._intake(dt.datetime(2025, 3, 14, 0, 0, tzinfo=MDT))

    def test_days_are_the_programs_not_utc(self) -> None:
        """Written in UTC, the same moments fall on the same Denver days with --timezone."""
        last = dt.datetime(2025, 3, 14, 5, 59, tzinfo=dt.UTC)  # 23:59 MDT on day 13
        assert 1 == self._intake(last)
        assert 0 == self._intake(last + dt.timedelta(minutes=1))

    def test_default_is_the_referrals_own_offset(self) -> None:
        """Without a zone, a referral's days are read in its own offset (UTC-7 here): 00:30
        MDT on Mar 14 is 23:30 on Mar 13 at UTC-7, day 13; in Denver's calendar, day 14."""
        early = dt.datetime(2025, 3, 14, 0, 30, tzinfo=MDT)

        assert (1, 0) == (self._intake(early, timezone=None), self._intake(early))


class TestConsent:
    """Provider events count only inside a consent span of their referral."""

    def test_referral_without_consent_is_excluded_and_named(self) -> None:
        """One referral's provider data has no consent: left out, counted, listed by line."""
        no_consent = [*referral("b", consent=False)]
        intake = attrs.evolve(ev("intake", day(1), "b"), line=42)
        log = [*referral("a"), ev("intake", day(1), "a"), *no_consent, intake,
               ev("treatment_contact", day(3), "b"),
               ev("followup_reached", day(3), "b")]  # fmt: skip

        m = measures(log)

        assert (2, 1, 2) == (m.referrals, m.initiated_14d, m.excluded_without_consent)
        assert ("b", "intake", 42) == (m.exclusions[0].referral_id, m.exclusions[0].type,
                                       m.exclusions[0].line)  # fmt: skip

    def test_revoked_consent_ends_the_span(self) -> None:
        """Contacts after a revocation are left out: engagement is not reached."""
        log = [*referral(), ev("intake", day(1)), ev("treatment_contact", day(2)),
               ev("consent_revoked", day(3)), ev("treatment_contact", day(4))]  # fmt: skip

        m = measures(log)

        assert (1, 0, 1) == (m.initiated_14d, m.engaged_34d, m.excluded_without_consent)

    def test_end_date_is_the_last_day_covered(self) -> None:
        """A consent ending on day 20 covers day 20, not day 21."""
        end = str(day(20).date())
        log = [*referral(consent=False), ev("consent_recorded", day(0, 23), detail=end),
               ev("treatment_contact", day(20)), ev("treatment_contact", day(21))]  # fmt: skip

        assert 1 == measures(log).excluded_without_consent

    def test_program_events_need_no_consent(self) -> None:
        """Hand-offs and the program's own follow-up are not provider disclosures."""
        log = [*referral(consent=False), ev("handoff_completed", day(0, 23)),
               ev("followup_reached", day(31))]  # fmt: skip

        m = measures(log)

        assert (1, 1, 0) == (m.handoffs_completed, m.active_30d, m.excluded_without_consent)


class TestChargesAndSavings:
    """Only officer-intervention referrals replaced an arrest; only they save anything."""

    def test_only_deflected_charges_save(self) -> None:
        """Three referrals, one officer intervention: one booking, its hours only."""
        log = [*referral("a"), *referral("b", pathway="self_referral"),
               *referral("c", pathway="officer_prevention")]  # fmt: skip

        m = measures(log)

        assert (3, 1, 2.0, 356.0) == (
            m.referrals, m.charges_deflected, m.officer_hours_saved, m.booking_costs_avoided
        )

    def test_recorded_handoff_minutes_are_used(self) -> None:
        """A hand-off that took 90 recorded minutes saves (180 - 90) / 60 = 1.5 hours."""
        log = [*referral(), ev("handoff_completed", day(0, 23), minutes=90.0)]

        assert 1.5 == measures(log).officer_hours_saved

    def test_provider_refusals_and_reversals(self) -> None:
        """A provider turning a hand-off away is counted; overdose reversals are a milestone."""
        log = [ev("overdose_reversal", DAY0 - dt.timedelta(minutes=20), "nx"),
               *referral("nx", pathway="naloxone_plus"),
               ev("provider_refused", DAY0 + dt.timedelta(minutes=10), "nx")]  # fmt: skip

        m = measures(log)

        assert (1, 1, 0) == (m.provider_refusals, m.overdose_reversals, m.charges_deflected)
        assert ("first_overdose_reversal", DAY0 - dt.timedelta(minutes=20)) == (
            m.milestones[0].name, m.milestones[0].at
        )


class TestJson:
    def test_exactly_the_design_keys(self) -> None:
        """to_json gives exactly the §8 keys, in order, with ISO dates."""
        data = to_json(measures([*referral(), ev("intake", day(1))], period=Period(None, None)))

        assert [
            "period", "referrals", "by_pathway", "by_month", "charges_deflected", "offers",
            "declined", "acceptance_rate", "handoffs_completed", "provider_refusals",
            "initiated_14d", "initiation_rate", "engaged_34d", "engagement_rate", "active_30d",
            "active_90d", "active_180d", "officers_referring", "officer_participation",
            "officer_hours_saved", "booking_costs_avoided", "excluded_without_consent",
            "milestones",
        ] == list(data)  # fmt: skip
        assert ({"from": "2025-03-01", "to": "2025-03-02"}, [
            {"name": "first_deflection", "at": "2025-03-01T23:00:00-07:00"}
        ]) == (data["period"], data["milestones"])  # fmt: skip

    def test_public_names(self) -> None:
        """dk.measures and dk.Measures are the core's."""
        import deflectkit as dk

        assert (measures, Measures) == (dk.measures, dk.Measures)


# -- properties ---------------------------------------------------------------------------

_KINDS = ("handoff_completed", "intake", "treatment_contact", "followup_reached",
          "followup_attempt", "return_to_use", "closed", "consent_recorded", "consent_revoked",
          "provider_refused", "intake_missed")  # fmt: skip


@st.composite
def stories(draw: st.DrawFn) -> list[list[Event]]:
    """Several referrals, each a time-ordered list of events."""
    out = []
    for n in range(draw(st.integers(0, 8))):
        rid = f"r{n}"
        start = DAY0 + dt.timedelta(days=draw(st.integers(0, 60)))
        pathway = draw(st.sampled_from(("self_referral", "naloxone_plus", "officer_intervention")))
        events = []
        if draw(st.booleans()):
            events.append(ev("offered", start, rid))
        if draw(st.booleans()):
            events.append(ev("declined", start + dt.timedelta(minutes=1), rid))
        else:
            events.append(ev("referred", start + dt.timedelta(minutes=2), rid, pathway=pathway,
                             officer_hash=draw(st.sampled_from(("a", "b", "c")))))  # fmt: skip
            offsets = sorted(draw(st.lists(st.integers(0, 200 * 24), max_size=8)))
            kinds = draw(st.lists(st.sampled_from(_KINDS), min_size=len(offsets),
                                  max_size=len(offsets)))  # fmt: skip
            events += [
                ev(k, start + dt.timedelta(hours=h, minutes=3), rid)
                for h, k in zip(offsets, kinds, strict=True)
            ]
        out.append(events)
    return out


def _interleave(groups: list[list[Event]], seed: int) -> list[Event]:
    """Merge referrals in a random order, keeping each referral's own order."""
    rng = random.Random(seed)
    queues = [list(g) for g in groups if g]
    out = []
    while queues:
        q = rng.choice(queues)
        out.append(q.pop(0))
        if not q:
            queues.remove(q)
    return out


class TestProperties:
    @given(stories(), st.integers(0, 2**16))
    def test_rates_are_proportions_and_counts_nest(
        self, groups: list[list[Event]], seed: int
    ) -> None:
        """Rates lie in [0, 1]; engaged ≤ initiated ≤ referrals; active 180 ≤ 90 ≤ 30."""
        m = measures(_interleave(groups, seed), sworn=3)

        rates = [m.acceptance_rate, m.initiation_rate, m.engagement_rate, m.officer_participation]
        assert all(0 <= r <= 1 for r in rates if r is not None)
        assert m.engaged_34d <= m.initiated_14d <= m.referrals
        assert m.active_180d <= m.active_90d <= m.active_30d <= m.referrals
        assert m.handoffs_completed <= m.referrals
        assert m.charges_deflected == m.by_pathway["officer_intervention"]
        assert m.excluded_without_consent >= len(m.exclusions)
        assert m.referrals == sum(m.by_pathway.values()) == sum(m.by_month.values())

    @given(stories(), st.integers(0, 2**16), st.integers(0, 2**16))
    def test_order_across_referrals_does_not_matter(
        self, groups: list[list[Event]], one: int, two: int
    ) -> None:
        """Any interleaving of referrals (each kept in order) gives the same measures."""
        assert to_json(measures(_interleave(groups, one))) == to_json(
            measures(_interleave(groups, two))
        )
