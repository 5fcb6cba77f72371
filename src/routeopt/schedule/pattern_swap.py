"""Pattern swap: two nearby customers exchange their whole sets of visit days.

Customer A takes customer B's visit days and B takes A's, each visit put at its cheapest place
in a route of that day (for the literature's instances, the cheapest of the day's vehicles).
It finds what moving one customer at a time cannot: when the days A should move to are full (a
vehicle's capacity, the shift, the visit cap), A can go there only if something leaves, and B,
close by and on those days, can leave only to where A was. Each customer's new days must be
allowed for it (an allowed pattern, or a valid chain of gaps with its reported misses); the
exchange is made only if it costs less than before, priced on the exact timings.
"""

from __future__ import annotations

from .clock import expired
from .construct import EPS, Insertion, best_insertion
from .instance import RepInstance
from .moves import Improver

__all__ = ["swap_patterns"]


def swap_patterns(search: Improver, deadline: float) -> int:
    """Try a pattern swap between each customer in scope (or on a focus day) and its nearest
    customers; returns the swaps made."""
    inst = search.inst
    movable = [ci for ci, days in search.days_of.items()
               if days and search.in_scope(ci) and (search.scope is not None or any(map(search.in_focus, days)))]
    movable.sort()
    search.rng.shuffle(movable)
    moves = 0
    for ca in movable:
        if expired(deadline):
            break
        for cb in inst.near(ca):
            if _try(search, ca, cb):
                moves += 1
                break
    return moves


def _calendar(inst: RepInstance, routes: list[int]) -> list[int]:
    return sorted(inst.offsets[r] for r in routes)


def _try(search: Improver, ca: int, cb: int) -> bool:
    """Swap the visit days of customers ``ca`` and ``cb`` if that is allowed and cheaper."""
    inst, sol = search.inst, search.sol
    days_a, days_b = list(search.days_of.get(ca, ())), list(search.days_of.get(cb, ()))
    if not days_a or not days_b or inst.customers[ca].appointments or inst.customers[cb].appointments:
        return False
    cal_a, cal_b = _calendar(inst, days_a), _calendar(inst, days_b)
    if cal_a == cal_b or len(cal_a) != len(cal_b):  # each keeps its number of visits
        return False
    if not _allowed(search, ca, cal_b) or not _allowed(search, cb, cal_a):
        return False
    offsets = set(cal_a) | set(cal_b)
    routes = [r for r, off in enumerate(inst.offsets) if off in offsets]
    saved = {r: (list(sol.seqs.get(r, ())), sol.timings.get(r)) for r in routes}
    changed = set(search.changed)
    old = sum(map(search.day_cost, routes))
    placed_a = placed_b = None
    if search.take_out(ca) is not None and search.take_out(cb) is not None:
        placed_a = _place(search, ca, cal_b)
        placed_b = _place(search, cb, cal_a) if placed_a is not None else None
    if placed_a is None or placed_b is None or sum(map(search.day_cost, routes)) >= old - EPS:
        for r, (seq, timing) in saved.items():  # as it was, and not counted as changed
            if seq:
                sol.seqs[r] = seq
                sol.timings[r] = timing  # type: ignore[assignment]
            else:
                sol.seqs.pop(r, None)
                sol.timings.pop(r, None)
        search.changed = changed
        return False
    search.move_days(ca, placed_a)
    search.move_days(cb, placed_b)
    return True


def _allowed(search: Improver, ci: int, offsets: list[int]) -> bool:
    """May customer ``ci`` be visited on calendar days ``offsets`` (one route of each)?"""
    inst = search.inst
    if inst.patterns is not None:
        return frozenset(offsets) in inst.patterns[ci] and len(set(offsets)) == len(offsets)
    routes = [inst.offsets.index(off) for off in offsets]
    return search.valid(ci, routes, search.missed_of[ci])


def _place(search: Improver, ci: int, offsets: list[int]) -> list[int] | None:
    """Put customer ``ci``'s visits on calendar days ``offsets``, each at its cheapest place among
    that day's routes; returns the routes, or ``None`` (some visits may be placed) when a day
    has no room."""
    inst = search.inst
    node = inst.node(ci)
    routes = []
    for off in offsets:
        best: Insertion | None = None
        for route, at in enumerate(inst.offsets):
            if at != off:
                continue
            ins = best_insertion(inst, search.sol, route, node, bound=best.delta if best else float("inf"),
                                 overload=search.overload)
            if ins is not None:
                best = ins
        if best is None:
            return None
        search.put(best, node)
        routes.append(best.day)
    return routes
