"""Import SAMHSA's FindTreatment.gov facility export (CSV) as provider mappings.

The export (``FindTreatment_Facility_listing_<date>.csv``) has one row per facility and
survey: identity and contact columns (``name1``, ``street1``, ``phone``, ``intake1`` …),
``type_facility`` (``SU`` substance use or ``MH`` mental health), then about 315 columns
named by SAMHSA service codes holding ``1`` when the service is offered. Header names
carry stray spaces, which are stripped.

What the import does (docs/design/domain.md#treatment-vocabulary):

* A site listed twice, once from each survey (same names and address, ``SU`` and ``MH``),
  becomes one provider with both sets of codes.
* Codes we have words for become ``services``, ``medications``, ``otp``, ``substances``,
  ``payment``, ``ages``, ``languages``, ``accessibility`` and ``populations``; *every* code
  offered is kept, upper-case, in ``samhsa_codes``.
* Methadone is only listed for an Opioid Treatment Program (code ``OTP``), as federal law
  requires; a methadone code without ``OTP`` is dropped with a warning.
* English is assumed (the locator lists services in other languages on top of English).
* No hours: the export has none, so ``hours`` stays absent and the site says "call for
  hours". The export date becomes ``source.date`` and ``verified``.
* Slugs are ``name-city``, made unique by the street, and re-imports keep the slug a
  facility already has (matched by ``source.id``, a hash of names and address, since the
  CSV has no facility id).

Example:
    >>> import datetime as dt
    >>> export_date_from_name("FindTreament_Facility_listing_2025_08_19_150020.csv")
    datetime.date(2025, 8, 19)
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from pathlib import Path
from typing import Any, Final

from deflectkit.errors import DataError, Problem
from deflectkit.files.yamlio import open_regular_file
from deflectkit.interop.records import (
    Candidate,
    ImportResult,
    assign_slugs,
    normalise_phone,
    normalise_website,
    short_hash,
    us_timezone,
)
from deflectkit.vocabulary import (
    ACCESSIBILITY,
    LANGUAGES,
    MEDICATIONS,
    PAYMENT,
    POPULATIONS,
    SERVICES,
    SUBSTANCES,
    Vocabulary,
)

__all__ = [
    "ACCESSIBILITY_CODES",
    "LANGUAGE_CODES",
    "MEDICATION_CODES",
    "OWNED_KEYS",
    "PAYMENT_CODES",
    "POPULATION_CODES",
    "SERVICE_CODES",
    "SOURCE_NAME",
    "SOURCE_URL",
    "SUBSTANCE_CODES",
    "export_date_from_name",
    "read_samhsa",
]

SOURCE_NAME: Final = "SAMHSA FindTreatment.gov"
SOURCE_URL: Final = "https://findtreatment.gov"

#: Columns that describe the facility rather than a service code.
_IDENTITY: Final = frozenset({
    "name1", "name2", "street1", "street2", "city", "state", "zip", "zip4", "county", "phone",
    "intake_prompt", "intake1", "intake2", "hotline1", "website", "latitude", "longitude",
    "type_facility", "frid",
})
_REQUIRED: Final = ("name1", "city", "state", "zip")

#: SAMHSA code → our service word. Settings: OP/ORT outpatient, OIT intensive outpatient,
#: PHDT/ODT day treatment, RES/RS/RL/RTCA/RTCC residential, HI/HIT hospital inpatient,
#: DT/OD/RD/HID detox; then telemedicine, peer support, case management, housing.
SERVICE_CODES: Final[Mapping[str, str]] = {
    "OP": "outpatient", "ORT": "outpatient", "OIT": "intensive_outpatient",
    "PHDT": "partial_hospitalization", "ODT": "partial_hospitalization",
    "RES": "residential", "RS": "residential", "RL": "residential", "RTCA": "residential",
    "RTCC": "residential", "HI": "inpatient", "HIT": "inpatient",
    "DT": "withdrawal_management", "OD": "withdrawal_management",
    "RD": "withdrawal_management", "HID": "withdrawal_management",
    "TELE": "telehealth", "PEER": "peer_support", "CM": "case_management",
    "ICM": "case_management", "HH": "recovery_housing", "HS": "housing_assistance",
    "MH": "mental_health_care",
}
#: Methadone (METH, MM maintenance, DM detox, MU used in treatment), buprenorphine (BU, BUM,
#: DB, BWN/BWON with or without naloxone, BERI injectable, BSDM implant, UB), naltrexone
#: (NU, NXN oral, VTRL injectable, RPN relapse prevention, UN).
MEDICATION_CODES: Final[Mapping[str, str]] = {
    "METH": "methadone", "MM": "methadone", "DM": "methadone", "MU": "methadone",
    "BU": "buprenorphine", "BUM": "buprenorphine", "DB": "buprenorphine",
    "BWN": "buprenorphine", "BWON": "buprenorphine", "BERI": "buprenorphine",
    "BSDM": "buprenorphine", "UB": "buprenorphine",
    "NU": "naltrexone", "NXN": "naltrexone", "VTRL": "naltrexone", "RPN": "naltrexone",
    "UN": "naltrexone",
}
#: Detox by substance (ADTX alcohol, BDTX benzodiazepines, CDTX cocaine, MDTX meth, ODTX
#: opioids); any opioid medication or an OTP also means opioids are treated.
SUBSTANCE_CODES: Final[Mapping[str, str]] = {
    "ADTX": "alcohol", "BDTX": "sedatives", "CDTX": "stimulants", "MDTX": "stimulants",
    "ODTX": "opioids", "OTP": "opioids",
}
PAYMENT_CODES: Final[Mapping[str, str]] = {
    "MD": "medicaid", "MC": "medicare", "PI": "private", "MI": "military", "VAF": "va",
    "ITU": "ihs_tribal", "SF": "self_pay", "SS": "sliding_scale", "PA": "payment_assistance",
    "NP": "free",
}
#: Special programmes: VET veterans, TAY transition-age young adults, SE seniors, WN women,
#: PW pregnant/postpartum, CJ justice-involved (other than DUI/DWI).
POPULATION_CODES: Final[Mapping[str, str]] = {
    "VET": "veterans", "TAY": "young_adults", "SE": "seniors", "WN": "women",
    "PW": "pregnant_postpartum", "CJ": "justice_involved",
}
#: SP Spanish; Fnn other languages (FindTreatment's filter list); N24 Ojibwa. Languages
#: without an ISO 639-1 code (Hmong F37, Yupik N40) stay only in ``samhsa_codes``.
LANGUAGE_CODES: Final[Mapping[str, str]] = {
    "SP": "es", "F4": "ar", "F17": "zh", "F19": "ht", "F25": "fa", "F28": "fr", "F30": "de",
    "F31": "el", "F35": "he", "F36": "hi", "F42": "it", "F43": "ja", "F47": "ko", "F66": "pl",
    "F67": "pt", "F70": "ru", "F81": "tl", "F92": "vi", "N24": "oj",
}
#: AH: services for the deaf and hard of hearing (American Sign Language).
ACCESSIBILITY_CODES: Final[Mapping[str, str]] = {"AH": "sign_language"}

#: Top-level keys this importer writes. ``--update`` replaces these and keeps every other
#: key a person added (hours, intake details, ASAM levels, a description …).
OWNED_KEYS: Final = frozenset({
    "name", "organization", "sample", "verified", "phones", "website", "location", "services",
    "medications", "otp", "substances", "mental_health", "ages", "payment", "languages",
    "accessibility", "populations", "samhsa_codes", "source",
})

_DATE_IN_NAME = re.compile(r"(20\d\d)[_-](\d\d)[_-](\d\d)")


def export_date_from_name(path: str | Path) -> dt.date | None:
    """The download date SAMHSA puts in the export's file name, if it is there."""
    match = _DATE_IN_NAME.search(Path(path).name)
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def _in_order(words: set[str], vocabulary: Vocabulary) -> list[str]:
    return [w for w in vocabulary.words if w in words]


