"""Writing a file all or nothing: a temporary file beside the target, then one rename.

A rename within one folder is atomic, so a reader sees the old file or the new one, never
half of either, and a crash or an error mid-write leaves the old file as it was. Every
writer in deflectkit that replaces a file goes through :func:`atomic_writer`.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Literal

__all__ = ["atomic_writer", "default_mode", "write_file_atomically"]


def default_mode(executable: bool = False) -> int:
    """The mode a new file (or folder) gets from the process's umask."""
    # os.umask can only be read by setting it; set it straight back. Edges only.
    mask = os.umask(0o022)
    os.umask(mask)
    return (0o777 if executable else 0o666) & ~mask


@contextlib.contextmanager
def atomic_writer(
    path: str | Path,
    mode: Literal["w", "wb"] = "w",
    *,
    encoding: str = "utf-8",
    newline: str | None = "",
    parents: bool = True,
    private: bool = False,
) -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path``; on a clean exit rename it over ``path``.

    The folder is created if needed (``parents=False``: a missing folder is an
    ``OSError``, for paths a user typed). On any exception the temporary file is removed and
    ``path`` is left untouched. ``newline=""`` (the default) writes text exactly as given.
    An existing file keeps its mode; a new one gets the umask's (``0600`` when ``private``).
    When ``path`` is a link, the file it leads to is replaced and the link stays: the
    temporary file is made beside that file, so the rename never crosses file systems.

    Example:
        >>> import tempfile, pathlib
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
        >>> with atomic_writer(out) as handle:
        ...     _ = handle.write("done")
        >>> out.read_text()
        'done'
    """
    target = Path(os.path.realpath(path))
    folder = target.parent
    if parents:
        folder.mkdir(parents=True, exist_ok=True)
    try:
        file_mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        file_mode = 0o600 if private else default_mode()
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    temporary = Path(name)
    try:
        if mode == "wb":
            with os.fdopen(fd, "wb") as binary:
                yield binary
        else:
            with os.fdopen(fd, "w", encoding=encoding, newline=newline) as text:
                yield text
        temporary.chmod(file_mode)  # mkstemp makes every file 0600
        temporary.replace(target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_file_atomically(
    path: str | Path,
    data: str | bytes,
    *,
    encoding: str = "utf-8",
    parents: bool = True,
    private: bool = False,
) -> None:
    """Write ``data`` (text or bytes) to ``path`` all or nothing (see :func:`atomic_writer`).

    Exports use it so that a failed run never leaves a truncated JSON or CSV file behind.
    """
    if isinstance(data, bytes):
        with atomic_writer(path, "wb", parents=parents, private=private) as binary:
            binary.write(data)
    else:
        with atomic_writer(path, encoding=encoding, parents=parents, private=private) as text:
            text.write(data)
