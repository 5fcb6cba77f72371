"""Reading input tables: bytes → text → a DataFrame of stripped strings with canonical columns.

``read_table`` only opens files; ``decode_bytes``, ``frame_from_text`` and
``frame_from_dataframe`` are pure. Every frame they return has one column per
:class:`~routeopt.input.schema.Column` of the schema (``""`` for blank cells and for optional
columns the file lacks), the file's unknown columns under their own names, and ``_row``: the
1-based row number a spreadsheet shows.

The table is found as a person finds it: its header is the first row that holds the schema's
required columns (title rows, blank rows and blank columns before it are skipped), or the first
pair of rows that does once joined (a group header such as 出発 over 緯度 and 経度). Rows after
the table that are totals or notes (合計, 小計, 以上, ※ …) are left out with a warning naming
them. Cells are NFKC-normalised once, here (names and addresses keep what was written), and a
leading ``'`` (a spreadsheet's "keep as text" mark) is dropped.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import html
import io
import itertools
import math
import re
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import charset_normalizer
import openpyxl
import pandas as pd
from openpyxl.utils.cell import coordinate_to_tuple

from routeopt.errors import AmbiguousSheetError, InputError, RouteoptWarning, where
from routeopt.input.schema import Column
from routeopt.input.text import CONTROL, control_name, nfkc, show_controls

ROW = "_row"
"""Name of the column holding each record's spreadsheet row number."""

TEXT_SUFFIXES = (".csv", ".txt")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")

ID_AS_WRITTEN = "id_as_written"
"""Key of ``DataFrame.attrs`` under which a frame keeps the ids that NFKC changed, as written
(row → text), so that a duplicate message can show both forms."""

HEADER_SEARCH_ROWS = 50
"""How many rows from the top may come before the header (titles, notes, blank rows)."""

SUMMARY = re.compile(
    r"総?合計|小計|総計|累計|計(?=$|[0-9])|件数|平均|以上|※|機密情報|出力日時?|作成日時?"
    r"|(?:total|subtotal|grandtotal|sum)(?![a-z])|confidential|copyright|generatedby"
)
"""How the first cell of a totals or notes row after the table begins (compared without spaces
and brackets, case-folded): totals, 以上, notes (※), and the footers of report exports."""

_SUMMARY_END = re.compile(r"(?:総?合計|小計|総計)$")
_SUMMARY_NOISE = re.compile(r"[\s【】\[\]()（）「」<>:：]+")


# ------------------------------------------------------------------------------------ decoding


def decode_bytes(data: bytes, source: str) -> str:
    """Decode a text file's bytes: UTF-16 with a byte-order mark (Excel's "Unicode text"), UTF-8
    (with or without BOM) or CP932/Shift_JIS.

    UTF-16 is read when the file starts with its BOM (``FF FE`` or ``FE FF``); otherwise UTF-8 is
    tried first, strictly, and then ``charset-normalizer``, restricted to CP932 and Shift_JIS,
    decides whether the bytes are Japanese text in that encoding.

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
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{source} starts as UTF-16 text but has an invalid sequence at byte {exc.start}."
            ) from None
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


# ------------------------------------------------------------------------------------- headers


def _header_key(name: object) -> str:
    """How header names are compared: NFKC, trimmed, case-folded, spaces and dashes as ``_``."""
    text = nfkc(str(name)).strip().casefold()
    return re.sub(r"[\s_\-]+", "_", text)


def _lookup(columns: Sequence[Column]) -> dict[str, Column]:
    return {_header_key(name): col for col in columns for name in col.names}


def _joined(upper: str, group: str, lower: str, lookup: dict[str, Column]) -> str:
    """The name of a column under a two-row header: its group (the upper cell, or the nearest
    one to its left: 出発 merged over 緯度 and 経度) joined with the lower cell (``出発緯度``)
    when the schema knows that name; else the lower cell, or the upper one alone when it names
    a column (a header cell merged over both rows)."""
    if group and lower:
        for name in (group + lower, f"{group}_{lower}"):
            if _header_key(name) in lookup:
                return name
    if lower:
        return lower
    return upper if _header_key(upper) in lookup else ""


def _group_of(left: str, cell: str) -> str:
    """The group a header cell belongs to: its own text, or that of the nearest cell to its left."""
    return cell or left


@dataclass(frozen=True)
class _Header:
    """Where a table's header is: ``row`` is the index of its (last) row; ``names`` give each
    column position's name."""

    row: int
    names: tuple[str, ...]


