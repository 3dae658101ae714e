"""One page per provider: what an officer needs at the door, in plain words, in either language.

The page is a raw HTML block inside Markdown (so contributor text is escaped once, as HTML,
and Markdown never reinterprets it). It carries Pagefind's body and filter attributes and
the data the browser needs to show an open-now badge in the provider's own time zone.
The Spanish page (``lang="es"``, under ``es/``) says the same in Spanish; a description or
intake instruction without its Spanish version shows in English, marked ``lang="en"``.

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
from collections.abc import Callable, Iterable, Mapping
from urllib.parse import quote

from deflectkit.core.hours import WeeklyHours
from deflectkit.core.providers import Provider, readable_phone
from deflectkit.site.cards import action_block
from deflectkit.site.facets import provider_needs, shard_key
from deflectkit.site.languages import language_switch
from deflectkit.site.leave_behind import long_date
from deflectkit.site.markup import (
    attr,
    esc,
    front_matter,
    lang_path,
    rel_url,
    safe_url,
    tel_url,
)
from deflectkit.site.output import GeneratedFile
from deflectkit.site.strings import strings_for
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
    Language,
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


def provider_path(slug: str, lang: Language = "en") -> str:
    """The generated Markdown path of a provider's page (Spanish under ``es/``)."""
    return lang_path(f"providers/{slug}.md", lang)


def staleness(verified: dt.date | None, as_of: dt.date, lang: Language = "en") -> tuple[str, str]:
    """A ``(css class, text)`` badge for the last-verified date."""
    s = strings_for(lang)
    if verified is None:
        return "dk-stale", s["never_verified"]
    age = (as_of - verified).days
    # Spanish readers expect "20 de octubre de 2026"; the English badge keeps its ISO date.
    date = verified.isoformat() if lang == "en" else long_date(verified, lang)
    if age > STALE_AFTER_DAYS:
        return "dk-stale", s["verified_old"].format(date=date)
    if age > CHECK_AFTER_DAYS:
        return "dk-aging", s["verified_aging"].format(date=date)
    return "dk-fresh", s["verified"].format(date=date)


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def hours_rows(hours: WeeklyHours, lang: Language = "en") -> list[tuple[str, str]]:
    """``(day label, spans text)`` for each weekday; closed days say "Closed"."""
    closed = strings_for(lang)["closed"]
    rows = []
    for index, spans in enumerate(hours.days):
        text = ", ".join(f"{_hhmm(s)}–{_hhmm(e)}" for s, e in spans) if spans else closed
        rows.append((DAYS.label(DAYS.words[index], lang), text))
    return rows


def _field(title: str, value_html: str, *, tag: str = "li") -> str:
    """``<li><strong>Title:</strong> value</li>``; ``value_html`` is already escaped."""
    return f"<{tag}><strong data-pagefind-ignore>{esc(title)}:</strong> {value_html}</{tag}>"


def _labelled(
    title: str,
    vocabulary: Vocabulary,
    words: Iterable[str],
    lang: Language,
    *,
    tag: str = "li",
    sep: str = ", ",
) -> str:
    """Vocabulary words in plain words, after a bold title."""
    return _field(title, esc(sep.join(vocabulary.label(w, lang) for w in words)), tag=tag)


def _translated(text: str, spanish: str | None, lang: Language) -> str:
    """Contributor text in the page's language; English on a Spanish page is marked so."""
    if lang == "es" and spanish:
        return esc(spanish)
    if lang == "es":
        return f'<span lang="en">{esc(text)}</span>'
    return esc(text)


def _hours_html(hours: WeeklyHours | None, caption: str, lang: Language) -> str:
    s = strings_for(lang)
    if hours is None:
        return f'<p class="dk-callhours">{esc(s["call_for_hours_long"])}</p>'
    if hours.always:
        return f"<p><strong>{esc(s['always_open'])}</strong></p>"
    body = "".join(
        f'<tr><th scope="row">{esc(d)}</th><td>{esc(t)}</td></tr>'
        for d, t in hours_rows(hours, lang)
    )
    return f'<table class="dk-hours"><caption>{esc(caption)}</caption><tbody>{body}</tbody></table>'


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>"


