"""Read a de-identified event log (CSV or JSON Lines) as a stream of checked events.

The columns (docs/design/formats.md#event-log): ``event_id, at, referral_id, type, pathway,
officer_hash, provider_id, detail``. :func:`read_events` yields one
:class:`~deflectkit.core.events.Event` per good row, as it reads, and checks every row:

* ``type`` is a known event type (with "did you mean …?"), ``pathway`` a known pathway;
* ``at`` is ISO 8601 *with* a UTC offset;
* event ids are unique in the whole file;
* the events of one referral are in time order, and a referral's follow-up events
  (hand-off, intake, contacts …) come after its ``referred`` event, of which it has one.

Rows with problems are not yielded. When the file ends, every problem found (the first 100
listed) is raised together as :class:`~deflectkit.errors.EventLogError`, each naming file,
line and column. Columns that look like personal data (names, dates of birth, addresses,
phone numbers …) make the reader refuse the file before yielding anything: the log must be
de-identified.

Memory. The reader keeps no list of events. Its state is:

* for each referral id seen, one integer (last time seen and whether it was referred):
  about 150 bytes a referral id. This is what the order and `referred` checks need: the
  log need not be sorted across referrals, so any referral may get another event later;
* for duplicate event ids, a fixed 16 MiB Bloom filter, whatever the log's length. A hit
  is only a *suspect* (about one in 100,000 events at a million events); suspects are
  confirmed exactly by a second pass over the file (a prefix scan of each line when the
  CSV has no quotes), which keeps the lines of the suspect ids only.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from deflectkit.core.events import Event, consent_end_problem
from deflectkit.errors import EventLogError, Problem
from deflectkit.files.atomic import atomic_writer
from deflectkit.spelling import counted, did_you_mean, hint
from deflectkit.vocabulary import EVENT_TYPES, PATHWAYS

__all__ = [
    "COLUMNS",
    "MAX_LISTED",
    "REQUIRED_COLUMNS",
    "csv_column",
    "is_jsonl",
    "looks_personal",
    "read_events",
    "write_events",
]

#: Every column of the log, in the documented order.
COLUMNS: tuple[str, ...] = (
    "event_id",
    "at",
    "referral_id",
    "type",
    "pathway",
    "officer_hash",
    "provider_id",
    "detail",
    "minutes",
)
#: Columns every row must fill.
REQUIRED_COLUMNS: tuple[str, ...] = ("event_id", "at", "referral_id", "type")
#: At most this many problems are listed in the error (the rest are counted).
MAX_LISTED = 100

# Words that, as a column name or a part of one, mean the log carries who the person is.
_PII_WORDS = frozenset(
    {
        "name",
        "names",
        "firstname",
        "lastname",
        "fullname",
        "surname",
        "given",
        "middle",
        "dob",
        "birth",
        "birthdate",
        "birthday",
        "born",
        "age",
        "address",
        "addr",
        "street",
        "city",
        "zip",
        "zipcode",
        "postcode",
        "postal",
        "ssn",
        "social",
        "ssn4",
        "phone",
        "telephone",
        "mobile",
        "cell",
        "email",
        "mail",
        "license",
        "licence",
        "dl",
        "plate",
        "mrn",
        "medicaid",
        "passport",
        "ip",
    }
)
_PII_NAMES = frozenset({"dateofbirth", "date_of_birth", "e_mail", "phone_number"})

# Events that belong to a referral after the person accepted: they need a `referred` first.
_AFTER_REFERRAL = frozenset(
    {
        "handoff_completed",
        "intake",
        "intake_missed",
        "treatment_contact",
        "return_to_use",
        "followup_attempt",
        "followup_reached",
        "provider_refused",
        "consent_recorded",
        "consent_revoked",
    }
)

_US = 1_000_000
_BLOOM_BITS = 1 << 27  # 16 MiB: ~1e-5 false suspects per event at a million events
_BLOOM_MASK = _BLOOM_BITS - 1
_TYPES = frozenset(EVENT_TYPES.words)
_TYPES_LISTED = EVENT_TYPES.words
_PATHWAYS = frozenset(PATHWAYS.words)
# Positions in COLUMNS order of the fields the rules read.
_AT, _TYPE, _PATHWAY, _DETAIL, _MINUTES = 1, 3, 4, 7, 8
# Longest number text read (a 5,000-digit "number" is an error, not a slow conversion).
_MAX_NUMBER = 32


def looks_personal(column: str) -> bool:
    """Whether a column or key name looks like personal data (``first_name``, ``DOB`` …).

    The event log and the encounter file are de-identified: a reader refuses a file with
    such a column before reading a row.
    """
    key = column.strip().lower().replace("-", "_").replace(" ", "_")
    if key in _PII_NAMES:
        return True
    return any(part in _PII_WORDS for part in key.split("_") if part)


def _pii_problem(path: str, line: int, column: int | None, name: str) -> Problem:
    return Problem(
        path,
        line,
        column,
        name,
        f"column {name!r} looks like personal data; refusing the log. The event log must be "
        "de-identified: remove names, dates of birth, addresses and contact details, and "
        "identify people only by an opaque referral_id (officers by officer_hash)",
    )


def _caret(text: str, column: int | None) -> str | None:
    if column is None:
        return None
    text = text.rstrip("\r\n")
    return f"{text}\n{' ' * (column - 1)}^"


def csv_column(raw: str, index: int) -> int:
    """1-based character column where CSV field ``index`` starts in ``raw`` (quote-aware)."""
    field = 0
    quoted = False
    for pos, char in enumerate(raw):
        if field == index:
            return pos + 1
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            field += 1
    return len(raw.rstrip("\r\n")) + 1


def _json_column(raw: str, key: str) -> int | None:
    """1-based column of the value of ``key`` on a JSON line (or of the key if odd)."""
    start = raw.find(f'"{key}"')
    if start < 0:
        return None
    colon = raw.find(":", start + len(key) + 2)
    if colon < 0:
        return start + 1
    pos = colon + 1
    while pos < len(raw) and raw[pos] in " \t":
        pos += 1
    return pos + 1


_Locator = Callable[[str], int | None]


class _Collector:
    """Problems found so far: the first :data:`MAX_LISTED` kept, the rest counted."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.more = 0

    def add(self, problem: Problem) -> None:
        if len(self.problems) < MAX_LISTED:
            self.problems.append(problem)
        else:
            self.more += 1

    def __bool__(self) -> bool:
        return bool(self.problems)

    def error(self) -> EventLogError:
        problems = list(self.problems)
        total = len(problems) + self.more
        if self.more:
            problems.append(
                Problem(self.path, None, None, "",
                        f"… and {counted(self.more, 'more problem')} not listed")
            )
        return EventLogError(problems, f"{counted(total, 'problem')} in event log {self.path}")


