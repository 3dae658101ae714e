"""The policy model: declared facts, dated parameters, rules, pathways and referral routes.

A :class:`Policy` is plain frozen data, built once from a YAML file by
:func:`deflectkit.files.policy.load_policy` (or from a mapping by
:func:`deflectkit.core.policy.build.build_policy`), type-checked and compiled at that moment.
Everything a reader needs to render the policy (labels, citations, the history of every
parameter) is an ordinary attribute; the compiled closures and the per-date cache are private
and take no part in equality.

Dates follow one convention everywhere: a period runs from ``start`` (inclusive) to
``until`` (exclusive), and a parameter value holds from its date until the next one; a
``null`` value retires the parameter.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs

from deflectkit.core.followup_plan import FollowUpPlan

if TYPE_CHECKING:
    from deflectkit.core.policy.compiler import CompiledPolicy
    from deflectkit.core.policy.expressions import Expr

__all__ = [
    "EFFECTS",
    "FACT_TYPES",
    "MODEL_CHOICE_TITLE",
    "SCHEMA",
    "SCHEMA_VERSION",
    "SCOPES",
    "Cite",
    "DerivedFact",
    "DerivedKind",
    "Effect",
    "FactSpec",
    "FactType",
    "FirstMatch",
    "Parameter",
    "ParameterValue",
    "PathwayRule",
    "Period",
    "Policy",
    "Route",
    "Rule",
    "RuleKind",
    "Scope",
]

#: The newest policy format version, the one this release writes.
SCHEMA_VERSION: Final = 1
#: The format identifier every policy file starts with.
SCHEMA: Final = f"deflectkit/policy@{SCHEMA_VERSION}"

FactType = Literal["bool", "int", "float", "str", "enum", "date", "datetime", "list"]
#: The fact types a policy may declare.
FACT_TYPES: Final[tuple[str, ...]] = (
    "bool", "int", "float", "str", "enum", "date", "datetime", "list"
)
RuleKind = Literal["safety", "criterion", "exclusion"]
DerivedKind = Literal["years_between", "days_between", "count"]
#: What a rule does when it hits (or, for a criterion, fails): ``exclude`` makes the person
#: ineligible, ``defer`` puts the first steps before a decision, ``review`` sends it to a
#: supervisor, ``decline`` records that the person said no.
Effect = Literal["exclude", "review", "defer", "decline"]
EFFECTS: Final[tuple[Effect, ...]] = ("exclude", "review", "defer", "decline")
#: ``encounter`` rules are about the person and the scene and always apply; ``charge`` rules
#: are about the offense and apply only when a charge is in play.
Scope = Literal["encounter", "charge"]
SCOPES: Final[tuple[Scope, ...]] = ("encounter", "charge")


@attrs.frozen
class Period:
    """A half-open span of days: from ``start`` (inclusive) until ``until`` (exclusive).

    Example:
        >>> p = Period(dt.date(2024, 1, 1), dt.date(2025, 1, 1))
        >>> p.contains(dt.date(2024, 12, 31)), p.contains(dt.date(2025, 1, 1))
        (True, False)
    """

    start: dt.date | None = None
    until: dt.date | None = None

    def contains(self, day: dt.date) -> bool:
        """True when ``day`` falls inside the period."""
        if self.start is not None and day < self.start:
            return False
        return self.until is None or day < self.until

    def describe(self) -> str:
        """``from 2024-01-01 until 2025-01-01`` (the end is exclusive)."""
        parts = []
        if self.start is not None:
            parts.append(f"from {self.start.isoformat()}")
        if self.until is not None:
            parts.append(f"until {self.until.isoformat()} (exclusive)")
        return " ".join(parts) or "always"

#: The title a model-choice citation gets when its file gives none (and a writer leaves out).
MODEL_CHOICE_TITLE: Final = "Model choice (deflectkit)"


@attrs.frozen
class Cite:
    """Where a rule comes from: a public source, or a choice the policy authors made.

    Attributes:
        title: the source's title (``AZPM: TPD program offers drug offenders treatment``).
        href: an ``http(s)`` link to the source, if it is online.
        section: the part of the source that says it (``§3a``, ``p. 4``).
        quote: the words of the source, short, for the reader to check.
        note: why the rule reads as it does, especially for model choices.
        model_choice: True when no source says this and the authors chose it; such a
            citation says so plainly instead of pretending to a source.
    """

    title: str
    href: str | None = None
    section: str | None = None
    quote: str | None = None
    note: str | None = None
    model_choice: bool = False

    def text(self) -> str:
        """One line for decisions and reports: ``title, section <href>``."""
        out = self.title
        if self.section:
            out += f", {self.section}"
        if self.href:
            out += f" <{self.href}>"
        elif self.model_choice and self.note:
            out += f": {self.note}"
        return out


@attrs.frozen
class FactSpec:
    """A declared input of the policy.

    Attributes:
        name: the key in a facts mapping.
        type: one of :data:`FACT_TYPES`; ``list`` is a list of ``enum`` words.
        values: the allowed words for ``enum`` and ``list`` facts.
        optional: an optional fact may be left out; then it is *known to be absent*
            (every comparison on it is false, ``absent`` is true), not unknown.
        label: what an officer reads.
        unit: ``years``, ``g``, ``days`` …
        min: for ``int`` and ``float`` facts, the smallest value allowed (``0`` unless the
            file says ``min: null`` for none); a value below it is a fact error.
    """

    name: str
    type: FactType
    values: tuple[str, ...] = ()
    optional: bool = False
    label: str = ""
    unit: str = ""
    min: float | None = 0

    @property
    def display(self) -> str:
        """The label, or the name made readable."""
        return self.label or self.name.replace("_", " ")


@attrs.frozen
class DerivedFact:
    """A value computed from facts by one function of a closed set.

    ``years_between`` and ``days_between`` take two date (or datetime) facts and give whole
    years or days from the first to the second; ``count`` gives the length of a list fact.
    """

    name: str
    fn: DerivedKind
    args: tuple[str, ...]
    label: str = ""


@attrs.frozen
class ParameterValue:
    """One dated value of a parameter: it holds from ``since`` until the next value's date."""

    since: dt.date
    value: Any  # None retires the parameter from ``since``; lists are tuples


