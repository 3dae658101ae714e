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

import datetime as dt
import difflib
import re
import urllib.parse
import zoneinfo
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Final, TypeVar, get_args, get_origin

import attrs
import cattrs
import phonenumbers
from cattrs.errors import (
    BaseValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, override

from deflectkit.core.directory import Directory
from deflectkit.core.hours import HoursError, WeeklyHours, parse_hours
from deflectkit.core.providers import (
    Address,
    Ages,
    Coordinates,
    Intake,
    Location,
    Phone,
    Provider,
    Source,
)
from deflectkit.errors import DataError, Problem, sort_problems
from deflectkit.files.yamlio import FieldPath, YamlDocument, read_yaml
from deflectkit.vocabulary import (
    ACCESSIBILITY,
    ASAM_LEVELS,
    LANGUAGES,
    MEDICATIONS,
    PAYMENT,
    POPULATIONS,
    SERVICES,
    SUBSTANCES,
    Vocabulary,
)

__all__ = [
    "PROVIDER_VOCABULARIES",
    "SLUG_PATTERN",
    "STALE_AFTER",
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

#: Provider list fields checked against a controlled vocabulary, and what one word is called.
PROVIDER_VOCABULARIES: Final[Mapping[str, tuple[Vocabulary, str]]] = {
    "services": (SERVICES, "service"),
    "medications": (MEDICATIONS, "medication"),
    "substances": (SUBSTANCES, "substance"),
    "payment": (PAYMENT, "payment option"),
    "asam_levels": (ASAM_LEVELS, "ASAM level"),
    "languages": (LANGUAGES, "language code"),
    "accessibility": (ACCESSIBILITY, "accessibility feature"),
    "populations": (POPULATIONS, "population"),
}

_POSTAL_CODE: Final = re.compile(r"^\d{5}(-\d{4})?$")
_STATE: Final = re.compile(r"^[A-Z]{2}$")
# Deliberately simple: one @, no spaces, a dotted domain. Deliverability is not checkable here.
_EMAIL: Final = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)

T = TypeVar("T")


class _Invalid(ValueError):  # noqa: N818 - internal; never escapes this module
    """A hook's verdict: one or more messages, each at a path below the hook's value."""

    def __init__(self, *items: tuple[FieldPath, str]) -> None:
        super().__init__("; ".join(message for _, message in items))
        self.items = items


def _invalid(message: str, *path: str | int) -> _Invalid:
    return _Invalid((tuple(path), message))


def _describe(value: object) -> str:
    """Name a YAML value the way a contributor sees it."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (yes/no)"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, dt.datetime):
        return f"the date and time {value.isoformat()}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text {shown!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping (key: value pairs)"
    return type(value).__name__


# --- scalar hooks --------------------------------------------------------------------------


def _text(value: object, _: object = None) -> str:
    if isinstance(value, str):
        if not value.strip():
            raise _invalid("is empty: write a value or remove the line")
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise _invalid(f'expected text, got {_describe(value)}; put it in quotes: "{value}"')
    raise _invalid(f"expected text, got {_describe(value)}")


def _boolean(value: object, _: object = None) -> bool:
    if isinstance(value, bool):
        return value
    raise _invalid(f"expected true or false, got {_describe(value)}")


def _integer(value: object, _: object = None) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise _invalid(f"expected a whole number, got {_describe(value)}")


def _number(value: object, _: object = None) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    raise _invalid(f"expected a number, got {_describe(value)}")


def _date(value: object, _: object = None) -> dt.date:
    if isinstance(value, dt.datetime):
        raise _invalid(f"write only the date, such as {value.date().isoformat()}")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise _invalid(f"expected a date such as 2026-10-01, got {_describe(value)}")


def _ranged(low: int, high: int, what: str) -> Callable[[object, object], int]:
    def hook(value: object, _: object = None) -> int:
        number = _integer(value)
        if not low <= number <= high:
            raise _invalid(f"{what} must be between {low} and {high}, got {number}")
        return number

    return hook


def _coordinate(limit: int, name: str) -> Callable[[object, object], float]:
    def hook(value: object, _: object = None) -> float:
        number = _number(value)
        if not -limit <= number <= limit:
            swapped = name == "latitude" and abs(number) <= 180
            hint = " (are lat and lon swapped?)" if swapped else ""
            raise _invalid(f"{name} must be between -{limit} and {limit}, got {value}{hint}")
        return number

    return hook


def _phone_number(value: object, _: object = None) -> str:
    text = _text(value)
    try:
        parsed = phonenumbers.parse(text, "US")
    except phonenumbers.NumberParseException:
        raise _invalid(
            f"cannot read phone number {text!r}; write it like \"+1 520-555-0142\""
        ) from None
    if not phonenumbers.is_valid_number(parsed):
        raise _invalid(
            f"{text!r} is not a valid phone number; write all ten digits with the area "
            'code, like "+1 520-555-0142"'
        )
    if parsed.extension:
        raise _invalid(
            f"{text!r} has an extension; write the main number here and the extension "
            "in the label or the intake instructions"
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _url(value: object, _: object = None) -> str:
    text = _text(value).strip()
    parts = urllib.parse.urlsplit(text)
    if parts.scheme.lower() not in {"http", "https"}:
        if not parts.scheme and "." in text.split("/", 1)[0]:
            raise _invalid(f"links must start with https:// or http://; write 'https://{text}'")
        raise _invalid(f"links must start with https:// or http://, got {text!r}")
    if not parts.netloc or any(c.isspace() for c in text):
        raise _invalid(f"{text!r} is not a web address")
    return text


def _email(value: object, _: object = None) -> str:
    text = _text(value).strip()
    if text.lower().startswith("mailto:"):
        raise _invalid(f"write only the address, without 'mailto:': {text[7:]!r}")
    if not _EMAIL.match(text):
        raise _invalid(f"{text!r} is not an e-mail address such as intake@example.org")
    return text


_ZONE_NAMES: list[str] = []  # filled on the first unknown zone; only used for suggestions


def _timezone(value: object, _: object = None) -> str:
    name = _text(value).strip()
    try:
        # ZoneInfo caches instances itself, so repeated names cost a dict look-up.
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        if not _ZONE_NAMES:
            _ZONE_NAMES.extend(sorted(zoneinfo.available_timezones()))
        close = difflib.get_close_matches(name, _ZONE_NAMES, n=1, cutoff=0.8)
        hint = f"; did you mean {close[0]!r}?" if close else ", such as 'America/Phoenix'"
        raise _invalid(f"unknown time zone {name!r}: use an IANA name{hint}") from None
    return name


def _postal_code(value: object, _: object = None) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        raise _invalid(f'write the ZIP code in quotes, such as "{value:05d}"')
    text = _text(value).strip()
    if not _POSTAL_CODE.match(text):
        raise _invalid(f"{text!r} is not a ZIP code such as \"85701\" or \"85701-1234\"")
    return text


def _state(value: object, _: object = None) -> str:
    text = _text(value).strip()
    if not _STATE.match(text):
        raise _invalid(f"write the two-letter state code in capitals, such as 'AZ', not {text!r}")
    return text


def _hours(value: object, _: object = None) -> WeeklyHours:
    try:
        return parse_hours(value)
    except HoursError as exc:
        path: list[str | int] = []
        if exc.key is not None:
            path.append(exc.key)
            if exc.index is not None:
                path.append(exc.index)
        raise _invalid(str(exc), *path) from None


def _words(vocabulary: Vocabulary, noun: str) -> Callable[[object, object], tuple[str, ...]]:
    """A hook for a list of vocabulary words: every unknown word is reported."""
    if len(vocabulary) <= 20:
        choices = "use one of: " + ", ".join(vocabulary.words)
    else:
        choices = "use a two-letter ISO 639-1 code such as 'en' or 'es'"

    def hook(value: object, _: object = None) -> tuple[str, ...]:
        if not isinstance(value, list):
            example = vocabulary.words[0]
            raise _invalid(f"expected a list such as [{example}], got {_describe(value)}")
        items: list[tuple[FieldPath, str]] = []
        for index, word in enumerate(value):
            if isinstance(word, str) and word in vocabulary:
                continue
            if not isinstance(word, str):
                if isinstance(word, int | float) and not isinstance(word, bool):
                    message = f'write {noun}s as text in quotes, such as "{word}"'
                else:
                    message = f"expected a {noun}, got {_describe(word)}"
            else:
                near = vocabulary.suggest(word)
                hint = f"did you mean {near!r}?" if near else choices
                message = f"unknown {noun} {word!r}; {hint}"
            items.append(((index,), message))
        if items:
            raise _Invalid(*items)
        return tuple(value)

    return hook


def _texts(value: object, _: object = None) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise _invalid(f"expected a list, got {_describe(value)}")
    items: list[tuple[FieldPath, str]] = []
    for index, item in enumerate(value):
        try:
            _text(item)
        except _Invalid as exc:
            items.extend(((index, *sub), message) for sub, message in exc.items)
    if items:
        raise _Invalid(*items)
    return tuple(value)


# --- the converter -------------------------------------------------------------------------

#: Per-class overrides: the field checks that need more than the field's Python type.
_OVERRIDES: Final[Mapping[type, Mapping[str, Callable[[object, object], object]]]] = {
    Provider: {
        "website": _url,
        "email": _email,
        "samhsa_codes": _texts,
        **{field: _words(vocab, noun) for field, (vocab, noun) in PROVIDER_VOCABULARIES.items()},
    },
    Phone: {"number": _phone_number},
    Intake: {
        "call_ahead": _phone_number,
        "officer_minutes": _ranged(0, 24 * 60, "officer_minutes"),
    },
    Location: {"timezone": _timezone},
    Address: {"postal_code": _postal_code, "state": _state},
    Coordinates: {"lat": _coordinate(90, "latitude"), "lon": _coordinate(180, "longitude")},
    Ages: {"min": _ranged(0, 120, "age"), "max": _ranged(0, 120, "age")},
    Source: {"url": _url},
}


def _build_converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    conv.register_structure_hook(str, _text)
    conv.register_structure_hook(bool, _boolean)
    conv.register_structure_hook(int, _integer)
    conv.register_structure_hook(float, _number)
    conv.register_structure_hook(dt.date, _date)
    conv.register_structure_hook(WeeklyHours, _hours)

    def tuple_of(cl: Any) -> Callable[[object, object], tuple[Any, ...]]:
        inner = get_args(cl)[0]

        def hook(value: object, _: object = None) -> tuple[Any, ...]:
            if not isinstance(value, list):
                raise _invalid(f"expected a list, got {_describe(value)}")
            out: list[Any] = []
            errors: list[Exception] = []
            for index, item in enumerate(value):
                try:
                    out.append(conv.structure(item, inner))
                except Exception as exc:  # collected, then re-raised as a group
                    exc.add_note(IterableValidationNote(f"@ index {index}", index, inner))
                    errors.append(exc)
            if errors:
                raise IterableValidationError(f"While structuring {cl!r}", errors, cl)
            return tuple(out)

        return hook

    def is_homogeneous_tuple(t: Any) -> bool:
        args = get_args(t)
        return get_origin(t) is tuple and len(args) == 2 and args[1] is Ellipsis

    conv.register_structure_hook_factory(is_homogeneous_tuple, tuple_of)

    def attrs_class(cl: type[T]) -> Callable[[object, object], T]:
        overrides = {
            name: override(struct_hook=hook) for name, hook in _OVERRIDES.get(cl, {}).items()
        }
        structure = make_dict_structure_fn(cl, conv, **overrides)  # type: ignore[arg-type]

        def hook(value: object, _: object = None) -> T:
            if not isinstance(value, dict):
                raise _invalid(f"expected a mapping of keys and values, got {_describe(value)}")
            return structure(value, cl)

        return hook

    conv.register_structure_hook_factory(attrs.has, attrs_class)

    def phone(value: object, cl: object = None) -> Phone:
        if isinstance(value, str):
            return Phone(_phone_number(value))
        return phone_mapping(value, Phone)

    phone_mapping = attrs_class(Phone)
    conv.register_structure_hook(Phone, phone)
    return conv


_CONVERTER: Final = _build_converter()

# Where a known key belongs when someone writes it at the top level ("put it under location").
_NESTED_HOMES: Final[Mapping[str, str]] = {
    **{f.name: "location" for f in attrs.fields(Location)},
    **{f.name: "location.address" for f in attrs.fields(Address)},
    **{f.name: "location.coordinates" for f in attrs.fields(Coordinates)},
    **{f.name: "intake" for f in attrs.fields(Intake) if f.name != "hours"},
    "latitude": "location.coordinates",
    "longitude": "location.coordinates",
    "zip": "location.address",
    "phone": "phones",
    "url": "website",
}


def _key_names(cl: type) -> list[str]:
    names = [f.name for f in attrs.fields(cl)]
    return [n for n in names if n != "slug"]


def _unknown_key_message(cl: type, key: object, top_level: bool) -> str:
    known = _key_names(cl)
    text = str(key)
    if top_level and text in _NESTED_HOMES:
        home = _NESTED_HOMES[text]
        if home in known:  # `phone:` for `phones:`, `url:` for `website:`
            return f"unknown key {text!r}; did you mean {home!r}?"
        return f"unknown key {text!r}: it belongs under '{home}' (write it as {home}.{text})"
    close = difflib.get_close_matches(text.lower(), known, n=1, cutoff=0.7)
    if close:
        return f"unknown key {text!r}; did you mean {close[0]!r}?"
    return f"unknown key {text!r}; the keys allowed here are: {', '.join(known)}"


def _flatten(exc: BaseException, path: FieldPath) -> Iterator[tuple[FieldPath, str, bool]]:
    """Turn cattrs' exception tree into ``(path, message, points_at_key)`` triples."""
    if isinstance(exc, ForbiddenExtraKeysError):
        for key in sorted(exc.extra_fields, key=str):
            yield (*path, key), _unknown_key_message(exc.cl, key, not path), True
    elif isinstance(exc, BaseValidationError):
        for sub in exc.exceptions:
            sub_path = path
            for note in getattr(sub, "__notes__", ()):
                if isinstance(note, IterableValidationNote):
                    sub_path = (*path, note.index)
                elif hasattr(note, "name"):
                    sub_path = (*path, note.name)
            yield from _flatten(sub, sub_path)
    elif isinstance(exc, _Invalid):
        for below, message in exc.items:
            yield (*path, *below), message, False
    elif isinstance(exc, KeyError):
        yield path, "is required but missing", True
    else:  # pragma: no cover - a hook we did not write failed; still say where
        yield path, f"invalid value ({exc})", False


# --- whole-document checks -----------------------------------------------------------------


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


def _cross_field_problems(doc: YamlDocument, today: dt.date) -> list[Problem]:
    """Checks that read several fields, or the date: run even when the shape is wrong."""
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
    if isinstance(verified, dt.date) and not isinstance(verified, dt.datetime):
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


def check_provider_document(
    doc: YamlDocument, *, today: dt.date, slug: str | None = None
) -> tuple[Provider | None, list[Problem]]:
    """Check a parsed provider file and build its :class:`Provider` if it has no errors.

    Args:
        doc: the parsed YAML (see :func:`deflectkit.files.yamlio.parse_yaml`).
        today: the date to compare ``verified`` with (a parameter, so checks are repeatable).
        slug: the provider's slug; defaults to the file name without its extension.

    Returns:
        The provider (``None`` if any problem is an error) and every problem, warnings
        included, in file order.
    """
    if slug is None:
        slug = Path(doc.path).stem
    value = doc.value
    if not isinstance(value, dict):
        what = "a list" if isinstance(value, list) else _describe(value)
        return None, [
            doc.problem(
                (),
                f"a provider file must be a mapping of keys to values (name: ..., location: "
                f"...), but this file holds {what}",
            )
        ]
    problems = _slug_problems(doc, slug)
    problems.extend(_cross_field_problems(doc, today))
    provider: Provider | None = None
    data = {k: v for k, v in value.items() if k != "slug"}
    data["slug"] = slug
    try:
        provider = _CONVERTER.structure(data, Provider)
    except Exception as exc:  # every structuring failure becomes Problems
        for path, message, key in _flatten(exc, ()):
            problems.append(doc.problem(path, message, key=key))
    if any(p.is_error for p in problems):
        provider = None
    return provider, sort_problems(problems)


def check_provider_file(
    path: str | Path, *, today: dt.date, display: str | None = None
) -> tuple[Provider | None, list[Problem]]:
    """Read and check one provider file; never raises for bad data.

    Args:
        path: the file; its name without ``.yaml`` is the provider's slug.
        today: the date ``verified`` is compared with.
        display: the file name to show in messages (defaults to ``str(path)``).

    Returns:
        The provider (``None`` if the file has errors) and every problem found.
    """
    try:
        doc = read_yaml(path, display=display)
    except DataError as exc:
        return None, list(exc.problems)
    return check_provider_document(doc, today=today, slug=Path(path).stem)


def load_provider(path: str | Path, *, today: dt.date | None = None) -> Provider:
    """Load one provider file.

    Args:
        path: the file.
        today: the date ``verified`` is compared with; defaults to today's date.

    Raises:
        DataError: listing every error in the file (warnings do not raise).

    Example:
        >>> p = load_provider("data/providers/example-codac-like-otp.yaml")  # doctest: +SKIP
    """
    provider, problems = check_provider_file(path, today=today or dt.date.today())
    if provider is None:
        raise DataError(problems, f"{path}: invalid provider file")
    return provider


def provider_files(root: str | Path) -> list[Path]:
    """Every provider file under ``root`` (or ``root`` itself if it is a file), sorted.

    Policy files are skipped: ``*.tests.yaml`` and anything in a ``policies`` folder.
    """
    base = Path(root)
    if base.is_file():
        return [base]
    found = [*base.rglob("*.yaml"), *base.rglob("*.yml")]
    return sorted(
        p
        for p in found
        if p.is_file()
        and not p.name.endswith((".tests.yaml", ".tests.yml"))
        and "policies" not in p.relative_to(base).parts[:-1]
    )


def cross_file_problems(
    checked: Iterable[tuple[str, Provider]],
    locate: Callable[[str], tuple[int | None, int | None]] | None = None,
) -> list[Problem]:
    """Warnings about the set of files: a slug used twice, two files for one provider.

    Args:
        checked: ``(display path, provider)`` pairs, in the order the files were read.
        locate: optional ``path -> (line, column)`` of each file's ``name`` key.
    """
    problems: list[Problem] = []
    by_slug: dict[str, str] = {}
    by_identity: dict[tuple[str, str, str, str], str] = {}
    for path, provider in checked:
        line, column = locate(path) if locate else (None, None)
        first = by_slug.setdefault(provider.slug, path)
        if first != path:
            message = (
                f"the slug {provider.slug!r} is also used by {first}; only the first file "
                "is loaded: rename one of them"
            )
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
            problems.append(Problem(path, line, column, "name", message, "warning"))
    return problems


def load_directory(path: str | Path, *, today: dt.date | None = None) -> Directory:
    """Load every provider file under a folder into an immutable :class:`Directory`.

    Args:
        path: a folder such as ``data/providers`` (searched recursively), or one file.
        today: the date ``verified`` is compared with; defaults to today's date.

    Returns:
        The directory; warnings (stale dates, likely duplicates) are in ``.warnings``.

    Raises:
        DataError: listing every error in every file, when any file has one.

    Example:
        >>> import deflectkit as dk
        >>> d = dk.load_directory("data/providers")  # doctest: +SKIP
        >>> [p.name for p in d.with_medication("methadone")]  # doctest: +SKIP
    """
    when = today or dt.date.today()
    root = Path(path)
    if not root.exists():
        raise DataError([Problem(str(path), None, None, "", "no such file or folder")])
    problems: list[Problem] = []
    loaded: list[tuple[str, Provider]] = []
    for file in provider_files(root):
        display = str(file)
        provider, found = check_provider_file(file, today=when, display=display)
        problems.extend(found)
        if provider is not None:
            loaded.append((display, provider))
    problems.extend(cross_file_problems(loaded))
    if any(p.is_error for p in problems):
        count = sum(p.is_error for p in problems)
        raise DataError(problems, f"{count} error(s) in the provider files under {path}")
    unique: dict[str, Provider] = {}
    for _, provider in loaded:
        unique.setdefault(provider.slug, provider)
    return Directory(unique.values(), warnings=sort_problems(problems))
