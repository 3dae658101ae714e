"""Warnings for an address whose ZIP code is in another state, or whose state is no state.

``postal_code: '02139'`` (Cambridge, Massachusetts) with ``state: AZ`` reads as a fine
address field by field, and so does ``state: ZZ``; either puts a provider in the wrong place
on the map or in the state filter. Both are warnings, never errors: a ZIP code can be
right where the table is not (a new ZIP, a prefix that crosses a state line), and a person
should look rather than be stopped. The ZIP's state comes from its first three digits
(:mod:`deflectkit.files.zip_prefix_states`), a dict look-up, so 30,000 providers cost
nothing noticeable.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from deflectkit.errors import Problem
from deflectkit.files.provider_fields import STATE_CODES
from deflectkit.files.yamlio import YamlDocument
from deflectkit.files.zip_prefix_states import ZIP_PREFIX_STATES
from deflectkit.hints import hinted

__all__ = ["postal_state_problems"]

_ZIP: Final = re.compile(r"\s*([0-9]{5})(?:-[0-9]{4})?\s*")
_CODE: Final = re.compile(r"\s*([A-Z]{2})\s*")
_WHERE: Final = ("location", "address")


def postal_state_problems(doc: YamlDocument) -> list[Problem]:
    """A warning for a state code USPS does not have, or a ZIP code of another state.

    Other shapes (no address, a state written out, a ZIP without five digits) are the
    field checks' to report, as errors; this looks only at well-formed values.
    """
    location = doc.value.get("location") if isinstance(doc.value, Mapping) else None
    address = location.get("address") if isinstance(location, Mapping) else None
    if not isinstance(address, Mapping):
        return []
    state = address.get("state")
    code = _CODE.fullmatch(state) if isinstance(state, str) else None
    if code is None:
        return []
    given = code.group(1)
    if given not in STATE_CODES:
        # No "did you mean": every two-letter code is one letter from dozens of others.
        message = (f"{given!r} is not a USPS state code: write the state's two-letter code,"
                   " such as 'AZ'")
        return [doc.problem((*_WHERE, "state"), hinted(message, value=given),
                            severity="warning")]
    postal = address.get("postal_code")
    zip5 = _ZIP.fullmatch(postal) if isinstance(postal, str) else None
    if zip5 is None:
        return []
    states = ZIP_PREFIX_STATES.get(zip5.group(1)[:3], ())
    if not states or given in states:
        return []
    message = (f"ZIP code {zip5.group(0).strip()!r} is in {' or '.join(states)}, not {given}:"
               " check the ZIP code and the state")
    return [doc.problem((*_WHERE, "postal_code"), hinted(message, allowed=states),
                        severity="warning")]
