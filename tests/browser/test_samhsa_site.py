"""A site built from data we did not write: SAMHSA's Massachusetts export, in headless Chromium.

``deflectkit init`` plus ``deflectkit import samhsa`` on the real FindTreatment.gov export
(../shared/datasets; public domain) gives 466 providers with no opening hours, no police
drop-off data, names up to 77 characters and up to 175 service codes. The directory's
filters must still count right, say so plainly when nothing matches, and the longest page
must fit a phone. The site is built here, never published.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from deflectkit.cli import main
from deflectkit.site.facets import provider_needs
from deflectkit.site.strings import STRINGS
from tests.browser.conftest import _QuietHandler
from tests.conftest import SHARED

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (SHARED / "datasets/samhsa_findtreatment_ma_2025/facility-detail.csv").is_file(),
        reason="../shared/datasets is not present",
    ),
]

EXPORT = SHARED / "datasets/samhsa_findtreatment_ma_2025/facility-detail.csv"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An agency project whose providers are the SAMHSA import, with its site built."""
    root = tmp_path_factory.mktemp("samhsa") / "samhsa-ma"
    assert 0 == main(["init", str(root), "--agency", "Example Massachusetts Program",
                      "--state", "MA"])
    (root / "data/providers/example-recovery-center.yaml").unlink()
    assert 0 == main(["import", "samhsa", str(EXPORT), "--date", "2025-08-19",
                      "--out", str(root / "data/providers")])
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q"],
        cwd=root, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True, text=True, check=False,
    )
    assert 0 == result.returncode, result.stderr[-4000:]
    return root


@pytest.fixture(scope="module")
def providers(project: Path) -> list[Any]:
    from deflectkit.files.providers import load_directory

    return list(load_directory(project / "data/providers", today=dt.date.today()))


@pytest.fixture(scope="module")
def url(project: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(project / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def phone(browser: Any, url: str) -> Iterator[Any]:
    """A 390x844 page that fails the test on a script error or a request to another host."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    problems: list[str] = []

    def guard(route: Any) -> None:
        if route.request.url.startswith((url, "data:")):
            route.continue_()
        else:
            problems.append(f"request to {route.request.url}")
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.on("pageerror", lambda exc: problems.append(f"script error: {exc}"))
    page.set_default_timeout(20000)
    try:
        yield page
    finally:
        context.close()
    assert [] == problems


def _count(page: Any) -> int:
    page.wait_for_selector(".dk-count[data-count]")
    return int(page.get_attribute(".dk-count", "data-count"))


def _wait_count(page: Any, expected: int) -> None:
    page.wait_for_function(f"document.querySelector('.dk-count').dataset.count === '{expected}'")


def test_filters_count_what_the_data_says(phone: Any, url: str, providers: list[Any]) -> None:
    """466 providers; a need narrows to the library's own count; drop-off and 24/7 find none."""
    phone.goto(url + "directory/")
    assert 466 == len(providers) == _count(phone)
    phone.select_option("select[name=need]", "opioids")
    opioids = sum("opioids" in provider_needs(p) for p in providers)
    _wait_count(phone, opioids)
    assert 0 < opioids < 466
    phone.check("input[name=dropoff]")  # the export never says: nobody may claim it
    _wait_count(phone, 0)
    assert STRINGS["no_match"] == phone.locator(".dk-count").inner_text()  # says so plainly
    phone.click(".dk-filters button[type=reset]")
    _wait_count(phone, 466)
    phone.locator(".dk-more-filters summary").click()  # 24/7 sits under "More filters"
    phone.check("input[name=always]")
    _wait_count(phone, 0)


def test_open_now_keeps_nobody_without_hours(phone: Any, url: str) -> None:
    """No provider has hours: "open now" keeps none rather than guessing."""
    phone.goto(url + "directory/")
    assert 466 == _count(phone)
    phone.check("input[name=open]")
    _wait_count(phone, 0)


def test_longest_name_fits_a_phone(phone: Any, url: str, providers: list[Any]) -> None:
    """The 77-character name and 175 codes: no sideways scrolling, a Call link on screen."""
    longest = max(providers, key=lambda p: len(p.name))
    assert 70 < len(longest.name)
    phone.goto(url + f"providers/{longest.slug}/")
    assert longest.name == phone.locator(".dk-provider h1").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    tel = phone.locator(".dk-contact a[href^='tel:']").first
    tel.scroll_into_view_if_needed()
    assert tel.is_visible()
    phone.goto(url + "directory/")
    phone.select_option("select[name=need]", "mental_health")
    phone.wait_for_selector(".dk-results li")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_search_finds_a_real_provider(phone: Any, url: str, providers: list[Any]) -> None:
    """The directory's search box over 466 real providers finds one by its name."""
    provider = next(p for p in providers if "Clinical Stabilization" in p.name)
    phone.goto(url + "directory/")
    assert 466 == _count(phone)
    phone.locator("#dk-q").fill(provider.name)
    link = phone.locator(f".dk-results a[href*='/providers/{provider.slug}/']").first
    link.wait_for()
    assert link.is_visible()
