"""The local search: rounds of :mod:`~routeopt.schedule.moves` until none improves the plan."""

from __future__ import annotations

import time

from .clock import expired
from .instance import RepInstance
from .moves import Improver
from .solution import RepSolution


def improve(
    inst: RepInstance,
    sol: RepSolution,
    time_limit: float,
    seed: int = 0,
    max_rounds: int = 50,
    focus: set[int] | None = None,
    scope: set[int] | None = None,
    overload: float = 0.0,
) -> RepSolution:
    """Improve ``sol`` in place until no move helps, ``max_rounds`` rounds or ``time_limit`` seconds.

    With ``focus`` (working-day indices) the first round reorders and empties only those days;
    with ``scope`` (customer indices) it relocates and reschedules only those customers. Each
    later round then works on what the previous round changed: its days, and the customers it
    moved with their nearest neighbours. ``overload``: the cost per unit of load above a
    vehicle's capacity (0 = capacity is a hard rule).
    """
    deadline = time.monotonic() + time_limit
    search = Improver(inst, sol, seed, overload)
    for _ in range(max_rounds):
        if expired(deadline):
            break
        search.focus, search.scope, search.changed, search.moved = focus, scope, set(), set()
        changed = search.insert_missed()
        changed += search.reorder(deadline)
        changed += search.relocate(deadline)
        changed += search.swap(deadline)
        changed += search.exchange_tails(deadline)
        changed += search.reschedule(deadline)
        changed += search.empty_days(deadline)
        changed += search.insert_missed()
        if search.sol.missed:
            changed += search.eject(deadline)
        if not changed:
            break
        if focus is not None:
            focus = set(search.changed)
        if scope is not None:
            scope = with_neighbours(inst, search.moved)
    return sol


def with_neighbours(inst: RepInstance, customers: set[int]) -> set[int]:
    """``customers`` and each one's nearest customers."""
    out = set(customers)
    for ci in customers:
        out.update(inst.near(ci))
    return out
