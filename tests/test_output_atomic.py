"""Plan folders are replaced atomically; a failed write leaves the earlier plan intact."""

import os
import stat

import pytest

from routeopt.errors import InputError
from routeopt.output import atomic
from routeopt.output.atomic import write_file, write_folder


def test_writes_every_file(tmp_path):
    out = write_folder(tmp_path / "plan", {"summary.json": b"{}", "a.csv": b"x"})
    assert sorted(p.name for p in out.iterdir()) == ["a.csv", "summary.json"]


def test_replaces_an_earlier_plan_completely(tmp_path):
    write_folder(tmp_path / "plan", {"summary.json": b"old", "old.csv": b"x"})
    write_folder(tmp_path / "plan", {"summary.json": b"new"})
    assert [p.name for p in (tmp_path / "plan").iterdir()] == ["summary.json"]
    assert (tmp_path / "plan" / "summary.json").read_bytes() == b"new"


def test_failure_while_writing_leaves_the_earlier_plan_intact(tmp_path, monkeypatch):
    write_folder(tmp_path / "plan", {"summary.json": b"old"})

    def broken_fsync(fd):
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="disk full"):
        write_folder(tmp_path / "plan", {"summary.json": b"new"})
    assert (tmp_path / "plan" / "summary.json").read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["plan"]  # no temporary folder left behind


def test_interrupt_while_writing_leaves_the_earlier_plan_intact(tmp_path, monkeypatch):
    write_folder(tmp_path / "plan", {"summary.json": b"old"})

    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_folder(tmp_path / "plan", {"summary.json": b"new"})
    assert (tmp_path / "plan" / "summary.json").read_bytes() == b"old"


def test_refuses_to_replace_a_folder_that_is_not_a_plan(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "thesis.docx").write_bytes(b"precious")
    with pytest.raises(InputError, match="not a routeopt plan folder"):
        write_folder(tmp_path / "docs", {"summary.json": b"{}"})
    assert (tmp_path / "docs" / "thesis.docx").read_bytes() == b"precious"


def test_a_file_name_cannot_escape_the_folder(tmp_path):
    with pytest.raises(InputError, match="outside"):
        write_folder(tmp_path / "plan", {"../escape.txt": b"x"})
    assert not (tmp_path / "escape.txt").exists()


def test_write_file_is_atomic_too(tmp_path, monkeypatch):
    target = write_file(tmp_path / "a.csv", b"old")
    monkeypatch.setattr(atomic.os, "fsync", lambda fd: (_ for _ in ()).throw(OSError("boom")))
    with pytest.raises(OSError):
        write_file(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.csv"]


def test_written_files_and_folders_get_the_usual_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        folder = write_folder(tmp_path / "plan", {"summary.json": b"{}"})
        single = write_file(tmp_path / "table.csv", b"a\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755
    assert stat.S_IMODE((folder / "summary.json").stat().st_mode) == 0o644
    assert stat.S_IMODE(single.stat().st_mode) == 0o644


def test_refuses_a_folder_below_a_file(tmp_path):
    (tmp_path / "customers.csv").write_text("id\n", encoding="utf-8")
    with pytest.raises(InputError, match="customers.csv is a file, not a folder"):
        write_folder(tmp_path / "customers.csv" / "plan", {"summary.json": b"{}"})
    assert (tmp_path / "customers.csv").read_text(encoding="utf-8") == "id\n"


def test_a_folder_that_cannot_be_made_is_bad_input_naming_it(tmp_path, monkeypatch):
    def refused(**kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic.tempfile, "mkdtemp", refused)
    with pytest.raises(InputError, match=r"plan: cannot be written \(Permission denied\)"):
        write_folder(tmp_path / "plan", {"summary.json": b"{}"})
    assert not (tmp_path / "plan").exists()
