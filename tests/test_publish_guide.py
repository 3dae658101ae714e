"""docs/guide/publish.md works as written: every command on it is run, in order.

The guide is an agency's first hour with deflectkit (``pip install``, ``deflectkit init``,
check, serve, build, import, publish). This test reads each ``console`` block's ``$`` lines
and the ``python`` block from the page and runs them in a temporary folder, one after the
other, so the page cannot drift from what the commands do. A command this test does not know
how to run fails the test: a new command on the page needs a way to be checked here.

``pip install "deflectkit[site]"`` is checked against the environment the tests run in (every
requirement of the ``site`` extra installed); CI's ``tools/check_wheel.py`` runs it for real
from the built wheel in a fresh virtual environment.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tests.conftest import ROOT, SHARED

GUIDE = ROOT / "docs/guide/publish.md"
SAMHSA_EXPORT = SHARED / "datasets/samhsa_findtreatment_ma_2025/facility-detail.csv"


def guide_steps() -> list[tuple[str, str]]:
    """``("console", command)`` and ``("python", code)`` in page order.

    A code block shown from an example script (marked ``<!-- example: PATH -->``) is left
    out: tests/test_examples.py runs the script itself and tests/test_guide_markdown.py
    checks the block equals it.
    """
    text = re.sub(r"<!-- example: \S+ -->\s*```python\n.*?^```", "", GUIDE.read_text(
        encoding="utf-8"), flags=re.M | re.S)
    steps: list[tuple[str, str]] = []
    for kind, body in re.findall(r"^ *```(console|python)\n(.*?)^ *```", text, re.M | re.S):
        if kind == "python":
            steps.append(("python", body))
            continue
        steps.extend(("console", line.strip()[2:]) for line in body.splitlines()
                     if line.strip().startswith("$ "))
    return steps


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str, timeout: float = 60.0) -> str:
    """The body of ``url`` once the server answers (it may still be starting)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return str(response.read().decode("utf-8"))
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


@contextlib.contextmanager
def _server(command: list[str], cwd: Path) -> Iterator[None]:
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        yield
    finally:
        process.terminate()
        process.wait(timeout=30)


def _run(args: list[str], cwd: Path) -> str:
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)
    assert 0 == result.returncode, f"{shlex.join(args)}:\n{result.stdout}{result.stderr}"
    return result.stdout


def _site_extra_installed(args: list[str]) -> None:
    """``pip install "deflectkit[site]"``: everything it would install is installed."""
    assert ["pip", "install", "deflectkit[site]"] == args
    requirements = [Requirement(r) for r in importlib.metadata.requires("deflectkit") or []]
    site = [r for r in requirements if r.marker and r.marker.evaluate({"extra": "site"})]
    assert site
    for requirement in site:
        installed = importlib.metadata.version(requirement.name)
        assert requirement.specifier.contains(installed, prereleases=True), requirement


def run_console(args: list[str], cwd: Path) -> Path:
    """Run one ``$`` line of the guide in ``cwd``; return the folder for the next line."""
    name, rest = args[0], args[1:]
    if name == "cd":
        return cwd / rest[0]
    if name == "pip":
        _site_extra_installed(args)
    elif name == "rm":
        for path in rest:
            (cwd / path).unlink()
    elif name == "deflectkit":
        if rest[:2] == ["import", "samhsa"]:
            shutil.copyfile(SAMHSA_EXPORT, cwd / rest[2])  # the export, under SAMHSA's name
        _run([sys.executable, "-m", "deflectkit", *rest], cwd)
    elif args[:2] == ["mkdocs", "serve"]:
        port = _free_port()
        with _server([sys.executable, "-m", "mkdocs", *rest, "--dev-addr", f"127.0.0.1:{port}"],
                     cwd):
            page = _get(f"http://127.0.0.1:{port}/providers/example-recovery-center/")
            assert "Example Recovery Center" in page
    elif name == "mkdocs":
        _run([sys.executable, "-m", "mkdocs", *rest], cwd)
    elif args[:3] == ["python", "-m", "http.server"]:
        port = _free_port()
        with _server([sys.executable, *args[1:-1], str(port)], cwd):
            assert '"page_count":1' in _get(f"http://127.0.0.1:{port}/pagefind/pagefind-entry.json")
            assert "<html" in _get(f"http://127.0.0.1:{port}/providers/example-recovery-center/")
    elif args[:3] == ["python", "-m", "pagefind"]:
        _run([sys.executable, *args[1:]], cwd)
    else:
        pytest.fail(f"the guide runs {shlex.join(args)!r}, which this test cannot check yet")
    return cwd


def test_guide_starts_from_pip_install_and_init() -> None:
    """The first two commands are the install and `deflectkit init`."""
    commands = [step for kind, step in guide_steps() if kind == "console"]

    assert 'pip install "deflectkit[site]"' == commands[0]
    assert commands[1].startswith("deflectkit init ")


@pytest.mark.slow
@pytest.mark.skipif(not SAMHSA_EXPORT.is_file(), reason="../shared/datasets is not present")
def test_every_command_in_the_guide_runs(tmp_path: Path) -> None:
    """Each step of the page, in order, in one folder; each command exits 0 and does its job."""
    cwd = tmp_path
    for kind, step in guide_steps():
        if kind == "python":
            _run([sys.executable, "-c", step], cwd)
            assert (cwd / "docs/_generated/directory/index.md").is_file()
        else:
            cwd = run_console(shlex.split(step), cwd)
    project = tmp_path / "pima-deflection"
    providers = sorted((project / "data/providers").glob("*.yaml"))
    assert 466 == len(providers)
    assert (project / "site/providers/example-recovery-center/index.html").is_file()
    assert (project / "site/policy/example-county-sheriff-deflection/index.html").is_file()
