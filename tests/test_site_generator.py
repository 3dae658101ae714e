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
    needs = [w for w, *_ in index["vocab"]["needs"]]
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
    assert ["en", "es"] == sorted(w for w, *_ in index["vocab"]["langs"])
    # Each word carries its English and Spanish label: either directory's search finds it.
    assert ["opioids", "Opioid use", "Consumo de opioides"] == next(
        v for v in index["vocab"]["needs"] if v[0] == "opioids"
    )


def test_index_carries_what_the_ranking_needs() -> None:
    """The library's weights (not retyped in the script) and each row's verified day number."""
    import attrs

    from deflectkit.core.geo import EARTH_RADIUS_KM
    from deflectkit.core.ranking import NEVER_OPENS_HOURS, WEIGHTS

    fresh = make("a", verified=dt.date(2026, 3, 4))
    older = make("c", verified=dt.date(2026, 2, 22))
    index = json.loads(json.dumps(directory_index([fresh, make("b", verified=None), older])))
    assert {
        "weights": attrs.asdict(WEIGHTS),
        "never_hours": NEVER_OPENS_HOURS,
        "earth_km": EARTH_RADIUS_KM,
    } == index["ranking"]
    rows = {r[0]: dict(zip(index["fields"], r, strict=True)) for r in index["providers"]}
    newest = dt.date(1970, 1, 1) + dt.timedelta(days=index["verified_base"])
    assert dt.date(2026, 3, 4) == newest
    assert (0, 10) == (rows["a"]["verified"], rows["c"]["verified"])  # days before the newest
    assert rows["b"]["verified"] is None  # never verified: the script charges it as stale
    assert 4 == index["version"]


def test_address_only_provider_is_ranked_at_its_zip_centroid() -> None:
    """As dk.match places it; the row is listed so the card's directions use the address."""
    import deflectkit as dk
    from deflectkit.files.zip_centroids import zip_centroid

    address = Address(city="Tucson", state="AZ", postal_code="85705", street="2 Example Rd")
    only_address = make(
        "z",
        location=Location("America/Phoenix", address),
        services=("withdrawal_management",),
        substances=("opioids",),
    )
    index = directory_index([make("a"), only_address])
    row = dict(zip(index["fields"], index["providers"][1], strict=True))
    centroid = zip_centroid("85705")
    assert centroid is not None
    assert (round(centroid.lat, 4), round(centroid.lon, 4)) == (row["lat"], row["lon"])
    assert [1] == index["zip_located"]
    at = dt.datetime(2026, 12, 2, 10, tzinfo=dt.timezone(dt.timedelta(hours=-7)))
    (m,) = dk.match([only_address], ["opioids"], at=at, near="85705", include_closed=True)
    assert "zip_centroid" == m.located_by


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


def test_call_number_prefers_call_ahead_then_an_intake_line() -> None:
    """Call rings the call-ahead line, else a phone labelled for intake, else the first."""
    from deflectkit.site.cards import call_number

    main, intake = Phone("+15205550100", "Main"), Phone("+15205550101", "Admissions")
    assert "+15205550101" == call_number(make("a", phones=(main, intake)))
    assert "+15205550100" == call_number(make("b", phones=(main,)))
    ahead = make("c", phones=(main, intake), intake=Intake(call_ahead="+15205550102"))
    assert "+15205550102" == call_number(ahead)
    assert call_number(make("d")) is None


def test_provider_page_leads_with_the_action_block() -> None:
    """Call, Directions, drop-off and hand-off come before every section of the page."""
    p = make(
        "a",
        phones=(Phone("+15205550100"),),
        intake=Intake(first_responder_dropoff=True, officer_minutes=12, walk_in=True),
    )
    page = str(render_provider_page(p, as_of=TODAY).content)
    block = page.index('class="dk-card dk-card-page"')
    assert block < page.index('<h2 id="intake"')
    assert 'class="dk-call md-button md-button--primary" href="tel:+15205550100"' in page
    assert 'href="geo:32.2217,-110.9265?q=32.2217,-110.9265"' in page
    assert "Police drop-off · Hand-off about 12 min · Walk-in" in page
    # The open badge is filled by the script; without it, it stays hidden (never empty).
    assert re.search(r'<span class="dk-badge dk-open" data-tz="America/Phoenix" [^>]*hidden>', page)


def test_index_rows_carry_the_card_and_the_new_filters() -> None:
    """Call number, address, walk-in, hand-off, care types, populations and ages per row."""
    from deflectkit.core.providers import Ages

    p = make(
        "a",
        phones=(Phone("+15205550100"),),
        services=("residential",),
        mental_health=True,
        populations=("veterans",),
        ages=Ages(18, 64),
        intake=Intake(walk_in=True, officer_minutes=20),
    )
    index = directory_index([p])
    row = dict(zip(index["fields"], index["providers"][0], strict=True))
    assert ("+15205550100", "520-555-0100") == (row["tel"], row["phone"])
    assert "1 Example Way, Tucson, AZ" == row["street"]
    assert (1, 20, 18, 64) == (row["walkin"], row["minutes"], row["agemin"], row["agemax"])
    services = [w for w, *_ in index["vocab"]["services"]]
    assert {"residential", "mental_health_care"} == {
        w for i, w in enumerate(services) if row["services"] >> i & 1
    }
    assert ["veterans"] == [
        w for i, (w, *_) in enumerate(index["vocab"]["pops"]) if row["pops"] >> i & 1
    ]


