"""The plan's tables as the spec defines them, and their text encodings."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from ..errors import InputError
from ..input.schema import FORMULA_STARTS
from ..input.tables import ROW
from ..model import DayRoute, Unscheduled, hhmm
from ..model.revision import Change

ITINERARY_COLUMNS = (
    "rep", "date", "seq", "kind", "customer_id", "customer_name", "lat", "lon",
    "arrive", "start", "end", "travel_min", "travel_km", "wait_min",
)
UNSCHEDULED_COLUMNS = ("customer_id", "due", "reason", "code")
CHANGES_COLUMNS = (
    "rep", "date", "customer_id", "customer_name", "change",
    "old_rep", "old_date", "old_start", "new_rep", "new_date", "new_start", "reason",
)
ENCODINGS = {"utf-8-sig": "utf-8-sig", "utf-8": "utf-8-sig", "utf8": "utf-8-sig", "cp932": "cp932",
             "shift_jis": "cp932", "sjis": "cp932"}


def safe_text(value: str) -> str:
    """Neutralise a text cell a spreadsheet would execute (``=cmd|...``) by prefixing ``'``."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def itinerary_rows(routes: Iterable[DayRoute]) -> list[dict[str, Any]]:
    """One dict per itinerary row, sorted by rep, date, seq (seq counts from 1 each day)."""
    rows = []
    for route in sorted(routes, key=lambda r: (r.rep, r.date)):
        for seq, s in enumerate(route.stops, start=1):
            rows.append({
                "rep": route.rep, "date": route.date.isoformat(), "seq": seq, "kind": s.kind,
                "customer_id": s.customer_id, "customer_name": safe_text(s.customer_name),
                "lat": f"{s.lat:.6f}", "lon": f"{s.lon:.6f}",
                "arrive": hhmm(s.arrive), "start": hhmm(s.start), "end": hhmm(s.end),
                "travel_min": s.travel_min, "travel_km": f"{s.travel_km:.3f}", "wait_min": s.wait_min,
            })
    return rows


def unscheduled_rows(items: Iterable[Unscheduled]) -> list[dict[str, Any]]:
    return [
        {"customer_id": u.customer_id, "due": u.due.isoformat(), "reason": safe_text(u.reason), "code": u.code.code}
        for u in sorted(items, key=lambda u: (u.customer_id, u.due))
    ]


def change_rows(changes: Iterable[Change]) -> list[dict[str, Any]]:
    """One dict per changed visit (``changes.csv``), sorted by rep, date, customer; ``rep`` and
    ``date`` are where the visit is now (where it was, for a removed one)."""
    rows = []
    for c in sorted(changes, key=lambda c: (c.rep, c.date, c.customer_id, c.change)):
        rows.append({
            "rep": c.rep, "date": c.date.isoformat(), "customer_id": c.customer_id,
            "customer_name": safe_text(c.customer_name), "change": c.change,
            "old_rep": c.old_rep or "", "old_date": c.old_date.isoformat() if c.old_date else "",
            "old_start": hhmm(c.old_start) if c.old_start is not None else "",
            "new_rep": c.new_rep or "", "new_date": c.new_date.isoformat() if c.new_date else "",
            "new_start": hhmm(c.new_start) if c.new_start is not None else "",
            "reason": safe_text(c.reason),
        })
    return rows


def codec_for(encoding: str) -> str:
    """The codec CSV files are written with for ``encoding`` (``utf-8`` gets a BOM, for Excel).

    Raises
    ------
    InputError
        When ``encoding`` is not one routeopt writes.
    """
    codec = ENCODINGS.get(encoding.lower())
    if codec is None:
        raise InputError(f'encoding "{encoding}" is not supported; use utf-8 or cp932.', param="encoding")
    return codec


def csv_bytes(rows: Sequence[dict[str, Any]], columns: Sequence[str], encoding: str = "utf-8-sig") -> bytes:
    """CSV text of ``rows`` (header always written) encoded for Excel: UTF-8 with BOM by default,
    ``cp932`` for older tools (characters CP932 lacks become ``?``)."""
    codec = codec_for(encoding)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode(codec, errors="replace")


def unencodable(frames: Sequence[pd.DataFrame], encoding: str) -> list[str]:
    """The characters of the frames' text cells that ``encoding`` cannot hold (written as ``?``
    by :func:`csv_bytes`), each once, in order of appearance."""
    codec = codec_for(encoding)
    lost: dict[str, None] = {}
    if codec.startswith("utf-8"):  # holds every character
        return []
    for df in frames:
        for column in df.columns:
            for value in df[column]:
                if isinstance(value, str) and not _fits(value, codec):
                    lost.update(dict.fromkeys(ch for ch in value if not _fits(ch, codec)))
    return list(lost)


def _fits(text: str, codec: str) -> bool:
    try:
        text.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def json_bytes(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def frame(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(columns))


NUMERIC_COLUMNS = {"lat", "lon", "visit_minutes", "priority", "min_gap_days", "max_gap_days"}


def split_csv(frame: pd.DataFrame, encoding: str = "utf-8-sig") -> bytes:
    """A normalised customers frame (the input layer's reading of a customers table) as CSV:
    canonical headers, the file's other columns kept; text a spreadsheet would run gets ``'``."""
    columns = [c for c in frame.columns if c != ROW]
    rows = []
    for rec in frame[columns].astype(str).to_dict("records"):
        rows.append({k: v if k in NUMERIC_COLUMNS or _is_number(v) else safe_text(v) for k, v in rec.items()})
    return csv_bytes(rows, columns, encoding)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
