"""Why a due visit could not be planned, in words a sales manager understands."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from ..model import WEEKDAY_NAMES, ReasonCode, hhmm
from ..route.timing import END, START, time_day
from .instance import FIRST_CUSTOMER, RepInstance, customer_windows
from .regularity import course_blocks
from .solution import Miss, Reason, RepSolution


def _dates(inst: RepInstance, days: Sequence[int], limit: int = 5) -> str:
    text = ", ".join(inst.days[d].strftime("%m/%d") for d in list(days)[:limit])
    return text + (" …" if len(days) > limit else "")


def diagnose(
    inst: RepInstance,
    sol: RepSolution,
    node: int,
    days: Sequence[int],
    window: tuple[int, int] | None = None,
) -> Reason:
    """The first reason, in order of how fundamental it is, why ``node`` fits none of ``days``.

    ``days`` are the rep's working days (indices) inside the allowed window; ``window`` is that
    window as calendar offsets (for the message when it holds no working day at all).
    """
    customer = inst.customer(node)
    if not days:
        if window is not None and window[0] > window[1]:
            return Reason(ReasonCode.RHYTHM, "no day left in the horizon for this visit at the customer's rhythm")
        return Reason(ReasonCode.REP_ABSENT,
                      "the rep does not work on any day the visit rhythm allows (weekend, holiday or day off)")
    open_days = [d for d in days if inst.windows[d][node]]
    if not open_days and inst.strict_courses and any(customer_windows(customer, inst.days[d], inst.rep.shift)
                                                      for d in days):
        assert inst.courses is not None
        names = "/".join(WEEKDAY_NAMES[w] for w in sorted(inst.courses[node - FIRST_CUSTOMER]))
        return Reason(ReasonCode.REGULARITY, f"its course weekday ({names}) is not open on any allowed day "
                                             f"({_dates(inst, days)}) and regularity is strict")
    if not open_days:
        return Reason(ReasonCode.CLOSED, f"customer closed on every allowed day ({_dates(inst, days)})")
    dur = customer.visit_minutes
    long_enough = [d for d in open_days if any(b - a >= dur for a, b in inst.windows[d][node])]
    if not long_enough:
        return Reason(ReasonCode.HOURS_TOO_SHORT,
                      f"opening hours shorter than the {dur}-minute visit on every allowed day")
    alone = [
        d
        for d in long_enough
        if inst.time(d, [node], {}) is not None
    ]
    if not alone:
        out_and_back = inst.travel[START][node] + dur + inst.travel[node][1]
        return Reason(ReasonCode.TOO_FAR, f"too far to reach within the shift ({out_and_back} min out, on site and "
                                          "back) during opening hours")
    cap = inst.rules.max_visits
    if cap is not None and all(len(sol.seqs.get(d, [])) >= cap for d in alone):
        return Reason(ReasonCode.MAX_VISITS, f"max_visits ({cap}) reached on every allowed day ({_dates(inst, alone)})")
    return Reason(ReasonCode.DAY_FULL, f"day capacity exhausted on every allowed day ({_dates(inst, alone)})")


def appointment_reason(inst: RepInstance, sol: RepSolution, node: int, day: int | None, start: int) -> Reason:
    """Why the appointment of ``node`` at minute ``start`` of working day ``day`` (``None``: not a
    working day) could not be kept, given the appointments already in ``sol``."""
    if day is None:
        return Reason(ReasonCode.REP_ABSENT,
                      "appointment falls on a day the rep does not work (day off, weekend or holiday)")
    dur = inst.customer(node).visit_minutes
    rules = inst.rules
    when = f"appointment {inst.days[day]:%m/%d} {hhmm(start)}"
    if not any(a <= start and start + dur <= b for a, b in inst.windows[day][node]):
        return Reason(ReasonCode.OUTSIDE_HOURS,
                      f"{when}: the {dur}-minute visit is not within the customer's opening hours and the rep's shift")
    there, back = inst.travel[START][node], inst.travel[node][END]
    if rules.shift[0] + there > start:
        return Reason(ReasonCode.TOO_FAR, f"{when}: the rep cannot be there in time (the shift starts at "
                                          f"{hhmm(rules.shift[0])}, {there} min away)")
    if start + dur + back > rules.shift[1]:
        return Reason(ReasonCode.TOO_FAR, f"{when}: the rep cannot be back by the end of the shift at "
                                          f"{hhmm(rules.shift[1])} ({dur}-minute visit, {back} min drive back)")
    if inst.time(day, [node], {node: start}) is None:
        lunch = rules.lunch_window
        if lunch is not None and time_day([node], inst.travel, inst.duration, inst.windows[day], {node: start},
                                          replace(rules, lunch_window=None)) is not None:
            return Reason(ReasonCode.LUNCH, f"{when}: leaves no room for the {rules.lunch_minutes}-minute lunch "
                                            f"break ({hhmm(lunch[0])}-{hhmm(lunch[1])})")
        return Reason(ReasonCode.DAY_FULL, f"{when}: does not fit into the rep's day")
    others = sol.fixed.get(day, {})
    if rules.max_visits is not None and len(others) >= rules.max_visits:
        return Reason(ReasonCode.MAX_VISITS,
                      f"{when}: max_visits ({rules.max_visits}) is already taken by other appointments that day")
    if not others:
        return Reason(ReasonCode.DAY_FULL, f"{when}: does not fit into the rep's day")
    clashing = {n: t for n, t in others.items()
                if t < start + dur + inst.travel[node][n] and start < t + inst.duration[n] + inst.travel[n][node]}
    names = ", ".join(f"{inst.customer(n).id} at {hhmm(t)}"
                      for n, t in sorted((clashing or others).items(), key=lambda kv: kv[1]))
    if clashing:
        return Reason(ReasonCode.APPOINTMENT_CLASH,
                      f"{when} clashes with other appointments that day ({names}), counting the drive between them")
    return Reason(ReasonCode.APPOINTMENT_CLASH,
                  f"{when} does not fit between the other appointments that day ({names}) and the lunch break")


def due_days(inst: RepInstance, ci: int, visit_days: Sequence[int], n: int) -> list[int]:
    """The calendar offsets on which ``n`` missed visits of customer ``ci`` were due, given the
    days of its visits in the final plan (and of its missed appointments), all distinct and none
    on a visit day.

    First the rhythm is walked from the last visit at its target gap: a visit is missed wherever
    the next one comes later than ``max_gap`` (or, without a last visit, after the first
    window), due on the ideal day, and the rhythm goes on from there — for a customer long
    overdue these days lie before the plan. Misses still left (visits spaced wider than the
    target but within ``max_gap`` leave the count short) go to the middle of the widest gaps.
    """
    c = inst.customers[ci]
    rule = c.rule
    end = 7 * inst.horizon.weeks  # the first day after the plan
    last = (c.last_visit - inst.horizon.start).days if c.last_visit is not None else None
    visits = set(visit_days)
    ahead = sorted(visits)
    dues: list[int] = []
    cursor: float | None = last
    while len(dues) < n:
        limit = rule.first_window_days() - 1 if cursor is None else cursor + rule.max_gap
        if ahead and ahead[0] <= limit:
            cursor = ahead.pop(0)
            continue
        cursor = limit if cursor is None else cursor + rule.target_gap
        if cursor >= end:
            break
        day = math.floor(cursor + 0.5)
        if day not in visits and day not in dues:
            dues.append(day)
    while len(dues) < n:
        points = sorted(visits | set(dues) | {last if last is not None else -1, end})
        spans = sorted(zip(points, points[1:], strict=False), key=lambda ab: (ab[0] - ab[1], ab[0]))
        middle = next(((a + b) // 2 for a, b in spans if b - a > 1 and 0 <= (a + b) // 2 < end), None)
        if middle is None:  # every day of the plan is taken: nothing sensible is left
            dues += [end - 1] * (n - len(dues))
            break
        dues.append(middle)
    return sorted(dues)


def rediagnose(inst: RepInstance, sol: RepSolution) -> list[Miss]:
    """The misses of the final plan, each dated and explained again against that plan (the search
    moves visits after construction, so the day a visit was first missed, and why, may no longer
    hold): see :func:`due_days` and :func:`reason_for`. Missed appointments keep their day and
    reason.
    """
    if inst.patterns is not None:  # the literature's fixed day patterns: no rhythm to walk
        return list(sol.missed)
    placed: dict[int, list[int]] = {}
    for day, seq in sol.seqs.items():
        for node in seq:
            placed.setdefault(node - FIRST_CUSTOMER, []).append(inst.offsets[day])
    out = [m for m in sol.missed if m.appointment]
    free = Counter(m.customer for m in sol.missed if not m.appointment)
    for ci, n in sorted(free.items()):
        visits = placed.get(ci, [])
        appointments = [m.due for m in out if m.customer == ci]
        for due in due_days(inst, ci, visits + appointments, n):
            out.append(Miss(ci, due, reason_for(inst, sol, ci, due, visits)))
    return out


def reason_for(inst: RepInstance, sol: RepSolution, ci: int, due: int, placed: Sequence[int]) -> Reason:
    """Why the visit of customer ``ci`` due on offset ``due`` is in no day of the final plan
    (``placed``: the offsets of its visits). It could have gone on any working day at least
    ``min_gap`` after the previous visit (or the last visit) and ``min_gap`` before the next."""
    c = inst.customers[ci]
    horizon_days = 7 * inst.horizon.weeks
    if due >= 0 and course_blocks(inst, ci):
        assert inst.courses is not None
        names = "/".join(WEEKDAY_NAMES[w] for w in sorted(inst.courses[ci]))
        return Reason(ReasonCode.REGULARITY, f"its course weekday ({names}) cannot hold all its visits at its "
                                             f"rhythm ({c.rule.min_gap}-{c.rule.max_gap} days apart) and "
                                             "regularity is strict")
    if due < 0:
        last = f" (last visit {c.last_visit.isoformat()})" if c.last_visit is not None else ""
        return Reason(ReasonCode.OVERDUE, f"overdue: was due on {offset_day(inst, due)}, before the plan starts{last}")
    before = [o for o in placed if o < due]
    if c.last_visit is not None:
        before.append((c.last_visit - inst.horizon.start).days)
    after = [o for o in placed if o > due]
    lo = max(before) + c.rule.min_gap if before else 0
    hi = min(after) - c.rule.min_gap if after else horizon_days - 1
    lo, hi = max(lo, 0), min(hi, horizon_days - 1)
    if lo > hi and before:
        gap = f"the rhythm's minimum gap of {c.rule.min_gap} days"
        if after:
            return Reason(ReasonCode.RHYTHM, f"no day keeps {gap} between its visits on "
                                             f"{offset_day(inst, max(before))} and {offset_day(inst, min(after))}")
        return Reason(ReasonCode.RHYTHM, f"no day left in the plan after its visit on {offset_day(inst, max(before))} "
                                         f"({gap})")
    days = [d for d, off in enumerate(inst.offsets) if lo <= off <= hi]
    return diagnose(inst, sol, inst.node(ci), days, window=(lo, hi))


def offset_day(inst: RepInstance, offset: int) -> str:
    return (inst.horizon.start + dt.timedelta(days=offset)).isoformat()
