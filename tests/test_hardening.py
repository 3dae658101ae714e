"""Regression tests for issue 16 ("nineteen ways hostile input still gets through").

The corpus in tests/hostile tries every hostile file against every command; these tests
pin the individual rules: escaping, cutting, depth, tags, UTF-16, unreadable folders,
file modes, links, the CI annotation escaping and the linear hours patterns.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from deflectkit.errors import DataError, Problem, caret_snippet, printable, shorten
from deflectkit.files import yamlio
from deflectkit.files.provider_writer import write_file_atomically, write_providers
from deflectkit.files.providers import check_provider_file, load_directory
from deflectkit.files.validation import validate
from deflectkit.files.yamlio import MAX_DEPTH, parse_yaml
from deflectkit.interop.hsds_hours import MAX_HOURS_TEXT, parse_clock, read_free_text

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 12, 1)
PROVIDER = "name: Example Clinic\nlocation: {timezone: America/Phoenix}\n"


class TestMessages:
    def test_control_characters_are_escaped_in_every_part(self) -> None:
        problem = Problem("x\x1b[2J.yaml", 3, 1, "k\r\n::error ::x", "m\x07\u202e")
        text = problem.format()
        assert "\n" not in text
        assert not re.search("[\x00-\x1f\x7f\u202e]", text)
        assert text.startswith("x\\x1b[2J.yaml:3:1: error: k\\r\\n::error ::x: m\\x07\\u202e")

    def test_a_huge_message_is_cut_saying_how_long_it_was(self) -> None:
        problem = Problem("x.yaml", 1, 1, "", "v" * 100_000)
        assert len(problem.message) < 1_100
        assert problem.message.endswith("(100,000 characters)")

    def test_shorten_leaves_short_text_alone(self) -> None:
        assert shorten("abc", 3) == "abc"

    def test_a_long_line_is_quoted_around_the_caret(self) -> None:
        line = "a" * 5_000 + "X" + "b" * 5_000
        quoted, caret = caret_snippet(line, 5_001).split("\n")
        assert len(quoted) < 200
        assert quoted[caret.index("^")] == "X"

    def test_escapes_before_the_caret_keep_it_under_the_spot(self) -> None:
        quoted, caret = caret_snippet("k\x1b: X", 5).split("\n")
        assert quoted[caret.index("^")] == "X"

    def test_printable_keeps_ordinary_text(self) -> None:
        assert printable("Clínica Ejemplo — 24/7") == "Clínica Ejemplo — 24/7"


class TestYamlLimits:
    def test_nesting_deeper_than_the_limit_is_a_problem_with_its_line(self) -> None:
        text = "name: x\nlist: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n"
        with pytest.raises(DataError) as caught:
            parse_yaml(text, "deep.yaml")
        (problem,) = caught.value.problems
        assert problem.line == 2
        assert "nested more than 100 levels" in problem.message

    def test_nesting_within_the_limit_reads(self) -> None:
        depth = MAX_DEPTH - 2
        value = parse_yaml("a: " + "[" * depth + "1" + "]" * depth, "ok.yaml").value["a"]
        for _ in range(depth):
            value = value[0]
        assert value == 1

    def test_the_pure_python_composer_stops_at_the_limit_too(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        class PureLoader(yaml.SafeLoader):
            pass

        monkeypatch.setattr(yamlio, "_Loader", PureLoader)
        with pytest.raises(DataError) as caught:
            parse_yaml("a: " + "[" * 3_000 + "]" * 3_000, "deep.yaml")
        assert "nested more than" in caught.value.problems[0].message
        assert caught.value.problems[0].line == 1

    def test_a_long_value_behind_many_aliases_is_refused(self) -> None:
        text = "a: &n " + "x" * 100_000 + "\nb:\n" + "  - *n\n" * 1_000
        with pytest.raises(DataError, match="more than 4,000,000 characters"):
            parse_yaml(text, "amp.yaml")

    @pytest.mark.parametrize(
        ("text", "line"),
        [
            ("a: !!python/object:subprocess.Popen {args: [id]}\n", 1),
            ("a: 1\nb: !!python/object/apply:os.system [echo]\n", 2),
            ("a: !!set {x, y}\n", 1),
            ("a: !!binary aGVsbG8=\n", 1),
            ("a: !local [1]\n", 1),
        ],
    )
    def test_every_non_plain_tag_is_refused_on_any_node(self, text: str, line: int) -> None:
        with pytest.raises(DataError) as caught:
            parse_yaml(text, "tag.yaml")
        (problem,) = caught.value.problems
        assert problem.line == line
        assert "is not allowed" in problem.message

    def test_plain_tags_are_fine(self) -> None:
        assert parse_yaml("a: !!str 1\nb: !!int '2'\nc: !!map {d: !!seq [1]}\n").value == {
            "a": "1", "b": 2, "c": {"d": [1]}
        }

    @pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
    def test_utf16_says_save_as_utf8(self, encoding: str) -> None:
        with pytest.raises(DataError, match="UTF-16 or UTF-32 text: save it as UTF-8"):
            parse_yaml(PROVIDER.encode(encoding), "x.yaml")

    def test_a_whole_number_of_thousands_of_digits_is_refused_plainly(self) -> None:
        with pytest.raises(DataError) as caught:
            parse_yaml("a: " + "9" * 5_000, "x.yaml")
        message = caught.value.problems[0].message
        assert message == "a whole number of 5,000 characters is far too long"

    def test_a_fifo_is_refused_without_blocking(self, tmp_path: Path) -> None:
        fifo = tmp_path / "x.yaml"
        os.mkfifo(fifo)
        with pytest.raises(DataError, match="not a regular file"):
            yamlio.read_yaml(fifo)


class TestAnyInput:
    """Short properties (the long fuzzing runs by hand: python -m tests.hostile.fuzz)."""

    @given(st.binary(max_size=400) | st.text(alphabet="ab:-[]{}&*!|>'\"#\n\t ,?%@`", max_size=400))
    def test_any_bytes_are_a_value_or_a_data_error(self, data: bytes | str) -> None:
        try:
            parse_yaml(data, "fuzz.yaml")
        except DataError as error:
            text = "\n".join(p.format(with_snippet=True) for p in error.problems)
            assert not re.search("[\x00-\x09\x0b-\x1f\x7f]", text)

    @pytest.mark.parametrize("text", ["NaN", "[Infinity]", '{"a": -Infinity}', "1e999",
                                      "9" * 5_000, "[" * 5_000])
    def test_json_that_is_not_finite_or_bounded_is_refused(self, text: str) -> None:
        from deflectkit.interop.hsds_tabular import loads_strict

        with pytest.raises(ValueError, match=r"not a JSON number|too large|too long|too deeply"):
            loads_strict(text)

    @given(st.text(alphabet="[]{}\"',:0123456789eE.-+ntrufalsNI\\", max_size=300))
    def test_any_text_is_finite_json_or_a_value_error(self, text: str) -> None:
        from deflectkit.interop.hsds_tabular import loads_strict

        try:
            value = loads_strict(text)
        except ValueError:
            return
        json.dumps(value, allow_nan=False)  # raises if a NaN or an infinity got through


class TestFolders:
    def test_an_unreadable_folder_is_reported(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        (tmp_path / "providers" / "locked").mkdir(parents=True)
        (tmp_path / "providers" / "example-clinic.yaml").write_text(PROVIDER, encoding="utf-8")
        real_scandir = os.scandir

        def scandir(path: Path) -> object:  # root can read anything: simulate EACCES
            if str(path).endswith("locked"):
                raise PermissionError(13, "Permission denied")
            return real_scandir(path)

        monkeypatch.setattr(os, "scandir", scandir)
        problems = validate([tmp_path / "providers"], today=TODAY)
        assert [(Path(p.path).name, p.message) for p in problems] == [
            ("locked", "cannot read this folder (Permission denied): its files were not checked")
        ]
        with pytest.raises(DataError, match="cannot read this folder"):
            load_directory(tmp_path / "providers", today=TODAY)

    def test_a_link_inside_the_folder_is_followed(self, tmp_path: Path) -> None:
        folder = tmp_path / "providers"
        folder.mkdir()
        (folder / "real").mkdir()
        (folder / "real" / "example-clinic.yaml").write_text(PROVIDER, encoding="utf-8")
        (folder / "example-link.yaml").symlink_to(folder / "real" / "example-clinic.yaml")
        assert [p for p in validate([folder], today=TODAY) if p.is_error] == []

    def test_one_broken_checker_does_not_stop_the_others(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from deflectkit.files import validation

        (tmp_path / "example-a.yaml").write_text(PROVIDER, encoding="utf-8")
        (tmp_path / "example-b.yaml").write_text("name: [\n", encoding="utf-8")
        real = validation.check_provider_file  # type: ignore[attr-defined]

        def flaky(path: Path, **kwargs: object) -> object:
            if path.name == "example-a.yaml":
                raise RecursionError("boom")
            return real(path, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(validation, "check_provider_file", flaky)
        problems = validate([tmp_path], today=TODAY)
        assert sorted(Path(p.path).name for p in problems) == ["example-a.yaml", "example-b.yaml"]
        assert "could not be checked (RecursionError)" in problems[0].message


class TestProviderValues:
    @pytest.mark.parametrize(
        ("line", "field"),
        [
            ("location: {timezone: America/Phoenix, coordinates: {lat: .nan, lon: 1}}",
             "location.coordinates.lat"),
            ("location: {timezone: America/Phoenix, coordinates: {lat: 1, lon: -.inf}}",
             "location.coordinates.lon"),
            ("intake: {officer_minutes: -5}", "intake.officer_minutes"),
            ("ages: {min: -3}", "ages.min"),
            ('description: "Example \\e[2J"', "description"),
            ('description: "Example \\u202e"', "description"),
        ],
    )
    def test_out_of_range_and_hidden_values_are_errors(
        self, tmp_path: Path, line: str, field: str
    ) -> None:
        base = PROVIDER if line.startswith(("intake", "ages", "description")) else "name: X\n"
        path = tmp_path / "example-x.yaml"
        path.write_text(base + line + "\n", encoding="utf-8")
        provider, problems = check_provider_file(path, today=TODAY)
        assert provider is None
        assert field in [p.field for p in problems if p.is_error]


class TestWriting:
    def test_an_export_keeps_the_mode_of_the_file_it_replaces(self, tmp_path: Path) -> None:
        target = tmp_path / "export.json"
        target.write_text("old", encoding="utf-8")
        target.chmod(0o640)
        write_file_atomically(target, "new")
        assert target.read_text(encoding="utf-8") == "new"
        assert target.stat().st_mode & 0o777 == 0o640

    def test_a_new_export_gets_the_umask_mode_or_private(self, tmp_path: Path) -> None:
        old = os.umask(0o022)
        try:
            write_file_atomically(tmp_path / "a.csv", "x")
            write_file_atomically(tmp_path / "b.ics", "x", private=True)
        finally:
            os.umask(old)
        assert (tmp_path / "a.csv").stat().st_mode & 0o777 == 0o644
        assert (tmp_path / "b.ics").stat().st_mode & 0o777 == 0o600

    def test_an_export_through_a_link_replaces_its_target(self, tmp_path: Path) -> None:
        (tmp_path / "elsewhere").mkdir()
        real = tmp_path / "elsewhere" / "export.json"
        real.write_text("old", encoding="utf-8")
        link = tmp_path / "export.json"
        link.symlink_to(real)
        write_file_atomically(link, "new")
        assert link.is_symlink()
        assert real.read_text(encoding="utf-8") == "new"

    def test_an_out_link_is_staged_beside_its_target(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """#19: a staging folder beside the link would sit on the link's file system."""
        import tempfile

        (tmp_path / "other-disk").mkdir()
        real = tmp_path / "other-disk" / "providers"
        real.mkdir()
        link = tmp_path / "providers"
        link.symlink_to(real)
        made: list[Path] = []
        real_mkdtemp = tempfile.mkdtemp

        def mkdtemp(**kwargs: object) -> str:
            path = real_mkdtemp(**kwargs)  # type: ignore[call-overload]
            made.append(Path(path).parent)
            return str(path)

        monkeypatch.setattr(tempfile, "mkdtemp", mkdtemp)
        write_providers(link, {"example-clinic": {"name": "Example Clinic"}})
        assert made == [real.parent]
        assert (real / "example-clinic.yaml").is_file()

    def test_an_update_keeps_the_files_mode(self, tmp_path: Path) -> None:
        out = tmp_path / "providers"
        write_providers(out, {"example-a": {"name": "A", "source": {"name": "S", "id": "1"}}})
        (out / "example-a.yaml").chmod(0o664)
        write_providers(out, {"example-a": {"name": "B", "source": {"name": "S", "id": "1"}}},
                        update=True, source_name="S")
        assert "B" in (out / "example-a.yaml").read_text(encoding="utf-8")
        assert (out / "example-a.yaml").stat().st_mode & 0o777 == 0o664

    @pytest.mark.parametrize(
        "source",
        [None, {"name": "Someone else", "id": "1"}, {"name": "S", "id": "2"}],
        ids=["hand-written", "other-source", "other-record"],
    )
    def test_update_never_overwrites_a_file_from_elsewhere(
        self, tmp_path: Path, source: dict[str, str] | None
    ) -> None:
        out = tmp_path / "providers"
        mine = {"name": "Mine", **({"source": source} if source else {})}
        write_providers(out, {"example-a": mine})
        before = (out / "example-a.yaml").read_bytes()
        report = write_providers(
            out, {"example-a": {"name": "Theirs", "source": {"name": "S", "id": "1"}}},
            update=True, source_name="S",
        )
        assert (out / "example-a.yaml").read_bytes() == before
        assert [f.action for f in report.files] == ["kept"]
        assert "an import never overwrites such a file" in report.problems[0].message


