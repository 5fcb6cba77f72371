"""The moves of the local search over visit days and visit order, every move judged on both
days' exact timings (:func:`~routeopt.schedule.local_search.improve` repeats them until none
improves or time runs out):

* **insert** a missed visit on any day its customer's rhythm allows (coverage comes first);
* **relocate** a visit to another allowed day, judged by what it saves on the old day's route
  and costs on the new day's route (times, windows, lunch and shift re-checked exactly);
* **swap** a visit with one of a nearby customer's visits on another route, each put at its
  cheapest place in the other's route (a full day — visit cap, vehicle capacity — takes no
  relocated visit, but can exchange one);
* **reschedule** a customer: take out all its visits and choose the cheapest valid set of days
  for the whole chain at once (:mod:`~routeopt.schedule.chain`; this shifts a customer's whole
  rhythm, e.g. from Mondays to Wednesdays, which single relocations cannot do without breaking
  a gap on the way);
* **exchange tails** of two routes of one calendar day (two vehicles out that day; 2-opt*): each
  route keeps its first visits and takes the other's last ones, so no visit changes its day;
* **empty** a lightly used day by moving all its visits elsewhere (saves a drive out and back);
* **reorder** a day: move one visit or a run of visits elsewhere in the day (or-opt), or
  reverse a stretch (2-opt).

A visit's day may change only if the customer's chain of visits stays valid: no gap shorter
than ``min_gap``, and no more over-long gaps than there are reported misses.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from itertools import combinations

from ..route.compiled import DayArrays
from ..route.compiled import reorderings as compiled_reorderings
from ..route.compiled import tail_exchanges as compiled_tail_exchanges
from ..route.timing import END, START, Timing
from .chain import cheapest_chain
from .clock import expired
from .construct import EPS, Insertion, apply, best_insertion, cheapest_pattern, insertion_into
from .instance import FIRST_CUSTOMER, RepInstance, above_capacity
from .rhythm import chain_ok, chain_with
from .solution import Miss, RepSolution

ROUNDING_MARGIN = 2.0
"""Minutes per visit by which whole-minute legs may break the triangle inequality."""
LIGHTEST = 4
"""Days :meth:`Improver.empty_days` tries after a perturbation (the lightest of the days it touched)."""


class Improver:
    """Mutable search state around a :class:`RepSolution`. ``overload``: the cost per unit of
    load above a vehicle's capacity while the moves time routes (0 = capacity is a hard rule)."""

    def __init__(self, inst: RepInstance, sol: RepSolution, seed: int = 0, overload: float = 0.0) -> None:
        self.inst = inst
        self.sol = sol
        self.overload = overload
        self.rng = random.Random(seed)
        self.days_of: dict[int, list[int]] = defaultdict(list)  # customer → its routes (days)
        for day, seq in sol.seqs.items():
            for node in seq:
                self.days_of[node - FIRST_CUSTOMER].append(day)
        self.missed_of: dict[int, int] = defaultdict(int)
        for miss in sol.missed:
            self.missed_of[miss.customer] += 1
        self.focus: set[int] | None = None  # days the moves start from (None = all)
        self.scope: set[int] | None = None  # customers the moves start from (None = all)
        self.changed: set[int] = set()  # days changed since the last reset
        self.moved: set[int] = set()  # customers whose visit days changed since the last reset

    def in_focus(self, day: int) -> bool:
        return self.focus is None or day in self.focus

    def in_scope(self, ci: int) -> bool:
        return self.scope is None or ci in self.scope

    def move_days(self, ci: int, days: list[int]) -> None:
        self.days_of[ci] = days
        self.moved.add(ci)

    def put(self, ins: Insertion, node: int) -> None:
        apply(self.sol, ins, node)
        self.changed.add(ins.day)

    # ---------------------------------------------------------------- helpers
    def valid(self, ci: int, days: list[int], missed: int) -> bool:
        """May customer ``ci`` be visited on routes ``days`` with ``missed`` reported misses?
        (Its allowed patterns, or its rhythm of gaps: see :func:`chain_ok`.)"""
        offsets = [self.inst.offsets[d] for d in days]
        if self.inst.patterns is not None:
            return frozenset(offsets) in self.inst.patterns[ci] and len(set(offsets)) == len(offsets)
        return chain_ok(self.inst, ci, offsets, missed)

    def fits(self, ci: int, others: list[int], missed: int) -> Callable[[int], bool]:
        """``fits(route)``: may customer ``ci``, visited on routes ``others``, also be visited on
        ``route``? (:meth:`valid`, asked once per calendar day: routes of one day answer alike.)"""
        answers: dict[int, bool] = {}
        offsets = self.inst.offsets
        with_day = None  # with a rhythm of gaps, only the gaps around the new day change
        if self.inst.patterns is None:
            with_day = chain_with(self.inst, ci, [offsets[d] for d in others], missed)

        def fits(route: int) -> bool:
            off = offsets[route]
            if off not in answers:
                answers[off] = with_day(off) if with_day is not None else self.valid(ci, others + [route], missed)
            return answers[off]

        return fits

    def cheapest_route(
        self, node: int, fits: Callable[[int], bool], bound: float = math.inf, skip: int | None = None
    ) -> Insertion | None:
        """The cheapest insertion of ``node``, if one costs less than ``bound``, over the routes
        open to it that ``fits(route)`` allows (but ``skip``)."""
        best: Insertion | None = None
        for route in range(len(self.inst.offsets)):
            if route == skip or not self.inst.windows[route][node] or not fits(route):
                continue
            ins = best_insertion(self.inst, self.sol, route, node, bound=best.delta if best else bound,
                                 overload=self.overload)
            if ins is not None:
                best = ins
        return best

    def starting_visits(self) -> list[tuple[int, int]]:
        """The (route, node) visits that moves start from, in random order: those in scope
        (else those on focus days), appointments excepted."""
        visits = [
            (day, node)
            for day, seq in self.sol.seqs.items()
            if self.in_focus(day) or self.scope is not None
            for node in seq
            if self.in_scope(node - FIRST_CUSTOMER) and not self.is_fixed(day, node)
        ]
        self.rng.shuffle(visits)
        return visits

    def is_fixed(self, day: int, node: int) -> bool:
        return node in self.sol.fixed.get(day, {})

    def retime(self, day: int, seq: list[int]) -> float | None:
        """Cost of ``day`` with ``seq`` (``None`` if infeasible); 0 for an empty day."""
        if not seq:
            return 0.0
        t = self.inst.time(day, seq, self.sol.fixed.get(day, {}), self.overload)
        return None if t is None else t.cost

    def set_day(self, day: int, seq: list[int], timing: Timing | None = None) -> None:
        """Make route ``day`` visit ``seq`` (a feasible order; ``timing`` if already known)."""
        self.changed.add(day)
        if not seq:
            self.sol.seqs.pop(day, None)
            self.sol.timings.pop(day, None)
            return
        t = timing if timing is not None else self.inst.time(day, seq, self.sol.fixed.get(day, {}), self.overload)
        assert t is not None
        self.sol.seqs[day] = list(seq)
        self.sol.timings[day] = t

    def take_out(self, ci: int) -> dict[int, list[int]] | None:
        """Take every visit of customer ``ci`` out of its routes (its ``days_of`` are left for
        the caller); returns the routes as they were, or ``None``, changing nothing, when a
        route without the visit breaks a rule. That happens: a lunch break taken at this
        customer's place may be what gets the rep to a later appointment in time."""
        node = self.inst.node(ci)
        old = {d: list(self.sol.seqs[d]) for d in self.days_of[ci]}
        rests = {d: [n for n in seq if n != node] for d, seq in old.items()}
        timings = {d: self.inst.time(d, rest, self.sol.fixed.get(d, {}), self.overload)
                   for d, rest in rests.items() if rest}
        if None in timings.values():
            return None
        for d, rest in rests.items():
            self.set_day(d, rest, timings.get(d))
        return old

    def day_cost(self, day: int) -> float:
        return self.sol.timings[day].cost if day in self.sol.timings else 0.0

    # ---------------------------------------------------------------- moves
    def insert_missed(self) -> int:
        """Try to plan every missed visit (not missed appointments); returns how many were planned."""
        if self.inst.patterns is not None:
            return self._insert_missed_patterns()
        done = 0
        still: list[Miss] = []
        for miss in sorted(self.sol.missed, key=lambda m: -self.inst.customers[m.customer].priority):
            ci = miss.customer
            if miss.appointment:
                still.append(miss)
                continue
            node = self.inst.node(ci)
            best = self.cheapest_route(node, self.fits(ci, self.days_of[ci], self.missed_of[ci] - 1))
            if best is None:
                still.append(miss)
                continue
            self.put(best, node)
            self.move_days(ci, self.days_of[ci] + [best.day])
            self.missed_of[ci] -= 1
            done += 1
        self.sol.missed = still
        return done

    def eject(self, deadline: float) -> int:
        """Plan missed visits in place of less important ones: on a day its chain allows, a
        missed visit takes the place of one visit of a customer of lower priority, whose own
        chain can bear one more miss (it is reported missed instead). Among the days and visits
        that allow it, the least important visit goes, then the cheapest day. Returns how many
        missed visits were planned so (the misses then weigh less: see ``score``)."""
        if self.inst.patterns is not None:
            return 0
        inst, done = self.inst, 0
        priority = [c.priority for c in inst.customers]
        still = Counter(self.sol.missed)  # what ``sol.missed`` holds: asking the list is slow with many misses
        for miss in sorted(self.sol.missed, key=lambda m: -priority[m.customer]):
            if expired(deadline):
                break
            ci = miss.customer
            if miss.appointment or not still[miss]:
                continue
            node = inst.node(ci)
            fits = self.fits(ci, self.days_of[ci], self.missed_of[ci] - 1)
            best: tuple[float, float, int, int, Insertion] | None = None
            for day, seq in self.sol.seqs.items():
                if not inst.windows[day][node] or not fits(day):
                    continue
                fixed = self.sol.fixed.get(day, {})
                for out in seq:
                    cj = out - FIRST_CUSTOMER
                    if priority[cj] >= priority[ci] or out in fixed:
                        continue
                    if best is not None and priority[cj] > best[0]:
                        continue
                    if not self.valid(cj, [d for d in self.days_of[cj] if d != day], self.missed_of[cj] + 1):
                        continue
                    rest = [n for n in seq if n != out]
                    timing = inst.time(day, rest, fixed, self.overload) if rest else None
                    if rest and timing is None:
                        continue
                    ins = insertion_into(inst, day, rest, fixed, timing, node, overload=self.overload)
                    if ins is not None and (best is None or (priority[cj], ins.delta) < best[:2]):
                        best = (priority[cj], ins.delta, day, out, ins)
            if best is None:
                continue
            _, _, day, out, ins = best
            cj = out - FIRST_CUSTOMER
            seq = [n for n in self.sol.seqs[day] if n != out]
            seq.insert(ins.position, node)
            self.set_day(day, seq, ins.timing)
            self.move_days(cj, [d for d in self.days_of[cj] if d != day])
            self.move_days(ci, self.days_of[ci] + [day])
            self.missed_of[ci] -= 1
            self.missed_of[cj] += 1
            self.sol.missed.remove(miss)
            still[miss] -= 1
            # dated and explained again on the final plan (diagnose.rediagnose)
            dropped = Miss(cj, inst.offsets[day], miss.reason)
            self.sol.missed.append(dropped)
            still[dropped] += 1
            done += 1
        return done

    def _insert_missed_patterns(self) -> int:
        """Plan customers left out entirely, each on its cheapest allowed pattern."""
        done = 0
        for ci in sorted({m.customer for m in self.sol.missed}):
            node = self.inst.node(ci)
            inserts = self.insertions(node)
            days = cheapest_pattern(self.inst, ci, inserts)
            if days is None:
                continue
            for d in days:
                self.put(inserts[d], node)
            self.move_days(ci, days)
            done += sum(1 for m in self.sol.missed if m.customer == ci)
            self.sol.missed = [m for m in self.sol.missed if m.customer != ci]
            self.missed_of[ci] = 0
        return done

    def relocate(self, deadline: float) -> int:
        """Move single visits to a better allowed day; returns the number of moves made."""
        moves = 0
        visits = self.starting_visits()
        for day, node in visits:
            if expired(deadline):
                break
            seq = self.sol.seqs.get(day)
            if not seq or node not in seq:
                continue
            ci = node - FIRST_CUSTOMER
            others = list(self.days_of[ci])
            others.remove(day)
            rest = [n for n in seq if n != node]
            removed = self.retime(day, rest)
            if removed is None:
                continue
            gain = self.day_cost(day) - removed
            best = self.cheapest_route(node, self.fits(ci, others, self.missed_of[ci]), gain - EPS, skip=day)
            if best is None:
                continue
            self.set_day(day, rest)
            self.put(best, node)
            self.move_days(ci, others + [best.day])
            moves += 1
        return moves

    def swap(self, deadline: float) -> int:
        """Exchange two visits between routes: a visit of customer A and one of a customer B
        near A on another route, each put at its cheapest place in the other's route. This is
        what a full day (visit cap, vehicle capacity) needs: nothing can be relocated into it,
        but a visit can change places with one already there. Returns the swaps made.

        Most pairs fail on the days alone (B's day is already one of A's, or a chain's gaps
        break: 95 % of them on s120), so those checks come first, each asked once where it can
        be: per customer B, and A's chain per calendar day (:meth:`fits`)."""
        moves = 0
        for d1, a in self.starting_visits():
            if expired(deadline):
                break
            if a in self.sol.seqs.get(d1, ()) and self._swap_from(d1, a):
                moves += 1
        return moves

    def _swap_from(self, d1: int, a: int) -> bool:
        """Swap visit ``a`` on route ``d1`` with the first visit of a customer near it (nearest
        first) whose swap is cheaper (:meth:`_try_swap`); returns whether one was made."""
        windows = self.inst.windows
        ca = a - FIRST_CUSTOMER
        mine = self.days_of[ca]
        others = [d for d in mine if d != d1]
        fits_a = self.fits(ca, others, self.missed_of[ca])
        for cb in self.inst.near(ca):
            b = cb + FIRST_CUSTOMER
            theirs = self.days_of[cb]
            if not windows[d1][b] or d1 in theirs:
                continue
            for d2 in theirs:
                if d2 in mine or self.is_fixed(d2, b) or not windows[d2][a] or not fits_a(d2):
                    continue
                days_b = [d for d in theirs if d != d2] + [d1]
                if self.valid(cb, days_b, self.missed_of[cb]) and self._try_swap(d1, a, d2, b, others + [d2], days_b):
                    return True
        return False

    def _try_swap(self, d1: int, a: int, d2: int, b: int, days_a: list[int], days_b: list[int]) -> bool:
        """Swap visit ``a`` on route ``d1`` with visit ``b`` on route ``d2`` if that is cheaper (their
        customers then visited on routes ``days_a`` and ``days_b``, both valid chains)."""
        inst, sol = self.inst, self.sol
        ca, cb = a - FIRST_CUSTOMER, b - FIRST_CUSTOMER
        fixed1, fixed2 = sol.fixed.get(d1, {}), sol.fixed.get(d2, {})
        rest1 = [n for n in sol.seqs[d1] if n != a]
        rest2 = [n for n in sol.seqs[d2] if n != b]
        t1 = inst.time(d1, rest1, fixed1, self.overload) if rest1 else None
        t2 = inst.time(d2, rest2, fixed2, self.overload) if rest2 else None
        if (rest1 and t1 is None) or (rest2 and t2 is None):
            return False
        gain = self.day_cost(d1) + self.day_cost(d2) - (t1.cost if t1 else 0.0) - (t2.cost if t2 else 0.0)
        into1 = insertion_into(inst, d1, rest1, fixed1, t1, b, bound=gain - EPS, overload=self.overload)
        if into1 is None:
            return False
        into2 = insertion_into(inst, d2, rest2, fixed2, t2, a, bound=gain - EPS - into1.delta,
                               overload=self.overload)
        if into2 is None:
            return False
        self.set_day(d1, rest1[:into1.position] + [b] + rest1[into1.position:], into1.timing)
        self.set_day(d2, rest2[:into2.position] + [a] + rest2[into2.position:], into2.timing)
        self.move_days(ca, days_a)
        self.move_days(cb, days_b)
        return True

    def exchange_tails(self, deadline: float) -> int:
        """2-opt* between the routes of one calendar day (several vehicles a day): two routes
        exchange their last visits, each keeping its first ones, where both days' exact timings
        cost less. No visit changes its calendar day, so every chain stays valid; appointments
        stay on their routes. Returns the exchanges made."""
        moves = 0
        routes_of: dict[int, list[int]] = defaultdict(list)
        for route, off in enumerate(self.inst.offsets):
            routes_of[off].append(route)
        for routes in routes_of.values():
            for r1, r2 in combinations(routes, 2):
                if expired(deadline):
                    return moves
                if (r1 in self.sol.seqs or r2 in self.sol.seqs) and (self.in_focus(r1) or self.in_focus(r2)):
                    moves += self._exchange_tails(r1, r2)
        return moves

    def _exchange_tails(self, r1: int, r2: int) -> int:
        """The cheapest exchange of tails between routes ``r1`` and ``r2``, made if it saves; returns 1 if made."""
        seq1, seq2 = self.sol.seqs.get(r1, []), self.sol.seqs.get(r2, [])
        fixed1, fixed2 = self.sol.fixed.get(r1, {}), self.sol.fixed.get(r2, {})
        old = self.day_cost(r1) + self.day_cost(r2)
        best: tuple[int, int] | None = None
        limit = old - EPS
        inst = self.inst
        demand = inst.demand if inst.rules.capacity is not None else None
        for i, j in tail_exchanges(seq1, seq2, inst.travel, limit, demand, inst.rules.capacity, self.overload,
                                   inst.arrays()):
            if any(n in fixed1 for n in seq1[i:]) or any(n in fixed2 for n in seq2[j:]):
                continue
            c1 = self.retime(r1, seq1[:i] + seq2[j:])
            if c1 is None or c1 >= limit:
                continue
            c2 = self.retime(r2, seq2[:j] + seq1[i:])
            if c2 is not None and c1 + c2 < limit:
                best, limit = (i, j), c1 + c2
        if best is None:
            return 0
        i, j = best
        tail1, tail2 = seq1[i:], seq2[j:]
        self.set_day(r1, seq1[:i] + tail2)
        self.set_day(r2, seq2[:j] + tail1)
        for node, was, now in [(n, r1, r2) for n in tail1] + [(n, r2, r1) for n in tail2]:
            ci = node - FIRST_CUSTOMER
            self.move_days(ci, [now if d == was else d for d in self.days_of[ci]])
        return 1

    def reschedule(self, deadline: float) -> int:
        """Re-plan all visits of one customer at a time: take them out, then choose the cheapest
        set of days for the whole chain (exact dynamic programme over days, the other visits
        fixed). Customers with appointments keep their days. Returns the customers improved."""
        moves = 0
        if self.scope is not None:
            order = sorted(ci for ci in self.scope if self.days_of.get(ci))
        else:
            order = sorted(ci for ci, days in self.days_of.items() if any(self.in_focus(d) for d in days))
        self.rng.shuffle(order)
        for ci in order:
            if expired(deadline):
                break
            node = self.inst.node(ci)
            if self.inst.customers[ci].appointments or not self.days_of[ci]:
                continue
            old_cost = sum(self.day_cost(d) for d in self.days_of[ci])
            old_days = self.take_out(ci)
            if old_days is None:
                continue
            freed = sum(self.day_cost(d) for d in old_days)
            missed = self.sol.missed if self.missed_of[ci] else []
            misses = [m for m in missed if m.customer == ci and not m.appointment]
            # A day whose insertion alone costs more than the whole chain did cannot be part of a
            # cheaper chain (give or take rounding): skip timing it, unless a miss could be planned.
            budget = math.inf if misses else old_cost - freed + ROUNDING_MARGIN * len(old_days)
            inserts = self.insertions(node, budget)
            more = self.best_chain(ci, len(old_days) + 1, inserts, self.missed_of[ci] - 1) if misses else None
            chosen = more or self.best_chain(ci, len(old_days), inserts)
            if chosen is not None and (
                more is not None or sum(inserts[d].delta for d in chosen) < old_cost - freed - EPS
            ):
                for d in chosen:
                    self.put(inserts[d], node)
                self.move_days(ci, list(chosen))
                if more is not None:  # one missed visit is planned after all
                    self.sol.missed.remove(misses[-1])
                    self.missed_of[ci] -= 1
                moves += 1
            else:
                for d, seq in old_days.items():
                    self.set_day(d, seq)
        return moves

    def empty_days(self, deadline: float) -> int:
        """Try to free whole days: move every visit of a lightly used day to other days (each
        to its cheapest valid place), kept only if the drive out and back saved pays for it.
        Single relocations cannot find this: each step alone costs more. With a focus, only the
        :data:`LIGHTEST` lightest days of the focus are tried. Returns days freed."""
        freed = 0
        days = sorted((d for d in self.sol.seqs if self.in_focus(d)), key=lambda d: (len(self.sol.seqs[d]), d))
        for day in days if self.focus is None else days[:LIGHTEST]:
            if expired(deadline):
                break
            seq = self.sol.seqs.get(day)
            if not seq or any(self.is_fixed(day, n) for n in seq):
                continue
            saved: dict[int, list[int]] = {day: list(seq)}
            days_before = {n - FIRST_CUSTOMER: list(self.days_of[n - FIRST_CUSTOMER]) for n in seq}
            total = -self.day_cost(day)
            self.set_day(day, [])
            ok = True
            for node in seq:
                ci = node - FIRST_CUSTOMER
                others = list(self.days_of[ci])
                others.remove(day)
                best = self.cheapest_route(node, self.fits(ci, others, self.missed_of[ci]), skip=day)
                if best is None:
                    ok = False
                    break
                saved.setdefault(best.day, list(self.sol.seqs.get(best.day, [])))
                total += best.delta
                self.put(best, node)
                self.days_of[ci] = others + [best.day]
            if ok and total < -EPS:
                self.moved.update(days_before)
                freed += 1
                continue
            for d, old in saved.items():
                self.set_day(d, old)
            self.days_of.update(days_before)
        return freed

    def insertions(self, node: int, bound: float = math.inf) -> dict[int, Insertion]:
        """The cheapest feasible insertion of ``node`` on each working day that can take it
        (only those cheaper than ``bound``)."""
        out = {}
        for d in range(len(self.inst.offsets)):
            ins = best_insertion(self.inst, self.sol, d, node, bound=bound, overload=self.overload)
            if ins is not None:
                out[d] = ins
        return out

    def best_chain(
        self, ci: int, count: int, inserts: dict[int, Insertion], misses: int | None = None
    ) -> list[int] | None:
        """Cheapest ``count`` routes for customer ``ci`` given its insertion on each
        (``inserts``): its cheapest allowed pattern, or the cheapest valid chain with ``misses``
        reported misses (default: its current ones; see :func:`cheapest_chain`)."""
        if self.inst.patterns is not None:
            return cheapest_pattern(self.inst, ci, inserts)
        costs = {d: ins.delta for d, ins in inserts.items()}
        return cheapest_chain(self.inst, ci, count, costs, self.missed_of[ci] if misses is None else misses)

    def reorder(self, deadline: float) -> int:
        """Or-opt (runs of 1–3 visits) and 2-opt inside each day; returns the moves made."""
        moves = 0
        for day in sorted(d for d in self.sol.seqs if self.in_focus(d)):
            improved = True
            while improved and not expired(deadline):
                improved = False
                seq = self.sol.seqs[day]
                cost = self.day_cost(day)
                # a day costs at least its driving: skip orders whose driving alone is no cheaper
                room = cost - self.sol.timings[day].travel_min - EPS
                for cand in reorderings(seq, self.inst.travel, room, self.inst.arrays()):
                    c = self.retime(day, cand)
                    if c is not None and c < cost - EPS:
                        self.set_day(day, cand)
                        moves += 1
                        improved = True
                        break
        return moves


