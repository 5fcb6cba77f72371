"""``plan.xlsx``: a summary sheet, one sheet per rep with its days, the courses (each rep's
customers per weekday in visiting order), and the unscheduled visits.

Written with openpyxl, read by Excel and LibreOffice alike. Dates are real dates and times real
times (so they sort and filter); every text cell goes through
:func:`~routeopt.output.tables.safe_text`, so a customer named ``=HYPERLINK(...)`` stays text.
"""

from __future__ import annotations

import datetime as dt
import io
import statistics
import unicodedata
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..model import WEEKDAY_NAMES, DayRoute, Problem, Unscheduled, hhmm
from .names import sheet_names
from .tables import safe_text

SUMMARY_SHEET = "Summary"
UNSCHEDULED_SHEET = "Unscheduled"
COURSES_SHEET = "Courses"
COURSES_SHEET_COLUMNS = (
    "rep", "weekday", "order", "customer_id", "customer", "address", "visits", "dates", "usual_start",
)
"""Columns of the courses sheet: for each rep and weekday, one row per customer visited on that
weekday, in visiting order (by its usual start: the median start of its visits on that weekday)."""
REP_SHEET_COLUMNS = (
    "date", "weekday", "seq", "kind", "arrive", "start", "end", "minutes",
    "customer_id", "customer", "address", "travel_min", "travel_km", "wait_min",
)
"""Columns of a rep's sheet: one row per itinerary event; ``minutes`` is ``end - start``."""
SUMMARY_COLUMNS = (
    "rep", "name", "days_worked", "visits_planned", "visits_due", "travel_min", "travel_km",
    "work_min", "wait_min", "overtime_min",
)
UNSCHEDULED_SHEET_COLUMNS = ("customer_id", "customer", "due", "reason", "code")
_BOLD = Font(bold=True)


def _text(value: str) -> str:
    """A text cell: characters XLSX cannot hold removed, formula starts neutralised."""
    return safe_text(ILLEGAL_CHARACTERS_RE.sub("", value))


def _date(value: object) -> dt.date | str:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return str(value or "")


