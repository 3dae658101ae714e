"""How each need a person has is served by what a provider lists: one table, read by matching.

A referral route (``decision.referral.need``) or an officer names needs with the words of
:data:`deflectkit.vocabulary.NEEDS`. A provider never lists "needs"; it lists substances it
treats, medications, services and a mental-health flag. :data:`NEED_RULES` says, for each
need word, which of those facts count: **any one** of them serves the need.

Example:
    >>> from deflectkit.core.hours import parse_hours
    >>> from deflectkit.core.providers import Location, Provider
    >>> clinic = Provider(slug="c", name="Example Clinic", location=Location("America/Phoenix"),
    ...                   medications=("buprenorphine",))
    >>> NEED_RULES["opioids"].evidence(clinic)
    'offers buprenorphine'
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

import attrs

from deflectkit.core.providers import Provider
from deflectkit.vocabulary import MEDICATIONS, MOUD, NEEDS, SERVICES, SUBSTANCES

__all__ = ["NEED_RULES", "NeedRule", "needs_served"]


@attrs.frozen
class NeedRule:
    """The provider facts that serve one need; any one of them is enough.

    Attributes:
        substances: substances treated (``SUBSTANCES`` words); ``"*"`` means any.
        medications: medications offered (``MEDICATIONS`` words); ``"*"`` means any.
        services: services offered (``SERVICES`` words).
        mental_health: the provider's ``mental_health: true`` flag serves it.
    """

    substances: frozenset[str] = frozenset()
    medications: frozenset[str] = frozenset()
    services: frozenset[str] = frozenset()
    mental_health: bool = False

    def serves(self, provider: Provider) -> bool:
        """Whether ``provider`` serves this need (the fast form of :meth:`evidence`)."""
        return (
            (self.mental_health and provider.mental_health)
            or _any(self.substances, provider.substances)
            or _any(self.medications, provider.medications)
            or _any(self.services, provider.services)
        )

    def evidence(self, provider: Provider) -> str | None:
        """Why ``provider`` serves this need (for a match reason), or ``None`` if it does not."""
        found: list[str] = []
        substances = _pick(self.substances, provider.substances)
        if substances:
            found.append("treats " + ", ".join(SUBSTANCES.label(s).lower() for s in substances))
        medications = _pick(self.medications, provider.medications)
        if medications:
            found.append("offers " + ", ".join(MEDICATIONS.label(m).lower() for m in medications))
        services = _pick(self.services, provider.services)
        if services:
            found.append(", ".join(SERVICES.label(s).lower() for s in services))
        if self.mental_health and provider.mental_health:
            found.append("mental health care")
        return "; ".join(found) if found else None


def _any(wanted: frozenset[str], listed: tuple[str, ...]) -> bool:
    return bool(listed) and ("*" in wanted or not wanted.isdisjoint(listed))


def _pick(wanted: frozenset[str], listed: tuple[str, ...]) -> list[str]:
    return [w for w in listed if "*" in wanted or w in wanted]


_ANY: Final = frozenset({"*"})

#: Need word -> the provider facts that serve it. The one place this mapping is written.
NEED_RULES: Final[Mapping[str, NeedRule]] = MappingProxyType(
    {
        # Opioid use: a provider treating opioids, or one offering any MOUD
        # (docs/design/domain.md#treatment-vocabulary).
        "opioids": NeedRule(substances=frozenset({"opioids"}), medications=MOUD),
        "stimulants": NeedRule(substances=frozenset({"stimulants"})),
        "alcohol": NeedRule(
            substances=frozenset({"alcohol"}),
            medications=frozenset({"acamprosate", "disulfiram"}),
        ),
        "cannabis": NeedRule(substances=frozenset({"cannabis"})),
        "sedatives": NeedRule(substances=frozenset({"sedatives"})),
        "substance_use": NeedRule(
            substances=_ANY,
            medications=_ANY,
            services=frozenset({"withdrawal_management", "medications"}),
        ),
        "mental_health": NeedRule(
            services=frozenset({"crisis_stabilization", "mobile_crisis", "mental_health_care"}),
            mental_health=True,
        ),
        "crisis": NeedRule(services=frozenset({"crisis_stabilization", "mobile_crisis"})),
        "withdrawal": NeedRule(services=frozenset({"withdrawal_management"})),
        "housing": NeedRule(services=frozenset({"recovery_housing", "housing_assistance"})),
        "harm_reduction": NeedRule(
            services=frozenset({"harm_reduction", "naloxone_distribution", "syringe_services"})
        ),
        "assessment": NeedRule(services=frozenset({"assessment", "crisis_stabilization"})),
    }
)

# Every need word has a rule, and every rule names words that exist: checked on import so a
# vocabulary change cannot silently leave a need unservable.
if set(NEED_RULES) != set(NEEDS.words):  # pragma: no cover - a development-time guard
    _msg = f"NEED_RULES and NEEDS disagree: {sorted(set(NEED_RULES) ^ set(NEEDS.words))}"
    raise RuntimeError(_msg)
for _rule in NEED_RULES.values():
    for _words, _vocab in (
        (_rule.substances, SUBSTANCES),
        (_rule.medications, MEDICATIONS),
        (_rule.services, SERVICES),
    ):
        if not all(w == "*" or w in _vocab for w in _words):  # pragma: no cover
            _msg = f"NEED_RULES names unknown {_vocab.name}: {sorted(_words)}"
            raise RuntimeError(_msg)


def needs_served(provider: Provider) -> frozenset[str]:
    """Every need word ``provider`` serves (precomputed by the matching index)."""
    return frozenset(need for need, rule in NEED_RULES.items() if rule.serves(provider))
