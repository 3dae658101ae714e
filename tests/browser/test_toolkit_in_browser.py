"""The toolkit in headless Chromium: the pulse survey, print views, downloads and accessibility."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from deflectkit.site.toolkit_docx import docx_headings, toolkit_pages

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = [p.stem for p in toolkit_pages(ROOT / "docs")]
STORAGE = "deflectkit.pulse.v1"


def _survey(page: Any, site_url: str) -> None:
    page.goto(site_url + "toolkit/pulse-survey/")
    page.wait_for_selector("#dk-pulse-overall")


def _answer(page: Any, item: str, value: int) -> None:
    page.check(f"#{item} input[value='{value}']")


def _pdf_pages(pdf: bytes) -> int:
    counts = re.findall(rb"/Type\s*/Pages\b.*?/Count (\d+)", pdf, flags=re.DOTALL)
    counts = counts or re.findall(rb"/Count (\d+)", pdf)
    return int(counts[0])


class _Headings(HTMLParser):
    """The h1-h3 texts of a built page's article, permalink marks left out."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[int, str]] = []
        self._level = 0
        self._skip = 0
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"h1", "h2", "h3"}:
            self._level, self._text = int(tag[1]), []
        elif tag == "a" and ("class", "headerlink") in attrs:
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._skip:
            self._skip -= 1
        elif tag in {"h1", "h2", "h3"} and self._level:
            self.found.append((self._level, re.sub(r"\s+", " ", "".join(self._text)).strip()))
            self._level = 0

    def handle_data(self, data: str) -> None:
        if self._level and not self._skip:
            self._text.append(data)


def _page_headings(site_dir: Path, name: str) -> list[tuple[int, str]]:
    html = (site_dir / "toolkit" / name / "index.html").read_text(encoding="utf-8")
    article = html.split('<article class="md-content__inner md-typeset">', 1)[1]
    article = article.split("</article>", 1)[0]
    parser = _Headings()
    parser.feed(article)
    return parser.found


def test_scores_update_and_answers_survive_a_reload(page: Any, site_url: str) -> None:
    """Answers score each group out of 100 (reversed items reversed) and survive a reload."""
    _survey(page, site_url)
    assert "Overall: no answers yet (0 of 10 answered)." == page.inner_text("#dk-pulse-overall")
    _answer(page, "pq-1", 5)  # agree strongly: 5 points
    _answer(page, "pq-3", 4)  # reversed: 2 points
    page.reload()
    page.wait_for_selector("#dk-pulse-overall")
    actual = (
        page.is_checked("#pq-1 input[value='5']"),
        page.is_checked("#pq-3 input[value='4']"),
        page.inner_text("#dk-pulse-score-program"),
        page.inner_text("#dk-pulse-score-using"),
        page.inner_text("#dk-pulse-overall"),
    )
    # (5 + 2) / 2 = 3.5 points on average: (3.5 - 1) x 25 = 62.5, shown as 63.
    expected = (
        True,
        True,
        "Score: 63 out of 100 (2 of 3 answered)",
        "Score: no answers yet (0 of 3 answered)",
        "Overall: 63 out of 100 (2 of 10 answered).",
    )
    assert expected == actual


def test_answers_stay_in_this_browser_and_clear_removes_them(page: Any, site_url: str) -> None:
    """Answers are kept under one localStorage key only; "Clear my answers" removes it."""
    _survey(page, site_url)
    _answer(page, "pq-9", 4)
    _answer(page, "pq-9", 2)
    stored = page.evaluate(f"JSON.parse(localStorage.getItem('{STORAGE}'))")
    assert {"pq-9": 2} == stored
    page.click("#dk-pulse-clear")
    page.reload()
    page.wait_for_selector("#dk-pulse-overall")
    actual = (
        page.locator("#dk-pulse input:checked").count(),
        page.evaluate(f"localStorage.getItem('{STORAGE}')"),
    )
    assert (0, None) == actual


def test_survey_without_javascript_is_a_printable_form(browser: Any, site_url: str) -> None:
    """With JavaScript off, ten statements with five choices each, nothing scored; it prints."""
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    try:
        pg = context.new_page()
        pg.goto(site_url + "toolkit/pulse-survey/")
        pg.check("#pq-4 input[value='3']")
        actual = (
            pg.locator("fieldset.dk-pulse-item").count(),
            pg.locator("fieldset.dk-pulse-item input[type=radio]").count(),
            pg.is_checked("#pq-4 input[value='3']"),
            pg.locator("#dk-pulse-overall").count(),
            pg.locator("#scoring-on-paper").count(),
        )
        pg.emulate_media(media="print")
        printed = pg.locator("#dk-pulse").is_visible()
        pages = _pdf_pages(pg.pdf(format="Letter"))
    finally:
        context.close()
    # Three sheets: the introduction, the form on a sheet of its own, the paper scoring key.
    assert ((10, 50, True, 0, 1), True, 3) == (actual, printed, pages)


def test_officer_scripts_print_one_script_per_page(page: Any, site_url: str) -> None:
    """The roll-call briefing, the offer and the hand-off checklist each start a printed page."""
    page.goto(site_url + "toolkit/officer-scripts/")
    page.emulate_media(media="print")
    intro_hidden = not page.locator(".admonition.summary").is_visible()
    pages = _pdf_pages(page.pdf(format="Letter"))
    assert (True, 3) == (intro_hidden, pages)


@pytest.mark.parametrize("name", TEMPLATES)
def test_docx_headings_match_the_built_page(site_dir: Path, name: str) -> None:
    """Each template's .docx, as published, has the headings of its published page, in order."""
    document = (site_dir / "toolkit" / "downloads" / f"{name}.docx").read_bytes()
    assert _page_headings(site_dir, name) == docx_headings(document)


def test_every_template_links_to_its_download(page: Any, site_url: str) -> None:
    """Each template page links to its .docx, and the link serves a Word document."""
    found = []
    for name in TEMPLATES:
        page.goto(site_url + f"toolkit/{name}/")
        link = page.locator(f"a[href$='downloads/{name}.docx']").first
        href = link.evaluate("a => a.href")
        response = page.request.get(href)
        found.append((response.status, response.body()[:2]))
    assert [(200, b"PK")] * len(TEMPLATES) == found


@pytest.mark.parametrize(
    "path", ["toolkit/", "toolkit/pulse-survey/", "toolkit/officer-scripts/", "toolkit/consent/"]
)
def test_axe_reports_no_serious_violations(page: Any, site_url: str, path: str) -> None:
    """axe-core finds no serious or critical accessibility violations on toolkit pages."""
    from axe_playwright_python.sync_playwright import Axe

    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    results = Axe().run(page)
    serious = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
        for v in results.response["violations"]
        if v.get("impact") in {"serious", "critical"}
    ]
    assert [] == serious


@pytest.mark.parametrize("path", ["toolkit/pulse-survey/", "toolkit/officer-scripts/"])
def test_fits_a_phone_without_sideways_scrolling(page: Any, site_url: str, path: str) -> None:
    """The survey and the scripts fit the 390-pixel phone viewport."""
    page.goto(site_url + path)
    assert (page.evaluate("document.documentElement.scrollWidth") <= 390) is True