class _Row:
    """One row's values in :data:`COLUMNS` order, and what the rules parsed from them."""

    __slots__ = ("at", "minutes", "values")

    def __init__(self, values: Sequence[str]) -> None:
        self.values = values
        self.at: dt.datetime | None = None
        self.minutes: float | None = None


def _type_rule(row: _Row) -> str | None:
    kind = row.values[_TYPE]
    if kind in _TYPES:
        return None
    if not kind:
        return "type is required"
    known = ", ".join(_TYPES_LISTED)
    return f"unknown event type {kind!r}" + hint(EVENT_TYPES.suggest(kind),
                                                 otherwise=f"; expected one of {known}")


def _at_rule(row: _Row) -> str | None:
    text = row.values[_AT]
    if not text:
        return "at is required"
    try:
        at = dt.datetime.fromisoformat(text)
    except ValueError:
        return f"{text!r} is not an ISO 8601 time such as 2025-03-03T14:30:00-07:00"
    if at.utcoffset() is None:  # fromisoformat gives a fixed offset or none (is_aware's rule)
        return f"time {text!r} has no UTC offset; write it as e.g. {text}-07:00"
    row.at = at
    return None


def _pathway_rule(row: _Row) -> str | None:
    pathway = row.values[_PATHWAY]
    if not pathway:
        return "a referred event needs its pathway" if row.values[_TYPE] == "referred" else None
    if pathway in _PATHWAYS:
        return None
    known = ", ".join(PATHWAYS.words)
    return f"unknown pathway {pathway!r}" + hint(PATHWAYS.suggest(pathway),
                                                 otherwise=f"; expected one of {known}")


def _minutes_rule(row: _Row) -> str | None:
    text = row.values[_MINUTES]
    if not text:
        return None
    if row.values[_TYPE] != "handoff_completed":
        return "minutes are the officer minutes of a hand-off: only on handoff_completed"
    try:
        minutes = float(text) if len(text) <= _MAX_NUMBER else math.nan
    except ValueError:
        minutes = math.nan
    if not (math.isfinite(minutes) and minutes >= 0):
        return "minutes must be a finite number of minutes, 0 or more, such as 45"
    row.minutes = minutes
    return None


