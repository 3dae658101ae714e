"""The decision: what the policy advises for one encounter, and why.

A :class:`Decision` is frozen and converts to the JSON of docs/design/formats.md#stored-json with
``dk.to_json(decision)`` (its ``schema`` key says ``deflectkit/decision@1``);
``dk.from_json(dk.Decision, data)`` reads that JSON back through :func:`decision_from_json`,
so decisions can be stored in an audit log and compared later. Observed fact values and
parameter values are kept in their JSON form (dates as ISO strings, lists as tuples) so
that the round trip is exact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final, Literal

import attrs

from deflectkit.convert import schema_id
from deflectkit.core.policy.model import EFFECTS, SCOPES, Effect, Scope
from deflectkit.errors import DataError, Problem

__all__ = [
    "CHARGES",
    "RESULTS",
    "STATUSES",
    "Charge",
    "Decision",
    "Effect",
    "Observed",
    "ParameterUsed",
    "PolicyRef",
    "Reason",
    "ReferralRoute",
    "Result",
    "Scope",
    "Status",
    "decision_from_json",
    "jsonable",
]

Status = Literal["ineligible", "deferred", "declined", "needs_info", "review", "eligible"]
#: Statuses from the strongest to the weakest: the first that applies is the decision.
STATUSES: Final[tuple[Status, ...]] = (
    "ineligible", "deferred", "declined", "needs_info", "review", "eligible"
)
#: What happens to a charge: ``none`` when no charge is in play; ``deflect`` (eligible),
#: ``review`` (a supervisor decides), ``proceed`` (ineligible or declined), ``pending``
#: (more information or the first steps come first).
Charge = Literal["none", "deflect", "review", "proceed", "pending"]
CHARGES: Final[tuple[Charge, ...]] = ("none", "deflect", "review", "proceed", "pending")
#: ``not_applicable``: a charge rule when no charge is in play (explain mode only).
Result = Literal["hit", "fail", "unknown", "pass", "not_applicable"]
RESULTS: Final[tuple[Result, ...]] = ("hit", "fail", "unknown", "pass", "not_applicable")


def jsonable(value: Any) -> Any:
    """A fact or parameter value in its frozen JSON form: ISO dates, sorted tuples for sets."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, frozenset | set):
        return tuple(sorted(jsonable(v) for v in value))
    if isinstance(value, list | tuple):
        return tuple(jsonable(v) for v in value)
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_thaw(v) for v in value]
    return value


