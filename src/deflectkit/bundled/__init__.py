"""Data shipped inside the package: the model policy and its tests, JSON Schemas, samples.

An agency that only ran ``pip install deflectkit`` has these files, read through
:mod:`importlib.resources` (so they are found wherever the package is installed):

* :data:`MODEL_POLICY` and :data:`MODEL_POLICY_TESTS`: the model deflection policy and the
  test cases that pin its decisions;
* :data:`SAMPLE_PROVIDERS`: a folder of a few fictional providers (``sample: true``);
* :data:`SCHEMAS`: the JSON Schemas of provider, policy and policy-test files.

Each is a real :class:`~pathlib.Path`, so every loader takes it as it takes a user's file.
``deflectkit init`` copies them into a new agency project. The repository's own copies
(``data/policies/``, ``schemas/``, ``data/providers/``) are the ones contributors edit;
``make bundle`` copies them here and a test fails while the two differ.

Example:
    >>> import deflectkit as dk
    >>> dk.load_policy(dk.MODEL_POLICY).id
    'model-deflection'
    >>> len(dk.load_directory(dk.SAMPLE_PROVIDERS)) >= 3
    True
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Final

__all__ = [
    "MODEL_POLICY",
    "MODEL_POLICY_TESTS",
    "SAMPLE_PROVIDERS",
    "SCHEMAS",
    "bundled_file",
]

# Files extracted from a zipped install stay until the interpreter exits: the constants below
# must remain valid paths for as long as anyone may hold them.
_EXTRACTED = contextlib.ExitStack()
atexit.register(_EXTRACTED.close)


def bundled_file(name: str) -> Traversable:
    """The bundled file or folder ``name`` (``"policies/model-deflection.yaml"``), unread.

    Raises:
        FileNotFoundError: nothing of that name is bundled.
    """
    found = importlib.resources.files(__name__).joinpath(*name.split("/"))
    if not (found.is_file() or found.is_dir()):
        raise FileNotFoundError(f"deflectkit bundles no {name!r}")
    return found


def _real_path(name: str) -> Path:
    """A file-system path to a bundled file or folder, extracting it if it lies in a zip."""
    found = bundled_file(name)
    if isinstance(found, Path):  # the usual case: an installed wheel is plain files
        return found
    return _EXTRACTED.enter_context(importlib.resources.as_file(found))


#: The model pre-arrest deflection policy (``model-deflection.yaml``).
MODEL_POLICY: Final[Path] = _real_path("policies/model-deflection.yaml")
#: The model policy's test cases (``model-deflection.tests.yaml``), beside it.
MODEL_POLICY_TESTS: Final[Path] = _real_path("policies/model-deflection.tests.yaml")
#: A folder of a few fictional sample providers.
SAMPLE_PROVIDERS: Final[Path] = _real_path("providers")
#: The folder of JSON Schemas for provider, policy and policy-test files.
SCHEMAS: Final[Path] = _real_path("schemas")
