"""One rep's scheduling problem in solver form: nodes, travel matrices, working days, windows.

Once customers are assigned, each rep's problem is independent of the others; this is the unit
that planners solve (possibly in parallel processes, so it only holds plain, picklable data).

Node numbering: 0 = the rep's start, 1 = the rep's end, ``2 + i`` = ``customers[i]``.

A *day* in solver form is one route: for a rep, one working day. The research literature's
instances (see :mod:`routeopt.bench`) have several vehicles a day: each vehicle-day is then its
own route, and ``offsets`` maps every route to its calendar day, so several routes share one.
Their customers keep a fixed set of allowed visit-day ``patterns`` instead of a rhythm of gaps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

import numpy as np

from ..errors import TooManyCustomersError
from ..model import Customer, Horizon, Rep, Window
from ..model.hours import opening_windows
from ..route.compiled import DayArrays, as_array, day_arrays, kernel
from ..route.compiled import time_day as compiled_time_day
from ..route.timing import DayRules, Timing, time_day
from ..travel import Point, TravelModel, end_point, start_point
from .solution import Miss

FIRST_CUSTOMER = 2
MEMO_SIZE = 100_000
"""Day timings (and insertion searches) an instance remembers before it starts afresh (about 100 MB at
the most each)."""
FACTS_SIZE = 10_000
"""Routes whose :class:`RouteFacts` an instance remembers before it starts afresh: those of the plan
being searched and of the routes its moves try (a few hundred at a time on the bundled example)."""
NEAR = 8
"""How many nearest customers :meth:`RepInstance.near` lists."""
MAX_CUSTOMERS = 5_000
"""Most customers one rep can be planned with. An instance holds dense travel matrices of
(n + 2)² entries as Python tuples: measured, 41 bytes per entry kept and 65 at the peak of
:func:`build_instance` (584 MB for 3,000 customers), so 5,000 customers take about 1.6 GB, and
as much again in a worker process when reps are planned side by side. A route-sales rep's book
is a few hundred customers; a table far beyond this is a whole company's, to be split first."""


def above_capacity(load: float, capacity: float | None) -> float:
    """How far a route's ``load`` lies above ``capacity``: 0 when within it (give or take rounding: the
    kernel's mirror, :func:`~routeopt.route.kernel._over`, allows the same 1e-9) or without one."""
    if capacity is None:
        return 0.0
    excess = load - capacity
    return excess if excess > 1e-9 else 0.0


class RouteFacts(NamedTuple):
    """What a route offers every search for a visit's place in it (:meth:`RepInstance.facts`)."""

    savable: float
    """:meth:`RepInstance.savable`: the most a visit inserted can lower the rest of the route's cost by."""
    load: float
    """The demand of its visits (0 without capacity)."""
    off_course: int
    """How many of its visits are off their customers' courses on its day."""
    array: Any
    """Its visits as the compiled kernel's array (``None`` without compiled code)."""


def check_size(rep: str | None, customers: int) -> None:
    """Refuse, before any work, a rep (``None``: the customers without a rep, whose nearest rep is
    found with a matrix of the same kind) with more than :data:`MAX_CUSTOMERS` customers.

    Raises
    ------
    TooManyCustomersError
        When ``customers`` exceeds :data:`MAX_CUSTOMERS`.
    """
    if customers > MAX_CUSTOMERS:
        raise TooManyCustomersError(rep, customers, MAX_CUSTOMERS)


