"""The reps table → :class:`~routeopt.model.Rep` records (spec: "Input: reps")."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from routeopt.errors import InputError, where
from routeopt.input import fields as f
from routeopt.input.schema import DEFAULT_LUNCH, DEFAULT_SHIFT, DEFAULT_WORKDAYS, REP_COLUMNS
from routeopt.input.tables import ID_AS_WRITTEN, frame_from_dataframe, is_normalized, read_table, records
from routeopt.model import Rep, hhmm


def _rep(rec: dict[str, str], cell: f.Cell) -> Rep:
    """One rep from one record; ``cell`` is the record's ``id`` cell."""
    start_lat, start_lon = f.parse_coordinates(
        rec["start_lat"], rec["start_lon"], cell.at("start_lat"), cell.at("start_lon")
    )
    end_lat = end_lon = None
    if rec["end_lat"] != "" or rec["end_lon"] != "":
        end_lat, end_lon = f.parse_coordinates(rec["end_lat"], rec["end_lon"], cell.at("end_lat"), cell.at("end_lon"))
    shift = f.parse_window(rec["shift"], cell.at("shift"), DEFAULT_SHIFT)
    lunch_window, lunch_minutes = f.parse_lunch(rec["lunch"], cell.at("lunch"))
    if shift[1] - shift[0] < lunch_minutes:
        raise cell.at("shift").error(
            rec["shift"] or DEFAULT_SHIFT, f"is shorter than its lunch break of {lunch_minutes} min"
        )
    if not (shift[0] <= lunch_window[0] and lunch_window[1] <= shift[1]):
        what = "lies" if rec["lunch"] else f"is blank, and the default {DEFAULT_LUNCH} lies"
        raise cell.at("lunch").error(
            rec["lunch"], f"{what} outside the shift {hhmm(shift[0])}-{hhmm(shift[1])}; give a lunch window inside it"
        )
    workdays = f.parse_weekdays(rec["workdays"], cell.at("workdays"), DEFAULT_WORKDAYS)
    if not workdays:
        raise cell.at("workdays").error(rec["workdays"], "gives no working day")
    days_off = f.parse_dates(rec["days_off"], cell.at("days_off"))
    max_visits = f.parse_max_visits(rec["max_visits"], cell.at("max_visits"))
    try:
        return Rep(
            id=rec["id"],
            name=rec["name"],
            start_lat=start_lat,
            start_lon=start_lon,
            end_lat=end_lat,
            end_lon=end_lon,
            shift=shift,
            lunch_window=lunch_window,
            lunch_minutes=lunch_minutes,
            workdays=workdays,
            days_off=days_off,
            max_visits=max_visits,
        )
    except ValueError as exc:  # a model rule the parsers did not catch first
        raise InputError(f"{where(cell.source, cell.row, cell.record_id)}: {exc}") from None


def reps_from_frame(df: pd.DataFrame, source: str) -> tuple[Rep, ...]:
    """Build the reps of a table, checking every cell.

    Parameters
    ----------
    df
        A frame from :func:`~routeopt.input.tables.read_table` with the rep schema; any other
        frame is normalised first, counting its labels as row 1.
    source
        File name used in error messages.

    Returns
    -------
    tuple of Rep
        In file order. Defaults: end = start, ``shift`` 09:00-18:00, ``lunch`` 11:30-13:30/45,
        ``workdays`` mon-fri, no days off, no visit limit.

    Raises
    ------
    InputError
        At the first bad cell, naming file, row, rep id, column and value; also for a duplicate
        id (naming both rows), a rep with no workdays, a shift shorter than its lunch break, and
        a lunch window outside the shift.
    """
    if not is_normalized(df, REP_COLUMNS):
        df = frame_from_dataframe(df, source, REP_COLUMNS)
    rows = f.rows_with_unique_ids(records(df, REP_COLUMNS), source, "rep", df.attrs.get(ID_AS_WRITTEN))
    return tuple(_rep(rec, cell) for rec, cell in rows)


def read_reps(path: str | Path, sheet: str | None = None) -> tuple[Rep, ...]:
    """Read a reps file (CSV in UTF-8, UTF-16 or CP932, or XLSX) into reps.

    ``sheet`` names the worksheet of a workbook (default: the one holding the reps' columns).

    Raises
    ------
    InputError
        When the file cannot be read or any cell is bad; the message is one line naming file,
        row, column and value.
    """
    path = Path(path)
    return reps_from_frame(read_table(path, REP_COLUMNS, sheet), path.name)
