"""Reading input tables: bytes → text → a DataFrame of stripped strings with canonical columns.

``read_table`` only opens files; ``decode_bytes`` and ``frame_from_text`` are pure. Every frame
they return has one column per :class:`~routeopt.input.schema.Column` of the schema (``""`` for
blank cells and for optional columns the file lacks), the file's unknown columns under their
own names, and ``_row``: the 1-based row number a spreadsheet shows (header = row 1).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import charset_normalizer
import openpyxl
import pandas as pd

from routeopt.errors import InputError, where
from routeopt.input.schema import Column

ROW = "_row"
"""Name of the column holding each record's spreadsheet row number."""

TEXT_SUFFIXES = (".csv", ".txt")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")

_LEADING_BLANK_LINES = re.compile(r"(?:[ \t\u3000]*\r?\n)+")


# ------------------------------------------------------------------------------------ decoding


def decode_bytes(data: bytes, source: str) -> str:
    """Decode a text file's bytes: UTF-8 (with or without BOM) or CP932/Shift_JIS.

    UTF-8 is tried first, strictly; otherwise ``charset-normalizer``, restricted to CP932 and
    Shift_JIS, decides whether the bytes are Japanese text in that encoding.

    Parameters
    ----------
    data
        The file's content.
    source
        File name used in error messages.

    Raises
    ------
    InputError
        When the bytes are text in none of these encodings; the message gives the first invalid
        byte and its line.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    best = charset_normalizer.from_bytes(data, cp_isolation=["cp932", "shift_jis"]).best()
    if best is not None:
        try:
            return data.decode(best.encoding)
        except UnicodeDecodeError:
            pass
    # Point at the byte where the encoding that read furthest stopped.
    try:
        data.decode("cp932")
        offset = utf8_error.start
    except UnicodeDecodeError as exc:
        offset = max(exc.start, utf8_error.start)
    line = data.count(b"\n", 0, offset) + 1
    raise InputError(
        f"{source} is not UTF-8 or Shift_JIS (CP932) text: invalid byte 0x{data[offset]:02X} at line {line}."
    )


# -------------------------------------------------------------------------------------- frames


def _header_key(name: object) -> str:
    """How header names are compared: NFKC, trimmed, case-folded, spaces and dashes as ``_``."""
    text = unicodedata.normalize("NFKC", str(name)).strip().casefold()
    return re.sub(r"[\s_\-]+", "_", text)


def _cell_text(value: object) -> str:
    """One spreadsheet cell as text: dates ISO, times ``HH:MM``, whole numbers without ``.0``."""
    if value is None or value is pd.NaT:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.timedelta):
        minutes = int(value.total_seconds() // 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    return str(value)


def _frame_from_raw(raw: pd.DataFrame, source: str, columns: Sequence[Column]) -> pd.DataFrame:
    """Turn a raw grid of strings (first non-blank row = header, index = 0-based row) into a frame."""
    raw = raw.fillna("")
    for pos in raw.columns:
        raw[pos] = raw[pos].astype(str).str.strip()
    raw = raw[(raw != "").any(axis=1)]
    if raw.empty:
        raise InputError(f"{source} is empty.")
    header_row = int(raw.index[0]) + 1
    header = raw.iloc[0]
    data = raw.iloc[1:]

    lookup = {_header_key(name): col for col in columns for name in col.names}
    found: dict[str, tuple[object, str]] = {}
    extra: dict[str, object] = {}
    for pos, name in header.items():
        if name == "":
            continue
        col = lookup.get(_header_key(name))
        if col is None:
            extra.setdefault(name, pos)
        elif col.name in found:
            first = found[col.name][1]
            raise InputError(
                f'{where(source, header_row)}: columns "{first}" and "{name}" both give {col.name}; keep one.'
            )
        else:
            found[col.name] = (pos, name)
    for col in columns:
        if col.required and col.name not in found:
            hint = ""
            if not found:
                hint = "; the first non-blank row must be the header"
            elif col.name in ("lat", "lon") and "address" in found:
                hint = "; the file has addresses only: run `routeopt geocode` first"
            raise InputError(
                f'{where(source, header_row)}: required column "{col.name}" is missing '
                f"(accepted names: {', '.join(col.names)}){hint}."
            )
    if data.empty:
        raise InputError(f"{source} has no data rows, only a header (row {header_row}).")

    repeated = pd.Series(True, index=data.index)
    for col in columns:
        if col.required:
            keys = data[found[col.name][0]].str.normalize("NFKC").str.strip().str.casefold()
            repeated &= keys.isin({_header_key(name) for name in col.names})
    if repeated.any():
        row = int(repeated.idxmax()) + 1
        raise InputError(f"{where(source, row)}: repeats the header row inside the data; remove it.")

    out = pd.DataFrame(index=data.index)
    for col in columns:
        out[col.name] = data[found[col.name][0]] if col.name in found else ""
    for name, pos in extra.items():
        if name not in out.columns and name != ROW:
            out[name] = data[pos]
    out[ROW] = data.index + 1
    return out.reset_index(drop=True)


def frame_from_text(text: str, source: str, columns: Sequence[Column]) -> pd.DataFrame:
    """Parse CSV text (comma- or tab-separated) into a frame of stripped strings.

    Header names are matched to ``columns`` by name or alias, case-insensitively, after NFKC
    normalisation and trimming (full-width spaces too). Unknown columns are kept but ignored;
    fully blank lines are skipped. The frame has one column per schema column (``""`` for
    blanks and missing optional columns), the unknown columns, and ``_row``, each record's
    spreadsheet row number (header = row 1).

    Parameters
    ----------
    text
        The whole file as text.
    source
        File name used in error messages.
    columns
        The schema, e.g. :data:`~routeopt.input.schema.CUSTOMER_COLUMNS`.

    Raises
    ------
    InputError
        When the text is empty or has only a header; when a required column is missing; when two
        columns give the same field (``lat`` and ``緯度``); when the header is repeated inside the
        data; when a row has more cells than the header or a quote is never closed.
    """
    lead = _LEADING_BLANK_LINES.match(text)
    skipped = lead.group(0).count("\n") if lead else 0
    body = text[lead.end() :] if lead else text
    if not body.strip():
        raise InputError(f"{source} is empty.")
    first_line = body.split("\n", 1)[0]
    sep = "\t" if first_line.count("\t") > first_line.count(",") else ","
    try:
        raw = pd.read_csv(
            io.StringIO(body),
            sep=sep,
            header=None,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
        )
    except pd.errors.EmptyDataError:
        raise InputError(f"{source} is empty.") from None
    except pd.errors.ParserError as exc:
        raise _csv_error(str(exc), source, skipped) from None
    raw.index = raw.index + skipped
    return _frame_from_raw(raw, source, columns)


def _csv_error(message: str, source: str, skipped: int) -> InputError:
    """Turn a pandas tokenizer error into a one-line InputError naming the row."""
    if match := re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message):
        expected, row, saw = (int(g) for g in match.groups())
        return InputError(
            f"{where(source, row + skipped)}: has {saw} cells but the header has {expected}; "
            "quote cells that contain a comma."
        )
    if match := re.search(r"EOF inside string starting at row (\d+)", message):
        row = int(match.group(1)) + 1 + skipped
        return InputError(f'{where(source, row)}: a quote (") opened here is never closed.')
    return InputError(f"{source} cannot be read as CSV: {message.splitlines()[-1].strip()}.")


def column_label(df: pd.DataFrame, column: Column) -> Any:
    """The label of ``df``'s column for ``column`` (by its name or an alias), or ``None``."""
    names = {_header_key(n) for n in column.names}
    return next((label for label in df.columns if _header_key(label) in names), None)


