"""The directory's result cards come in the order ``dk.match`` gives, in both languages.

The browser ranks with the library's weights (written into the index) and a mirror of
``penalty_km``; these tests tie the two on the bundled sample directory: for several moments
(03:00 on a weekday, Saturday noon), places (a ZIP in Tucson, one far from every provider)
and filters (none, a need, police drop-off, open now), the cards Chromium shows are, in
order, the providers ``dk.match`` returns for the same query at the same moment.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import deflectkit as dk
from deflectkit.site.facets import provider_needs
from deflectkit.vocabulary import NEEDS
from tests.browser.conftest import guard_requests

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
TUCSON = ZoneInfo("America/Phoenix")
#: Wednesday 2 December 2026, 03:00 in Tucson; Saturday 5 December 2026, noon.
WEDNESDAY_3AM = dt.datetime(2026, 12, 2, 3, 0, tzinfo=TUCSON)
SATURDAY_NOON = dt.datetime(2026, 12, 5, 12, 0, tzinfo=TUCSON)
#: 85705 is in Tucson among the sample providers; 86044 (Tonalea) is 250 miles from any.
PLACES = ("85705", "86044")
FILTERS: tuple[dict[str, str], ...] = (
    {},
    {"need": "opioids"},
    {"dropoff": "1"},
    {"need": "opioids", "dropoff": "1", "open": "1"},
    {"need": "mental_health", "open": "1"},
)


@pytest.fixture(scope="module")
def directory() -> Any:
    from deflectkit.files.providers import load_directory

    return load_directory(ROOT / "data/providers", today=WEDNESDAY_3AM.date())


def _library_order(
    directory: Any, at: dt.datetime, zip_code: str, form: dict[str, str]
) -> list[str]:
    """The slugs ``dk.match`` ranks for the form's query, best first.

    With no need chosen the directory lists every provider, while ``dk.match`` asks for at
    least one: the library's score of each provider is then read from a match per need (it
    does not depend on the need asked) and sorted by the library's own key (located first,
    then score, distance, directory order).
    """
    needs = [form["need"]] if "need" in form else list(NEEDS.words)
    scored: dict[str, tuple[bool, float, float, str]] = {}
    for need in needs:
        for m in dk.match(
            directory, [need], at=at, near=zip_code, limit=1000,
            dropoff="dropoff" in form, include_closed="open" not in form,
        ):
            km = math.inf if m.distance_km is None else m.distance_km
            scored[m.provider.slug] = (m.distance_km is None, m.score, km, m.provider.slug)
    return [slug for *_, slug in sorted(scored.values())]


@contextlib.contextmanager
def _phone_at(browser: Any, site_url: str, at: dt.datetime) -> Iterator[Any]:
    """A phone page in Tucson with its clock pinned at ``at``; other hosts refused."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, timezone_id="America/Phoenix"
    )
    external = guard_requests(context, site_url)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.clock.install(time=at)
    try:
        yield page
    finally:
        context.close()
    assert [] == external, f"requests to other hosts: {external}"


def _card_order(page: Any, url: str) -> list[str]:
    """The slugs of the result cards, once the ZIP's table has loaded and distances show."""
    page.goto(url)
    page.wait_for_function(
        "(document.querySelector('.dk-results .dk-card .dk-dist') || {}).textContent"
        " || document.querySelector('.dk-count').getAttribute('data-count') === '0'"
    )
    slugs: list[str] = page.eval_on_selector_all(
        ".dk-results .dk-card", "cards => cards.map(c => c.getAttribute('data-slug'))"
    )
    return slugs


def _query(zip_code: str, form: dict[str, str]) -> str:
    return "?" + "&".join(f"{k}={v}" for k, v in {"zip": zip_code, **form}.items())


@pytest.mark.parametrize("at", [WEDNESDAY_3AM, SATURDAY_NOON], ids=["wed-03h", "sat-12h"])
@pytest.mark.parametrize("lang", ["", "es/"], ids=["en", "es"])
def test_cards_come_in_the_library_order(
    browser: Any, site_url: str, directory: Any, at: dt.datetime, lang: str
) -> None:
    """Every place x filter case: the cards shown are dk.match's ranking, in its order."""
    checked = 0
    with _phone_at(browser, site_url, at) as phone:
        for zip_code in PLACES:
            for form in FILTERS:
                expected = _library_order(directory, at, zip_code, form)
                url = site_url + lang + "directory/" + _query(zip_code, form)
                shown = _card_order(phone, url)
                # dk.match asks for a need: a provider meeting none is listed but not ranked.
                unranked = [s for s in shown if s not in expected]
                assert all(provider_needs(directory[s]) == () for s in unranked), unranked
                ranked = [s for s in shown if s in expected]
                assert expected[: len(ranked)] == ranked, (at, zip_code, form)
                assert len(ranked) == min(len(expected), 50 - len(unranked)), (zip_code, form)
                checked += len(ranked)
    assert checked > 100, "the cases should rank many cards, not a handful"


