"""The customers table → :class:`~routeopt.model.Customer` records (spec: "Input: customers")."""

from __future__ import annotations

import dataclasses
import warnings
from collections import Counter
from pathlib import Path

import pandas as pd

from routeopt.errors import InputError, RouteoptWarning, where
from routeopt.input import fields as f
from routeopt.input.hours import parse_hours, with_closed_rule
from routeopt.input.schema import CUSTOMER_COLUMNS, DEFAULT_VISIT_MINUTES
from routeopt.input.tables import ID_AS_WRITTEN, frame_from_dataframe, is_normalized, read_table, records
from routeopt.model import Appointment, Customer, Horizon, hhmm
from routeopt.model.hours import opening_windows


def _check_appointment(
    appt: Appointment, customer: Customer, cell: f.Cell, value: str, horizon: Horizon | None, single: bool
) -> None:
    """Raise when ``appt`` cannot be kept: too late in the day for the visit; and, with the
    ``horizon`` it lies in, on a closed day, outside hours, too soon after the visit before it
    (``customer`` then holds the appointments of the horizon only). One on a day the rep does not
    work — weekend, day off, public holiday — is the plan's to report as unscheduled, like any
    visit the rep's calendar leaves no room for. ``single``: the cell holds one appointment."""
    prefix = "" if single else f'has "{appt.date} {hhmm(appt.start)}", which '
    end = appt.start + customer.visit_minutes
    if end > 24 * 60:
        raise cell.error(value, f"{prefix}leaves no room for a {customer.visit_minutes}-minute visit before midnight")
    if horizon is None:
        return
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
        it must fall on a day the customer is open and within the opening hours of that day.
        Appointments outside it are part of the book but not of this plan: earlier ones are
        history, later ones are left for a later plan (the rhythm counts from ``last_visit``
        alone); one :class:`~routeopt.errors.RouteoptWarning` says how many there were.

    Returns
    -------
    tuple of Customer
        In file order. Defaults: ``visit_minutes`` 30, ``frequency`` weekly, ``priority`` 1,
        ``hours`` ``None`` (the rep's shift), ``locked`` false.

    Raises
    ------
    InputError
        At the first bad cell, naming file, row, customer id, column and value; also for a
        duplicate id (naming both rows; ids are compared after NFKC normalisation, so ``A001``
        and ``Ａ001`` are the same), a row without coordinates, and a locked customer without a
        rep.
    """
    if not is_normalized(df, CUSTOMER_COLUMNS):
        df = frame_from_dataframe(df, source, CUSTOMER_COLUMNS)
    rows = f.rows_with_unique_ids(records(df, CUSTOMER_COLUMNS), source, "customer", df.attrs.get(ID_AS_WRITTEN))
    outside: Counter[str] = Counter()
    found = tuple(_customer(rec, cell, rep_ids, horizon, outside) for rec, cell in rows)
    if outside and horizon is not None:
        _warn_outside(outside, source, horizon)
    return found


def _warn_outside(outside: Counter[str], source: str, horizon: Horizon) -> None:
    """One warning saying how many appointments lie outside the plan, and what became of them."""
    total = outside["before"] + outside["after"]
    parts = []
    if outside["before"]:
        parts.append(f"{outside['before']} before it (history)")
    if outside["after"]:
        parts.append(f"{outside['after']} after it (left for a later plan)")
    warnings.warn(
        f"{source}: {total} appointment{'s' if total > 1 else ''} outside the plan ({horizon.start} to "
        f"{horizon.end}) {'are' if total > 1 else 'is'} not planned: {', '.join(parts)}.",
        RouteoptWarning,
        stacklevel=3,
    )


def _in_horizon(customer: Customer, horizon: Horizon | None, outside: Counter[str]) -> Customer:
    """``customer`` with only the appointments inside ``horizon`` (those outside are counted in
    ``outside``): earlier ones are history, later ones are for a later plan. They do not move the
    last visit (whether one took place is the last_visit column's to say) and do not bound the
    visits of this plan."""
    if horizon is None:
        return customer
    inside = tuple(a for a in customer.appointments if horizon.start <= a.date <= horizon.end)
    if len(inside) == len(customer.appointments):
        return customer
    outside["before"] += sum(a.date < horizon.start for a in customer.appointments)
    outside["after"] += sum(a.date > horizon.end for a in customer.appointments)
    return dataclasses.replace(customer, appointments=inside)


def _customer(
    rec: dict[str, str], cell: f.Cell, rep_ids: set[str] | None, horizon: Horizon | None, outside: Counter[str]
) -> Customer:
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
    closed = f.parse_closed(rec["closed"], cell.at("closed"))
    hours = with_closed_rule(parse_hours(rec["hours"], cell.at("hours")), closed.rule)
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
            closed_weekdays=closed.weekdays,
            closed_dates=closed.dates,
            priority=priority,
            last_visit=last_visit,
            appointments=appointments,
            locked=locked,
            holiday_rules=f.mentions_holidays(rec["closed"]) or f.mentions_holidays(rec["hours"]),
        )
    except ValueError as exc:  # a model rule the parsers did not catch first
        raise InputError(f"{where(cell.source, cell.row, cell.record_id)}: {exc}") from None
    planned = _in_horizon(customer, horizon, outside)
    single = len(customer.appointments) == 1
    for appt in customer.appointments:  # one outside the plan is only checked to fit before midnight
        within = horizon if appt in planned.appointments else None
        _check_appointment(appt, planned, cell.at("appointment"), rec["appointment"], within, single)
    return planned


def read_customers(
    path: str | Path,
    rep_ids: set[str] | None = None,
    horizon: Horizon | None = None,
    sheet: str | None = None,
) -> tuple[Customer, ...]:
    """Read a customers file (CSV in UTF-8, UTF-16 or CP932, or XLSX) into customers.

    Parameters
    ----------
    path
        The file; see :func:`~routeopt.input.tables.read_table` for formats.
    rep_ids, horizon
        Optional cross checks, as in :func:`customers_from_frame`.
    sheet
        The worksheet of a workbook to read (default: the one holding the customers' columns).

    Raises
    ------
    InputError
        When the file cannot be read or any cell is bad; the message is one line naming file,
        row, column and value.
    """
    path = Path(path)
    return customers_from_frame(read_table(path, CUSTOMER_COLUMNS, sheet), path.name, rep_ids, horizon)
