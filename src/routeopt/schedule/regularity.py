"""Courses: each customer visited on the same weekday (or fixed weekdays) through the horizon.

A route-sales customer expects its rep on "its" day: every Tuesday, every other Thursday, Mondays
and Thursdays. A customer's *course* is that set of weekdays: one weekday when its rhythm allows a
gap of whole weeks (weekly, biweekly, monthly), ``round(7 / target_gap)`` weekdays when it is
visited more than once a week (a fixed pair for twice a week), none otherwise.

Each customer's course is the weekday of its last visit before the plan where that weekday can
hold its chain (:func:`habit`: last month's course, so that plans made month after month keep
it), else taken from a plan searched without courses (:func:`courses_of`: its most frequent
visit weekdays); then mended by course moves (:mod:`~routeopt.schedule.courses`), and
kept by the search (:mod:`~routeopt.schedule.preferences`): with ``soft`` as a cost per visit off
its course in every day's timing (:attr:`RepInstance.off_course`), with ``strict`` as a rule (the
customer is closed on the other days; a visit that cannot go on its weekday, or that its course
cannot hold at its rhythm, is missed with reason :attr:`~routeopt.model.ReasonCode.REGULARITY`).
A construction with :attr:`RepInstance.off_course` set prices a day off the course it has so far
(:func:`construction_cost`: the weekday of its last visit before the plan, else of its first visits).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from statistics import median

from ..model import VisitRule
from .instance import FIRST_CUSTOMER, RepInstance, customer_windows
from .solution import RepSolution

MODES = ("off", "soft", "strict")

OFF_COURSE_COST = 30.0
"""Minutes of cost per visit off its customer's course weekday: about what a visit's detour
costs across a rep's territory, so a visit leaves its weekday only where keeping it costs more
driving than a detour (bundled example and s300: benchmarks/bench_regularity.py; the user may set
another: ``PlanOptions.course_weight``, :func:`course_cost`).

