"""Safe, unique names made from ids that may hold any text (file names, spreadsheet sheet names).

A rep id such as ``../R1``, ``R1/東``, ``CON`` or ``R1`` next to ``r1`` must not leave the plan
folder, clash with another rep's file on a case-insensitive file system, or break a spreadsheet.
A name that had to be changed gets a short hash of the id, so two ids never share a name and the
same id always gets the same name.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

_NOT_FILE_SAFE = re.compile(r"[^\w\-]+")
"""Anything but letters and digits of any script, ``_`` and ``-`` (no dots: no ``..``, no hidden files)."""
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]+")
SHEET_NAME_MAX = 31
"""Excel's limit on the length of a sheet name."""


def _tag(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def _unique(ids: Iterable[str], clean: dict[str, str], max_len: int, taken: Iterable[str]) -> dict[str, str]:
    used = {t.casefold() for t in taken}
    out: dict[str, str] = {}
    for rid in sorted(set(ids)):
        name, salt = clean[rid], ""
        while name != rid or name.casefold() in used:  # changed or taken: add a hash of the id
            tag = _tag(rid + salt)
            name = f"{clean[rid][: max_len - 9]}-{tag}" if clean[rid] else tag
            if name.casefold() not in used:
                break
            salt += "+"
        out[rid] = name
        used.add(name.casefold())
    return out


def file_stems(ids: Iterable[str], max_len: int = 60) -> dict[str, str]:
    """A file-name stem for each id: the id itself when it is safe, else a cleaned id plus a hash.

    Stems hold only letters, digits (any script), ``_`` and ``-``, at most ``max_len`` characters,
    never a Windows device name, and differ from each other even ignoring case.
    """
    ids = list(ids)
    clean = {}
    for rid in ids:
        text = _NOT_FILE_SAFE.sub("_", unicodedata.normalize("NFC", rid)).strip("_-")[:max_len]
        clean[rid] = "" if text.upper() in _WINDOWS_RESERVED else text
    return _unique(ids, clean, max_len, ())


def sheet_names(ids: Iterable[str], taken: Iterable[str] = ()) -> dict[str, str]:
    """An Excel sheet name for each id, unique (ignoring case) and distinct from ``taken``.

    Sheet names are at most 31 characters, hold none of ``[]:*?/\\``, do not start or end with
    ``'`` and are not ``History`` (all refused by Excel).
    """
    ids = list(ids)
    taken = [*taken, "History"]
    clean = {rid: _SHEET_FORBIDDEN.sub("_", rid).strip("'")[:SHEET_NAME_MAX] for rid in ids}
    return _unique(ids, clean, SHEET_NAME_MAX, taken)
