"""Read a de-identified encounter file (CSV or JSON Lines) as a stream of checked facts.

One encounter a row; the columns are facts the policy declares, typed by those
declarations. In CSV:

* a boolean is ``true`` or ``false``; a number is written plainly (``2``, ``1.5``): no
  exponent, no ``nan`` or ``inf``, and not below the fact's declared minimum (0 unless
  the policy says otherwise: amounts, ages and days are never negative);
* a list is its words joined by ``|`` (``drug_possession|trespass``); ``[]`` is the empty
  list (no offence at all), which is not the same as not knowing;
* a date is ``2025-03-01``; a date and time carries its UTC offset
  (``2025-03-01T14:30:00-07:00``);
* an **empty cell is a missing fact** (unknown to the policy, or, for an optional fact,
  known to be absent).

In JSON Lines each line is an object with the same keys and JSON values (``true``,
numbers, arrays of words, strings for words, dates and times); ``null`` or a key left out
is a missing fact.

The checks follow the event log reader (:mod:`deflectkit.files.events`): every problem
names file, line, column and fact, with "did you mean …?" where a word is close; rows with
problems are not yielded, and when the file ends every problem (the first
:data:`~deflectkit.files.events.MAX_LISTED`) is raised together as a
:class:`~deflectkit.errors.DataError`. Columns that look like personal data (names, dates of
birth, addresses, phone numbers …) make the reader refuse the file before it yields
anything. A declared fact whose value cannot identify anyone (a number, a yes/no, a word of
a closed list, such as ``age``) is not refused for its name.

Sizes are bounded: a line of at most :data:`MAX_LINE` characters, a list of at most
:data:`MAX_LIST` words, a text fact of at most :data:`MAX_TEXT` characters, at most
:data:`MAX_ROWS` encounters. Memory does not grow with the file: the reader keeps one
bounded cache of converted cells per column (the same words and numbers recur).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO, Final

import attrs

from deflectkit.core.cache import BoundedCache
from deflectkit.core.impact import Encounter
from deflectkit.core.policy.expressions import suggest
from deflectkit.core.policy.facts import kind_of, not_a_word
from deflectkit.core.policy.model import FactSpec, Policy
from deflectkit.core.policy.text import (
    Refusal,
    RefusalCode,
    TextSpelling,
    check_words,
    read_text,
)
from deflectkit.errors import DataError, Problem
from deflectkit.files.events import MAX_LISTED, csv_column, is_jsonl, looks_personal
from deflectkit.spelling import counted

__all__ = [
    "CELLS", "MAX_LINE", "MAX_LIST", "MAX_ROWS", "MAX_TEXT", "Part", "fact_specs",
    "read_encounters",
    "split_file",
]

#: Longest line (characters) of either format.
MAX_LINE: Final = 65_536
#: Most words in one list cell.
MAX_LIST: Final = 64
#: Longest value of a ``str`` fact.
MAX_TEXT: Final = 200
#: Most encounters in one file.
MAX_ROWS: Final = 20_000_000
_CACHE: Final = 4096  # distinct cells remembered per column

#: Fact types whose values cannot name or locate a person.
_COARSE: Final = frozenset({"bool", "int", "float", "enum", "list"})

#: How a cell spells each fact type: ``true``/``false``; numbers written plainly, at most 15
#: digits each side of the point (no exponent, ``nan`` or ``inf``); words joined by ``|``,
#: ``[]`` for none; no spaces trimmed.
CELLS: Final = TextSpelling(
    booleans={"true": True, "false": False},
    integer=re.compile(r"-?[0-9]{1,15}"),
    number=re.compile(r"-?[0-9]{1,15}(\.[0-9]{1,15})?"),
    list_separator=re.compile(r"\|"),
    empty_list="[]",
    max_words=MAX_LIST,
    max_text=MAX_TEXT,
)

#: ``convert(cell) -> (value, problem)``; problem is ``None`` when the cell is good.
_Convert = Callable[[str], tuple[Any, str | None]]


def _personal(column: str, specs: Mapping[str, FactSpec]) -> bool:
    spec = specs.get(column)
    if spec is not None and spec.type in _COARSE:
        return False
    return looks_personal(column)


def fact_specs(policies: Iterable[Policy]) -> dict[str, FactSpec]:
    """The facts any of ``policies`` declares; a fact declared twice must agree on its type.

    Words of an ``enum`` or ``list`` fact declared by both are the union of both lists.

    Raises:
        DataError: two policies declare one fact with different types.
    """
    specs: dict[str, FactSpec] = {}
    problems: list[Problem] = []
    for policy in policies:
        for spec in policy.facts:
            seen = specs.get(spec.name)
            if seen is None:
                specs[spec.name] = spec
            elif seen.type != spec.type:
                problems.append(Problem(
                    policy.source or policy.id, None, None, f"facts.{spec.name}",
                    f"fact {spec.name!r} is a {spec.type} here but a {seen.type} in the other "
                    "policy; an encounter file cannot hold both",
                ))
            elif spec.values != seen.values:
                words = seen.values + tuple(w for w in spec.values if w not in seen.values)
                specs[spec.name] = FactSpec(seen.name, seen.type, words, seen.optional,
                                            seen.label, seen.unit)
    if problems:
        raise DataError(problems, "the two policies disagree on a fact")
    return specs


#: The text of each refusal (:func:`~deflectkit.core.policy.text.read_text`). The file is
#: de-identified, but its facts still describe a person: a message names the line and
#: column, never the cell.
_MESSAGES: Final[dict[RefusalCode, str]] = {
    "bool": "expected true or false",
    "int": "expected a whole number written plainly (like 30; no nan, inf or exponent)",
    "float": "expected a number written plainly (like 1.5; no nan, inf or exponent)",
    "below_min": "below the smallest value allowed, {minimum:g}",
    "date": "expected a date like 2025-03-01",
    "datetime": "expected a date and time like 2025-03-01T14:30:00-07:00",
    "no_offset": "the time has no UTC offset; write it with one, like 2025-03-01T14:30:00-07:00",
    "list_size": f"more than {MAX_LIST} words in one list",
    "too_long": f"longer than {MAX_TEXT} characters",
}


def _message(spec: FactSpec, refusal: Refusal) -> str:
    if refusal.code == "word":
        return not_a_word(spec, refusal.word or "")
    # CELLS has no date patterns and no zone, so the other codes cannot come back.
    template = _MESSAGES.get(refusal.code, f"cannot be read as a {spec.type}")
    return template.format(minimum=refusal.minimum)


def _convert_text(spec: FactSpec, text: str) -> tuple[Any, str | None]:
    """A CSV cell (never empty) as a value of ``spec``'s type, or why it is not one."""
    value, refusal = read_text(spec, text, CELLS)
    return (value, None) if refusal is None else (None, _message(spec, refusal))


