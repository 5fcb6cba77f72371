"""Why a due visit could not be planned, in words a sales manager understands."""

from __future__ import annotations

from collections.abc import Sequence

from ..route.timing import START
from .instance import FIRST_CUSTOMER, RepInstance
from .solution import Miss, RepSolution


def _dates(inst: RepInstance, days: Sequence[int], limit: int = 5) -> str:
    text = ", ".join(inst.days[d].strftime("%m/%d") for d in list(days)[:limit])
    return text + (" …" if len(days) > limit else "")


def diagnose(
    inst: RepInstance,
    sol: RepSolution,
    node: int,
    days: Sequence[int],
    window: tuple[int, int] | None = None,
    appointment: bool = False,
) -> str:
    """The first reason, in order of how fundamental it is, why ``node`` fits none of ``days``.

    ``days`` are the rep's working days (indices) inside the allowed window; ``window`` is that
    window as calendar offsets (for the message when it holds no working day at all).
    """
    customer = inst.customer(node)
    if appointment and not days:
        return "appointment falls on a day the rep does not work (day off, weekend or holiday)"
    if not days:
        if window is not None and window[0] > window[1]:
            return "no day left in the horizon for this visit at the customer's rhythm"
        return "the rep does not work on any day the visit rhythm allows (weekend, holiday or day off)"
    open_days = [d for d in days if inst.windows[d][node]]
    if not open_days:
        return f"customer closed on every allowed day ({_dates(inst, days)})"
    dur = customer.visit_minutes
    long_enough = [d for d in open_days if any(b - a >= dur for a, b in inst.windows[d][node])]
    if not long_enough:
        return f"opening hours shorter than the {dur}-minute visit on every allowed day"
    alone = [
        d
        for d in long_enough
        if inst.time(d, [node], {}) is not None
    ]
    if not alone:
        out_and_back = inst.travel[START][node] + dur + inst.travel[node][1]
        return f"too far to reach within the shift ({out_and_back} min out, on site and back) during opening hours"
    if appointment:
        return f"appointment clashes with other fixed visits or the lunch break on {_dates(inst, days)}"
    cap = inst.rules.max_visits
    if cap is not None and all(len(sol.seqs.get(d, [])) >= cap for d in alone):
        return f"max_visits ({cap}) reached on every allowed day ({_dates(inst, alone)})"
    return f"day capacity exhausted on every allowed day ({_dates(inst, alone)})"


def rediagnose(inst: RepInstance, sol: RepSolution) -> list[Miss]:
    """The misses of the final plan, each with its reason found again against that plan (the
    reason found during construction may no longer hold after the search moved visits).

    A missed visit could have gone on any working day at least ``min_gap`` after the customer's
    previous planned visit (or its last visit) and ``min_gap`` before its next planned visit.
    """
    horizon_days = 7 * inst.horizon.weeks
    placed: dict[int, list[int]] = {}
    for day, seq in sol.seqs.items():
        for node in seq:
            placed.setdefault(node - FIRST_CUSTOMER, []).append(inst.offsets[day])
    out = []
    for miss in sol.missed:
        if miss.appointment:
            out.append(miss)
            continue
        c = inst.customers[miss.customer]
        before = [o for o in placed.get(miss.customer, []) if o < miss.due]
        if c.last_visit is not None:
            before.append((c.last_visit - inst.horizon.start).days)
        after = [o for o in placed.get(miss.customer, []) if o > miss.due]
        lo = max(before) + c.rule.min_gap if before else 0
        hi = min(after) - c.rule.min_gap if after else horizon_days - 1
        lo, hi = max(lo, 0), min(hi, horizon_days - 1)
        days = [d for d, off in enumerate(inst.offsets) if lo <= off <= hi]
        reason = diagnose(inst, sol, inst.node(miss.customer), days, window=(lo, hi))
        out.append(Miss(miss.customer, miss.due, reason, miss.appointment))
    return out
