"""Tutorial 6: import your 211 or SAMHSA data into a provider folder.

``examples/data/FindTreatment_Facility_listing_2026_09_01_120000.csv`` is a tiny, fictional
file in the shape of SAMHSA's FindTreatment.gov facility export. This script imports it
the way ``deflectkit import samhsa FILE --out DIR`` does: read, check every record as
``deflectkit validate`` will, write one YAML file per provider atomically, then load the new
folder as a directory. An Open Referral (HSDS) file from a 211 works the same way with
:func:`deflectkit.interop.hsds_import.read_hsds`.

Run it from the repository root::

    python examples/import_data.py
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import deflectkit as dk
from deflectkit.files.provider_writer import write_providers
from deflectkit.interop.records import check_imported
from deflectkit.interop.samhsa import OWNED_KEYS, export_date_from_name, read_samhsa

DATA = Path(__file__).resolve().parent / "data"
EXPORT = DATA / "FindTreatment_Facility_listing_2026_09_01_120000.csv"
# The day of the import: a parameter, so the result never depends on the clock.
TODAY = dt.date(2026, 9, 2)


def main() -> int:
    """Import the export into a temporary provider folder and show what came in."""
    export_date = export_date_from_name(EXPORT)
    assert export_date is not None  # the file name carries it; otherwise pass it yourself
    print(f"export of {export_date}: {EXPORT.name}")

    result = read_samhsa(EXPORT, export_date=export_date, today=TODAY, display=EXPORT.name)
    result = check_imported(result, EXPORT.name, today=TODAY)
    print(f"{result.records} rows read, {len(result.providers)} providers, "
          f"{result.skipped} row(s) not imported")
    for problem in result.problems:
        print(f"  {problem.format().splitlines()[0]}")
    print()

    with tempfile.TemporaryDirectory(prefix="deflectkit-import-") as tmp:
        out = Path(tmp) / "providers"
        # owned_keys: on a later re-import with update=True, fields a person added by hand
        # (hours, intake details) are kept.
        report = write_providers(out, result.providers, owned_keys=OWNED_KEYS)
        for change in report.files:
            print(f"  {change.action}: {change.path.name}")
        print()

        # The imported folder is an ordinary provider folder: validate, load and match.
        problems = dk.check_files([out], today=TODAY)
        print(f"validate: {len(problems)} problem(s)")
        directory = dk.load_directory(out, today=TODAY)
        for provider in directory:
            services = ", ".join(provider.services)
            print(f"  {provider.slug}: {provider.name} [{services}]")
        first = next(iter(directory))
        print()
        print(f"{first.slug}.yaml:")
        print((out / f"{first.slug}.yaml").read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
