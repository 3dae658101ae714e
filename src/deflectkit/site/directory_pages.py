"""The directory home (filters in the browser) and the browse pages that work without JavaScript.

Browse pages list every provider by city, by county and by need, split into pages of at most
:data:`PAGE_SIZE` links so that no page grows with the size of a national directory.
"""

# HTML template lines read better whole than split mid-tag.
# ruff: noqa: E501

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from deflectkit.core.providers import Provider
from deflectkit.site.facets import provider_needs
from deflectkit.site.markup import attr, esc, front_matter, rel_url, slugify
from deflectkit.site.output import GeneratedFile
from deflectkit.site.provider_page import provider_path
from deflectkit.vocabulary import LANGUAGES, MEDICATIONS, NEEDS, PAYMENT

__all__ = ["HOME_PATH", "PAGE_SIZE", "render_browse_pages", "render_directory_home"]

HOME_PATH = "directory/index.md"
#: Most provider links on one browse page.
PAGE_SIZE = 500
_RADII = (5, 10, 25, 50, 100)


def _options(name: str, label: str, any_text: str, pairs: Sequence[tuple[str, str]]) -> str:
    opts = "".join(f'<option value="{attr(w)}">{esc(lbl)}</option>' for w, lbl in pairs)
    return (
        f'<label class="dk-field">{esc(label)} <select name="{attr(name)}">'
        f'<option value="">{esc(any_text)}</option>{opts}</select></label>'
    )


def _group_key_city(p: Provider) -> tuple[str, str] | None:
    a = p.location.address
    return (a.state, a.city) if a else None


def _group_key_county(p: Provider) -> tuple[str, str] | None:
    a = p.location.address
    return (a.state, a.county) if a and a.county else None


def _chunks(items: Sequence[Provider]) -> list[Sequence[Provider]]:
    return [items[i : i + PAGE_SIZE] for i in range(0, len(items), PAGE_SIZE)] or [items]


def _paged_paths(stem: str, count: int) -> list[str]:
    return [f"{stem}.md" if i == 0 else f"{stem}-{i + 1}.md" for i in range(count)]


def city_path(state: str, city: str) -> str:
    """The first browse page for a city."""
    return f"directory/city/{slugify(state)}-{slugify(city)}.md"


def render_directory_home(
    providers: Sequence[Provider],
    *,
    title: str = "Provider directory",
    use_directory_urls: bool = True,
) -> GeneratedFile:
    """``directory/index.md``: filter form, result list filled by ``directory.js``, browse links."""

    def link(target: str) -> str:
        return rel_url(target, HOME_PATH, use_directory_urls=use_directory_urls)

    langs = sorted({c for p in providers for c in p.languages}, key=LANGUAGES.label)
    form = "".join(
        [
            _options("need", "Need", "Any need", [(t.word, t.label) for t in NEEDS]),
            _options("med", "Medication", "Any or none", [(t.word, t.label) for t in MEDICATIONS]),
            _options("pay", "Payment", "Any payment", [(t.word, t.label) for t in PAYMENT]),
            _options("lang", "Language", "Any language", [(c, LANGUAGES.label(c)) for c in langs]),
            '<label class="dk-check"><input type="checkbox" name="always"> Open 24/7</label>',
            '<label class="dk-check"><input type="checkbox" name="dropoff"> Police drop-off</label>',
            '<label class="dk-check"><input type="checkbox" name="open"> Open now</label>',
            '<label class="dk-field">Near ZIP <input name="zip" inputmode="numeric" '
            'autocomplete="postal-code" pattern="[0-9]{5}" maxlength="5" size="6"></label>',
            _options("radius", "Within", "Any distance", [(str(r), f"{r} miles") for r in _RADII]),
            '<button type="reset" class="md-button">Clear filters</button>',
        ]
    )
    provider_base = link(provider_path("__slug__"))
    out = [
        front_matter(title),
        f"<h1>{esc(title)}</h1>",
        "",
        f'<div class="dk-directory" data-index="index.json" data-zips="zips.json" '
        f'data-provider-url="{attr(provider_base)}">',
        '<label class="dk-field" for="dk-search-input">Search providers by name, service or city</label>',
        '<div class="dk-search" id="dk-search" data-bundle="'
        + attr(link("pagefind/pagefind-ui.js").rstrip("/"))
        + '"></div>',
        '<form class="dk-filters" hidden aria-label="Filter providers">' + form + "</form>",
        '<p class="dk-count" role="status" aria-live="polite"></p>',
        '<ul class="dk-results"></ul>',
        '<p><button type="button" class="dk-more md-button" hidden>Show more</button></p>',
        "<noscript><p>Filtering needs JavaScript. Every provider is listed in the browse pages "
        "below.</p></noscript>",
        "</div>",
        "",
    ]
    out.append(_browse_sections(providers, link))
    return GeneratedFile(HOME_PATH, "\n".join(out) + "\n")