def tail_exchanges(seq1: Sequence[int], seq2: Sequence[int], travel: Sequence[Sequence[float]], room: float,
                   demand: Sequence[float] | None = None, capacity: float | None = None, price: float = 0.0,
                   arrays: DayArrays | None = None) -> Iterator[tuple[int, int]]:
    """The cuts ``(i, j)`` of two routes whose tails, exchanged (``seq1[:i] + seq2[j:]`` and
    ``seq2[:j] + seq1[i:]``), cost less than ``room`` at least: their driving, summed from each
    route's driving before and after every cut, plus, with ``demand`` (per node) and ``capacity``,
    each new route's load above the capacity at ``price`` a unit (0: not allowed). Cuts that change
    nothing (both at the end, or both at the start: the routes swapped) are left out. With
    ``arrays`` (the instance's, for compiled code, holding the same demand) the cuts are found
    compiled, the same in the same order."""
    priced = demand is not None and capacity is not None
    if arrays is not None:
        for i, j in compiled_tail_exchanges(arrays, seq1, seq2, room, priced,
                                            math.inf if capacity is None else capacity, price):
            yield i, j
        return

    def legs(seq: Sequence[int]) -> tuple[list[int], list[float], list[float], list[float]]:
        path = [START, *seq, END]
        head = [0.0]  # head[k]: driving from the start to seq[k - 1] (the first k visits)
        for a, b in zip(path, path[1:-1], strict=False):
            head.append(head[-1] + travel[a][b])
        tail = [0.0] * (len(seq) + 1)  # tail[k]: driving from seq[k] to the end
        for k in range(len(seq) - 1, -1, -1):
            tail[k] = tail[k + 1] + travel[path[k + 1]][path[k + 2]]
        loads = [0.0] * (len(seq) + 1)  # loads[k]: the load of the first k visits
        if demand is not None:
            for k, node in enumerate(seq):
                loads[k + 1] = loads[k] + demand[node]
        return path, head, tail, loads

    def over(load: float) -> float:  # what a route's load costs above the capacity
        excess = above_capacity(load, capacity)
        if not excess:
            return 0.0
        return excess * price if price else math.inf

    path1, head1, tail1, load1 = legs(seq1)
    path2, head2, tail2, load2 = legs(seq2)
    n1, n2 = len(seq1), len(seq2)
    whole1, whole2 = load1[-1], load2[-1]
    for i in range(n1 + 1):
        a, x = path1[i], path1[i + 1]  # seq1[:i] ends at a, seq1[i:] begins at x
        for j in range(n2 + 1):
            if (i == n1 and j == n2) or (i == 0 and j == 0):
                continue
            b, y = path2[j], path2[j + 1]
            cost = head1[i] + travel[a][y] + tail2[j] + head2[j] + travel[b][x] + tail1[i]
            if priced and cost < room:
                cost += over(load1[i] + whole2 - load2[j]) + over(load2[j] + whole1 - load1[i])
            if cost < room:
                yield i, j


