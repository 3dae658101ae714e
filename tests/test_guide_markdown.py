"""The guide and the reference read as plain Markdown (on GitHub) without building the site.

The guide shows each tutorial's code inline, equal to the file CI runs; every relative link
in the guide, the reference and the README points at a file in the repository; each
reference page lists its names, summaries and source files beside the ``:::`` directives
the site expands.
``python tools/sync_docs.py`` rewrites the generated parts.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "guide"
REFERENCE = ROOT / "docs" / "reference"
#: Guides still including their example with ``--8<--`` (none left: every guide shows its
#: code inline, so it reads on GitHub as on the site).
PENDING: frozenset[str] = frozenset()
PENDING_EXAMPLES: frozenset[str] = frozenset()

GUIDES = sorted(GUIDE.glob("*.md"))
LINKED = [*GUIDES, *sorted(REFERENCE.glob("*.md")), ROOT / "README.md"]
#: ``[text](target)`` and ``[label]: target`` (reference-style definitions).
LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)|^\[[^\]]+\]:\s*(\S+)",
                  re.MULTILINE)
FENCED = re.compile(r"^(`{3,}).*?^\1\s*$", re.MULTILINE | re.DOTALL)


def _sync_docs() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sync_docs", ROOT / "tools" / "sync_docs.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["sync_docs"] = module
    spec.loader.exec_module(module)
    return module


SYNC = _sync_docs()


@pytest.mark.parametrize("path", GUIDES, ids=lambda p: p.name)
def test_guide_code_equals_the_example(path: Path) -> None:
    """Each ``<!-- example: PATH -->`` block is exactly the file CI runs."""
    text = path.read_text(encoding="utf-8")
    for match in SYNC.EXAMPLE.finditer(text):
        shown = f"{match['fence']}{match['lang']}\n{match['body']}{match['fence']}\n"
        assert SYNC.example_block(match["path"]) == shown, (
            f"{path.name}: the code shown for {match['path']} differs from the file;"
            " run python tools/sync_docs.py")


def test_guides_show_their_examples() -> None:
    """The guides show every example inline (GitHub does not expand ``--8<--`` includes)."""
    shown = {m["path"] for p in GUIDES for m in SYNC.EXAMPLE.finditer(p.read_text("utf-8"))}
    including = [p.name for p in GUIDES
                 if "--8<--" in p.read_text("utf-8") and p.name not in PENDING]

    scripts = {p.relative_to(ROOT).as_posix() for p in (ROOT / "examples").glob("*.py")}

    assert [] == including
    assert scripts - PENDING_EXAMPLES <= shown
    assert "examples/policies/example-town.yaml" in shown


def _links(path: Path) -> list[str]:
    text = FENCED.sub("", path.read_text(encoding="utf-8"))  # code is not a link
    return [a or b for a, b in LINK.findall(text)]


def test_link_pattern_finds_links() -> None:
    """A guard against a pattern that finds nothing: the guide index links its pages."""
    assert {"assess.md", "policy.md", "../reference/index.md"} <= set(_links(GUIDE / "index.md"))


@pytest.mark.parametrize("path", LINKED, ids=lambda p: p.name)
def test_relative_links_point_at_files(path: Path) -> None:
    """A relative link names a file in the repository, not a page only the build makes."""
    broken = []
    for target in _links(path):
        if re.match(r"[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            continue  # https:, mailto: and anchors in the same page
        file = (path.parent / target.split("#")[0]).resolve()
        if not (file.is_file() and file.is_relative_to(ROOT)):
            broken.append(target)
    assert [] == broken, f"{path.relative_to(ROOT)}: links to files that do not exist"


@pytest.mark.parametrize("path", sorted(REFERENCE.glob("*.md")), ids=lambda p: p.name)
def test_reference_lists_its_names(path: Path) -> None:
    """Every page with ``:::`` directives lists them, generated from today's docstrings."""
    text = path.read_text(encoding="utf-8")
    names = SYNC.DIRECTIVE.findall(text)
    if not names:
        return
    assert SYNC.NAMES.search(text), f"{path.name} has no <!-- names --> table"
    assert SYNC.sync_reference(text) == text, (
        f"{path.name}: the names table is stale; run python tools/sync_docs.py")
    for name in names:
        assert f"| `{name}" in text


def test_guide_index_snippet_runs_outside_the_repository(tmp_path: Path) -> None:
    """The index's bundled-data snippet runs from any folder: it needs only the package."""
    text = (GUIDE / "index.md").read_text(encoding="utf-8")
    (snippet,) = re.findall(r"^```python\n(.*?)^```", text, flags=re.M | re.S)
    check = snippet + "assert policy.id == 'model-deflection' and len(directory.providers) > 0\n"
    done = subprocess.run([sys.executable, "-c", check], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