def _converter(spec: FactSpec) -> _Convert:
    """``_convert_text`` behind a bounded per-column cache (not for times: they rarely recur)."""
    if spec.type in ("datetime", "str"):
        return lambda text: _convert_text(spec, text)
    cache: BoundedCache[str, tuple[Any, str | None]] = BoundedCache(_CACHE)

    def convert(text: str) -> tuple[Any, str | None]:
        hit = cache.get(text)
        if hit is None:
            hit = cache.put(text, _convert_text(spec, text))
        return hit

    return convert


def _convert_json(spec: FactSpec, value: Any) -> tuple[Any, str | None]:
    """A JSON value as a value of ``spec``'s type, or why it is not one."""
    kind = spec.type
    if kind == "bool":
        return (value, None) if isinstance(value, bool) else (None, f"expected true or false, "
                                                                    f"got {kind_of(value)}")
    if kind in ("int", "float"):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if kind == "int":
            ok = ok and isinstance(value, int)
        if not ok or not abs(value) < 1e15:  # NaN fails the comparison too
            what = "whole number" if kind == "int" else "finite number"
            return None, f"expected a {what}, got {kind_of(value)}"
        if spec.min is not None and value < spec.min:
            return None, f"below the smallest value allowed, {spec.min:g}"
        return (float(value) if kind == "float" else value), None
    if kind == "list":
        if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
            return None, f"expected a list of words, got {kind_of(value)}"
        refusal = check_words(spec, value, MAX_LIST)
        return (None, _message(spec, refusal)) if refusal else (tuple(value), None)
    if not isinstance(value, str):
        return None, f"expected a string, got {kind_of(value)}"
    return _convert_text(spec, value) if value else (None, "an empty string; leave it out")