def _tel_link(number: str, label: str | None = None, lang: Language = "en") -> str:
    href = tel_url(number)
    text = esc(readable_phone(number))
    link = f'<a href="{attr(href)}">{text}</a>' if href else text
    if not label:
        return link
    # The label is the contributor's (English) word for the line.
    marked = ' lang="en"' if lang != "en" else ""
    return link + f' <span class="dk-muted"{marked}>({esc(label)})</span>'


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


#: Pagefind filter names, by language (each language has its own index).
_FILTER_NAMES: dict[Language, tuple[str, ...]] = {
    "en": ("need", "medication", "payment", "language", "open 24/7", "police drop-off", "city"),
    "es": ("necesidad", "medicamento", "pago", "idioma", "abierto 24/7", "recibe traslados de la policía", "ciudad"),
}


def _filters(provider: Provider, lang: Language = "en") -> str:
    """Hidden Pagefind filter values, one element each (values may contain commas)."""
    s = strings_for(lang)
    need, med, pay, language, always, dropoff, city = _FILTER_NAMES[lang]
    values: list[tuple[str, str]] = [(need, NEEDS.label(n, lang)) for n in provider_needs(provider)]
    values += [(med, MEDICATIONS.label(m, lang)) for m in provider.medications]
    values += [(pay, PAYMENT.label(p, lang)) for p in provider.payment]
    values += [(language, LANGUAGES.label(c, lang)) for c in provider.languages]
    values.append((always, s["yes"] if provider.is_24_7 else s["no"]))
    values.append((dropoff, s["yes"] if provider.intake.first_responder_dropoff else s["no"]))
    address = provider.location.address
    if address is not None:
        values.append((city, f"{address.city}, {address.state}"))
    return "".join(f'<span data-pagefind-filter="{attr(k)}">{esc(v)}</span>' for k, v in values)


def _lead(provider: Provider, as_of: dt.date, lang: Language) -> list[str]:
    """Sample banner, name, organization, the action block, the verified badge, the description."""
    s = strings_for(lang)
    out: list[str] = []
    if provider.sample:
        head, _, rest = s["sample_provider"].partition(". ")
        out.append(
            f'<p class="dk-banner" role="note" data-pagefind-ignore><strong>{esc(head)}.</strong> '
            f"{esc(rest)}</p>"
        )
    out.append(f'<h1 data-pagefind-meta="title">{esc(provider.name)}</h1>')
    if provider.organization:
        out.append(f'<p class="dk-org">{esc(provider.organization)}</p>')
    out.append(action_block(provider, lang))
    badge_class, badge_text = staleness(provider.verified, as_of, lang)
    out.append(
        f'<p class="dk-badges" data-pagefind-ignore><span class="dk-badge {badge_class}">{esc(badge_text)}</span></p>'
    )
    if provider.description:
        text = _translated(provider.description, provider.description_es, lang)
        out.append(f'<p class="dk-desc">{text}</p>')
    return out


def _intake(provider: Provider, lang: Language) -> list[str]:
    """For officers first: what is read at the roadside."""
    s = strings_for(lang)
    intake = provider.intake
    rows = [
        _field(s["dropoff_label"], esc(s["dropoff_yes"] if intake.first_responder_dropoff else s["no"]))
    ]
    if intake.call_ahead:
        rows.append(_field(s["call_ahead"], _tel_link(intake.call_ahead, lang=lang)))
    if intake.officer_minutes is not None:
        minutes = s["minutes"].format(minutes=int(intake.officer_minutes))
        rows.append(_field(s["handoff_label"], esc(minutes)))
    rows.append(_field(s["walk_in_label"], esc(s["yes"] if intake.walk_in else s["no"])))
    if intake.instructions:
        text = _translated(intake.instructions, intake.instructions_es, lang)
        rows.append(_field(s["instructions"], text))
    return [
        f'<h2 id="intake" data-pagefind-ignore>{esc(s["for_officers"])}</h2>',
        '<ul class="dk-intake">' + "".join(rows) + "</ul>",
    ]