def _rows(path: Path, display: str) -> Iterator[tuple[int, dict[str, str] | str]]:
    """``(line, row)`` per data row; ``row`` is a message when the row is malformed."""
    # A regular file only (a FIFO would block), read strictly: an unterminated quote is an
    # error on its row instead of silently swallowing every row after it.
    binary = open_regular_file(path, display)
    with io.TextIOWrapper(binary, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, strict=True)
        try:
            header = [h.strip().lower() for h in next(reader)]
        except StopIteration:
            raise DataError([Problem(display, 1, None, "", "the file is empty")]) from None
        except (csv.Error, UnicodeDecodeError) as exc:
            raise DataError([Problem(display, 1, None, "", f"not a CSV file: {exc}")]) from None
        missing = [c for c in _REQUIRED if c not in header]
        if missing:
            msg = (
                f"not a FindTreatment.gov facility export: no {', '.join(missing)} column; "
                "download the facility listing as CSV"
            )
            raise DataError([Problem(display, 1, None, "", msg)])
        line = reader.line_num + 1
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                return
            except (csv.Error, UnicodeDecodeError) as exc:
                yield line, f"cannot read this row: {exc}"
                line = reader.line_num + 1
                continue
            if not any(f.strip() for f in fields):
                line = reader.line_num + 1
                continue
            if len(fields) != len(header):
                yield line, f"row has {len(fields)} fields but the header has {len(header)}"
            else:
                yield line, dict(zip(header, fields, strict=True))
            line = reader.line_num + 1


