"""Load a policy file: read the YAML safely, check and compile it, point at every defect.

Each problem says the file, the line and column, the path inside the policy
(``eligibility.exclusions[2].when.op``) and quotes the line with a caret under the spot.
"""

from __future__ import annotations

from pathlib import Path

from deflectkit.core.policy.build import build_policy
from deflectkit.core.policy.model import Policy
from deflectkit.errors import DataError, PolicyError, Problem
from deflectkit.files.yamlio import YamlDocument, read_yaml
from deflectkit.spelling import counted

__all__ = ["check_policy", "lint_file", "load_policy", "policy_problems", "read_policy"]


def policy_problems(doc: YamlDocument) -> tuple[Policy | None, list[Problem]]:
    """Build the policy in ``doc``; return it (or ``None``) and every problem with its place."""
    policy, issues = build_policy(doc.value, source=doc.path)
    return policy, [*_format_warnings(doc), *(doc.located(i) for i in issues)]


def _format_warnings(doc: YamlDocument) -> list[Problem]:
    """A warning for a policy in the first format: it loads, and the command to bring it up."""
    from deflectkit.files.migration import is_first_format

    if not is_first_format(doc.value):
        return []
    return [doc.problem(("eligibility",), (
        "written in the first policy format (no `charge:`, no `scope:`): it decides as it "
        "always did, every rule about the encounter and no charge in play; "
        f"`deflectkit migrate {doc.path} --write` writes `scope: encounter` on its rules, then "
        "add `charge:` and `scope: charge` where a rule is about the offense"),
        severity="warning", key=True)]


def read_policy(path: str | Path) -> tuple[Policy | None, list[Problem]]:
    """Read and build a policy file without raising for bad data."""
    try:
        doc = read_yaml(path)
    except DataError as exc:
        return None, list(exc.problems)
    return policy_problems(doc)


def load_policy(path: str | Path) -> Policy:
    """Load, type-check and compile the policy file at ``path``.

    Raises:
        PolicyError: listing every defect, each with file, line, path and a caret snippet.

    Example:
        >>> import deflectkit as dk
        >>> dk.load_policy("data/policies/model-deflection.yaml").id
        'model-deflection'
    """
    policy, problems = read_policy(path)
    errors = [p for p in problems if p.is_error]
    if policy is None or errors:
        raise PolicyError(errors or problems,
                          f"{path}: {counted(len(errors), 'problem')} in the policy")
    return policy


def check_policy(path: str | Path) -> list[Problem]:
    """Every problem in a policy file (empty when it is valid); never raises for bad data.

    Used by ``deflectkit validate``.
    """
    return read_policy(path)[1]


def _rule_path(doc: YamlDocument, rule_id: str) -> tuple[str | int, ...]:
    places: tuple[tuple[str, ...], ...] = (
        ("safety",), ("eligibility", "criteria"), ("eligibility", "exclusions"),
        ("pathways",), ("referral", "routes"),
    )
    for place in places:
        node = doc.value
        for part in place:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, list):
            for i, item in enumerate(node):
                if isinstance(item, dict) and item.get("id") == rule_id:
                    return (*place, i, "id")
    return ()


def lint_file(path: str | Path, *, tests: str | Path | None = None) -> list[Problem]:
    """Lint findings for a policy file as warnings with file and line.

    The policy's test file (``<name>.tests.yaml`` beside it, or ``tests``) is run, when it
    exists, to find rules no test exercises. Load errors come back as errors.
    """
    from deflectkit.core.policy.lint import lint_policy
    from deflectkit.files.policy_tests import load_test_file, policy_path_for, run_case

    try:
        doc = read_yaml(path)
    except DataError as exc:
        return list(exc.problems)
    policy, problems = policy_problems(doc)
    if policy is None:
        return problems
    test_file = Path(tests) if tests else Path(path).with_name(
        Path(path).name.removesuffix(".yaml") + ".tests.yaml"
    )
    decisions = None
    if test_file.exists() and (tests or policy_path_for(test_file) == Path(path)):
        try:
            suite = load_test_file(test_file, policy=policy)
        except PolicyError as exc:
            problems.extend(exc.problems)
        else:
            decisions = [o.decision for c in suite.cases
                         if (o := run_case(suite, c)).decision is not None]
    for finding in lint_policy(policy, decisions):
        where: tuple[str | int, ...] = ()
        if finding.rule_id:
            where = _rule_path(doc, finding.rule_id)
        elif finding.parameter:
            where = ("parameters", finding.parameter)
        problems.append(doc.problem(where, f"{finding.code}: {finding.message}",
                                    severity="warning", key=bool(finding.parameter)))
    return problems
