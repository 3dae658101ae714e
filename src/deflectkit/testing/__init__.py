"""Helpers for agencies that test their own deflection policy in Python.

* :func:`assert_decision` — assert the parts of a decision you care about; a failure shows
  what differs and the decision trace;
* :func:`facts_strategy` — a Hypothesis strategy of facts drawn from a policy's declared
  facts, with the boundary values of its parameters and conditions over-represented;
* :func:`example_facts` — one well-typed facts mapping, for documentation and smoke tests.

Hypothesis is imported only when :func:`facts_strategy` is called. The pytest plugin in
:mod:`deflectkit.testing.pytest_plugin` collects ``*.tests.yaml`` files.

Example:
    >>> import deflectkit as dk
    >>> from deflectkit.testing import assert_decision
    >>> policy = dk.load_policy("data/policies/model-deflection.yaml")
    >>> d = dk.assess(policy, {"contact_at": "2025-03-01T10:00:00-07:00",
    ...                        "weapon_present": True})
    >>> assert_decision(d, status="ineligible", reasons=["WEAPON"], route=None)
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from deflectkit.core.policy.decision import Decision
from deflectkit.core.policy.expect import EXPECT_KEYS, compare
from deflectkit.core.policy.expressions import comparisons, param_names
from deflectkit.core.policy.model import FactSpec, Policy

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

__all__ = ["DecisionMismatchError", "assert_decision", "example_facts", "facts_strategy"]


class DecisionMismatchError(AssertionError):
    """A decision differs from what a test expected; the message has the decision trace.

    Example:
        >>> import deflectkit as dk
        >>> policy = dk.load_policy("data/policies/model-deflection.yaml")
        >>> d = dk.assess(policy, {"contact_at": "2025-03-01T10:00:00-07:00",
        ...                        "weapon_present": True})
        >>> try:
        ...     assert_decision(d, status="eligible")
        ... except DecisionMismatchError as error:
        ...     print("trace:" in str(error))
        True
    """


def assert_decision(decision: Decision, **expected: Any) -> None:
    """Assert parts of ``decision``; keys as in a test file's ``expect``.

    ``status``, ``charge``, ``pathway``, ``route``, ``need`` and ``voluntary`` must be equal;
    ``reasons`` and ``first_steps`` must be included; ``not_reasons`` must be absent;
    ``missing_facts`` must be exactly these.

    Raises:
        TypeError: an unknown expectation key.
        DecisionMismatchError: with every difference and the decision trace.

    Example:
        >>> import deflectkit as dk
        >>> policy = dk.load_policy("data/policies/model-deflection.yaml")
        >>> d = dk.assess(policy, {"contact_at": "2025-03-01T10:00:00-07:00",
        ...                        "weapon_present": True})
        >>> assert_decision(d, status="ineligible", reasons=["WEAPON"])
        >>> try:
        ...     assert_decision(d, status="eligible")
        ... except DecisionMismatchError as error:
        ...     print(str(error).splitlines()[1])
          status: expected eligible, got ineligible
    """
    unknown = sorted(set(expected) - EXPECT_KEYS)
    if unknown:
        what = "expectation" if len(unknown) == 1 else "expectations"
        msg = f"unknown {what} {unknown}; use: {', '.join(sorted(EXPECT_KEYS))}"
        raise TypeError(msg)
    diffs = compare(expected, decision)
    if diffs:
        body = "\n".join(f"  {d}" for d in diffs)
        trace = "\n".join(f"  {ln}" for ln in decision.trace().splitlines())
        raise DecisionMismatchError(f"decision differs from expected:\n{body}\ntrace:\n{trace}")


def _boundaries(policy: Policy) -> dict[str, list[Any]]:
    """Per fact: the values its conditions compare against, and their neighbours."""
    out: dict[str, list[Any]] = {}
    conditions = [rule.when for rule in policy.everything] + [policy.charge_in_play]
    for when in conditions:
        for c in comparisons(when):
            operands: list[Any] = []
            if c.param is not None:
                params = [policy.parameter(n) for n in param_names(c.param)]
                operands = [v.value for p in params if p for v in p.values
                            if v.value is not None]
            elif c.value is not None:
                operands = [c.value]
            for v in operands:
                if isinstance(v, bool):
                    continue
                if isinstance(v, int):
                    out.setdefault(c.subject, []).extend([v - 1, v, v + 1])
                elif isinstance(v, float):
                    out.setdefault(c.subject, []).extend([v - 0.1, v, v + 0.1])
    return out


def _span(policy: Policy) -> tuple[dt.date, dt.date]:
    """The days to draw from: the effective period, or three years past the last change."""
    start = policy.effective.start or dt.date(2024, 1, 1)
    if policy.effective.until:
        return start, policy.effective.until - dt.timedelta(days=1)
    last = max((v.since for p in policy.parameters for v in p.values), default=start)
    return start, max(start, last) + dt.timedelta(days=3 * 366)


def facts_strategy(policy: Policy, *, missing: bool = True) -> SearchStrategy[dict[str, Any]]:
    """A Hypothesis strategy of facts for ``policy``, typed as it declares them.

    Every generated mapping passes the policy's fact checks. With ``missing`` (the default)
    any fact may be left out, so the unknown branches are exercised too; dates and
    datetimes fall inside the policy's effective period, in its time zone.

    Example:
        >>> from hypothesis import given, settings
        >>> import deflectkit as dk
        >>> policy = dk.load_policy("data/policies/model-deflection.yaml")
        >>> @settings(max_examples=20, database=None)
        ... @given(facts_strategy(policy))
        ... def test_weapon_is_never_eligible(facts):
        ...     decision = dk.assess(policy, {**facts, "weapon_present": True})
        ...     assert decision.status != "eligible", decision.trace()
        >>> test_weapon_is_never_eligible()
    """
    from hypothesis import strategies as st

    near = _boundaries(policy)
    start, end = _span(policy)
    zone = ZoneInfo(policy.timezone)

    def one(spec: FactSpec) -> SearchStrategy[Any]:
        edges = near.get(spec.name, [])
        if spec.type == "bool":
            return st.booleans()
        low = 0 if spec.min is None else spec.min  # below the minimum is a fact error
        if spec.type == "int":
            ints = st.integers(min_value=int(low), max_value=1000)
            edges_int = [e for e in edges if isinstance(e, int) and e >= low]
            return st.one_of(st.sampled_from(edges_int), ints) if edges_int else ints
        if spec.type == "float":
            floats = st.floats(min_value=low, max_value=100, allow_nan=False,
                               allow_infinity=False)
            edges_f = [round(float(e), 6) for e in edges if e >= low]
            return st.one_of(st.sampled_from(edges_f), floats) if edges_f else floats
        if spec.type == "str":
            return st.text(max_size=12)
        if spec.type == "enum":
            return st.sampled_from(spec.values)
        if spec.type == "list":
            return st.lists(st.sampled_from(spec.values), unique=True,
                            max_size=len(spec.values))
        if spec.type == "date":
            return st.dates(min_value=start, max_value=end)
        naive = st.datetimes(min_value=dt.datetime.combine(start, dt.time(12)),
                             max_value=dt.datetime.combine(end, dt.time(12)))
        return naive.map(lambda d: d.replace(tzinfo=zone))

    anchor = policy.as_of_fact
    required = {f.name: one(f) for f in policy.facts if not missing or f.name == anchor}
    optional = {f.name: one(f) for f in policy.facts if f.name not in required}
    return st.fixed_dictionaries(required, optional=optional)


def example_facts(policy: Policy) -> dict[str, Any]:
    """One well-typed facts mapping for ``policy``, for documentation and smoke tests.

    It holds the first word of each enum, empty lists, zeros, ``False``, and the policy's
    first effective day at noon for dates and datetimes. Optional facts are left out.

    Example:
        >>> import deflectkit as dk
        >>> policy = dk.load_policy("data/policies/model-deflection.yaml")
        >>> facts = example_facts(policy)
        >>> facts["age"], facts["weapon_present"], facts["contact_at"].isoformat()
        (0, False, '2024-01-01T12:00:00-07:00')
        >>> adult = {**facts, "age": 30, "consents": True, "capable_of_consent": True}
        >>> dk.assess(policy, adult).status
        'eligible'
    """
    start, _ = _span(policy)
    noon = dt.datetime.combine(start, dt.time(12), tzinfo=ZoneInfo(policy.timezone))
    defaults: dict[str, Any] = {
        "bool": False, "int": 0, "float": 0.0, "str": "", "list": [], "date": start,
        "datetime": noon,
    }
    out: dict[str, Any] = {}
    for f in policy.facts:
        if f.optional:
            continue
        out[f.name] = f.values[0] if f.type == "enum" else defaults[f.type]
    return out
