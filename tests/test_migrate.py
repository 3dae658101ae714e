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
    assert ("schema: deflectkit/policy@9 is newer than this deflectkit reads (up to "
            "deflectkit/policy@1): upgrade deflectkit (pip install -U deflectkit) to read it",
            ) == outcome.notes


def test_a_schema_line_of_another_kind_is_an_error() -> None:
    """(The same sentence the loaders give; it used to be migrate's own wording.)"""
    text = MODEL.read_text("utf-8").replace("deflectkit/policy@1", "deflectkit/provider@1")

    outcome = m.migrate_text(text, "policy", "p.yaml")
    assert ("error", ("schema: this names a provider (deflectkit/provider@1), not a policy: "
                      "write 'deflectkit/policy@1' here",)) == (outcome.status, outcome.notes)


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


def test_the_repository_providers_are_current(capsys: pytest.CaptureFixture[str]) -> None:
    assert 0 == main(["migrate", str(DATA / "providers"), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert {("provider", "current")} == {(r["kind"], r["status"]) for r in report}
    assert len(report) == len(list((DATA / "providers").glob("*.yaml")))


def test_a_missing_path_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert 2 == main(["migrate", str(tmp_path / "nope")])
    err = capsys.readouterr().err
    assert 1 == len(err.splitlines())
    assert "no such file or folder" in err


# --- providers: the schema line stamped, everything else kept ---------------------------------

PROVIDER = DATA / "providers/example-crisis-response-center.yaml"


def _unversioned_provider(tmp_path: Path) -> Path:
    """A repository provider as it was written before providers named their format."""
    folder = tmp_path / "providers"
    folder.mkdir()
    target = folder / "example-crisis-response-center.yaml"
    text = PROVIDER.read_text("utf-8")
    assert "schema: deflectkit/provider@1\n" in text
    target.write_text(text.replace("schema: deflectkit/provider@1\n", "", 1), "utf-8")
    return target


def test_a_provider_dry_run_shows_the_diff_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    provider = _unversioned_provider(tmp_path)
    before = provider.read_text("utf-8")

    assert 1 == main(["migrate", str(tmp_path)])
    out = capsys.readouterr().out
    assert before == provider.read_text("utf-8")
    assert f"{provider}: would migrate" in out
    assert "  added `schema: deflectkit/provider@1` (the file named no format)" in out
    assert "    +schema: deflectkit/provider@1" in out  # the diff, with its context line
    assert "     # yaml-language-server: $schema=../../schemas/provider.schema.json" in out
    assert "1 file: 0 current, 0 migrated, 1 to migrate (run with --write), 0 errors" in out


def test_a_provider_is_written_with_its_comments_and_key_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    provider = _unversioned_provider(tmp_path)
    provider.write_text(provider.read_text("utf-8").replace(
        "\nname:", "\n# checked by phone with the intake desk\nname:", 1), "utf-8")
    provider.chmod(0o640)
    before = provider.read_text("utf-8").splitlines(keepends=True)

    assert 0 == main(["migrate", str(provider), "--write"])
    after = provider.read_text("utf-8").splitlines(keepends=True)
    assert [*before[:2], "schema: deflectkit/provider@1\n", *before[2:]] == after
    assert 0o640 == provider.stat().st_mode & 0o777  # the atomic writer keeps the mode
    assert f"{provider}: migrated" in capsys.readouterr().out
    assert 0 == main(["migrate", str(provider)])  # and now it is current


def test_a_newer_provider_is_refused_and_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    provider = _unversioned_provider(tmp_path)
    provider.write_text(PROVIDER.read_text("utf-8").replace("provider@1", "provider@2"), "utf-8")
    before = provider.read_text("utf-8")

    assert 1 == main(["migrate", str(provider), "--write"])
    out = capsys.readouterr().out
    assert before == provider.read_text("utf-8")
    assert f"{provider}: error" in out
    assert out.endswith("1 file: 0 current, 0 migrated, 0 to migrate (run with --write), 1 error\n")
    assert (f"{provider}:2:9: error: schema: deflectkit/provider@2 is newer than this "
            "deflectkit reads (up to deflectkit/provider@1)") in out


def test_a_layout_the_edit_cannot_handle_is_refused_whole() -> None:
    """A flow mapping over two lines: a line put before `location` would land inside it."""
    text = "{name: Example Clinic,\nlocation: {timezone: America/Phoenix}}\n"

    outcome = m.migrate_text(text, "provider", "x.yaml")
    assert ("error", None) == (outcome.status, outcome.text)
    assert "make the change by hand" in outcome.notes[0]


def test_a_failed_write_leaves_the_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import os

    provider = _unversioned_provider(tmp_path)
    before = provider.read_text("utf-8")

    def full_disk(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    assert 1 == main(["migrate", str(provider), "--write"])
    assert before == provider.read_text("utf-8")
    assert [provider.name] == [p.name for p in provider.parent.iterdir()]  # no temporary file
    assert "not written (No space left on device); the file is unchanged" in (
        capsys.readouterr().out)


# --- first-format policies: scope written down, decisions unchanged ----------------------------

COUNTY = Path(__file__).parent / "data/policies/example-county.yaml"


def test_a_first_format_policy_gains_its_scopes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = tmp_path / "policies" / "example-county.yaml"
    policy.parent.mkdir()
    policy.write_text(COUNTY.read_text("utf-8"), "utf-8")

    assert 1 == main(["migrate", str(policy)])
    out = capsys.readouterr().out
    assert COUNTY.read_text("utf-8") == policy.read_text("utf-8")
    assert "`scope: encounter` written on 4 criteria and exclusions" in out
    assert out.count("    +      scope: encounter") == 4
    assert "no `charge:`" in out  # which rules are about the charge is the agency's call

    assert 0 == main(["migrate", str(policy), "--write"])
    before = COUNTY.read_text("utf-8").splitlines()
    after = policy.read_text("utf-8").splitlines()
    assert [line for line in after if line not in before] == ["      scope: encounter"] * 4
    assert [line for line in after if line.strip() != "scope: encounter"] == before
    assert 0 == main(["migrate", str(policy)])


def test_a_migrated_first_format_policy_decides_as_before(tmp_path: Path) -> None:
    """The 320 recorded decisions of the two first-format policies, after migrating them.

    Example Town's tutorial policy was migrated with the command: without the lines the
    command wrote it is first-format again, and migrating that gives the committed file.
    """
    from deflectkit.files.migration import migrate_first_format
    from tests.test_policy_first_format import GOLDEN, ROOT

    for policy_path, cases in GOLDEN.items():
        committed = (ROOT / policy_path).read_text("utf-8")
        written = "      scope: encounter\n"
        original = tmp_path / f"original-{Path(policy_path).name}"
        original.write_text(committed.replace(written, ""), "utf-8")
        text, changes = migrate_first_format(original.read_text("utf-8"), "p")
        assert changes
        if written in committed:
            assert committed == text
        migrated = tmp_path / Path(policy_path).name
        migrated.write_text(text, "utf-8")
        before, after = dk.load_policy(original), dk.load_policy(migrated)
        assert {r.scope for r in after.rules} == {"encounter"}
        for case in cases:
            args = {"as_of": case["as_of"], "explain": case["explain"]}
            old = dk.to_json(dk.assess(before, case["facts"], **args))
            new = dk.to_json(dk.assess(after, case["facts"], **args))
            old["policy"].pop("digest")
            new["policy"].pop("digest")
            assert old == new


def test_flow_style_rules_and_require_are_migrated() -> None:
    text = COUNTY.read_text("utf-8")
    text = text.replace(
        "    - id: C-AGE\n      label: Adult at time of contact\n      reason: UNDER_AGE\n"
        "      cite: [{title: GO 4.12, section: \"§2(a)\"}]\n"
        "      when: {derived: age_at_contact, op: ge, param: min_age}\n",
        "    - {id: C-AGE, label: Adult, reason: UNDER_AGE, effect: require,  # first format\n"
        "       cite: [{title: GO 4.12}], when: {derived: age_at_contact, op: ge, "
        "param: min_age}}\n")
    assert "effect: require" in text

    outcome = m.migrate_text(text, "policy", "p.yaml")
    assert "would_migrate" == outcome.status
    assert outcome.text is not None
    assert ("    - {id: C-AGE, label: Adult, reason: UNDER_AGE, effect: exclude,  # first format\n"
            "       cite: [{title: GO 4.12}], scope: encounter, when: {derived: age_at_contact,"
            in outcome.text)
    assert any("`effect: require` became `effect: exclude` on 1 criterion" in c
               for c in outcome.changes)


def test_a_policy_with_charge_keeps_its_default_scopes() -> None:
    """In a current policy a rule without `scope` is a choice, not a first-format leftover."""
    outcome = m.migrate_text(MODEL.read_text("utf-8"), "policy", "p.yaml")
    assert ("current", ()) == (outcome.status, outcome.changes)


def test_crlf_line_ends_are_kept(tmp_path: Path) -> None:
    """A file saved on Windows gets one CRLF line more, not every line end rewritten."""
    provider = _unversioned_provider(tmp_path)
    text = provider.read_text("utf-8")
    provider.write_bytes(text.replace("\n", "\r\n").encode())

    assert 0 == main(["migrate", str(provider), "--write"])
    after = provider.read_bytes().decode()
    assert after.count("\r\n") == text.count("\n") + 1
    assert "\nschema: deflectkit/provider@1\r\n" in after
    assert "\n" not in after.replace("\r\n", "")


def test_json_output_carries_the_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    provider = _unversioned_provider(tmp_path)

    assert 1 == main(["migrate", str(provider), "--format", "json"])
    (report,) = json.loads(capsys.readouterr().out)
    assert ("provider", "would_migrate") == (report["kind"], report["status"])
    assert "+schema: deflectkit/provider@1" in report["diff"]
    assert f"--- {provider}" == report["diff"][0]


def test_a_byte_order_mark_is_kept_and_not_counted(tmp_path: Path) -> None:
    """Editors on Windows may start a file with one; the parser's positions start after it."""
    outcome = m.migrate_text("\ufeff" + COUNTY.read_text("utf-8"), "policy", "p.yaml")
    assert "would_migrate" == outcome.status
    assert outcome.text is not None
    assert outcome.text.startswith("\ufeff# A second agency's policy")
    assert 4 == outcome.text.count("\n      scope: encounter\n")

    stamped = m.migrate_text("\ufeffname: Example\nlocation: {timezone: UTC}\n", "provider")
    assert (stamped.text or "").startswith("\ufeffschema: deflectkit/provider@1\nname: Example\n")


# --- files that must not be rewritten, and files that change under migrate ------------------


def test_a_read_only_file_is_not_rewritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The rename would replace it (even run as root): its mode says not to."""
    provider = _unversioned_provider(tmp_path)
    before = provider.read_bytes()
    provider.chmod(0o444)

    assert 1 == main(["migrate", str(provider), "--write"])
    assert before == provider.read_bytes()
    assert "not written: the file is read-only" in capsys.readouterr().out
    provider.chmod(0o644)
    assert 0 == main(["migrate", str(provider), "--write"])


def test_an_edit_made_while_migrating_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Someone saves the file between migrate's read and its write: their save wins."""
    provider = _unversioned_provider(tmp_path)
    migrate = m.migrate_text

    def save_meanwhile(text: str, kind: str, name: str = "<text>") -> m.Outcome:
        provider.write_text(text + "# saved by an editor meanwhile\n", "utf-8")
        return migrate(text, kind, name)

    monkeypatch.setattr(m, "migrate_text", save_meanwhile)
    assert 1 == main(["migrate", str(provider), "--write"])
    assert provider.read_text("utf-8").endswith("# saved by an editor meanwhile\n")
    assert "schema:" not in provider.read_text("utf-8")
    assert "not written: the file changed while it was being migrated" in capsys.readouterr().out


@pytest.mark.parametrize("swapped_for", ["latin-1", "fifo", "too-big"])
def test_a_file_swapped_after_its_checks_is_an_error_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    swapped_for: str,
) -> None:
    """The checks read the file, then migrate read it again raw: a file changed in between
    raised UnicodeDecodeError, or hung on a FIFO, or was read whole however big."""
    import os

    provider = _unversioned_provider(tmp_path)
    checks = m._unreadable

    def swap_after_checks(path: Path, kind: str) -> m.Outcome | None:
        found = checks(path, kind)
        path.unlink()
        if swapped_for == "fifo":
            os.mkfifo(path)
        else:
            size = 2_000_000 if swapped_for == "too-big" else 1
            path.write_bytes(b"name: caf\xe9\n" * size)
        return found

    monkeypatch.setattr(m, "_unreadable", swap_after_checks)
    assert 1 == main(["migrate", str(provider), "--write"])
    out = capsys.readouterr().out
    assert f"{provider}: error" in out
    assert "Traceback" not in out


def test_a_file_with_cr_line_ends_and_a_first_comment_is_migrated(tmp_path: Path) -> None:
    """Classic Mac line ends: the reader called such a file empty; now the schema line is
    added with the file's own line end."""
    provider = _unversioned_provider(tmp_path)
    text = provider.read_text("utf-8")
    assert text.startswith("#")
    provider.write_bytes(text.replace("\n", "\r").encode())

    assert 0 == main(["migrate", str(provider), "--write"])
    after = provider.read_bytes().decode()
    assert "\rschema: deflectkit/provider@1\r" in after
    assert "\n" not in after
    assert 0 == main(["validate", str(provider)])
