"""``deflectkit init DIR``: a ready agency project, from the files shipped in the package.

Writes ``mkdocs.yml`` with the deflectkit plugin and the agency's name; ``data/providers/``
with one made-up example provider and a README for contributors; ``data/policies/`` with a
copy of the model policy (its ``id``, ``label`` and ``timezone`` set for the agency; every
comment kept) and its test cases; ``data/events/`` with an empty event log; the JSON
Schemas; ``.pre-commit-config.yaml``; a GitHub workflow that checks pull requests and
publishes the site; and a README with the commands.

Everything is worked out and checked before the first file is written, and no file is ever
overwritten: a folder that is not empty is refused unless ``--force`` is given, and even then
files that already exist are kept as they are.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import os
import re
import sys
import tempfile
import unicodedata
import zoneinfo
from collections.abc import Mapping
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Final

import attrs

from deflectkit.core.policy.expressions import suggest
from deflectkit.errors import DeflectkitError, Problem

__all__ = [
    "HELP", "Project", "add_arguments", "plan_project", "requirement", "run", "write_project",
]

HELP = "start an agency project: site, model policy, example provider, checks"

#: Two-letter codes in the ZIP table that are not a US state, district or territory
#: (military post offices and the freely associated states).
_NOT_STATES: Final = frozenset({"AA", "AE", "AP", "FM", "MH", "PW"})
_MAX_AGENCY: Final = 100
#: Where each scaffold template goes in the new project.
_TEMPLATES: Final = {
    "mkdocs.yml": "mkdocs.yml",
    "README.md": "README.md",
    "requirements.txt": "requirements.txt",
    "gitignore": ".gitignore",
    "pre-commit-config.yaml": ".pre-commit-config.yaml",
    "workflow.yml": ".github/workflows/directory.yml",
    "docs-index.md": "docs/index.md",
    "providers-README.md": "data/providers/README.md",
    "events-README.md": "data/events/README.md",
    "example-provider.yaml": "data/providers/example-recovery-center.yaml",
}


class InitError(DeflectkitError):
    """A usage error: the message is one line, shown as is, and the exit code is 2."""


@attrs.frozen
class Place:
    """Where the example provider stands: a real ZIP code's city and center in the state."""

    state: str
    city: str
    postal_code: str
    lat: str
    lon: str
    timezone: str | None
    area_code: str


