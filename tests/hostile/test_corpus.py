"""The standing corpus of hostile inputs, tried against every reader and command.

Each case is a row: a builder from :mod:`tests.hostile.inputs` and the command line that
reads what it built. Every row must end the same way: exit code 1 or 2 (or the code the
row names), a message naming the file, no traceback, no raw control character and no line
that GitHub would read as a workflow command, nothing written outside ``--out``, nothing
already saved changed, and a bounded time (a 60-second alarm: no timing assert).

Commands run in-process through :func:`deflectkit.cli.main` (fast); the few cases where a
real process matters (a FIFO, two imports at once, an import killed mid-way) run as
subprocesses with a timeout.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

from deflectkit.cli import main
from deflectkit.errors import printable
from tests.hostile.inputs import (
    EVENT_INPUTS,
    FACTS_INPUTS,
    FOLLOW_UP_INPUTS,
    HSDS_INPUTS,
    POLICY_INPUTS,
    SAMHSA_INPUTS,
    SECRET,
    YAML_INPUTS,
    Builder,
    hsds_hours_redos,
    hsds_takeover,
    long_context_line,
    staging_leftover,
)

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "data" / "policies" / "model-deflection.yaml"
FACTS = (
    "contact_at: 2025-03-01T10:00:00-07:00\ncontact_type: patrol\nage: 30\n"
    "offenses: [drug_possession]\n"
)
AT = "2026-03-04T03:00-07:00"
#: Generous: every case finishes in well under a second; a hang or a quadratic blow-up
#: does not.
TIME_LIMIT_S = 60

#: Command lines for a hostile YAML file. ``{file}`` is the file, ``{dir}`` its folder,
#: ``{out}`` the output folder, ``{facts}`` a valid facts file, ``{model}`` a valid policy.
YAML_COMMANDS: dict[str, str] = {
    "validate-folder": "validate {dir}",
    "validate-file": "validate {file}",
    "export-hsds": "export hsds {dir} --out {out}/export.json",
    "export-csv": "export csv {dir} --out {out}/export.csv",
    "match": f"match --directory {{dir}} --need opioids --at {AT}",
    "assess-policy": "assess --policy {file} {facts}",
    "assess-facts": "assess --policy {model} {file}",
    "test": "test {tests_file}",
    "lint": "lint {file}",
    "diff": "diff --at 2025-01-01 --at 2025-06-01 {file}",
    "followup": "followup --policy {file} --referral-at 2025-03-03T14:30-07:00",
    "impact": f"impact --policy {{file}} --against {{model}} {ROOT}/data/encounters/sample.csv",
    "migrate": "migrate {file}",
}
#: Command lines for a hostile policy file (built in a ``policies`` folder, so that
#: ``migrate`` and ``validate`` read it as a policy).
POLICY_COMMANDS: dict[str, str] = {
    "migrate": "migrate {file}",
    "migrate-write": "migrate {file} --write",
    "validate": "validate {file}",
    "lint": "lint {file}",
    "assess": "assess --policy {file} {facts}",
}


@attrs.frozen
class Case:
    """One hostile input and the command that reads it."""

    name: str
    build: Builder
    command: str
    exit_codes: frozenset[int] = frozenset({1, 2})
    #: Text the output must contain (a regex); by default, the name of the file built.
    says: str | None = None


def _cases() -> list[Case]:
    cases = [
        Case(f"{name}/{command}", build, line)
        for name, build in YAML_INPUTS.items()
        for command, line in YAML_COMMANDS.items()
    ]
    cases += [
        Case(f"{name}/{command}", build, line)
        for name, build in POLICY_INPUTS.items()
        for command, line in POLICY_COMMANDS.items()
    ]
    # A valid file migrate would change (exit 1: a dry run) whose diff holds a huge line.
    cases.append(Case("long_context_line/migrate", long_context_line, "migrate {file}",
                      frozenset({1})))
    cases += [Case(f"{n}/import-hsds", b, "import hsds {file} --out {out}",
                   HSDS_EXIT.get(n, frozenset({1, 2})), HSDS_NAMES.get(n))
              for n, b in HSDS_INPUTS.items()]
    cases += [Case(f"{n}/import-samhsa", b, "import samhsa {file} --out {out}",
                   SAMHSA_EXIT.get(n, frozenset({1, 2}))) for n, b in SAMHSA_INPUTS.items()]
    cases += [
        Case("staging_leftover/validate", staging_leftover, "validate {dir}",
             says=r"example-broken\.yaml"),
        Case("staging_leftover/match", staging_leftover,
             f"match --directory {{dir}} --need opioids --at {AT}"),
        # The redos row reads slowly only if a pattern is quadratic; it imports fine.
        Case("hsds_hours_redos/import-hsds", hsds_hours_redos,
             "import hsds {file} --out {out}", frozenset({0}), says="only the first 2,000"),
        Case("match_age/match", YAML_INPUTS["nan_coordinates"],
             f"match --directory {ROOT}/data/providers --need opioids --at {AT} --age -5",
             says="age must be"),
        Case("match_year_one/match", YAML_INPUTS["nan_coordinates"],
             f"match --directory {ROOT}/data/providers --need opioids "
             "--at 0001-01-01T00:00+14:00", says="out of range"),
        Case("match_year_max/match", YAML_INPUTS["nan_coordinates"],
             f"match --directory {ROOT}/data/providers --need opioids "
             "--at 9999-12-31T23:59:59-12:00", says="out of range"),
        Case("match_nan_point/match", YAML_INPUTS["nan_coordinates"],
             f"match --directory {ROOT}/data/providers --need opioids --at {AT} "
             "--near 91,200", says="not on the Earth"),
        Case("followup_year_one/followup", YAML_INPUTS["nan_coordinates"],
             f"followup --policy {MODEL} --referral-at 0001-01-01T00:00+14:00",
             says="out of range"),
        Case("schema_out_is_file/schema", YAML_INPUTS["duplicate_keys"], "schema --out {file}"),
    ]
    cases += [Case(f"{n}/measures", b, "measures {file}") for n, b in EVENT_INPUTS.items()
              if n not in AWAITING_ISSUE_15]
    cases += [Case(f"{n}/assess", b, "assess --policy {model} {file}")
              for n, b in FACTS_INPUTS.items() if n not in AWAITING_ISSUE_14]
    cases += [Case(f"{n}/followup", b, "followup --policy {file} --referral-at "
                   "2025-03-03T14:30-07:00") for n, b in FOLLOW_UP_INPUTS.items()
              if n not in AWAITING_ISSUE_15]
    return cases


#: A data package's problems name the table (CSV) at fault, not datapackage.json.
HSDS_NAMES = {"hsds_extra_fields": r"services\.csv:2:", "hsds_unclosed_quote": r"services\.csv:2:",
              "hsds_no_id": r"1 record read, 1 provider:"}
#: Rows that import (with warnings) rather than fail.
HSDS_EXIT = {"hsds_no_id": frozenset({0})}
#: Rows the SAMHSA importer reads with a warning (coordinates left out), exit 0.
SAMHSA_EXIT = {"samhsa_nan": frozenset({0})}

#: Event-log rows whose reader (files/events.py) is fixed on the issue-15 branch. For the
#: lead: once that branch is merged, empty this set so the rows run with the others.
AWAITING_ISSUE_15: frozenset[str] = frozenset()
#: Facts rows whose fix belongs to the issue-14 branch (same instruction for the lead):
#: today assess raises OverflowError on the first two and rules on NaN grams.
AWAITING_ISSUE_14: frozenset[str] = frozenset()

CASES = _cases()


def _snapshot(root: Path, skip: Path) -> dict[str, tuple[str, int, str]]:
    """Every entry under ``root`` (not under ``skip``): kind, mode and a content digest."""
    seen: dict[str, tuple[str, int, str]] = {}
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        if here == skip or skip in here.parents:
            dirs[:] = []
            continue
        for name in [*dirs, *files]:
            path = here / name
            if path == skip:
                continue
            info = path.lstat()
            if path.is_symlink():
                seen[str(path)] = ("link", info.st_mode, os.readlink(path))
            elif path.is_file():
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                seen[str(path)] = ("file", info.st_mode, digest)
            elif path.is_dir():
                seen[str(path)] = ("dir", info.st_mode, "")
            else:
                seen[str(path)] = ("other", info.st_mode, "")
    return seen


@contextlib.contextmanager
def _alarm(seconds: int) -> Iterator[None]:
    """Fail the case, rather than hang the suite, when a command runs too long."""

    def ring(*_: object) -> None:
        raise TimeoutError(f"the command ran longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _run_in_process(argv: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with _alarm(TIME_LIMIT_S), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse's usage errors
            code = exc.code if isinstance(exc.code, int) else 1
    return code, out.getvalue() + err.getvalue()


def _prepare(case: Case, tmp_path: Path) -> tuple[list[str], Path, Path]:
    """Build the input, a saved folder that must not change, and the command line."""
    work = tmp_path / "work"
    folder = work / "providers"
    file = case.build(folder)
    saved = tmp_path / "saved"
    saved.mkdir()
    (saved / "example-saved.yaml").write_text("name: Example Saved\n", encoding="utf-8")
    facts = tmp_path / "facts.yaml"
    facts.write_text(FACTS, encoding="utf-8")
    tests_file = file
    if "{tests_file}" in case.command:
        tests_file = file.with_name(file.name.replace(".yaml", ".tests.yaml"))
        file.rename(tests_file)
    out = tmp_path / "out"
    fields = {"file": file, "dir": file.parent, "out": out, "facts": facts, "model": MODEL,
              "tests_file": tests_file}
    argv = [part.format(**fields) for part in case.command.split(" ")]
    return argv, tests_file, out


def check_outcome(case: Case, code: int, output: str, named: Path) -> None:
    """The assertions every row shares (see the module docstring)."""
    assert code in case.exit_codes, f"exit {code}:\n{output[:2000]}"
    assert "Traceback" not in output, output[:4000]
    assert SECRET not in output
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f]", output), "raw control character"
    assert not any(line.startswith("::") for line in output.splitlines())
    assert len(output) < 200_000, f"{len(output):,} characters of output"
    if code != 0 and not case.says:
        assert printable(named.name) in output, output[:2000]
    if case.says:
        assert re.search(case.says, output), output[:2000]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input(case: Case, tmp_path: Path) -> None:
    argv, named, out = _prepare(case, tmp_path)
    before = _snapshot(tmp_path, out)
    code, output = _run_in_process(argv)
    after = _snapshot(tmp_path, out)
    lock = tmp_path / f".{out.name}.lock"  # the import lock lives beside --out, empty
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    assert changed <= {str(lock)}, f"written outside --out: {sorted(changed)}"
    check_outcome(case, code, output, named)


# --- rows that need a real process ---------------------------------------------------------

DEFLECTKIT = [sys.executable, "-c", "from deflectkit.cli import main; raise SystemExit(main())"]


def test_a_fifo_never_blocks_validate(tmp_path: Path) -> None:
    """#13 in a real process: validate returns, naming the FIFO, instead of hanging."""
    folder = tmp_path / "providers"
    (folder / "example-clinic.yaml").parent.mkdir(parents=True)
    (folder / "example-clinic.yaml").write_text(
        "name: Example Clinic\nlocation: {timezone: America/Phoenix}\n", encoding="utf-8")
    os.mkfifo(folder / "example-fifo.yaml")
    done = subprocess.run([*DEFLECTKIT, "validate", str(folder)], capture_output=True,
                          text=True, timeout=TIME_LIMIT_S, check=False)
    assert done.returncode == 1
    assert "example-fifo.yaml" in done.stderr + done.stdout
    assert "not a regular file" in done.stdout


