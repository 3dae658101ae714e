r"""Bring a policy or provider file to the current format by editing its text in place.

A migration inserts a line here and replaces a word there; it never dumps the YAML again, so
comments, key order, quoting and layout survive. Every edit is checked before it is kept:
the edited text is parsed again and must hold exactly the old data plus the intended change.
A layout the edit did not foresee (a flow mapping split over lines, a complex key) is refused
with a :class:`MigrationError` that says what to write by hand; it is never half-applied.

What is migrated here:

* a file that names no format gains ``schema: deflectkit/<kind>@<n>`` as its first key;
* a policy in the first format (written before ``charge:`` and ``scope:`` existed) gains
  ``scope: encounter`` on each criterion and exclusion, which is how it was always read;
  the old criterion effect ``require`` becomes ``exclude``, its meaning.

Example:
    >>> text = "# an example\nname: Example Clinic\nlocation: {timezone: America/Phoenix}\n"
    >>> print(stamp_schema(text, "x.yaml", "deflectkit/provider@1"), end="")
    # an example
    schema: deflectkit/provider@1
    name: Example Clinic
    location: {timezone: America/Phoenix}
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping
from typing import Any, Final

import yaml

from deflectkit.errors import DataError
from deflectkit.files.yamlio import (
    LINE_BREAKS,
    FieldPath,
    YamlDocument,
    format_field_path,
    parse_yaml,
)

__all__ = [
    "MigrationError",
    "is_first_format",
    "migrate_first_format",
    "scoped_rules",
    "stamp_schema",
]

#: A plain key at the start of a line; lines start after any of YAML's line breaks.
_TOP_KEY: Final = re.compile(f"(?:^|(?<=[{LINE_BREAKS}]))[A-Za-z_][\\w-]*:", re.MULTILINE)
_NEWLINE: Final = re.compile(r"\r\n?|\n")
_RULE_LISTS: Final = ("criteria", "exclusions")
#: An edit: replace ``text[start:end]`` with the string.
_Edit = tuple[int, int, str]


class MigrationError(ValueError):
    """The file cannot be migrated automatically; the message says what to do by hand."""


def scoped_rules(value: object) -> Iterator[tuple[FieldPath, Mapping[str, Any]]]:
    """``(path, rule)`` for each criterion and exclusion (the rules that take a ``scope``)."""
    eligibility = value.get("eligibility") if isinstance(value, Mapping) else None
    for name in _RULE_LISTS:
        rules = eligibility.get(name) if isinstance(eligibility, Mapping) else None
        for index, rule in enumerate(rules if isinstance(rules, list) else ()):
            if isinstance(rule, Mapping):
                yield ("eligibility", name, index), rule


def is_first_format(value: object) -> bool:
    """A policy written before ``charge:`` and ``scope:``: neither appears anywhere in it.

    Such a policy still loads and decides as it always did (every rule is about the
    encounter and no charge is ever in play); migrating it writes that down.
    """
    if not isinstance(value, Mapping) or "charge" in value:
        return False
    safety = value.get("safety")
    rules = [rule for _, rule in scoped_rules(value)]
    rules += [r for r in safety if isinstance(r, Mapping)] if isinstance(safety, list) else []
    return bool(rules) and not any("scope" in rule for rule in rules)


def stamp_schema(text: str, name: str, schema: str) -> str:
    """``text`` with ``schema: <schema>`` inserted before its first key, after any comments.

    Raises:
        MigrationError: the file is not a mapping with a plain first key, or the line
            would not read back as intended.
        DataError: the text is not YAML deflectkit reads.
    """
    bom, text = _split_bom(text)
    doc = parse_yaml(text, name)
    first = _TOP_KEY.search(text)
    if not isinstance(doc.value, dict) or first is None:
        raise MigrationError(f"found no top-level key to put the schema line before: add "
                             f"`schema: {schema}` as the first key by hand")
    line = f"schema: {schema}{_newline(text)}"
    edited = _apply(text, [(first.start(), first.start(), line)])
    return bom + _checked(edited, name, {**doc.value, "schema": schema})


def migrate_first_format(text: str, name: str) -> tuple[str, tuple[str, ...]]:
    """A first-format policy's text with its reading written down, and what changed.

    Each criterion and exclusion without a ``scope`` gains ``scope: encounter`` (first
    format only: in a current policy a missing scope is a deliberate default), and a
    criterion's ``effect: require`` becomes ``effect: exclude``. Decisions stay the same.

    Raises:
        MigrationError: an edit would not read back exactly as intended.
        DataError: the text is not YAML deflectkit reads.
    """
    bom, text = _split_bom(text)
    doc = parse_yaml(text, name)
    expected = copy.deepcopy(doc.value)
    edits: list[_Edit] = []
    changes: list[str] = []
    newline = _newline(text)  # once: it scans the whole text
    if is_first_format(doc.value):
        for path, _ in scoped_rules(doc.value):
            edits.append(_scope_edit(doc, path, text, newline))
            _at(expected, path)["scope"] = "encounter"
        changes.append(f"first format: `scope: encounter` written on {len(edits)} criteria "
                       "and exclusions (how they were always read; decisions do not change)")
    required = [p for p, rule in scoped_rules(doc.value)
                if p[1] == "criteria" and rule.get("effect") == "require"]
    for path in required:
        edits.append(_word_edit(doc, (*path, "effect"), "exclude"))
        _at(expected, path)["effect"] = "exclude"
    if required:
        criteria = "criterion" if len(required) == 1 else "criteria"
        changes.append(f"`effect: require` became `effect: exclude` on {len(required)} "
                       f"{criteria} (the same meaning: a failed criterion excludes)")
    if not edits:
        return bom + text, ()
    return bom + _checked(_apply(text, edits), name, expected), tuple(changes)


def _split_bom(text: str) -> tuple[str, str]:
    """A byte-order mark, kept aside: the parser's positions count from after it."""
    return ("\ufeff", text[1:]) if text.startswith("\ufeff") else ("", text)


