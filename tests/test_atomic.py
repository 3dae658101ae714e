"""The one atomic writer: all or nothing, and nothing left behind on failure."""

from __future__ import annotations

from pathlib import Path

import pytest

from deflectkit.files.atomic import atomic_writer, write_file_atomically


def test_failure_keeps_the_old_file(tmp_path: Path) -> None:
    """An error mid-write leaves the old content and no temporary file."""
    target = tmp_path / "log.csv"
    target.write_text("old\n", encoding="utf-8")

    def half_write() -> None:
        with atomic_writer(target) as handle:
            handle.write("half")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        half_write()

    assert "old\n" == target.read_text(encoding="utf-8")
    assert ["log.csv"] == [p.name for p in tmp_path.iterdir()]


def test_text_and_bytes(tmp_path: Path) -> None:
    """Text is written as given (no newline translation); bytes as they are."""
    write_file_atomically(tmp_path / "sub" / "a.txt", "a\r\nb\n")
    write_file_atomically(tmp_path / "b.ics", b"BEGIN:VCALENDAR\r\n")

    assert b"a\r\nb\n" == (tmp_path / "sub" / "a.txt").read_bytes()
    assert b"BEGIN:VCALENDAR\r\n" == (tmp_path / "b.ics").read_bytes()