@dataclass(frozen=True)
class RepInstance:
    """Everything needed to plan one rep. ``windows[d][node]`` are the open windows of ``node`` on
    working day ``d`` cut to the shift (empty = closed that day).

    ``demand`` (per node) is checked against ``rules.capacity``; ``patterns``, when given, are
    per customer the allowed sets of calendar offsets of its visits (replacing the rhythm of
    gaps of ``customers[i].rule``).

    Preferences of the plan (see :mod:`~routeopt.schedule.regularity`), priced in each day's
    :attr:`Timing.preference`: ``courses`` are per customer the weekdays (0 = Monday) of its course
    (empty: none), each visit off them costing ``off_course``; with ``strict_courses`` the
    windows already close every customer on the days off its course. ``times`` are per customer
    the minutes (earliest, latest) its visits may start at no cost (``None``: any time), each minute
    a visit starts outside them costing ``off_time``. ``band`` is the working minutes a day may
    have before each further minute costs ``over_band``.

    Remembered searches: :meth:`time` keeps the day timings it made, ``inserts`` the insertion
    searches of :func:`~routeopt.schedule.construct.insertion_into` (up to :data:`MEMO_SIZE` each)."""

    rep: Rep
    customers: tuple[Customer, ...]
    horizon: Horizon
    days: tuple[dt.date, ...]
    offsets: tuple[int, ...]
    travel: tuple[tuple[int, ...], ...]
    km: tuple[tuple[float, ...], ...]
    duration: tuple[int, ...]
    windows: tuple[tuple[tuple[Window, ...], ...], ...]
    rules: DayRules
    demand: tuple[float, ...] | None = None
    patterns: tuple[tuple[frozenset[int], ...], ...] | None = None
    courses: tuple[frozenset[int], ...] | None = None
    off_course: float = 0.0
    strict_courses: bool = False
    times: tuple[tuple[float, float] | None, ...] | None = None
    off_time: float = 0.0
    band: float | None = None
    over_band: float = 0.0
    _memo: dict[tuple[object, ...], tuple[Timing | None, float]] = field(default_factory=dict, init=False,
                                                                          repr=False, compare=False)
    inserts: dict[tuple[object, ...], object] = field(default_factory=dict, init=False, repr=False, compare=False)
    _facts: dict[tuple[int, int], tuple[Timing, RouteFacts]] = field(default_factory=dict, init=False, repr=False,
                                                                     compare=False)
    _near: list[tuple[int, ...]] = field(default_factory=list, init=False, repr=False, compare=False)
    _arrays: list[DayArrays | None] = field(default_factory=list, init=False, repr=False, compare=False)

    def time(self, day: int, seq: Sequence[int], fixed: Mapping[int, int], overload: float = 0.0) -> Timing | None:
        """The timing of route ``day`` visiting ``seq`` (``None`` if it breaks a rule: time
        windows, shift, lunch, visit cap, capacity or route duration).

        ``overload`` is the cost per unit of load above the vehicle's capacity; 0 (the default)
        makes capacity a hard rule. A search passes a positive cost for a while to pass through
        overloaded routes on its way to better plans (see :mod:`routeopt.schedule.penalty`); the
        excess is then priced in :attr:`Timing.penalty`.

        Remembered: a search asks for the same day and order again and again (about 70 % of the
        calls on the bundled example), so answers are kept, up to :data:`MEMO_SIZE` of them."""
        key = (day, tuple(seq), tuple(fixed.items()) if fixed else ())
        memo = self._memo
        known = memo.get(key)  # the timing, and the load above capacity
        excess = self.excess_load(seq) if known is None else known[1]
        if excess and not overload:
            return None
        if known is None:
            if len(memo) >= MEMO_SIZE:
                memo.clear()
            known = memo[key] = (self._time(day, seq, fixed), excess)
        timing = known[0]
        if excess and timing is not None:
            priced = (key, overload)  # an overloaded timing at this cost
            if priced not in memo:
                memo[priced] = (replace(timing, penalty=excess * overload), excess)
            timing = memo[priced][0]
        return timing

    def forget(self) -> None:
        """Empty the remembered day timings and insertion searches (they are made again when asked)."""
        self._memo.clear()
        self.inserts.clear()
        self._facts.clear()

    def facts(self, day: int, seq: Sequence[int], timing: Timing) -> RouteFacts:
        """What every search for a visit's place in route ``day`` visiting ``seq`` (timed as ``timing``)
        needs of the route, whatever the visit. Remembered per timing: a route is searched for one visit
        after another."""
        key = (day, id(timing))
        known = self._facts.get(key)
        if known is not None and known[0] is timing:  # the timing is kept with its facts: its id is its own
            return known[1]
        if len(self._facts) >= FACTS_SIZE:
            self._facts.clear()
        off = self.off_course_count(day, seq) if self.off_course else 0
        found = RouteFacts(self.savable(seq, timing), self.load(seq), off,
                           as_array(seq) if self.arrays() is not None else None)
        self._facts[key] = (timing, found)
        return found

    def load(self, seq: Sequence[int]) -> float:
        """The demand of the visits ``seq`` (0 without capacity)."""
        if self.rules.capacity is None or self.demand is None:
            return 0
        return sum(map(self.demand.__getitem__, seq))

    def excess_load(self, seq: Sequence[int]) -> float:
        """Load of ``seq`` above the vehicle's capacity (0 when within it or without capacity)."""
        return self.over_capacity(self.load(seq))

    def over_capacity(self, load: float) -> float:
        """How far visits of ``load`` in all lie above the vehicle's capacity (:func:`above_capacity`; 0
        without demands)."""
        return above_capacity(load, self.rules.capacity) if self.demand is not None else 0.0

    def _time(self, day: int, seq: Sequence[int], fixed: Mapping[int, int]) -> Timing | None:
        rules = self.rules
        arrays = self.arrays()
        if arrays is not None:
            timing = compiled_time_day(arrays, day, seq, fixed)
        else:
            timing = time_day(seq, self.travel, self.duration, self.windows[day], fixed, rules)
        if timing is not None and rules.max_duration is not None and self.busy(seq, timing) > rules.max_duration + 1e-9:
            return None
        if timing is not None and (self.off_course or self.off_time or self.band is not None):
            timing = replace(timing, preference=self.preference(day, seq, timing))
        return timing

    def preference(self, day: int, seq: Sequence[int], timing: Timing) -> float:
        """What route ``day`` visiting ``seq`` (timed as ``timing``) costs for the plan's preferences:
        ``off_course`` per visit off its customer's course, ``over_band`` per working minute above ``band``,
        ``off_time`` per minute a visit starts outside its customer's ``times``."""
        cost = self.off_course_cost(day, seq)
        if self.band is not None:
            cost += self.over_band * max(0.0, timing.work_min - self.band)
        return cost + self.off_time_cost(seq, timing)

    def off_time_cost(self, seq: Sequence[int], timing: Timing) -> float:
        """The part of :meth:`preference` for visits starting outside their customers' ``times``."""
        cost = 0.0
        if self.off_time and self.times is not None:
            times = self.times
            for node, start in zip(seq, timing.start, strict=True):
                slot = times[node - FIRST_CUSTOMER]
                if slot is not None:
                    cost += self.off_time * max(0.0, slot[0] - start, start - slot[1])
        return cost

    def savable(self, seq: Sequence[int], timing: Timing) -> float:
        """The most a visit inserted into a route visiting ``seq`` (timed as ``timing``) can lower the
        rest of its cost by: its waiting, with the working minutes above the ``band`` that the waiting
        fills, and what its visits cost for starting outside their ``times`` (a visit inserted before
        them may bring them into their slots)."""
        cost = timing.wait_weight * timing.wait_min
        if self.band is not None:
            cost += self.over_band * min(timing.wait_min, max(0.0, timing.work_min - self.band))
        return cost + self.off_time_cost(seq, timing)

    def off_course_cost(self, day: int, seq: Sequence[int]) -> float:
        """The part of :meth:`preference` that does not depend on the timing: ``off_course`` per visit off its
        customer's course."""
        return self.off_course * self.off_course_count(day, seq) if self.off_course else 0.0

    def off_course_count(self, day: int, seq: Sequence[int]) -> int:
        """How many visits of ``seq`` on route ``day`` are off their customers' courses."""
        if self.courses is None:
            return 0
        weekday, courses = self.days[day].weekday(), self.courses
        return sum(1 for n in seq if courses[n - FIRST_CUSTOMER] and weekday not in courses[n - FIRST_CUSTOMER])

    def arrays(self) -> DayArrays | None:
        """This instance as the arrays of the compiled day timing (:mod:`~routeopt.route.compiled`), or
        ``None`` to plan in pure Python: when compiled code is off or unavailable, or when demands are not
        whole numbers, or visit durations (their sums could then depend on the order of the visits)."""
        if not self._arrays:
            whole = all(float(x).is_integer() for x in (*(self.demand or ()), *self.duration))
            usable = whole and kernel() is not None
            times = None
            if self.off_time and self.times is not None:
                times = [None] * FIRST_CUSTOMER + list(self.times)
            self._arrays.append(day_arrays(self.travel, self.duration, self.windows, self.rules, self.span(),
                                           self.band, self.over_band, times, self.off_time, self.demand)
                                if usable else None)
        return self._arrays[0]

    def busy(self, seq: Sequence[int], timing: Timing | None) -> float:
        """Minutes of driving plus visiting of route ``seq`` (timed as ``timing``; ``None`` when empty)."""
        return (timing.travel_min if timing is not None else 0) + sum(map(self.duration.__getitem__, seq))

    def room(self, seq: Sequence[int], timing: Timing | None) -> float:
        """Minutes of driving plus visiting that route ``seq`` (timed as ``timing``; ``None`` when
        empty) could still take on: its shift holds all its driving, visits and lunch, and
        ``max_duration`` its driving and visits. Negative or zero = full."""
        return self.span() - self.busy(seq, timing)

    def span(self) -> float:
        """Minutes of driving plus visiting a route can hold: its shift less lunch, and at most ``max_duration``."""
        rules = self.rules
        span: float = rules.shift[1] - rules.shift[0] - (rules.lunch_minutes if rules.lunch_window is not None else 0)
        if rules.max_duration is not None:
            span = min(span, rules.max_duration)
        return span

    def near(self, ci: int) -> tuple[int, ...]:
        """The :data:`NEAR` customers nearest to customer ``ci`` (by driving there and back; the
        lower index first among equals)."""
        if not self._near:
            n, first = len(self.customers), FIRST_CUSTOMER
            travel = np.array(self.travel, dtype=np.float64)[first:first + n, first:first + n]
            for a in range(n):
                both = travel[a] + travel[:, a]
                order = np.argsort(both, kind="stable")[:NEAR + 1]
                self._near.append(tuple(int(b) for b in order if b != a)[:NEAR])
        return self._near[ci]

    def missed_weight(self, missed: Iterable[Miss]) -> float:
        """What ``missed`` visits weigh: each its customer's priority (rounded, so that the order
        of the sum does not matter)."""
        return round(sum(self.customers[m.customer].priority for m in missed), 9)

    @property
    def n_nodes(self) -> int:
        return FIRST_CUSTOMER + len(self.customers)

    def node(self, customer_index: int) -> int:
        return FIRST_CUSTOMER + customer_index

    def customer(self, node: int) -> Customer:
        return self.customers[node - FIRST_CUSTOMER]


