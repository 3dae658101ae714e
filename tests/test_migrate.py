"""``deflectkit migrate``: policy files brought to the current format, text and comments kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import deflectkit as dk
from deflectkit.cli import main
from deflectkit.cli import migrate as m
from deflectkit.core.policy.build import TOP_KEYS
from tests.conftest import DATA

MODEL = DATA / "policies/model-deflection.yaml"


def _unstamped(tmp_path: Path) -> Path:
    """The model policy without its `schema:` line, as a file that names no format."""
    folder = tmp_path / "policies"
    folder.mkdir()
    target = folder / "p.yaml"
    lines = MODEL.read_text("utf-8").splitlines(keepends=True)
    target.write_text("".join(line for line in lines if not line.startswith("schema:")), "utf-8")
    return target


def test_the_model_policy_is_current(capsys: pytest.CaptureFixture[str]) -> None:
    assert 0 == main(["migrate", str(MODEL)])
    assert f"{MODEL}: current" in capsys.readouterr().out


def test_a_file_naming_no_format_is_reported_then_stamped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = _unstamped(tmp_path)
    before = policy.read_text("utf-8")

    assert 1 == main(["migrate", str(tmp_path)])  # a dry run: reported, not written
    assert before == policy.read_text("utf-8")
    assert "added `schema: deflectkit/policy@1`" in capsys.readouterr().out

    assert 0 == main(["migrate", str(tmp_path), "--write"])
    after = policy.read_text("utf-8")
    assert MODEL.read_text("utf-8") == after  # the line is back where the model has it
    assert "model-deflection" == dk.load_policy(policy).id
    assert 0 == main(["migrate", str(tmp_path)])


def test_a_newer_format_says_to_upgrade(tmp_path: Path) -> None:
    text = MODEL.read_text("utf-8").replace("deflectkit/policy@1", "deflectkit/policy@9")

    outcome = m.migrate_text(text, "policy", "p.yaml")
    assert "error" == outcome.status
    assert "written for a newer deflectkit (policy@9" in outcome.notes[0]


def test_a_schema_line_of_another_kind_is_an_error() -> None:
    text = MODEL.read_text("utf-8").replace("deflectkit/policy@1", "deflectkit/provider@1")

    outcome = m.migrate_text(text, "policy", "p.yaml")
    assert ("error", ("'schema: deflectkit/provider@1' does not name a policy format such as "
                      "deflectkit/policy@1",)) == (outcome.status, outcome.notes)


def test_steps_chain_and_keep_comments(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two registered steps take a file from @1 to @3 in one run, comments untouched."""
    monkeypatch.setattr(m, "current_version", lambda kind: 3)
    monkeypatch.setitem(m.MIGRATIONS, ("policy", 1), m.Migration(
        2, "follow_up became followup", lambda t: t.replace("follow_up:", "followup:")))
    monkeypatch.setitem(m.MIGRATIONS, ("policy", 2), m.Migration(
        3, "followup became aftercare", lambda t: t.replace("followup:", "aftercare:")))
    text = MODEL.read_text("utf-8")

    outcome = m.migrate_text(text, "policy", "p.yaml")
    assert "would_migrate" == outcome.status
    assert ("policy@1 -> @2: follow_up became followup",
            "policy@2 -> @3: followup became aftercare") == outcome.changes
    assert outcome.text is not None
    assert "schema: deflectkit/policy@3\n" in outcome.text
    assert "aftercare:" in outcome.text
    expected = text.replace("deflectkit/policy@1", "deflectkit/policy@3").replace(
        "follow_up:", "aftercare:")
    assert expected == outcome.text


def test_a_missing_step_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(m, "current_version", lambda kind: 2)

    outcome = m.migrate_text(MODEL.read_text("utf-8"), "policy", "p.yaml")
    assert "error" == outcome.status
    assert outcome.notes[0].startswith("no migration from policy@1")


def test_a_step_that_breaks_the_file_is_not_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The result is loaded before writing; the loader here still wants @1, so @2 fails."""
    policy = _unstamped(tmp_path)
    policy.write_text(MODEL.read_text("utf-8"), "utf-8")
    monkeypatch.setattr(m, "current_version", lambda kind: 2)
    monkeypatch.setitem(m.MIGRATIONS, ("policy", 1), m.Migration(2, "nothing", lambda t: t))

    assert 1 == main(["migrate", str(policy), "--write"])
    assert MODEL.read_text("utf-8") == policy.read_text("utf-8")
    assert "after migrating, it does not load" in capsys.readouterr().out


def test_notes_explain_a_policy_without_charge() -> None:
    outcome = m.migrate_text(MODEL.read_text("utf-8").replace("\ncharge:", "\nx-charge:"),
                             "policy", "p.yaml")
    if "charge" in TOP_KEYS:  # the two-question format is in this deflectkit
        assert outcome.notes[0].startswith("no `charge:`")
    else:
        assert () == outcome.notes


def test_providers_have_one_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert 0 == main(["migrate", str(DATA / "providers"), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert {("provider", "current")} == {(r["kind"], r["status"]) for r in report}


def test_a_missing_path_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert 2 == main(["migrate", str(tmp_path / "nope")])
    err = capsys.readouterr().err
    assert 1 == len(err.splitlines())
    assert "no such file or folder" in err
