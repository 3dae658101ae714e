"""A pytest plugin that collects policy test files (``*.tests.yaml``) as test items.

Agencies keep their policy cases next to the policy and run them with plain ``pytest``:
each case in ``model-deflection.tests.yaml`` becomes one item, reported as
``model-deflection.tests.yaml::<case name>``. The policy is the file named like the test
file without ``.tests`` (``model-deflection.yaml``), or the one given by a ``policy:`` key.

The plugin is registered through the ``pytest11`` entry point, so it is active wherever
deflectkit is installed. It only claims files ending in ``.tests.yaml``; everything else is
left to pytest, so it never changes how an ordinary test suite is collected. deflectkit's
policy modules are imported only when such a file is actually collected.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

__all__ = ["PolicyCaseError", "PolicyCaseItem", "PolicyTestFile", "pytest_collect_file"]

_SUFFIX = ".tests.yaml"


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    """Claim ``*.tests.yaml`` files; leave every other file alone."""
    if file_path.name.endswith(_SUFFIX):
        return PolicyTestFile.from_parent(parent, path=file_path)
    return None


class PolicyTestFile(pytest.File):
    """One policy test file; its cases are the items."""

    def collect(self) -> Iterator[pytest.Item]:
        """Load the file and its policy, and yield one item per case."""
        from deflectkit.errors import DeflectkitError
        from deflectkit.files.policy_tests import load_test_file

        try:
            suite = load_test_file(self.path)
        except DeflectkitError as exc:
            raise self.CollectError(str(exc)) from None
        for case in suite.cases:
            yield PolicyCaseItem.from_parent(self, name=case.name, suite=suite, case=case)


class PolicyCaseItem(pytest.Item):
    """One ``{name, as_of, facts, expect}`` case of a policy test file."""

    def __init__(self, *, suite: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.suite = suite
        self.case = case

    def runtest(self) -> None:
        """Assess the case and fail with the file, line, differences and trace if it differs."""
        from deflectkit.files.policy_tests import run_case

        outcome = run_case(self.suite, self.case)
        if not outcome.passed:
            raise PolicyCaseError(outcome.report())

    def repr_failure(
        self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None
    ) -> str:
        """Show the readable report instead of a Python traceback."""
        if isinstance(excinfo.value, PolicyCaseError):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """Point pytest's report at the case's line in the test file."""
        line = self.case.line - 1 if self.case.line else None
        return self.path, line, f"policy case: {self.name}"


class PolicyCaseError(AssertionError):
    """A policy case's decision differs from its ``expect``."""
