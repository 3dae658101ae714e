"""Hostile inputs, one builder per class of attack: each writes its file(s) under a folder.

A builder returns the path a command is pointed at. Inputs are generated, not stored:
several are large (a megabyte on one line), some cannot live in git (a FIFO, a link to
``/etc/passwd``, a file name holding an escape sequence).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

#: A secret a hostile link points at: no command may ever print it.
SECRET = "EXAMPLE-SECRET-CONTENT-0xDEADBEEF"

Builder = Callable[[Path], Path]

PROVIDER = "name: Example Clinic\nlocation: {timezone: America/Phoenix}\n"


def _write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


# --- YAML (providers, policies, facts, policy tests) ----------------------------------------


def alias_bytes(folder: Path) -> Path:
    """#3: a 100,000-character value repeated by 1,000 aliases (400 MB printed, 29 s)."""
    lines = ["name: &n " + "x" * 100_000, "location: {timezone: America/Phoenix}", "notes:"]
    lines += ["  - *n"] * 1_000
    return _write(folder, "example-alias-bytes.yaml", "\n".join(lines) + "\n")


def billion_laughs(folder: Path) -> Path:
    """Nested aliases: nine levels of ten make a billion nodes."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return _write(folder, "example-laughs.yaml", "\n".join(lines) + "\n")


def deep_yaml(folder: Path) -> Path:
    """#9: lists nested 999 levels deep (RecursionError)."""
    return _write(folder, "example-deep.yaml", "name: " + "[" * 999 + "]" * 999 + "\n")


def python_tag_mapping(folder: Path) -> Path:
    """#15: a Python tag on a mapping (silently read as a mapping before)."""
    text = PROVIDER + "intake: !!python/object:subprocess.Popen {args: [id]}\n"
    return _write(folder, "example-tag-mapping.yaml", text)


def python_tag_sequence(folder: Path) -> Path:
    """#15: a Python tag on a sequence."""
    text = PROVIDER + "services: !!python/object/apply:os.system [echo pwned]\n"
    return _write(folder, "example-tag-sequence.yaml", text)


def utf16(folder: Path) -> Path:
    """UTF-16 text (was "contains a NUL byte")."""
    return _write(folder, "example-utf16.yaml", PROVIDER.encode("utf-16"))


def nul_byte(folder: Path) -> Path:
    return _write(folder, "example-nul.yaml", PROVIDER.encode() + b"notes: a\x00b\n")


def invalid_utf8(folder: Path) -> Path:
    return _write(folder, "example-latin1.yaml", PROVIDER.encode() + b"notes: caf\xe9\n")


def escape_in_name(folder: Path) -> Path:
    """#7: a file name that clears the screen and forges a CI annotation."""
    return _write(folder, "example-\x1b[2J\r::error ::forged.yaml", "name: [\n")


def escape_in_key(folder: Path) -> Path:
    """#7: a key and a value holding escape sequences (double-quoted YAML escapes)."""
    text = PROVIDER + '"\\e[2Jkey\\n::error file=x::forged": 1\nnotes: "\\e]0;title\\a"\n'
    return _write(folder, "example-escape-key.yaml", text)


def long_line(folder: Path) -> Path:
    """#3: one 900,000-character unknown key: never repeated whole in a message."""
    return _write(folder, "example-long-line.yaml", PROVIDER + "k" * 900_000 + ": 1\n")


def big_integer(folder: Path) -> Path:
    """#11: a 5,000-digit whole number."""
    return _write(folder, "example-big-int.yaml", PROVIDER + "ages: {min: " + "9" * 5_000 + "}\n")


def nan_coordinates(folder: Path) -> Path:
    """#1: NaN and infinity where numbers enter through a provider file."""
    text = (
        "name: Example Clinic\n"
        "location: {timezone: America/Phoenix, coordinates: {lat: .nan, lon: -.inf}}\n"
        "intake: {officer_minutes: .nan}\nages: {min: -3}\n"
    )
    return _write(folder, "example-nan.yaml", text)


def too_big(folder: Path) -> Path:
    return _write(folder, "example-too-big.yaml", PROVIDER + "# " + "x" * 1_100_000 + "\n")


def fifo(folder: Path) -> Path:
    """#13: a FIFO named *.yaml: opening it for reading blocks until a writer comes."""
    path = folder / "example-fifo.yaml"
    folder.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    return path