def _known(names: Sequence[str], lookup: dict[str, Column]) -> set[str]:
    return {lookup[k].name for k in map(_header_key, names) if k in lookup}


def _find_header(rows: Sequence[Sequence[str]], columns: Sequence[Column]) -> _Header | None:
    """The header among ``rows`` (the table's first rows, stripped text): the first row holding
    every required column, alone or joined with the row above it."""
    lookup = _lookup(columns)
    required = {c.name for c in columns if c.required}
    for i, row in enumerate(rows):
        if not any(row):
            continue
        if required <= _known(row, lookup):
            return _Header(i, tuple(row))
        if i > 0 and any(rows[i - 1]):
            width = max(len(row), len(rows[i - 1]))
            upper = [*rows[i - 1], *[""] * (width - len(rows[i - 1]))]
            lower = [*row, *[""] * (width - len(row))]
            groups: list[str] = list(itertools.accumulate(upper, _group_of))
            names = tuple(_joined(upper[k], groups[k], lower[k], lookup) for k in range(width))
            if required <= _known(names, lookup):
                return _Header(i, names)
    return None


def _likely_header(rows: Sequence[Sequence[str]], columns: Sequence[Column]) -> _Header | None:
    """When no row holds the required columns: the row naming most of the schema's columns (the
    first non-blank row when none names any), so that the message can say what is missing."""
    lookup = _lookup(columns)
    best: _Header | None = None
    best_count = 0
    for i, row in enumerate(rows):
        if not any(row):
            continue
        count = len(_known(row, lookup))
        if best is None or count > best_count:
            best, best_count = _Header(i, tuple(row)), count
    return best


# -------------------------------------------------------------------------------------- frames


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


def _normalized(values: list[str]) -> list[str]:
    """Cells of a parsed (not free-text) column, already stripped: NFKC, one leading ``'`` dropped."""
    joined = "".join(values)
    if joined.isascii() and "'" not in joined:  # most columns: nothing to do
        return values
    out = []
    for v in values:
        v = nfkc(v).strip()
        if v.startswith("'"):
            v = v[1:].strip()
        out.append(v)
    return out


def _record_noun(columns: Sequence[Column]) -> str:
    return "rep" if any(c.name == "start_lat" for c in columns) else "customer"


def _check_controls(data: pd.DataFrame, names: dict[int, str], source: str, id_pos: int | None) -> None:
    """Refuse the first cell holding a control character (NUL …), naming its row and column."""
    for pos, name in names.items():
        values = data[pos].tolist()
        if not CONTROL.search("\n".join(values)):  # one search per column: most have none
            continue
        for k, value in enumerate(values):
            if match := CONTROL.search(value):
                row = int(data.index[k]) + 1
                rid = data[id_pos].iat[k] if id_pos is not None and pos != id_pos else None
                raise InputError(
                    f'{where(source, row, show_controls(rid) if rid else None)}: {name} "{show_controls(value)}" '
                    f"holds the control character {control_name(match.group(0))}; remove it."
                )


def _is_summary(text: str) -> bool:
    """Does a cell read as a total or a note (``合計``, ``【小計】``, ``高松営業所 合計``, ``以上``, ``※ …``)?"""
    key = _SUMMARY_NOISE.sub("", nfkc(text)).casefold()
    return bool(SUMMARY.match(key) or _SUMMARY_END.search(key))


def _summary_rows(data: pd.DataFrame, id_pos: int) -> list[tuple[int, str]]:
    """The rows ending ``data`` (raw cells in file order) that are totals or notes: the first
    non-blank cell reads as one, and the id is blank or reads as one too. As (row index, label)."""
    out: list[tuple[int, str]] = []
    ids = data[id_pos].tolist()
    values = data.to_numpy()
    for k in range(len(data) - 1, -1, -1):
        label = next((str(v) for v in values[k] if v != ""), "")
        if not (_is_summary(label) and (ids[k] == "" or _is_summary(ids[k]))):
            break
        out.insert(0, (int(data.index[k]), label))
    return out


