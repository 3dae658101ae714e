"""Provider files: YAML in, checked :class:`~deflectkit.core.providers.Provider` values out.

The people who edit ``data/providers/*.yaml`` are mostly not programmers, so every check
here ends in a sentence that names the file, the line and the field, and says what to write
instead. Loading never stops at the first mistake: one run reports every problem in every
file.

How it works: :mod:`deflectkit.files.yamlio` parses the file safely and remembers where
each value stood; a cattrs converter (built once, at import) turns the plain data into the
frozen model, with ``forbid_extra_keys`` and detailed validation so that *all* shape errors
come back at once, each with its path. Field checks that normalise a value (phone numbers to
E.164, hours to a timetable) run as structuring hooks; checks that look at several fields
or at the clock (methadone needs ``otp``, ``verified`` is not in the future) run after.

The optional ``schema:`` key names the file's format (``deflectkit/provider@1``,
:data:`~deflectkit.core.providers.PROVIDER_SCHEMA`; a file without it reads as version 1).
Another kind, or a newer version, is refused before anything else is checked.

Field checks live in :mod:`deflectkit.files.provider_converter`.

Example:
    >>> import datetime as dt
    >>> from deflectkit.files.yamlio import parse_yaml
    >>> doc = parse_yaml("{name: Example Clinic, location: {timezone: America/Phoenix}, "
    ...                  "phones: ['520-555-0142'], hours: 24/7}", "example-clinic.yaml")
    >>> provider, problems = check_provider_document(doc, today=dt.date(2026, 11, 1))
    >>> provider.phones[0].number, problems
    ('+15205550142', [])
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import itertools
import os
import re
import zoneinfo
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Final

from deflectkit.core.directory import Directory
from deflectkit.core.formats import format_problem, parse_format
from deflectkit.core.providers import PROVIDER_SCHEMA_VERSION, Provider
from deflectkit.errors import MAX_PROBLEMS_PER_FILE, DataError, Problem, sort_problems
from deflectkit.files.directory_checks import copied_details
from deflectkit.files.postal_state import postal_state_problems
from deflectkit.files.provider_converter import (
    PROVIDER_CONVERTER,
    PROVIDER_VOCABULARIES,
    describe,
    provider_issues,
)
from deflectkit.files.yaml_recovery import read_after_repairs
from deflectkit.files.yamlio import YamlDocument, confined_link_problem, read_yaml, walk_yaml
from deflectkit.files.zip_centroids import zip_timezone
from deflectkit.hints import hinted
from deflectkit.spelling import counted

__all__ = [
    "PROVIDER_VOCABULARIES",
    "SLUG_PATTERN",
    "STALE_AFTER",
    "bulk_loading",
    "check_provider_document",
    "check_provider_file",
    "cross_file_problems",
    "load_directory",
    "load_provider",
    "provider_files",
]

#: A slug (the file name without ``.yaml``) names the provider's page: keep it URL-safe.
SLUG_PATTERN: Final = re.compile(r"^[a-z0-9-]+$")
#: A ``verified`` date older than this earns a warning (never an error).
STALE_AFTER: Final = dt.timedelta(days=365)


def _slug_problems(doc: YamlDocument, slug: str) -> list[Problem]:
    problems = []
    if not SLUG_PATTERN.match(slug):
        fixed = re.sub(r"[^a-z0-9]+", "-", slug.lower()).strip("-") or "example-provider"
        problems.append(
            Problem(
                doc.path,
                None,
                None,
                "",
                f"file name {slug!r} is not a valid slug: use lowercase letters, digits and "
                f"hyphens, such as '{fixed}.yaml'",
            )
        )
    if "slug" in doc.value:
        problems.append(
            doc.problem(
                ("slug",),
                "remove this key: the slug is the file name without '.yaml'",
                key=True,
            )
        )
    return problems


def _cross_field_problems(doc: YamlDocument, today: dt.date | None) -> list[Problem]:
    """Checks that read several fields, or the date: run even when the shape is wrong.

    ``verified`` is compared with ``today`` only when a date is given: the library never
    reads the clock.
    """
    value: Mapping[str, Any] = doc.value
    problems: list[Problem] = []
    medications = value.get("medications")
    otp = value.get("otp") is True
    if isinstance(medications, list) and "methadone" in medications and not otp:
        index = medications.index("methadone")
        problems.append(
            doc.problem(
                ("medications", index),
                "methadone for opioid use disorder is only dispensed by an Opioid Treatment "
                "Program: add 'otp: true' or remove methadone",
            )
        )
    verified = value.get("verified")
    if isinstance(verified, str):  # a quoted date: the converter accepts it, so check it too
        try:
            verified = dt.date.fromisoformat(verified.strip())
        except ValueError:
            verified = None  # the converter reports it
    if isinstance(verified, dt.datetime):
        verified = None  # the converter reports a date and time
    if isinstance(verified, dt.date) and today is not None:
        if verified > today:
            problems.append(
                doc.problem(
                    ("verified",),
                    f"{verified.isoformat()} is in the future (today is {today.isoformat()}); "
                    "write the day a person last checked this information",
                )
            )
        elif today - verified > STALE_AFTER:
            problems.append(
                doc.problem(
                    ("verified",),
                    f"last verified {verified.isoformat()}, more than a year ago: please "
                    "check the details with the provider and update this date",
                    severity="warning",
                )
            )
    problems.extend(_fixed_zone_problems(doc))
    ages = value.get("ages")
    if isinstance(ages, dict):
        low, high = ages.get("min"), ages.get("max")
        if (
            isinstance(low, int)
            and isinstance(high, int)
            and not isinstance(low, bool)
            and not isinstance(high, bool)
            and low > high
        ):
            problems.append(doc.problem(("ages", "max"), f"max ({high}) is below min ({low})"))
    return problems


def _fixed_zone_problems(doc: YamlDocument) -> list[Problem]:
    """A warning for ``timezone: EST``, ``MST``, ``UTC`` or ``Etc/GMT+5``: one offset all year.

    They are valid IANA names, but a provider in a place that changes its clocks would show
    the wrong "open now" for half the year. The fix is the place's zone, from its ZIP code
    when it has one. (``America/Phoenix`` keeps one offset too, but it is a place's name.)
    """
    location = doc.value.get("location")
    name = location.get("timezone") if isinstance(location, Mapping) else None
    if not isinstance(name, str) or ("/" in name and not name.startswith("Etc/")):
        return []
    try:
        zone = zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return []  # the converter reports an unknown zone
    if _winter.replace(tzinfo=zone).utcoffset() != _summer.replace(tzinfo=zone).utcoffset():
        return []  # EST5EDT and the like follow daylight saving
    address = location.get("address")
    postal = address.get("postal_code") if isinstance(address, Mapping) else None
    place = zip_timezone(str(postal)) if isinstance(postal, str | int) else None
    fix = f"'{place}' (from the ZIP code)" if place else "such as 'America/New_York'"
    message = (
        f"{name!r} keeps one offset all year, with no daylight saving: write the IANA zone of "
        f"the provider's place, {fix}, so 'open now' is right in summer and in winter"
    )
    return [doc.problem(("location", "timezone"), hinted(message, suggestion=place, value=name),
                        severity="warning")]


_winter, _summer = dt.datetime(2026, 1, 15, 12), dt.datetime(2026, 7, 15, 12)


def _spanish_problems(doc: YamlDocument) -> list[Problem]:
    """Warnings for a Spanish text that repeats the English one, or stands without it."""
    problems: list[Problem] = []
    intake = doc.value.get("intake")
    pairs: list[tuple[tuple[str, ...], Mapping[str, Any]]] = [(("description",), doc.value)]
    if isinstance(intake, dict):
        pairs.append((("intake", "instructions"), intake))
    for path, holder in pairs:
        english, spanish = holder.get(path[-1]), holder.get(f"{path[-1]}_es")
        if not isinstance(spanish, str) or not spanish.strip():
            continue
        where = (*path[:-1], f"{path[-1]}_es")
        if isinstance(english, str) and " ".join(english.split()) == " ".join(spanish.split()):
            message = (f"is the same text as {path[-1]}: write it in Spanish, or remove the "
                       "line (the Spanish directory then shows the English text)")
            problems.append(doc.problem(where, message, severity="warning"))
        elif not isinstance(english, str) or not english.strip():
            message = (f"has no English {path[-1]} beside it: add one, so the English "
                       "directory shows it too")
            problems.append(doc.problem(where, message, severity="warning"))
    return problems


def check_provider_document(
    doc: YamlDocument, *, today: dt.date | None, slug: str | None = None
) -> tuple[Provider | None, list[Problem]]:
    """Check a parsed provider file and build its :class:`Provider` if it has no errors.

    Args:
        doc: the parsed YAML (see :func:`deflectkit.files.yamlio.parse_yaml`).
        today: the date to compare ``verified`` with (a parameter, so checks are
            repeatable); ``None`` skips the "in the future" and "more than a year ago" checks.
        slug: the provider's slug; defaults to the file name without its extension.

    Returns:
        The provider (``None`` if any problem is an error) and every problem, warnings
        included, in file order.
    """
    if slug is None:
        slug = Path(doc.path).stem
    value = doc.value
    if not isinstance(value, dict):
        what = "a list" if isinstance(value, list) else describe(value)
        return None, [
            doc.problem(
                (),
                f"a provider file must be a mapping of keys to values (name: ..., location: "
                f"...), but this file holds {what}",
            )
        ]
    problems = _slug_problems(doc, slug)
    if "schema" in value:
        wrong = format_problem(value["schema"], "provider", PROVIDER_SCHEMA_VERSION)
        if wrong is not None:
            problems.append(doc.problem(("schema",), wrong))
            if parse_format(value["schema"]) is not None:  # another kind, or a newer format:
                return None, problems  # its other keys are not this release's to judge
    problems.extend(_cross_field_problems(doc, today))
    problems.extend(_spanish_problems(doc))
    problems.extend(postal_state_problems(doc))
    provider: Provider | None = None
    data = {k: v for k, v in value.items() if k not in ("slug", "schema")}
    data["slug"] = slug
    try:
        provider = PROVIDER_CONVERTER.structure(data, Provider)
    except Exception as exc:  # every structuring failure becomes Problems
        # Locating a problem costs; a hostile file has 30,000. One past the cap is enough
        # for cap_per_file (in validate and in DataError) to say more were left out.
        found = itertools.islice(provider_issues(exc), MAX_PROBLEMS_PER_FILE + 1)
        problems.extend(map(doc.located, found))
    if any(p.is_error for p in problems):
        provider = None
    return provider, sort_problems(problems)


def check_provider_file(
    path: str | Path, *, today: dt.date | None, display: str | None = None
) -> tuple[Provider | None, list[Problem]]:
    """Read and check one provider file; never raises for bad data.

    Args:
        path: the file; its name without ``.yaml`` is the provider's slug.
        today: the date ``verified`` is compared with; ``None`` skips those checks.
        display: the file name to show in messages (defaults to ``str(path)``).

    Returns:
        The provider (``None`` if the file has errors) and every problem found.
    """
    try:
        doc = read_yaml(path, display=display)
    except DataError as exc:  # a tab or an unquoted colon: report it, then check the rest
        syntax, repaired = read_after_repairs(path, exc, display=display)
        if repaired is None:
            return None, syntax
        _, rest = check_provider_document(repaired, today=today, slug=Path(path).stem)
        return None, sort_problems([*syntax, *rest])
    return check_provider_document(doc, today=today, slug=Path(path).stem)


def load_provider(path: str | Path, *, today: dt.date | None = None) -> Provider:
    """Load one provider file.

    Args:
        path: the file.
        today: the date ``verified`` is compared with. Without it the "verified in the
            future" and "more than a year ago" checks are skipped: the library never reads
            the clock (the CLI passes the real date).

    Raises:
        DataError: listing every error in the file (warnings do not raise).

    Example:
        >>> p = load_provider("data/providers/example-codac-like-otp.yaml")  # doctest: +SKIP
    """
    provider, problems = check_provider_file(path, today=today)
    if provider is None:
        raise DataError(problems, f"{path}: invalid provider file")
    return provider


def provider_files(root: str | Path) -> list[Path]:
    """Every provider file under ``root`` (or ``root`` itself if it is a file), sorted.

    Policy files are skipped: ``*.tests.yaml`` and anything in a ``policies`` folder. So
    are hidden files and folders and links leading out of ``root`` (see
    :func:`deflectkit.files.yamlio.walk_yaml`); :func:`load_directory` reports those.
    """
    return _provider_files(Path(root))[0]


def _provider_files(base: Path) -> tuple[list[Path], list[Problem]]:
    """The provider files under ``base`` and the problems met finding them."""
    if not base.is_dir():  # one file (a FIFO or a link too: reading it says what is wrong)
        link = confined_link_problem(base)
        return ([], [link]) if link else ([base], [])
    walked, problems = walk_yaml(base)
    files = [
        path
        for path, folders in walked
        if "policies" not in folders[1:] and not path.name.endswith(_TESTS_SUFFIXES)
    ]
    return files, problems


_TESTS_SUFFIXES: Final = (".tests.yaml", ".tests.yml")


@contextlib.contextmanager
def bulk_loading() -> Iterator[None]:
    """Pause the cyclic garbage collector while many files are loaded, then restore it.

    Loading makes no reference cycles (reference counting frees every temporary), yet
    each full collection walks every provider loaded so far: with 30,000 files that is
    about a sixth of the time. The collector's previous state is always restored.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _name_position(path: str) -> tuple[int | None, int | None]:
    """Line and column of the ``name`` key in a provider file, if it can be read."""
    try:
        mark = read_yaml(path).locate(("name",), key=True)
    except DataError:
        return None, None
    return mark if mark else (None, None)


def cross_file_problems(
    checked: Iterable[tuple[str, Provider]],
    locate: Callable[[str], tuple[int | None, int | None]] | None = None,
    unloaded: Iterable[str] = (),
) -> list[Problem]:
    """Warnings about the set of files: a slug used twice, two files for one provider, a copy.

    Args:
        checked: ``(path, provider)`` pairs, in the order the files were read.
        locate: ``path -> (line, column)`` of a file's ``name`` key; by default the file
            is read again (only files that get a warning are, and those are few).
        unloaded: provider files with errors, compared for copied details too.
    """
    where = locate or _name_position
    checked = list(checked)
    problems: list[Problem] = copied_details(checked, unloaded)  # a copy that kept a phone
    by_slug: dict[str, str] = {}
    by_identity: dict[tuple[str, str, str, str], str] = {}
    for path, provider in checked:
        first = by_slug.setdefault(provider.slug, path)
        if first != path:
            message = (
                f"the slug {provider.slug!r} is also used by {first}; only the first file "
                "is loaded: rename one of them"
            )
            line, column = where(path)
            problems.append(Problem(path, line, column, "", message, "warning"))
            continue
        address = provider.location.address
        if address is None:
            continue
        identity = (
            " ".join(provider.name.casefold().split()),
            " ".join((address.street or "").casefold().split()),
            address.city.casefold().strip(),
            address.postal_code,
        )
        other = by_identity.setdefault(identity, path)
        if other != path:
            message = f"same name and address as {other}: is this the same provider twice?"
            line, column = where(path)
            problems.append(Problem(path, line, column, "name", message, "warning"))
    return problems


def load_directory(path: str | Path, *, today: dt.date | None = None) -> Directory:
    """Load every provider file under a folder into an immutable :class:`Directory`.

    Args:
        path: a folder such as ``data/providers`` (searched recursively), or one file.
        today: the date ``verified`` is compared with, normally the day the data is
            checked or published, *not* an encounter's date. Without it the "verified in
            the future" and "more than a year ago" checks are skipped: the library never
            reads the clock (``deflectkit validate`` passes the real date).

    Returns:
        The directory; warnings (stale dates, likely duplicates) are in ``.warnings``.

    Raises:
        DataError: listing every error in every file, when any file has one.

    Example:
        >>> import deflectkit as dk
        >>> d = dk.load_directory("data/providers")  # doctest: +SKIP
        >>> [p.name for p in d.with_medication("methadone")]  # doctest: +SKIP
    """
    when = today
    root = Path(path)
    if not os.path.lexists(root):
        raise DataError([Problem(str(path), None, None, "", "no such file or folder")])
    files, problems = _provider_files(root)
    loaded: list[tuple[str, Provider]] = []
    with bulk_loading():
        for file in files:
            display = str(file)
            provider, found = check_provider_file(file, today=when, display=display)
            problems.extend(found)
            if provider is not None:
                loaded.append((display, provider))
    problems.extend(cross_file_problems(loaded))
    if any(p.is_error for p in problems):
        count = sum(p.is_error for p in problems)
        raise DataError(problems, f"{counted(count, 'error')} in the provider files under {path}")
    unique: dict[str, Provider] = {}
    for _, provider in loaded:
        unique.setdefault(provider.slug, provider)
    return Directory(unique.values(), warnings=sort_problems(problems))
