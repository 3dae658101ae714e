"""Tests for deflectkit.core.matching: who can take this person right now."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import deflectkit as dk
from deflectkit.api import match, search
from deflectkit.core.directory import Directory
from deflectkit.core.geo import haversine_km
from deflectkit.core.hours import parse_hours
from deflectkit.core.matching import Match, Weights, build_index
from deflectkit.core.providers import Address, Ages, Coordinates, Intake, Location, Phone, Provider

PHOENIX_TIME = dt.timezone(dt.timedelta(hours=-7))  # Arizona keeps MST all year
#: Wednesday 4 March 2026, 03:00 in Tucson.
THREE_AM = dt.datetime(2026, 3, 4, 3, 0, tzinfo=PHOENIX_TIME)
OFFICER = Coordinates(32.2217, -110.9265)  # downtown Tucson


def _east(km: float) -> Coordinates:
    """A point ``km`` east of the officer (a degree of longitude is ~94.2 km here)."""
    return Coordinates(OFFICER.lat, OFFICER.lon + km / 94.2)


def provider(slug: str, *, km: float | None = 1.0, **fields: Any) -> Provider:
    """A fictional Tucson provider ``km`` east of the officer; fields override defaults."""
    location = Location(
        "America/Phoenix",
        address=Address(city="Tucson", state="AZ", postal_code="85701"),
        coordinates=_east(km) if km is not None else None,
    )
    defaults: dict[str, Any] = {
        "name": f"Example {slug.replace('-', ' ').title()}",
        "location": location,
        "hours": parse_hours("24/7"),
        "substances": ("opioids",),
        "intake": Intake(first_responder_dropoff=True, officer_minutes=10),
        "verified": dt.date(2026, 1, 15),
        "phones": (Phone("+15205550142", "24/7 intake"),),
    }
    defaults.update(fields)
    return Provider(slug=slug, **defaults)


CRISIS = provider(
    "crisis-center",
    km=3.0,
    services=("crisis_stabilization",),
    mental_health=True,
    medications=("buprenorphine",),
)
OTP = provider(
    "methadone-clinic",
    km=6.0,
    medications=("methadone", "buprenorphine"),
    otp=True,
    intake=Intake(first_responder_dropoff=False),
    payment=("medicaid",),
    languages=("en", "es"),
)
DAY_CLINIC = provider("day-clinic", km=0.5, hours=parse_hours({"mon-fri": "08:00-17:00"}))
EVENING_INTAKE = provider(
    "evening-intake",
    km=0.8,
    intake=Intake(first_responder_dropoff=True, hours=parse_hours({"mon-sun": "07:00-23:00"})),
)
UNKNOWN_HOURS = provider(
    "unknown-hours", km=0.7, hours=None, intake=Intake(call_ahead="+15205550143")
)
ZIP_ONLY = provider("zip-only", km=None, payment=("free",))
HOUSING = provider("sober-house", km=0.2, substances=(), services=("recovery_housing",))
TEEN = provider("teen-program", km=5.0, ages=Ages(min=12, max=17))

DIRECTORY = Directory(
    [CRISIS, OTP, DAY_CLINIC, EVENING_INTAKE, UNKNOWN_HOURS, ZIP_ONLY, HOUSING, TEEN]
)


def slugs(matches: list[Match]) -> list[str]:
    """The slugs of matches, in rank order."""
    return [m.provider.slug for m in matches]


class TestThreeAm:
    """At 03:00 on a weekday only providers open for intake are offered, nearest first."""

    def test_only_open_for_intake_nearest_first(self) -> None:
        """Closed, evening-only and unknown-hours providers are left out; order is by score."""
        found = match(DIRECTORY, ["opioids"], at=THREE_AM, near=OFFICER, age=30)

        # zip-only sits at the 85701 centroid, 4.1 km away; the OTP is nearer than the
        # centroid but its missing police drop-off costs 5 km in the ranking.
        assert ["crisis-center", "zip-only", "methadone-clinic"] == slugs(found)
        assert [True, True, True] == [m.open_now for m in found]
        assert found == sorted(found, key=lambda m: m.score)

    def test_every_match_has_reasons(self) -> None:
        """Each match says it serves the need, is open now, and how far it is."""
        found = match(DIRECTORY, ["opioids"], at=THREE_AM, near=OFFICER)
        crisis = next(m for m in found if m.provider.slug == "crisis-center")

        assert [
            "serves opioid use: treats opioids; offers buprenorphine",
            "open for intake now, 24/7",
            "3.0 km from 32.2217,-110.9265",
            "takes police drop-offs",
            "officer hand-off about 10 min",
            "verified 2026-01-15",
        ] == list(crisis.reasons)
        assert () == crisis.lacks

    def test_lacks_are_reported(self) -> None:
        """The OTP is offered but lacks police drop-off, and says so."""
        otp = next(
            m
            for m in match(DIRECTORY, "opioids", at=THREE_AM, near=OFFICER)
            if m.provider.slug == "methadone-clinic"
        )

        assert ("no police drop-off listed",) == otp.lacks

    def test_zip_centroid_fallback_is_named(self) -> None:
        """A provider without coordinates is measured to its ZIP centroid; the reason says so."""
        found = match(DIRECTORY, ["opioids"], at=THREE_AM, near=OFFICER)
        zip_only = next(m for m in found if m.provider.slug == "zip-only")

        assert "zip_centroid" == zip_only.located_by
        assert any("ZIP 85701 centroid" in r for r in zip_only.reasons)

    def test_without_near_ranks_by_penalties(self) -> None:
        """Without a point there is no distance; the drop-off penalty still ranks the OTP last."""
        found = match(DIRECTORY, ["opioids"], at=THREE_AM, age=30)

        assert ["crisis-center", "zip-only", "methadone-clinic"] == slugs(found)
        assert [None, None, None] == [m.distance_km for m in found]


class TestIncludeClosed:
    """Business-hours providers appear with their next opening when asked."""

    def test_day_clinic_with_next_opening(self) -> None:
        """The day clinic is listed, closed now, opening at 08:00 the same morning."""
        found = match(DIRECTORY, ["opioids"], at=THREE_AM, near=OFFICER, include_closed=True)
        day = next(m for m in found if m.provider.slug == "day-clinic")

        assert (False, "2026-03-04T08:00:00-07:00") == (
            day.open_now,
            day.opens_at.isoformat() if day.opens_at else None,
        )
        assert any(lack.startswith("closed for intake now; opens Wed") for lack in day.lacks)

    def test_open_providers_still_rank_first(self) -> None:
        """Waiting five hours costs more than the few km to an open provider."""
        found = match(DIRECTORY, ["opioids"], at=THREE_AM, near=OFFICER, include_closed=True)

        assert "crisis-center" == found[0].provider.slug

    def test_unknown_hours_call_ahead(self) -> None:
        """A provider with unknown hours appears only when asked, with its number to call."""
        found = match(DIRECTORY, ["opioids"], at=THREE_AM, near=OFFICER, include_closed=True)
        unknown = next(m for m in found if m.provider.slug == "unknown-hours")

        assert (None, ("intake hours unknown: call ahead (+15205550143)",)) == (
            unknown.open_now,
            unknown.lacks[:1],
        )


class TestExplain:
    """--explain says why the closest excluded providers were excluded."""

    def test_closest_exclusions_with_reasons(self) -> None:
        """The nearest excluded providers come with every constraint each failed."""
        result = search(DIRECTORY, ["opioids"], at=THREE_AM, near=OFFICER, explain=4, age=30)
        reasons = {e.provider.slug: e.reasons for e in result.excluded}

        assert ["sober-house", "day-clinic", "unknown-hours", "evening-intake"] == [
            e.provider.slug for e in result.excluded
        ]
        assert ("does not serve opioid use",) == reasons["sober-house"]
        assert ("closed for intake now; opens Wed 2026-03-04 08:00 MST",) == reasons["day-clinic"]
        assert ("intake hours unknown: call ahead (+15205550143)",) == reasons["unknown-hours"]
        assert ("closed for intake now; opens Wed 2026-03-04 07:00 MST",) == reasons[
            "evening-intake"
        ]

    def test_age_exclusion(self) -> None:
        """A teen program is excluded for an adult, and the reason gives its ages."""
        result = search(DIRECTORY, ["opioids"], at=THREE_AM, near=OFFICER, explain=10, age=30)
        teen = next(e for e in result.excluded if e.provider.slug == "teen-program")

        assert ("serves ages 12 to 17, not 30",) == teen.reasons


class TestFilters:
    """Drop-off, payment, language and medication are hard constraints when asked."""

    @pytest.mark.parametrize(
        ("options", "expected"),
        [
            ({"dropoff": True}, ["crisis-center", "zip-only", "teen-program"]),
            ({"payment": "medicaid"}, ["zip-only", "methadone-clinic"]),  # free takes anyone
            ({"language": "es"}, ["methadone-clinic"]),
            ({"language": "en"}, ["crisis-center", "zip-only", "teen-program", "methadone-clinic"]),
            ({"medication": "methadone"}, ["methadone-clinic"]),
            ({"age": 15}, ["crisis-center", "zip-only", "teen-program", "methadone-clinic"]),
        ],
    )
    def test_filter(self, options: dict[str, Any], expected: list[str]) -> None:
        """Each filter keeps exactly the providers that satisfy it."""
        found = match(DIRECTORY, ["opioids"], at=THREE_AM, near=OFFICER, **options)

        assert expected == slugs(found)

    def test_several_needs_all_served(self) -> None:
        """With two needs a provider must serve both: only the crisis center does."""
        found = match(DIRECTORY, "opioids,mental_health", at=THREE_AM, near=OFFICER)

        assert ["crisis-center"] == slugs(found)

    def test_decision_route_needs(self) -> None:
        """A decision's referral route (a tuple of needs) is accepted as is."""
        from deflectkit.core.policy.decision import ReferralRoute

        route = ReferralRoute("R-OUD", ("opioids",))
        found = match(DIRECTORY, route.need, at=THREE_AM, near=OFFICER, limit=1)

        assert ["crisis-center"] == slugs(found)

    def test_limit(self) -> None:
        """At most ``limit`` matches come back, the best ones."""
        assert ["crisis-center"] == slugs(match(DIRECTORY, ["opioids"], at=THREE_AM, limit=1))


