"""Write provider files in their key order, safely and all at once.

The format: docs/design/formats.md#provider-files.

Importers produce plain mappings (the YAML a contributor would type); this module turns
them into text and writes a whole folder of them *atomically*: every file is first written
into a temporary folder beside the target and only then moved into place, so an
interrupted import never leaves a half-written file. Existing files are never overwritten
unless the caller asks for an update, and an update says, field by field, what changed.

Example:
    >>> text = provider_yaml({"name": "Example Clinic", "sample": True,
    ...                       "location": {"timezone": "America/Phoenix"}})
    >>> text.splitlines()[1:3]
    ['schema: deflectkit/provider@1', 'name: Example Clinic']
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Collection, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Final, Literal

import attrs
import yaml

from deflectkit.convert import to_json
from deflectkit.core.formats import format_problem
from deflectkit.core.providers import PROVIDER_SCHEMA, PROVIDER_SCHEMA_VERSION, Provider
from deflectkit.errors import DataError, Problem
from deflectkit.files.atomic import default_mode, write_file_atomically  # re-exported
from deflectkit.files.yamlio import read_yaml

__all__ = [
    "KEY_ORDER",
    "SCHEMA_COMMENT",
    "Action",
    "FileChange",
    "WriteReport",
    "diff_mappings",
    "existing_slugs",
    "existing_source_ids",
    "existing_sources",
    "order_mapping",
    "provider_to_mapping",
    "provider_yaml",
    "write_file_atomically",
    "write_providers",
]

#: First line of every provider file: editors with the YAML language server validate and
#: complete against the generated schema.
SCHEMA_COMMENT: Final = "# yaml-language-server: $schema=../../schemas/provider.schema.json"

#: Top-level keys in the documented order (docs/design/formats.md#provider-files); unknown
#: keys follow, sorted.
KEY_ORDER: Final = (
    "schema", "name", "organization", "description", "description_es", "sample", "verified",
    "phones", "website", "email",
    "location", "hours", "intake", "services", "asam_levels", "medications", "otp",
    "substances", "mental_health", "ages", "payment", "languages", "accessibility",
    "populations", "samhsa_codes", "source",
)
_NESTED_ORDER: Final[dict[str, tuple[str, ...]]] = {
    "location": ("address", "coordinates", "timezone"),
    "address": ("street", "city", "state", "postal_code", "county"),
    "coordinates": ("lat", "lon"),
    "intake": (
        "walk_in", "first_responder_dropoff", "call_ahead", "officer_minutes", "hours",
        "instructions", "instructions_es",
    ),
    "ages": ("min", "max"),
    "source": ("name", "id", "date", "url"),
    "phones": ("number", "label"),
}

Action = Literal["create", "update", "unchanged", "kept"]


def _ordered(value: Mapping[str, Any], order: Sequence[str]) -> dict[str, Any]:
    known = [k for k in order if k in value]
    rest = sorted(k for k in value if k not in order)
    return {k: value[k] for k in (*known, *rest)}


def order_mapping(mapping: Mapping[str, Any]) -> dict[str, Any]:
    """The mapping with keys (and nested keys) in the documented order.

    Example:
        >>> list(order_mapping({"sample": False, "name": "X"}))
        ['name', 'sample']
    """
    out = _ordered(mapping, KEY_ORDER)
    for key, value in out.items():
        if isinstance(value, Mapping) and key in _NESTED_ORDER:
            out[key] = _ordered(value, _NESTED_ORDER[key])
            for inner, inner_value in out[key].items():
                if isinstance(inner_value, Mapping) and inner in _NESTED_ORDER:
                    out[key][inner] = _ordered(inner_value, _NESTED_ORDER[inner])
        elif key == "phones" and isinstance(value, list):
            out[key] = [
                _ordered(p, _NESTED_ORDER["phones"]) if isinstance(p, Mapping) else p
                for p in value
            ]
    return out


def _prune(value: Any) -> Any:
    """Drop ``None``, empty lists and empty mappings: absent means "not known"."""
    if isinstance(value, Mapping):
        out = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v is not None and v not in ([], {})}
    if isinstance(value, list | tuple):
        return [_prune(v) for v in value]
    return value


def provider_to_mapping(provider: Provider) -> dict[str, Any]:
    """A provider as the plain mapping its YAML file holds (the slug is the file name).

    False flags other than ``sample`` and empty fields are left out, as people write them.

    Example:
        >>> from deflectkit.core.providers import Location
        >>> provider_to_mapping(Provider("x", "Example", Location("America/Phoenix")))
        {'name': 'Example', 'sample': False, 'location': {'timezone': 'America/Phoenix'}}
    """
    raw = to_json(provider)
    raw.pop("slug", None)
    for flag in ("otp", "mental_health"):
        if raw.get(flag) is False:
            del raw[flag]
    intake = raw.get("intake") or {}
    for flag in ("walk_in", "first_responder_dropoff"):
        if intake.get(flag) is False:
            del intake[flag]
    for phone in raw.get("phones") or []:
        phone["number"] = _display_phone(phone["number"])
    if intake.get("call_ahead"):
        intake["call_ahead"] = _display_phone(intake["call_ahead"])
    sample = raw.get("sample", False)
    out = _prune(raw)
    out["sample"] = sample
    for date_key in ("verified",):
        if isinstance(out.get(date_key), str):
            out[date_key] = dt.date.fromisoformat(out[date_key])
    source = out.get("source")
    if isinstance(source, dict) and isinstance(source.get("date"), str):
        source["date"] = dt.date.fromisoformat(source["date"])
    return order_mapping(out)


def _display_phone(number: str) -> str:
    """``+15205550142`` → ``+1 520-555-0142``: E.164 people can read."""
    import phonenumbers

    try:
        parsed = phonenumbers.parse(number, "US")
    except phonenumbers.NumberParseException:
        return number
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


# The C emitter (libyaml) is ten times faster and writes the same text; representers stay
# in Python either way.
_BaseDumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_BaseDumper):  # type: ignore[misc]
    """Safe dumping without anchors, with short lists of words on one line (``[en, es]``)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_list(dumper: Any, data: list[Any]) -> yaml.Node:
    flow = all(isinstance(v, str | int | float | bool) for v in data)
    node: yaml.Node = dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)
    return node


