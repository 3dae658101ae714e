"""The toolkit pages (docs/toolkit/) and their Word downloads (deflectkit.site.toolkit_docx)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from deflectkit.site.toolkit_docx import docx_headings, render_docx, toolkit_pages

ROOT = Path(__file__).resolve().parents[1]
TOOLKIT = ROOT / "docs" / "toolkit"
PAGES = sorted(p.name for p in TOOLKIT.glob("*.md"))
TEMPLATES = [p.name for p in toolkit_pages(ROOT / "docs")]
# Pages the site generates (not in docs/), which toolkit pages may link to.
GENERATED = {"../policy/index.md", "../measures/index.md", "../playbook/pocket-card.md"}

_LINK = re.compile(r"\]\(([^)\s]+)\)")
_CITATION = re.compile(r"\[([A-Z][^\]\[]*)\](?!\()")
_LABEL = re.compile(r"^[A-Z]+\d*(?:-[A-Z]+)?$")
_SOURCE = re.compile(r"^- \[([A-Z]+\d*(?:-[A-Z]+)?)\]", re.MULTILINE)


def _text(name: str) -> str:
    return (TOOLKIT / name).read_text(encoding="utf-8")


def _split(text: str) -> tuple[str, str]:
    body, _, sources = text.partition("\n## Sources")
    return body, sources


def _markdown_headings(text: str) -> list[tuple[int, str]]:
    """(level, text) of each ATX heading up to level 3, attribute lists and Markdown removed."""
    found = []
    for line in text.splitlines():
        match = re.match(r"(#{1,3}) (.*?)(?: \{[^}]*\})?$", line)
        if match:
            title = re.sub(r"[*`]", "", match.group(2)).strip()
            found.append((len(match.group(1)), title))
    return found


def _docx_text(document: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(document))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_the_toolkit_has_its_nine_pages_and_eight_documents() -> None:
    """An index and the issue's eight documents, the evaluation plan's survey on its own page."""
    expected = [
        "consent.md", "evaluation.md", "field-guidance.md", "funding.md", "help.md",
        "index.md", "officer-scripts.md", "provider-mou.md", "pulse-survey.md", "training.md",
    ]
    assert expected == PAGES


def test_every_page_is_in_the_nav() -> None:
    """The Toolkit nav block in mkdocs.yml lists every toolkit page, the index first."""
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    block = nav.split("# TOOLKIT-NAV", 1)[1].split("# END TOOLKIT-NAV", 1)[0]
    listed = re.findall(r"- (toolkit/[\w-]+\.md)", block)
    assert ("toolkit/index.md", sorted(f"toolkit/{p}" for p in PAGES)) == (
        listed[0],
        sorted(listed),
    )


@pytest.mark.parametrize("name", PAGES)
def test_page_has_audience_summary_and_sources(name: str) -> None:
    """Each page says who it is for, opens with a summary and ends with linked sources."""
    text = _text(name)
    head = text[:1500]
    _, sources = _split(text)
    actual = (
        "**Who this is for:**" in head,
        '!!! summary "In short"' in head,
        re.search(r"<https?://[^>]+>", sources) is not None,
    )
    assert (True, True, True) == actual


@pytest.mark.parametrize("name", PAGES)
def test_every_citation_is_listed_under_sources_and_every_source_is_cited(name: str) -> None:
    """A bracketed label such as [P1] or [S7 §20] in the text has its entry under Sources."""
    body, sources = _split(_text(name))
    body = re.sub(r"`[^`]*`", "", body)  # fill-in blanks such as `[Agency name]`
    cited = set()
    for group in _CITATION.findall(body):
        labels = [part.strip().split(" §")[0] for part in group.split(",")]
        if all(_LABEL.match(label) for label in labels):
            cited.update(labels)
    listed = set(_SOURCE.findall(sources))
    assert (set(), set()) == (cited - listed, listed - cited)


@pytest.mark.parametrize("name", TEMPLATES)
def test_template_offers_its_word_download(name: str) -> None:
    """Each template links to downloads/<page>.docx; the index links to every download."""
    stem = name.removesuffix(".md")
    in_page = f"](downloads/{stem}.docx)" in _text(name)
    in_index = f"](downloads/{stem}.docx)" in _text("index.md")
    assert (True, True) == (in_page, in_index)


@pytest.mark.parametrize("name", TEMPLATES)
def test_docx_has_the_headings_of_its_page(name: str) -> None:
    """The Word file built from a page has the page's headings, same levels, same order."""
    text = _text(name)
    assert _markdown_headings(text) == docx_headings(render_docx(text))


@pytest.mark.parametrize(
    "name", ["provider-mou.md", "consent.md", "field-guidance.md", "funding.md"]
)
def test_pages_that_touch_the_law_say_they_are_not_legal_advice(name: str) -> None:
    """Where law is involved the summary says the page is not legal advice."""
    summary = _text(name).split('!!! summary "In short"', 1)[1].split("\n\n", 1)[0]
    assert ("legal advice" in summary.lower()) is True


