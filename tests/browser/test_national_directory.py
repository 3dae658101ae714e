"""A directory over several states: nothing loads until a place or a name is given.

Builds a project of 300 synthetic providers across the country plus four of ours (too big
to carry its index in the page), so the index is split per state and fetched on demand.
Checks the national path: the home asks for a place; a
ZIP code loads only its state's index; a name typed with no place is found through
Pagefind's index (loaded when the box is focused) and loads only the state it names.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from benchmarks.synthetic import write_directory

from tests.browser.conftest import guard_requests, serve

pytestmark = pytest.mark.browser

PROVIDER = """\
name: {name}
sample: true
verified: 2026-10-01
phones: [{{number: "+1 {area}-555-01{n:02d}"}}]
location:
  address: {{street: "{n} Example Way", city: {city}, state: {state}, postal_code: "{zip}"}}
  coordinates: {{lat: {lat}, lon: {lon}}}
  timezone: {tz}
hours: 24/7
intake: {{first_responder_dropoff: true}}
services: [crisis_stabilization, withdrawal_management]
substances: [opioids]
"""

PLACES = [
    (
        "Example Tucson Crisis Center",
        "520",
        "Tucson",
        "AZ",
        "85705",
        32.27,
        -110.98,
        "America/Phoenix",
    ),
    ("Example Phoenix Detox", "602", "Phoenix", "AZ", "85004", 33.45, -112.07, "America/Phoenix"),
    (
        "Example Las Cruces Harbor",
        "575",
        "Las Cruces",
        "NM",
        "88001",
        32.31,
        -106.77,
        "America/Denver",
    ),
    (
        "Example Zephyrine Recovery",
        "505",
        "Santa Fe",
        "NM",
        "87501",
        35.69,
        -105.94,
        "America/Denver",
    ),
]


@pytest.fixture(scope="module")
def national_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project built with ``mkdocs build --strict`` (Pagefind on)."""
    root = tmp_path_factory.mktemp("national")
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Example agency\n", encoding="utf-8")
    data = root / "data" / "providers"
    write_directory(300, data)
    for n, (name, area, city, state, zip_code, lat, lon, tz) in enumerate(PLACES):
        text = PROVIDER.format(
            name=name, area=area, n=n, city=city, state=state, zip=zip_code, lat=lat, lon=lon, tz=tz
        )
        (data / f"example-national-{n}.yaml").write_text(text, encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        "site_name: Example agency\ntheme:\n  name: material\n  font: false\n"
        "plugins:\n  - search\n  - deflectkit:\n      providers_dir: data/providers\n"
        "      policies_dir: data/none\n      events_file: data/none.csv\n      schemas_dir: none\n"
        "nav:\n  - Home: index.md\n  - Directory: directory/index.md\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(root / "site")],
        cwd=root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert 0 == result.returncode, result.stderr[-3000:]
    return root / "site"


@pytest.fixture
def national(browser: Any, national_site: Path) -> Iterator[tuple[Any, str, list[str]]]:
    """A phone page on the national site, and the index files it fetched."""
    server, url = serve(national_site)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    external = guard_requests(context, url)
    page = context.new_page()
    page.set_default_timeout(15000)
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url.removeprefix(url)))
    try:
        yield page, url, fetched
    finally:
        context.close()
        server.shutdown()
        server.server_close()
    assert [] == external


def test_home_waits_for_a_place_then_loads_one_state(national: tuple[Any, str, list[str]]) -> None:
    """No index is fetched before a place; a ZIP code fetches that state's index only."""
    page, url, fetched = national
    page.goto(url + "directory/")
    page.locator(".dk-filters").wait_for()
    assert "Choose a state" in page.locator(".dk-count").inner_text()
    assert not [f for f in fetched if f.startswith("directory/index/")]
    page.fill("input[name=zip]", "88001")
    page.wait_for_selector(".dk-results .dk-card")
    page.wait_for_function("(document.querySelector('.dk-results .dk-dist') || {}).textContent")
    names = page.locator(".dk-results .dk-card-name").all_inner_texts()
    assert "Example Las Cruces Harbor" in names[:5]
    loaded = {f for f in fetched if f.startswith("directory/index/")}
    assert {"directory/index/NM.json", "directory/index/zips-NM.json"} <= loaded
    assert "directory/index/CA.json" not in loaded
    assert "directory/index/NY.json" not in loaded


def test_a_name_with_no_place_is_found_through_pagefind(
    national: tuple[Any, str, list[str]],
) -> None:
    """Pagefind loads when the box is focused; the hit's state index alone is fetched."""
    page, url, fetched = national
    page.goto(url + "directory/")
    page.locator(".dk-filters").wait_for()
    page.locator("input[name=q]").focus()
    page.wait_for_function(
        "performance.getEntriesByType('resource').some(e => e.name.includes('pagefind'))"
    )
    page.fill("input[name=q]", "Zephyrine")
    page.wait_for_selector(".dk-results .dk-card")
    assert ["Example Zephyrine Recovery"] == page.locator(
        ".dk-results .dk-card-name"
    ).all_inner_texts()
    assert ["directory/index/NM.json"] == sorted(
        f for f in fetched if f.startswith("directory/index/")
    )
