"""Property tests of migrate's text edits: the edited text reads back as the old data plus
exactly the intended change, whatever the layout a contributor chose.

The generated files mix every layout the editor promises to handle: block and flow rules,
keys in any order, comments and block scalars holding the very words the edits look for
(``schema:``, ``effect: require``), quoted keys, anchors and aliases, CRLF and CR line ends,
a byte-order mark. Each one must migrate (none of these layouts is one to refuse), and the
expected data is computed here from the parsed original, independently of the editor.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deflectkit.files.migration import MigrationError, migrate_first_format, stamp_schema
from deflectkit.files.yamlio import parse_yaml

#: Text a contributor may write in a comment or a description: the words the edits seek.
TRAPS = ("schema: deflectkit/policy@1", "effect: require", "scope: charge", "when: x", "- id: y")

_trap = st.sampled_from(TRAPS)
_word = st.sampled_from(("Example", "adult", "R-1", "possession"))


@st.composite
def _label(draw: st.DrawFn, indent: str, nl: str) -> str:
    """A ``label`` value in one of YAML's styles, often holding a trap."""
    text = f"{draw(_word)} {draw(_trap)}" if draw(st.booleans()) else draw(_word)
    style = draw(st.sampled_from(("plain-word", "single", "double", "literal", "folded")))
    if style == "plain-word":
        return draw(_word)
    if style == "single":
        return "'" + text.replace("'", "''") + "'"
    if style == "double":
        return '"' + text + '"'
    marker = "|" if style == "literal" else ">-"
    return f"{marker}{nl}{indent}  {text}{nl}{indent}  # not a comment: {draw(_trap)}"


@st.composite
def _rule(draw: st.DrawFn, index: int, nl: str) -> str:
    """One criterion or exclusion as a list item (block or flow), without ``scope``."""
    effect = draw(st.sampled_from((None, "require", "exclude", '"require"', "'require'")))
    key = draw(st.sampled_from(("id", '"id"')))
    if draw(st.booleans()):  # a flow mapping on one line
        parts = [f"{key}: R{index}", "when: {fact: a, op: eq, value: true}"]
        if effect:
            parts.append(f"effect: {effect}")
        order = draw(st.permutations(parts[1:]))
        return "    - {" + ", ".join([parts[0], *order]) + "}" + nl
    body = ["when: {fact: a, op: eq, value: true}", f"label: {draw(_label('      ', nl))}"]
    if effect:
        body.append(f"effect: {effect}")
    lines = [f"    - {key}: R{index}"]
    for entry in draw(st.permutations(body)):
        if draw(st.booleans()):
            lines.append(f"      # {draw(_trap)}")
        lines.append(f"      {entry}")
    return nl.join(lines) + nl


@st.composite
def first_format_policies(draw: st.DrawFn) -> str:
    """The text of a first-format policy in a generated layout."""
    nl = draw(st.sampled_from(("\n", "\r\n", "\r")))
    head = [f"# {draw(_trap)}", "schema: deflectkit/policy@1", "id: example/p"]
    rules = [draw(_rule(i, nl)) for i in range(draw(st.integers(1, 4)))]
    # An anchored rule, used again as an exclusion (not one saying `require`: the word is
    # changed on criteria only, and one node cannot say both; that layout is refused, below).
    if "require" not in rules[0] and draw(st.booleans()):
        flow = rules[0].startswith("    - {")
        anchor = "    - &first " if flow else f"    - &first{nl}      "
        rules[0] = rules[0].replace("    - ", anchor, 1)
    exclusions = ["    - *first" + nl] if "&first" in rules[0] else []
    exclusions += [draw(_rule(9 + i, nl)) for i in range(draw(st.integers(0, 2)))]
    text = nl.join(head) + nl + "eligibility:" + nl + "  criteria:" + nl + "".join(rules)
    if exclusions:
        text += "  exclusions:" + nl + "".join(exclusions)
    text += f"notes: |{nl}  {draw(_trap)}{nl}"
    return ("\ufeff" if draw(st.booleans()) else "") + text


