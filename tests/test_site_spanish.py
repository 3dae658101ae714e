"""The Spanish directory's pages as generated: paths, words, links, fallbacks and escaping."""

from __future__ import annotations

import datetime as dt

from deflectkit.core.providers import Intake
from deflectkit.site.directory_pages import render_browse_pages, render_directory_home
from deflectkit.site.generator import render_directory
from deflectkit.site.languages import language_switch, page_language, twin_path
from deflectkit.site.plugin import RAW_HTML_PREFIXES
from deflectkit.site.provider_page import render_provider_page
from deflectkit.site.strings import STRINGS, STRINGS_ES
from tests.test_site_generator import EVIL, TODAY, make


def test_twins_are_the_directory_pages_only() -> None:
    """Home, browse and provider pages pair with es/; index files and other pages do not."""
    assert "es/directory/place/az.md" == twin_path("directory/place/az.md")
    assert "providers/x.md" == twin_path("es/providers/x.md")
    assert twin_path("directory/index/AZ.json") is None
    assert twin_path("policy/index.md") is None
    assert twin_path("es/policy/index.md") is None
    assert "es" == page_language("es/directory/index.md")
    assert "en" == page_language("directory/index.md")
    assert "" == language_switch("measures/index.md")


def test_spanish_provider_page_words_links_and_fallbacks() -> None:
    """Spanish headings and labels; English text without a Spanish version is marked lang="en"."""
    p = make(
        "a",
        description="Walk-in clinic.",
        services=("outpatient",),
        phones=(),
        intake=Intake(
            first_responder_dropoff=True,
            officer_minutes=10,
            instructions="Use the side door.",
            instructions_es="Use la puerta lateral.",
        ),
    )
    f = render_provider_page(p, as_of=TODAY, lang="es")
    assert "es/providers/a.md" == f.path
    html = str(f.content)
    assert '<p class="dk-desc"><span lang="en">Walk-in clinic.</span></p>' in html
    assert "Use la puerta lateral." in html
    assert "Use the side door." not in html
    for key in ("for_officers", "offers", "hours", "contact", "who", "all_providers"):
        assert STRINGS_ES[key] in html, key
        assert STRINGS[key] not in html, key
    assert "Tratamiento ambulatorio" in html
    assert "Lunes" in html
    assert "Cerrado" in html
    # The switch leads to the English twin; the foot back to the Spanish directory.
    assert 'href="../../../providers/a/" hreflang="en" lang="en">English</a>' in html
    assert 'href="../../directory/">Todos los proveedores</a>' in html
    described = make("b", description="English.", description_es="En español.")
    html_b = str(render_provider_page(described, as_of=TODAY, lang="es").content)
    assert '<p class="dk-desc">En español.</p>' in html_b
    english = str(render_provider_page(described, as_of=TODAY).content)
    assert '<p class="dk-desc">English.</p>' in english
    assert 'href="../../es/providers/b/" hreflang="es" lang="es">Español</a>' in english


def test_spanish_pages_escape_contributor_text() -> None:
    """A hostile name, description or Spanish description shows as text on the Spanish page."""
    p = make("evil", name=EVIL, description=EVIL, description_es=EVIL + "es")
    html = str(render_provider_page(p, as_of=TODAY, lang="es").content)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    home = str(render_directory_home([p], lang="es").content)
    assert "<script>alert" not in home


def test_spanish_home_reads_the_shared_index_and_links_spanish_pages() -> None:
    """es/directory/ loads directory/index/ and sends cards to es/providers/; Spanish labels."""
    p = make("a", substances=("opioids",), sample=True)
    home = render_directory_home([p], lang="es")
    html = str(home.content)
    assert "es/directory/index.md" == home.path
    assert 'data-index-base="../../directory/index/"' in html
    assert 'data-provider-url="../providers/__slug__/"' in html
    assert '<option value="opioids">Consumo de opioides</option>' in html
    assert 'aria-label="Filtrar proveedores"' in html
    assert '<a href="tel:911">911</a>' in html
    assert '<a href="tel:988">988</a>' in html
    assert "Datos de ejemplo." in html
    assert 'href="../../directory/" hreflang="en" lang="en">English</a>' in html
    assert "title: \"Directorio de proveedores\"" in html
    english = str(render_directory_home([p]).content)
    assert 'data-index-base="index/"' in english
    assert 'data-provider-url="../providers/__slug__/"' in english


def test_spanish_browse_pages_link_spanish_provider_pages() -> None:
    """Place and need pages under es/ with Spanish titles, linking es/providers/."""
    providers = [make("a", substances=("opioids",), services=("outpatient",))]
    files = {f.path: str(f.content) for f in render_browse_pages(providers, lang="es")}
    assert "es/directory/place/az.md" in files
    place = files["es/directory/place/az.md"]
    assert "Proveedores en AZ" in place
    # From /es/directory/place/az/ three levels up is /es/: the Spanish provider page.
    assert '<a href="../../../providers/a/">Example a</a>' in place
    assert "Todos los proveedores y filtros" in place
    need = next(v for k, v in files.items() if k.startswith("es/directory/need/"))
    assert "Proveedores para:" in need


def test_render_directory_builds_both_languages_unless_told_not_to() -> None:
    """One index for both; every directory page twice; English only when asked."""
    providers = [make("a"), make("b")]
    both = {f.path for f in render_directory(providers, today=TODAY)}
    english = {f.path for f in render_directory(providers, today=TODAY, languages=("en",))}
    assert {p for p in both if not p.startswith("es/")} == english
    assert {"es/" + p for p in english if p.endswith(".md")} == {
        p for p in both if p.startswith("es/")
    }
    assert not any(p.startswith("es/directory/index/") for p in both)


def test_plugin_treats_spanish_generated_pages_as_raw_html() -> None:
    """Spanish provider and browse pages skip Markdown like the English ones."""
    for prefix in ("providers/", "directory/place/", "directory/need/"):
        assert prefix in RAW_HTML_PREFIXES
        assert "es/" + prefix in RAW_HTML_PREFIXES


def test_staleness_and_hours_in_spanish() -> None:
    """The verified badge and the day names follow the page's language."""
    from deflectkit.site.provider_page import hours_rows, staleness

    assert ("dk-stale", STRINGS_ES["never_verified"]) == staleness(None, TODAY, "es")
    old = staleness(dt.date(2020, 1, 1), TODAY, "es")[1]
    assert old.startswith("Verificado por última vez el 1 de enero de 2020")
    rows = hours_rows(make("a").hours, "es")  # type: ignore[arg-type]
    assert ("Sábado", "Cerrado") == rows[5]


def test_agency_titles_each_home() -> None:
    """directory_title and directory_title_es head the English and the Spanish home."""
    files = {
        f.path: str(f.content)
        for f in render_directory(
            [make("a")], today=TODAY, title="Example County directory", title_es="Directorio X"
        )
    }
    assert "<h1>Example County directory</h1>" in files["directory/index.md"]
    assert "<h1>Directorio X</h1>" in files["es/directory/index.md"]