class TestBadInput:
    """Mistakes are ValueErrors that say what to write instead."""

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"needs": ["opiods"]}, "unknown need 'opiods'; did you mean 'opioids'"),
            ({"needs": []}, "name at least one need"),
            ({"payment": "medicaide"}, "did you mean 'medicaid'"),
            ({"near": "00000"}, "unknown ZIP code"),
            ({"at": dt.datetime(2026, 3, 4, 3, 0)}, "no UTC offset"),
            ({"limit": 0}, "limit must be at least 1"),
        ],
    )
    def test_errors(self, kwargs: dict[str, Any], message: str) -> None:
        """Each bad argument raises ValueError with a helpful message."""
        arguments: dict[str, Any] = {"needs": ["opioids"], "at": THREE_AM, **kwargs}
        with pytest.raises(ValueError, match=message):
            match(DIRECTORY, **arguments)

    def test_negative_weight(self) -> None:
        """Negative penalties would break the early stop of the nearby search."""
        with pytest.raises(ValueError, match="must not be negative"):
            Weights(no_dropoff_km=-1)


class TestJson:
    """dk.to_json(match) gives the CLI's row."""

    def test_row(self) -> None:
        """A row carries id, name, distance, open state, phones and reasons."""
        row = dk.to_json(match(DIRECTORY, ["opioids"], at=THREE_AM, near=OFFICER)[0])

        assert {
            "id": "crisis-center",
            "name": "Example Crisis Center",
            "distance_km": 3.0,
            "open_now": True,
            "opens_at": None,
            "closes_at": None,
            "phones": [{"number": "+15205550142", "label": "24/7 intake"}],
            "located_by": "coordinates",
        } == {
            k: v
            for k, v in row.items()
            if k not in {"reasons", "lacks", "score", "reason_codes", "lack_codes", "intake_phone"}
        }
        assert isinstance(row["reasons"], list)
        assert len(row["reasons"]) == len(row["reason_codes"])
        assert len(row["lacks"]) == len(row["lack_codes"])
        assert "+15205550142" == row["intake_phone"]


