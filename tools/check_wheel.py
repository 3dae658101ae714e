"""End to end from the wheel, as an agency meets deflectkit: ``pip install`` and ``init``.

1. Build the wheel from the files git tracks in this checkout (CI runs it in a clean clone).
2. Install it with the ``site`` extra into a fresh virtual environment: no editable install,
   and every command runs outside the checkout, so nothing is imported from ``src/``.
3. ``deflectkit init``, then in the new folder ``deflectkit validate``, ``deflectkit test
   data/policies`` and ``mkdocs build --strict`` with Pagefind; the built site must have
   the directory, the example provider's page and the policy's page.
4. A real second example: a project whose providers are imported from SAMHSA's
   FindTreatment.gov export for Massachusetts (``../shared/datasets/``; public domain), 466
   providers with no opening hours and no police drop-off data, built the same way. It is
   never published; it shows that the site holds up on data we did not write.

Usage::

    python3 tools/check_wheel.py [--work DIR] [--shared DIR] [--keep]

pip's download cache is used as usual, so a second run installs from it. Exit 0 when every
check passes; otherwise the failing step's output and exit 1.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMHSA = Path("datasets/samhsa_findtreatment_ma_2025/facility-detail.csv")
SAMHSA_PROVIDERS = 466  # 662 rows; sites listed by both SAMHSA surveys become one provider


class CheckError(Exception):
    """A step failed; the message says which and why."""


def step(title: str, command: list[str], cwd: Path, env: dict[str, str]) -> str:
    """Run one command, print how long it took, return its output; fail on a non-zero exit."""
    started = time.perf_counter()
    result = subprocess.run(  # noqa: S603 - our own fixed commands
        command, cwd=cwd, env=env, capture_output=True, text=True,
        check=False,
    )
    print(f"  {title}: exit {result.returncode} in {time.perf_counter() - started:.1f} s",
          flush=True)
    if result.returncode != 0:
        raise CheckError(f"{title} failed ({' '.join(command)}):\n{result.stdout}{result.stderr}")
    return result.stdout


def expect(condition: bool, message: str) -> None:
    """Fail the check with ``message`` unless ``condition`` holds."""
    if not condition:
        raise CheckError(message)


def tracked_copy(work: Path) -> Path:
    """The files git tracks, copied into ``work/source``: what a clean clone would build.

    Nothing untracked (a stale ``build/`` folder, a stray file under ``src/``) reaches the
    wheel, and the build writes nothing into the checkout. Outside a git checkout, the
    checkout itself is built.
    """
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,  # noqa: S607
                            check=False)
    if listed.returncode != 0:
        return ROOT
    source = work / "source"
    for name in filter(None, listed.stdout.decode().split("\0")):
        original = ROOT / name
        if original.is_file():  # a tracked file deleted in the working tree is left out
            target = source / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(original, target)
    return source


def build_and_install(work: Path) -> tuple[Path, dict[str, str]]:
    """Make a fresh venv, build the wheel with its pip, install the wheel with the site extra."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    # Everything runs with the new venv's pip: a bare system Python may have no pip at all.
    venv = work / "venv"
    step("create a fresh venv", [sys.executable, "-m", "venv", str(venv)], work, env)
    bin_dir = venv / "bin"
    dist = work / "dist"
    step("build the wheel", [str(bin_dir / "python"), "-m", "pip", "wheel", "--no-deps",
                             "--quiet", "--wheel-dir", str(dist), str(tracked_copy(work))],
         work, env)
    wheels = sorted(dist.glob("deflectkit-*.whl"))
    expect(len(wheels) == 1, f"expected one deflectkit wheel in {dist}, found {wheels}")
    step("install the wheel with the site extra",
         [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", f"{wheels[0]}[site]"],
         work, env)
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    where = step("import deflectkit from the venv", [
        str(bin_dir / "python"), "-c",
        "import deflectkit as dk; print(dk.__file__); print(dk.load_policy(dk.MODEL_POLICY).id);"
        "print(len(dk.load_directory(dk.SAMPLE_PROVIDERS)))",
    ], work, env).split()
    expect(str(venv) in where[0] and str(ROOT / "src") not in where[0],
           f"deflectkit was imported from {where[0]}, not from the fresh venv")
    expect(where[1] == "model-deflection", f"dk.MODEL_POLICY loaded as {where[1]!r}")
    expect(int(where[2]) >= 3, f"only {where[2]} bundled sample providers")
    return bin_dir, env


def check_scaffold(work: Path, env: dict[str, str]) -> None:
    """``init``, validate, test and build a new project; the site has its three kinds of page."""
    step("deflectkit init", ["deflectkit", "init", "agency", "--agency", "Example County",
                             "--state", "AZ", "--timezone", "America/Phoenix"], work, env)
    project = work / "agency"
    step("deflectkit validate", ["deflectkit", "validate"], project, env)
    tests = step("deflectkit test data/policies", ["deflectkit", "test", "data/policies"],
                 project, env)
    expect(" 0 failed" in tests, f"policy tests: {tests.strip().splitlines()[-1]}")
    step("mkdocs build --strict", ["mkdocs", "build", "--strict"], project, env)
    site = project / "site"
    for page in ("directory/index.html", "providers/example-recovery-center/index.html",
                 "policy/example-county-deflection/index.html", "policy/index.html"):
        expect((site / page).is_file(), f"the built site has no {page}")
    indexed = _pagefind_pages(site)
    expect(indexed == {"en": 1, "es": 1},
           f"Pagefind indexed {indexed}; expected the example provider's page in English and"
           " in Spanish")


def check_samhsa(work: Path, env: dict[str, str], shared: Path) -> None:
    """A project built from SAMHSA's real Massachusetts export, through import and init."""
    export = shared / SAMHSA
    expect(export.is_file(), f"the SAMHSA export is missing: {export}")
    step("deflectkit init (SAMHSA example)",
         ["deflectkit", "init", "samhsa-ma", "--agency", "Example Massachusetts Program",
          "--state", "MA"], work, env)
    project = work / "samhsa-ma"
    (project / "data/providers/example-recovery-center.yaml").unlink()  # real data only
    step("deflectkit import samhsa", ["deflectkit", "import", "samhsa", str(export), "--date",
                                      "2025-08-19", "--out", "data/providers"], project, env)
    step("deflectkit validate (SAMHSA example)", ["deflectkit", "validate"], project, env)
    step("mkdocs build --strict (SAMHSA example)", ["mkdocs", "build", "--strict"], project, env)
    site = project / "site"
    pages = list((site / "providers").glob("*/index.html"))
    expect(len(pages) == SAMHSA_PROVIDERS,
           f"{len(pages)} provider pages; expected {SAMHSA_PROVIDERS}")
    indexed = _pagefind_pages(site)
    expect(indexed == {"en": SAMHSA_PROVIDERS, "es": SAMHSA_PROVIDERS},
           f"Pagefind indexed {indexed}; expected {SAMHSA_PROVIDERS} provider pages in English"
           " and in Spanish")
    check_directory_index(directory_index(site))
    check_browse_pages(site)


def directory_index(site: Path) -> dict[str, object]:
    """The directory's filter index, its per-state files (``directory/index/XX.json``) joined."""
    shards = [json.loads(path.read_text(encoding="utf-8"))
              for path in sorted((site / "directory/index").glob("*.json"))
              if not path.name.startswith("zips-")]
    expect(bool(shards), "the directory has no index files")
    expect(all(s["fields"] == shards[0]["fields"] for s in shards), "index fields differ")
    return {"fields": shards[0]["fields"],
            "providers": [row for s in shards for row in s["providers"]],
            "places": [place for s in shards for place in s["places"]]}


def check_directory_index(index: dict[str, object]) -> None:
    """The directory's filter index holds every provider, honestly empty where data is."""
    fields = index["fields"]
    providers = index["providers"]
    assert isinstance(fields, list)
    assert isinstance(providers, list)
    expect(len(providers) == SAMHSA_PROVIDERS, f"directory index lists {len(providers)}")
    row = {name: fields.index(name) for name in ("dropoff", "always", "needs", "place")}
    expect(not any(p[row["dropoff"]] for p in providers),
           "a SAMHSA provider claims police drop-off, which the export never says")
    expect(not any(p[row["always"]] for p in providers),
           "a SAMHSA provider claims 24/7 hours, which the export never says")
    places = index["places"]
    assert isinstance(places, list)
    expect(len(places) > 100, f"only {len(places)} places for Massachusetts")
    # A facility whose codes name no need the importer reads is found by place and search
    # only, not by a need filter: the guide says to add its `substances` by hand.
    unfiltered = sorted(str(p[0]) for p in providers if not p[row["needs"]])
    if unfiltered:
        print(f"  note: {len(unfiltered)} providers have no need to filter on: "
              f"{', '.join(unfiltered)}")


def check_browse_pages(site: Path) -> None:
    """Without JavaScript, the place browse pages link every provider page."""
    pages = {p.parent.name for p in (site / "providers").glob("*/index.html")}
    linked: set[str] = set()
    for page in (site / "directory/place").rglob("index.html"):
        linked.update(re.findall(r'href="[./]*providers/([^/"]+)/"', page.read_text("utf-8")))
    expect(pages <= linked, f"{len(pages - linked)} provider pages no browse page links, "
           f"such as {sorted(pages - linked)[:3]}")


def _pagefind_pages(site: Path) -> dict[str, int]:
    """Pages Pagefind indexed, per language (the directory is built in English and Spanish)."""
    entry = json.loads((site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    return {lang: int(index["page_count"]) for lang, index in entry["languages"].items()}


def main(argv: list[str] | None = None) -> int:
    """Run every check in a temporary folder (or ``--work``); exit 1 on the first failure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, help="folder to work in (default: a temporary one)")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared",
                        help="the shared folder holding datasets/ (default: ../shared)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder afterwards")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="deflectkit-wheel-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    print(f"check_wheel: working in {work}", flush=True)
    try:
        _bin, env = build_and_install(work)
        check_scaffold(work, env)
        check_samhsa(work, env, args.shared.resolve())
    except CheckError as exc:
        print(f"check_wheel: FAILED: {exc}", file=sys.stderr)
        return 1
    finally:
        if not args.keep and args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print(f"check_wheel: all checks passed in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
