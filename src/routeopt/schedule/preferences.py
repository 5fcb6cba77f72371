"""The construction with the plan's shape preferences: even days (a band on each day's working
minutes) and regular courses (each customer on its weekday), as ``PlanOptions`` asks."""

from __future__ import annotations

from dataclasses import replace

from ..options import PlanOptions
from .construct import construct
from .evendays import BAND_ROUNDS, with_band
from .instance import RepInstance
from .regularity import OFF_COURSE_COST, courses_of, retimed, with_courses
from .solution import RepSolution


def construct_with_preferences(inst: RepInstance, options: PlanOptions) -> tuple[RepInstance, RepSolution]:
    """The construction, and the instance the search goes on with: with ``days="even"`` the band
    of a first compact construction's day (then built again within it), with regularity the
    customers' courses (chosen while constructing), as a cost or (strict) built again as a rule."""
    if options.regularity != "off":
        inst = replace(inst, off_course=OFF_COURSE_COST)
    sol = construct(inst)
    if options.days == "even":
        for _ in range(BAND_ROUNDS):
            inst = with_band(inst, sol)
            sol = construct(inst)
    if options.regularity != "off":
        strict = options.regularity == "strict"
        inst = with_courses(inst, courses_of(inst, sol), strict)
        sol = construct(inst) if strict else retimed(inst, sol)
        sol.courses, sol.strict_courses = inst.courses, strict
    return inst, sol


def keep_courses(start: RepSolution, sol: RepSolution) -> RepSolution:
    """``sol`` with the courses of the plan it started from."""
    sol.courses, sol.strict_courses = start.courses, start.strict_courses
    return sol