# --- the spatial search gives exactly the linear scan's answer ----------------------------

_hours = st.sampled_from(
    [
        parse_hours("24/7"),
        parse_hours({"mon-fri": "08:00-17:00"}),
        parse_hours({"mon-sun": "20:00-08:00"}),
        None,
    ]
)


@st.composite
def random_provider(draw: st.DrawFn, slug: str) -> Provider:
    """A provider somewhere in Arizona (or far away), with random facts that matter."""
    far = draw(st.integers(0, 9)) == 0
    lat = draw(st.floats(40, 45) if far else st.floats(31.3, 33.5))
    lon = draw(st.floats(-80, -75) if far else st.floats(-112.5, -110.0))
    return attrs.evolve(
        provider(slug, km=0),
        location=Location("America/Phoenix", coordinates=Coordinates(lat, lon)),
        hours=draw(_hours),
        substances=draw(st.sampled_from([("opioids",), ("alcohol",), ()])),
        intake=Intake(
            first_responder_dropoff=draw(st.booleans()),
            officer_minutes=draw(st.one_of(st.none(), st.integers(0, 90))),
        ),
        verified=draw(st.sampled_from([None, dt.date(2024, 1, 1), dt.date(2026, 2, 1)])),
    )


@st.composite
def directories(draw: st.DrawFn) -> list[Provider]:
    """Up to 40 random providers with distinct slugs."""
    count = draw(st.integers(0, 40))
    return [draw(random_provider(f"p{i:03d}")) for i in range(count)]