def cut(windows: tuple[Window, ...], bounds: Window) -> tuple[Window, ...]:
    """Intersect ``windows`` with ``bounds``, dropping empty pieces."""
    out = []
    for a, b in windows:
        a, b = max(a, bounds[0]), min(b, bounds[1])
        if a < b:
            out.append((a, b))
    return tuple(out)


def customer_windows(customer: Customer, date: dt.date, shift: Window) -> tuple[Window, ...]:
    """Open windows of ``customer`` on ``date`` within ``shift``: none on a closed day."""
    if date.weekday() in customer.closed_weekdays or date in customer.closed_dates:
        return ()
    hours = opening_windows(customer.hours, date)
    return cut(hours if hours is not None else (shift,), shift)


def build_instance(rep: Rep, customers: tuple[Customer, ...], horizon: Horizon, travel: TravelModel) -> RepInstance:
    """Build the solver form of ``rep``'s problem with its ``customers``."""
    points = [start_point(rep), end_point(rep)]
    points += [Point(c.id, c.lat, c.lon) for c in customers]
    mats = travel.matrices(points)
    days = horizon.working_days(rep)
    windows = tuple(
        ((), ()) + tuple(customer_windows(c, d, rep.shift) for c in customers) for d in days
    )
    return RepInstance(
        rep=rep,
        customers=customers,
        horizon=horizon,
        days=days,
        offsets=tuple((d - horizon.start).days for d in days),
        travel=tuple(tuple(int(x) for x in row) for row in mats.minutes.tolist()),
        km=tuple(tuple(float(x) for x in row) for row in mats.km.tolist()),
        duration=(0, 0) + tuple(c.visit_minutes for c in customers),
        windows=windows,
        rules=DayRules(rep.shift, rep.lunch_window, rep.lunch_minutes, rep.max_visits),
    )