def _identity(row: Mapping[str, str]) -> tuple[str, ...]:
    keys = ("name1", "name2", "street1", "street2", "city", "zip")
    return tuple(" ".join(row.get(k, "").lower().split()) for k in keys)


def _check_row(row: Mapping[str, str], line: int, display: str) -> Problem | None:
    def error(field: str, message: str) -> Problem:
        return Problem(display, line, None, field, message)

    if not row["name1"].strip():
        return error("name1", "no facility name; row not imported")
    if not row["city"].strip():
        return error("city", "no city; row not imported")
    if not re.fullmatch(r"[A-Za-z]{2}", row["state"].strip()):
        return error("state", f"{row['state']!r} is not a two-letter state code; row not imported")
    if not re.fullmatch(r"\d{5}(-\d{4})?", row["zip"].strip()):
        return error("zip", f"{row['zip']!r} is not a 5-digit ZIP code; row not imported")
    return None


def _coordinates(row: Mapping[str, str], warn: Callable[[str, str], None]) -> dict[str, float]:
    lat_text, lon_text = row.get("latitude", "").strip(), row.get("longitude", "").strip()
    if not lat_text and not lon_text:
        return {}
    try:
        lat, lon = float(lat_text), float(lon_text)
    except ValueError:
        warn("latitude", f"cannot read coordinates {lat_text!r}, {lon_text!r}; left out")
        return {}
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat, lon) == (0, 0):
        warn("latitude", f"coordinates {lat}, {lon} are not on Earth's map; left out")
        return {}
    return {"lat": round(lat, 6), "lon": round(lon, 6)}


def _phones(
    rows: list[tuple[int, dict[str, str]]], display: str, problems: list[Problem]
) -> list[dict[str, str]]:
    """Every distinct phone number of a facility's rows, main line first, then intake."""
    phones: list[dict[str, str]] = []
    seen: set[str] = set()
    for row_line, row in rows:
        for column, label in (("phone", "Main"), ("intake1", "Intake"), ("intake2", "Intake")):
            text = row.get(column, "").strip()
            if not text:
                continue
            number = normalise_phone(text)
            if number is None:
                problems.append(Problem(
                    display, row_line, None, column,
                    f"cannot read phone number {text!r}; left out", "warning",
                ))
            elif number not in seen:
                seen.add(number)
                phones.append({"number": number, "label": label})
    return phones