_Dumper.add_representer(list, _represent_list)


def provider_yaml(mapping: Mapping[str, Any]) -> str:
    """The text of one provider file: the schema comment, then the mapping in key order.

    The first key is ``schema:``, the format this release writes
    (:data:`~deflectkit.core.providers.PROVIDER_SCHEMA`), whatever ``mapping`` holds.
    Strings are quoted by ``yaml.safe_dump`` wherever YAML would misread them (``"02150"``,
    ``"yes"``, ``"1"``), so the file reads back to exactly the same values.
    """
    body = yaml.dump(
        _current_format(mapping),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    return f"{SCHEMA_COMMENT}\n{body}"


def _current_format(mapping: Mapping[str, Any]) -> dict[str, Any]:
    """The mapping in key order, naming the provider format this release writes."""
    return order_mapping({**mapping, "schema": PROVIDER_SCHEMA})


def _show(value: Any) -> str:
    text = repr(value.isoformat() if isinstance(value, dt.date) else value)
    return text if len(text) <= 60 else text[:57] + "…'"


def diff_mappings(old: Any, new: Any, path: str = "") -> list[str]:
    """Field-level differences between two plain values, one line per changed field.

    Example:
        >>> diff_mappings({"name": "A", "otp": True}, {"name": "B", "email": "x@example.org"})
        ["name: 'A' → 'B'", 'otp: removed (was True)', "email: added 'x@example.org'"]
    """
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        lines: list[str] = []
        for key in old:
            where = f"{path}.{key}" if path else str(key)
            if key not in new:
                lines.append(f"{where}: removed (was {_show(old[key])})")
            else:
                lines.extend(diff_mappings(old[key], new[key], where))
        for key in new:
            if key not in old:
                where = f"{path}.{key}" if path else str(key)
                lines.append(f"{where}: added {_show(new[key])}")
        return lines
    if (
        isinstance(old, list)
        and isinstance(new, list)
        and len(old) == len(new)
        and any(isinstance(v, Mapping) for v in old)
    ):
        out: list[str] = []
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            out.extend(diff_mappings(a, b, f"{path}[{i}]"))
        return out
    if old != new:
        return [f"{path}: {_show(old)} → {_show(new)}"]
    return []


@attrs.frozen
class FileChange:
    """What an import did (or, in a dry run, would do) to one provider file.

    Attributes:
        path: the provider file.
        action: ``create`` (new file), ``update`` (rewritten with ``update=True``),
            ``unchanged`` (same content), ``kept`` (exists, differs, left alone because
            ``update`` was not asked for).
        changes: field-level differences, for ``update`` and ``kept``.
    """

    path: Path
    action: Action
    changes: tuple[str, ...] = ()


@attrs.frozen
class WriteReport:
    """Every file an import touched or considered, plus problems with existing files."""

    files: tuple[FileChange, ...]
    problems: tuple[Problem, ...] = ()
    dry_run: bool = False

    def count(self, action: Action) -> int:
        """How many files had ``action``."""
        return sum(1 for f in self.files if f.action == action)

    @property
    def counts(self) -> dict[str, int]:
        """Files per action, for summaries and ``--format json``."""
        return {a: self.count(a) for a in ("create", "update", "unchanged", "kept")}


def _read_existing(path: Path) -> dict[str, Any]:
    doc = read_yaml(path)  # (refuses a link leading out of the folder)
    if not isinstance(doc.value, dict):
        raise DataError([Problem(str(path), 1, 1, "", "not a provider mapping; left alone")])
    if "schema" in doc.value:  # a newer format's file is never rewritten in an older one
        wrong = format_problem(doc.value["schema"], "provider", PROVIDER_SCHEMA_VERSION)
        if wrong is not None:
            raise DataError([doc.problem(("schema",), f"{wrong}; left alone")])
    return doc.value


def existing_sources(out_dir: str | Path) -> dict[str, Any]:
    """``slug -> source`` (the file's ``source`` mapping, or ``None``) for ``out_dir``'s files.

    Unreadable files are left out here; the write step reports them.
    """
    folder = Path(out_dir)
    found: dict[str, Any] = {}
    if not folder.is_dir():
        return found
    for file in sorted(folder.glob("*.yaml")):
        try:
            value = _read_existing(file)
        except DataError:
            continue
        source = value.get("source")
        found[file.stem] = source if isinstance(source, dict) else None
    return found


def existing_source_ids(
    out_dir: str | Path, source_name: str, sources: Mapping[str, Any] | None = None
) -> dict[str, str]:
    """``source.id`` → slug for files in ``out_dir`` imported from ``source_name``.

    Re-imports use it to give a facility the slug it already has, so file names stay
    stable even when a new facility with the same name appears in the next export.
    ``sources`` is :func:`existing_sources` of the folder, when already read.
    """
    found: dict[str, str] = {}
    for slug, source in (existing_sources(out_dir) if sources is None else sources).items():
        if isinstance(source, dict) and source.get("name") == source_name and source.get("id"):
            found.setdefault(str(source["id"]), slug)
    return found


def existing_slugs(out_dir: str | Path) -> set[str]:
    """The slugs (file names without ``.yaml``) already in ``out_dir``."""
    folder = Path(out_dir)
    return {f.stem for f in folder.glob("*.yaml")} if folder.is_dir() else set()


def write_providers(
    out_dir: str | Path,
    providers: Mapping[str, Mapping[str, Any]],
    *,
    update: bool = False,
    dry_run: bool = False,
    owned_keys: Collection[str] | None = None,
    source_name: str | None = None,
) -> WriteReport:
    """Write ``slug -> mapping`` as ``out_dir/<slug>.yaml``, atomically.

    All new and changed files are written into a temporary folder beside ``out_dir`` and
    then renamed into place (a rename within one file system is atomic), so a crash or a
    full disk never leaves a half-written provider file. If ``out_dir`` does not exist
    yet, the temporary folder itself becomes ``out_dir`` in a single rename. When
    ``out_dir`` is a link, the temporary folder is made beside the folder it leads to.

    The whole check-and-write holds an exclusive lock (``.<folder>.lock`` beside the
    folder), so two imports into one folder never both see a slug free and both write it;
    the second to come is refused with a clear message. Temporary folders left behind by
    an import that was killed are removed under the same lock.

    Args:
        out_dir: the provider folder (``data/providers``).
        providers: file contents by slug.
        update: rewrite existing files that differ; otherwise they are kept and reported.
        dry_run: work out and report every change, but write nothing.
        owned_keys: top-level keys the importer is responsible for. On update, keys
            outside this set that a person added to the existing file (intake details,
            hours, ASAM levels …) are kept. ``None`` replaces the whole file.
        source_name: the importer's ``source.name``. When given, an existing file is only
            ever rewritten if its own ``source`` names the same source and the same
            record id: a hand-written file, or one from another source or record, is
            never overwritten, whatever slug a feed asks for.

    Returns:
        The report: one :class:`FileChange` per slug, in slug order.

    Raises:
        DataError: ``out_dir`` is not a folder, or another import into it is running.

    Example:
        >>> import tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp()) / "providers"
        >>> write_providers(folder, {"x": {"name": "Example"}}).counts["create"]
        1
    """
    folder = Path(out_dir)
    if folder.exists() and not folder.is_dir():
        raise DataError([Problem(str(folder), None, None, "", "exists and is not a folder")])
    real = Path(os.path.realpath(folder))
    with contextlib.nullcontext() if dry_run else _import_lock(folder, real):
        changes, problems, to_write = _plan(folder, providers, update, owned_keys, source_name)
        if not dry_run and to_write:
            _write_atomically(real, to_write)
    return WriteReport(tuple(changes), tuple(problems), dry_run)


def _plan(
    folder: Path,
    providers: Mapping[str, Mapping[str, Any]],
    update: bool,
    owned_keys: Collection[str] | None,
    source_name: str | None,
) -> tuple[list[FileChange], list[Problem], dict[str, str]]:
    """What to do with each slug: the changes, problems, and the texts to write."""
    changes: list[FileChange] = []
    problems: list[Problem] = []
    to_write: dict[str, str] = {}
    for slug in sorted(providers):
        target = folder / f"{slug}.yaml"
        new = _current_format(providers[slug])
        if not os.path.lexists(target):
            to_write[slug] = provider_yaml(new)
            changes.append(FileChange(target, "create"))
            continue
        try:
            old = _read_existing(target)
        except DataError as exc:
            problems.extend(exc.problems)
            changes.append(FileChange(target, "kept", ("existing file cannot be read",)))
            continue
        if owned_keys is not None:
            merged = {k: v for k, v in old.items() if k not in owned_keys}
            merged.update(new)
            new = order_mapping(merged)
        diff = tuple(diff_mappings(old, new))
        text = provider_yaml(new)
        if not diff and target.read_text(encoding="utf-8") == text:
            changes.append(FileChange(target, "unchanged"))
        elif not update:
            changes.append(FileChange(target, "kept", diff))
        elif source_name is not None and not _same_record(old, new, source_name):
            problems.append(_not_ours(target, source_name))
            changes.append(FileChange(target, "kept", diff))
        else:
            to_write[slug] = text
            changes.append(FileChange(target, "update", diff or ("reformatted",)))
    return changes, problems, to_write


def _same_record(old: Mapping[str, Any], new: Mapping[str, Any], source_name: str) -> bool:
    """Whether an existing file says it came from ``source_name``, for the record ``new`` is."""
    old_source, new_source = old.get("source"), new.get("source")
    if not isinstance(old_source, Mapping) or old_source.get("name") != source_name:
        return False
    new_id = new_source.get("id") if isinstance(new_source, Mapping) else None
    return new_id is None or str(old_source.get("id")) == str(new_id)


def _not_ours(target: Path, source_name: str) -> Problem:
    message = (
        f"not written: this file did not come from this record of {source_name} (its "
        "'source' says otherwise, or it was written by hand), and an import never "
        "overwrites such a file; the record was not imported"
    )
    return Problem(str(target), None, None, "", message)


@contextlib.contextmanager
def _import_lock(folder: Path, real: Path) -> Iterator[None]:
    """Hold ``.<folder>.lock`` beside the folder, exclusively, or refuse at once."""
    real.parent.mkdir(parents=True, exist_ok=True)
    lock_path = real.parent / f".{real.name}.lock"
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if not _try_lock(fd):
            message = (
                "another import into this folder is running: wait for it to finish, then "
                "run this one again"
            )
            raise DataError([Problem(str(folder), None, None, "", message)])
        _remove_stale_staging(real)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _try_lock(fd: int) -> bool:
    """An exclusive, non-blocking lock on an open file; released when the process ends."""
    if sys.platform == "win32":  # pragma: no cover - Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _remove_stale_staging(real: Path) -> None:
    """Temporary folders of an import that was killed (only ever called under the lock)."""
    for stale in real.parent.glob(f".{real.name}.import-*"):
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)


def _write_atomically(folder: Path, files: Mapping[str, str]) -> None:
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.import-", dir=folder.parent))
    try:
        for slug, text in files.items():
            (staging / f"{slug}.yaml").write_text(text, encoding="utf-8", newline="\n")
        if not folder.exists():
            staging.chmod(default_mode(executable=True))  # mkdtemp makes it private
            staging.rename(folder)
            return
        for slug in files:
            staged, target = staging / f"{slug}.yaml", folder / f"{slug}.yaml"
            with contextlib.suppress(FileNotFoundError):  # an update keeps the file's mode
                staged.chmod(stat.S_IMODE(target.stat().st_mode))
            staged.replace(target)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)