def _offers(provider: Provider, lang: Language) -> list[str]:
    """Services, medications, substances and ASAM levels."""
    s = strings_for(lang)
    offers = [SERVICES.label(w, lang) for w in provider.services]
    if provider.mental_health and "mental_health_care" not in provider.services:
        offers.append(SERVICES.label("mental_health_care", lang))
    out = [f'<h2 id="offers" data-pagefind-ignore>{esc(s["offers"])}</h2>']
    out.append(_list(offers) if offers else f"<p>{esc(s['offers_missing'])}</p>")
    if provider.medications:
        meds = ", ".join(MEDICATIONS.label(m, lang) for m in provider.medications)
        text = s["otp"].format(medications=meds) if provider.otp else meds
        out.append(_field(s["medications"], esc(text), tag="p"))
    if provider.substances:
        out.append(_labelled(s["substances"], SUBSTANCES, provider.substances, lang, tag="p"))
    if provider.asam_levels:
        out.append(
            _labelled(s["asam"], ASAM_LEVELS, provider.asam_levels, lang, tag="p", sep="; ")
        )
    return out


def _hours(provider: Provider, lang: Language) -> list[str]:
    s = strings_for(lang)
    out = [f'<h2 id="hours" data-pagefind-ignore>{esc(s["hours"])}</h2>']
    if provider.intake.hours is not None and provider.hours is not None:
        out.append(_hours_html(provider.hours, s["hours_opening"], lang))
        out.append(_hours_html(provider.intake.hours, s["hours_intake"], lang))
    else:
        out.append(_hours_html(provider.intake_hours, s["hours_local"], lang))
    zone = s["time_zone"].format(zone=provider.location.timezone)
    out.append(f'<p class="dk-muted">{esc(zone)}</p>')
    return out


def _address(provider: Provider, s: Mapping[str, str]) -> list[str]:
    address = provider.location.address
    if address is None:
        return []
    lines = [
        x for x in (address.street, f"{address.city}, {address.state} {address.postal_code}") if x
    ]
    map_url = _map_url(provider)
    map_link = (
        f' <a href="{attr(map_url)}" rel="nofollow noopener">{esc(s["map"])}</a>' if map_url else ""
    )
    out = ["<li><address>" + "<br>".join(esc(x) for x in lines) + "</address>" + map_link + "</li>"]
    if address.county:
        out.append(f"<li>{esc(address.county)}</li>")
    return out


def _contact(provider: Provider, lang: Language) -> list[str]:
    """Phones, website, email, address with a map link."""
    s = strings_for(lang)
    contact = [f"<li>{_tel_link(ph.number, ph.label, lang)}</li>" for ph in provider.phones]
    website = safe_url(provider.website)
    if website and website.split(":", 1)[0].lower() in {"http", "https"}:
        contact.append(
            f'<li><a href="{attr(website)}" rel="nofollow noopener">{esc(s["website"])}</a></li>'
        )
    if provider.email:
        mail = safe_url("mailto:" + provider.email)
        if mail:
            contact.append(f'<li><a href="{attr(mail)}">{esc(provider.email)}</a></li>')
    contact += _address(provider, s)
    return [
        f'<h2 id="contact" data-pagefind-ignore>{esc(s["contact"])}</h2>',
        '<ul class="dk-contact">' + "".join(contact) + "</ul>"
        if contact
        else f"<p>{esc(s['no_contact'])}</p>",
    ]


