"""Course moves: a customer's whole chain of visits re-planned on the course where it costs least.

A customer's course (:mod:`~routeopt.schedule.regularity`) is first taken from its visits in a
plan searched without courses. A weekly customer may then be on Tuesdays while the customers
around it are seen on Thursdays, and every weekday's route crosses the territory. Single
relocations cannot mend that: each visit moved alone leaves the course and pays for it.

* The **course move** takes out every visit of one customer, prices its visit on every working
  day against the plan as it is (real insertion costs: driving, windows, lunch, shift), and for
  each course it could have (every set of :func:`~routeopt.schedule.regularity.course_size`
  weekdays the rep works) finds the cheapest valid chain of visits, each visit off that course
  costing ``cost`` (:func:`~routeopt.schedule.chain.cheapest_chain`), and a course without the
  weekday the customer kept before the plan (:func:`~routeopt.schedule.regularity.habit`)
  costing ``switch`` once. The customer takes the cheapest chain when it costs less than where it
  was, or a dearer one when the days it leaves can then be emptied (:func:`CourseSearch.empty`:
  the customer was what kept them open).
* The **group move** moves all the customers of one weekday's course together, to one other
  weekday or each to its cheapest other course: the first customer to leave a weekday alone
  would pay for opening days the others then share.
* The **neighbour move** moves a customer with a one-weekday course and its nearest neighbours
  with one-weekday courses (:meth:`~routeopt.schedule.instance.RepInstance.near`), wherever
  their courses are, together to one weekday: the group move only moves customers that already
  share a weekday, while the neighbours of a corner of the territory are often spread over
  several, so that every weekday's route drives there (s300: benchmarks/RESULTS.md).
"""

from __future__ import annotations

import math
from itertools import combinations

from ..route.timing import Timing
from .chain import cheapest_chain
from .clock import expired
from .construct import EPS, Insertion
from .instance import FIRST_CUSTOMER, RepInstance
from .moves import Improver
from .regularity import course_size, habit, has_course, weekday
from .solution import RepSolution

COURSE_ROUNDS = 4
"""Rounds of course moves over all customers (fewer when a round moves none)."""
EMPTY_MOST = 4
"""Most visits :meth:`CourseSearch.empty` moves off a day."""

Routes = tuple[dict[int, list[int]], dict[int, Timing]]


def candidate_courses(inst: RepInstance, ci: int) -> list[frozenset[int]]:
    """Every course customer ``ci`` could keep: each set of its course's size of the weekdays
    the rep works (in weekday order)."""
    weekdays = sorted({day.weekday() for day in inst.days})
    return [frozenset(c) for c in combinations(weekdays, course_size(inst.customers[ci].rule))]


def improve_courses(
    inst: RepInstance,
    sol: RepSolution,
    courses: list[frozenset[int]],
    cost: float,
    switch: float,
    deadline: float = math.inf,
) -> int:
    """Course, neighbour and group moves (see the module docstring) on ``sol`` in place, over every customer
    with a course and without appointments, in rounds until none moves or :data:`COURSE_ROUNDS`.

    ``inst`` prices no course (its timings hold no off-course cost: the moves add each
    customer's own, ``cost`` minutes per visit off its course, and ``switch`` once for a course
    without the weekday it kept before the plan); ``sol`` is timed by it; ``courses`` (per
    customer) are changed in place. Returns how many moves were made."""
    return CourseSearch(inst, sol, courses, cost, switch).run(deadline)


