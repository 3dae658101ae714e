"""One page per provider: what an officer needs at the door, in plain words.

The page is a raw HTML block inside Markdown (so contributor text is escaped once, as HTML,
and Markdown never reinterprets it). It carries Pagefind's body and filter attributes and
the data the browser needs to show an open-now badge in the provider's own time zone.

Example:
    >>> import datetime as dt
    >>> from deflectkit.core.providers import Location, Provider
    >>> p = Provider(slug="x", name="<b>X</b>", location=Location("America/Phoenix"))
    >>> f = render_provider_page(p, as_of=dt.date(2026, 1, 1))
    >>> f.path, "&lt;b&gt;X&lt;/b&gt;" in f.content, "<b>X" in f.content
    ('providers/x.md', True, False)
"""

# HTML template lines read better whole than split mid-tag.
# ruff: noqa: E501

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import quote

from deflectkit.core.hours import WeeklyHours
from deflectkit.core.providers import Provider, readable_phone
from deflectkit.site.cards import action_block
from deflectkit.site.facets import provider_needs, shard_key
from deflectkit.site.markup import (
    attr,
    esc,
    front_matter,
    rel_url,
    safe_url,
    tel_url,
)
from deflectkit.site.output import GeneratedFile
from deflectkit.vocabulary import (
    ACCESSIBILITY,
    ASAM_LEVELS,
    DAYS,
    LANGUAGES,
    MEDICATIONS,
    NEEDS,
    PAYMENT,
    POPULATIONS,
    SERVICES,
    SUBSTANCES,
    Vocabulary,
)

__all__ = [
    "STALE_AFTER_DAYS",
    "hours_rows",
    "provider_path",
    "render_provider_page",
    "staleness",
]

#: A record not checked by a person for this long is shown as stale.
STALE_AFTER_DAYS = 365
#: Past this age the badge asks officers to double-check before relying on it.
CHECK_AFTER_DAYS = 180


def provider_path(slug: str) -> str:
    """The generated Markdown path of a provider's page."""
    return f"providers/{slug}.md"


def staleness(verified: dt.date | None, as_of: dt.date) -> tuple[str, str]:
    """A ``(css class, text)`` badge for the last-verified date."""
    if verified is None:
        return "dk-stale", "Never verified — call to confirm"
    age = (as_of - verified).days
    if age > STALE_AFTER_DAYS:
        return (
            "dk-stale",
            f"Last verified {verified.isoformat()} — over a year ago, call to confirm",
        )
    if age > CHECK_AFTER_DAYS:
        return "dk-aging", f"Last verified {verified.isoformat()} — over six months ago"
    return "dk-fresh", f"Last verified {verified.isoformat()}"


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def hours_rows(hours: WeeklyHours) -> list[tuple[str, str]]:
    """``(day label, spans text)`` for each weekday; closed days say "Closed"."""
    rows = []
    for index, spans in enumerate(hours.days):
        text = ", ".join(f"{_hhmm(s)}–{_hhmm(e)}" for s, e in spans) if spans else "Closed"
        rows.append((DAYS.label(DAYS.words[index]), text))
    return rows


def _labelled(
    title: str, vocabulary: Vocabulary, words: Iterable[str], *, tag: str = "li", sep: str = ", "
) -> str:
    """``<li><strong>Title:</strong> Label, Label</li>``: vocabulary words in plain words."""
    text = sep.join(vocabulary.label(w) for w in words)
    return f"<{tag}><strong data-pagefind-ignore>{esc(title)}:</strong> {esc(text)}</{tag}>"


def _hours_html(hours: WeeklyHours | None, caption: str) -> str:
    if hours is None:
        return '<p class="dk-callhours">Call for hours.</p>'
    if hours.always:
        return "<p><strong>Open 24 hours, 7 days a week.</strong></p>"
    body = "".join(
        f'<tr><th scope="row">{esc(d)}</th><td>{esc(t)}</td></tr>' for d, t in hours_rows(hours)
    )
    return f'<table class="dk-hours"><caption>{esc(caption)}</caption><tbody>{body}</tbody></table>'


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>"


def _tel_link(number: str, label: str | None = None) -> str:
    href = tel_url(number)
    text = esc(readable_phone(number))
    link = f'<a href="{attr(href)}">{text}</a>' if href else text
    return link + (f' <span class="dk-muted">({esc(label)})</span>' if label else "")


def _map_url(provider: Provider) -> str | None:
    coords = provider.location.coordinates
    if coords is not None:
        lat, lon = f"{coords.lat:.5f}", f"{coords.lon:.5f}"
        return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"
    address = provider.location.address
    if address is None:
        return None
    text = ", ".join(
        x for x in (address.street, address.city, address.state, address.postal_code) if x
    )
    return "https://www.openstreetmap.org/search?query=" + quote(text)