class _Problems:
    """Problems found so far: the first ``MAX_LISTED`` kept, the rest counted."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.kept: list[Problem] = []
        self.more = 0

    def add(self, line: int | None, column: int | None, field: str, message: str) -> None:
        # No snippet: a line of the file holds one person's facts.
        if len(self.kept) >= MAX_LISTED:
            self.more += 1
            return
        self.kept.append(Problem(self.path, line, column, field, message))

    def raise_any(self) -> None:
        if not self.kept:
            return
        total = len(self.kept) + self.more
        problems = list(self.kept)
        if self.more:
            problems.append(Problem(self.path, None, None, "",
                                    f"… and {counted(self.more, 'more problem')} not listed"))
        raise DataError(problems, f"{counted(total, 'problem')} in encounter file {self.path}")




def _check_header(path: str, header: list[str], raw: str,
                  specs: Mapping[str, FactSpec]) -> None:
    personal = [(i, n) for i, n in enumerate(header) if _personal(n, specs)]
    if personal:
        raise DataError(
            [Problem(path, 1, csv_column(raw, i), n, _personal_message(n)) for i, n in personal],
            f"encounter file {path} is not de-identified",
        )
    problems = []
    for i, name in enumerate(header):
        if name not in specs:
            problems.append(Problem(
                path, 1, csv_column(raw, i), name,
                f"{name!r} is not a fact the policies declare{suggest(name, specs)}",
            ))
        elif header.index(name) != i:
            problems.append(Problem(path, 1, csv_column(raw, i), name,
                                    f"column {name!r} appears twice"))
    if problems:
        problems.append(Problem(path, 1, None, "", "the columns are facts the policies "
                                                   f"declare: {', '.join(specs)}"))
        raise DataError(problems, f"encounter file {path} has a bad header")


def _personal_message(name: str) -> str:
    return (f"column {name!r} looks like personal data; refusing the file. An encounter file "
            "must be de-identified: remove names, dates of birth, addresses and contact "
            "details, and keep only the facts the policy reads")


@attrs.frozen
class Part:
    """A byte range of whole lines of an encounter file, and the line it starts on."""

    start: int
    end: int
    first_line: int


def _text_lines(handle: BinaryIO, limit: int | None, problems: _Problems,
                last: list[str]) -> Iterator[str]:
    """Decoded lines from the handle's position (at most ``limit`` bytes of whole lines).

    Each line is read with a bound, so a file without line breaks cannot fill memory; a
    line too long ends the reading with a problem.
    """
    at_start = handle.tell() == 0
    while limit is None or limit > 0:
        raw = handle.readline(MAX_LINE + 1)
        if not raw:
            return
        if len(raw) > MAX_LINE:
            problems.add(None, None, "", f"a line longer than {MAX_LINE:,} bytes; "
                                         "is this an encounter file?")
            return
        if limit is not None:
            limit -= len(raw)
        text = raw.decode("utf-8-sig" if at_start else "utf-8")
        at_start = False
        last[0] = text
        yield text


def _header(handle: BinaryIO, problems: _Problems) -> tuple[list[str], str]:
    """The CSV header's names and its text (a header is one line)."""
    text = next(_text_lines(handle, None, problems, [""]), "")
    return [h.strip() for h in next(csv.reader([text]), [])], text


def _read_csv(path: Path, specs: Mapping[str, FactSpec], problems: _Problems,
              part: Part | None) -> Iterator[Encounter]:
    name = str(path)
    with path.open("rb") as handle:
        header, text = _header(handle, problems)
        if not header or header == [""]:
            problems.add(None, None, "", "the encounter file is empty")
            return
        _check_header(name, header, text, specs)
        offset = 1
        if part is not None:
            handle.seek(part.start)
            offset = part.first_line - 1
        converters = [(n, _converter(specs[n])) for n in header]
        width = len(header)
        last = [""]
        limit = None if part is None else part.end - part.start
        reader = csv.reader(_text_lines(handle, limit, problems, last))
        previous = 0
        for row in reader:
            line, single = offset + previous + 1, reader.line_num == previous + 1
            previous = reader.line_num
            raw = last[0] if single else ""
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if line > MAX_ROWS + 1:
                problems.add(line, None, "", f"more than {MAX_ROWS:,} encounters in one file")
                return
            if len(row) != width:
                problems.add(line, 1, "", f"expected {width} fields, found {len(row)}")
                continue
            encounter = _csv_row(converters, row, line, raw, problems)
            if encounter is not None:
                yield encounter


def _csv_row(converters: list[tuple[str, _Convert]], row: list[str], line: int, raw: str,
             problems: _Problems) -> Encounter | None:
    facts: dict[str, Any] = {}
    good = True
    for index, ((fact, convert), cell) in enumerate(zip(converters, row, strict=True)):
        if not cell:
            continue
        value, problem = convert(cell)
        if problem is None:
            facts[fact] = value
        else:
            good = False
            column = csv_column(raw, index) if raw else None
            problems.add(line, column, fact, problem)
    return Encounter(line, facts) if good else None


def _json_column(raw: str, key: str) -> int | None:
    start = raw.find(f'"{key}"')
    return None if start < 0 else start + 1


def _read_jsonl(path: Path, specs: Mapping[str, FactSpec], problems: _Problems,
                part: Part | None) -> Iterator[Encounter]:
    with path.open("rb") as handle:
        if part is not None:
            handle.seek(part.start)
        lines = _text_lines(handle, None if part is None else part.end - part.start, problems, [""])
        for line, raw in enumerate(lines, start=part.first_line if part else 1):
            if not raw.strip():
                continue
            if line > MAX_ROWS:
                problems.add(line, None, "", f"more than {MAX_ROWS:,} encounters in one file")
                return
            try:
                record = json.loads(raw)
            except json.JSONDecodeError as exc:
                problems.add(line, exc.colno, "", f"not valid JSON: {exc.msg}")
                continue
            if not isinstance(record, dict):
                problems.add(line, 1, "", "each line must be a JSON object")
                continue
            personal = [k for k in record if _personal(str(k), specs)]
            if personal:
                raise DataError(
                    [Problem(str(path), line, _json_column(raw, k), k, _personal_message(k))
                     for k in personal],
                    f"encounter file {path} is not de-identified",
                )
            encounter = _json_row(record, line, raw, specs, problems)
            if encounter is not None:
                yield encounter