class TestSpatialEqualsLinear:
    """The grid search stops early, yet returns exactly what a scan of everything returns."""

    @given(
        providers=directories(),
        limit=st.integers(1, 12),
        include_closed=st.booleans(),
        at=st.datetimes(min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2026, 12, 31)).map(
            lambda d: d.replace(tzinfo=PHOENIX_TIME)
        ),
    )
    def test_same_answer(
        self, providers: list[Provider], limit: int, include_closed: bool, at: dt.datetime
    ) -> None:
        """Same providers, same order, same scores, with and without the spatial index."""
        index = build_index(providers)
        options: dict[str, Any] = {
            "at": at,
            "near": OFFICER,
            "limit": limit,
            "include_closed": include_closed,
        }

        linear = search(index, ["opioids"], spatial=False, **options).matches
        spatial = search(index, ["opioids"], **options).matches

        assert [(m.provider.slug, m.score) for m in linear] == [
            (m.provider.slug, m.score) for m in spatial
        ]

    @given(providers=directories(), explain=st.integers(1, 6))
    def test_explain_is_the_closest_excluded(self, providers: list[Provider], explain: int) -> None:
        """The excluded providers explained are the nearest that fail, found by brute force."""
        index = build_index(providers)
        everyone = match(index, ["opioids"], at=THREE_AM, near=OFFICER, limit=len(providers) + 1)
        admissible = {m.provider.slug for m in everyone}
        failing = sorted(
            (haversine_km(OFFICER, p.location.coordinates), i, p.slug)
            for i, p in enumerate(providers)
            if p.location.coordinates is not None and p.slug not in admissible
        )

        result = search(index, ["opioids"], at=THREE_AM, near=OFFICER, explain=explain)

        assert [slug for _, _, slug in failing[:explain]] == [
            e.provider.slug for e in result.excluded
        ]


