"""Timing of one rep-day: given the order of visits, when does each happen, and where does lunch go?

This is the route layer's core rule set, shared by every planner: travel legs in whole minutes,
each visit wholly inside one opening window (or at its appointment time), one lunch break of
``lunch_minutes`` inside the lunch window taken where the rep is, departure no earlier than the
shift start and return no later than the shift end. Times are minutes after midnight.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..model import Window

WAIT_WEIGHT = 0.5
"""Cost of one minute of idle waiting relative to one minute of driving."""

START, END = 0, 1
"""Node numbers of the rep's start and end location; customers are numbered from 2."""


@dataclass(frozen=True)
class DayRules:
    """The rules of one route: the shift (leave at or after its start, back by its end), the
    lunch break (``lunch_window=None``: none), the visit cap, and — for the research
    literature's instances — a vehicle ``capacity`` for the customers' demands and a
    ``max_duration`` of driving plus service. ``wait_weight`` is what one idle minute costs
    relative to one minute of driving (0 where only distance counts)."""

    shift: Window
    lunch_window: Window | None
    lunch_minutes: int
    max_visits: int | None = None
    capacity: float | None = None
    max_duration: float | None = None
    wait_weight: float = WAIT_WEIGHT


@dataclass(frozen=True)
class Timing:
    """A feasible timing of a day. ``break_at = p`` means lunch is taken after the ``p``-th visit
    (0 = before leaving the start location, ``len(seq)`` = before driving to the end; -1 = no
    lunch, for rules without a lunch window)."""

    seq: tuple[int, ...]
    departure: int
    arrive: tuple[int, ...]
    start: tuple[int, ...]
    break_at: int
    break_start: int
    end_arrive: int
    travel_min: int
    wait_min: int
    wait_weight: float = WAIT_WEIGHT
    penalty: float = 0.0
    """Cost added for a broken soft rule (a search's overloaded vehicle); 0 in every plan."""
    preference: float = 0.0
    """Cost of the plan's preferences the day breaks (a visit off its customer's weekday, working
    minutes beyond the even-days band); 0 without such preferences."""
    cost: float = field(init=False, repr=False, compare=False)
    """Driving plus weighted waiting, in minutes, plus ``penalty`` and ``preference``: what planners
    minimise per day (worked out once: the searches ask for it millions of times)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "cost", self.travel_min + self.wait_weight * self.wait_min + self.penalty
                           + self.preference)

    def __hash__(self) -> int:
        """Hashed once: a timing is part of the key of every remembered insertion search, asked
        millions of times in a plan."""
        known = self.__dict__.get("_hash")
        if known is None:
            known = hash((self.seq, self.departure, self.arrive, self.start, self.break_at, self.break_start,
                          self.end_arrive, self.travel_min, self.wait_min, self.wait_weight, self.penalty,
                          self.preference))  # every field: equal timings hash alike
            object.__setattr__(self, "_hash", known)
        return known

    @property
    def work_min(self) -> int:
        """Working minutes of the day: from leaving the start to arriving at the end."""
        return self.end_arrive - self.departure



def earliest_start(arrive: int, windows: Sequence[Window], duration: int) -> int | None:
    """Earliest start ≥ ``arrive`` at which a visit of ``duration`` fits wholly inside one window."""
    for a, b in windows:
        s = arrive if arrive > a else a
        if s + duration <= b:
            return s
    return None


def visit_start(
    arrive: int,
    node: int,
    windows: Sequence[Sequence[Window]],
    duration: Sequence[int],
    fixed: Mapping[int, int],
) -> int | None:
    """When the visit to ``node`` starts if the rep arrives at ``arrive``: its appointment time
    (if reachable), else the earliest start inside an opening window; ``None`` if neither."""
    appt = fixed.get(node)
    if appt is not None:
        return appt if arrive <= appt else None
    return earliest_start(arrive, windows[node], duration[node])


def time_day(
    seq: Sequence[int],
    travel: Sequence[Sequence[int]],
    duration: Sequence[int],
    windows: Sequence[Sequence[Window]],
    fixed: Mapping[int, int],
    rules: DayRules,
) -> Timing | None:
    """Best timing of visiting the nodes ``seq`` in this order, or ``None`` if none is feasible.

    Parameters
    ----------
    seq
        Customer node numbers (≥ 2) in visiting order; may be empty.
    travel
        Whole travel minutes between nodes, ``travel[a][b]``.
    duration
        Visit minutes per node.
    windows
        Open windows per node on this day (already cut to the shift); empty = closed.
    fixed
        Appointment start per node, for nodes that must start at an exact time.
    rules
        Shift, lunch and visit cap of the rep.

    Every lunch position is tried; the timing with the earliest return, then the least waiting,
    wins. The departure is then delayed as far as the return time allows, so that the rep
    leaves later rather than idles (unless waiting costs nothing).
    """
    n = len(seq)
    if rules.max_visits is not None and n > rules.max_visits:
        return None
    s0 = rules.shift[0]
    if rules.lunch_window is None:
        run = _forward(seq, -1, s0, travel, duration, windows, fixed, rules)
        return _timing(seq, run, rules) if isinstance(run, _Pass) else None
    prefix = _prefix(seq, s0, travel, duration, windows, fixed)
    if prefix is None:
        return None  # a visit is missed even without lunch: later arrivals cannot help
    best: _Pass | None = None
    # Lunch after visit p + 1 is at least as good as after visit p when visit p + 1 still ends
    # before the lunch window opens (the rep waits for lunch either way, but one visit further
    # on): so start from the last visit that ends by then.
    lw0 = rules.lunch_window[0]
    first = 0
    while first < n and prefix[first + 1][0] <= lw0:
        first += 1
    low = [math.inf] * (n + 1)
    for p in range(first, n + 1):
        run = _forward(seq, p, s0, travel, duration, windows, fixed, rules, prefix[p], low)
        if isinstance(run, _Pass):
            if best is None or (run.end_arrive, run.wait) < (best.end_arrive, best.wait):
                best = run
        elif run == _LUNCH_TOO_LATE:
            break  # a later lunch position can only start later still
    if best is None:
        return None
    if best.wait and rules.wait_weight:
        # Latest departure that still returns as early: feasibility and return time are
        # monotone in the departure time, so bisect, from the delay the waits absorb while
        # every visit stays in its window (most often all of them: no bisection then).
        lo, hi = s0 + _absorbed_delay(seq, best, duration, windows, fixed, rules), s0 + best.wait
        while lo < hi:
            mid = (lo + hi + 1) // 2
            run = _forward(seq, best.p, mid, travel, duration, windows, fixed, rules)
            if isinstance(run, _Pass) and run.end_arrive <= best.end_arrive:
                lo = mid
            else:
                hi = mid - 1
        if lo > s0:
            run = _forward(seq, best.p, lo, travel, duration, windows, fixed, rules)
            assert isinstance(run, _Pass)
            best = run
    return _timing(seq, best, rules)


def _absorbed_delay(
    seq: Sequence[int],
    run: _Pass,
    duration: Sequence[int],
    windows: Sequence[Sequence[Window]],
    fixed: Mapping[int, int],
    rules: DayRules,
) -> int:
    """By how much ``run``'s departure can be delayed with the same return: a delay is used up
    by the waits it meets, and until then moves each visit (and lunch) later, which must stay
    inside the window it is in (and an appointment's arrival before its time)."""
    lw1 = rules.lunch_window[1] if rules.lunch_window else 0
    delay = run.wait  # more could not be absorbed before the return
    waited = 0
    t = run.departure
    for i in range(len(seq) + 1):
        if i == run.p:
            waited += run.break_start - t
            delay = min(delay, waited + lw1 - rules.lunch_minutes - run.break_start)
            t = run.break_start + rules.lunch_minutes
        if i == len(seq):
            break
        node, start = seq[i], run.start[i]
        waited += start - run.arrive[i]
        if fixed and node in fixed:
            delay = min(delay, waited)
        else:
            need = duration[node]
            close = next(b for a, b in windows[node] if a <= start and start + need <= b)
            delay = min(delay, waited + close - need - start)
        t = start + duration[node]
    return max(0, delay)


def _timing(seq: Sequence[int], run: _Pass, rules: DayRules) -> Timing:
    return Timing(
        seq=tuple(seq),
        departure=run.departure,
        arrive=tuple(run.arrive),
        start=tuple(run.start),
        break_at=run.p,
        break_start=run.break_start,
        end_arrive=run.end_arrive,
        travel_min=run.travel,
        wait_min=run.wait,
        wait_weight=rules.wait_weight,
    )


@dataclass
class _Pass:
    p: int
    departure: int
    arrive: list[int]
    start: list[int]
    break_start: int
    end_arrive: int
    travel: int
    wait: int


_INFEASIBLE, _LUNCH_TOO_LATE, _DOMINATED = 0, 1, 2

_State = tuple[int, int, int, int, list[int], list[int]]
"""Where a pass stands before the leg to the ``i``-th visit: time, place, waiting, driving,
and the pass's arrivals and starts (of which the first ``i`` are fixed)."""


def _prefix(
    seq: Sequence[int],
    departure: int,
    travel: Sequence[Sequence[int]],
    duration: Sequence[int],
    windows: Sequence[Sequence[Window]],
    fixed: Mapping[int, int],
) -> list[_State] | None:
    """The states of a pass without lunch before each leg (``None`` if a visit is missed).
    A pass with lunch after the ``p``-th visit is identical up to state ``p``."""
    t, prev, wait, driven = departure, START, 0, 0
    arrive: list[int] = []
    start: list[int] = []
    states: list[_State] = [(t, prev, wait, driven, arrive, start)]
    for node in seq:
        arr = t + travel[prev][node]
        st = visit_start(arr, node, windows, duration, fixed)
        if st is None:
            return None
        driven += travel[prev][node]
        wait += st - arr
        arrive.append(arr)
        start.append(st)
        t, prev = st + duration[node], node
        states.append((t, prev, wait, driven, arrive, start))
    return states


def _forward(
    seq: Sequence[int],
    p: int,
    departure: int,
    travel: Sequence[Sequence[int]],
    duration: Sequence[int],
    windows: Sequence[Sequence[Window]],
    fixed: Mapping[int, int],
    rules: DayRules,
    state: _State | None = None,
    low: list[float] | None = None,
) -> _Pass | int:
    """One forward pass: leave at ``departure``, lunch after the ``p``-th visit, each visit as
    early as its window allows; ``state`` (from :func:`_prefix`) skips the part before lunch.

    ``low[k]`` is the earliest time any pass tried so far was free after lunch and ``k`` visits
    (lunch taken no later). A pass that is no earlier there can end no earlier, so it stops
    (returns ``_DOMINATED``); otherwise it lowers ``low`` where it is earlier."""
    n = len(seq)
    lw0, lw1 = rules.lunch_window or (0, 0)  # without a lunch window p is -1: never reached
    lunch = rules.lunch_minutes
    if state is None:
        first = 0
        t, prev, wait, travel_total = departure, START, 0, 0
        arrive: list[int] = []
        start: list[int] = []
    else:
        first = p
        t, prev, wait, travel_total, arrive, start = state
        arrive, start = arrive[:p], start[:p]
    bstart = -1
    for i in range(first, n + 1):
        if i == p:
            bstart = t if t > lw0 else lw0
            if bstart + lunch > lw1:
                return _LUNCH_TOO_LATE
            wait += bstart - t
            t = bstart + lunch
        if low is not None and i >= p:
            if t >= low[i]:
                return _DOMINATED
            low[i] = t
        node = seq[i] if i < n else END
        leg = travel[prev][node]
        arr = t + leg
        travel_total += leg
        if i == n:
            if arr > rules.shift[1]:
                return _INFEASIBLE
            return _Pass(p, departure, arrive, start, bstart, arr, travel_total, wait)
        # visit_start, inlined: this loop is the planner's innermost one
        appt = fixed.get(node) if fixed else None
        if appt is not None:
            if arr > appt:
                return _INFEASIBLE
            st = appt
        else:
            need = duration[node]
            for w0, w1 in windows[node]:
                st = arr if arr > w0 else w0
                if st + need <= w1:
                    break
            else:
                return _INFEASIBLE
        wait += st - arr
        arrive.append(arr)
        start.append(st)
        t = st + duration[node]
        prev = node
    raise AssertionError("unreachable")
