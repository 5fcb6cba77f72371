"""The customers table → :class:`~routeopt.model.Customer` records (spec: "Input: customers")."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from routeopt.errors import InputError, where
from routeopt.input import fields as f
from routeopt.input.hours import parse_hours
from routeopt.input.schema import CUSTOMER_COLUMNS, DEFAULT_VISIT_MINUTES
from routeopt.input.tables import frame_from_dataframe, is_normalized, read_table, records
from routeopt.model import Appointment, Customer, Horizon, hhmm
from routeopt.model.hours import opening_windows


def _check_appointment(
    appt: Appointment, customer: Customer, cell: f.Cell, value: str, horizon: Horizon | None
) -> None:
    """Raise when ``appt`` cannot be kept: outside the horizon, on a closed day, outside hours.
    (One on a day the rep does not work — weekend, day off, public holiday — is the plan's to
    report as unscheduled, like any visit the rep's calendar leaves no room for.)"""
    single = len(customer.appointments) == 1
    prefix = "" if single else f'has "{appt.date} {hhmm(appt.start)}", which '
    end = appt.start + customer.visit_minutes
    if end > 24 * 60:
        raise cell.error(value, f"{prefix}leaves no room for a {customer.visit_minutes}-minute visit before midnight")
    if horizon is None:
        return
    if not horizon.start <= appt.date <= horizon.end:
        raise cell.error(value, f"{prefix}is outside the plan, {horizon.start} to {horizon.end}")
    if appt.date.weekday() in customer.closed_weekdays or appt.date in customer.closed_dates:
        raise cell.error(value, f"{prefix}falls on a day the customer is closed")
    rule = customer.rule
    earlier = [a.date for a in customer.appointments if a.date < appt.date]
    if customer.last_visit is not None:
        earlier.append(customer.last_visit)
    if earlier and (appt.date - max(earlier)).days < rule.min_gap:
        gap = (appt.date - max(earlier)).days
        raise cell.error(
            value,
            f"{prefix}is only {gap} day{'' if gap == 1 else 's'} after the visit on {max(earlier)}, but the rhythm "
            f"needs at least {rule.min_gap} (lower min_gap_days to allow it)",
        )
    windows = opening_windows(customer.hours, appt.date)
    if windows is not None and not any(a <= appt.start and end <= b for a, b in windows):
        hours = ", ".join(f"{hhmm(a)}-{hhmm(b)}" for a, b in windows) or "closed all day"
        raise cell.error(
            value,
            f"{prefix}puts a {customer.visit_minutes}-minute visit outside the opening hours of that day ({hours})",
        )


def customers_from_frame(
    df: pd.DataFrame,
    source: str,
    rep_ids: set[str] | None = None,
    horizon: Horizon | None = None,
) -> tuple[Customer, ...]:
    """Build the customers of a table, checking every cell.

    Parameters
    ----------
    df
        A frame from :func:`~routeopt.input.tables.read_table` with the customer schema; any other
        frame (e.g. one built with pandas, with aliases as column labels and numbers as cells) is
        normalised first, counting its labels as row 1.
    source
        File name used in error messages.
    rep_ids
        When given, every non-blank ``rep`` must be one of these ids.
    horizon
        When given, every ``last_visit`` must fall before its start, and every appointment inside
        it, not on a closed day and within the opening hours of its day.

    Returns
    -------
    tuple of Customer
        In file order. Defaults: ``visit_minutes`` 30, ``frequency`` weekly, ``priority`` 1,
        ``hours`` ``None`` (the rep's shift), ``locked`` false.

    Raises
    ------
    InputError
        At the first bad cell, naming file, row, customer id, column and value; also for a
        duplicate id (naming both rows), a row without coordinates, and a locked customer
        without a rep.
    """
    if not is_normalized(df, CUSTOMER_COLUMNS):
        df = frame_from_dataframe(df, source, CUSTOMER_COLUMNS)
    rows = f.rows_with_unique_ids(records(df, CUSTOMER_COLUMNS), source, "customer")
    return tuple(_customer(rec, cell, rep_ids, horizon) for rec, cell in rows)


def _customer(rec: dict[str, str], cell: f.Cell, rep_ids: set[str] | None, horizon: Horizon | None) -> Customer:
    """One customer from one record; ``cell`` is the record's ``id`` cell. Cells are checked in
    the schema's column order, so the first bad cell of a row is the one reported."""
    if rec["lat"] == "" and rec["lon"] == "" and rec["address"] != "":
        raise cell.at("lat").error("", "is blank and the row has only an address: run `routeopt geocode` first")
    lat, lon = f.parse_coordinates(rec["lat"], rec["lon"], cell.at("lat"), cell.at("lon"))
    rep = rec["rep"] or None
    if rep is not None and rep_ids is not None and rep not in rep_ids:
        known = ", ".join(sorted(rep_ids)[:5]) + (" …" if len(rep_ids) > 5 else "")
        raise cell.at("rep").error(rep, f"is not in the reps file (known reps: {known or 'none'})")
    target = f.parse_frequency(rec["frequency"], cell.at("frequency"))
    visit_minutes = f.parse_visit_minutes(rec["visit_minutes"], cell.at("visit_minutes"), DEFAULT_VISIT_MINUTES)
    hours = parse_hours(rec["hours"], cell.at("hours"))
    closed_weekdays, closed_dates = f.parse_closed(rec["closed"], cell.at("closed"))
    priority = f.parse_priority(rec["priority"], cell.at("priority"))
    last_visit = f.parse_date(rec["last_visit"], cell.at("last_visit"))
    if last_visit is not None and horizon is not None and last_visit >= horizon.start:
        raise cell.at("last_visit").error(rec["last_visit"], f"must be before the plan starts on {horizon.start}")
    appointments = f.parse_appointments(rec["appointment"], cell.at("appointment"))
    locked = f.parse_bool(rec["locked"], cell.at("locked"))
    if locked and rep is None:
        raise cell.at("locked").error(rec["locked"], "needs a rep to keep the customer with, but rep is blank")
    rule = f.visit_rule(
        target,
        f.parse_gap_days(rec["min_gap_days"], cell.at("min_gap_days")),
        f.parse_gap_days(rec["max_gap_days"], cell.at("max_gap_days")),
        cell.at("min_gap_days"),
        cell.at("max_gap_days"),
    )
    try:
        customer = Customer(
            id=rec["id"],
            lat=lat,
            lon=lon,
            name=rec["name"],
            address=rec["address"],
            rep=rep,
            rule=rule,
            visit_minutes=visit_minutes,
            hours=hours,
            closed_weekdays=closed_weekdays,
            closed_dates=closed_dates,
            priority=priority,
            last_visit=last_visit,
            appointments=appointments,
            locked=locked,
            holiday_rules=f.mentions_holidays(rec["closed"]) or f.mentions_holidays(rec["hours"]),
        )
    except ValueError as exc:  # a model rule the parsers did not catch first
        raise InputError(f"{where(cell.source, cell.row, cell.record_id)}: {exc}") from None
    for appt in customer.appointments:
        _check_appointment(appt, customer, cell.at("appointment"), rec["appointment"], horizon)
    return customer


def read_customers(
    path: str | Path,
    rep_ids: set[str] | None = None,
    horizon: Horizon | None = None,
) -> tuple[Customer, ...]:
    """Read a customers file (CSV in UTF-8 or CP932, or XLSX) into customers.

    Parameters
    ----------
    path
        The file; see :func:`~routeopt.input.tables.read_table` for formats.
    rep_ids, horizon
        Optional cross checks, as in :func:`customers_from_frame`.

    Raises
    ------
    InputError
        When the file cannot be read or any cell is bad; the message is one line naming file,
        row, column and value.
    """
    path = Path(path)
    return customers_from_frame(read_table(path, CUSTOMER_COLUMNS), path.name, rep_ids, horizon)