def test_a_24_7_dropoff_outranks_a_nearer_place_closed_until_morning(
    browser: Any, site_url: str, directory: Any
) -> None:
    """The defect this ranking fixed: at 03:00 the nearest card was one closed until morning."""
    everyone = {
        m.provider.slug: m
        for need in NEEDS.words
        for m in dk.match(directory, [need], at=WEDNESDAY_3AM, near="85705",
                          include_closed=True, limit=1000)
    }
    nearest = min(everyone.values(), key=lambda m: m.distance_km or math.inf)
    assert nearest.open_now is False, "the sample should have a closed place nearest 85705"
    with _phone_at(browser, site_url, WEDNESDAY_3AM) as phone:
        shown = _card_order(phone, site_url + "directory/?zip=85705")
    first = everyone[shown[0]]
    assert first.open_now is True
    assert first.provider.intake.first_responder_dropoff
    assert shown.index(nearest.provider.slug) > 0
    assert (first.distance_km or 0) > (nearest.distance_km or math.inf)


def test_without_a_place_the_cards_keep_the_directory_order(browser: Any, site_url: str) -> None:
    """No ZIP and no location: the directory's own order (by slug), as before the ranking."""
    with _phone_at(browser, site_url, WEDNESDAY_3AM) as phone:
        phone.goto(site_url + "directory/")
        phone.locator(".dk-results .dk-card").first.wait_for()
        slugs = phone.eval_on_selector_all(
            ".dk-results .dk-card", "cards => cards.map(c => c.getAttribute('data-slug'))"
        )
    assert len(slugs) > 10
    assert sorted(slugs) == slugs


#: Each sample provider's penalty, as the browser computes it from the index.
_PENALTIES_JS = """async () => {
  const dk = window.deflectkit, root = document.querySelector('.dk-directory');
  const base = root.getAttribute('data-index-base'), now = new Date(), out = {};
  for (const key of Object.keys(JSON.parse(root.getAttribute('data-shards')))) {
    const d = await (await fetch(base + key + '.json')).json();
    for (const p of d.providers) {
      const hours = p[11] === null ? null : d.hours[p[11]];
      const st = dk.status(hours, p[9], d.places[p[2]][3], now);
      const day = p[21] === null ? null : d.verified_base - p[21];
      out[p[0]] = dk.penaltyKm(p, st, day, dk.epochDay(now), d.ranking);
    }
  }
  return out;
}"""


@pytest.mark.parametrize(
    "at",
    # 2027-02-21 is 366 days after the oldest check in the sample (2026-02-20): just stale.
    [WEDNESDAY_3AM, SATURDAY_NOON, dt.datetime(2027, 2, 21, 18, 30, tzinfo=TUCSON)],
    ids=["wed-03h", "sat-12h", "2027-stale"],
)
def test_each_penalty_is_the_library_penalty(
    browser: Any, site_url: str, directory: Any, at: dt.datetime
) -> None:
    """Term by term: the script's penalty for every sample provider equals ``penalty_km``.

    The third moment is the first day the oldest sample check is more than a year old, so
    the stale term and its boundary are exercised too.
    """
    from deflectkit.core.availability import is_open, next_opening
    from deflectkit.core.ranking import WEIGHTS, penalty_km

    with _phone_at(browser, site_url, at) as phone:
        phone.goto(site_url + "directory/")
        phone.locator(".dk-results .dk-card").first.wait_for()
        browser_km: dict[str, float] = phone.evaluate(_PENALTIES_JS)
    library_km = {}
    for p in directory.providers:
        hours, tz = p.intake_hours, ZoneInfo(p.location.timezone)
        open_now = None if hours is None else is_open(hours, tz, at)
        opens = next_opening(hours, tz, at) if hours is not None and open_now is False else None
        library_km[p.slug] = penalty_km(p, at=at, open_now=open_now, opens=opens)
    assert library_km.keys() == browser_km.keys()
    for slug, km in library_km.items():
        assert km == pytest.approx(browser_km[slug], abs=1e-9), slug
    stale = [p for p in directory.providers if WEIGHTS.is_stale(p.verified, at.date())]
    assert (at.year == 2027) == bool(stale), "only the 2027 moment should find stale rows"
