"""Regenerate the committed Excel fixtures: ``python tests/data/bad/make_xlsx.py``.

* ``bad/no_data_sheet.xlsx``: a workbook whose sheets are all blank in row 1.
* ``../ok_small_customers.xlsx``: ``ok_small_customers.csv`` with typed cells as Excel stores them
  (numbers, a date cell, a date-time cell, a boolean), after an empty cover sheet.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent
DATA = HERE.parent


def _typed(column: str, text: str) -> object:
    """The cell value Excel would hold for ``text`` in ``column``."""
    if text == "":
        return None
    if column in ("lat", "lon", "priority"):
        return float(text)
    if column == "visit_minutes":
        return int(text)
    if column == "last_visit":
        return dt.date.fromisoformat(text)
    if column == "appointment":
        return dt.datetime.fromisoformat(text)
    if column == "locked":
        return text == "true"
    return text


def make_no_data_sheet(path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "表紙"
    notes = book.create_sheet("notes")
    notes["A3"] = "customers go here"  # row 1 stays blank: not a table
    book.save(path)


def make_ok_small(csv_path: Path, path: Path) -> None:
    with open(csv_path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    book = openpyxl.Workbook()
    book.active.title = "表紙"  # an empty cover sheet comes first and is skipped
    sheet = book.create_sheet("customers")
    sheet.append(header)
    for row in body:
        sheet.append([_typed(column, text) for column, text in zip(header, row, strict=True)])
    book.save(path)


if __name__ == "__main__":
    make_no_data_sheet(HERE / "no_data_sheet.xlsx")
    make_ok_small(DATA / "ok_small_customers.csv", DATA / "ok_small_customers.xlsx")