def _who(provider: Provider, lang: Language) -> list[str]:
    """Ages, languages, payment, populations and accessibility."""
    s = strings_for(lang)
    serve: list[str] = []
    ages = provider.ages
    if ages.min is not None and ages.max is not None:
        serve.append(_field(s["ages"], esc(s["ages_range"].format(min=ages.min, max=ages.max))))
    elif ages.min is not None:
        serve.append(_field(s["ages"], esc(s["ages_min"].format(min=ages.min))))
    elif ages.max is not None:
        serve.append(_field(s["ages"], esc(s["ages_max"].format(max=ages.max))))
    for key, vocabulary, words in (
        ("languages", LANGUAGES, provider.languages),
        ("payment", PAYMENT, provider.payment),
        ("programs_for", POPULATIONS, provider.populations),
        ("accessibility", ACCESSIBILITY, provider.accessibility),
    ):
        if words:
            serve.append(_labelled(s[key], vocabulary, words, lang))
    return [
        f'<h2 id="who" data-pagefind-ignore>{esc(s["who"])}</h2>',
        "<ul>" + "".join(serve) + "</ul>" if serve else f"<p>{esc(s['who_missing'])}</p>",
    ]


def _foot(
    edit_url: str | None,
    place: tuple[str, str, str] | None,
    link: Callable[[str], str],
    lang: Language,
) -> str:
    """Edit link, back to the directory, more in the same city."""
    s = strings_for(lang)
    foot: list[str] = []
    if edit_url:
        foot.append(f'<a href="{attr(edit_url)}" rel="nofollow noopener">{esc(s["edit"])}</a>')
    foot.append(f'<a href="{attr(link(lang_path("directory/index.md", lang)))}">{esc(s["all_providers"])}</a>')
    if place is not None:
        place_path, anchor, label = place
        more = s["more_in"].format(place=label)
        foot.append(f'<a href="{attr(link(place_path) + "#" + anchor)}">{esc(more)}</a>')
    return '<p class="dk-foot" data-pagefind-ignore>' + " · ".join(foot) + "</p>"


def _edit_url(edit_url_base: str | None, source_path: str | None) -> str | None:
    if not (edit_url_base and source_path):
        return None
    return safe_url(edit_url_base.rstrip("/") + "/" + quote(source_path))


def render_provider_page(
    provider: Provider,
    *,
    as_of: dt.date,
    edit_url_base: str | None = None,
    source_path: str | None = None,
    use_directory_urls: bool = True,
    place: tuple[str, str, str] | None = None,
    lang: Language = "en",
) -> GeneratedFile:
    """Render ``providers/<slug>.md`` (or ``es/providers/<slug>.md``) for one provider.

    Args:
        provider: the provider.
        as_of: today's date for the staleness badge (the generator's caller reads the clock).
        edit_url_base: where "edit this provider" points, e.g.
            ``https://example.org/repo/edit/main/``; the link is that plus ``source_path``.
        source_path: the provider's YAML path relative to the repository root.
        use_directory_urls: MkDocs' setting, for the links this page computes itself.
        place: ``(browse page, anchor, label)`` of the provider's city on the place pages
            of the same language.
        lang: ``"en"``, or ``"es"`` for the Spanish directory.
    """
    path = provider_path(provider.slug, lang)

    def link(target: str) -> str:
        return rel_url(target, path, use_directory_urls=use_directory_urls)

    out: list[str] = [
        front_matter(provider.name, search={"exclude": True}, description=_summary(provider, lang)),
        language_switch(path, use_directory_urls=use_directory_urls),
        '<article class="dk-provider" data-pagefind-body>',
        *_lead(provider, as_of, lang),
        *_intake(provider, lang),
        *_offers(provider, lang),
        *_hours(provider, lang),
        *_contact(provider, lang),
        *_who(provider, lang),
        _foot(_edit_url(edit_url_base, source_path), place, link, lang),
    ]
    # The index shard holding this provider's row: the directory's national name search
    # reads it from Pagefind's result to load that one shard.
    shard = f'<span data-pagefind-meta="shard">{esc(shard_key(provider))}</span>'
    out.append("<div hidden>" + _filters(provider, lang) + shard + "</div>")
    out.append("</article>")
    return GeneratedFile(path, "\n".join(out) + "\n")


def _summary(provider: Provider, lang: Language = "en") -> str:
    """One line for the meta description, HTML-escaped: Material prints it raw in an attribute."""
    address = provider.location.address
    if address is None:
        return esc(provider.name)
    place = f"{address.city}, {address.state}"
    return esc(strings_for(lang)["summary"].format(name=provider.name, place=place))
