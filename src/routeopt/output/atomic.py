"""Writing a plan folder atomically: a failed or interrupted run leaves the previous plan intact.

All files are first written into a hidden sibling folder; only when every file is complete is
the old folder swapped out and the new one renamed into place.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from ..errors import InputError

MARKER = "summary.json"
"""A folder holding this file is taken for a plan folder, which may be replaced."""


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_folder(folder: str | Path) -> Path:
    """``folder`` as an absolute path, if a plan folder can be written there (check it before a
    long run, not only after).

    Raises
    ------
    InputError
        When ``folder`` exists and is neither empty nor a plan folder (its files would be lost),
        or a file stands where it or one of its parent folders should be.
    """
    folder = Path(folder).absolute()
    if folder.exists() and (not folder.is_dir() or (any(folder.iterdir()) and not (folder / MARKER).exists())):
        raise InputError(f"{folder}: exists and is not a routeopt plan folder; choose another folder.")
    return _parents_can_be_made(folder)


def check_output(path: str | Path, folder: bool = False) -> Path:
    """``path`` as an absolute path, if a file (``folder=False``) or a folder to write files into
    can be written there; check it before a long run.

    Raises
    ------
    InputError
        When a folder stands where the file should be, a file where the folder should be, or a
        file where one of its parent folders should be.
    """
    path = Path(path).absolute()
    if path.exists() and path.is_dir() != folder:
        wanted = "a folder" if folder else "a file"
        raise InputError(f"{path}: is {'a file' if folder else 'a folder'}, not {wanted}; choose another path.")
    return _parents_can_be_made(path)


def _parents_can_be_made(path: Path) -> Path:
    above = path.parent
    while not above.exists():
        above = above.parent
    if not above.is_dir():
        raise InputError(f"{path}: cannot be written: {above} is a file, not a folder; choose another path.")
    return path


def write_folder(folder: str | Path, files: Mapping[str, bytes]) -> Path:
    """Replace ``folder`` with exactly ``files`` (name → content), atomically.

    Raises
    ------
    InputError
        When :func:`check_folder` refuses ``folder``, it cannot be created, or a file name would
        leave it.
    """
    folder = check_folder(folder)
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.tmp-", dir=folder.parent))
    except OSError as exc:
        raise InputError(f"{folder}: cannot be written ({exc.strerror or exc}); choose another folder.") from None
    try:
        os.chmod(tmp, 0o777 & ~_umask())  # as a plain mkdir would (mkdtemp makes it private)
        for name, data in files.items():
            target = (tmp / name).resolve()
            if target.parent != tmp.resolve():
                raise InputError(f"output file name {name!r} would be written outside {folder}.")
            with open(target, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        old = None
        if folder.exists():
            old = folder.with_name(f".{folder.name}.old-{os.getpid()}")
            os.replace(folder, old)
        os.replace(tmp, folder)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return folder


def write_file(path: str | Path, data: bytes) -> Path:
    """Write one file atomically (temporary file in the same folder, then rename).

    Raises
    ------
    InputError
        When :func:`check_output` refuses ``path`` or its folder cannot be made.
    """
    path = check_output(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise InputError(f"{path}: cannot be written ({exc.strerror or exc}); choose another path.") from None
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # as a plain open() would (mkstemp makes it private)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