def _time(minutes: int) -> dt.time | str:
    return dt.time(minutes // 60, minutes % 60) if 0 <= minutes < 24 * 60 else hhmm(minutes)


def _width(text: str) -> int:
    """Columns ``text`` takes in Excel: wide (CJK) characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _table(ws: Worksheet, columns: Sequence[str], rows: Sequence[Sequence[Any]], first_row: int = 1) -> None:
    """Write a header and rows from ``first_row``, typed cells formatted, header frozen and filtered."""
    for j, name in enumerate(columns, start=1):
        ws.cell(first_row, j, name).font = _BOLD
    widths = [len(c) + 2 for c in columns]
    for i, row in enumerate(rows, start=first_row + 1):
        for j, value in enumerate(row, start=1):
            cell = ws.cell(i, j, _text(value) if isinstance(value, str) else value)
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, dt.time):
                cell.number_format = "hh:mm"
            shown = _width(str(cell.value)) if not isinstance(value, (dt.date, dt.time)) else 10
            widths[j - 1] = min(60, max(widths[j - 1], shown + 2))
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.freeze_panes = ws.cell(first_row + 1, 1)
    last = max(first_row + 1, first_row + len(rows))
    ws.auto_filter.ref = f"A{first_row}:{get_column_letter(len(columns))}{last}"


def rep_rows(problem: Problem, routes: Sequence[DayRoute], rep_id: str) -> list[list[Any]]:
    """The rows of ``rep_id``'s sheet (see :data:`REP_SHEET_COLUMNS`), by date and seq."""
    address = {c.id: c.address for c in problem.customers}
    rows: list[list[Any]] = []
    for route in sorted((r for r in routes if r.rep == rep_id), key=lambda r: r.date):
        for seq, s in enumerate(route.stops, start=1):
            rows.append([
                route.date, WEEKDAY_NAMES[route.date.weekday()], seq, s.kind,
                _time(s.arrive), _time(s.start), _time(s.end), s.end - s.start,
                s.customer_id, s.customer_name, address.get(s.customer_id, ""),
                s.travel_min, round(s.travel_km, 3), s.wait_min,
            ])
    return rows


def course_rows(problem: Problem, routes: Sequence[DayRoute]) -> list[list[Any]]:
    """The rows of the courses sheet (see :data:`COURSES_SHEET_COLUMNS`): what a rep prints and
    keeps in the car, each weekday's customers in visiting order."""
    customers = {c.id: c for c in problem.customers}
    reps = [r.id for r in problem.reps]
    seen: dict[tuple[str, int, str], list[tuple[dt.date, int]]] = defaultdict(list)
    for route in routes:
        for s in route.visits:
            seen[(route.rep, route.date.weekday(), s.customer_id)].append((route.date, s.start))
    order = sorted(seen, key=lambda k: (reps.index(k[0]) if k[0] in reps else len(reps), k[0], k[1],
                                        statistics.median_low(t for _, t in seen[k]), k[2]))
    rows: list[list[Any]] = []
    for (rep, weekday, cid), visits in ((k, seen[k]) for k in order):
        position = 1 if not rows or rows[-1][:2] != [rep, WEEKDAY_NAMES[weekday]] else rows[-1][2] + 1
        c = customers.get(cid)
        rows.append([
            rep, WEEKDAY_NAMES[weekday], position, cid, c.name if c else "", c.address if c else "", len(visits),
            " ".join(f"{d:%m/%d}" for d, _ in sorted(visits)), _time(statistics.median_low(t for _, t in visits)),
        ])
    return rows


def xlsx_bytes(
    problem: Problem, routes: Sequence[DayRoute], unscheduled: Sequence[Unscheduled], summary: Mapping[str, Any]
) -> bytes:
    """The workbook ``plan.xlsx`` as bytes: sheets ``Summary``, one per rep, ``Courses``, ``Unscheduled``.

    Rep sheets are named by rep id (made safe and unique for Excel, see
    :func:`~routeopt.output.names.sheet_names`); the summary sheet lists each rep's sheet.
    """
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SUMMARY_SHEET
    rep_ids = [r.id for r in problem.reps]
    sheets = sheet_names(rep_ids, taken=(SUMMARY_SHEET, COURSES_SHEET, UNSCHEDULED_SHEET))
    totals, per_rep = summary["totals"], summary["per_rep"]
    options = summary.get("options", {})
    facts: list[tuple[str, Any, str | None]] = [
        ("plan from", _date(options.get("start")), "yyyy-mm-dd"),
        ("plan to", _date(options.get("end")), "yyyy-mm-dd"),
        ("visits planned", totals["visits_planned"], None),
        ("visits due", totals["visits_due"], None),
        ("coverage", totals["coverage"], "0.0%"),
        ("unscheduled visits", totals["visits_unscheduled"], None),
        ("driving, minutes", totals["travel_min"], None),
        ("driving, km", totals["travel_km"], "0.0"),
        ("routeopt", summary.get("routeopt_version", ""), None),
    ]
    for i, (key, value, number_format) in enumerate(facts, start=1):
        ws.cell(i, 1, key).font = _BOLD
        cell = ws.cell(i, 2, _text(value) if isinstance(value, str) else value)
        if number_format:
            cell.number_format = number_format
    names = {r.id: r.name for r in problem.reps}
    rows = [[rid, names[rid], *(per_rep[rid][c] for c in SUMMARY_COLUMNS[2:]), sheets[rid]] for rid in rep_ids]
    sums = [round(sum(r[j] for r in rows), 2) for j in range(2, len(SUMMARY_COLUMNS))]
    rows.append(["total", "", *sums, ""])
    _table(ws, (*SUMMARY_COLUMNS, "sheet"), rows, first_row=len(facts) + 2)
    for letter, needed in (("A", max(_width(key) for key, _, _ in facts)), ("B", 12)):
        ws.column_dimensions[letter].width = max(ws.column_dimensions[letter].width or 0, needed + 2)
    for rid in rep_ids:
        _table(wb.create_sheet(sheets[rid]), REP_SHEET_COLUMNS, rep_rows(problem, routes, rid))
    _table(wb.create_sheet(COURSES_SHEET), COURSES_SHEET_COLUMNS, course_rows(problem, routes))
    cname = {c.id: c.name for c in problem.customers}
    missed = [[u.customer_id, cname.get(u.customer_id, ""), u.due, u.reason, u.code.code]
              for u in sorted(unscheduled, key=lambda u: (u.customer_id, u.due))]
    _table(wb.create_sheet(UNSCHEDULED_SHEET), UNSCHEDULED_SHEET_COLUMNS, missed)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