def is_normalized(df: pd.DataFrame, columns: Sequence[Column]) -> bool:
    """Whether ``df`` already has the shape this module gives: every schema column and ``_row``."""
    return ROW in df.columns and all(col.name in df.columns for col in columns)


def frame_from_dataframe(df: pd.DataFrame, source: str, columns: Sequence[Column]) -> pd.DataFrame:
    """Normalise an in-memory table (e.g. built by a caller with pandas) like a file's.

    Column labels are matched as headers are in :func:`frame_from_text`; cells of any type become
    text as :func:`read_table` does for Excel cells. Row numbers count the labels as row 1.

    Raises
    ------
    InputError
        For the same reasons as :func:`frame_from_text`.
    """
    body = df.map(_cell_text)
    body.columns = range(len(df.columns))
    header = pd.DataFrame([[_cell_text(c) for c in df.columns]])
    raw = pd.concat([header, body], ignore_index=True)
    return _frame_from_raw(raw, source, columns)


# --------------------------------------------------------------------------------------- files


def records(df: pd.DataFrame, columns: Sequence[Column]) -> Iterator[dict[str, Any]]:
    """The rows of a frame from this module as dicts of the schema's columns (text) and ``_row``.

    Faster than ``DataFrame.iterrows``: one list per column, no pandas call per cell.
    """
    keys = [*(col.name for col in columns), ROW]
    lists = [df[k].tolist() for k in keys]
    for i, values in enumerate(lists[:-1]):
        if not all(type(v) is str for v in values):  # a caller's frame: make its cells text
            lists[i] = [_cell_text(v).strip() for v in values]
    for values in zip(*lists, strict=True):
        yield dict(zip(keys, values, strict=True))


