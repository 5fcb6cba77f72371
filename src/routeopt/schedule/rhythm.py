"""Visit rhythm: which calendar days each next visit of a customer may fall on.

Days here are calendar offsets from the horizon start (day 0 = first day, negative = before the
horizon). A customer's visits form a chain: each gap between consecutive visits (and from
``last_visit`` to the first planned visit) lies in ``[min_gap, max_gap]``; without a last visit
the first one falls in the first ``ceil(T)`` days. Appointments are links of the chain fixed in
advance. A visit that cannot be placed is *missed*: it is reported, and the chain goes on from
the day it was due, so the rest of the customer's rhythm is kept.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

from ..model import Customer, Horizon
from .instance import RepInstance


@dataclass
class Chain:
    """The state of one customer's chain of visits while a planner places them."""

    customer: int
    due: int
    prev: int | None
    appointments: list[int] = field(default_factory=list)
    placed: list[int] = field(default_factory=list)
    missed: list[int] = field(default_factory=list)

    @property
    def remaining(self) -> int:
        return self.due - len(self.placed) - len(self.missed)


@dataclass(frozen=True)
class Window:
    """Where the next visit may go: calendar offsets ``lo..hi`` (inclusive, cut to the horizon),
    the ideal day, and the day it is reported as due if it is missed."""

    lo: int
    hi: int
    ideal: int | None
    due_day: int


def start_chain(index: int, customer: Customer, horizon: Horizon) -> Chain:
    """The chain of ``customer`` at the start of planning."""
    due = customer.rule.due_count(horizon.start, horizon.end, customer.last_visit)
    prev = (customer.last_visit - horizon.start).days if customer.last_visit else None
    appts = sorted((a.date - horizon.start).days for a in customer.appointments)
    return Chain(customer=index, due=max(due, len(appts)), prev=prev, appointments=appts)


def next_window(chain: Chain, customer: Customer, horizon_days: int) -> Window:
    """The allowed days of the chain's next free visit (not an appointment: see
    :func:`next_is_appointment`). Before an appointment, the visit keeps ``min_gap`` to it and
    lies close enough that the free visits left can bridge the rest at ``max_gap`` at most."""
    rule = customer.rule
    if chain.prev is None:
        lo, hi, ideal = 0, rule.first_window_days() - 1, None
        due_day = hi
    else:
        lo, hi = chain.prev + rule.min_gap, chain.prev + rule.max_gap
        ideal = chain.prev + round(rule.target_gap)
        due_day = ideal
    if chain.appointments:
        appt = chain.appointments[0]
        free_left = max(1, chain.remaining - len(chain.appointments))
        hi = min(hi, appt - rule.min_gap)
        lo = max(lo, appt - rule.max_gap * free_left)
    return Window(max(lo, 0), min(hi, horizon_days - 1), ideal, min(max(due_day, 0), horizon_days - 1))


def next_is_appointment(chain: Chain, customer: Customer) -> bool:
    """True when the chain's next visit is its next appointment.

    When the appointment lies too far ahead to be the next visit (more than ``max_gap`` after
    the previous one) and no free visit is left to bridge the gap, one more visit is planned
    than the rhythm's count, so the rhythm holds up to the appointment.
    """
    if not chain.appointments:
        return False
    appt = chain.appointments[0]
    rule = customer.rule
    if chain.prev is None:
        reachable = appt < rule.first_window_days()
    else:
        reachable = appt <= chain.prev + rule.max_gap
    if reachable:
        return True
    if chain.remaining <= len(chain.appointments):
        chain.due += 1  # a bridging visit
    return False


def advance(chain: Chain, day: int | None, customer: Customer, missed_due_day: int | None = None) -> None:
    """Record the next visit on ``day``, or as missed (``day=None``) while it was due on
    ``missed_due_day``: the chain then continues from that day."""
    if day is not None:
        chain.placed.append(day)
        chain.prev = day
    else:
        assert missed_due_day is not None
        chain.missed.append(missed_due_day)
        chain.prev = missed_due_day if chain.prev is None else max(chain.prev + customer.rule.min_gap, missed_due_day)


def offset_date(horizon: Horizon, offset: int) -> dt.date:
    return horizon.start + dt.timedelta(days=offset)


def chain_ok(inst: RepInstance, ci: int, days: list[int], missed: int) -> bool:
    """Is this set of visit days (calendar offsets) valid for customer ``ci`` given ``missed``
    reported misses? Mirrors the checker: every gap ≥ min_gap; over-long gaps (and, without a
    last visit, a first visit after the first T days) at most ``missed``."""
    c = inst.customers[ci]
    rule = c.rule
    days = sorted(days)
    long_gaps = 0
    if c.last_visit is None:
        if days and days[0] >= rule.first_window_days():
            long_gaps += 1
        prev = None
    else:
        prev = (c.last_visit - inst.horizon.start).days
    for d in days:
        if prev is not None:
            gap = d - prev
            if gap < rule.min_gap:
                return False
            if gap > rule.max_gap:
                long_gaps += 1
        prev = d
    return long_gaps <= missed


def chain_with(inst: RepInstance, ci: int, days: list[int], missed: int) -> Callable[[int], bool]:
    """``ok(day)``: would customer ``ci``'s visits on calendar offsets ``days`` and on ``day`` be a
    valid chain with ``missed`` reported misses? The answer of :func:`chain_ok` for ``days + [day]``,
    found from the gaps the new day makes (asked for every working day of the horizon in turn)."""
    c = inst.customers[ci]
    lo, hi = c.rule.min_gap, c.rule.max_gap
    days = sorted(days)
    anchor = None if c.last_visit is None else (c.last_visit - inst.horizon.start).days
    window = c.rule.first_window_days()
    points = ([] if anchor is None else [anchor]) + days
    # a gap too short stays too short when a day splits it
    short = any(b - a < lo for a, b in zip(points, points[1:], strict=False))
    longs = sum(1 for a, b in zip(points, points[1:], strict=False) if b - a > hi)
    first_long = anchor is None and bool(days) and days[0] >= window
    longs += first_long

    def ok(day: int) -> bool:
        if short:
            return False
        k = bisect_right(days, day)
        prev = days[k - 1] if k else anchor
        n = longs
        if prev is not None:
            if day - prev < lo:
                return False
            n += day - prev > hi
        if k < len(days):
            nxt = days[k]
            if nxt - day < lo:
                return False
            n += nxt - day > hi
            if prev is not None:
                n -= nxt - prev > hi
        if anchor is None and not k:  # the new day is the first visit
            n += (day >= window) - first_long
        return n <= missed

    return ok
