"""Loading policies: every defect reported with file, line, path inside the policy and a caret."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from deflectkit.errors import PolicyError, sort_problems
from deflectkit.files.policy import check_policy, load_policy

BROKEN = Path(__file__).parent / "data" / "broken_policies"
MODEL = Path(__file__).resolve().parent.parent / "data" / "policies" / "model-deflection.yaml"
_EXPECT = re.compile(r"^# expect: (\d+): (.+)$", re.MULTILINE)


def _expected(path: Path) -> tuple[int, str]:
    match = _EXPECT.search(path.read_text(encoding="utf-8"))
    assert match is not None, f"{path} lacks its '# expect: LINE: MESSAGE' header"
    return int(match.group(1)), match.group(2)


BROKEN_FILES = sorted(BROKEN.glob("*.yaml"))


def test_corpus_is_large() -> None:
    """The corpus covers many kinds of defect (one file each)."""
    assert len(BROKEN_FILES) >= 20


@pytest.mark.parametrize("path", BROKEN_FILES, ids=lambda p: p.stem)
def test_broken_policy_reports_line_and_message(path: Path) -> None:
    """Each broken policy yields the expected message on the expected line, with a caret."""
    line, message = _expected(path)
    problems = check_policy(path)

    matching = [p for p in problems if p.line == line and message in p.message]
    assert matching, "\n".join(p.format() for p in problems)
    problem = matching[0]
    assert str(path) == problem.path
    assert problem.snippet is not None
    source, caret = problem.snippet.splitlines()
    assert path.read_text(encoding="utf-8").splitlines()[line - 1] == source[2:]
    assert caret.strip() == "^"


@pytest.mark.parametrize("path", BROKEN_FILES, ids=lambda p: p.stem)
def test_load_policy_raises_with_every_problem(path: Path) -> None:
    """``load_policy`` raises ``PolicyError`` carrying the problems ``check_policy`` found."""
    with pytest.raises(PolicyError) as info:
        load_policy(path)

    expected = sort_problems(p for p in check_policy(path) if p.is_error)
    assert expected == list(info.value.problems)


def test_unknown_key_points_at_the_key_with_its_column(tmp_path: Path) -> None:
    """An unknown key names file:line:col of the key and the path inside the policy."""
    text = MODEL.read_text(encoding="utf-8").replace(
        "      reason: WEAPON\n", "      reason: WEAPON\n      severity: high\n"
    )
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("      severity: high") + 1

    (problem,) = check_policy(path)

    assert (str(path), line, 7) == (problem.path, problem.line, problem.column)
    assert "eligibility.exclusions[8].severity" == problem.field
    assert f"{path}:{line}:7: error: eligibility.exclusions[8].severity: unknown key" \
        " 'severity' in exclusion rule; the keys allowed here are: id, label, reason, cite," \
        " when, effect, scope, first_step, effective, description" == problem.format()
    assert "        severity: high\n        ^" == problem.snippet


def test_every_error_is_collected_not_just_the_first(tmp_path: Path) -> None:
    """Three independent defects give three problems."""
    text = (MODEL.read_text(encoding="utf-8")
            .replace("op: ge, param: min_age", "op: gee, param: min_age")
            .replace("{fact: weapon_present, op: eq", "{fact: weapon, op: eq")
            .replace("pathway: naloxone_plus", "pathway: naloxone"))
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")

    problems = check_policy(path)

    assert 3 == len(problems)
    assert all(p.line is not None for p in problems)


def test_check_policy_never_raises_for_unreadable_files(tmp_path: Path) -> None:
    """A missing file, an empty file and a non-mapping come back as problems."""
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing\n", encoding="utf-8")
    scalar = tmp_path / "scalar.yaml"
    scalar.write_text("just words\n", encoding="utf-8")

    assert "cannot read file" in check_policy(tmp_path / "missing.yaml")[0].message
    assert "the file is empty" == check_policy(empty)[0].message
    assert "policy must be a mapping of keys and values, got the text 'just words'" == (
        check_policy(scalar)[0].message
    )


def test_model_policy_loads_cleanly() -> None:
    """The bundled model policy has no problems at all."""
    assert [] == check_policy(MODEL)
