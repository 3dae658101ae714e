"""Nothing passes silently: files that would never be checked or published, and copied details.

Two kinds of mistake hide from a per-file check because the file itself looks fine:

* **A file in the wrong place or with the wrong name.** Only ``*.yaml`` / ``*.yml`` files in
  a ``providers`` folder are checked and published. A file saved as ``Clinic.YAML``, without
  an extension, or one folder too high (``data/`` instead of ``data/providers/``) would be
  skipped without a word. :func:`misnamed_files` and :func:`outside_data_folders` warn.
* **A file copied from another provider that kept its phone number, website or
  coordinates.** An officer would call the wrong place. :func:`copied_details` warns on the
  *newer* file of each pair: the one whose ``verified`` date is later or, when that does
  not tell them apart, the one later in slug order (so the answer never depends on the
  order files were read). Sites of one ``organization`` may share a website or number;
  coordinates count only for providers with a street address.

All of these are warnings: they never fail validation, they make sure someone looks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Final

from deflectkit.core.providers import Provider, readable_phone
from deflectkit.errors import DataError, Problem
from deflectkit.files.yamlio import format_field_path, read_yaml

__all__ = ["copied_details", "misnamed_files", "outside_data_folders"]

_YAML_SUFFIXES: Final = (".yaml", ".yml")
#: Files that sit beside provider files on purpose and are never data.
_NOT_DATA: Final = (".md", ".txt", ".rst", ".csv", ".json", ".html")
_NEVER: Final = "is never checked or published"


def _fixed_name(name: str) -> str:
    """The name the file should have: ``Clinic.YAML`` → ``clinic.yaml``."""
    stem = name
    for suffix in (".yaml.txt", ".yml.txt", ".yaml", ".yml"):
        if name.lower().endswith(suffix):
            stem = name[: -len(suffix)]
            break
    return stem.lower().replace(" ", "-").replace("_", "-") + ".yaml"


def misnamed_files(folder: Path, names: Iterable[str], *, providers: bool) -> list[Problem]:
    """Warnings for files in ``folder`` that look like provider files but would be skipped.

    Args:
        folder: the folder the names are in.
        names: the file names in it (as :func:`os.walk` gives them).
        providers: whether ``folder`` is (inside) a ``providers`` folder; there every file
            that is not hidden or a known document type is suspicious, elsewhere only
            names ending in a YAML suffix written in capitals (``.YAML``).
    """
    problems: list[Problem] = []
    for name in names:
        lowered = name.lower()
        if name.startswith(".") or name.endswith(_YAML_SUFFIXES):
            continue
        yaml_like = lowered.endswith((*_YAML_SUFFIXES, ".yaml.txt", ".yml.txt"))
        if not yaml_like and (not providers or lowered.endswith(_NOT_DATA)):
            continue
        why = "has no file extension" if "." not in name else "does not end in '.yaml'"
        problems.append(
            Problem(
                str(folder / name),
                None,
                None,
                "",
                f"this file {why}, so it {_NEVER}: rename it to '{_fixed_name(name)}'",
                "warning",
            )
        )
    return problems


def outside_data_folders(file: Path) -> list[Problem]:
    """A warning for a YAML file saved one folder too high: beside a ``providers`` folder.

    Files in other folders (an ``events`` folder, say) are left alone: they are not ours.
    """
    providers = file.parent / "providers"
    if not providers.is_dir():
        return []
    message = (
        f"this file is beside the providers folder, not in it, so it {_NEVER}: "
        f"move it into {providers}/ if it is a provider"
    )
    return [Problem(str(file), None, None, "", message, "warning")]


# --- copied details --------------------------------------------------------------------------

_Detail = tuple[str, str, tuple[str | int, ...]]  # what (for the message), value, field path


def _details(provider: Provider) -> Iterator[_Detail]:
    for index, phone in enumerate(provider.phones):
        yield "phone number", phone.number, ("phones", index)
    if provider.intake.call_ahead:
        yield "phone number", provider.intake.call_ahead, ("intake", "call_ahead")
    if provider.website:
        yield "website", provider.website.rstrip("/").lower(), ("website",)
    point, address = provider.location.coordinates, provider.location.address
    # Only a door (a street address) has one true position; a mobile team's or an area
    # service's coordinates are a base or a centroid that others may share. Five decimals
    # are about a metre: a copy, not two neighbours.
    if point is not None and address is not None and address.street:
        yield "coordinates", f"{point.lat:.5f},{point.lon:.5f}", ("location", "coordinates")


def _order(item: tuple[str, Provider]) -> tuple[dt.date, str]:
    """Older first: earlier ``verified`` (never verified counts as oldest), then slug."""
    _, provider = item
    return provider.verified or dt.date.min, provider.slug


def _shown(what: str, value: str) -> str:
    return readable_phone(value) if what == "phone number" else value


def _same_organization(a: Provider, b: Provider) -> bool:
    return a.organization is not None and a.organization == b.organization


def _field_line(path: str, field: Sequence[str | int]) -> tuple[int | None, int | None]:
    try:
        mark = read_yaml(path).locate(field)
    except DataError:
        return None, None
    return mark if mark else (None, None)


def copied_details(
    checked: Iterable[tuple[str, Provider]],
    locate: Callable[[str, Sequence[str | int]], tuple[int | None, int | None]] | None = None,
) -> list[Problem]:
    """Warnings for phone numbers, websites and coordinates that two providers share.

    Args:
        checked: ``(path, provider)`` pairs of the files that loaded.
        locate: ``(path, field path) -> (line, column)``; by default the warned file is
            read again (only warned files are, and those are few).

    Example:
        >>> from deflectkit.core.providers import Location, Phone
        >>> a = Provider(slug="example-a", name="A", location=Location("America/Phoenix"),
        ...              phones=(Phone("+15205550142"),), verified=dt.date(2026, 1, 5))
        >>> b = Provider(slug="example-b", name="B", location=Location("America/Phoenix"),
        ...              phones=(Phone("+15205550142"),), verified=dt.date(2026, 6, 1))
        >>> [(p.path, p.field) for p in copied_details([("a.yaml", a), ("b.yaml", b)],
        ...                                            lambda path, field: (None, None))]
        [('b.yaml', 'phones[0]')]
    """
    where = locate or _field_line
    seen: dict[tuple[str, str], list[tuple[str, Provider, tuple[str | int, ...]]]] = {}
    for path, provider in sorted(checked, key=_order):
        for what, value, field in _details(provider):
            holders = seen.setdefault((what, value), [])
            if all(held.slug != provider.slug for _, held, _ in holders):
                holders.append((path, provider, field))
    problems: list[Problem] = []
    for (what, value), holders in seen.items():
        first_path, first, _ = holders[0]
        for path, provider, field in holders[1:]:
            if _same_organization(first, provider):
                continue
            line, column = where(path, field)
            problems.append(
                Problem(
                    path,
                    line,
                    column,
                    format_field_path(field),
                    f"{what} {_shown(what, value)} is also in {first_path}: if this file was "
                    f"copied from it, write this provider's own {what} (warned on the file "
                    "verified later, else later by name)",
                    "warning",
                )
            )
    return problems
