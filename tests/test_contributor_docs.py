"""The contributor guide's examples are real: they run, and their output is pasted as is."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from deflectkit.cli import main
from deflectkit.files.providers import check_provider_document
from deflectkit.files.validation import validate_counting
from deflectkit.files.yamlio import parse_yaml

ROOT = Path(__file__).resolve().parent.parent
CONTRIBUTING = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
INDEX = (ROOT / "docs" / "contributing" / "index.md").read_text(encoding="utf-8")
VALIDATION = (ROOT / "docs" / "contributing" / "validation.md").read_text(encoding="utf-8")
SCHEMA_LINE = "# yaml-language-server: $schema=../../schemas/provider.schema.json"


def blocks(markdown: str, language: str) -> list[str]:
    """The fenced code blocks of ``language``, with list indentation removed."""
    found = re.findall(rf"^( *)```{language}\n(.*?)^\1```", markdown, re.MULTILINE | re.DOTALL)
    return [
        "\n".join(line[len(indent) :] for line in body.splitlines()) + "\n"
        for indent, body in found
    ]


def section(markdown: str, title: str) -> str:
    """The text of one ``## title`` section."""
    start = markdown.index(f"## {title}\n")
    end = markdown.find("\n## ", start + 1)
    return markdown[start : end if end > 0 else None]


def test_guides_link_to_each_other() -> None:
    """CONTRIBUTING.md and the contributor pages point at each other, with a contact."""
    assert "docs/contributing/index.md" in CONTRIBUTING
    assert "CONTRIBUTING.md" in INDEX
    assert "directory@example.org" in CONTRIBUTING
    assert "directory@example.org" in INDEX


def test_minimal_example_is_valid_and_marked_sample() -> None:
    """The smallest valid file has the schema line and ``sample: true``, and is valid."""
    minimal = blocks(section(INDEX, "Add a provider"), "yaml")[0]

    assert minimal.startswith(SCHEMA_LINE + "\n")
    assert "\nsample: true\n" in minimal
    _, problems = check_provider_document(parse_yaml(minimal, "example.yaml"), today=None)
    assert [] == problems


def test_browser_template_is_valid() -> None:
    """The template to paste in the browser walk-through is a valid provider file."""
    walk_through = section(INDEX, "Add a provider in the browser")
    [template] = blocks(walk_through, "yaml")

    assert "Add file → Create new file" in walk_through
    assert "wait until a maintainer approves" in walk_through
    assert template.startswith(SCHEMA_LINE + "\n")
    _, problems = check_provider_document(
        parse_yaml(template, "example-recovery-center.yaml"), today=dt.date(2026, 12, 1)
    )
    assert [] == problems


def test_file_count_is_current() -> None:
    """CONTRIBUTING.md quotes the summary line ``deflectkit validate`` prints for data/."""
    checked, problems = validate_counting([ROOT / "data"], today=dt.date(2026, 12, 1))
    warnings = sum(not p.is_error for p in problems)

    assert f"`{checked} files checked: 0 errors, {warnings} warnings`" in CONTRIBUTING


def test_validation_page_output_is_real(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The messages on validation.md are what the validator prints for the file shown."""
    [output] = blocks(VALIDATION, "text")[:1]
    [example] = blocks(VALIDATION, "yaml")
    (tmp_path / "data" / "providers").mkdir(parents=True)
    (tmp_path / "data" / "providers" / "example-clinic.yaml").write_text(example)
    monkeypatch.chdir(tmp_path)

    main(["validate", "data", "--today", "2026-12-01", "--no-snippets"])

    assert output == capsys.readouterr().out


@pytest.mark.parametrize(
    ("hours", "shown"),
    [
        ({"mon-thu": "08:00-17:00", "fri": "08:00-12:00"}, 'fri: "08:00-12:00"'),
        (
            {"mon-fri": "08:00-17:00", "closed": ["2026-11-26", "2026-12-25", "2027-01-01"]},
            "closed: [2026-11-26, 2026-12-25, 2027-01-01]",
        ),
        ({"fri": "18:00-24:00", "sat": "00:00-06:00"}, 'sat: "00:00-06:00"'),
        ({"daily": "24h", "closed": ["2026-12-25"]}, "daily: 24h"),
    ],
)
def test_documented_hours_are_valid(hours: dict[str, object], shown: str) -> None:
    """Each hours example CONTRIBUTING.md gives is there, and reads (not as 24/7)."""
    from deflectkit.core.hours import parse_hours

    assert shown in CONTRIBUTING[CONTRIBUTING.index("### Hours") :]
    assert not parse_hours(hours).always


def test_every_field_example_is_valid_and_names_its_format() -> None:
    """CONTRIBUTING's annotated file is a valid provider and carries the format line."""
    example = blocks(section(CONTRIBUTING, "Every field, with an example"), "yaml")[0]

    assert example.splitlines()[1].startswith("schema: deflectkit/provider@1 ")
    _, problems = check_provider_document(
        parse_yaml(example, "example-recovery-center-downtown.yaml"), today=None)
    assert [] == problems
