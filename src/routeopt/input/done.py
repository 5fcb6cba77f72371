"""The log of what really happened before a re-plan → :class:`~routeopt.model.revision.DoneVisit`
records (``rep,date,customer_id,status`` with ``visited`` or ``missed``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from pathlib import Path

import pandas as pd

from routeopt.input import fields as f
from routeopt.input.schema import DONE_COLUMNS, DONE_STATUS
from routeopt.input.tables import frame_from_dataframe, is_normalized, read_table, records
from routeopt.model.revision import DoneVisit


def done_from_frame(
    df: pd.DataFrame,
    source: str,
    rep_ids: Collection[str] | None = None,
    customer_ids: Collection[str] | None = None,
    period: tuple[dt.date, dt.date] | None = None,
) -> tuple[DoneVisit, ...]:
    """The visits of a ``done`` log, checking every cell.

    Parameters
    ----------
    df
        A frame from :func:`~routeopt.input.tables.read_table` with the log's schema; any other
        frame is normalised first, counting its labels as row 1.
    source
        File name used in error messages.
    rep_ids, customer_ids
        When given, the reps and customers a row may name.
    period
        When given, the first and last day (both inclusive) a row's date may fall on: the plan's
        first day and the day before the re-plan's first day.

    Raises
    ------
    InputError
        At the first bad cell (an unknown rep or customer, a date outside ``period``, a status
        other than visited/missed), naming file, row, column and value; also for two rows about
        the same visit that say different things.
    """
    if not is_normalized(df, DONE_COLUMNS):
        df = frame_from_dataframe(df, source, DONE_COLUMNS)
    out: list[DoneVisit] = []
    seen: dict[tuple[str, dt.date, str], DoneVisit] = {}
    for rec in records(df, DONE_COLUMNS):
        row = int(rec["_row"])
        cid = rec["customer_id"]
        cell = f.Cell(source, row, cid or None, "rep")
        for column in ("rep", "date", "customer_id", "status"):
            if rec[column] == "":
                raise cell.at(column).error("", "is blank; every row names rep, date, customer_id and status")
        rep = rec["rep"]
        if rep_ids is not None and rep not in rep_ids:
            raise cell.error(rep, "is not a rep of the reps table or the plan")
        if customer_ids is not None and cid not in customer_ids:
            raise cell.at("customer_id").error(cid, "is not a customer of the customers table or the plan")
        date = f.parse_date(rec["date"], cell.at("date"))
        assert date is not None
        if period is not None and not period[0] <= date <= period[1]:
            raise cell.at("date").error(rec["date"], f"must lie from {period[0]} to {period[1]}, before the re-plan")
        status = DONE_STATUS.get(f.normalize_text(rec["status"]).casefold())
        if status is None:
            raise cell.at("status").error(rec["status"], "is neither visited nor missed")
        visit = DoneVisit(rep, date, cid, status, row)
        earlier = seen.get((rep, date, cid))
        if earlier is not None and earlier.visited != status:
            raise cell.at("status").error(rec["status"], f"contradicts row {earlier.row} about the same visit")
        if earlier is None:
            seen[(rep, date, cid)] = visit
            out.append(visit)
    return tuple(out)


def read_done(
    path: str | Path,
    rep_ids: Collection[str] | None = None,
    customer_ids: Collection[str] | None = None,
    period: tuple[dt.date, dt.date] | None = None,
) -> tuple[DoneVisit, ...]:
    """Read a ``done`` log (CSV in UTF-8 or CP932, or XLSX); see :func:`done_from_frame`.

    Raises
    ------
    InputError
        When the file cannot be read or a cell is bad; the message is one line naming file,
        row, column and value.
    """
    path = Path(path)
    return done_from_frame(read_table(path, DONE_COLUMNS), path.name, rep_ids, customer_ids, period)