def link_outside(folder: Path) -> Path:
    """#6: a provider file that is a link to a file outside the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    outside = folder.parent / "outside-secret.txt"
    outside.write_text(f"root:x:0:0:{SECRET}:/root:/bin/sh\n", encoding="utf-8")
    link = folder / "example-link.yaml"
    link.symlink_to(outside)
    return link


def staging_leftover(folder: Path) -> Path:
    """#12: the hidden staging folder a killed import leaves, holding a broken file."""
    _write(folder, "example-clinic.yaml", PROVIDER)
    _write(folder.parent / f".{folder.name}.import-dead", "example-clinic.yaml", "name: [\n")
    _write(folder / ".providers.import-dead", "example-clinic.yaml", "name: [\n")
    return _write(folder, "example-broken.yaml", "name: [\n")


def duplicate_keys(folder: Path) -> Path:
    return _write(folder, "example-dup.yaml", PROVIDER + "name: Other\n")


def impossible_date(folder: Path) -> Path:
    return _write(folder, "example-date.yaml", PROVIDER + "verified: 2026-02-30\n")


def many_keys(folder: Path) -> Path:
    """30,000 unknown keys: each problem's position was found by scanning every key (134 s)."""
    lines = [PROVIDER.rstrip("\n")] + [f"unknown_{i}: 1" for i in range(30_000)]
    return _write(folder, "example-many-keys.yaml", "\n".join(lines) + "\n")


YAML_INPUTS: dict[str, Builder] = {
    "alias_bytes": alias_bytes,
    "billion_laughs": billion_laughs,
    "deep_yaml": deep_yaml,
    "python_tag_mapping": python_tag_mapping,
    "python_tag_sequence": python_tag_sequence,
    "utf16": utf16,
    "nul_byte": nul_byte,
    "invalid_utf8": invalid_utf8,
    "escape_in_name": escape_in_name,
    "escape_in_key": escape_in_key,
    "long_line": long_line,
    "big_integer": big_integer,
    "nan_coordinates": nan_coordinates,
    "too_big": too_big,
    "fifo": fifo,
    "link_outside": link_outside,
    "duplicate_keys": duplicate_keys,
    "impossible_date": impossible_date,
    "many_keys": many_keys,
}


# --- policies: the values ``migrate`` and the policy readers quote -------------------------

#: A first-format policy (no ``charge:``, no ``scope:``): ``migrate`` would edit it.
FIRST_FORMAT_POLICY = """schema: deflectkit/policy@1
id: example/hostile
label: Example hostile policy
timezone: America/Phoenix
effective: {from: 2025-01-01}
facts:
  age: {type: int}
eligibility:
  criteria:
    - id: C-AGE
      label: Adult
      reason: UNDER_AGE
      cite: [{title: Example order}]
      when: {fact: age, op: ge, value: 18}
"""


def _policy(folder: Path, name: str, text: str) -> Path:
    """Policies are read as policies from a ``policies`` folder (beside ``folder``)."""
    return _write(folder.parent / "policies", name, text)


def policy_long_schema(folder: Path) -> Path:
    """A 500,000-character ``schema:`` value: ``migrate`` printed it whole (500 KB)."""
    text = FIRST_FORMAT_POLICY.replace("deflectkit/policy@1", "x" * 500_000)
    return _policy(folder, "example-long-schema.yaml", text)


def policy_schema_aliases(folder: Path) -> Path:
    """A ``schema:`` list of 30 aliases to a 100,000-character value (3 MB once expanded)."""
    text = FIRST_FORMAT_POLICY.replace(
        "schema: deflectkit/policy@1\n",
        "x-long: &v " + "y" * 100_000 + "\nschema: [" + ", ".join(["*v"] * 30) + "]\n")
    return _policy(folder, "example-schema-aliases.yaml", text)


def policy_schema_deep(folder: Path) -> Path:
    """A ``schema:`` value nested 90 levels deep (under the depth limit) and escapes."""
    text = FIRST_FORMAT_POLICY.replace(
        "deflectkit/policy@1", "[" * 90 + '"\\e[2J\\u202e"' + "]" * 90)
    return _policy(folder, "example-schema-deep.yaml", text)


def policy_misspelt_facts(folder: Path) -> Path:
    """3,000 declared facts and 3,000 misspelt references to them: each "did you mean"
    compared the name with every fact (quadratic: 4 minutes to validate)."""
    facts = "".join(f"  fact_number_{i}: {{type: bool}}\n" for i in range(3_000))
    rules = "".join(f"    - {{id: C{i}, label: l, reason: R, cite: [{{title: t}}], "
                    f"when: {{fact: fact_numbr_{i}x, op: eq, value: true}}}}\n"
                    for i in range(3_000))
    text = FIRST_FORMAT_POLICY.replace("  age: {type: int}\n", facts).replace(
        "eligibility:\n  criteria:\n", "eligibility:\n  criteria:\n" + rules)
    return _policy(folder, "example-misspelt-facts.yaml", text)


