"""``deflectkit import`` and ``deflectkit export`` from the command line."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import pytest

from deflectkit.cli import main

FIXTURES = Path(__file__).resolve().parent / "data" / "interop" / "providers"
EXAMPLES = (
    Path(__file__).resolve().parent.parent.parent
    / "shared" / "datasets" / "hsds_3_0_schema" / "examples"
)

HEADER = "    name1,name2,street1,street2,city,state,zip,phone,intake1,website,type_facility,op,bu "
ROW = "Example Clinic,,1 Example Way,,Tucson,AZ,85701,520-555-0110,{intake},https://example.org,SU,1,1"
EXPORT_NAME = "FindTreament_Facility_listing_2025_08_19_150020.csv"


def _export(tmp_path: Path, *rows: str, name: str = EXPORT_NAME) -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


class TestImportSamhsa:
    """The SAMHSA import: counts, no silent overwrites, diffs, dry runs, usage errors."""

    def test_import_then_reimport(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                  ) -> None:
        """First run creates; a changed export is kept without --update, diffed with it."""
        out = tmp_path / "providers"
        first = _export(tmp_path, ROW.format(intake="520-555-0111"))

        assert 0 == main(["import", "samhsa", str(first), "--out", str(out)])
        assert "1 record read, 1 provider: 1 new" in capsys.readouterr().out
        file = out / "example-clinic-tucson.yaml"
        before = file.read_text(encoding="utf-8")

        changed = _export(tmp_path, ROW.format(intake="520-555-0119"), name="x_2025_08_20.csv")
        assert 0 == main(["import", "samhsa", str(changed), "--out", str(out)])
        text = capsys.readouterr().out
        assert "0 new, 0 updated, 0 unchanged, 1 kept" in text
        assert "--update" in text
        assert before == file.read_text(encoding="utf-8")

        assert 0 == main(["import", "samhsa", str(changed), "--out", str(out), "--update",
                          "--dry-run"])
        text = capsys.readouterr().out
        assert f"would update {file}:" in text
        assert "  phones[1].number: '+1 520-555-0111' → '+1 520-555-0119'" in text
        assert "(dry run: nothing written)" in text
        assert before == file.read_text(encoding="utf-8")

        assert 0 == main(["import", "samhsa", str(changed), "--out", str(out), "--update"])
        assert f"updated {file}:" in capsys.readouterr().out
        assert "+1 520-555-0119" in file.read_text(encoding="utf-8")
        assert "date: 2025-08-20" in file.read_text(encoding="utf-8")

    def test_a_hand_written_file_is_never_taken_over(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A file a person wrote with the same name is left alone, even with --update."""
        out = tmp_path / "providers"
        out.mkdir()
        mine = out / "example-clinic-tucson.yaml"
        mine.write_text("name: Example Clinic\nlocation: {timezone: America/Phoenix}\n")
        path = _export(tmp_path, ROW.format(intake=""))

        assert 0 == main(["import", "samhsa", str(path), "--out", str(out), "--update"])
        capsys.readouterr()
        assert "name: Example Clinic\nlocation: {timezone: America/Phoenix}\n" == (
            mine.read_text()
        )
        assert (out / "example-clinic-tucson-1-example-way.yaml").exists()

    def test_providers_gone_from_the_source_are_reported(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A facility missing from the new export is a warning; its file stays."""
        out = tmp_path / "providers"
        other = ROW.format(intake="").replace("Example Clinic", "Example Annex")
        both = _export(tmp_path, ROW.format(intake=""), other)
        assert 0 == main(["import", "samhsa", str(both), "--out", str(out)])
        one = _export(tmp_path, ROW.format(intake=""), name="x_2025_08_21.csv")
        capsys.readouterr()

        assert 0 == main(["import", "samhsa", str(one), "--out", str(out)])
        err = capsys.readouterr().err
        gone = out / "example-annex-tucson.yaml"
        assert f"{gone}: warning: not in this SAMHSA export any more" in err
        assert gone.exists()

    def test_dry_run_writes_nothing(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                    ) -> None:
        """--dry-run reports the counts and leaves no folder behind."""
        path = _export(tmp_path, ROW.format(intake=""))

        assert 0 == main(["import", "samhsa", str(path), "--out", str(tmp_path / "p"),
                          "--dry-run"])
        assert "1 new" in capsys.readouterr().out
        assert not (tmp_path / "p").exists()

    def test_bad_rows_exit_1_with_their_line(self, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
        """A row without a name is an error at its line; the good row still imports."""
        bad = ROW.format(intake="").replace("Example Clinic", "")
        path = _export(tmp_path, ROW.format(intake=""), bad)

        assert 1 == main(["import", "samhsa", str(path), "--out", str(tmp_path / "p")])
        captured = capsys.readouterr()
        errors = [line for line in captured.err.splitlines() if ": error: " in line]
        assert [f"{path}:3: error: name1: no facility name; row not imported"] == errors
        assert "1 not imported" in captured.out
        assert (tmp_path / "p" / "example-clinic-tucson.yaml").exists()

    def test_missing_export_date_is_a_usage_error(self, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
        """Without a date in the file name, --date is required."""
        path = _export(tmp_path, ROW.format(intake=""), name="facility-detail.csv")

        assert 2 == main(["import", "samhsa", str(path), "--out", str(tmp_path / "p")])
        assert "pass --date YYYY-MM-DD" in capsys.readouterr().err
        assert 0 == main(["import", "samhsa", str(path), "--out", str(tmp_path / "p"),
                          "--date", "2025-08-19"])

    def test_json_output(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """--format json (after the sub-command's arguments) gives counts and problems."""
        path = _export(tmp_path, ROW.format(intake="not a phone"))

        today = dt.date.today().isoformat()  # a fresh export: no "verified long ago" warning
        assert 0 == main(["import", "samhsa", str(path), "--out", str(tmp_path / "p"),
                          "--date", today, "--format", "json"])
        captured = capsys.readouterr()
        report = json.loads(captured.out)
        assert (1, 0, {"create": 1, "update": 0, "unchanged": 0, "kept": 0}) == (
            report["records"], report["not_imported"], report["files"]
        )
        assert [("intake1", "warning", 2)] == [
            (p["field"], p["severity"], p["line"]) for p in report["problems"]
        ]
        assert "" == captured.err  # no progress bar, no text when JSON is asked for

    def test_progress_bar_only_on_a_terminal(self, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
        """On a terminal, text output shows a progress bar on stderr; JSON output never does."""
        path = _export(tmp_path, ROW.format(intake=""))
        monkeypatch.setattr("sys.stderr.isatty", lambda: True)

        assert 0 == main(["import", "samhsa", str(path), "--out", str(tmp_path / "a"),
                          "--dry-run"])
        assert "records" in capsys.readouterr().err
        assert 0 == main(["import", "samhsa", str(path), "--out", str(tmp_path / "b"),
                          "--dry-run", "--format", "json"])
        assert "records" not in capsys.readouterr().err

    def test_missing_input_is_a_usage_error(self, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
        """A path that does not exist: exit 2, one line."""
        assert 2 == main(["import", "samhsa", str(tmp_path / "nope.csv"), "--out",
                          str(tmp_path / "p")])
        assert 1 == len(capsys.readouterr().err.splitlines())


class TestExportAndHsdsImport:
    """Export a folder, import it back through HSDS: the same files."""

    def test_round_trip_through_the_cli(self, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
        """export hsds, then import hsds into an empty folder gives identical files."""
        exported = tmp_path / "directory.json"
        assert 0 == main(["export", "hsds", str(FIXTURES), "--out", str(exported)])
        assert "4 providers in 3 organizations" in capsys.readouterr().out

        out = tmp_path / "again"
        assert 0 == main(["import", "hsds", str(exported), "--out", str(out)])
        capsys.readouterr()
        originals = sorted(FIXTURES.glob("*.yaml"))
        assert [p.name for p in originals] == sorted(p.name for p in out.glob("*.yaml"))
        for original in originals:
            assert original.read_text(encoding="utf-8") == (out / original.name).read_text(
                encoding="utf-8"
            )

    def test_export_csv(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """export csv writes a UTF-8 file with a byte order mark, one row each."""
        target = tmp_path / "out" / "providers.csv"

        assert 0 == main(["export", "csv", str(FIXTURES), "--out", str(target)])
        raw = target.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        assert 5 == len(raw.decode("utf-8-sig").strip().splitlines())
        assert [] == [p.name for p in target.parent.iterdir() if p.name.endswith(".tmp")]

    def test_export_refuses_invalid_providers(self, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
        """An invalid provider file stops the export; nothing is written."""
        folder = tmp_path / "providers"
        shutil.copytree(FIXTURES, folder)
        (folder / "broken.yaml").write_text("name: X\nlocation: {timezone: Nowhere/Town}\n")
        target = tmp_path / "out.json"

        assert 1 == main(["export", "hsds", str(folder), "--out", str(target)])
        assert f"{folder / 'broken.yaml'}:2:" in capsys.readouterr().err
        assert not target.exists()

    @pytest.mark.skipif(not EXAMPLES.exists() and not os.environ.get("CI"),
                        reason="the shared datasets folder (../shared) is not present")
    def test_import_official_example_warns_readably(self, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
        """Warnings name the file and the record, compiler style."""
        path = EXAMPLES / "service_full.json"

        assert 0 == main(["import", "hsds", str(path), "--out", str(tmp_path / "p")])
        err = capsys.readouterr().err.splitlines()
        assert err
        assert all(line.startswith(f"{path}: warning: ") for line in err)
        assert any("Community Counselling: address" in line for line in err)