def _location(first: Mapping[str, str], warn: Callable[[str, str], None]) -> dict[str, Any]:
    """The provider file's ``location``: address, coordinates when given, time zone."""
    street = ", ".join(
        s for s in (" ".join(first.get("street1", "").split()),
                    " ".join(first.get("street2", "").split()))
        if s and not re.fullmatch(r"[-\s]*", s)
    )
    state = first["state"].strip().upper()
    postal = first["zip"].strip()[:5]
    address: dict[str, Any] = {
        "street": street or None, "city": " ".join(first["city"].split()), "state": state,
        "postal_code": postal, "county": first.get("county", "").strip() or None,
    }
    location: dict[str, Any] = {"address": {k: v for k, v in address.items() if v}}
    coordinates = _coordinates(first, warn)
    if coordinates:
        location["coordinates"] = coordinates
    zone = us_timezone(postal, state)
    if zone is None:
        warn("zip", f"no time zone known for ZIP {postal} in {state}; assumed America/New_York")
        zone = "America/New_York"
    location["timezone"] = zone
    return location


def _treatment(codes: set[str], warn: Callable[[str, str], None]) -> dict[str, Any]:
    """Services, medications, OTP, substances and mental health care from the codes."""
    services = {SERVICE_CODES[c] for c in codes if c in SERVICE_CODES}
    medications = {MEDICATION_CODES[c] for c in codes if c in MEDICATION_CODES}
    otp = "OTP" in codes
    if "methadone" in medications and not otp:
        medications.discard("methadone")
        methadone = sorted(c for c in codes if MEDICATION_CODES.get(c) == "methadone")
        warn(
            "otp",
            f"methadone is listed ({', '.join(methadone)}) but the facility is not marked as "
            "an Opioid Treatment Program (OTP); methadone left out of medications",
        )
    if medications:
        services.add("medications")
    substances = {SUBSTANCE_CODES[c] for c in codes if c in SUBSTANCE_CODES}
    if medications & {"buprenorphine", "methadone"}:
        substances.add("opioids")
    mental_health = bool(codes & {"MH", "CO"})
    if mental_health:
        services.add("mental_health_care")
    return {
        "services": _in_order(services, SERVICES),
        "medications": _in_order(medications, MEDICATIONS),
        "otp": True if otp else None,
        "substances": _in_order(substances, SUBSTANCES),
        "mental_health": True if mental_health else None,
    }


def _who_and_how(codes: set[str]) -> dict[str, Any]:
    """Ages, payment, languages, accessibility and populations served, from the codes."""
    ages: dict[str, int] = {}
    if "ADLT" in codes and "CHLD" not in codes:
        ages["min"] = 18
    elif "CHLD" in codes and not codes & {"ADLT", "YAD", "SNR"}:
        ages["max"] = 17
    languages = {"en"} | {LANGUAGE_CODES[c] for c in codes if c in LANGUAGE_CODES}

    def words(table: Mapping[str, str], vocabulary: Vocabulary) -> list[str]:
        return _in_order({table[c] for c in codes if c in table}, vocabulary)

    return {
        "ages": ages,
        "payment": words(PAYMENT_CODES, PAYMENT),
        "languages": ["en", *sorted(w for w in languages if w != "en" and w in LANGUAGES)],
        "accessibility": words(ACCESSIBILITY_CODES, ACCESSIBILITY),
        "populations": words(POPULATION_CODES, POPULATIONS),
    }


def _codes(
    rows: list[tuple[int, dict[str, str]]], display: str, problems: list[Problem]
) -> set[str]:
    """The SAMHSA codes a facility's rows mark ``1`` (upper case), and its facility type."""
    codes: set[str] = set()
    for line, row in rows:
        kind = row.get("type_facility", "").strip().upper()
        if kind == "MH":
            codes.add("MH")
        elif kind in {"SU", "SA"}:
            codes.add("SA")
        for column, value in row.items():
            if column in _IDENTITY or not column:
                continue
            flag = value.strip()
            if flag == "1":
                codes.add(column.upper())
            elif flag not in {"", "0"}:
                problems.append(Problem(
                    display, line, None, column,
                    f"expected 1 or empty, got {flag!r}; read as not offered", "warning",
                ))
    return codes


