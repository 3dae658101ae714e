"""Generator unit tests: escaping, links, one page per provider, nav, JSON index, filters."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from deflectkit.core.hours import parse_hours
from deflectkit.core.providers import Address, Coordinates, Intake, Location, Phone, Provider
from deflectkit.site.directory_pages import PAGE_SIZE, render_browse_pages
from deflectkit.site.facets import INDEX_FIELDS, directory_index, provider_needs
from deflectkit.site.generator import render_directory, write_site
from deflectkit.site.markup import md_text, rel_url, safe_url
from deflectkit.site.output import GeneratedFile
from deflectkit.site.provider_page import render_provider_page, staleness

TODAY = dt.date(2026, 11, 27)
EVIL = "<script>alert(1)</script>"


def make(slug: str, **kw: object) -> Provider:
    base: dict[str, object] = {
        "slug": slug,
        "name": f"Example {slug}",
        "location": Location(
            "America/Phoenix",
            Address(
                city="Tucson",
                state="AZ",
                postal_code="85701",
                street="1 Example Way",
                county="Pima",
            ),
            Coordinates(32.2217, -110.9265),
        ),
        "hours": parse_hours({"mon-fri": "08:00-17:00"}),
        "verified": dt.date(2026, 10, 1),
    }
    base.update(kw)
    return Provider(**base)  # type: ignore[arg-type]


def test_contributor_html_is_escaped_everywhere() -> None:
    """A provider named like a script tag shows as text on its page, in lists and in the title."""
    p = make(
        "evil",
        name=EVIL,
        organization=EVIL,
        description=EVIL,
        intake=Intake(instructions=EVIL, first_responder_dropoff=True),
    )
    files = render_directory([p], today=TODAY)
    for f in files:
        if isinstance(f.content, str) and f.path.endswith(".md"):
            assert "<script>" not in f.content, f.path
    page = render_provider_page(p, as_of=TODAY).content
    assert isinstance(page, str)
    assert 'title: "&lt;script&gt;alert(1)&lt;/script&gt;"' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a", "https://example.org/a"),
        ("http://example.org", "http://example.org"),
        ("tel:+15205550142", "tel:+15205550142"),
        ("mailto:intake@example.org", "mailto:intake@example.org"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("data:text/html,<b>x</b>", None),
        ("//example.org/x", None),
        ("https:///nohost", None),
        ("https://exa mple.org", None),
        ("vbscript:x", None),
    ],
)
def test_only_http_tel_mailto_links_survive(url: str, expected: str | None) -> None:
    """Links keep only http(s), tel and mailto schemes; anything else is dropped."""
    assert expected == safe_url(url)


def test_bad_website_is_dropped_from_the_page() -> None:
    """A provider whose website is not http(s) gets no website link at all."""
    page = render_provider_page(make("x", website="javascript:alert(1)"), as_of=TODAY).content
    assert isinstance(page, str)
    assert "javascript:" not in page


def test_phones_are_tel_links_and_map_link_is_openstreetmap() -> None:
    """Phones become tel: links; the address links to OpenStreetMap (a link, not a request)."""
    p = make(
        "x",
        phones=(Phone("+15205550142", "24/7 intake"),),
        intake=Intake(call_ahead="+15205550143", officer_minutes=10, first_responder_dropoff=True),
    )
    page = render_provider_page(p, as_of=TODAY).content
    assert isinstance(page, str)
    assert '<a href="tel:+15205550142">520-555-0142</a>' in page
    assert '<a href="tel:+15205550143">520-555-0143</a>' in page
    assert "https://www.openstreetmap.org/?mlat=32.22170&amp;mlon=-110.92650" in page
    assert "10 minutes" in page
    hosts = set(re.findall(r'(?:src|href)="https?://([^/"]+)', page))
    assert {"www.openstreetmap.org"} == hosts


def test_unknown_hours_say_call_for_hours() -> None:
    """A provider with no hours says "call for hours" instead of guessing."""
    page = render_provider_page(make("x", hours=None), as_of=TODAY).content
    assert isinstance(page, str)
    assert "Call for hours" in page


def test_sample_banner_and_edit_link() -> None:
    """Sample data shows a banner; the edit link points at the provider's YAML file."""
    page = render_provider_page(
        make("x", sample=True),
        as_of=TODAY,
        edit_url_base="https://example.org/repo/edit/main/",
        source_path="data/providers/x.yaml",
    ).content
    assert isinstance(page, str)
    assert "dk-banner" in page
    assert 'href="https://example.org/repo/edit/main/data/providers/x.yaml"' in page


