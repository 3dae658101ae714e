"""Copy the repository's model data into the package, or check that the copies agree.

The wheel ships the model policy with its tests, the JSON Schemas and a few sample providers
under ``src/deflectkit/bundled/`` (read with :mod:`importlib.resources`), so an agency that
only runs ``pip install deflectkit`` has them. The repository keeps its own copies where
contributors edit them (``data/policies/``, ``schemas/``, ``data/providers/``). This script
is the one rule that ties the two together:

* every file in ``data/policies/`` and ``schemas/`` is bundled;
* the sample providers bundled are the ones already in ``bundled/providers/`` (to bundle
  another, copy it there once; from then on this script keeps it in step).

Usage::

    python tools/sync_bundled.py          # copy the repository's files into the package
    python tools/sync_bundled.py --check  # exit 1, naming each file, if any copy differs

``make bundle`` runs the first form; ``tests/test_bundled.py`` the second.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "src" / "deflectkit" / "bundled"

#: bundled folder -> the repository folder it copies.
FOLDERS: dict[str, str] = {
    "policies": "data/policies",
    "schemas": "schemas",
    "providers": "data/providers",
}
#: Folders whose every file is bundled (the others bundle a chosen few).
COMPLETE = frozenset({"policies", "schemas"})


def pairs(root: Path = ROOT) -> list[tuple[Path, Path]]:
    """``(repository file, bundled file)`` for every file that is bundled."""
    bundled = root / "src" / "deflectkit" / "bundled"
    out: list[tuple[Path, Path]] = []
    for folder, source in FOLDERS.items():
        names = {p.name for p in (bundled / folder).iterdir() if p.is_file()}
        if folder in COMPLETE:
            names |= {p.name for p in (root / source).iterdir() if p.is_file()}
        out.extend((root / source / n, bundled / folder / n) for n in sorted(names))
    return out


def differences(root: Path = ROOT) -> list[str]:
    """One line per bundled file that is missing or differs from its repository copy."""
    found: list[str] = []
    for original, copy in pairs(root):
        bundled, source = copy.relative_to(root), original.relative_to(root)
        if not original.is_file():
            found.append(f"{bundled}: no {source} to copy")
        elif not copy.is_file():
            found.append(f"{bundled}: missing (copy of {source})")
        elif original.read_bytes() != copy.read_bytes():
            found.append(f"{bundled}: differs from {source}")
    return found


def sync(root: Path = ROOT) -> list[Path]:
    """Copy every repository file over its bundled copy; return the files that changed."""
    changed: list[Path] = []
    for original, copy in pairs(root):
        if not original.is_file():
            copy.unlink(missing_ok=True)  # gone from the repository: gone from the wheel
            changed.append(copy)
        elif not copy.is_file() or original.read_bytes() != copy.read_bytes():
            shutil.copyfile(original, copy)  # a copy, never a symlink: the wheel needs bytes
            changed.append(copy)
    return changed


def main(argv: list[str] | None = None) -> int:
    """Copy (default) or check (``--check``); exit 1 when a check finds a difference."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report differences")
    args = parser.parse_args(argv)
    if args.check:
        found = differences()
        for line in found:
            print(line, file=sys.stderr)
        if found:
            print("run `make bundle` (python tools/sync_bundled.py) to copy them", file=sys.stderr)
        return 1 if found else 0
    for path in sync():
        print(f"updated {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