def _warn_skipped(rows: list[tuple[int, str]], source: str, noun: str) -> None:
    """One warning naming the rows left out after the table."""
    shown = [(row + 1, lab if len(lab) <= 20 else lab[:19] + "…") for row, lab in rows]
    if len(shown) == 1:
        text = f"{source} row {shown[0][0]}: {shown[0][1]} — not a {noun}, skipped."
    else:
        listed = ", ".join(f"{row} ({lab})" for row, lab in shown)
        text = f"{source} rows {listed} — not {noun}s, skipped."
    warnings.warn(text, RouteoptWarning, stacklevel=5)


def _repeated_header(data: pd.DataFrame, found: dict[str, tuple[int, str]], columns: Sequence[Column]) -> int | None:
    """The first row of ``data`` whose required cells all name their columns (a header pasted
    again), or ``None``. Only cells no longer than the longest name are compared, which is fast."""
    rows: set[int] | None = None
    for col in columns:
        if not col.required:
            continue
        keys = {_header_key(name) for name in col.names}
        longest = max(len(name) for name in col.names) + 2
        values = data[found[col.name][0]].tolist()
        hits = {k for k, v in enumerate(values) if len(v) <= longest and _header_key(v) in keys}
        rows = hits if rows is None else rows & hits
        if not rows:
            return None
    return int(data.index[min(rows)]) if rows else None


def _match_columns(
    header: _Header, source: str, columns: Sequence[Column]
) -> tuple[dict[str, tuple[int, str]], dict[str, int]]:
    """The schema's columns the header names (column name → position and header text) and the
    other names (→ position).

    Raises
    ------
    InputError
        When a required column is missing or two columns give the same field.
    """
    header_row = header.row + 1
    lookup = _lookup(columns)
    found: dict[str, tuple[int, str]] = {}
    extra: dict[str, int] = {}
    for pos, name in enumerate(header.names):
        if name == "":
            continue
        col = lookup.get(_header_key(name))
        if col is None:
            extra.setdefault(name, pos)
        elif col.name in found:
            first = found[col.name][1]
            if first == name:  # the same heading twice: often one cell merged across two columns
                raise InputError(f'{where(source, header_row)}: two columns are headed "{name}" (a header cell merged '
                                 "across columns?); keep one.")
            raise InputError(
                f'{where(source, header_row)}: columns "{first}" and "{name}" both give {col.name}; keep one.'
            )
        else:
            found[col.name] = (pos, name)
    for col in columns:
        if col.required and col.name not in found:
            hint = ""
            if not found:
                hint = "; no row names the table's columns: a header row is needed"
            elif col.name in ("lat", "lon") and "address" in found:
                hint = "; the file has addresses only: run `routeopt geocode` first"
            raise InputError(
                f'{where(source, header_row)}: required column "{col.name}" is missing '
                f"(accepted names: {', '.join(col.names)}){hint}."
            )
    return found, extra


def _frame(data: pd.DataFrame, header: _Header, source: str, columns: Sequence[Column],
           broken: dict[int, str] | None = None) -> pd.DataFrame:
    """The frame of a table: ``data`` holds the rows below the header as text (positional
    columns, index = 0-based row); ``header`` names the columns; ``broken``: rows the file does not
    hold whole (a CSV row with cells left out, a formula whose result was never saved) and what is
    wrong with each, refused unless they are totals or notes after the table."""
    found, extra = _match_columns(header, source, columns)
    data = data.reindex(columns=range(max(len(data.columns), len(header.names))), fill_value="").fillna("")
    for pos in data.columns:
        data[pos] = data[pos].astype(str).str.strip()
    data = data[(data != "").any(axis=1)]
    header_row = header.row + 1
    if data.empty:
        raise InputError(f"{source} has no data rows, only a header (row {header_row}).")

    if (row := _repeated_header(data, found, columns)) is not None:
        raise InputError(f"{where(source, row + 1)}: repeats the header row inside the data; remove it.")

    kept = {pos: name for name, (pos, _) in found.items()} | {pos: name for name, pos in extra.items()}
    id_pos = found["id"][0] if "id" in found else None
    _check_controls(data, kept, source, id_pos)
    if id_pos is not None and (skipped := _summary_rows(data, id_pos)):
        _warn_skipped(skipped, source, _record_noun(columns))
        data = data.iloc[: len(data) - len(skipped)]
        if data.empty:
            raise InputError(f"{source} has no data rows, only a header (row {header_row}).")
    if broken and (row := next((int(r) for r in data.index if r in broken), None)) is not None:
        raise InputError(f"{where(source, row + 1)}: {broken[row]}")

    out = pd.DataFrame(index=data.index)
    for col in columns:
        if col.name not in found:
            out[col.name] = ""
        elif col.free_text:
            out[col.name] = data[found[col.name][0]]
        else:
            out[col.name] = _normalized(data[found[col.name][0]].tolist())
    if id_pos is not None:
        written = {int(row) + 1: raw for row, raw, norm in zip(data.index, data[id_pos], out["id"], strict=True)
                   if raw != norm}
    for name, pos in extra.items():
        if name not in out.columns and name != ROW:
            out[name] = data[pos]
    out[ROW] = data.index + 1
    out = out.reset_index(drop=True)
    if id_pos is not None and written:
        out.attrs[ID_AS_WRITTEN] = written
    return out


