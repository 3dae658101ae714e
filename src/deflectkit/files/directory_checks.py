"""Nothing passes silently: files that would never be checked or published, and copied details.

Two kinds of mistake hide from a per-file check because the file itself looks fine:

* **A file in the wrong place or with the wrong name.** Only ``*.yaml`` / ``*.yml`` files in
  a ``providers`` folder are checked and published. A file saved as ``Clinic.YAML``, without
  an extension, or one folder too high (``data/`` instead of ``data/providers/``) would be
  skipped without a word. :func:`misnamed_files` and :func:`outside_data_folders` warn.
* **A file copied from another provider that kept its phone number, website or
  coordinates.** An officer would call the wrong place. :func:`copied_details` warns on the
  *newer* file of each pair: the one whose ``verified`` date is later or, when that does
  not tell them apart (same date, or a file without one), the one later in slug order (so
  the answer never depends on the order files were read). Sites of one ``organization``
  may share a website or number; coordinates count only for providers with a street
  address. Files marked ``sample: true`` are left out: fictional data shares the hundred
  fictional 555-01xx numbers on purpose; so are two files imported from different records
  of a source (the source's own data, such as a network's central intake line).

All of these are warnings: they never fail validation, they make sure someone looks.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Final

import attrs

from deflectkit.core.hours_fixes import date_fix
from deflectkit.core.providers import Intake, Location, Provider, readable_phone
from deflectkit.errors import DataError, Problem
from deflectkit.files.provider_converter import PROVIDER_CONVERTER
from deflectkit.files.yaml_recovery import read_after_repairs
from deflectkit.files.yamlio import FieldPath, YamlDocument, format_field_path, read_yaml

__all__ = ["copied_details", "misnamed_files", "named_file_problems", "outside_data_folders"]

_YAML_SUFFIXES: Final = (".yaml", ".yml")
#: Files that sit beside provider files on purpose and are never data.
_NOT_DATA: Final = (".md", ".txt", ".rst", ".csv", ".json", ".html")
_NEVER: Final = "is skipped when its folder is checked, and never published"


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


def named_file_problems(path: Path, kind: str) -> list[Problem]:
    """The same warnings for a file named on the command line (as pre-commit names them).

    It is checked, since it was asked for, but the site would still never publish it.
    """
    problems = misnamed_files(path.parent, [path.name], providers=kind == "provider")
    if kind == "provider" and "providers" not in path.parts:
        problems += outside_data_folders(path)
    return problems


# --- copied details --------------------------------------------------------------------------


@attrs.frozen
class _Details:
    """What a copy may keep, from a loaded provider or, for a file with errors, its raw YAML."""

    path: str
    slug: str
    verified: dt.date | None
    organization: str | None
    details: tuple[tuple[str, str, FieldPath], ...]  # (what, value, field path)
    #: The imported record it came from (``source.name``, ``source.id``), if any.
    source: tuple[str, str | None] | None = None


def _details_of(path: str, provider: Provider) -> _Details:
    found: list[tuple[str, str, FieldPath]] = [
        ("phone number", phone.number, ("phones", index))
        for index, phone in enumerate(provider.phones)
    ]
    if provider.intake.call_ahead:
        found.append(("phone number", provider.intake.call_ahead, ("intake", "call_ahead")))
    if provider.website:
        found.append(("website", provider.website.rstrip("/").lower(), ("website",)))
    point, address = provider.location.coordinates, provider.location.address
    # Only a door (a street address) has one true position; a mobile team's or an area
    # service's coordinates are a base or a centroid that others may share. Five decimals
    # are about a metre: a copy, not two neighbours.
    if point is not None and address is not None and address.street:
        coordinates = f"{point.lat:.5f},{point.lon:.5f}"
        found.append(("coordinates", coordinates, ("location", "coordinates")))
    origin = (provider.source.name, provider.source.id) if provider.source else None
    return _Details(
        path, provider.slug, provider.verified, provider.organization, tuple(found), origin
    )


def _raw_details(path: str) -> _Details | None:
    """The same, read from a file that did not load (its details may still be copies)."""
    doc = _read(path)
    value = doc.value if doc is not None else None
    if not isinstance(value, dict):
        return None
    try:
        provider = PROVIDER_CONVERTER.structure(_salvage(value, Path(path).stem), Provider)
    except Exception:  # a file with errors: compare what can be read
        return None
    return None if value.get("sample") is True else _details_of(path, provider)


def _salvage(value: dict[str, Any], slug: str) -> dict[str, Any]:
    """The parts of a provider file a copy keeps, each kept only if it checks out alone."""
    kept: dict[str, Any] = {"slug": slug, "name": str(value.get("name") or slug)}
    location = value.get("location")
    kept["location"] = {"timezone": "UTC"}
    if isinstance(location, dict):
        for key in ("address", "coordinates"):
            part = _if_valid(location.get(key), Location, key)
            if part is not None:
                kept["location"][key] = part
    for key in ("phones", "website", "organization", "verified", "source"):
        if _if_valid(value.get(key), Provider, key) is not None:
            kept[key] = value[key]
    verified = value.get("verified")
    if "verified" not in kept and isinstance(verified, str) and date_fix(verified):
        kept["verified"] = date_fix(verified)  # 03/15/2026: its error names the same date
    intake = value.get("intake")
    if isinstance(intake, dict) and _if_valid(intake.get("call_ahead"), Intake, "call_ahead"):
        kept["intake"] = {"call_ahead": intake["call_ahead"]}
    return kept


def _if_valid(part: object, cl: type, key: str) -> object | None:
    if part is None:
        return None
    hint = typing.get_type_hints(cl)[key]
    try:
        PROVIDER_CONVERTER.structure(part, hint)
    except Exception:  # invalid on its own: leave it out of the comparison
        return None
    return part


def _may_share(first: _Details, other: _Details) -> bool:
    """Sites of one organization, or two different records of an import, may share details.

    Imported records carry their source's data (a network's one website or central intake
    line); a hand-made copy of an imported file keeps the *same* source record, and warns.
    """
    if first.organization is not None and first.organization == other.organization:
        return True
    return first.source is not None and other.source is not None and first.source != other.source


def _original_first(holders: list[tuple[_Details, FieldPath]]) -> None:
    """Sort the holders of one value, the original first.

    By ``verified`` when every one has it, else by slug alone: a missing date says nothing
    about which file came first.
    """
    dated = all(record.verified is not None for record, _ in holders)
    holders.sort(key=lambda h: ((h[0].verified if dated else None) or dt.date.min, h[0].slug))


def _shown(what: str, value: str) -> str:
    return readable_phone(value) if what == "phone number" else value


def _read(path: str) -> YamlDocument | None:
    """The file parsed, past a tab or an unquoted colon if need be; ``None`` if unreadable."""
    try:
        return read_yaml(path)
    except DataError as exc:
        return read_after_repairs(path, exc)[1]


def _field_line(path: str, field: Sequence[str | int]) -> tuple[int | None, int | None]:
    doc = _read(path)
    mark = doc.locate(field) if doc is not None else None
    return mark if mark else (None, None)


def copied_details(
    checked: Iterable[tuple[str, Provider]],
    unloaded: Iterable[str] = (),
    locate: Callable[[str, Sequence[str | int]], tuple[int | None, int | None]] | None = None,
) -> list[Problem]:
    """Warnings for phone numbers, websites and coordinates that two providers share.

    Args:
        checked: ``(path, provider)`` pairs of the files that loaded.
        unloaded: provider files that did not load (they have errors); what can be read of
            them is compared too, so a copy is named in the same run as its other mistakes.
        locate: ``(path, field path) -> (line, column)``; by default the warned file is
            read again (only warned files are, and those are few).

    Example:
        >>> from deflectkit.core.providers import Location, Phone
        >>> a = Provider(slug="example-a", name="A", location=Location("America/Phoenix"),
        ...              phones=(Phone("+15205550142"),), verified=dt.date(2026, 1, 5))
        >>> b = Provider(slug="example-b", name="B", location=Location("America/Phoenix"),
        ...              phones=(Phone("+15205550142"),), verified=dt.date(2026, 6, 1))
        >>> [(p.path, p.field) for p in copied_details([("a.yaml", a), ("b.yaml", b)],
        ...                                            locate=lambda path, field: (None, None))]
        [('b.yaml', 'phones[0]')]
    """
    where = locate or _field_line
    records = [_details_of(path, provider) for path, provider in checked if not provider.sample]
    records += [r for path in unloaded if (r := _raw_details(path)) is not None]
    seen: dict[tuple[str, str], list[tuple[_Details, FieldPath]]] = {}
    for record in records:
        for what, value, field in record.details:
            holders = seen.setdefault((what, value), [])
            if all(held.slug != record.slug for held, _ in holders):
                holders.append((record, field))
    problems: list[Problem] = []
    for (what, value), holders in seen.items():
        _original_first(holders)
        for index, (record, field) in enumerate(holders):
            earlier = (held for held, _ in holders[:index] if not _may_share(held, record))
            first = next(earlier, None)
            if first is None:  # the original, or one allowed to share with every earlier
                continue
            line, column = where(record.path, field)
            message = (
                f"{what} {_shown(what, value)} is also in {first.path}: if this file was "
                f"copied from it, write this provider's own {what} (warned on the file "
                "verified later, else later by name)"
            )
            problems.append(
                Problem(record.path, line, column, format_field_path(field), message, "warning")
            )
    return problems