def _has_header(sheet: Any) -> bool:
    for row in sheet.iter_rows(min_row=1, max_row=1, values_only=True):
        return any(_cell_text(v).strip() for v in row)
    return False


def _read_excel(path: Path, source: str) -> pd.DataFrame:
    """The raw grid of the first sheet whose row 1 is not blank, as text."""
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise InputError(f"{source} is not a readable Excel workbook.") from None
    try:
        sheet = next((ws.title for ws in book.worksheets if _has_header(ws)), None)
    finally:
        book.close()
    if sheet is None:
        raise InputError(f"{source} has no sheet with a header in row 1.")
    raw = pd.read_excel(path, sheet_name=sheet, header=None, dtype=object, engine="openpyxl")
    return raw.map(_cell_text)


ZIP_MAGIC = b"PK\x03\x04"
"""How a zip file, and so an .xlsx workbook, begins."""


def read_table(path: str | Path, columns: Sequence[Column]) -> pd.DataFrame:
    """Read a CSV/text or Excel file into a frame as :func:`frame_from_text` describes.

    ``.csv`` and ``.txt`` files are decoded with :func:`decode_bytes`; ``.xlsx`` and ``.xlsm``
    workbooks are read from the first sheet whose row 1 is not blank, with cells turned into
    text (dates ``YYYY-MM-DD``, times ``HH:MM``, whole numbers without ``.0``). Error messages
    name the file by its name only.

    Raises
    ------
    InputError
        When the file does not exist, has another type, cannot be decoded or opened, has no
        sheet with a header, or breaks a rule of :func:`frame_from_text`.
    """
    path = Path(path)
    source = path.name
    if path.is_dir():
        raise InputError(f"{path}: is a folder; give the table's file.")
    if not path.is_file():
        raise InputError(f"{path}: file not found.")
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"{path}: cannot be read ({exc.strerror}).") from None
        if data.startswith(ZIP_MAGIC):
            raise InputError(f"{source}: is an Excel workbook (or another zip file), not text; name it .xlsx.")
        return frame_from_text(decode_bytes(data, source), source, columns)
    if suffix in EXCEL_SUFFIXES:
        return _frame_from_raw(_read_excel(path, source), source, columns)
    raise InputError(f"{source}: unsupported file type; give a .csv, .txt, .xlsx or .xlsm file.")