Also the cost, once, for a customer moved off the weekday of its last visit before the plan
(:func:`habit`; with ``last_weekday`` ``keep``): a customer with a course pays it for a course
without that weekday, one seen once in the plan as its visit's cost. Month 2 of the bundled
example, planned from month 1's plan, kept 96 % of its customers on their weekday at +7.8 % driving
(seeds 0–2; 29 % without); 10 minutes for a customer seen once kept 91 % at +8.9 % on seeds 1–2
(benchmarks/bench_continuity.py)."""


TIME_BAND = 90.0
"""Minutes either side of a customer's usual start (:func:`usual_times`) a visit of a customer
with a course may start at no cost: roughly one time of day, a three-hour slot."""

OFF_TIME_COST = 0.05
"""Minutes of cost per minute a visit starts outside its customer's usual slot (:data:`TIME_BAND`):
a visit four hours from its usual time costs 7.5 minutes. On the bundled example (seeds 0–5, 100
iterations, soft/even) the visit times of a customer kept on a course spread 58 min instead of 118,
for 1.1 % more driving (s300, seeds 0–2: 66 min instead of 160, +1.6 %); 0.1 and 0.25 a minute
with a two-hour slot kept them closer (48–60 min) for 1.2–2.3 % (example) and 3.9–7.5 % (s300)
more driving (benchmarks/bench_regularity.py)."""


def course_size(rule: VisitRule) -> int:
    """How many weekdays a course of ``rule`` has: ``k`` when it is visited ``k`` times a week
    (``7 / target_gap`` within a quarter of a whole number, and a gap of ``7 / k`` days allowed),
    1 when some whole number of weeks is an allowed gap, else 0 (no course)."""
    if rule.target_gap < 7:
        k = round(7 / rule.target_gap)
        fits = abs(7 / rule.target_gap - k) <= 0.25 and rule.min_gap <= 7 / k <= rule.max_gap
        return k if fits and k <= 5 else 0
    return 1 if rule.max_gap // 7 >= max(1, -(-rule.min_gap // 7)) else 0


def has_course(inst: RepInstance, ci: int) -> bool:
    """Does customer ``ci`` keep a course? Those with two visits or more due in the horizon do (a
    customer seen once has no weekday to keep within it)."""
    c = inst.customers[ci]
    return course_size(c.rule) > 0 and c.rule.due_count(inst.horizon.start, inst.horizon.end, c.last_visit) >= 2


def habit(inst: RepInstance, ci: int) -> int | None:
    """The weekday customer ``ci`` was last seen on before the plan (its ``last_visit``), when its
    course has one weekday and its visits due can all fall on that weekday's working days at its
    rhythm: the course it kept before this plan (last month's plan, or the rep's own habit), which
    the customer expects to keep. ``None`` otherwise."""
    c = inst.customers[ci]
    if c.last_visit is None or course_size(c.rule) != 1:
        return None
    w, node = c.last_visit.weekday(), inst.node(ci)
    offsets = [inst.offsets[d] for d, day in enumerate(inst.days) if day.weekday() == w and inst.windows[d][node]]
    return w if offsets and chain_fits(inst, ci, offsets) else None


def weekday(inst: RepInstance, offset: int) -> int:
    """The weekday (0 = Monday) of calendar offset ``offset``."""
    return (inst.horizon.start + dt.timedelta(days=offset)).weekday()


def course_so_far(inst: RepInstance, ci: int, placed: list[int]) -> set[int]:
    """The course customer ``ci`` has while the construction places its visits (``placed``: their
    calendar offsets): the weekday of its last visit before the plan (if it is open on one such
    working day), else those of its first visits, up to :func:`course_size` weekdays."""
    c = inst.customers[ci]
    size = course_size(c.rule)
    days: list[int] = []
    node = inst.node(ci)
    if c.last_visit is not None and size == 1 and any(
            day.weekday() == c.last_visit.weekday() and inst.windows[d][node] for d, day in enumerate(inst.days)):
        days.append(c.last_visit.weekday())
    for off in placed:
        if len(days) >= size:
            break
        if weekday(inst, off) not in days:
            days.append(weekday(inst, off))
    return set(days[:size])


def construction_cost(inst: RepInstance, ci: int, placed: list[int], offset: int) -> float:
    """What placing a visit of customer ``ci`` on calendar offset ``offset`` costs in the
    construction for keeping its course (0 when regularity is off or the course is not yet full)."""
    if not inst.off_course or not has_course(inst, ci):
        return 0.0
    course = course_so_far(inst, ci, placed)
    size = course_size(inst.customers[ci].rule)
    if len(course) < size or weekday(inst, offset) in course:
        return 0.0
    return inst.off_course


def courses_of(
    inst: RepInstance, sol: RepSolution, keep_habits: bool = True
) -> tuple[frozenset[int], ...]:
    """Each customer's course in plan ``sol``: the weekday it kept before the plan
    (:func:`habit`) where it has one and ``keep_habits``, else its most frequent visit weekdays
    (the earliest first on a tie), up to :func:`course_size`; none for a customer without one
    (:func:`has_course`); a customer with one visit due keeps its habit as its course too: its
    visit is priced off it like any other, with strict courses too (as a rule it would bind a
    weekday the plan's own rhythm does not ask for: :func:`with_courses`'s ``priced``)."""
    placed: dict[int, list[int]] = {}
    for day in sorted(sol.seqs):
        for node in sol.seqs[day]:
            placed.setdefault(node - FIRST_CUSTOMER, []).append(inst.offsets[day])
    habits = [habit(inst, ci) if keep_habits else None for ci in range(len(inst.customers))]
    return tuple(course if h is None else frozenset({h})
                 for course, h in zip(courses_at(inst, placed), habits, strict=True))


def courses_at(inst: RepInstance, placed: dict[int, list[int]]) -> tuple[frozenset[int], ...]:
    """Each customer's course when its visits lie on the calendar offsets ``placed[ci]`` (as
    :func:`courses_of`, from visits wherever they are: a re-plan's history too, so that a customer
    with two visits placed keeps a course even when one is left to make)."""
    out: list[frozenset[int]] = []
    for ci, c in enumerate(inst.customers):
        size = course_size(c.rule)
        offsets = sorted(placed.get(ci, []))
        if not size or not offsets or not (has_course(inst, ci) or len(offsets) >= 2):
            out.append(frozenset())
        else:
            counts = Counter(weekday(inst, o) for o in offsets)
            first: dict[int, int] = {}
            for o in offsets:
                first.setdefault(weekday(inst, o), o)
            ranked = sorted(counts, key=lambda w: (-counts[w], first[w]))
            out.append(frozenset(ranked[:size]))
    return tuple(out)


def usual_times(sol: RepSolution, courses: tuple[frozenset[int], ...]) -> tuple[tuple[float, float] | None, ...]:
    """Each customer's usual slot in plan ``sol`` (:func:`usual_slots` of its visits' starts there)."""
    starts: dict[int, list[float]] = {}
    for timing in sol.timings.values():
        for node, start in zip(timing.seq, timing.start, strict=True):
            starts.setdefault(node - FIRST_CUSTOMER, []).append(start)
    return usual_slots(courses, starts)


def usual_slots(
    courses: tuple[frozenset[int], ...], starts: Mapping[int, Sequence[float]]
) -> tuple[tuple[float, float] | None, ...]:
    """Each customer's usual slot: the median of its visits' ``starts[ci]`` (minutes) ±
    :data:`TIME_BAND`, for a customer with a course and two visits or more; ``None`` otherwise."""
    out: list[tuple[float, float] | None] = []
    for ci, course in enumerate(courses):
        mine = starts.get(ci, ())
        if course and len(mine) >= 2:
            usual = float(median(mine))
            out.append((usual - TIME_BAND, usual + TIME_BAND))
        else:
            out.append(None)
    return tuple(out)


def course_cost(weight: float | None) -> float:
    """The minutes a visit off its course costs with the user's course weight ``weight``
    (``PlanOptions.course_weight``; ``None``: :data:`OFF_COURSE_COST`)."""
    return OFF_COURSE_COST if weight is None else weight


def with_courses(
    inst: RepInstance, courses: tuple[frozenset[int], ...], strict: bool, priced: frozenset[int] = frozenset(),
    times: tuple[tuple[float, float] | None, ...] | None = None, cost: float = OFF_COURSE_COST,
) -> RepInstance:
    """``inst`` keeping ``courses``: at ``cost`` per visit off them, or (``strict``) closing each
    customer on the days off its course, but those of ``priced`` (customers seen once, whose course
    is only the weekday of their last visit): they pay the cost. With ``times`` (:func:`usual_times`),
    each minute a visit starts outside its customer's slot costs :data:`OFF_TIME_COST`."""
    inst = replace(inst, times=times, off_time=OFF_TIME_COST if times is not None else 0.0)
    if not strict:
        return replace(inst, courses=courses, off_course=cost, strict_courses=False)
    closed = [bool(course) and ci not in priced for ci, course in enumerate(courses)]
    windows = tuple(
        tuple(w if n < FIRST_CUSTOMER or not closed[n - FIRST_CUSTOMER] or day.weekday() in courses[n - FIRST_CUSTOMER]
              else () for n, w in enumerate(row))
        for day, row in zip(inst.days, inst.windows, strict=True)
    )
    return replace(inst, courses=courses, off_course=cost if priced else 0.0, strict_courses=True,
                   windows=windows)


