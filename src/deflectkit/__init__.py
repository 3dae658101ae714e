"""deflectkit: open, tested rules and data for first-responder deflection programs.

The public API (DESIGN §2), importable as ``import deflectkit as dk``. Importing the
package loads nothing: each name is imported on first use, so a records system that only
calls ``dk.assess`` never pays for the site or the importers.

Example:
    >>> import deflectkit as dk
    >>> "assess" in dir(dk)
    True
"""

from __future__ import annotations

import importlib
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
    "Directory",
    "EventLogError",
    "FollowUpPlan",
    "Impact",
    "Match",
    "Measures",
    "Policy",
    "PolicyError",
    "PolicyNotInEffect",
    "Problem",
    "Provider",
    "Referral",
    "__version__",
    "assess",
    "from_json",
    "impact",
    "label",
    "load_directory",
    "load_policy",
    "match",
    "measures",
    "open_case",
    "parse_facts",
    "read_events",
    "to_json",
    "validate",
]

# Where each public name lives. The pure core is under ``core``; files under ``files``.
_LOCATIONS: dict[str, str] = {
    "Case": "deflectkit.core.followup",
    "CaseEvent": "deflectkit.core.followup",
    "FollowUpPlan": "deflectkit.core.followup_plan",
    "open_case": "deflectkit.core.followup",
    "Consent": "deflectkit.core.referral",
    "ContactPermission": "deflectkit.core.referral",
    "Referral": "deflectkit.core.referral",
    "Decision": "deflectkit.core.policy.decision",
    "assess": "deflectkit.core.policy.evaluate",
    "parse_facts": "deflectkit.core.policy.forms",
    "Policy": "deflectkit.core.policy.model",
    "Directory": "deflectkit.core.directory",
    "Provider": "deflectkit.core.providers",
    "Match": "deflectkit.core.matching",
    "match": "deflectkit.core.matching",
    "Measures": "deflectkit.core.measures",
    "Impact": "deflectkit.core.impact",
    "impact": "deflectkit.core.impact",
    "measures": "deflectkit.core.measures",
    "ConsentError": "deflectkit.errors",
    "DataError": "deflectkit.errors",
    "EventLogError": "deflectkit.errors",
    "PolicyError": "deflectkit.errors",
    "PolicyNotInEffect": "deflectkit.errors",
    "Problem": "deflectkit.errors",
    "load_directory": "deflectkit.files.providers",
    "validate": "deflectkit.files.validation",
    "label": "deflectkit.labels",
    "load_policy": "deflectkit.files.policy",
    "read_events": "deflectkit.files.events",
    "to_json": "deflectkit.convert",
    "from_json": "deflectkit.convert",
    # Data shipped in the wheel, as paths the loaders above take.
    "MODEL_POLICY": "deflectkit.bundled",
    "MODEL_POLICY_TESTS": "deflectkit.bundled",
    "SAMPLE_PROVIDERS": "deflectkit.bundled",
    "SCHEMAS": "deflectkit.bundled",
}

if TYPE_CHECKING:
    from deflectkit.bundled import MODEL_POLICY, MODEL_POLICY_TESTS, SAMPLE_PROVIDERS, SCHEMAS
    from deflectkit.convert import from_json, to_json
    from deflectkit.core.directory import Directory
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
    from deflectkit.core.referral import Consent, ContactPermission, Referral
    from deflectkit.errors import (
        ConsentError,
        DataError,
        EventLogError,
        PolicyError,
        PolicyNotInEffect,
        Problem,
    )
    from deflectkit.files.events import read_events
    from deflectkit.files.policy import load_policy
    from deflectkit.files.providers import load_directory
    from deflectkit.files.validation import validate
    from deflectkit.labels import label

    __version__: str


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import version

        return version("deflectkit")
    module = _LOCATIONS.get(name)
    if module is None:
        msg = f"module 'deflectkit' has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