def reorderings(seq: list[int], travel: tuple[tuple[int, ...], ...], room: float,
                arrays: DayArrays | None = None) -> Iterator[list[int]]:
    """The or-opt moves (a run of 1–3 visits put elsewhere) and 2-opt moves (a stretch reversed)
    of ``seq`` that change its driving by less than ``room`` minutes. The change is computed
    from the legs a move touches; only the orders that pass are built. With ``arrays`` (the
    instance's, for compiled code) the moves are found compiled, the same in the same order."""
    if arrays is not None:
        for length, i, j in compiled_reorderings(arrays, seq, room):
            if length:
                rest = seq[:i] + seq[i + length:]
                yield rest[:j] + seq[i:i + length] + rest[j:]
            else:
                yield seq[:i] + seq[i:j][::-1] + seq[j:]
        return
    n = len(seq)
    path = [START, *seq, END]  # path[k + 1] = seq[k]
    for length in (1, 2, 3):
        for i in range(n - length + 1):
            first, last = seq[i], seq[i + length - 1]
            before, after = path[i], path[i + length + 1]
            cut = travel[before][after] - travel[before][first] - travel[last][after]
            rest = seq[:i] + seq[i + length:]
            ends = [START, *rest, END]
            for j in range(len(rest) + 1):
                x, y = ends[j], ends[j + 1]
                if j != i and cut + travel[x][first] + travel[last][y] - travel[x][y] < room:
                    yield rest[:j] + seq[i:i + length] + rest[j:]
    forward, backward = [0], [0]  # driving along seq[:k + 1], forwards and backwards
    for a, b in zip(seq, seq[1:], strict=False):
        forward.append(forward[-1] + travel[a][b])
        backward.append(backward[-1] + travel[b][a])
    for i in range(n - 1):
        for j in range(i + 2, n + 1):  # reverse seq[i:j]
            before, after, a, b = path[i], path[j + 1], seq[i], seq[j - 1]
            inner = (backward[j - 1] - backward[i]) - (forward[j - 1] - forward[i])
            if travel[before][b] + travel[a][after] - travel[before][a] - travel[b][after] + inner < room:
                yield seq[:i] + seq[i:j][::-1] + seq[j:]