class CourseSearch:
    """The course, neighbour and group moves over one plan (``sol``, timed by ``inst`` without courses)."""

    def __init__(
        self, inst: RepInstance, sol: RepSolution, courses: list[frozenset[int]], cost: float, switch: float
    ) -> None:
        self.inst, self.sol, self.courses, self.cost, self.switch = inst, sol, courses, cost, switch
        self.habits = [habit(inst, ci) for ci in range(len(inst.customers))]
        self.weekday_of = [weekday(inst, offset) for offset in inst.offsets]  # of each working day
        self.search = Improver(inst, sol)
        self.movable = [ci for ci in range(len(inst.customers))
                        if has_course(inst, ci) and courses[ci] and not inst.customers[ci].appointments]
        self.can_move = frozenset(self.movable)

    def run(self, deadline: float) -> int:
        weekdays = sorted({day.weekday() for day in self.inst.days})
        moves = 0
        for _ in range(COURSE_ROUNDS):
            moved = 0
            for ci in self.movable:
                if expired(deadline):
                    return moves + moved
                moved += self.move_course(ci)
            for ci in self.movable:
                if expired(deadline):
                    return moves + moved
                moved += self.move_neighbours(ci, weekdays)
            for w in weekdays:  # a weekday's customers all to other weekdays, or all to one of them
                for target in [None, *(v for v in weekdays if v != w)]:
                    group = [ci for ci in self.movable if self.courses[ci] == {w}]
                    if expired(deadline):
                        return moves + moved
                    moved += bool(group) and self.move_group(group, w, target)
            moves += moved
            if not moved:
                break
        return moves

    # ---------------------------------------------------------------- pricing
    def off(self, day: int, course: frozenset[int]) -> float:
        """What a visit on working day ``day`` costs for being off ``course``."""
        return self.cost if self.weekday_of[day] not in course else 0.0

    def leaves(self, ci: int, course: frozenset[int]) -> float:
        """What ``course`` costs customer ``ci`` for leaving the weekday it kept before the plan."""
        h = self.habits[ci]
        return self.switch if h is not None and h not in course else 0.0

    def chain(
        self, ci: int, count: int, inserts: dict[int, Insertion], course: frozenset[int]
    ) -> tuple[float, list[int]] | None:
        """The cheapest valid chain of ``count`` visits of customer ``ci`` keeping ``course``
        (each visit off it costing :attr:`cost` more than its insertion), and its cost."""
        priced = {d: ins.delta + self.off(d, course) for d, ins in inserts.items()}
        days = cheapest_chain(self.inst, ci, count, priced, self.search.missed_of[ci])
        return None if days is None else (sum(priced[d] for d in days) + self.leaves(ci, course), days)

    def total(self, customers: list[int]) -> float:
        """The plan's cost with the off-course visits of ``customers`` and the habits they leave."""
        days_of, courses = self.search.days_of, self.courses
        return (self.sol.cost + sum(self.off(d, courses[ci]) for ci in customers for d in days_of[ci])
                + sum(self.leaves(ci, courses[ci]) for ci in customers))

    def routes(self, of: Routes | None = None) -> Routes:
        """A copy of the plan's routes and timings (or of ``of``, such a copy)."""
        seqs, timings = of if of is not None else (self.sol.seqs, self.sol.timings)
        return {d: list(seq) for d, seq in seqs.items()}, dict(timings)

    def restore(self, routes: Routes) -> None:
        self.sol.seqs, self.sol.timings = self.routes(routes)

    # ---------------------------------------------------------------- moves
    def move_course(self, ci: int) -> bool:
        """Re-plan customer ``ci``'s chain on its cheapest course; returns whether it changed."""
        search, node, current = self.search, self.inst.node(ci), self.courses[ci]
        if not search.days_of[ci]:
            return False
        old_total = self.total([ci])
        before = self.routes()
        old_days = search.take_out(ci)
        if old_days is None:
            return False
        out = self.routes()
        inserts = search.insertions(node)
        chains = []
        for course in [current] + [c for c in candidate_courses(self.inst, ci) if c != current]:
            found = self.chain(ci, len(old_days), inserts, course)
            if found is not None:
                chains.append((found[0], found[1], course))
        chains.sort(key=lambda c: c[0])  # stable: the current course first on a tie
        for k, (_, chosen, course) in enumerate(chains):
            if k and course == current:
                continue
            self.restore(out)
            for d in chosen:
                search.put(inserts[d], node)
            search.days_of[ci], self.courses[ci] = list(chosen), course
            moved: dict[int, list[int]] = {}
            ok = True
            if k:  # dearer than the cheapest chain on its own: only with the days it leaves emptied
                for d in sorted(set(old_days) - set(chosen)):
                    emptied = self.empty(d)
                    if emptied is None:
                        ok = False
                        break
                    for cj, days in emptied.items():
                        moved.setdefault(cj, days)
            if ok and self.total([ci]) < old_total - EPS:
                search.moved.update({ci, *moved})
                return True
            for cj, days in moved.items():
                search.days_of[cj] = days
        self.restore(before)
        search.days_of[ci], self.courses[ci] = list(old_days), current
        return False

    def empty(self, day: int) -> dict[int, list[int]] | None:
        """Move every visit of route ``day`` to its cheapest other valid day if it holds at most
        :data:`EMPTY_MOST` visits, none of a customer with a course or an appointment. Returns
        the customers moved with their days before (none when the day stays as it is), or
        ``None`` when a visit fits nowhere else (every ``days_of`` is then as before, and the
        caller puts the routes back)."""
        search = self.search
        seq = list(self.sol.seqs.get(day, []))
        cis = [n - FIRST_CUSTOMER for n in seq]
        if not seq or len(seq) > EMPTY_MOST or any(self.courses[cj] or search.is_fixed(day, n)
                                                  for cj, n in zip(cis, seq, strict=True)):
            return {}
        before = {cj: list(search.days_of[cj]) for cj in cis}
        search.set_day(day, [])
        for cj, node in zip(cis, seq, strict=True):
            others = [d for d in search.days_of[cj] if d != day]
            best = search.cheapest_route(node, search.fits(cj, others, search.missed_of[cj]), skip=day)
            if best is None:
                search.days_of.update(before)
                return None
            search.put(best, node)
            search.days_of[cj] = others + [best.day]
        return before

    def move_group(self, group: list[int], weekday: int, target: int | None) -> bool:
        """Move every customer of ``group`` (all on the one-weekday course ``weekday``) to course
        ``{target}``, or (``target`` None) each to its cheapest course without ``weekday``: all
        taken out, then put back one at a time on their cheapest chains. Kept if the plan costs
        less (each visit off its course counted), else undone. Returns whether kept."""
        search = self.search
        before = self.routes()
        old_total = self.total(group)
        kept = {ci: (list(search.days_of[ci]), self.courses[ci]) for ci in group}
        ok = True
        for ci in group:
            if search.take_out(ci) is None:
                ok = False
                break
            search.days_of[ci] = []
        for ci in group if ok else []:
            inserts = search.insertions(self.inst.node(ci))
            options = ([frozenset({target})] if target is not None
                       else [c for c in candidate_courses(self.inst, ci) if weekday not in c])
            best: tuple[float, list[int], frozenset[int]] | None = None
            for course in options:
                found = self.chain(ci, len(kept[ci][0]), inserts, course)
                if found is not None and (best is None or found[0] < best[0] - EPS):
                    best = (found[0], found[1], course)
            if best is None:
                ok = False
                break
            for d in best[1]:
                search.put(inserts[d], self.inst.node(ci))
            search.days_of[ci], self.courses[ci] = list(best[1]), best[2]
        emptied: dict[int, list[int]] = {}
        snapshot = self.routes()
        for d in sorted({d for days, _ in kept.values() for d in days}) if ok else []:
            moved = self.empty(d)
            if moved is None:  # that day stays as it was
                self.restore(snapshot)
                continue
            for cj, days in moved.items():
                emptied.setdefault(cj, days)
            snapshot = self.routes()
        if ok and self.total(group) < old_total - EPS:
            search.moved.update({*group, *emptied})
            return True
        self.restore(before)
        for ci, (days, course) in kept.items():
            search.days_of[ci], self.courses[ci] = days, course
        for cj, days in emptied.items():
            search.days_of[cj] = days
        return False

    def move_neighbours(self, ci: int, weekdays: list[int]) -> bool:
        """Move customer ``ci`` (with a one-weekday course) and those of its nearest neighbours
        that can move and have one-weekday courses to course ``{w}``, for the first weekday ``w``
        of ``weekdays`` (other than ``ci``'s) where the plan then costs less
        (:meth:`move_group`). Returns whether one was kept."""
        course = self.courses[ci]
        if len(course) != 1:
            return False
        group = [ci] + [cj for cj in self.inst.near(ci) if cj in self.can_move and len(self.courses[cj]) == 1]
        if len(group) < 2:
            return False
        return any(self.move_group(group, w, w) for w in weekdays if w not in course)