class TestHoursPatterns:
    @pytest.mark.parametrize(
        "text",
        [
            "1" + " " * 100_000 + "x",
            "9" + " " * 100_000 + "am" + " " * 100_000,
            "(" * 100_000,
            "mon" + " " * 100_000 + "through" + " " * 100_000 + "x",
            "1-" * 50_000,
        ],
    )
    def test_long_hostile_notes_finish(self, text: str) -> None:
        """Each would take minutes with a quadratic pattern; no timing assert, it ends."""
        assert read_free_text(text).shorthand in (None, "24/7") or text.startswith("9")
        assert parse_clock(text) in (None, 540)

    def test_a_long_note_says_what_was_left_unread(self) -> None:
        text = "9:00am-5:00pm, Mon-Fri; " + "x" * (MAX_HOURS_TEXT * 2)
        result = read_free_text(text)
        assert result.shorthand == {"mon-fri": "09:00-17:00"}
        assert any("only the first 2,000" in u for u in result.unread)

    @given(st.text(alphabet=" \t1:-apm()monthru,;", max_size=300))
    def test_any_note_of_these_characters_reads_or_is_left_unread(self, text: str) -> None:
        result = read_free_text(text)
        assert result.shorthand is None or isinstance(result.shorthand, dict | str)


#: The project's own workflow, and the one ``deflectkit init`` gives every agency.
WORKFLOWS = (
    ROOT / ".github" / "workflows" / "directory.yml",
    ROOT / "src" / "deflectkit" / "bundled" / "scaffold" / "workflow.yml",
)


