"""Tests for Directory.match_index: a directory's match index is built once, on first use."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import pytest

import deflectkit as dk
import deflectkit.core.match_index as match_index_module
import deflectkit.core.matching as matching_module
from deflectkit.core.directory import Directory
from deflectkit.core.hours import parse_hours
from deflectkit.core.match_index import MatchIndex
from deflectkit.core.matching import build_index
from deflectkit.core.providers import Address, Coordinates, Location, Provider

PHOENIX_TIME = dt.timezone(dt.timedelta(hours=-7))
THREE_AM = dt.datetime(2026, 3, 4, 3, 0, tzinfo=PHOENIX_TIME)
OFFICER = Coordinates(32.2217, -110.9265)


def _provider(slug: str, lon_offset: float) -> Provider:
    """A fictional 24/7 Tucson opioid-treatment provider east of the officer."""
    return Provider(
        slug=slug,
        name=f"Example {slug.title()}",
        location=Location(
            "America/Phoenix",
            address=Address(city="Tucson", state="AZ", postal_code="85701"),
            coordinates=Coordinates(OFFICER.lat, OFFICER.lon + lon_offset),
        ),
        hours=parse_hours("24/7"),
        substances=("opioids",),
    )


PROVIDERS = [_provider("near", 0.01), _provider("far", 0.2), _provider("middle", 0.05)]


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count calls of the index builder (one entry, the provider count, per build).

    Patched where the directory imports it and where matching imported it by name.
    """
    calls: list[int] = []
    real = match_index_module.build_index

    def counting(providers: Iterable[Provider], **kwargs: Any) -> MatchIndex:
        index = real(providers, **kwargs)
        calls.append(len(index))
        return index

    monkeypatch.setattr(match_index_module, "build_index", counting)
    monkeypatch.setattr(matching_module, "build_index", counting)
    return calls


def test_repeated_matches_on_one_directory_build_the_index_once(builds: list[int]) -> None:
    """Three dk.match calls on the same Directory build its match index once, not three times."""
    directory = Directory(PROVIDERS)
    answers = [
        [m.provider.slug for m in dk.match(directory, ["opioids"], at=THREE_AM, near=OFFICER)]
        for _ in range(3)
    ]
    assert [3] == builds
    assert [["near", "middle", "far"]] * 3 == answers


def test_the_kept_index_answers_like_a_fresh_one() -> None:
    """Matching through the kept index gives the same answer as a freshly built index."""
    directory = Directory(PROVIDERS)
    kept = dk.match(directory, ["opioids"], at=THREE_AM, near=OFFICER, limit=2)
    fresh = dk.match(build_index(PROVIDERS), ["opioids"], at=THREE_AM, near=OFFICER, limit=2)
    assert [m.provider.slug for m in fresh] == [m.provider.slug for m in kept]
    assert directory.match_index() is directory.match_index()


def test_each_directory_keeps_its_own_index(builds: list[int]) -> None:
    """Two directories never share an index, even when their providers are equal."""
    first, second = Directory(PROVIDERS), Directory(PROVIDERS[:2])
    assert first.match_index() is not second.match_index()
    assert [3, 2] == builds
    assert 2 == len(second.match_index())


def test_a_plain_list_and_a_custom_zip_lookup_build_afresh(builds: list[int]) -> None:
    """A list of providers has nowhere to keep an index; a custom ZIP lookup is not the kept one."""
    directory = Directory(PROVIDERS)
    dk.match(PROVIDERS, ["opioids"], at=THREE_AM, near=OFFICER)
    dk.match(PROVIDERS, ["opioids"], at=THREE_AM, near=OFFICER)
    dk.match(directory, ["opioids"], at=THREE_AM, near=OFFICER, zip_centroid=lambda _zip: None)
    assert [3, 3, 3] == builds


def test_the_kept_index_stays_out_of_repr_and_equality() -> None:
    """A directory that has been matched equals and prints like one that has not."""
    matched, fresh = Directory(PROVIDERS), Directory(PROVIDERS)
    matched.match_index()
    assert fresh == matched
    assert hash(fresh) == hash(matched)
    assert "match_index" not in repr(matched)
