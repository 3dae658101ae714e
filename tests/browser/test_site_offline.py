"""No page of the built site loads anything from another host (no browser needed)."""

from __future__ import annotations

import re
from pathlib import Path

# Loads, not links: scripts, styles, images, fonts, frames, and CSS url()/@import.
_HTML_LOAD = re.compile(
    r"<(?:script|img|iframe|source|audio|video|embed)\b[^>]*\bsrc\s*=\s*[\"']?\s*(?:https?:)?//"
    r"|<link\b(?=[^>]*\brel\s*=\s*[\"']?(?:stylesheet|preload|modulepreload|icon|manifest|prefetch|preconnect|dns-prefetch))[^>]*\bhref\s*=\s*[\"']?\s*(?:https?:)?//",
    re.IGNORECASE,
)
_CSS_LOAD = re.compile(r"(?:url\(\s*[\"']?|@import\s+[\"']?)\s*(?:https?:)?//", re.IGNORECASE)
_JS_LOAD = re.compile(
    r"""(?:import\(|fetch\(|\.src\s*=\s*|importScripts\()\s*["'`]https?://""", re.IGNORECASE
)


def test_no_built_page_loads_from_another_host(site_dir: Path) -> None:
    """Every HTML, CSS and JS file is scanned for loads from another host; none are allowed."""
    offenders: list[str] = []
    scanned = 0
    for path in site_dir.rglob("*"):
        if path.suffix not in {".html", ".css", ".js"} or not path.is_file():
            continue
        scanned += 1
        text = path.read_text(encoding="utf-8", errors="replace")
        pattern = {".html": _HTML_LOAD, ".css": _CSS_LOAD, ".js": _JS_LOAD}[path.suffix]
        offenders += [
            f"{path.relative_to(site_dir)}: {m.group(0)[:80]}" for m in pattern.finditer(text)
        ]
    assert scanned > 50
    assert [] == offenders


def test_provider_pages_exist_for_every_provider(site_dir: Path) -> None:
    """Every bundled provider file has its built page, and the Pagefind bundle is there."""
    root = Path(__file__).resolve().parents[2]
    slugs = {p.stem for p in (root / "data/providers").glob("*.yaml")}
    built = {p.parent.name for p in (site_dir / "providers").glob("*/index.html")}
    assert slugs == built
    assert (site_dir / "pagefind" / "pagefind.js").is_file()
    assert (site_dir / "sw.js").is_file()
    assert (site_dir / "manifest.webmanifest").is_file()


def test_no_raw_code_fences_in_built_pages(site_dir: Path) -> None:
    """A fence Markdown did not parse (``` left in the text) fails the build's test."""
    code = re.compile(r"<(pre|code)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
    offenders = [
        str(path.relative_to(site_dir))
        for path in site_dir.rglob("*.html")
        if "```" in code.sub("", path.read_text(encoding="utf-8", errors="replace"))
    ]
    assert [] == offenders


def test_numbered_steps_with_code_blocks_stay_one_list(site_dir: Path) -> None:
    """The contributor guide's seven steps (two with code blocks) render as one list of seven."""
    page = (site_dir / "contributing" / "index.html").read_text(encoding="utf-8")
    steps = page.split("<strong>Open the file.</strong>", 1)[1].split("</ol>", 1)[0]
    assert 7 == 1 + steps.count("<li>")
    assert 2 == steps.count("<pre")
