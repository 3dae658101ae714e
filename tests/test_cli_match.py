"""Tests for ``deflectkit match`` against the bundled sample directory and small temp ones."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from deflectkit.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "providers"
#: Wednesday 4 March 2026, 03:00 in Tucson (Arizona keeps MST all year).
THREE_AM = "2026-03-04T03:00-07:00"

pytestmark = pytest.mark.skipif(not SAMPLE.is_dir(), reason="sample providers not present")


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    """Run the command with --format json and return the parsed output (exit code 0)."""
    code = main(["match", "--format", "json", *args])
    out = capsys.readouterr().out
    assert 0 == code
    return json.loads(out)


class TestSampleDirectory:
    """The officer at 3 a.m. in downtown Tucson."""

    def test_only_open_for_intake_ranked(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Every row is open now, rows are in score order, and each has reasons and phones."""
        rows = run_json(
            capsys,
            "--directory",
            str(SAMPLE),
            "--need",
            "opioids",
            "--at",
            THREE_AM,
            "--near",
            "85701",
        )

        assert rows, "the sample directory has providers open at 3 a.m."
        assert [True] * len(rows) == [r["open_now"] for r in rows]
        assert sorted(r["score"] for r in rows) == [r["score"] for r in rows]
        assert [] == [r["id"] for r in rows if not r["reasons"] or not r["phones"]]
        assert {
            "id",
            "name",
            "distance_km",
            "open_now",
            "opens_at",
            "phones",
            "reasons",
        } <= set(rows[0])

    def test_include_closed_gives_next_opening(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Closed providers appear when asked, each with the time it opens."""
        rows = run_json(
            capsys,
            "--directory",
            str(SAMPLE),
            "--need",
            "opioids",
            "--at",
            THREE_AM,
            "--near",
            "85701",
            "--include-closed",
            "--limit",
            "50",
        )
        closed = [r for r in rows if r["open_now"] is False]

        assert closed, "some sample providers keep business hours"
        assert [] == [r["id"] for r in closed if not r["opens_at"]]
        assert [] == [r for r in closed if r["opens_at"] <= "2026-03-04T03:00"]

    def test_explain(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--explain adds the closest excluded providers, each with reasons."""
        data = run_json(
            capsys,
            "--directory",
            str(SAMPLE),
            "--need",
            "opioids",
            "--at",
            THREE_AM,
            "--near",
            "85701",
            "--explain",
            "3",
        )

        assert 3 == len(data["excluded"])
        assert [] == [e["id"] for e in data["excluded"] if not e["excluded_because"]]

    def test_naive_time_uses_zip_zone(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A time without offset is read in the --near ZIP code's zone: same answer."""
        with_offset = run_json(
            capsys,
            "--directory",
            str(SAMPLE),
            "--need",
            "mental_health",
            "--at",
            THREE_AM,
            "--near",
            "85701",
        )
        naive = run_json(
            capsys,
            "--directory",
            str(SAMPLE),
            "--need",
            "mental_health",
            "--at",
            "2026-03-04T03:00",
            "--near",
            "85701",
        )

        assert with_offset == naive

    def test_text_output(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Text output lists providers with reasons and reminds that this is advice."""
        code = main(
            [
                "match",
                "--directory",
                str(SAMPLE),
                "--need",
                "opioids,mental_health",
                "--at",
                THREE_AM,
                "--near",
                "32.2217,-110.9265",
                "--dropoff",
                "--limit",
                "2",
            ]
        )
        out = capsys.readouterr().out

        assert 0 == code
        assert " 1. " in out
        assert "    + takes police drop-offs" in out
        assert out.rstrip().endswith("the officer's discretion is final.")


class TestZipFallback:
    """A provider without coordinates is placed at its ZIP centroid, and says so."""

    def test_reason_names_the_centroid(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The row's reasons mention the ZIP centroid, and located_by says zip_centroid."""
        (tmp_path / "example-no-coordinates.yaml").write_text(
            "name: Example No Coordinates Clinic\n"
            "sample: true\n"
            "phones: [{number: '+1 520-555-0150'}]\n"
            "location:\n"
            "  address: {street: 1 Example Way, city: Tucson, state: AZ, postal_code: '85705'}\n"
            "  timezone: America/Phoenix\n"
            "hours: 24/7\n"
            "substances: [opioids]\n",
            encoding="utf-8",
        )

        rows = run_json(
            capsys,
            "--directory",
            str(tmp_path),
            "--need",
            "opioids",
            "--at",
            THREE_AM,
            "--near",
            "85701",
        )

        assert ["zip_centroid"] == [r["located_by"] for r in rows]
        assert any("ZIP 85705 centroid" in reason for reason in rows[0]["reasons"])


class TestBadArguments:
    """Bad arguments: one line on stderr, exit 2, no traceback."""

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["--need", "opiods", "--at", THREE_AM], "did you mean 'opioids'?"),
            (["--need", "opioids", "--at", "tomorrow-ish"], "is not an ISO 8601 time"),
            (["--need", "opioids", "--at", "2026-03-04T03:00"], "has no UTC offset"),
            (["--need", "opioids", "--at", THREE_AM, "--near", "00000"], "unknown ZIP code"),
            (
                ["--need", "opioids", "--at", "2026-03-04T03:00", "--near", "00000"],
                "unknown ZIP code",
            ),
            (["--need", "opioids", "--at", THREE_AM, "--near", "north"], "cannot read"),
            (["--need", "opioids", "--at", THREE_AM, "--limit", "0"], "at least 1"),
            (
                ["--need", "opioids", "--at", THREE_AM, "--payment", "medicaide"],
                "did you mean 'medicaid'?",
            ),
        ],
    )
    def test_usage_error(
        self, capsys: pytest.CaptureFixture[str], args: list[str], message: str
    ) -> None:
        """Each mistake is reported in one line naming the problem."""
        code = main(["match", "--directory", str(SAMPLE), *args])
        err = capsys.readouterr().err

        assert (2, 1) == (code, len(err.strip().splitlines()))
        assert message in err
        assert "Traceback" not in err
