"""``dk.check_files(paths)``: check every provider, policy and policy-test file under some paths.

Which kind a YAML file is follows from where it lives, so contributors never declare it:

* ``*.tests.yaml`` is a policy test file;
* a file in a ``policies`` folder, or one whose top level says ``schema: deflectkit/policy@1``
  or holds a key only a policy has (``facts:``, ``eligibility:``, ``pathways:``), is a policy;
* any other file in a ``providers`` folder is a provider. When a folder is walked that has
  no ``providers`` or ``policies`` folder inside it, its YAML files are taken as providers
  (a plain folder of provider files); a file named on the command line that is none of the
  above is a provider too.

Validation never raises for bad data: every problem comes back as a :class:`Problem`.

Example:
    >>> import deflectkit as dk
    >>> problems = dk.check_files(["data"])  # doctest: +SKIP
    >>> [p.format() for p in problems if p.is_error]  # doctest: +SKIP
    []
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import re
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Final, Literal

from deflectkit.core.providers import Provider
from deflectkit.errors import Problem, cap_per_file, sort_problems
from deflectkit.files.directory_checks import (
    misnamed_files,
    named_file_problems,
    outside_data_folders,
)
from deflectkit.files.providers import bulk_loading, check_provider_file, cross_file_problems
from deflectkit.files.yamlio import confined_link_problem, walk_yaml

__all__ = ["NO_SUCH_PATH", "FileKind", "classify", "find_files", "validate", "validate_counting"]

FileKind = Literal["provider", "policy", "policy_tests"]

#: The message of the problem for a path that does not exist (the CLI exits 2 on it).
NO_SUCH_PATH: Final = "no such file or folder"

_TESTS_SUFFIXES: Final = (".tests.yaml", ".tests.yml")
# A policy that lost its `schema:` line is still a policy (and the policy reader says how to
# add the line back); a provider file never holds these keys at its top level.
_POLICY_HEADER: Final = re.compile(
    rb"^(?:schema:\s*['\"]?deflectkit/policy@|(?:facts|eligibility|pathways):)", re.MULTILINE
)
_POLICY_HEAD_BYTES: Final = 64 * 1024


def _declares_policy(path: Path) -> bool:
    """Whether the file's top level names the policy format or holds a policy-only key."""
    try:
        # Without blocking, and only a regular file: a FIFO named *.yaml must not hang us
        # here either (reading it later reports what it is).
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return False
            return bool(_POLICY_HEADER.search(handle.read(_POLICY_HEAD_BYTES)))
    except OSError:
        return False


def classify(path: Path, root: Path | None = None) -> FileKind | None:
    """Say what a YAML file is, or ``None`` for a YAML file that is none of ours.

    Args:
        path: the file.
        root: the folder being walked, if any; only the folders from ``root`` (itself
            included) down to the file count. ``None`` means the file was named directly
            (then it is a provider unless it is a policy or a test file).
    """
    if root is None:
        return _classify(path, path.parts[:-1], plain=False, named=True)
    folders = (root.resolve().name, *path.relative_to(root).parts[:-1])
    return _classify(path, folders, plain=_is_plain_folder(root), named=False)


def _is_plain_folder(root: Path) -> bool:
    """A folder with neither ``providers`` nor ``policies`` inside: a folder of providers."""
    return not (root / "providers").is_dir() and not (root / "policies").is_dir()


def _classify(
    path: Path, folders: tuple[str, ...], *, plain: bool, named: bool
) -> FileKind | None:
    """The kind of ``path``, given the folders that count (see :func:`classify`)."""
    if path.name.endswith(_TESTS_SUFFIXES):
        return "policy_tests"
    if "policies" in folders:
        return "policy"
    if "providers" in folders:
        return "provider"  # no need to look inside: the folder says it
    if _declares_policy(path):
        return "policy"
    if named or plain:
        return "provider"
    return None