class TestQuery:
    """``match`` and ``search`` share one public ``Query``."""

    def test_a_query_gives_what_the_keywords_give(self) -> None:
        """A ready Query and the keyword convenience return the same matches."""
        from deflectkit.core.constraints import Query

        query = Query(["opioids"], THREE_AM, near=OFFICER, age=30, limit=3)

        assert match(DIRECTORY, ["opioids"], at=THREE_AM, near=OFFICER, age=30, limit=3) == \
            match(DIRECTORY, query)
        assert search(DIRECTORY, query, explain=2) == search(
            DIRECTORY, ["opioids"], at=THREE_AM, near=OFFICER, age=30, limit=3, explain=2)

    def test_words_are_checked_when_the_query_is_made(self) -> None:
        """A misspelt payer is refused at once, with a suggestion."""
        from deflectkit.core.constraints import Query

        with pytest.raises(ValueError, match="did you mean 'medicaid'"):
            Query(["opioids"], THREE_AM, payment="medicad")

    def test_match_without_at_is_a_type_error(self) -> None:
        """The keyword form needs the moment."""
        with pytest.raises(TypeError, match="at="):
            match(DIRECTORY, ["opioids"])


class TestZipTableInjected:
    """The core knows no ZIP codes: the public ``match`` passes the table shipped in the wheel."""

    def test_core_alone_leaves_a_zip_only_provider_unlocated(self) -> None:
        """Without a lookup the core ranks the ZIP-only provider last, with no distance."""
        from deflectkit.core import matching as core

        found = core.match(Directory([ZIP_ONLY, CRISIS]), ["opioids"], at=THREE_AM, near=OFFICER)

        assert [("crisis-center", "coordinates"), ("zip-only", None)] == [
            (m.provider.slug, m.located_by) for m in found
        ]

    def test_core_alone_refuses_a_zip_near(self) -> None:
        """A ZIP ``near`` without a lookup is a clear ValueError, not a silent file read."""
        from deflectkit.core import matching as core

        with pytest.raises(ValueError, match="no ZIP table was given"):
            core.match(DIRECTORY, ["opioids"], at=THREE_AM, near="85701")

    def test_public_match_passes_the_shipped_table_and_keeps_one_index(self) -> None:
        """``dk.match`` locates by ZIP centroid, and reuses the directory's kept index."""
        directory = Directory([ZIP_ONLY, CRISIS])
        found = dk.match(directory, ["opioids"], at=THREE_AM, near="85701")

        assert "zip_centroid" == next(m for m in found if m.provider.slug == "zip-only").located_by
        assert 1 == len(directory._match_indexes)
        by_query = dk.match(directory, dk.Query(["opioids"], THREE_AM, near="85701"))
        by_keyword = dk.match(directory, needs=dk.Query(["opioids"], THREE_AM, near="85701"))
        assert 1 == len(directory._match_indexes)
        assert [m.provider.slug for m in found] == [m.provider.slug for m in by_query]
        assert [m.provider.slug for m in found] == [m.provider.slug for m in by_keyword]

    def test_a_given_lookup_is_used(self) -> None:
        """A caller's own ``zip_centroid`` wins over the shipped table, in keywords or a Query."""
        def lookup(zip_code: str) -> Coordinates | None:
            return _east(50.0) if zip_code == "85701" else None

        by_keyword = match(DIRECTORY, ["opioids"], at=THREE_AM, near=OFFICER, zip_centroid=lookup)
        query = dk.Query(["opioids"], THREE_AM, near=OFFICER, zip_centroid=lookup)
        by_query = match(DIRECTORY, query)

        for found in (by_keyword, by_query):
            zip_only = next(m for m in found if m.provider.slug == "zip-only")
            assert 50.0 == pytest.approx(zip_only.distance_km, abs=0.1)
