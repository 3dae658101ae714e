"""deflectkit: open, tested rules and data for first-responder deflection programs.

The public API (docs/design/contracts.md#python-api), importable as
``import deflectkit as dk``. Importing the
package loads nothing: each name is imported on first use, so a records system that only
calls ``dk.assess`` never pays for the site or the importers.

Example:
    >>> import deflectkit as dk
    >>> "assess" in dir(dk)
    True
"""

from __future__ import annotations

import importlib
import warnings
from typing import TYPE_CHECKING, Any

__all__ = [
    "MODEL_POLICY",
    "MODEL_POLICY_TESTS",
    "SAMPLE_PROVIDERS",
    "SCHEMAS",
    "Case",
    "CaseEvent",
    "Consent",
    "ConsentError",
    "ContactPermission",
    "DataError",
    "Decision",
    "DeflectkitError",
    "Directory",
    "Event",
    "EventLogError",
    "FollowUpPlan",
    "Impact",
    "Match",
    "Measures",
    "Person",
    "Policy",
    "PolicyError",
    "PolicyNotInEffect",
    "Problem",
    "Provider",
    "Query",
    "Referral",
    "Weights",
    "__version__",
    "assess",
    "check_files",
    "from_json",
    "impact",
    "label",
    "load_directory",
    "load_policy",
    "match",
    "measures",
    "new_referral_id",
    "open_case",
    "parse_facts",
    "read_events",
    "to_json",
    "unstructure",
]

#: Old names still answered, for one minor version (docs/guide/versioning.md): each warns
#: with a ``DeprecationWarning`` naming its replacement and the release that removes it.
_DEPRECATED: dict[str, tuple[str, str]] = {
    "validate": ("check_files", "0.3"),
}

# Where each public name lives (``module:attribute`` when the attribute has another
# name). The pure core is under ``core``; files under ``files``; ``api`` passes the core
# what it may not fetch itself (the shipped ZIP table, random referral ids).
_LOCATIONS: dict[str, str] = {
    "Case": "deflectkit.core.followup",
    "CaseEvent": "deflectkit.core.followup",
    "FollowUpPlan": "deflectkit.core.followup_plan",
    "open_case": "deflectkit.api",
    "new_referral_id": "deflectkit.api",
    "Consent": "deflectkit.core.referral",
    "ContactPermission": "deflectkit.core.referral",
    "Referral": "deflectkit.core.referral",
    "Person": "deflectkit.core.referral",
    "Event": "deflectkit.core.events",
    "Decision": "deflectkit.core.policy.decision",
    "assess": "deflectkit.core.policy.evaluate",
    "parse_facts": "deflectkit.core.policy.forms",
    "Policy": "deflectkit.core.policy.model",
    "Directory": "deflectkit.core.directory",
    "Provider": "deflectkit.core.providers",
    "Match": "deflectkit.core.matching",
    "Query": "deflectkit.core.constraints",
    "Weights": "deflectkit.core.ranking",
    "match": "deflectkit.api",
    "Measures": "deflectkit.core.measures",
    "Impact": "deflectkit.core.impact",
    "impact": "deflectkit.core.impact",
    "measures": "deflectkit.core.measures",
    "ConsentError": "deflectkit.errors",
    "DataError": "deflectkit.errors",
    "DeflectkitError": "deflectkit.errors",
    "EventLogError": "deflectkit.errors",
    "PolicyError": "deflectkit.errors",
    "PolicyNotInEffect": "deflectkit.errors",
    "Problem": "deflectkit.errors",
    "load_directory": "deflectkit.files.providers",
    "check_files": "deflectkit.files.validation:validate",
    "label": "deflectkit.labels",
    "load_policy": "deflectkit.files.policy",
    "read_events": "deflectkit.files.events",
    "to_json": "deflectkit.convert",
    "from_json": "deflectkit.convert",
    "unstructure": "deflectkit.convert",
    # Data shipped in the wheel, as paths the loaders above take.
    "MODEL_POLICY": "deflectkit.bundled",
    "MODEL_POLICY_TESTS": "deflectkit.bundled",
    "SAMPLE_PROVIDERS": "deflectkit.bundled",
    "SCHEMAS": "deflectkit.bundled",
}

if TYPE_CHECKING:
    # At run time `match` and `open_case` are deflectkit.api's wrappers, which only fill in
    # the ZIP table and the id source; they have the core functions' signatures and
    # docstrings, so type checkers and the API reference read those.
    from deflectkit.api import new_referral_id
    from deflectkit.bundled import MODEL_POLICY, MODEL_POLICY_TESTS, SAMPLE_PROVIDERS, SCHEMAS
    from deflectkit.convert import from_json, to_json, unstructure
    from deflectkit.core.constraints import Query
    from deflectkit.core.directory import Directory
    from deflectkit.core.events import Event
    from deflectkit.core.followup import Case, CaseEvent, open_case
    from deflectkit.core.followup_plan import FollowUpPlan
    from deflectkit.core.impact import Impact, impact
    from deflectkit.core.matching import Match, match
    from deflectkit.core.measures import Measures, measures
    from deflectkit.core.policy.decision import Decision
    from deflectkit.core.policy.evaluate import assess
    from deflectkit.core.policy.forms import parse_facts
    from deflectkit.core.policy.model import Policy
    from deflectkit.core.providers import Provider
    from deflectkit.core.ranking import Weights
    from deflectkit.core.referral import Consent, ContactPermission, Person, Referral
    from deflectkit.errors import (
        ConsentError,
        DataError,
        DeflectkitError,
        EventLogError,
        PolicyError,
        PolicyNotInEffect,
        Problem,
    )
    from deflectkit.files.events import read_events
    from deflectkit.files.policy import load_policy
    from deflectkit.files.providers import load_directory
    from deflectkit.files.validation import validate as check_files
    from deflectkit.labels import label

    __version__: str


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import version

        return version("deflectkit")
    if name in _DEPRECATED:
        new, removed_in = _DEPRECATED[name]
        msg = (f"deflectkit.{name} is deprecated; use deflectkit.{new} (the same function),"
               f" {name} is removed in {removed_in}")
        warnings.warn(msg, DeprecationWarning, stacklevel=2)
        return __getattr__(new)  # not cached: every use warns
    where = _LOCATIONS.get(name)
    if where is None:
        msg = f"module 'deflectkit' has no attribute {name!r}"
        raise AttributeError(msg)
    module, _, attribute = where.partition(":")
    value = getattr(importlib.import_module(module), attribute or name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