def _expected_policy(value: dict[str, Any]) -> dict[str, Any]:
    """The old data with every rule's reading written down, computed without the editor."""
    out = copy.deepcopy(value)
    for name in ("criteria", "exclusions"):
        for rule in out["eligibility"].get(name) or ():
            rule["scope"] = "encounter"
            if name == "criteria" and rule.get("effect") == "require":
                rule["effect"] = "exclude"
    return out


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first_format_policies())
def test_a_first_format_policy_migrates_to_exactly_the_old_data_plus_the_change(
    text: str,
) -> None:
    old = parse_yaml(text, "p.yaml").value
    new_text, changes = migrate_first_format(text, "p.yaml")

    assert changes
    assert _expected_policy(old) == parse_yaml(new_text, "p.yaml").value
    assert new_text.startswith("\ufeff") == text.startswith("\ufeff")
    # Only lines were added or words changed: every comment survives, in order.
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    assert comments == [line for line in new_text.splitlines() if line.lstrip().startswith("#")]
    assert (new_text, ()) == migrate_first_format(new_text, "p.yaml")  # and it is now current


def test_a_shared_rule_saying_require_is_refused_not_half_edited() -> None:
    text = ("schema: deflectkit/policy@1\neligibility:\n  criteria:\n    - &r\n      id: R0\n"
            "      when: {fact: a, op: eq, value: true}\n      effect: require\n"
            "  exclusions:\n    - *r\n")

    with pytest.raises(MigrationError, match="make the change by hand"):
        migrate_first_format(text, "p.yaml")


@st.composite
def unversioned_providers(draw: st.DrawFn) -> str:
    """A provider file without ``schema:``, comments and traps above and among its keys."""
    nl = draw(st.sampled_from(("\n", "\r\n", "\r")))
    lines = [f"# {draw(_trap)}" for _ in range(draw(st.integers(0, 2)))]
    if draw(st.booleans()):
        lines.append("---")
    keys = [
        f"name: {draw(_label('', nl))}",
        "location: {timezone: America/Phoenix}",
        f"description: |{nl}  {draw(_trap)}{nl}  schema: deflectkit/provider@1",
    ]
    if draw(st.booleans()):  # a quoted first key: the line goes before the next plain one
        keys[0] = '"name": Example'
    lines += keys
    return ("\ufeff" if draw(st.booleans()) else "") + nl.join(lines) + nl


@settings(max_examples=300, deadline=None)
@given(unversioned_providers())
def test_a_provider_gains_exactly_its_schema_line(text: str) -> None:
    old = parse_yaml(text, "x.yaml").value
    new_text = stamp_schema(text, "x.yaml", "deflectkit/provider@1")

    assert {**old, "schema": "deflectkit/provider@1"} == parse_yaml(new_text, "x.yaml").value
    assert len(new_text.splitlines()) == len(text.splitlines()) + 1


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first_format_policies())
def test_migrate_shows_a_diff_as_small_as_difflibs(text: str) -> None:
    """The one-pass diff of a migration rebuilds the new text and changes no more lines.

    It need not be difflib's own (which is quadratic in edits): where rules repeat lines,
    difflib may pair a rule's lines with the next rule's and show a long block removed and
    added again, while the one-pass diff shows each edit where it is.
    """
    import difflib

    from deflectkit.cli.migrate import unified_diff

    new_text, _ = migrate_first_format(text, "p.yaml")
    old, new = text.splitlines(keepends=True), new_text.splitlines(keepends=True)
    ours = list(unified_diff(old, new, "p.yaml"))
    theirs = list(difflib.unified_diff(old, new, "p.yaml", "p.yaml", n=1))

    def changed(diff: list[str]) -> int:
        return sum(1 for line in diff[2:] if line[:1] in ("+", "-"))

    assert new == _patched(old, ours)
    assert ours[:2] == theirs[:2]
    assert changed(ours) <= changed(theirs)


@given(st.lists(st.sampled_from("abc\n"), max_size=12),
       st.lists(st.sampled_from("abc\n"), max_size=12))
def test_any_change_gives_a_diff_that_rebuilds_the_new_version(
    old: list[str], new: list[str]
) -> None:
    """Not only a migration's edits: the diff of any two texts is correct (if longer)."""
    from deflectkit.cli.migrate import unified_diff

    assert new == _patched(old, list(unified_diff(old, new, "f")))


def _patched(old: list[str], diff: list[str]) -> list[str]:
    """``old`` with a unified diff applied, hunk by hunk, checking each context line."""
    import re

    out: list[str] = []
    at = 0  # the next old line not yet copied
    for line in diff[2:]:
        header = re.fullmatch(r"@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@\n", line)
        if header is not None:
            start = int(header[1]) - (1 if header[2] != "0" else 0)
            out += old[at:start]
            at = start
        elif line[0] == "+":
            out.append(line[1:])
        else:  # a context or removed line: it must be the old one
            assert old[at] == line[1:]
            if line[0] == " ":
                out.append(line[1:])
            at += 1
    return out + old[at:]