def _json_row(record: dict[str, Any], line: int, raw: str, specs: Mapping[str, FactSpec],
              problems: _Problems) -> Encounter | None:
    facts: dict[str, Any] = {}
    good = True
    for key, value in record.items():
        spec = specs.get(key)
        if spec is None:
            problems.add(line, _json_column(raw, key), key,
                         f"{key!r} is not a fact the policies declare{suggest(key, specs)}")
            good = False
            continue
        if value is None:
            continue
        converted, problem = _convert_json(spec, value)
        if problem is None:
            facts[key] = converted
        else:
            problems.add(line, _json_column(raw, key), key, problem)
            good = False
    return Encounter(line, facts) if good else None


def read_encounters(
    path: str | Path, policies: Policy | Iterable[Policy], *, part: Part | None = None
) -> Iterator[Encounter]:
    """Stream the encounters of a de-identified file, typed by the policies' facts.

    Args:
        path: a ``.csv`` file with a header row of fact names, or a JSON Lines file
            (``.jsonl``, ``.ndjson``; other names are sniffed) with one object a line.
        policies: the policy (or policies, for an impact analysis) whose declared facts
            the columns are.
        part: read only this part of the file (from :func:`split_file`); line numbers are
            still those of the whole file.

    Yields:
        Each good row as an :class:`~deflectkit.core.impact.Encounter` (its line and its
        facts), in file order.

    Raises:
        DataError: when the file ends, if any row had problems (every one, with file, line,
            column and fact); at once, if a column looks like personal data or the header
            names a fact no policy declares.

    Example:
        >>> import deflectkit as dk
        >>> from deflectkit.files.encounters import read_encounters
        >>> policy = dk.load_policy("data/policies/model-deflection.yaml")
        >>> first = next(read_encounters("data/encounters/sample.csv", policy))
        >>> first.line, "contact_at" in first.facts
        (2, True)
    """
    file = Path(path)
    name = str(path)
    specs = fact_specs([policies] if isinstance(policies, Policy) else policies)
    if not file.is_file():
        raise DataError([Problem(name, None, None, "", "no such encounter file")])
    problems = _Problems(name)
    try:
        yield from (_read_jsonl if is_jsonl(file) else _read_csv)(file, specs, problems, part)
    except UnicodeDecodeError as exc:
        problems.add(None, None, "", f"not UTF-8 text ({exc.reason})")
    except csv.Error as exc:
        problems.add(None, None, "", f"CSV error: {exc}")
    problems.raise_any()


_CHUNK: Final = 1 << 23
#: Files smaller than this are read in one part (starting a process costs more).
MIN_SPLIT_BYTES: Final = 1 << 23


def split_file(path: str | Path, parts: int) -> list[Part]:
    """Up to ``parts`` byte ranges of whole lines of an encounter file, for reading apart.

    A CSV's header is left out of every range (each reader reads it first). One part when
    the file is small, or when it is a CSV with a quote anywhere (a quoted cell could hold
    a line break, so only one reader can count its lines right).
    """
    file = Path(path)
    size = file.stat().st_size
    jsonl = is_jsonl(file)
    with file.open("rb") as handle:
        body = 0 if jsonl else len(handle.readline(MAX_LINE + 1))
        whole = [Part(body, size, 1 if jsonl else 2)]
        if parts <= 1 or size - body < MIN_SPLIT_BYTES:
            return whole
        cuts = []
        for k in range(1, parts):
            handle.seek(body + (size - body) * k // parts)
            handle.readline()
            cuts.append(handle.tell())
        handle.seek(0)
        newlines, quoted, position = 0, False, 0
        lines_at: list[int] = []
        for block in iter(lambda: handle.read(_CHUNK), b""):
            quoted = quoted or (not jsonl and b'"' in block)
            for cut in cuts[len(lines_at):]:
                if cut > position + len(block):
                    break
                lines_at.append(newlines + block.count(b"\n", 0, cut - position) + 1)
            newlines += block.count(b"\n")
            position += len(block)
    if quoted:
        return whole
    starts = [body, *cuts]
    firsts = [whole[0].first_line, *lines_at]
    ends = [*cuts, size]
    return [Part(a, b, n) for a, b, n in zip(starts, ends, firsts, strict=True) if b > a]