def _separator(text: str) -> str:
    """Tab when the first lines hold more tabs than commas, else comma."""
    head = text[:20_000]
    return "\t" if head.count("\t") > head.count(",") else ","


def _first_records(text: str, sep: str, limit: int) -> tuple[list[list[str]], list[int]]:
    """The first ``limit`` records of CSV ``text`` (cells stripped) and the offset where each begins."""
    consumed = [0]

    def lines() -> Iterator[str]:
        for line in io.StringIO(text, newline=""):
            consumed[0] += len(line)
            yield line

    records: list[list[str]] = []
    starts: list[int] = []
    reader = csv.reader(lines(), delimiter=sep)
    try:
        while len(records) < limit:
            start = consumed[0]
            rec = next(reader)
            starts.append(start)
            records.append([c.strip() for c in rec])
    except (StopIteration, csv.Error):
        pass  # the end, or a broken quote that the full parse below reports with its row
    return records, starts


def frame_from_text(text: str, source: str, columns: Sequence[Column]) -> pd.DataFrame:
    """Parse CSV text (comma- or tab-separated) into a frame of stripped strings.

    The header is the first row holding the required columns (see the module's docstring);
    its names are matched to ``columns`` by name or alias, case-insensitively, after NFKC
    normalisation and trimming (full-width spaces too). Unknown columns are kept but ignored;
    fully blank lines are skipped. The frame has one column per schema column (``""`` for
    blanks and missing optional columns), the unknown columns, and ``_row``, each record's
    spreadsheet row number.

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
        data; when a row has more cells than the header or a quote is never closed; when a cell
        holds a control character (NUL …).

    Warns
    -----
    RouteoptWarning
        Naming the totals and notes rows after the table that were left out.
    """
    if not text.strip():
        raise InputError(f"{source} is empty.")
    sep = _separator(text)
    head, starts = _first_records(text, sep, HEADER_SEARCH_ROWS)
    header = _find_header(head, columns) or _likely_header(head, columns)
    if header is None:
        raise InputError(f"{source} is empty.")
    _match_columns(header, source, columns)  # a missing column is said before any other trouble
    body = text[starts[header.row] :]
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
        raise _csv_error(str(exc), source, header.row) from None
    raw.index = raw.index + header.row
    return _frame(raw.iloc[1:], header, source, columns, _short_rows(body, sep, header))