def _detail_rule(row: _Row) -> str | None:
    if row.values[_TYPE] != "consent_recorded":
        return None
    return consent_end_problem(row.values[_DETAIL])


_Rule = Callable[[_Row], str | None]

#: Every check on a row's own values: (field reported, its position in COLUMNS, the rule,
#: whether the rule also runs on an empty cell). A rule of ``None`` means "required". This
#: is the one table the reader applies to every row (an earlier version had a fast copy
#: and an explaining copy of each rule, and they disagreed). Optional cells left empty
#: skip their rule, which keeps the common row cheap.
_ROW_RULES: tuple[tuple[str, int, _Rule | None, bool], ...] = (
    ("event_id", 0, None, True),
    ("at", _AT, _at_rule, True),
    ("referral_id", 2, None, True),
    ("type", _TYPE, _type_rule, True),
    ("pathway", _PATHWAY, _pathway_rule, True),  # empty is wrong on a `referred` event
    ("minutes", _MINUTES, _minutes_rule, False),
    ("detail", _DETAIL, _detail_rule, False),
)


class _Checker:
    """The per-row checks and the state they need (see the module's Memory note)."""

    def __init__(self, path: str, problems: _Collector) -> None:
        self.path = path
        self.problems = problems
        self.referrals: dict[str, int] = {}  # id -> (last time in µs << 1) | referred
        self.bloom = bytearray(_BLOOM_BITS // 8)
        self.suspects: set[str] = set()

    def _seen_before(self, event_id: str) -> bool:
        """Add ``event_id`` to the Bloom filter; True if it may have been seen (a suspect)."""
        # Three probes from one 64-bit hash (double hashing); unrolled: this runs per row.
        h = hash(event_id) & 0xFFFFFFFFFFFFFFFF
        b1 = h & _BLOOM_MASK
        b2 = (h >> 27) & _BLOOM_MASK
        b3 = (b1 + b2 + (h >> 54)) & _BLOOM_MASK
        bloom = self.bloom
        hit = (
            (bloom[b1 >> 3] >> (b1 & 7))
            & (bloom[b2 >> 3] >> (b2 & 7))
            & (bloom[b3 >> 3] >> (b3 & 7))
        )
        bloom[b1 >> 3] |= 1 << (b1 & 7)
        bloom[b2 >> 3] |= 1 << (b2 & 7)
        bloom[b3 >> 3] |= 1 << (b3 & 7)
        return bool(hit & 1)

    def check(
        self, values: Sequence[str], line: int, raw: str, header: tuple[str, ...] | None
    ) -> Event | None:
        """The event of one row (values in :data:`COLUMNS` order), or ``None``.

        Every problem with the row is reported, each with its line and column, found in
        ``raw`` through the CSV ``header`` (``None``: a JSON line; ``()``: a CSV record
        spanning lines, where the line is enough).
        """
        row = _Row(values)
        failed: list[tuple[str, str]] = []
        for field, index, rule, on_empty in _ROW_RULES:  # every rule of the one table
            if rule is None:
                if not values[index]:
                    failed.append((field, f"{field} is required"))
            elif on_empty or values[index]:
                message = rule(row)
                if message:
                    failed.append((field, message))
        event_id = values[0]
        if event_id and self._seen_before(event_id):
            self.suspects.add(event_id)
        at = row.at
        if not failed and at is not None:
            # The row's place among its referral's events, recorded as (last µs << 1) | referred.
            referral_id, kind = values[2], values[_TYPE]
            stamp = round(at.timestamp() * _US)
            state = self.referrals.get(referral_id)
            referred = state is not None and bool(state & 1)
            if state is not None and stamp < state >> 1:
                failed.append(_out_of_order(referral_id, at, state))
            elif kind == "referred" and referred:
                failed.append(_second_referral(referral_id))
            elif not referred and kind in _AFTER_REFERRAL:
                message = f"referral {referral_id!r} has no referred event before this {kind} event"
                failed.append(("referral_id", message))
            else:
                self.referrals[referral_id] = (stamp << 1) | (referred or kind == "referred")
                return Event(
                    event_id, at, referral_id, kind, values[_PATHWAY] or None,
                    values[5] or None, values[6] or None, values[_DETAIL] or None,
                    row.minutes, line,
                )  # fmt: skip
        locate: _Locator = _no_column if header == () else _Locate(raw, header)
        for field, message in failed:
            column = locate(field)
            self.problems.add(
                Problem(self.path, line, column, field, message, snippet=_caret(raw, column))
            )
        return None


def _out_of_order(referral_id: str, at: dt.datetime, state: int) -> tuple[str, str]:
    before = dt.datetime.fromtimestamp((state >> 1) / _US, at.tzinfo).isoformat()
    return (
        "at",
        f"events out of order for referral {referral_id!r}: {at.isoformat()} comes after an "
        f"event at {before}; list each referral's events in time order",
    )


def _second_referral(referral_id: str) -> tuple[str, str]:
    return (
        "type",
        f"referral {referral_id!r} already has a referred event; a new deflection of the same "
        "person needs a new referral_id",
    )


class _Locate:
    """Finds the column of a field on the current row (only called when reporting)."""

    def __init__(self, raw: str, header: tuple[str, ...] | None) -> None:
        self.raw = raw
        self.header = header

    def __call__(self, field: str) -> int | None:
        if self.header is None:
            return _json_column(self.raw, field)
        if field not in self.header:
            return 1
        return csv_column(self.raw, self.header.index(field))


def is_jsonl(path: Path) -> bool:
    """Whether ``path`` holds JSON lines (by its suffix, else by its first character)."""
    suffix = path.suffix.lower()
    if suffix in {".jsonl", ".ndjson", ".json"}:
        return True
    if suffix in {".csv", ".txt"}:
        return False
    with path.open("rb") as handle:
        head = handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{")


def _check_header(path: str, names: list[str], raw: str) -> tuple[str, ...]:
    header = tuple(n.strip() for n in names)
    problems = [
        _pii_problem(path, 1, csv_column(raw, i), name)
        for i, name in enumerate(header)
        if looks_personal(name)
    ]
    if problems:
        raise EventLogError(problems, f"event log {path} is not de-identified")
    for i, name in enumerate(header):
        if name not in COLUMNS:
            hint = did_you_mean(name, COLUMNS, cutoff=0.6,
                                otherwise=f"; columns are {', '.join(COLUMNS)}")
            problems.append(
                Problem(path, 1, csv_column(raw, i), name, f"unknown column {name!r}{hint}")
            )
        elif header.index(name) != i:
            problems.append(
                Problem(path, 1, csv_column(raw, i), name, f"column {name!r} appears twice")
            )
    missing = [n for n in REQUIRED_COLUMNS if n not in header]
    if missing:
        columns = "column" if len(missing) == 1 else "columns"
        problems.append(Problem(path, 1, None, "", f"missing {columns}: {', '.join(missing)}"))
    if problems:
        raise EventLogError(problems, f"event log {path} has a bad header")
    return header


def _read_csv(path: Path, checker: _Checker) -> Iterator[Event]:
    name = str(path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        last = [""]

        def lines() -> Iterator[str]:
            for text in handle:
                last[0] = text
                yield text

        # strict: an unclosed quote is an error, not a field that swallows the rest of the file
        reader = csv.reader(lines(), strict=True)
        try:
            names = next(reader)
        except StopIteration:
            raise EventLogError([Problem(name, None, None, "", "the event log is empty")]) from None
        header = _check_header(name, names, last[0])
        width = len(header)
        # Rows in COLUMNS order; a column the file lacks reads as "".
        order = [header.index(c) if c in header else width for c in COLUMNS]
        # Most logs have every column in order, or all but the optional last (minutes).
        as_is = order == list(range(len(COLUMNS)))
        padded = order == [*range(len(COLUMNS) - 1), width]
        previous_line = reader.line_num
        try:
            for row in reader:
                line = previous_line + 1  # where this record starts
                single = reader.line_num == line
                previous_line = reader.line_num
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                raw = last[0] if single else ""
                if len(row) != width:
                    message = f"expected {width} fields, found {len(row)}"
                    snippet = _caret(raw, 1) if raw else None
                    checker.problems.add(Problem(name, line, 1, "", message, snippet=snippet))
                    continue
                row.append("")
                values = row if as_is or padded else [row[i] for i in order]
                event = checker.check(values, line, raw, header if single else ())
                if event is not None:
                    yield event
        except csv.Error as exc:  # the record that starts after the last one read
            checker.problems.add(_csv_problem(name, previous_line + 1, exc))


def _csv_problem(name: str, line: int, exc: csv.Error) -> Problem:
    text = str(exc)
    if "unexpected end of data" in text:
        text = (
            "a quoted field opened on this line is never closed (a missing '\"'); "
            "the rest of the file was not read"
        )
    return Problem(name, line, None, "", f"CSV error: {text}")


def _no_column(field: str) -> int | None:  # a record spanning lines: the line is enough
    return None


class _DuplicateKeyError(ValueError):
    """A JSON object names a key twice (JSON allows it; a log row must not)."""


def _unique_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    record: dict[str, object] = {}
    for key, value in pairs:
        if key in record:
            raise _DuplicateKeyError(key)
        record[key] = value
    return record


def _json_int(text: str) -> int:
    if len(text) > _MAX_NUMBER:
        msg = f"a number with {len(text)} digits"
        raise ValueError(msg)
    return int(text)


def _json_record(name: str, line: int, raw: str) -> dict[str, object] | Problem:
    """The object on one JSON line, or the problem that stops it being one."""
    try:
        record = json.loads(raw, object_pairs_hook=_unique_keys, parse_int=_json_int)
    except json.JSONDecodeError as exc:
        message = f"not valid JSON: {exc.msg}"
        return Problem(name, line, exc.colno, "", message, snippet=_caret(raw, exc.colno))
    except _DuplicateKeyError as exc:
        key = str(exc.args[0])
        column = _json_column(raw, key)
        return Problem(name, line, column, key, f"the key {key!r} appears twice on this line")
    except (ValueError, RecursionError) as exc:
        return Problem(name, line, None, "", f"not a usable JSON line: {exc}")
    if not isinstance(record, dict):
        return Problem(name, line, 1, "", "each line must be a JSON object")
    return record


def _json_values(
    name: str, line: int, raw: str, record: dict[str, object], checker: _Checker
) -> list[str] | None:
    """The record's values in :data:`COLUMNS` order, or ``None`` after reporting bad keys."""
    values = dict.fromkeys(COLUMNS, "")
    bad = False
    for key, value in record.items():
        column = _json_column(raw, key)
        if key not in COLUMNS:
            hint = did_you_mean(key, COLUMNS, cutoff=0.6)
            checker.problems.add(Problem(name, line, column, key, f"unknown key {key!r}{hint}"))
            bad = True
        elif value is None or isinstance(value, str):
            values[key] = value or ""
        elif key == "minutes" and isinstance(value, int | float) and not isinstance(value, bool):
            values[key] = repr(value)  # the minutes rule checks it like a CSV cell
        else:
            message = f"{key} must be a string, not {type(value).__name__}"
            checker.problems.add(Problem(name, line, column, key, message))
            bad = True
    return None if bad else list(values.values())


def _read_jsonl(path: Path, checker: _Checker) -> Iterator[Event]:
    name = str(path)
    with path.open(encoding="utf-8-sig") as handle:
        for line, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            record = _json_record(name, line, raw)
            if isinstance(record, Problem):
                checker.problems.add(record)
                continue
            personal = [k for k in record if looks_personal(str(k))]
            if personal:
                problems = [_pii_problem(name, line, _json_column(raw, k), k) for k in personal]
                raise EventLogError(problems, f"event log {name} is not de-identified")
            values = _json_values(name, line, raw, record, checker)
            if values is None:
                continue
            event = checker.check(values, line, raw, None)
            if event is not None:
                yield event


def _event_ids(path: Path, jsonl: bool) -> Iterator[tuple[str, int, int | None, str]]:
    """(event id, line, column, line text) for every row, for the duplicate check."""
    with path.open(encoding="utf-8-sig", newline="" if not jsonl else None) as handle:
        if jsonl:
            for line, raw in enumerate(handle, start=1):
                try:
                    record = json.loads(raw) if raw.strip() else None
                except (ValueError, RecursionError):
                    continue  # already reported by the first pass
                if isinstance(record, dict):
                    yield str(record.get("event_id", "")), line, _json_column(raw, "event_id"), raw
            return
        reader = csv.reader(handle)
        header = [h.strip() for h in next(reader)]
        index = header.index("event_id")
        previous = reader.line_num
        for row in reader:
            start, previous = previous + 1, reader.line_num  # a record's first line
            if len(row) > index:
                column = 1 + sum(len(v) + 1 for v in row[:index])  # exact for unquoted fields
                yield row[index], start, column, ",".join(row)


def _scan_plain_csv(path: Path, suspects: set[str]) -> list[tuple[str, int, int, str]] | None:
    """Suspect rows of a CSV whose first column is ``event_id``, found by line prefix.

    ``None`` when the file has a quote anywhere (a field could span lines): then only a
    real CSV parse can count lines right.
    """
    prefixes = tuple(f"{s}," for s in suspects)
    found = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for line, raw in enumerate(handle, start=1):
            if '"' in raw:
                return None
            if line > 1 and raw.startswith(prefixes):
                found.append((raw[: raw.index(",")], line, 1, raw))
    return found


def _confirm_duplicates(path: Path, jsonl: bool, suspects: set[str], problems: _Collector) -> None:
    """Second pass: report every repeat of a suspect id, naming the line of its first use."""
    rows: Iterable[tuple[str, int, int | None, str]] | None = None
    if not jsonl:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            first_column = next(csv.reader(handle), [""])[0].strip() == "event_id"
        if first_column:
            rows = _scan_plain_csv(path, suspects)
    first: dict[str, int] = {}
    for event_id, line, column, raw in rows if rows is not None else _event_ids(path, jsonl):
        if event_id not in suspects:
            continue
        if event_id not in first:
            first[event_id] = line
            continue
        message = f"duplicate event id {event_id!r} (first used on line {first[event_id]})"
        snippet = _caret(raw, column)
        problems.add(Problem(str(path), line, column, "event_id", message, snippet=snippet))


def _utf16(path: Path) -> str | None:
    """``"UTF-16"`` when the file starts like UTF-16 text (a BOM, or every other byte NUL)."""
    with path.open("rb") as handle:
        head = handle.read(512)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    pairs = head[: len(head) // 2 * 2]
    half = len(pairs) // 2  # ASCII text in UTF-16 has a NUL in every other byte
    if half >= 2 and max(pairs[1::2].count(0), pairs[::2].count(0)) * 2 >= half:
        return "UTF-16"
    return None


def read_events(path: str | Path) -> Iterator[Event]:
    """Stream the events of a de-identified log file, checking every row.

    Args:
        path: a ``.csv`` file with a header row, or a JSON Lines file (``.jsonl``,
            ``.ndjson``; other names are sniffed) with one object a line.

    Yields:
        Each good row as an :class:`~deflectkit.core.events.Event`, in file order.

    Raises:
        EventLogError: when the file ends, if any row had problems (all of them, each with
            file, line and column); at once, if a column looks like personal data or the
            header is wrong.

    Example:
        >>> from deflectkit.files.events import read_events
        >>> events = read_events("data/events/sample.csv")  # nothing is read yet
        >>> next(events).type
        'encounter_assessed'
    """
    file = Path(path)
    name = str(path)
    if not file.is_file():
        raise EventLogError([Problem(name, None, None, "", "no such event log file")])
    encoding = _utf16(file)
    if encoding:
        message = f"the file is {encoding} text: save it as UTF-8 (in a spreadsheet: CSV UTF-8)"
        raise EventLogError([Problem(name, 1, None, "", message)])
    problems = _Collector(name)
    checker = _Checker(name, problems)
    jsonl = is_jsonl(file)
    try:
        yield from (_read_jsonl if jsonl else _read_csv)(file, checker)
    except UnicodeDecodeError as exc:
        problems.add(Problem(name, None, None, "", f"not UTF-8 text ({exc.reason})"))
    except csv.Error as exc:
        problems.add(Problem(name, None, None, "", f"CSV error: {exc}"))
    if checker.suspects:
        _confirm_duplicates(file, jsonl, checker.suspects, problems)
    if problems:
        raise problems.error()


def write_events(events: Iterable[Event], path: str | Path) -> int:
    """Write events as a CSV log (header + one row each); return how many were written.

    The file is written to a temporary name beside ``path`` and renamed when complete, so
    a reader never sees half a log.
    """
    count = 0
    with atomic_writer(path) as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for e in events:
            at = e.at.isoformat()
            writer.writerow(
                (
                    e.event_id,
                    at,
                    e.referral_id,
                    e.type,
                    e.pathway or "",
                    e.officer_hash or "",
                    e.provider_id or "",
                    e.detail or "",
                    "" if e.minutes is None else f"{e.minutes:g}",
                )
            )
            count += 1
    return count