def _browse_sections(providers: Sequence[Provider], link: object) -> str:
    assert callable(link)
    by_city: dict[tuple[str, str], int] = defaultdict(int)
    by_county: dict[tuple[str, str], int] = defaultdict(int)
    by_need: dict[str, int] = defaultdict(int)
    for p in providers:
        if (key := _group_key_city(p)) is not None:
            by_city[key] += 1
        if (key := _group_key_county(p)) is not None:
            by_county[key] += 1
        for n in provider_needs(p):
            by_need[n] += 1
    parts = ['<section class="dk-browse">', '<h2 id="browse-need">Browse by need</h2>', "<ul>"]
    for word in NEEDS.words:
        if by_need.get(word):
            parts.append(
                f'<li><a href="{attr(link(f"directory/need/{word}.md"))}">{esc(NEEDS.label(word))}</a> '
                f"({by_need[word]})</li>"
            )
    parts.append("</ul>")
    parts.append('<h2 id="browse-city">Browse by city</h2>')
    parts.append(_grouped_links(by_city, link, city=True))
    if by_county:
        parts.append('<h2 id="browse-county">Browse by county</h2>')
        parts.append(_grouped_links(by_county, link, city=False))
    parts.append("</section>")
    return "\n".join(parts)


def _grouped_links(counts: dict[tuple[str, str], int], link: object, *, city: bool) -> str:
    assert callable(link)
    states: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for (state, place), n in counts.items():
        states[state].append((place, n))
    out: list[str] = []
    for state in sorted(states):
        items = []
        for place, n in sorted(states[state]):
            target = (
                city_path(state, place)
                if city
                else f"directory/county/{slugify(state)}-{slugify(place)}.md"
            )
            items.append(f'<li><a href="{attr(link(target))}">{esc(place)}</a> ({n})</li>')
        out.append(f'<h3>{esc(state)}</h3><ul class="dk-columns">' + "".join(items) + "</ul>")
    return "\n".join(out)


def _listing(
    path: str,
    title: str,
    items: Sequence[Provider],
    pages: list[str],
    index: int,
    *,
    use_directory_urls: bool,
) -> GeneratedFile:
    def link(target: str) -> str:
        return rel_url(target, path, use_directory_urls=use_directory_urls)

    rows = []
    for p in items:
        a = p.location.address
        notes = [f"{a.city}, {a.state}"] if a else []
        if p.is_24_7:
            notes.append("Open 24/7")
        if p.intake.first_responder_dropoff:
            notes.append("Police drop-off")
        rows.append(
            f'<li><a href="{attr(link(provider_path(p.slug)))}">{esc(p.name)}</a>'
            f' <span class="dk-muted">{esc(" · ".join(notes))}</span></li>'
        )
    heading = title if len(pages) == 1 else f"{title} (page {index + 1} of {len(pages)})"
    nav = ""
    if len(pages) > 1:
        nav = (
            '<nav class="dk-pager" aria-label="Pages">'
            + " ".join(
                f'<a href="{attr(link(pg))}"'
                + (' aria-current="page"' if i == index else "")
                + f">{i + 1}</a>"
                for i, pg in enumerate(pages)
            )
            + "</nav>"
        )
    body = [
        front_matter(heading, search={"exclude": True}),
        f"<h1>{esc(heading)}</h1>",
        "",
        f'<p><a href="{attr(link(HOME_PATH))}">All providers and filters</a> · {len(items)} listed here</p>',
        '<ul class="dk-list">' + "".join(rows) + "</ul>",
        nav,
    ]
    return GeneratedFile(path, "\n".join(body) + "\n")


def render_browse_pages(
    providers: Sequence[Provider], *, use_directory_urls: bool = True
) -> list[GeneratedFile]:
    """Browse pages by city, by county and by need; together they link every provider."""
    groups: list[tuple[str, str, list[Provider]]] = []
    by_city: dict[tuple[str, str], list[Provider]] = defaultdict(list)
    by_county: dict[tuple[str, str], list[Provider]] = defaultdict(list)
    by_need: dict[str, list[Provider]] = defaultdict(list)
    for p in sorted(providers, key=lambda p: (p.name.lower(), p.slug)):
        if (key := _group_key_city(p)) is not None:
            by_city[key].append(p)
        if (key := _group_key_county(p)) is not None:
            by_county[key].append(p)
        for n in provider_needs(p):
            by_need[n].append(p)
    for (state, city), items in by_city.items():
        groups.append((city_path(state, city)[:-3], f"Providers in {city}, {state}", items))
    for (state, county), items in by_county.items():
        groups.append(
            (
                f"directory/county/{slugify(state)}-{slugify(county)}",
                f"Providers in {county}, {state}",
                items,
            )
        )
    for need, items in by_need.items():
        groups.append(
            (f"directory/need/{need}", f"Providers for {NEEDS.label(need).lower()}", items)
        )
    files: list[GeneratedFile] = []
    for stem, title, items in groups:
        chunks = _chunks(items)
        pages = _paged_paths(stem, len(chunks))
        for i, chunk in enumerate(chunks):
            files.append(
                _listing(pages[i], title, chunk, pages, i, use_directory_urls=use_directory_urls)
            )
    return files
