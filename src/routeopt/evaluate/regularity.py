"""How regular and how even a plan is: customers kept on their weekday, days used and the spread
of each rep's daily working minutes (in ``summary.json``, the terminal table and ``validate``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from ..model import DayRoute, Problem
from ..schedule.regularity import course_size


def plan_visits(routes: Sequence[DayRoute]) -> dict[str, list[tuple[dt.date, int]]]:
    """Each customer's visits in ``routes``: (date, start minute)."""
    visits: dict[str, list[tuple[dt.date, int]]] = defaultdict(list)
    for route in routes:
        for stop in route.visits:
            visits[stop.customer_id].append((route.date, stop.start))
    return visits


def plan_days(routes: Sequence[DayRoute]) -> dict[str, list[int]]:
    """Each rep's working minutes on each day of ``routes`` with a visit."""
    work: dict[str, list[int]] = defaultdict(list)
    for route in routes:
        if route.visits:
            work[route.rep].append(route.work_min)
    return work


def regularity_figures(problem: Problem, visits: Mapping[str, Sequence[tuple[dt.date, int]]]) -> dict[str, Any]:
    """Among the customers with two ``visits`` or more (date, start minute): how many keep one
    weekday (a customer visited ``k`` times a week, ``k`` weekdays) through the horizon, that
    share, the same for the weekly and biweekly customers, and the mean spread (latest less
    earliest) of their visit start times, in minutes.

    Then, across plans: among the customers with a ``last_visit`` and a one-weekday rhythm
    (weekly, biweekly, monthly …) visited in the plan, how many are seen only on the weekday of
    that last visit (``last_weekday_*``): a plan made month after month keeps them on their day."""
    rules = {c.id: c.rule for c in problem.customers}
    last = {c.id: c.last_visit.weekday() for c in problem.customers
            if c.last_visit is not None and course_size(c.rule) == 1 and visits.get(c.id)}
    same = sum(all(d.weekday() == w for d, _ in visits[cid]) for cid, w in last.items())
    kept = weekly = weekly_kept = 0
    spreads = []
    seen = [cid for cid, v in visits.items() if len(v) >= 2 and cid in rules]
    for cid in seen:
        days = {d.weekday() for d, _ in visits[cid]}
        ok = len(days) <= max(1, course_size(rules[cid]))
        kept += ok
        if rules[cid].target_gap in (7, 14):
            weekly += 1
            weekly_kept += ok
        starts = [s for _, s in visits[cid]]
        spreads.append(max(starts) - min(starts))
    return {
        "customers": len(seen),
        "kept": kept,
        "share": round(kept / len(seen), 4) if seen else None,
        "weekly_biweekly_share": round(weekly_kept / weekly, 4) if weekly else None,
        "start_spread_min": round(sum(spreads) / len(spreads), 1) if spreads else None,
        "last_weekday_customers": len(last),
        "last_weekday_kept": same,
        "last_weekday_share": round(same / len(last), 4) if last else None,
    }


def day_figures(problem: Problem, work: Mapping[str, Sequence[int]]) -> dict[str, dict[str, Any]]:
    """Per rep: its working days in the horizon, the days it works in the plan (``work``: the
    working minutes of each, from leaving the start to arriving at the end), and the least and
    most working minutes of those days, each ÷ their mean."""
    out = {}
    for rep in problem.reps:
        mins = work.get(rep.id, [])
        mean = sum(mins) / len(mins) if mins else 0.0
        out[rep.id] = {
            "working_days": len(problem.horizon.working_days(rep)),
            "days_used": len(mins),
            "day_work_min_least": min(mins) if mins else 0,
            "day_work_min_most": max(mins) if mins else 0,
            "day_work_max_over_mean": round(max(mins) / mean, 3) if mean else None,
            "day_work_min_over_mean": round(min(mins) / mean, 3) if mean else None,
        }
    return out