@pytest.mark.parametrize(
    ("verified", "expected"),
    [
        (dt.date(2026, 10, 1), "dk-fresh"),
        (dt.date(2026, 3, 1), "dk-aging"),
        (dt.date(2025, 1, 1), "dk-stale"),
        (None, "dk-stale"),
    ],
)
def test_staleness_badge(verified: dt.date | None, expected: str) -> None:
    """The verified date earns a fresh, aging or stale badge."""
    assert expected == staleness(verified, TODAY)[0]


def test_one_page_per_provider_and_browse_pages_link_every_provider() -> None:
    """Every provider has its page and is linked from its state's place page and a need page."""
    providers = [
        make(f"p{i:03d}", services=("outpatient",), substances=("opioids",)) for i in range(12)
    ]
    files = render_directory(providers, today=TODAY)
    paths = {f.path for f in files}
    assert {f"providers/p{i:03d}.md" for i in range(12)} <= paths
    place = next(f for f in files if f.path == "directory/place/az.md")
    need = next(f for f in files if f.path == "directory/need/opioids.md")
    assert '<h3 id="city-pima-tucson">Tucson</h3>' in str(place.content)
    for p in providers:
        assert f"../../../providers/{p.slug}/" in str(place.content)
        assert f"../../../providers/{p.slug}/" in str(need.content)
    page = next(f for f in files if f.path == "providers/p000.md")
    assert 'href="../../directory/place/az/#city-pima-tucson">More in Tucson, AZ</a>' in str(
        page.content
    )


def test_browse_pages_are_paginated() -> None:
    """No browse page lists more than PAGE_SIZE providers; the home links each city's page."""
    providers = [make(f"p{i:04d}") for i in range(PAGE_SIZE + 3)]
    pages = [f for f in render_browse_pages(providers) if f.path.startswith("directory/place/")]
    assert ["directory/place/az-2.md", "directory/place/az.md"] == sorted(f.path for f in pages)
    assert 3 == str(pages[1].content).count('<li><a href="../../../providers/')
    assert PAGE_SIZE == str(pages[0].content).count('<li><a href="../../../providers/')


def test_json_index_rows_and_filters() -> None:
    """The index holds one row per provider with needs, medications, payment and flags."""
    a = make(
        "a",
        services=("withdrawal_management",),
        substances=("opioids",),
        medications=("buprenorphine",),
        payment=("medicaid",),
        languages=("en", "es"),
        hours=parse_hours("24/7"),
        intake=Intake(first_responder_dropoff=True),
    )
    b = make("b", services=("recovery_housing",), payment=("free",), languages=("en",))
    index = json.loads(json.dumps(directory_index([a, b])))
    assert list(INDEX_FIELDS) == index["fields"]
    rows = {r[0]: dict(zip(index["fields"], r, strict=True)) for r in index["providers"]}
    needs = [w for w, _ in index["vocab"]["needs"]]
    assert ["opioids", "substance_use", "withdrawal"] == [
        w for i, w in enumerate(needs) if rows["a"]["needs"] >> i & 1
    ]
    assert ["housing"] == [w for i, w in enumerate(needs) if rows["b"]["needs"] >> i & 1]
    assert (1, 1, None) == (rows["a"]["always"], rows["a"]["dropoff"], rows["a"]["hours"])
    hours_b = index["hours"][rows["b"]["hours"]]
    assert [[480, 1020]] == hours_b[0]
    assert [] == hours_b[5]
    assert ["Tucson", "Pima", "AZ", "America/Phoenix"] == index["places"][rows["a"]["place"]]
    assert rows["a"]["place"] == rows["b"]["place"]
    assert ["en", "es"] == sorted(w for w, _ in index["vocab"]["langs"])