def _short_rows(body: str, sep: str, header: _Header) -> dict[int, str]:
    """The records of ``body`` (CSV text from the header's last row) that hold something but fewer
    cells than the header names, by row index, with what is wrong: the parser fills them with
    blanks, and a cell left out (or a line break in a cell not quoted) must not be read as blank."""
    width = len(header.names)
    while width and not header.names[width - 1]:
        width -= 1
    named = sum(1 for name in header.names if name)
    return {header.row + k: (f"has {len(rec)} cells but the header has {named}; give every column its cell, empty or "
                             "not, and quote cells that hold a line break.")
            for k, rec in enumerate(csv.reader(io.StringIO(body, newline=""), delimiter=sep))
            if 0 < len(rec) < width and any(cell.strip() for cell in rec)}


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

    Column labels are the header (row 1) and matched as in :func:`frame_from_text`; cells of
    any type become text as :func:`read_table` does for Excel cells.

    Raises
    ------
    InputError
        For the same reasons as :func:`frame_from_text`.
    """
    body = df.map(_cell_text)
    body.columns = range(len(df.columns))
    body.index = range(1, len(df) + 1)
    header = _Header(0, tuple(_cell_text(c).strip() for c in df.columns))
    return _frame(body, header, source, columns)


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


# --------------------------------------------------------------------------------------- files


def _grid(sheet: Any, max_row: int | None = None) -> list[list[str]]:
    """A worksheet's cells as stripped text, row 1 first (blank leading rows and columns kept)."""
    return [[_cell_text(v).strip() for v in row] for row in sheet.iter_rows(max_row=max_row, values_only=True)]


def _fill_merged(grid: list[list[str]], sheet: Any, header_end: int) -> None:
    """Give every cell of a merged range its value. In the header (rows up to ``header_end``) it
    fills the whole range; below it only the range's first column (a value merged down over
    several customers belongs to each; one merged across columns belongs to the first)."""
    for rng in sheet.merged_cells.ranges:
        r0, c0, r1, c1 = rng.min_row - 1, rng.min_col - 1, rng.max_row - 1, rng.max_col - 1
        if r0 >= len(grid):
            continue
        value = grid[r0][c0] if c0 < len(grid[r0]) else ""
        for r in range(r0, min(r1, len(grid) - 1) + 1):
            row = grid[r]
            last = c1 if r <= header_end else c0
            if len(row) <= last:
                row.extend([""] * (last + 1 - len(row)))
            for c in range(c0, last + 1):
                row[c] = value


def _head(sheet: Any) -> list[list[str]]:
    head = _grid(sheet, HEADER_SEARCH_ROWS)
    _fill_merged(head, sheet, HEADER_SEARCH_ROWS)
    return head


_RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_CELL = re.compile(r"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_FORMULA = re.compile(r"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_VALUE = re.compile(r"<(?:\w+:)?v>(.+?)</(?:\w+:)?v>", re.S)


def _unsaved_formulas(path: Path, title: str) -> list[tuple[int, int, str]]:
    """The cells of sheet ``title`` holding a formula without a saved result, as (row, column, formula),
    0-based: a reader of the workbook's values (openpyxl's ``data_only``) sees them blank. Excel saves
    every result (an empty text result too, typed ``str``); programs that write formulas often do not."""
    from xml.etree import ElementTree

    try:
        with zipfile.ZipFile(path) as archive:
            book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
            targets = {r.get("Id"): r.get("Target", "") for r in rels}
            part = next((targets.get(s.get(_RELATIONSHIP)) for s in book.iter() if s.tag.endswith("}sheet")
                         and s.get("name") == title), None)
            if not part:
                return []
            raw = archive.read(part.lstrip("/") if part.startswith("/") else f"xl/{part}")
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, OSError):  # laid out unlike Excel's: not looked at
        return []
    found: list[tuple[int, int, str]] = []
    if not re.search(rb"<(?:\w+:)?f[\s>/]", raw):  # no formula at all: the common case, one quick look
        return found
    xml = raw.decode("utf-8", "replace")
    for cell in _CELL.finditer(xml):
        attributes, inner = cell.group(1), cell.group(2) or ""
        formula = _FORMULA.search(inner)
        if formula is None or _VALUE.search(inner) or re.search(r'\bt="str"', attributes):
            continue
        ref = re.search(r'\br="([A-Z]+\d+)"', attributes)
        if ref is None:
            continue
        row, col = coordinate_to_tuple(ref.group(1))
        found.append((row - 1, col - 1, html.unescape(formula.group(1) or "")))
    return found


