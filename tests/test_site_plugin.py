"""The plugin in a real ``mkdocs build`` of a small agency project: escaping end to end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

EVIL = "<script>alert(1)</script>"

PROVIDER = """\
name: "Example <script>alert(1)</script> Clinic"
description: "Click [here](javascript:alert(2)) or <img src=x onerror=alert(3)>"
sample: true
verified: 2026-10-01
website: https://example.org/clinic
phones: [{number: "+1 520-555-0142", label: "<b>intake</b>"}]
location:
  address: {street: 1 Example Way, city: "Tucson<svg>", state: AZ, postal_code: "85701"}
  timezone: America/Phoenix
hours: {mon-fri: "08:00-17:00"}
intake: {first_responder_dropoff: true, instructions: "Use the <north> door & ring"}
services: [crisis_stabilization]
"""


def test_agency_project_builds_strict_and_escapes_everything(tmp_path: Path) -> None:
    """An agency's own project with plugins: [deflectkit] builds --strict; markup shows as text."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Our agency\n", encoding="utf-8")
    providers = tmp_path / "agency-data" / "providers"
    providers.mkdir(parents=True)
    (providers / "example-evil.yaml").write_text(PROVIDER, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Agency\ntheme:\n  name: material\n  font: false\n"
        "plugins:\n  - search\n  - deflectkit:\n      providers_dir: agency-data/providers\n"
        "      policies_dir: agency-data/policies\n      events_file: agency-data/none.csv\n"
        "      edit_url_base: https://example.org/agency/edit/main/\n"
        "nav:\n  - Home: index.md\n  - Directory: directory/index.md\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")],
        cwd=tmp_path,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert 0 == result.returncode, result.stderr[-3000:]
    page = (tmp_path / "site" / "providers" / "example-evil" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "<title>Example &lt;script&gt;alert(1)&lt;/script&gt; Clinic - Agency</title>" in page
    assert EVIL not in page
    assert "[here](javascript:alert(2))" in page  # shown as text, never a link
    assert 'href="javascript:' not in page
    assert "<img src=x" not in page
    assert "&lt;svg&gt;" in page
    assert "<svg>" not in page
    assert "Use the &lt;north&gt; door &amp; ring" in page
    assert (
        'href="https://example.org/agency/edit/main/agency-data/providers/example-evil.yaml"'
        in page
    )
    assert (tmp_path / "site" / "pagefind" / "pagefind.js").is_file()
    home = (tmp_path / "site" / "directory" / "index.html").read_text(encoding="utf-8")
    assert EVIL not in home
    nav_links = home.split('class="md-nav__list"', 1)[1].split("</nav>", 1)[0]
    assert "providers/example-evil" not in nav_links


def _build(tmp_path: Path, options: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "docs").mkdir(exist_ok=True)
    (tmp_path / "docs" / "index.md").write_text("# Our agency\n", encoding="utf-8")
    providers = tmp_path / "agency-data" / "providers"
    providers.mkdir(parents=True, exist_ok=True)
    (providers / "example-evil.yaml").write_text(PROVIDER, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: deflectkit\ntheme:\n  name: material\n  font: false\n"
        "plugins:\n  - deflectkit:\n      providers_dir: agency-data/providers\n"
        "      policies_dir: none\n      events_file: none.csv\n      pagefind: false\n"
        + options
        + "nav:\n  - Home: index.md\n  - Directory: directory/index.md\n",
        encoding="utf-8",
    )
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")],
        cwd=tmp_path,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_agency_name_color_and_contact_come_from_plugin_options(tmp_path: Path) -> None:
    """The agency's name, color and contact line: in the header, the manifest and the page."""
    result = _build(
        tmp_path,
        "      agency_name: Example County Deflection\n"
        '      theme_color: "#336699"\n'
        "      agency_contact: 'Program office <520-555-0100>'\n",
    )
    assert 0 == result.returncode, result.stderr[-3000:]
    home = (tmp_path / "site" / "directory" / "index.html").read_text(encoding="utf-8")
    assert "Example County Deflection" in home.split("</header>", 1)[0]
    assert '<meta name="theme-color" content="#336699">' in home
    assert "Program office &lt;520-555-0100&gt;" in home
    assert "deflectkit" not in home.split("<body", 1)[1].split("assets/deflectkit", 1)[0]
    manifest = json.loads((tmp_path / "site" / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert ("Example County Deflection", "#336699") == (manifest["name"], manifest["theme_color"])
    assert (tmp_path / "site" / "sw.js").is_file()


def test_a_bad_theme_color_stops_the_build_with_a_clear_message(tmp_path: Path) -> None:
    """theme_color is written into pages and icons: anything but #rrggbb is refused."""
    result = _build(tmp_path, '      theme_color: "red;}</style><script>"\n')
    assert 0 != result.returncode
    assert "theme_color must look like #1a237e" in result.stderr
    assert "Traceback" not in result.stderr


def test_pages_under_es_get_materials_spanish_strings(tmp_path: Path) -> None:
    """A page under ``es/`` is ``lang="es"`` with Material's Spanish; the others stay English."""
    (tmp_path / "docs" / "es").mkdir(parents=True)
    (tmp_path / "docs" / "es" / "index.md").write_text("# Directorio\n", encoding="utf-8")
    (tmp_path / "docs" / "zz.md").write_text("# After\n", encoding="utf-8")
    result = _build(tmp_path, "")
    assert 0 == result.returncode, result.stderr[-3000:]
    site = tmp_path / "site"
    spanish = (site / "es" / "index.html").read_text(encoding="utf-8")
    pages = [site / "index.html", site / "zz" / "index.html", site / "directory" / "index.html"]

    assert '<html lang="es"' in spanish
    assert "Saltar a contenido" in spanish
    assert 'aria-label="Cabecera"' in spanish  # the theme's landmarks are named in Spanish
    assert 'aria-label="Header"' not in spanish
    for page in pages:  # built before and after the Spanish page: English again
        english = page.read_text(encoding="utf-8")
        assert '<html lang="en"' in english, page
        assert 'aria-label="Header"' in english, page
