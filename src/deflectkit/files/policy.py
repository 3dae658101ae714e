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

__all__ = ["check_policy", "load_policy", "policy_problems", "read_policy"]


def policy_problems(doc: YamlDocument) -> tuple[Policy | None, list[Problem]]:
    """Build the policy in ``doc``; return it (or ``None``) and every problem with its place."""
    policy, issues = build_policy(doc.value, source=doc.path)
    problems = [
        doc.problem(i.path, i.message, key=i.key, severity=i.severity) for i in issues
    ]
    return policy, problems


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
        raise PolicyError(errors or problems, f"{path}: {len(errors)} problem(s) in the policy")
    return policy


def check_policy(path: str | Path) -> list[Problem]:
    """Every problem in a policy file (empty when it is valid); never raises for bad data.

    Used by ``deflectkit validate``.
    """
    return read_policy(path)[1]
