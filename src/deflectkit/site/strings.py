"""Every sentence the directory and its cards show, in one table per language.

The page generator reads them here and the browser script reads the same tables, written
at the top of ``assets/deflectkit/deflectkit.js`` at build time. :data:`STRINGS` is US
English; :data:`STRINGS_ES` is the Spanish table, key for key, for the ``/es/`` directory
(a test fails when a key or a ``{name}`` mark is missing from it). ``{name}`` marks are filled in by the
caller (``str.format`` in Python, a plain replace in the script).

Example:
    >>> STRINGS["call"].format(phone="520-555-0100")
    'Call 520-555-0100'
"""

# Sentences read better whole than split mid-phrase.
# ruff: noqa: E501

from __future__ import annotations

import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from deflectkit.vocabulary import Language

__all__ = ["STRINGS", "STRINGS_ES", "strings_for", "strings_script"]

STRINGS = MappingProxyType(
    {
        # Cards and provider pages
        "call": "Call {phone}",
        "directions": "Directions",
        "dropoff": "Police drop-off",
        "handoff": "Hand-off about {minutes} min",
        "walk_in": "Walk-in",
        "open_24_7": "Open 24/7",
        "call_for_hours": "Call for hours",
        "open_until": "Open until {time}",
        "open_now": "Open now",
        "closed_now": "Closed now",
        "opens": "Opens {time}",
        "opens_tomorrow": "Opens tomorrow {time}",
        "opens_day": "Opens {day} {time}",
        "miles": "{miles} mi",
        "weekdays": "Mon,Tue,Wed,Thu,Fri,Sat,Sun",
        # Directory home
        "search_label": "Search by name, service or city",
        "search_hint": "Brand names work too, such as Suboxone or Narcan.",
        "need": "Need",
        "any_need": "Any need",
        "zip": "Near ZIP code",
        "use_location": "Use my location",
        "location_note": "Your location stays on this phone.",
        "locating": "Finding your location…",
        "located": "Using your location (it stays on this phone).",
        "location_denied": "Location is off or not allowed. Enter a ZIP code instead.",
        "location_unavailable": "This browser cannot share a location. Enter a ZIP code instead.",
        "location_failed": "Your location could not be found (no signal?). Enter a ZIP code instead.",
        "zip_short": "A ZIP code has 5 digits.",
        "zip_unknown": "ZIP {zip} is not in this directory's area.",
        "zip_loading": "Loading ZIP codes…",
        "radius_needs_place": "Enter a ZIP code or use your location to limit the distance.",
        "within": "Within",
        "any_distance": "Any distance",
        "radius_miles": "{miles} miles",
        "more_filters": "More filters",
        "clear": "Clear filters",
        "count_all": "All providers ({total})",
        "count_some": "{found} of {total} providers match",
        "count_pick_place": "Choose a state, enter a ZIP code or use your location to list providers.",
        "loading": "Loading providers…",
        "load_failed": "Could not load the directory. Use the browse pages below.",
        "show_more": "Show more",
        "skip_results": "Skip to results",
        "no_match": "No provider matches. Remove a filter, or call 988 for help finding care.",
        "state": "State",
        "any_state": "Choose a state",
        "age": "Person's age",
        "age_bad": "Enter an age in years, 0 to 120.",
        "search_directory": "Search providers for “{q}” →",
        "search_site": "Search this site",
        "directory_title": "Provider directory",
        "home_description": "Treatment and support providers near you: open now, walk-in, police drop-off, by ZIP code.",
        "sample_home": "Sample data. These providers are fictional: do not refer anyone to them.",
        "crisis_danger": "Danger now? Call {call911}.",
        "crisis_line": "Mental-health or substance-use crisis: call or text {call988}, any time.",
        "language_switch": "Language",
        "filters_label": "Filter providers",
        "results_label": "Providers",
        "care": "Type of care",
        "any_care": "Any type of care",
        "med": "Medication",
        "any_med": "Any or none",
        "pay": "Payment",
        "any_pay": "Any payment",
        "lang": "Language",
        "any_lang": "Any language",
        "pop": "Programs for",
        "any_pop": "Anyone",
        "noscript": "Filtering needs JavaScript. Every provider is listed in the browse pages below.",
        # Browse pages
        "browse_need": "Browse by need",
        "browse_place": "Browse by place",
        "no_address": "No address",
        "no_city": "No city",
        "pages": "Pages",
        "providers_in": "Providers in {place}",
        "providers_no_address": "Providers without an address",
        "providers_for": "Providers for {need}",
        "page_of": "{title} (page {page} of {pages})",
        "all_providers_filters": "All providers and filters",
        "listed_here": "{count} listed here",
        # Provider pages
        "never_verified": "Never verified — call to confirm",
        "verified_old": "Last verified {date} — over a year ago, call to confirm",
        "verified_aging": "Last verified {date} — over six months ago",
        "verified": "Last verified {date}",
        "sample_provider": "Sample data. This provider is fictional, for demonstration only. Do not refer anyone here.",
        "closed": "Closed",
        "call_for_hours_long": "Call for hours.",
        "always_open": "Open 24 hours, 7 days a week.",
        "yes": "Yes",
        "no": "No",
        "dropoff_label": "Police drop-off",
        "dropoff_yes": "Yes — officers may bring people here.",
        "call_ahead": "Call ahead",
        "handoff_label": "Typical hand-off",
        "minutes": "{minutes} minutes",
        "walk_in_label": "Walk-in",
        "instructions": "Instructions",
        "for_officers": "For officers: intake",
        "offers": "What they offer",
        "offers_missing": "Services not listed — call to ask.",
        "medications": "Medications",
        "otp": "{medications} (Opioid Treatment Program)",
        "substances": "Substances treated",
        "asam": "ASAM levels of care",
        "hours": "Hours",
        "hours_opening": "Opening hours (local time)",
        "hours_intake": "Intake hours (local time)",
        "hours_local": "Hours (local time)",
        "time_zone": "Time zone: {zone}",
        "website": "Website",
        "map": "Map (OpenStreetMap)",
        "contact": "Contact and address",
        "no_contact": "No contact listed.",
        "ages_range": "{min} to {max}",
        "ages_min": "{min} and older",
        "ages_max": "up to {max}",
        "ages": "Ages",
        "languages": "Languages",
        "payment": "Payment",
        "programs_for": "Programs for",
        "accessibility": "Accessibility",
        "who": "Who they serve",
        "who_missing": "Not stated — call to ask.",
        "edit": "Edit this provider",
        "all_providers": "All providers",
        "more_in": "More in {place}",
        "summary": "{name} in {place}",
    }
)