@attrs.frozen
class Project:
    """The files of a new project, relative path -> text, and the names chosen for it."""

    agency: str
    policy_id: str
    timezone: str
    state: str
    files: Mapping[str, str]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``DIR``, ``--agency``, ``--timezone``, ``--state`` and ``--force``."""
    parser.add_argument("dir", type=Path, metavar="DIR", help="the folder to create")
    parser.add_argument(
        "--agency", metavar="NAME",
        help="the agency's name, for the site and the policy (default: from DIR)",
    )
    parser.add_argument(
        "--timezone", metavar="AREA/CITY",
        help="the program's IANA time zone, e.g. America/Chicago (default: the state's)",
    )
    parser.add_argument(
        "--state", metavar="XX", default="AZ",
        help="two-letter US state of the example provider (default: AZ)",
    )
    parser.add_argument(
        "--force", action="store_true",
        help="write into a folder that is not empty (existing files are still never replaced)",
    )


def run(args: argparse.Namespace) -> int:
    """Plan the project, write the files that do not exist yet, and say what to do next."""
    from importlib.metadata import version

    target: Path = args.dir
    try:
        _check_target(target, force=args.force)
        project = plan_project(
            args.agency or _agency_from_folder(target),
            state=args.state,
            timezone=args.timezone,
            today=dt.date.today(),
        )
        written, kept = write_project(project, target)
    except InitError as exc:
        print(f"deflectkit init: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"deflectkit init: error: cannot write to {target}: {exc.strerror}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps({"dir": str(target), "policy": project.policy_id,
                          "timezone": project.timezone, "written": written, "kept": kept}))
        return 0
    for name in written:
        print(f"wrote {target / name}")
    for name in kept:
        print(f"kept {target / name} (it exists; not overwritten)")
    if not _RELEASE.fullmatch(version("deflectkit")):
        print(f"\nnote: this deflectkit ({version('deflectkit')}) is a development build:"
              f" put its wheel in {target / 'wheels'} (see requirements.txt)")
    print(f"\nNext, in {target}:\n  deflectkit validate\n  deflectkit test data/policies\n"
          "  mkdocs serve")
    return 0


def _check_target(target: Path, *, force: bool) -> None:
    if target.exists() and not target.is_dir():
        raise InitError(f"{target} exists and is not a folder")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise InitError(
            f"{target} is not empty; choose a new folder, or add --force to write only the "
            "files that are missing (nothing is overwritten)"
        )


def _agency_from_folder(target: Path) -> str:
    words = re.split(r"[-_\s]+", target.resolve().name)
    return " ".join(w[:1].upper() + w[1:] for w in words if w) or "Example Agency"


def plan_project(
    agency: str, *, state: str = "AZ", timezone: str | None = None, today: dt.date
) -> Project:
    """Every file of a new project, checked, without writing anything.

    Args:
        agency: the agency's name, shown on the site and in the policy's label.
        state: the two-letter US state the example provider is placed in.
        timezone: the program's IANA time zone; ``None`` takes the state's (from its first
            ZIP code).
        today: the example provider's ``verified`` date.

    Raises:
        InitError: a bad name, state or time zone, or a bundled file that does not check.
    """
    name = _agency(agency)
    place = _place(_state(state))
    zone = _timezone(timezone or place.timezone or "")
    policy_id = f"{_slug(name)}-deflection"
    files = _templates(name, place, zone, policy_id, today)
    files.update(_policy_files(name, zone, policy_id))
    files.update(_schema_files())
    files["data/events/events.csv"] = ",".join(_event_columns()) + "\n"
    _check_provider(files["data/providers/example-recovery-center.yaml"], today)
    return Project(name, policy_id, zone, place.state, files)


def write_project(project: Project, target: Path) -> tuple[list[str], list[str]]:
    """Write each file that does not exist yet; return (written, kept) relative paths.

    Each file is written to a temporary name and linked into place, which fails rather than
    replace a file that appeared meanwhile: nothing is overwritten, nothing half-written.
    """
    written: list[str] = []
    kept: list[str] = []
    for relative, text in project.files.items():
        path = target / relative
        if path.exists() or path.is_symlink():
            kept.append(relative)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if _create(path, text):
            written.append(relative)
        else:
            kept.append(relative)
    return written, kept


def _create(path: Path, text: str) -> bool:
    """Create ``path`` holding ``text`` in one step; False if it exists already."""
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, before the link
        "w", encoding="utf-8", newline="\n", dir=path.parent, prefix=f".{path.name}.",
        suffix=".tmp", delete=False,
    )
    temporary = Path(handle.name)
    try:
        with handle:
            handle.write(text)
        temporary.chmod(0o644)
        os.link(temporary, path)  # unlike a rename, a link never replaces an existing file
    except FileExistsError:
        return False
    finally:
        temporary.unlink(missing_ok=True)
    return True


def _agency(value: str) -> str:
    name = " ".join(value.split())
    if not name:
        raise InitError("--agency is empty; give the agency's name, e.g. --agency \"Example PD\"")
    if len(name) > _MAX_AGENCY or any(unicodedata.category(c)[0] == "C" for c in name):
        raise InitError(f"--agency must be one line of at most {_MAX_AGENCY} characters")
    if "<" in name or ">" in name:
        # The theme writes site_name into <title> unescaped: no markup may get that far.
        raise InitError("--agency may not contain < or >")
    return name


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60].strip("-") or "agency"


@functools.cache
def _zip_table() -> tuple[dict[str, Any], ...]:
    import zipcodes

    rows: list[dict[str, Any]] = zipcodes.list_all()  # type: ignore[no-untyped-call]
    # Street-address ZIPs with a real center (the table lists unknown centers as 0,0).
    return tuple(z for z in rows if z.get("zip_code_type") == "STANDARD"
                 and z.get("lat") not in {None, "", "0", "0.0"})


def _state(value: str) -> str:
    code = value.strip().upper()
    states = sorted({z["state"] for z in _zip_table()} - _NOT_STATES)
    if code not in states:
        raise InitError(
            f"--state {value!r} is not a two-letter US state code{suggest(code, states)}"
        )
    return code


def _place(state: str) -> Place:
    first = min((z for z in _zip_table() if z["state"] == state), key=lambda z: z["zip_code"])
    areas = first.get("area_codes") or ["520"]
    return Place(state, first["city"].title(), first["zip_code"], f"{float(first['lat']):.4f}",
                 f"{float(first['long']):.4f}", first.get("timezone"), areas[0])


def _timezone(value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        hint = suggest(value, sorted(zoneinfo.available_timezones()))
        raise InitError(
            f"--timezone {value!r} is not an IANA time zone such as America/Chicago{hint}"
        ) from None
    return value


def _bundled(name: str) -> Traversable:
    from deflectkit.bundled import bundled_file

    return bundled_file(name)


def _templates(
    agency: str, place: Place, zone: str, policy_id: str, today: dt.date
) -> dict[str, str]:
    from importlib.metadata import version

    values = {
        "AGENCY_TEXT": agency,
        "AGENCY_YAML": json.dumps(agency, ensure_ascii=False),
        "DIRECTORY_TITLE_YAML": json.dumps(f"{agency} provider directory", ensure_ascii=False),
        "POLICY_ID": policy_id,
        "STATE_NOTE": "the Good Samaritan law, A.R.S. § 13-3423" if place.state == "AZ"
        else f"the Good Samaritan law, A.R.S. § 13-3423: put {place.state}'s in its place",
        "REQUIREMENT": requirement(version("deflectkit")),
        "TODAY": today.isoformat(),
        "AREA_CODE": place.area_code,
        "CITY_YAML": json.dumps(place.city),
        "STATE": place.state,
        "ZIP": place.postal_code,
        "LAT": place.lat,
        "LON": place.lon,
        "TIMEZONE": zone,
    }
    out: dict[str, str] = {}
    for template, target in _TEMPLATES.items():
        text = _bundled(f"scaffold/{template}").read_text(encoding="utf-8")
        out[target] = re.sub(r"@@([A-Z_]+)@@", lambda m: values[m.group(1)], text)
    return out


#: A final release as PEP 440 writes one (``1.2.0``): no pre, post, dev or local part.
_RELEASE: Final = re.compile(r"[0-9]+(?:\.[0-9]+)*")


def requirement(version: str) -> str:
    """The ``requirements.txt`` line that installs this deflectkit in a new project.

    A release comes from PyPI, with its bug-fix releases (``~=1.2.0``). A development or
    local build is on no index, so ``==0.1.0.dev0`` could never install; the line names the
    wheel in the project's ``wheels/`` folder instead (a path pip reads from the folder it
    runs in), with a comment saying how to put it there.

    Example:
        >>> requirement("1.2.0")
        'deflectkit[site]~=1.2.0'
        >>> print(requirement("0.1.0.dev0").splitlines()[-1])
        ./wheels/deflectkit-0.1.0.dev0-py3-none-any.whl[site]
    """
    if _RELEASE.fullmatch(version):
        return f"deflectkit[site]~={version}"
    wheel = f"deflectkit-{version}-py3-none-any.whl"
    return (
        f"# deflectkit {version} is a development build, on no package index: build its\n"
        "# wheel in a deflectkit checkout (python -m pip wheel --no-deps --wheel-dir dist .),\n"
        f"# copy it to wheels/{wheel} here and commit it; or replace the line\n"
        "# below with deflectkit[site]~=X.Y.Z once a release is out.\n"
        f"./wheels/{wheel}[site]"
    )


def _set_top_level(text: str, key: str, value: str) -> str:
    """Replace the value of a top-level ``key:`` line, keeping every other line and comment."""
    pattern = re.compile(rf"^{key}:[^\n]*$", re.MULTILINE)
    if not pattern.search(text):
        raise InitError(f"the bundled model policy has no top-level {key!r} line to set")
    return pattern.sub(lambda _: f"{key}: {value}", text, count=1)


def _policy_files(agency: str, zone: str, policy_id: str) -> dict[str, str]:
    from deflectkit.files.policy import policy_problems
    from deflectkit.files.yamlio import parse_yaml

    name = f"data/policies/{policy_id}.yaml"
    text = _bundled("policies/model-deflection.yaml").read_text(encoding="utf-8")
    text = _set_top_level(text, "id", policy_id)
    text = _set_top_level(text, "label", json.dumps(f"{agency} deflection policy"))
    text = _set_top_level(text, "timezone", zone)
    # Say where the copy came from, after the editor's schema line (which must stay first).
    first, _, rest = text.partition("\n")
    text = (f"{first}\n# {agency}'s copy of deflectkit's model policy, written by "
            f"`deflectkit init`: make it your program's rules.\n{rest}")
    policy, problems = policy_problems(parse_yaml(text, name))
    errors = [p for p in problems if p.is_error]
    if policy is None or errors or policy.id != policy_id or policy.timezone != zone:
        raise InitError(f"the policy for {agency!r} does not check: {_first(errors)}")
    tests = _bundled("policies/model-deflection.tests.yaml").read_text(encoding="utf-8")
    tests = tests.replace("model-deflection.yaml", f"{policy_id}.yaml")
    return {name: text, f"data/policies/{policy_id}.tests.yaml": tests}


def _first(problems: list[Problem]) -> str:
    return problems[0].format().splitlines()[0] if problems else "its id or time zone"


def _schema_files() -> dict[str, str]:
    folder = _bundled("schemas")
    return {
        f"schemas/{entry.name}": entry.read_text(encoding="utf-8")
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".json")
    }


def _event_columns() -> tuple[str, ...]:
    from deflectkit.files.events import COLUMNS

    return COLUMNS


def _check_provider(text: str, today: dt.date) -> None:
    from deflectkit.files.providers import check_provider_document
    from deflectkit.files.yamlio import parse_yaml

    doc = parse_yaml(text, "data/providers/example-recovery-center.yaml")
    _, problems = check_provider_document(doc, today=today, slug="example-recovery-center")
    errors = [p for p in problems if p.is_error]
    if errors:
        raise InitError(f"the example provider does not check: {_first(errors)}")
