"""The provider record: one treatment or support service that first responders refer to.

Field names: docs/design/formats.md#provider-files (Open Referral HSDS 3.x's where both hold).
Values here are already checked and normalised: phones in E.164, hours parsed, vocabulary
words verified. Building them from YAML, and saying what is wrong with a file, is the job of
:mod:`deflectkit.files.providers`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Final

import attrs

from deflectkit.core.hours import WeeklyHours

__all__ = [
    "AGES",
    "OFFICER_MINUTES",
    "PROVIDER_SCHEMA",
    "PROVIDER_SCHEMA_VERSION",
    "Address",
    "Ages",
    "Coordinates",
    "Intake",
    "Location",
    "Phone",
    "Provider",
    "Source",
    "readable_phone",
]


#: The newest provider file format version, the one this release writes.
PROVIDER_SCHEMA_VERSION: Final = 1
#: A provider file's optional first key, ``schema: deflectkit/provider@1``: the format it is
#: written in. A file without it was written before the key existed and reads as version 1.
PROVIDER_SCHEMA: Final = f"deflectkit/provider@{PROVIDER_SCHEMA_VERSION}"

_NANP = re.compile(r"\+1(\d{3})(\d{3})(\d{4})")


def readable_phone(number: str) -> str:
    """An E.164 number as people dial it: ``+15205550142`` → ``520-555-0142``.

    North American numbers lose the country code; others are shown as stored.

    Example:
        >>> readable_phone("+15205550142"), readable_phone("+442071838750")
        ('520-555-0142', '+442071838750')
    """
    match = _NANP.fullmatch(number.strip())
    return "-".join(match.groups()) if match else number


#: A label that says the line answers day and night ("24/7 intake", "24-hour line").
_AROUND_THE_CLOCK = re.compile(r"24\s*/\s*7|24[\s-]*h(ou)?rs?\b|around the clock", re.IGNORECASE)
_INTAKE = re.compile(r"intake|admission|referral", re.IGNORECASE)


@attrs.frozen
class Phone:
    """A phone number in E.164 form (``+15205550142``) with an optional label.

    Example:
        >>> Phone("+15205550142", "24/7 intake").display
        '520-555-0142'
    """

    number: str
    label: str | None = None

    @property
    def display(self) -> str:
        """The number as people dial it (see :func:`readable_phone`)."""
        return readable_phone(self.number)

    @property
    def around_the_clock(self) -> bool:
        """Whether the label says the line answers 24/7."""
        return bool(self.label and _AROUND_THE_CLOCK.search(self.label))


@attrs.frozen
class Address:
    """A US street address. ``county`` helps the site's browse-by-county pages."""

    city: str
    state: str
    postal_code: str
    street: str | None = None
    county: str | None = None


#: Ages, in whole years, a provider may serve or a person may be.
AGES: Final = range(121)
#: Minutes an officer may spend on a hand-off: at most a day.
OFFICER_MINUTES: Final = range(24 * 60 + 1)


def _degrees(limit: int) -> Any:
    """An attrs validator: a finite number of degrees within ``±limit`` (NaN is not)."""

    def check(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
        if not -limit <= value <= limit:  # False for NaN: a NaN never passes
            msg = f"{attribute.name} must be between -{limit} and {limit}, not {value!r}"
            raise ValueError(msg)

    return check


def _whole_in(allowed: range, what: str) -> Any:
    """An attrs validator: ``None`` or a whole number in ``allowed``."""

    def check(instance: object, attribute: attrs.Attribute[int | None], value: object) -> None:
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int) or value not in allowed:
            msg = f"{what} must be a whole number from {allowed[0]} to {allowed[-1]}, not {value!r}"
            raise ValueError(msg)

    return check


@attrs.frozen
class Coordinates:
    """WGS 84 latitude and longitude in decimal degrees (checked: finite and on the Earth)."""

    lat: float = attrs.field(validator=_degrees(90))
    lon: float = attrs.field(validator=_degrees(180))


@attrs.frozen
class Location:
    """Where the provider is and which clock its hours follow."""

    timezone: str
    address: Address | None = None
    coordinates: Coordinates | None = None