@attrs.frozen
class Parameter:
    """A named value that changes over time (minimum age, a gram limit, a list of offenses).

    Attributes:
        name: the key rules use (``param: min_age``).
        label: what a reader sees.
        values: the history, oldest first.
        unit: ``years``, ``g``, ``days`` …
        description: one or two plain sentences.
        cite: where the value comes from.

    Example:
        >>> p = Parameter("min_age", "Minimum age", (ParameterValue(dt.date(2024, 1, 1), 18),))
        >>> p.at(dt.date(2024, 6, 1)).value
        18
    """

    name: str
    label: str
    values: tuple[ParameterValue, ...]
    unit: str = ""
    description: str = ""
    cite: tuple[Cite, ...] = ()
    _starts: tuple[dt.date, ...] = attrs.field(
        init=False, eq=False, repr=False,
        default=attrs.Factory(lambda self: tuple(v.since for v in self.values), takes_self=True),
    )

    def at(self, day: dt.date) -> ParameterValue | None:
        """The value in force on ``day`` (bisect over the start dates), or ``None``."""
        i = bisect.bisect_right(self._starts, day) - 1
        if i < 0 or self.values[i].value is None:
            return None
        return self.values[i]

    def nearest(self, day: dt.date) -> str:
        """The versions around ``day``, for "not in effect" messages."""
        i = bisect.bisect_right(self._starts, day)
        around = []
        if i > 0:
            before = self.values[i - 1]
            around.append(
                f"retired on {before.since}" if before.value is None
                else f"{before.value!r} since {before.since}"
            )
        if i < len(self.values):
            after = self.values[i]
            around.append(f"next: {after.value!r} from {after.since}")
        return "; ".join(around) or "no versions"


@attrs.frozen
class Rule:
    """A safety rule, an eligibility criterion or an exclusion.

    Attributes:
        id: stable identifier (``X-WEAPON``); never reused for another meaning.
        kind: ``safety``, ``criterion`` or ``exclusion``.
        label: what the officer reads (``Weapon present``).
        reason: the reason code reported when the rule decides against deflection.
        cite: at least one citation.
        when: the condition. For safety rules and exclusions it says when the rule *hits*;
            for criteria it says what must be *true*.
        effect: what a hit (or a failed criterion) does (see :data:`Effect`).
        first_step: what to do first when the rule hits (or the criterion fails).
        effective: when the rule applies; outside it the rule is skipped.
        description: a longer plain explanation.
        scope: ``encounter`` or ``charge`` (see :data:`Scope`).
    """

    id: str
    kind: RuleKind
    label: str
    reason: str
    cite: tuple[Cite, ...]
    when: Expr
    effect: Effect
    first_step: str | None = None
    effective: Period = Period()
    description: str = ""
    scope: Scope = "encounter"


@attrs.frozen
class FirstMatch:
    """What pathway rules and referral routes share: the first that matches, by priority, wins.

    Only ``id``, ``priority`` and the subclass's own first field (``pathway``, ``need``) are
    positional; the rest are keywords, so a rule reads the same whichever kind it is.

    Attributes:
        id: the rule's id, unique in the policy.
        priority: lower comes first; no two rules of a kind share one.
        label: a short plain name.
        when: the condition; ``None`` for the default rule.
        default: True for the rule that applies when no other matches.
        cite: where the rule comes from.
        effective: when the rule applies; outside it the rule is skipped.
    """

    id: str
    priority: int
    label: str = attrs.field(default="", kw_only=True)
    when: Expr | None = attrs.field(default=None, kw_only=True)
    default: bool = attrs.field(default=False, kw_only=True)
    cite: tuple[Cite, ...] = attrs.field(default=(), kw_only=True)
    effective: Period = attrs.field(default=Period(), kw_only=True)


