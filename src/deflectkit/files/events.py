"""Read a de-identified event log (CSV or JSON Lines) as a stream of checked events.

The columns are those of DESIGN §8: ``event_id, at, referral_id, type, pathway,
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
import difflib
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from deflectkit.core.events import Event
from deflectkit.errors import EventLogError, Problem
from deflectkit.vocabulary import EVENT_TYPES, PATHWAYS

__all__ = ["COLUMNS", "MAX_LISTED", "REQUIRED_COLUMNS", "read_events", "write_events"]

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
    }
)

_US = 1_000_000
_BLOOM_BITS = 1 << 27  # 16 MiB: ~1e-5 false suspects per event at a million events
_BLOOM_MASK = _BLOOM_BITS - 1
_TYPES = frozenset(EVENT_TYPES.words)
_PATHWAYS = frozenset(PATHWAYS.words)


def _looks_personal(column: str) -> bool:
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


def _csv_column(raw: str, index: int) -> int:
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
                Problem(self.path, None, None, "", f"… and {self.more} more problem(s) not listed")
            )
        return EventLogError(problems, f"{total} problem(s) in event log {self.path}")


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

    def fast(self, row: Sequence[str]) -> Event | None:
        """The event of a row in column order when every check passes, else ``None``.

        No side effect unless it succeeds: a row it refuses goes to :meth:`check`, which
        finds and reports what is wrong. This path is most rows' only path.
        """
        event_id, text, referral_id, kind, pathway, officer, provider, detail = row
        if not (event_id and referral_id and kind in _TYPES):
            return None
        if pathway:
            if pathway not in _PATHWAYS:
                return None
        elif kind == "referred":
            return None
        try:
            at = dt.datetime.fromisoformat(text)
        except ValueError:
            return None
        if at.tzinfo is None:  # fromisoformat only makes fixed offsets: tzinfo is enough
            return None
        stamp = round(at.timestamp() * _US)
        state = self.referrals.get(referral_id)
        referred = state is not None and bool(state & 1)
        if state is not None and stamp < state >> 1:
            return None
        if kind == "referred":
            if referred:
                return None
            referred = True
        elif not referred and kind in _AFTER_REFERRAL:
            return None
        if self._seen_before(event_id):
            self.suspects.add(event_id)
        self.referrals[referral_id] = (stamp << 1) | referred
        return Event(
            event_id, at, referral_id, kind, pathway or None, officer or None,
            provider or None, detail or None,
        )  # fmt: skip

    def check(
        self, values: Mapping[str, str | None], line: int, raw: str, locate: _Locator
    ) -> Event | None:
        """The event of one row, or ``None`` after reporting what is wrong with it."""
        ok = True

        def report(field: str, message: str) -> None:
            nonlocal ok
            ok = False
            column = locate(field)
            self.problems.add(
                Problem(self.path, line, column, field, message, snippet=_caret(raw, column))
            )

        for name in REQUIRED_COLUMNS:
            if not values.get(name):
                report(name, f"{name} is required")
        if not ok:
            return None
        event_id = values["event_id"] or ""
        referral_id = values["referral_id"] or ""
        kind = values["type"] or ""
        text = values["at"] or ""
        at: dt.datetime | None = None
        try:
            at = dt.datetime.fromisoformat(text)
        except ValueError:
            report("at", f"{text!r} is not an ISO 8601 time such as 2025-03-03T14:30:00-07:00")
        if at is not None and at.utcoffset() is None:
            report("at", f"time {text!r} has no UTC offset; write it as e.g. {text}-07:00")
            at = None
        if kind not in EVENT_TYPES:
            guess = EVENT_TYPES.suggest(kind)
            hint = (
                f"; did you mean {guess!r}?"
                if guess
                else f"; expected one of {', '.join(EVENT_TYPES.words)}"
            )
            report("type", f"unknown event type {kind!r}{hint}")
        pathway = values.get("pathway") or None
        if pathway is not None and pathway not in PATHWAYS:
            guess = PATHWAYS.suggest(pathway)
            hint = (
                f"; did you mean {guess!r}?"
                if guess
                else f"; expected one of {', '.join(PATHWAYS.words)}"
            )
            report("pathway", f"unknown pathway {pathway!r}{hint}")
        elif pathway is None and kind == "referred":
            report("pathway", "a referred event needs its pathway")
        if self._seen_before(event_id):
            self.suspects.add(event_id)
        if at is None or not ok:
            return None
        stamp = round(at.timestamp() * _US)
        state = self.referrals.get(referral_id)
        referred = bool(state is not None and state & 1)
        if state is not None and stamp < state >> 1:
            before = dt.datetime.fromtimestamp((state >> 1) / _US, at.tzinfo).isoformat()
            report(
                "at",
                f"events out of order for referral {referral_id!r}: {at.isoformat()} comes after "
                f"an event at {before}; list each referral's events in time order",
            )
            return None
        if kind == "referred":
            if referred:
                report(
                    "type",
                    f"referral {referral_id!r} already has a referred event; a new deflection of "
                    "the same person needs a new referral_id",
                )
                return None
            referred = True
        elif kind in _AFTER_REFERRAL and not referred:
            report(
                "referral_id",
                f"referral {referral_id!r} has no referred event before this {kind} event",
            )
            return None
        self.referrals[referral_id] = (stamp << 1) | referred
        return Event(
            event_id,
            at,
            referral_id,
            kind,
            pathway,
            values.get("officer_hash") or None,
            values.get("provider_id") or None,
            values.get("detail") or None,
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
        return _csv_column(self.raw, self.header.index(field))


def _is_jsonl(path: Path) -> bool:
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
        _pii_problem(path, 1, _csv_column(raw, i), name)
        for i, name in enumerate(header)
        if _looks_personal(name)
    ]
    if problems:
        raise EventLogError(problems, f"event log {path} is not de-identified")
    for i, name in enumerate(header):
        if name not in COLUMNS:
            close = difflib.get_close_matches(name, COLUMNS, n=1)
            hint = (
                f"; did you mean {close[0]!r}?" if close else f"; columns are {', '.join(COLUMNS)}"
            )
            problems.append(
                Problem(path, 1, _csv_column(raw, i), name, f"unknown column {name!r}{hint}")
            )
        elif header.index(name) != i:
            problems.append(
                Problem(path, 1, _csv_column(raw, i), name, f"column {name!r} appears twice")
            )
    missing = [n for n in REQUIRED_COLUMNS if n not in header]
    if missing:
        problems.append(Problem(path, 1, None, "", f"missing column(s): {', '.join(missing)}"))
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

        reader = csv.reader(lines())
        try:
            names = next(reader)
        except StopIteration:
            raise EventLogError([Problem(name, None, None, "", "the event log is empty")]) from None
        header = _check_header(name, names, last[0])
        width = len(header)
        # Rows in COLUMNS order for the fast path; a column the file lacks reads as "".
        order = [header.index(c) if c in header else width for c in COLUMNS]
        in_order = order == list(range(len(COLUMNS)))
        previous_line = reader.line_num
        for row in reader:
            line = previous_line + 1
            single = reader.line_num == line
            previous_line = reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            raw = last[0] if single else ""
            if len(row) != width:
                checker.problems.add(
                    Problem(
                        name,
                        line,
                        1,
                        "",
                        f"expected {width} fields, found {len(row)}",
                        snippet=_caret(raw, 1) if raw else None,
                    )
                )
                continue
            if in_order:
                event = checker.fast(row)
            else:
                row.append("")
                event = checker.fast([row[i] for i in order])
                row.pop()
            if event is None:
                locate: _Locator = _Locate(raw, header) if single else _no_column
                event = checker.check(dict(zip(header, row, strict=True)), line, raw, locate)
            if event is not None:
                yield event


def _no_column(field: str) -> int | None:  # a record spanning lines: the line is enough
    return None


def _read_jsonl(path: Path, checker: _Checker) -> Iterator[Event]:
    name = str(path)
    with path.open(encoding="utf-8-sig") as handle:
        for line, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                record = json.loads(raw)
            except json.JSONDecodeError as exc:
                checker.problems.add(
                    Problem(
                        name,
                        line,
                        exc.colno,
                        "",
                        f"not valid JSON: {exc.msg}",
                        snippet=_caret(raw, exc.colno),
                    )
                )
                continue
            if not isinstance(record, dict):
                checker.problems.add(Problem(name, line, 1, "", "each line must be a JSON object"))
                continue
            personal = [k for k in record if _looks_personal(str(k))]
            if personal:
                problems = [_pii_problem(name, line, _json_column(raw, k), k) for k in personal]
                raise EventLogError(problems, f"event log {name} is not de-identified")
            values: dict[str, str | None] = {}
            bad = False
            for key, value in record.items():
                if key not in COLUMNS:
                    close = difflib.get_close_matches(key, COLUMNS, n=1)
                    hint = f"; did you mean {close[0]!r}?" if close else ""
                    checker.problems.add(
                        Problem(
                            name, line, _json_column(raw, key), key, f"unknown key {key!r}{hint}"
                        )
                    )
                    bad = True
                elif value is None or isinstance(value, str):
                    values[key] = value
                else:
                    checker.problems.add(
                        Problem(
                            name,
                            line,
                            _json_column(raw, key),
                            key,
                            f"{key} must be a string, not {type(value).__name__}",
                        )
                    )
                    bad = True
            if bad:
                continue
            event = checker.check(values, line, raw, _Locate(raw, None))
            if event is not None:
                yield event


def _event_ids(path: Path, jsonl: bool) -> Iterator[tuple[str, int, int | None, str]]:
    """(event id, line, column, line text) for every row, for the duplicate check."""
    with path.open(encoding="utf-8-sig", newline="" if not jsonl else None) as handle:
        if jsonl:
            for line, raw in enumerate(handle, start=1):
                try:
                    record = json.loads(raw) if raw.strip() else None
                except json.JSONDecodeError:
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
    problems = _Collector(name)
    checker = _Checker(name, problems)
    jsonl = _is_jsonl(file)
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
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    count = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
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
                    )
                )
                count += 1
        Path(temp).replace(target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return count