def test_needs_from_medications_and_flags() -> None:
    """Needs follow the matching rules: MOUD means opioids; the flag means mental health."""
    p = make("x", medications=("naltrexone",), mental_health=True, services=("mobile_crisis",))
    assert ("opioids", "substance_use", "mental_health", "crisis") == provider_needs(p)


def test_pagefind_filters_on_provider_page() -> None:
    """The provider page carries Pagefind's body marker and a filter per facet."""
    p = make(
        "x",
        services=("crisis_stabilization",),
        medications=("buprenorphine",),
        payment=("medicaid",),
        languages=("es",),
        intake=Intake(first_responder_dropoff=True),
    )
    page = str(render_provider_page(p, as_of=TODAY).content)
    assert "data-pagefind-body" in page
    for facet in (
        "need",
        "medication",
        "payment",
        "language",
        "open 24/7",
        "police drop-off",
        "city",
    ):
        assert f'data-pagefind-filter="{facet}"' in page
    assert '<span data-pagefind-filter="city">Tucson, AZ</span>' in page


def test_relative_urls() -> None:
    """Generated pages compute their own relative links, with and without directory URLs."""
    assert "../providers/a/" == rel_url("providers/a.md", "directory/index.md")
    assert "../a/" == rel_url("providers/a.md", "providers/b.md")
    assert "../providers/a.html" == rel_url(
        "providers/a.md", "directory/index.md", use_directory_urls=False
    )


def test_markdown_text_escaping() -> None:
    """Text placed in Markdown proper cannot make links, emphasis or HTML."""
    assert r"\[x\]\(javascript:y\) \*b\* &lt;i&gt;" == md_text("[x](javascript:y) *b* <i>")


def test_plugin_adds_pages_with_provider_pages_out_of_nav() -> None:
    """Through the real mkdocs.yml: every bundled provider gets a page, none of them in the nav."""
    from pathlib import Path

    from mkdocs.config import load_config
    from mkdocs.structure.files import Files, InclusionLevel
    from mkdocs.structure.nav import get_navigation

    root = Path(__file__).resolve().parent.parent
    config = load_config(str(root / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    files = config.plugins.on_files(Files([]), config=config)
    providers = [f for f in files if f.src_uri.startswith("providers/")]
    assert len(list((root / "data/providers").glob("*.yaml"))) == len(providers)
    assert {InclusionLevel.NOT_IN_NAV} == {f.inclusion for f in providers}
    nav = get_navigation(files, config)
    nav_uris = {page.file.src_uri for page in nav.pages}
    assert "directory/index.md" in nav_uris
    assert not any(
        uri.startswith(("providers/", "directory/city/", "directory/need/")) for uri in nav_uris
    )


def test_write_site_writes_cleans_and_refuses_foreign_folders(tmp_path: Path) -> None:
    """write_site writes files, removes stale ones, and never cleans a folder it did not write."""
    out = tmp_path / "gen"
    write_site([GeneratedFile("providers/a.md", "A"), GeneratedFile("x.json", b"{}")], out)
    assert "A" == (out / "providers/a.md").read_text()
    write_site([GeneratedFile("providers/b.md", "B")], out)
    assert [out / "providers/b.md"] == sorted(out.rglob("*.md"))
    assert not (out / "x.json").exists()
    mine = tmp_path / "docs"
    mine.mkdir()
    (mine / "index.md").write_text("# mine")
    with pytest.raises(FileExistsError):
        write_site([GeneratedFile("providers/a.md", "A")], mine)
    assert "# mine" == (mine / "index.md").read_text()