POLICY_INPUTS: dict[str, Builder] = {
    "policy_misspelt_facts": policy_misspelt_facts,
    "policy_long_schema": policy_long_schema,
    "policy_schema_aliases": policy_schema_aliases,
    "policy_schema_deep": policy_schema_deep,
}


def long_context_line(folder: Path) -> Path:
    """A valid provider without ``schema:`` under a 900,000-character comment line: the
    line is context in ``migrate``'s diff, which printed it whole."""
    return _write(folder, "example-long-context.yaml", "# " + "x" * 900_000 + "\n" + PROVIDER)


# --- HSDS -----------------------------------------------------------------------------------


def _service(**extra: object) -> dict[str, object]:
    return {"id": "s1", "name": "Example Feed Clinic", "status": "active", **extra}


def hsds_deep(folder: Path) -> Path:
    """#9: JSON with 5,000 '['."""
    return _write(folder, "deep.json", "[" * 5_000 + "]" * 5_000)


def hsds_nan(folder: Path) -> Path:
    text = '{"services": [{"id": "s1", "name": "X", "minimum_age": NaN}]}'
    return _write(folder, "nan.json", text)


def hsds_big_integer(folder: Path) -> Path:
    return _write(folder, "bigint.json", '{"services": [{"id": "s1", "name": "X", "minimum_age": '
                  + "9" * 5_000 + "}]}")


def hsds_hours_redos(folder: Path) -> Path:
    """#5: free-text hours that took 18 s with a quadratic pattern (minutes at this size)."""
    package = folder / "redos"
    _write(package, "datapackage.json", json.dumps({"resources": []}))
    _write(package, "services.csv", "id,name,status\ns1,Example Feed Clinic,active\n")
    text = "1" + " " * 100_000 + "x"  # under the CSV reader's field limit (131,072)
    _write(package, "regular_schedules.csv", f'service_id,original_text\ns1,"{text}"\n')
    return package / "datapackage.json"


def hsds_resource_outside(folder: Path) -> Path:
    """#8: a data-package table path that leads out of the package."""
    package = folder / "package"
    folder.mkdir(parents=True, exist_ok=True)
    outside = folder / "outside.csv"
    outside.write_text(f"id,name\n1,{SECRET}\n", encoding="utf-8")
    meta = {"resources": [{"name": "service", "path": "../outside.csv"}]}
    return _write(package, "datapackage.json", json.dumps(meta))


def hsds_resource_absolute(folder: Path) -> Path:
    meta = {"resources": [{"name": "service", "path": "/etc/passwd"}]}
    return _write(folder / "abs", "datapackage.json", json.dumps(meta))


def hsds_extra_fields(folder: Path) -> Path:
    """A row with more fields than the header (a list value crashed the reader)."""
    package = folder / "extra"
    _write(package, "datapackage.json", json.dumps({"resources": []}))
    _write(package, "services.csv", "id,name\ns1,Example,extra,more\n")
    return package / "datapackage.json"


def hsds_unclosed_quote(folder: Path) -> Path:
    package = folder / "quote"
    _write(package, "datapackage.json", json.dumps({"resources": []}))
    _write(package, "services.csv", 'id,name\ns1,"Example\ns2,Other\n')
    return package / "datapackage.json"


def hsds_takeover(folder: Path) -> Path:
    """#2: a feed asking for the slug of a hand-written provider, imported with --update."""
    attribute = {
        "taxonomy_term": {"code": "field:slug", "taxonomy": "deflectkit",
                          "name": "slug"},
        "value": "example-night-clinic",
    }
    feed = {"id": "o1", "name": "Example Org", "services": [
        _service(attributes=[attribute], url="https://example.org/evil")]}
    return _write(folder, "feed.json", json.dumps(feed))


def hsds_no_id(folder: Path) -> Path:
    """#11: tables without an id column (a KeyError before); services still import."""
    package = folder / "noid"
    _write(package, "datapackage.json", json.dumps({"resources": []}))
    _write(package, "organizations.csv", "name\nExample Org\n")
    _write(package, "locations.csv", "name\nExample Place\n")
    _write(package, "services.csv", "name,status\nExample Feed Clinic,active\n")
    return package / "datapackage.json"


HSDS_INPUTS: dict[str, Builder] = {
    "hsds_deep": hsds_deep,
    "hsds_nan": hsds_nan,
    "hsds_big_integer": hsds_big_integer,
    "hsds_resource_outside": hsds_resource_outside,
    "hsds_resource_absolute": hsds_resource_absolute,
    "hsds_extra_fields": hsds_extra_fields,
    "hsds_unclosed_quote": hsds_unclosed_quote,
    "hsds_no_id": hsds_no_id,
    "hsds_fifo": lambda folder: _fifo_named(folder, "feed.json"),
    "hsds_link_outside": lambda folder: _link_named(folder, "feed.json"),
}