@pytest.mark.parametrize("name", PAGES)
def test_internal_links_point_to_files_that_exist(name: str) -> None:
    """Relative links go to pages in docs/, generated pages, or generated downloads."""
    broken = []
    for target in _LINK.findall(_text(name)):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        path = target.split("#", 1)[0]
        if path in GENERATED:
            continue
        if path.startswith("downloads/"):
            if f"{path.removeprefix('downloads/').removesuffix('.docx')}.md" not in TEMPLATES:
                broken.append(target)
        elif not (TOOLKIT / path).resolve().is_file():
            broken.append(target)
    assert [] == broken


def test_consent_form_a_has_the_nine_part_2_elements() -> None:
    """Form A has one numbered part per 42 CFR 2.31 element, in order, and the 2.35 variant."""
    text = _text("consent.md")
    form_a = text.split("## Form A", 1)[1].split("\n## ", 1)[0]
    numbers = [int(n) for n in re.findall(r"^\*\*(\d)\. ", form_a, flags=re.MULTILINE)]
    assert (list(range(1, 10)), True, True) == (
        numbers,
        "## Form B" in text and "cannot revoke" in text,
        "consent_recorded" in text and "consent_revoked" in text,
    )


def test_good_samaritan_law_is_dated() -> None:
    """The Arizona example names the statute, the date of the reading and the repeal date."""
    text = _text("field-guidance.md")
    actual = ("A.R.S. § 13-3423" in text, "As of December 2026" in text, "July 1, 2028" in text)
    assert (True, True, True) == actual


def test_pulse_survey_items_and_the_paper_scoring_key_agree() -> None:
    """Ten statements with five choices valued 1-5; the reversed ones are those the key names."""
    text = _text("pulse-survey.md")
    items = re.findall(r'<fieldset class="dk-pulse-item" id="(pq-\d+)" data-dk-reverse="(\w+)">',
                       text)
    values = {
        item: re.findall(rf'name="{item}" value="(\d)"', text) for item, _ in items
    }
    reversed_items = [item.removeprefix("pq-") for item, flag in items if flag == "true"]
    key = re.search(r"For statements \*\*([\d, and]+)\*\*", text)
    named = re.findall(r"\d+", key.group(1)) if key else []
    assert (10, [list("12345")] * 10, named) == (
        len(items),
        list(values.values()),
        reversed_items,
    )


def test_pulse_survey_loads_its_script_and_stylesheet() -> None:
    """The page loads answers.js, then pulse.js, and toolkit.css, by page-relative paths."""
    text = _text("pulse-survey.md")
    actual = (
        '<script src="../../assets/playbook/answers.js" defer></script>\n'
        '<script src="../../assets/toolkit/pulse.js" defer></script>' in text,
        '<link rel="stylesheet" href="../../assets/toolkit/toolkit.css">' in text,
        (ROOT / "docs/assets/toolkit/pulse.js").is_file(),
        (ROOT / "docs/assets/toolkit/toolkit.css").is_file(),
    )
    assert (True, True, True, True) == actual


def test_docx_follows_the_print_view() -> None:
    """Screen-only parts are left out; forms, tables, notes and link targets are kept."""
    source = "\n".join(
        [
            "# Title",
            '<div class="dk-no-print" markdown="1">',
            "",
            "Only on screen.",
            "",
            "</div>",
            "",
            '!!! note "A model to adapt"',
            "    Fill in the blanks.",
            "",
            "See [the rule](https://example.org/rule) and [a page](other.md).",
            "",
            "| Who | Does |",
            "|---|---|",
            "| Agency | Trains |",
            "",
            '<fieldset class="q" id="q1"><legend>1. A statement.</legend>',
            '<label><input type="radio" name="q1" value="1"> No</label>',
            '<label><input type="radio" name="q1" value="2"> Yes</label>',
            "</fieldset>",
            "",
            "## One",
            "",
            "## Two {: .dk-new-page }",
        ]
    )
    from docx import Document

    document = render_docx(source)
    text = _docx_text(document)
    breaks = [
        p.paragraph_format.page_break_before
        for p in Document(io.BytesIO(document)).paragraphs
        if p.style is not None and p.style.name == "Heading 1"
    ]
    actual = (
        breaks,
        "Only on screen" in text,
        "A model to adapt" in text and "Fill in the blanks." in text,
        "See the rule (https://example.org/rule) and a page." in text,
        "Trains" in text,
        "1. A statement.\n\u2610 No    \u2610 Yes" in text,
    )
    assert ([False, True], False, True, True, True, True) == actual


@pytest.mark.slow
def test_the_mkdocs_plugin_adds_one_download_per_template() -> None:
    """The plugin's on_files hook (all of the site's generated pages) adds one .docx a template."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    from deflectkit.site.plugin import DeflectkitPlugin

    config = load_config(str(ROOT / "mkdocs.yml"))
    plugin = config.plugins["deflectkit"]
    assert isinstance(plugin, DeflectkitPlugin)
    plugin.on_config(config)
    files = config.plugins.on_files(Files([]), config=config)
    added = sorted(f.src_uri for f in files if f.src_uri.startswith("toolkit/"))
    expected = sorted(f"toolkit/downloads/{name.removesuffix('.md')}.docx" for name in TEMPLATES)
    assert expected == added