def chain_fits(inst: RepInstance, ci: int, offsets: list[int]) -> bool:
    """Can customer ``ci`` be visited as often as it is due, every gap within its rule (and the
    first visit within ``max_gap`` of its last one, or within its first window), on calendar
    offsets ``offsets`` only?"""
    c = inst.customers[ci]
    rule = c.rule
    anchor = (c.last_visit - inst.horizon.start).days if c.last_visit is not None else None
    days = sorted(set(offsets))
    reach = {o for o in days if (o < rule.first_window_days() if anchor is None
                                 else rule.min_gap <= o - anchor <= rule.max_gap)}
    for _ in range(c.rule.due_count(inst.horizon.start, inst.horizon.end, c.last_visit) - 1):
        reach = {o for o in days if any(rule.min_gap <= o - p <= rule.max_gap for p in reach)}
    return bool(reach)


def course_blocks(inst: RepInstance, ci: int) -> bool:
    """Does strict regularity cause customer ``ci``'s misses: its course's days cannot hold its
    whole chain while the days it is open on could? (``inst`` keeps the courses as a rule.)"""
    if not inst.strict_courses or inst.courses is None or not inst.courses[ci]:
        return False
    node = inst.node(ci)
    c = inst.customers[ci]
    on_course = [inst.offsets[d] for d in range(len(inst.days)) if inst.windows[d][node]]
    open_days = [inst.offsets[d] for d, day in enumerate(inst.days) if customer_windows(c, day, inst.rep.shift)]
    return not chain_fits(inst, ci, on_course) and chain_fits(inst, ci, open_days)


def retimed(inst: RepInstance, sol: RepSolution) -> RepSolution:
    """``sol`` with every day timed again by ``inst`` (the same routes, priced for its preferences)."""
    for day, seq in sol.seqs.items():
        timing = inst.time(day, seq, sol.fixed.get(day, {}))
        assert timing is not None  # only the price of the preferences changed
        sol.timings[day] = timing
    return sol