def _build(
    rows: list[tuple[int, dict[str, str]]],
    codes: set[str],
    display: str,
    export_date: dt.date,
    problems: list[Problem],
) -> Candidate:
    """One facility's rows (one or more lines) and codes as a provider mapping."""
    line, first = rows[0]

    def warn(field: str, message: str) -> None:
        problems.append(Problem(display, line, None, field, message, "warning"))

    name1, name2 = " ".join(first["name1"].split()), " ".join(first.get("name2", "").split())
    name = f"{name1} — {name2}" if name2 else name1
    phones = _phones(rows, display, problems)
    website = None
    if first.get("website", "").strip():
        website = normalise_website(first["website"])
        if website is None:
            warn("website", f"{first['website']!r} is not an http(s) link; left out")
    location = _location(first, warn)
    source_id = first.get("frid", "").strip() or short_hash(*_identity(first))
    mapping: dict[str, Any] = {
        "name": name,
        "organization": name1 if name2 else None,
        "sample": False,
        "verified": export_date,
        "phones": phones,
        "website": website,
        "location": location,
        **_treatment(codes, warn),
        **_who_and_how(codes),
        "samhsa_codes": sorted(codes),
        "source": {
            "name": SOURCE_NAME, "id": source_id, "date": export_date, "url": SOURCE_URL,
        },
    }
    mapping = {k: v for k, v in mapping.items() if v is not None and v not in ([], {})}
    address = location["address"]
    return Candidate(source_id, name, address["city"], address.get("street", ""), mapping, line)


def read_samhsa(
    path: str | Path,
    *,
    export_date: dt.date,
    today: dt.date,
    existing: Mapping[str, str] | None = None,
    reserved: Collection[str] = (),
    progress: Callable[[int], None] | None = None,
    display: str | None = None,
) -> ImportResult:
    r"""Read a FindTreatment.gov facility export into provider mappings by slug.

    Rows that cannot be imported (no name, no city, a bad state or ZIP, a broken row) are
    reported as errors with their line; every other row imports. Gaps worked around
    (a phone that is not a number, a link that is not http(s)) are warnings.

    Args:
        path: the CSV file.
        export_date: the day the export was downloaded (``source.date``; ``verified``).
        today: the current date; an export date after it is refused.
        existing: ``source.id -> slug`` of files already imported, to keep their names.
        reserved: slugs of other files in the folder, never given to a new facility.
        progress: called with the number of rows read so far, for progress bars.
        display: the file name to show in messages (defaults to ``str(path)``).

    Raises:
        DataError: the file cannot be read at all, is not a facility export, or the
            export date is in the future.

    Example:
        >>> import datetime as dt, pathlib, tempfile
        >>> csv_file = pathlib.Path(tempfile.mkdtemp()) / "export.csv"
        >>> _ = csv_file.write_text(
        ...     "  name1,name2,street1,street2,city,state,zip,phone,type_facility,op,bu \n"
        ...     "Example Clinic,,1 Main St,,Boston,MA,02118,617-555-0100,SU,1,1\n")
        >>> result = read_samhsa(csv_file, export_date=dt.date(2025, 8, 19),
        ...                      today=dt.date(2025, 9, 1))
        >>> result.providers["example-clinic-boston"]["services"]
        ['outpatient', 'medications']
    """
    file = Path(path)
    name = display or str(path)
    if export_date > today:
        msg = f"export date {export_date.isoformat()} is in the future"
        raise DataError([Problem(name, None, None, "", msg)])
    problems: list[Problem] = []
    groups: dict[tuple[str, ...], list[tuple[int, dict[str, str]]]] = {}
    records = skipped = 0
    for line, row in _rows(file, name):
        records += 1
        if progress is not None:
            progress(records)
        if isinstance(row, str):
            problems.append(Problem(name, line, None, "", f"{row}; row not imported"))
            skipped += 1
            continue
        problem = _check_row(row, line, name)
        if problem is not None:
            problems.append(problem)
            skipped += 1
            continue
        groups.setdefault(_identity(row), []).append((line, row))
    candidates = [
        _build(rows, _codes(rows, name, problems), name, export_date, problems)
        for rows in groups.values()
    ]
    slugs = assign_slugs(candidates, existing, reserved)
    return ImportResult(
        providers={slug: cand.mapping for slug, cand in slugs.items()},
        lines={slug: cand.line for slug, cand in slugs.items()},
        problems=tuple(sorted(problems, key=lambda p: (p.line or 0, p.field))),
        records=records,
        skipped=skipped,
    )
