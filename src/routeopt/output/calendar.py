"""A rep's plan as an iCalendar file (RFC 5545), written with the maintained ``icalendar`` library.

One event per visit (customer name, address, the drive before it) and one per lunch break, in the
plan's local time zone (``Asia/Tokyo`` by default) with its ``VTIMEZONE``. Each event's ``UID`` is
derived from what the event is — rep, date, customer and which of that customer's visits that
day — so it is the same in every file made from the same plan, and a calendar that re-imports a
new plan updates a visit that only moved in time instead of duplicating it.

A re-planned plan (:class:`~routeopt.model.revision.Revision`) updates a calendar that imported
the plan it was made from (RFC 5545/5546): a visit that moved to another day keeps its UID, every
event carries the revision number as its ``SEQUENCE`` (higher than the old file's), and a visit
the re-plan removed or handed to another rep, or the lunch break of a day no longer worked, is
sent again with ``STATUS:CANCELLED``.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from collections import Counter
from collections.abc import Sequence

from icalendar import Calendar, Event

from ..model import DayRoute, Problem, Stop, hhmm
from ..model.revision import Revision
from ..version import __version__

PRODID = f"-//routeopt//routeopt {__version__}//EN"
UID_DOMAIN = "routeopt"
_NAMESPACE = uuid.UUID("2f8c54d6-5d0e-4c53-9a53-6f1e3c4b7a10")
"""Fixed namespace of routeopt's event UIDs (uuid5 of the event's identity)."""


def event_uid(rep_id: str, date: dt.date, kind: str, customer_id: str = "", nth: int = 1) -> str:
    """The stable UID of one event: the same rep, date, kind, customer and occurrence give the same UID."""
    key = "\x1f".join((rep_id, date.isoformat(), kind, customer_id, str(nth)))
    return f"{uuid.uuid5(_NAMESPACE, key)}@{UID_DOMAIN}"


def _at(date: dt.date, minutes: int, tz: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(date, dt.time(), tzinfo=tz) + dt.timedelta(minutes=minutes)


def _drive(stop: Stop, previous: str) -> str:
    if not stop.travel_min:
        return "No drive before this visit."
    return f"Drive before: {stop.travel_min} min ({stop.travel_km:.1f} km) from {previous}."


def rep_calendar(
    problem: Problem,
    routes: Sequence[DayRoute],
    rep_id: str,
    timezone: str = "Asia/Tokyo",
    stamp: dt.datetime | None = None,
    revision: Revision | None = None,
) -> Calendar:
    """The calendar of ``rep_id``: its visits and lunch breaks over the horizon.

    ``timezone`` is the IANA zone of the plan's local times; ``stamp`` (default: now, UTC) is every
    event's ``DTSTAMP``, when the file was made. For a re-planned plan, ``revision`` gives the
    UIDs of moved visits, the ``SEQUENCE`` of every event and the events to cancel.
    """
    tz = zoneinfo.ZoneInfo(timezone)
    stamp = (stamp or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc).replace(microsecond=0)
    rep = problem.rep(rep_id)
    customers = {c.id: c for c in problem.customers}
    title = f"routeopt: {rep.name} ({rep.id})" if rep.name else f"routeopt: {rep.id}"
    cal = Calendar.new(prodid=PRODID, name=title, uid=uuid.uuid5(_NAMESPACE, f"calendar\x1f{rep_id}"))
    cal.add("X-WR-TIMEZONE", timezone)
    for route in sorted((r for r in routes if r.rep == rep_id), key=lambda r: r.date):
        seen: Counter[str] = Counter()
        previous = "the start"
        visit_no = 0
        for stop in route.stops:
            start, end = _at(route.date, stop.start, tz), _at(route.date, stop.end, tz)
            if stop.kind == "visit":
                visit_no += 1
                seen[stop.customer_id] += 1
                customer = customers.get(stop.customer_id)
                name = stop.customer_name or stop.customer_id
                lines = [
                    f"Visit {visit_no} of the day, customer {stop.customer_id}.",
                    _drive(stop, previous),
                    f"Arrive {hhmm(stop.arrive)}" + (f", wait {stop.wait_min} min." if stop.wait_min else "."),
                ]
                key = (rep_id, route.date, stop.customer_id, seen[stop.customer_id])
                uid = revision.uids.get(key) if revision is not None else None
                event = Event.new(
                    uid=uid or event_uid(*key[:2], "visit", *key[2:]),
                    stamp=stamp, start=start, end=end, summary=name,
                    location=customer.address if customer and customer.address else None,
                    description="\n".join(lines), categories=["visit"],
                )
                event.add("geo", (stop.lat, stop.lon))
                cal.add_component(_revised(event, revision))
                previous = name
            elif stop.kind == "break":
                cal.add_component(_revised(Event.new(
                    uid=event_uid(rep_id, route.date, "break"), stamp=stamp, start=start, end=end,
                    summary="Lunch break", categories=["lunch"],
                ), revision))
    for gone in revision.cancelled if revision is not None else ():
        if gone.rep == rep_id:
            event = Event.new(uid=gone.uid, stamp=stamp, start=_at(gone.date, gone.start, tz),
                              end=_at(gone.date, gone.end, tz), summary=gone.summary)
            event.add("status", "CANCELLED")
            cal.add_component(_revised(event, revision))
    cal.add_missing_timezones()
    return cal


def _revised(event: Event, revision: Revision | None) -> Event:
    """``event`` with the re-plan's ``SEQUENCE`` (a fresh plan's events have none: 0)."""
    if revision is not None:
        event.add("sequence", revision.number)
    return event


def ics_bytes(
    problem: Problem, routes: Sequence[DayRoute], rep_id: str, timezone: str = "Asia/Tokyo",
    stamp: dt.datetime | None = None, revision: Revision | None = None,
) -> bytes:
    """``rep_id``'s calendar as the bytes of an ``.ics`` file (UTF-8, CRLF lines)."""
    return rep_calendar(problem, routes, rep_id, timezone, stamp, revision).to_ical()
