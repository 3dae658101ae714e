"""The leave-behind card: one printed sheet an officer hands the *person*, English and Spanish.

The officer's pocket card (:mod:`deflectkit.site.pocket_card`) is for the officer; this card
is for the person who was offered a referral, to keep. One side is in English and the other
in Spanish (print double-sided); each side says, in plain words, what a deflection referral
is and what happens next, lists the places open around the clock that take walk-ins, gives
988 and 911, and a line for free naloxone. It is rebuilt with the site from the same provider
data, so it never lists a place the directory no longer has.

The words follow the playbook's stigma guide (docs/playbook/stigma.md) in both languages:
person-first, no labels, the offer is a choice. Facts it states, with their sources:

* 988 answers calls and texts day and night; callers press 2 for Spanish and texters send
  AYUDA (https://988lifeline.org/get-help/what-to-expect).
* Narcan nasal spray is sold without a prescription (FDA approval of over-the-counter
  naloxone, 2023-03-29: https://www.fda.gov/news-events/press-announcements/fda-approves-first-over-counter-naloxone-nasal-spray).

Every string from data (provider names, addresses, the program contact) goes through
:func:`html.escape`; provider names come from strangers. Phone links are built only from
E.164 numbers the provider loader has already checked.

Example:
    >>> import datetime as dt
    >>> from deflectkit.core.directory import Directory
    >>> card = render_leave_behind(Directory(()), today=dt.date(2026, 12, 1))
    >>> card.path, 'lang="es"' in card.content
    ('playbook/leave-behind-card.md', True)
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Final

from deflectkit.site.output import GeneratedFile
from deflectkit.vocabulary import LABEL_LANGUAGES, Language

if TYPE_CHECKING:
    from deflectkit.core.directory import Directory
    from deflectkit.core.providers import Phone, Provider

__all__ = [
    "LEAVE_BEHIND_PATH",
    "MAX_PLACES",
    "TEXT",
    "long_date",
    "naloxone_provider",
    "render_leave_behind",
    "walk_in_places",
]

#: Where the card lands, relative to the generated docs folder (beside the pocket card).
LEAVE_BEHIND_PATH: Final = "playbook/leave-behind-card.md"
#: At most this many walk-in places on a side: more would not fit one sheet, and a national
#: directory has hundreds; the card then points to the online directory for the rest.
MAX_PLACES: Final = 5

_E164: Final = re.compile(r"\+[1-9][0-9]{6,14}")

#: Every sentence of the card, by key, in each language. ``{name}`` marks are filled in.
TEXT: Final[Mapping[Language, Mapping[str, str]]] = {
    "en": {
        "side": "English",
        "title": "Help is here when you want it",
        "what": (
            "A police officer or firefighter offered to connect you with treatment or support "
            "for substance use or mental health. This is called a <strong>deflection "
            "referral</strong>. It is your choice, and asking for help is free."
        ),
        "next": "What happens next",
        "step_visit": (
            "Someone from the program may call or visit to see how you are doing. You can say "
            "no at any time."
        ),
        "step_go": "You can go to a place below on your own, at any hour, or call first.",
        "step_first": (
            "At the first visit, staff ask a few questions to find care that fits you. Bring "
            "an ID or insurance card if you have one; go even if you do not."
        ),
        "step_later": (
            "If you change your mind later, the offer still stands. Call or walk in whenever "
            "you are ready."
        ),
        "places": "Open 24/7: walk in any time",
        "no_places": (
            "No place in this directory is open around the clock for walk-ins. Call 988 and "
            "they will help you find care."
        ),
        "more_places": "More places, with hours and maps, are in the online directory.",
        "spanish_spoken": "",
        "address_missing": "Address not listed",
        "sample": "(sample data)",
        "crisis": "In a crisis",
        "lifeline": (
            'Call or text <a href="tel:988"><strong>988</strong></a> (Suicide &amp; Crisis '
            "Lifeline), day or night."
        ),
        "emergency": 'In an emergency, call <a href="tel:911"><strong>911</strong></a>.',
        "naloxone": "Naloxone (Narcan) reverses an opioid overdose",
        "naloxone_free": "Free naloxone: {name}, {phone}.",
        "naloxone_none": "Ask any treatment place above for free naloxone.",
        "naloxone_pharmacy": "Pharmacies also sell Narcan nasal spray without a prescription.",
        "contact": "Program contact: {contact}",
        "as_of": "Information as of {date}.",
        "months": (
            "January,February,March,April,May,June,July,August,September,October,November,"
            "December"
        ),
        "date": "{month} {day}, {year}",
    },
    "es": {
        "side": "Español",
        "title": "Hay ayuda cuando usted la quiera",
        "what": (
            "Un agente de policía o de bomberos le ofreció ponerle en contacto con tratamiento "
            "o apoyo para el consumo de sustancias o la salud mental. Esto se llama un "
            "<strong>referido de desvío a tratamiento</strong> (en inglés, <em lang=\"en\">"
            "deflection referral</em>). Usted decide. Pedir ayuda es gratis."
        ),
        "next": "¿Qué pasa ahora?",
        "step_visit": (
            "Es posible que alguien del programa le llame o le visite para saber cómo está. "
            "Puede decir que no en cualquier momento."
        ),
        "step_go": (
            "Puede ir por su cuenta a uno de los lugares de abajo, a cualquier hora, o llamar "
            "antes."
        ),
        "step_first": (
            "En la primera visita, el personal le hará unas preguntas para encontrar la "
            "atención adecuada para usted. Si tiene una identificación o una tarjeta de seguro "
            "médico, llévela; si no, vaya de todos modos."
        ),
        "step_later": (
            "Si cambia de opinión más tarde, la oferta sigue en pie. Llame o vaya sin cita "
            "cuando usted quiera."
        ),
        "places": "Abiertos 24/7: puede llegar sin cita",
        "no_places": (
            "Ningún lugar de este directorio está abierto las 24 horas para llegar sin cita. "
            "Llame al 988 y le ayudarán a encontrar atención."
        ),
        "more_places": "Hay más lugares, con horarios y mapas, en el directorio en línea.",
        "spanish_spoken": "Se habla español",
        "address_missing": "Dirección no disponible",
        "sample": "(datos de ejemplo)",
        "crisis": "En una crisis",
        "lifeline": (
            'Llame o envíe un mensaje de texto al <a href="tel:988"><strong>988</strong></a> '
            "(Línea de Prevención del Suicidio y Crisis), de día o de noche. Para español, "
            "marque 2 al llamar o envíe la palabra AYUDA por mensaje de texto."
        ),
        "emergency": 'En una emergencia, llame al <a href="tel:911"><strong>911</strong></a>.',
        "naloxone": "La naloxona (Narcan) revierte una sobredosis de opioides",
        "naloxone_free": "Naloxona gratis: {name}, {phone}.",
        "naloxone_none": "Pida naloxona gratis en cualquiera de los lugares de arriba.",
        "naloxone_pharmacy": "Las farmacias también venden Narcan en aerosol nasal sin receta.",
        "contact": "Contacto del programa: {contact}",
        "as_of": "Información actualizada al {date}.",
        "months": (
            "enero,febrero,marzo,abril,mayo,junio,julio,agosto,septiembre,octubre,noviembre,"
            "diciembre"
        ),
        "date": "{day} de {month} de {year}",
    },
}

#: Print: one side per Letter page, the site's header, menus and footer hidden, black on
#: white whatever the screen's palette. Inline, so the card prints right on any site that
#: uses the generator, with or without the playbook's print stylesheet.
_STYLE: Final = """<style>
.dk-leave-behind .dk-lb-side { border: 1px solid var(--md-default-fg-color--lighter);
  border-radius: 4px; padding: 0.6rem 1rem; margin: 0 0 1.2rem; }