@pytest.mark.parametrize("workflow_path", WORKFLOWS, ids=("project", "init-scaffold"))
class TestWorkflowAnnotations:
    def _script(self, workflow_path: Path) -> str:
        workflow = workflow_path.read_text(encoding="utf-8")
        run = next(
            step["run"]
            for step in yaml.safe_load(workflow)["jobs"]["validate"]["steps"]
            if "problems.json" in step.get("run", "")
        )
        script: str = run.split("<<'PY'\n", 1)[1].split("\nPY\n", 1)[0]
        return script

    def test_messages_and_paths_cannot_forge_a_workflow_command(
        self, workflow_path: Path, tmp_path: Path
    ) -> None:
        problems = [{
            "path": "data/providers/a,b:c%.yaml", "line": 3, "column": 2,
            "field": "k\n::error file=x::forged", "message": "100%\r\n::warning ::x",
            "severity": "error",
        }]
        (tmp_path / "problems.json").write_text(json.dumps(problems), encoding="utf-8")
        done = subprocess.run([sys.executable, "-c", self._script(workflow_path)], cwd=tmp_path,
                              capture_output=True, text=True, timeout=60, check=True)
        assert done.stdout.splitlines() == [
            "::error file=data/providers/a%2Cb%3Ac%25.yaml,line=3,col=2::"
            "k%0A::error file=x::forged: 100%25%0D%0A::warning ::x"
        ]


