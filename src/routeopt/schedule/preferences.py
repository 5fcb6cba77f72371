"""The plan's shape preferences around the search: even days (a band on each day's working
minutes) and regular courses (each customer on its weekday), as ``PlanOptions`` asks.

Both are taken from a good plan, not from the construction's: the search first improves a compact
plan without courses (:data:`FIRST_SHARE` of its budget). Then, in :data:`ROUNDS` rounds, the
even-days band is taken from the plan's mean day (:func:`~routeopt.schedule.evendays.with_band`),
each customer's course from its visits there, mended by course moves
(:mod:`~routeopt.schedule.courses`: a whole chain moved to the weekdays where it costs least), and
the search goes on keeping them (``soft``: a cost per visit off its course; ``strict``: built
again with the customers closed off their courses, in one round)"""

from __future__ import annotations

import math
from collections.abc import Callable

from ..options import PlanOptions
from .construct import construct
from .courses import improve_courses
from .evendays import fill_days, with_band
from .instance import RepInstance
from .regularity import course_cost, courses_of, has_course, retimed, usual_times, with_courses
from .solution import RepSolution

FIRST_SHARE = 0.2
"""Share of the search's budget (time and iterations) spent on a compact plan without courses,
before the courses and the even-days band are taken from it."""

ROUNDS = 5
"""Rounds of course moves and even-days bands, each followed by an equal share of what is left of
the search: the search moves visits, so a course that fitted before may no longer be the best,
and a plan spread over more days drives more, so its mean day is longer than the compact one's.
With soft courses on the bundled example (seed 0, 100 iterations), the first share and rounds
0.5 and 2 drove 8.8 % more than without courses, 0.3 and 3 5.5 %, 0.2 and 5 3.1 %, 0.2 and 10 4.3 %."""

STRICT_COST = 1000.0
"""Minutes per visit off its course while strict courses are chosen: more than any detour, so that
each customer gets a course that holds its whole chain wherever one does."""

Search = Callable[[RepInstance, RepSolution, float], RepSolution]
"""``search(inst, sol, share)``: ``sol`` improved within ``share`` of what is left of the budget."""


def plan_with_preferences(
    inst: RepInstance, options: PlanOptions, search: Search, deadline: float = math.inf
) -> RepSolution:
    """The construction and ``search`` with the preferences of ``options`` (see the module
    docstring); without any, one search with the whole budget. The course moves stop at
    ``deadline`` (``time.monotonic()``), as the searches do at the end of their budget."""
    sol = construct(inst)
    if options.regularity == "off" and options.days == "compact":
        return search(inst, sol, 1.0)
    sol = search(inst, sol, FIRST_SHARE)
    strict = options.regularity == "strict"
    keep = options.last_weekday == "keep"
    courses = list(courses_of(inst, sol, keep))
    once = frozenset(ci for ci, course in enumerate(courses) if course and not has_course(inst, ci))
    priced = course_cost(options.course_weight)  # a visit off its course (strict: of a customer seen once)
    base = inst
    for left in range(ROUNDS, 0, -1):
        plain = with_band(base, sol) if options.days == "even" else base
        sol = retimed(plain, sol)
        if options.regularity == "off":
            inst = plain
        else:
            cost = STRICT_COST if strict else priced
            improve_courses(plain, sol, courses, cost, cost if keep else 0.0, deadline)
            inst = with_courses(plain, tuple(courses), strict, once if strict else frozenset(),
                                usual_times(sol, tuple(courses)), priced)
        if strict:  # the whole budget left, on a plan built within the courses
            sol = search(inst, construct(inst), 1.0)
            break
        sol = search(inst, retimed(inst, sol), 1 / left)
    if options.days == "even":
        fill_days(inst, sol)
    if options.regularity != "off":  # the courses kept as a rule or at a cost (strict: none for those seen once)
        assert inst.courses is not None
        sol.courses = tuple(frozenset() if strict and ci in once else c for ci, c in enumerate(inst.courses))
        sol.strict_courses = strict
    return sol