def _freeze(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value


class Observed(dict[str, Any]):
    """The facts a rule read, read-only: one :class:`Reason` may be shared by decisions.

    A ``dict`` (so it compares, prints and pickles like one) whose mutating methods raise.
    """

    __slots__ = ()

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        msg = "observed facts are read-only"
        raise TypeError(msg)

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _refuse
    __ior__ = _refuse

    def __reduce__(self) -> tuple[Any, ...]:
        return (Observed, (dict(self),))


@attrs.frozen
class Reason:
    """One rule's verdict that shaped the decision.

    Attributes:
        id: the rule id (``X-WEAPON``).
        reason: its reason code (``WEAPON``).
        label: what the officer reads.
        effect: what a hit (or a failed criterion) does: ``exclude``, ``defer``, ``review``
            or ``decline``.
        result: ``hit`` (a safety rule or exclusion applies), ``fail`` (a criterion is not
            met), ``unknown`` (a fact it needs is missing), and in explain mode only
            ``pass`` or ``not_applicable`` (a charge rule when no charge is in play).
        observed: the facts the rule read, as given (``null`` when missing).
        cite: its citations, one line each.
        scope: ``encounter`` (about the person and the scene) or ``charge`` (about the
            offense; only applies when a charge is in play).
    """

    id: str
    reason: str
    label: str
    effect: Effect
    result: Result
    observed: Mapping[str, Any]
    cite: tuple[str, ...]
    scope: Scope = "encounter"

    @property
    def decisive(self) -> bool:
        """True for a hit or a failure (not for unknown or pass)."""
        return self.result in ("hit", "fail")


@attrs.frozen
class ParameterUsed:
    """A parameter value a decision used, and the day that value took effect."""

    name: str
    value: Any
    since: dt.date


@attrs.frozen
class PolicyRef:
    """Which policy (and which content of it) decided."""

    id: str
    effective_from: dt.date | None
    digest: str


@attrs.frozen
class ReferralRoute:
    """The referral route chosen: its id and the needs to match providers on.

    ``voluntary`` is True when the charge proceeds but linkage to care is still offered.
    """

    route: str
    need: tuple[str, ...]
    voluntary: bool = False


@attrs.frozen
class Decision:
    """The advice of a policy for one encounter on one day.

    The decision is advice: the officer's discretion is final, and :attr:`summary` says so.

    Attributes:
        status: ``ineligible`` > ``deferred`` > ``declined`` > ``needs_info`` > ``review`` >
            ``eligible`` (the first that applies).
        charge: what happens to the charge (``none`` when no charge is in play).
        as_of: the day the policy was applied (the contact's local date by default).
        pathway: the deflection pathway (a ``vocabulary.PATHWAYS`` word), if decided.
        policy: the policy id, the start of its effective period and its digest.
        first_steps: what to do first (``call_ems`` …), in rule order.
        reasons: every rule that hit, failed or could not be decided; with ``explain``,
            also every rule that passed.
        parameters: parameter values used and the date each took effect.
        missing_facts: facts whose absence left a rule undecided.
        referral: the referral route: given for every status except ``declined`` and an
            ``ineligible`` that comes from an encounter rule; ``voluntary`` when the charge
            proceeds. A deferred decision carries the route for after the first steps.
        summary: one plain paragraph for the officer.
        explained: True when made in explain mode.

    Example:
        >>> import deflectkit as dk
        >>> policy = dk.load_policy("data/policies/model-deflection.yaml")
        >>> d = dk.assess(policy, {"contact_at": "2025-03-01T10:00:00-07:00",
        ...                        "contact_type": "patrol", "age": 30, "weapon_present": True})
        >>> d.status, d.reason_codes, d.eligible
        ('ineligible', ('WEAPON',), False)
        >>> d.summary.endswith("the officer's discretion is final.")
        True
        >>> dk.to_json(d)["status"]
        'ineligible'
    """

    status: Status
    as_of: dt.date
    pathway: str | None
    policy: PolicyRef
    first_steps: tuple[str, ...]
    reasons: tuple[Reason, ...]
    parameters: tuple[ParameterUsed, ...]
    missing_facts: tuple[str, ...]
    referral: ReferralRoute | None
    summary: str
    charge: Charge = "none"
    explained: bool = attrs.field(default=False, eq=False)

    @property
    def eligible(self) -> bool:
        """True only for the ``eligible`` status."""
        return self.status == "eligible"

    @property
    def reason_codes(self) -> tuple[str, ...]:
        """Reason codes of the rules that hit or failed, in order."""
        return tuple(r.reason for r in self.reasons if r.decisive)

    def trace(self) -> str:
        """Every reason on its own line, for test failures and ``--explain``."""
        lines = [f"status {self.status}, charge {self.charge} as of {self.as_of}"
                 f" (policy {self.policy.id})"]
        for r in self.reasons:
            seen = ", ".join(f"{k}={v!r}" for k, v in r.observed.items())
            lines.append(f"  {r.result:<7} {r.id} [{r.reason}] {r.label} ({r.scope})  ({seen})")
        for p in self.parameters:
            lines.append(f"  param   {p.name} = {p.value!r} since {p.since}")
        if self.missing_facts:
            lines.append("  missing " + ", ".join(self.missing_facts))
        lines.append(f"  pathway {self.pathway}")
        if self.referral:
            voluntary = " (voluntary)" if self.referral.voluntary else ""
            lines.append(f"  route   {self.referral.route} need {list(self.referral.need)}"
                         f"{voluntary}")
        return "\n".join(lines)


def decision_json(d: Decision) -> dict[str, Any]:
    return {
        "schema": schema_id("decision"),
        "status": d.status,
        "charge": d.charge,
        "as_of": d.as_of.isoformat(),
        "pathway": d.pathway,
        "policy": {
            "id": d.policy.id,
            "effective_from": d.policy.effective_from.isoformat()
            if d.policy.effective_from else None,
            "digest": d.policy.digest,
        },
        "first_steps": list(d.first_steps),
        "reasons": [
            {
                "id": r.id,
                "reason": r.reason,
                "label": r.label,
                "scope": r.scope,
                "effect": r.effect,
                "result": r.result,
                "observed": {k: _thaw(v) for k, v in r.observed.items()},
                "cite": list(r.cite),
            }
            for r in d.reasons
        ],
        "parameters": [
            {"name": p.name, "value": _thaw(p.value), "since": p.since.isoformat()}
            for p in d.parameters
        ],
        "missing_facts": list(d.missing_facts),
        "referral": {"route": d.referral.route, "need": list(d.referral.need),
                     "voluntary": d.referral.voluntary}
        if d.referral else None,
        "summary": d.summary,
    }



def _word(value: Any, field: str, allowed: tuple[str, ...]) -> Any:
    """``value`` when it is one of the closed words, else a refusal naming the field."""
    if value not in allowed:
        msg = f"{value!r} is not one of: {', '.join(allowed)}"
        raise DataError([Problem("json", None, None, field, msg)], msg)
    return value


def decision_from_json(data: Mapping[str, Any]) -> Decision:
    """Read a decision back from its JSON (``dk.to_json(decision)``), any version so far.

    The public way in is ``dk.from_json(dk.Decision, data)``, which checks the ``schema``
    key first; ``decision_from_json(to_json(d)) == d`` for every decision ``d``.
    """
    pol = data["policy"]
    ref = data.get("referral")
    return Decision(
        status=_word(data["status"], "status", STATUSES),
        charge=_word(data.get("charge", "none"), "charge", CHARGES),
        as_of=dt.date.fromisoformat(data["as_of"]),
        pathway=data.get("pathway"),
        policy=PolicyRef(
            pol["id"],
            dt.date.fromisoformat(pol["effective_from"]) if pol.get("effective_from") else None,
            pol.get("digest", ""),
        ),
        first_steps=tuple(data.get("first_steps", ())),
        reasons=tuple(
            Reason(
                r["id"], r["reason"], r["label"],
                _word(r["effect"], f"reasons[{i}].effect", EFFECTS),
                _word(r["result"], f"reasons[{i}].result", RESULTS),
                Observed({k: _freeze(v) for k, v in r.get("observed", {}).items()}),
                tuple(r.get("cite", ())),
                _word(r.get("scope", "encounter"), f"reasons[{i}].scope", SCOPES),
            )
            for i, r in enumerate(data.get("reasons", ()))
        ),
        parameters=tuple(
            ParameterUsed(p["name"], _freeze(p["value"]), dt.date.fromisoformat(p["since"]))
            for p in data.get("parameters", ())
        ),
        missing_facts=tuple(data.get("missing_facts", ())),
        referral=ReferralRoute(ref["route"], tuple(ref["need"]), bool(ref.get("voluntary")))
        if ref else None,
        summary=data.get("summary", ""),
    )
