"""Policy test files (``<policy>.tests.yaml``): load them, run them, report like pytest.

A test file is a YAML list of cases ``{name, as_of, facts, expect}``. ``expect`` compares
only the keys it gives:

* ``status`` — exact; ``charge`` — exact (``none``, ``deflect``, ``review``, ``proceed``,
  ``pending``);
* ``pathway`` — exact (``null`` for none);
* ``reasons`` — reason codes that must be among those that hit or failed (a subset);
* ``not_reasons`` — reason codes that must *not* be among them;
* ``first_steps`` — first steps that must be given (a subset);
* ``missing_facts`` — exactly these facts are missing (order does not matter);
* ``route`` — the referral route id (``null`` for none); ``need`` — its needs, exactly;
  ``voluntary`` — whether the referral is offered while the charge proceeds.

The policy is the file with the same name without ``.tests`` (``model-deflection.yaml``
for ``model-deflection.tests.yaml``). Every case keeps its line, so a failure says
``file:line`` and shows expected against actual with the decision trace.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import attrs

from deflectkit.core.policy import keys
from deflectkit.core.policy.compiler import compiled
from deflectkit.core.policy.decision import CHARGES, STATUSES, Decision
from deflectkit.core.policy.evaluate import assess
from deflectkit.core.policy.expect import EXPECT_KEYS, compare
from deflectkit.core.policy.model import Policy
from deflectkit.errors import DataError, DeflectkitError, PolicyError, Problem
from deflectkit.files.policy import load_policy
from deflectkit.files.yamlio import YamlDocument, read_yaml
from deflectkit.spelling import counted
from deflectkit.structure import check_keys
from deflectkit.vocabulary import PATHWAYS

__all__ = [
    "EXPECT_KEYS",
    "CaseFile",
    "CaseOutcome",
    "PolicyCase",
    "check_test_file",
    "compare",
    "find_test_files",
    "load_test_file",
    "policy_path_for",
    "run_case",
    "run_file",
]

SUFFIX: Final = ".tests.yaml"


@attrs.frozen
class PolicyCase:
    """One case of a test file, with the line it starts on."""

    name: str
    facts: Mapping[str, Any]
    expect: Mapping[str, Any]
    as_of: dt.date | None = None
    line: int = 0
    index: int = 0


@attrs.frozen
class CaseFile:
    """A loaded test file: its policy and its cases."""

    path: str
    policy: Policy
    cases: tuple[PolicyCase, ...]


@attrs.frozen
class CaseOutcome:
    """The result of running one case."""

    suite: CaseFile
    case: PolicyCase
    passed: bool
    differences: tuple[str, ...] = ()
    decision: Decision | None = None
    error: str | None = None

    def report(self) -> str:
        """``file:line: case name``, then expected vs actual, then the decision trace."""
        head = f"{self.suite.path}:{self.case.line}: {self.case.name}"
        lines = [head]
        if self.error:
            lines.append(f"  error: {self.error}")
        lines.extend(f"  {d}" for d in self.differences)
        if self.decision is not None:
            lines.append("  decision trace:")
            lines.extend("  " + ln for ln in self.decision.trace().splitlines())
        return "\n".join(lines)


def policy_path_for(test_file: str | Path) -> Path:
    """The policy a test file belongs to: ``x.tests.yaml`` -> ``x.yaml``."""
    p = Path(test_file)
    return p.with_name(p.name.removesuffix(SUFFIX) + ".yaml")


def find_test_files(paths: list[str] | list[Path]) -> list[Path]:
    """Test files named by ``paths``: files as given, folders searched for ``*.tests.yaml``."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            out.extend(sorted(p.rglob(f"*{SUFFIX}")))
        else:
            out.append(p)
    return out


def _load(
    path: str | Path, policy: Policy | None
) -> tuple[CaseFile | None, list[Problem]]:
    name = str(path)
    try:
        doc = read_yaml(path)
    except DataError as exc:
        return None, list(exc.problems)
    if policy is None:
        policy_file = policy_path_for(path)
        if not policy_file.exists():
            return None, [Problem(name, None, None, "", f"no policy {policy_file} beside this"
                                                        " test file")]
        try:
            policy = load_policy(policy_file)
        except DeflectkitError as exc:
            found = list(getattr(exc, "problems", ()))
            return None, found or [Problem(name, None, None, "", str(exc))]
    problems: list[Problem] = []
    cases = _cases(doc, policy, problems)
    if any(p.is_error for p in problems):
        return None, problems
    return CaseFile(name, policy, tuple(cases)), problems


