"""Output files are written all at once, and never over an existing learner file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from workbook import files


def test_write_atomic_replaces_in_one_step(tmp_path: Path):
    target = tmp_path / "grades.csv"
    target.write_bytes(b"old")
    files.write_atomic(target, b"new contents")
    assert target.read_bytes() == b"new contents"
    assert os.listdir(tmp_path) == ["grades.csv"]


def test_write_atomic_leaves_the_old_file_when_writing_fails(tmp_path: Path, monkeypatch):
    target = tmp_path / "grades.csv"
    target.write_bytes(b"old")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "replace", broken_replace)
    with pytest.raises(OSError):
        files.write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["grades.csv"]


def test_write_new_refuses_existing_files(tmp_path: Path):
    target = tmp_path / "mine.yaml"
    files.write_new(target, b"first")
    with pytest.raises(FileExistsError):
        files.write_new(target, b"second")
    assert target.read_bytes() == b"first"
    assert os.listdir(tmp_path) == ["mine.yaml"]


def test_write_new_into_missing_folder_is_an_os_error(tmp_path: Path):
    with pytest.raises(OSError):
        files.write_new(tmp_path / "nope" / "x.yaml", b"x")


def test_atomic_stream_keeps_the_old_file_when_the_writer_fails(tmp_path: Path):
    target = tmp_path / "results.json"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), files.atomic_stream(target) as stream:
        stream.write(b"half of the new")
        raise RuntimeError("interrupted")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["results.json"]
    with files.atomic_stream(target) as stream:
        stream.write(b"new")
    assert target.read_bytes() == b"new"


def test_write_many_writes_each_file_and_leaves_no_temporaries(tmp_path: Path):
    (tmp_path / "old.md").write_text("stale")
    names = files.write_many(tmp_path, [("a.md", b"A"), ("old.md", b"new"), ("b.html", b"B")])
    assert names == ["a.md", "old.md", "b.html"]
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == {
        "a.md": b"A", "old.md": b"new", "b.html": b"B"}


def test_write_many_keeps_the_old_file_when_a_rename_fails(tmp_path: Path, monkeypatch):
    (tmp_path / "a.md").write_bytes(b"old")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "replace", broken_replace)
    with pytest.raises(OSError):
        files.write_many(tmp_path, [("a.md", b"new")])
    assert os.listdir(tmp_path) == ["a.md"] and (tmp_path / "a.md").read_bytes() == b"old"


def test_outputs_get_the_mode_an_ordinary_file_would(tmp_path):
    """Issue 14: reports renamed into place kept mkstemp's 0600, unreadable to others."""
    import os
    import stat

    from workbook.files import atomic_stream, write_atomic, write_many

    ordinary = tmp_path / "ordinary"
    ordinary.write_bytes(b"x")
    expected = stat.S_IMODE(ordinary.stat().st_mode)
    write_atomic(tmp_path / "a.csv", b"a")
    with atomic_stream(tmp_path / "b.json") as stream:
        stream.write(b"b")
    write_many(tmp_path, [("c.md", b"c")])
    for name in ("a.csv", "b.json", "c.md"):
        assert stat.S_IMODE(os.stat(tmp_path / name).st_mode) == expected, name