def _filters(provider: Provider) -> str:
    """Hidden Pagefind filter values, one element each (values may contain commas)."""
    values: list[tuple[str, str]] = [("need", NEEDS.label(n)) for n in provider_needs(provider)]
    values += [("medication", MEDICATIONS.label(m)) for m in provider.medications]
    values += [("payment", PAYMENT.label(p)) for p in provider.payment]
    values += [("language", LANGUAGES.label(c)) for c in provider.languages]
    values.append(("open 24/7", "Yes" if provider.is_24_7 else "No"))
    values.append(("police drop-off", "Yes" if provider.intake.first_responder_dropoff else "No"))
    address = provider.location.address
    if address is not None:
        values.append(("city", f"{address.city}, {address.state}"))
    return "".join(f'<span data-pagefind-filter="{attr(k)}">{esc(v)}</span>' for k, v in values)


def render_provider_page(
    provider: Provider,
    *,
    as_of: dt.date,
    edit_url_base: str | None = None,
    source_path: str | None = None,
    use_directory_urls: bool = True,
    place: tuple[str, str, str] | None = None,
) -> GeneratedFile:
    """Render ``providers/<slug>.md`` for one provider.

    Args:
        provider: the provider.
        as_of: today's date for the staleness badge (the generator's caller reads the clock).
        edit_url_base: where "edit this provider" points, e.g.
            ``https://example.org/repo/edit/main/``; the link is that plus ``source_path``.
        source_path: the provider's YAML path relative to the repository root.
        use_directory_urls: MkDocs' setting, for the links this page computes itself.
        place: ``(browse page, anchor, label)`` of the provider's city on the place pages.
    """
    path = provider_path(provider.slug)

    def link(target: str) -> str:
        return rel_url(target, path, use_directory_urls=use_directory_urls)

    out: list[str] = [
        front_matter(provider.name, search={"exclude": True}, description=_summary(provider)),
        '<article class="dk-provider" data-pagefind-body>',
    ]
    if provider.sample:
        out.append(
            '<p class="dk-banner" role="note" data-pagefind-ignore><strong>Sample data.</strong> This provider is '
            "fictional, for demonstration only. Do not refer anyone here.</p>"
        )
    out.append(f'<h1 data-pagefind-meta="title">{esc(provider.name)}</h1>')
    if provider.organization:
        out.append(f'<p class="dk-org">{esc(provider.organization)}</p>')
    out.append(action_block(provider))
    badge_class, badge_text = staleness(provider.verified, as_of)
    out.append(
        f'<p class="dk-badges" data-pagefind-ignore><span class="dk-badge {badge_class}">{esc(badge_text)}</span></p>'
    )
    if provider.description:
        out.append(f'<p class="dk-desc">{esc(provider.description)}</p>')

    # For officers first: this is what is read at the roadside.
    intake = provider.intake
    officer: list[str] = []
    officer.append(
        "<li><strong data-pagefind-ignore>Police drop-off:</strong> "
        + ("Yes — officers may bring people here." if intake.first_responder_dropoff else "No")
        + "</li>"
    )
    if intake.call_ahead:
        officer.append(
            f"<li><strong data-pagefind-ignore>Call ahead:</strong> {_tel_link(intake.call_ahead)}</li>"
        )
    if intake.officer_minutes is not None:
        officer.append(
            f"<li><strong data-pagefind-ignore>Typical hand-off:</strong> {int(intake.officer_minutes)} minutes</li>"
        )
    officer.append(
        f"<li><strong data-pagefind-ignore>Walk-in:</strong> {'Yes' if intake.walk_in else 'No'}</li>"
    )
    if intake.instructions:
        officer.append(
            f"<li><strong data-pagefind-ignore>Instructions:</strong> {esc(intake.instructions)}</li>"
        )
    out.append('<h2 id="intake" data-pagefind-ignore>For officers: intake</h2>')
    out.append('<ul class="dk-intake">' + "".join(officer) + "</ul>")

    offers = [SERVICES.label(s) for s in provider.services]
    if provider.mental_health and "mental_health_care" not in provider.services:
        offers.append(SERVICES.label("mental_health_care"))
    out.append('<h2 id="offers" data-pagefind-ignore>What they offer</h2>')
    out.append(_list(offers) if offers else "<p>Services not listed — call to ask.</p>")
    if provider.medications:
        meds = ", ".join(MEDICATIONS.label(m) for m in provider.medications)
        otp = " (Opioid Treatment Program)" if provider.otp else ""
        out.append(f"<p><strong data-pagefind-ignore>Medications:</strong> {esc(meds + otp)}</p>")
    if provider.substances:
        out.append(_labelled("Substances treated", SUBSTANCES, provider.substances, tag="p"))
    if provider.asam_levels:
        out.append(
            _labelled("ASAM levels of care", ASAM_LEVELS, provider.asam_levels, tag="p", sep="; ")
        )

    out.append('<h2 id="hours" data-pagefind-ignore>Hours</h2>')
    if provider.intake.hours is not None and provider.hours is not None:
        out.append(_hours_html(provider.hours, "Opening hours (local time)"))
        out.append(_hours_html(provider.intake.hours, "Intake hours (local time)"))
    else:
        out.append(_hours_html(provider.intake_hours, "Hours (local time)"))
    out.append(f'<p class="dk-muted">Time zone: {esc(provider.location.timezone)}</p>')

    contact: list[str] = [f"<li>{_tel_link(ph.number, ph.label)}</li>" for ph in provider.phones]
    website = safe_url(provider.website)
    if website and website.split(":", 1)[0].lower() in {"http", "https"}:
        contact.append(f'<li><a href="{attr(website)}" rel="nofollow noopener">Website</a></li>')
    if provider.email:
        mail = safe_url("mailto:" + provider.email)
        if mail:
            contact.append(f'<li><a href="{attr(mail)}">{esc(provider.email)}</a></li>')
    address = provider.location.address
    if address is not None:
        lines = [
            x
            for x in (address.street, f"{address.city}, {address.state} {address.postal_code}")
            if x
        ]
        map_url = _map_url(provider)
        map_link = (
            f' <a href="{attr(map_url)}" rel="nofollow noopener">Map (OpenStreetMap)</a>'
            if map_url
            else ""
        )
        contact.append(
            "<li><address>" + "<br>".join(esc(x) for x in lines) + "</address>" + map_link + "</li>"
        )
        if address.county:
            contact.append(f"<li>{esc(address.county)}</li>")
    out.append('<h2 id="contact" data-pagefind-ignore>Contact and address</h2>')
    out.append(
        '<ul class="dk-contact">' + "".join(contact) + "</ul>"
        if contact
        else "<p>No contact listed.</p>"
    )

    serve: list[str] = []
    ages = provider.ages
    if ages.min is not None or ages.max is not None:
        if ages.min is not None and ages.max is not None:
            text = f"{ages.min} to {ages.max}"
        elif ages.min is not None:
            text = f"{ages.min} and older"
        else:
            text = f"up to {ages.max}"
        serve.append(f"<li><strong data-pagefind-ignore>Ages:</strong> {esc(text)}</li>")
    for title, vocabulary, words in (
        ("Languages", LANGUAGES, provider.languages),
        ("Payment", PAYMENT, provider.payment),
        ("Programs for", POPULATIONS, provider.populations),
        ("Accessibility", ACCESSIBILITY, provider.accessibility),
    ):
        if words:
            serve.append(_labelled(title, vocabulary, words))
    out.append('<h2 id="who" data-pagefind-ignore>Who they serve</h2>')
    out.append("<ul>" + "".join(serve) + "</ul>" if serve else "<p>Not stated — call to ask.</p>")

    foot: list[str] = []
    if edit_url_base and source_path:
        edit = safe_url(edit_url_base.rstrip("/") + "/" + quote(source_path))
        if edit:
            foot.append(f'<a href="{attr(edit)}" rel="nofollow noopener">Edit this provider</a>')
    foot.append(f'<a href="{attr(link("directory/index.md"))}">All providers</a>')
    if place is not None:
        place_path, anchor, label = place
        foot.append(f'<a href="{attr(link(place_path) + "#" + anchor)}">More in {esc(label)}</a>')
    out.append('<p class="dk-foot" data-pagefind-ignore>' + " · ".join(foot) + "</p>")
    # The index shard holding this provider's row: the directory's national name search
    # reads it from Pagefind's result to load that one shard.
    shard = f'<span data-pagefind-meta="shard">{esc(shard_key(provider))}</span>'
    out.append("<div hidden>" + _filters(provider) + shard + "</div>")
    out.append("</article>")
    return GeneratedFile(path, "\n".join(out) + "\n")


def _summary(provider: Provider) -> str:
    """One line for the meta description, HTML-escaped: Material prints it raw in an attribute."""
    address = provider.location.address
    where = f" in {address.city}, {address.state}" if address else ""
    return esc(f"{provider.name}{where}")