def _cases(doc: YamlDocument, policy: Policy, problems: list[Problem]) -> list[PolicyCase]:
    if not isinstance(doc.value, list) or not doc.value:
        problems.append(doc.problem((), "a test file is a list of {name, as_of, facts, expect}"))
        return []
    codes = {r.reason for r in policy.rules}
    routes = {r.id for r in policy.routes}
    names: set[str] = set()
    cases = []
    for i, raw in enumerate(doc.value):
        before = len(problems)
        if not isinstance(raw, dict):
            problems.append(doc.problem((i,), "a case is a mapping {name, as_of, facts, expect}"))
            continue
        problems.extend(map(doc.located, check_keys(raw, (i,), keys.CASE, "a case")))
        name = raw.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.append(doc.problem((i, "name"), "name must be non-empty text"))
        elif name in names:
            problems.append(doc.problem((i, "name"), f"duplicate case name {name!r}"))
        else:
            names.add(name)
        as_of = raw.get("as_of")
        if as_of is not None and (not isinstance(as_of, dt.date)
                                  or isinstance(as_of, dt.datetime)):
            problems.append(doc.problem((i, "as_of"), "as_of must be a date like 2025-03-01"))
        facts = raw.get("facts", {})
        if not isinstance(facts, dict):
            problems.append(doc.problem((i, "facts"), "facts must be a mapping"))
        else:
            _, errors = compiled(policy).check_facts(facts)
            for fact, message in errors:
                problems.append(doc.problem((i, "facts", fact), message, key=True))
        expect = raw.get("expect", {})
        if not isinstance(expect, dict) or not expect:
            problems.append(doc.problem((i, "expect"), "expect must be a non-empty mapping"))
        else:
            _check_expect(doc, (i, "expect"), expect, policy, codes, routes, problems)
        if len(problems) > before:
            continue
        line = (doc.locate((i,)) or (0, 0))[0]
        cases.append(PolicyCase(str(name), facts, expect, as_of, line, i))
    return cases


def _check_expect(  # noqa: PLR0917 - one private call site
    doc: YamlDocument,
    where: tuple[str | int, ...],
    expect: dict[str, Any],
    policy: Policy,
    codes: set[str],
    routes: set[str],
    problems: list[Problem],
) -> None:
    for k, v in expect.items():
        at = (*where, k)
        if k not in EXPECT_KEYS:
            problems.append(doc.problem(at, f"unknown expectation {k!r}; use: "
                                            + ", ".join(sorted(EXPECT_KEYS)), key=True))
        elif k == "status" and v not in STATUSES:
            problems.append(doc.problem(at, f"status must be one of {', '.join(STATUSES)}"))
        elif k == "charge" and v not in CHARGES:
            problems.append(doc.problem(at, f"charge must be one of {', '.join(CHARGES)}"))
        elif k == "voluntary" and not isinstance(v, bool):
            problems.append(doc.problem(at, "voluntary is true or false"))
        elif k == "pathway" and v is not None and (not isinstance(v, str) or v not in PATHWAYS):
            problems.append(doc.problem(at, f"{v!r} is not a pathway"))
        elif k in ("reasons", "not_reasons", "first_steps", "missing_facts", "need"):
            if not isinstance(v, list):
                problems.append(doc.problem(at, f"{k} is a list"))
            elif k in ("reasons", "not_reasons"):
                for code in v:
                    if not isinstance(code, str) or code not in codes:
                        problems.append(doc.problem(at, f"no rule of the policy has the reason"
                                                        f" code {code!r}"))
            elif k == "missing_facts":
                for fact in v:
                    if policy.fact(fact) is None:
                        problems.append(doc.problem(at, f"{fact!r} is not a declared fact"))
        elif k == "route" and v is not None and (not isinstance(v, str) or v not in routes):
            problems.append(doc.problem(at, f"{v!r} is not a route of the policy"))


def load_test_file(path: str | Path, *, policy: Policy | None = None) -> CaseFile:
    """Load a test file (and its policy, unless given).

    Raises:
        PolicyError: every problem in the file or its policy, with file and line.
    """
    suite, problems = _load(path, policy)
    if suite is None:
        errors = [p for p in problems if p.is_error]
        raise PolicyError(errors, f"{path}: {counted(len(errors), 'problem')} in the test file")
    return suite


def check_test_file(path: str | Path) -> list[Problem]:
    """Every problem in a test file (its structure, facts and expectations); never raises."""
    return _load(path, None)[1]


def run_case(suite: CaseFile, case: PolicyCase) -> CaseOutcome:
    """Assess one case (in explain mode, for the trace) and compare it with ``expect``."""
    try:
        decision = assess(suite.policy, case.facts, as_of=case.as_of, explain=True)
    except DeflectkitError as exc:
        return CaseOutcome(suite, case, False, error=str(exc).splitlines()[0])
    diffs = compare(case.expect, decision)
    return CaseOutcome(suite, case, not diffs, tuple(diffs), decision)


def run_file(path: str | Path) -> list[CaseOutcome]:
    """Load a test file and run every case."""
    suite = load_test_file(path)
    return [run_case(suite, c) for c in suite.cases]
