"""Every reference to a design document points at a page in this repository that exists.

Comments and docstrings once cited documents outside the repository (a design file, research
notes) by section number. The design now lives in ``docs/design/``; this test fails on a
citation of those outside documents, on a ``docs/design/<page>.md#<section>`` whose page or
section does not exist, and on a relative Markdown link to a missing ``.md`` file outside
``docs/`` (``mkdocs build --strict`` checks the site's own links, including the pages the
plugin generates) or inside ``docs/design/``. The ``init`` scaffold's templates are left out:
their links resolve in the project they create.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ("src", "tests", "docs", "examples", "benchmarks", "tools")
SUFFIXES = {".py", ".md", ".yaml", ".yml", ".json", ".txt", ".toml"}
#: Documents that are not in this repository, cited by name.
OUTSIDE = re.compile(r"\bDESIGN(?:\.md)?\s*§|\bDESIGN\.md\b|\bSOURCES(?:\.md)?\s*§|\bSOURCES\.md\b"
                     r"|\brules\.md\b|\bresearch/[\w/-]+\.md\b")
DESIGN_REF = re.compile(r"docs/design/([\w-]+\.md)(?:#([\w-]+))?")
MD_LINK = re.compile(r"\]\(([^)\s]+\.md)(?:#([\w-]+))?\)")


def _files() -> Iterator[Path]:
    yield ROOT / "README.md"
    for top in SCANNED:
        for path in sorted((ROOT / top).rglob("*")):
            if (path.suffix in SUFFIXES and path.is_file() and "egg-info" not in str(path)
                    and path != Path(__file__).resolve()):
                yield path


def _slug(heading: str) -> str:
    text = re.sub(r"[^\w\s-]", "", heading.strip().lower())
    return re.sub(r"[\s]+", "-", text)


def _anchors(page: Path) -> set[str]:
    text = page.read_text(encoding="utf-8")
    headings = {_slug(re.sub(r"\{#[\w-]+\}", "", line.lstrip("#")))
                for line in text.splitlines() if line.startswith("#")}
    return headings | set(re.findall(r"\{#([\w-]+)\}", text))


def _links_checked(path: Path) -> bool:
    inside = path.relative_to(ROOT).parts
    if "scaffold" in inside:
        return False
    return path.suffix == ".md" and (inside[0] != "docs" or inside[:2] == ("docs", "design"))


def _problems() -> Iterator[str]:
    design = ROOT / "docs" / "design"
    for path in _files():
        text = path.read_text(encoding="utf-8", errors="replace")
        where = path.relative_to(ROOT)
        for n, line in enumerate(text.splitlines(), 1):
            if OUTSIDE.search(line):
                yield f"{where}:{n}: cites a document outside the repository: {line.strip()}"
            for page, anchor in DESIGN_REF.findall(line):
                target = design / page
                if not target.is_file():
                    yield f"{where}:{n}: no page docs/design/{page}"
                elif anchor and anchor not in _anchors(target):
                    yield f"{where}:{n}: no section #{anchor} in docs/design/{page}"
            if _links_checked(path):
                for link, anchor in MD_LINK.findall(line):
                    if "://" in link or link.startswith("/"):
                        continue
                    target = (path.parent / link).resolve()
                    if not target.is_file():
                        yield f"{where}:{n}: link to a missing page {link}"
                    elif anchor and anchor not in _anchors(target):
                        yield f"{where}:{n}: no section #{anchor} in {link}"


def test_no_reference_points_outside_the_repository() -> None:
    """Every design reference and relative Markdown link resolves to a page in the repo."""
    assert [] == list(_problems())


@pytest.mark.parametrize(
    ("line", "bad"),
    [("see DESIGN §8", True), ("(SOURCES.md §6)", True), ("rules.md §9.6", True),
     ("A.R.S. § 13-3423", False), ("docs/design/formats.md#event-log", False)],
)
def test_the_outside_pattern(line: str, bad: bool) -> None:
    """Citations of outside documents are caught; statutes and our pages are not."""
    assert bad == bool(OUTSIDE.search(line))