#: The same sentences in US Spanish, key for key, for the pages a person reads (plain,
#: person-first words, as docs/playbook/stigma.md asks; "usted" throughout).
STRINGS_ES = MappingProxyType(
    {
        # Cards and provider pages
        "call": "Llamar al {phone}",
        "directions": "Cómo llegar",
        "dropoff": "Traslado policial",
        "handoff": "Reciben a la persona en unos {minutes} min",
        "walk_in": "Sin cita",
        "open_24_7": "Abierto 24/7",
        "call_for_hours": "Llame para saber el horario",
        "open_until": "Abierto hasta las {time}",
        "open_now": "Abierto ahora",
        "closed_now": "Cerrado ahora",
        "opens": "Abre a las {time}",
        "opens_tomorrow": "Abre mañana a las {time}",
        "opens_day": "Abre el {day} a las {time}",
        "miles": "{miles} mi",
        "weekdays": "lunes,martes,miércoles,jueves,viernes,sábado,domingo",
        # Directory home
        "search_label": "Buscar por nombre, servicio o ciudad",
        "search_hint": "También sirven nombres de marca, como Suboxone o Narcan.",
        "need": "Necesidad",
        "any_need": "Cualquier necesidad",
        "zip": "Cerca del código postal",
        "use_location": "Usar mi ubicación",
        "location_note": "Su ubicación se queda en este teléfono.",
        "locating": "Buscando su ubicación…",
        "located": "Usando su ubicación (queda en este teléfono).",
        "location_denied": "La ubicación está apagada o no tiene permiso. Escriba un código postal.",
        "location_unavailable": "Este navegador no puede compartir la ubicación. Escriba un código postal.",
        "location_failed": "No se pudo encontrar su ubicación (¿sin señal?). Escriba un código postal.",
        "zip_short": "Un código postal tiene 5 dígitos.",
        "zip_unknown": "El código postal {zip} no está en el área de este directorio.",
        "zip_loading": "Cargando códigos postales…",
        "radius_needs_place": "Escriba un código postal o use su ubicación para limitar la distancia.",
        "within": "A menos de",
        "any_distance": "Cualquier distancia",
        "radius_miles": "{miles} millas",
        "more_filters": "Más filtros",
        "clear": "Quitar filtros",
        "count_all": "Todos los proveedores ({total})",
        "count_some": "{found} de {total} proveedores coinciden",
        "count_pick_place": "Elija un estado, escriba un código postal o use su ubicación para ver proveedores.",
        "loading": "Cargando proveedores…",
        "load_failed": "No se pudo cargar el directorio. Use las listas de abajo.",
        "show_more": "Mostrar más",
        "skip_results": "Ir a los resultados",
        "no_match": "Ningún proveedor coincide. Quite un filtro o llame al 988 para que le ayuden a encontrar atención.",
        "state": "Estado",
        "any_state": "Elija un estado",
        "age": "Edad de la persona",
        "age_bad": "Escriba una edad en años, de 0 a 120.",
        "search_directory": "Buscar “{q}” en el directorio →",
        "search_site": "Buscar en este sitio",
        "directory_title": "Directorio de proveedores",
        "home_description": "Proveedores de tratamiento y apoyo cerca de usted: abiertos ahora, sin cita, que reciben traslados de la policía, por código postal.",
        "sample_home": "Datos de ejemplo. Estos proveedores son ficticios: no envíe a nadie a estos lugares.",
        "crisis_danger": "¿En peligro? Llame al {call911}.",
        "crisis_line": "Crisis de salud mental o consumo: llame o envíe un texto al {call988}.",
        "language_switch": "Idioma",
        "filters_label": "Filtrar proveedores",
        "results_label": "Proveedores",
        "care": "Tipo de atención",
        "any_care": "Cualquier tipo de atención",
        "med": "Medicamento",
        "any_med": "Cualquiera o ninguno",
        "pay": "Forma de pago",
        "any_pay": "Cualquier forma de pago",
        "lang": "Idioma",
        "any_lang": "Cualquier idioma",
        "pop": "Programas para",
        "any_pop": "Cualquier persona",
        "noscript": "Para filtrar se necesita JavaScript. Todos los proveedores están en las listas de abajo.",
        # Browse pages
        "browse_need": "Ver por necesidad",
        "browse_place": "Ver por lugar",
        "no_address": "Sin dirección",
        "no_city": "Sin ciudad",
        "pages": "Páginas",
        "providers_in": "Proveedores en {place}",
        "providers_no_address": "Proveedores sin dirección",
        "providers_for": "Proveedores para: {need}",
        "page_of": "{title} (página {page} de {pages})",
        "all_providers_filters": "Todos los proveedores y filtros",
        "listed_here": "{count} en esta página",
        # Provider pages
        "never_verified": "Nunca verificado: llame para confirmar",
        "verified_old": "Verificado por última vez el {date}, hace más de un año: llame para confirmar",
        "verified_aging": "Verificado por última vez el {date}, hace más de seis meses",
        "verified": "Verificado por última vez el {date}",
        "sample_provider": "Datos de ejemplo. Este proveedor es ficticio, solo para demostración. No envíe a nadie aquí.",
        "closed": "Cerrado",
        "call_for_hours_long": "Llame para saber el horario.",
        "always_open": "Abierto las 24 horas, los 7 días de la semana.",
        "yes": "Sí",
        "no": "No",
        "dropoff_label": "Recibe traslados de la policía",
        "dropoff_yes": "Sí. La policía puede traer a personas aquí.",
        "call_ahead": "Llamar antes",
        "handoff_label": "Tiempo habitual para que reciban a la persona",
        "minutes": "{minutes} minutos",
        "walk_in_label": "Sin cita",
        "instructions": "Indicaciones",
        "for_officers": "Para agentes: admisión",
        "offers": "Qué ofrecen",
        "offers_missing": "No se indican los servicios: llame para preguntar.",
        "medications": "Medicamentos",
        "otp": "{medications} (Programa de Tratamiento de Opioides)",
        "substances": "Sustancias que atienden",
        "asam": "Niveles de atención ASAM",
        "hours": "Horario",
        "hours_opening": "Horario de atención (hora local)",
        "hours_intake": "Horario de admisión (hora local)",
        "hours_local": "Horario (hora local)",
        "time_zone": "Zona horaria: {zone}",
        "website": "Sitio web",
        "map": "Mapa (OpenStreetMap)",
        "contact": "Contacto y dirección",
        "no_contact": "No hay datos de contacto.",
        "ages_range": "de {min} a {max} años",
        "ages_min": "{min} años o más",
        "ages_max": "hasta {max} años",
        "ages": "Edades",
        "languages": "Idiomas",
        "payment": "Formas de pago",
        "programs_for": "Programas para",
        "accessibility": "Accesibilidad",
        "who": "A quién atienden",
        "who_missing": "No se indica: llame para preguntar.",
        "edit": "Editar este proveedor",
        "all_providers": "Todos los proveedores",
        "more_in": "Más en {place}",
        "summary": "{name} en {place}",
    }
)

#: Each table by language.
_TABLES: Final[Mapping[Language, Mapping[str, str]]] = {"en": STRINGS, "es": STRINGS_ES}


def strings_for(lang: Language = "en") -> Mapping[str, str]:
    """The sentence table of ``lang`` (``"en"`` or ``"es"``).

    Example:
        >>> strings_for("es")["call"].format(phone="520-555-0100")
        'Llamar al 520-555-0100'
    """
    return _TABLES[lang]


def strings_script() -> str:
    """Both tables as a script that sets ``window.deflectkitStrings`` (read by deflectkit.js).

    The script picks the table of the page's ``<html lang>``: one cached file serves the
    English and the Spanish pages.
    """
    tables = {lang: dict(table) for lang, table in _TABLES.items()}
    return "window.deflectkitStrings = " + json.dumps(tables, ensure_ascii=False) + ";\n"