# --- SAMHSA CSV -----------------------------------------------------------------------------

SAMHSA_HEADER = "name1,city,state,zip,latitude,longitude\n"


def samhsa_unclosed_quote(folder: Path) -> Path:
    text = SAMHSA_HEADER + '"Example Clinic,Tucson,AZ,85701,32.2,-110.9\nOther,Tucson,AZ,85701,,\n'
    return _write(folder, "samhsa_2025-01-01.csv", text)


def samhsa_nan(folder: Path) -> Path:
    text = SAMHSA_HEADER + "Example Clinic,Tucson,AZ,85701,nan,inf\n"
    return _write(folder, "samhsa_2025-01-01.csv", text)


def samhsa_utf16(folder: Path) -> Path:
    text = SAMHSA_HEADER + "Example Clinic,Tucson,AZ,85701,,\n"
    return _write(folder, "samhsa_2025-01-01.csv", text.encode("utf-16"))


SAMHSA_INPUTS: dict[str, Builder] = {
    "samhsa_unclosed_quote": samhsa_unclosed_quote,
    "samhsa_nan": samhsa_nan,
    "samhsa_utf16": samhsa_utf16,
    "samhsa_fifo": lambda folder: _fifo_named(folder, "samhsa_2025-01-01.csv"),
}


# --- policy facts (read by assess; the checks belong to the policy engine) ------------------

FACTS_HEAD = "contact_type: patrol\nage: 30\noffenses: [drug_possession]\n"

FACTS_INPUTS: dict[str, Builder] = {
    "facts_year_one": lambda folder: _write(
        folder, "facts.yaml", "contact_at: 0001-01-01T00:00+14:00\n" + FACTS_HEAD),
    "facts_year_max": lambda folder: _write(
        folder, "facts.yaml", "contact_at: 9999-12-31T23:59:59-12:00\n" + FACTS_HEAD),
    "facts_nan_amount": lambda folder: _write(
        folder, "facts.yaml",
        "contact_at: 2025-03-01T10:00:00-07:00\n" + FACTS_HEAD + "drug_amount_grams: .nan\n"),
}


# --- policies with a follow-up plan out of range (checked by the follow-up plan's reader) -----

MODEL_POLICY = Path(__file__).resolve().parents[2] / "data" / "policies" / "model-deflection.yaml"


def _model_with(folder: Path, old: str, new: str) -> Path:
    text = MODEL_POLICY.read_text(encoding="utf-8")
    assert old in text, old
    return _write(folder, "example-policy.yaml", text.replace(old, new))


FOLLOW_UP_INPUTS: dict[str, Builder] = {
    "plan_checkpoint_huge": lambda folder: _model_with(
        folder, "checkpoints_days: [1, 7, 30, 90, 180]", "checkpoints_days: [1000000000]"),
    "plan_window_huge": lambda folder: _model_with(
        folder, "attempt_window_hours: 72", "attempt_window_hours: 100000000000"),
}


# --- event logs (read by measures; the reader belongs to files/events.py) --------------------

EVENT_HEADER = "event_id,at,referral_id,type,pathway,officer_hash,provider_id,detail\n"

EVENT_INPUTS: dict[str, Builder] = {
    "events_unclosed_quote": lambda folder: _write(
        folder, "events.csv",
        EVENT_HEADER + 'e1,2025-01-01T16:08:00-07:00,"r1,encounter_assessed,,,,\n'
        + "e2,2025-01-01T16:09:00-07:00,r2,encounter_assessed,,,,\n"),
    "events_jsonl_duplicate_key": lambda folder: _write(
        folder, "events.jsonl",
        '{"event_id": "e1", "event_id": "e2", "at": "2025-01-01T16:08:00-07:00", '
        '"referral_id": "r1", "type": "encounter_assessed"}\n'),
    "events_utf16": lambda folder: _write(folder, "events.csv", EVENT_HEADER.encode("utf-16")),
    "events_fifo": lambda folder: _fifo_named(folder, "events.csv"),
    "events_deep_jsonl": lambda folder: _write(folder, "events.jsonl", "[" * 5_000 + "\n"),
}


def _fifo_named(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    os.mkfifo(path)
    return path


def _link_named(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    outside = folder.parent / "outside-secret.txt"
    outside.write_text(f"{SECRET}\n", encoding="utf-8")
    link = folder / name
    link.symlink_to(outside)
    return link