def test_the_feed_cannot_take_over_a_hand_written_provider(tmp_path: Path) -> None:
    """#2: a field:slug naming a hand-written file, imported with --update, leaves it alone."""
    out = tmp_path / "providers"
    shutil.copytree(ROOT / "data" / "providers", out)
    hand_written = out / "example-night-clinic.yaml"
    original = hand_written.read_bytes() if hand_written.exists() else None
    if original is None:
        hand_written.write_text("name: Example Night Clinic\n"
                                "location: {timezone: America/Phoenix}\n", encoding="utf-8")
        original = hand_written.read_bytes()
    feed = hsds_takeover(tmp_path / "feed")
    code, output = _run_in_process(["import", "hsds", str(feed), "--out", str(out)])
    assert code == 0, output
    assert "kept" in output  # reported as differing, left alone
    assert hand_written.read_bytes() == original
    argv = ["import", "hsds", str(feed), "--out", str(out), "--update"]
    code, output = _run_in_process(argv)
    assert code == 1, output
    assert "example-night-clinic.yaml: error: not written: this file did not come from" in output
    assert hand_written.read_bytes() == original
    assert not [p for p in out.glob("*.yaml") if "evil" in p.read_text(encoding="utf-8")]


def test_two_imports_at_once_do_not_both_write(tmp_path: Path) -> None:
    """#10: while one import holds the folder's lock, another is refused, not interleaved."""
    from deflectkit.files.provider_writer import write_providers

    out = tmp_path / "providers"
    lock = tmp_path / ".providers.lock"
    holder = subprocess.Popen(  # holds the lock the way a running import does
        [sys.executable, "-c",
         "import fcntl, os, sys, time\n"
         f"fd = os.open({str(lock)!r}, os.O_RDWR | os.O_CREAT)\n"
         "fcntl.flock(fd, fcntl.LOCK_EX)\nprint('locked', flush=True)\ntime.sleep(60)\n"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        from deflectkit.errors import DataError

        with pytest.raises(DataError, match="another import into this folder is running"):
            write_providers(out, {"example-clinic": {"name": "Example Clinic"}})
        assert not out.exists()
    finally:
        holder.kill()
        holder.wait(timeout=TIME_LIMIT_S)
        if holder.stdout is not None:
            holder.stdout.close()
    report = write_providers(out, {"example-clinic": {"name": "Example Clinic"}})
    assert report.counts["create"] == 1  # the lock died with its process


def test_an_import_killed_midway_leaves_nothing_that_is_read(tmp_path: Path) -> None:
    """#12: kill -9 during the write; readers ignore the staging folder, the next import
    removes it."""
    out = tmp_path / "providers"
    script = (
        "import os, signal, pathlib\n"
        "from deflectkit.files import provider_writer as w\n"
        "real = pathlib.Path.replace\n"
        "def die(self, target):\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "pathlib.Path.replace = die\n"
        f"out = pathlib.Path({str(out)!r}); out.mkdir()\n"
        "(out / 'example-a.yaml').write_text('name: Example A\\n"
        "location: {timezone: America/Phoenix}\\n')\n"
        "w.write_providers(out, {'example-b': {'name': 'Example B', 'location': "
        "{'timezone': 'America/Phoenix'}}, 'example-a': {'name': 'Example A2', "
        "'location': {'timezone': 'America/Phoenix'}}}, update=True)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=TIME_LIMIT_S, check=False)
    assert done.returncode == -signal.SIGKILL
    staging = list(tmp_path.glob(".providers.import-*"))
    assert staging, "the killed import should have left its staging folder"
    code, output = _run_in_process(["validate", str(tmp_path)])
    assert code == 0, output
    assert "1 file checked" in output
    from deflectkit.files.provider_writer import write_providers

    write_providers(out, {"example-c": {"name": "Example C"}})
    assert not list(tmp_path.glob(".providers.import-*"))