@attrs.frozen
class PathwayRule(FirstMatch):
    """The first pathway rule (by priority) that matches names the deflection pathway."""

    pathway: str


@attrs.frozen
class Route(FirstMatch):
    """A referral route: the first that matches (by priority) gives the needs to match on.

    Attributes:
        need: words of :data:`deflectkit.vocabulary.NEEDS`, passed to ``dk.match``.
        services: words of :data:`deflectkit.vocabulary.SERVICES` the route looks for.
    """

    need: tuple[str, ...]
    services: tuple[str, ...] = attrs.field(default=(), kw_only=True)


@attrs.frozen
class Policy:
    """A loaded, type-checked and compiled deflection policy.

    Build it with :func:`deflectkit.files.policy.load_policy`; decide with
    :func:`deflectkit.core.policy.evaluate.assess`.

    Attributes:
        id: the policy's identifier (``model-deflection``).
        label: its title.
        timezone: the program's IANA zone (its clock for follow-up and contact dates).
        effective: when the policy is in force.
        facts: the declared inputs, in file order.
        parameters: the dated parameters, in file order.
        safety: safety rules (every hit is reported).
        criteria: eligibility criteria (all must pass).
        exclusions: exclusions (every hit is reported).
        pathways: pathway rules sorted by priority.
        charge_in_play: when a charge is in play (``charge: {in_play: …}``); ``None``
            means never, and then every decision's charge is ``none``.
        routes: referral routes sorted by priority.
        follow_up: the follow-up plan (``deflectkit.core.followup_plan.FollowUpPlan``).
        cite: sources for the policy as a whole.
        derived: derived facts.
        as_of_fact: the fact whose (local) date a decision is made on by default.
        description: a plain introduction.
        digest: ``sha256:…`` of the policy's content, reported in every decision.
        source: the file it was loaded from, if any.

    Example:
        >>> import deflectkit as dk
        >>> policy = dk.load_policy("data/policies/model-deflection.yaml")
        >>> policy.id, policy.timezone
        ('model-deflection', 'America/Phoenix')
        >>> policy.fact("age").type, policy.follow_up.checkpoints_days
        ('int', (1, 7, 30, 90, 180))
    """

    id: str
    label: str
    timezone: str
    effective: Period
    facts: tuple[FactSpec, ...]
    parameters: tuple[Parameter, ...]
    safety: tuple[Rule, ...]
    criteria: tuple[Rule, ...]
    exclusions: tuple[Rule, ...]
    pathways: tuple[PathwayRule, ...]
    routes: tuple[Route, ...]
    follow_up: FollowUpPlan = attrs.field(factory=FollowUpPlan)
    cite: tuple[Cite, ...] = ()
    derived: tuple[DerivedFact, ...] = ()
    as_of_fact: str | None = None
    description: str = ""
    digest: str = ""
    source: str | None = attrs.field(default=None, eq=False)
    charge_in_play: Expr | None = None

    @functools.cached_property
    def _compiled(self) -> CompiledPolicy:
        """The compiled form, made on first use and kept: one load compiles once.

        The builder asks for it at load, so a defect shows then, never at decision time.
        Read it through :func:`deflectkit.core.policy.compiler.compiled`.
        """
        # Imported here: the model is read by the compiler, not the other way round.
        from deflectkit.core.policy.compiler import compile_policy

        return compile_policy(self)

    @property
    def rules(self) -> tuple[Rule, ...]:
        """Safety rules, criteria and exclusions, in that order."""
        return self.safety + self.criteria + self.exclusions

    @property
    def everything(self) -> tuple[Rule | PathwayRule | Route, ...]:
        """Rules, then pathway rules, then routes."""
        return (*self.rules, *self.pathways, *self.routes)

    def fact(self, name: str) -> FactSpec | None:
        """The declared fact called ``name``."""
        return next((f for f in self.facts if f.name == name), None)

    def parameter(self, name: str) -> Parameter | None:
        """The parameter called ``name``."""
        return next((p for p in self.parameters if p.name == name), None)

    def rule(self, rule_id: str) -> Rule | PathwayRule | Route | None:
        """Any rule, pathway rule or route by id."""
        return next((r for r in self.everything if r.id == rule_id), None)

    def parameters_at(self, day: dt.date) -> Mapping[str, ParameterValue | None]:
        """Every parameter's value in force on ``day`` (``None`` where it has none)."""
        return {p.name: p.at(day) for p in self.parameters}

