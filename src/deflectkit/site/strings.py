"""Every sentence the directory and its cards show, in one table (US English).

The page generator reads them here and the browser script reads the same table, written
at the top of ``assets/deflectkit/deflectkit.js`` at build time; a translation (e.g. a later ``/es/``
directory) replaces this table and nothing else. ``{name}`` marks are filled in by the
caller (``str.format`` in Python, a plain replace in the script).

Example:
    >>> STRINGS["call"].format(phone="520-555-0100")
    'Call 520-555-0100'
"""

# Sentences read better whole than split mid-phrase.
# ruff: noqa: E501

from __future__ import annotations

import json
from types import MappingProxyType

__all__ = ["STRINGS", "strings_script"]

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
        "count_all": "All {total} providers",
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


def strings_script() -> str:
    """The table as a script that sets ``window.deflectkitStrings`` (read by deflectkit.js)."""
    return "window.deflectkitStrings = " + json.dumps(dict(STRINGS), ensure_ascii=False) + ";\n"