def _read_excel(path: Path, source: str, columns: Sequence[Column], sheet: str | None) -> pd.DataFrame:
    """The frame of the table in a workbook: in ``sheet``, or in the one sheet that holds the
    required columns."""
    try:
        book = openpyxl.load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise InputError(f"{source} is not a readable Excel workbook.") from None
    try:
        sheets = book.worksheets
        titles = [ws.title for ws in sheets]
        if sheet is not None:
            wanted = _header_key(sheet)
            chosen = [ws for ws in sheets if ws.title == sheet]
            chosen = chosen or [ws for ws in sheets if _header_key(ws.title) == wanted]
            if not chosen:
                raise InputError(f'{source} has no sheet "{sheet}"; its sheets are {", ".join(titles)}.')
            ws = chosen[0]
            head = _head(ws)
            header = _find_header(head, columns) or _likely_header(head, columns)
            if header is None:
                raise InputError(f'{source}: sheet "{ws.title}" is blank.')
        else:
            heads = [(ws, _head(ws)) for ws in sheets]
            found = [(ws, h) for ws, head in heads if (h := _find_header(head, columns)) is not None]
            if len(found) > 1:
                titles = [f'"{ws.title}"' for ws, _ in found]
                names = f"{', '.join(titles[:-1])} and {titles[-1]}"
                required = ", ".join(c.name for c in columns if c.required)
                raise AmbiguousSheetError(
                    f"{source}: sheets {names} {'both hold' if len(found) == 2 else 'each hold'} a table with the "
                    f"columns {required}; name the sheet to read."
                )
            if not found:
                found = [(ws, h) for ws, head in heads if (h := _likely_header(head, columns)) is not None]
                if not found:
                    raise InputError(f"{source} has no table: every sheet is blank.")
            ws, header = found[0]
        grid = _grid(ws)
        _fill_merged(grid, ws, header.row)
        title = ws.title
    finally:
        book.close()
    broken: dict[int, str] = {}
    for row, col, formula in _unsaved_formulas(path, title):
        if row > header.row and col < len(header.names) and header.names[col] and row not in broken:
            shown = f" (={formula})" if formula else ""
            broken[row] = (f"{header.names[col]} holds a formula{shown} whose result was never saved (the file was "
                           "written by a program, not by Excel); open and save it in Excel or LibreOffice, or write "
                           "the value.")
    body = grid[header.row + 1 :]
    width = max([len(header.names), *map(len, body)])
    data = pd.DataFrame(body, index=range(header.row + 1, len(grid)), columns=range(width))
    return _frame(data, header, source, columns, broken)


ZIP_MAGIC = b"PK\x03\x04"
"""How a zip file, and so an .xlsx workbook, begins."""


def read_table(path: str | Path, columns: Sequence[Column], sheet: str | None = None) -> pd.DataFrame:
    """Read a CSV/text or Excel file into a frame as :func:`frame_from_text` describes.

    ``.csv`` and ``.txt`` files are decoded with :func:`decode_bytes`; ``.xlsx`` and
    ``.xlsm`` workbooks are read from ``sheet``, or else from the one sheet that holds the
    required columns, with cells turned into text (dates ``YYYY-MM-DD``, times ``HH:MM``, whole
    numbers without ``.0``) and merged cells filled (see :func:`_fill_merged`). Error messages
    name the file by its name only.

    Parameters
    ----------
    path
        The file.
    columns
        The schema.
    sheet
        The worksheet to read, by its name (workbooks only).

    Raises
    ------
    InputError
        When the file does not exist, has another type, cannot be decoded or opened, has no
        table (or, in a workbook, several sheets hold one and ``sheet`` is not given), or breaks
        a rule of :func:`frame_from_text`.
    """
    path = Path(path)
    source = path.name
    if path.is_dir():
        raise InputError(f"{path}: is a folder; give the table's file.")
    if not path.is_file():
        raise InputError(f"{path}: file not found.")
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        if sheet is not None:
            raise InputError(f'{source} is a text file, not a workbook: it has no sheet "{sheet}".')
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"{path}: cannot be read ({exc.strerror}).") from None
        if data.startswith(ZIP_MAGIC):
            raise InputError(f"{source}: is an Excel workbook (or another zip file), not text; name it .xlsx.")
        return frame_from_text(decode_bytes(data, source), source, columns)
    if suffix in EXCEL_SUFFIXES:
        return _read_excel(path, source, columns, sheet)
    raise InputError(f"{source}: unsupported file type; give a .csv, .txt, .xlsx or .xlsm file.")
