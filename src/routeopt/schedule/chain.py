"""The cheapest valid chain of visit days for one customer, by an exact dynamic programme.

The local search uses it to re-plan a customer's whole rhythm at once (a chain moved from
Mondays to Wednesdays), and ruin-and-recreate to put a customer's visits back.
"""

from __future__ import annotations

from collections.abc import Mapping

from .instance import RepInstance


def cheapest_chain(
    inst: RepInstance, ci: int, count: int, costs: Mapping[int, float], long_gaps: int
) -> list[int] | None:
    """The cheapest ``count`` working days on which to visit customer ``ci`` as a valid chain.

    A chain is valid as :func:`~routeopt.schedule.rhythm.chain_ok` says: every gap between
    consecutive visits (and from the customer's ``last_visit`` to the first one) is at least
    ``min_gap`` days, and at most ``long_gaps`` gaps are longer than ``max_gap`` (without a last
    visit, a first visit on or after the first ``ceil(T)`` days counts as one such gap). Its cost
    is the sum of the chosen days' ``costs``: each visit is priced on its own against the current
    plan (callers take the customer's visits out of it first).

    The programme runs over states (working day, over-long gaps used so far), one layer per visit,
    keeping the cheapest way to reach each state; it is exact for this cost.

    Parameters
    ----------
    inst
        The rep's problem; ``inst.offsets`` gives each working day's calendar offset.
    ci
        The customer's index in ``inst.customers``.
    count
        How many visits to place.
    costs
        The extra cost in minutes of the customer's visit's cheapest insertion on each working day
        that can take it (days missing here are not used).
    long_gaps
        How many over-long gaps the chain may have (the customer's reported misses).

    Returns
    -------
    list[int] | None
        The chosen working days in increasing order, or ``None`` when no valid chain of
        ``count`` visits exists on those days.
    """
    c = inst.customers[ci]
    rule = c.rule
    days = sorted(costs)
    off = inst.offsets
    anchor = (c.last_visit - inst.horizon.start).days if c.last_visit else None
    # state: (day, long gaps used) → (cost, previous state)
    layer: dict[tuple[int, int], tuple[float, tuple[int, int] | None]] = {}
    for d in days:
        if anchor is None:
            longs = 1 if off[d] >= rule.first_window_days() else 0
        else:
            gap = off[d] - anchor
            if gap < rule.min_gap:
                continue
            longs = 1 if gap > rule.max_gap else 0
        if longs <= long_gaps:
            layer[(d, longs)] = (costs[d], None)
    history = [layer]
    for _ in range(count - 1):
        nxt: dict[tuple[int, int], tuple[float, tuple[int, int] | None]] = {}
        for (d0, l0), (cost0, _) in layer.items():
            for d in days:
                gap = off[d] - off[d0]
                if gap < rule.min_gap:
                    continue
                longs = l0 + (1 if gap > rule.max_gap else 0)
                if longs > long_gaps:
                    continue
                cost = cost0 + costs[d]
                if (d, longs) not in nxt or cost < nxt[(d, longs)][0]:
                    nxt[(d, longs)] = (cost, (d0, l0))
        layer = nxt
        history.append(layer)
    if not layer:
        return None
    state: tuple[int, int] | None = min(layer, key=lambda s: layer[s][0])
    chosen = []
    for level in reversed(history):
        assert state is not None
        chosen.append(state[0])
        state = level[state][1]
    return sorted(chosen)