def _at(value: Any, path: FieldPath) -> Any:
    for part in path:
        value = value[part]
    return value


def _newline(text: str) -> str:
    """The file's own line end (its first one), so an inserted line matches its neighbours."""
    found = _NEWLINE.search(text)
    return found.group() if found else "\n"


def _scope_edit(doc: YamlDocument, path: FieldPath, text: str, newline: str) -> _Edit:
    """Insert ``scope: encounter`` into the rule at ``path``: before its ``when`` if it can."""
    found = doc.nodes(path)
    node = found[1] if found else None
    if not isinstance(node, yaml.MappingNode):
        raise MigrationError(f"{format_field_path(path)} is not a plain mapping: add "
                             "`scope: encounter` to it by hand")
    keys = sorted((k for k, _ in node.value if isinstance(k, yaml.ScalarNode)),
                  key=lambda k: k.value != "when")  # `when` first, then file order
    if node.flow_style and keys:
        at = keys[0].start_mark.index
        return at, at, "scope: encounter, "
    for key in keys:
        if key is node.value[0][0]:
            continue  # the first key may share its line with the list's dash
        start = key.start_mark.index - key.start_mark.column  # the line, as YAML counts lines
        indent = text[start:key.start_mark.index]
        if not indent.strip(" "):
            return start, start, f"{indent}scope: encounter{newline}"
    raise MigrationError(f"{format_field_path(path)}: found no line to add `scope: encounter` on: "
                         "add it by hand")


def _word_edit(doc: YamlDocument, path: FieldPath, word: str) -> _Edit:
    found = doc.nodes(path)
    if found is None or not isinstance(found[1], yaml.ScalarNode):
        raise MigrationError(f"{format_field_path(path)}: write `{word}` here by hand")
    return found[1].start_mark.index, found[1].end_mark.index, word


def _apply(text: str, edits: list[_Edit]) -> str:
    """The edits applied in one pass, each at its offset in the original text.

    One pass, not one copy of the text per edit: a policy of thousands of rules gets
    thousands of edits (applying them one by one was quadratic, 2.9 s for 4,000 rules).
    """
    parts: list[str] = []
    at = 0
    for start, end, new in sorted(set(edits)):
        if start < at:  # two edits of one span: no layout the edits foresee does this
            raise MigrationError("two changes overlap in this file's layout; make the change "
                                 "by hand (docs/guide/versioning.md shows it)")
        parts += [text[at:start], new]
        at = end
    parts.append(text[at:])
    return "".join(parts)


def _checked(edited: str, name: str, expected: Any) -> str:
    """``edited``, if it reads back as ``expected``; otherwise nothing is kept."""
    try:
        value = parse_yaml(edited, name).value
    except DataError as exc:
        value = exc
    if value != expected:
        raise MigrationError("this file's layout is one the migration does not edit safely; "
                             "make the change by hand (docs/guide/versioning.md shows it)")
    return edited