def test_index_is_split_by_state_and_small_ones_ride_in_the_page() -> None:
    """One index file per state, bounds for each, ZIP tables per state; a small index inline."""
    nm = make(
        "nm",
        location=Location(
            "America/Denver",
            Address(city="Las Cruces", state="NM", postal_code="88001"),
            Coordinates(32.31, -106.77),
        ),
    )
    files = {f.path: f for f in render_directory([make("a"), make("b"), nm], today=TODAY)}
    az = json.loads(str(files["directory/index/AZ.json"].content))
    assert ["a", "b"] == [r[0] for r in az["providers"]]
    assert ["nm"] == [
        r[0] for r in json.loads(str(files["directory/index/NM.json"].content))["providers"]
    ]
    assert "85705" in json.loads(str(files["directory/index/zips-AZ.json"].content))
    home = str(files["directory/index.md"].content)
    assert 'class="dk-inline-index" data-key="AZ"' in home
    assert '<form class="dk-filters" hidden' in home
    assert 'class="dk-more md-button" hidden' in home
    assert '"857":"AZ"' in home.replace("&quot;", '"')


def test_inline_index_cannot_close_its_script_tag() -> None:
    """A provider named </script> stays inside the JSON of the page's inline index."""
    files = render_directory(
        [make("a", name="Evil </script><script>alert(1)</script>")], today=TODAY
    )
    home = str(next(f for f in files if f.path == "directory/index.md").content)
    inline = home.split('class="dk-inline-index"', 1)[1].split("</script>", 1)[0]
    assert "alert(1)" in inline
    assert EVIL not in home


def test_synonyms_lead_to_words_the_search_can_find() -> None:
    """Each synonym's target appears in a vocabulary word or label the search box reads."""
    from deflectkit.vocabulary import MEDICATIONS, NEEDS, POPULATIONS, SERVICES, SYNONYMS

    text = " ".join(
        f"{t.word} {t.label}".lower().replace("_", " ")
        for v in (NEEDS, MEDICATIONS, SERVICES, POPULATIONS)
        for t in v
    )
    missing = [(a, b) for a, b in SYNONYMS if b not in text]
    assert [] == missing
    assert dict(SYNONYMS)["suboxone"] == "buprenorphine"
    assert dict(SYNONYMS)["narcan"] == "naloxone"
    assert dict(SYNONYMS)["detox"] == "withdrawal management"
    assert dict(SYNONYMS)["meth"] == "stimulants"


def test_service_worker_lists_the_directory_its_index_and_provider_pages(tmp_path: Path) -> None:
    """sw.js stores the directory, index shards, assets, provider pages and the pocket card.

    Source maps are left out.

    The Spanish directory (``es/``) is stored like the English one; the page limit counts
    providers, so a provider's two pages come and go together.
    """
    from deflectkit.site.offline import precache_list, write_service_worker

    for rel in (
        "index.html",
        "directory/index.html",
        "directory/index/AZ.json",
        "providers/a/index.html",
        "es/directory/index.html",
        "es/providers/a/index.html",
        "assets/x.js",
        "assets/x.js.map",
        "manifest.webmanifest",
        "playbook/pocket-card/index.html",
    ):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", encoding="utf-8")
    files = precache_list(tmp_path)
    assert [
        "./",
        "assets/x.js",
        "directory/",
        "directory/index/AZ.json",
        "es/directory/",
        "es/providers/a/",
        "manifest.webmanifest",
        "playbook/pocket-card/",
        "providers/a/",
    ] == files
    assert [
        "./",
        "assets/x.js",
        "directory/",
        "es/directory/",
        "manifest.webmanifest",
        "playbook/pocket-card/",
    ] == precache_list(tmp_path, page_limit=0)
    assert 9 == write_service_worker(tmp_path)
    assert '"es/directory/"' in (tmp_path / "sw.js").read_text(encoding="utf-8")
    worker = (tmp_path / "sw.js").read_text(encoding="utf-8")
    assert '"providers/a/"' in worker
    before = re.search(r"deflectkit-(\w+)", worker)
    (tmp_path / "providers/a/index.html").write_text("new data", encoding="utf-8")
    write_service_worker(tmp_path)
    after = re.search(r"deflectkit-(\w+)", (tmp_path / "sw.js").read_text(encoding="utf-8"))
    assert before is not None
    assert after is not None
    assert before.group(1) != after.group(1)


def test_manifest_and_icons_make_the_site_installable() -> None:
    """The manifest opens on the directory; PNG icons are real PNGs in the agency color."""
    from deflectkit.site.generator import SiteConfig, generate_site

    cfg = SiteConfig(
        providers_dir=None,
        policies_dir=None,
        events_file=None,
        schemas_dir=None,
        agency_name="Example County",
        theme_color="#336699",
    )
    files = {f.path: f for f in generate_site(cfg, today=TODAY, providers=[make("a")])}
    manifest = json.loads(str(files["manifest.webmanifest"].content))
    assert ("Example County", "directory/", "#336699") == (
        manifest["name"],
        manifest["start_url"],
        manifest["theme_color"],
    )
    png = files["assets/deflectkit/icon-192.png"].content
    assert isinstance(png, bytes)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert "#336699" in str(files["assets/deflectkit/icon.svg"].content)
    script = str(files["assets/deflectkit/deflectkit.js"].content)
    assert script.startswith("window.deflectkitStrings = {")
