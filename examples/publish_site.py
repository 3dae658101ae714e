"""Tutorial 5: publish your own directory site with the MkDocs plugin and your own data.

This script makes the smallest MkDocs project an agency needs, in a temporary folder: a
``mkdocs.yml`` with ``plugins: [search, deflectkit]``, a home page, and a ``data/`` folder
with its own providers and policy (copied from ``examples/data/providers`` and
``examples/policies``). Then it runs ``mkdocs build --strict`` and lists the pages made.

Run it from the repository root::

    python examples/publish_site.py [OUT_DIR]
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

MKDOCS_YML = """\
site_name: Example Town treatment directory
theme:
  name: material
  font: false            # no Google Fonts: nothing loads from another host
plugins:
  - search
  - deflectkit:
      providers_dir: data/providers
      policies_dir: data/policies
      events_file: data/events/events.csv   # optional: no file, no measures
      edit_url_base: https://example.org/example-town/directory/edit/main/
      directory_title: Example Town treatment directory
      pagefind: false    # true (the default) also builds the provider search index
nav:
  - Home: index.md
  - Directory: directory/index.md
  - Policy: policy/index.md
"""

HOME = """\
# Example Town treatment directory

Where officers and residents of Example Town (fictional) can find treatment now.
See the [directory](directory/index.md) and the [deflection policy](policy/index.md).
"""


def make_project(root: Path) -> None:
    """Write mkdocs.yml, docs/index.md and the data folder under ``root``."""
    (root / "docs").mkdir(parents=True)
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    (root / "docs" / "index.md").write_text(HOME, encoding="utf-8")
    shutil.copytree(HERE / "data" / "providers", root / "data" / "providers")
    shutil.copytree(HERE / "policies", root / "data" / "policies")


def main() -> int:
    """Build the site; print the pages it holds; exit with mkdocs' exit code."""
    with tempfile.TemporaryDirectory(prefix="deflectkit-site-") as tmp:
        root = Path(tmp) / "project"
        make_project(root)
        out = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else root / "site"
        print("mkdocs.yml:")
        print(MKDOCS_YML)
        build = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
            cwd=root, capture_output=True, text=True, check=False,
        )
        if build.returncode != 0:
            print(build.stderr, file=sys.stderr)
            return build.returncode
        pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("index.html"))
        print(f"mkdocs build --strict: ok, {len(pages)} pages")
        for page in pages:
            if page.startswith(("directory/index", "policy/", "providers/")):
                print(f"  {page}")
        crisis = (out / "providers" / "example-town-crisis-center" / "index.html")
        if crisis.is_file():
            html = crisis.read_text(encoding="utf-8")
            print(f"provider page shows the phone: {'520-555-0150' in html}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