.dk-leave-behind .dk-lb-side h2 { margin-top: 0.2rem; }
.dk-leave-behind .dk-lb-tag { font-size: 0.7rem; text-transform: uppercase;
  letter-spacing: 0.05em; margin: 0; }
.dk-leave-behind .dk-lb-places li { margin-bottom: 0.3rem; }
.dk-leave-behind a[href^="tel:"] { white-space: nowrap; }
@page { size: letter; margin: 0.5in; }
@media print {
  .md-header, .md-tabs, .md-sidebar, .md-footer, .md-top, .md-banner, .md-source,
  .md-content__button, .headerlink, .dk-no-print, .md-typeset > h1 { display: none !important; }
  .md-main__inner, .md-content, .md-content__inner, .md-grid { margin: 0 !important;
    padding: 0 !important; max-width: none !important; }
  .md-typeset { font-size: 10.5pt; line-height: 1.25; color: #000; }
  .md-typeset a { color: #000; }
  .dk-leave-behind .dk-lb-side { border: 0; padding: 0; margin: 0; break-after: page;
    break-inside: avoid; }
  .dk-leave-behind .dk-lb-side:last-child { break-after: auto; }
  .dk-leave-behind .dk-lb-side h2 { font-size: 17pt; margin: 0 0 5pt; }
  .dk-leave-behind .dk-lb-side h3 { font-size: 12.5pt; margin: 9pt 0 3pt; }
  .dk-leave-behind .dk-lb-side p, .dk-leave-behind .dk-lb-side li { margin: 3pt 0; }
  .dk-leave-behind .dk-lb-places { columns: 2; column-gap: 18pt; padding-left: 12pt; }
  .dk-leave-behind .dk-lb-places li { break-inside: avoid; margin: 0 0 5pt; }
}
</style>"""


def _e(value: object) -> str:
    """HTML-escape anything that came from data (quotes too)."""
    return html.escape(str(value), quote=True)


def walk_in_places(directory: Iterable[Provider]) -> tuple[Provider, ...]:
    """Places whose intake is open 24/7 and that take walk-ins, by name then slug."""
    found = [p for p in directory if p.intake.walk_in and p.is_24_7]
    return tuple(sorted(found, key=lambda p: (p.name.casefold(), p.slug)))


def naloxone_provider(directory: Iterable[Provider]) -> Provider | None:
    """The place to name for free naloxone: one that hands it out and has a phone.

    Harm-reduction programs first (naloxone is their work, without conditions), then places
    open around the clock, then by name, so the card is the same on every build.
    """
    found = [p for p in directory if "naloxone_distribution" in p.services and p.intake_phone]
    found.sort(
        key=lambda p: ("harm_reduction" not in p.services, not p.is_24_7, p.name.casefold())
    )
    return found[0] if found else None


def _phone_html(phone: Phone | None) -> str:
    if phone is None or _E164.fullmatch(phone.number) is None:
        return ""
    return f'<a href="tel:{_e(phone.number)}">{_e(phone.display)}</a>'


def _address(provider: Provider, words: Mapping[str, str]) -> str:
    address = provider.location.address
    if address is None:
        return _e(words["address_missing"])
    street = f"{address.street}, " if address.street else ""
    return _e(f"{street}{address.city}, {address.state} {address.postal_code}")


def _place_item(provider: Provider, lang: Language) -> str:
    words = TEXT[lang]
    name = f"<strong>{_e(provider.name)}</strong>"
    if provider.sample:
        name += f" <em>{_e(words['sample'])}</em>"
    phone = _phone_html(provider.intake_phone)
    details = [_address(provider, words), *([phone] if phone else [])]
    if words["spanish_spoken"] and "es" in provider.languages:
        details.append(_e(words["spanish_spoken"]))
    return f"<li>{name}<br>{' · '.join(details)}</li>"


def _places_html(places: Sequence[Provider], lang: Language) -> str:
    words = TEXT[lang]
    if not places:
        return f"<p>{_e(words['no_places'])}</p>"
    items = "".join(_place_item(p, lang) for p in places[:MAX_PLACES])
    more = f"<p>{_e(words['more_places'])}</p>" if len(places) > MAX_PLACES else ""
    return f'<ul class="dk-lb-places">{items}</ul>{more}'


def _naloxone_html(provider: Provider | None, lang: Language) -> str:
    words = TEXT[lang]
    if provider is None:
        line = _e(words["naloxone_none"])
    else:
        name = _e(provider.name)
        if provider.sample:
            name += f" <em>{_e(words['sample'])}</em>"
        line = words["naloxone_free"].format(name=name, phone=_phone_html(provider.intake_phone))
    return (
        f"<h3>{_e(words['naloxone'])}</h3><p>{line}</p>"
        f"<p>{_e(words['naloxone_pharmacy'])}</p>"
    )


def long_date(day: dt.date, lang: Language) -> str:
    """``day`` as its reader writes it: "December 1, 2026" or "1 de diciembre de 2026".

    Example:
        >>> long_date(dt.date(2026, 10, 20), "es")
        '20 de octubre de 2026'
    """
    words = TEXT[lang]
    month = words["months"].split(",")[day.month - 1]
    return words["date"].format(month=month, day=day.day, year=day.year)


def _side(
    lang: Language,
    places: Sequence[Provider],
    naloxone: Provider | None,
    *,
    today: dt.date,
    contact: str | None,
) -> str:
    """One printed side, in one language, marked with its ``lang``."""
    words = TEXT[lang]
    steps = "".join(
        f"<li>{_e(words[key])}</li>"
        for key in ("step_visit", "step_go", "step_first", "step_later")
    )
    contact_html = ""
    if contact:  # the agency's own line, written in English: marked so on the Spanish side
        text = _e(contact) if lang == "en" else f'<span lang="en">{_e(contact)}</span>'
        contact_html = f"<p>{_e(words['contact']).format(contact=text)}</p>"
    return (
        f'<section class="dk-lb-side" lang="{lang}">'
        f'<p class="dk-lb-tag">{_e(words["side"])}</p>'
        f"<h2>{_e(words['title'])}</h2>"
        f"<p>{words['what']}</p>"
        f"<h3>{_e(words['next'])}</h3><ol>{steps}</ol>"
        f"<h3>{_e(words['places'])}</h3>{_places_html(places, lang)}"
        f"<h3>{_e(words['crisis'])}</h3><p>{words['lifeline']}</p><p>{words['emergency']}</p>"
        f"{_naloxone_html(naloxone, lang)}"
        f"{contact_html}"
        f"<p><small>{_e(words['as_of'].format(date=long_date(today, lang)))}</small></p>"
        "</section>"
    )


def render_leave_behind(
    directory: Directory | Iterable[Provider],
    *,
    today: dt.date,
    program_contact: str | None = None,
) -> GeneratedFile:
    """Render the person's leave-behind card: English on one side, Spanish on the other.

    Args:
        directory: the providers; those open 24/7 that take walk-ins are listed (at most
            :data:`MAX_PLACES`), and one that hands out naloxone gives the naloxone line.
        today: the build day, printed as the date of the information (a parameter, never a
            clock read, so the same inputs give the same card).
        program_contact: one plain-text line naming the program's own contact (the site's
            ``agency_contact`` option), printed on both sides when given.

    Returns:
        ``GeneratedFile("playbook/leave-behind-card.md", markdown)``.
    """
    providers = list(directory)
    places = walk_in_places(providers)
    naloxone = naloxone_provider(providers)
    sides = [
        _side(lang, places, naloxone, today=today, contact=program_contact)
        for lang in LABEL_LANGUAGES
    ]
    parts = [
        "# Leave-behind card (English / Español)",
        "",
        '<p class="dk-no-print">For the person an officer refers, to keep: print this page '
        "double-sided on one sheet of Letter paper, English on the front and Spanish on the "
        "back. It is rebuilt from the directory every time the site is built.</p>",
        "",
        _STYLE,
        "",
        '<div class="dk-leave-behind">' + "".join(sides) + "</div>",
        "",
    ]
    return GeneratedFile(LEAVE_BEHIND_PATH, "\n".join(parts))
