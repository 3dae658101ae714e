"""Counts read as English: ``1 problem``, ``2 problems``, never ``1 problem(s)``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import deflectkit as dk
from deflectkit.spelling import counted

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "deflectkit"


@pytest.mark.parametrize(
    ("count", "word", "many", "text"),
    [(0, "problem", None, "0 problems"), (1, "problem", None, "1 problem"),
     (2, "more problem", None, "2 more problems"), (1, "criterion", "criteria", "1 criterion"),
     (12_345, "criterion", "criteria", "12,345 criteria")],
)
def test_counted(count: int, word: str, many: str | None, text: str) -> None:
    assert text == counted(count, word, many)


def test_one_problem_is_one_problem() -> None:
    """The summary of one fact problem says "1 problem"."""
    policy = dk.load_policy(ROOT / "data" / "policies" / "model-deflection.yaml")
    with pytest.raises(dk.PolicyError) as caught:
        dk.assess(policy, {"contact_at": "2025-03-01T10:00:00-07:00", "age": "x"})
    assert "1 problem in the facts" in str(caught.value)


def test_no_message_counts_with_a_bracketed_plural() -> None:
    """No "N word(s)" is left in the package's messages: they use :func:`counted`."""
    pattern = re.compile(r"\}\s(?:[a-z]+\s)?[a-z]+\(s\)|[a-z]+\(s\) \{")
    found = [f"{path.relative_to(SRC)}:{n}" for path in SRC.rglob("*.py")
             for n, line in enumerate(path.read_text("utf-8").splitlines(), 1)
             if pattern.search(line)]
    assert [] == found