class TestManyProblems:
    def test_a_file_of_thousands_of_unknown_keys_lists_a_hundred(self, tmp_path: Path) -> None:
        """Positions were found by scanning every key for each problem: 30,000 took 134 s."""
        path = tmp_path / "example-many.yaml"
        path.write_text(PROVIDER + "".join(f"k{i}: 1\n" for i in range(5_000)), encoding="utf-8")
        problems = validate([path], today=TODAY)
        assert len(problems) == 101
        assert problems[-1].message == (
            "more than 100 problems in this file: only the first 100 are listed"
        )
        lines = [p.line or 0 for p in problems[:-1]]
        assert lines == sorted(lines)
        assert lines[0] == 3

    def test_an_error_message_lists_a_hundred_problems_per_file(self) -> None:
        error = DataError([Problem("x.yaml", n, 1, "", "bad") for n in range(1, 1_000)])
        assert len(error.problems) == 999  # all kept for callers
        assert str(error).count("\n") == 101  # head, 100 problems, one "more than"


class TestRequestedSlugs:
    """A feed's field:slug is a wish: granted for a free slug or for the file it came from."""

    def _feed(self, folder: Path, slug: str, source: dict[str, str] | None) -> Path:
        attributes = [{"taxonomy_term": {"code": "field:slug", "taxonomy": "deflectkit"},
                       "value": slug}]
        if source is not None:
            attributes.append({"taxonomy_term": {"code": "field:source",
                                                 "taxonomy": "deflectkit"},
                               "value": json.dumps(source)})
        feed = {"id": "o1", "name": "Example Org", "services": [
            {"id": "s1", "name": "Example Feed Clinic", "status": "active",
             "attributes": attributes}]}
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "feed.json").write_text(json.dumps(feed), encoding="utf-8")
        return folder / "feed.json"

    def test_a_free_slug_is_granted(self, tmp_path: Path) -> None:
        from deflectkit.interop.hsds_import import read_hsds

        feed = self._feed(tmp_path, "example-wanted", None)
        assert list(read_hsds(feed, taken_sources={}).providers) == ["example-wanted"]

    @pytest.mark.parametrize(
        ("theirs", "granted"),
        [
            (None, True),  # an export of a hand-written file coming back (unchanged there)
            ({"name": "SAMHSA", "id": "9"}, False),
            ({"name": "Open Referral HSDS", "id": "s1"}, False),
        ],
    )
    def test_a_taken_slug_only_for_the_same_source(
        self, tmp_path: Path, theirs: dict[str, str] | None, granted: bool
    ) -> None:
        from deflectkit.interop.hsds_import import read_hsds

        feed = self._feed(tmp_path, "example-taken", None)
        slugs = list(read_hsds(feed, reserved={"example-taken"},
                               taken_sources={"example-taken": theirs}).providers)
        assert (slugs == ["example-taken"]) is granted

    def test_an_export_comes_back_to_the_files_it_came_from(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        import shutil

        from deflectkit.cli import main

        folder = tmp_path / "providers"
        shutil.copytree(ROOT / "tests" / "data" / "interop" / "providers", folder)
        before = {p.name: p.read_bytes() for p in folder.glob("*.yaml")}
        exported = tmp_path / "directory.json"
        assert main(["export", "hsds", str(folder), "--out", str(exported)]) == 0
        assert main(["import", "hsds", str(exported), "--out", str(folder), "--update"]) == 0
        assert f"0 new, 0 updated, {len(before)} unchanged" in capsys.readouterr().out
        assert {p.name: p.read_bytes() for p in folder.glob("*.yaml")} == before
