"""2-opt* between routes: two routes exchange their ends (route 1 keeps its start and takes route
2's end, and the other way round), wherever every visit that changes route may be on its new
route's day.

In the research literature's instances (:mod:`routeopt.bench`) most customers may be visited on
any day, so routes of different days exchange ends as freely as the vehicles of one day; a
customer's visits move only if its pattern (or its rhythm of gaps, with its reported misses)
stays allowed, and a visit never joins a route of a day it already has. Each new route is timed
exactly (windows, shift, lunch, capacity, duration). The neighbourhood is granular: the new leg
out of a visit goes to one of its nearest customers (:meth:`~routeopt.schedule.instance.RepInstance.near`),
which is where short legs come from.
"""

from __future__ import annotations

from collections import defaultdict

from ..route.timing import END, START
from .clock import expired
from .construct import EPS
from .instance import FIRST_CUSTOMER
from .moves import Improver

__all__ = ["exchange_tails"]


def exchange_tails(search: Improver, deadline: float) -> int:
    """Exchange route ends wherever that costs less (first improvement, then search again), starting
    from the routes in the search's focus; routes with appointments keep their ends. Returns the
    exchanges made."""
    moves = 0
    while not expired(deadline) and _improve_once(search, deadline):
        moves += 1
    return moves


def _improve_once(search: Improver, deadline: float) -> bool:
    """Make the first cheaper exchange of route ends found."""
    inst, sol, travel = search.inst, search.sol, search.inst.travel
    where: dict[int, list[tuple[int, int]]] = defaultdict(list)  # node → its (route, position)s
    for r, seq in sol.seqs.items():
        if not sol.fixed.get(r):
            for i, node in enumerate(seq):
                where[node].append((r, i))
    for r1 in sorted(r for r in sol.seqs if search.in_focus(r) and not sol.fixed.get(r)):
        if expired(deadline):
            return False
        s1 = sol.seqs[r1]
        for i, a in enumerate(s1):  # cut route 1 after a; a's next leg goes to b on route 2
            a_next = s1[i + 1] if i + 1 < len(s1) else END
            for cb in inst.near(a - FIRST_CUSTOMER):
                for r2, j in where.get(cb + FIRST_CUSTOMER, ()):
                    if r2 != r1 and _try(search, r1, i, r2, j, a_next):
                        return True
    return False


def _try(search: Improver, r1: int, i: int, r2: int, j: int, a_next: int) -> bool:
    """Give route ``r1`` the end of route ``r2`` from position ``j`` on, and ``r2`` the end of
    ``r1`` after position ``i``, if every moved visit may go there and the pair costs less."""
    inst, sol, travel = search.inst, search.sol, search.inst.travel
    s1, s2 = sol.seqs[r1], sol.seqs[r2]
    a, b = s1[i], s2[j]
    b_prev = s2[j - 1] if j else START
    change = travel[a][b] + travel[b_prev][a_next] - travel[a][a_next] - travel[b_prev][b]
    old = search.day_cost(r1) + search.day_cost(r2)
    # a route costs at least its driving: skip exchanges whose driving alone is no cheaper
    if sol.timings[r1].travel_min + sol.timings[r2].travel_min + change >= old - EPS:
        return False
    tail1, tail2 = s1[i + 1:], s2[j:]
    if inst.offsets[r1] != inst.offsets[r2]:
        moved = [(n, r2, r1) for n in tail2] + [(n, r1, r2) for n in tail1]
        days = {n: [now if d == was else d for d in search.days_of[n - FIRST_CUSTOMER]] for n, was, now in moved}
        if not all(search.valid(n - FIRST_CUSTOMER, days[n], search.missed_of[n - FIRST_CUSTOMER]) for n in days):
            return False
    new1, new2 = s1[:i + 1] + tail2, s2[:j] + tail1
    t1 = inst.time(r1, new1, {}, search.overload)
    t2 = inst.time(r2, new2, {}, search.overload) if new2 else None
    if t1 is None or (new2 and t2 is None):
        return False
    if t1.cost + (t2.cost if t2 is not None else 0.0) >= old - EPS:
        return False
    search.set_day(r1, new1, t1)
    search.set_day(r2, new2, t2)
    for node, was, now in [(n, r2, r1) for n in tail2] + [(n, r1, r2) for n in tail1]:
        ci = node - FIRST_CUSTOMER
        search.move_days(ci, [now if d == was else d for d in search.days_of[ci]])
    return True