def find_files(paths: Iterable[str | Path]) -> tuple[list[tuple[Path, FileKind]], list[Problem]]:
    """Every file to check under ``paths``, with its kind; missing paths become problems.

    Folders are walked by :func:`deflectkit.files.yamlio.walk_yaml` (hidden folders, links
    leaving the folder and unreadable folders are skipped and reported as it says). A path
    that exists but is not a folder is checked as a file even if it is not a regular one,
    so that reading it says what it is (a FIFO, a device) instead of "no such file".
    """
    found: list[tuple[Path, FileKind]] = []
    problems: list[Problem] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            plain = _is_plain_folder(path)

            def look(folder: Path, names: list[str], parts: tuple[str, ...]) -> None:
                problems.extend(misnamed_files(folder, names, providers="providers" in parts))

            walked, walk_problems = walk_yaml(path, visit=look)
            problems.extend(walk_problems)
            for file, folders in walked:
                kind = _classify(file, folders, plain=plain, named=False)
                if kind is not None:
                    found.append((file, kind))
                else:  # saved one folder too high, say: it would be skipped without a word
                    problems.extend(outside_data_folders(file))
        elif os.path.lexists(path):
            link = confined_link_problem(path)
            if link is not None:
                problems.append(link)
                continue
            kind = classify(path)
            if kind is not None:
                found.append((path, kind))
                problems.extend(named_file_problems(path, kind))
        else:
            problems.append(Problem(str(given), None, None, "", NO_SUCH_PATH))
    return found, problems


def _checker(module: str, function: str) -> Callable[[Path], list[Problem]] | None:
    """The policy engineer's checker, if that module exists yet (imported lazily)."""
    try:
        loaded = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise
        return None
    check: Callable[[Path], list[Problem]] | None = getattr(loaded, function, None)
    return check


def validate(paths: Iterable[str | Path], *, today: dt.date | None = None) -> list[Problem]:
    """Check provider, policy and policy-test files; return every problem, never raise.

    Args:
        paths: files and folders (folders are searched recursively).
        today: the date provider ``verified`` dates are compared with. Without it the
            "verified in the future" and "more than a year ago" checks are skipped: the
            library never reads the clock (``deflectkit validate`` passes the real date).

    Returns:
        Every problem (errors and warnings), sorted by file, line and column. A path that
        does not exist is an error problem.

    Example:
        >>> import datetime as dt
        >>> validate(["data/policies"], today=dt.date(2026, 12, 1))
        []
        >>> for problem in validate(["tests/data/broken_providers/bool-as-text.yaml"]):
        ...     print(problem.line, problem.field, problem.message)
        4 otp expected true or false, got the text 'yes'
    """
    return validate_counting(paths, today=today)[1]


def validate_counting(
    paths: Iterable[str | Path], *, today: dt.date | None = None
) -> tuple[int, list[Problem]]:
    """Like :func:`validate`, also returning how many files were checked (for summaries)."""
    when = today
    found, problems = find_files(paths)
    seen: set[str] = set()
    providers: list[tuple[str, Provider]] = []
    with bulk_loading():
        _check_all(found, when, seen, providers, problems)
    loaded = {path for path, _ in providers}
    unloaded = {str(p): None for p, kind in found if kind == "provider" and str(p) not in loaded}
    problems.extend(cross_file_problems(providers, unloaded=unloaded))
    return len(seen), cap_per_file(sort_problems(problems))


def _check_all(
    found: list[tuple[Path, FileKind]],
    when: dt.date | None,
    seen: set[str],
    providers: list[tuple[str, Provider]],
    problems: list[Problem],
) -> None:
    """Check each file once, adding to ``seen``, ``providers`` and ``problems``."""
    checkers: dict[FileKind, Callable[[Path], list[Problem]] | None] = {}
    for path, kind in found:
        resolved = os.path.abspath(path)  # cheaper than resolve(): no symlink walk
        if resolved in seen:  # the same file named twice (a folder and a file in it)
            continue
        seen.add(resolved)
        if kind not in checkers and kind != "provider":
            checkers[kind] = (
                _checker("deflectkit.files.policy", "check_policy")
                if kind == "policy"
                else _checker("deflectkit.files.policy_tests", "check_test_file")
            )
        try:
            found_problems, provider = _check_one(path, kind, when, checkers.get(kind))
        except Exception as exc:
            message = (
                f"could not be checked ({type(exc).__name__}): this is a bug in deflectkit, "
                "please report it; the other files were checked"
            )
            problems.append(Problem(str(path), None, None, "", message))
            continue
        problems.extend(found_problems)
        if provider is not None:
            providers.append((str(path), provider))


def _check_one(
    path: Path, kind: FileKind, when: dt.date | None, check: Callable[[Path], list[Problem]] | None
) -> tuple[list[Problem], Provider | None]:
    """The problems of one file and, for a valid provider file, its provider."""
    if kind == "provider":
        provider, found = check_provider_file(path, today=when, display=str(path))
        return found, provider
    return (check(path) if check is not None else []), None
