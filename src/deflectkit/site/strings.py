"""Every sentence the directory and its cards show, in one table per language.

The page generator reads them here and the browser script reads the same table, written
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
    }
)


#: The same sentences in US Spanish, key for key, for the pages a person reads (plain,
#: person-first words, as docs/playbook/stigma.md asks; "usted" throughout).
STRINGS_ES = MappingProxyType(
    {
        # Cards and provider pages
        "call": "Llamar al {phone}",
        "directions": "Cómo llegar",
        "dropoff": "Recibe a personas que trae la policía",
        "handoff": "Entrega en unos {minutes} min",
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
        "weekdays": "lun,mar,mié,jue,vie,sáb,dom",
        # Directory home
        "search_label": "Buscar por nombre, servicio o ciudad",
        "search_hint": "También sirven nombres de marca, como Suboxone o Narcan.",
        "need": "Necesidad",
        "any_need": "Cualquier necesidad",
        "zip": "Cerca del código postal",
        "use_location": "Usar mi ubicación",
        "location_note": "Su ubicación se queda en este teléfono.",
        "locating": "Buscando su ubicación…",
        "located": "Usando su ubicación (se queda en este teléfono).",
        "location_denied": "La ubicación está apagada o no tiene permiso. Escriba un código postal.",
        "location_unavailable": "Este navegador no puede compartir la ubicación. Escriba un código postal.",
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
        "load_failed": "No se pudo cargar el directorio. Use las páginas de abajo.",
        "show_more": "Mostrar más",
        "skip_results": "Ir a los resultados",
        "no_match": "Ningún proveedor coincide. Quite un filtro o llame al 988 para que le ayuden a encontrar atención.",
        "state": "Estado",
        "any_state": "Elija un estado",
        "age": "Edad de la persona",
        "age_bad": "Escriba una edad en años, de 0 a 120.",
        "search_directory": "Buscar proveedores con «{q}» →",
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


def strings_script(lang: Language = "en") -> str:
    """The table as a script that sets ``window.deflectkitStrings`` (read by deflectkit.js)."""
    table = dict(strings_for(lang))
    return "window.deflectkitStrings = " + json.dumps(table, ensure_ascii=False) + ";\n"