@attrs.frozen
class Intake:
    """How a first responder hands a person over.

    Attributes:
        walk_in: people may arrive without an appointment.
        first_responder_dropoff: officers may bring people here directly.
        call_ahead: the number to ring before arriving, in E.164.
        officer_minutes: typical minutes an officer spends on the hand-off.
        hours: intake hours when they differ from the provider's opening hours.
        instructions: plain-language directions for officers.
        instructions_es: the same directions in Spanish, for the Spanish directory; without
            it that directory shows ``instructions``, marked as English.
    """

    walk_in: bool = False
    first_responder_dropoff: bool = False
    call_ahead: str | None = None
    officer_minutes: int | None = attrs.field(
        default=None, validator=_whole_in(OFFICER_MINUTES, "officer_minutes")
    )
    hours: WeeklyHours | None = None
    instructions: str | None = None
    instructions_es: str | None = None


@attrs.frozen
class Ages:
    """Ages served, inclusive; ``None`` means no limit on that side."""

    min: int | None = attrs.field(default=None, validator=_whole_in(AGES, "age"))
    max: int | None = attrs.field(default=None, validator=_whole_in(AGES, "age"))

    def admits(self, age: int) -> bool:
        """Whether a person of ``age`` years is served."""
        return (self.min is None or age >= self.min) and (self.max is None or age <= self.max)


@attrs.frozen
class Source:
    """Where an imported record came from (provenance), e.g. SAMHSA's locator export."""

    name: str
    id: str | None = None
    date: dt.date | None = None
    url: str | None = None


@attrs.frozen
class Provider:
    """One provider, as loaded from ``data/providers/<slug>.yaml``.

    ``hours`` is ``None`` when the source did not say (the site then says "call for
    hours"); ``intake.hours`` is ``None`` when intake follows the opening hours.
    ``description_es`` is the description in Spanish, for the Spanish directory (without it
    that directory shows ``description``, marked as English).

    Example:
        >>> from deflectkit.core.hours import parse_hours
        >>> p = Provider(slug="example", name="Example Clinic",
        ...              location=Location("America/Phoenix"), hours=parse_hours("24/7"))
        >>> p.intake_hours.always
        True
    """

    slug: str
    name: str
    location: Location
    organization: str | None = None
    description: str | None = None
    description_es: str | None = None
    sample: bool = False
    verified: dt.date | None = None
    phones: tuple[Phone, ...] = ()
    website: str | None = None
    email: str | None = None
    hours: WeeklyHours | None = None
    intake: Intake = Intake()
    services: tuple[str, ...] = ()
    asam_levels: tuple[str, ...] = ()
    medications: tuple[str, ...] = ()
    otp: bool = False
    substances: tuple[str, ...] = ()
    mental_health: bool = False
    ages: Ages = Ages()
    payment: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    accessibility: tuple[str, ...] = ()
    populations: tuple[str, ...] = ()
    samhsa_codes: tuple[str, ...] = ()
    source: Source | None = None

    @property
    def intake_hours(self) -> WeeklyHours | None:
        """The hours when intake is possible: the intake hours if given, else opening hours."""
        return self.intake.hours if self.intake.hours is not None else self.hours

    @property
    def intake_phones(self) -> tuple[Phone, ...]:
        """The numbers to call for intake, best first, each once.

        A line labelled 24/7 first (it answers at 3 a.m.), then ``intake.call_ahead``, then
        lines labelled for intake or admissions, then the other numbers in file order.

        Example:
            >>> p = Provider(slug="example", name="Example Clinic",
            ...     location=Location("America/Phoenix"),
            ...     intake=Intake(call_ahead="+15205550143"),
            ...     phones=(Phone("+15205550142", "Front desk"), Phone("+15205550144", "24/7")))
            >>> [phone.display for phone in p.intake_phones]
            ['520-555-0144', '520-555-0143', '520-555-0142']
        """
        ranked = [p for p in self.phones if p.around_the_clock]
        if self.intake.call_ahead:
            ranked.append(Phone(self.intake.call_ahead, "Call ahead"))
        ranked += [p for p in self.phones if p.label and _INTAKE.search(p.label)]
        ranked += self.phones
        first: dict[str, Phone] = {}
        for phone in ranked:
            first.setdefault(phone.number, phone)
        return tuple(first.values())

    @property
    def intake_phone(self) -> Phone | None:
        """The number to call for intake (the first of :attr:`intake_phones`), if any."""
        phones = self.intake_phones
        return phones[0] if phones else None

    @property
    def is_24_7(self) -> bool:
        """True when intake is open around the clock."""
        hours = self.intake_hours
        return hours is not None and hours.always
