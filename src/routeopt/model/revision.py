"""What a re-plan adds to a plan: what really happened before it, what it changed, and how its
calendars update the old ones.

A re-plan keeps the plan's horizon; the days before ``replanned_from`` are history. Each
changed visit is one :class:`Change`. Calendar events are identified by a UID that a visit keeps
when it moves to another day of the same rep (:attr:`Revision.uids`), so that a calendar which
imported the old plan updates the event instead of adding a second one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

CHANGE_KINDS = ("added", "removed", "moved_day", "moved_rep", "retimed")
"""Kinds of :class:`Change`, from the visit's point of view: a new visit, a visit no longer
made, a visit on another day of the same rep, a visit made by another rep, and a visit on the
same day at another time."""

VisitKey = tuple[str, dt.date, str, int]
"""A visit in a plan: rep, date, customer id, and which of that customer's visits that day (1, 2 …)."""


@dataclass(frozen=True)
class DoneVisit:
    """One line of the log of what really happened before a re-plan: ``rep`` visited (or, when
    ``visited`` is false, missed) ``customer_id`` on ``date``. ``row`` is its spreadsheet row in
    the log (for messages), when it came from a table."""

    rep: str
    date: dt.date
    customer_id: str
    visited: bool
    row: int | None = None


@dataclass(frozen=True)
class Change:
    """One visit a re-plan changed. ``old_*`` is where and when it was (``None`` for an added
    visit), ``new_*`` where and when it is (``None`` for a removed one); starts are minutes after
    midnight. ``reason`` says why, in a manager's words."""

    change: str
    customer_id: str
    customer_name: str
    old_rep: str | None
    old_date: dt.date | None
    old_start: int | None
    new_rep: str | None
    new_date: dt.date | None
    new_start: int | None
    reason: str

    def __post_init__(self) -> None:
        if self.change not in CHANGE_KINDS:
            raise ValueError(f"change {self.change!r} is not one of {', '.join(CHANGE_KINDS)}.")
        if (self.old_date is None) != (self.change == "added") or (self.new_date is None) != (self.change == "removed"):
            raise ValueError(f"change {self.change} of {self.customer_id}: old and new place do not fit the kind.")

    @property
    def rep(self) -> str:
        """The rep whose calendar shows the change: the new one, or the old one for a removed visit."""
        rep = self.new_rep if self.new_rep is not None else self.old_rep
        assert rep is not None
        return rep

    @property
    def date(self) -> dt.date:
        """The visit's new date, or its old one for a removed visit."""
        date = self.new_date if self.new_date is not None else self.old_date
        assert date is not None
        return date


@dataclass(frozen=True)
class CancelledEvent:
    """A calendar event of the old plan that the re-plan withdraws (a visit removed or handed to
    another rep, a lunch break of a day no longer worked): sent with ``STATUS:CANCELLED``."""

    rep: str
    uid: str
    date: dt.date
    start: int
    end: int
    summary: str


@dataclass(frozen=True)
class Revision:
    """How a re-planned plan differs from the plan it was made from.

    ``number`` counts re-plans (1 for the re-plan of a fresh plan); calendar events carry it as
    their ``SEQUENCE``. ``uids`` gives the calendar UID of each visit whose UID is not the one
    its place gives (:func:`routeopt.output.calendar.event_uid`): a visit that moved to another
    day keeps the UID it had."""

    replanned_from: dt.date
    number: int
    changes: tuple[Change, ...] = ()
    uids: Mapping[VisitKey, str] = field(default_factory=dict)
    cancelled: tuple[CancelledEvent, ...] = ()

    def __post_init__(self) -> None:
        if self.number < 1:
            raise ValueError(f"revision number {self.number} must be >= 1.")

    def counts(self) -> dict[str, int]:
        """Changed visits per kind of change, every kind listed."""
        return {kind: sum(1 for c in self.changes if c.change == kind) for kind in CHANGE_KINDS}
